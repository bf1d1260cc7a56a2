//! The naming-hazards fixture (`tests/fixtures/hazards.json`: every Rust keyword, std and
//! prelude names, names that collide once made identifiers, symbol-only and empty names,
//! recursive schemas) generates a crate that passes clippy with warnings denied, and whose
//! types round-trip sample JSON (`tests/fixtures/hazards_roundtrip.rs`, run in that crate).
//!
//! The hostile-text fixture (`tests/fixtures/hostile-text.json`: carriage returns,
//! `*/`, `#![`, backtick runs, NUL and right-to-left marks in the title, descriptions,
//! property names and enum values; code fences of every kind whose code fails if it
//! is compiled or run) generates a crate that compiles with warnings denied and whose
//! doctests are only the generator's own.
//!
//! The crates go to `<workspace>/target/hazards/` and `<workspace>/target/hostile-text/`
//! and build in the shared target directory `<workspace>/target/standalone`.

mod support;

use std::path::PathBuf;

use support::{cargo, generate_crate, head, workspace};
use vercel_codegen::ir::{self, Filter};
use vercel_codegen::load::load_path;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn hazards_crate_passes_clippy_and_round_trips_its_data() {
    let out = workspace().join("target/hazards");
    let _ = std::fs::remove_dir_all(&out);
    let stderr = generate_crate(&fixture("hazards.json"), &out, "hazards", &[]).unwrap_or_else(|m| panic!("{m}"));
    assert!(stderr.contains("`Loop` refers to itself"), "{stderr}");
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::copy(fixture("hazards_roundtrip.rs"), out.join("tests/roundtrip.rs")).unwrap();

    let clippy = cargo(&out, &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    assert!(clippy.status.success(), "clippy failed on the hazards crate:\n{}", head(&clippy));
    let test = cargo(&out, &["test", "--tests", "--quiet"]);
    assert!(test.status.success(), "the round trips failed:\n{}", head(&test));
    let report = support::text(&test.stdout);
    assert!(report.contains("7 passed"), "{report}");
}

#[test]
fn hazard_names_snapshot() {
    let spec = load_path(&fixture("hazards.json")).unwrap();
    let api = ir::build(&spec, &Filter::default()).api;
    let mut lines: Vec<String> = api.types.values().map(|ty| format!("type {} <- {}", ty.name, ty.pointer)).collect();
    for op in &api.operations {
        let params: Vec<&str> = op.params.iter().map(|p| p.rust_name.as_str()).collect();
        lines.push(format!("{}::{} <- {:?} ({})", op.group, op.fn_name, op.id, params.join(", ")));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn hostile_text_compiles_readably_and_no_fence_of_the_document_runs() {
    let out = workspace().join("target/hostile-text");
    let _ = std::fs::remove_dir_all(&out);
    // Named as the runtime's own doctest (`vercel_api::Client::new`) expects.
    generate_crate(&fixture("hostile-text.json"), &out, "vercel-api", &[]).unwrap_or_else(|m| panic!("{m}"));
    let module = std::fs::read_to_string(out.join("src/hostile.rs")).unwrap();
    let module: String = module.lines().map(str::trim_start).collect::<Vec<_>>().join("\n");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    // Line breaks of every kind are lines; other control characters are escapes.
    for expected in [
        "/// CR\n/// here, CRLF\n/// there, */ closes, #!\\[no_std\\] opens,",
        "/// ```text\n/// panic!(\"a CR fence ran\");\n/// ```",
        "/// Summary line one\n/// line two */",
        "/// `cr\\rvalue`",
        "/// ``` ``double`` ```",
        "/// `nul\\u{0}`",
    ] {
        assert!(module.contains(expected), "src/hostile.rs lacks {expected:?}:\n{module}");
    }
    assert!(lib.contains("//! A typed async client for the Hostile text */ #!\\[no_std\\]"), "{lib}");
    // Wire values stay exact, as escaped string literals.
    for literal in [r#"rename = "cr\rvalue""#, r#"rename = "crlf\r\nvalue""#, r#"rename = "nul\0""#, r#"rename = "a\rb""#] {
        assert!(module.contains(literal), "src/hostile.rs lacks {literal}");
    }
    // Every fence of the document is text (and closed by the fence that opened it).
    let mut opened = 0;
    let mut open: Option<&str> = None;
    for line in module.lines().filter_map(|l| l.strip_prefix("/// ")) {
        // (Backticks followed by another backtick are a code span, not a fence.)
        let is_fence =
            (line.starts_with("```") && !line.trim_start_matches('`').contains('`')) || line.starts_with("~~~");
        match open {
            None if is_fence => {
                let marker = line.strip_suffix("text").unwrap_or_else(|| panic!("a fence that is not text: {line}"));
                open = Some(marker);
                opened += 1;
            }
            Some(marker) if line == marker => open = None,
            _ => {}
        }
    }
    assert!(open.is_none() && opened >= 11, "{opened} fences:\n{module}");

    // Compiles (warnings denied) and runs the doctests: a fence of the document that
    // became one would fail (`panic!`, `compile_error!`); the runtime's one is `no_run`.
    let test = cargo(&out, &["test", "--doc"]);
    let report = support::text(&test.stdout);
    assert!(test.status.success(), "the hostile-text crate failed:\n{}", head(&test));
    let doctests: Vec<&str> = report.lines().filter(|l| l.starts_with("test ") && !l.starts_with("test result")).collect();
    assert!(!doctests.is_empty() && doctests.iter().all(|l| l.contains("runtime")), "{report}");
}
