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
