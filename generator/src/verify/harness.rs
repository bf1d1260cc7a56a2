//! The harness crate: a program, emitted with `quote!`, that drives the generated
//! client with the oracle's cases and writes down what happened.
//!
//! This side reads the IR, because the generated names and types are the interface
//! under test: which Rust type a schema pointer became, which method and setters an
//! operation has. The harness decides nothing: it decodes and re-encodes instances,
//! makes calls against a loopback server, and records the requests and results for
//! [`super::report`] to compare.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use super::synth::Synth;
use super::oracle::{request_schema, response_schemas, TEAM_ID, TEAM_SLUG, TOKEN};
use crate::ir::{Api, BodyEncoding, Operation, Param, ParamLocation, TypeKind, TypeRef};

/// What a round-tripped schema is to the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A request body.
    Request,
    /// A response body.
    Response,
    /// A component schema.
    Component,
}

/// A schema to round-trip, and the Rust type the client gives it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The JSON pointer of the schema.
    pub pointer: String,
    /// The generated type.
    pub ty: TypeRef,
    /// What it is to the API.
    pub role: Role,
}

/// The schemas to round-trip: every JSON request and response body of the operations,
/// and every component schema the client has a type for, each pointer once.
pub fn targets(api: &Api, synth: &Synth<'_>) -> Vec<Target> {
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    let mut add = |pointer: String, ty: TypeRef, role: Role| {
        if seen.insert(pointer.clone()) {
            found.push(Target { pointer, ty, role });
        }
    };
    for op in &api.operations {
        if let Some(body) = op.body.as_ref().filter(|b| b.encoding == BodyEncoding::Json) {
            if let Some(pointer) = request_schema(synth, &op.pointer) {
                add(pointer, body.ty.clone(), Role::Request);
            }
        }
        for (status, pointer) in response_schemas(synth, &op.pointer) {
            let declared = op.responses.iter().find(|r| r.status == status && r.encoding == BodyEncoding::Json);
            if let Some(ty) = declared.and_then(|r| r.body.clone()) {
                add(pointer, ty, Role::Response);
            }
        }
    }
    for def in api.types.values() {
        let component = def.pointer.strip_prefix("/components/schemas/").is_some_and(|rest| !rest.contains('/'));
        if component {
            add(def.pointer.clone(), TypeRef::Named(def.name.clone()), Role::Component);
        }
    }
    found
}

/// The Rust type of a type reference, as the harness names it (`client::module::Name`).
fn rust_type(api: &Api, ty: &TypeRef) -> TokenStream {
    crate::emit::types::type_tokens_naming(ty, &|name| {
        let group = api.types.get(name).map_or("shared", |def| def.group.as_str());
        let module = format_ident!("{}", group);
        let name = format_ident!("{}", name);
        quote!(client::#module::#name)
    })
}

/// How the harness turns a JSON value into an argument of the given stored type.
fn conversion(api: &Api, ty: &TypeRef, location: Option<ParamLocation>) -> TokenStream {
    let displayable = match ty {
        TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean => true,
        TypeRef::Named(name) => matches!(api.types.get(name).map(|d| &d.kind), Some(TypeKind::Enum(_))),
        _ => false,
    };
    match ty {
        _ if location == Some(ParamLocation::Path) && !displayable => quote!(text),
        TypeRef::String => quote!(text),
        TypeRef::Bytes => quote!(bytes),
        // A number parameter takes any `Number`: the harness gives the declared `f64`.
        TypeRef::Number if location.is_some() => quote!(arg::<f64>),
        _ => quote!(arg),
    }
}

/// The key of a parameter in a call's `args`.
fn arg_key(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    format!("{location}:{}", param.wire_name)
}

/// The function that makes one call of an operation.
fn call_fn(api: &Api, index: usize, op: &Operation) -> TokenStream {
    let name = format_ident!("call_{}", index);
    let method = format_ident!("{}", op.fn_name);
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for param in &op.params {
        let key = arg_key(param);
        let convert = conversion(api, &param.ty, Some(param.location));
        if param.required {
            required.push(quote!(#convert(&args[#key])?));
        } else {
            let setter = format_ident!("{}", param.rust_name);
            optional.push(quote! {
                if let Some(value) = args.get(#key) {
                    builder = builder.#setter(#convert(value)?);
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let convert = conversion(api, &body.ty, None);
        if body.required {
            required.push(quote!(#convert(&call["body"])?));
        } else {
            optional.push(quote! {
                if let Some(value) = call.get("body").filter(|v| !v.is_null()) {
                    builder = builder.body(#convert(value)?);
                }
            });
        }
    }
    let ok = success_value(op);
    let declared = declared_error(op);
    quote! {
        #[allow(unused_mut, unused_variables, deprecated)]
        async fn #name(client: &client::Client, call: &Value) -> Result<Value, String> {
            let args = &call["args"];
            let mut builder = client.#method(#(#required),*);
            #(#optional)*
            Ok(match builder.send().await {
                Ok(value) => #ok,
                Err(error) => json!({
                    "error": {
                        "status": error.status().map(|s| s.as_u16()),
                        "declared": error.declared().map(#declared),
                        "message": error.to_string(),
                    }
                }),
            })
        }
    }
}

/// The expression that records a success `value`: `{status, body}`, the status
/// known only for operations with several success responses.
fn success_value(op: &Operation) -> TokenStream {
    let streamed = op.successes().any(|r| r.stream.is_some()) && !op.successes().any(|r| r.body.is_some());
    if streamed {
        return quote!(json!({ "status": null, "body": collect(value).await }));
    }
    let Some(enum_name) = &op.success_enum else {
        return quote!(json!({ "status": null, "body": to_json(&value) }));
    };
    let module = format_ident!("{}", op.group);
    let name = format_ident!("{}", enum_name);
    let arms = op.successes().map(|r| {
        let variant = format_ident!("{}", r.variant);
        let status = r.status;
        match &r.body {
            Some(_) => quote!(client::#module::#name::#variant(body) => json!({ "status": #status, "body": to_json(&body) }),),
            None => quote!(client::#module::#name::#variant => json!({ "status": #status, "body": null }),),
        }
    });
    // The enum is `#[non_exhaustive]`: a variant this harness does not know of has no status.
    quote!(match value {
        #(#arms)*
        _ => json!({ "status": null, "body": null }),
    })
}

/// The closure that records the declared error an operation returned: `{status, body}`,
/// the status that of its variant, the body its typed content (`null` without one).
fn declared_error(op: &Operation) -> TokenStream {
    let module = format_ident!("{}", op.group);
    let name = format_ident!("{}", op.error_enum);
    let arms = op.errors().map(|r| {
        let variant = format_ident!("{}", r.variant);
        let status = r.status;
        match &r.body {
            Some(_) => quote!(client::#module::#name::#variant(ref body) => json!({ "status": #status, "body": to_json(body) }),),
            None => quote!(client::#module::#name::#variant => json!({ "status": #status, "body": null }),),
        }
    });
    // The enum is `#[non_exhaustive]`: a variant this harness does not know of has no status.
    quote!(|error: &client::#module::#name| -> Value {
        match *error {
            #(#arms)*
            _ => json!({ "status": null, "body": null }),
        }
    })
}

/// The harness's `main.rs`.
pub fn main_file(api: &Api, targets: &[Target]) -> TokenStream {
    let round_trips = targets.iter().enumerate().map(|(index, target)| {
        let ty = rust_type(api, &target.ty);
        quote!(schemas.push(round_trip::<#ty>(&cases["schemas"][#index]));)
    });
    let call_fns = api.operations.iter().enumerate().map(|(i, op)| call_fn(api, i, op));
    let runs = (0..api.operations.len()).map(|index| {
        let call = format_ident!("call_{}", index);
        quote! {
            let mut results = Vec::new();
            for call in cases["operations"][#index]["calls"].as_array().into_iter().flatten() {
                server.answer(&call["answer"]);
                let outcome = #call(&client, call).await.unwrap_or_else(|e| json!({ "argument_error": e }));
                results.push(json!({ "outcome": outcome, "request": server.take() }));
            }
            operations.push(Value::Array(results));
        }
    });
    let support = support();
    quote! {
        //! Drives the generated client with the cases of `vercel-codegen verify` and
        //! records what happened. Generated; do not edit.
        #![allow(clippy::all)]

        use serde_json::{json, Value};

        #support

        #(#call_fns)*

        #[tokio::main]
        async fn main() {
            let mut paths = std::env::args().skip(1);
            let (Some(cases_path), Some(results_path)) = (paths.next(), paths.next()) else {
                eprintln!("usage: harness CASES RESULTS");
                std::process::exit(2);
            };
            let cases: Value = std::fs::read(&cases_path)
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .unwrap_or_else(|| {
                    eprintln!("cannot read {cases_path}");
                    std::process::exit(2);
                });
            let mut schemas = Vec::new();
            #(#round_trips)*
            let server = Server::start().await;
            let client = client::Client::builder()
                .token(#TOKEN)
                .base_url(server.uri())
                .team_id(#TEAM_ID)
                .team_slug(#TEAM_SLUG)
                .retry_policy(client::RetryPolicy::never())
                .build()
                .unwrap_or_else(|e| {
                    eprintln!("cannot build the client: {e}");
                    std::process::exit(2);
                });
            let mut operations = Vec::new();
            #(#runs)*
            let results = json!({ "schemas": schemas, "operations": operations });
            if let Err(e) = std::fs::write(&results_path, results.to_string()) {
                eprintln!("cannot write {results_path}: {e}");
                std::process::exit(2);
            }
        }
    }
}

/// The fixed part of the harness: conversions, the round trip and the server.
fn support() -> TokenStream {
    quote! {
        /// A JSON value as an argument of the type the method takes.
        fn arg<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, String> {
            serde_json::from_value(value.clone()).map_err(|e| format!("argument {value}: {e}"))
        }

        /// A JSON value as text (strings as they are, other values as JSON).
        fn text(value: &Value) -> Result<String, String> {
            Ok(match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
        }

        /// A JSON string as raw bytes.
        fn bytes(value: &Value) -> Result<Vec<u8>, String> {
            text(value).map(String::into_bytes)
        }

        /// A value as JSON, through the bytes the client would send.
        fn to_json<T: serde::Serialize>(value: &T) -> Value {
            match serde_json::to_vec(value) {
                Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                Err(e) => json!({ "serialize_error": e.to_string() }),
            }
        }

        /// Decodes a JSON text as the client decodes a response, naming where it failed.
        fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            serde_path_to_error::deserialize(&mut deserializer)
                .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))
        }

        /// Decodes every instance of a case as `T` and encodes it back.
        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(case: &Value) -> Value {
            let run = |key: &str| -> Vec<Value> {
                case[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|instance| match decode::<T>(instance.to_string().as_bytes()) {
                        Ok(decoded) => json!({ "ok": to_json(&decoded) }),
                        Err(e) => json!({ "error": e }),
                    })
                    .collect()
            };
            json!({ "instances": run("instances"), "forward": run("forward") })
        }

        /// Every item of a JSON stream, each a value or the error met.
        async fn collect<T: serde::Serialize>(mut stream: client::JsonStream<T>) -> Value {
            use futures_util::StreamExt;
            let mut items = Vec::new();
            while let Some(item) = stream.next().await {
                items.push(match item {
                    Ok(value) => to_json(&value),
                    Err(e) => json!({ "stream_error": e.to_string() }),
                });
            }
            Value::Array(items)
        }

        /// The answer for the next request, and the request last received.
        #[derive(Default)]
        struct Exchange {
            answer: Value,
            request: Value,
        }

        /// A loopback HTTP server that answers as told and records what it receives.
        struct Server {
            mock: wiremock::MockServer,
            exchange: std::sync::Arc<std::sync::Mutex<Exchange>>,
        }

        struct Responder(std::sync::Arc<std::sync::Mutex<Exchange>>);

        impl wiremock::Respond for Responder {
            fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
                let mut exchange = self.0.lock().unwrap_or_else(|e| e.into_inner());
                let headers: Vec<Value> = request
                    .headers
                    .iter()
                    .map(|(name, value)| json!([name.as_str(), String::from_utf8_lossy(value.as_bytes())]))
                    .collect();
                exchange.request = json!({
                    "method": request.method.as_str(),
                    "path": request.url.path(),
                    "query": request.url.query().unwrap_or(""),
                    "headers": headers,
                    "body": String::from_utf8_lossy(&request.body),
                });
                let answer = &exchange.answer;
                let status = answer["status"].as_u64().unwrap_or(200) as u16;
                let body = answer["body"].as_str().unwrap_or("").as_bytes().to_vec();
                let template = wiremock::ResponseTemplate::new(status);
                match answer["content_type"].as_str() {
                    Some(media_type) => template.set_body_raw(body, media_type),
                    None => template,
                }
            }
        }

        impl Server {
            async fn start() -> Self {
                let mock = wiremock::MockServer::start().await;
                let exchange = std::sync::Arc::new(std::sync::Mutex::new(Exchange::default()));
                wiremock::Mock::given(wiremock::matchers::any())
                    .respond_with(Responder(exchange.clone()))
                    .mount(&mock)
                    .await;
                Server { mock, exchange }
            }

            fn uri(&self) -> String {
                self.mock.uri()
            }

            fn answer(&self, answer: &Value) {
                let mut exchange = self.exchange.lock().unwrap_or_else(|e| e.into_inner());
                exchange.answer = answer.clone();
                exchange.request = Value::Null;
            }

            fn take(&self) -> Value {
                let mut exchange = self.exchange.lock().unwrap_or_else(|e| e.into_inner());
                std::mem::take(&mut exchange.request)
            }
        }
    }
}

/// The harness's `Cargo.toml`, depending on the generated crate `client_name` in
/// `../client`, building the program `bin_name` (distinct per directory, so harnesses
/// sharing a target directory do not overwrite each other's program).
pub fn manifest(client_name: &str, bin_name: &str) -> String {
    format!(
        r#"[package]
name = "vercel-verify-harness"
version = "0.0.0"
edition = "2021"
publish = false

[[bin]]
name = "{bin_name}"
path = "src/main.rs"

[dependencies]
client = {{ package = "{client_name}", path = "../client" }}
serde = "1"
serde_json = "1"
serde_path_to_error = "0.1"
futures-util = {{ version = "0.3", default-features = false, features = ["std"] }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
wiremock = "0.6"

# Built once per document and run once: compile fast, skip debug info.
[profile.dev]
opt-level = 0
debug = 0
incremental = false

[workspace]
"#
    )
}
