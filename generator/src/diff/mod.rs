//! Spec drift: what changed between two Vercel documents, and what it breaks.
//!
//! Each document is generated in memory. [`spec`] compares the two IRs operation by
//! operation and schema by schema, classifying each change as breaking or compatible
//! for a user of the generated crate; [`api`] compares the public Rust API read back
//! from the generated sources. Together they decide the [`Bump`] the crate needs, and
//! [`report`] prints it all as text, Markdown or JSON.

pub mod api;
pub mod report;
pub mod spec;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::generate::{generate_sources, GenerateError};
use crate::ir::{Api, Filter};
use crate::load::LoadedSpec;
use crate::pin::sha256_hex;
pub use api::{ApiChange, ApiChangeKind, Outline, OutlineError};
pub use spec::{Change, ChangeKind, Severity};

/// A document generated and read back, ready to compare.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// How the document is named in reports (its file name).
    pub label: String,
    /// `info.version` of the document.
    pub version: String,
    /// The IR.
    pub api: Api,
    /// The public API of the generated crate.
    pub outline: Outline,
    /// The sha256 of each generated file, by path.
    pub files: BTreeMap<String, String>,
}

/// Preparing a document failed after it loaded.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// Generation failed.
    #[error(transparent)]
    Generate(#[from] GenerateError),
    /// A generated file could not be read back.
    #[error("generated code does not parse: {0}")]
    Outline(#[from] OutlineError),
}

/// Generates `spec` (the operations `filter` admits) and reads back its public API.
pub fn prepare(label: &str, spec: LoadedSpec, filter: &Filter) -> Result<Prepared, DiffError> {
    let generated = generate_sources(spec, filter)?;
    let outline = api::outline(&generated.sources)?;
    let files = generated
        .sources
        .iter()
        .map(|(path, text)| (path.clone(), sha256_hex(text.as_bytes())))
        .collect();
    Ok(Prepared {
        label: label.to_owned(),
        version: generated.api.version.clone(),
        api: generated.api,
        outline,
        files,
    })
}

/// The version bump a change needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing a user can observe in the API changed (documentation at most).
    Patch,
    /// Only additions.
    Minor,
    /// Something breaks.
    Major,
}

impl Bump {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// What the bump means for a crate still at 0.x, where Cargo treats the minor
    /// version as the breaking one.
    pub fn for_zero_x(self) -> &'static str {
        match self {
            Bump::Major => "a 0.x crate bumps its minor version (0.1.3 -> 0.2.0)",
            Bump::Minor | Bump::Patch => "a 0.x crate bumps its patch version (0.1.3 -> 0.1.4)",
        }
    }
}

/// Counts of a report, by class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking spec changes.
    pub breaking: usize,
    /// Compatible spec changes.
    pub compatible: usize,
    /// Public items removed (a type's `exhaustive` member included: it gained
    /// `#[non_exhaustive]`).
    pub api_removed: usize,
    /// Public items whose signature changed.
    pub api_changed: usize,
    /// Public items added in a way that breaks: fields of structs and variants of enums
    /// without `#[non_exhaustive]`.
    pub api_added_breaking: usize,
    /// Public items added.
    pub api_added: usize,
    /// Generated files whose contents differ.
    pub files_changed: usize,
}

/// What changed between two documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The old document's label.
    pub old: String,
    /// The new document's label.
    pub new: String,
    /// The bump the generated crate needs.
    pub bump: Bump,
    /// The counts.
    pub counts: Counts,
    /// Spec-level changes, breaking first.
    pub changes: Vec<Change>,
    /// Changes of the generated public API.
    pub api: Vec<ApiChange>,
    /// Generated files that were added, removed or changed.
    pub files: Vec<String>,
}

impl Report {
    /// Does the report have anything at or above `level`?
    pub fn fails(&self, level: FailOn) -> bool {
        let c = &self.counts;
        match level {
            FailOn::Never => false,
            FailOn::SpecBreaking => c.breaking > 0,
            FailOn::Breaking => self.bump == Bump::Major,
            FailOn::Compatible => self.bump >= Bump::Minor,
            FailOn::Any => self.bump >= Bump::Minor || c.files_changed > 0,
        }
    }

    /// Are the two documents the same as far as the generated crate goes?
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.api.is_empty() && self.files.is_empty()
    }
}

/// When the diff should fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// Never.
    #[default]
    Never,
    /// When the spec-level classification finds a breaking change (ignoring breakage
    /// only the Rust API shows, such as a type renamed or a field added to a struct
    /// without `#[non_exhaustive]`).
    SpecBreaking,
    /// When anything breaks (the generated crate needs a major version).
    Breaking,
    /// When anything is added or breaks.
    Compatible,
    /// When the generated code differs at all, documentation included.
    Any,
}

/// Compares two prepared documents.
pub fn diff(old: &Prepared, new: &Prepared) -> Report {
    let changes = spec::compare_apis(&old.api, &new.api);
    let api = api::compare_outlines(&old.outline, &new.outline);
    let files = changed_files(&old.files, &new.files);
    let counts = counts(&changes, &api, &files);
    Report {
        old: old.label.clone(),
        new: new.label.clone(),
        bump: bump(&counts),
        counts,
        changes,
        api,
        files,
    }
}

/// The counts of spec changes, API changes and changed files, by class.
pub fn counts(changes: &[Change], api: &[ApiChange], files: &[String]) -> Counts {
    Counts {
        breaking: changes.iter().filter(|c| c.severity == Severity::Breaking).count(),
        compatible: changes.iter().filter(|c| c.severity == Severity::Compatible).count(),
        api_removed: count(api, ApiChangeKind::Removed),
        api_changed: count(api, ApiChangeKind::Changed),
        api_added_breaking: count(api, ApiChangeKind::AddedBreaking),
        api_added: count(api, ApiChangeKind::Added),
        files_changed: files.len(),
    }
}

fn count(changes: &[ApiChange], kind: ApiChangeKind) -> usize {
    changes.iter().filter(|c| c.kind == kind).count()
}

/// The bump: major when the spec or the Rust API breaks, minor when anything was
/// added, patch otherwise.
pub fn bump(counts: &Counts) -> Bump {
    let api_breaks = counts.api_removed + counts.api_changed + counts.api_added_breaking > 0;
    if counts.breaking > 0 || api_breaks {
        Bump::Major
    } else if counts.compatible > 0 || counts.api_added > 0 {
        Bump::Minor
    } else {
        Bump::Patch
    }
}

/// The paths whose hashes differ, including files only on one side.
fn changed_files(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<String> {
    let mut paths: Vec<String> = old
        .keys()
        .chain(new.keys())
        .filter(|path| old.get(*path) != new.get(*path))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

#[cfg(test)]
mod tests;
