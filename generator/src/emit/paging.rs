//! Emission of `paginate()`: a builder method streaming every item of a listing.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::code;
use super::types::{ident, type_tokens};
use super::Context;
use crate::ir::{NextCursor, Operation, PageFields, PageLocation, Paging, TypeRef};

/// The `paginate` method of an operation's builder, when the operation pages.
pub fn paginate_method(ctx: &Context<'_>, op: &Operation) -> Option<TokenStream> {
    let paging = op.paging.as_ref()?;
    let group = op.group.as_str();
    let item = type_tokens(ctx, &paging.item, group);
    let error = ident(&op.error_enum);
    let param = ident(&paging.cursor_param);
    let split = split_page(ctx, paging, group);
    let doc = format!(
        " Every item of {items}, page after page: sends the request, then sends it again \
         with {cursor} set to the cursor of each answer's `pagination.next`, until a page \
         is empty or has no next page. An error ends the stream, and so does a cursor \
         the server gave before (a listing that would go round for ever) or a page past \
         the page limit (`max_pages`): both are [`Error::Pagination`](crate::Error::Pagination).",
        items = code(items_wire_name(&paging.location)),
        cursor = code(&paging.cursor_wire_name),
    );
    Some(quote! {
        #[doc = #doc]
        pub fn paginate(self) -> crate::Paginated<#item, #error> {
            let first_cursor = self.#param.as_ref().map(ToString::to_string);
            let pages = crate::runtime::Pages::new(<Self as crate::runtime::Exchange>::ENDPOINT.operation, &self.client, &self.options, first_cursor);
            crate::runtime::paginate(pages, self, |request: Self| async move {
                let next_request = request.clone();
                let response = request.send().await?;
                let (items, cursor) = #split;
                let next_request = cursor.map(|cursor| {
                    (cursor.to_string(), Self { #param: Some(cursor), ..next_request })
                });
                Ok((items, next_request))
            })
        }
    })
}

fn items_wire_name(location: &PageLocation) -> &str {
    match location {
        PageLocation::Direct(fields) | PageLocation::InVariant { fields, .. } => &fields.items_wire_name,
    }
}

/// The expression splitting `response` into `(items, cursor)`, the cursor an `Option`
/// of the cursor parameter's type.
fn split_page(ctx: &Context<'_>, paging: &Paging, group: &str) -> TokenStream {
    match &paging.location {
        PageLocation::Direct(fields) => {
            let split = split_fields(ctx, fields, &paging.cursor_ty, group);
            quote! {{
                let page = response;
                #split
            }}
        }
        PageLocation::InVariant {
            union,
            variant,
            fields,
        } => {
            let union = type_tokens(ctx, &TypeRef::Named(union.clone()), group);
            let variant = ident(variant);
            let split = split_fields(ctx, fields, &paging.cursor_ty, group);
            quote! {
                match response {
                    #union::#variant(page) => #split,
                    _ => (Vec::new(), None),
                }
            }
        }
    }
}

/// `(items, cursor)` from the page struct bound to `page`.
fn split_fields(ctx: &Context<'_>, fields: &PageFields, cursor_ty: &TypeRef, group: &str) -> TokenStream {
    let items = ident(&fields.items_field);
    let items = if fields.items_optional {
        quote!(page.#items.unwrap_or_default())
    } else {
        quote!(page.#items)
    };
    let pagination = ident(&fields.pagination_field);
    let cursor = if fields.pagination_optional {
        let cursor = cursor_of(ctx, &fields.next, quote!(pagination), cursor_ty, group);
        quote!(page.#pagination.and_then(|pagination| #cursor))
    } else {
        cursor_of(ctx, &fields.next, quote!(page.#pagination), cursor_ty, group)
    };
    quote!((#items, #cursor))
}

/// The cursor, as an `Option` of the parameter's type, of the pagination object that
/// `pagination` evaluates to.
fn cursor_of(
    ctx: &Context<'_>,
    next: &NextCursor,
    pagination: TokenStream,
    cursor_ty: &TypeRef,
    group: &str,
) -> TokenStream {
    match next {
        NextCursor::Field { field, ty, optional } => {
            let field = ident(field);
            let value = if *optional {
                quote!(#pagination.#field)
            } else {
                quote!(Some(#pagination.#field))
            };
            convert(value, ty, cursor_ty)
        }
        NextCursor::InUnion {
            union,
            variants,
            unknown_variant,
        } => {
            let union = type_tokens(ctx, &TypeRef::Named(union.clone()), group);
            let arms = variants.iter().map(|(variant, next)| {
                let variant = ident(variant);
                match next {
                    Some(next) => {
                        let cursor = cursor_of(ctx, next, quote!(variant), cursor_ty, group);
                        quote!(#union::#variant(variant) => #cursor,)
                    }
                    None => quote!(#union::#variant(_) => None,),
                }
            });
            let unknown = ident(unknown_variant);
            quote! {
                match #pagination {
                    #(#arms)*
                    #union::#unknown(_) => None,
                }
            }
        }
    }
}

/// Converts an `Option` of the cursor's type into one of the parameter's type. Paging
/// admits only `String`, `Number` and `Integer`, so the last arm is the same type.
fn convert(value: TokenStream, from: &TypeRef, to: &TypeRef) -> TokenStream {
    match (from, to) {
        (TypeRef::Number | TypeRef::Integer, TypeRef::String) => {
            quote!(#value.map(|cursor| cursor.to_string()))
        }
        (TypeRef::String, TypeRef::Number | TypeRef::Integer) => {
            quote!(#value.and_then(|cursor| cursor.parse().ok()))
        }
        (TypeRef::Number, TypeRef::Integer) => quote!(#value.map(|cursor| cursor as i64)),
        (TypeRef::Integer, TypeRef::Number) => quote!(#value.map(|cursor| cursor as f64)),
        _ => value,
    }
}
