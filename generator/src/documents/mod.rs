//! The Vercel documents the project uses: their manifest, where they are, and where
//! they come from.
//!
//! `spec/documents.json` lists each document by file name, the immutable address it is
//! published at, and its sha256. The documents themselves are Vercel's and are not
//! committed: they are read from the directory in `VERCEL_SPECS_DIR`, else from
//! `../shared/specs/vercel` beside the workspace, else from the cache
//! `target/vercel-documents` of the workspace, which `vercel-codegen fetch-documents`
//! (and the test suites, when neither of the others exists) fills from the addresses.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::pin::{DEFAULT_SPECS_DIR, SPECS_DIR_ENV};

#[cfg(feature = "fetch")]
pub mod fetch;

/// The manifest's path, relative to the workspace root.
pub const MANIFEST: &str = "spec/documents.json";
/// The cache of downloaded documents, relative to the workspace root.
pub const CACHE_DIR: &str = "target/vercel-documents";
/// Environment variable naming a mirror of the documents' addresses: its value replaces
/// the scheme and host of each address (`http://127.0.0.1:8000` fetches
/// `https://raw.githubusercontent.com/vercel/sdk/C/vercel-spec.json` from
/// `http://127.0.0.1:8000/vercel/sdk/C/vercel-spec.json`).
pub const MIRROR_ENV: &str = "VERCEL_DOCUMENTS_MIRROR";

/// The contents of `spec/documents.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Every document, sorted by file name (that is, by date).
    pub documents: Vec<Document>,
}

/// One document of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Its file name (`2025-10-27.json`).
    pub file: String,
    /// The address it is published at, which always serves these bytes.
    pub source: String,
    /// Its sha256, in lowercase hex.
    pub sha256: String,
}

/// The manifest could not be read, or is not a valid manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file is missing or unreadable.
    #[error("{path}: cannot read the manifest of documents: {source}")]
    Read {
        /// The manifest file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON of the manifest's shape.
    #[error("{path}: invalid manifest of documents: {source}")]
    Parse {
        /// The manifest file.
        path: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// An entry breaks a rule (see [`check_document`]).
    #[error("{path}: documents[{index}]: {message}")]
    Invalid {
        /// The manifest file.
        path: String,
        /// The entry's index.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// Reads and checks `spec/documents.json` under `workspace`.
pub fn read_manifest(workspace: &Path) -> Result<Manifest, ManifestError> {
    let path = workspace.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|source| ManifestError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse_manifest(&path.display().to_string(), &text)
}

/// Parses and checks the text of a manifest read from `path`.
pub fn parse_manifest(path: &str, text: &str) -> Result<Manifest, ManifestError> {
    let manifest: Manifest = serde_json::from_str(text).map_err(|source| ManifestError::Parse {
        path: path.to_owned(),
        source,
    })?;
    for (index, document) in manifest.documents.iter().enumerate() {
        let duplicate = manifest.documents[..index].iter().any(|earlier| earlier.file == document.file);
        let problem = if duplicate {
            Some(format!("`{}` is listed twice", document.file))
        } else {
            check_document(document).err()
        };
        if let Some(message) = problem {
            return Err(ManifestError::Invalid {
                path: path.to_owned(),
                index,
                message,
            });
        }
    }
    Ok(manifest)
}

/// Checks one entry: a plain `*.json` file name (no directory), an `http(s)` address,
/// and a sha256 of 64 lowercase hex digits.
pub fn check_document(document: &Document) -> Result<(), String> {
    if !is_plain_file_name(&document.file) {
        return Err(format!("file `{}` is not a plain `*.json` file name", document.file));
    }
    if !(document.source.starts_with("https://") || document.source.starts_with("http://")) {
        return Err(format!("source `{}` is not an http(s) address", document.source));
    }
    if !is_sha256(&document.sha256) {
        return Err(format!("sha256 `{}` is not 64 lowercase hex digits", document.sha256));
    }
    Ok(())
}

/// Is `name` a file name that stays in its directory and ends in `.json`?
pub fn is_plain_file_name(name: &str) -> bool {
    name.len() > ".json".len()
        && name.ends_with(".json")
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':', '\0'])
}

/// Is `text` a sha256 written in lowercase hex?
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Manifest {
    /// The entry of the document with this sha256.
    pub fn by_sha256(&self, sha256: &str) -> Option<&Document> {
        self.documents.iter().find(|document| document.sha256 == sha256)
    }

    /// The manifest with `document` in it: an entry of the same file name is replaced,
    /// and the entries stay sorted by file name.
    pub fn with_document(mut self, document: Document) -> Manifest {
        self.documents.retain(|other| other.file != document.file);
        self.documents.push(document);
        self.documents.sort_by(|a, b| a.file.cmp(&b.file));
        self
    }
}

/// The text of `spec/documents.json` for `manifest`.
pub fn manifest_json(manifest: &Manifest) -> String {
    let mut text = serde_json::to_string_pretty(manifest).unwrap_or_default();
    text.push('\n');
    text
}

/// The documents of `documents` that `dir` does not hold.
pub fn missing<'a>(documents: &'a [Document], dir: &Path) -> Vec<&'a Document> {
    documents.iter().filter(|document| !dir.join(&document.file).is_file()).collect()
}

/// The address to download `source` from: itself, or with a mirror's base address in
/// place of its scheme and host (the path is kept; see [`MIRROR_ENV`]).
pub fn mirrored(source: &str, mirror: Option<&str>) -> String {
    let Some(base) = mirror.map(str::trim).filter(|base| !base.is_empty()) else {
        return source.to_owned();
    };
    let after_scheme = source.split_once("://").map_or(source, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
    format!("{}{path}", base.trim_end_matches('/'))
}

/// The mirror named by [`MIRROR_ENV`], if any.
pub fn mirror_from_env() -> Option<String> {
    std::env::var(MIRROR_ENV).ok().filter(|value| !value.trim().is_empty())
}

/// Where the documents are, and whether they may be downloaded there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directory {
    /// The directory named by `VERCEL_SPECS_DIR`: used as it is.
    FromEnv(PathBuf),
    /// `../shared/specs/vercel` beside the workspace: used as it is.
    Shared(PathBuf),
    /// The workspace's cache, filled from the manifest's addresses.
    Cache(PathBuf),
}

impl Directory {
    /// The directory's path.
    pub fn path(&self) -> &Path {
        match self {
            Directory::FromEnv(path) | Directory::Shared(path) | Directory::Cache(path) => path,
        }
    }
}

/// Chooses the documents' directory: `from_env` when set, else `shared` when it exists,
/// else `cache`.
pub fn choose_directory(from_env: Option<PathBuf>, shared: PathBuf, shared_exists: bool, cache: PathBuf) -> Directory {
    match from_env {
        Some(dir) => Directory::FromEnv(dir),
        None if shared_exists => Directory::Shared(shared),
        None => Directory::Cache(cache),
    }
}

/// The documents' directory of `workspace` (see the module docs for the order).
pub fn directory(workspace: &Path) -> Directory {
    let from_env = std::env::var_os(SPECS_DIR_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    let shared = workspace.join(DEFAULT_SPECS_DIR);
    let exists = shared.is_dir();
    choose_directory(from_env, shared, exists, workspace.join(CACHE_DIR))
}

#[cfg(test)]
mod tests;
