//! Every stored version of Vercel's document generates a full crate that builds without
//! warnings (and, for the pin, passes clippy).
//!
//! The crates go to `<workspace>/target/all-versions/<date>/`, each with its own package
//! name, and share one target directory (`<workspace>/target/standalone`), so the
//! dependencies compile once. Every version is tried before anything is asserted, and the
//! failure message lists every version that failed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

/// The pinned document.
const PIN: &str = "2025-10-27.json";

/// How many lines of compiler output to show per failure.
const SHOWN_LINES: usize = 40;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn specs_dir() -> PathBuf {
    std::env::var_os("VERCEL_SPECS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/specs/vercel"))
}

/// The `*.json` documents of the specs directory, sorted by name (that is, by date).
fn documents() -> Vec<PathBuf> {
    let dir = specs_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the specs directory {}: {e}", dir.display()));
    let mut found: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
        .collect();
    found.sort();
    found
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The first lines of a command's output (stderr, then stdout), for a failure report.
fn head(output: &Output) -> String {
    let all = format!("{}{}", text(&output.stderr), text(&output.stdout));
    let lines: Vec<&str> = all.lines().collect();
    let mut shown = lines.iter().take(SHOWN_LINES).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > SHOWN_LINES {
        shown.push_str(&format!("\n... ({} more lines)", lines.len() - SHOWN_LINES));
    }
    shown
}

/// `cargo <args>` in a generated crate, with warnings denied and the shared target directory.
fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .env("CARGO_TARGET_DIR", workspace().join("target/standalone"))
        .env("RUSTFLAGS", "-D warnings")
        // Would take precedence over RUSTFLAGS.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Generates the full crate of `spec` into `out`; `Err` describes what went wrong.
fn generate(spec: &Path, out: &Path, name: &str) -> Result<(), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_vercel-codegen"))
        .arg("generate")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .arg("--name")
        .arg(name)
        .output()
        .unwrap();
    let all = format!("{}{}", text(&output.stderr), text(&output.stdout));
    let panics: Vec<&str> = all.lines().filter(|l| l.contains("panicked")).collect();
    if !output.status.success() || !panics.is_empty() {
        return Err(format!(
            "`vercel-codegen generate` exited with {} (panic lines: {})\n{}",
            output.status,
            panics.len(),
            head(&output)
        ));
    }
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

#[test]
fn every_version_generates_a_crate_that_builds_without_warnings() {
    let documents = documents();
    assert!(!documents.is_empty(), "no documents in {}", specs_dir().display());
    assert!(
        documents.iter().any(|d| d.file_name().is_some_and(|n| n == PIN)),
        "the pin {PIN} is not in {}",
        specs_dir().display()
    );
    let root = workspace().join("target/all-versions");
    let mut failures: Vec<String> = Vec::new();
    let mut compiled: Vec<String> = Vec::new();
    for spec in &documents {
        let date = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let started = Instant::now();
        let out = root.join(&date);
        let name = format!("vercel-api-{date}");
        if let Err(message) = generate(spec, &out, &name) {
            failures.push(format!("{date}: generate failed: {message}"));
            println!("{date}: generate FAILED ({:.1?})", started.elapsed());
            continue;
        }
        let mut ok = true;
        let check = cargo(&out, &["check", "--quiet", "--all-targets"]);
        if !check.status.success() {
            ok = false;
            failures.push(format!("{date}: cargo check --all-targets failed:\n{}", head(&check)));
        }
        if spec.file_name().is_some_and(|n| n == PIN) {
            let clippy = cargo(&out, &["clippy", "--quiet", "--", "-D", "warnings"]);
            if !clippy.status.success() {
                ok = false;
                failures.push(format!("{date}: cargo clippy -- -D warnings failed:\n{}", head(&clippy)));
            }
        }
        println!("{date}: {} ({:.1?})", if ok { "ok" } else { "FAILED" }, started.elapsed());
        if ok {
            compiled.push(date);
        }
    }
    println!("versions that built: {}/{}", compiled.len(), documents.len());
    assert!(
        failures.is_empty(),
        "{} of {} versions failed:\n\n{}",
        documents.len() - compiled.len(),
        documents.len(),
        failures.join("\n\n")
    );
}
