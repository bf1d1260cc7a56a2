//! Decoding of untagged unions (`oneOf`/`anyOf` without a tag) and of string enums.
//!
//! Vercel's unions often overlap: a value of one member also decodes as another that
//! lacks some of its properties, and serde's `untagged` would take whichever member comes
//! first and silently drop the rest. Here the member that keeps most of the value wins:
//! the first member that keeps all of it, or else the one that loses the fewest fields
//! (properties a newer API added are lost by all).
//!
//! What each member would lose is counted from the value's keys, against the property
//! names of each member (known when the client was generated): the value is read once
//! into its keys and the text of each value ([`Captured`]), the keys are counted for all
//! members at once, and the members are decoded from there, fewest losses first, until
//! one decodes. A union whose members take every JSON value without loss (Edge Config
//! values, flag values) is read in a single pass instead, its member chosen by the JSON
//! type it meets ([`JsonTypes`]).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::captured::{Captured, Text};
use super::fill;

/// A set of JSON types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kinds(u8);

impl Kinds {
    pub(crate) const NULL: Kinds = Kinds(1);
    pub(crate) const BOOL: Kinds = Kinds(2);
    /// A number written without a fraction or an exponent.
    pub(crate) const INTEGER: Kinds = Kinds(4);
    /// A number written with a fraction or an exponent.
    pub(crate) const FRACTION: Kinds = Kinds(8);
    pub(crate) const STRING: Kinds = Kinds(16);
    pub(crate) const ARRAY: Kinds = Kinds(32);
    pub(crate) const OBJECT: Kinds = Kinds(64);
    pub(crate) const NUMBER: Kinds = Kinds::INTEGER.or(Kinds::FRACTION);
    pub(crate) const ANY: Kinds = Kinds(127);

    /// Both sets.
    pub(crate) const fn or(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    fn holds(self, kind: Kinds) -> bool {
        self.0 & kind.0 != 0
    }

    /// The type of a value.
    fn of(value: &Captured) -> Kinds {
        match value {
            Captured::Null => Kinds::NULL,
            Captured::Bool(_) => Kinds::BOOL,
            Captured::Number(number) if number.is_f64() => Kinds::FRACTION,
            Captured::Number(_) => Kinds::INTEGER,
            Captured::String(_) => Kinds::STRING,
            Captured::Array(_) => Kinds::ARRAY,
            Captured::Object(_) => Kinds::OBJECT,
        }
    }
}

/// An untagged union.
pub(crate) struct Untagged<U: 'static> {
    /// Its members, in the order they are preferred.
    pub(crate) members: &'static [Member<U>],
    /// The property names of its struct members (of the items, for arrays of structs),
    /// sorted by length then text, each with the members that keep it (by index), and
    /// whether each of them cannot decode without it.
    pub(crate) properties: &'static [(&'static str, &'static [(usize, bool)])],
}

/// One member of an untagged union.
pub(crate) struct Member<U> {
    /// The JSON types it may decode.
    pub(crate) kinds: Kinds,
    /// For a struct, or an array of structs (then each item counts): how many properties
    /// it cannot decode without. `None` when it keeps every property (a map, raw JSON,
    /// another union).
    pub(crate) required: Option<usize>,
    /// Decodes the value as this member, if it can.
    pub(crate) decode: Decode<U>,
}

/// Decodes a union's value as one of its members, if it can.
pub(crate) type Decode<U> = fn(&Captured) -> Option<U>;

/// `decode` of a [`Member`]: the value of type `T` the union's value holds, if it holds one.
pub(crate) fn member<T: DeserializeOwned>(value: &Captured) -> Option<T> {
    if Nesting::refused() {
        return None;
    }
    fill::from_captured(value).ok()
}

/// How many unions may be decoded one inside another. A union decodes its member from
/// the text of each value, where serde_json's own limit of 128 levels starts again, so a
/// union that holds itself would let a hostile answer nest until the stack overflows.
/// Each union is at least one level of JSON: no answer within serde_json's limit
/// reaches this one.
const MAX_NESTED_UNIONS: usize = 128;

thread_local! {
    /// The unions being decoded on this thread, and whether one was refused for being
    /// nested too deep (every union around it then fails at once, trying no other member).
    static NESTING: Cell<(usize, bool)> = const { Cell::new((0, false)) };
}

/// A union being decoded, counted while it lives.
struct Nesting;

impl Nesting {
    /// Counts one more union, or refuses it past [`MAX_NESTED_UNIONS`].
    fn enter<E: de::Error>() -> Result<Nesting, E> {
        let (depth, refused) = NESTING.get();
        if refused || depth >= MAX_NESTED_UNIONS {
            NESTING.set((depth, true));
            return Err(too_deep());
        }
        NESTING.set((depth + 1, false));
        Ok(Nesting)
    }

    /// Whether a union inside the current one was refused.
    fn refused() -> bool {
        NESTING.get().1
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        let (depth, refused) = NESTING.get();
        // The refusal lasts until the outermost union has failed with it.
        NESTING.set((depth - 1, refused && depth > 1));
    }
}

fn too_deep<E: de::Error>() -> E {
    E::custom(format_args!("unions nested more than {MAX_NESTED_UNIONS} deep"))
}

/// The member of a union that decodes the value keeping most of it, or `unknown` with the
/// raw JSON when no member decodes it.
///
/// A member decodes only if none of its required fields had to be filled in (see
/// [`fill`]); when none does, of the members that keep every key of the value, the one
/// that fills in fewest fields is taken (the first of those filling as many), so an
/// answer lacking a required field keeps its member; a member is not taken that would
/// fill in more fields than the value holds of those it requires.
pub(crate) fn decode_untagged<'de, D, U>(deserializer: D, union: &Untagged<U>, unknown: fn(Value) -> U) -> Result<U, D::Error>
where
    D: Deserializer<'de>,
{
    let _nesting = Nesting::enter()?;
    let value = Captured::deserialize(deserializer)?;
    let kind = Kinds::of(&value);
    let members = union.members;
    let candidates = || (0..members.len()).filter(move |i| members[*i].kinds.holds(kind));
    let tallied = || kind.holds(Kinds::OBJECT.or(Kinds::ARRAY)).then(|| Tally::of(&value, union, kind));
    let tally = if candidates().nth(1).is_some() { tallied() } else { None };
    let unfilled = |i: usize| fill::unfilled(|| (members[i].decode)(&value));
    // First the members that keep the whole value, in order...
    let keeps_all = |i: &usize| tally.as_ref().is_none_or(|tally| tally.keeps_all(*i));
    if let Some(decoded) = candidates().filter(keeps_all).find_map(unfilled) {
        return Ok(decoded);
    }
    // ...then the others, fewest losses first (the first of those losing as much)...
    if let Some(tally) = &tally {
        let mut lossy: Vec<(usize, usize)> =
            candidates().filter(|i| !tally.keeps_all(*i) && !tally.failed(*i)).map(|i| (tally.lost(i), i)).collect();
        lossy.sort_by_key(|(lost, _)| *lost);
        if let Some(decoded) = lossy.into_iter().map(|(_, i)| i).find_map(unfilled) {
            return Ok(decoded);
        }
    }
    // ...then, of those that keep every key, the one that fills in fewest fields (unless
    // this union is inside a member on trial, which must take the value as it is).
    if fill::in_trial() {
        return raw_json(&value, unknown);
    }
    let tally = tally.or_else(tallied);
    let keeps_keys = |i: &usize| tally.as_ref().is_none_or(|tally| tally.keeps_keys(*i));
    let fills = |i: usize| {
        let (decoded, fills) = fill::counted(|| (members[i].decode)(&value));
        decoded.map(|_| fills)
    };
    let may_fill = |i: usize, fills: usize| tally.as_ref().is_none_or(|tally| tally.may_fill(i, fills));
    let fewest =
        candidates().filter(keeps_keys).filter_map(|i| Some((fills(i)?, i))).filter(|(fills, i)| may_fill(*i, *fills)).min();
    if let Some(decoded) = fewest.and_then(|(_, i)| (members[i].decode)(&value)) {
        return Ok(decoded);
    }
    raw_json(&value, unknown)
}

/// The union's raw-JSON variant, holding `value`.
fn raw_json<U, E: de::Error>(value: &Captured, unknown: fn(Value) -> U) -> Result<U, E> {
    if Nesting::refused() {
        return Err(too_deep());
    }
    value.to_value().map(unknown).map_err(de::Error::custom)
}

/// A union tagged by a property: each member's tag value, with how it decodes.
pub(crate) struct Tagged<U: 'static> {
    /// The property that holds the tag.
    pub(crate) tag: &'static str,
    /// Each tag value, with its member's `decode` (as a [`Member`]'s).
    pub(crate) variants: &'static [(&'static str, Decode<U>)],
}

/// The member of a tagged union its tag names, decoded once from the value (serde's `tag`
/// would buffer the value first); `unknown` with the raw JSON when the tag is missing or
/// unknown, or the member does not decode.
pub(crate) fn decode_tagged<'de, D, U>(deserializer: D, tagged: &Tagged<U>, unknown: fn(Value) -> U) -> Result<U, D::Error>
where
    D: Deserializer<'de>,
{
    let _nesting = Nesting::enter()?;
    let value = Captured::deserialize(deserializer)?;
    let tag = match &value {
        Captured::Object(entries) => entries.iter().find(|(key, _)| key == tagged.tag).map(|(_, text)| text),
        _ => None,
    };
    let tag = tag.and_then(|text| match Captured::from_text(text) {
        Ok(Captured::String(tag)) => Some(tag),
        _ => None,
    });
    let variant = tagged.variants.iter().find(|(name, _)| tag.as_deref() == Some(*name));
    match variant.and_then(|(_, decode)| decode(&value)) {
        Some(decoded) => Ok(decoded),
        None => raw_json(&value, unknown),
    }
}

/// What decoding a value (an object, or an array of objects) as each struct member would
/// lose, from its keys: which keys (`null` ones excepted) each member lacks, and which
/// members lack a property they require (or are given an array item that is no object).
struct Tally<'v, 'de> {
    value: &'v Captured<'de>,
    properties: &'static [(&'static str, &'static [(usize, bool)])],
    /// Each member's counts.
    members: Vec<Counts>,
}

/// What a [`Tally`] counts of one member.
#[derive(Default)]
struct Counts {
    /// Whether it is counted: a struct (or array of structs) of the value's JSON type.
    counted: bool,
    /// Whether it cannot decode the value.
    failed: bool,
    /// How many properties it requires.
    required: usize,
    /// How many of its required properties it has met in the current object.
    met: usize,
    /// How many of its required properties it met, in all objects.
    found: usize,
    /// How many keys (with a value other than `null`) it lacks, in all objects.
    lacks: usize,
}

impl<'v, 'de> Tally<'v, 'de> {
    /// The tally of `value`, of JSON type `kind`, for the members of `union`.
    fn of<U>(value: &'v Captured<'de>, union: &Untagged<U>, kind: Kinds) -> Self {
        let members = union.members.iter().map(|member| Counts {
            counted: member.required.is_some() && member.kinds.holds(kind),
            required: member.required.unwrap_or(0),
            ..Counts::default()
        });
        let mut tally = Tally { value, properties: union.properties, members: members.collect() };
        match value {
            Captured::Object(entries) => tally.object(entries),
            Captured::Array(items) => {
                for item in items {
                    match Captured::from_text(item) {
                        Ok(Captured::Object(entries)) => tally.object(&entries),
                        _ => tally.not_an_object(),
                    }
                }
            }
            _ => {}
        }
        tally
    }

    /// Whether member `i` decodes the value keeping all of it (as far as the keys tell).
    fn keeps_all(&self, i: usize) -> bool {
        !self.members[i].failed && self.keeps_keys(i)
    }

    /// Whether member `i` keeps every key of the value (it may still lack one it requires).
    fn keeps_keys(&self, i: usize) -> bool {
        !self.members[i].counted || self.members[i].lacks == 0
    }

    /// Whether member `i` cannot decode the value.
    fn failed(&self, i: usize) -> bool {
        self.members[i].failed
    }

    /// Whether member `i` may fill in `fills` fields: no more than the value holds of
    /// those it requires (else the value is more unlike the member than like it).
    fn may_fill(&self, i: usize, fills: usize) -> bool {
        !self.members[i].counted || fills <= self.members[i].found
    }

    /// What member `i` loses of the value: each key it lacks, and the properties at any
    /// depth under it.
    fn lost(&self, i: usize) -> usize {
        if !self.members[i].counted {
            return 0;
        }
        let lost_of = |entries: &[(Cow<str>, Text)]| -> usize {
            let lacked = entries.iter().filter(|(key, text)| !is_null(text) && !keeps(self.keepers(key), i));
            lacked.map(|(_, text)| serde_json::from_str::<Nested>(text).map_or(1, |Nested(_, nested)| 1 + nested)).sum()
        };
        match self.value {
            Captured::Object(entries) => lost_of(entries),
            Captured::Array(items) => items
                .iter()
                .map(|item| match Captured::from_text(item) {
                    Ok(Captured::Object(entries)) => lost_of(&entries),
                    _ => 0,
                })
                .sum(),
            _ => 0,
        }
    }

    /// The members that keep property `key`, each with whether it requires it.
    fn keepers(&self, key: &str) -> &'static [(usize, bool)] {
        // Bytes compared one by one: names are short, and mostly differ early.
        let order = |name: &str| name.len().cmp(&key.len()).then_with(|| name.bytes().cmp(key.bytes()));
        match self.properties.binary_search_by(|(name, _)| order(name)) {
            Ok(index) => self.properties[index].1,
            Err(_) => &[],
        }
    }

    /// Counts one object.
    fn object(&mut self, entries: &[(Cow<str>, Text)]) {
        for counts in &mut self.members {
            counts.met = 0;
        }
        for (key, text) in entries {
            let keepers = self.keepers(key);
            for &(member, required) in keepers {
                self.members[member].met += usize::from(required);
            }
            // A key every member keeps is lacked by none.
            if keepers.len() < self.members.len() && !is_null(text) {
                for (member, counts) in self.members.iter_mut().enumerate() {
                    counts.lacks += usize::from(!keeps(keepers, member));
                }
            }
        }
        for counts in self.members.iter_mut().filter(|counts| counts.counted) {
            counts.found += counts.met;
            counts.failed |= counts.met < counts.required;
        }
    }

    /// A value in an array that is no object: no struct decodes it.
    fn not_an_object(&mut self) {
        for counts in &mut self.members {
            counts.failed |= counts.counted;
        }
    }
}

/// Whether member `i` is among the `keepers` of a property.
fn keeps(keepers: &[(usize, bool)], i: usize) -> bool {
    keepers.iter().any(|(member, _)| *member == i)
}

/// Whether a value's text is `null`.
fn is_null(text: &str) -> bool {
    text.trim() == "null"
}

/// Whether a value is `null`, and how many properties it holds at any depth.
struct Nested(bool, usize);

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NestedVisitor;
        impl<'de> Visitor<'de> for NestedVisitor {
            type Value = Nested;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Nested, E> {
                Ok(Nested(true, 0))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Nested, E> {
                Ok(Nested(false, 0))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Nested, E> {
                Ok(Nested(false, 0))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Nested, E> {
                Ok(Nested(false, 0))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Nested, E> {
                Ok(Nested(false, 0))
            }
            fn visit_str<E>(self, _: &str) -> Result<Nested, E> {
                Ok(Nested(false, 0))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
                let mut count = 0;
                while let Some(Nested(_, nested)) = seq.next_element()? {
                    count += nested;
                }
                Ok(Nested(false, count))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Nested, A::Error> {
                let mut count = 0;
                while let Some((de::IgnoredAny, Nested(_, nested))) = map.next_entry()? {
                    count += 1 + nested;
                }
                Ok(Nested(false, count))
            }
        }
        deserializer.deserialize_any(NestedVisitor)
    }
}

/// A union whose members take every JSON value without loss, each member the first that
/// takes its JSON type: it is read in one pass, like a `serde_json::Value`, nested values
/// of the union read as they come ([`by_json_type`]).
pub(crate) trait JsonTypes: Sized {
    /// The union's value of JSON type `kind` (one of the single types of [`Kinds`]),
    /// read from `deserializer`.
    fn by_type<'de, D: Deserializer<'de>>(kind: Kinds, deserializer: D) -> Result<Self, D::Error>;
}

/// Reads a [`JsonTypes`] union.
pub(crate) fn by_json_type<'de, D: Deserializer<'de>, U: JsonTypes>(deserializer: D) -> Result<U, D::Error> {
    deserializer.deserialize_any(ByType(std::marker::PhantomData))
}

/// The visitor of [`by_json_type`]: hands the value it meets to the union with its type.
struct ByType<U>(std::marker::PhantomData<U>);

impl<'de, U: JsonTypes> Visitor<'de> for ByType<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<U, E> {
        U::by_type(Kinds::NULL, ().into_deserializer())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<U, E> {
        U::by_type(Kinds::BOOL, v.into_deserializer())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<U, E> {
        U::by_type(Kinds::INTEGER, v.into_deserializer())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<U, E> {
        U::by_type(Kinds::INTEGER, v.into_deserializer())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<U, E> {
        U::by_type(Kinds::FRACTION, v.into_deserializer())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<U, E> {
        U::by_type(Kinds::STRING, v.into_deserializer())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<U, E> {
        U::by_type(Kinds::STRING, v.into_deserializer())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<U, A::Error> {
        U::by_type(Kinds::ARRAY, SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<U, A::Error> {
        U::by_type(Kinds::OBJECT, MapAccessDeserializer::new(map))
    }
}

/// Reads a string enum: `from` maps the text to a known value or to the unknown one.
/// Unlike serde's `untagged` fallback, the text is not buffered first.
pub(crate) fn string_enum<'de, D: Deserializer<'de>, T>(deserializer: D, from: fn(&str) -> T) -> Result<T, D::Error> {
    struct Text<T>(fn(&str) -> T);
    impl<T> Visitor<'_> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E>(self, text: &str) -> Result<T, E> {
            Ok((self.0)(text))
        }
    }
    deserializer.deserialize_str(Text(from))
}
