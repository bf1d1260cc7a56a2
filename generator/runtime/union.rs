//! Decoding of untagged unions (`oneOf`/`anyOf` without a tag) and of string enums.
//!
//! Vercel's unions often overlap: a value of one member also decodes as another that
//! lacks some of its properties, and serde's `untagged` would take whichever member comes
//! first and silently drop the rest. Here the member that keeps most of the value wins:
//! the first member that keeps all of it, or else the one that loses the fewest fields
//! (properties a newer API added are lost by all).
//!
//! What each member would lose is counted from the value's keys, against the property
//! names of each member (known when the client was generated): the value is kept as JSON
//! text once, its keys are read in one pass for all members, and the members are decoded
//! from the text, fewest losses first, until one decodes. A union whose members take
//! every JSON value without loss (Edge Config values, flag values) is read in a single
//! pass instead, its member chosen by the JSON type it meets ([`JsonTypes`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

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

    /// The type of a JSON text, from its first character.
    fn of(json: &str) -> Kinds {
        match json.trim_start().as_bytes().first() {
            Some(b'{') => Kinds::OBJECT,
            Some(b'[') => Kinds::ARRAY,
            Some(b'"') => Kinds::STRING,
            Some(b't' | b'f') => Kinds::BOOL,
            Some(b'n') => Kinds::NULL,
            _ if json.contains(['.', 'e', 'E']) => Kinds::FRACTION,
            _ => Kinds::INTEGER,
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
    /// Decodes the JSON text as this member, if it can.
    pub(crate) decode: Decode<U>,
}

/// Decodes a JSON text as one member of a union, if it can.
pub(crate) type Decode<U> = fn(&str) -> Option<U>;

/// `decode` of a [`Member`]: the value of type `T` the JSON text holds, if it holds one.
pub(crate) fn member<T: DeserializeOwned>(json: &str) -> Option<T> {
    fill::from_text(json).ok()
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
    let raw = capture(deserializer)?;
    let json = raw.get();
    let kind = Kinds::of(json);
    let members = union.members;
    let candidates: Vec<usize> = (0..members.len()).filter(|i| members[*i].kinds.holds(kind)).collect();
    let tallied = || kind.holds(Kinds::OBJECT.or(Kinds::ARRAY)).then(|| Tally::of(json, union, kind));
    let tally = if candidates.len() > 1 { tallied() } else { None };
    let unfilled = |i: &usize| fill::unfilled(|| (members[*i].decode)(json));
    // First the members that keep the whole value, in order...
    let keeps_all = |i: &&usize| tally.as_ref().is_none_or(|tally| tally.keeps_all(**i));
    if let Some(decoded) = candidates.iter().filter(keeps_all).find_map(unfilled) {
        return Ok(decoded);
    }
    // ...then the others, fewest losses first (the first of those losing as much)...
    if let Some(tally) = &tally {
        let mut lossy: Vec<(usize, usize)> = candidates
            .iter()
            .filter(|i| !keeps_all(i) && !tally.failed[**i])
            .map(|i| (tally.lost(*i), *i))
            .collect();
        lossy.sort_by_key(|(lost, _)| *lost);
        if let Some(decoded) = lossy.iter().map(|(_, i)| i).find_map(unfilled) {
            return Ok(decoded);
        }
    }
    // ...then, of those that keep every key, the one that fills in fewest fields (unless
    // this union is inside a member on trial, which must take the value as it is).
    if fill::in_trial() {
        return raw_json(json, unknown);
    }
    let tally = tally.or_else(tallied);
    let keeps_keys = |i: &&usize| tally.as_ref().is_none_or(|tally| tally.keeps_keys(**i));
    let fills = |i: &usize| {
        let mark = fill::mark();
        let decoded = (members[*i].decode)(json).is_some();
        let fills = fill::mark() - mark;
        fill::rollback(mark);
        decoded.then_some(fills)
    };
    let may_fill = |i: usize, fills: usize| tally.as_ref().is_none_or(|tally| tally.may_fill(i, fills));
    let fewest = candidates
        .iter()
        .filter(keeps_keys)
        .filter_map(|i| Some((fills(i)?, *i)))
        .filter(|(fills, i)| may_fill(*i, *fills))
        .min();
    if let Some(decoded) = fewest.and_then(|(_, i)| (members[i].decode)(json)) {
        return Ok(decoded);
    }
    raw_json(json, unknown)
}

/// The union's raw-JSON variant, holding `json`.
fn raw_json<U, E: de::Error>(json: &str, unknown: fn(Value) -> U) -> Result<U, E> {
    serde_json::from_str(json).map(unknown).map_err(de::Error::custom)
}

/// A union tagged by a property: each member's tag value, with how it decodes.
pub(crate) struct Tagged<U: 'static> {
    /// The property that holds the tag.
    pub(crate) tag: &'static str,
    /// Each tag value, with its member's `decode` (as a [`Member`]'s).
    pub(crate) variants: &'static [(&'static str, Decode<U>)],
}

/// The member of a tagged union its tag names, decoded once from the JSON text (serde's
/// `tag` would buffer the value first); `unknown` with the raw JSON when the tag is
/// missing or unknown, or the member does not decode.
pub(crate) fn decode_tagged<'de, D, U>(deserializer: D, tagged: &Tagged<U>, unknown: fn(Value) -> U) -> Result<U, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = capture(deserializer)?;
    let json = raw.get();
    let mut reader = serde_json::Deserializer::from_str(json);
    let tag = (&mut reader).deserialize_any(TagOf(tagged.tag)).ok().flatten();
    let variant = tagged.variants.iter().find(|(value, _)| tag.as_ref().is_some_and(|tag| tag.0 == *value));
    match variant.and_then(|(_, decode)| decode(json)) {
        Some(decoded) => Ok(decoded),
        None => raw_json(json, unknown),
    }
}

/// Reads the value of property `.0` of an object, when it is a string (the rest of the
/// object is read too: serde_json checks that it ends).
struct TagOf(&'static str);

impl<'de> Visitor<'de> for TagOf {
    type Value = Option<Key<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut tag = None;
        while let Some(Key(key)) = map.next_key()? {
            if key == self.0 && tag.is_none() {
                tag = map.next_value::<Option<Key>>().ok().flatten();
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(tag)
    }
}

/// The value as JSON text. serde_json hands its text over as it is; another deserializer
/// (serde's buffer in a tagged enum or a flattened map) gives a value, written as text.
fn capture<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<RawValue>, D::Error> {
    <Box<RawValue>>::deserialize(Capture(deserializer))
}

/// A deserializer that lets serde_json's `RawValue` ask for the text, and falls back on
/// the value when the deserializer it wraps does not know how to give it.
struct Capture<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Capture<D> {
    type Error = D::Error;

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, TextOrValue { name, visitor })
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The visitor of [`Capture`]: serde_json's text goes to `RawValue`'s own visitor; any
/// other deserializer's value is read whole, and `RawValue` takes it from that value.
struct TextOrValue<V> {
    name: &'static str,
    visitor: V,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TextOrValue<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(map)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        let value = Value::deserialize(deserializer)?;
        value.deserialize_newtype_struct(self.name, self.visitor).map_err(de::Error::custom)
    }
}

/// What decoding a JSON text (an object, or an array of objects) as each struct member
/// would lose, read in one pass: the properties, at any depth, under the keys it lacks
/// (`null` ones excepted), as `lost_fields` counted them, and which members lack a
/// property they require (or are given an array item that is no object).
struct Tally<'j> {
    properties: &'static [(&'static str, &'static [(usize, bool)])],
    /// Which members are counted: the structs (or arrays of structs) of the JSON type.
    counted: Vec<bool>,
    /// How many members are counted.
    counting: usize,
    /// Which members cannot decode the value.
    failed: Vec<bool>,
    /// How many of its required properties each member has met in the current object.
    met: Vec<usize>,
    /// How many properties each member requires.
    required: Vec<usize>,
    /// How many of its required properties each member met, in all objects.
    found: Vec<usize>,
    /// The values (not `null`) some counted member lacks, with the members keeping them;
    /// their size is only read when no member keeps the whole value.
    lacked: Vec<(&'j str, &'static [(usize, bool)])>,
}

impl<'j> Tally<'j> {
    /// The tally of `json`, of JSON type `kind`, for the members of `union`.
    fn of<U>(json: &'j str, union: &Untagged<U>, kind: Kinds) -> Self {
        let members = union.members;
        let counted: Vec<bool> =
            members.iter().map(|member| member.required.is_some() && member.kinds.holds(kind)).collect();
        let mut tally = Tally {
            properties: union.properties,
            counting: counted.iter().filter(|counted| **counted).count(),
            counted,
            failed: vec![false; members.len()],
            met: vec![0; members.len()],
            required: members.iter().map(|member| member.required.unwrap_or(0)).collect(),
            found: vec![0; members.len()],
            lacked: Vec::new(),
        };
        let mut deserializer = serde_json::Deserializer::from_str(json);
        // The text was read once already: it is valid JSON.
        let _ = (&mut deserializer).deserialize_any(&mut tally);
        tally
    }

    /// Whether member `i` decodes the value keeping all of it (as far as the keys tell).
    fn keeps_all(&self, i: usize) -> bool {
        !self.failed[i] && (!self.counted[i] || self.lacked.iter().all(|(_, keepers)| keeps(keepers, i)))
    }

    /// Whether member `i` keeps every key of the value (it may still lack one it requires).
    fn keeps_keys(&self, i: usize) -> bool {
        !self.counted[i] || self.lacked.iter().all(|(_, keepers)| keeps(keepers, i))
    }

    /// Whether member `i` may fill in `fills` fields: no more than the value holds of
    /// those it requires (else the value is more unlike the member than like it).
    fn may_fill(&self, i: usize, fills: usize) -> bool {
        !self.counted[i] || fills <= self.found[i]
    }

    /// What member `i` loses of the value.
    fn lost(&self, i: usize) -> usize {
        let lacked = self.lacked.iter().filter(|(_, keepers)| self.counted[i] && !keeps(keepers, i));
        lacked.map(|(json, _)| serde_json::from_str::<Nested>(json).map_or(1, |Nested(_, nested)| 1 + nested)).sum()
    }

    /// The members that keep property `key`, each with whether it requires it.
    fn keepers(&self, key: &str) -> &'static [(usize, bool)] {
        let order = |name: &str| name.len().cmp(&key.len()).then_with(|| name.cmp(key));
        match self.properties.binary_search_by(|(name, _)| order(name)) {
            Ok(index) => self.properties[index].1,
            Err(_) => &[],
        }
    }

    /// Counts one object.
    fn object<A: MapAccess<'j>>(&mut self, mut map: A) -> Result<(), A::Error> {
        self.met.fill(0);
        while let Some(Key(key)) = map.next_key()? {
            let keepers = self.keepers(&key);
            let mut keeping = 0;
            for &(member, required) in keepers.iter().filter(|(member, _)| self.counted[*member]) {
                keeping += 1;
                self.met[member] += usize::from(required);
            }
            if keeping == self.counting {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            let value: &'j RawValue = map.next_value()?;
            if value.get().trim() != "null" {
                self.lacked.push((value.get(), keepers));
            }
        }
        for member in 0..self.counted.len() {
            self.found[member] += self.met[member];
            if self.counted[member] && self.met[member] < self.required[member] {
                self.failed[member] = true;
            }
        }
        Ok(())
    }

    /// A value in an array that is no object: no struct decodes it.
    fn not_an_object(&mut self) {
        for (failed, counted) in self.failed.iter_mut().zip(&self.counted) {
            *failed |= *counted;
        }
    }
}

/// Whether member `i` is among the `keepers` of a property.
fn keeps(keepers: &[(usize, bool)], i: usize) -> bool {
    keepers.iter().any(|(member, _)| *member == i)
}

impl<'j> Visitor<'j> for &mut Tally<'j> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or an array")
    }

    fn visit_map<A: MapAccess<'j>>(self, map: A) -> Result<(), A::Error> {
        self.object(map)
    }

    fn visit_seq<A: SeqAccess<'j>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Item(&mut *self))?.is_some() {}
        Ok(())
    }
}

/// An item of an array, counted by the [`Tally`].
struct Item<'t, 'j>(&'t mut Tally<'j>);

impl<'j> de::DeserializeSeed<'j> for Item<'_, 'j> {
    type Value = ();

    fn deserialize<D: Deserializer<'j>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'j> Visitor<'j> for Item<'_, 'j> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'j>>(self, map: A) -> Result<(), A::Error> {
        self.0.object(map)
    }

    fn visit_seq<A: SeqAccess<'j>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.not_an_object();
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.0.not_an_object();
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.visit_bool(false)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.visit_bool(false)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.visit_bool(false)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.visit_bool(false)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_bool(false)
    }
}

/// A property name, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
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
