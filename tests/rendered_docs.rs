//! The documentation as rustdoc renders it: `cargo doc` of the `marketplace` feature
//! alone (`--no-deps`, warnings denied, into `target/rendered-docs`), then checks on the
//! HTML of the crate's front page, the `Client` page and every page of the
//! `marketplace` module: no escape of the document shown as text, no unrendered link,
//! no link to an anchor its page lacks, the README's quick start on the front page, and
//! a deprecated operation marked so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root.
fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The crate's HTML directory, after one `cargo doc` shared by every test here.
fn docs() -> &'static Path {
    static DOCS: OnceLock<PathBuf> = OnceLock::new();
    DOCS.get_or_init(|| {
        // A target directory of its own: the one of `cargo test` is locked while tests run.
        // The docs are of the committed `generated/` (tests/generated_code.rs keeps it
        // fresh): without the regeneration cfg, and without `CI` (which would make the
        // missing cfg an error), the build script does not compile the generator here.
        let target = workspace().join("target/rendered-docs");
        let output = Command::new(env!("CARGO"))
            .args(["doc", "-p", "vercel-api", "--no-deps", "--no-default-features"])
            .args(["--features", "marketplace", "--target-dir"])
            .arg(&target)
            .current_dir(workspace())
            .env("RUSTFLAGS", "")
            .env_remove("CI")
            .env("RUSTDOCFLAGS", "-D warnings")
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never")
            .output()
            .expect("run cargo doc");
        assert!(
            output.status.success(),
            "cargo doc failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        target.join("doc/vercel_api")
    })
}

/// A page's HTML.
fn read(page: &Path) -> String {
    std::fs::read_to_string(page).unwrap_or_else(|e| panic!("cannot read {}: {e}", page.display()))
}

/// The checked pages: the front page, the `Client` page and the `marketplace` module's.
fn pages() -> Vec<PathBuf> {
    let module = docs().join("marketplace");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&module)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", module.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() > 50, "too few pages in {}: {}", module.display(), pages.len());
    pages.push(docs().join("index.html"));
    pages.push(docs().join("struct.Client.html"));
    pages
}

/// The value of every `name="..."` attribute in `html`.
fn attributes<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let pattern = format!(" {name}=\"");
    html.match_indices(&pattern)
        .filter_map(|(at, _)| {
            let value = &html[at + pattern.len()..];
            value.find('"').map(|end| &value[..end])
        })
        .collect()
}

/// The text a reader sees of `html` outside code: tags, scripts, `<code>` and `<pre>`
/// elements left out, the common entities decoded. Texts of elements are separated by
/// a line break.
fn prose_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        let skipped = ["script", "style", "code", "pre"]
            .into_iter()
            .find(|tag| rest[1..].starts_with(tag) && rest[1 + tag.len()..].starts_with([' ', '>']));
        let end = match skipped {
            Some(tag) => {
                let close = format!("</{tag}>");
                rest.find(&close).map(|at| at + close.len())
            }
            None => rest.find('>').map(|at| at + 1),
        };
        rest = &rest[end.unwrap_or(rest.len())..];
        text.push('\n');
    }
    text.push_str(rest);
    [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
        .iter()
        .fold(text, |text, (entity, c)| text.replace(entity, c))
}

/// The lines of `text` holding any of `needles`, for a failure report.
fn lines_with<'t>(text: &'t str, needles: &[&str]) -> Vec<&'t str> {
    text.lines().filter(|line| needles.iter().any(|n| line.contains(n))).collect()
}

#[test]
fn rendered_text_shows_no_escapes_or_raw_markup() {
    // A backslash before a letter or a quote, escaped brackets, and link markup.
    let raw = [r"\n", r"\t", r#"\""#, r"\[", r"\]", "](", "<br"];
    let mut found = Vec::new();
    for page in pages() {
        let text = prose_text(&read(&page));
        for line in lines_with(&text, &raw) {
            found.push(format!("{}: {}", page.display(), line.trim()));
        }
    }
    assert!(found.is_empty(), "raw text in rendered docs:\n{}", found.join("\n"));
}

#[test]
fn prose_text_leaves_out_code_and_decodes_entities() {
    let html = r#"<p>a &quot;b&quot;<code>\n</code> <pre class="x">\t</pre><script>"\""</script>c</p>"#;
    assert_eq!(prose_text(html).split_whitespace().collect::<String>(), "a\"b\"c");
}

#[test]
fn fragment_links_lead_to_anchors_on_their_page() {
    let mut broken = Vec::new();
    for page in pages() {
        let html = read(&page);
        let ids = attributes(&html, "id");
        for href in attributes(&html, "href") {
            let Some(fragment) = href.strip_prefix('#') else { continue };
            if !fragment.is_empty() && !ids.contains(&fragment) {
                broken.push(format!("{}: {href}", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "links to anchors that are not there:\n{}", broken.join("\n"));
}

#[test]
fn the_marketplace_pages_show_the_documents_prose() {
    let client = prose_text(&read(&docs().join("struct.Client.html")));
    // Its link to an anchor of Vercel's page is now its text.
    assert!(client.contains("we provided in the Upsert Installation body"), "submit_billing_data docs");
    // A description escaped twice in the document, as a paragraph and a list.
    for page in ["struct.SubmitBillingDataUsageItem.html", "enum.SubmitBillingDataUsageItemType.html"] {
        let html = read(&docs().join("marketplace").join(page));
        assert!(html.contains("Type of the metric.</p>\n<ul>\n<li>total: "), "{page}");
    }
    let request = read(&docs().join("marketplace/struct.ImportResourceRequest.html"));
    assert!(request.contains("id=\"method.new\""), "ImportResourceRequest::new");
}

#[test]
fn the_front_page_is_the_readme() {
    let front = prose_text(&read(&docs().join("index.html")));
    for expected in ["vercel-api", "A typed, async Rust client", "How a call looks"] {
        assert!(front.contains(expected), "front page lacks {expected:?}");
    }
    // The quick start, highlighted (its tokens in elements of their own).
    let code: String = read(&docs().join("index.html"))
        .split('<')
        .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
        .collect();
    assert!(code.contains("ImportResourceRequest::new("), "front page lacks the quick start");
}

/// Does `source` mark `fn <name>` `#[deprecated]` (among the attributes, one line or
/// several, and doc comments right above it)?
fn marked_deprecated(source: &str, name: &str) -> bool {
    let signature = format!("pub fn {name}(");
    let Some(at) = source.find(&signature) else { panic!("no {signature} in the source") };
    let above = source[..at].rsplit_once('\n').map_or("", |(above, _)| above);
    above
        .lines()
        .rev()
        .map(str::trim)
        // Attributes may span lines; the item before ends with `}` or `;`, or a blank line.
        .take_while(|line| {
            line.starts_with("///")
                || line.starts_with("#[")
                || !(line.is_empty() || line.ends_with('}') || line.ends_with(';') || line.ends_with('{'))
        })
        .any(|line| line.starts_with("#[deprecated"))
}

#[test]
fn deprecation_is_read_from_the_attributes_above_a_function() {
    let source = "    /// A.\n    #[deprecated]\n    pub fn a(\n    }\n\n    /// B.\n    pub fn b(\n    }\n    #[deprecated(\n        note = \"n\"\n    )]\n    pub fn c(\n";
    assert!(marked_deprecated(source, "a"));
    assert!(!marked_deprecated(source, "b"));
    assert!(marked_deprecated(source, "c"));
}

#[test]
fn deprecated_operations_are_marked_where_the_source_says_so() {
    let client = read(&docs().join("struct.Client.html"));
    let source = read(&workspace().join("generated/marketplace.rs"));
    for name in ["update_resource_secrets", "update_resource_secrets_by_id"] {
        let anchor = format!("id=\"method.{name}\"");
        let at = client.find(&anchor).unwrap_or_else(|| panic!("no {anchor} on the Client page"));
        let section = &client[at..];
        let end = section[anchor.len()..].find("id=\"method.").map_or(section.len(), |e| e + anchor.len());
        let marked = section[..end].contains("class=\"stab deprecated\"");
        assert_eq!(marked, marked_deprecated(&source, name), "deprecation of {name} on the Client page");
    }
}
