//! Generation does not depend on the order of object keys where that order carries no
//! meaning in OpenAPI: the top-level keys, `paths`, the maps under `components`,
//! `responses`, `content`, and the keys of every Schema, Operation, Parameter... object.
//!
//! The order of a schema's `properties` is kept: it is the order of the struct's fields.
//! Lists (`parameters`, `enum`, `required`, `tags`, `oneOf`...) keep their order too.
//! (That generating twice gives identical code is `generation_is_deterministic` in
//! the workspace's `tests/generated_code.rs`.)

mod support;

use serde_json::{Map, Value};
use vercel_codegen::generate_sources;
use vercel_codegen::ir::Filter;
use vercel_codegen::load::load_str;

/// `value` with the keys of every object reversed, except the order of `properties` maps
/// (whose values, schemas, are reordered inside).
fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let entries = map.iter().rev().map(|(key, child)| {
                let child = match (key.as_str(), child) {
                    ("properties", Value::Object(properties)) => {
                        Value::Object(properties.iter().map(|(name, schema)| (name.clone(), reversed(schema))).collect())
                    }
                    _ => reversed(child),
                };
                (key.clone(), child)
            });
            Value::Object(entries.collect::<Map<String, Value>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

/// The generated sources of a document given as a value.
fn sources(name: &str, document: &Value) -> std::collections::BTreeMap<String, String> {
    let spec = load_str(name, &document.to_string()).unwrap_or_else(|e| panic!("{e}"));
    generate_sources(spec, &Filter::default()).unwrap_or_else(|e| panic!("{e}")).sources
}

#[test]
fn reordering_meaningless_keys_changes_nothing() {
    let text = std::fs::read_to_string(support::pinned()).unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    let reordered = reversed(&document);
    assert_ne!(document.to_string(), reordered.to_string());
    let first_path = |d: &Value| d["paths"].as_object().unwrap().keys().next().cloned();
    assert_ne!(first_path(&document), first_path(&reordered));

    let original = sources("original.json", &document);
    let changed = sources("reordered.json", &reordered);
    assert_eq!(original.keys().collect::<Vec<_>>(), changed.keys().collect::<Vec<_>>());
    let differing: Vec<&String> = original.keys().filter(|path| original[*path] != changed[*path]).collect();
    for path in &differing {
        let (a, b) = (&original[*path], &changed[*path]);
        let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
        println!("{path}: first difference at line {}:\n  {:?}\n  {:?}", line + 1, a.lines().nth(line), b.lines().nth(line));
    }
    assert!(differing.is_empty(), "reordering keys changed {differing:?}");
}

#[test]
fn the_reordering_keeps_property_order_and_reverses_the_rest() {
    let document = serde_json::json!({"a": 1, "b": {"properties": {"x": {"c": 1, "d": 2}, "y": {}}, "e": 3}});
    let expected = r#"{"b":{"e":3,"properties":{"x":{"d":2,"c":1},"y":{}}},"a":1}"#;
    assert_eq!(reversed(&document).to_string(), expected);
}
