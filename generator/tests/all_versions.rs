//! Every stored version of Vercel's document generates a full crate that builds without
//! warnings. The pin is the exception: its crate is the workspace's own `vercel-api`
//! (`generated/`, kept equal to a fresh generation by the build script and by
//! `tests/generated_code.rs`), which every `cargo test` builds and CI checks with
//! `cargo clippy -- -D warnings`; it is generated here but not built a second time.
//!
//! The crates go to `<workspace>/target/all-versions/<date>/`, each with its own package
//! name, as members of one Cargo workspace, and are checked by a single `cargo check
//! --workspace --keep-going`: Cargo then checks two versions at once on two cores, and the
//! dependencies compile once (in `<workspace>/target/standalone`, shared with the other
//! tests that build generated crates). Every version is tried before anything is
//! asserted, the failure message lists every version that failed, and the versions'
//! own artifacts are removed afterwards.

mod support;

use std::path::Path;
use std::time::Instant;

use support::{cargo, documents, generate_crate, head, specs_dir, workspace, PIN};

/// The package name of a version's crate.
fn package_name(date: &str) -> String {
    format!("vercel-api-{date}")
}

/// Makes a generated crate a member of the enclosing workspace: a generated manifest
/// ends with an empty `[workspace]` table, which makes it a workspace of its own.
fn join_workspace(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let member = text.trim_end().strip_suffix("[workspace]").ok_or_else(|| {
        format!("{} does not end with an empty [workspace] table", manifest.display())
    })?;
    std::fs::write(&manifest, member).map_err(|e| format!("{}: {e}", manifest.display()))
}

/// The manifest of the workspace of every version's crate.
fn workspace_manifest(members: &[String]) -> String {
    let members: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    format!("[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n", members.join("\n"))
}

/// The packages Cargo reports it could not compile (`could not compile `NAME``).
fn failed_packages(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|line| line.split("could not compile `").nth(1))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_version_generates_a_crate_that_builds_without_warnings() {
    let documents = documents();
    assert!(!documents.is_empty(), "no documents in {}", specs_dir().display());
    assert!(
        documents.iter().any(|d| d.file_name().is_some_and(|n| n == PIN)),
        "the pin {PIN} is not in {}",
        specs_dir().display()
    );
    let root = workspace().join("target/all-versions");
    let _ = std::fs::remove_dir_all(&root);
    let mut failures: Vec<String> = Vec::new();
    let mut members: Vec<String> = Vec::new();
    let mut pinned = 0;
    for spec in &documents {
        let date = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let out = root.join(&date);
        let generated = generate_crate(spec, &out, &package_name(&date), &[]).and_then(|_| join_workspace(&out));
        match generated {
            Err(message) => failures.push(format!("{date}: generate failed: {message}")),
            Ok(()) if spec.file_name().is_some_and(|n| n == PIN) => pinned += 1,
            Ok(()) => members.push(date),
        }
    }
    std::fs::write(root.join("Cargo.toml"), workspace_manifest(&members)).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();

    let started = Instant::now();
    let check = cargo(&root, &["check", "--workspace", "--keep-going", "--quiet"]);
    println!("cargo check of {} versions: {:.1?}", members.len(), started.elapsed());
    let output = format!("{}{}", support::text(&check.stderr), support::text(&check.stdout));
    let failed = failed_packages(&output);
    for date in &members {
        if failed.contains(&package_name(date)) {
            failures.push(format!("{date}: cargo check failed"));
        }
    }
    if !check.status.success() {
        failures.push(format!("cargo check --workspace:\n{}", head(&check)));
    }
    // The versions' own artifacts are large, and no other test reuses them.
    let packages: Vec<String> = members.iter().flat_map(|d| ["--package".to_owned(), package_name(d)]).collect();
    let clean: Vec<&str> = ["clean", "--quiet"].into_iter().chain(packages.iter().map(String::as_str)).collect();
    cargo(&root, &clean);

    let built = pinned + members.len() - members.iter().filter(|d| failed.contains(&package_name(d))).count();
    println!("versions that built: {built}/{} (the pin as the workspace's crate)", documents.len());
    assert!(
        failures.is_empty(),
        "{} of {} versions failed:\n\n{}",
        documents.len() - built,
        documents.len(),
        failures.join("\n\n")
    );
}

#[test]
fn failed_packages_are_read_from_cargo_output() {
    let output = "error: unused variable\nerror: could not compile `vercel-api-2024-11-25` (lib) due to 1 previous error\nwarning: build failed, waiting for other jobs to finish...\nerror: could not compile `vercel-api-2025-01-02` (lib)\n";
    assert_eq!(failed_packages(output), vec!["vercel-api-2024-11-25", "vercel-api-2025-01-02"]);
    assert_eq!(
        workspace_manifest(&["a".to_owned(), "b".to_owned()]),
        "[workspace]\nresolver = \"2\"\nmembers = [\n    \"a\",\n    \"b\",\n]\n"
    );
}
