//! Emission of what users build requests with: `new` and the field setters of the
//! structs requests send.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{allows_deprecated, deprecated_attr, ident, type_tokens};
use super::Context;
use crate::ir::{null_sentences, Field, Struct, TypeDef, TypeRef};

/// Does a field need a value to build its struct (required, and not nullable)?
pub(super) fn needs_value(field: &Field) -> bool {
    field.required && !matches!(field.ty, TypeRef::Nullable(_))
}

/// The type of a field's value: its type, less the `Nullable` of a nullable one.
pub(super) fn value_type(field: &Field) -> &TypeRef {
    match &field.ty {
        TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    }
}

/// How a constructor or setter takes a field's value: text as `impl Into<String>`,
/// optional values unwrapped.
struct FieldInput {
    /// The parameter's type.
    ty: TokenStream,
    /// The expression stored in the field, from the parameter of the field's name.
    stored: TokenStream,
    /// Whether the parameter is stored as it is (`Self { name }` suffices).
    as_is: bool,
}

fn field_input(ctx: &Context<'_>, def: &TypeDef, field: &Field) -> FieldInput {
    let name = ident(&field.rust_name);
    let (ty, value, converted) = match value_type(field) {
        TypeRef::String => (quote!(impl Into<String>), quote!(#name.into()), true),
        other => (type_tokens(ctx, other, &def.group), quote!(#name), false),
    };
    if needs_value(field) {
        FieldInput { ty, stored: value, as_is: !converted }
    } else if ctx.sends_null(def, field) {
        FieldInput { ty, stored: quote!(crate::Nullable::Value(#value)), as_is: false }
    } else {
        FieldInput { ty, stored: quote!(Some(#value)), as_is: false }
    }
}

/// `new` with the fields a value needs, and a `with_` setter for each of the others
/// (and a `clear_` setter, sending `null`, for each that has three states): the struct
/// is `#[non_exhaustive]`, so this is how users build what they send.
pub(super) fn constructors(ctx: &Context<'_>, def: &TypeDef, s: &Struct, cfg: Option<&TokenStream>) -> TokenStream {
    let name = ident(&def.name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for field in &s.fields {
        let field_name = ident(&field.rust_name);
        let FieldInput { ty: input, stored, as_is } = field_input(ctx, def, field);
        if needs_value(field) {
            args.push(quote!(#field_name: #input));
            inits.push(if as_is { quote!(#field_name,) } else { quote!(#field_name: #stored,) });
            continue;
        }
        let three_state = ctx.sends_null(def, field);
        inits.push(if three_state { quote!(#field_name: crate::Nullable::Absent,) } else { quote!(#field_name: None,) });
        let setter = quote::format_ident!("with_{}", field.rust_name.trim_start_matches("r#"));
        let doc = format!(" Sets [`{0}`](Self::{0}).", field.rust_name);
        let deprecated = deprecated_attr(field.deprecated, "field");
        setters.push(quote! {
            #[doc = #doc]
            #deprecated
            pub fn #setter(mut self, #field_name: #input) -> Self {
                self.#field_name = #stored;
                self
            }
        });
        if three_state {
            setters.push(clear_setter(field));
        }
    }
    if let Some(additional) = &s.additional {
        let field_name = ident(&additional.rust_name);
        inits.push(quote!(#field_name: std::collections::BTreeMap::new(),));
    }
    let new_doc = format!(" A `{}` with the fields it needs; the others are unset.", def.name);
    let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let allow_deprecated = allows_deprecated(s);
    quote! {
        #cfg
        #allow_deprecated
        impl #name {
            #[doc = #new_doc]
            #many
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits)*
                }
            }

            #(#setters)*
        }
    }
}

/// `clear_<field>`: sends the field as `null`, documented with what the document says
/// `null` does.
fn clear_setter(field: &Field) -> TokenStream {
    let field_name = ident(&field.rust_name);
    let setter = quote::format_ident!("clear_{}", field.rust_name.trim_start_matches("r#"));
    let docs = clear_docs(field);
    let deprecated = deprecated_attr(field.deprecated, "field");
    quote! {
        #(#[doc = #docs])*
        #deprecated
        pub fn #setter(mut self) -> Self {
            self.#field_name = crate::Nullable::Null;
            self
        }
    }
}

/// The doc lines of a `clear_` setter: what it sends, then the document's sentences
/// about `null`.
fn clear_docs(field: &Field) -> Vec<String> {
    let mut docs = vec![format!(" Sends [`{0}`](Self::{0}) as `null`.", field.rust_name)];
    let sentences = field.doc.as_deref().map(null_sentences).unwrap_or_default();
    if !sentences.is_empty() {
        docs.push(String::new());
        docs.extend(sentences.iter().map(|sentence| format!(" {}", super::docs::one_line(sentence))));
    }
    docs
}
