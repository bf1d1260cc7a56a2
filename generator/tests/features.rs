//! Every group feature of the pin's full crate builds on its own, without warnings, and so
//! does the crate with no features at all.
//!
//! The crate goes to `<workspace>/target/features/`; builds share the target directory
//! `<workspace>/target/standalone` with the other tests that build generated crates.

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

    let mut failures: Vec<String> = Vec::new();
    let mut built = 0;
    let runs: Vec<(String, Vec<&str>)> = features
        .iter()
        .map(|feature| {
            (
                feature.clone(),
                vec!["--no-default-features", "--features", feature.as_str()],
            )
        })
        .chain(std::iter::once((
            "(no features)".to_owned(),
            vec!["--no-default-features"],
        )))
        .collect();
    for (label, args) in &runs {
        let started = Instant::now();
        let output = cargo(&out, &[&["check", "--quiet"], args.as_slice()].concat());
        let ok = output.status.success();
        println!(
            "{label}: {} ({:.1?})",
            if ok { "ok" } else { "FAILED" },
            started.elapsed()
        );
        if ok {
            built += 1;
        } else {
            failures.push(format!(
                "cargo check {}:\n{}",
                args.join(" "),
                head(&output)
            ));
        }
    }
    println!("feature sets that built: {built}/{}", runs.len());
    assert!(
        failures.is_empty(),
        "{} of {} feature sets do not build:\n\n{}",
        failures.len(),
        runs.len(),
        failures.join("\n\n")
    );
}
