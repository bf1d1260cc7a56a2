//! Rustdoc from the document's prose.
//!
//! Descriptions are Markdown written for a web page. Before they become doc
//! comments, line endings are made `\n` (a carriage return is not allowed in a doc
//! comment) and other control characters, and those that change the direction of
//! text, are written as escapes (`\u{0}`); escapes written twice in the document (a
//! backslash and `n` where a line break was meant, a backslash and a quote) are undone,
//! outside code spans and fenced code, where a backslash is shown as written; every
//! code fence (of backticks or tildes, also inside a quote or a list item) is made a
//! `text` fence, so rustdoc never compiles or runs code from the document; indented
//! lines lose the indentation that would make them code blocks, bare URLs become
//! autolinks and lone brackets are escaped (so they are not read as intra-doc links).
//! Links that lead nowhere from rustdoc's pages (to `#upsert-installation`, an anchor
//! of Vercel's own page) become their text; paths of Vercel's site (`/docs/...`) are
//! made absolute.
//!
//! Names and values from the document shown in docs ([`code`]) are code spans that
//! hold any text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for the given paragraphs (empty ones are skipped).
pub fn doc_attrs<'t>(paragraphs: impl IntoIterator<Item = Option<&'t str>>) -> TokenStream {
    let text = paragraphs
        .into_iter()
        .flatten()
        .map(|p| sanitize(p).trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Makes Markdown prose safe for rustdoc.
pub fn sanitize(text: &str) -> String {
    markdown(&unescape(&normalize(text)))
}

/// Normalized, unescaped text as rustdoc Markdown: fences made `text` fences (and
/// closed), prose lines escaped (see [`escape_prose`]).
fn markdown(text: &str) -> String {
    let lines = fenced(text);
    let mut out: Vec<String> = lines
        .iter()
        .map(|&(line, kind)| match kind {
            Line::Opens(c, length) => format!("{}text", String::from(c).repeat(length)),
            Line::Closes(c, length) => String::from(c).repeat(length),
            Line::Code => line.replace('\t', "    "),
            Line::Prose => escape_prose(line.trim()),
        })
        .collect();
    if let Some((c, length)) = unclosed(&lines) {
        out.push(String::from(c).repeat(length));
    }
    out.join("\n")
}

/// How a line of Markdown stands to code fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Outside any fence.
    Prose,
    /// Opens a fence of this character and length.
    Opens(char, usize),
    /// Closes the fence of this character and length.
    Closes(char, usize),
    /// Inside a fence.
    Code,
}

/// Each line of `text`, with how it stands to code fences.
fn fenced(text: &str) -> Vec<(&str, Line)> {
    // The character and length of the fence we are in, if any.
    let mut open: Option<(char, usize)> = None;
    text.lines()
        .map(|line| {
            let kind = match (open, fence(line)) {
                (None, Some((c, length, _))) => {
                    open = Some((c, length));
                    Line::Opens(c, length)
                }
                (Some((c, length)), Some((d, closing, ""))) if d == c && closing >= length => {
                    open = None;
                    Line::Closes(c, length)
                }
                (Some(_), _) => Line::Code,
                (None, None) => Line::Prose,
            };
            (line, kind)
        })
        .collect()
}

/// The fence still open after the last line, if any.
fn unclosed(lines: &[(&str, Line)]) -> Option<(char, usize)> {
    lines.iter().rev().find_map(|&(_, kind)| match kind {
        Line::Opens(c, length) => Some(Some((c, length))),
        Line::Closes(..) => Some(None),
        _ => None,
    })?
}

/// Text with the escapes that were written twice in the document undone: a backslash
/// and `n` is a line break, a backslash and `t` a tab, a backslash and a quote a quote.
/// Two backslashes stay two (Markdown for one backslash), so the character after them
/// is never read as part of an escape. Code spans and fenced code are left as they
/// are: there a backslash and `n` are shown as written, as code means them literally.
/// Lines that only appear once escapes are undone are not code yet, so in a text
/// escaped as a whole, all of it is unescaped (three backticks that start such a line
/// open a fence there, not a code span).
pub fn unescape(text: &str) -> String {
    let mut out = fenced(text)
        .into_iter()
        .map(|(line, kind)| match kind {
            Line::Prose => unescape_line(line),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// One line of prose unescaped (see [`unescape`]), its code spans as they are.
fn unescape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let (text, used) = match c {
            '`' => {
                let run = &rest[..backticks(rest)];
                // Three or more at the start of a line open or close a fence, not a span.
                let line_start = out.rsplit('\n').next().is_some_and(|l| without_containers(l).is_empty());
                let span = if line_start && run.len() >= 3 { None } else { code_span(rest) };
                let span = span.unwrap_or(run);
                (span, span.len())
            }
            '\\' => match rest[1..].chars().next() {
                Some('n') => ("\n", 2),
                Some('t') => ("\t", 2),
                Some('"') => ("\"", 2),
                // An escaped backslash, or a Markdown escape: as it is.
                Some(next) => (&rest[..1 + next.len_utf8()], 1 + next.len_utf8()),
                None => (rest, rest.len()),
            },
            _ => (&rest[..c.len_utf8()], c.len_utf8()),
        };
        out.push_str(text);
        rest = &rest[used..];
    }
    out
}

/// The length of the run of backticks `text` starts with.
fn backticks(text: &str) -> usize {
    text.len() - text.trim_start_matches('`').len()
}

/// The code span `text` starts with, backticks included: a run of backticks and the
/// text up to the next run of the same length. `None` if the run closes nowhere on
/// the line (its backticks are then plain text).
fn code_span(text: &str) -> Option<&str> {
    let length = backticks(text);
    if length == 0 {
        return None;
    }
    let mut at = length;
    while let Some(start) = text[at..].find('`').map(|i| at + i) {
        let run = backticks(&text[start..]);
        if run == length {
            return Some(&text[..start + run]);
        }
        at = start + run;
    }
    None
}

/// The code fence a line opens or closes, as its character, length and info string:
/// three or more backticks or tildes, after any indentation, quote markers (`>`) and
/// list bullets (`-`, `*`, `+`, `1.`, `1)`) that would put the fence in a quote or a
/// list item. A run of backticks followed by another backtick is a code span instead.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let rest = without_containers(line);
    let c = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let length = rest.len() - rest.trim_start_matches(c).len();
    let info = &rest[length..];
    (length >= 3 && !(c == '`' && info.contains('`'))).then(|| (c, length, info.trim()))
}

/// A line without its indentation and the quote markers and list bullets it starts with.
fn without_containers(line: &str) -> &str {
    let mut rest = line.trim_start();
    loop {
        let before = rest;
        if let Some(after) = rest.strip_prefix('>') {
            rest = after;
        } else if let Some(after) = rest.strip_prefix(['-', '*', '+']).filter(|a| a.starts_with([' ', '\t'])) {
            rest = after;
        } else {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let bullet = rest[digits..].strip_prefix(['.', ')']).filter(|a| a.starts_with([' ', '\t']));
            if let Some(after) = bullet.filter(|_| (1..=9).contains(&digits)) {
                rest = after;
            }
        }
        rest = rest.trim_start();
        if rest == before {
            return rest;
        }
    }
}

/// Text with `\n` line endings (`\r\n` and a lone `\r` are line breaks), and every
/// other control character, and every character that changes the direction of text,
/// written as its escape (`\u{0}`), so it can stand in a doc comment and be read.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if is_hidden(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Control characters, and the characters that change the direction of text (which
/// rustc rejects in comments).
fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Document text for one line of a doc comment: line breaks (also escaped ones)
/// become spaces, then as [`sanitize`]. For titles and other one-line texts.
pub fn one_line(text: &str) -> String {
    let text = unescape(&normalize(text)).replace(['\n', '\t'], " ");
    markdown(text.trim()).replace('\n', " ")
}

/// A Markdown code span showing `text` exactly (control characters as escapes): its
/// backtick fence is longer than any run of backticks inside.
pub fn code(text: &str) -> String {
    let text: String = text.chars().flat_map(|c| {
        let escaped: Vec<char> = if is_hidden(c) { c.escape_default().collect() } else { vec![c] };
        escaped
    }).collect();
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick (or is only spaces) needs a space on
    // each side, which Markdown strips.
    let pad = text.starts_with('`') || text.ends_with('`') || text.trim().is_empty();
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The site that relative links in the document (`/docs/...`) are written for.
const VERCEL_SITE: &str = "https://vercel.com";

/// One line of prose for rustdoc: brackets that are not Markdown links are escaped (so
/// they are not read as intra-doc links), bare URLs become autolinks, links are made
/// to lead somewhere from rustdoc's pages (see [`link_target`]); code spans and
/// Markdown escapes are kept as they are.
fn escape_prose(line: &str) -> String {
    prose(line, true)
}

/// [`escape_prose`], with bare URLs made autolinks only if `autolink` (not in the
/// label of a link, which cannot hold another link).
fn prose(line: &str, autolink: bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let span = code_span(rest).unwrap_or(&rest[..backticks(rest)]);
            out.push_str(span);
            rest = &rest[span.len()..];
            continue;
        }
        if c == '\\' {
            // A Markdown escape, such as an escaped bracket: as it is.
            let length = rest[1..].chars().next().map_or(1, |next| 1 + next.len_utf8());
            out.push_str(&rest[..length]);
            rest = &rest[length..];
            continue;
        }
        if let Some(link) = link(rest) {
            out.push_str(&rewrite_link(&link));
            rest = &rest[link.length..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let preceded_by_link = out.ends_with('(') || out.ends_with('<');
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            if preceded_by_link || !autolink {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\t' => out.push(' '),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A Markdown link `[label](target)`.
#[derive(Debug, PartialEq, Eq)]
struct Link<'t> {
    /// The text shown.
    label: &'t str,
    /// Where it leads, as written.
    target: &'t str,
    /// The length of the whole link in the text.
    length: usize,
}

/// The link `text` starts with, if it starts with one: `[`, a label without brackets
/// outside its code spans, `](`, a target and `)`.
fn link(text: &str) -> Option<Link<'_>> {
    let inner = text.strip_prefix('[')?;
    let mut at = 0;
    let close = loop {
        let rest = &inner[at..];
        match rest.chars().next()? {
            '`' => at += code_span(rest).map_or_else(|| backticks(rest), str::len),
            '\\' => at += rest.chars().take(2).map(char::len_utf8).sum::<usize>(),
            '[' => return None,
            ']' => break at,
            c => at += c.len_utf8(),
        }
    };
    let after = inner[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    Some(Link { label: &inner[..close], target: &after[..end], length: close + end + 4 })
}

/// A link as rustdoc should show it: to where [`link_target`] says, or, when it leads
/// nowhere from rustdoc's pages, its label as text.
fn rewrite_link(link: &Link<'_>) -> String {
    match link_target(link.target.trim()) {
        Some(target) => format!("[{}]({target})", prose(link.label, false)),
        None => prose(link.label, true),
    }
}

/// Where a link's target leads from rustdoc's pages: an `http`, `https` or `mailto`
/// URL as it is, a path on Vercel's site (`/docs/...`) on [`VERCEL_SITE`]. `None` for
/// a fragment (`#upsert-installation`, an anchor of the page the document was written
/// for, which no rustdoc page has), for a target relative to that page, which rustdoc
/// would read as an intra-doc link, and for other schemes.
fn link_target(target: &str) -> Option<String> {
    let scheme = target.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    if target.starts_with("//") {
        Some(format!("https:{target}"))
    } else if target.starts_with('/') {
        Some(format!("{VERCEL_SITE}{target}"))
    } else if matches!(scheme.as_deref(), Some("http" | "https" | "mailto")) {
        Some(target.to_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_fences_become_text_and_indentation_is_removed() {
        let doc = sanitize("Example:\n```js\nfoo()\n```\n    indented line");
        assert_eq!(doc, "Example:\n```text\nfoo()\n```\nindented line");
    }

    #[test]
    fn every_fence_is_text_whatever_its_marker_or_container() {
        for (fence, text, close) in [
            ("```", "```text", "```"),
            ("```rust", "```text", "```"),
            ("~~~", "~~~text", "~~~"),
            ("````rust", "````text", "````"),
            ("> ```", "```text", "```"),
            ("- ```", "```text", "```"),
            ("1. ```", "```text", "```"),
            ("> - ~~~rust", "~~~text", "~~~"),
            ("   ```", "```text", "```"),
        ] {
            let closing = fence.trim_end_matches(char::is_alphabetic);
            let doc = sanitize(&format!("Run:\n{fence}\npanic!()\n{closing}\nafter"));
            assert_eq!(doc, format!("Run:\n{text}\npanic!()\n{close}\nafter"), "{fence}");
        }
        // A longer fence holds shorter ones; a tilde fence holds backtick ones.
        assert_eq!(sanitize("````\n```\nx\n```\n````"), "````text\n```\nx\n```\n````");
        assert_eq!(sanitize("~~~\n```\n~~~"), "~~~text\n```\n~~~");
        // Not fences: a bullet needs a space, two backticks or a backtick in the info
        // string make a code span.
        assert_eq!(sanitize("-```\n``x``\n``` a ` b"), "-```\n``x``\n``` a ` b");
    }

    #[test]
    fn carriage_returns_are_line_breaks_and_control_characters_escapes() {
        assert_eq!(normalize("a\r\nb\rc\n\rd"), "a\nb\nc\n\nd");
        assert_eq!(normalize("nul\0 bell\u{7} rtl\u{202E}"), "nul\\u{0} bell\\u{7} rtl\\u{202e}");
        assert_eq!(sanitize("x\r```\rpanic!()\r```"), "x\n```text\npanic!()\n```");
        assert_eq!(one_line("A\r\nB\tC"), "A B C");
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("``x"), "``` ``x ```");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a\rb\0"), "`a\\rb\\u{0}`");
    }

    #[test]
    fn unterminated_fences_are_closed() {
        assert_eq!(sanitize("```\ncode"), "```text\ncode\n```");
    }

    #[test]
    fn bare_urls_become_autolinks_and_links_stay() {
        assert_eq!(
            escape_prose("See https://vercel.com/docs. Or [docs](https://x.y)."),
            "See <https://vercel.com/docs>. Or [docs](https://x.y)."
        );
    }

    #[test]
    fn lone_brackets_are_escaped() {
        assert_eq!(escape_prose("an array [1, 2]"), "an array \\[1, 2\\]");
    }

    #[test]
    fn escapes_written_twice_are_undone() {
        // From the pinned document (a usage metric's `type`, a role, a quoted unit).
        let metric = r"\n              Type of the metric.\n              - total: measured total value\n              - rate: rate of usage.\n            ";
        assert_eq!(sanitize(metric).trim(), "Type of the metric.\n- total: measured total value\n- rate: rate of usage.");
        assert_eq!(sanitize(r#"Example: \"GB\""#), r#"Example: "GB""#);
        assert_eq!(sanitize(r"a\tb"), "a b");
        assert_eq!(unescape(r"a\tb"), "a\tb");
        // Two backslashes are one escaped backslash: the `n` after them is a letter.
        assert_eq!(sanitize(r"C:\\new \\"), r"C:\\new \\");
        assert_eq!(unescape(r"\\\n"), "\\\\\n");
        // Other Markdown escapes are kept.
        assert_eq!(sanitize(r"\* not a list, \[x\]"), r"\* not a list, \[x\]");
        assert_eq!(one_line(r#"A\nB \"C\""#), r#"A B "C""#);
    }

    #[test]
    fn code_spans_and_fences_keep_their_backslashes() {
        assert_eq!(sanitize(r#"Lines end in `\n`, quotes are `\"`."#), r#"Lines end in `\n`, quotes are `\"`."#);
        assert_eq!(sanitize(r"``a`\n`` \n"), "``a`\\n``");
        assert_eq!(sanitize("```\nprintf(\"a\\n\");\n```"), "```text\nprintf(\"a\\n\");\n```");
        // A backtick that closes nothing is text, and the rest of the line is prose.
        assert_eq!(sanitize(r"a ` b\nc"), "a ` b\nc");
        // A text escaped as a whole is unescaped as a whole, its fences appearing after.
        assert_eq!(sanitize(r"Run:\n```sh\nls\n```"), "Run:\n```text\nls\n```");
    }

    #[test]
    fn escapes_undone_are_idempotent() {
        for text in [r"a\nb", r"\\\n", r#"\\\" `\n` \x"#, "```\n\\n\n```\n\\t"] {
            let once = unescape(text);
            assert_eq!(unescape(&once), once, "{text}");
        }
    }

    #[test]
    fn links_lead_somewhere_or_become_text() {
        // From the pinned document: an anchor of Vercel's own page.
        assert_eq!(
            sanitize("we provided in the [Upsert Installation](#upsert-installation) body"),
            "we provided in the Upsert Installation body"
        );
        assert_eq!(
            sanitize("See [the docs](/docs/rest-api) and [SDK](https://vercel.com/docs/rest-api/sdk#auth)."),
            "See [the docs](https://vercel.com/docs/rest-api) and [SDK](https://vercel.com/docs/rest-api/sdk#auth)."
        );
        // Relative targets would be read as intra-doc links; other schemes are dropped.
        assert_eq!(sanitize("[a](Client) [b](javascript:alert(1)) [c](mailto:x@y.z)"), "a b) [c](mailto:x@y.z)");
        // Labels keep their code spans and are not autolinked a second time.
        assert_eq!(
            sanitize("The [`@vercel/sdk`](https://www.npmjs.com/package/@vercel/sdk), [https://a.b](https://a.b)"),
            "The [`@vercel/sdk`](https://www.npmjs.com/package/@vercel/sdk), [https://a.b](https://a.b)"
        );
        assert_eq!(sanitize("[`#x`](#x) [**Auth**](#auth)"), "`#x` **Auth**");
        assert_eq!(link("[a](b"), None);
        assert_eq!(link("[a](b) c"), Some(Link { label: "a", target: "b", length: 6 }));
        assert_eq!(link("[a `]` b](c)").map(|l| l.label), Some("a `]` b"));
    }

    #[test]
    fn code_spans_are_not_escaped_or_autolinked() {
        // From the pinned document: a URL with placeholders, and a JSON array.
        assert_eq!(
            sanitize("the claim URL: `https://vercel.com/claim-deployment?code=<code>&returnUrl=<returnUrl>`."),
            "the claim URL: `https://vercel.com/claim-deployment?code=<code>&returnUrl=<returnUrl>`."
        );
        assert_eq!(sanitize("`viaIds` is `[\"app456\"]`, [x]"), "`viaIds` is `[\"app456\"]`, \\[x\\]");
    }

    #[test]
    fn paragraphs_lose_the_blank_lines_around_them() {
        let attrs = doc_attrs([Some(r"\nFirst.\n"), Some(r"\n"), Some("Second.")]).to_string();
        assert_eq!(attrs, quote!(#[doc = " First."] #[doc = ""] #[doc = " Second."]).to_string());
    }
}
