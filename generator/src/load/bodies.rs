//! Repair of request bodies marked optional whose schema requires properties: an
//! absent body cannot satisfy such a schema, so the body is made required (and the
//! generated call takes it as an argument).

use serde_json::Value;

use super::operations::operations;
use super::{child_pointer, resolve, Warning};

/// The longest `$ref` chain followed to reach a body's schema.
const MAX_LINKS: usize = 64;

/// Makes required every inline request body that is optional although a JSON schema of
/// its content requires properties, with a warning naming the operation.
pub(super) fn require_bodies_with_required_properties(raw: &mut Value, warnings: &mut Vec<Warning>) {
    let planned = plan(raw);
    for (path, method, pointer, message) in planned {
        let body = raw
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(&path))
            .and_then(|item| item.get_mut(method))
            .and_then(|operation| operation.get_mut("requestBody"))
            .and_then(Value::as_object_mut);
        if let Some(body) = body {
            body.insert("required".to_owned(), Value::Bool(true));
            warnings.push(Warning { pointer, message });
        }
    }
}

/// The bodies to make required: path, method, the body's pointer and the warning.
fn plan(raw: &Value) -> Vec<(String, String, String, String)> {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut planned = Vec::new();
    for (path, method, _, operation) in operations(paths) {
        let Some(body) = operation.get("requestBody").and_then(Value::as_object) else { continue };
        // A body that is a `$ref` may be shared: it is left as the document says.
        if body.contains_key("$ref") || body.get("required").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let Some(required) = required_properties(raw, body.get("content")) else { continue };
        let name = operation.get("operationId").and_then(Value::as_str).unwrap_or(method);
        let pointer = child_pointer(&child_pointer(&child_pointer("/paths", path), method), "requestBody");
        let message = format!(
            "the request body of `{name}` is optional, but its schema requires `{}`: made the body required",
            required.join(", ")
        );
        planned.push((path.to_owned(), method.to_owned(), pointer, message));
    }
    planned
}

/// Does the first JSON media type of a body's `content` have a schema that requires
/// properties (so that the body cannot be left out)?
pub fn schema_requires_properties(raw: &Value, content: Option<&Value>) -> bool {
    required_properties(raw, content).is_some()
}

/// The properties the first JSON media type's schema requires, when it requires any.
fn required_properties<'v>(raw: &'v Value, content: Option<&'v Value>) -> Option<Vec<&'v str>> {
    let (_, media) = content?.as_object()?.iter().find(|(media_type, _)| is_json(media_type))?;
    let mut schema = media.get("schema")?;
    for _ in 0..MAX_LINKS {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => schema = resolve(raw, reference)?,
            None => break,
        }
    }
    let required: Vec<&str> = schema.get("required")?.as_array()?.iter().filter_map(Value::as_str).collect();
    (!required.is_empty()).then_some(required)
}

/// `application/json`, or any `+json` media type.
fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::super::load_str;

    #[test]
    fn an_optional_body_whose_schema_requires_properties_is_made_required() {
        let json = r##"{
          "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
          "paths": {"/a": {
            "put": {"operationId": "putA", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
                    "responses": {"204": {"description": "ok"}}},
            "post": {"operationId": "postA", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}},
                     "responses": {"204": {"description": "ok"}}}}},
          "components": {"schemas": {"A": {"type": "object", "required": ["name", "id"], "properties": {"name": {"type": "string"}, "id": {"type": "string"}}}}}
        }"##;
        let spec = load_str("bodies.json", json).unwrap();
        let repaired: Vec<(&str, &str)> = spec.warnings.iter().map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
        assert_eq!(
            repaired,
            [(
                "/paths/~1a/put/requestBody",
                "the request body of `putA` is optional, but its schema requires `name, id`: made the body required"
            )]
        );
        let body = |method: &str| spec.raw["paths"]["/a"][method]["requestBody"]["required"].clone();
        assert_eq!(body("put"), serde_json::Value::Bool(true));
        // A body whose schema requires nothing stays optional.
        assert_eq!(body("post"), serde_json::Value::Null);
    }
}
