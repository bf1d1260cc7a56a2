//! Optional request properties that can also be sent as `null`.
//!
//! A request may leave such a property out, send `null` (which for many of Vercel's
//! properties clears the value or asks the API to detect it) or send a value. These
//! three states are kept only in types that requests send and no answer holds: a type
//! of one shape is shared by every place that shape occurs, and an answer's optional
//! fields stay `Option<T>`.

use std::collections::BTreeSet;

use super::model::{Api, Field, TypeDef, TypeKind, TypeRef};
use super::widen::reachable;

/// The named types requests send (through parameters and bodies) that no answer holds.
pub fn request_only(api: &Api) -> BTreeSet<String> {
    let sent = reachable(&api.types, api.operations.iter().flat_map(|op| {
        op.params.iter().map(|p| p.ty.clone()).chain(op.body.iter().map(|b| b.ty.clone()))
    }));
    let answered = answered(api);
    sent.difference(&answered).cloned().collect()
}

/// The named types some answer (a response body or a stream item) holds.
pub fn answered(api: &Api) -> BTreeSet<String> {
    reachable(
        &api.types,
        api.operations
            .iter()
            .flat_map(|op| op.responses.iter().flat_map(|r| r.body.iter().chain(r.stream.iter()).cloned())),
    )
}

/// Does a property's description say that `null` may be sent (``Send `null` to clear``,
/// ``When `null` is used``)? A property the document does not mark nullable is then
/// nullable all the same.
pub fn says_null_is_sent(doc: &str) -> bool {
    doc.contains("`null`")
}

/// Marks nullable the optional fields of request-only types whose description says
/// `null` may be sent; answers the number of fields changed.
pub(super) fn nullable_by_description(api: &mut Api) -> usize {
    let mut changed = 0;
    for def in api.types.values_mut().filter(|def| api.request_only.contains(&def.name)) {
        let TypeKind::Struct(s) = &mut def.kind else { continue };
        for field in s.fields.iter_mut().filter(|f| !f.required && !matches!(f.ty, TypeRef::Nullable(_))) {
            if field.doc.as_deref().is_some_and(says_null_is_sent) {
                field.ty = TypeRef::Nullable(Box::new(field.ty.clone()));
                changed += 1;
            }
        }
    }
    changed
}

/// Is this field of `def` one of three states (left out, `null`, a value): optional
/// and nullable, in a type only requests send?
pub fn sends_null(api: &Api, def: &TypeDef, field: &Field) -> bool {
    !field.required && matches!(field.ty, TypeRef::Nullable(_)) && api.request_only.contains(&def.name)
}

/// The sentences of a description that say what `null` does, for the doc of the setter
/// that sends it.
pub fn null_sentences(doc: &str) -> Vec<&str> {
    doc.split_inclusive(['.', '\n'])
        .map(str::trim)
        .filter(|sentence| sentence.contains("null"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_that_send_null_are_recognised() {
        assert!(says_null_is_sent("A notification. Send `null` to clear the current notification."));
        assert!(says_null_is_sent("When `null` is used this value will be automatically detected"));
        assert!(!says_null_is_sent("A notification to display."));
        assert!(!says_null_is_sent("Non-null when set."));
    }

    #[test]
    fn the_sentences_about_null_are_kept() {
        let doc = "A notification to display to your customer. Send `null` to clear the current notification.";
        assert_eq!(null_sentences(doc), ["Send `null` to clear the current notification."]);
        let doc = "The build command for this project. When `null` is used this value will be automatically detected";
        assert_eq!(null_sentences(doc), ["When `null` is used this value will be automatically detected"]);
        assert!(null_sentences("The install command.").is_empty());
    }
}
