//! The pinned document: which file, its sha256, where it comes from, and where to find it.
//!
//! The pin lives in `spec/pin.json` of the workspace. The document itself is
//! third-party data and is not committed; it is looked up, in order, at the
//! path in `VERCEL_OPENAPI_SPEC`, in the directory `VERCEL_SPECS_DIR`, in
//! `../shared/specs/vercel` beside the workspace, and in the workspace's cache of
//! downloaded documents (`target/vercel-documents`, see [`crate::documents`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Environment variable naming the pinned document's path.
pub const SPEC_FILE_ENV: &str = "VERCEL_OPENAPI_SPEC";
/// Environment variable naming a directory of Vercel documents.
pub const SPECS_DIR_ENV: &str = "VERCEL_SPECS_DIR";
/// The default directory of documents, relative to the workspace root.
pub const DEFAULT_SPECS_DIR: &str = "../shared/specs/vercel";

/// The contents of `spec/pin.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The document's file name (`2025-10-27.json`).
    pub file: String,
    /// Its sha256, in lowercase hex.
    pub sha256: String,
    /// The address that serves this document (`vercel-codegen fetch-documents --pinned`
    /// downloads it from there).
    pub source: String,
    /// Where Vercel publishes its newest document.
    pub upstream: String,
    /// The tags of the operations the client covers; empty for all.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The pin could not be read, or the document does not match it.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    /// `spec/pin.json` is missing or unreadable.
    #[error("{path}: cannot read the pin: {source}")]
    Read {
        /// The pin file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// `spec/pin.json` is not a valid pin.
    #[error("{path}: invalid pin: {source}")]
    Parse {
        /// The pin file.
        path: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The document's hash differs from the pinned one.
    #[error("{path}: sha256 is {actual}, but spec/pin.json pins {expected}; update the pin (see spec/README.md) or point {SPEC_FILE_ENV} at the pinned file")]
    Mismatch {
        /// The document.
        path: String,
        /// The pinned hash.
        expected: String,
        /// The document's hash.
        actual: String,
    },
}

/// Reads `spec/pin.json` under `workspace`.
pub fn read_pin(workspace: &Path) -> Result<Pin, PinError> {
    let path = workspace.join("spec").join("pin.json");
    let text = std::fs::read_to_string(&path).map_err(|source| PinError::Read {
        path: path.display().to_string(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| PinError::Parse {
        path: path.display().to_string(),
        source,
    })
}

/// Where the pinned document is, if it can be found (see the module docs for the order).
pub fn locate_spec(pin: &Pin, workspace: &Path) -> Option<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let candidates = [
        from_env(SPEC_FILE_ENV),
        from_env(SPECS_DIR_ENV).map(|dir| dir.join(&pin.file)),
        Some(workspace.join(DEFAULT_SPECS_DIR).join(&pin.file)),
        Some(workspace.join(crate::documents::CACHE_DIR).join(&pin.file)),
    ];
    candidates.into_iter().flatten().find(|path| path.is_file())
}

/// The lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that the document at `path` with contents `bytes` is the pinned one.
pub fn verify(pin: &Pin, path: &Path, bytes: &[u8]) -> Result<(), PinError> {
    let actual = sha256_hex(bytes);
    if actual == pin.sha256 {
        Ok(())
    } else {
        Err(PinError::Mismatch {
            path: path.display().to_string(),
            expected: pin.sha256.clone(),
            actual,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_different_document_is_a_mismatch_naming_both_hashes() {
        let pin = Pin {
            file: "x.json".into(),
            sha256: "00".into(),
            source: "https://example.com/x.json".into(),
            upstream: "https://openapi.vercel.sh/".into(),
            tags: vec![],
        };
        let error = verify(&pin, Path::new("x.json"), b"abc").unwrap_err();
        assert!(error.to_string().contains("pins 00"), "{error}");
        assert!(verify(&Pin { sha256: sha256_hex(b"abc"), ..pin }, Path::new("x"), b"abc").is_ok());
    }

    #[test]
    fn the_workspace_pin_parses() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let pin = read_pin(&workspace).expect("spec/pin.json");
        assert_eq!(pin.upstream, "https://openapi.vercel.sh/");
        assert_eq!(pin.sha256.len(), 64);
        assert!(pin.source.starts_with("https://raw.githubusercontent.com/vercel/sdk/"), "{}", pin.source);
    }
}
