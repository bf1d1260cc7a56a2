//! Comparing what the client produced with what the document says, up to the
//! normalizations the JSON data model allows:
//! - numbers are equal when their values are (`1` and `1.0`: a `type: number` field
//!   is an `f64`, which serializes whole numbers with a fraction);
//! - an absent property equals one that is `null` (an optional nullable field that is
//!   `None` is left out; a required nullable field that is missing decodes as `None`);
//! - object keys are unordered (structs serialize in declaration order, maps sorted).
//!
//! Nothing else is normalized: strings, booleans, array order and lengths must match.

use serde_json::Value;

/// The JSON path (`.a[0].b`) of the first difference between `expected` and
/// `actual`, or `None` when they are equal up to the normalizations above.
pub fn first_difference(expected: &Value, actual: &Value) -> Option<String> {
    difference_at(expected, actual, String::new())
}

fn difference_at(expected: &Value, actual: &Value, path: String) -> Option<String> {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => (a.as_f64() != b.as_f64()).then_some(path),
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = format!("{path}.{key}");
                let found = match b.get(key) {
                    Some(other) => difference_at(value, other, child),
                    None if value.is_null() => None,
                    None => Some(child),
                };
                if found.is_some() {
                    return found;
                }
            }
            b.iter()
                .find(|(key, value)| !a.contains_key(*key) && !value.is_null())
                .map(|(key, _)| format!("{path}.{key}"))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference_at(x, y, format!("{path}[{i}]"))),
        _ => (expected != actual).then_some(path),
    }
    .map(|p| if p.is_empty() { "(root)".to_owned() } else { p })
}

/// Two parameter texts are equal as text, or as numbers (`20` and `20.0`).
pub fn same_text(expected: &str, actual: &str) -> bool {
    expected == actual
        || matches!(
            (expected.parse::<f64>(), actual.parse::<f64>()),
            (Ok(a), Ok(b)) if a == b
        )
}

/// Bytes as the JSON array of numbers `Vec<u8>` serializes to.
pub fn bytes_value(bytes: &[u8]) -> Value {
    Value::Array(bytes.iter().map(|b| Value::from(*b)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value_and_null_equals_absent() {
        assert_eq!(first_difference(&json!({"a": 1, "b": null}), &json!({"a": 1.0})), None);
        assert_eq!(first_difference(&json!({"a": 1}), &json!({"a": 1, "c": null})), None);
    }

    #[test]
    fn differences_are_named_by_path() {
        assert_eq!(
            first_difference(&json!({"a": [1, {"b": "x"}]}), &json!({"a": [1, {"b": "y"}]})),
            Some(".a[1].b".to_owned())
        );
        assert_eq!(first_difference(&json!({"a": 1}), &json!({})), Some(".a".to_owned()));
        assert_eq!(first_difference(&json!({}), &json!({"z": 0})), Some(".z".to_owned()));
        assert_eq!(first_difference(&json!([1]), &json!([1, 2])), Some("(root)".to_owned()));
        assert_eq!(first_difference(&json!("1"), &json!(1)), Some("(root)".to_owned()));
    }

    #[test]
    fn texts_compare_as_numbers_too() {
        assert!(same_text("20", "20.0"));
        assert!(!same_text("20", "21"));
        assert!(!same_text("a", "b"));
    }
}
