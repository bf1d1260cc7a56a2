//! Chains of references (`A: {$ref: B}`, `B: {$ref: C}`, ...): each reference is
//! followed once, whatever the number of places that reach it, so resolving every
//! chain of a document takes time linear in its size.
//!
//! Once the document is checked, every reference is made to point straight at the
//! object at the end of its chain, so later stages never follow more than one link.
//! A chain longer than [`MAX_REF_CHAIN`] links is cut where it passes that length
//! (counted back from its end): a schema there becomes free-form JSON, with a warning;
//! any other object is an error.
//!
//! A reference that points to nothing is an error too, except in the parts of the
//! document the generator does not use (module `unused`): there the entry holding it
//! is dropped, with a warning.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use super::unused::{self, Drops, Enclosing, Entry, Reached};
use super::walk::{allows_ref, walk, Kind};
use super::{fragment, resolve, Warning};

/// How many `$ref`s one reference may go through to reach an object (Vercel's
/// documents have chains of one link).
pub const MAX_REF_CHAIN: usize = 1_000;

/// Why a chain does not end at an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Broken {
    /// It reaches a reference to another file or URL.
    Unsupported,
    /// It reaches a place that does not exist.
    Dangling,
    /// It goes around a cycle of references.
    Cycle,
}

/// Where the chain from a reference ends.
#[derive(Debug, Clone, Copy)]
pub(super) struct End<'v> {
    /// The reference (as written in the document) of the object the chain ends at.
    pub target: &'v str,
    /// How many more `$ref`s the object the reference names goes through: 0 when it
    /// is the end itself.
    pub links: usize,
    /// When `links` exceeds [`MAX_REF_CHAIN`], the reference on the way whose object
    /// is exactly `MAX_REF_CHAIN + 1` links from the end: where the chain is cut.
    pub cut: Option<&'v str>,
}

/// The end of every reference's chain, each found once.
pub(super) struct Chains<'v> {
    raw: &'v Value,
    known: HashMap<&'v str, Result<End<'v>, Broken>>,
}

impl<'v> Chains<'v> {
    pub(super) fn new(raw: &'v Value) -> Self {
        Chains { raw, known: HashMap::new() }
    }

    /// Where the chain from `reference` ends, following each link at most once over
    /// all calls.
    pub(super) fn end(&mut self, reference: &'v str) -> Result<End<'v>, Broken> {
        let mut path: Vec<&'v str> = Vec::new();
        let mut on_path: HashSet<&'v str> = HashSet::new();
        let mut current = reference;
        let mut result = loop {
            if let Some(known) = self.known.get(current) {
                break *known;
            }
            if !on_path.insert(current) {
                break Err(Broken::Cycle);
            }
            path.push(current);
            if !current.starts_with('#') {
                break Err(Broken::Unsupported);
            }
            let Some(found) = resolve(self.raw, current) else {
                break Err(Broken::Dangling);
            };
            match found.get("$ref").and_then(Value::as_str) {
                Some(next) => current = next,
                None => {
                    path.pop();
                    let end = Ok(End { target: current, links: 0, cut: None });
                    self.known.insert(current, end);
                    break end;
                }
            }
        };
        for link in path.into_iter().rev() {
            result = result.map(|end| {
                let links = end.links + 1;
                End { target: end.target, links, cut: if links == MAX_REF_CHAIN + 1 { Some(link) } else { end.cut } }
            });
            self.known.insert(link, result);
        }
        result
    }
}

/// Why the references of a document cannot be used.
#[derive(Debug)]
pub(super) enum Problem {
    /// A `$ref` that is not a string, at this pointer.
    NotAString(String),
    /// A chain that does not end at an object.
    Broken {
        /// Why.
        why: Broken,
        /// The pointer of the reference.
        pointer: String,
        /// The reference.
        target: String,
    },
    /// A chain too long in a place where nothing can stand for its object (not a
    /// schema).
    TooLong {
        /// The pointer of the reference.
        pointer: String,
        /// The reference.
        target: String,
    },
}

/// What to change at one place.
enum Edit {
    /// Point the reference there at this target instead.
    Retarget(String),
    /// Replace the schema there by a free-form one; the warning says why.
    Cut(Warning),
    /// Remove the unused entry there, which holds a dangling reference (or one into
    /// another entry removed); the warning says which.
    Drop(Warning),
}

/// The changes that make every reference of a document point at the end of its chain,
/// in document order, then the unused entries to remove.
pub(super) struct Plan {
    edits: Vec<(String, Edit)>,
}

impl Plan {
    /// Makes the changes, returning a warning for each chain cut and each entry
    /// dropped.
    pub(super) fn apply(self, raw: &mut Value) -> Vec<Warning> {
        let mut warnings = Vec::new();
        for (pointer, edit) in self.edits {
            let object = raw.pointer_mut(&pointer).and_then(Value::as_object_mut);
            match (edit, object) {
                (Edit::Retarget(target), Some(object)) => drop(object.insert("$ref".to_owned(), Value::String(target))),
                (Edit::Cut(warning), Some(object)) => {
                    *object = Map::new();
                    warnings.push(warning);
                }
                // The entry may be gone already, inside another one dropped.
                (Edit::Drop(warning), _) => {
                    unused::remove_entry(raw, &pointer);
                    warnings.push(warning);
                }
                (_, None) => {}
            }
        }
        warnings
    }
}

/// A Reference Object of the document.
struct Reference<'v> {
    /// The kind of object it stands for.
    kind: Kind,
    /// Its pointer.
    pointer: String,
    /// Its `$ref`, when a string.
    target: Option<&'v str>,
    /// The innermost unused entry (example, link, callback) holding it, if any.
    unused: Option<Entry>,
}

/// Every Reference Object of the document, in document order.
fn references(raw: &Value) -> Vec<Reference<'_>> {
    let mut found = Vec::new();
    let mut enclosing = Enclosing::default();
    walk(raw, Kind::Document, &mut String::new(), &mut |kind, pointer, object| {
        let unused = enclosing.visit(kind, pointer).cloned();
        if let Some(target) = object.get("$ref").filter(|_| allows_ref(kind)) {
            found.push(Reference { kind, pointer: pointer.to_owned(), target: target.as_str(), unused });
        }
    });
    found
}

/// Checks that every Reference Object is a local reference that leads, through at most
/// a chain of other references, to an object, and plans how to point each straight at
/// that object, cutting chains longer than [`MAX_REF_CHAIN`] links and dropping the
/// unused entries that hold a dangling reference. The first problem in document order
/// is returned; a reference from a used place into such an entry is one, found last,
/// and told as the dangling reference in the entry.
pub(super) fn plan(raw: &Value) -> Result<Plan, Problem> {
    let mut chains = Chains::new(raw);
    let mut edits = Vec::new();
    let mut cut = BTreeSet::new();
    let mut drops = Drops::default();
    for Reference { kind, pointer, target, unused } in references(raw) {
        let Some(target) = target else { return Err(Problem::NotAString(pointer)) };
        let end = match (chains.end(target), unused) {
            (Ok(end), unused) => {
                if let Some(end) = fragment(end.target) {
                    drops.reached(Reached { pointer: pointer.clone(), target: target.to_owned(), end, unused });
                }
                end
            }
            (Err(Broken::Dangling), Some(entry)) => {
                drops.dangling(entry, &pointer, target);
                continue;
            }
            (Err(why), _) => return Err(Problem::Broken { why, pointer, target: target.to_owned() }),
        };
        if end.links == 0 {
            continue;
        }
        if end.links < MAX_REF_CHAIN {
            edits.push((pointer, Edit::Retarget(end.target.to_owned())));
            continue;
        }
        if kind != Kind::Schema {
            return Err(Problem::TooLong { pointer, target: target.to_owned() });
        }
        // The reference that starts the last `MAX_REF_CHAIN + 1` links: this one, or
        // one on the way (which every longer chain through it now points at).
        let (at, starts) = match end.cut {
            Some(reference) if end.links > MAX_REF_CHAIN => {
                edits.push((pointer, Edit::Retarget(reference.to_owned())));
                let Some(at) = fragment(reference) else { continue };
                let next = resolve(raw, reference).and_then(|o| o.get("$ref")).and_then(Value::as_str).unwrap_or(reference);
                (at, next)
            }
            _ => (pointer, target),
        };
        if cut.insert(at.clone()) {
            let message = format!(
                "`$ref` `{starts}` starts a chain of more than {MAX_REF_CHAIN} references (to `{}`); cut here, typed as free-form JSON",
                end.target
            );
            edits.push((at.clone(), Edit::Cut(Warning { pointer: at, message })));
        }
    }
    let dropped =
        drops.finish().map_err(|(pointer, target)| Problem::Broken { why: Broken::Dangling, pointer, target })?;
    edits.extend(dropped.into_iter().map(|(entry, warning)| (entry, Edit::Drop(warning))));
    Ok(Plan { edits })
}
