//! Keeps `generated/` in step with the pinned Vercel OpenAPI document.
//!
//! - Finds the pinned document through `spec/pin.json` (see `vercel_codegen::pin`)
//!   and checks its sha256.
//! - Regenerates the client and rewrites `generated/` only where the output changed.
//! - With `CI` set it never writes: a stale `generated/` fails the build.
//! - When no document is reachable (a build of the published crate), the
//!   committed code is used as it is.

use std::path::{Path, PathBuf};
use std::process::exit;

use vercel_codegen::generate::{compare, generate_pinned_sources, sync};
use vercel_codegen::{load, pin};

/// Paths whose change must rerun generation (only those that exist: a missing
/// path would rerun the script on every build).
const INPUTS: &[&str] = &["spec/pin.json", "generator/src", "generator/runtime", "generator/templates", "generator/Cargo.toml"];

fn main() {
    let workspace = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    for input in INPUTS {
        if workspace.join(input).exists() {
            println!("cargo:rerun-if-changed={input}");
        }
    }
    for var in [pin::SPEC_FILE_ENV, pin::SPECS_DIR_ENV, "CI"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    if let Err(message) = regenerate(&workspace) {
        eprintln!("error: {message}");
        exit(1);
    }
}

fn regenerate(workspace: &Path) -> Result<(), String> {
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
