//! `vercel-codegen fetch-documents`: downloads the documents of the manifest (or only the
//! pinned one) that a directory does not hold yet.

use std::path::{Path, PathBuf};
use std::time::Instant;

use vercel_codegen::documents::fetch::{provide, Progress, Summary};
use vercel_codegen::documents::{self, check_document, Document};
use vercel_codegen::pin;

use crate::Failure;

/// The documents to provide: the manifest's, or the pin's alone.
fn wanted(workspace: &Path, pinned: bool) -> Result<Vec<Document>, Failure> {
    if !pinned {
        return Ok(documents::read_manifest(workspace).map_err(Failure::bad_input)?.documents);
    }
    let pin = pin::read_pin(workspace).map_err(Failure::bad_input)?;
    let document = Document {
        file: pin.file,
        source: pin.source,
        sha256: pin.sha256,
    };
    check_document(&document)
        .map_err(|message| Failure::bad_input(format!("{}: {message}", workspace.join("spec/pin.json").display())))?;
    Ok(vec![document])
}

/// Prints one line per document on stderr; `open` is whether a line awaits its end.
fn print_progress(step: &Progress<'_>, open: &mut bool) {
    match step {
        Progress::Present(document) => eprintln!("{}: present", document.file),
        Progress::Fetching(document, address) => {
            eprint!("{}: fetching {address} ... ", document.file);
            *open = true;
        }
        Progress::Fetched(fetched) => {
            eprintln!(
                "{:.1} MB in {:.1} s, sha256 checked",
                megabytes(fetched.bytes),
                fetched.elapsed.as_secs_f64()
            );
            *open = false;
        }
    }
}

/// Bytes in (decimal) megabytes.
fn megabytes(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// The closing line: what was fetched, into where, how fast.
fn summary_line(summary: &Summary, dir: &Path, seconds: f64) -> String {
    if summary.fetched.is_empty() {
        return format!("all {} documents are in {}; nothing fetched", summary.present, dir.display());
    }
    let bytes: usize = summary.fetched.iter().map(|fetched| fetched.bytes).sum();
    format!(
        "fetched {} documents ({:.1} MB) into {} in {seconds:.1} s; {} were present",
        summary.fetched.len(),
        megabytes(bytes),
        dir.display(),
        summary.present
    )
}

/// Downloads into `dir` (default: the documents directory of `workspace`) every wanted
/// document it lacks; exit 2 on the first that cannot be downloaded or is not the one
/// the manifest names.
pub fn run(dir: Option<PathBuf>, workspace: &Path, pinned: bool) -> Result<(), Failure> {
    let wanted = wanted(workspace, pinned)?;
    let dir = dir.unwrap_or_else(|| documents::directory(workspace).path().to_owned());
    let mirror = documents::mirror_from_env();
    let start = Instant::now();
    let mut open = false;
    let outcome = provide(&wanted, &dir, mirror.as_deref(), &mut |step| print_progress(&step, &mut open));
    if open {
        eprintln!("failed");
    }
    let summary = outcome.map_err(Failure::bad_input)?;
    println!("{}", summary_line(&summary, &dir, start.elapsed().as_secs_f64()));
    Ok(())
}
