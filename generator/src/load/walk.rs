//! The structure of an OpenAPI 3.0 document, as a table of which keys of which object
//! hold which kind of object, and walks over it.
//!
//! Only the objects of the OpenAPI structure are visited: a `properties` map is
//! entered as property names to schemas; `example`, `examples` values, `default`,
//! `enum` and `x-` extensions are never entered.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::push_key;

/// What an object in the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Document,
    Info,
    Server,
    Tag,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Header,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Schema,
    Components,
}

impl Kind {
    /// The kind's name in messages.
    pub(super) fn noun(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Info => "info",
            Kind::Server => "server",
            Kind::Tag => "tag",
            Kind::Paths => "paths",
            Kind::PathItem => "path item",
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::RequestBody => "request body",
            Kind::MediaType => "media type",
            Kind::Encoding => "encoding",
            Kind::Responses => "responses",
            Kind::Response => "response",
            Kind::Header => "header",
            Kind::Example => "example",
            Kind::Link => "link",
            Kind::Callback => "callback",
            Kind::SecurityScheme => "security scheme",
            Kind::Schema => "schema",
            Kind::Components => "components",
        }
    }
}

/// How a key holds its objects.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// One object.
    One,
    /// A list of objects.
    List,
    /// A map of names to objects.
    Map,
}

/// The HTTP methods of a Path Item Object.
pub(super) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const SCHEMA: &[(&str, Shape, Kind)] = &[
    ("properties", Shape::Map, Kind::Schema),
    ("items", Shape::One, Kind::Schema),
    ("additionalProperties", Shape::One, Kind::Schema),
    ("not", Shape::One, Kind::Schema),
    ("allOf", Shape::List, Kind::Schema),
    ("oneOf", Shape::List, Kind::Schema),
    ("anyOf", Shape::List, Kind::Schema),
];
const PARAMETER: &[(&str, Shape, Kind)] = &[
    ("schema", Shape::One, Kind::Schema),
    ("content", Shape::Map, Kind::MediaType),
    ("examples", Shape::Map, Kind::Example),
];
const PATH_ITEM: &[(&str, Shape, Kind)] = &[
    ("parameters", Shape::List, Kind::Parameter),
    ("servers", Shape::List, Kind::Server),
    ("get", Shape::One, Kind::Operation),
    ("put", Shape::One, Kind::Operation),
    ("post", Shape::One, Kind::Operation),
    ("delete", Shape::One, Kind::Operation),
    ("options", Shape::One, Kind::Operation),
    ("head", Shape::One, Kind::Operation),
    ("patch", Shape::One, Kind::Operation),
    ("trace", Shape::One, Kind::Operation),
];

/// The keys of an object of `kind` that hold other objects of the structure.
fn children(kind: Kind) -> &'static [(&'static str, Shape, Kind)] {
    match kind {
        Kind::Document => &[
            ("info", Shape::One, Kind::Info),
            ("servers", Shape::List, Kind::Server),
            ("tags", Shape::List, Kind::Tag),
            ("paths", Shape::One, Kind::Paths),
            ("components", Shape::One, Kind::Components),
        ],
        Kind::PathItem => PATH_ITEM,
        Kind::Operation => &[
            ("parameters", Shape::List, Kind::Parameter),
            ("requestBody", Shape::One, Kind::RequestBody),
            ("responses", Shape::One, Kind::Responses),
            ("callbacks", Shape::Map, Kind::Callback),
            ("servers", Shape::List, Kind::Server),
        ],
        Kind::Parameter | Kind::Header => PARAMETER,
        Kind::RequestBody => &[("content", Shape::Map, Kind::MediaType)],
        Kind::MediaType => &[
            ("schema", Shape::One, Kind::Schema),
            ("examples", Shape::Map, Kind::Example),
            ("encoding", Shape::Map, Kind::Encoding),
        ],
        Kind::Encoding => &[("headers", Shape::Map, Kind::Header)],
        Kind::Response => &[
            ("headers", Shape::Map, Kind::Header),
            ("content", Shape::Map, Kind::MediaType),
            ("links", Shape::Map, Kind::Link),
        ],
        Kind::Schema => SCHEMA,
        Kind::Components => &[
            ("schemas", Shape::Map, Kind::Schema),
            ("responses", Shape::Map, Kind::Response),
            ("parameters", Shape::Map, Kind::Parameter),
            ("examples", Shape::Map, Kind::Example),
            ("requestBodies", Shape::Map, Kind::RequestBody),
            ("headers", Shape::Map, Kind::Header),
            ("securitySchemes", Shape::Map, Kind::SecurityScheme),
            ("links", Shape::Map, Kind::Link),
            ("callbacks", Shape::Map, Kind::Callback),
        ],
        Kind::Paths
        | Kind::Responses
        | Kind::Callback
        | Kind::Info
        | Kind::Server
        | Kind::Tag
        | Kind::Example
        | Kind::Link
        | Kind::SecurityScheme => &[],
    }
}

/// The kind of the object's own entries, for objects that are maps themselves (their
/// `x-` keys are extensions, not entries).
fn entries(kind: Kind) -> Option<Kind> {
    match kind {
        Kind::Paths | Kind::Callback => Some(Kind::PathItem),
        Kind::Responses => Some(Kind::Response),
        _ => None,
    }
}

/// Whether an object of `kind` may be a Reference Object (`{"$ref": ...}`).
pub(super) fn allows_ref(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::Document
            | Kind::Info
            | Kind::Server
            | Kind::Tag
            | Kind::Paths
            | Kind::Operation
            | Kind::MediaType
            | Kind::Encoding
            | Kind::Responses
            | Kind::Components
    )
}

/// Calls `visit` on every object of the structure below `value` (which is of `kind`),
/// parents before children, with its pointer. The visitor may change the object; the
/// walk then goes on into the changed object. References are not entered.
pub(super) fn walk_mut(
    value: &mut Value,
    kind: Kind,
    pointer: &mut String,
    visit: &mut impl FnMut(Kind, &str, &mut Map<String, Value>),
) {
    let Some(object) = value.as_object_mut() else { return };
    visit(kind, pointer, object);
    if allows_ref(kind) && object.contains_key("$ref") {
        return;
    }
    for &(key, shape, child) in children(kind) {
        if let Some(nested) = object.get_mut(key) {
            let length = pointer.len();
            push_key(pointer, key);
            match (shape, nested) {
                (Shape::One, nested) => walk_mut(nested, child, pointer, visit),
                (Shape::List, Value::Array(items)) => {
                    for (index, item) in items.iter_mut().enumerate() {
                        let length = pointer.len();
                        push_key(pointer, &index.to_string());
                        walk_mut(item, child, pointer, visit);
                        pointer.truncate(length);
                    }
                }
                (Shape::Map, Value::Object(map)) => {
                    for (name, item) in map.iter_mut() {
                        let length = pointer.len();
                        push_key(pointer, name);
                        walk_mut(item, child, pointer, visit);
                        pointer.truncate(length);
                    }
                }
                _ => {}
            }
            pointer.truncate(length);
        }
    }
    if let Some(child) = entries(kind) {
        for (name, item) in object.iter_mut().filter(|(name, _)| !name.starts_with("x-")) {
            let length = pointer.len();
            push_key(pointer, name);
            walk_mut(item, child, pointer, visit);
            pointer.truncate(length);
        }
    }
}

/// Calls `visit` on every object of the structure below `value` (which is of `kind`),
/// parents before children, with its pointer. References are not entered.
pub(super) fn walk<'v>(
    value: &'v Value,
    kind: Kind,
    pointer: &mut String,
    visit: &mut impl FnMut(Kind, &str, &'v Map<String, Value>),
) {
    let Some(object) = value.as_object() else { return };
    visit(kind, pointer, object);
    if allows_ref(kind) && object.contains_key("$ref") {
        return;
    }
    for &(key, shape, child) in children(kind) {
        let length = pointer.len();
        push_key(pointer, key);
        match (shape, object.get(key)) {
            (Shape::One, Some(nested)) => walk(nested, child, pointer, visit),
            (Shape::List, Some(Value::Array(items))) => {
                for (index, item) in items.iter().enumerate() {
                    let length = pointer.len();
                    push_key(pointer, &index.to_string());
                    walk(item, child, pointer, visit);
                    pointer.truncate(length);
                }
            }
            (Shape::Map, Some(Value::Object(map))) => {
                for (name, item) in map {
                    let length = pointer.len();
                    push_key(pointer, name);
                    walk(item, child, pointer, visit);
                    pointer.truncate(length);
                }
            }
            _ => {}
        }
        pointer.truncate(length);
    }
    if let Some(child) = entries(kind) {
        for (name, item) in object.iter().filter(|(name, _)| !name.starts_with("x-")) {
            let length = pointer.len();
            push_key(pointer, name);
            walk(item, child, pointer, visit);
            pointer.truncate(length);
        }
    }
}

/// The objects of the structure directly below `value` (of `kind`), with their keys
/// (one key, or a key and a name or index) and kinds.
fn child_objects(value: &Value, kind: Kind) -> Vec<(Vec<String>, Kind, &Value)> {
    let mut found = Vec::new();
    let Some(object) = value.as_object() else { return found };
    for &(key, shape, child) in children(kind) {
        match (shape, object.get(key)) {
            (Shape::One, Some(nested)) => found.push((vec![key.to_owned()], child, nested)),
            (Shape::List, Some(Value::Array(items))) => found.extend(
                items.iter().enumerate().map(|(index, item)| (vec![key.to_owned(), index.to_string()], child, item)),
            ),
            (Shape::Map, Some(Value::Object(map))) => {
                found.extend(map.iter().map(|(name, item)| (vec![key.to_owned(), name.clone()], child, item)))
            }
            _ => {}
        }
    }
    if let Some(child) = entries(kind) {
        found.extend(
            object
                .iter()
                .filter(|(name, _)| !name.starts_with("x-"))
                .map(|(name, item)| (vec![name.clone()], child, item)),
        );
    }
    // Anything but an object is wrong for these children (`paths: []`, `parameters: [7]`),
    // except a boolean `additionalProperties`.
    found.retain(|(keys, _, item)| {
        item.is_object() || !(kind == Kind::Schema && keys.first().is_some_and(|k| k == "additionalProperties"))
    });
    found
}

/// Where openapiv3 fails to read the document: the pointer of the innermost object
/// that does not deserialize as its kind, and openapiv3's message for it. `None` when
/// the whole document deserializes.
pub(super) fn locate_structure_error(raw: &Value) -> Option<(String, String)> {
    locate(raw, Kind::Document, &mut String::new())
}

fn locate(value: &Value, kind: Kind, pointer: &mut String) -> Option<(String, String)> {
    let error = deserialize_as(kind, value).err()?;
    for (keys, child, item) in child_objects(value, kind) {
        let length = pointer.len();
        for key in &keys {
            push_key(pointer, key);
        }
        let found = locate(item, child, pointer);
        pointer.truncate(length);
        if found.is_some() {
            return found;
        }
    }
    Some((pointer.clone(), error))
}

/// Reads `value` as the openapiv3 type of `kind` (a reference where one is allowed).
fn deserialize_as(kind: Kind, value: &Value) -> Result<(), String> {
    use openapiv3::ReferenceOr as R;
    fn read<'v, T: Deserialize<'v>>(value: &'v Value) -> Result<(), String> {
        T::deserialize(value).map(drop).map_err(|error| error.to_string())
    }
    match kind {
        Kind::Document => read::<openapiv3::OpenAPI>(value),
        Kind::Info => read::<openapiv3::Info>(value),
        Kind::Server => read::<openapiv3::Server>(value),
        Kind::Tag => read::<openapiv3::Tag>(value),
        Kind::Paths => read::<openapiv3::Paths>(value),
        Kind::PathItem => read::<R<openapiv3::PathItem>>(value),
        Kind::Operation => read::<openapiv3::Operation>(value),
        Kind::Parameter => read::<R<openapiv3::Parameter>>(value),
        Kind::RequestBody => read::<R<openapiv3::RequestBody>>(value),
        Kind::MediaType => read::<openapiv3::MediaType>(value),
        Kind::Encoding => read::<openapiv3::Encoding>(value),
        Kind::Responses => read::<openapiv3::Responses>(value),
        Kind::Response => read::<R<openapiv3::Response>>(value),
        Kind::Header => read::<R<openapiv3::Header>>(value),
        Kind::Example => read::<R<openapiv3::Example>>(value),
        Kind::Link => read::<R<openapiv3::Link>>(value),
        Kind::Callback => read::<R<openapiv3::Callback>>(value),
        Kind::SecurityScheme => read::<R<openapiv3::SecurityScheme>>(value),
        Kind::Schema => read::<R<openapiv3::Schema>>(value),
        Kind::Components => read::<openapiv3::Components>(value),
    }
}
