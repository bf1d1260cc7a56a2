//! `vercel-codegen update-pin`: moves the pin to a new document (a file, or one
//! downloaded from an address) and prepares the release.
//!
//! Every input is read and checked before the (slow) comparison, and every output
//! computed before the first file is written.

use std::path::{Path, PathBuf};

use vercel_codegen::diff;
use vercel_codegen::documents::{self, check_document, manifest_json, Document, Manifest, MANIFEST};
use vercel_codegen::ir::Filter;
use vercel_codegen::pin;
use vercel_codegen::release;

use crate::{pinned_document, prepare_both, Failure};

/// What `update-pin` was asked to do.
#[derive(Debug)]
pub struct Request {
    /// The new document, as a file.
    pub spec: Option<PathBuf>,
    /// The new document, to download from this address.
    pub url: Option<String>,
    /// The address that serves the new document, to record.
    pub source: Option<String>,
    /// Where a downloaded document is saved.
    pub dir: Option<PathBuf>,
    /// The workspace root.
    pub workspace: PathBuf,
    /// The document's date.
    pub date: Option<String>,
}

/// Reads a file as text; a file that does not exist reads as `missing` when it is given.
fn read_text(path: &Path, missing: Option<&str>) -> Result<String, Failure> {
    match (std::fs::read_to_string(path), missing) {
        (Ok(text), _) => Ok(text),
        (Err(e), Some(text)) if e.kind() == std::io::ErrorKind::NotFound => Ok(text.to_owned()),
        (Err(e), _) => Err(Failure::bad_input(format!("{}: {e}", path.display()))),
    }
}

/// Writes a file, naming it in the error.
fn write_text(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| Failure::bad_input(format!("{}: {e}", path.display())))
}

/// The workspace's manifest of documents; none yet is an empty one.
fn read_manifest(workspace: &Path) -> Result<Manifest, Failure> {
    let path = workspace.join(MANIFEST);
    let text = read_text(&path, Some(""))?;
    if text.is_empty() {
        return Ok(Manifest::default());
    }
    documents::parse_manifest(&path.display().to_string(), &text).map_err(Failure::bad_input)
}

/// The new document's date: `--date`, else from its file name, else (downloaded) today.
fn document_date(request: &Request) -> Result<String, Failure> {
    match (&request.date, &request.spec) {
        (Some(date), _) if release::is_date(date) => Ok(date.clone()),
        (Some(date), _) => Err(Failure::bad_input(format!("--date {date}: not a date written YYYY-MM-DD"))),
        (None, None) => Ok(release::today()),
        (None, Some(spec)) => {
            let name = spec.file_name().and_then(|name| name.to_str()).unwrap_or_default();
            release::document_date(name).map(str::to_owned).ok_or_else(|| {
                Failure::bad_input(format!(
                    "{}: the document's date is not in its name (YYYY-MM-DD.json); pass --date",
                    spec.display()
                ))
            })
        }
    }
}

/// The new document: its path, file name and sha256. A downloaded one is saved as
/// `DATE.json` in the documents directory (or `--dir`), unless it is the pinned one.
fn new_document(request: &Request, date: &str, pinned_sha256: &str) -> Result<(PathBuf, String, String), Failure> {
    if let Some(spec) = &request.spec {
        let bytes = std::fs::read(spec).map_err(|e| Failure::bad_input(format!("{}: {e}", spec.display())))?;
        let file = spec
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| Failure::bad_input(format!("{}: not a file name", spec.display())))?
            .to_owned();
        return Ok((spec.clone(), file, pin::sha256_hex(&bytes)));
    }
    let url = request.url.as_deref().unwrap_or_default();
    let client = documents::fetch::client().map_err(Failure::bad_input)?;
    let bytes = documents::fetch::download(&client, url).map_err(|e| Failure::bad_input(format!("{url}: {e}")))?;
    let sha256 = pin::sha256_hex(&bytes);
    let file = format!("{date}.json");
    let dir = request.dir.clone().unwrap_or_else(|| documents::directory(&request.workspace).path().to_owned());
    let path = dir.join(&file);
    eprintln!("{url}: {} bytes, sha256 {sha256}", bytes.len());
    if sha256 == pinned_sha256 {
        return Ok((path, file, sha256));
    }
    if let Ok(existing) = std::fs::read(&path) {
        let existing = pin::sha256_hex(&existing);
        if existing != sha256 {
            return Err(Failure::bad_input(format!(
                "{}: holds another document (sha256 {existing}) than {url} serves ({sha256}); pass --date or --dir",
                path.display()
            )));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| Failure::bad_input(format!("{}: {e}", dir.display())))?;
    documents::fetch::write_atomically(&dir, &file, &bytes).map_err(Failure::bad_input)?;
    eprintln!("saved {}", path.display());
    Ok((path, file, sha256))
}

/// The address recorded for the new document: `--source`, else the manifest's address
/// of a document with its sha256, else `--url` (with a warning: an address such as
/// https://openapi.vercel.sh/ serves the newest document only).
fn document_source(request: &Request, manifest: &Manifest, sha256: &str, path: &Path) -> Result<String, Failure> {
    let known = manifest.by_sha256(sha256).map(|document| document.source.clone());
    if let (None, None, Some(url)) = (&request.source, &known, &request.url) {
        eprintln!(
            "warning: recording {url} as the address of {}; if it will serve another document \
             later, pass --source with one that always serves this one",
            path.display()
        );
    }
    request.source.clone().or(known).or_else(|| request.url.clone()).ok_or_else(|| {
        Failure::bad_input(format!(
            "{}: {MANIFEST} knows no address of this document; pass --source URL, an address that \
             always serves it (https://raw.githubusercontent.com/vercel/sdk/COMMIT/vercel-spec.json)",
            path.display()
        ))
    })
}

/// Runs `update-pin`.
pub fn run(request: &Request) -> Result<(), Failure> {
    let workspace = request.workspace.as_path();
    let old_pin = pin::read_pin(workspace).map_err(Failure::bad_input)?;
    let pinned = pinned_document(&old_pin, workspace)?;
    let manifest = read_manifest(workspace)?;
    let date = document_date(request)?;
    let manifest_path = workspace.join("Cargo.toml");
    let manifest_error = |e: String| Failure::bad_input(format!("{}: {e}", manifest_path.display()));
    let cargo_toml = read_text(&manifest_path, None)?;
    let old_version = release::package_version(&cargo_toml).map_err(manifest_error)?;
    let changelog_path = workspace.join("CHANGELOG.md");
    let changelog = read_text(&changelog_path, Some(""))?;

    let (spec, file, sha256) = new_document(request, &date, &old_pin.sha256)?;
    if sha256 == old_pin.sha256 {
        println!("{} is the pinned document already; nothing to do", spec.display());
        return Ok(());
    }
    let source = document_source(request, &manifest, &sha256, &spec)?;
    let entry = Document { file: file.clone(), source: source.clone(), sha256: sha256.clone() };
    check_document(&entry).map_err(|message| Failure::bad_input(format!("{}: {message}", spec.display())))?;

    let filter = Filter { tags: old_pin.tags.clone() };
    let (old, new) = prepare_both(&pinned, &spec, &filter)?;
    let report = diff::diff(&old, &new);
    let new_pin = pin::Pin { file, sha256, source, ..old_pin };
    let files = release::release_files(&cargo_toml, &changelog, &new_pin, &date, &report).map_err(manifest_error)?;
    let documents_text = manifest_json(&manifest.with_document(entry));
    write_text(&manifest_path, &files.manifest)?;
    write_text(&changelog_path, &files.changelog)?;
    write_text(&workspace.join("spec").join("pin.json"), &files.pin)?;
    write_text(&workspace.join(MANIFEST), &documents_text)?;
    println!(
        "vercel-api {old_version} -> {} ({} change): spec/pin.json, {MANIFEST}, Cargo.toml and CHANGELOG.md updated",
        files.version,
        report.bump.as_str()
    );
    warn_when_not_found(&new_pin, workspace);
    Ok(())
}

/// Warns when `cargo build` would not find the new pinned document.
fn warn_when_not_found(pin: &pin::Pin, workspace: &Path) {
    let found = pin::locate_spec(pin, workspace);
    let found_sha = found.as_deref().and_then(|path| std::fs::read(path).ok()).map(|b| pin::sha256_hex(&b));
    if found_sha.as_deref() != Some(pin.sha256.as_str()) {
        eprintln!(
            "warning: `cargo build` will not find {}: put it in {} or in {}, or run `vercel-codegen fetch-documents --pinned` (see spec/README.md)",
            pin.file,
            pin::SPECS_DIR_ENV,
            pin::DEFAULT_SPECS_DIR
        );
    }
}
