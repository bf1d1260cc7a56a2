//! The oracle: what each call must look like on the wire and what it must return,
//! read from the raw document (never from the IR).
//!
//! For every operation it plans one call per declared status (at least two): even
//! calls set every optional parameter and the optional body, odd calls only the
//! required ones, so the client's team scoping (`teamId`/`slug` from the client when
//! the call sets none) is exercised too. Each call's expected method, path, query,
//! headers and body are derived from the synthesized arguments, and the server
//! answers with a synthesized body for that status.

use serde::Serialize;
use serde_json::{Map, Value};

use super::synth::{schema_type, Mode, Synth};
use super::validate::{escape, Validation};

/// The bearer token the harness's client sends.
pub const TOKEN: &str = "verify-token";
/// The team ID the harness's client is scoped to.
pub const TEAM_ID: &str = "team_verify";
/// The team slug the harness's client is scoped to.
pub const TEAM_SLUG: &str = "verify-slug";

/// Methods an operation can sit under in a path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Request headers the HTTP client derives from the request itself: the caller does
/// not set them, so they are not checked.
const MANAGED_HEADERS: &[&str] = &["content-length", "content-type", "host", "transfer-encoding"];

/// The media type of newline-delimited JSON streams.
const STREAM_MEDIA_TYPE: &str = "application/stream+json";

/// Bytes sent as a raw (`application/octet-stream`) body or answered as one.
pub const RAW_BYTES: &str = "verify bytes ✓";

/// One planned call: what the harness passes and what the server answers.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    /// Argument values by `location:name` (`path:idOrName`, `query:limit`).
    pub args: Map<String, Value>,
    /// The request body, when one is sent (JSON, or the text of raw bytes).
    pub body: Option<Value>,
    /// The server's answer.
    pub answer: Answer,
    /// What the request and the result must be.
    #[serde(skip)]
    pub expect: Expected,
}

/// What the server answers.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `content-type`, when there is a body.
    pub content_type: Option<String>,
    /// The body text.
    pub body: String,
}

/// What a call must send and return.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// The method, uppercase.
    pub method: String,
    /// The path segments after percent-decoding.
    pub segments: Vec<String>,
    /// Query pairs (decoded), in any order.
    pub query: Vec<(String, String)>,
    /// Headers that must be present (lowercase names).
    pub headers: Vec<(String, String)>,
    /// The body sent, if any.
    pub body: Option<Body>,
    /// The status answered.
    pub status: u16,
    /// The value a success must decode to (`Null` for no body).
    pub success: Option<Value>,
    /// The body a declared error must carry, decoded, when its response has a JSON schema.
    pub error_body: Option<Value>,
    /// The status is one the operation does not declare: the error must not decode as a
    /// declared one.
    pub undeclared: bool,
}

/// A request or response body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// JSON.
    Json(Value),
    /// Raw bytes.
    Bytes(Vec<u8>),
}

/// The plan of one operation.
#[derive(Debug, Clone, Serialize)]
pub struct OperationPlan {
    /// The pointer of the operation.
    pub pointer: String,
    /// The calls.
    pub calls: Vec<Call>,
    /// Synthesized values the validator rejected (the pointer and why).
    #[serde(skip)]
    pub invalid: Vec<String>,
}

/// A parameter as the document declares it.
#[derive(Debug, Clone)]
pub struct RawParam {
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// The wire name.
    pub name: String,
    /// Required (always for path parameters).
    pub required: bool,
    /// Its schema (a string schema when it has none).
    pub schema: Value,
    /// The pointer of its schema.
    pub pointer: String,
}

/// The operations of the document with one of `tags` (all when empty), as pointers.
pub fn operation_pointers(doc: &Value, tags: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            let Some(op) = item.get(*method) else { continue };
            let op_tags: Vec<&str> = op.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            if tags.is_empty() || op_tags.iter().any(|t| tags.iter().any(|w| w == t)) {
                found.push(format!("/paths/{}/{method}", escape(path)));
            }
        }
    }
    found
}

/// Follows a `$ref` (of a parameter, request body or response) to what it names.
fn follow<'d>(doc: &'d Value, value: &'d Value) -> &'d Value {
    let mut current = value;
    for _ in 0..8 {
        match current.get("$ref").and_then(Value::as_str).and_then(|r| super::synth::resolve_in(doc, r)) {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

/// The parameters of the operation at `pointer`: the path item's, overridden by the
/// operation's own; path template names without a declaration are string parameters.
pub fn parameters(doc: &Value, pointer: &str, path: &str) -> Vec<RawParam> {
    let item_pointer = pointer.rsplit_once('/').map_or("", |(item, _)| item);
    let mut params: Vec<RawParam> = Vec::new();
    for owner in [item_pointer, pointer] {
        let list = doc.pointer(&format!("{owner}/parameters")).and_then(Value::as_array);
        for (index, raw) in list.into_iter().flatten().enumerate() {
            let param = follow(doc, raw);
            let (Some(name), Some(location)) = (
                param.get("name").and_then(Value::as_str),
                param.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let (schema, schema_pointer) = match param.get("schema") {
                Some(schema) => (schema.clone(), format!("{owner}/parameters/{index}/schema")),
                None => (serde_json::json!({"type": "string"}), format!("{owner}/parameters/{index}")),
            };
            params.retain(|p| !(p.name == name && p.location == location));
            params.push(RawParam {
                location: location.to_owned(),
                name: name.to_owned(),
                required: location == "path" || param.get("required") == Some(&Value::Bool(true)),
                schema,
                pointer: schema_pointer,
            });
        }
    }
    for name in template_names(path) {
        if !params.iter().any(|p| p.location == "path" && p.name == name) {
            params.push(RawParam {
                location: "path".to_owned(),
                name,
                required: true,
                schema: serde_json::json!({"type": "string"}),
                pointer: format!("{pointer} (undeclared path parameter)"),
            });
        }
    }
    params
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> Vec<String> {
    path.split('{').skip(1).filter_map(|part| part.split_once('}')).map(|(name, _)| name.to_owned()).collect()
}

/// The media type and its object a body or response is read as: JSON when offered
/// (not the stream form), else the first.
pub fn pick_media(content: &Value) -> Option<(&str, &Value)> {
    let entries: Vec<(&String, &Value)> = content.as_object()?.iter().filter(|(m, _)| *m != STREAM_MEDIA_TYPE).collect();
    let is_json = |m: &str| m == "application/json" || m.ends_with("+json");
    entries
        .iter()
        .find(|(m, _)| is_json(m))
        .or_else(|| entries.first())
        .map(|(m, v)| (m.as_str(), *v))
}

/// Is this media object raw bytes (non-JSON, or a `format: binary` string)?
fn is_raw(synth: &Synth<'_>, media_type: &str, media: &Value) -> bool {
    let is_json = media_type == "application/json" || media_type.ends_with("+json");
    let binary = media.get("schema").is_some_and(|s| {
        let view = synth.view(s);
        schema_type(&view) == Some("string") && view.get("format").and_then(Value::as_str) == Some("binary")
    });
    !is_json || binary
}

/// The pointer of the JSON schema of each declared response with one, by status.
pub fn response_schemas(synth: &Synth<'_>, pointer: &str) -> Vec<(u16, String)> {
    let doc = synth.doc();
    let mut found = Vec::new();
    for (status, response) in doc.pointer(&format!("{pointer}/responses")).and_then(Value::as_object).into_iter().flatten() {
        let Ok(code) = status.parse::<u16>() else { continue };
        let response = follow(doc, response);
        let Some((media_type, media)) = response.get("content").and_then(pick_media) else { continue };
        if media.get("schema").is_none() || is_raw(synth, media_type, media) {
            continue;
        }
        let base = response_base(doc, pointer, status);
        found.push((code, format!("{base}/content/{}/schema", escape(media_type))));
    }
    found
}

/// The pointer of a response object (following a `$ref` to a component response).
fn response_base(doc: &Value, pointer: &str, status: &str) -> String {
    let own = format!("{pointer}/responses/{status}");
    match doc.pointer(&own).and_then(|r| r.get("$ref")).and_then(Value::as_str) {
        Some(reference) => reference.trim_start_matches('#').to_owned(),
        None => own,
    }
}

/// The pointer of the JSON request body schema, if the operation has one.
pub fn request_schema(synth: &Synth<'_>, pointer: &str) -> Option<String> {
    let doc = synth.doc();
    let body_pointer = format!("{pointer}/requestBody");
    let body = doc.pointer(&body_pointer)?;
    let base = match body.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.trim_start_matches('#').to_owned(),
        None => body_pointer,
    };
    let body = follow(doc, body);
    let (media_type, media) = pick_media(body.get("content")?)?;
    media.get("schema")?;
    (!is_raw(synth, media_type, media)).then(|| format!("{base}/content/{}/schema", escape(media_type)))
}

/// Plans the calls of the operation at `pointer`.
pub fn plan_operation(synth: &Synth<'_>, validation: &Validation, pointer: &str) -> OperationPlan {
    let doc = synth.doc();
    let mut invalid = Vec::new();
    let Some(op) = doc.pointer(pointer) else {
        return OperationPlan {
            pointer: pointer.to_owned(),
            calls: Vec::new(),
            invalid: vec![format!("{pointer}: no operation there")],
        };
    };
    let (path, method) = split_operation_pointer(pointer);
    let params = parameters(doc, pointer, &path);
    let statuses: Vec<(String, Value)> = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.parse::<u16>().is_ok())
        .map(|(status, response)| (status.clone(), follow(doc, response).clone()))
        .collect();
    let mut statuses = statuses;
    if statuses.is_empty() {
        // Nothing declared: the server answers a plain 200.
        statuses.push(("200".to_owned(), serde_json::json!({ "description": "" })));
    }
    let count = statuses.len().max(2);
    let mut calls = Vec::new();
    for index in 0..count {
        let full = index % 2 == 0;
        let mut args = Map::new();
        let mut expect = Expected {
            method: method.to_uppercase(),
            ..Expected::default()
        };
        let mut values: Vec<(&RawParam, Value)> = Vec::new();
        for param in &params {
            if param.location == "cookie" || !(param.required || full) {
                continue;
            }
            let managed = param.location == "header" && MANAGED_HEADERS.contains(&param.name.to_ascii_lowercase().as_str());
            if managed {
                continue;
            }
            let mode = Mode { ascii: param.location == "header", ..Mode::default() };
            let mut value = synth.instance(&param.schema, index, mode);
            if value.is_null() {
                // A nullable parameter: null sends nothing; send a value instead.
                value = synth.instance(&param.schema, 0, mode);
            }
            check_instance(validation, &param.schema, &value, &param.pointer, &mut invalid);
            args.insert(format!("{}:{}", param.location, param.name), value.clone());
            values.push((param, value));
        }
        expect.segments = expected_segments(&path, &values);
        expect.query = expected_query(&params, &values);
        expect.headers = expected_headers(&values);
        let body = plan_body(synth, validation, op, pointer, full, index, &mut expect, &mut invalid);
        let (status, response) = &statuses[index % statuses.len().max(1)];
        let answer = plan_answer(synth, validation, pointer, &method, status, response, index, &mut expect, &mut invalid);
        calls.push(Call { args, body, answer, expect });
    }
    if !statuses.iter().any(|(status, _)| status == UNDECLARED_STATUS) {
        if let Some(last) = calls.last() {
            calls.push(undeclared(last));
        }
    }
    OperationPlan {
        pointer: pointer.to_owned(),
        calls,
        invalid,
    }
}

/// A status no operation declares: the client must fail with it as it is.
const UNDECLARED_STATUS: &str = "418";

/// `call` again, answered with a status the operation does not declare and no body;
/// the client must return an error carrying that status.
fn undeclared(call: &Call) -> Call {
    let mut again = call.clone();
    again.answer = Answer {
        status: 418,
        content_type: None,
        body: String::new(),
    };
    again.expect.status = 418;
    again.expect.success = None;
    again.expect.error_body = None;
    again.expect.undeclared = true;
    again
}

/// The path template and the method of an operation pointer.
fn split_operation_pointer(pointer: &str) -> (String, String) {
    let rest = pointer.strip_prefix("/paths/").unwrap_or(pointer);
    let (path, method) = rest.rsplit_once('/').unwrap_or((rest, "get"));
    (path.replace("~1", "/").replace("~0", "~"), method.to_owned())
}

fn check_instance(validation: &Validation, schema: &Value, value: &Value, pointer: &str, invalid: &mut Vec<String>) {
    let result = validation.checker_for(pointer, schema).and_then(|checker| checker.check(value));
    if let Err(error) = result {
        let mut shown = value.to_string();
        if let Some((cut, _)) = shown.char_indices().nth(160) {
            shown.truncate(cut);
            shown.push('…');
        }
        invalid.push(format!("{pointer}: the validator rejects a synthesized value {error}; value: {shown}"));
    }
}

/// Plans the request body of a call and what the server must receive.
#[allow(clippy::too_many_arguments)]
fn plan_body(
    synth: &Synth<'_>,
    validation: &Validation,
    op: &Value,
    pointer: &str,
    full: bool,
    index: usize,
    expect: &mut Expected,
    invalid: &mut Vec<String>,
) -> Option<Value> {
    let raw = op.get("requestBody")?;
    let body = follow(synth.doc(), raw);
    // As the client has it: a body whose schema requires properties is required.
    let required = body.get("required") == Some(&Value::Bool(true))
        || crate::load::schema_requires_properties(synth.doc(), body.get("content"));
    if !(required || full) {
        return None;
    }
    let (media_type, media) = pick_media(body.get("content")?)?;
    if is_raw(synth, media_type, media) {
        expect.body = Some(Body::Bytes(RAW_BYTES.as_bytes().to_vec()));
        expect.headers.push(("content-type".to_owned(), media_type.to_owned()));
        return Some(Value::String(RAW_BYTES.to_owned()));
    }
    let schema = media.get("schema").cloned().unwrap_or_else(|| serde_json::json!({}));
    let mut value = synth.instance(&schema, index, Mode::default());
    if value.is_null() {
        // A nullable body: `None` sends no body, so send a value.
        value = synth.instance(&schema, 0, Mode::default());
    }
    let at = request_schema(synth, pointer).unwrap_or_else(|| format!("{pointer}/requestBody"));
    check_instance(validation, &schema, &value, &at, invalid);
    expect.body = Some(Body::Json(value.clone()));
    expect.headers.push(("content-type".to_owned(), "application/json".to_owned()));
    Some(value)
}

/// Plans the server's answer for one status, and the result the client must give.
#[allow(clippy::too_many_arguments)]
fn plan_answer(
    synth: &Synth<'_>,
    validation: &Validation,
    pointer: &str,
    method: &str,
    status: &str,
    response: &Value,
    index: usize,
    expect: &mut Expected,
    invalid: &mut Vec<String>,
) -> Answer {
    let code: u16 = status.parse().unwrap_or(200);
    expect.status = code;
    let success = (200..300).contains(&code);
    let content = response.get("content");
    let picked = content.and_then(pick_media);
    let stream = content.and_then(|c| c.get(STREAM_MEDIA_TYPE)).and_then(|m| m.get("schema"));
    let mut answer = Answer {
        status: code,
        content_type: None,
        body: String::new(),
    };
    expect.success = success.then_some(Value::Null);
    if method == "head" {
        return answer;
    }
    match (picked, stream) {
        (Some((media_type, media)), _) if is_raw(synth, media_type, media) => {
            answer.content_type = Some(media_type.to_owned());
            answer.body = RAW_BYTES.to_owned();
            expect.success = success.then(|| super::compare::bytes_value(RAW_BYTES.as_bytes()));
        }
        (Some((media_type, media)), _) => {
            let schema = media.get("schema").cloned().unwrap_or_else(|| serde_json::json!({}));
            let value = synth.instance(&schema, index, Mode::default());
            let at = format!("{}/content/{}/schema", response_base(synth.doc(), pointer, status), escape(media_type));
            check_instance(validation, &schema, &value, &at, invalid);
            answer.content_type = Some("application/json".to_owned());
            answer.body = value.to_string();
            if !success {
                expect.error_body = Some(value.clone());
            }
            expect.success = success.then_some(value);
        }
        (None, Some(item)) => {
            let items: Vec<Value> = (0..2).map(|k| synth.instance(item, index + k, Mode::default())).collect();
            for item_value in &items {
                check_instance(validation, item, item_value, &format!("{pointer} (stream item)"), invalid);
            }
            answer.content_type = Some(STREAM_MEDIA_TYPE.to_owned());
            answer.body = items.iter().map(|v| format!("{v}\n")).collect();
            expect.success = success.then_some(Value::Array(items));
        }
        (None, None) => {}
    }
    answer
}

/// The text a parameter value is sent as (strings as they are, other values as JSON).
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The decoded path segments the server must see.
fn expected_segments(path: &str, values: &[(&RawParam, Value)]) -> Vec<String> {
    path.split('/')
        .map(|segment| {
            let mut text = segment.to_owned();
            for (param, value) in values.iter().filter(|(p, _)| p.location == "path") {
                text = text.replace(&format!("{{{}}}", param.name), &text_of(value));
            }
            text
        })
        .collect()
}

/// The query pairs the server must see: arrays repeat the key, `null` sends nothing,
/// and the client's team is sent for an optional string `teamId`/`slug` left unset.
fn expected_query(params: &[RawParam], values: &[(&RawParam, Value)]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (param, value) in values.iter().filter(|(p, _)| p.location == "query") {
        match value {
            Value::Null => {}
            Value::Array(items) => pairs.extend(items.iter().map(|item| (param.name.clone(), text_of(item)))),
            other => pairs.push((param.name.clone(), text_of(other))),
        }
    }
    for (name, team) in [("teamId", TEAM_ID), ("slug", TEAM_SLUG)] {
        let unset = !values.iter().any(|(p, _)| p.location == "query" && p.name == name);
        let scoped = params.iter().any(|p| {
            p.location == "query" && p.name == name && !p.required && is_plain_string(&p.schema)
        });
        if unset && scoped {
            pairs.push((name.to_owned(), team.to_owned()));
        }
    }
    pairs
}

/// A string schema without an enum.
fn is_plain_string(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string") && schema.get("enum").is_none()
}

/// The header pairs the server must see.
fn expected_headers(values: &[(&RawParam, Value)]) -> Vec<(String, String)> {
    let mut headers = vec![("authorization".to_owned(), format!("Bearer {TOKEN}"))];
    for (param, value) in values.iter().filter(|(p, _)| p.location == "header") {
        match value {
            Value::Null => {}
            Value::Array(items) => headers.extend(items.iter().map(|i| (param.name.to_ascii_lowercase(), text_of(i)))),
            other => headers.push((param.name.to_ascii_lowercase(), text_of(other))),
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"paths": {"/v1/things/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {
                "tags": ["things"],
                "parameters": [
                    {"name": "teamId", "in": "query", "schema": {"type": "string"}},
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}},
                    {"name": "x-flag", "in": "header", "required": true, "schema": {"type": "boolean"}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "required": ["n"], "properties": {"n": {"type": "number"}}}}}},
                    "404": {"description": "missing"},
                    "409": {"description": "conflict"}
                }
            }
        }}})
    }

    #[test]
    fn calls_cover_statuses_scoping_and_encoding() {
        let doc = doc();
        let synth = Synth::new(&doc);
        let validation = Validation::new(&doc);
        let pointers = operation_pointers(&doc, &["things".to_owned()]);
        assert_eq!(pointers, vec!["/paths/~1v1~1things~1{id}/get".to_owned()]);
        let plan = plan_operation(&synth, &validation, &pointers[0]);
        assert!(plan.invalid.is_empty(), "{:?}", plan.invalid);
        let statuses: Vec<u16> = plan.calls.iter().map(|c| c.answer.status).collect();
        assert_eq!(statuses, vec![200, 404, 409, 418]);
        let full = &plan.calls[0].expect;
        assert_eq!(full.method, "GET");
        assert_eq!(full.segments[3], super::super::synth::RESERVED_TEXT);
        assert!(full.query.iter().any(|(k, v)| k == "tags" && v == "a"));
        assert!(full.headers.contains(&("x-flag".to_owned(), "true".to_owned())));
        assert!(full.success.as_ref().is_some_and(|v| v["n"].is_number()));
        let minimal = &plan.calls[1].expect;
        assert_eq!(minimal.query, vec![("teamId".to_owned(), TEAM_ID.to_owned())]);
        assert_eq!(minimal.success, None);
    }

    #[test]
    fn undeclared_path_parameters_are_strings() {
        let doc = json!({"paths": {"/v3/teams/{teamId}/members": {"get": {"responses": {}}}}});
        let params = parameters(&doc, "/paths/~1v3~1teams~1{teamId}~1members/get", "/v3/teams/{teamId}/members");
        assert_eq!(params.len(), 1);
        assert_eq!(params[0].name, "teamId");
    }
}
