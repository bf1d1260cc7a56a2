//! Releases: the version a pin update needs, and the text of the files it rewrites.
//!
//! `vercel-codegen update-pin` compares the pinned document with a new one (see
//! [`crate::diff`]) and, from the report, rewrites three files of the workspace:
//! `spec/pin.json` (the new file name and sha256), the `vercel-api` version in
//! `Cargo.toml` (bumped as [`bump_version`] says) and `CHANGELOG.md` (a new section on
//! top). This module computes their new text; reading and writing them is the CLI's.

use std::fmt;

use crate::diff::report::{render, Format};
use crate::diff::{Bump, Report};
use crate::pin::Pin;

/// A release version, `MAJOR.MINOR.PATCH` (no pre-release or build part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// The major version.
    pub major: u64,
    /// The minor version.
    pub minor: u64,
    /// The patch version.
    pub patch: u64,
}

impl Version {
    /// Parses `MAJOR.MINOR.PATCH`, each a decimal number without a leading zero.
    pub fn parse(text: &str) -> Result<Version, String> {
        let invalid = || format!("version `{text}` is not MAJOR.MINOR.PATCH");
        let parts: Vec<&str> = text.split('.').collect();
        let [major, minor, patch] = parts.as_slice() else {
            return Err(invalid());
        };
        let number = |part: &str| {
            let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            let leading_zero = part.len() > 1 && part.starts_with('0');
            if digits && !leading_zero {
                part.parse::<u64>().map_err(|_| invalid())
            } else {
                Err(invalid())
            }
        };
        Ok(Version {
            major: number(major)?,
            minor: number(minor)?,
            patch: number(patch)?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The version after a change that needs `bump`, by Cargo's rules of compatibility:
///
/// - from 1.0.0 on, as semver says: major `1.2.3 -> 2.0.0`, minor `1.2.3 -> 1.3.0`,
///   patch `1.2.3 -> 1.2.4`;
/// - for `0.x` (x > 0) the minor version is the breaking one: major `0.1.3 -> 0.2.0`,
///   minor and patch `0.1.3 -> 0.1.4`;
/// - for `0.0.x` every version is breaking: any bump `0.0.3 -> 0.0.4`.
///
/// Numbers saturate at `u64::MAX` instead of overflowing.
pub fn bump_version(version: Version, bump: Bump) -> Version {
    let next = |n: u64| n.saturating_add(1);
    let Version { major, minor, patch } = version;
    match (major, minor, bump) {
        (0, 0, _) => Version { patch: next(patch), ..version },
        (0, _, Bump::Major) => Version { major: 0, minor: next(minor), patch: 0 },
        (0, _, Bump::Minor | Bump::Patch) => Version { patch: next(patch), ..version },
        (_, _, Bump::Major) => Version { major: next(major), minor: 0, patch: 0 },
        (_, _, Bump::Minor) => Version { major, minor: next(minor), patch: 0 },
        (_, _, Bump::Patch) => Version { patch: next(patch), ..version },
    }
}

/// The `package.version` of a manifest.
pub fn package_version(manifest: &str) -> Result<Version, String> {
    let document: toml_edit::DocumentMut = manifest.parse().map_err(|e| format!("invalid TOML: {e}"))?;
    let version = document
        .get("package")
        .and_then(|package| package.get("version"))
        .ok_or("no package.version")?;
    let text = version
        .as_str()
        .ok_or("package.version is not a string (a version inherited from the workspace is not supported)")?;
    Version::parse(text)
}

/// The manifest with `package.version` set to `version`; everything else (comments,
/// order, spacing) is kept as it is.
pub fn with_package_version(manifest: &str, version: Version) -> Result<String, String> {
    package_version(manifest)?;
    let mut document: toml_edit::DocumentMut = manifest.parse().map_err(|e| format!("invalid TOML: {e}"))?;
    let value = document["package"]["version"]
        .as_value_mut()
        .ok_or("package.version is not a value")?;
    let decor = value.decor().clone();
    *value = toml_edit::Value::from(version.to_string());
    *value.decor_mut() = decor;
    Ok(document.to_string())
}

/// Is `text` a date written `YYYY-MM-DD`?
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

/// The date of a document named `YYYY-MM-DD.json` (the day Vercel published it).
pub fn document_date(file_name: &str) -> Option<&str> {
    file_name.strip_suffix(".json").filter(|stem| is_date(stem))
}

/// The UTC date (`YYYY-MM-DD`) of a time given in seconds since 1970-01-01.
pub fn utc_date(unix_seconds: u64) -> String {
    // Days to a civil date in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    let days = unix_seconds / 86_400 + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Today's UTC date, `YYYY-MM-DD`.
pub fn today() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    utc_date(now.as_secs())
}

/// The title line of the changelog section of `version`: `## 0.2.0 — 2025-10-27`.
pub fn section_title(version: Version, date: &str) -> String {
    format!("## {version} — {date}")
}

/// The changelog section of a release: its title, the pinned document, and the
/// Markdown report of what changed (breaking changes first).
pub fn changelog_section(version: Version, date: &str, pin: &Pin, report_markdown: &str) -> String {
    format!(
        "{}\n\nGenerated from `{}` (sha256 `{}`).\n\n{}\n",
        section_title(version, date),
        pin.file,
        pin.sha256,
        report_markdown.trim_end()
    )
}

/// The title of a new changelog file.
pub const CHANGELOG_HEADER: &str = "# Changelog\n";

/// `changelog` with `section` put before its first section (`## ...`), after the header;
/// a blank changelog gets [`CHANGELOG_HEADER`] first.
pub fn prepend_section(changelog: &str, section: &str) -> String {
    let section = format!("{}\n", section.trim_end());
    if changelog.trim().is_empty() {
        return format!("{CHANGELOG_HEADER}\n{section}");
    }
    let mut offset = 0;
    for line in changelog.split_inclusive('\n') {
        if line.starts_with("## ") {
            return format!("{}{section}\n{}", &changelog[..offset], &changelog[offset..]);
        }
        offset += line.len();
    }
    format!("{}\n\n{section}", changelog.trim_end())
}

/// The new text of the files a release rewrites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseFiles {
    /// The new version.
    pub version: Version,
    /// `Cargo.toml`.
    pub manifest: String,
    /// `CHANGELOG.md`.
    pub changelog: String,
    /// `spec/pin.json`.
    pub pin: String,
}

/// The files of the release that pins `pin` (published on `date`), given the workspace's
/// `manifest` and `changelog` and the report of the old pin against the new.
/// An `Err` is about the manifest.
pub fn release_files(manifest: &str, changelog: &str, pin: &Pin, date: &str, report: &Report) -> Result<ReleaseFiles, String> {
    let version = bump_version(package_version(manifest)?, report.bump);
    let section = changelog_section(version, date, pin, &render(report, Format::Markdown));
    Ok(ReleaseFiles {
        version,
        manifest: with_package_version(manifest, version)?,
        changelog: prepend_section(changelog, &section),
        pin: pin_json(pin),
    })
}

/// The text of `spec/pin.json` for `pin`.
pub fn pin_json(pin: &Pin) -> String {
    let mut text = serde_json::to_string_pretty(pin).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn versions_parse_only_as_three_numbers() {
        assert_eq!(v("0.1.3"), Version { major: 0, minor: 1, patch: 3 });
        assert_eq!(v("10.20.30").to_string(), "10.20.30");
        for bad in ["", "1", "1.2", "1.2.3.4", "1.2.x", "01.2.3", "1.2.3-rc.1", " 1.2.3", "1..3"] {
            let error = Version::parse(bad).unwrap_err();
            assert!(error.contains("MAJOR.MINOR.PATCH"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_bump_follows_cargo_compatibility() {
        let cases = [
            ("0.1.3", Bump::Major, "0.2.0"),
            ("0.1.3", Bump::Minor, "0.1.4"),
            ("0.1.3", Bump::Patch, "0.1.4"),
            ("0.1.0", Bump::Major, "0.2.0"),
            ("0.0.3", Bump::Major, "0.0.4"),
            ("0.0.3", Bump::Minor, "0.0.4"),
            ("0.0.3", Bump::Patch, "0.0.4"),
            ("1.2.3", Bump::Major, "2.0.0"),
            ("1.2.3", Bump::Minor, "1.3.0"),
            ("1.2.3", Bump::Patch, "1.2.4"),
        ];
        for (from, bump, to) in cases {
            assert_eq!(bump_version(v(from), bump).to_string(), to, "{from} {}", bump.as_str());
        }
        let top = Version { major: 0, minor: 1, patch: u64::MAX };
        assert_eq!(bump_version(top, Bump::Patch), top);
    }

    const MANIFEST: &str = "[workspace]\nmembers = [\".\"]\n\n[package]\nname = \"vercel-api\"\n\
        version = \"0.1.0\"   # the crate's version\nedition = \"2021\"\n\n\
        [dependencies]\nserde = { version = \"1\" }\n";

    #[test]
    fn the_package_version_is_replaced_and_nothing_else() {
        assert_eq!(package_version(MANIFEST), Ok(v("0.1.0")));
        let edited = with_package_version(MANIFEST, v("0.2.0")).unwrap();
        assert_eq!(edited, MANIFEST.replace("version = \"0.1.0\"", "version = \"0.2.0\""));
    }

    #[test]
    fn a_manifest_without_a_literal_version_is_an_error() {
        let cases = [
            ("[package\nname = 1", "invalid TOML"),
            ("[package]\nname = \"x\"\n", "no package.version"),
            ("[package]\nversion.workspace = true\n", "not a string"),
            ("[package]\nversion = \"1.0\"\n", "MAJOR.MINOR.PATCH"),
        ];
        for (manifest, expected) in cases {
            let error = with_package_version(manifest, v("1.0.0")).unwrap_err();
            assert!(error.contains(expected), "{manifest:?}: {error}");
        }
    }

    #[test]
    fn a_document_date_comes_from_its_file_name() {
        assert_eq!(document_date("2025-10-27.json"), Some("2025-10-27"));
        for bad in ["2025-10-27.yaml", "latest.json", "2025-1-27.json", "2025_10_27.json", "x2025-10-27.json"] {
            assert_eq!(document_date(bad), None, "{bad}");
        }
        assert!(is_date("2025-10-27"));
        assert!(!is_date("2025-10-2") && !is_date("2025/10/27") && !is_date("2025-10-27 "));
    }

    #[test]
    fn a_section_goes_before_the_first_one() {
        let existing = "# Changelog\n\nAll notable changes.\n\n## 0.1.0 — 2025-10-27\n\nFirst.\n";
        let out = prepend_section(existing, "## 0.2.0 — 2025-11-01\n\nSecond.\n\n");
        assert_eq!(
            out,
            "# Changelog\n\nAll notable changes.\n\n## 0.2.0 — 2025-11-01\n\nSecond.\n\n## 0.1.0 — 2025-10-27\n\nFirst.\n"
        );
        assert_eq!(prepend_section("", "## 0.1.0 — d\n"), "# Changelog\n\n## 0.1.0 — d\n");
        assert_eq!(prepend_section("# Changelog\n", "## 0.1.0 — d\n"), "# Changelog\n\n## 0.1.0 — d\n");
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_761_523_199), "2025-10-26");
        assert_eq!(utc_date(1_761_523_200), "2025-10-27");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
        assert!(is_date(&today()));
    }

    #[test]
    fn the_section_names_the_document_and_keeps_the_report() {
        let pin = Pin {
            file: "2025-10-27.json".into(),
            sha256: "ab".into(),
            source: "https://example.com/2025-10-27.json".into(),
            upstream: "https://openapi.vercel.sh/".into(),
            tags: vec![],
        };
        let section = changelog_section(v("0.2.0"), "2025-10-27", &pin, "### Report\n\nBody.\n\n");
        assert_eq!(
            section,
            "## 0.2.0 — 2025-10-27\n\nGenerated from `2025-10-27.json` (sha256 `ab`).\n\n### Report\n\nBody.\n"
        );
    }

    #[test]
    fn a_release_rewrites_the_three_files_from_the_report() {
        let pin = Pin {
            file: "2025-11-03.json".into(),
            sha256: "cd".into(),
            source: "https://example.com/2025-11-03.json".into(),
            upstream: "https://openapi.vercel.sh/".into(),
            tags: vec!["marketplace".into()],
        };
        let report = Report {
            old: "2025-10-27.json".into(),
            new: "2025-11-03.json".into(),
            bump: Bump::Major,
            counts: Default::default(),
            changes: vec![],
            api: vec![],
            files: vec![],
        };
        let changelog = "# Changelog\n\n## 0.1.0 — 2025-10-27\n\nFirst.\n";
        let files = release_files(MANIFEST, changelog, &pin, "2025-11-03", &report).unwrap();
        assert_eq!(files.version, v("0.2.0"));
        assert_eq!(files.manifest, with_package_version(MANIFEST, v("0.2.0")).unwrap());
        assert_eq!(files.pin, pin_json(&pin));
        let expected_section = changelog_section(v("0.2.0"), "2025-11-03", &pin, &render(&report, Format::Markdown));
        assert_eq!(files.changelog, prepend_section(changelog, &expected_section));
        assert!(files.changelog.starts_with("# Changelog\n\n## 0.2.0 — 2025-11-03\n"), "{}", files.changelog);
        let error = release_files("[package]\n", changelog, &pin, "2025-11-03", &report).unwrap_err();
        assert!(error.contains("no package.version"), "{error}");
    }

    #[test]
    fn the_pin_is_written_as_the_workspace_writes_it() {
        let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(workspace.join("spec/pin.json")).unwrap();
        let pin: Pin = serde_json::from_str(&text).unwrap();
        assert_eq!(pin_json(&pin), text);
    }
}
