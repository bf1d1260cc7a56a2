//! Every stored version of Vercel's document generates a full crate that builds without
//! warnings (and, for the pin, passes clippy).
//!
//! The crates go to `<workspace>/target/all-versions/<date>/`, each with its own package
//! name, and share one target directory (`<workspace>/target/standalone`), so the
//! dependencies compile once; each version's own artifacts are removed once it is checked. Every version is tried before anything is asserted, and the
//! failure message lists every version that failed.

mod support;

use std::time::Instant;

use support::{cargo, documents, generate_crate, specs_dir, workspace, PIN};

#[test]
fn every_version_generates_a_crate_that_builds_without_warnings() {
    let documents = documents();
    assert!(
        !documents.is_empty(),
        "no documents in {}",
        specs_dir().display()
    );
    assert!(
        documents
            .iter()
            .any(|d| d.file_name().is_some_and(|n| n == PIN)),
        "the pin {PIN} is not in {}",
        specs_dir().display()
    );
    let root = workspace().join("target/all-versions");
    let mut failures: Vec<String> = Vec::new();
    let mut compiled: Vec<String> = Vec::new();
    for spec in &documents {
        let date = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let started = Instant::now();
        let out = root.join(&date);
        let name = format!("vercel-api-{date}");
        if let Err(message) = generate_crate(spec, &out, &name, &[]) {
            failures.push(format!("{date}: generate failed: {message}"));
            println!("{date}: generate FAILED ({:.1?})", started.elapsed());
            continue;
        }
        let mut ok = true;
        let check = cargo(&out, &["check", "--quiet"]);
        if !check.status.success() {
            ok = false;
            failures.push(format!("{date}: cargo check failed:\n{}", support::head(&check)));
        }
        if spec.file_name().is_some_and(|n| n == PIN) {
            let clippy = cargo(&out, &["clippy", "--quiet", "--", "-D", "warnings"]);
            if !clippy.status.success() {
                ok = false;
                failures.push(format!(
                    "{date}: cargo clippy -- -D warnings failed:\n{}",
                    support::head(&clippy)
                ));
            }
        }
        // Each version is a new package: drop its artifacts so the versions do not add up.
        cargo(&out, &["clean", "--quiet", "--package", &name]);
        println!(
            "{date}: {} ({:.1?})",
            if ok { "ok" } else { "FAILED" },
            started.elapsed()
        );
        if ok {
            compiled.push(date);
        }
    }
    println!(
        "versions that built: {}/{}",
        compiled.len(),
        documents.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} versions failed:\n\n{}",
        documents.len() - compiled.len(),
        documents.len(),
        failures.join("\n\n")
    );
}
