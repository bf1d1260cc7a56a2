//! Emission of operations: a `Client` method and a request builder for each.
//!
//! The call shape is the same for every operation: path parameters, required
//! query and header parameters, and a required body are arguments of the
//! `Client` method, which returns a builder. Optional parameters and an
//! optional body are builder methods. The builder is sent with `.send().await`
//! or simply `.await`. It resolves to the success value, or to
//! `Error<{Op}Error>`, whose `Api` variant holds the operation's declared error
//! responses.

use proc_macro2::TokenStream;
use heck::ToSnakeCase;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::paging::paginate_method;
use super::types::{deprecated_attr, ident, operation_deprecated_attr, type_tokens};
use super::Context;
use crate::ir::{
    BodyEncoding, Method, Operation, Param, ParamLocation, PathSegment, Response, TeamScope,
    TypeKind, TypeRef,
};

/// Is a parameter an argument of the client method (rather than a builder setter)?
fn is_argument(param: &Param) -> bool {
    param.required
}

/// The type a parameter is stored as. Path parameters that are neither scalars nor
/// enums are taken as text.
fn param_type(ctx: &Context<'_>, param: &Param) -> TypeRef {
    let displayable = match &param.ty {
        TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean => true,
        TypeRef::Named(name) => matches!(ctx.kind_of(name), Some(TypeKind::Enum(_))),
        _ => false,
    };
    if param.location == ParamLocation::Path && !displayable {
        return TypeRef::String;
    }
    param.ty.clone()
}

/// The `Client` getter of the client-wide team a parameter falls back to.
fn team_scope_getter(param: &Param) -> Option<proc_macro2::Ident> {
    param.team_scope.map(|scope| match scope {
        TeamScope::TeamId => format_ident!("team_id"),
        TeamScope::Slug => format_ident!("team_slug"),
    })
}

/// The argument type of a body, and whether it is converted (`.into()`) to the stored type.
fn argument(ctx: &Context<'_>, ty: &TypeRef, group: &str) -> (TokenStream, bool) {
    match ty {
        TypeRef::String => (quote!(impl Into<String>), true),
        TypeRef::Bytes => (quote!(impl Into<Vec<u8>>), true),
        other => (type_tokens(ctx, other, group), false),
    }
}

/// The argument type of a parameter, and the expression converting the argument `name`
/// to the stored type (`None`: stored as it is): text takes anything `Display` (`"100"`
/// or `100`), a number any integer or float; the stored type, and so the wire form,
/// stays what the document declares.
fn param_argument(
    ctx: &Context<'_>,
    ty: &TypeRef,
    group: &str,
    name: &proc_macro2::Ident,
) -> (TokenStream, Option<TokenStream>) {
    match ty {
        TypeRef::String => (quote!(impl std::fmt::Display), Some(quote!(#name.to_string()))),
        TypeRef::Number => (quote!(impl crate::Number), Some(quote!(crate::Number::to_f64(#name)))),
        TypeRef::Bytes => (quote!(impl Into<Vec<u8>>), Some(quote!(#name.into()))),
        other => (type_tokens(ctx, other, group), None),
    }
}

/// The success type of an operation, and the expression that decodes it from `response`
/// (in an `async fn`).
fn success(ctx: &Context<'_>, op: &Operation) -> (TokenStream, TokenStream) {
    if let Some(item) = stream_only(op) {
        let item = type_tokens(ctx, item, &op.group);
        return (quote!(crate::JsonStream<#item>), quote!(Ok(response.json_stream())));
    }
    let successes: Vec<&Response> = op.successes().collect();
    if let Some(enum_name) = &op.success_enum {
        let name = ident(enum_name);
        let arms = successes.iter().map(|r| {
            let status = proc_macro2::Literal::u16_unsuffixed(r.status);
            let variant = format_ident!("{}", r.variant);
            match &r.body {
                Some(_) => {
                    let read = read_body(r.encoding);
                    quote!(#status => Ok(#name::#variant(#read?)),)
                }
                None => quote!(#status => Ok(#name::#variant),),
            }
        });
        return (
            quote!(#name),
            quote! {
                match response.status() {
                    #(#arms)*
                    _ => Err(response.into_unexpected().await),
                }
            },
        );
    }
    match successes.first() {
        Some(r) => match &r.body {
            Some(ty) => (type_tokens(ctx, ty, &op.group), read_body(r.encoding)),
            None => (quote!(()), quote!(response.empty().await)),
        },
        // No success response is declared: hand back the raw body.
        None => (quote!(Vec<u8>), read_body(BodyEncoding::Bytes)),
    }
}

/// The `stream` method of an operation whose only success is a binary body: the body
/// as it arrives, for downloads larger than the client reads whole.
fn download_method(op: &Operation) -> Option<TokenStream> {
    let mut successes = op.successes();
    let (Some(success), None) = (successes.next(), successes.next()) else {
        return None;
    };
    if success.body.is_none() || success.encoding != BodyEncoding::Bytes {
        return None;
    }
    let error = ident(&op.error_enum);
    Some(quote! {
        /// Sends the request and yields the body chunk by chunk as it arrives, without
        /// holding it whole: for downloads larger than the client's maximum body size.
        pub async fn stream(self) -> crate::Result<crate::ByteStream, crate::Error<#error>> {
            crate::runtime::download(self).await
        }
    })
}

/// The item type of an operation whose only success body is a stream.
fn stream_only(op: &Operation) -> Option<&TypeRef> {
    let streamed = op.successes().find_map(|r| r.stream.as_ref())?;
    (!op.successes().any(|r| r.body.is_some())).then_some(streamed)
}

/// The expression reading a success body as `encoding` says.
fn read_body(encoding: BodyEncoding) -> TokenStream {
    match encoding {
        BodyEncoding::Json => quote!(response.json().await),
        BodyEncoding::Bytes => quote!(response.bytes().await),
    }
}

/// The enum of success responses, for operations that declare several.
fn success_enum(ctx: &Context<'_>, op: &Operation) -> TokenStream {
    let Some(enum_name) = &op.success_enum else {
        return quote!();
    };
    let name = ident(enum_name);
    let doc = format!(" The success responses of [`Client::{}`](crate::Client::{}).", op.fn_name, op.fn_name);
    let variants = op.successes().map(|r| response_variant(ctx, op, r));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The variant of a response enum for one response: named after its status, documented
/// with its description, holding its body when it has one.
fn response_variant(ctx: &Context<'_>, op: &Operation, r: &Response) -> TokenStream {
        let variant = format_ident!("{}", r.variant);
        let doc = doc_attrs([Some(status_doc(r).as_str())]);
        match &r.body {
            Some(ty) => {
                let ty = type_tokens(ctx, ty, &op.group);
                quote!(#doc #variant(#ty),)
            }
            None => quote!(#doc #variant,),
        }
}

/// The doc line of a response variant: its status and description.
fn status_doc(response: &Response) -> String {
    match response.description.trim() {
        "" => format!("`{}`", response.status),
        description => format!("`{}`: {description}", response.status),
    }
}

/// What a declared error says about itself: the first line of its description, or
/// the words of its status (`not found`).
fn error_message(response: &Response) -> String {
    let description = super::docs::normalize(&response.description);
    let first_line = description.lines().map(str::trim).find(|l| !l.is_empty());
    match first_line {
        Some(line) => line.to_owned(),
        None => response.variant.to_snake_case().replace('_', " "),
    }
}

/// The enum of declared error responses (its `Display` derived from each response's
/// message), and how it is decoded.
fn error_enum(ctx: &Context<'_>, op: &Operation) -> Vec<TokenStream> {
    let name = ident(&op.error_enum);
    let doc = format!(
        " The error responses [`Client::{}`](crate::Client::{}) declares.",
        op.fn_name, op.fn_name
    );
    let errors: Vec<&Response> = op.errors().collect();
    let variants = errors.iter().map(|r| {
        // The message is a format string: braces from the document are escaped.
        let message = error_message(r).replace('{', "{{").replace('}', "}}");
        let variant = response_variant(ctx, op, r);
        quote!(#[error(#message)] #variant)
    });
    let decoders = errors.iter().map(|r| {
        let variant = format_ident!("{}", r.variant);
        let status = proc_macro2::Literal::u16_unsuffixed(r.status);
        match (&r.body, r.encoding) {
            (None, _) => quote!(#status => Some(Self::#variant),),
            (Some(_), BodyEncoding::Json) => {
                quote!(#status => crate::runtime::error_body(body).map(Self::#variant),)
            }
            (Some(_), BodyEncoding::Bytes) => quote!(#status => Some(Self::#variant(body.to_vec())),),
        }
    });
    let reads_body = errors.iter().any(|r| r.body.is_some());
    // With no declared errors the enum is empty: nothing is matched.
    let status_arg = if errors.is_empty() { quote!(_status) } else { quote!(status) };
    let body_arg = if reads_body { quote!(body) } else { quote!(_body) };
    let decode_body = if errors.is_empty() {
        quote!(None)
    } else {
        quote! {
            match status.as_u16() {
                #(#decoders)*
                _ => None,
            }
        }
    };
    vec![
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, thiserror::Error)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }
        },
        quote! {
            impl crate::DeclaredError for #name {
                fn from_response(#status_arg: reqwest::StatusCode, #body_arg: &[u8]) -> Option<Self> {
                    #decode_body
                }
            }
        },
    ]
}

/// The expression that builds the request path: its text, and each parameter by name
/// (the runtime percent-encodes it and refuses values that would change the path).
fn path_expr(op: &Operation) -> TokenStream {
    let pieces = op.path_segments.iter().enumerate().map(|(index, segment)| match segment {
        PathSegment::Literal(text) if index == 0 => quote!(crate::runtime::Path::new(#text)),
        PathSegment::Literal(text) => quote!(.text(#text)),
        PathSegment::Param(wire) => {
            let field = op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && &p.wire_name == wire)
                .map_or_else(|| format_ident!("missing"), |p| ident(&p.rust_name));
            let start = (index == 0).then(|| quote!(crate::runtime::Path::new("")));
            quote!(#start.param(#wire, &self.#field))
        }
    });
    match op.path_segments.is_empty() {
        true => quote!(crate::runtime::Path::new("")),
        false => quote!(#(#pieces)*),
    }
}

fn method_tokens(method: Method) -> TokenStream {
    let name = format_ident!("{}", method.as_str());
    quote!(reqwest::Method::#name)
}

/// The `Client` method, the builder and (if any) the success enum of one operation,
/// as separately formatted chunks.
pub fn operation(ctx: &Context<'_>, op: &Operation) -> Vec<TokenStream> {
    let group = op.group.as_str();
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder_name);
    let location = super::docs::code(&format!("{} {}", op.method.as_str(), op.path));
    let deprecated = op.deprecated.then(|| match &op.replaced_by {
        Some(replacement) => format!("**Deprecated** by the API: use [`{replacement}`](Self::{replacement}) instead."),
        None => "**Deprecated** by the API.".to_owned(),
    });
    let method_doc = doc_attrs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(location.as_str()),
        deprecated.as_deref(),
    ]);
    let operation_deprecated = operation_deprecated_attr(op.deprecated, op.replaced_by.as_deref());

    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut sends = Vec::new();
    for param in &op.params {
        let name = ident(&param.rust_name);
        let ty = param_type(ctx, param);
        let stored = type_tokens(ctx, &ty, group);
        let (arg_ty, converted) = param_argument(ctx, &ty, group, &name);
        let init = match &converted {
            Some(value) => quote!(#name: #value,),
            None => quote!(#name,),
        };
        let value = converted.unwrap_or_else(|| quote!(#name));
        let doc = doc_attrs([param.doc.as_deref()]);
        let deprecated = deprecated_attr(param.deprecated, "parameter");
        if is_argument(param) {
            fields.push(quote!(#name: #stored,));
            args.push(quote!(#name: #arg_ty));
            inits.push(init);
        } else {
            fields.push(quote!(#name: Option<#stored>,));
            inits.push(quote!(#name: None,));
            setters.push(quote! {
                #doc
                #deprecated
                pub fn #name(mut self, #name: #arg_ty) -> Self {
                    self.#name = Some(#value);
                    self
                }
            });
        }
        let wire = &param.wire_name;
        match param.location {
            ParamLocation::Path => {}
            ParamLocation::Query => match team_scope_getter(param) {
                Some(getter) => sends.push(quote! {
                    request.query(#wire, &self.#name.as_deref().or(self.client.#getter()));
                }),
                None => sends.push(quote!(request.query(#wire, &self.#name);)),
            },
            ParamLocation::Header => sends.push(quote!(request.header(#wire, &self.#name);)),
        }
    }
    if let Some(body) = &op.body {
        let ty = type_tokens(ctx, &body.ty, group);
        let (arg_ty, convert) = argument(ctx, &body.ty, group);
        let value = if convert { quote!(body.into()) } else { quote!(body) };
        let init = if convert { quote!(body: #value,) } else { quote!(body,) };
        let media = &body.media_type;
        let attach = match body.encoding {
            BodyEncoding::Json => quote!(request.json(&body);),
            BodyEncoding::Bytes => quote!(request.bytes(#media, body);),
        };
        if body.required {
            fields.push(quote!(body: #ty,));
            args.push(quote!(body: #arg_ty));
            inits.push(init);
            sends.push(quote!(let body = self.body; #attach));
        } else {
            let doc = doc_attrs([body.doc.as_deref(), Some("Sets the request body.")]);
            fields.push(quote!(body: Option<#ty>,));
            inits.push(quote!(body: None,));
            setters.push(quote! {
                #doc
                pub fn body(mut self, body: #arg_ty) -> Self {
                    self.body = Some(#value);
                    self
                }
            });
            sends.push(quote!(if let Some(body) = self.body { #attach }));
        }
    }
    if stream_only(op).is_some() {
        sends.push(quote!(request.accept("application/stream+json");));
    }
    let request = if sends.is_empty() {
        quote!(self.client.request(&Self::ENDPOINT, path).with_options(self.options))
    } else {
        quote! {
            let mut request = self.client.request(&Self::ENDPOINT, path).with_options(self.options);
            #(#sends)*
            request
        }
    };
    let init_options = quote!(options: crate::RequestOptions::default(),);
    let path = path_expr(op);
    let method = method_tokens(op.method);
    let operation_id = &op.id;
    let template = &op.path;
    let builder_doc = format!(
        " A request to [`Client::{name}`](crate::Client::{name}): set optional parameters, then `.await` it or call [`send`](Self::send).",
        name = op.fn_name
    );
    let success_enum = success_enum(ctx, op);
    let paginate_method = paginate_method(ctx, op);
    let error = ident(&op.error_enum);
    let (output, decode) = success(ctx, op);
    let stream_method = op.successes().find_map(|r| r.stream.as_ref()).map(|item| {
        let item = type_tokens(ctx, item, group);
        quote! {
            /// Sends the request asking for `application/stream+json`, and yields each
            /// JSON value of the response as it arrives.
            pub async fn stream(
                self,
            ) -> crate::Result<crate::JsonStream<#item>, crate::Error<#error>> {
                crate::runtime::stream(self).await
            }
        }
    });
    let stream_method = stream_method.or_else(|| download_method(op));
    let client_method = quote! {
        impl crate::Client {
            #method_doc
            #operation_deprecated
            pub fn #fn_name(&self, #(#args),*) -> #builder {
                #builder {
                    client: self.clone(),
                    #init_options
                    #(#inits)*
                }
            }
        }
    };
    let builder_struct = quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            client: crate::Client,
            options: crate::RequestOptions,
            #(#fields)*
        }
    };
    let builder_impl = (!setters.is_empty() || stream_method.is_some() || paginate_method.is_some()).then(|| {
        quote! {
            impl #builder {
                #(#setters)*

                #stream_method

                #paginate_method
            }
        }
    });
    let exchange = quote! {
        impl crate::Operation for #builder {
            type Output = #output;
            type Error = #error;
        }

        impl crate::runtime::Exchange for #builder {
            const ENDPOINT: crate::runtime::Endpoint = crate::runtime::Endpoint {
                operation: #operation_id,
                method: #method,
                template: #template,
            };

            fn into_request(self) -> crate::runtime::Request {
                let path = #path;
                #request
            }

            async fn decode(response: crate::runtime::Response) -> crate::Result<#output> {
                #decode
            }
        }

        crate::runtime::request_builder!(#builder);
    };
    let mut chunks = vec![client_method, builder_struct];
    chunks.extend(builder_impl);
    chunks.push(exchange);
    if op.success_enum.is_some() {
        chunks.push(success_enum);
    }
    chunks.extend(error_enum(ctx, op));
    chunks
}
