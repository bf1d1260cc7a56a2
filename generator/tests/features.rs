//! Every group feature of the pin's full crate builds on its own, without warnings, and so
//! does the crate with no features at all. A user of the marketplace crate can build a
//! generated struct with its constructor, and cannot with a struct literal.
//!
//! The crate goes to `<workspace>/target/features/`. Each feature set is a member package
//! of one workspace in `<workspace>/target/feature-sets/` that compiles that source with
//! the set as its default features, so one `cargo check --workspace` checks two sets at
//! once; builds share the target directory `<workspace>/target/standalone` with the other
//! tests that build generated crates.

mod support;

use std::time::Instant;

use support::{cargo, generate_crate, head, pinned, workspace};
use vercel_codegen::ir::{self, Filter};
use vercel_codegen::load::load_path;

/// The features of the `[features]` table of a manifest, without `default`.
fn manifest_features(manifest: &str) -> Vec<String> {
    let mut in_table = false;
    let mut features = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == "[features]";
            continue;
        }
        if !in_table || line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if name != "default" {
                features.push(name.to_owned());
            }
        }
    }
    features
}

#[test]
fn every_group_feature_builds_alone() {
    let out = workspace().join("target/features");
    if let Err(message) = generate_crate(&pinned(), &out, "vercel-api-features", &[]) {
        panic!("{message}");
    }

    // The manifest's features are exactly the groups of the IR (bar the shared module).
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let features = manifest_features(&manifest);
    let spec = load_path(&pinned()).unwrap();
    let api = ir::build(&spec, &Filter::default()).api;
    let mut expected: Vec<String> = api
        .groups()
        .iter()
        .filter(|group| *group != ir::SHARED_GROUP)
        .map(|group| ir::feature_name(group))
        .collect();
    expected.sort();
    let mut sorted = features.clone();
    sorted.sort();
    assert_eq!(
        sorted, expected,
        "the manifest's features are not the IR's groups:\n{manifest}"
    );
    assert!(
        features.len() > 1,
        "expected several group features, found {features:?}"
    );

    // One member package per feature set, all compiling the one generated source with
    // their own default features, so that a single `cargo check` runs two at a time.
    let sets: Vec<(String, Vec<String>)> = features
        .iter()
        .map(|feature| (feature.clone(), vec![feature.clone()]))
        .chain(std::iter::once(("none".to_owned(), Vec::new())))
        .collect();
    let root = workspace().join("target/feature-sets");
    let _ = std::fs::remove_dir_all(&root);
    let mut members = Vec::new();
    for (label, enabled) in &sets {
        let dir = root.join(label);
        std::fs::create_dir_all(&dir).unwrap();
        let lib = out.join("src/lib.rs");
        let member = member_manifest(&manifest, &package_name(label), &lib, enabled)
            .unwrap_or_else(|e| panic!("{e}:\n{manifest}"));
        std::fs::write(dir.join("Cargo.toml"), member).unwrap();
        members.push(label.clone());
    }
    // Two users of the marketplace crate: one builds a generated struct with its
    // constructor and setters, the other with a struct literal, which must not compile.
    for (label, source) in USERS {
        let dir = root.join(label);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("Cargo.toml"), user_manifest(label)).unwrap();
        std::fs::write(dir.join("src/lib.rs"), source).unwrap();
    }
    let list: Vec<String> =
        members.iter().map(String::as_str).chain(USERS.iter().map(|(label, _)| *label)).map(|m| format!("    \"{m}\",")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n", list.join("\n")),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();

    let started = Instant::now();
    let output = cargo(&root, &["check", "--workspace", "--keep-going", "--quiet"]);
    println!("cargo check of {} feature sets: {:.1?}", sets.len(), started.elapsed());
    let all = format!("{}{}", support::text(&output.stderr), support::text(&output.stdout));
    let failed: Vec<&(String, Vec<String>)> = sets
        .iter()
        .filter(|(label, _)| all.contains(&format!("could not compile `{}`", package_name(label))))
        .collect();
    let constructed = !all.contains("could not compile `constructor-user`");
    let literal_refused = all.contains("could not compile `literal-user`")
        && all.contains("error[E0639]: cannot create non-exhaustive struct using struct expression");
    let packages: Vec<String> = members
        .iter()
        .map(|m| package_name(m))
        .chain(USERS.iter().map(|(label, _)| (*label).to_owned()))
        .flat_map(|package| ["--package".to_owned(), package])
        .collect();
    let clean: Vec<&str> = ["clean", "--quiet"].into_iter().chain(packages.iter().map(String::as_str)).collect();
    cargo(&root, &clean);
    println!("feature sets that built: {}/{}", sets.len() - failed.len(), sets.len());
    assert!(constructed, "a user's constructor and setters do not compile:\n\n{}", head(&output));
    assert!(literal_refused, "a user's struct literal of a generated struct compiles:\n\n{}", head(&output));
    assert!(
        failed.is_empty(),
        "{} of {} feature sets do not build ({:?}):\n\n{}",
        failed.len(),
        sets.len(),
        failed.iter().map(|(label, _)| label).collect::<Vec<_>>(),
        head(&output)
    );
}

/// Users of the marketplace crate, as (package name, `src/lib.rs`).
const USERS: &[(&str, &str)] = &[
    (
        "constructor-user",
        r#"use vercel_api::marketplace::{ImportResourceRequest, ResourceStatus, Secret};

pub fn request() -> ImportResourceRequest {
    ImportResourceRequest::new("product", "name", ResourceStatus::Ready)
        .with_secrets(vec![Secret::new("NAME", "value").with_prefix("PREFIX")])
}
"#,
    ),
    (
        "literal-user",
        r#"use vercel_api::marketplace::Secret;

pub fn secret() -> Secret {
    Secret { name: "NAME".into(), value: "value".into(), prefix: None, environment_overrides: None }
}
"#,
    ),
];

/// The manifest of a user of the marketplace feature set's crate.
fn user_manifest(name: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nvercel-api = {{ package = \"{}\", path = \"../marketplace\" }}\n",
        package_name("marketplace")
    )
}

/// The package name of the member that checks one feature set.
fn package_name(label: &str) -> String {
    format!("vercel-api-features-{label}")
}

/// A generated crate's manifest rewritten as a workspace member named `name`, whose
/// library is `lib` and whose default features are `enabled`.
fn member_manifest(manifest: &str, name: &str, lib: &std::path::Path, enabled: &[String]) -> Result<String, String> {
    let mut renamed = false;
    let mut pointed = false;
    let mut defaulted = false;
    let mut lines = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("name = ") && !renamed {
            renamed = true;
            lines.push(format!("name = \"{name}\""));
        } else if trimmed.starts_with("path = ") && !pointed {
            pointed = true;
            lines.push(format!("path = {:?}", lib.display().to_string()));
        } else if trimmed.starts_with("default = ") {
            defaulted = true;
            let quoted: Vec<String> = enabled.iter().map(|f| format!("\"{f}\"")).collect();
            lines.push(format!("default = [{}]", quoted.join(", ")));
        } else if trimmed != "[workspace]" {
            lines.push(line.to_owned());
        }
    }
    if renamed && pointed && defaulted {
        Ok(lines.join("\n") + "\n")
    } else {
        Err("the manifest lacks a package name, a library path or default features".to_owned())
    }
}
