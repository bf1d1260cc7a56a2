//! Generation speed on the pinned document.
//!
//! - `whole_process`: the release `vercel-codegen generate` binary, start to exit
//!   (read, parse, repair, IR, emit, format, write), for the Marketplace client and
//!   for every operation.
//! - `pipeline`: the library stages in-process, to see where the time goes.
//!
//! Run with `cargo bench -p vercel-codegen --bench generate`; the documents are read
//! from `VERCEL_SPECS_DIR`, `../shared/specs/vercel` or `target/vercel-documents`, as the
//! tests read them (downloaded first when none exists).

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use vercel_codegen::documents::fetch::test_documents;
use vercel_codegen::ir::{self, Filter};
use vercel_codegen::{emit, load};

fn pinned() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = test_documents(&workspace).unwrap_or_else(|message| panic!("{message}"));
    dir.join("2025-10-27.json")
}

fn whole_process(c: &mut Criterion) {
    let spec = pinned();
    let out = std::env::temp_dir().join("vercel-codegen-bench");
    let mut group = c.benchmark_group("whole_process");
    group.sample_size(20);
    for (name, tags) in [("marketplace", vec!["--tag", "marketplace"]), ("all", vec![])] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let status = Command::new(env!("CARGO_BIN_EXE_vercel-codegen"))
                    .arg("generate")
                    .arg("--spec")
                    .arg(&spec)
                    .arg("--out")
                    .arg(&out)
                    .args(&tags)
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("run vercel-codegen");
                assert!(status.success());
            })
        });
    }
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let text = std::fs::read_to_string(pinned()).expect("the pinned document");
    let spec = load::load_str("pinned", &text).expect("loads");
    let all = Filter::default();
    let api = ir::build(&spec, &all).api;
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(20);
    group.bench_function("load", |b| b.iter(|| load::load_str("pinned", &text).expect("loads")));
    group.bench_function("ir", |b| b.iter(|| ir::build(&spec, &all)));
    group.bench_function("emit_and_format", |b| b.iter(|| emit::crate_sources(&api).expect("emits")));
    group.finish();
}

criterion_group!(benches, whole_process, pipeline);
criterion_main!(benches);
