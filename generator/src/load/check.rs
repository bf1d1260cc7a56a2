//! Checks of the repaired document that no repair can fix: references, operationIds,
//! declared path parameters.

use std::collections::BTreeMap;

use serde_json::Value;

use super::chains::{self, Broken, Plan};
use super::operations::{operations, path_variables, resolve_parameter};
use super::walk::{walk, Kind};
use super::{child_pointer, one_line, LoadError};

/// Runs every check, returning the first problem found, or how to shorten the
/// document's chains of references (see `chains`).
pub(super) fn check(source: &str, raw: &Value) -> Result<Plan, LoadError> {
    let plan = chains::plan(raw).map_err(|problem| Problem::from(problem).into_error(source))?;
    check_schema_keywords(raw).map_err(|problem| problem.into_error(source))?;
    check_operations(raw).map_err(|problem| problem.into_error(source))?;
    Ok(plan)
}

/// A problem found, before it is told with the file name.
#[derive(Debug)]
enum Problem {
    NotAString { pointer: String },
    Unsupported { pointer: String, target: String },
    Dangling { pointer: String, target: String },
    Cycle { pointer: String, target: String },
    ChainTooLong { pointer: String, target: String },
    DuplicateId { pointer: String, first: String, id: String },
    UnusedPathParameter { pointer: String, name: String, path: String },
    BadKeyword { pointer: String, message: String },
}

impl From<chains::Problem> for Problem {
    fn from(problem: chains::Problem) -> Self {
        match problem {
            chains::Problem::NotAString(pointer) => Problem::NotAString { pointer },
            chains::Problem::Broken { why, pointer, target } => match why {
                Broken::Unsupported => Problem::Unsupported { pointer, target },
                Broken::Dangling => Problem::Dangling { pointer, target },
                Broken::Cycle => Problem::Cycle { pointer, target },
            },
            chains::Problem::TooLong { pointer, target } => Problem::ChainTooLong { pointer, target },
        }
    }
}

impl Problem {
    fn into_error(self, source: &str) -> LoadError {
        let source_name = source.to_owned();
        let text = |text: String| one_line(&text).into_owned();
        match self {
            Problem::NotAString { pointer } => LoadError::Structure {
                source_name,
                pointer: format!("{}/$ref", text(pointer)),
                message: "a `$ref` must be a string".to_owned(),
            },
            Problem::Unsupported { pointer, target } => {
                LoadError::UnsupportedRef { source_name, pointer: text(pointer), target: text(target) }
            }
            Problem::Dangling { pointer, target } => {
                LoadError::DanglingRef { source_name, pointer: text(pointer), target: text(target) }
            }
            Problem::Cycle { pointer, target } => {
                LoadError::RefCycle { source_name, pointer: text(pointer), target: text(target) }
            }
            Problem::ChainTooLong { pointer, target } => {
                LoadError::RefChainTooLong { source_name, pointer: text(pointer), target: text(target) }
            }
            Problem::DuplicateId { pointer, first, id } => LoadError::DuplicateOperationId {
                source_name,
                pointer: text(pointer),
                first: text(first),
                id: text(id),
            },
            Problem::BadKeyword { pointer, message } => LoadError::Structure {
                source_name,
                pointer: text(pointer),
                message: text(message),
            },
            Problem::UnusedPathParameter { pointer, name, path } => LoadError::UnusedPathParameter {
                source_name,
                pointer: text(pointer),
                name: text(name),
                path: text(path),
            },
        }
    }
}

/// operationIds are unique; every declared path parameter is in the path template.
fn check_operations(raw: &Value) -> Result<(), Problem> {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in paths.iter().filter(|(path, _)| !path.starts_with("x-")) {
        let pointer = child_pointer("/paths", path);
        check_path_parameters(raw, path, item.get("parameters"), &pointer)?;
    }
    for (path, method, _, operation) in operations(paths) {
        let pointer = child_pointer(&child_pointer("/paths", path), method);
        if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
            if let Some(first) = ids.get(id) {
                return Err(Problem::DuplicateId { pointer, first: first.clone(), id: id.to_owned() });
            }
            ids.insert(id, pointer.clone());
        }
        check_path_parameters(raw, path, operation.get("parameters"), &pointer)?;
    }
    Ok(())
}

/// Every `in: path` parameter of the list is a variable of the path template.
fn check_path_parameters(raw: &Value, path: &str, parameters: Option<&Value>, pointer: &str) -> Result<(), Problem> {
    let variables = path_variables(path);
    let parameters = parameters.and_then(Value::as_array).into_iter().flatten();
    for (index, parameter) in parameters.enumerate() {
        let parameter = resolve_parameter(raw, parameter);
        if parameter.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
        if !variables.contains(&name) {
            return Err(Problem::UnusedPathParameter {
                pointer: format!("{pointer}/parameters/{index}"),
                name: name.to_owned(),
                path: path.to_owned(),
            });
        }
    }
    Ok(())
}

/// What a schema keyword must hold.
#[derive(Debug, Clone, Copy)]
enum Expect {
    String,
    Number,
    Boolean,
    Count,
    Object,
    MapOfObjects,
    ObjectOrBoolean,
    List,
    ListOfObjects,
    ListOfStrings,
}

/// The schema keywords openapiv3 reads, and what each must hold.
const SCHEMA_KEYWORDS: &[(&str, Expect)] = &[
    ("type", Expect::String),
    ("format", Expect::String),
    ("pattern", Expect::String),
    ("title", Expect::String),
    ("description", Expect::String),
    ("multipleOf", Expect::Number),
    ("minimum", Expect::Number),
    ("maximum", Expect::Number),
    ("exclusiveMinimum", Expect::Boolean),
    ("exclusiveMaximum", Expect::Boolean),
    ("uniqueItems", Expect::Boolean),
    ("nullable", Expect::Boolean),
    ("readOnly", Expect::Boolean),
    ("writeOnly", Expect::Boolean),
    ("deprecated", Expect::Boolean),
    ("minLength", Expect::Count),
    ("maxLength", Expect::Count),
    ("minItems", Expect::Count),
    ("maxItems", Expect::Count),
    ("minProperties", Expect::Count),
    ("maxProperties", Expect::Count),
    ("properties", Expect::MapOfObjects),
    ("items", Expect::Object),
    ("not", Expect::Object),
    ("discriminator", Expect::Object),
    ("externalDocs", Expect::Object),
    ("additionalProperties", Expect::ObjectOrBoolean),
    ("enum", Expect::List),
    ("required", Expect::ListOfStrings),
    ("allOf", Expect::ListOfObjects),
    ("oneOf", Expect::ListOfObjects),
    ("anyOf", Expect::ListOfObjects),
];

impl Expect {
    fn accepts(self, value: &Value) -> bool {
        match self {
            Expect::String => value.is_string(),
            Expect::Number => value.is_number(),
            Expect::Boolean => value.is_boolean(),
            Expect::Count => value.is_u64(),
            Expect::Object => value.is_object(),
            Expect::MapOfObjects => value.as_object().is_some_and(|map| map.values().all(Value::is_object)),
            Expect::ObjectOrBoolean => value.is_object() || value.is_boolean(),
            Expect::List => value.is_array(),
            Expect::ListOfObjects => value.as_array().is_some_and(|items| items.iter().all(Value::is_object)),
            Expect::ListOfStrings => value.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Expect::String => "a string",
            Expect::Number => "a number",
            Expect::Boolean => "a boolean",
            Expect::Count => "a whole number of zero or more",
            Expect::Object => "a mapping",
            Expect::MapOfObjects => "a mapping of names to schemas",
            Expect::ObjectOrBoolean => "a mapping or a boolean",
            Expect::List => "a list",
            Expect::ListOfObjects => "a list of mappings",
            Expect::ListOfStrings => "a list of strings",
        }
    }
}

/// Every schema keyword holds the kind of value openapiv3 reads. Checked here because
/// openapiv3 tries each way a schema can be read in turn, so a wrong value deep in
/// nested schemas costs time exponential in the depth, and its error names no place.
fn check_schema_keywords(raw: &Value) -> Result<(), Problem> {
    let mut result = Ok(());
    walk(raw, Kind::Document, &mut String::new(), &mut |kind, pointer, object| {
        if result.is_err() || kind != Kind::Schema || object.contains_key("$ref") {
            return;
        }
        let wrong = SCHEMA_KEYWORDS
            .iter()
            .find_map(|&(key, expect)| object.get(key).filter(|value| !expect.accepts(value)).map(|v| (key, expect, v)));
        if let Some((key, expect, value)) = wrong {
            let found = match value {
                Value::Array(_) if key == "type" => "a list of types (OpenAPI 3.1)".to_owned(),
                other => crate::load::parse::describe(other),
            };
            result = Err(Problem::BadKeyword {
                pointer: child_pointer(pointer, key),
                message: format!("schema keyword `{key}` must be {}, found {found}", expect.noun()),
            });
        }
    });
    result
}
