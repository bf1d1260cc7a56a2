//! Checks synthesized instances with an independent JSON Schema validator (the
//! `jsonschema` crate, draft 4, the draft OpenAPI 3.0 schemas extend).
//!
//! The document's schemas are first rewritten into plain JSON Schema:
//! - `nullable: true` becomes `anyOf: [the schema, {type: null}]`;
//! - keys beside a `$ref` (which draft 4 ignores) become `allOf: [{$ref}]` beside them,
//!   as the loader's repair reads them;
//! - `oneOf` is checked as `anyOf`: many of Vercel's unions have members that overlap
//!   (one member's required fields a subset of another's), so an instance of one
//!   member also matches another, which `oneOf` rejects although the API means it;
//! - empty `oneOf: []`/`anyOf: []` (which nothing matches) are dropped, as the
//!   generator types them as free-form JSON;
//! - `const` becomes a one-value `enum`, a numeric `exclusiveMinimum`/`exclusiveMaximum`
//!   becomes the draft 4 boolean form;
//! - a `pattern` the validator cannot compile is dropped and reported.
//!
//! OpenAPI-only keywords (`example`, `discriminator`, `xml`, `x-*`, ...) are unknown
//! to draft 4 and ignored by it.

use serde_json::{json, Map, Value};

/// The document rewritten as JSON Schema, ready to validate against.
pub struct Validation {
    checkers: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Checker>>>,
    components: Value,
    schemas: Value,
    /// Patterns the validator cannot compile, which were dropped (with their pointers).
    pub dropped_patterns: Vec<String>,
}

/// A validator of one schema.
pub struct Checker(jsonschema::Validator);

impl Validation {
    /// Rewrites every schema of `doc`.
    pub fn new(doc: &Value) -> Self {
        let mut dropped = Vec::new();
        let mut schemas = doc.clone();
        rewrite_document(&mut schemas, "", &mut dropped);
        let components = json!({
            "schemas": schemas.pointer("/components/schemas").cloned().unwrap_or_else(|| json!({}))
        });
        Validation {
            checkers: Default::default(),
            components,
            schemas,
            dropped_patterns: dropped,
        }
    }

    /// A validator for the schema at `pointer` in the document.
    pub fn checker(&self, pointer: &str) -> Result<Checker, String> {
        let schema = self
            .schemas
            .pointer(pointer)
            .ok_or_else(|| format!("{pointer}: no schema there"))?;
        self.build(schema)
    }

    /// A validator for `schema` as the document writes it (rewritten here), whose
    /// references point into the document. Validators are kept for reuse under `key`
    /// (the schema's pointer).
    pub fn checker_for(&self, key: &str, schema: &Value) -> Result<std::rc::Rc<Checker>, String> {
        if let Some(checker) = self.checkers.borrow().get(key) {
            return Ok(checker.clone());
        }
        let mut rewritten = schema.clone();
        rewrite_schema(&mut rewritten, "", &mut Vec::new());
        let checker = std::rc::Rc::new(self.build(&rewritten)?);
        self.checkers.borrow_mut().insert(key.to_owned(), checker.clone());
        Ok(checker)
    }

    fn build(&self, schema: &Value) -> Result<Checker, String> {
        // Most parameter schemas refer to nothing: they need no copy of the components.
        let root = if has_reference(schema) {
            json!({ "allOf": [schema], "components": self.components })
        } else {
            schema.clone()
        };
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build(&root)
            .map(Checker)
            .map_err(|e| format!("the validator rejects the schema: {e}"))
    }
}

impl Checker {
    /// `Ok` when `instance` is valid, else the first error and where it is.
    pub fn check(&self, instance: &Value) -> Result<(), String> {
        match self.0.iter_errors(instance).next() {
            None => Ok(()),
            Some(error) => {
                let message = error.to_string();
                let short = match message.char_indices().nth(240) {
                    Some((cut, _)) => format!("{}…", &message[..cut]),
                    None => message,
                };
                Err(format!("at `{}`: {short}", error.instance_path()))
            }
        }
    }
}

/// Rewrites the schemas found anywhere in the document (under `schema` keys and
/// `components/schemas`), leaving examples alone.
fn rewrite_document(value: &mut Value, pointer: &str, dropped: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                let child_pointer = format!("{pointer}/{}", escape(key));
                match key.as_str() {
                    "example" | "examples" => {}
                    "schema" => rewrite_schema(child, &child_pointer, dropped),
                    "schemas" if pointer == "/components" => {
                        for (name, schema) in child.as_object_mut().into_iter().flatten() {
                            let at = format!("{child_pointer}/{}", escape(name));
                            rewrite_schema(schema, &at, dropped);
                        }
                    }
                    _ => rewrite_document(child, &child_pointer, dropped),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                rewrite_document(item, &format!("{pointer}/{index}"), dropped);
            }
        }
        _ => {}
    }
}

/// Rewrites one schema and its subschemas into draft 4 JSON Schema.
pub fn rewrite_schema(value: &mut Value, pointer: &str, dropped: &mut Vec<String>) {
    let Some(object) = value.as_object_mut() else { return };
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(map)) = object.get_mut(key) {
            for (name, child) in map.iter_mut() {
                rewrite_schema(child, &format!("{pointer}/{key}/{}", escape(name)), dropped);
            }
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = object.get_mut(key) {
            rewrite_schema(child, &format!("{pointer}/{key}"), dropped);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(list)) = object.get_mut(key) {
            for (index, child) in list.iter_mut().enumerate() {
                rewrite_schema(child, &format!("{pointer}/{key}/{index}"), dropped);
            }
        }
    }
    rewrite_keywords(object, pointer, dropped);
    if object.get("nullable") == Some(&Value::Bool(true)) {
        object.remove("nullable");
        let inner = std::mem::take(object);
        object.insert("anyOf".to_owned(), json!([Value::Object(inner), {"type": "null"}]));
    } else {
        object.remove("nullable");
    }
}

/// The keyword rewrites of one schema object (children already done).
fn rewrite_keywords(object: &mut Map<String, Value>, pointer: &str, dropped: &mut Vec<String>) {
    if object.contains_key("$ref") && object.len() > 1 {
        let reference = object.remove("$ref").unwrap_or_default();
        let part = json!({ "$ref": reference });
        match object.get_mut("allOf") {
            Some(Value::Array(parts)) => parts.push(part),
            _ => {
                object.insert("allOf".to_owned(), json!([part]));
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        if object.get(key).and_then(Value::as_array).is_some_and(Vec::is_empty) {
            object.remove(key);
        }
    }
    if let Some(members) = object.remove("oneOf") {
        match object.remove("anyOf") {
            Some(other) => {
                let both = json!([{ "anyOf": members }, { "anyOf": other }]);
                append_all_of(object, both);
            }
            None => {
                object.insert("anyOf".to_owned(), members);
            }
        }
    }
    if let Some(value) = object.remove("const") {
        object.insert("enum".to_owned(), json!([value]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(number) = object.get(exclusive).filter(|v| v.is_number()).cloned() {
            object.insert(bound.to_owned(), number);
            object.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
        let compiles = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&json!({ "pattern": pattern }))
            .is_ok();
        if !compiles {
            dropped.push(format!("{pointer}: `{pattern}`"));
            object.remove("pattern");
        }
    }
}

/// Does a schema contain a `$ref` anywhere?
fn has_reference(value: &Value) -> bool {
    match value {
        Value::Object(object) => object.contains_key("$ref") || object.values().any(has_reference),
        Value::Array(items) => items.iter().any(has_reference),
        _ => false,
    }
}

fn append_all_of(object: &mut Map<String, Value>, parts: Value) {
    let Value::Array(parts) = parts else { return };
    match object.get_mut("allOf") {
        Some(Value::Array(existing)) => existing.extend(parts),
        _ => {
            object.insert("allOf".to_owned(), Value::Array(parts));
        }
    }
}

/// A key escaped for a JSON pointer.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validation() -> Validation {
        Validation::new(&json!({
            "components": {"schemas": {
                "A": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
                "Phone": {"type": "string", "pattern": "^(?=(?:\\D*\\d){7,15}$)\\+[1-9]\\d{0,2}\\.?\\d+$"}
            }},
            "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "n": {"$ref": "#/components/schemas/A", "nullable": true},
                    "u": {"oneOf": [{"type": "object", "properties": {"p": {"type": "string"}}}, {"type": "object"}]},
                    "c": {"const": "fixed"}
                }
            }}}}}}}}
        }))
    }

    const BODY: &str = "/paths/~1x/get/responses/200/content/application~1json/schema";

    #[test]
    fn nullable_refs_accept_null_and_check_the_target() {
        let checker = validation().checker(BODY).unwrap();
        assert!(checker.check(&json!({"n": null})).is_ok());
        assert!(checker.check(&json!({"n": {"a": "x"}})).is_ok());
        assert!(checker.check(&json!({"n": {"b": "x"}})).is_err());
    }

    #[test]
    fn overlapping_one_of_members_are_accepted_and_const_is_checked() {
        let checker = validation().checker(BODY).unwrap();
        assert!(checker.check(&json!({"u": {"p": "x"}})).is_ok());
        assert!(checker.check(&json!({"c": "fixed"})).is_ok());
        assert!(checker.check(&json!({"c": "other"})).is_err());
    }

    #[test]
    fn look_around_patterns_compile_or_are_reported() {
        let validation = validation();
        let checker = validation.checker("/components/schemas/Phone").unwrap();
        let valid = checker.check(&json!("+14155550123")).is_ok();
        assert!(valid || !validation.dropped_patterns.is_empty());
    }
}
