//! Tests of loading: every real document, YAML input, each repair and each bad input.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{json, Value};

use super::operations::operation_name;
use super::*;

/// The directory of real Vercel documents: `VERCEL_SPECS_DIR`, else
/// `../shared/specs/vercel` beside the workspace, else the workspace's cache, downloaded
/// into first (see `crate::documents`).
fn specs_dir() -> PathBuf {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    #[cfg(feature = "fetch")]
    let found = || crate::documents::fetch::test_documents(&workspace);
    #[cfg(not(feature = "fetch"))]
    let found = || Ok::<_, String>(crate::documents::directory(&workspace).path().to_owned());
    DIR.get_or_init(found).clone().unwrap_or_else(|message| panic!("{message}"))
}

fn real_documents() -> Vec<PathBuf> {
    let dir = specs_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (set VERCEL_SPECS_DIR to the Vercel documents)", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn load_real(name: &str) -> LoadedSpec {
    let path = specs_dir().join(name);
    load_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn count(warnings: &[Warning], needle: &str) -> usize {
    warnings.iter().filter(|w| w.message.contains(needle)).count()
}

// ---------------------------------------------------------------- real documents

#[test]
fn every_real_document_loads() {
    let files = real_documents();
    assert!(files.len() >= 13, "expected the 13 Vercel documents, found {}", files.len());
    let failures: Vec<String> = files.iter().filter_map(|path| load_path(path).err().map(|e| e.to_string())).collect();
    assert!(failures.is_empty(), "documents that failed to load:\n{}", failures.join("\n"));
}

#[test]
fn old_documents_get_response_descriptions() {
    let spec = load_real("2024-11-25.json");
    assert_eq!(count(&spec.warnings, "no `description`"), 289);
    let first = spec.warnings.iter().find(|w| w.message.contains("no `description`")).unwrap();
    let response = spec.raw.pointer(&first.pointer).unwrap();
    assert_eq!(response["description"], json!(""));
}

#[test]
fn ref_siblings_are_kept_through_all_of() {
    let spec = load_real("2025-10-06.json");
    assert_eq!(count(&spec.warnings, "sibling keys"), 16);
    let pointer = "/paths/~1v1~1registrar~1tlds~1{tld}~1price/get/responses/200/content/application~1json/schema/properties/purchasePrice";
    assert!(spec.warnings.iter().any(|w| w.pointer == pointer));
    let repaired = spec.raw.pointer(pointer).unwrap();
    assert_eq!(repaired["nullable"], json!(true));
    assert_eq!(repaired["allOf"].as_array().map(Vec::len), Some(1));
    assert!(repaired.get("$ref").is_none());
    // `{$ref, anyOf}`: both kept, and openapiv3 sees both.
    let pointer = "/paths/~1v1~1registrar~1domains~1{domain}~1price/get/responses/400/content/application~1json/schema";
    let repaired = spec.raw.pointer(pointer).unwrap();
    assert_eq!(repaired["allOf"][0]["$ref"], json!("#/components/schemas/VercelBadRequestError"));
    assert_eq!(repaired["anyOf"].as_array().map(Vec::len), Some(2));
}

#[test]
fn the_pin_gets_operation_ids_and_the_undeclared_team_id() {
    let spec = load_real("2025-10-27.json");
    let operations: Vec<_> = spec.openapi.operations().collect();
    assert_eq!(operations.len(), 216);
    assert!(operations.iter().all(|(_, _, op)| op.operation_id.is_some()));
    assert_eq!(count(&spec.warnings, "no operationId"), 7);
    assert_eq!(count(&spec.warnings, "x-speakeasy-name-override"), 5);
    let members =
        spec.warnings.iter().find(|w| w.message.contains("{teamId}")).expect("a warning for the undeclared {teamId}");
    assert_eq!(members.pointer, "/paths/~1v3~1teams~1{teamId}~1members/get/parameters/7");
    let (_, _, get) =
        operations.iter().find(|(path, method, _)| *path == "/v3/teams/{teamId}/members" && *method == "get").unwrap();
    let declared: Vec<_> = get
        .parameters
        .iter()
        .filter_map(|p| p.as_item())
        .filter(|p| matches!(p, openapiv3::Parameter::Path { .. }))
        .map(|p| p.parameter_data_ref().name.as_str())
        .collect();
    assert_eq!(declared, ["teamId"]);
}

#[test]
fn warnings_are_summarised_by_kind() {
    let spec = load_real("2024-11-25.json");
    let lines = summarize(&spec.warnings);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].ends_with("(and 288 more like it)"), "{lines:#?}");
    assert!(lines[1].contains("made the body required (and 25 more like it)"), "{lines:#?}");
}

// ---------------------------------------------------------------- YAML

#[test]
fn yaml_documents_load() {
    let yaml = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      responses:
        200:
          content:
            application/json:
              schema: &text {type: string}
        404:
          description: gone
          content:
            application/json:
              schema: *text
";
    let spec = load_str("inline.yaml", yaml).unwrap();
    assert_eq!(spec.openapi.paths.paths.len(), 1);
    let pointers: Vec<&str> = spec.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["/paths/~1a~1{id}/get/responses/200", "/paths/~1a~1{id}/get/operationId", "/paths/~1a~1{id}/get/parameters/0",]
    );
    let schema = spec.raw.pointer("/paths/~1a~1{id}/get/responses/404/content/application~1json/schema");
    assert_eq!(schema, Some(&json!({"type": "string"})));
}

#[test]
fn a_json_fixture_converted_to_yaml_loads_the_same() {
    let text = std::fs::read_to_string(fixture("small.json")).unwrap();
    let from_json = load_str("small.json", &text).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let yaml = serde_yaml::to_string(&value).unwrap();
    assert!(!yaml.trim_start().starts_with('{'));
    let from_yaml = load_str("small.yaml", &yaml).unwrap();
    assert_eq!(from_yaml.raw, from_json.raw);
    assert_eq!(from_yaml.warnings, from_json.warnings);
    assert_eq!(from_yaml.openapi, from_json.openapi);
}

#[test]
fn the_small_fixture_is_repaired() {
    let spec = load_path(&fixture("small.json")).unwrap();
    let lines: Vec<String> = spec.warnings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(lines.join("\n"));
    let ids: Vec<_> = spec.openapi.operations().filter_map(|(_, _, op)| op.operation_id.clone()).collect();
    assert_eq!(ids, ["getTeamMembers", "delete_v1_teams_team_id", "updateTeam"]);
    // `errorMessage` is a property here, and an `example` is not a schema or a reference.
    let property = spec.raw.pointer("/components/schemas/Team/properties/errorMessage").unwrap();
    assert_eq!(property, &json!({"type": "string", "example": {"$ref": "not a reference"}}));
}

// ---------------------------------------------------------------- repairs

/// A document with `paths` and `components`.
fn doc(paths: Value, components: Value) -> String {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": components})
        .to_string()
}

/// A document whose only content is the component schemas.
fn schemas(schemas: Value) -> String {
    doc(json!({}), json!({"schemas": schemas}))
}

fn load_ok(text: &str) -> LoadedSpec {
    load_str("test.json", text).unwrap_or_else(|e| panic!("{e}"))
}

fn pointers(spec: &LoadedSpec) -> Vec<&str> {
    spec.warnings.iter().map(|w| w.pointer.as_str()).collect()
}

#[test]
fn responses_get_an_empty_description() {
    let spec = load_ok(&doc(
        json!({"/a": {"get": {"operationId": "a", "responses": {"200": {"content": {}}, "404": {"description": "no"}}}}}),
        json!({"responses": {"Gone": {}}}),
    ));
    assert_eq!(pointers(&spec), ["/paths/~1a/get/responses/200", "/components/responses/Gone"]);
    assert_eq!(spec.raw.pointer("/paths/~1a/get/responses/200"), Some(&json!({"description": "", "content": {}})));
    assert_eq!(spec.raw.pointer("/components/responses/Gone"), Some(&json!({"description": ""})));
}

#[test]
fn brand_markers_are_dropped_with_one_warning() {
    let spec = load_ok(&schemas(json!({
        "Limit": {"type": "object", "properties": {"minLength": {
            "type": "object",
            "properties": {"__@BRAND@647815": {"type": "object"}},
            "required": ["__@BRAND@647815"]
        }}},
        "Named": {"type": "object", "properties": {
            "id": {"type": "string"},
            "__@BRAND@1": {"type": "object"}
        }, "required": ["id", "__@BRAND@1"]}
    })));
    assert_eq!(pointers(&spec), ["/components/schemas/Limit/properties/minLength"]);
    assert!(spec.warnings[0].message.contains("dropped 2 TypeScript brand marker properties"), "{}", spec.warnings[0]);
    // A branded primitive is any JSON; other properties and requirements stay.
    assert_eq!(spec.raw.pointer("/components/schemas/Limit/properties/minLength"), Some(&json!({})));
    assert_eq!(
        spec.raw.pointer("/components/schemas/Named"),
        Some(&json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}))
    );
}

#[test]
fn schema_refs_with_siblings_become_all_of() {
    let spec = load_ok(&schemas(json!({
        "A": {"type": "string"},
        "B": {"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/A", "nullable": true, "description": "an A"},
            "both": {"allOf": [{"type": "string"}], "$ref": "#/components/schemas/A"}
        }}
    })));
    assert_eq!(
        spec.raw.pointer("/components/schemas/B/properties/a"),
        Some(&json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "an A"}))
    );
    assert_eq!(
        spec.raw.pointer("/components/schemas/B/properties/both"),
        Some(&json!({"allOf": [{"type": "string"}, {"$ref": "#/components/schemas/A"}]}))
    );
    assert_eq!(pointers(&spec), ["/components/schemas/B/properties/a", "/components/schemas/B/properties/both"]);
    assert!(spec.warnings[0].message.contains("`nullable`, `description`"), "{}", spec.warnings[0]);
    let openapiv3::ReferenceOr::Item(b) = &spec.openapi.components.as_ref().unwrap().schemas["B"] else { panic!() };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &b.schema_kind else { panic!() };
    let openapiv3::ReferenceOr::Item(a) = &object.properties["a"] else { panic!("the siblings were lost") };
    assert!(a.schema_data.nullable);
}

#[test]
fn refs_with_siblings_elsewhere_lose_the_siblings_with_a_warning() {
    let spec = load_ok(&doc(
        json!({"/a": {"get": {"operationId": "a",
            "parameters": [{"$ref": "#/components/parameters/Q", "description": "the q"}],
            "responses": {"200": {"$ref": "#/components/responses/Ok", "summary": "s", "description": "d"}}}}}),
        json!({"parameters": {"Q": {"name": "q", "in": "query", "schema": {"type": "string"}}},
               "responses": {"Ok": {"description": "ok"}}}),
    ));
    assert_eq!(spec.raw.pointer("/paths/~1a/get/parameters/0"), Some(&json!({"$ref": "#/components/parameters/Q"})));
    assert_eq!(spec.raw.pointer("/paths/~1a/get/responses/200"), Some(&json!({"$ref": "#/components/responses/Ok"})));
    assert_eq!(pointers(&spec), ["/paths/~1a/get/parameters/0", "/paths/~1a/get/responses/200"]);
    assert!(spec.warnings[0].message.ends_with("dropped `description`"), "{}", spec.warnings[0]);
    assert!(spec.warnings[1].message.ends_with("dropped `summary`, `description`"), "{}", spec.warnings[1]);
}

#[test]
fn path_item_refs_with_siblings_are_merged() {
    let mut document: Value = serde_json::from_str(&doc(
        json!({"/b": {"$ref": "#/x-shared", "get": {"operationId": "c", "responses": {"200": {"description": "ok"}}}}}),
        json!({}),
    ))
    .unwrap();
    document["x-shared"] = json!({
        "get": {"operationId": "a", "responses": {"200": {"description": "ok"}}},
        "post": {"operationId": "b", "responses": {"200": {}}}
    });
    let spec = load_ok(&document.to_string());
    assert_eq!(pointers(&spec), ["/paths/~1b", "/paths/~1b/post/responses/200"]);
    assert!(spec.warnings[0].message.ends_with("merged in its `post`"), "{}", spec.warnings[0]);
    let ids: Vec<_> = spec.openapi.operations().filter_map(|(_, _, op)| op.operation_id.clone()).collect();
    assert_eq!(ids, ["c", "b"]);
    assert!(spec.raw.pointer("/paths/~1b/$ref").is_none());
}

#[test]
fn operations_without_ids_are_named() {
    let spec = load_ok(&doc(
        json!({
            "/v1/things": {
                "get": {"x-speakeasy-name-override": "listThings", "responses": {"200": {"description": "ok"}}},
                "post": {"responses": {"200": {"description": "ok"}}}
            },
            "/v1/things/": {"post": {"responses": {"200": {"description": "ok"}}}},
            "/v2/things": {"get": {"operationId": "listThings", "responses": {"200": {"description": "ok"}}}}
        }),
        json!({}),
    ));
    let ids: Vec<_> = spec.openapi.operations().filter_map(|(_, _, op)| op.operation_id.clone()).collect();
    assert_eq!(ids, ["listThings_2", "post_v1_things", "post_v1_things_2", "listThings"]);
    assert_eq!(
        pointers(&spec),
        [
            "/paths/~1v1~1things/get/operationId",
            "/paths/~1v1~1things/post/operationId",
            "/paths/~1v1~1things~1/post/operationId"
        ]
    );
}

#[test]
fn operation_names_come_from_method_and_path() {
    assert_eq!(operation_name("get", "/v3/teams/{teamId}/members"), "get_v3_teams_team_id_members");
    assert_eq!(
        operation_name("delete", "/v1/edge-config/{edgeConfigId}/items"),
        "delete_v1_edge_config_edge_config_id_items"
    );
    assert_eq!(operation_name("get", "/"), "get");
    assert_eq!(operation_name("put", "/v8/artifacts/{hash}"), "put_v8_artifacts_hash");
}

#[test]
fn undeclared_path_variables_get_parameters() {
    let spec = load_ok(&doc(
        json!({
            "/t/{teamId}/m/{memberId}/x/{x}": {
                "parameters": [{"name": "x", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "get": {"operationId": "a",
                        "parameters": [{"$ref": "#/components/parameters/Member"}, {"name": "q", "in": "query", "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "ok"}}}
            }
        }),
        json!({"parameters": {"Member": {"name": "memberId", "in": "path", "required": true, "schema": {"type": "string"}}}}),
    ));
    assert_eq!(pointers(&spec), ["/paths/~1t~1{teamId}~1m~1{memberId}~1x~1{x}/get/parameters/2"]);
    assert_eq!(
        spec.raw.pointer("/paths/~1t~1{teamId}~1m~1{memberId}~1x~1{x}/get/parameters/2"),
        Some(&json!({"name": "teamId", "in": "path", "required": true, "schema": {"type": "string"}}))
    );
}

#[test]
fn const_becomes_a_one_value_enum() {
    let spec = load_ok(&schemas(json!({"A": {"type": "object", "properties": {
        "kind": {"type": "string", "const": "x", "description": "d"},
        "both": {"type": "string", "const": "x", "enum": ["x"]},
        "const": {"type": "string"}
    }}})));
    assert_eq!(
        spec.raw.pointer("/components/schemas/A/properties/kind"),
        Some(&json!({"type": "string", "enum": ["x"], "description": "d"}))
    );
    assert_eq!(
        spec.raw.pointer("/components/schemas/A/properties/both"),
        Some(&json!({"type": "string", "const": "x", "enum": ["x"]}))
    );
    assert_eq!(spec.raw.pointer("/components/schemas/A/properties/const"), Some(&json!({"type": "string"})));
    assert_eq!(pointers(&spec), ["/components/schemas/A/properties/kind", "/components/schemas/A/properties/both"]);
}

#[test]
fn other_json_schema_keywords_are_left_alone() {
    let input = json!({"A": {"type": "object", "$schema": "http://json-schema.org/draft-07/schema#",
        "propertyNames": {"pattern": "^a"}, "errorMessage": "bad",
        "properties": {"avatar": {"type": "string", "regex": "^[0-9a-f]+$"}}}});
    let spec = load_ok(&schemas(input.clone()));
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
    assert_eq!(spec.raw.pointer("/components/schemas"), Some(&input));
}

#[test]
fn openapi_3_1_schema_forms_that_openapiv3_rejects_are_rewritten() {
    let spec = load_ok(&schemas(json!({
        "A": {"type": ["string", "null"]},
        "B": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}
    })));
    assert_eq!(spec.raw.pointer("/components/schemas/A"), Some(&json!({"type": "string", "nullable": true})));
    assert_eq!(
        spec.raw.pointer("/components/schemas/B"),
        Some(&json!({"type": "number", "exclusiveMinimum": true, "maximum": 5, "minimum": 0}))
    );
    assert_eq!(pointers(&spec), ["/components/schemas/A", "/components/schemas/B", "/components/schemas/B"]);
}

#[test]
fn path_parameters_are_made_required() {
    let spec = load_ok(&doc(
        json!({"/a/{id}": {"get": {"operationId": "a",
            "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}}}}),
        json!({}),
    ));
    assert_eq!(pointers(&spec), ["/paths/~1a~1{id}/get/parameters/0"]);
    assert_eq!(spec.raw.pointer("/paths/~1a~1{id}/get/parameters/0/required"), Some(&json!(true)));
}

#[test]
fn examples_and_extensions_are_not_walked() {
    let spec = load_ok(&doc(
        json!({"/a": {"x-note": {"$ref": "elsewhere.json"}, "get": {"operationId": "a", "responses": {
            "x-extra": {"no": "description"},
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "default": {"$ref": "#/nowhere"}, "x-s": {"$ref": "#/nowhere", "a": 1}},
                "example": {"$ref": "#/nowhere", "const": 1},
                "examples": {"one": {"value": {"$ref": "#/nowhere"}}}
            }}}
        }}}}),
        json!({}),
    ));
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
}

#[test]
fn percent_encoded_references_resolve() {
    let spec = load_ok(&doc(
        json!({"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A%20B"}}}}}}}}),
        json!({"schemas": {"A B": {"type": "string"}}}),
    ));
    assert!(spec.warnings.is_empty());
}

#[test]
fn warnings_display_with_their_pointer() {
    let warning = Warning { pointer: "/paths/~1a/get".to_owned(), message: "did\nthings".to_owned() };
    assert_eq!(warning.to_string(), "/paths/~1a/get: did\\nthings");
    let lines = summarize(&[
        warning.clone(),
        Warning { pointer: "/x".to_owned(), message: "named it `b`".to_owned() },
        Warning { pointer: "/y".to_owned(), message: "named it `c`".to_owned() },
    ]);
    assert_eq!(lines, ["/x: named it `b` (and 1 more like it)", "/paths/~1a/get: did\\nthings"]);
}

// ---------------------------------------------------------------- bad input

/// The absolute path of a fixture.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load").join(name)
}

/// The error for a fixture, its message made stable (paths relative to the crate).
fn load_fixture(name: &str) -> (LoadError, String) {
    let error = load_path(&fixture(name)).expect_err("the fixture must be rejected");
    let prefix = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    let message = error.to_string().replace(&prefix, "");
    (error, message)
}

macro_rules! rejects {
    ($test:ident, $file:literal, $variant:pat, $place:literal) => {
        #[test]
        fn $test() {
            let (error, message) = load_fixture($file);
            assert!(matches!(error, $variant), "{error:?}");
            assert_eq!(error.exit_code(), 2);
            let expected_start = format!("tests/fixtures/load/{}{}", $file, $place);
            assert!(message.starts_with(&expected_start), "{message}\ndoes not start with {expected_start}");
            assert!(!message.contains('\n'), "{message}");
            insta::assert_snapshot!(message);
        }
    };
}

rejects!(rejects_truncated_json, "truncated.json", LoadError::Syntax { line: 1, .. }, ":1:107: ");
rejects!(rejects_binary_garbage, "garbage.bin", LoadError::Syntax { .. }, ":1:2: ");
rejects!(rejects_yaml_syntax_errors, "bad-yaml.yaml", LoadError::Syntax { .. }, ":3:6: ");
rejects!(rejects_a_yaml_list, "not-a-mapping.yaml", LoadError::NotOpenApi30 { .. }, ": /openapi: ");
rejects!(rejects_swagger_2, "swagger2.json", LoadError::NotOpenApi30 { .. }, ": /swagger: ");
rejects!(rejects_openapi_3_1, "openapi31.yaml", LoadError::NotOpenApi30 { .. }, ": /openapi: ");
rejects!(rejects_a_missing_version, "no-version.json", LoadError::NotOpenApi30 { .. }, ": /openapi: ");
rejects!(rejects_dangling_refs, "dangling-ref.json", LoadError::DanglingRef { .. }, ": /paths/~1a/get/");
rejects!(rejects_external_refs, "external-ref.json", LoadError::UnsupportedRef { .. }, ": /paths/~1a/get/");
rejects!(rejects_ref_cycles, "ref-cycle.json", LoadError::RefCycle { .. }, ": /components/schemas/A: ");
rejects!(
    rejects_duplicate_operation_ids,
    "duplicate-operation-id.json",
    LoadError::DuplicateOperationId { .. },
    ": /paths/~1b/get: "
);
rejects!(
    rejects_unused_path_parameters,
    "unused-path-parameter.json",
    LoadError::UnusedPathParameter { .. },
    ": /paths/~1a/get/parameters/0: "
);
rejects!(
    rejects_unused_path_item_parameters,
    "unused-path-item-parameter.json",
    LoadError::UnusedPathParameter { .. },
    ": /paths/~1a~1{id}/parameters/1: "
);
rejects!(rejects_bad_structure, "bad-structure.json", LoadError::Structure { .. }, ": /paths/~1a/get/responses/200: ");
rejects!(
    rejects_bad_schemas_pointing_at_the_schema,
    "bad-schema.json",
    LoadError::Structure { .. },
    ": /components/schemas/A/properties/tags/items/minLength: "
);

#[test]
fn rejects_a_missing_file_naming_it() {
    let error = load_path(Path::new("tests/fixtures/load/no-such-file.json")).unwrap_err();
    assert!(matches!(error, LoadError::Io { .. }), "{error:?}");
    assert_eq!(error.exit_code(), 2);
    insta::assert_snapshot!(error.to_string());
}

#[test]
fn odd_inputs_are_errors_not_panics() {
    let inputs = [
        "",
        "   ",
        "null",
        "[]",
        "{}",
        "42",
        "\"openapi\"",
        "{\"openapi\": 3.0}",
        "{\"openapi\": \"3.0.3\"}",
        "{\"openapi\": \"3.0.3\", \"info\": 1, \"paths\": []}",
        "openapi: 3.0.3\ninfo: {title: t, version: 1.0}\npaths: {}\n",
        "openapi: 3.0.3\npaths:\n  /a: {get: {responses: {200: {$ref: 7}}}}\n",
        "openapi: 3.0.3\n? [a, b]\n: c\n",
        "openapi: 3.0.3\n---\nopenapi: 3.0.3\n",
        "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}",
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a/{\": {\"get\": {\"responses\": {}}}}}",
    ];
    for input in inputs {
        if let Err(error) = load_str("odd", input) {
            let message = error.to_string();
            assert!(message.starts_with("odd"), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }
}

#[test]
fn every_truncation_of_a_document_is_an_error_not_a_panic() {
    let text = std::fs::read_to_string(fixture("small.json")).unwrap();
    for end in (0..text.len()).filter(|&end| text.is_char_boundary(end)) {
        let message = load_str("cut", &text[..end]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!message.contains('\n'), "{message}");
    }
}

#[test]
fn documents_nested_too_deep_are_rejected_naming_the_place() {
    // Found by the fuzz test: reading a schema nested ~90 levels deep overflowed a
    // 2 MiB test-thread stack in openapiv3.
    let deep = (0..MAX_NESTING).fold(json!({"type": "string"}), |inner, _| json!({"items": inner}));
    let error = load_str("deep.json", &schemas(json!({"A": deep}))).unwrap_err();
    assert!(matches!(error, LoadError::Structure { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("deep.json: /components/schemas/A/items/items/"), "{message}");
    assert!(message.ends_with("/items: the document nests objects and lists more than 64 levels deep here"), "{message}");
    let shallow = (0..MAX_NESTING - 8).fold(json!({"type": "string"}), |inner, _| json!({"items": inner}));
    assert!(load_str("ok.json", &schemas(json!({"A": shallow}))).is_ok());
}

#[test]
fn a_bad_keyword_deep_in_nested_schemas_is_found_fast() {
    // Found by the fuzz test: openapiv3 tries each way a schema can be read in turn, so a
    // bad value 20 schemas deep took 30 s (release build) before this check.
    let deep = (0..20).fold(json!({"type": 7}), |inner, level| match level % 3 {
        0 => json!({"type": "object", "properties": {"a": inner}}),
        1 => json!({"oneOf": [inner]}),
        _ => json!({"type": "array", "items": inner}),
    });
    let started = std::time::Instant::now();
    let error = load_str("deep.json", &schemas(json!({"A": deep}))).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    let message = error.to_string();
    assert!(message.ends_with("/type: schema keyword `type` must be a string, found the number 7"), "{message}");
    let wrong_property = load_str("p.json", &schemas(json!({"A": {"properties": {"a": 7}}}))).unwrap_err();
    assert!(wrong_property.to_string().contains("/components/schemas/A/properties: schema keyword `properties` must be a mapping of names to schemas"), "{wrong_property}");
    let type_list = load_str("t.json", &schemas(json!({"A": {"type": ["string", "integer"]}}))).unwrap_err();
    assert!(type_list.to_string().ends_with("found a list of types (OpenAPI 3.1)"), "{type_list}");
}

// ---------------------------------------------------------------- reference chains

/// A document whose operation answers with `#/components/schemas/S0`, the first of
/// `S0` -> `S1` -> ... -> `S{links}` (an object), and takes the parameter
/// `#/components/parameters/P0` of a chain as long.
fn chained(links: usize) -> String {
    let mut schemas = serde_json::Map::new();
    let mut parameters = serde_json::Map::new();
    for i in 0..links {
        schemas.insert(format!("S{i}"), json!({"$ref": format!("#/components/schemas/S{}", i + 1)}));
        parameters.insert(format!("P{i}"), json!({"$ref": format!("#/components/parameters/P{}", i + 1)}));
    }
    schemas.insert(format!("S{links}"), json!({"type": "object"}));
    parameters.insert(format!("P{links}"), json!({"name": "q", "in": "query", "schema": {"type": "string"}}));
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "parameters": [{"$ref": "#/components/parameters/P0"}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}}},
        "components": {"schemas": schemas, "parameters": parameters}})
    .to_string()
}

#[test]
fn every_reference_points_at_the_end_of_its_chain() {
    let spec = load_str("chain.json", &chained(MAX_REF_CHAIN - 1)).unwrap();
    assert!(spec.warnings.is_empty(), "{:#?}", spec.warnings);
    let operation = &spec.raw["paths"]["/a"]["get"];
    assert_eq!(operation["parameters"][0]["$ref"], json!(format!("#/components/parameters/P{}", MAX_REF_CHAIN - 1)));
    let schema = &operation["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(schema["$ref"], json!(format!("#/components/schemas/S{}", MAX_REF_CHAIN - 1)));
    assert_eq!(spec.raw["components"]["schemas"]["S5"]["$ref"], schema["$ref"]);
}

#[test]
fn a_long_chain_is_followed_once() {
    // Quadratic following took minutes here.
    let started = std::time::Instant::now();
    let result = load_str("chain.json", &chained(50_000));
    assert!(matches!(result, Err(LoadError::RefChainTooLong { .. })), "{result:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn chains_longer_than_the_limit_are_cut_in_schemas_and_rejected_elsewhere() {
    let error = load_str("chain.json", &chained(MAX_REF_CHAIN)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "chain.json: /paths/~1a/get/parameters/0: $ref `#/components/parameters/P0` reaches its object only through more than 1000 references"
    );
    let text = chained(MAX_REF_CHAIN).replace("\"parameters\":[{\"$ref\":\"#/components/parameters/P0\"}],", "");
    let spec = load_str("chain.json", &text).unwrap();
    let warnings: Vec<String> = spec.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings, ["/paths/~1a/get/responses/200/content/application~1json/schema: `$ref` `#/components/schemas/S0` starts a chain of more than 1000 references (to `#/components/schemas/S1000`); cut here, typed as free-form JSON"]);
    assert_eq!(spec.raw.pointer("/paths/~1a/get/responses/200/content/application~1json/schema"), Some(&json!({})));
}
