//! Shared by the integration tests: the pinned document and its generation, and a
//! client of a mock server.

#![allow(dead_code)]

pub mod mock;
pub mod raw;

use std::path::{Path, PathBuf};

use vercel_codegen::generate::{generate_pinned_sources, Generated};
use vercel_codegen::{load, pin};

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pinned document's path; panics with instructions when it cannot be found.
pub fn pinned_spec_path() -> (pin::Pin, PathBuf) {
    let root = workspace();
    let pin = pin::read_pin(&root).expect("spec/pin.json");
    let path = pin::locate_spec(&pin, &root).unwrap_or_else(|| {
        panic!(
            "the pinned document {} was not found: put the Vercel documents in ../shared/specs/vercel \
             or set {} / {}",
            pin.file,
            pin::SPECS_DIR_ENV,
            pin::SPEC_FILE_ENV
        )
    });
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
