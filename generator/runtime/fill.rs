//! Answers that leave the document: a required field the server left out, or sent as
//! `null` where the document allows no `null`, is filled in with its type's empty value
//! and reported, never silently.
//!
//! Every required field of a generated struct decodes through two hooks: serde's
//! `default` ([`absent`]) runs when it is missing, `deserialize_with` ([`non_null`]) when
//! it is present. A fill counts on the thread that decodes. A body is decoded plainly
//! first ([`decode`]); only when something was filled is it decoded again over a
//! `serde_json::Value` by [`Walk`], which keeps the path, so each fill is reported where
//! it happened (`resources[3].internalId`).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Mutex, PoisonError};

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::captured::Captured;

/// `deserialize_*` methods of [`Walk`] for values that hold no others: serde_json's own.
macro_rules! forward_to_value {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'v>>(self, visitor: V) -> serde_json::Result<V::Value> {
                self.0.$method(visitor)
            }
        )*
    };
}

/// `deserialize_*` methods of [`Empty`] for numbers: zero (which every number type takes).
macro_rules! empty_number {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                visitor.visit_u64(0)
            }
        )*
    };
}

/// A field the answer lacked, or held as `null`, although the document requires a value:
/// it was filled in with its type's empty value (see the README's table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Filled {
    /// Where the field is in the body: `resources[3].internalId`.
    pub path: String,
    /// What the answer held there.
    pub cause: FillCause,
}

/// Why a field was filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FillCause {
    /// The answer left the field out.
    Absent,
    /// The answer held `null`, which the document does not allow there.
    Null,
}

impl fmt::Display for Filled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cause {
            FillCause::Absent => write!(f, "{} (absent)", self.path),
            FillCause::Null => write!(f, "{} (null)", self.path),
        }
    }
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// The fills of the decoding under way on this thread.
#[derive(Default)]
struct State {
    /// How many fields were filled so far.
    count: usize,
    /// How many union members are being tried that must fill in nothing.
    trials: usize,
    /// While a body is decoded a second time to report its fills: where the walk is.
    trace: Option<Trace>,
}

/// Where a [`Walk`] is, and what it filled so far.
#[derive(Default)]
struct Trace {
    /// The keys and indexes from the root to the value being decoded.
    path: Vec<Segment>,
    /// The structs being decoded: the path length at each, and its fields' names.
    structs: Vec<(usize, &'static [&'static str])>,
    filled: Vec<Filled>,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl Trace {
    /// The current path, written as `resources[3].internalId`.
    fn here(&self) -> String {
        let mut path = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(key) if path.is_empty() => path.push_str(key),
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        path
    }

    /// The path of field number `field` of the struct being decoded (when the walk
    /// reaches the struct: serde's own buffers hide it).
    fn field(&self, field: usize) -> String {
        let name = match self.structs.last() {
            Some((depth, fields)) if *depth == self.path.len() => fields.get(field).copied(),
            _ => None,
        };
        let here = self.here();
        match (name, here.is_empty()) {
            (Some(name), true) => name.to_owned(),
            (Some(name), false) => format!("{here}.{name}"),
            (None, _) => format!("{here}.<field {field}>"),
        }
    }
}

/// serde's `default` for a required field: the answer lacks it. `FIELD` is the field's
/// number among those the struct decodes.
pub(crate) fn absent<const FIELD: usize, T: DeserializeOwned>() -> T {
    let value = empty();
    record(FillCause::Absent, |trace| trace.field(FIELD));
    value
}

/// serde's `deserialize_with` for a required field: `null` is filled in.
pub(crate) fn non_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    match Option::<T>::deserialize(deserializer)? {
        Some(value) => Ok(value),
        None => {
            let value = empty();
            record(FillCause::Null, Trace::here);
            Ok(value)
        }
    }
}

/// The empty value of `T`; what filling it in filled is not counted.
fn empty<'de, T: Deserialize<'de>>() -> T {
    let before = mark();
    let value = T::deserialize(Empty);
    rollback(before);
    // Every generated type decodes from `Empty`: each struct field is optional or has
    // its `absent` hook, and enums and unions take any value (a test decodes an empty
    // object as every answer of the API).
    value.unwrap_or_else(|error| panic!("no empty value for {}: {error}", std::any::type_name::<T>()))
}

fn record(cause: FillCause, path: impl FnOnce(&Trace) -> String) {
    STATE.with_borrow_mut(|state| {
        state.count += 1;
        if let Some(trace) = &mut state.trace {
            let path = path(trace);
            trace.filled.push(Filled { path, cause });
        }
    });
}

/// How many fills the decoding under way made so far.
fn mark() -> usize {
    STATE.with_borrow(|state| state.count)
}

/// Runs `decode` as a trial of a union member that must fill in nothing: `None` when it
/// fills something in (and what it filled is forgotten). Unions inside it do not fill
/// in their members either ([`in_trial`]): they keep the raw JSON, as the member must be
/// the one that takes the value as it is.
pub(crate) fn unfilled<T>(decode: impl FnOnce() -> Option<T>) -> Option<T> {
    STATE.with_borrow_mut(|state| state.trials += 1);
    let (decoded, fills) = counted(decode);
    STATE.with_borrow_mut(|state| state.trials -= 1);
    decoded.filter(|_| fills == 0)
}

/// Runs `decode` and forgets what it filled in: gives its value and how many fields it
/// filled.
pub(crate) fn counted<T>(decode: impl FnOnce() -> Option<T>) -> (Option<T>, usize) {
    let before = mark();
    let decoded = decode();
    let fills = mark() - before;
    rollback(before);
    (decoded, fills)
}

/// Whether a union member is being tried that must fill in nothing.
pub(crate) fn in_trial() -> bool {
    STATE.with_borrow(|state| state.trials > 0)
}

/// Forgets the fills made since `mark`.
fn rollback(mark: usize) {
    STATE.with_borrow_mut(|state| {
        state.count = mark;
        if let Some(trace) = &mut state.trace {
            trace.filled.truncate(mark);
        }
    });
}

/// Decodes `T` from a union's value, as one of its members: over a [`Walk`] while a body
/// is traced, so the path goes on.
pub(crate) fn from_captured<T: DeserializeOwned>(value: &Captured) -> serde_json::Result<T> {
    if STATE.with_borrow(|state| state.trace.is_some()) {
        T::deserialize(Walk(&value.to_value()?))
    } else {
        T::deserialize(value)
    }
}

/// Decodes a JSON body: the value, with the fields filled in (none when the answer
/// matches the document). The body is decoded plainly; it is walked again only when
/// something was filled, to tell where.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<(T, Vec<Filled>)> {
    STATE.set(State::default());
    let value = serde_json::from_slice(body);
    if value.is_err() || mark() == 0 {
        return value.map(|value| (value, Vec::new()));
    }
    let tree: Value = serde_json::from_slice(body)?;
    STATE.set(State { trace: Some(Trace::default()), ..State::default() });
    let value = T::deserialize(Walk(&tree));
    let trace = STATE.take().trace.unwrap_or_default();
    value.map(|value| (value, trace.filled))
}

/// A deserializer over a `serde_json::Value` that keeps the path of what it decodes.
struct Walk<'v>(&'v Value);

/// Runs `decode` one step further down the path.
fn within<R>(segment: Segment, decode: impl FnOnce() -> R) -> R {
    STATE.with_borrow_mut(|state| state.trace.as_mut().map(|trace| trace.path.push(segment)));
    let decoded = decode();
    STATE.with_borrow_mut(|state| state.trace.as_mut().map(|trace| trace.path.pop()));
    decoded
}

impl<'v> Deserializer<'v> for Walk<'v> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'v>>(self, visitor: V) -> serde_json::Result<V::Value> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items { items: items.iter().enumerate() }),
            Value::Object(map) => visitor.visit_map(Entries { entries: map.iter(), value: None }),
            leaf => leaf.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'v>>(self, visitor: V) -> serde_json::Result<V::Value> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'v>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> serde_json::Result<V::Value> {
        if !self.0.is_object() {
            return self.0.deserialize_struct(name, fields, visitor);
        }
        STATE.with_borrow_mut(|state| {
            if let Some(trace) = &mut state.trace {
                trace.structs.push((trace.path.len(), fields));
            }
        });
        let decoded = self.deserialize_any(visitor);
        STATE.with_borrow_mut(|state| state.trace.as_mut().map(|trace| trace.structs.pop()));
        decoded
    }

    fn deserialize_map<V: Visitor<'v>>(self, visitor: V) -> serde_json::Result<V::Value> {
        match self.0 {
            Value::Object(_) => self.deserialize_any(visitor),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_seq<V: Visitor<'v>>(self, visitor: V) -> serde_json::Result<V::Value> {
        match self.0 {
            Value::Array(_) => self.deserialize_any(visitor),
            other => other.deserialize_seq(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'v>>(self, name: &'static str, visitor: V) -> serde_json::Result<V::Value> {
        // serde_json's `RawValue` asks for the text this way.
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'v>>(self, visitor: V) -> serde_json::Result<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_enum<V: Visitor<'v>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> serde_json::Result<V::Value> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    forward_to_value! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier
    }

    fn deserialize_unit_struct<V: Visitor<'v>>(self, name: &'static str, visitor: V) -> serde_json::Result<V::Value> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'v>>(self, len: usize, visitor: V) -> serde_json::Result<V::Value> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'v>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> serde_json::Result<V::Value> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }
}

/// The items of an array, each decoded one step down the path.
struct Items<'v> {
    items: std::iter::Enumerate<std::slice::Iter<'v, Value>>,
}

impl<'v> SeqAccess<'v> for Items<'v> {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> serde_json::Result<Option<S::Value>> {
        match self.items.next() {
            Some((index, item)) => within(Segment::Index(index), || seed.deserialize(Walk(item))).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, each value decoded one step down the path.
struct Entries<'v> {
    entries: serde_json::map::Iter<'v>,
    value: Option<(&'v str, &'v Value)>,
}

impl<'v> MapAccess<'v> for Entries<'v> {
    type Error = serde_json::Error;

    fn next_key_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> serde_json::Result<Option<S::Value>> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some((key, value));
                seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> serde_json::Result<S::Value> {
        let (key, value) = self.value.take().ok_or_else(|| de::Error::custom("a value without its key"))?;
        within(Segment::Key(key.to_owned()), || seed.deserialize(Walk(value)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A deserializer that gives every type its empty value: `""`, `0`, `false`, an empty
/// list or map, a struct of empty values (its required fields filled in), `null` to
/// whatever takes any value (a union keeps it as its raw JSON).
struct Empty;

impl<'de> Deserializer<'de> for Empty {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_bool(false)
    }

    empty_number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_str("")
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_none()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(de::value::SeqDeserializer::new(std::iter::empty::<()>()))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(de::value::MapDeserializer::new(std::iter::empty::<(&str, ())>()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit unit_struct tuple tuple_struct enum identifier ignored_any
    }
}


/// The fills a client (and its `with_token` clients) reported, so that each path of an
/// operation is reported once, however many answers or items repeat it.
#[derive(Default)]
pub(crate) struct FillReports(Mutex<HashSet<(&'static str, String, FillCause)>>);

/// How many distinct fills a client remembers; past that (paths under a map's keys can
/// be many), each is reported again.
const REMEMBERED_FILLS: usize = 4096;

impl FillReports {
    /// A `warn` event naming `operation` and each path (indexes left out) of `filled` not
    /// reported before, with its cause and how many times the answer has it.
    pub(crate) fn report(&self, operation: &'static str, filled: &[Filled]) {
        let mut counts: BTreeMap<(String, FillCause), usize> = BTreeMap::new();
        for fill in filled {
            *counts.entry((without_indexes(&fill.path), fill.cause)).or_default() += 1;
        }
        let mut reported = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut new = Vec::new();
        for ((path, cause), count) in counts {
            let key = (operation, path, cause);
            if reported.contains(&key) {
                continue;
            }
            let cause = match cause {
                FillCause::Absent => "absent",
                FillCause::Null => "null",
            };
            new.push(format!("{} ({cause}, {count} times)", key.1));
            if reported.len() < REMEMBERED_FILLS {
                reported.insert(key);
            }
        }
        drop(reported);
        if !new.is_empty() {
            tracing::warn!(
                operation,
                filled = %new.join(", "),
                "the answer lacks values the document requires; they were filled in with empty values"
            );
        }
    }
}

/// A path with its array indexes left out: `resources[].internalId`.
fn without_indexes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            _ if in_index => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The body of a declared error response, if it matches the document (nothing filled in:
/// an error body that does not is kept as an unexpected status, with its text).
pub(crate) fn error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    unfilled(|| serde_json::from_slice(body).ok())
}
