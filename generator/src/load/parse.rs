//! Text to `serde_json::Value`, and the check that it is an OpenAPI 3.0 document.

use serde_json::Value;

use super::{one_line, LoadError};

/// The bytes of a file as text; invalid UTF-8 is a syntax error at its line:column.
pub(super) fn utf8(source: &str, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let (line, column) = line_column(bytes.get(..valid).unwrap_or_default());
        LoadError::Syntax {
            source_name: source.to_owned(),
            format: "UTF-8 text",
            line,
            column,
            message: format!(
                "byte 0x{:02x} at offset {valid} is not UTF-8 (binary data?)",
                bytes.get(valid).copied().unwrap_or_default()
            ),
        }
    })
}

/// The 1-based line and column (in characters) just after `prefix`.
fn line_column(prefix: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(prefix);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |last| last.chars().count()) + 1;
    (line, column)
}

/// Parses JSON (when the first non-blank character is `{`) or YAML.
pub(super) fn parse(source: &str, text: &str) -> Result<Value, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = |format, line, column, message: &str| LoadError::Syntax {
        source_name: source.to_owned(),
        format,
        line,
        column,
        message: one_line(message).into_owned(),
    };
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|error| {
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            syntax("JSON", error.line(), error.column(), message)
        });
    }
    if let Some(offset) = text.find('\0') {
        let (line, column) = line_column(text.as_bytes().get(..offset).unwrap_or_default());
        return Err(syntax("JSON or YAML", line, column, "NUL byte (binary data?)"));
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let (line, column) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = error.to_string().replacen(&format!(" at line {line} column {column}"), "", 1);
        syntax("YAML", line, column, &message)
    })?;
    yaml.apply_merge().map_err(|error| syntax("YAML", 1, 1, &format!("cannot apply `<<` merge keys: {error}")))?;
    serde_json::to_value(yaml).map_err(|error| syntax("YAML", 1, 1, &format!("not representable as JSON: {error}")))
}

/// Rejects anything but a mapping with an `openapi` version of 3.0.x.
pub(super) fn check_version(source: &str, raw: &Value) -> Result<(), LoadError> {
    let reject = |pointer: &str, message: String| LoadError::NotOpenApi30 {
        source_name: source.to_owned(),
        pointer: pointer.to_owned(),
        message: one_line(&message).into_owned(),
    };
    let Some(object) = raw.as_object() else {
        return Err(reject(
            "/openapi",
            format!("the document is {}, not a mapping with an `openapi` version field", describe(raw)),
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(reject(
            "/swagger",
            format!("Swagger {swagger} is not supported; convert the document to OpenAPI 3.0"),
        ));
    }
    match object.get("openapi") {
        Some(Value::String(version)) if is_30(version) => Ok(()),
        Some(Value::String(version)) => {
            Err(reject("/openapi", format!("OpenAPI {version:?} is not supported; only 3.0.x is")))
        }
        Some(other) => {
            Err(reject("/openapi", format!("expected a version string such as \"3.0.3\", found {}", describe(other))))
        }
        None => Err(reject("/openapi", "the `openapi` version field is missing".to_owned())),
    }
}

/// `3.0`, `3.0.0` ... `3.0.4` (any patch level).
fn is_30(version: &str) -> bool {
    version == "3.0"
        || version
            .strip_prefix("3.0.")
            .is_some_and(|patch| !patch.is_empty() && patch.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// "a list", "the number 3", ... for messages.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "empty (null)".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// How deeply a document may nest objects and lists: twice Vercel's deepest (32), and
/// shallow enough that reading it (openapiv3 recurses once per level, with large frames
/// in debug builds) fits a test thread's 2 MiB stack.
pub const MAX_NESTING: usize = 64;

/// Rejects a document nested more than [`MAX_NESTING`] levels deep, naming the first
/// place that is too deep.
pub(super) fn check_nesting(source: &str, raw: &Value) -> Result<(), LoadError> {
    let Some(mut keys) = too_deep(raw, 0) else { return Ok(()) };
    keys.reverse();
    let pointer = keys.iter().fold(String::new(), |pointer, key| super::child_pointer(&pointer, key));
    Err(LoadError::Structure {
        source_name: source.to_owned(),
        pointer: one_line(&pointer).into_owned(),
        message: format!("the document nests objects and lists more than {MAX_NESTING} levels deep here"),
    })
}

/// The keys (innermost first) leading to the first value deeper than [`MAX_NESTING`];
/// the recursion stops there, so it is bounded too.
fn too_deep(value: &Value, depth: usize) -> Option<Vec<String>> {
    if depth > MAX_NESTING && (value.is_object() || value.is_array()) {
        return Some(Vec::new());
    }
    let found = match value {
        Value::Object(map) => map.iter().find_map(|(key, child)| Some((key.clone(), too_deep(child, depth + 1)?))),
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(index, child)| Some((index.to_string(), too_deep(child, depth + 1)?)))
        }
        _ => None,
    };
    found.map(|(key, mut keys)| {
        keys.push(key);
        keys
    })
}
