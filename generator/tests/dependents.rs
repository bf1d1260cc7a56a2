//! A crate that depends on `vercel-api` compiles none of the generator: the
//! `cargo tree -e normal,build` of a tiny dependent, by path and as packaged, lists no
//! crate that only `vercel-codegen` brings in. As a control, the dependent's tree with
//! `--cfg vercel_api_regenerate` (how this workspace builds, see build.rs) lists them.
//!
//! Only `cargo tree --offline` and `cargo package --no-verify` run: nothing is compiled.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use support::workspace;

/// The cfg that makes the generator a build-dependency.
const REGENERATE: &str = "--cfg vercel_api_regenerate";

/// `cargo ARGS` in `dir`, as a user runs it: none of this workspace's rustflags, which
/// would otherwise come from the environment `cargo test` runs in.
fn cargo(dir: &Path, args: &[&str], rustflags: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTFLAGS");
    if let Some(flags) = rustflags {
        command.env("RUSTFLAGS", flags);
    }
    let output = command.output().expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`cargo {}` in {} failed:\n{}{stdout}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The package names of a `cargo tree --prefix none` listing.
fn names(tree: &str) -> BTreeSet<String> {
    tree.lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The dependency tree (normal and build) of the package in `dir`, by package name.
fn tree(dir: &Path, extra: &[&str], rustflags: Option<&str>) -> BTreeSet<String> {
    let mut args = vec!["tree", "--offline", "--prefix", "none", "-e", "normal,build"];
    args.extend_from_slice(extra);
    names(&cargo(dir, &args, rustflags))
}

/// A binary crate in `dir` using only the `marketplace` feature of the `vercel-api` at
/// `source`, with this workspace's lock file so that it resolves offline to the same
/// versions; `patch` is the extra `[patch.crates-io]` table's body.
fn dependent(dir: &Path, source: &Path, patch: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"dependent\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nvercel-api = {{ path = {:?}, default-features = false, features = [\"marketplace\"] }}\n\n\
         [patch.crates-io]\n{patch}\n\n[workspace]\n",
        source.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/main.rs"), "fn main() {\n    let _ = vercel_api::Client::new(\"token\");\n}\n")
        .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Checks the dependent in `dir`: its own tree has none of the crates only the generator
/// brings in, while the tree with the regeneration cfg has them.
fn assert_no_generator(dir: &Path, how: &str) {
    let regenerating = tree(dir, &[], Some(REGENERATE));
    assert!(
        regenerating.contains("vercel-codegen"),
        "{how}: the control tree (with {REGENERATE}) lacks vercel-codegen: {regenerating:?}"
    );
    let generator = tree(dir, &["-p", "vercel-codegen"], Some(REGENERATE));
    let without_generator = tree(dir, &["--prune", "vercel-codegen"], Some(REGENERATE));
    let generator_only: BTreeSet<&String> = generator.difference(&without_generator).collect();
    for heavy in ["vercel-codegen", "openapiv3", "prettyplease", "clap"] {
        assert!(
            generator_only.contains(&heavy.to_owned()),
            "{how}: {heavy} is not among the generator's own crates {generator_only:?}"
        );
    }

    let user = tree(dir, &[], None);
    assert!(user.contains("vercel-api") && user.contains("reqwest"), "{how}: {user:?}");
    let found: Vec<&&String> = generator_only.iter().filter(|name| user.contains(**name)).collect();
    assert!(
        found.is_empty(),
        "{how}: a dependent of vercel-api compiles the generator's crates {found:?}"
    );
}

#[test]
fn a_dependent_by_path_compiles_none_of_the_generator() {
    let dir = tempfile::tempdir().unwrap();
    dependent(dir.path(), &workspace(), "");
    assert_no_generator(dir.path(), "by path");
}

#[test]
fn a_dependent_of_the_packaged_crate_compiles_none_of_the_generator() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    let target_arg = target.display().to_string();
    // Both crates, so that Cargo resolves vercel-api's dependency on vercel-codegen
    // against the one packaged beside it.
    let package = [
        "package", "--offline", "--no-verify", "--allow-dirty", "--quiet", "-p", "vercel-codegen", "-p", "vercel-api",
        "--target-dir", &target_arg,
    ];
    cargo(&workspace(), &package, None);
    let version = manifest_version(&workspace().join("Cargo.toml"));
    let codegen_version = env!("CARGO_PKG_VERSION");
    let unpacked = dir.path().join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    for archive in [format!("vercel-api-{version}.crate"), format!("vercel-codegen-{codegen_version}.crate")] {
        let path = target.join("package").join(&archive);
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(&path)
            .arg("-C")
            .arg(&unpacked)
            .status()
            .expect("run tar");
        assert!(status.success(), "cannot unpack {}", path.display());
    }
    let api = unpacked.join(format!("vercel-api-{version}"));
    let manifest = std::fs::read_to_string(api.join("Cargo.toml")).unwrap();
    let tables: Vec<&str> = manifest.lines().filter(|line| line.contains("build-dependencies")).collect();
    assert!(
        !tables.is_empty() && tables.iter().all(|line| line.contains("cfg(vercel_api_regenerate)")),
        "the packaged manifest does not make the generator conditional:\n{manifest}"
    );
    // The packaged manifest names vercel-codegen by version, as on crates.io; the patch
    // stands in for the registry.
    let codegen = unpacked.join(format!("vercel-codegen-{codegen_version}"));
    let patch = format!("vercel-codegen = {{ path = {:?} }}", codegen.display().to_string());
    let app = dir.path().join("app");
    dependent(&app, &api, &patch);
    assert_no_generator(&app, "as packaged");
}

/// The `version = "..."` of a manifest's `[package]` (the first such line).
fn manifest_version(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("{}: no version line", path.display()))
        .to_owned()
}
