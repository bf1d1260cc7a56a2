//! Rustdoc from the document's prose.
//!
//! Descriptions are Markdown written for a web page. Before they become doc
//! comments, line endings are made `\n` (a carriage return is not allowed in a doc
//! comment) and other control characters, and those that change the direction of
//! text, are written as escapes (`\u{0}`); every code fence (of backticks or tildes,
//! also inside a quote or a list item) is made a `text` fence, so rustdoc never
//! compiles or runs code from the document; indented lines lose the indentation that
//! would make them code blocks, bare URLs become autolinks and lone brackets are
//! escaped (so they are not read as intra-doc links).
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
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(sanitize)
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
    let text = normalize(text);
    // The character and length of the fence we are in, if any.
    let mut open: Option<(char, usize)> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        match (open, fence(line)) {
            (None, Some((c, length, _))) => {
                out.push(format!("{}text", String::from(c).repeat(length)));
                open = Some((c, length));
                continue;
            }
            (Some((c, length)), Some((d, closing, ""))) if d == c && closing >= length => {
                out.push(String::from(c).repeat(length));
                open = None;
                continue;
            }
            _ => {}
        }
        if open.is_some() {
            out.push(line.replace('\t', "    "));
        } else {
            out.push(escape_prose(line.trim()));
        }
    }
    if let Some((c, length)) = open {
        out.push(String::from(c).repeat(length));
    }
    out.join("\n")
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

/// Document text for one line of a doc comment: line breaks become spaces, then as
/// [`sanitize`]. For titles and other one-line texts.
pub fn one_line(text: &str) -> String {
    let text = normalize(text).replace(['\n', '\t'], " ");
    sanitize(text.trim()).replace('\n', " ")
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

/// Escapes brackets that are not Markdown links, and wraps bare URLs in `<>`.
fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let preceded_by_link = out.ends_with('(') || out.ends_with('<');
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            if preceded_by_link {
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
            '[' if !is_markdown_link(rest) => out.push_str("\\["),
            ']' if !out.ends_with("\\[") && !closes_link(&out) => out.push_str("\\]"),
            '\t' => out.push(' '),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Does `text` (starting with `[`) open a `[label](target)` link?
fn is_markdown_link(text: &str) -> bool {
    text.find(']')
        .is_some_and(|close| text[close + 1..].starts_with('(') && !text[1..close].contains('['))
}

/// Is the last unclosed `[` in `out` a link opener (not escaped)?
fn closes_link(out: &str) -> bool {
    match out.rfind('[') {
        Some(open) => !out[..open].ends_with('\\') && !out[open..].contains(']'),
        None => false,
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
}
