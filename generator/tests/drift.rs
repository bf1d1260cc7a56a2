//! `diff` over the real history of Vercel's document: every consecutive pair is compared,
//! some reports are snapshots, known changes are checked by hand, and the public API of
//! the Marketplace module is snapshotted for every version that has it.
//!
//! Each document is generated once (in parallel, two at a time) and shared by the tests.

mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use support::{documents, specs_dir};
use vercel_codegen::diff::report::text;
use vercel_codegen::diff::{self, Bump, Change, Prepared, Report, Severity};
use vercel_codegen::ir::Filter;
use vercel_codegen::load::load_path;

/// Generation allocates millions of small nodes; the CLI's allocator makes it several
/// times faster than the system one.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The pairs whose whole text report is a snapshot.
const SNAPSHOT_PAIRS: [(&str, &str); 4] = [
    ("2024-11-25", "2024-12-03"),
    ("2025-01-16", "2025-03-07"),
    ("2025-05-14", "2025-06-11"),
    ("2025-10-24", "2025-10-27"),
];

fn prepare(path: &Path) -> Prepared {
    let label = path.file_name().unwrap().to_string_lossy().into_owned();
    let spec = load_path(path).unwrap_or_else(|e| panic!("{label}: {e}"));
    diff::prepare(&label, spec, &Filter::default()).unwrap_or_else(|e| panic!("{label}: {e}"))
}

/// Every document, generated once, in date order.
fn history() -> &'static [Prepared] {
    static HISTORY: OnceLock<Vec<Prepared>> = OnceLock::new();
    HISTORY.get_or_init(|| {
        let started = Instant::now();
        let paths = documents();
        assert!(paths.len() >= 2, "need at least two documents in {}", specs_dir().display());
        let (even, odd): (Vec<_>, Vec<_>) = paths.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let run = |part: Vec<(usize, &PathBuf)>| part.into_iter().map(|(i, p)| (i, prepare(p))).collect::<Vec<_>>();
        let mut all = std::thread::scope(|scope| {
            let other = scope.spawn(|| run(odd));
            let mut mine = run(even);
            mine.extend(other.join().unwrap());
            mine
        });
        all.sort_by_key(|(i, _)| *i);
        println!("generated {} documents in {:.1?}", all.len(), started.elapsed());
        all.into_iter().map(|(_, p)| p).collect()
    })
}

fn stem(prepared: &Prepared) -> &str {
    prepared.label.trim_end_matches(".json")
}

/// The report for the pair `old -> new` (by date).
fn pair(old: &str, new: &str) -> Report {
    let find = |date: &str| {
        history()
            .iter()
            .find(|p| stem(p) == date)
            .unwrap_or_else(|| panic!("no document {date}.json"))
    };
    diff::diff(find(old), find(new))
}

fn has(report: &Report, severity: Severity, subject: &str, at: &str, what: &str) -> bool {
    report
        .changes
        .iter()
        .any(|c: &Change| c.severity == severity && c.subject == subject && c.at == at && c.what == what)
}

#[track_caller]
fn assert_change(report: &Report, severity: Severity, subject: &str, at: &str, what: &str) {
    assert!(
        has(report, severity, subject, at, what),
        "{} -> {}: no {severity:?} change `{subject}, {at}: {what}`",
        report.old,
        report.new
    );
}

#[test]
fn every_consecutive_pair_is_classified() {
    let history = history();
    let mut table = vec!["pair | breaking | compatible | api removed/changed/added-breaking/added | bump".to_owned()];
    for window in history.windows(2) {
        let started = Instant::now();
        let report = diff::diff(&window[0], &window[1]);
        let c = &report.counts;
        println!("{} -> {}: {:.1?}", report.old, report.new, started.elapsed());
        table.push(format!(
            "{} -> {} | {} | {} | {}/{}/{}/{} | {}",
            stem(&window[0]),
            stem(&window[1]),
            c.breaking,
            c.compatible,
            c.api_removed,
            c.api_changed,
            c.api_added_breaking,
            c.api_added,
            report.bump.as_str()
        ));
        // Every real step changed something a user sees.
        assert!(!report.changes.is_empty(), "{} -> {}: no change found", report.old, report.new);
        assert_eq!(
            report.bump == Bump::Major,
            c.breaking + c.api_removed + c.api_changed + c.api_added_breaking > 0
        );
        // The same document against itself is no change at all.
        let same = diff::diff(&window[1], &window[1]);
        assert!(same.is_empty() && same.bump == Bump::Patch, "{}: {same:#?}", report.new);
    }
    insta::assert_snapshot!("history", table.join("\n"));
}

#[test]
fn snapshot_reports_of_chosen_pairs() {
    for (old, new) in SNAPSHOT_PAIRS {
        let report = pair(old, new);
        insta::assert_snapshot!(format!("pair_{old}_{new}"), text(&report));
    }
}

#[test]
fn first_marketplace_operations_arrive_in_2024_12_03() {
    let report = pair("2024-11-25", "2024-12-03");
    let added = "operation added (GET /v1/installations/{integrationConfigurationId}/account)";
    assert_change(&report, Severity::Compatible, "operation get-account-info", "", added);
    // `softBlock.blockedDueToOverageType` gains `observabilityEvent` (and reorders
    // `edgeRequest`, which is no change).
    let at = "softBlock.blockedDueToOverageType";
    assert_change(
        &report,
        Severity::Compatible,
        "schema AuthUser (response)",
        at,
        "response enum value `observabilityEvent` added",
    );
    assert_eq!(report.changes.iter().filter(|c| c.subject == "schema AuthUser (response)").count(), 1);
    // `idOrName` was `oneOf [string, integer]`, now `oneOf [string]`: the generated union
    // is gone, and the argument is a plain string.
    let path_param = "path parameter idOrName";
    let retyped = "request type changed: union -> string";
    assert_change(&report, Severity::Breaking, "operation getProjectDomains", path_param, retyped);
    assert!(report.api.iter().any(|c| c.path == "projects::GetProjectDomainsIdOrName" && c.new.is_none()));
    assert!(report.api.iter().any(|c| c.path == "marketplace" && c.old.is_none()));
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn get_projects_moves_from_v9_to_v10() {
    let report = pair("2025-01-16", "2025-03-07");
    let moved = "operation moved: GET /v9/projects -> GET /v10/projects";
    assert_change(&report, Severity::Breaking, "operation getProjects", "", moved);
    let moved = "operation moved: POST /v10/projects -> POST /v11/projects";
    assert_change(&report, Severity::Breaking, "operation createProject", "", moved);
    // Custom environments gain an operationId (their made-up ones were from the method and
    // path) and move from /v1 to /v9: matched by method and unversioned path.
    let subject = "operation createCustomEnvironment";
    let moved = "operation moved: POST /v1/projects/{idOrName}/custom-environments -> POST /v9/projects/{idOrName}/custom-environments";
    assert_change(&report, Severity::Breaking, subject, "", moved);
    let renamed = "operationId changed: post_v1_projects_id_or_name_custom_environments -> createCustomEnvironment";
    assert_change(&report, Severity::Breaking, subject, "", renamed);
    assert!(!report.changes.iter().any(|c| c.subject == subject && c.what.starts_with("operation added")));
}

#[test]
fn team_members_move_to_v3_keeping_their_path_parameter() {
    let report = pair("2025-03-07", "2025-04-03");
    let moved = "operation moved: GET /v2/teams/{teamId}/members -> GET /v3/teams/{teamId}/members";
    assert_change(&report, Severity::Breaking, "operation getTeamMembers", "", moved);
    // The new document no longer declares `teamId`; the loader adds it back, so the
    // parameter is no change.
    assert!(
        !report.changes.iter().any(|c| c.subject == "operation getTeamMembers" && c.at.contains("teamId")),
        "{:#?}",
        report.changes.iter().filter(|c| c.subject == "operation getTeamMembers").collect::<Vec<_>>()
    );
}

#[test]
fn certificates_move_to_v8_and_a_domain_operation_is_removed() {
    let report = pair("2025-05-14", "2025-06-11");
    let moved = "operation moved: GET /v7/certs/{id} -> GET /v8/certs/{id}";
    assert_change(&report, Severity::Breaking, "operation getCertById", "", moved);
    let removed = "operation removed (POST /v5/domains)";
    assert_change(&report, Severity::Breaking, "operation createOrTransferDomain", "", removed);
    assert!(report.api.iter().any(|c| c.path == "Client::create_or_transfer_domain" && c.new.is_none()));
}

#[test]
fn the_pin_adds_client_certificates_and_a_project_field() {
    let report = pair("2025-10-24", "2025-10-27");
    let added = "operation added (GET /v1/projects/{idOrName}/client-cert)";
    assert_change(&report, Severity::Compatible, "operation getProjectClientCerts", "", added);
    assert_change(
        &report,
        Severity::Compatible,
        "operation createLogDrain",
        "response 200.sources[]",
        "response enum value `redirect` added",
    );
    // The project object is one shape, reported where it first occurs.
    let field = "response 200.gitProviderOptions.requireVerifiedCommits";
    assert_change(&report, Severity::Compatible, "operation createProject", field, "response field added");
    // The TypeScript brand markers that leaked into both documents are dropped at load
    // time, so their renumbering is no change at all.
    assert!(
        report.changes.iter().all(|c| !c.at.contains("__@BRAND@")),
        "brand markers reported: {:#?}",
        report.changes.iter().filter(|c| c.at.contains("__@BRAND@")).collect::<Vec<_>>()
    );
    // A response field is removed: a major bump, whatever the generated types' attributes.
    assert!(report
        .api
        .iter()
        .any(|c| c.path == "Client::get_project_client_certs" && c.kind == diff::ApiChangeKind::Added));
    assert_eq!(report.bump, Bump::Major);
}

/// Is an outline item part of the Marketplace module (its types, or `Client` methods it defines)?
fn in_marketplace(path: &str, signature: &str) -> bool {
    path.starts_with("marketplace::") || path == "marketplace" || signature.starts_with("[marketplace]")
}

/// For each version with Marketplace operations: what changed in the module's public API
/// since the previous version, then the whole outline of the module.
#[test]
fn marketplace_public_api_per_version() {
    let mut versions = 0;
    let mut previous: Option<&Prepared> = None;
    for prepared in history() {
        let outline: Vec<String> = prepared
            .outline
            .items
            .iter()
            .filter(|(path, signature)| in_marketplace(path, signature))
            .map(|(path, signature)| format!("{path} => {signature}"))
            .collect();
        let before = previous.replace(prepared);
        if outline.is_empty() {
            continue;
        }
        versions += 1;
        let mut text = String::new();
        if let Some(before) = before {
            let report = diff::diff(before, prepared);
            let changes: Vec<String> = report
                .api
                .iter()
                .filter(|c| {
                    let signature = c.new.as_deref().or(c.old.as_deref()).unwrap_or_default();
                    in_marketplace(&c.path, signature)
                })
                .map(|c| match (&c.old, &c.new) {
                    (Some(old), Some(new)) => format!("{:?} {}: {old} -> {new}", c.kind, c.path),
                    (_, Some(sig)) | (Some(sig), None) => format!("{:?} {}: {sig}", c.kind, c.path),
                    (None, None) => format!("{:?} {}", c.kind, c.path),
                })
                .collect();
            text.push_str(&format!("changes since {} ({}):\n", before.label, changes.len()));
            for line in changes {
                text.push_str(&format!("  {line}\n"));
            }
            text.push('\n');
        }
        text.push_str(&format!("public API ({} items):\n", outline.len()));
        for line in outline {
            text.push_str(&format!("  {line}\n"));
        }
        insta::assert_snapshot!(format!("marketplace_{}", stem(prepared)), text);
    }
    assert!(versions >= 2, "only {versions} versions have Marketplace operations");
}
