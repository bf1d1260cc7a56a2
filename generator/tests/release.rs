//! `vercel-codegen update-pin` on three consecutive real documents, in a copy of the
//! workspace's release files (the pin, `Cargo.toml`, `CHANGELOG.md`) limited to the
//! `marketplace` tag; and its refusals of bad input, which write nothing.

mod support;

use std::path::Path;
use std::process::Output;

use support::{codegen, head, specs_dir, text, workspace};
use vercel_codegen::documents::{read_manifest, MIRROR_ENV};
use vercel_codegen::pin::{read_pin, sha256_hex, Pin};

/// The pin of the copy before the updates.
const OLD: &str = "2025-10-20.json";
/// The next document: the Marketplace API breaks (a major change).
const NEW: &str = "2025-10-24.json";
/// The one after: nothing changes in the Marketplace API (a patch).
const NEWER: &str = "2025-10-27.json";

/// A workspace in a temporary directory pinned to `OLD` (marketplace only), with this
/// workspace's `Cargo.toml` and `CHANGELOG.md` as they were at version 0.1.0.
fn release_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    let bytes = std::fs::read(specs_dir().join(OLD)).unwrap();
    let pin = Pin {
        file: OLD.into(),
        sha256: sha256_hex(&bytes),
        source: format!("https://example.com/{OLD}"),
        upstream: "https://openapi.vercel.sh/".into(),
        tags: vec!["marketplace".into()],
    };
    write(&dir.path().join("spec/pin.json"), &(serde_json::to_string_pretty(&pin).unwrap() + "\n"));
    std::fs::copy(workspace().join("spec/documents.json"), dir.path().join("spec/documents.json")).unwrap();
    // The workspace's files as they were at its first release, whatever came since.
    let manifest = read(&workspace().join("Cargo.toml"));
    write(&dir.path().join("Cargo.toml"), &first_release_manifest(&manifest));
    let changelog = read(&workspace().join("CHANGELOG.md"));
    write(&dir.path().join("CHANGELOG.md"), &first_release_changelog(&changelog));
    dir
}

/// `manifest` with the package at version 0.1.0.
fn first_release_manifest(manifest: &str) -> String {
    let (before, after) = manifest.split_once("\nversion = \"").expect("a package version");
    let rest = &after[after.find('"').expect("a quoted version")..];
    format!("{before}\nversion = \"0.1.0{rest}")
}

/// `changelog` with only its header and its 0.1.0 section.
fn first_release_changelog(changelog: &str) -> String {
    let header = changelog.split("\n## ").next().unwrap();
    let first = changelog.find("\n## 0.1.0 ").expect("the 0.1.0 section");
    format!("{header}{}", &changelog[first..])
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// `update-pin --spec SPEC --workspace DIR ARGS`, finding the pinned document in the specs directory.
fn update_pin(dir: &Path, spec: &Path, args: &[&str]) -> Output {
    codegen()
        .arg("update-pin")
        .arg("--spec")
        .arg(spec)
        .arg("--workspace")
        .arg(dir)
        .args(args)
        .env("VERCEL_SPECS_DIR", specs_dir())
        .env_remove("VERCEL_OPENAPI_SPEC")
        .output()
        .unwrap()
}

/// The four files the command may write.
fn release_files(dir: &Path) -> [String; 4] {
    ["spec/pin.json", "spec/documents.json", "Cargo.toml", "CHANGELOG.md"].map(|file| read(&dir.join(file)))
}

#[test]
fn update_pin_bumps_the_version_and_writes_the_changelog() {
    let dir = release_workspace();
    let manifest = read(&dir.path().join("Cargo.toml"));
    let changelog = read(&dir.path().join("CHANGELOG.md"));
    let new = specs_dir().join(NEW);
    let output = update_pin(dir.path(), &new, &[]);
    assert!(output.status.success(), "{}", head(&output));
    assert!(
        text(&output.stdout).contains("vercel-api 0.1.0 -> 0.2.0 (major change)"),
        "{}",
        head(&output)
    );

    // The pin: the new file, hash and address (the manifest's); upstream and tags kept.
    let pin = read_pin(dir.path()).unwrap();
    assert_eq!(pin.file, NEW);
    assert_eq!(pin.sha256, sha256_hex(&std::fs::read(&new).unwrap()));
    let listed = read_manifest(&workspace()).unwrap();
    assert_eq!(Some(&pin.source), listed.by_sha256(&pin.sha256).map(|document| &document.source));
    assert_eq!(read_manifest(dir.path()).unwrap(), listed, "the manifest lists the document already");
    assert_eq!(pin.tags, ["marketplace"]);
    assert_eq!(pin.upstream, "https://openapi.vercel.sh/");

    // Cargo.toml: the package version and nothing else.
    let bumped = read(&dir.path().join("Cargo.toml"));
    assert_eq!(bumped, manifest.replacen("version = \"0.1.0\"", "version = \"0.2.0\"", 1));
    assert!(bumped.contains("vercel-codegen = { version = \"0.1.0\""), "{bumped}");

    // CHANGELOG.md: the new section on top of the old ones, breaking changes first.
    let updated = read(&dir.path().join("CHANGELOG.md"));
    let (section, older) = new_section(&changelog, &updated, "0.1.0");
    assert!(changelog.ends_with(&older), "the old sections are kept:\n{updated}");
    assert!(section.starts_with("## 0.2.0 — 2025-10-24\n\n"), "{section}");
    assert!(section.contains(&format!("Generated from `{NEW}` (sha256 `{}`)", pin.sha256)), "{section}");
    assert!(section.contains(&format!("`{OLD}` -> `{NEW}`")), "{section}");
    assert!(section.contains("Semver: **major**"), "{section}");
    let breaking = section.find("<summary>breaking spec changes").expect("breaking changes listed");
    let compatible = section.find("<summary>compatible spec changes").expect("compatible changes listed");
    assert!(breaking < compatible, "breaking changes come first:\n{section}");

    // The next document changes nothing in the Marketplace API: a patch, on top.
    let newer = update_pin(dir.path(), &specs_dir().join(NEWER), &[]);
    assert!(newer.status.success(), "{}", head(&newer));
    assert!(text(&newer.stdout).contains("vercel-api 0.2.0 -> 0.2.1 (patch change)"), "{}", head(&newer));
    assert_eq!(read_pin(dir.path()).unwrap().file, NEWER);
    let latest = read(&dir.path().join("CHANGELOG.md"));
    let (patch, below) = new_section(&updated, &latest, "0.2.0");
    assert!(patch.starts_with("## 0.2.1 — 2025-10-27\n\n"), "{patch}");
    assert!(patch.contains("No change. Semver: **patch**."), "{patch}");
    assert!(updated.ends_with(&below), "the old sections are kept:\n{latest}");

    // The same document again changes nothing.
    let before = release_files(dir.path());
    let again = update_pin(dir.path(), &specs_dir().join(NEWER), &[]);
    assert!(again.status.success(), "{}", head(&again));
    assert!(text(&again.stdout).contains("nothing to do"), "{}", head(&again));
    assert_eq!(release_files(dir.path()), before);
}

/// The section `updated` has on top of `old` (whose first section is `previous`), and
/// the rest of `updated` from that first section on.
fn new_section(old: &str, updated: &str, previous: &str) -> (String, String) {
    let header = old.split("\n## ").next().unwrap();
    let rest = updated.strip_prefix(header).expect("the header is kept").trim_start();
    let marker = format!("\n## {previous} ");
    let at = rest.find(&marker).unwrap_or_else(|| panic!("no section {previous} below the new one:\n{updated}"));
    (rest[..at].to_owned(), rest[at + 1..].to_owned())
}

#[test]
fn update_pin_refuses_bad_input_naming_the_file_and_writes_nothing() {
    let new = specs_dir().join(NEWER);
    let missing = specs_dir().join("1999-01-01.json");
    let undated = tempfile::tempdir().unwrap();
    let latest = undated.path().join("latest.json");
    std::fs::copy(&new, &latest).unwrap();

    type Spoil = fn(&Path);
    let none: &[&str] = &[];
    let cases: [(&str, &Path, &[&str], Spoil, String); 8] = [
        ("a missing document", &missing, none, |_| {}, missing.display().to_string()),
        ("a document named without its date", &latest, none, |_| {}, "pass --date".into()),
        (
            "a document no address is known for",
            &new,
            none,
            |dir| write(&dir.join("spec/documents.json"), "{\"documents\": []}\n"),
            "knows no address of this document; pass --source URL".into(),
        ),
        (
            "a --source that is not an address",
            &new,
            &["--source", "vercel-spec.json"],
            |_| {},
            "source `vercel-spec.json` is not an http(s) address".into(),
        ),
        ("a --date that is not a date", &new, &["--date", "tomorrow"], |_| {}, "--date tomorrow: not a date".into()),
        (
            "a manifest that is not TOML",
            &new,
            none,
            |dir| write(&dir.join("Cargo.toml"), "[package\n"),
            "Cargo.toml: invalid TOML".into(),
        ),
        (
            "a version that is not MAJOR.MINOR.PATCH",
            &new,
            none,
            |dir| write(&dir.join("Cargo.toml"), "[package]\nname = \"vercel-api\"\nversion = \"1.0\"\n"),
            "Cargo.toml: version `1.0` is not MAJOR.MINOR.PATCH".into(),
        ),
        (
            "a pin whose document has another hash",
            &new,
            none,
            |dir| {
                let path = dir.join("spec/pin.json");
                write(&path, &read(&path).replace("\"sha256\": \"", "\"sha256\": \"00"));
            },
            "but spec/pin.json pins 00".into(),
        ),
    ];
    for (what, spec, args, spoil, expected) in cases {
        let dir = release_workspace();
        spoil(dir.path());
        let before = release_files(dir.path());
        let output = update_pin(dir.path(), spec, args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {}", head(&output));
        assert!(stderr.contains(&expected), "{what}: expected `{expected}` in:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert_eq!(release_files(dir.path()), before, "{what}: files were written");
    }
}

#[test]
fn update_pin_downloads_the_new_document_names_it_by_date_and_records_its_address() {
    let dir = release_workspace();
    // A document the manifest does not list: its address is the one it came from.
    write(&dir.path().join("spec/documents.json"), "{\"documents\": []}\n");
    let bytes = std::fs::read(specs_dir().join(NEW)).unwrap();
    let server = support::server::Server::start(
        vec![("/".to_owned(), support::server::Answer::Body(bytes.clone()))],
        std::time::Duration::ZERO,
    );
    let documents = tempfile::tempdir().unwrap();
    let url = format!("{}/", server.base);
    let output = codegen()
        .args(["update-pin", "--url", &url, "--date", "2025-10-24", "--dir"])
        .arg(documents.path())
        .arg("--workspace")
        .arg(dir.path())
        .env("VERCEL_SPECS_DIR", specs_dir())
        .env_remove("VERCEL_OPENAPI_SPEC")
        .env_remove(MIRROR_ENV)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", head(&output));
    assert!(text(&output.stdout).contains("vercel-api 0.1.0 -> 0.2.0 (major change)"), "{}", head(&output));
    let saved = documents.path().join("2025-10-24.json");
    assert_eq!(std::fs::read(&saved).unwrap(), bytes);
    let pin = read_pin(dir.path()).unwrap();
    assert_eq!((pin.file.as_str(), pin.sha256.clone(), pin.source.as_str()), ("2025-10-24.json", sha256_hex(&bytes), url.as_str()));
    let manifest = read_manifest(dir.path()).unwrap();
    assert_eq!(manifest.documents.len(), 1);
    let entry = manifest.by_sha256(&pin.sha256).expect("the manifest lists the new document");
    assert_eq!((entry.file.as_str(), entry.source.as_str()), ("2025-10-24.json", url.as_str()));
    assert_eq!(server.hits("/"), 1);
}
