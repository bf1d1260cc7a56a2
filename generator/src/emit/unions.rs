//! Emission of unions: tagged ones, untagged ones (with the table the runtime chooses
//! their member by) and those read by JSON type.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::builders::needs_value;
use super::types::{ident, type_tokens};
use super::Context;
use crate::ir::{Struct, TypeDef, TypeKind, TypeRef, Union};

pub(super) fn union_def(ctx: &Context<'_>, def: &TypeDef, u: &Union, cfg: Option<&TokenStream>) -> TokenStream {
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
    let deserialize = tagged_deserialize(ctx, def, u, tag, cfg);
    quote! {
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(tag = #tag)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A shape this version of the crate does not know, kept as raw JSON.
            #[serde(untagged)]
            #unknown(serde_json::Value),
        }

        #deserialize
    }
}

/// `Deserialize` of a union tagged by property `tag`: the member its tag names, decoded
/// once from the text (see the runtime's `decode_tagged`), else the raw JSON.
fn tagged_deserialize(ctx: &Context<'_>, def: &TypeDef, u: &Union, tag: &str, cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&u.unknown_variant);
    let variants = u.variants.iter().filter_map(|v| {
        let value = v.tag_value.as_deref()?;
        let variant = ident(&v.rust_name);
        let ty = type_tokens(ctx, &v.ty, &def.group);
        Some(quote!((#value, |json| crate::runtime::member::<#ty>(json).map(#name::#variant)),))
    });
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                const TAGGED: crate::runtime::Tagged<#name> = crate::runtime::Tagged {
                    tag: #tag,
                    variants: &[#(#variants)*],
                };
                crate::runtime::decode_tagged(deserializer, &TAGGED, Self::#unknown)
            }
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
