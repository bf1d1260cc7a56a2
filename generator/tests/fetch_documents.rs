//! `vercel-codegen fetch-documents` and the test suites' download of the documents,
//! against a loopback server standing in for the documents' addresses (through
//! `VERCEL_DOCUMENTS_MIRROR`); and the manifest against the documents at hand.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use support::server::{refused_base, Answer, Server};
use support::{codegen, head, specs_dir, text, workspace};
use vercel_codegen::documents::fetch::{provide_directory, LOCK_FILE};
use vercel_codegen::documents::{manifest_json, read_manifest, Directory, Document, Manifest, MANIFEST, MIRROR_ENV};
use vercel_codegen::pin::{read_pin, sha256_hex};

/// A document of `bytes` published at a commit of vercel/sdk: its entry and its path.
fn published(file: &str, commit: char, bytes: &[u8]) -> (Document, String) {
    let path = format!("/vercel/sdk/{}/vercel-spec.json", commit.to_string().repeat(40));
    let document = Document {
        file: file.into(),
        source: format!("https://raw.githubusercontent.com{path}"),
        sha256: sha256_hex(bytes),
    };
    (document, path)
}

/// A workspace whose manifest lists `documents`.
fn workspace_with(documents: &[Document]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    let manifest = Manifest {
        documents: documents.to_vec(),
    };
    std::fs::write(dir.path().join(MANIFEST), manifest_json(&manifest)).unwrap();
    dir
}

/// `fetch-documents` of `workspace` into `dir`, through the mirror `base`, with no proxy.
fn fetch_command(workspace: &Path, dir: &Path, base: &str) -> Command {
    let mut command = codegen();
    command.arg("fetch-documents").arg("--workspace").arg(workspace).arg("--dir").arg(dir).env(MIRROR_ENV, base);
    for proxy in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        command.env_remove(proxy);
    }
    command
}

fn fetch(workspace: &Path, dir: &Path, base: &str) -> Output {
    fetch_command(workspace, dir, base).output().unwrap()
}

/// The names in `dir`, but its lock file.
fn leftovers(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut names: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.retain(|name| name != LOCK_FILE);
    names.sort();
    names
}

#[test]
fn documents_are_fetched_checked_written_and_not_fetched_again() {
    let (first, first_path) = published("2025-01-01.json", 'a', b"{\"openapi\": \"3.0.3\"}");
    let (second, second_path) = published("2025-02-01.json", 'b', b"{\"openapi\": \"3.0.4\"}");
    let server = Server::start(
        vec![
            (first_path.clone(), Answer::Body(b"{\"openapi\": \"3.0.3\"}".to_vec())),
            (second_path.clone(), Answer::Body(b"{\"openapi\": \"3.0.4\"}".to_vec())),
        ],
        Duration::ZERO,
    );
    let ws = workspace_with(&[first, second]);
    let dir = ws.path().join("documents");
    // What a download killed while writing left behind is cleared away.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".2025-01-01.json.4242.part"), "{\"open").unwrap();

    let output = fetch(ws.path(), &dir, &server.base);
    assert!(output.status.success(), "{}", head(&output));
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&format!("2025-01-01.json: fetching {}{first_path} ... ", server.base)), "{stderr}");
    assert!(stderr.contains("sha256 checked"), "{stderr}");
    assert!(text(&output.stdout).starts_with("fetched 2 documents ("), "{}", head(&output));
    assert_eq!(std::fs::read(dir.join("2025-01-01.json")).unwrap(), b"{\"openapi\": \"3.0.3\"}");
    assert_eq!(std::fs::read(dir.join("2025-02-01.json")).unwrap(), b"{\"openapi\": \"3.0.4\"}");
    assert_eq!(leftovers(&dir), ["2025-01-01.json", "2025-02-01.json"]);
    assert_eq!((server.hits(&first_path), server.hits(&second_path)), (1, 1));

    // Present documents are not fetched again; a missing one is.
    std::fs::remove_file(dir.join("2025-02-01.json")).unwrap();
    let again = fetch(ws.path(), &dir, &server.base);
    assert!(again.status.success(), "{}", head(&again));
    assert!(text(&again.stderr).contains("2025-01-01.json: present"), "{}", head(&again));
    assert_eq!((server.hits(&first_path), server.hits(&second_path)), (1, 2));
    let third = fetch(ws.path(), &dir, &server.base);
    assert!(text(&third.stdout).starts_with("all 2 documents are in "), "{}", head(&third));
    assert_eq!(server.total_hits(), 3);
}

#[test]
fn failed_downloads_exit_2_naming_the_address_and_both_checksums_and_leave_nothing() {
    let good = b"{\"openapi\": \"3.0.3\", \"info\": {}}".to_vec();
    let (document, path) = published("2025-01-01.json", 'c', &good);
    let expected = document.sha256.clone();
    let other = b"{\"openapi\": \"3.1.0\"}".to_vec();
    let cases: [(&str, Option<Answer>, String); 4] = [
        (
            "a wrong checksum",
            Some(Answer::Body(other.clone())),
            format!("sha256 mismatch: expected {expected}, received {} ({} bytes)", sha256_hex(&other), other.len()),
        ),
        ("a 404", Some(Answer::Status(404, "Not Found")), "the server answered 404 Not Found".into()),
        (
            "a truncated body",
            Some(Answer::Truncated {
                body: good[..10].to_vec(),
                claimed: good.len(),
            }),
            "the download broke off".into(),
        ),
        ("a refused connection", None, "cannot download".into()),
    ];
    for (what, answer, message) in cases {
        let ws = workspace_with(std::slice::from_ref(&document));
        let dir = ws.path().join("documents");
        let (base, server) = match answer {
            Some(answer) => {
                let server = Server::start(vec![(path.clone(), answer)], Duration::ZERO);
                (server.base.clone(), Some(server))
            }
            None => (refused_base(), None),
        };
        let output = fetch(ws.path(), &dir, &base);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {}", head(&output));
        assert!(stderr.contains(&message), "{what}: expected `{message}` in:\n{stderr}");
        let address = format!("{base}{path} (mirroring {})", document.source);
        assert!(stderr.contains(&address), "{what}: expected the address in:\n{stderr}");
        assert!(stderr.contains(&format!("expected {expected}")) || stderr.contains(&format!("expected sha256 {expected}")), "{what}: {stderr}");
        if what != "a wrong checksum" {
            assert!(stderr.contains("received nothing"), "{what}: {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert_eq!(leftovers(&dir), Vec::<String>::new(), "{what}: files were left");
        if let Some(server) = server {
            assert_eq!(server.hits(&path), 1, "{what}");
        }
    }
}

#[test]
fn two_concurrent_downloads_into_one_directory_fetch_each_document_once() {
    let bodies: Vec<Vec<u8>> = (0..3).map(|i| format!("{{\"n\": {i}}}").into_bytes()).collect();
    let published: Vec<(Document, String)> = ['d', 'e', 'f']
        .iter()
        .zip(&bodies)
        .enumerate()
        .map(|(i, (commit, body))| published(&format!("2025-0{}-01.json", i + 1), *commit, body))
        .collect();
    let routes = published.iter().zip(&bodies).map(|((_, path), body)| (path.clone(), Answer::Body(body.clone())));
    let server = Server::start(routes.collect(), Duration::from_millis(300));
    let documents: Vec<Document> = published.iter().map(|(document, _)| document.clone()).collect();
    let ws = workspace_with(&documents);
    let dir = ws.path().join("documents");

    let children: Vec<_> = (0..2)
        .map(|_| fetch_command(ws.path(), &dir, &server.base).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap())
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", head(&output));
    }
    for (document, path) in &published {
        assert_eq!(server.hits(path), 1, "{} was fetched more than once", document.file);
        assert_eq!(sha256_hex(&std::fs::read(dir.join(&document.file)).unwrap()), document.sha256);
    }
}

#[test]
fn the_pinned_document_alone_comes_from_the_address_in_the_pin() {
    let body = b"{\"openapi\": \"3.0.3\", \"pinned\": true}".to_vec();
    let (document, path) = published("2025-10-27.json", '1', &body);
    let server = Server::start(vec![(path.clone(), Answer::Body(body))], Duration::ZERO);
    let (other, other_path) = published("2025-01-01.json", '2', b"{}");
    let ws = workspace_with(&[other]);
    let pin = format!(
        "{{\"file\": \"{}\", \"sha256\": \"{}\", \"source\": \"{}\", \"upstream\": \"https://openapi.vercel.sh/\", \"tags\": []}}",
        document.file, document.sha256, document.source
    );
    std::fs::write(ws.path().join("spec/pin.json"), pin).unwrap();
    let dir = ws.path().join("documents");
    let output = fetch_command(ws.path(), &dir, &server.base).arg("--pinned").output().unwrap();
    assert!(output.status.success(), "{}", head(&output));
    assert_eq!(leftovers(&dir), ["2025-10-27.json"]);
    assert_eq!((server.hits(&path), server.hits(&other_path)), (1, 0));
}

#[test]
fn the_test_suites_download_only_into_the_cache_and_say_what_to_do_offline() {
    let body = b"{\"openapi\": \"3.0.3\"}".to_vec();
    let (document, path) = published("2025-01-01.json", '9', &body);
    let ws = workspace_with(std::slice::from_ref(&document));
    let cache = ws.path().join("target/vercel-documents");

    // A directory named by VERCEL_SPECS_DIR, or beside the checkout, is used as it is.
    let given = ws.path().join("elsewhere");
    let refused = refused_base();
    let found = provide_directory(Directory::FromEnv(given.clone()), ws.path(), Some(&refused));
    assert_eq!(found, Ok(given.clone()));
    assert_eq!(provide_directory(Directory::Shared(given.clone()), ws.path(), Some(&refused)), Ok(given));
    assert!(!cache.exists());

    // Offline: one message naming the address, the command to run and where files go.
    let error = provide_directory(Directory::Cache(cache.clone()), ws.path(), Some(&refused)).unwrap_err();
    for needed in ["cannot download", &refused, "fetch-documents", "VERCEL_SPECS_DIR", "../shared/specs/vercel", "spec/documents.json"] {
        assert!(error.contains(needed), "expected `{needed}` in: {error}");
    }
    assert_eq!(leftovers(&cache), Vec::<String>::new());

    // Online: downloaded into the cache, once.
    let server = Server::start(vec![(path.clone(), Answer::Body(body.clone()))], Duration::ZERO);
    for _ in 0..2 {
        let found = provide_directory(Directory::Cache(cache.clone()), ws.path(), Some(&server.base));
        assert_eq!(found, Ok(cache.clone()));
    }
    assert_eq!(std::fs::read(cache.join(&document.file)).unwrap(), body);
    assert_eq!(server.hits(&path), 1);
}

#[test]
fn the_manifest_matches_the_documents_at_hand() {
    let manifest = read_manifest(&workspace()).expect("spec/documents.json");
    let dir = specs_dir();
    let mut mismatched = Vec::new();
    for document in &manifest.documents {
        let path = dir.join(&document.file);
        match std::fs::read(&path) {
            Ok(bytes) if sha256_hex(&bytes) == document.sha256 => {}
            Ok(bytes) => mismatched.push(format!("{}: sha256 {}, the manifest says {}", path.display(), sha256_hex(&bytes), document.sha256)),
            Err(e) => mismatched.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(mismatched.is_empty(), "{MANIFEST} does not match the documents:\n{}", mismatched.join("\n"));
    let listed: Vec<&str> = manifest.documents.iter().map(|d| d.file.as_str()).collect();
    let unlisted: Vec<String> = support::documents()
        .iter()
        .filter_map(|path| path.file_name()?.to_str().map(str::to_owned))
        .filter(|name| !listed.contains(&name.as_str()))
        .collect();
    assert!(unlisted.is_empty(), "documents in {} that {MANIFEST} lacks: {unlisted:?}", dir.display());
    let pin = read_pin(&workspace()).unwrap();
    let pinned = manifest.by_sha256(&pin.sha256).expect("the pinned document is in the manifest");
    assert_eq!((&pinned.file, &pinned.source), (&pin.file, &pin.source));
}
