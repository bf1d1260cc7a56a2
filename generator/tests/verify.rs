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
