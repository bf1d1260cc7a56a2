//! Decoding of untagged unions (`oneOf`/`anyOf` without a tag).
//!
//! Vercel's unions often overlap: a value of one member also decodes as another that
//! lacks some of its properties, and serde's `untagged` would take whichever member comes
//! first and silently drop the rest. Here every member is tried in order, and the one
//! that keeps the most of the value wins: the first member that keeps all of it, or else
//! the one that loses the fewest fields (properties a newer API added are lost by all).

use serde::Serialize;
use serde_json::Value;

/// One member of a union: decodes the value as that member, if it can.
pub(crate) type Member<U> = fn(&Value) -> Option<U>;

/// The member of a union that decodes `value` keeping most of it, or `None` when no
/// member decodes it.
pub(crate) fn decode_untagged<U: Serialize>(value: &Value, members: &[Member<U>]) -> Option<U> {
    let mut best: Option<(usize, U)> = None;
    for member in members {
        let Some(candidate) = member(value) else { continue };
        let lost = match serde_json::to_value(&candidate) {
            Ok(back) => lost_fields(value, &back),
            Err(_) => usize::MAX,
        };
        if lost == 0 {
            return Some(candidate);
        }
        if best.as_ref().is_none_or(|(fewest, _)| lost < *fewest) {
            best = Some((lost, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// How many properties and items of `original`, at any depth, are missing from `decoded`
/// (the value decoded and encoded again). A property that was `null` is not counted: an
/// absent optional field is encoded as nothing. An object or array that came back as
/// something else (serde reads a struct from an array too) is lost whole.
fn lost_fields(original: &Value, decoded: &Value) -> usize {
    match (original, decoded) {
        (Value::Object(original), Value::Object(decoded)) => original
            .iter()
            .map(|(key, value)| match decoded.get(key) {
                Some(kept) => lost_fields(value, kept),
                None if value.is_null() => 0,
                None => 1 + nested_fields(value),
            })
            .sum(),
        (Value::Array(original), Value::Array(decoded)) => {
            let kept: usize = original.iter().zip(decoded).map(|(a, b)| lost_fields(a, b)).sum();
            let dropped: usize = original.iter().skip(decoded.len()).map(|v| 1 + nested_fields(v)).sum();
            kept + dropped
        }
        (Value::Object(_) | Value::Array(_), _) => 1 + nested_fields(original),
        _ => 0,
    }
}

/// How many properties a value holds at any depth.
fn nested_fields(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().map(|v| 1 + nested_fields(v)).sum(),
        Value::Array(items) => items.iter().map(nested_fields).sum(),
        _ => 0,
    }
}
