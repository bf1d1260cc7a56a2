//! Spec-level classification and the bump, on small documents changed one way at a time.

use serde_json::{json, Value};

use super::*;
use crate::ir::{self, Filter};
use crate::load::load_str;

/// A document with one GET (query `limit`, a response object with an enum and a
/// component) and one POST (a request body with a required and an optional field).
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/v1/things": {
                "get": {
                    "operationId": "getThings",
                    "tags": ["things"],
                    "parameters": [
                        {"name": "limit", "in": "query", "required": false, "schema": {"type": "number"}}
                    ],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["name", "state", "page"],
                        "properties": {
                            "name": {"type": "string"},
                            "state": {"type": "string", "enum": ["ready", "error"]},
                            "page": {"$ref": "#/components/schemas/Page"}
                        }
                    }}}}}
                },
                "post": {
                    "operationId": "createThing",
                    "tags": ["things"],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string"},
                            "kind": {"type": "string", "enum": ["a", "b"]}
                        }
                    }}}},
                    "responses": {"200": {"description": "ok"}}
                }
            }
        },
        "components": {"schemas": {"Page": {
            "type": "object",
            "required": ["count"],
            "properties": {"count": {"type": "number"}, "next": {"type": "number", "nullable": true}}
        }}}
    })
}

fn api_of(doc: &Value) -> crate::ir::Api {
    let spec = load_str("doc.json", &doc.to_string()).expect("loads");
    ir::build(&spec, &Filter::default()).api
}

/// The changes after `edit`, one line each: `severity | subject | at | what`.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let old = base();
    let mut new = base();
    edit(&mut new);
    spec::compare_apis(&api_of(&old), &api_of(&new))
        .into_iter()
        .map(|c| format!("{:?} | {} | {} | {}", c.severity, c.subject, c.at, c.what))
        .collect()
}

/// Sets `key` of the object at `pointer`.
fn set(doc: &mut Value, pointer: &str, key: &str, value: Value) {
    at(doc, pointer).as_object_mut().expect("an object").insert(key.to_owned(), value);
}

fn at<'v>(doc: &'v mut Value, pointer: &str) -> &'v mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}"))
}

const GET: &str = "/paths/~1v1~1things/get";
const GET_BODY: &str = "/paths/~1v1~1things/get/responses/200/content/application~1json/schema";
const POST_BODY: &str = "/paths/~1v1~1things/post/requestBody/content/application~1json/schema";

#[test]
fn identical_documents_have_no_changes() {
    assert!(changes(|_| {}).is_empty());
}

#[test]
fn reordered_enum_and_required_arrays_are_no_change() {
    let found = changes(|doc| {
        *at(doc, &format!("{GET_BODY}/properties/state/enum")) = json!(["error", "ready"]);
        *at(doc, &format!("{GET_BODY}/required")) = json!(["page", "state", "name"]);
    });
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn an_added_operation_is_compatible_and_a_removed_one_breaks() {
    let found = changes(|doc| {
        let post = at(doc, "/paths/~1v1~1things").as_object_mut().unwrap().remove("post").unwrap();
        at(doc, "/paths").as_object_mut().unwrap().insert("/v1/other".into(), json!({"put": post}));
        *at(doc, "/paths/~1v1~1other/put/operationId") = json!("putOther");
    });
    assert_eq!(
        found,
        [
            "Breaking | operation createThing |  | operation removed (POST /v1/things)",
            "Compatible | operation putOther |  | operation added (PUT /v1/other)",
        ]
    );
}

#[test]
fn an_operation_keeping_its_id_on_a_new_path_version_is_a_move() {
    let found = changes(|doc| {
        let paths = at(doc, "/paths").as_object_mut().unwrap();
        let item = paths.remove("/v1/things").unwrap();
        paths.insert("/v2/things".into(), item);
    });
    assert_eq!(
        found,
        [
            "Breaking | operation createThing |  | operation moved: POST /v1/things -> POST /v2/things",
            "Breaking | operation getThings |  | operation moved: GET /v1/things -> GET /v2/things",
        ]
    );
}

#[test]
fn each_change_has_a_kind_for_tools() {
    let old = base();
    let mut new = base();
    let paths = at(&mut new, "/paths").as_object_mut().unwrap();
    let item = paths.remove("/v1/things").unwrap();
    paths.insert("/v2/things".into(), item);
    let kinds: Vec<ChangeKind> = spec::compare_apis(&api_of(&old), &api_of(&new)).iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::OperationMoved, ChangeKind::OperationMoved]);
}

#[test]
fn new_parameters_break_when_required() {
    let found = changes(|doc| {
        let params = at(doc, &format!("{GET}/parameters")).as_array_mut().unwrap();
        params.push(json!({"name": "since", "in": "query", "schema": {"type": "number"}}));
        params.push(json!({"name": "team", "in": "query", "required": true, "schema": {"type": "string"}}));
    });
    assert_eq!(
        found,
        [
            "Breaking | operation getThings | query parameter team | required parameter added",
            "Compatible | operation getThings | query parameter since | optional parameter added",
        ]
    );
}

#[test]
fn parameter_type_and_requiredness_changes() {
    let found = changes(|doc| {
        *at(doc, &format!("{GET}/parameters/0")) =
            json!({"name": "limit", "in": "query", "required": true, "schema": {"type": "string"}});
    });
    assert_eq!(
        found,
        [
            "Breaking | operation getThings | query parameter limit | parameter became required",
            "Breaking | operation getThings | query parameter limit | request type changed: number -> string",
        ]
    );
}

#[test]
fn request_fields_break_when_required_and_enum_values_when_removed() {
    let found = changes(|doc| {
        let props = at(doc, &format!("{POST_BODY}/properties")).as_object_mut().unwrap();
        props.insert("owner".into(), json!({"type": "string"}));
        props.insert("note".into(), json!({"type": "string"}));
        *at(doc, &format!("{POST_BODY}/properties/kind/enum")) = json!(["a", "c"]);
        *at(doc, &format!("{POST_BODY}/required")) = json!(["name", "owner"]);
    });
    assert_eq!(
        found,
        [
            "Breaking | operation createThing | request body.kind | request enum value `b` removed",
            "Breaking | operation createThing | request body.owner | required request field added",
            "Compatible | operation createThing | request body.kind | request enum value `c` added",
            "Compatible | operation createThing | request body.note | optional request field added",
        ]
    );
}

#[test]
fn response_fields_break_when_removed_made_optional_or_retyped() {
    let found = changes(|doc| {
        let props = at(doc, &format!("{GET_BODY}/properties")).as_object_mut().unwrap();
        props.remove("name");
        props.insert("extra".into(), json!({"type": "boolean"}));
        *at(doc, &format!("{GET_BODY}/required")) = json!(["page"]);
        *at(doc, &format!("{GET_BODY}/properties/state/enum")) = json!(["ready", "error", "queued"]);
        *at(doc, "/components/schemas/Page/properties/count") = json!({"type": "string"});
    });
    assert_eq!(
        found,
        [
            "Breaking | operation getThings | response 200.name | response field removed",
            "Breaking | operation getThings | response 200.state | response field became optional",
            "Breaking | schema Page (response) | count | response type changed: number -> string",
            "Compatible | operation getThings | response 200.extra | response field added",
            "Compatible | operation getThings | response 200.state | response enum value `queued` added",
        ]
    );
}

#[test]
fn nullability_is_judged_by_direction() {
    let found = changes(|doc| {
        set(doc, &format!("{GET_BODY}/properties/name"), "nullable", json!(true));
        *at(doc, &format!("{POST_BODY}/properties/name")) = json!({"type": "string", "nullable": true});
    });
    assert_eq!(
        found,
        [
            "Breaking | operation getThings | response 200.name | may now be null",
            "Compatible | operation createThing | request body.name | now accepts null",
        ]
    );
}

#[test]
fn a_renamed_operation_id_on_the_same_path_is_a_rename() {
    let found = changes(|doc| *at(doc, &format!("{GET}/operationId")) = json!("listThings"));
    assert_eq!(
        found,
        [
            "Breaking | operation listThings |  | method renamed: Client::get_things -> Client::list_things",
            "Breaking | operation listThings |  | operationId changed: getThings -> listThings",
        ]
    );
}

#[test]
fn an_operation_moving_under_a_made_up_id_is_still_a_move() {
    let found = changes(|doc| {
        let paths = at(doc, "/paths").as_object_mut().unwrap();
        let mut item = paths.remove("/v1/things").unwrap();
        item["get"].as_object_mut().unwrap().remove("operationId");
        item["post"].as_object_mut().unwrap().remove("operationId");
        paths.insert("/v2/things".into(), item);
    });
    let before = changes(|doc| {
        at(doc, GET).as_object_mut().unwrap().remove("operationId");
        at(doc, "/paths/~1v1~1things/post").as_object_mut().unwrap().remove("operationId");
    });
    // Against the base, the ids change too: each operation is a move, named by its new id.
    assert!(found.iter().all(|line| line.starts_with("Breaking | operation ")), "{found:#?}");
    assert!(found.iter().any(|line| line.ends_with("operation moved: GET /v1/things -> GET /v2/things")), "{found:#?}");
    assert!(found.iter().any(|line| line.contains("operationId changed: getThings -> ")), "{found:#?}");
    assert!(!found.iter().any(|line| line.contains("removed") || line.contains("added")), "{found:#?}");
    assert_eq!(before.len(), 4, "{before:#?}");
}

#[test]
fn a_component_used_twice_is_reported_once_under_its_name() {
    let found = changes(|doc| {
        let post_200 = "/paths/~1v1~1things/post/responses/200";
        set(doc, post_200, "content", json!({"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}));
    });
    assert_eq!(found, ["Breaking | operation createThing | response 200 | response body added (the result type changes)"]);
    let found = changes(|doc| {
        let post_200 = "/paths/~1v1~1things/post/responses/200";
        set(doc, post_200, "content", json!({"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}));
        at(doc, "/components/schemas/Page/properties").as_object_mut().unwrap().remove("next");
    });
    assert!(found.contains(&"Breaking | schema Page (response) | next | response field removed".to_owned()), "{found:#?}");
    assert_eq!(found.iter().filter(|line| line.contains("next")).count(), 1, "{found:#?}");
}

#[test]
fn union_variants_added_and_removed() {
    let found = changes(|doc| {
        let name = format!("{GET_BODY}/properties/name");
        *at(doc, &name) = json!({"oneOf": [{"type": "string"}, {"type": "boolean"}]});
    });
    assert_eq!(found, ["Breaking | operation getThings | response 200.name | response type changed: string -> union"]);
}

#[test]
fn identical_documents_need_no_more_than_a_patch() {
    let report = report(|_| {});
    assert!(report.is_empty(), "{report:#?}");
    assert_eq!(report.bump, Bump::Patch);
    assert!(!report.fails(FailOn::Any));
}

#[test]
fn an_added_operation_is_minor() {
    let report = report(|doc| {
        let get = at(doc, GET).clone();
        at(doc, "/paths").as_object_mut().unwrap().insert("/v1/things/more".into(), json!({"get": get}));
        *at(doc, "/paths/~1v1~1things~1more/get/operationId") = json!("getMore");
        let more = "/paths/~1v1~1things~1more/get/responses/200/content/application~1json/schema/properties";
        at(doc, more).as_object_mut().unwrap().insert("more".into(), json!({"type": "boolean"}));
    });
    assert_eq!(report.counts.breaking, 0, "{report:#?}");
    assert_eq!(report.counts.compatible, 1);
    assert!(report.api.iter().any(|c| c.kind == ApiChangeKind::Added && c.path == "Client::get_more"));
    assert!(report.api.iter().all(|c| c.kind == ApiChangeKind::Added), "{:#?}", report.api);
    assert_eq!(report.bump, Bump::Minor);
    assert!(!report.fails(FailOn::Breaking));
    assert!(report.fails(FailOn::Compatible));
}

/// A shape is one type, named after the first operation (in path order) that uses it
/// when the operations' names share no noun: a new operation that sorts first and returns
/// the same shape renames it and its children, a breaking change of the Rust API.
#[test]
fn an_added_operation_returning_a_known_shape_may_rename_it() {
    let report = report(|doc| {
        let get = at(doc, GET).clone();
        at(doc, "/paths").as_object_mut().unwrap().insert("/v1/more".into(), json!({"get": get}));
        *at(doc, "/paths/~1v1~1more/get/operationId") = json!("getMore");
    });
    assert_eq!(report.counts.breaking, 0, "{report:#?}");
    let removed: Vec<&str> =
        report.api.iter().filter(|c| c.kind == ApiChangeKind::Removed).map(|c| c.path.as_str()).collect();
    assert!(removed.contains(&"things::GetThingsResponse"), "{removed:?}");
    assert_eq!(report.bump, Bump::Major);
}

fn prepared_pair(edit: impl FnOnce(&mut Value)) -> (Prepared, Prepared) {
    let old = base();
    let mut new = base();
    edit(&mut new);
    let prepare_doc = |label: &str, doc: &Value| {
        prepare(label, load_str(label, &doc.to_string()).unwrap(), &Filter::default()).unwrap()
    };
    (prepare_doc("old.json", &old), prepare_doc("new.json", &new))
}

fn report(edit: impl FnOnce(&mut Value)) -> Report {
    let (old, new) = prepared_pair(edit);
    diff(&old, &new)
}

/// An optional request field is compatible in the spec; in the Rust API it is an addition
/// when the generated struct is `#[non_exhaustive]`, and breaks struct literals otherwise.
#[test]
fn an_optional_request_field_is_compatible_and_its_bump_follows_non_exhaustive() {
    let (old, new) = prepared_pair(|doc| {
        let props = at(doc, &format!("{POST_BODY}/properties")).as_object_mut().unwrap();
        props.insert("note".into(), json!({"type": "string"}));
    });
    let report = diff(&old, &new);
    assert_eq!((report.counts.breaking, report.counts.compatible), (0, 1), "{report:#?}");
    let request = "things::CreateThingRequest";
    let (kind, bump) = if old.outline.is_exhaustive(request) {
        (ApiChangeKind::AddedBreaking, Bump::Major)
    } else {
        (ApiChangeKind::Added, Bump::Minor)
    };
    let field = report.api.iter().find(|c| c.path == format!("{request}.note"));
    assert_eq!(field.map(|c| c.kind), Some(kind), "{:#?}", report.api);
    assert_eq!(report.bump, bump, "{:#?}", report.api);
    assert_eq!(report.fails(FailOn::Breaking), bump == Bump::Major);
    assert!(!report.fails(FailOn::SpecBreaking));
}

#[test]
fn a_changed_description_changes_files_only() {
    let report = report(|doc| set(doc, GET, "description", json!("Lists things.")));
    assert!(report.changes.is_empty() && report.api.is_empty(), "{report:#?}");
    assert_eq!(report.files, ["things.rs"]);
    assert_eq!(report.bump, Bump::Patch);
    assert!(!report.fails(FailOn::Compatible));
    assert!(report.fails(FailOn::Any));
}

/// The public API changes (`Kind path`) and the bump from one generated module `m` to
/// another, with no spec change.
fn api_diff(old: &str, new: &str) -> (Vec<String>, Bump) {
    let outline_of = |code: &str| {
        let sources = BTreeMap::from([("m.rs".to_owned(), code.to_owned())]);
        api::outline(&sources).expect("parses")
    };
    let changes = api::compare_outlines(&outline_of(old), &outline_of(new));
    let bump = bump(&counts(&[], &changes, &[]));
    (changes.into_iter().map(|c| format!("{:?} {}", c.kind, c.path)).collect(), bump)
}

#[test]
fn a_field_added_to_a_non_exhaustive_struct_is_minor() {
    let (changes, bump) = api_diff(
        "#[non_exhaustive] pub struct S { pub a: String }",
        "#[non_exhaustive] pub struct S { pub a: String, pub b: Option<String> }",
    );
    assert_eq!(changes, ["Added m::S.b"]);
    assert_eq!(bump, Bump::Minor);
}

#[test]
fn a_field_added_to_an_exhaustive_struct_is_major() {
    let (changes, bump) =
        api_diff("pub struct S { pub a: String }", "pub struct S { pub a: String, pub b: Option<String> }");
    assert_eq!(changes, ["AddedBreaking m::S.b"]);
    assert_eq!(bump, Bump::Major);
}

#[test]
fn a_public_field_added_to_a_struct_with_a_private_one_is_minor() {
    let (changes, bump) =
        api_diff("pub struct S { pub a: String, b: u8 }", "pub struct S { pub a: String, b: u8, pub c: u8 }");
    assert_eq!(changes, ["Added m::S.c"]);
    assert_eq!(bump, Bump::Minor);
}

#[test]
fn a_variant_added_to_a_non_exhaustive_enum_is_minor() {
    let (changes, bump) =
        api_diff("#[non_exhaustive] pub enum E { A }", "#[non_exhaustive] pub enum E { A, B(String) }");
    assert_eq!(changes, ["Added m::E::B"]);
    assert_eq!(bump, Bump::Minor);
}

#[test]
fn a_variant_added_to_an_exhaustive_enum_is_major() {
    let (changes, bump) = api_diff("pub enum E { A }", "pub enum E { A, B(String) }");
    assert_eq!(changes, ["AddedBreaking m::E::B"]);
    assert_eq!(bump, Bump::Major);
}

#[test]
fn an_added_setter_or_constructor_is_minor() {
    let (changes, bump) = api_diff(
        "#[non_exhaustive] pub struct S { pub a: String, pub b: Option<u8> }",
        "#[non_exhaustive] pub struct S { pub a: String, pub b: Option<u8> }
         impl S {
             pub fn new(a: impl Into<String>) -> Self { Self { a: a.into(), b: None } }
             pub fn with_b(mut self, b: u8) -> Self { self.b = Some(b); self }
         }",
    );
    assert_eq!(changes, ["Added m::S::new", "Added m::S::with_b"]);
    assert_eq!(bump, Bump::Minor);
}

/// An enum's inherent methods share the path form of its variants (`m::E::as_str`), yet
/// a new one is no variant: it breaks no match.
#[test]
fn a_method_added_to_an_exhaustive_enum_is_minor() {
    let (changes, bump) =
        api_diff("pub enum E { A }", "pub enum E { A } impl E { pub fn as_str(&self) -> &str { \"a\" } }");
    assert_eq!(changes, ["Added m::E::as_str"]);
    assert_eq!(bump, Bump::Minor);
}

#[test]
fn a_removed_or_changed_method_is_major() {
    let old = "#[non_exhaustive] pub struct S { pub a: String }
               impl S {
                   pub fn new(a: String) -> Self { Self { a } }
                   pub fn with_a(self, a: String) -> Self { Self { a } }
               }";
    let (changes, bump) = api_diff(
        old,
        "#[non_exhaustive] pub struct S { pub a: String } impl S { pub fn new(a: String) -> Self { Self { a } } }",
    );
    assert_eq!(changes, ["Removed m::S::with_a"]);
    assert_eq!(bump, Bump::Major);
    // A new required request field is a new parameter of the constructor.
    let (changes, bump) = api_diff(
        old,
        "#[non_exhaustive] pub struct S { pub a: String, pub b: String }
         impl S {
             pub fn new(a: String, b: String) -> Self { Self { a, b } }
             pub fn with_a(self, a: String) -> Self { Self { a, ..self } }
         }",
    );
    assert_eq!(changes, ["Changed m::S::new", "Added m::S.b"]);
    assert_eq!(bump, Bump::Major);
}

#[test]
fn a_type_gaining_non_exhaustive_breaks() {
    let (changes, bump) = api_diff(
        "pub struct S { pub a: String } pub enum E { A }",
        "#[non_exhaustive] pub struct S { pub a: String } #[non_exhaustive] pub enum E { A }",
    );
    assert_eq!(changes, ["Removed m::E: exhaustive", "Removed m::S: exhaustive"]);
    assert_eq!(bump, Bump::Major);
    // Gaining the attribute and a field at once: the field breaks old struct literals too.
    let (changes, bump) =
        api_diff("pub struct S { pub a: String }", "#[non_exhaustive] pub struct S { pub a: String, pub b: u8 }");
    assert_eq!(changes, ["Removed m::S: exhaustive", "AddedBreaking m::S.b"]);
    assert_eq!(bump, Bump::Major);
}

#[test]
fn a_type_losing_non_exhaustive_is_minor() {
    let (changes, bump) = api_diff(
        "#[non_exhaustive] pub struct S { pub a: String } #[non_exhaustive] pub enum E { A }",
        "pub struct S { pub a: String } pub enum E { A }",
    );
    assert_eq!(changes, ["Added m::E: exhaustive", "Added m::S: exhaustive"]);
    assert_eq!(bump, Bump::Minor);
}

/// A struct with a private field cannot be built with a struct literal anyway, so
/// `#[non_exhaustive]` takes nothing away; a struct that gains its first private field
/// can no longer be built with one.
#[test]
fn private_fields_decide_like_non_exhaustive() {
    let (changes, bump) =
        api_diff("pub struct S { pub a: String, b: u8 }", "#[non_exhaustive] pub struct S { pub a: String, b: u8 }");
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(bump, Bump::Patch);
    let (changes, bump) = api_diff("pub struct S { pub a: String }", "pub struct S { pub a: String, b: u8 }");
    assert_eq!(changes, ["Removed m::S: exhaustive"]);
    assert_eq!(bump, Bump::Major);
}

#[test]
fn a_new_type_and_its_members_are_additions() {
    let old = "pub struct S { pub a: String }";
    let (changes, bump) = api_diff(old, "pub struct S { pub a: String } pub struct N { pub x: u8 } pub enum F { A }");
    let added = ["m::F", "m::F: exhaustive", "m::F::A", "m::N", "m::N.x", "m::N: exhaustive"];
    assert_eq!(changes, added.map(|path| format!("Added {path}")));
    assert_eq!(bump, Bump::Minor);
}
