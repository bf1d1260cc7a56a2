//! Rustdoc from the document's prose.
//!
//! Descriptions are Markdown written for a web page. Before they become doc
//! comments, code fences are marked as text (so rustdoc never compiles them),
//! indented lines lose the indentation that would make them code blocks, bare
//! URLs become autolinks and lone brackets are escaped (so they are not read as
//! intra-doc links).

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
    let mut in_fence = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.replace('\t', "    "));
        } else {
            out.push(escape_prose(trimmed.trim_end()));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
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
