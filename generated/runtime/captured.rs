//! A union's value, read once: an object's keys with the JSON text of each value, an
//! array's items as text, or a value that holds no others. The union chooses its member
//! from the keys and decodes it from there, each text parsed when the member reads it,
//! so a nested value is read once per union level rather than copied, tallied and
//! parsed again.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Number, Value};

/// A JSON value as a union reads it.
pub(crate) enum Captured<'de> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'de, str>),
    /// The items' texts.
    Array(Vec<Text<'de>>),
    /// The keys, each with its value's text, in the order the value holds them.
    Object(Vec<(Cow<'de, str>, Text<'de>)>),
}

impl Captured<'_> {
    /// The value as a `serde_json::Value` (for the raw-JSON variant of a union, and for
    /// the path-keeping pass of [`fill`](super::fill)).
    pub(crate) fn to_value(&self) -> serde_json::Result<Value> {
        Ok(match self {
            Captured::Null => Value::Null,
            Captured::Bool(value) => Value::Bool(*value),
            Captured::Number(value) => Value::Number(value.clone()),
            Captured::String(value) => Value::String(value.clone().into_owned()),
            Captured::Array(items) => {
                Value::Array(items.iter().map(|item| serde_json::from_str(item)).collect::<Result<_, _>>()?)
            }
            Captured::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, text)| Ok((key.clone().into_owned(), serde_json::from_str(text)?)))
                    .collect::<serde_json::Result<_>>()?,
            ),
        })
    }

    /// The text of a JSON value, read.
    pub(crate) fn from_text(json: &str) -> serde_json::Result<Captured<'_>> {
        serde_json::from_str(json)
    }
}

impl<'de> Deserialize<'de> for Captured<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CapturedVisitor)
    }
}

struct CapturedVisitor;

impl<'de> Visitor<'de> for CapturedVisitor {
    type Value = Captured<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Captured<'de>, E> {
        Ok(Captured::Null)
    }

    fn visit_none<E>(self) -> Result<Captured<'de>, E> {
        Ok(Captured::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Captured<'de>, D::Error> {
        Captured::deserialize(deserializer)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Captured<'de>, E> {
        Ok(Captured::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Captured<'de>, E> {
        Ok(Captured::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Captured<'de>, E> {
        Ok(Captured::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Captured<'de>, E> {
        Number::from_f64(value).map(Captured::Number).ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Captured<'de>, E> {
        Ok(Captured::String(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Captured<'de>, E> {
        Ok(Captured::String(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Captured<'de>, E> {
        Ok(Captured::String(Cow::Owned(value)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Captured<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Captured::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Captured<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(32).min(64));
        while let Some(key) = map.next_key_seed(KeyText)? {
            entries.push((key, map.next_value()?));
        }
        Ok(Captured::Object(entries))
    }
}

/// Reads a property name, borrowed from the input when it has no escapes.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E>(self, text: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text))
    }
}

/// The JSON text of a value: borrowed from the input when serde_json reads a slice or a
/// str (the client's case), else written out from the value another deserializer gives.
pub(crate) struct Text<'de>(Cow<'de, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde_json hands a value's text to whoever asks under `RawValue`'s name.
        deserializer.deserialize_newtype_struct(raw_value_name(), TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    /// serde_json (and its `Value`) give the text as the single value of a map.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text<'de>, A::Error> {
        map.next_key::<IgnoredAny>()?;
        map.next_value_seed(KeyText).map(Text)
    }

    /// Another deserializer (serde's buffer in a flattened struct) gives the value.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text<'de>, D::Error> {
        Ok(Text(Cow::Owned(Value::deserialize(deserializer)?.to_string())))
    }
}

/// The name serde_json's `RawValue` gives `deserialize_newtype_struct` to ask for the
/// text of a value, learnt once from `RawValue` itself.
fn raw_value_name() -> &'static str {
    static NAME: OnceLock<&'static str> = OnceLock::new();
    NAME.get_or_init(|| match <Box<RawValue>>::deserialize(NameOf) {
        Err(Named(name)) => name,
        Ok(_) => "",
    })
}

/// A deserializer that fails with the name of the newtype struct asked of it.
struct NameOf;

#[derive(Debug)]
struct Named(&'static str);

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Named {}

impl de::Error for Named {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Named("")
    }
}

impl<'de> Deserializer<'de> for NameOf {
    type Error = Named;

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, _: V) -> Result<V::Value, Named> {
        Err(Named(name))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Named> {
        Err(Named(""))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A member decodes from the captured value as it would from its text.
impl<'de> Deserializer<'de> for &'de Captured<'_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> serde_json::Result<V::Value> {
        match self {
            Captured::Null => visitor.visit_unit(),
            Captured::Bool(value) => visitor.visit_bool(*value),
            Captured::Number(value) => value.deserialize_any(visitor),
            Captured::String(value) => visitor.visit_borrowed_str(value),
            Captured::Array(items) => visitor.visit_seq(Items(items.iter())),
            Captured::Object(entries) => visitor.visit_map(Entries { entries: entries.iter(), value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> serde_json::Result<V::Value> {
        match self {
            Captured::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> serde_json::Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> serde_json::Result<V::Value> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier
    }
}

/// The items of a captured array, each parsed from its text.
struct Items<'a, 'de>(std::slice::Iter<'a, Text<'de>>);

impl<'a> SeqAccess<'a> for Items<'a, '_> {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> serde_json::Result<Option<S::Value>> {
        self.0.next().map(|item| seed.deserialize(&mut serde_json::Deserializer::from_str(item))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of a captured object, each value parsed from its text.
struct Entries<'a, 'de> {
    entries: std::slice::Iter<'a, (Cow<'de, str>, Text<'de>)>,
    value: Option<&'a str>,
}

impl<'a> MapAccess<'a> for Entries<'a, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> serde_json::Result<Option<S::Value>> {
        match self.entries.next() {
            Some((key, text)) => {
                self.value = Some(text);
                seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> serde_json::Result<S::Value> {
        let text = self.value.take().ok_or_else(|| de::Error::custom("a value without its key"))?;
        seed.deserialize(&mut serde_json::Deserializer::from_str(text))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
