//! Emission of named types: structs, enums, unions and aliases.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::builders::{self, needs_value};
use super::docs::doc_attrs;
use super::Context;
use crate::ir::{feature_name, Enum, Field, Struct, TypeDef, TypeKind, TypeRef, Union, SHARED_GROUP};

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
        TypeKind::Union(u) => union_def(ctx, def, u, cfg.as_ref()),
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
    let fields = s.fields.iter().map(|field| field_def(ctx, def, field));
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

fn field_def(ctx: &Context<'_>, def: &TypeDef, field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let doc = doc_attrs([field.doc.as_deref()]);
    let deprecated = deprecated_attr(field.deprecated, "field");
    let wire = &field.wire_name;
    let rename = (field.rust_name != *wire).then(|| quote!(rename = #wire,));
    let (ty, extra) = field_type(ctx, def, field);
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
fn field_type(ctx: &Context<'_>, def: &TypeDef, field: &Field) -> (TokenStream, TokenStream) {
    let skip_none = quote!(default, skip_serializing_if = "Option::is_none",);
    if ctx.sends_null(def, field) {
        // Optional and nullable in a request-only type: left out, `null` or a value.
        let value = type_tokens(ctx, builders::value_type(field), &def.group);
        return (quote!(crate::Nullable<#value>), quote!(default, skip_serializing_if = "crate::Nullable::is_absent",));
    }
    let inner = type_tokens(ctx, &field.ty, &def.group);
    match (field.required, matches!(field.ty, TypeRef::Nullable(_))) {
        (true, false) => (inner, quote!()),
        // Required but nullable: always sent (as null when None), tolerated when missing.
        (true, true) => (inner, quote!(default,)),
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

fn union_def(ctx: &Context<'_>, def: &TypeDef, u: &Union, cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&u.unknown_variant);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = doc_attrs([v.doc.as_deref()]);
        let ty = type_tokens(ctx, &v.ty, &def.group);
        let rename = v.tag_value.as_deref().map(|tag| quote!(#[serde(rename = #tag)]));
        quote! {
            #doc
            #rename
            #variant(#ty),
        }
    });
    let Some(tag) = &u.tag else {
        let deserialize = untagged_deserialize(ctx, def, u, cfg);
        return quote! {
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A shape this version of the crate does not know, kept as raw JSON.
                #unknown(serde_json::Value),
            }

            #deserialize
        };
    };
    quote! {
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = #tag)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A shape this version of the crate does not know, kept as raw JSON.
            #[serde(untagged)]
            #unknown(serde_json::Value),
        }
    }
}

/// `Deserialize` of an untagged union: read by JSON type when its members take every
/// value without loss, else the member that keeps most of the value (see the runtime's
/// `decode_untagged`), else the raw JSON.
fn untagged_deserialize(ctx: &Context<'_>, def: &TypeDef, u: &Union, cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&u.unknown_variant);
    let shapes: Vec<Shape> = u.variants.iter().map(|v| shape(ctx, &v.ty, &def.name)).collect();
    if shapes.iter().all(|shape| shape.lossless) {
        return by_json_type(ctx, def, u, &shapes, cfg);
    }
    // Every property name of the struct members, with the members keeping it and whether
    // each requires it; sorted as the runtime searches them.
    let mut table: BTreeMap<(usize, &str), Vec<TokenStream>> = BTreeMap::new();
    for (member, shape) in shapes.iter().enumerate() {
        let member = proc_macro2::Literal::usize_unsuffixed(member);
        for (name, required) in shape.properties.iter().flatten() {
            table.entry((name.len(), name.as_str())).or_default().push(quote!((#member, #required)));
        }
    }
    let properties = table.iter().map(|((_, name), keepers)| quote!((#name, &[#(#keepers),*])));
    let members = u.variants.iter().zip(&shapes).map(|(v, shape)| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(ctx, &v.ty, &def.group);
        let kinds = kinds_tokens(&shape.kinds);
        let required = match &shape.properties {
            Some(names) => {
                let count = names.iter().filter(|(_, required)| *required).count();
                let count = proc_macro2::Literal::usize_unsuffixed(count);
                quote!(Some(#count))
            }
            None => quote!(None),
        };
        quote! {
            crate::runtime::Member {
                kinds: #kinds,
                required: #required,
                decode: |json| crate::runtime::member::<#ty>(json).map(#name::#variant),
            },
        }
    });
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                const UNION: crate::runtime::Untagged<#name> = crate::runtime::Untagged {
                    members: &[#(#members)*],
                    properties: &[#(#properties),*],
                };
                crate::runtime::decode_untagged(deserializer, &UNION, Self::#unknown)
            }
        }
    }
}

/// The JSON types, one at a time, in the runtime's `Kinds`.
const SINGLE_KINDS: [&str; 7] = ["NULL", "BOOL", "INTEGER", "FRACTION", "STRING", "ARRAY", "OBJECT"];

/// What a union member decodes.
struct Shape {
    /// The JSON types it may decode (names of the runtime's `Kinds`).
    kinds: Vec<&'static str>,
    /// For a struct, or an array of structs: its property names (sorted), each with
    /// whether it is required; `None` when it keeps every property.
    properties: Option<Vec<(String, bool)>>,
    /// Whether it decodes every value of its types without losing any of it.
    lossless: bool,
}

/// The shape of member type `ty` of union `union`.
fn shape(ctx: &Context<'_>, ty: &TypeRef, union: &str) -> Shape {
    let simple = |kinds: &[&'static str], lossless| Shape { kinds: kinds.to_vec(), properties: None, lossless };
    // A map or an array keeps what its values keep: all of it for raw JSON or this union.
    let keeps_all = |value: &TypeRef| match value {
        TypeRef::Json => true,
        TypeRef::Named(name) => name == union,
        _ => false,
    };
    match ty {
        TypeRef::String => simple(&["STRING"], true),
        TypeRef::Integer => simple(&["INTEGER"], false),
        TypeRef::Number => simple(&["NUMBER"], true),
        TypeRef::Boolean => simple(&["BOOL"], true),
        TypeRef::Json => simple(&["ANY"], true),
        TypeRef::JsonObject => simple(&["OBJECT"], true),
        TypeRef::Bytes => simple(&["ARRAY"], false),
        TypeRef::Array(item) => Shape {
            kinds: vec!["ARRAY"],
            properties: struct_properties(ctx, item),
            lossless: keeps_all(item),
        },
        TypeRef::Map(value) => simple(&["OBJECT"], keeps_all(value)),
        TypeRef::Nullable(inner) => {
            let mut shape = shape(ctx, inner, union);
            shape.kinds.insert(0, "NULL");
            shape.lossless = false;
            shape
        }
        TypeRef::Boxed(inner) => shape(ctx, inner, union),
        TypeRef::Named(name) => match ctx.kind_of(name) {
            Some(TypeKind::Struct(s)) => Shape { kinds: vec!["OBJECT"], properties: properties(s), lossless: false },
            Some(TypeKind::Enum(_)) => simple(&["STRING"], true),
            Some(TypeKind::Alias(target)) => shape(ctx, target, union),
            Some(TypeKind::Union(_)) | None => simple(&["ANY"], name == union),
        },
    }
}

/// The properties of the struct a type is (through aliases and boxes), when it is one
/// that keeps no additional properties.
fn struct_properties(ctx: &Context<'_>, ty: &TypeRef) -> Option<Vec<(String, bool)>> {
    match ty {
        TypeRef::Boxed(inner) => struct_properties(ctx, inner),
        TypeRef::Named(name) => match ctx.kind_of(name)? {
            TypeKind::Struct(s) => properties(s),
            TypeKind::Alias(target) => struct_properties(ctx, target),
            _ => None,
        },
        _ => None,
    }
}

/// A struct's property names, sorted, each with whether it cannot decode without it;
/// `None` when it keeps additional properties.
fn properties(s: &Struct) -> Option<Vec<(String, bool)>> {
    if s.additional.is_some() {
        return None;
    }
    let mut names: Vec<(String, bool)> = s.fields.iter().map(|f| (f.wire_name.clone(), needs_value(f))).collect();
    names.sort();
    names.dedup_by(|a, b| a.0 == b.0);
    Some(names)
}

/// A set of JSON types as the runtime's `Kinds`.
fn kinds_tokens(kinds: &[&str]) -> TokenStream {
    let mut all = kinds.iter().map(|kind| {
        let kind = ident(kind);
        quote!(crate::runtime::Kinds::#kind)
    });
    let first = all.next().unwrap_or_else(|| quote!(crate::runtime::Kinds::ANY));
    quote!(#first #(.or(#all))*)
}

/// Whether a member of `kinds` takes values of the single JSON type `kind`.
fn takes(kinds: &[&str], kind: &str) -> bool {
    kinds.iter().any(|k| {
        *k == kind || *k == "ANY" || (*k == "NUMBER" && matches!(kind, "INTEGER" | "FRACTION"))
    })
}

/// `Deserialize` of a union whose members take every value of their JSON types without
/// loss: in one pass, each value going to the first member that takes its type (what
/// keeping most of the value chooses), nested values of the union read as they come.
fn by_json_type(ctx: &Context<'_>, def: &TypeDef, u: &Union, shapes: &[Shape], cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&u.unknown_variant);
    // Each member with the single types it is the first to take, in member order; the
    // types no member takes are kept as raw JSON.
    let mut firsts: Vec<(usize, Vec<&str>)> = Vec::new();
    for kind in SINGLE_KINDS {
        let Some(first) = shapes.iter().position(|shape| takes(&shape.kinds, kind)) else { continue };
        match firsts.iter_mut().find(|(member, _)| *member == first) {
            Some((_, kinds)) => kinds.push(kind),
            None => firsts.push((first, vec![kind])),
        }
    }
    firsts.sort_by_key(|(member, _)| *member);
    let arms = firsts.into_iter().map(|(member, kinds)| {
        let pattern = kinds.iter().map(|kind| {
            let kind = ident(kind);
            quote!(crate::runtime::Kinds::#kind)
        });
        let variant = ident(&u.variants[member].rust_name);
        let ty = type_tokens(ctx, &u.variants[member].ty, &def.group);
        quote!(#(#pattern)|* => <#ty as serde::Deserialize>::deserialize(deserializer).map(Self::#variant),)
    });
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                crate::runtime::by_json_type(deserializer)
            }
        }

        #cfg
        impl crate::runtime::JsonTypes for #name {
            fn by_type<'de, D: serde::Deserializer<'de>>(
                kind: crate::runtime::Kinds,
                deserializer: D,
            ) -> std::result::Result<Self, D::Error> {
                match kind {
                    #(#arms)*
                    _ => <serde_json::Value as serde::Deserialize>::deserialize(deserializer).map(Self::#unknown),
                }
            }
        }
    }
}
