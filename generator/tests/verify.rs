//! `vercel-codegen verify` end to end on a slice of the pinned document: the harness is
//! generated, built against the generated crate and run, and every check passes.

mod support;

use support::{codegen, pinned, text, workspace};

#[test]
fn verify_proves_the_marketplace_slice_of_the_pin() {
    let output = codegen()
        .args(["verify", "--tag", "marketplace"])
        .arg("--spec")
        .arg(pinned())
        .arg("--keep")
        .arg(workspace().join("target/verify-marketplace"))
        .arg("--target-dir")
        .arg(workspace().join("target/verify"))
        .output()
        .unwrap();
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "verify failed ({}):\n{}\n{}",
        output.status,
        text(&output.stderr),
        stdout
    );
    let summary = stdout.lines().last().unwrap_or_default();
    let counts: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().unwrap())
        .collect();
    assert!(summary.starts_with("verified: schemas "), "{summary}");
    assert_eq!(counts.len(), 4, "{summary}");
    assert_eq!(counts[0], counts[1], "{summary}");
    assert_eq!(counts[2], counts[3], "{summary}");
    // The slice has 22 operations, and at least one schema per request or response body.
    assert_eq!(counts[3], 22, "{summary}");
    assert!(counts[1] >= 20, "{summary}");
}

#[test]
fn verify_rejects_a_missing_document_with_exit_code_2() {
    let output = codegen().args(["verify", "--spec", "no/such.json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}

/// A schema no value satisfies (a required property that `additionalProperties: false`
/// forbids, as Vercel's SRV record does): every synthesized instance is rejected by the
/// validator, and `verify` must report it, for the schema and for the operation.
#[test]
fn verify_reports_an_unsatisfiable_schema_and_honours_known_failures() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verify/unsatisfiable.json");
    let keep = workspace().join("target/verify-unsatisfiable");
    let run = |extra: &[&std::ffi::OsStr]| {
        codegen()
            .arg("verify")
            .arg("--spec")
            .arg(&spec)
            .arg("--keep")
            .arg(&keep)
            .arg("--target-dir")
            .arg(workspace().join("target/verify"))
            .args(extra)
            .output()
            .unwrap()
    };
    let failed = run(&[]);
    let stdout = text(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{}\n{stdout}", text(&failed.stderr));
    let pointer = "/paths/~1v1~1things~1{id}/get/responses/200/content/application~1json/schema";
    assert!(stdout.contains(&format!("FAILED schema {pointer}: ")), "{stdout}");
    assert!(stdout.contains("the validator rejects a synthesized instance"), "{stdout}");
    assert!(stdout.contains("'name' was unexpected"), "{stdout}");
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(stdout.contains("FAILED operation getThing: "), "{stdout}");
    assert!(summary.starts_with("verified: schemas 0/1 round-trip, operations 0/1 over HTTP"), "{stdout}");

    let known = keep.join("known-failures");
    std::fs::write(&known, format!("schema {pointer}\noperation getThing\n")).unwrap();
    let tolerated = run(&[std::ffi::OsStr::new("--known-failures"), known.as_os_str()]);
    assert!(tolerated.status.success(), "{}\n{}", text(&tolerated.stderr), text(&tolerated.stdout));
    assert!(text(&tolerated.stdout).contains("KNOWN schema"), "{}", text(&tolerated.stdout));
}
