//! The `vercel-codegen` command line: exit codes, outputs, and a standalone crate that builds.

use std::path::Path;
use std::process::{Command, Output};

mod support;

use support::{codegen as bin, pinned, workspace};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn generate_writes_a_standalone_crate_that_builds() {
    let out = tempfile::tempdir().unwrap();
    let output = bin()
        .args(["generate", "--tag", "marketplace", "--name", "vercel-marketplace"])
        .arg("--spec")
        .arg(pinned())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("generated 22 operations"), "{}", stderr(&output));
    for file in ["Cargo.toml", "src/lib.rs", "src/marketplace.rs", "src/runtime/client.rs"] {
        assert!(out.path().join(file).is_file(), "{file} was not written");
    }
    // Reuse the workspace's resolved versions and build cache.
    std::fs::copy(workspace().join("Cargo.lock"), out.path().join("Cargo.lock")).unwrap();
    let check = support::cargo(out.path(), &["check", "--quiet", "--message-format", "short"]);
    assert!(check.status.success(), "the generated crate does not build:\n{}", stderr(&check));
}

#[test]
fn generate_rejects_bad_input_with_exit_code_2() {
    let out = tempfile::tempdir().unwrap();
    let missing = bin()
        .args(["generate", "--spec", "no/such.json", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no/such.json: cannot read the file"), "{}", stderr(&missing));

    let truncated = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load/truncated.json");
    let bad = bin().arg("generate").arg("--spec").arg(&truncated).arg("--out").arg(out.path()).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("truncated.json:1:107: not valid JSON"), "{}", stderr(&bad));
    assert!(!stderr(&bad).contains("panicked"));

    let usage = bin().args(["generate", "--bogus"]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

/// A workspace with the real pin and a copy of the committed `generated/`.
fn workspace_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::copy(workspace().join("spec/pin.json"), dir.path().join("spec/pin.json")).unwrap();
    let copy = Command::new("cp")
        .arg("-r")
        .arg(workspace().join("generated"))
        .arg(dir.path().join("generated"))
        .status()
        .unwrap();
    assert!(copy.success());
    dir
}

fn check(dir: &Path) -> Output {
    bin().arg("check").arg("--workspace").arg(dir).arg("--spec").arg(pinned()).output().unwrap()
}

#[test]
fn check_passes_on_the_committed_code_and_fails_when_it_is_stale() {
    let dir = workspace_copy();
    let fresh = check(dir.path());
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));

    let marketplace = dir.path().join("generated/marketplace.rs");
    let edited = std::fs::read_to_string(&marketplace).unwrap() + "\n// edited by hand\n";
    std::fs::write(&marketplace, edited).unwrap();
    std::fs::write(dir.path().join("generated/stray.rs"), "").unwrap();
    let stale = check(dir.path());
    assert_eq!(stale.status.code(), Some(1));
    let message = stderr(&stale);
    assert!(message.contains("changed: marketplace.rs"), "{message}");
    assert!(message.contains("not generated: stray.rs"), "{message}");
    assert!(message.contains("cargo build"), "{message}");
}

#[test]
fn stats_counts_operations_and_types_per_tag() {
    let output = bin().arg("stats").arg("--spec").arg(pinned()).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    let row = text.lines().find(|l| l.starts_with("marketplace ")).expect("a marketplace row");
    let numbers: Vec<&str> = row.split_whitespace().skip(1).collect();
    assert_eq!(numbers[0], "21", "{text}");
    assert!(text.lines().any(|l| l.starts_with("total ") && l.contains(" 216 ")), "{text}");
    assert!(text.contains("free-form JSON fields: "), "{text}");
    assert!(text.contains("generated lines: "), "{text}");
}
