//! Tests of IR construction on small documents: cases the fuzz test found, and names
//! that must never become broken Rust.

use serde_json::{json, Value};

use super::*;
use crate::load::load_str;

/// The IR of a document with these paths and component schemas.
fn build_doc(paths: Value, schemas: Value) -> Built {
    let document = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
        "components": {"schemas": schemas}});
    let spec = load_str("test.json", &document.to_string()).unwrap_or_else(|e| panic!("{e}"));
    build(&spec, &Filter::default())
}

/// One GET operation answering 200 with `schema`.
fn answering(schema: Value) -> Value {
    json!({"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": schema}}}}}}})
}

fn emits(api: &Api) {
    if let Err(error) = crate::emit::crate_sources(api) {
        panic!("{error}");
    }
}

#[test]
fn recursive_aliases_become_json_with_a_warning() {
    // Found by the fuzz test: `type A = Vec<A>;` does not compile.
    let built = build_doc(
        answering(json!({"$ref": "#/components/schemas/A"})),
        json!({
            "A": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
            "B": {"allOf": [{"$ref": "#/components/schemas/C"}], "nullable": true},
            "C": {"oneOf": [{"$ref": "#/components/schemas/B"}]},
            "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}}
        }),
    );
    assert_eq!(built.api.types["A"].kind, TypeKind::Alias(TypeRef::Json));
    let recursive: Vec<&str> =
        built.warnings.iter().filter(|w| w.message.contains("recursive alias")).map(|w| w.pointer.as_str()).collect();
    assert_eq!(recursive, ["/components/schemas/A"]);
    emits(&built.api);
}

#[test]
fn alias_cycles_through_several_aliases_are_broken_once() {
    let built = build_doc(
        answering(json!({"$ref": "#/components/schemas/B"})),
        json!({
            "B": {"allOf": [{"$ref": "#/components/schemas/C"}], "nullable": true},
            "C": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/B"}}
        }),
    );
    let broken: Vec<&str> =
        built.warnings.iter().filter(|w| w.message.contains("recursive alias")).map(|w| w.pointer.as_str()).collect();
    assert_eq!(broken, ["/components/schemas/B"]);
    assert_eq!(built.api.types["C"].kind, TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Named("B".into())))));
    emits(&built.api);
}

#[test]
fn nesting_deeper_than_the_limit_is_json_with_a_warning() {
    // Reference chains nest without the document nesting: C0 -> C1 -> ... -> C99.
    let schemas: serde_json::Map<String, Value> = (0..100)
        .map(|i| {
            let next = json!({"$ref": format!("#/components/schemas/C{}", i + 1)});
            (format!("C{i}"), json!({"type": "object", "properties": {"next": next}}))
        })
        .chain(std::iter::once(("C100".to_owned(), json!({"type": "string"}))))
        .collect();
    let built = build_doc(answering(json!({"$ref": "#/components/schemas/C0"})), Value::Object(schemas));
    let deep: Vec<&Warning> = built.warnings.iter().filter(|w| w.message.contains("nest more than")).collect();
    assert_eq!(deep.len(), 1, "{deep:?}");
    assert!(built.api.types.len() < 100);
    emits(&built.api);
}

#[test]
fn path_variables_without_a_usable_parameter_are_strings() {
    // A parameter `$ref` the loader resolves (percent-encoded) but the IR does not.
    let document = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a/{b{c}}/{id}": {"get": {"operationId": "a",
            "parameters": [{"$ref": "#/components/parameters/The%20Id"}, {"name": "c", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"204": {"description": "ok"}}}}},
        "components": {"parameters": {"The Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}}}});
    let spec = load_str("test.json", &document.to_string()).unwrap();
    let built = build(&spec, &Filter::default());
    let op = &built.api.operations[0];
    let names: Vec<(&str, &TypeRef)> = op.params.iter().map(|p| (p.wire_name.as_str(), &p.ty)).collect();
    assert_eq!(names, [("c", &TypeRef::Integer), ("id", &TypeRef::String)]);
    assert!(built.warnings.iter().any(|w| w.message.contains("`{id}` has no usable parameter")), "{:?}", built.warnings);
    emits(&built.api);
}

#[test]
fn tags_that_are_keywords_or_reserved_get_their_own_module_names() {
    let tags = |tag: &str| vec![tag.to_owned()];
    assert_eq!(operation::group_of(&tags("type"), &[]), "type_api");
    assert_eq!(operation::group_of(&tags("Self"), &[]), "self_api");
    assert_eq!(operation::group_of(&tags("lib"), &[]), "lib_api");
    assert_eq!(operation::group_of(&tags("default"), &[]), "default_api");
    assert_eq!(operation::group_of(&tags("serde"), &[]), "serde_api");
    assert_eq!(operation::group_of(&tags("-"), &[]), "minus");
    assert_eq!(operation::group_of(&tags("projects"), &[]), "projects");
    assert_eq!(operation::group_of(&[], &[]), "untagged");
}

#[test]
fn operations_never_take_the_names_of_client_methods_or_builder_methods() {
    let response = json!({"204": {"description": "ok"}});
    let query = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "integer"}});
    let parameters: Vec<Value> = ["stream", "into_request", "add", "send"].into_iter().map(query).collect();
    let built = build_doc(
        json!({
            "/a": {"get": {"operationId": "request", "responses": response}},
            "/b": {"get": {"operationId": "teamId", "responses": response}},
            "/c": {"get": {"operationId": "clone", "responses": response,
                "parameters": parameters}}
        }),
        json!({}),
    );
    let names: Vec<&str> = built.api.operations.iter().map(|op| op.fn_name.as_str()).collect();
    assert_eq!(names, ["clone_2", "request_2", "team_id_2"]);
    let params: Vec<&str> = built.api.operations[0].params.iter().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(params, ["stream_2", "into_request_2", "add_2", "send_2"]);
    emits(&built.api);
}

#[test]
fn recursive_all_of_merges_are_cut_with_a_warning() {
    // Found by the fuzz test: merging copies the parts' properties, so a part whose
    // properties merge the part again expanded without end (it ran out of memory).
    let built = build_doc(
        answering(json!({"$ref": "#/components/schemas/Base"})),
        json!({"Base": {"type": "object", "properties": {
            "left": {"allOf": [{"$ref": "#/components/schemas/Base"}], "properties": {"l": {"type": "string"}}},
            "right": {"allOf": [{"$ref": "#/components/schemas/Base"}], "properties": {"r": {"type": "string"}}}
        }}}),
    );
    let cut = built.warnings.iter().filter(|w| w.message.contains("recursive allOf")).count();
    assert!(cut > 0 && built.api.types.len() < 50, "{cut} cuts, {} types", built.api.types.len());
    emits(&built.api);
}

#[test]
fn names_only_a_constraint_union_requires_become_optional_untyped_fields() {
    // `POST /v1/env`: "`target` or `applyToAllCustomEnvironments` must be set", where
    // only `target` is a declared property.
    let built = build_doc(
        answering(json!({"type": "object", "required": ["evs"],
            "anyOf": [{"required": ["target"]}, {"required": ["applyToAllCustomEnvironments"]}],
            "properties": {"evs": {"type": "string"}, "target": {"type": "string"}}})),
        json!({}),
    );
    let Some(TypeDef { kind: TypeKind::Struct(shared), doc, .. }) = built.api.types.values().next() else {
        panic!("{:?}", built.api.types.keys().collect::<Vec<_>>());
    };
    let fields: Vec<(&str, &TypeRef, bool)> =
        shared.fields.iter().map(|f| (f.wire_name.as_str(), &f.ty, f.required)).collect();
    assert_eq!(
        fields,
        vec![
            ("evs", &TypeRef::String, true),
            ("target", &TypeRef::String, false),
            ("applyToAllCustomEnvironments", &TypeRef::Json, false),
        ]
    );
    assert!(doc.as_deref().unwrap_or_default().contains("`applyToAllCustomEnvironments`"), "{doc:?}");
    emits(&built.api);
}

/// Component schemas `S0` -> `S1` -> ... -> `S{links}`, each an alias of the next, the
/// last an object.
fn alias_chain(links: usize) -> Value {
    let mut schemas = serde_json::Map::new();
    for i in 0..links {
        schemas.insert(format!("S{i}"), json!({"$ref": format!("#/components/schemas/S{}", i + 1)}));
    }
    schemas.insert(format!("S{links}"), json!({"type": "object", "properties": {"id": {"type": "string"}}}));
    Value::Object(schemas)
}

#[test]
fn alias_chains_resolve_to_their_end_wherever_they_are_used() {
    let mut schemas = alias_chain(40);
    schemas["Holder"] = json!({"type": "object", "properties": {
        "one": {"$ref": "#/components/schemas/S3"},
        "list": {"type": "array", "items": {"$ref": "#/components/schemas/S0"}},
        "merged": {"allOf": [{"$ref": "#/components/schemas/S7"}, {"type": "object", "properties": {"x": {"type": "string"}}}]},
        "either": {"oneOf": [{"$ref": "#/components/schemas/S9"}, {"type": "string"}]}
    }});
    let built = build_doc(answering(json!({"$ref": "#/components/schemas/Holder"})), schemas);
    assert!(built.warnings.is_empty(), "{:#?}", built.warnings);
    let TypeKind::Struct(holder) = &built.api.types["Holder"].kind else { panic!("{:#?}", built.api.types) };
    assert_eq!(holder.fields[0].ty, TypeRef::Named("S40".into()));
    assert_eq!(holder.fields[1].ty, TypeRef::Array(Box::new(TypeRef::Named("S40".into()))));
    emits(&built.api);
}

#[test]
fn alias_chains_longer_than_the_limit_are_cut_once_where_they_pass_it() {
    let links = crate::load::MAX_REF_CHAIN + 5;
    let built = build_doc(answering(json!({"$ref": "#/components/schemas/S0"})), alias_chain(links));
    let spec_warnings: Vec<String> = {
        let document = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": answering(json!({"$ref": "#/components/schemas/S0"})), "components": {"schemas": alias_chain(links)}});
        load_str("test.json", &document.to_string()).unwrap().warnings.iter().map(ToString::to_string).collect()
    };
    // Cut where the rest of the chain is one link too long: at S4 of S0..S1005.
    assert_eq!(spec_warnings.len(), 1, "{spec_warnings:#?}");
    assert!(spec_warnings[0].starts_with("/components/schemas/S4: `$ref` `#/components/schemas/S5` starts a chain of more than 1000 references (to `#/components/schemas/S1005`)"), "{}", spec_warnings[0]);
    assert!(built.warnings.is_empty(), "{:#?}", built.warnings);
    assert_eq!(built.api.types["S4"].kind, TypeKind::Alias(TypeRef::Json));
    emits(&built.api);
}

#[test]
fn deprecation_is_read_from_the_flag_the_summary_parameters_and_properties() {
    let built = build_doc(
        json!({
            "/old": {"get": {"operationId": "old", "summary": "Get the old thing (Deprecated)",
                "parameters": [
                    {"name": "from", "in": "query", "deprecated": true, "schema": {"type": "number"}},
                    {"name": "since", "in": "query", "schema": {"type": "number", "deprecated": true}},
                    {"name": "until", "in": "query", "schema": {"type": "number"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"renew": {"type": "boolean", "deprecated": true}, "name": {"type": "string"}}
                }}}}}}},
            "/flagged": {"get": {"operationId": "flagged", "deprecated": true,
                "responses": {"204": {"description": "done"}}}},
            "/current": {"get": {"operationId": "current", "summary": "Deprecated things, listed",
                "responses": {"204": {"description": "done"}}}}
        }),
        json!({}),
    );
    let api = &built.api;
    let deprecated: Vec<(&str, bool)> = api.operations.iter().map(|op| (op.id.as_str(), op.deprecated)).collect();
    assert_eq!(deprecated, [("current", false), ("flagged", true), ("old", true)]);
    let old = api.operations.iter().find(|op| op.id == "old").unwrap();
    let params: Vec<(&str, bool)> = old.params.iter().map(|p| (p.wire_name.as_str(), p.deprecated)).collect();
    assert_eq!(params, [("from", true), ("since", true), ("until", false)]);
    let fields: Vec<(&str, bool)> = api
        .types
        .values()
        .filter_map(|ty| match &ty.kind {
            TypeKind::Struct(s) => Some(s.fields.iter().map(|f| (f.wire_name.as_str(), f.deprecated))),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(fields, [("renew", true), ("name", false)]);
    emits(api);
}

#[test]
fn optional_nullable_request_properties_have_three_states_where_no_answer_holds_them() {
    let built = build_doc(
        json!({"/a": {"post": {"operationId": "updateA",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "command": {"type": "string", "nullable": true, "description": "When `null` is used it is detected."},
                "note": {"type": "string", "description": "A note. Send `null` to clear it."},
                "label": {"type": "string", "description": "Not null-able."},
                "size": {"type": "integer", "nullable": true},
                "shared": {"$ref": "#/components/schemas/Shared"}},
                "required": ["size"]}}}},
            "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shared"}}}}}}}}),
        json!({"Shared": {"type": "object", "properties": {"x": {"type": "string", "nullable": true}}}}),
    );
    let api = &built.api;
    assert_eq!(api.request_only, BTreeSet::from(["UpdateARequest".to_owned()]));
    let fields = |name: &str| match &api.types[name].kind {
        TypeKind::Struct(s) => s.fields.clone(),
        other => panic!("{name} is {other:?}"),
    };
    let three_state: Vec<String> = fields("UpdateARequest")
        .iter()
        .filter(|f| sends_null(api, &api.types["UpdateARequest"], f))
        .map(|f| f.wire_name.clone())
        .collect();
    // `size` is required (always sent, `null` when unset); `label` only mentions null.
    assert_eq!(three_state, ["command", "note"]);
    assert!(fields("Shared").iter().all(|f| !sends_null(api, &api.types["Shared"], f)));
    let sources = crate::emit::crate_sources(api).unwrap_or_else(|e| panic!("{e}"));
    let lib = sources.values().find(|s| s.contains("pub struct UpdateARequest")).expect("the request type");
    for expected in [
        "pub command: crate::Nullable<String>",
        "pub note: crate::Nullable<String>",
        "pub label: Option<String>",
        "pub size: Option<i64>",
        "pub x: Option<String>",
        "pub fn clear_command(mut self) -> Self",
        "/// Send `null` to clear it.",
    ] {
        assert!(lib.contains(expected), "{expected} missing from:\n{lib}");
    }
    assert!(!lib.contains("pub fn clear_x"), "{lib}");
}
