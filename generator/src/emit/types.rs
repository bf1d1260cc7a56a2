//! Emission of named types: structs, enums, unions and aliases.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

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
    let all_optional = s.fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|field| field_def(ctx, field, &def.group));
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
        pub struct #name {
            #(#fields)*
            #additional
        }

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
    quote! {
        #cfg
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

fn field_def(ctx: &Context<'_>, field: &Field, group: &str) -> TokenStream {
    let name = ident(&field.rust_name);
    let doc = doc_attrs([field.doc.as_deref()]);
    let wire = &field.wire_name;
    let rename = (field.rust_name != *wire).then(|| quote!(rename = #wire,));
    let inner = type_tokens(ctx, &field.ty, group);
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    let (ty, extra) = match (field.required, nullable) {
        (true, false) => (inner, quote!()),
        // Required but nullable: always sent (as null when None), tolerated when missing.
        (true, true) => (inner, quote!(default,)),
        (false, true) => (
            inner,
            quote!(default, skip_serializing_if = "Option::is_none",),
        ),
        (false, false) => (
            quote!(Option<#inner>),
            quote!(default, skip_serializing_if = "Option::is_none",),
        ),
    };
    let attrs = quote!(#rename #extra);
    let serde = (!attrs.is_empty()).then(|| quote!(#[serde(#attrs)]));
    quote! {
        #doc
        #serde
        pub #name: #ty,
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
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know.
            #[serde(untagged)]
            #unknown(String),
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
        pub enum #name {
            #(#variants)*
            /// A shape this version of the crate does not know, kept as raw JSON.
            #[serde(untagged)]
            #unknown(serde_json::Value),
        }
    }
}

/// `Deserialize` of an untagged union: the member that keeps most of the value (see the
/// runtime's `decode_untagged`), else the raw JSON.
fn untagged_deserialize(ctx: &Context<'_>, def: &TypeDef, u: &Union, cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&u.unknown_variant);
    let members = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(ctx, &v.ty, &def.group);
        quote!(|value| <#ty as serde::Deserialize>::deserialize(value).ok().map(#name::#variant),)
    });
    quote! {
        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                const MEMBERS: &[crate::runtime::Member<#name>] = &[#(#members)*];
                Ok(crate::runtime::decode_untagged(&value, MEMBERS).unwrap_or(Self::#unknown(value)))
            }
        }
    }
}
