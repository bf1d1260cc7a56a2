//! The naming-hazards fixture (`tests/fixtures/hazards.json`: every Rust keyword, std and
//! prelude names, names that collide once made identifiers, symbol-only and empty names,
//! recursive schemas) generates a crate that passes clippy with warnings denied, and whose
//! types round-trip sample JSON (`tests/fixtures/hazards_roundtrip.rs`, run in that crate).
//!
//! The crate goes to `<workspace>/target/hazards/` and builds in the shared target
//! directory `<workspace>/target/standalone`.

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
    assert!(report.contains("6 passed"), "{report}");
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
