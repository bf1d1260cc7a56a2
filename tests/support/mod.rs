//! Shared by the integration tests: the pinned document and its generation, and a
//! client of a mock server.

#![allow(dead_code)]

pub mod mock;
pub mod raw;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use vercel_codegen::documents::fetch::test_documents;
use vercel_codegen::generate::{generate_pinned_sources, Generated};
use vercel_codegen::{load, pin};

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pinned document's path: `VERCEL_OPENAPI_SPEC`, else in the documents directory
/// (`VERCEL_SPECS_DIR`, `../shared/specs/vercel`, or the cache `target/vercel-documents`,
/// downloaded into first; see `vercel_codegen::documents`). Panics saying what to do when
/// it cannot be had.
pub fn pinned_spec_path() -> (pin::Pin, PathBuf) {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let root = workspace();
    let pin = pin::read_pin(&root).expect("spec/pin.json");
    if let Some(path) = std::env::var_os(pin::SPEC_FILE_ENV).filter(|v| !v.is_empty()) {
        return (pin, PathBuf::from(path));
    }
    let dir = DIR.get_or_init(|| test_documents(&root)).clone().unwrap_or_else(|message| panic!("{message}"));
    let path = dir.join(&pin.file);
    assert!(
        path.is_file(),
        "{}: the pinned document is not there; run `cargo run -p vercel-codegen -- fetch-documents`, \
         or set {} / {}",
        path.display(),
        pin::SPECS_DIR_ENV,
        pin::SPEC_FILE_ENV
    );
    (pin, path)
}

/// A fresh generation of the client from the pinned document, as `build.rs` makes it.
pub fn generate_pinned() -> Generated {
    let (pin, path) = pinned_spec_path();
    let bytes = std::fs::read(&path).expect("read the pinned document");
    pin::verify(&pin, &path, &bytes).expect("the pinned document matches spec/pin.json");
    let spec = load::load_path(Path::new(&path)).expect("the pinned document loads");
    generate_pinned_sources(spec, &pin).expect("generation succeeds")
}
