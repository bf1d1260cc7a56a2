//! Tests of loading: every real document, YAML input, each repair and each bad input.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;

/// The directory of real Vercel documents (`VERCEL_SPECS_DIR`, or `../shared/specs/vercel`
/// beside the workspace).
pub(crate) fn specs_dir() -> PathBuf {
    std::env::var_os(crate::pin::SPECS_DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/vercel"))
}

fn real_documents() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(specs_dir())
        .expect("the Vercel documents directory (set VERCEL_SPECS_DIR)")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn count(warnings: &[Warning], needle: &str) -> usize {
    warnings.iter().filter(|w| w.message.contains(needle)).count()
}

#[test]
fn every_real_document_loads() {
    let files = real_documents();
    assert!(files.len() >= 13, "expected the 13 Vercel documents, found {}", files.len());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| load_path(path).err().map(|e| e.to_string()))
        .collect();
    assert!(failures.is_empty(), "documents that failed to load:\n{}", failures.join("\n"));
}

#[test]
fn old_documents_get_response_descriptions() {
    let spec = load_path(&specs_dir().join("2024-11-25.json")).unwrap();
    assert!(count(&spec.warnings, "no `description`") > 200);
}

#[test]
fn ref_siblings_are_kept_through_all_of() {
    let spec = load_path(&specs_dir().join("2025-10-06.json")).unwrap();
    assert!(count(&spec.warnings, "sibling keys") >= 10);
    let pointer = "/paths/~1v1~1registrar~1tlds~1{tld}~1price/get/responses/200/content/application~1json/schema/properties/purchasePrice";
    let repaired = spec.raw.pointer(pointer).unwrap();
    assert_eq!(repaired["nullable"], json!(true));
    assert!(repaired["allOf"][0]["$ref"].is_string());
}

#[test]
fn the_pin_gets_operation_ids_and_the_undeclared_team_id() {
    let spec = load_path(&specs_dir().join("2025-10-27.json")).unwrap();
    let operations: Vec<_> = spec.openapi.operations().collect();
    assert_eq!(operations.len(), 216);
    assert!(operations.iter().all(|(_, _, op)| op.operation_id.is_some()));
    assert_eq!(count(&spec.warnings, "no operationId"), 7);
    let members = spec
        .warnings
        .iter()
        .find(|w| w.message.contains("{teamId}"))
        .expect("a warning for the undeclared {teamId}");
    assert_eq!(members.pointer, "/paths/~1v3~1teams~1{teamId}~1members/get/parameters");
    let names: Vec<&str> = operations
        .iter()
        .filter_map(|(_, _, op)| op.operation_id.as_deref())
        .filter(|id| id.contains("InstallationIntegration"))
        .collect();
    assert!(names.contains(&"createInstallationIntegrationEdgeConfig"), "{names:?}");
}

#[test]
fn yaml_documents_load() {
    let yaml = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a/{id}:\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {type: string}\n";
    let spec = load_str("inline.yaml", yaml).unwrap();
    assert_eq!(spec.openapi.paths.paths.len(), 1);
    let kinds: Vec<&str> = spec.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}

#[test]
fn const_becomes_a_one_value_enum() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"type": "object", "properties": {"kind": {"type": "string", "const": "x"}}}}}});
    let spec = load_str("const.json", &doc.to_string()).unwrap();
    assert_eq!(spec.raw.pointer("/components/schemas/A/properties/kind/enum"), Some(&json!(["x"])));
    assert_eq!(spec.warnings[0].pointer, "/components/schemas/A/properties/kind/const");
}

#[test]
fn missing_operation_ids_use_the_name_override_or_method_and_path() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
        "/v1/things/{thingId}": {
            "get": {"x-speakeasy-name-override": "getThing", "responses": {"200": {"description": "ok"}},
                    "parameters": [{"name": "thingId", "in": "path", "required": true, "schema": {"type": "string"}}]},
            "delete": {"responses": {"204": {"description": "gone"}},
                    "parameters": [{"name": "thingId", "in": "path", "required": true, "schema": {"type": "string"}}]}
        }}});
    let spec = load_str("ids.json", &doc.to_string()).unwrap();
    let ids: Vec<_> = spec.openapi.operations().filter_map(|(_, _, op)| op.operation_id.clone()).collect();
    assert_eq!(ids, ["getThing", "delete_v1_things_thing_id"]);
}

#[test]
fn warnings_are_summarised_by_kind() {
    let spec = load_path(&specs_dir().join("2024-11-25.json")).unwrap();
    let lines = summarize(&spec.warnings);
    assert!(lines.len() < 10, "{lines:#?}");
    assert!(lines[0].contains("more like it"), "{lines:#?}");
}

/// Loads a fixture by its path relative to the generator crate (so messages are stable).
fn load_fixture(name: &str) -> LoadError {
    let relative = format!("tests/fixtures/load/{name}");
    let absolute = Path::new(env!("CARGO_MANIFEST_DIR")).join(&relative);
    let text = std::fs::read(&absolute).expect("fixture");
    match String::from_utf8(text) {
        Ok(text) => load_str(&relative, &text).expect_err("the fixture must be rejected"),
        Err(_) => load_path(&absolute).expect_err("binary fixture must be rejected"),
    }
}

macro_rules! rejects {
    ($test:ident, $file:literal, $variant:pat) => {
        #[test]
        fn $test() {
            let error = load_fixture($file);
            assert!(matches!(error, $variant), "{error:?}");
            assert_eq!(error.exit_code(), 2);
            let message = error.to_string().replace(env!("CARGO_MANIFEST_DIR"), "<generator>");
            insta::assert_snapshot!(message);
        }
    };
}

rejects!(rejects_truncated_json, "truncated.json", LoadError::Syntax { .. });
rejects!(rejects_binary_garbage, "garbage.bin", LoadError::Syntax { .. });
rejects!(rejects_yaml_syntax_errors, "bad-yaml.yaml", LoadError::Syntax { .. });
rejects!(rejects_a_yaml_list, "not-a-mapping.yaml", LoadError::NotOpenApi30 { .. });
rejects!(rejects_swagger_2, "swagger2.json", LoadError::NotOpenApi30 { .. });
rejects!(rejects_openapi_3_1, "openapi31.yaml", LoadError::NotOpenApi30 { .. });
rejects!(rejects_a_missing_version, "no-version.json", LoadError::NotOpenApi30 { .. });
rejects!(rejects_dangling_refs, "dangling-ref.json", LoadError::DanglingRef { .. });
rejects!(rejects_external_refs, "external-ref.json", LoadError::ExternalRef { .. });
rejects!(rejects_ref_cycles, "ref-cycle.json", LoadError::RefCycle { .. });
rejects!(rejects_duplicate_operation_ids, "duplicate-operation-id.json", LoadError::DuplicateOperationId { .. });
rejects!(rejects_unused_path_parameters, "unused-path-parameter.json", LoadError::UnusedPathParameter { .. });
rejects!(rejects_bad_structure, "bad-structure.json", LoadError::Structure { .. });

#[test]
fn rejects_a_missing_file_naming_it() {
    let error = load_path(Path::new("no/such/spec.json")).unwrap_err();
    assert!(matches!(error, LoadError::Io { .. }));
    assert!(error.to_string().starts_with("no/such/spec.json: cannot read the file"), "{error}");
}
