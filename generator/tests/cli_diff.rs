//! `vercel-codegen diff` and `drift`: formats, `--fail-on` exit codes, bad input.

use std::path::{Path, PathBuf};
use std::process::Output;

mod support;

use support::{codegen as bin, specs_dir, text, workspace, PIN};

/// A small document: one GET answering an object, and optionally a second operation.
fn document(with_second: bool, name_required: bool) -> serde_json::Value {
    let mut doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/v1/things": {"get": {
            "operationId": "getThings",
            "tags": ["things"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object",
                "required": if name_required { vec!["name"] } else { vec![] },
                "properties": {"name": {"type": "string"}}
            }}}}}
        }}}
    });
    if with_second {
        let get = doc["paths"]["/v1/things"]["get"].clone();
        let mut second = get;
        second["operationId"] = "getOther".into();
        // A shape of its own: an operation answering a known shape would rename it.
        let schema = &mut second["responses"]["200"]["content"]["application/json"]["schema"];
        schema["properties"]["other"] = serde_json::json!({"type": "boolean"});
        doc["paths"]["/v1/other"] = serde_json::json!({"get": second});
    }
    doc
}

fn write(dir: &Path, name: &str, doc: &serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

fn diff(old: &Path, new: &Path, extra: &[&str]) -> Output {
    bin().arg("diff").arg(old).arg(new).args(extra).output().unwrap()
}

#[test]
fn identical_documents_report_no_change_and_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.json", &document(false, true));
    let b = write(dir.path(), "b.json", &document(false, true));
    let output = diff(&a, &b, &["--fail-on", "any"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "a.json -> b.json\nno change\nsemver: patch (a 0.x crate bumps its patch version (0.1.3 -> 0.1.4))\n");
}

#[test]
fn fail_on_decides_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.json", &document(false, true));
    let added = write(dir.path(), "added.json", &document(true, true));
    let optional = write(dir.path(), "optional.json", &document(false, false));

    // An added operation: compatible.
    assert_eq!(diff(&base, &added, &[]).status.code(), Some(0));
    assert_eq!(diff(&base, &added, &["--fail-on", "breaking"]).status.code(), Some(0));
    assert_eq!(diff(&base, &added, &["--fail-on", "spec-breaking"]).status.code(), Some(0));
    let failed = diff(&base, &added, &["--fail-on", "compatible"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(text(&failed.stderr).contains("changes at the --fail-on level"), "{}", text(&failed.stderr));

    // A response field made optional: breaking.
    assert_eq!(diff(&base, &optional, &["--fail-on", "spec-breaking"]).status.code(), Some(1));
    let output = diff(&base, &optional, &["--fail-on", "breaking"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("operation getThings, response 200.name: response field became optional"), "{stdout}");
    assert!(stdout.contains("semver: major"), "{stdout}");
}

#[test]
fn markdown_and_json_formats() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.json", &document(false, true));
    let added = write(dir.path(), "added.json", &document(true, true));
    let markdown = text(&diff(&base, &added, &["--format", "markdown"]).stdout);
    assert!(markdown.starts_with("### Vercel API drift: `base.json` -> `added.json`"), "{markdown}");
    assert!(markdown.contains("Semver: **minor**"), "{markdown}");
    let json = text(&diff(&base, &added, &["--format", "json"]).stdout);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["bump"], "minor");
    assert_eq!(value["changes"][0]["subject"], "operation getOther");
    assert_eq!(value["changes"][0]["severity"], "compatible");
    assert_eq!(value["changes"][0]["kind"], "operation-added");
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.json", &document(false, true));
    let missing = diff(&base, Path::new("no/such.json"), &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no/such.json: cannot read the file"), "{}", text(&missing.stderr));

    let truncated = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load/truncated.json");
    let bad = diff(&truncated, &base, &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("truncated.json:1:107: not valid JSON"), "{}", text(&bad.stderr));
    assert!(!text(&bad.stderr).contains("panicked"));
}

/// A workspace holding only the real pin.
fn pin_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::copy(workspace().join("spec/pin.json"), dir.path().join("spec/pin.json")).unwrap();
    dir
}

fn drift(workspace: &Path) -> std::process::Command {
    let mut command = bin();
    command
        .arg("drift")
        .arg("--workspace")
        .arg(workspace)
        .env("VERCEL_SPECS_DIR", specs_dir())
        .env_remove("VERCEL_OPENAPI_SPEC")
        .env_remove("VERCEL_OPENAPI_CANDIDATE");
    command
}

#[test]
fn drift_compares_a_candidate_with_the_pin() {
    let ws = pin_workspace();
    let same = drift(ws.path()).arg("--candidate").arg(specs_dir().join(PIN)).args(["--fail-on", "any"]).output().unwrap();
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    assert!(text(&same.stdout).contains("no change"), "{}", text(&same.stdout));

    // The candidate from the environment: the previous version, which the pin changed.
    let older = drift(ws.path())
        .env("VERCEL_OPENAPI_CANDIDATE", specs_dir().join("2025-10-24.json"))
        .args(["--fail-on", "breaking", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(older.status.code(), Some(1), "{}", text(&older.stderr));
    let stdout = text(&older.stdout);
    assert!(stdout.starts_with(&format!("### Vercel API drift: `{PIN}` -> `2025-10-24.json`")), "{stdout}");
    assert!(stdout.contains("- `operation getProjectClientCerts`: operation removed"), "{stdout}");
}

#[test]
fn drift_without_a_candidate_is_bad_input() {
    let ws = pin_workspace();
    let output = drift(ws.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("VERCEL_OPENAPI_CANDIDATE"), "{}", text(&output.stderr));
}
