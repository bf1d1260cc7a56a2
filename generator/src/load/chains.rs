//! Chains of references (`A: {$ref: B}`, `B: {$ref: C}`, ...): each reference is
//! followed once, whatever the number of places that reach it, so resolving every
//! chain of a document takes time linear in its size.
//!
//! Once the document is checked, every reference is made to point straight at the
//! object at the end of its chain, so later stages never follow more than one link.
//! A chain longer than [`MAX_REF_CHAIN`] links is cut where it passes that length
//! (counted back from its end): a schema there becomes free-form JSON, with a warning;
//! any other object is an error.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

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
}

/// The changes that make every reference of a document point at the end of its chain,
/// in document order.
pub(super) struct Plan {
    edits: Vec<(String, Edit)>,
}

impl Plan {
    /// Makes the changes, returning a warning for each chain cut.
    pub(super) fn apply(self, raw: &mut Value) -> Vec<Warning> {
        let mut warnings = Vec::new();
        for (pointer, edit) in self.edits {
            let Some(object) = raw.pointer_mut(&pointer).and_then(Value::as_object_mut) else { continue };
            match edit {
                Edit::Retarget(target) => drop(object.insert("$ref".to_owned(), Value::String(target))),
                Edit::Cut(warning) => {
                    *object = Map::new();
                    warnings.push(warning);
                }
            }
        }
        warnings
    }
}

/// Checks that every Reference Object is a local reference that leads, through at most
/// a chain of other references, to an object, and plans how to point each straight at
/// that object, cutting chains longer than [`MAX_REF_CHAIN`] links. The first problem
/// in document order is returned.
pub(super) fn plan(raw: &Value) -> Result<Plan, Problem> {
    let mut references: Vec<(Kind, String, Option<&str>)> = Vec::new();
    walk(raw, Kind::Document, &mut String::new(), &mut |kind, pointer, object| {
        if let Some(target) = object.get("$ref").filter(|_| allows_ref(kind)) {
            references.push((kind, pointer.to_owned(), target.as_str()));
        }
    });
    let mut chains = Chains::new(raw);
    let mut edits = Vec::new();
    let mut cut = BTreeSet::new();
    for (kind, pointer, target) in references {
        let Some(target) = target else { return Err(Problem::NotAString(pointer)) };
        let end = match chains.end(target) {
            Ok(end) => end,
            Err(why) => return Err(Problem::Broken { why, pointer, target: target.to_owned() }),
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
    Ok(Plan { edits })
}
