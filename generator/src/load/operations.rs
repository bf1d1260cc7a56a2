//! Repairs of operations: missing operationIds and undeclared path-template variables.
//!
//! Each is planned on the unchanged document (parameters may be references into
//! `components`), then applied.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::{json, Map, Value};

use super::walk::METHODS;
use super::{child_pointer, resolve, Warning};

/// What one operation needs.
#[derive(Debug, Default)]
struct Fix {
    path: String,
    method: &'static str,
    /// The operationId to give it, and the warning saying where it comes from.
    operation_id: Option<(String, String)>,
    /// Path-template variables without a declared parameter.
    missing_parameters: Vec<String>,
}

/// Gives every operation under `/paths` an operationId and a parameter for every
/// path-template variable.
pub(super) fn repair_operations(raw: &mut Value, warnings: &mut Vec<Warning>) {
    for fix in plan(raw) {
        let Some(operation) = raw
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(&fix.path))
            .and_then(|item| item.get_mut(fix.method))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let pointer = child_pointer(&child_pointer("/paths", &fix.path), fix.method);
        if let Some((id, message)) = fix.operation_id {
            operation.insert("operationId".to_owned(), Value::String(id));
            warnings.push(Warning { pointer: format!("{pointer}/operationId"), message });
        }
        add_path_parameters(operation, &fix.missing_parameters, &pointer, warnings);
    }
}

/// The fixes every operation needs, in document order.
fn plan(raw: &Value) -> Vec<Fix> {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut taken: BTreeSet<String> = operations(paths)
        .filter_map(|(_, _, _, operation)| operation.get("operationId")?.as_str().map(str::to_owned))
        .collect();
    let mut fixes = Vec::new();
    for (path, method, item, operation) in operations(paths) {
        let mut fix = Fix { path: path.to_owned(), method, ..Fix::default() };
        let has_id = match operation.get("operationId") {
            Some(Value::String(id)) => !id.trim().is_empty(),
            Some(_) => true, // not a string: openapiv3 reports it
            None => false,
        };
        if !has_id {
            fix.operation_id = Some(operation_id(operation, method, path, &mut taken));
        }
        let declared = declared_path_parameters(raw, item, operation);
        fix.missing_parameters = path_variables(path)
            .into_iter()
            .filter(|variable| !declared.contains(variable))
            .map(str::to_owned)
            .collect();
        if fix.operation_id.is_some() || !fix.missing_parameters.is_empty() {
            fixes.push(fix);
        }
    }
    fixes
}

/// Every operation under `/paths`: path, method, path item and operation object.
pub(super) fn operations(
    paths: &Map<String, Value>,
) -> impl Iterator<Item = (&str, &'static str, &Map<String, Value>, &Map<String, Value>)> {
    paths
        .iter()
        .filter(|(path, _)| !path.starts_with("x-"))
        .filter_map(|(path, item)| Some((path.as_str(), item.as_object()?)))
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |&method| Some((path, method, item, item.get(method)?.as_object()?)))
        })
}

/// The names of a path template's variables: `/a/{b}/c/{d}` -> `b`, `d`.
pub(super) fn path_variables(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect()
}

/// A parameter object, following a local `$ref` (itself when it cannot be followed).
pub(super) fn resolve_parameter<'v>(raw: &'v Value, parameter: &'v Value) -> &'v Value {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(raw, reference).unwrap_or(parameter),
        None => parameter,
    }
}

/// The names of the `in: path` parameters an operation declares, or its path item does.
fn declared_path_parameters<'v>(
    raw: &'v Value,
    item: &'v Map<String, Value>,
    operation: &'v Map<String, Value>,
) -> BTreeSet<&'v str> {
    [operation.get("parameters"), item.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|parameter| resolve_parameter(raw, parameter))
        .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|parameter| parameter.get("name")?.as_str())
        .collect()
}

/// An operationId for an operation without one, unique among `taken` (which gets it):
/// its `x-speakeasy-name-override`, else [`operation_name`]; `_2`, `_3`... when taken.
fn operation_id(
    operation: &Map<String, Value>,
    method: &str,
    path: &str,
    taken: &mut BTreeSet<String>,
) -> (String, String) {
    let (base, origin) = match operation.get("x-speakeasy-name-override").and_then(Value::as_str) {
        Some(name) if !name.trim().is_empty() => (name.to_owned(), "its `x-speakeasy-name-override`"),
        _ => (operation_name(method, path), "its method and path"),
    };
    let id = if taken.contains(&base) {
        (2..).map(|n| format!("{base}_{n}")).find(|candidate| !taken.contains(candidate)).unwrap_or_default()
    } else {
        base
    };
    taken.insert(id.clone());
    let message = format!("operation has no operationId; named it `{id}` after {origin}");
    (id, message)
}

/// `get /v3/teams/{teamId}/members` -> `get_v3_teams_team_id_members`: the method
/// and the path's words in snake_case.
pub(super) fn operation_name(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_snake_case())
        .collect();
    match words.is_empty() {
        true => method.to_owned(),
        false => format!("{method}_{}", words.join("_")),
    }
}

/// Declares each of `missing` as a required string path parameter of the operation.
fn add_path_parameters(
    operation: &mut Map<String, Value>,
    missing: &[String],
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    if missing.is_empty() {
        return;
    }
    let parameters = operation.entry("parameters").or_insert_with(|| Value::Array(Vec::new()));
    let Some(parameters) = parameters.as_array_mut() else {
        return; // not a list: openapiv3 reports it
    };
    for variable in missing {
        parameters.push(json!({"name": variable, "in": "path", "required": true, "schema": {"type": "string"}}));
        warnings.push(Warning {
            pointer: format!("{pointer}/parameters/{}", parameters.len() - 1),
            message: format!(
                "path-template variable `{{{variable}}}` has no declared parameter; added it as a required string"
            ),
        });
    }
}
