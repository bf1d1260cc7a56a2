//! Downloading the documents of the manifest: each from its address (or a mirror's),
//! its sha256 checked before anything is written, then written to a temporary file and
//! renamed into place, so a failed or interrupted download leaves no document behind.
//! One process at a time fills a directory: the others wait on its lock file, then find
//! the documents there.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;

use super::{directory, mirror_from_env, mirrored, missing, read_manifest, Directory, Document, CACHE_DIR, MANIFEST, MIRROR_ENV};
use crate::pin::{sha256_hex, DEFAULT_SPECS_DIR, SPECS_DIR_ENV};

/// The lock file of a documents directory: held while documents are downloaded into it.
pub const LOCK_FILE: &str = ".fetch.lock";
/// How long connecting to a server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one download may take, start to end.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// A document could not be downloaded or written.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No answer: offline, the host unknown, the connection refused or timed out.
    #[error("{address}: cannot download ({message}); expected sha256 {expected}, received nothing")]
    Unreachable {
        /// The address, and the source it mirrors.
        address: String,
        /// The manifest's sha256.
        expected: String,
        /// The HTTP client's error.
        message: String,
    },
    /// An answer other than success (404, say).
    #[error("{address}: the server answered {status}; expected sha256 {expected}, received nothing")]
    Status {
        /// The address, and the source it mirrors.
        address: String,
        /// The manifest's sha256.
        expected: String,
        /// The status, with its reason.
        status: String,
    },
    /// The body broke off before its end.
    #[error("{address}: the download broke off ({message}); expected sha256 {expected}, received nothing")]
    Incomplete {
        /// The address, and the source it mirrors.
        address: String,
        /// The manifest's sha256.
        expected: String,
        /// The HTTP client's error.
        message: String,
    },
    /// The body is not the document of the manifest.
    #[error("{address}: sha256 mismatch: expected {expected}, received {received} ({bytes} bytes); nothing was written")]
    Mismatch {
        /// The address, and the source it mirrors.
        address: String,
        /// The manifest's sha256.
        expected: String,
        /// The body's sha256.
        received: String,
        /// The body's length.
        bytes: usize,
    },
    /// A file or directory could not be written, read or locked.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

/// A document that was downloaded and written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Its file name.
    pub file: String,
    /// The address it came from.
    pub address: String,
    /// Its length.
    pub bytes: usize,
    /// How long the download took.
    pub elapsed: Duration,
}

/// What [`provide`] is doing, one step per document.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The document is in the directory already.
    Present(&'a Document),
    /// The document is being downloaded from this address.
    Fetching(&'a Document, &'a str),
    /// The document was downloaded, checked and written.
    Fetched(&'a Fetched),
}

/// What [`provide`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The documents downloaded.
    pub fetched: Vec<Fetched>,
    /// How many were present already.
    pub present: usize,
}

/// `io` errors name their path.
fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> FetchError + '_ {
    move |source| FetchError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// An error and its sources, joined by `: `.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

/// An address as errors name it: with the source it stands for when it is a mirror's.
pub fn address_label(address: &str, source: &str) -> String {
    if address == source {
        address.to_owned()
    } else {
        format!("{address} (mirroring {source})")
    }
}

/// The blocking HTTP client of downloads.
pub fn client() -> Result<Client, FetchError> {
    Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(DOWNLOAD_TIMEOUT)
        .user_agent(concat!("vercel-codegen/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Client(error_chain(&e)))
}

/// Why a download gave no body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    /// No answer.
    #[error("cannot download ({0})")]
    Unreachable(String),
    /// An answer other than success.
    #[error("the server answered {0}")]
    Status(String),
    /// The body broke off.
    #[error("the download broke off ({0})")]
    Incomplete(String),
}

/// The body at `address`, whole.
pub fn download(client: &Client, address: &str) -> Result<Vec<u8>, DownloadError> {
    // The address is in every message already.
    let response =
        client.get(address).send().map_err(|e| DownloadError::Unreachable(error_chain(&e.without_url())))?;
    let status = response.status();
    if !status.is_success() {
        return Err(DownloadError::Status(status.to_string()));
    }
    let body = response.bytes().map_err(|e| DownloadError::Incomplete(error_chain(&e.without_url())))?;
    Ok(body.to_vec())
}

/// Checks a downloaded body against the manifest's sha256.
pub fn check_body(document: &Document, label: &str, body: &[u8]) -> Result<(), FetchError> {
    let received = sha256_hex(body);
    if received == document.sha256 {
        return Ok(());
    }
    Err(FetchError::Mismatch {
        address: label.to_owned(),
        expected: document.sha256.clone(),
        received,
        bytes: body.len(),
    })
}

/// The temporary name of `file` while this process writes it into a directory.
fn partial_name(file: &str) -> String {
    format!(".{file}.{}.part", std::process::id())
}

/// Is `name` the temporary file of a download (of any process)?
pub fn is_partial(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|rest| rest.strip_suffix(".part")) else {
        return false;
    };
    inner
        .rsplit_once('.')
        .is_some_and(|(file, pid)| file.ends_with(".json") && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Writes `bytes` as `dir/file` through a temporary file renamed into place; on failure
/// the temporary file is removed.
pub fn write_atomically(dir: &Path, file: &str, bytes: &[u8]) -> Result<(), FetchError> {
    let partial = dir.join(partial_name(file));
    let target = dir.join(file);
    let written = File::create(&partial)
        .and_then(|mut out| out.write_all(bytes).and_then(|()| out.sync_all()))
        .map_err(io_error(&partial))
        .and_then(|()| std::fs::rename(&partial, &target).map_err(io_error(&target)));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Removes what interrupted downloads left in `dir` (call it under the lock).
fn remove_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(is_partial) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Downloads `document` from `address`, checks it, and writes it into `dir`.
pub fn fetch_document(client: &Client, document: &Document, address: &str, dir: &Path) -> Result<Fetched, FetchError> {
    let label = address_label(address, &document.source);
    let expected = document.sha256.clone();
    let start = Instant::now();
    let body = download(client, address).map_err(|failure| match failure {
        DownloadError::Unreachable(message) => FetchError::Unreachable { address: label.clone(), expected, message },
        DownloadError::Status(status) => FetchError::Status { address: label.clone(), expected, status },
        DownloadError::Incomplete(message) => FetchError::Incomplete { address: label.clone(), expected, message },
    })?;
    check_body(document, &label, &body)?;
    write_atomically(dir, &document.file, &body)?;
    Ok(Fetched {
        file: document.file.clone(),
        address: address.to_owned(),
        bytes: body.len(),
        elapsed: start.elapsed(),
    })
}

/// Holds the lock of `dir` (created if need be) until the returned file is dropped.
pub fn lock_directory(dir: &Path) -> Result<File, FetchError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io_error(&path))?;
    file.lock().map_err(io_error(&path))?;
    Ok(file)
}

/// Makes `dir` hold every document of `documents`: those missing are downloaded (from
/// `mirror` when given) under the directory's lock, one after another; the first that
/// fails stops the run. Documents present are not downloaded again.
pub fn provide(
    documents: &[Document],
    dir: &Path,
    mirror: Option<&str>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Summary, FetchError> {
    let mut summary = Summary::default();
    if missing(documents, dir).is_empty() {
        for document in documents {
            summary.present += 1;
            progress(Progress::Present(document));
        }
        return Ok(summary);
    }
    let _lock = lock_directory(dir)?;
    remove_partials(dir);
    let client = client()?;
    for document in documents {
        // Another process may have fetched it while this one waited for the lock.
        if dir.join(&document.file).is_file() {
            summary.present += 1;
            progress(Progress::Present(document));
            continue;
        }
        let address = mirrored(&document.source, mirror);
        progress(Progress::Fetching(document, &address));
        let fetched = fetch_document(&client, document, &address, dir)?;
        progress(Progress::Fetched(&fetched));
        summary.fetched.push(fetched);
    }
    Ok(summary)
}

/// The test suites' documents directory (see the module docs of [`super`]): the one
/// named by `VERCEL_SPECS_DIR`, else `../shared/specs/vercel`, each used as it is; else
/// the workspace's cache, where the documents missing are downloaded first (once,
/// whichever test binaries ask at the same time). `Err` says what to do by hand.
pub fn test_documents(workspace: &Path) -> Result<PathBuf, String> {
    provide_directory(directory(workspace), workspace, mirror_from_env().as_deref())
}

/// [`test_documents`] for a chosen directory and mirror.
pub fn provide_directory(directory: Directory, workspace: &Path, mirror: Option<&str>) -> Result<PathBuf, String> {
    let Directory::Cache(dir) = directory else {
        return Ok(directory.path().to_owned());
    };
    let manifest = read_manifest(workspace).map_err(|e| e.to_string())?;
    // On a thread of its own: the blocking client must not run inside an async runtime,
    // which the caller may be in.
    let outcome = std::thread::scope(|scope| {
        let run = scope.spawn(|| provide(&manifest.documents, &dir, mirror, &mut |step| report(&step)));
        run.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    match outcome {
        Ok(_) => Ok(dir),
        Err(error) => Err(offline_message(&error, &dir)),
    }
}

/// One line of progress of the test suites' download.
fn report(step: &Progress<'_>) {
    if let Progress::Fetched(fetched) = step {
        eprintln!(
            "fetched {} ({} bytes in {:.1} s) from {}",
            fetched.file,
            fetched.bytes,
            fetched.elapsed.as_secs_f64(),
            fetched.address
        );
    }
}

/// What the test suites say when the documents are neither at hand nor downloadable.
pub fn offline_message(error: &FetchError, cache: &Path) -> String {
    format!(
        "the Vercel documents are needed: neither {SPECS_DIR_ENV} nor {DEFAULT_SPECS_DIR} exists, \
         and downloading them into {} failed: {error}. Run `cargo run -p vercel-codegen -- \
         fetch-documents` where the addresses of {MANIFEST} are reachable ({MIRROR_ENV} names a \
         mirror), or put the files it lists in {DEFAULT_SPECS_DIR} beside this checkout, or in \
         a directory named by {SPECS_DIR_ENV}, or in {CACHE_DIR}.",
        cache.display()
    )
}
