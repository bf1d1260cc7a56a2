//! Loading: a JSON or YAML document into openapiv3, repairing known real-world defects.
//!
//! The text is parsed into a `serde_json::Value` (JSON when it starts with `{`,
//! otherwise YAML), checked to be OpenAPI 3.0, repaired (each repair is a
//! [`Warning`] naming its JSON pointer), checked for dangling references, and
//! finally deserialized into `openapiv3::OpenAPI`. Anything that cannot be
//! repaired is a [`LoadError`] naming the file and a pointer or line:column.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

/// A loaded, repaired document.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file path as given, or a name for in-memory input.
    pub source: String,
    /// The document after repairs, for what openapiv3 does not keep.
    pub raw: Value,
    /// The document as openapiv3 reads it.
    pub openapi: openapiv3::OpenAPI,
    /// The repairs that were made.
    pub warnings: Vec<Warning>,
}

/// A repaired defect, or an approximation made later in the pipeline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer (RFC 6901) of the place concerned.
    pub pointer: String,
    /// What was done.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", display_pointer(&self.pointer), self.message)
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}

/// A document that cannot be used. Every message names the file and where in it.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file cannot be read.
    #[error("{source_name}: cannot read the file: {error}")]
    Io {
        /// The file.
        source_name: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The text is neither JSON nor YAML.
    #[error("{source_name}:{line}:{column}: not valid {format}: {message}")]
    Syntax {
        /// The file.
        source_name: String,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document is not OpenAPI 3.0.
    #[error("{source_name}: {pointer}: {message}")]
    NotOpenApi30 {
        /// The file.
        source_name: String,
        /// Where the version is (or should be).
        pointer: String,
        /// What was found.
        message: String,
    },
    /// A `$ref` names a place that does not exist in the document.
    #[error("{source_name}: {pointer}: $ref `{target}` points to nothing in the document")]
    DanglingRef {
        /// The file.
        source_name: String,
        /// The pointer of the `$ref`.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// A `$ref` to another file or URL.
    #[error("{source_name}: {pointer}: $ref `{target}` is not local; only `#/...` references are supported")]
    ExternalRef {
        /// The file.
        source_name: String,
        /// The pointer of the `$ref`.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// A `$ref` that only leads to other `$ref`s, around a cycle.
    #[error("{source_name}: {pointer}: $ref `{target}` is part of a reference cycle with no schema in it")]
    RefCycle {
        /// The file.
        source_name: String,
        /// The pointer of the `$ref`.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// Two operations share an operationId.
    #[error("{source_name}: {pointer}: operationId `{id}` is already used at {first}")]
    DuplicateOperationId {
        /// The file.
        source_name: String,
        /// The second operation's pointer.
        pointer: String,
        /// The first operation's pointer.
        first: String,
        /// The operationId.
        id: String,
    },
    /// A declared path parameter that the path template does not contain.
    #[error("{source_name}: {pointer}: path parameter `{name}` does not appear in the path template `{path}`")]
    UnusedPathParameter {
        /// The file.
        source_name: String,
        /// The parameter's pointer.
        pointer: String,
        /// Its name.
        name: String,
        /// The path template.
        path: String,
    },
    /// The document does not have the structure of an OpenAPI document.
    #[error("{source_name}: {pointer}: {message}")]
    Structure {
        /// The file.
        source_name: String,
        /// Where deserialization failed.
        pointer: String,
        /// What was wrong.
        message: String,
    },
}

impl LoadError {
    /// The process exit code for this error (bad input).
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// Loads the document at `path`.
pub fn load_path(path: &Path) -> Result<LoadedSpec, LoadError> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| LoadError::Io {
        source_name: source.clone(),
        error,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| LoadError::Syntax {
        source_name: source.clone(),
        format: "UTF-8 text",
        line: 1,
        column: 1,
        message: format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
    })?;
    load_str(&source, &text)
}

/// Loads a document from text; `source` names it in messages.
pub fn load_str(source: &str, text: &str) -> Result<LoadedSpec, LoadError> {
    let mut raw = parse(source, text)?;
    check_version(source, &raw)?;
    let mut warnings = Vec::new();
    repair(&mut raw, &mut warnings);
    check_refs(source, &raw)?;
    check_operations(source, &raw)?;
    let openapi = openapiv3::OpenAPI::deserialize(&raw).map_err(|e| LoadError::Structure {
        source_name: source.to_owned(),
        pointer: locate_structure_error(&raw),
        message: format!("not a valid OpenAPI 3.0 document: {e}"),
    })?;
    Ok(LoadedSpec {
        source: source.to_owned(),
        raw,
        openapi,
        warnings,
    })
}

/// Groups warnings by message shape, for printing: one line per kind, with a count
/// and the first pointer.
pub fn summarize(warnings: &[Warning]) -> Vec<String> {
    let mut groups: BTreeMap<String, (usize, &Warning)> = BTreeMap::new();
    for warning in warnings {
        let kind: String = warning.message.split('`').step_by(2).collect::<Vec<_>>().join("…");
        groups.entry(kind).or_insert((0, warning)).0 += 1;
    }
    let mut lines: Vec<(usize, String)> = groups
        .into_values()
        .map(|(count, first)| {
            let line = if count == 1 {
                first.to_string()
            } else {
                format!("{first} (and {} more like it)", count - 1)
            };
            (count, line)
        })
        .collect();
    lines.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    lines.into_iter().map(|(_, line)| line).collect()
}

/// Parses JSON (text starting with `{`) or YAML.
fn parse(source: &str, text: &str) -> Result<Value, LoadError> {
    let syntax = |format, line, column, message: String| LoadError::Syntax {
        source_name: source.to_owned(),
        format,
        line,
        column,
        message,
    };
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
            syntax("JSON", e.line(), e.column(), message)
        });
    }
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        let line = text[..offset].matches('\n').count() + 1;
        return Err(syntax("JSON or YAML", line, 1, "binary data (NUL byte)".to_owned()));
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        syntax("YAML", line, column, e.to_string())
    })?;
    serde_json::to_value(value).map_err(|e| syntax("YAML", 1, 1, format!("not representable as JSON: {e}")))
}

/// Rejects anything but an OpenAPI 3.0.x object.
fn check_version(source: &str, raw: &Value) -> Result<(), LoadError> {
    let not_30 = |pointer: &str, message: String| LoadError::NotOpenApi30 {
        source_name: source.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    let Some(object) = raw.as_object() else {
        return Err(not_30("/", "the document is not an object".to_owned()));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(not_30(
            "/swagger",
            format!("Swagger {swagger} is not supported; convert it to OpenAPI 3.0"),
        ));
    }
    match object.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0") => Ok(()),
        Some(Value::String(version)) => Err(not_30(
            "/openapi",
            format!("OpenAPI {version} is not supported; only 3.0.x is"),
        )),
        Some(other) => Err(not_30("/openapi", format!("expected a version string, found {other}"))),
        None => Err(not_30("/openapi", "missing `openapi` version field".to_owned())),
    }
}

/// Escapes one key for a JSON pointer.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Applies every repair, recording a warning for each.
fn repair(raw: &mut Value, warnings: &mut Vec<Warning>) {
    repair_schemas(raw, warnings);
    repair_operations(raw, warnings);
    repair_component_responses(raw, warnings);
}

/// Walks every schema position and fixes `$ref` siblings and `const`.
fn repair_schemas(raw: &mut Value, warnings: &mut Vec<Warning>) {
    if let Some(schemas) = raw.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            repair_schema(schema, &format!("/components/schemas/{}", escape(name)), warnings);
        }
    }
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let item_pointer = format!("/paths/{}", escape(path));
        let Some(item) = item.as_object_mut() else { continue };
        for (key, value) in item.iter_mut() {
            let pointer = format!("{item_pointer}/{key}");
            if key == "parameters" {
                repair_parameters(value, &pointer, warnings);
            } else if METHODS.contains(&key.as_str()) {
                repair_operation_schemas(value, &pointer, warnings);
            }
        }
    }
}

fn repair_parameters(parameters: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    for (index, parameter) in parameters.as_array_mut().into_iter().flatten().enumerate() {
        let param_pointer = format!("{pointer}/{index}");
        drop_ref_siblings(parameter, &param_pointer, warnings);
        if let Some(schema) = parameter.get_mut("schema") {
            repair_schema(schema, &format!("{param_pointer}/schema"), warnings);
        }
    }
}

fn repair_content(content: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    for (media, media_object) in content.as_object_mut().into_iter().flatten() {
        if let Some(schema) = media_object.get_mut("schema") {
            repair_schema(schema, &format!("{pointer}/{}/schema", escape(media)), warnings);
        }
    }
}

fn repair_operation_schemas(operation: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(operation) = operation.as_object_mut() else { return };
    if let Some(parameters) = operation.get_mut("parameters") {
        repair_parameters(parameters, &format!("{pointer}/parameters"), warnings);
    }
    if let Some(body) = operation.get_mut("requestBody") {
        let body_pointer = format!("{pointer}/requestBody");
        drop_ref_siblings(body, &body_pointer, warnings);
        if let Some(content) = body.get_mut("content") {
            repair_content(content, &format!("{body_pointer}/content"), warnings);
        }
    }
    for (status, response) in operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        let response_pointer = format!("{pointer}/responses/{}", escape(status));
        drop_ref_siblings(response, &response_pointer, warnings);
        if let Some(content) = response.get_mut("content") {
            repair_content(content, &format!("{response_pointer}/content"), warnings);
        }
    }
}

/// A `$ref` outside a schema position cannot have siblings: they are dropped, with a warning.
fn drop_ref_siblings(value: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(object) = value.as_object_mut() else { return };
    if !object.contains_key("$ref") || object.len() == 1 {
        return;
    }
    let dropped: Vec<String> = object.keys().filter(|k| *k != "$ref").cloned().collect();
    object.retain(|key, _| key == "$ref");
    warnings.push(Warning {
        pointer: pointer.to_owned(),
        message: format!("dropped keys beside `$ref`: {}", dropped.join(", ")),
    });
}

/// Keywords whose values are schemas, or maps or lists of schemas.
const SCHEMA_KEYWORDS: &[&str] = &["items", "additionalProperties", "not"];
const SCHEMA_LIST_KEYWORDS: &[&str] = &["oneOf", "anyOf", "allOf"];

/// Repairs one schema and everything nested in it.
fn repair_schema(schema: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(object) = schema.as_object_mut() else { return };
    if object.contains_key("$ref") && object.len() > 1 {
        wrap_ref_with_siblings(object, pointer, warnings);
    }
    if let Some(constant) = object.remove("const") {
        if !object.contains_key("enum") {
            object.insert("enum".to_owned(), Value::Array(vec![constant]));
        }
        warnings.push(Warning {
            pointer: format!("{pointer}/const"),
            message: "`const` is not OpenAPI 3.0; read as a one-value `enum`".to_owned(),
        });
    }
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            repair_schema(property, &format!("{pointer}/properties/{}", escape(name)), warnings);
        }
    }
    for keyword in SCHEMA_KEYWORDS {
        if let Some(nested) = object.get_mut(*keyword) {
            repair_schema(nested, &format!("{pointer}/{keyword}"), warnings);
        }
    }
    for keyword in SCHEMA_LIST_KEYWORDS {
        for (index, nested) in object
            .get_mut(*keyword)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .enumerate()
        {
            repair_schema(nested, &format!("{pointer}/{keyword}/{index}"), warnings);
        }
    }
}

/// `{$ref: X, nullable: true, ...}` -> `{allOf: [{$ref: X}], nullable: true, ...}`, so
/// openapiv3 keeps the siblings.
fn wrap_ref_with_siblings(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(reference) = object.remove("$ref") else { return };
    let siblings: Vec<String> = object.keys().cloned().collect();
    let reference = Value::Object(Map::from_iter([("$ref".to_owned(), reference)]));
    match object.get_mut("allOf").and_then(Value::as_array_mut) {
        Some(all_of) => all_of.insert(0, reference),
        None => {
            object.insert("allOf".to_owned(), Value::Array(vec![reference]));
        }
    }
    warnings.push(Warning {
        pointer: pointer.to_owned(),
        message: format!(
            "`$ref` with sibling keys ({}) rewritten as `allOf: [$ref]` to keep them",
            siblings.join(", ")
        ),
    });
}

/// Gives every operation an operationId, every path-template variable a parameter,
/// and every response a description.
fn repair_operations(raw: &mut Value, warnings: &mut Vec<Warning>) {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for_each_operation(raw, |_, _, _, operation| {
        if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
            taken.insert(id.to_owned());
        }
    });
    let components = raw.get("components").cloned();
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        let shared_params: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in METHODS {
            let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) else {
                continue;
            };
            let pointer = format!("/paths/{}/{method}", escape(path));
            if !operation.contains_key("operationId") {
                let id = synthesize_operation_id(operation, method, path, &mut taken);
                warnings.push(Warning {
                    pointer: pointer.clone(),
                    message: format!("operation has no operationId; named `{id}`"),
                });
                operation.insert("operationId".to_owned(), Value::String(id));
            }
            add_missing_path_parameters(operation, &shared_params, components.as_ref(), path, &pointer, warnings);
            add_missing_descriptions(operation, &pointer, warnings);
        }
    }
}

fn for_each_operation(raw: &Value, mut visit: impl FnMut(&str, &str, String, &Map<String, Value>)) {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else { return };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(*method).and_then(Value::as_object) {
                visit(path, method, format!("/paths/{}/{method}", escape(path)), operation);
            }
        }
    }
}

/// `x-speakeasy-name-override`, else `method` plus the path's words, made unique.
fn synthesize_operation_id(
    operation: &Map<String, Value>,
    method: &str,
    path: &str,
    taken: &mut BTreeSet<String>,
) -> String {
    let base = match operation.get("x-speakeasy-name-override").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => {
            let words: Vec<String> = path
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(heck::ToSnakeCase::to_snake_case)
                .collect();
            format!("{method}_{}", words.join("_"))
        }
    };
    let id = if taken.contains(&base) {
        (2..).map(|n| format!("{base}_{n}")).find(|c| !taken.contains(c)).unwrap_or(base)
    } else {
        base
    };
    taken.insert(id.clone());
    id
}

/// The names of the template variables of a path (`/a/{b}/c/{d}` -> `b`, `d`).
fn template_variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

/// A parameter as declared, following a `#/components/parameters/...` reference.
fn resolve_parameter<'v>(parameter: &'v Value, components: Option<&'v Value>) -> &'v Value {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|name| components?.get("parameters")?.get(name))
            .unwrap_or(parameter),
        None => parameter,
    }
}

fn add_missing_path_parameters(
    operation: &mut Map<String, Value>,
    shared: &[Value],
    components: Option<&Value>,
    path: &str,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let declared: BTreeSet<String> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(shared)
        .map(|p| resolve_parameter(p, components))
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    for variable in template_variables(path) {
        if declared.contains(variable) {
            continue;
        }
        let parameter = serde_json::json!({
            "name": variable, "in": "path", "required": true, "schema": {"type": "string"}
        });
        let parameters = operation
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(list) = parameters.as_array_mut() {
            list.push(parameter);
        }
        warnings.push(Warning {
            pointer: format!("{pointer}/parameters"),
            message: format!("path variable `{{{variable}}}` has no declared parameter; added as a string"),
        });
    }
}

fn add_missing_descriptions(operation: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        add_missing_description(response, &format!("{pointer}/responses/{}", escape(status)), warnings);
    }
}

fn add_missing_description(response: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    let Some(object) = response.as_object_mut() else { return };
    if object.contains_key("$ref") || object.contains_key("description") {
        return;
    }
    object.insert("description".to_owned(), Value::String(String::new()));
    warnings.push(Warning {
        pointer: pointer.to_owned(),
        message: "response has no `description`; an empty one was added".to_owned(),
    });
}

fn repair_component_responses(raw: &mut Value, warnings: &mut Vec<Warning>) {
    let Some(responses) = raw.pointer_mut("/components/responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, response) in responses.iter_mut() {
        add_missing_description(response, &format!("/components/responses/{}", escape(name)), warnings);
    }
}

/// Every `$ref` must be local and lead, through at most a chain of other refs, to a value.
fn check_refs(source: &str, raw: &Value) -> Result<(), LoadError> {
    let mut refs = Vec::new();
    collect_refs(raw, &mut String::new(), &mut refs);
    for (pointer, target) in refs {
        let error = |kind: fn(String, String, String) -> LoadError| Err(kind(source.to_owned(), pointer.clone(), target.clone()));
        let Some(local) = target.strip_prefix('#') else {
            return error(|source_name, pointer, target| LoadError::ExternalRef { source_name, pointer, target });
        };
        let mut seen = BTreeSet::new();
        let mut current = local.to_owned();
        loop {
            let Some(found) = raw.pointer(&current) else {
                return error(|source_name, pointer, target| LoadError::DanglingRef { source_name, pointer, target });
            };
            let next = found.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'));
            match next {
                Some(next) if !seen.insert(next.to_owned()) => {
                    return error(|source_name, pointer, target| LoadError::RefCycle { source_name, pointer, target });
                }
                Some(next) => current = next.to_owned(),
                None => break,
            }
        }
    }
    Ok(())
}

/// Finds every `$ref` string (skipping `example`/`examples` and `x-` extensions).
fn collect_refs(value: &Value, pointer: &mut String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(target)) = object.get("$ref") {
                out.push((pointer.clone(), target.clone()));
            }
            for (key, nested) in object {
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(key));
                collect_refs(nested, pointer, out);
                pointer.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, nested) in items.iter().enumerate() {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                collect_refs(nested, pointer, out);
                pointer.truncate(length);
            }
        }
        _ => {}
    }
}

/// Duplicate operationIds and declared path parameters missing from the template.
fn check_operations(source: &str, raw: &Value) -> Result<(), LoadError> {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut result = Ok(());
    let components = raw.get("components");
    for_each_operation(raw, |path, _, pointer, operation| {
        if result.is_err() {
            return;
        }
        if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
            if let Some(first) = ids.get(id) {
                result = Err(LoadError::DuplicateOperationId {
                    source_name: source.to_owned(),
                    pointer: pointer.clone(),
                    first: first.clone(),
                    id: id.to_owned(),
                });
                return;
            }
            ids.insert(id.to_owned(), pointer.clone());
        }
        let variables = template_variables(path);
        for (index, parameter) in operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let parameter = resolve_parameter(parameter, components);
            let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
            if parameter.get("in").and_then(Value::as_str) == Some("path") && !variables.contains(&name) {
                result = Err(LoadError::UnusedPathParameter {
                    source_name: source.to_owned(),
                    pointer: format!("{pointer}/parameters/{index}"),
                    name: name.to_owned(),
                    path: path.to_owned(),
                });
                return;
            }
        }
    });
    result
}

/// The pointer of the first place openapiv3 rejects, found by deserializing parts.
fn locate_structure_error(raw: &Value) -> String {
    use openapiv3::{Components, Info, PathItem, ReferenceOr};
    if let Some(info) = raw.get("info") {
        if Info::deserialize(info).is_err() {
            return "/info".to_owned();
        }
    } else {
        return "/info".to_owned();
    }
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if ReferenceOr::<PathItem>::deserialize(item).is_err() {
                let item_pointer = format!("/paths/{}", escape(path));
                for (key, value) in item.as_object().into_iter().flatten() {
                    if METHODS.contains(&key.as_str()) && openapiv3::Operation::deserialize(value).is_err() {
                        return format!("{item_pointer}/{key}");
                    }
                }
                return item_pointer;
            }
        }
    }
    if let Some(components) = raw.get("components") {
        if Components::deserialize(components).is_err() {
            return "/components".to_owned();
        }
    }
    "/".to_owned()
}

#[cfg(test)]
mod tests;
