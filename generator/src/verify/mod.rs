//! `vercel-codegen verify`: proves a generated client right against its document.
//!
//! The oracle reads the document as plain JSON and shares no code with the IR:
//! [`synth`] makes instances of every request, response and parameter schema,
//! [`validate`] checks them with an independent JSON Schema validator, and
//! [`oracle`] plans calls and what each must send and return. [`harness`] emits a
//! program against the generated crate (the interface under test) that round-trips
//! every instance through the generated types and makes every call against a
//! loopback HTTP server; [`report`] compares its record with the oracle, up to the
//! normalizations documented in [`compare`].

pub mod compare;
pub mod harness;
pub mod oracle;
pub mod report;
pub mod synth;
pub mod validate;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};

use crate::generate::{standalone_manifest, sync};
use crate::ir::Filter;
use crate::load::load_path;
use harness::{Role, Target};
use report::SchemaCase;
use synth::{Mode, Synth};
use validate::Validation;

/// How many forward-compatibility instances each response schema gets.
const FORWARD_INSTANCES: usize = 2;

/// The package name of the generated crate under test.
const CLIENT_NAME: &str = "vercel-api-verified";

/// What to verify and where to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The OpenAPI document.
    pub spec: PathBuf,
    /// Only operations with these tags; all when empty.
    pub tags: Vec<String>,
    /// Where the generated crate and the harness are written (kept afterwards).
    pub dir: PathBuf,
    /// Cargo's target directory for the harness build.
    pub target_dir: PathBuf,
}

/// The outcome of a verification.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Schemas whose every instance round-tripped.
    pub schemas_passed: usize,
    /// Schemas checked.
    pub schemas_total: usize,
    /// Operations whose every call was right.
    pub operations_passed: usize,
    /// Operations checked.
    pub operations_total: usize,
    /// One line per failure, naming the operation or the schema's JSON pointer.
    pub failures: Vec<String>,
    /// Things worth knowing that are not failures (dropped patterns).
    pub notes: Vec<String>,
}

impl Report {
    /// The summary line.
    pub fn summary(&self) -> String {
        format!(
            "verified: schemas {}/{} round-trip, operations {}/{} over HTTP",
            self.schemas_passed, self.schemas_total, self.operations_passed, self.operations_total
        )
    }

    /// Did everything pass?
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
            && self.schemas_passed == self.schemas_total
            && self.operations_passed == self.operations_total
    }
}

/// Verification could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The document or the arguments are unusable.
    #[error("{0}")]
    Input(String),
    /// The generated crate or the harness did not build or run.
    #[error("{0}")]
    Harness(String),
}

/// The default target directory: `target/verify` of the workspace this generator was
/// built in, when it is still there, else `target` inside `dir`.
pub fn default_target_dir(dir: &Path) -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if workspace.join("Cargo.lock").is_file() {
        workspace.join("target").join("verify")
    } else {
        dir.join("target")
    }
}

/// Reads a document as plain JSON (or YAML) for the oracle.
fn read_document(path: &Path) -> Result<Value, VerifyError> {
    let text = std::fs::read_to_string(path).map_err(|e| VerifyError::Input(format!("{}: {e}", path.display())))?;
    if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| VerifyError::Input(format!("{}: {e}", path.display())))
    } else {
        serde_yaml::from_str(&text).map_err(|e| VerifyError::Input(format!("{}: {e}", path.display())))
    }
}

/// Generates, builds and runs the harness for a document, and judges the result.
/// Progress goes to `log`.
pub fn run(options: &Options, log: &mut dyn FnMut(&str)) -> Result<Report, VerifyError> {
    let started = Instant::now();
    let loaded = load_path(&options.spec).map_err(|e| VerifyError::Input(e.to_string()))?;
    let doc = read_document(&options.spec)?;
    let generated = crate::generate_sources(loaded, &Filter { tags: options.tags.clone() })
        .map_err(|e| VerifyError::Input(e.to_string()))?;
    let api = &generated.api;
    let client_dir = options.dir.join("client");
    let harness_dir = options.dir.join("harness");
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |e: std::io::Error| VerifyError::Harness(format!("{path}: {e}"))
    };
    sync(&client_dir.join("src"), &generated.sources).map_err(|e| VerifyError::Harness(e.to_string()))?;
    write_if_changed(&client_dir.join("Cargo.toml"), &standalone_manifest(CLIENT_NAME, api)).map_err(io(&client_dir))?;

    let synth = Synth::new(&doc);
    let validation = Validation::new(&doc);
    let mut report = Report::default();
    report.notes.extend(validation.dropped_patterns.iter().map(|p| format!("pattern dropped (the validator cannot compile it): {p}")));
    let targets = harness::targets(api, &synth);
    let schema_cases: Vec<SchemaCase> = targets.iter().map(|t| schema_case(&synth, &validation, t)).collect();
    let plans: Vec<oracle::OperationPlan> = api
        .operations
        .iter()
        .map(|op| oracle::plan_operation(&synth, &validation, &op.pointer))
        .collect();
    let declared = oracle::operation_pointers(&doc, &options.tags);
    for pointer in &declared {
        if !api.operations.iter().any(|op| &op.pointer == pointer) {
            report.failures.push(format!("operation {pointer}: the client has no method for it"));
        }
    }
    log(&format!(
        "planned {} schemas and {} operations in {:.1?}",
        targets.len(),
        api.operations.len(),
        started.elapsed()
    ));

    let main = crate::format::format_tokens("harness main.rs", harness::main_file(api, &targets))
        .map_err(|e| VerifyError::Harness(e.to_string()))?;
    std::fs::create_dir_all(harness_dir.join("src")).map_err(io(&harness_dir))?;
    write_if_changed(&harness_dir.join("src/main.rs"), &main).map_err(io(&harness_dir))?;
    let bin_name = harness_bin_name(&options.dir);
    write_if_changed(&harness_dir.join("Cargo.toml"), &harness::manifest(CLIENT_NAME, &bin_name)).map_err(io(&harness_dir))?;
    copy_lockfile(&harness_dir).map_err(io(&harness_dir))?;
    let cases = json!({ "schemas": schema_cases, "operations": plans });
    let cases_path = options.dir.join("cases.json");
    std::fs::write(&cases_path, cases.to_string()).map_err(io(&cases_path))?;

    let built = Instant::now();
    build_harness(&harness_dir, &options.target_dir)?;
    log(&format!("built the client and the harness in {:.1?}", built.elapsed()));
    let ran = Instant::now();
    let results_path = options.dir.join("results.json");
    let results = run_harness(&options.target_dir, &bin_name, &cases_path, &results_path)?;
    log(&format!("ran the harness in {:.1?}", ran.elapsed()));

    report.schemas_total = schema_cases.len();
    for (index, case) in schema_cases.iter().enumerate() {
        let locate = |path: &str| synth.locate(&case.pointer, path);
        let failures = report::schema_failures(case, &results["schemas"][index], &locate);
        report.schemas_passed += usize::from(failures.is_empty());
        report.failures.extend(failures);
    }
    report.operations_total = plans.len();
    for (index, (plan, op)) in plans.iter().zip(&api.operations).enumerate() {
        let failures = report::operation_failures(&op.id, plan, &results["operations"][index]);
        report.operations_passed += usize::from(failures.is_empty());
        report.failures.extend(failures);
    }
    Ok(report)
}

/// The instances of one schema: valid ones to round-trip, forward ones for responses.
fn schema_case(synth: &Synth<'_>, validation: &Validation, target: &Target) -> SchemaCase {
    let mut case = SchemaCase {
        pointer: target.pointer.clone(),
        ..SchemaCase::default()
    };
    let Some(schema) = synth.doc().pointer(&target.pointer) else {
        case.invalid.push("no schema at this pointer".to_owned());
        return case;
    };
    // A named type stands for the schema without its `nullable` (the `Option` is
    // where the type is used), so its own instances are never null.
    let nullable = matches!(target.ty, crate::ir::TypeRef::Nullable(_) | crate::ir::TypeRef::Json);
    let checker = match validation.checker(&target.pointer) {
        Ok(checker) => checker,
        Err(e) => {
            case.invalid.push(e);
            return case;
        }
    };
    for instance in synth.instances(schema, Mode::default()) {
        if instance.is_null() && !nullable {
            continue;
        }
        match checker.check(&instance) {
            Ok(()) => case.instances.push(instance),
            Err(e) => case.invalid.push(format!("the validator rejects a synthesized instance {e}")),
        }
    }
    if target.role == Role::Response {
        case.forward = (0..FORWARD_INSTANCES)
            .map(|k| synth.instance(schema, k, Mode { forward: true, ..Mode::default() }))
            .filter(|v| !v.is_null())
            .collect();
    }
    case
}

/// The harness program's name for a directory: `verify-harness-` and a digest of the
/// directory's path.
fn harness_bin_name(dir: &Path) -> String {
    use sha2::Digest;
    let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let digest = sha2::Sha256::digest(absolute.display().to_string().as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("verify-harness-{hex}")
}

/// Writes a file unless it already holds `contents` (so cargo sees nothing changed).
fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}

/// Copies the workspace's `Cargo.lock` beside the harness, when there is one, so the
/// harness builds with the versions the project tests with.
fn copy_lockfile(harness_dir: &Path) -> std::io::Result<()> {
    let lockfile = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    match std::fs::read_to_string(lockfile) {
        Ok(contents) => write_if_changed(&harness_dir.join("Cargo.lock"), &contents),
        Err(_) => Ok(()),
    }
}

/// How many lines of compiler output a build failure shows.
const SHOWN_LINES: usize = 60;

/// `cargo build` of the harness (and so of the generated crate).
fn build_harness(harness_dir: &Path, target_dir: &Path) -> Result<(), VerifyError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(harness_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| VerifyError::Harness(format!("cannot run cargo: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let shown: Vec<&str> = stderr.lines().take(SHOWN_LINES).collect();
    Err(VerifyError::Harness(format!(
        "the harness does not build ({}):\n{}",
        harness_dir.display(),
        shown.join("\n")
    )))
}

/// Runs the built harness and reads its record.
fn run_harness(target_dir: &Path, bin_name: &str, cases: &Path, results: &Path) -> Result<Value, VerifyError> {
    let binary = target_dir.join("debug").join(format!("{bin_name}{}", std::env::consts::EXE_SUFFIX));
    let _ = std::fs::remove_file(results);
    let output = Command::new(&binary)
        .arg(cases)
        .arg(results)
        .output()
        .map_err(|e| VerifyError::Harness(format!("cannot run {}: {e}", binary.display())))?;
    if !output.status.success() {
        return Err(VerifyError::Harness(format!(
            "the harness failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let text = std::fs::read_to_string(results).map_err(|e| VerifyError::Harness(format!("{}: {e}", results.display())))?;
    serde_json::from_str(&text).map_err(|e| VerifyError::Harness(format!("{}: {e}", results.display())))
}
