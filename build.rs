//! Keeps `generated/` in step with the pinned Vercel OpenAPI document.
//!
//! Regeneration needs the generator, which is a build-dependency only when the build
//! has `--cfg vercel_api_regenerate`: this workspace's `.cargo/config.toml` sets it, so
//! `cargo build` here regenerates, while a crate that depends on `vercel-api` (from a
//! registry, a path or git) neither compiles the generator nor runs it.
//!
//! With the cfg:
//! - Finds the pinned document through `spec/pin.json` (see `vercel_codegen::pin`)
//!   and checks its sha256.
//! - Regenerates the client and rewrites `generated/` only where the output changed.
//! - With `CI` set it never writes: a stale `generated/` fails the build.
//! - When no document is reachable (a build of the published crate), the
//!   committed code is used as it is.
//!
//! Without it the committed code is used as it is, except in this repository with a
//! document directory at hand, where the lost regeneration is a warning (with `CI`
//! set, an error): `RUSTFLAGS` replaces the cfg of `.cargo/config.toml`, and
//! `--target` keeps it from build scripts.

use std::path::PathBuf;
use std::process::exit;

/// Environment variable naming the pinned document's path (`vercel_codegen::pin::SPEC_FILE_ENV`).
const SPEC_FILE_ENV: &str = "VERCEL_OPENAPI_SPEC";
/// Environment variable naming a directory of documents (`vercel_codegen::pin::SPECS_DIR_ENV`).
const SPECS_DIR_ENV: &str = "VERCEL_SPECS_DIR";
/// The default directory of documents, relative to the workspace (`vercel_codegen::pin::DEFAULT_SPECS_DIR`).
const DEFAULT_SPECS_DIR: &str = "../shared/specs/vercel";

fn main() {
    let workspace = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    for var in [SPEC_FILE_ENV, SPECS_DIR_ENV, "CI"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    #[cfg(vercel_api_regenerate)]
    let outcome = regenerate::run(&workspace);
    #[cfg(not(vercel_api_regenerate))]
    let outcome = without_generator(&workspace);
    if let Err(message) = outcome {
        eprintln!("error: {message}");
        exit(1);
    }
}

/// The build without the generator: nothing to do, unless this is the repository with
/// its documents at hand, where regeneration was expected.
#[cfg(not(vercel_api_regenerate))]
fn without_generator(workspace: &std::path::Path) -> Result<(), String> {
    println!("cargo:rerun-if-changed=build.rs");
    let in_repository = workspace.join("generator").join("Cargo.toml").is_file();
    let has_documents = [SPEC_FILE_ENV, SPECS_DIR_ENV]
        .iter()
        .any(|var| std::env::var_os(var).is_some_and(|v| !v.is_empty()))
        || workspace.join(DEFAULT_SPECS_DIR).is_dir();
    if !(in_repository && has_documents) {
        return Ok(());
    }
    let message = "generated/ was not checked against the pinned document: this build script \
                   was compiled without `--cfg vercel_api_regenerate` (.cargo/config.toml sets it; \
                   the RUSTFLAGS environment variable replaces it, and `--target` keeps it from \
                   build scripts). Add `--cfg vercel_api_regenerate` to RUSTFLAGS, or build \
                   without --target.";
    if std::env::var_os("CI").is_some() {
        return Err(message.to_owned());
    }
    println!("cargo:warning={message}");
    Ok(())
}

/// Regeneration from the pinned document, with the generator as a build-dependency.
#[cfg(vercel_api_regenerate)]
mod regenerate {
    use std::path::Path;

    use vercel_codegen::generate::{compare, generate_pinned_sources, sync};
    use vercel_codegen::{load, pin};

    /// Paths whose change must rerun generation (only those that exist: a missing
    /// path would rerun the script on every build).
    const INPUTS: &[&str] = &[
        "spec/pin.json",
        "generator/src",
        "generator/runtime",
        "generator/templates",
        "generator/Cargo.toml",
    ];

    /// Declares the inputs, then regenerates (or, with `CI` set, compares).
    pub fn run(workspace: &Path) -> Result<(), String> {
        for input in INPUTS {
            if workspace.join(input).exists() {
                println!("cargo:rerun-if-changed={input}");
            }
        }
        let names = [
            (super::SPEC_FILE_ENV, pin::SPEC_FILE_ENV),
            (super::SPECS_DIR_ENV, pin::SPECS_DIR_ENV),
            (super::DEFAULT_SPECS_DIR, pin::DEFAULT_SPECS_DIR),
        ];
        if let Some((here, there)) = names.iter().find(|(here, there)| here != there) {
            return Err(format!("build.rs names `{here}` where vercel_codegen::pin names `{there}`"));
        }
        let pin = pin::read_pin(workspace).map_err(|e| e.to_string())?;
        let Some(spec_path) = pin::locate_spec(&pin, workspace) else {
            // No document here: building the published crate; keep the committed code.
            return Ok(());
        };
        println!("cargo:rerun-if-changed={}", spec_path.display());
        let bytes = std::fs::read(&spec_path).map_err(|e| format!("{}: {e}", spec_path.display()))?;
        pin::verify(&pin, &spec_path, &bytes).map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&bytes);
        let spec = load::load_str(&spec_path.display().to_string(), &text).map_err(|e| e.to_string())?;
        let generated = generate_pinned_sources(spec, &pin).map_err(|e| e.to_string())?;
        let out = workspace.join("generated");
        if std::env::var_os("CI").is_some() {
            let differences = compare(&out, &generated.sources);
            if !differences.is_empty() {
                let list: Vec<String> = differences.iter().map(ToString::to_string).collect();
                return Err(format!(
                    "generated/ is stale against {} ({}). Regenerate it with `cargo build` \
                     (without CI set) and commit the result.",
                    spec_path.display(),
                    list.join(", ")
                ));
            }
            return Ok(());
        }
        sync(&out, &generated.sources).map_err(|e| e.to_string())?;
        Ok(())
    }
}
