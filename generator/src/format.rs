//! Formatting: token streams to Rust source text, through syn and prettyplease.

use proc_macro2::TokenStream;

/// Generated tokens that do not parse as a Rust file (a generator bug).
#[derive(Debug, thiserror::Error)]
#[error("generated {file} does not parse as Rust: {source}")]
pub struct FormatError {
    /// The file being generated.
    pub file: String,
    /// What syn reported.
    #[source]
    pub source: syn::Error,
}

/// Parses `tokens` as a file and pretty-prints it.
pub fn format_tokens(file: &str, tokens: TokenStream) -> Result<String, FormatError> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|source| FormatError {
        file: file.to_owned(),
        source,
    })?;
    Ok(prettyplease::unparse(&parsed))
}

/// Formats each chunk of items on its own and joins them with a blank line, so items
/// are separated as a person would separate them, and only one chunk's syntax tree is
/// in memory at a time.
pub fn format_chunks(
    file: &str,
    chunks: impl IntoIterator<Item = TokenStream>,
) -> Result<String, FormatError> {
    let formatted = chunks
        .into_iter()
        .map(|chunk| format_tokens(file, chunk))
        .collect::<Result<Vec<String>, FormatError>>()?;
    Ok(formatted.join("\n"))
}
