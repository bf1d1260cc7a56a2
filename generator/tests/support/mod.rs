//! Helpers shared by the generator's integration tests: where things are, and how to
//! generate and build a standalone crate.
//!
//! Generated crates share one target directory, `<workspace>/target/standalone`, so their
//! dependencies compile once. Incremental compilation is off there: it would keep gigabytes
//! of session data for crates that are built once.

#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use vercel_codegen::documents::fetch::test_documents;

/// The pinned document's file name.
pub const PIN: &str = "2025-10-27.json";

/// How many lines of compiler output to show per failure.
const SHOWN_LINES: usize = 40;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The directory of Vercel documents: `VERCEL_SPECS_DIR`, else `../shared/specs/vercel`,
/// else the workspace's cache `target/vercel-documents`, where the documents of
/// `spec/documents.json` are downloaded first (see `vercel_codegen::documents`).
/// Looked up once per test binary; panics saying what to do when it cannot be had.
pub fn specs_dir() -> PathBuf {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| test_documents(&workspace())).clone().unwrap_or_else(|message| panic!("{message}"))
}

/// The pinned document.
pub fn pinned() -> PathBuf {
    specs_dir().join(PIN)
}

/// The `*.json` documents of the specs directory, sorted by name (that is, by date).
pub fn documents() -> Vec<PathBuf> {
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

/// A command running the `vercel-codegen` binary.
pub fn codegen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vercel-codegen"))
}

/// Bytes as (lossy) text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The first lines of a command's output (stderr, then stdout), for a failure report.
pub fn head(output: &Output) -> String {
    let all = format!("{}{}", text(&output.stderr), text(&output.stdout));
    let lines: Vec<&str> = all.lines().collect();
    let mut shown = lines
        .iter()
        .take(SHOWN_LINES)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > SHOWN_LINES {
        shown.push_str(&format!("\n... ({} more lines)", lines.len() - SHOWN_LINES));
    }
    shown
}

/// `vercel-codegen generate` of `spec` into `out` as package `name`, limited to `tags`,
/// with the workspace's `Cargo.lock` copied in. `Err` holds the command's output.
pub fn generate_crate(spec: &Path, out: &Path, name: &str, tags: &[&str]) -> Result<String, String> {
    let mut command = codegen();
    command.arg("generate").arg("--spec").arg(spec).arg("--out").arg(out);
    command.args(["--name", name]);
    for tag in tags {
        command.args(["--tag", tag]);
    }
    let output = command.output().unwrap();
    let all = format!("{}{}", text(&output.stderr), text(&output.stdout));
    if !output.status.success() || all.contains("panicked") {
        return Err(format!(
            "`vercel-codegen generate` exited with {}:\n{}",
            output.status,
            head(&output)
        ));
    }
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(text(&output.stderr))
}

/// `cargo <args>` in a generated crate, with warnings denied and the shared target directory.
pub fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .env("CARGO_TARGET_DIR", workspace().join("target/standalone"))
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTFLAGS", "-D warnings")
        // Would take precedence over RUSTFLAGS.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .current_dir(dir)
        .output()
        .unwrap()
}
