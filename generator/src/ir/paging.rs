//! Recognising listings that continue page after page.
//!
//! A response pages when it holds an array of items and a `pagination` object whose
//! `next` is the cursor of the following page, and the operation takes that cursor in
//! an optional query parameter: `until` for timestamp cursors, `next` or `from` for
//! continuation tokens. The response, and the `pagination` object itself, may be
//! unions of which some variants carry the page.

use super::model::{
    Api, Field, NextCursor, Operation, PageFields, PageLocation, Paging, Param, ParamLocation,
    TypeKind, TypeRef,
};

/// The property that holds the page's pagination object.
const PAGINATION_PROPERTY: &str = "pagination";

/// The property of the pagination object that holds the next page's cursor.
const NEXT_PROPERTY: &str = "next";

/// Query parameters that take the cursor, in order of preference.
const CURSOR_PARAMETERS: &[&str] = &["until", "next", "from"];

/// How the operation `op` of `api` pages, if it does.
pub fn paging_of(api: &Api, op: &Operation) -> Option<Paging> {
    let mut successes = op.successes();
    let response = successes.next()?;
    if successes.next().is_some() || response.stream.is_some() {
        return None;
    }
    let body = response.body.as_ref()?;
    let cursor_param = cursor_parameter(op)?;
    let items_hint = last_literal_segment(&op.path);
    let (location, item) = match kind(api, body)? {
        TypeKind::Struct(_) => {
            let (fields, item) = page_fields(api, body, items_hint)?;
            (PageLocation::Direct(fields), item)
        }
        TypeKind::Union(union) => union.variants.iter().find_map(|variant| {
            let (fields, item) = page_fields(api, &variant.ty, items_hint)?;
            let location = PageLocation::InVariant {
                union: body.named()?.to_owned(),
                variant: variant.rust_name.clone(),
                fields,
            };
            Some((location, item))
        })?,
        _ => return None,
    };
    Some(Paging {
        cursor_param: cursor_param.rust_name.clone(),
        cursor_wire_name: cursor_param.wire_name.clone(),
        cursor_ty: cursor_param.ty.clone(),
        item,
        location,
    })
}

/// The optional query parameter that takes the cursor.
fn cursor_parameter(op: &Operation) -> Option<&Param> {
    CURSOR_PARAMETERS.iter().find_map(|wire| {
        op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && p.wire_name == *wire
                && is_scalar_cursor(&p.ty)
        })
    })
}

fn is_scalar_cursor(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Number | TypeRef::Integer)
}

/// The last literal segment of a path template (`members` for `/v3/teams/{teamId}/members`).
fn last_literal_segment(path: &str) -> &str {
    path.rsplit('/')
        .find(|segment| !segment.is_empty() && !segment.starts_with('{'))
        .unwrap_or("")
}

/// The shape of a named type, looked through nullability and boxing.
fn kind<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a TypeKind> {
    api.types.get(ty.named()?).map(|def| &def.kind)
}

/// Does a field hold an `Option` in Rust?
fn is_optional(field: &Field) -> bool {
    !field.required || matches!(field.ty, TypeRef::Nullable(_))
}

/// The type without nullability or boxing.
fn bare(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => bare(inner),
        other => other,
    }
}

/// The items and pagination fields of a struct type, and the item type.
fn page_fields(api: &Api, ty: &TypeRef, items_hint: &str) -> Option<(PageFields, TypeRef)> {
    let TypeKind::Struct(page) = kind(api, ty)? else {
        return None;
    };
    let pagination = page.fields.iter().find(|f| f.wire_name == PAGINATION_PROPERTY)?;
    let next = next_cursor(api, &pagination.ty)?;
    let arrays: Vec<(&Field, &TypeRef)> = page
        .fields
        .iter()
        .filter_map(|f| match bare(&f.ty) {
            TypeRef::Array(item) => Some((f, item.as_ref())),
            _ => None,
        })
        .collect();
    let (items, item) = match arrays.as_slice() {
        [only] => *only,
        several => *several.iter().find(|(f, _)| f.wire_name == items_hint)?,
    };
    let fields = PageFields {
        items_field: items.rust_name.clone(),
        items_wire_name: items.wire_name.clone(),
        items_optional: is_optional(items),
        pagination_field: pagination.rust_name.clone(),
        pagination_optional: is_optional(pagination),
        next,
    };
    Some((fields, item.clone()))
}

/// Where the cursor is in a pagination object: a struct's `next`, or the `next` of
/// each variant of a union of such structs.
fn next_cursor(api: &Api, pagination: &TypeRef) -> Option<NextCursor> {
    match kind(api, pagination)? {
        TypeKind::Struct(_) => next_field(api, pagination),
        TypeKind::Union(union) => {
            let variants: Vec<(String, Option<NextCursor>)> = union
                .variants
                .iter()
                .map(|v| (v.rust_name.clone(), next_field(api, &v.ty)))
                .collect();
            variants.iter().any(|(_, next)| next.is_some()).then(|| NextCursor::InUnion {
                union: pagination.named().unwrap_or_default().to_owned(),
                variants,
                unknown_variant: union.unknown_variant.clone(),
            })
        }
        _ => None,
    }
}

/// The `next` field of a pagination struct, when it is a scalar.
fn next_field(api: &Api, pagination: &TypeRef) -> Option<NextCursor> {
    let TypeKind::Struct(object) = kind(api, pagination)? else {
        return None;
    };
    let next = object.fields.iter().find(|f| f.wire_name == NEXT_PROPERTY)?;
    let ty = bare(&next.ty);
    is_scalar_cursor(ty).then(|| NextCursor::Field {
        field: next.rust_name.clone(),
        ty: ty.clone(),
        optional: is_optional(next),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_literal_segment_names_the_items() {
        assert_eq!(last_literal_segment("/v3/teams/{teamId}/members"), "members");
        assert_eq!(last_literal_segment("/v6/deployments"), "deployments");
        assert_eq!(last_literal_segment("/v1/env/{id}"), "env");
    }
}
