//! Emission: from the IR to the token streams of each source file of the client.
//!
//! Every file is built with `quote!` and printed by [`crate::format`]. The
//! hand-written runtime (`generator/runtime/`) is written beside the generated
//! modules unchanged.

mod docs;
mod operations;
mod paging;
pub(crate) mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::format::{format_chunks, format_tokens, FormatError};
use crate::ir::{feature_name, Api, TypeKind, SHARED_GROUP};
pub use docs::{code as doc_code, sanitize as sanitize_doc};
use types::ident;

/// The hand-written runtime, as (path under `src/`, contents).
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("runtime/mod.rs", include_str!("../../runtime/mod.rs")),
    ("runtime/client.rs", include_str!("../../runtime/client.rs")),
    ("runtime/error.rs", include_str!("../../runtime/error.rs")),
    ("runtime/number.rs", include_str!("../../runtime/number.rs")),
    ("runtime/operation.rs", include_str!("../../runtime/operation.rs")),
    ("runtime/options.rs", include_str!("../../runtime/options.rs")),
    ("runtime/paging.rs", include_str!("../../runtime/paging.rs")),
    ("runtime/request.rs", include_str!("../../runtime/request.rs")),
    ("runtime/retry.rs", include_str!("../../runtime/retry.rs")),
    ("runtime/union.rs", include_str!("../../runtime/union.rs")),
];

/// What emission reads besides the IR.
pub struct Context<'a> {
    api: &'a Api,
}

impl<'a> Context<'a> {
    /// A context for emitting `api`.
    pub fn new(api: &'a Api) -> Self {
        Context { api }
    }

    /// The path of type `name` as written in module `from`.
    pub fn type_path(&self, name: &str, from: &str) -> TokenStream {
        let ty = ident(name);
        match self.api.types.get(name) {
            Some(def) if def.group != from => {
                let module = ident(&def.group);
                quote!(crate::#module::#ty)
            }
            _ => quote!(#ty),
        }
    }

    /// The kind of the named type `name`.
    pub fn kind_of(&self, name: &str) -> Option<&'a TypeKind> {
        self.api.types.get(name).map(|def| &def.kind)
    }
}

/// The source files of the client crate: paths relative to the crate's source
/// directory, and their formatted contents, in path order.
///
/// Group modules are emitted and formatted on all available cores (the output does
/// not depend on how the work is shared).
pub fn crate_sources(api: &Api) -> Result<BTreeMap<String, String>, FormatError> {
    crate_sources_documented(api, &CrateDoc::Summary)
}

/// What the generated crate's front page says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrateDoc {
    /// A summary of the document and of how a call looks.
    Summary,
    /// The Markdown file at this path, relative to `lib.rs` (its code blocks are then
    /// doctests of the crate).
    Include(String),
}

/// The crate's source files, its front page as `doc` says.
pub fn crate_sources_documented(api: &Api, doc: &CrateDoc) -> Result<BTreeMap<String, String>, FormatError> {
    let mut files = BTreeMap::new();
    files.insert("lib.rs".to_owned(), format_tokens("lib.rs", lib_file(api, doc))?);
    for (path, contents) in group_sources(api) {
        files.insert(path, contents?);
    }
    for (path, contents) in RUNTIME_FILES {
        files.insert((*path).to_owned(), (*contents).to_owned());
    }
    Ok(files)
}

/// Emits and formats every group's module, largest first, on a few threads. Token
/// streams are not `Send`, so each thread builds its own from the shared IR.
fn group_sources(api: &Api) -> Vec<(String, Result<String, FormatError>)> {
    let mut groups = api.groups();
    let weight = |group: &String| api.types.values().filter(|t| &t.group == group).count();
    groups.sort_by_cached_key(|group| std::cmp::Reverse(weight(group)));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, usize::from).min(groups.len().max(1));
    let work = || {
        let ctx = Context::new(api);
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(group) = groups.get(index) else { break };
            let path = format!("{group}.rs");
            let formatted = format_chunks(&path, group_file(&ctx, group));
            done.push((path, formatted));
        }
        done
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for handle in handles {
            // A worker only panics if the emitter has a bug; surface it where it happened.
            done.extend(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        done
    })
}

/// The code one operation brings into its module: the types it reaches (in name
/// order), then its method and builder. For reviewing and snapshotting a single
/// operation; `None` when no operation has that `operationId`.
pub fn operation_source(api: &Api, operation_id: &str) -> Option<Result<String, FormatError>> {
    let op = api.operations.iter().find(|op| op.id == operation_id)?;
    let ctx = Context::new(api);
    let type_defs = crate::ir::reachable_types(api, op)
        .into_iter()
        .filter_map(|name| api.types.get(&name))
        .map(|def| types::type_def(&ctx, def));
    let chunks = type_defs.chain(operations::operation(&ctx, op));
    Some(format_chunks(operation_id, chunks.collect::<Vec<_>>()))
}

/// The crate root: its front page, module declarations and re-exports of the runtime.
fn lib_file(api: &Api, crate_doc: &CrateDoc) -> TokenStream {
    let front_page = match crate_doc {
        CrateDoc::Summary => summary_doc(api),
        CrateDoc::Include(path) => quote!(#![doc = include_str!(#path)]),
    };
    let modules = api.groups().into_iter().map(|group| {
        let module = ident(&group);
        if group == SHARED_GROUP {
            return quote! {
                #[doc = " Types used by the operations of several groups."]
                pub mod #module;
            };
        }
        let doc = format!(" Types and operations of the `{group}` group.");
        let feature = feature_name(&group);
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    quote! {
        #front_page
        #![forbid(unsafe_code)]

        mod runtime;

        pub use runtime::{
            BoxFuture, Client, ClientBuilder, DeclaredError, Error, ErrorDetail, JsonStream, Number,
            Operation, Outcome, Paginated, RateLimit, RequestOptions, ResponseValue, Result,
            RetryPolicy,
        };

        /// The HTTP client the API client is built on: its types appear in this crate's
        /// API (`StatusCode`, `HeaderMap`, [`ClientBuilder::http_client`]).
        pub use reqwest;

        #(#modules)*
    }
}

/// The front page of a crate without one of its own: what it is, how a call looks.
fn summary_doc(api: &Api) -> TokenStream {
    let doc = format!(
        " A typed async client for the {} (OpenAPI document version {}).",
        docs::one_line(&api.title),
        docs::one_line(&api.version)
    );
    quote! {
        #![doc = #doc]
        #![doc = ""]
        #![doc = " Every operation is a method on [`Client`] that returns a request builder:"]
        #![doc = " required parameters are arguments, optional ones are builder methods, and"]
        #![doc = " the builder is sent by awaiting it (or calling `send`)."]
        #![doc = ""]
        #![doc = " Each group of operations (a tag of the API) is a module behind a Cargo feature"]
        #![doc = " of the same name; all are on by default."]
        #![doc = ""]
        #![doc = " This file is generated by `vercel-codegen`; do not edit it by hand."]
    }
}

/// One group's module: its types, then its operations.
fn group_file<'c>(ctx: &'c Context<'_>, group: &'c str) -> impl Iterator<Item = TokenStream> + 'c {
    let api = ctx.api;
    let doc = if group == SHARED_GROUP {
        " Types used by the operations of several groups; each is compiled when one of their features is on.".to_owned()
    } else {
        format!(" Types and operations of the `{group}` group (Cargo feature `{}`).", feature_name(group))
    };
    let type_defs = api
        .types
        .values()
        .filter(move |def| def.group == group)
        .map(|def| types::type_def(ctx, def));
    let operations = api
        .operations
        .iter()
        .filter(move |op| op.group == group)
        .flat_map(|op| operations::operation(ctx, op));
    let header = quote! {
        #![doc = #doc]
        #![doc = ""]
        #![doc = " This file is generated by `vercel-codegen`; do not edit it by hand."]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments)]
    };
    std::iter::once(header).chain(type_defs).chain(operations)
}
