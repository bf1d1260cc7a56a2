//! Tests of the manifest, the choice of directory and mirrored addresses.

use std::path::{Path, PathBuf};

use super::*;

const SHA: &str = "431b79d1a11a566bd15b695eeb70af2409446c222679a01f9a8dcf90bc8f69a7";
const SOURCE: &str = "https://raw.githubusercontent.com/vercel/sdk/1aada4a8c647055674701491c76a6ff2ff645cfb/vercel-spec.json";

fn document(file: &str) -> Document {
    Document {
        file: file.into(),
        source: SOURCE.into(),
        sha256: SHA.into(),
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_workspace_manifest_lists_thirteen_documents_and_the_pin() {
    let manifest = read_manifest(&workspace()).expect("spec/documents.json");
    assert_eq!(manifest.documents.len(), 13);
    let files: Vec<&str> = manifest.documents.iter().map(|d| d.file.as_str()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "sorted by date");
    let pin = crate::pin::read_pin(&workspace()).expect("spec/pin.json");
    let pinned = manifest.by_sha256(&pin.sha256).expect("the pinned document is listed");
    assert_eq!((&pinned.file, &pinned.source), (&pin.file, &pin.source));
    assert!(manifest.documents.iter().all(|d| d.source.starts_with("https://raw.githubusercontent.com/vercel/sdk/")));
    // Written as `update-pin` writes it.
    let text = std::fs::read_to_string(workspace().join(MANIFEST)).unwrap();
    assert_eq!(manifest_json(&manifest), text);
}

#[test]
fn bad_manifests_are_errors_naming_the_file_and_the_entry() {
    let good = Manifest {
        documents: vec![document("2025-10-27.json")],
    };
    type Spoil = fn(&mut Document);
    let cases: [(&str, Spoil, &str); 5] = [
        ("a path", |d| d.file = "../2025-10-27.json".into(), "not a plain `*.json` file name"),
        ("a hidden file", |d| d.file = ".x.json".into(), "not a plain"),
        ("not JSON", |d| d.file = "2025-10-27.yaml".into(), "not a plain"),
        ("an ftp address", |d| d.source = "ftp://x/y".into(), "not an http(s) address"),
        ("a short sha256", |d| d.sha256 = "abc".into(), "is not 64 lowercase hex digits"),
    ];
    for (what, spoil, expected) in cases {
        let mut manifest = good.clone();
        spoil(&mut manifest.documents[0]);
        let error = parse_manifest("m.json", &manifest_json(&manifest)).unwrap_err().to_string();
        assert!(error.starts_with("m.json: documents[0]: "), "{what}: {error}");
        assert!(error.contains(expected), "{what}: {error}");
    }
    let twice = Manifest {
        documents: vec![document("a.json"), document("a.json")],
    };
    let error = parse_manifest("m.json", &manifest_json(&twice)).unwrap_err().to_string();
    assert_eq!(error, "m.json: documents[1]: `a.json` is listed twice");
    let error = parse_manifest("m.json", "{\"documents\": [{\"file\": 1}]}").unwrap_err().to_string();
    assert!(error.starts_with("m.json: invalid manifest of documents: "), "{error}");
    let error = read_manifest(Path::new("/nonexistent")).unwrap_err().to_string();
    assert!(error.starts_with("/nonexistent/spec/documents.json: cannot read"), "{error}");
}

#[test]
fn a_new_document_replaces_its_namesake_and_keeps_the_order() {
    let manifest = Manifest {
        documents: vec![document("2025-01-01.json"), document("2025-03-01.json")],
    };
    let added = manifest.clone().with_document(document("2025-02-01.json"));
    let files: Vec<&str> = added.documents.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files, ["2025-01-01.json", "2025-02-01.json", "2025-03-01.json"]);
    let replaced = manifest.with_document(Document {
        sha256: "0".repeat(64),
        ..document("2025-03-01.json")
    });
    assert_eq!(replaced.documents.len(), 2);
    assert_eq!(replaced.documents[1].sha256, "0".repeat(64));
}

#[test]
fn a_mirror_replaces_the_scheme_and_host_only() {
    assert_eq!(mirrored(SOURCE, None), SOURCE);
    assert_eq!(mirrored(SOURCE, Some(" ")), SOURCE);
    let path = "/vercel/sdk/1aada4a8c647055674701491c76a6ff2ff645cfb/vercel-spec.json";
    assert_eq!(mirrored(SOURCE, Some("http://127.0.0.1:8000")), format!("http://127.0.0.1:8000{path}"));
    assert_eq!(mirrored(SOURCE, Some("http://127.0.0.1:8000/")), format!("http://127.0.0.1:8000{path}"));
    assert_eq!(mirrored(SOURCE, Some("https://mirror.example/base/")), format!("https://mirror.example/base{path}"));
    assert_eq!(mirrored("https://openapi.vercel.sh", Some("http://m")), "http://m/");
}

#[test]
fn documents_are_fetched_only_where_no_directory_is_given_or_beside() {
    let (env, shared, cache) = (PathBuf::from("env"), PathBuf::from("shared"), PathBuf::from("cache"));
    let choose = |env: Option<&PathBuf>, exists| choose_directory(env.cloned(), shared.clone(), exists, cache.clone());
    assert_eq!(choose(Some(&env), true), Directory::FromEnv(env.clone()));
    assert_eq!(choose(Some(&env), false), Directory::FromEnv(env.clone()));
    assert_eq!(choose(None, true), Directory::Shared(shared.clone()));
    assert_eq!(choose(None, false), Directory::Cache(cache.clone()));
    assert_eq!(choose(None, false).path(), Path::new("cache"));
}

#[test]
fn missing_documents_are_those_without_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{}").unwrap();
    std::fs::create_dir(dir.path().join("c.json")).unwrap();
    let documents = [document("a.json"), document("b.json"), document("c.json")];
    let files: Vec<&str> = missing(&documents, dir.path()).iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files, ["b.json", "c.json"]);
}

#[cfg(feature = "fetch")]
#[test]
fn partial_downloads_are_recognised_by_name() {
    use super::fetch::is_partial;
    assert!(is_partial(".2025-10-27.json.1234.part"));
    assert!(!is_partial("2025-10-27.json"));
    assert!(!is_partial(".2025-10-27.json.part"));
    assert!(!is_partial(".notes.txt.12.part"));
    assert!(!is_partial(".fetch.lock"));
}
