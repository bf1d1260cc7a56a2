//! Emission of named types: structs, enums, unions and aliases.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::builders::{self, needs_value};
use super::docs::doc_attrs;
use super::Context;
use crate::ir::{feature_name, Enum, Field, Struct, TypeDef, TypeKind, TypeRef, SHARED_GROUP};

/// An identifier from a name the IR already made valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type for a type reference, seen from module `from`.
pub fn type_tokens(ctx: &Context<'_>, ty: &TypeRef, from: &str) -> TokenStream {
    type_tokens_naming(ty, &|name| ctx.type_path(name, from))
}

/// The Rust type for a type reference, with named types written by `named`.
pub fn type_tokens_naming(ty: &TypeRef, named: &dyn Fn(&str) -> TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Array(item) => {
            let item = type_tokens_naming(item, named);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens_naming(value, named);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens_naming(inner, named);
            quote!(Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens_naming(inner, named);
            quote!(Box<#inner>)
        }
        TypeRef::Named(name) => named(name),
    }
}

/// The item(s) for one named type. A type of the shared module is compiled only
/// when a feature of a group that uses it is on.
pub fn type_def(ctx: &Context<'_>, def: &TypeDef) -> TokenStream {
    let doc = doc_attrs([def.doc.as_deref()]);
    let name = ident(&def.name);
    let cfg = (def.group == SHARED_GROUP).then(|| {
        let features = def.used_by.iter().map(|group| feature_name(group));
        quote!(#[cfg(any(#(feature = #features),*))])
    });
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_def(ctx, def, s, cfg.as_ref()),
        TypeKind::Enum(e) => enum_def(&name, e, cfg.as_ref()),
        TypeKind::Union(u) => super::unions::union_def(ctx, def, u, cfg.as_ref()),
        TypeKind::Alias(target) => {
            let target = type_tokens(ctx, target, &def.group);
            quote!(pub type #name = #target;)
        }
    };
    quote! {
        #doc
        #cfg
        #body
    }
}

fn struct_def(ctx: &Context<'_>, def: &TypeDef, s: &Struct, cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let redacting = s.fields.iter().any(|f| f.secret);
    let debug = (!redacting).then(|| quote!(Debug,));
    let debug_impl = redacting.then(|| redacting_debug(def, s, cfg));
    let default = s.fields.iter().all(|f| !needs_value(f)).then(|| quote!(Default,));
    let constructors = def.sent.then(|| builders::constructors(ctx, def, s, cfg));
    let fields = s.fields.iter().enumerate().map(|(number, field)| field_def(ctx, def, field, number));
    let additional = s.additional.as_ref().map(|field| {
        let field_name = ident(&field.rust_name);
        let doc = doc_attrs([field.doc.as_deref()]);
        let value = type_tokens(ctx, &field.ty, &def.group);
        quote! {
            #doc
            #[serde(flatten)]
            pub #field_name: std::collections::BTreeMap<String, #value>,
        }
    });
    quote! {
        #[derive(#debug Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #constructors

        #debug_impl
    }
}

/// Whether a type decodes `null` itself: raw JSON, or a union (as a member, or as the
/// raw JSON it keeps).
fn decodes_null(ctx: &Context<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => true,
        TypeRef::Boxed(inner) => decodes_null(ctx, inner),
        TypeRef::Named(name) => match ctx.kind_of(name) {
            Some(TypeKind::Union(_)) => true,
            Some(TypeKind::Alias(target)) => decodes_null(ctx, target),
            _ => false,
        },
        _ => false,
    }
}


/// A `Debug` that prints `<redacted>` for credential fields.
fn redacting_debug(def: &TypeDef, s: &Struct, cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    let fields = s.fields.iter().chain(&s.additional).map(|field| {
        let field_name = ident(&field.rust_name);
        let label = &field.rust_name;
        if field.secret {
            quote!(.field(#label, &"<redacted>"))
        } else {
            quote!(.field(#label, &self.#field_name))
        }
    });
    let allow_deprecated = allows_deprecated(s);
    quote! {
        #cfg
        #allow_deprecated
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

/// `#[deprecated]` for an item the document marks deprecated (`what`: `field`,
/// `parameter`, `operation`), nothing otherwise.
pub fn deprecated_attr(deprecated: bool, what: &str) -> Option<TokenStream> {
    let note = format!("the API marks this {what} deprecated");
    deprecated.then(|| quote!(#[deprecated(note = #note)]))
}

/// `#[deprecated]` of an operation, naming the method that replaces it when the
/// document says.
pub fn operation_deprecated_attr(deprecated: bool, replaced_by: Option<&str>) -> Option<TokenStream> {
    let note = match replaced_by {
        Some(replacement) => format!("the API marks this operation deprecated; use `{replacement}` instead"),
        None => "the API marks this operation deprecated".to_owned(),
    };
    deprecated.then(|| quote!(#[deprecated(note = #note)]))
}

/// `#[allow(deprecated)]` for code of a struct that reads or writes its own deprecated
/// fields.
pub(super) fn allows_deprecated(s: &Struct) -> Option<TokenStream> {
    s.fields.iter().any(|f| f.deprecated).then(|| quote!(#[allow(deprecated)]))
}

/// A struct's field. A required field decodes through the runtime's `absent` (when the
/// answer lacks it) and `non_null` (when it holds `null` and the field is not nullable)
/// hooks, which fill it in and report it; `number` is its place among the fields.
fn field_def(ctx: &Context<'_>, def: &TypeDef, field: &Field, number: usize) -> TokenStream {
    let name = ident(&field.rust_name);
    let doc = doc_attrs([field.doc.as_deref()]);
    let deprecated = deprecated_attr(field.deprecated, "field");
    let wire = &field.wire_name;
    let rename = (field.rust_name != *wire).then(|| quote!(rename = #wire,));
    let (ty, extra) = field_type(ctx, def, field, number);
    let attrs = quote!(#rename #extra);
    let serde = (!attrs.is_empty()).then(|| quote!(#[serde(#attrs)]));
    quote! {
        #doc
        #deprecated
        #serde
        pub #name: #ty,
    }
}

/// A field's Rust type, and the serde attributes that say when it is written.
fn field_type(ctx: &Context<'_>, def: &TypeDef, field: &Field, number: usize) -> (TokenStream, TokenStream) {
    let skip_none = quote!(default, skip_serializing_if = "Option::is_none",);
    if ctx.sends_null(def, field) {
        // Optional and nullable in a request-only type: left out, `null` or a value.
        let value = type_tokens(ctx, builders::value_type(field), &def.group);
        return (quote!(crate::Nullable<#value>), quote!(default, skip_serializing_if = "crate::Nullable::is_absent",));
    }
    let inner = type_tokens(ctx, &field.ty, &def.group);
    let absent = format!("crate::runtime::absent::<{number}, _>");
    match (field.required, matches!(field.ty, TypeRef::Nullable(_))) {
        // Raw JSON and unions decode `null` themselves.
        (true, false) if decodes_null(ctx, &field.ty) => (inner, quote!(default = #absent,)),
        (true, false) => (inner, quote!(default = #absent, deserialize_with = "crate::runtime::non_null",)),
        // Required but nullable: always sent (as null when None).
        (true, true) => (inner, quote!(default = #absent,)),
        (false, true) => (inner, skip_none),
        (false, false) => (quote!(Option<#inner>), skip_none),
    }
}

fn enum_def(name: &Ident, e: &Enum, cfg: Option<&TokenStream>) -> TokenStream {
    let unknown = ident(&e.unknown_variant);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        let doc = format!(" {}", super::docs::code(value));
        quote! {
            #[doc = #doc]
            #[serde(rename = #value)]
            #variant,
        }
    });
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let from_text = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know.
            #[serde(untagged)]
            #unknown(String),
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                crate::runtime::string_enum(deserializer, |text| match text {
                    #(#from_text)*
                    other => Self::#unknown(other.to_owned()),
                })
            }
        }

        #cfg
        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::#unknown(value) => value,
                }
            }
        }

        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
