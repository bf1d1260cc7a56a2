//! The `vercel-codegen` command line.
//!
//! Exit codes: 0 success, 1 a check failed, 2 bad input (arguments or document).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use vercel_codegen::diff::report::{render, Format};
use vercel_codegen::diff::{self, FailOn, Prepared, Report};
use vercel_codegen::generate::{compare, generate_pinned_sources, standalone_manifest, sync};
use vercel_codegen::ir::{Filter, TypeRef};
use vercel_codegen::load::{load_path, summarize, LoadedSpec};
use vercel_codegen::{generate_sources, pin};
#[cfg(feature = "verify")]
use vercel_codegen::verify;

mod cli;

/// Generation allocates millions of small token and syntax nodes; mimalloc handles
/// that pattern far faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates the typed Rust client for the Vercel REST API from its OpenAPI document.
#[derive(Debug, Parser)]
#[command(name = "vercel-codegen", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a standalone client crate (Cargo.toml and src/) for a document.
    Generate {
        /// The OpenAPI document (JSON or YAML).
        #[arg(long)]
        spec: PathBuf,
        /// The directory to write the crate into.
        #[arg(long)]
        out: PathBuf,
        /// Only operations with this tag (repeatable); all operations when absent.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// The crate's package name.
        #[arg(long, default_value = "vercel-api-generated")]
        name: String,
    },
    /// Fail (exit 1) when the committed `generated/` differs from a fresh generation.
    Check {
        /// The workspace root holding `spec/pin.json` and `generated/`.
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        /// The document to generate from (default: the pinned one).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    #[cfg(feature = "verify")]
    /// Prove a generated client right: round-trip synthesized instances of every
    /// schema through its types and call every operation against a loopback server.
    /// Ends with a summary line; exits 1 when anything fails.
    Verify {
        /// The OpenAPI document (JSON or YAML).
        #[arg(long)]
        spec: PathBuf,
        /// Only operations with this tag (repeatable); all operations when absent.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Keep the generated crate and the harness in this directory (reused by the
        /// next run); a temporary directory, removed afterwards, when absent.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Cargo's target directory for the harness (default: the workspace's
        /// `target/verify`), so repeated runs reuse compiled dependencies.
        #[arg(long)]
        target_dir: Option<PathBuf>,
        /// A file of subjects known to fail (`operation ID` or `schema POINTER`, one per
        /// line): their failures are reported but do not fail the run; only new ones do.
        #[arg(long)]
        known_failures: Option<PathBuf>,
    },
    /// Compare two documents: each change classified as breaking or compatible for a
    /// user of the generated crate, and the semver bump the crate needs.
    Diff {
        /// The old document.
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// Only operations with this tag (repeatable); all operations when absent.
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[command(flatten)]
        output: DiffOutput,
    },
    /// Compare a candidate document with the pinned one, as a CI check of upstream drift.
    Drift {
        /// The candidate document (default: the file named by VERCEL_OPENAPI_CANDIDATE).
        #[arg(long)]
        candidate: Option<PathBuf>,
        /// The workspace root holding `spec/pin.json`.
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        #[command(flatten)]
        output: DiffOutput,
    },
    #[cfg(feature = "release")]
    /// Move the pin to a new document and prepare the release: compare it with the
    /// pinned one (limited to the pin's tags), write the new `spec/pin.json`, add the
    /// document to `spec/documents.json`, bump the `vercel-api` version in `Cargo.toml`
    /// as the comparison requires, and put the report on top of `CHANGELOG.md`.
    UpdatePin {
        /// The new document (`YYYY-MM-DD.json`, as Vercel's documents are named).
        #[arg(long, required_unless_present = "url", conflicts_with = "url")]
        spec: Option<PathBuf>,
        /// Download the new document from this address (https://openapi.vercel.sh/
        /// serves the newest) and save it as `DATE.json` (today's UTC date, or --date)
        /// in --dir.
        #[arg(long)]
        url: Option<String>,
        /// The address recorded for the new document, one that always serves these
        /// bytes (default: --url, or the address `spec/documents.json` has for them).
        #[arg(long)]
        source: Option<String>,
        /// Where --url saves the document (default: `VERCEL_SPECS_DIR`, else
        /// `../shared/specs/vercel` when it exists, else `target/vercel-documents`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The workspace root holding `spec/pin.json`, `Cargo.toml` and `CHANGELOG.md`.
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        /// The document's date, for the changelog (default: from its file name).
        #[arg(long)]
        date: Option<String>,
    },
    #[cfg(feature = "fetch")]
    /// Download the documents of `spec/documents.json` that a directory lacks, each
    /// checked against its sha256 before it is written. Exits 2 naming the address,
    /// the expected and the received sha256 when one cannot be had.
    FetchDocuments {
        /// The directory to fill (default: `VERCEL_SPECS_DIR`, else
        /// `../shared/specs/vercel` when it exists, else `target/vercel-documents`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The workspace root holding `spec/documents.json`.
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        /// Only the pinned document, from the address in `spec/pin.json`.
        #[arg(long)]
        pinned: bool,
    },
    /// Print the counts of operations and types per tag.
    Stats {
        /// The OpenAPI document (JSON or YAML).
        #[arg(long)]
        spec: PathBuf,
    },
}

/// How `diff` and `drift` report, and when they fail.
#[derive(Debug, Args)]
struct DiffOutput {
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when the report has changes at this level: `spec-breaking` (a breaking
    /// spec change), `breaking` (the crate needs a major version), `compatible` (anything
    /// added or breaking), `any` (the generated code differs at all).
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    fail_on: FailOn,
}

/// Environment variable naming the candidate document of `drift`.
const CANDIDATE_ENV: &str = "VERCEL_OPENAPI_CANDIDATE";

/// A failure, with the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn bad_input(message: impl ToString) -> Self {
        Failure {
            code: 2,
            message: message.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            spec,
            out,
            tags,
            name,
        } => run_generate(&spec, &out, tags, &name),
        Command::Check { workspace, spec } => run_check(&workspace, spec.as_deref()),
        Command::Diff {
            old,
            new,
            tags,
            output,
        } => run_diff(&old, &new, &Filter { tags }, &output),
        Command::Drift {
            candidate,
            workspace,
            output,
        } => run_drift(candidate, &workspace, &output),
        Command::Stats { spec } => run_stats(&spec),
        #[cfg(feature = "release")]
        Command::UpdatePin {
            spec,
            url,
            source,
            dir,
            workspace,
            date,
        } => cli::update_pin::run(&cli::update_pin::Request {
            spec,
            url,
            source,
            dir,
            workspace,
            date,
        }),
        #[cfg(feature = "fetch")]
        Command::FetchDocuments { dir, workspace, pinned } => cli::fetch::run(dir, &workspace, pinned),
        #[cfg(feature = "verify")]
        Command::Verify {
            spec,
            tags,
            keep,
            target_dir,
            known_failures,
        } => run_verify(spec, tags, keep, target_dir, known_failures.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Loads a document, printing its repair warnings to stderr.
fn load(path: &Path) -> Result<LoadedSpec, Failure> {
    let spec = load_path(path).map_err(Failure::bad_input)?;
    for line in summarize(&spec.warnings) {
        eprintln!("warning: {}: {line}", path.display());
    }
    Ok(spec)
}

fn run_generate(spec: &Path, out: &Path, tags: Vec<String>, name: &str) -> Result<(), Failure> {
    let loaded = load(spec)?;
    let generated = generate_sources(loaded, &Filter { tags }).map_err(Failure::bad_input)?;
    for warning in &generated.warnings {
        eprintln!("warning: {}: {warning}", spec.display());
    }
    sync(&out.join("src"), &generated.sources).map_err(Failure::bad_input)?;
    let manifest = out.join("Cargo.toml");
    std::fs::write(&manifest, standalone_manifest(name, &generated.api))
        .map_err(|e| Failure::bad_input(format!("{}: {e}", manifest.display())))?;
    eprintln!(
        "generated {} operations and {} types into {}",
        generated.api.operations.len(),
        generated.api.types.len(),
        out.display()
    );
    Ok(())
}

fn run_check(workspace: &Path, spec: Option<&Path>) -> Result<(), Failure> {
    let pin = pin::read_pin(workspace).map_err(Failure::bad_input)?;
    let path = match spec {
        Some(path) => path.to_path_buf(),
        None => pin::locate_spec(&pin, workspace).ok_or_else(|| pinned_not_found(&pin))?,
    };
    let loaded = load(&path)?;
    let generated = generate_pinned_sources(loaded, &pin).map_err(Failure::bad_input)?;
    let differences = compare(&workspace.join("generated"), &generated.sources);
    if differences.is_empty() {
        println!("generated/ is up to date with {}", path.display());
        return Ok(());
    }
    let list: Vec<String> = differences.iter().map(ToString::to_string).collect();
    Err(Failure {
        code: 1,
        message: format!(
            "generated/ is stale ({} files differ: {}); run `cargo build` outside CI to regenerate it",
            differences.len(),
            list.join(", ")
        ),
    })
}

#[cfg(feature = "verify")]
fn run_verify(
    spec: PathBuf,
    tags: Vec<String>,
    keep: Option<PathBuf>,
    target_dir: Option<PathBuf>,
    known_failures: Option<&Path>,
) -> Result<(), Failure> {
    let known = match known_failures {
        Some(path) => verify::report::parse_known(
            &std::fs::read_to_string(path).map_err(|e| Failure::bad_input(format!("{}: {e}", path.display())))?,
        ),
        None => Default::default(),
    };
    let temporary = keep.is_none();
    let dir = keep.unwrap_or_else(|| std::env::temp_dir().join(format!("vercel-verify-{}", std::process::id())));
    let options = verify::Options {
        target_dir: target_dir.unwrap_or_else(|| verify::default_target_dir(&dir)),
        spec,
        tags,
        dir: dir.clone(),
    };
    let outcome = verify::run(&options, &mut |line| eprintln!("{line}"));
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let report = match outcome {
        Ok(report) => report,
        Err(verify::VerifyError::Input(message)) => return Err(Failure::bad_input(message)),
        Err(verify::VerifyError::Harness(message)) => return Err(Failure { code: 1, message }),
    };
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    let sorted = verify::report::triage(&report.failures, &known);
    for failure in &sorted.known {
        println!("KNOWN {failure}");
    }
    for failure in &sorted.new {
        println!("FAILED {failure}");
    }
    for subject in &sorted.fixed {
        eprintln!("note: `{subject}` is listed as failing but passes now; remove it from the list");
    }
    println!("{}", report.summary());
    if sorted.new.is_empty() && report.failures.len() == sorted.known.len() {
        if !report.passed() {
            eprintln!("{} failures, all of subjects known to fail", sorted.known.len());
        }
        Ok(())
    } else {
        Err(Failure {
            code: 1,
            message: format!("{} new failures ({} known)", sorted.new.len(), sorted.known.len()),
        })
    }
}

/// Loads and generates one side of a comparison, labelled by its file name.
fn prepare(path: &Path, filter: &Filter) -> Result<Prepared, Failure> {
    let loaded = load(path)?;
    let label = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    diff::prepare(&label, loaded, filter).map_err(Failure::bad_input)
}

/// Prints a report and fails (exit 1) when it reaches the `--fail-on` level.
fn finish(report: &Report, output: &DiffOutput) -> Result<(), Failure> {
    print!("{}", render(report, output.format));
    if report.fails(output.fail_on) {
        return Err(Failure {
            code: 1,
            message: format!(
                "{} -> {}: changes at the --fail-on level ({} breaking, {} compatible spec changes; semver {})",
                report.old,
                report.new,
                report.counts.breaking,
                report.counts.compatible,
                report.bump.as_str()
            ),
        });
    }
    Ok(())
}

/// Prepares both sides at once: loading and building the IR use one core each.
fn prepare_both(old: &Path, new: &Path, filter: &Filter) -> Result<(Prepared, Prepared), Failure> {
    std::thread::scope(|scope| {
        let other = scope.spawn(|| prepare(new, filter));
        let old = prepare(old, filter);
        // The thread only panics if the generator has a bug; surface it where it happened.
        let new = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((old?, new?))
    })
}

fn run_diff(old: &Path, new: &Path, filter: &Filter, output: &DiffOutput) -> Result<(), Failure> {
    let (old, new) = prepare_both(old, new, filter)?;
    finish(&diff::diff(&old, &new), output)
}

/// The failure of a search for the pinned document.
fn pinned_not_found(pin: &pin::Pin) -> Failure {
    Failure::bad_input(format!(
        "the pinned document {} was not found; set {} or {}, or download it with `vercel-codegen fetch-documents --pinned`",
        pin.file,
        pin::SPEC_FILE_ENV,
        pin::SPECS_DIR_ENV
    ))
}

/// The pinned document of `workspace`, its sha256 checked.
fn pinned_document(pin: &pin::Pin, workspace: &Path) -> Result<PathBuf, Failure> {
    let pinned = pin::locate_spec(pin, workspace).ok_or_else(|| pinned_not_found(pin))?;
    let bytes = std::fs::read(&pinned).map_err(|e| Failure::bad_input(format!("{}: {e}", pinned.display())))?;
    pin::verify(pin, &pinned, &bytes).map_err(Failure::bad_input)?;
    Ok(pinned)
}

/// `diff` of the pinned document (limited to the pin's tags) against a candidate.
fn run_drift(candidate: Option<PathBuf>, workspace: &Path, output: &DiffOutput) -> Result<(), Failure> {
    let candidate = candidate
        .or_else(|| std::env::var_os(CANDIDATE_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
        .ok_or_else(|| Failure::bad_input(format!("no candidate document: pass --candidate FILE or set {CANDIDATE_ENV}")))?;
    let pin = pin::read_pin(workspace).map_err(Failure::bad_input)?;
    let pinned = pinned_document(&pin, workspace)?;
    let filter = Filter { tags: pin.tags.clone() };
    let (old, new) = prepare_both(&pinned, &candidate, &filter)?;
    finish(&diff::diff(&old, &new), output)
}

/// Counts per tag: operations, and the types their module defines.
fn run_stats(spec: &Path) -> Result<(), Failure> {
    let loaded = load(spec)?;
    let generated = generate_sources(loaded, &Filter::default()).map_err(Failure::bad_input)?;
    let api = &generated.api;
    let mut rows: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for op in &api.operations {
        for tag in op.tags.iter().take(1) {
            rows.entry(tag.clone()).or_default().0 += 1;
        }
        if op.tags.is_empty() {
            rows.entry("(untagged)".to_owned()).or_default().0 += 1;
        }
    }
    let mut by_group: BTreeMap<&str, usize> = BTreeMap::new();
    for ty in api.types.values() {
        *by_group.entry(ty.group.as_str()).or_default() += 1;
    }
    for (tag, row) in rows.iter_mut() {
        let group = vercel_codegen::names::field_name(tag);
        row.1 = by_group.get(group.as_str()).copied().unwrap_or(0);
    }
    let shared = by_group.get(vercel_codegen::ir::SHARED_GROUP).copied().unwrap_or(0);
    println!("{:<28} {:>10} {:>7}", "tag", "operations", "types");
    for (tag, (operations, types)) in &rows {
        println!("{tag:<28} {operations:>10} {types:>7}");
    }
    println!("{:<28} {:>10} {:>7}", "(shared components)", "-", shared);
    let free_form = count_free_form(api);
    let lines: usize = generated.sources.values().map(|s| s.lines().count()).sum();
    println!(
        "{:<28} {:>10} {:>7}",
        "total",
        api.operations.len(),
        api.types.len()
    );
    println!("free-form JSON fields: {free_form}");
    println!("generated lines: {lines}");
    Ok(())
}

/// Fields and variants typed as free-form JSON.
fn count_free_form(api: &vercel_codegen::ir::Api) -> usize {
    fn is_free(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Json | TypeRef::JsonObject => true,
            TypeRef::Array(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => is_free(inner),
            _ => false,
        }
    }
    use vercel_codegen::ir::TypeKind;
    api.types
        .values()
        .map(|ty| match &ty.kind {
            TypeKind::Struct(s) => s.fields.iter().filter(|f| is_free(&f.ty)).count(),
            TypeKind::Union(u) => u.variants.iter().filter(|v| is_free(&v.ty)).count(),
            TypeKind::Alias(target) => usize::from(is_free(target)),
            TypeKind::Enum(_) => 0,
        })
        .sum()
}
