//! Repairs of single objects: `$ref` siblings, non-3.0 schema keywords, responses
//! without `description`, path parameters not marked required; then of operations
//! ([`operations`]).
//!
//! Every repair records a [`Warning`] with the pointer of the object it changed.

use serde_json::{Map, Value};

use super::walk::{allows_ref, walk_mut, Kind};
use super::{bodies, child_pointer, operations, resolve, Warning};

/// Applies every repair to the document, returning the warnings: path-item merges,
/// then object repairs in document order, then operation repairs, then optional request
/// bodies whose schema requires properties.
pub(super) fn repair(raw: &mut Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    merge_path_item_refs(raw, &mut warnings);
    let mut brands = Brands::default();
    walk_mut(raw, Kind::Document, &mut String::new(), &mut |kind, pointer, object| {
        if kind == Kind::Schema {
            brands.drop_from(object, pointer);
        }
        repair_object(kind, pointer, object, &mut warnings);
    });
    brands.warn(&mut warnings);
    operations::repair_operations(raw, &mut warnings);
    bodies::require_bodies_with_required_properties(raw, &mut warnings);
    warnings
}

/// The prefix of the TypeScript brand markers that leaked into Vercel's documents as
/// properties (`__@BRAND@647815`): no server sends them.
const BRAND_PREFIX: &str = "__@BRAND@";

/// The brand-marker properties dropped from a document, reported in one warning.
#[derive(Default)]
struct Brands {
    /// The first schema a marker was dropped from.
    first: Option<String>,
    /// How many markers were dropped.
    count: usize,
}

impl Brands {
    /// Drops the brand-marker properties of a schema (and their `required` entries).
    /// A branded primitive (`{type: object, properties: {__@BRAND@n: ..}}`) is left
    /// with no `type`: the value is a string or number the document does not name.
    fn drop_from(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Object(properties)) = object.get_mut("properties") else { return };
        let before = properties.len();
        properties.retain(|name, _| !name.starts_with(BRAND_PREFIX));
        let dropped = before - properties.len();
        if dropped == 0 {
            return;
        }
        let emptied = properties.is_empty();
        self.count += dropped;
        self.first.get_or_insert_with(|| pointer.to_owned());
        if let Some(Value::Array(required)) = object.get_mut("required") {
            required.retain(|name| !name.as_str().is_some_and(|name| name.starts_with(BRAND_PREFIX)));
            if required.is_empty() {
                object.shift_remove("required");
            }
        }
        if emptied {
            object.shift_remove("properties");
            if object.get("type").and_then(Value::as_str) == Some("object") && !object.contains_key("additionalProperties") {
                object.shift_remove("type");
            }
        }
    }

    /// One warning for the whole document, at the first schema that had a marker.
    fn warn(self, warnings: &mut Vec<Warning>) {
        if let Some(first) = self.first {
            let count = self.count;
            warn(
                warnings,
                &first,
                format!(
                    "dropped {count} TypeScript brand marker propert{} (`{BRAND_PREFIX}<n>`), which no server sends; \
                     a branded value is typed as free-form JSON",
                    if count == 1 { "y" } else { "ies" }
                ),
            );
        }
    }
}

/// Repairs one object of the structure.
fn repair_object(kind: Kind, pointer: &str, object: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    if allows_ref(kind) && object.contains_key("$ref") && object.len() > 1 {
        if kind == Kind::Schema {
            wrap_ref_with_siblings(object, pointer, warnings);
        } else {
            drop_ref_siblings(object, kind, pointer, warnings);
            return;
        }
    }
    match kind {
        Kind::Schema => {
            const_to_enum(object, pointer, warnings);
            type_list_to_nullable(object, pointer, warnings);
            exclusive_bound_to_bool(object, "exclusiveMinimum", "minimum", pointer, warnings);
            exclusive_bound_to_bool(object, "exclusiveMaximum", "maximum", pointer, warnings);
        }
        Kind::Response => add_missing_description(object, pointer, warnings),
        Kind::Parameter => require_path_parameter(object, pointer, warnings),
        _ => {}
    }
}

/// A `/paths` entry with a local `$ref` beside other keys (which OpenAPI 3.0 allows for
/// path items, and openapiv3 would ignore): the referenced path item's keys are merged
/// in, the entry's own keys winning, and the `$ref` removed.
fn merge_path_item_refs(raw: &mut Value, warnings: &mut Vec<Warning>) {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else { return };
    let merges: Vec<(String, Map<String, Value>)> = paths
        .iter()
        .filter_map(|(path, item)| {
            let item = item.as_object().filter(|item| item.len() > 1)?;
            let referenced = resolve(raw, item.get("$ref")?.as_str()?)?.as_object()?;
            // A chain of references is left to `drop_ref_siblings`.
            (!referenced.contains_key("$ref")).then(|| (path.clone(), referenced.clone()))
        })
        .collect();
    for (path, referenced) in merges {
        let Some(item) = raw.get_mut("paths").and_then(|paths| paths.get_mut(&path)).and_then(Value::as_object_mut)
        else {
            continue;
        };
        let target = item.shift_remove("$ref");
        let target = target.as_ref().and_then(Value::as_str).unwrap_or_default();
        let mut added = Vec::new();
        for (key, value) in referenced {
            if !item.contains_key(key.as_str()) {
                added.push(format!("`{key}`"));
                item.insert(key, value);
            }
        }
        warn(
            warnings,
            &child_pointer("/paths", &path),
            format!(
                "path item has keys beside its `$ref` `{target}`, which openapiv3 would ignore; merged in its {}",
                added.join(", ")
            ),
        );
    }
}

fn warn(warnings: &mut Vec<Warning>, pointer: &str, message: String) {
    warnings.push(Warning { pointer: pointer.to_owned(), message });
}

/// `key1`, `key2`: the keys of an object other than `$ref`, for messages.
fn sibling_list(object: &Map<String, Value>) -> String {
    object.keys().filter(|key| *key != "$ref").map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ")
}

/// `{$ref: X, nullable: true}` -> `{allOf: [{$ref: X}], nullable: true}`, so that
/// openapiv3 (which reads any object with a `$ref` as a bare reference) keeps the
/// siblings. A sibling `allOf` gets the reference appended instead.
fn wrap_ref_with_siblings(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    let siblings = sibling_list(object);
    let as_item = |reference| Value::Object(Map::from_iter([("$ref".to_owned(), reference)]));
    if object.contains_key("allOf") {
        let reference = as_item(object.shift_remove("$ref").unwrap_or_default());
        match object.get_mut("allOf") {
            Some(Value::Array(items)) => items.push(reference),
            // Not a list (openapiv3 rejects it anyway): keep it, as the first item.
            Some(other) => *other = Value::Array(vec![std::mem::take(other), reference]),
            None => {}
        }
    } else {
        rename_key(object, "$ref", "allOf", |reference| Value::Array(vec![as_item(reference)]));
    }
    warn(
        warnings,
        pointer,
        format!("schema `$ref` has sibling keys {siblings}, which openapiv3 would ignore; rewritten as `allOf: [$ref]` beside them"),
    );
}

/// Outside schemas, keys beside a `$ref` have no meaning in OpenAPI 3.0: they are
/// dropped, each named in the warning.
fn drop_ref_siblings(object: &mut Map<String, Value>, kind: Kind, pointer: &str, warnings: &mut Vec<Warning>) {
    let siblings = sibling_list(object);
    object.retain(|key, _| key == "$ref");
    warn(
        warnings,
        pointer,
        format!("keys beside `$ref` in a {} reference are ignored by OpenAPI 3.0; dropped {siblings}", kind.noun()),
    );
}

/// Replaces the key `from` by `to` in place (keeping the key order), mapping its value.
fn rename_key(object: &mut Map<String, Value>, from: &str, to: &str, map: impl FnOnce(Value) -> Value) {
    let mut map = Some(map);
    for (key, value) in std::mem::take(object) {
        match map.take_if(|_| key == from) {
            Some(map) => object.insert(to.to_owned(), map(value)),
            None => object.insert(key, value),
        };
    }
}

/// `const: v` (JSON Schema, OpenAPI 3.1) -> `enum: [v]` when there is no `enum`.
fn const_to_enum(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    if !object.contains_key("const") {
        return;
    }
    if object.contains_key("enum") {
        warn(
            warnings,
            pointer,
            "`const` beside `enum` is not OpenAPI 3.0; left as is (openapiv3 reads only the `enum`)".to_owned(),
        );
        return;
    }
    rename_key(object, "const", "enum", |value| Value::Array(vec![value]));
    warn(warnings, pointer, "`const` is not OpenAPI 3.0; rewritten as a one-value `enum`".to_owned());
}

/// `type: [T, "null"]` (OpenAPI 3.1), which openapiv3 rejects, -> `type: T, nullable: true`.
/// Lists of several non-null types are left for openapiv3 to reject.
fn type_list_to_nullable(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(Value::Array(types)) = object.get("type") else { return };
    let nullable = types.iter().any(|t| t == "null");
    let mut others = types.iter().filter(|t| *t != "null");
    let (Some(Value::String(single)), None) = (others.next(), others.next()) else {
        return;
    };
    let listed = Value::Array(types.clone()).to_string();
    let single = single.clone();
    object.insert("type".to_owned(), Value::String(single.clone()));
    if nullable {
        object.insert("nullable".to_owned(), Value::Bool(true));
    }
    let nullable = if nullable { " with `nullable: true`" } else { "" };
    warn(warnings, pointer, format!("`type: {listed}` is not OpenAPI 3.0; rewritten as `type: {single}`{nullable}"));
}

/// A numeric `exclusiveMinimum: n` (OpenAPI 3.1), which openapiv3 rejects, ->
/// `minimum: n, exclusiveMinimum: true` (or dropped when `minimum` is already stricter).
fn exclusive_bound_to_bool(
    object: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let Some(Value::Number(bound)) = object.get(exclusive).cloned() else { return };
    let lower = exclusive == "exclusiveMinimum";
    let stricter_inclusive = match object.get(inclusive).and_then(Value::as_f64) {
        Some(existing) => bound.as_f64().is_some_and(|b| if lower { existing > b } else { existing < b }),
        None => false,
    };
    if stricter_inclusive {
        object.shift_remove(exclusive);
        warn(
            warnings,
            pointer,
            format!("numeric `{exclusive}: {bound}` is not OpenAPI 3.0 and `{inclusive}` is stricter; dropped it"),
        );
        return;
    }
    object.insert(exclusive.to_owned(), Value::Bool(true));
    object.insert(inclusive.to_owned(), Value::Number(bound.clone()));
    warn(
        warnings,
        pointer,
        format!(
            "numeric `{exclusive}: {bound}` is not OpenAPI 3.0; rewritten as `{inclusive}: {bound}, {exclusive}: true`"
        ),
    );
}

/// A Response Object must have a `description`; openapiv3 rejects one without.
fn add_missing_description(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    if object.contains_key("description") {
        return;
    }
    object.shift_insert(0, "description".to_owned(), Value::String(String::new()));
    warn(warnings, pointer, "response has no `description`; added an empty one".to_owned());
}

/// A path parameter must be `required: true` (openapiv3 would read it as optional).
fn require_path_parameter(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    if object.get("in").and_then(Value::as_str) != Some("path") || object.get("required") == Some(&Value::Bool(true)) {
        return;
    }
    let was = object.get("required").map_or_else(|| "missing".to_owned(), Value::to_string);
    object.insert("required".to_owned(), Value::Bool(true));
    warn(warnings, pointer, format!("path parameter is not `required: true` (it was {was}); set it"));
}
