//! Malformed documents (`tests/fixtures/diagnostics/`), each giving exactly one clear
//! diagnostic that names the file and a JSON pointer (or line:column): files named
//! `warning-*` load and generate with one warning, the others are rejected with one
//! error (exit code 2 through the command line). More rejected documents, with their
//! own snapshots, are in `tests/fixtures/load/` (see `src/load/tests.rs`).

mod support;

use std::path::{Path, PathBuf};

use vercel_codegen::emit::crate_sources;
use vercel_codegen::ir::{self, Filter};
use vercel_codegen::load::load_path;

/// The directory, relative to the crate (the tests' working directory), so messages are stable.
const DIR: &str = "tests/fixtures/diagnostics";

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(DIR).unwrap().map(|entry| Path::new(DIR).join(entry.unwrap().file_name())).collect();
    files.sort();
    files
}

fn is_warning_fixture(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name.to_string_lossy().starts_with("warning-"))
}

/// Every diagnostic the pipeline gives for a document: its load error, or the warnings
/// of loading and building the IR (whose code must then format).
fn diagnostics(path: &Path) -> Vec<String> {
    let source = path.display().to_string();
    match load_path(path) {
        Err(error) => {
            assert_eq!(error.exit_code(), 2);
            vec![format!("error: {error}")]
        }
        Ok(spec) => {
            let built = ir::build(&spec, &Filter::default());
            if let Err(error) = crate_sources(&built.api) {
                panic!("{source}: {error}");
            }
            spec.warnings.iter().chain(&built.warnings).map(|w| format!("warning: {source}: {w}")).collect()
        }
    }
}

/// Does the message name the place: `file: /pointer`, `file: (root)` or `file:line:column`?
fn names_the_place(message: &str, source: &str) -> bool {
    let Some(rest) = message.split_once(source).map(|(_, rest)| rest) else { return false };
    if rest.starts_with(": /") || rest.starts_with(": (root):") {
        return true;
    }
    let mut numbers = rest.splitn(4, ':').skip(1);
    let line = numbers.next().is_some_and(|n| n.parse::<usize>().is_ok());
    let column = numbers.next().is_some_and(|n| n.parse::<usize>().is_ok());
    line && column
}

#[test]
fn each_malformed_document_gives_one_diagnostic_naming_the_place() {
    let files = fixtures();
    assert!(files.len() >= 20, "only {} diagnostics fixtures", files.len());
    let mut report = Vec::new();
    for path in &files {
        let source = path.display().to_string();
        let found = diagnostics(path);
        assert_eq!(found.len(), 1, "{source}: expected one diagnostic, got {found:#?}");
        let message = &found[0];
        let expected = if is_warning_fixture(path) { "warning: " } else { "error: " };
        assert!(message.starts_with(expected), "{message}");
        assert!(names_the_place(message, &source), "{message}\ndoes not name the place");
        assert!(!message.contains('\n'), "{message}");
        report.push(message.clone());
    }
    insta::assert_snapshot!(report.join("\n"));
}

#[test]
fn the_command_line_exits_with_2_on_errors_and_0_on_warnings() {
    let out = tempfile::tempdir().unwrap();
    for path in fixtures() {
        let output = support::codegen().arg("generate").arg("--spec").arg(&path).arg("--out").arg(out.path()).output().unwrap();
        let stderr = support::text(&output.stderr);
        let expected = diagnostics(&path).remove(0);
        assert!(stderr.contains(&expected), "{}: {stderr}\ndoes not contain {expected}", path.display());
        assert!(!stderr.contains("panicked"), "{stderr}");
        let code = if is_warning_fixture(&path) { 0 } else { 2 };
        assert_eq!(output.status.code(), Some(code), "{}: {stderr}", path.display());
    }
}
