//! The whole pipeline for one document, and writing or checking its output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::emit;
use crate::format::FormatError;
use crate::ir::{self, Filter};
use crate::load::{LoadedSpec, Warning};

/// The generated sources of a client crate.
#[derive(Debug, Clone)]
pub struct Generated {
    /// File contents by path relative to the crate's source directory.
    pub sources: BTreeMap<String, String>,
    /// The IR they were emitted from.
    pub api: ir::Api,
    /// Approximations made while building the IR (load warnings are on the spec).
    pub warnings: Vec<Warning>,
}

/// Generation failed after the document loaded.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// Emitted code did not parse (a generator bug).
    #[error(transparent)]
    Format(#[from] FormatError),
    /// An output file could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Runs IR construction, emission and formatting for the operations `filter` admits.
/// The document is dropped once the IR is built, before the memory-hungry emission.
pub fn generate_sources(spec: LoadedSpec, filter: &Filter) -> Result<Generated, GenerateError> {
    generate_documented(spec, filter, &emit::CrateDoc::Summary)
}

/// The front page of the workspace's own crate: the README beside `generated/`, whose
/// examples are then doctests of the crate.
pub const WORKSPACE_CRATE_DOC: &str = "../README.md";

/// Generates the workspace's own crate (`generated/`) from the pinned document: the
/// pin's tags, with the README as its front page.
pub fn generate_pinned_sources(spec: LoadedSpec, pin: &crate::pin::Pin) -> Result<Generated, GenerateError> {
    let filter = Filter { tags: pin.tags.clone() };
    generate_documented(spec, &filter, &emit::CrateDoc::Include(WORKSPACE_CRATE_DOC.to_owned()))
}

/// The whole pipeline, the crate's front page as `doc` says.
fn generate_documented(spec: LoadedSpec, filter: &Filter, doc: &emit::CrateDoc) -> Result<Generated, GenerateError> {
    let built = ir::build(&spec, filter);
    drop(spec);
    let sources = emit::crate_sources_documented(&built.api, doc)?;
    Ok(Generated {
        sources,
        api: built.api,
        warnings: built.warnings,
    })
}

/// How a directory differs from generated sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// A file that should exist does not.
    Missing(String),
    /// A file exists with other contents.
    Changed(String),
    /// A `.rs` file exists that generation does not produce.
    Extra(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Missing(path) => write!(f, "missing: {path}"),
            Difference::Changed(path) => write!(f, "changed: {path}"),
            Difference::Extra(path) => write!(f, "not generated: {path}"),
        }
    }
}

/// The `.rs` files under `dir`, as paths relative to it, sorted.
fn rust_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                if let Ok(relative) = path.strip_prefix(dir) {
                    found.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    found.sort();
    found
}

/// Compares `dir` with `sources`; empty when they are identical.
pub fn compare(dir: &Path, sources: &BTreeMap<String, String>) -> Vec<Difference> {
    let mut differences = Vec::new();
    for (path, contents) in sources {
        match std::fs::read_to_string(dir.join(path)) {
            Ok(existing) if existing == *contents => {}
            Ok(_) => differences.push(Difference::Changed(path.clone())),
            Err(_) => differences.push(Difference::Missing(path.clone())),
        }
    }
    for path in rust_files(dir) {
        if !sources.contains_key(&path) {
            differences.push(Difference::Extra(path));
        }
    }
    differences
}

/// Makes `dir` hold exactly `sources` (as far as `.rs` files go), writing only what changed.
/// Returns the differences it repaired.
pub fn sync(dir: &Path, sources: &BTreeMap<String, String>) -> Result<Vec<Difference>, GenerateError> {
    let differences = compare(dir, sources);
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| GenerateError::Io { path, source }
    };
    for difference in &differences {
        match difference {
            Difference::Missing(path) | Difference::Changed(path) => {
                let target = dir.join(path);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(io(parent))?;
                }
                std::fs::write(&target, &sources[path]).map_err(io(&target))?;
            }
            Difference::Extra(path) => {
                let target = dir.join(path);
                std::fs::remove_file(&target).map_err(io(&target))?;
            }
        }
    }
    Ok(differences)
}

/// The `[features]` table for an API: one feature per group, all on by default.
pub fn features_table(api: &ir::Api) -> String {
    let features: Vec<String> = api
        .groups()
        .iter()
        .filter(|group| *group != ir::SHARED_GROUP)
        .map(|group| ir::feature_name(group))
        .collect();
    let quoted: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let mut table = format!("[features]\ndefault = [{}]\n", quoted.join(", "));
    for feature in &features {
        table.push_str(&format!("{feature} = []\n"));
    }
    table
}

/// The `Cargo.toml` of a standalone generated crate named `name`.
pub fn standalone_manifest(name: &str, api: &ir::Api) -> String {
    const TEMPLATE: &str = include_str!("../templates/Cargo.toml.in");
    TEMPLATE.replace("@NAME@", name).replace("@FEATURES@", &features_table(api))
}
