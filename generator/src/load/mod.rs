//! Loading: a JSON or YAML document into openapiv3, repairing known real-world defects.
//!
//! The text is parsed into a `serde_json::Value` (JSON when its first non-blank
//! character is `{`, otherwise YAML) and checked to be OpenAPI 3.0. Known defects are
//! then repaired on the value, each repair recorded as a [`Warning`] naming its JSON
//! pointer (RFC 6901). The repaired value is checked (references, operationIds, path
//! parameters) and finally deserialized into `openapiv3::OpenAPI`. Anything that
//! cannot be repaired is a [`LoadError`] naming the file and a pointer or line:column.
//! A `$ref` that points to nothing is one, except inside an example, a link or a
//! callback, which the generator does not use: that entry is dropped, with a warning
//! (module `unused`).
//!
//! The walk over the document follows its structure (module `walk`): `properties` maps are
//! maps of schemas keyed by property names, while `example`, `examples` values,
//! `default`s and `x-` extensions are never taken for schemas.

mod bodies;
mod chains;
mod check;
mod operations;
mod parse;

pub use chains::MAX_REF_CHAIN;
pub use parse::MAX_NESTING;
mod repair;
mod unused;
mod walk;

pub use bodies::schema_requires_properties;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

/// A loaded, repaired document.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file path as given, or a name for in-memory input.
    pub source: String,
    /// The document after repairs, for what openapiv3 does not keep.
    pub raw: Value,
    /// The document as openapiv3 reads it.
    pub openapi: openapiv3::OpenAPI,
    /// The repairs that were made: path-item merges, object repairs in document order,
    /// operation repairs (operationIds, path parameters, optional bodies whose schema
    /// requires properties), then reference repairs in
    /// document order (chains cut, unused entries with a dangling `$ref` dropped).
    pub warnings: Vec<Warning>,
}

/// A repaired defect (or, later in the pipeline, an approximation that was made).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer (RFC 6901, escaped) of the place concerned.
    pub pointer: String,
    /// What was found and done.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", shown(&self.pointer), one_line(&self.message))
    }
}

/// A document that cannot be used. Every message is one line naming the file and a
/// JSON pointer or line:column.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file is missing or cannot be read.
    #[error("{source_name}: cannot read the file: {error}")]
    Io {
        /// The file.
        source_name: String,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The text is neither JSON nor YAML.
    #[error("{source_name}:{line}:{column}: not valid {format}: {message}")]
    Syntax {
        /// The file.
        source_name: String,
        /// What the text was read as: `JSON`, `YAML` or `UTF-8 text`.
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document is not OpenAPI 3.0 (Swagger 2.0, OpenAPI 3.1, no version, not a mapping).
    #[error("{source_name}: {}: {message}", shown(.pointer))]
    NotOpenApi30 {
        /// The file.
        source_name: String,
        /// `/openapi` or `/swagger`.
        pointer: String,
        /// What was found.
        message: String,
    },
    /// A local `$ref` names a place that does not exist in the document (outside the
    /// examples, links and callbacks, whose entries holding one are dropped instead).
    #[error("{source_name}: {}: $ref `{target}` points to nothing in the document", shown(.pointer))]
    DanglingRef {
        /// The file.
        source_name: String,
        /// The pointer of the object holding the `$ref`.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// A `$ref` to another file or URL.
    #[error("{source_name}: {}: $ref `{target}` is not local to the document; only `#/...` references are supported", shown(.pointer))]
    UnsupportedRef {
        /// The file.
        source_name: String,
        /// The pointer of the object holding the `$ref`.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// A `$ref` that leads only to other `$ref`s, around a cycle.
    #[error("{source_name}: {}: $ref `{target}` is part of a reference cycle with nothing else in it", shown(.pointer))]
    RefCycle {
        /// The file.
        source_name: String,
        /// The pointer of the object holding the `$ref`.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// A reference outside schemas that reaches its object only through more than
    /// [`MAX_REF_CHAIN`] references.
    #[error("{source_name}: {}: $ref `{target}` reaches its object only through more than {limit} references", shown(.pointer), limit = MAX_REF_CHAIN)]
    RefChainTooLong {
        /// The file.
        source_name: String,
        /// The pointer of the object holding the `$ref`.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// Two operations share an operationId.
    #[error("{source_name}: {}: operationId `{id}` is already used by {}", shown(.pointer), shown(.first))]
    DuplicateOperationId {
        /// The file.
        source_name: String,
        /// The later operation's pointer.
        pointer: String,
        /// The earlier operation's pointer.
        first: String,
        /// The operationId.
        id: String,
    },
    /// A declared path parameter that the path template does not contain.
    #[error("{source_name}: {}: path parameter `{name}` does not appear in the path template `{path}`", shown(.pointer))]
    UnusedPathParameter {
        /// The file.
        source_name: String,
        /// The parameter's pointer (of its `$ref` when it is a reference).
        pointer: String,
        /// The parameter's name.
        name: String,
        /// The path template.
        path: String,
    },
    /// The document does not have the structure of an OpenAPI 3.0 document.
    #[error("{source_name}: {}: {message}", shown(.pointer))]
    Structure {
        /// The file.
        source_name: String,
        /// The innermost object openapiv3 could not read.
        pointer: String,
        /// What was wrong.
        message: String,
    },
}

impl LoadError {
    /// The process exit code for this error: 2, bad input.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// Loads the document at `path`; messages name the path as given.
pub fn load_path(path: &Path) -> Result<LoadedSpec, LoadError> {
    let source = one_line(&path.display().to_string()).into_owned();
    let bytes = std::fs::read(path).map_err(|error| LoadError::Io { source_name: source.clone(), error })?;
    let text = parse::utf8(&source, bytes)?;
    load_str(&source, &text)
}

/// Loads a document from text; `source` names it in messages.
pub fn load_str(source: &str, text: &str) -> Result<LoadedSpec, LoadError> {
    let source = one_line(source);
    let mut raw = parse::parse(&source, text)?;
    parse::check_version(&source, &raw)?;
    parse::check_nesting(&source, &raw)?;
    let mut warnings = repair::repair(&mut raw);
    let chains = check::check(&source, &raw)?;
    warnings.extend(chains.apply(&mut raw));
    let openapi = openapiv3::OpenAPI::deserialize(&raw).map_err(|error| {
        let (pointer, message) = walk::locate_structure_error(&raw).unwrap_or_default();
        let message = if message.is_empty() { error.to_string() } else { message };
        LoadError::Structure {
            source_name: source.to_string(),
            pointer: one_line(&pointer).into_owned(),
            message: format!("not a valid OpenAPI 3.0 document: {}", one_line(&message)),
        }
    })?;
    Ok(LoadedSpec { source: source.into_owned(), raw, openapi, warnings })
}

/// Groups warnings by kind (their message with the `quoted` details left out), for
/// printing: one line per kind with the first place, the count of the others, most
/// frequent kind first.
pub fn summarize(warnings: &[Warning]) -> Vec<String> {
    let mut groups: BTreeMap<String, (usize, &Warning)> = BTreeMap::new();
    for warning in warnings {
        groups.entry(message_kind(&warning.message)).or_insert((0, warning)).0 += 1;
    }
    let mut lines: Vec<(usize, String)> = groups
        .into_values()
        .map(|(count, first)| {
            let place = format!("{}: {}", shown(&first.pointer), one_line(&first.message));
            match count {
                1 => (count, place),
                _ => (count, format!("{place} (and {} more like it)", count - 1)),
            }
        })
        .collect();
    lines.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    lines.into_iter().map(|(_, line)| line).collect()
}

/// A message with every `quoted` detail replaced by `…`.
fn message_kind(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(index, part)| if index % 2 == 0 { part } else { "…" })
        .collect::<Vec<_>>()
        .join("`")
}

/// A pointer for display: the empty pointer (the whole document) reads `(root)`.
fn shown(pointer: &str) -> Cow<'_, str> {
    if pointer.is_empty() {
        Cow::Borrowed("(root)")
    } else {
        one_line(pointer)
    }
}

/// `text` with control characters (newlines, tabs, ...) escaped, so a message stays
/// on one line whatever names the document uses.
fn one_line(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// Appends `key` to a JSON pointer, escaped per RFC 6901 (`~` as `~0`, `/` as `~1`).
fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// `pointer` extended by one key.
fn child_pointer(pointer: &str, key: &str) -> String {
    let mut child = pointer.to_owned();
    push_key(&mut child, key);
    child
}

/// The value a local reference (`#/components/schemas/X`, percent-encoding allowed)
/// points to; `None` for other references and for places that do not exist.
fn resolve<'v>(raw: &'v Value, reference: &str) -> Option<&'v Value> {
    match reference.strip_prefix('#') {
        Some(fragment) if !fragment.contains('%') => raw.pointer(fragment),
        _ => raw.pointer(&fragment(reference)?),
    }
}

/// The JSON pointer a local reference names (its fragment, percent-decoded); `None`
/// for other references.
fn fragment(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.contains('%') {
        return Some(fragment.to_owned());
    }
    let mut bytes = Vec::with_capacity(fragment.len());
    let mut rest = fragment.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        match (byte, tail) {
            (b'%', [high, low, tail @ ..]) => {
                let hex = |digit: u8| char::from(digit).to_digit(16);
                bytes.push(u8::try_from(hex(*high)? * 16 + hex(*low)?).ok()?);
                rest = tail;
            }
            _ => {
                bytes.push(byte);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests;
