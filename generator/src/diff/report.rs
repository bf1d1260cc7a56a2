//! Printing a [`Report`]: text for a terminal, Markdown for a pull-request comment, JSON
//! for tools.
//!
//! Text and Markdown list every spec change and every change of the public API, except
//! the members of an item that was itself added or removed (the fields of a new struct,
//! the methods of a removed builder): the item stands for them. Markdown shows at most
//! [`MARKDOWN_SECTION_LINES`] lines per section, to stay within a pull-request comment's
//! size. JSON has everything.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{ApiChange, ApiChangeKind, Change, Report, Severity};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Plain text.
    #[default]
    Text,
    /// GitHub-flavoured Markdown.
    Markdown,
    /// JSON.
    Json,
}

/// The most lines a Markdown section lists; the rest are counted.
pub const MARKDOWN_SECTION_LINES: usize = 50;

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => json(report),
    }
}

/// The report as pretty-printed JSON, ending in a newline.
pub fn json(report: &Report) -> String {
    // Serializing plain strings, numbers and enums cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

/// The one-line verdict: `semver: major (...)`.
fn verdict(report: &Report) -> String {
    format!("{} ({})", report.bump.as_str(), report.bump.for_zero_x())
}

/// The summary lines shared by text and Markdown.
fn summary(report: &Report) -> Vec<String> {
    let c = &report.counts;
    vec![
        format!("spec changes: {} breaking, {} compatible", c.breaking, c.compatible),
        format!(
            "generated API: {} removed, {} changed, {} added that break existing code, {} added",
            c.api_removed, c.api_changed, c.api_added_breaking, c.api_added
        ),
        format!("generated files changed: {}", c.files_changed),
        format!("semver: {}", verdict(report)),
    ]
}

/// A spec change on one line: `operation x, response 200: a.b: what`.
fn change_line(change: &Change) -> String {
    if change.at.is_empty() {
        format!("{}: {}", change.subject, change.what)
    } else {
        format!("{}, {}: {}", change.subject, change.at, change.what)
    }
}

/// The word for an API change kind.
fn kind_word(kind: ApiChangeKind) -> &'static str {
    match kind {
        ApiChangeKind::Removed => "removed",
        ApiChangeKind::Changed => "changed",
        ApiChangeKind::AddedBreaking => {
            "added to a type without #[non_exhaustive] (breaks literals or exhaustive matches)"
        }
        ApiChangeKind::Added => "added",
    }
}

/// The owner of a member path: `m::S.f` and `m::S: Clone` -> `m::S`, `m::E::V` -> `m::E`.
fn owner(path: &str) -> Option<&str> {
    if let Some((owner, _)) = path.split_once(": ") {
        return Some(owner);
    }
    if let Some((owner, _)) = path.rsplit_once('.') {
        return Some(owner);
    }
    path.rsplit_once("::").map(|(owner, _)| owner)
}

/// The API changes worth listing: members of an item added or removed as a whole are
/// left out.
pub fn listed(changes: &[ApiChange]) -> Vec<&ApiChange> {
    let whole: BTreeSet<(ApiChangeKind, &str)> = changes
        .iter()
        .filter(|c| matches!(c.kind, ApiChangeKind::Removed | ApiChangeKind::Added))
        .map(|c| (c.kind, c.path.as_str()))
        .collect();
    changes
        .iter()
        .filter(|c| !owner(&c.path).is_some_and(|o| whole.contains(&(c.kind, o))))
        .collect()
}

/// One API change: `m::S.a: pub a: String -> pub a: i64`.
fn api_line(change: &ApiChange) -> String {
    match (&change.old, &change.new) {
        (Some(old), Some(new)) => format!("{}: {old} -> {new}", change.path),
        (Some(sig), None) | (None, Some(sig)) => format!("{}: {sig}", change.path),
        (None, None) => change.path.clone(),
    }
}

fn severity_title(severity: Severity) -> &'static str {
    match severity {
        Severity::Breaking => "breaking",
        Severity::Compatible => "compatible",
    }
}

/// The report as plain text.
pub fn text(report: &Report) -> String {
    let mut out = format!("{} -> {}\n", report.old, report.new);
    if report.is_empty() {
        out.push_str("no change\n");
        out.push_str(&format!("semver: {}\n", verdict(report)));
        return out;
    }
    for line in summary(report) {
        let _ = writeln!(out, "{line}");
    }
    for severity in [Severity::Breaking, Severity::Compatible] {
        let lines: Vec<String> =
            report.changes.iter().filter(|c| c.severity == severity).map(change_line).collect();
        if !lines.is_empty() {
            let _ = writeln!(out, "\n{} spec changes:", severity_title(severity));
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    let shown = listed(&report.api);
    let kinds = [ApiChangeKind::Removed, ApiChangeKind::Changed, ApiChangeKind::AddedBreaking, ApiChangeKind::Added];
    for kind in kinds {
        let lines: Vec<String> = shown.iter().filter(|c| c.kind == kind).map(|c| api_line(c)).collect();
        if !lines.is_empty() {
            let _ = writeln!(out, "\ngenerated API, {}:", kind_word(kind));
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

/// The report as a Markdown pull-request comment; long lists fold into `<details>`.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("### Vercel API drift: `{}` -> `{}`\n\n", report.old, report.new);
    if report.is_empty() {
        let _ = writeln!(out, "No change. Semver: **{}**.", report.bump.as_str());
        return out;
    }
    let c = &report.counts;
    let _ = writeln!(out, "Semver: **{}** — {}.\n", report.bump.as_str(), report.bump.for_zero_x());
    out.push_str("| | count |\n|---|---:|\n");
    let rows = [
        ("breaking spec changes", c.breaking),
        ("compatible spec changes", c.compatible),
        ("public items removed", c.api_removed),
        ("public items changed", c.api_changed),
        ("public items added that break existing code", c.api_added_breaking),
        ("public items added", c.api_added),
        ("generated files changed", c.files_changed),
    ];
    for (label, n) in rows {
        let _ = writeln!(out, "| {label} | {n} |");
    }
    for severity in [Severity::Breaking, Severity::Compatible] {
        let lines: Vec<String> = report
            .changes
            .iter()
            .filter(|c| c.severity == severity)
            .map(markdown_change)
            .collect();
        section(&mut out, &format!("{} spec changes", severity_title(severity)), &lines);
    }
    let shown = listed(&report.api);
    let kinds = [ApiChangeKind::Removed, ApiChangeKind::Changed, ApiChangeKind::AddedBreaking, ApiChangeKind::Added];
    for kind in kinds {
        let lines: Vec<String> = shown
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| format!("- `{}`", api_line(c).replace('`', "'")))
            .collect();
        section(&mut out, &format!("generated API, {}", kind_word(kind)), &lines);
    }
    out
}

/// A spec change as a Markdown list item: places in code spans, the words escaped.
fn markdown_change(change: &Change) -> String {
    let what = markdown_escape(&change.what);
    if change.at.is_empty() {
        format!("- `{}`: {what}", change.subject)
    } else {
        format!("- `{}`, `{}`: {what}", change.subject, change.at)
    }
}

/// A folded section of list lines, at most [`MARKDOWN_SECTION_LINES`]; nothing when empty.
fn section(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let _ = write!(out, "\n<details><summary>{title} ({})</summary>\n\n", lines.len());
    for line in lines.iter().take(MARKDOWN_SECTION_LINES) {
        let _ = writeln!(out, "{line}");
    }
    if lines.len() > MARKDOWN_SECTION_LINES {
        let more = lines.len() - MARKDOWN_SECTION_LINES;
        let _ = writeln!(out, "- ... and {more} more (`--format text` or `json` lists every one)");
    }
    out.push_str("\n</details>\n");
}

/// Escapes the characters Markdown would read as markup or HTML (code spans aside).
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '<' | '*' | '_' | '|' | '[' | ']') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Bump, ChangeKind, Counts};

    fn sample() -> Report {
        let changes = vec![
            Change {
                severity: Severity::Breaking,
                subject: "operation getProjects".into(),
                at: String::new(),
                what: "operation moved: GET /v9/projects -> GET /v10/projects".into(),
                kind: ChangeKind::OperationMoved,
            },
            Change {
                severity: Severity::Compatible,
                subject: "schema Pagination (response)".into(),
                at: "next".into(),
                what: "response field added".into(),
                kind: ChangeKind::FieldAdded,
            },
        ];
        let api = vec![
            ApiChange {
                kind: ApiChangeKind::Changed,
                path: "m::S.a".into(),
                old: Some("pub a: String".into()),
                new: Some("pub a: i64".into()),
            },
            ApiChange {
                kind: ApiChangeKind::Added,
                path: "m::N".into(),
                old: None,
                new: Some("pub struct N".into()),
            },
            ApiChange {
                kind: ApiChangeKind::Added,
                path: "m::N.x".into(),
                old: None,
                new: Some("pub x: bool".into()),
            },
        ];
        Report {
            old: "a.json".into(),
            new: "b.json".into(),
            bump: Bump::Major,
            counts: Counts {
                breaking: 1,
                compatible: 1,
                api_changed: 1,
                api_added: 2,
                files_changed: 1,
                ..Counts::default()
            },
            changes,
            api,
            files: vec!["m.rs".into()],
        }
    }

    #[test]
    fn text_lists_changes_and_folds_members_of_new_items() {
        insta::assert_snapshot!(text(&sample()), @r"
        a.json -> b.json
        spec changes: 1 breaking, 1 compatible
        generated API: 0 removed, 1 changed, 0 added that break existing code, 2 added
        generated files changed: 1
        semver: major (a 0.x crate bumps its minor version (0.1.3 -> 0.2.0))

        breaking spec changes:
          operation getProjects: operation moved: GET /v9/projects -> GET /v10/projects

        compatible spec changes:
          schema Pagination (response), next: response field added

        generated API, changed:
          m::S.a: pub a: String -> pub a: i64

        generated API, added:
          m::N: pub struct N
        ");
    }

    #[test]
    fn markdown_folds_sections_and_escapes_markup() {
        let out = markdown(&sample());
        assert!(out.starts_with("### Vercel API drift: `a.json` -> `b.json`"), "{out}");
        assert!(out.contains("| breaking spec changes | 1 |"), "{out}");
        assert!(out.contains("<details><summary>breaking spec changes (1)</summary>"), "{out}");
        assert!(out.contains("- `m::S.a: pub a: String -> pub a: i64`"), "{out}");
        assert!(out.contains("- `schema Pagination (response)`, `next`: response field added"), "{out}");
        assert_eq!(markdown_escape("a<b>_c"), "a\\<b>\\_c");
    }

    #[test]
    fn markdown_sections_are_capped() {
        let lines: Vec<String> = (0..MARKDOWN_SECTION_LINES + 3).map(|i| format!("- {i}")).collect();
        let mut out = String::new();
        section(&mut out, "many", &lines);
        assert!(out.contains(&format!("<summary>many ({})</summary>", lines.len())), "{out}");
        assert_eq!(out.lines().filter(|l| l.starts_with("- ")).count(), MARKDOWN_SECTION_LINES + 1);
        assert!(out.contains("- ... and 3 more"), "{out}");
    }

    #[test]
    fn json_has_every_change() {
        let value: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(value["bump"], "major");
        assert_eq!(value["changes"][0]["severity"], "breaking");
        assert_eq!(value["changes"][0]["kind"], "operation-moved");
        assert_eq!(value["api"].as_array().unwrap().len(), 3);
        assert_eq!(value["api"][1]["kind"], "added");
    }

    #[test]
    fn an_empty_report_says_no_change() {
        let report = Report {
            bump: Bump::Patch,
            counts: Counts::default(),
            changes: vec![],
            api: vec![],
            files: vec![],
            ..sample()
        };
        assert_eq!(
            text(&report),
            "a.json -> b.json\nno change\nsemver: patch (a 0.x crate bumps its patch version (0.1.3 -> 0.1.4))\n"
        );
        assert!(markdown(&report).contains("No change."));
    }
}
