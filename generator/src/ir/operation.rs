//! Lowering operations: names, parameters, bodies and responses.

use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode,
};

use super::model::{
    BodyEncoding, Method, Operation, Param, ParamLocation, PathSegment, RequestBody, Response,
    TeamScope, TypeRef,
};
use super::schema::{escape_pointer, Naming, SchemaLowerer};
use crate::load::Warning;
use crate::names::{field_name, is_keyword, safe_type_name, type_name, Scope};

/// Names a generated request builder uses for itself, which parameters must avoid, and
/// operator method names clippy wants implemented as traits (`add(self, x)`).
const BUILDER_RESERVED: &[&str] = &[
    "client", "body", "send", "send_with_meta", "options", "stream", "into_request", "into_future", "add", "sub", "mul", "div", "rem", "bitand",
    "bitor", "bitxor", "shl", "shr",
];

/// Methods of `Client` (its own and those of traits it implements) that operations must
/// not take as their method name.
pub const CLIENT_RESERVED: &[&str] = &[
    "new", "builder", "from_env", "from_parts", "with_token", "team_id", "team_slug", "base_url", "request",
    "http", "token", "retry", "timeout", "user_agent", "clone",
    "clone_from", "fmt", "to_owned", "into", "from", "try_into", "try_from", "borrow", "default", "eq", "ne", "hash",
    "cmp", "partial_cmp", "deref", "as_ref", "type_id", "to_string",
];

/// Headers the HTTP client derives from the request itself; parameters for them are dropped.
const MANAGED_HEADERS: &[&str] = &["content-length", "content-type", "host", "transfer-encoding"];

/// Where an operation sits in the document.
pub struct OperationSite<'d> {
    /// The path template.
    pub path: &'d str,
    /// The path item holding the operation.
    pub item: &'d PathItem,
    /// The lowercase method name as in the document.
    pub method: &'d str,
    /// The operation.
    pub operation: &'d openapiv3::Operation,
}

/// Lowers one operation, creating the types of its parameters, body and responses.
pub fn lower_operation(
    document: &OpenAPI,
    site: &OperationSite<'_>,
    selected_tags: &[String],
    fn_names: &mut Scope,
    types: &mut SchemaLowerer<'_>,
    warnings: &mut Vec<Warning>,
) -> Operation {
    let op = site.operation;
    let pointer = format!("/paths/{}/{}", escape_pointer(site.path), site.method);
    let id = op.operation_id.clone().unwrap_or_else(|| format!("{} {}", site.method, site.path));
    let group = group_of(&op.tags, selected_tags);
    let type_stem = safe_type_name(&id);
    let method = method_of(site.method);
    let params = lower_params(document, site, &type_stem, &pointer, types, warnings);
    let body = lower_body(document, op, &type_stem, &pointer, types, warnings);
    let responses = lower_responses(document, op, method, &type_stem, &pointer, types, warnings);
    Operation {
        fn_name: fn_names.claim(&field_name(&id)),
        id,
        type_stem: type_stem.clone(),
        group,
        tags: op.tags.clone(),
        method,
        path: site.path.to_owned(),
        path_segments: split_path(site.path),
        params,
        body,
        builder_name: types.claim_name(&format!("{type_stem}Builder")),
        success_enum: (responses.iter().filter(|r| (200..300).contains(&r.status)).count() > 1)
            .then(|| types.claim_name(&format!("{type_stem}Response"))),
        error_enum: types.claim_name(&format!("{type_stem}Error")),
        paging: None,
        responses,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated || summary_deprecated(op.summary.as_deref()),
        replaced_by: None,
        pointer,
    }
}

/// Does a summary mark its operation deprecated, as Vercel's document does for replaced
/// endpoints (`Update Resource Secrets (Deprecated)`)?
pub fn summary_deprecated(summary: Option<&str>) -> bool {
    summary.is_some_and(|summary| summary.trim_end().to_ascii_lowercase().ends_with("(deprecated)"))
}

/// Does the document mark a parameter deprecated, on the parameter or on its schema?
fn param_deprecated(data: &openapiv3::ParameterData) -> bool {
    let schema_deprecated = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema.schema_data.deprecated,
        _ => false,
    };
    data.deprecated == Some(true) || schema_deprecated
}

/// Names a tag's module (and Cargo feature) must not take: modules and files the crate
/// has anyway (`lib.rs`, `runtime/`, `main.rs` would be taken for a binary), the
/// `default` feature, and crates the generated code names by path.
const RESERVED_GROUPS: &[&str] = &[
    super::schema::SHARED_GROUP, "runtime", "lib", "main", "default", "std", "core", "alloc", "serde", "serde_json",
    "reqwest", "bytes", "httpdate", "tokio", "futures_util", "fastrand", "percent_encoding", "serde_path_to_error", "thiserror",
];

/// The module of an operation: its first selected tag (or first tag), snake_case.
/// Reserved names and keywords get an `_api` suffix (`type` -> `type_api`).
pub fn group_of(tags: &[String], selected_tags: &[String]) -> String {
    let tag = tags
        .iter()
        .find(|tag| selected_tags.contains(tag))
        .or_else(|| tags.first());
    let group = tag.map_or_else(|| "untagged".to_owned(), |tag| field_name(tag));
    let group = group.trim_end_matches('_').to_owned();
    if RESERVED_GROUPS.contains(&group.as_str()) || is_keyword(&group) || group.is_empty() {
        format!("{group}_api").trim_start_matches('_').to_owned()
    } else {
        group
    }
}

fn method_of(method: &str) -> Method {
    match method {
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "patch" => Method::Patch,
        "head" => Method::Head,
        "options" => Method::Options,
        "trace" => Method::Trace,
        _ => Method::Get,
    }
}

/// Splits `/v1/a/{b}/c` into literal text and parameter names.
///
/// A variable is the text from a `{` to the next `}` with no `{` between (as the loader
/// reads templates): in `/a/{b{c}}` the variable is `c` and `/a/{b` is text.
pub fn split_path(path: &str) -> Vec<PathSegment> {
    let mut segments: Vec<PathSegment> = Vec::new();
    let push_literal = |segments: &mut Vec<PathSegment>, text: &str| {
        if text.is_empty() {
            return;
        }
        match segments.last_mut() {
            Some(PathSegment::Literal(last)) => last.push_str(text),
            _ => segments.push(PathSegment::Literal(text.to_owned())),
        }
    };
    let mut parts = path.split('{');
    if let Some(first) = parts.next() {
        push_literal(&mut segments, first);
    }
    for part in parts {
        match part.split_once('}') {
            Some((name, rest)) => {
                segments.push(PathSegment::Param(name.to_owned()));
                push_literal(&mut segments, rest);
            }
            None => {
                push_literal(&mut segments, "{");
                push_literal(&mut segments, part);
            }
        }
    }
    segments
}

/// Follows a `#/components/<section>/<name>` reference.
fn resolve<'d, T>(
    reference: &str,
    section: &str,
    map: Option<&'d indexmap::IndexMap<String, ReferenceOr<T>>>,
) -> Option<&'d T> {
    let name = reference.strip_prefix(&format!("#/components/{section}/"))?;
    map?.get(name)?.as_item()
}

/// The operation's parameters: the path item's, overridden by the operation's own.
fn lower_params(
    document: &OpenAPI,
    site: &OperationSite<'_>,
    type_stem: &str,
    pointer: &str,
    types: &mut SchemaLowerer<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<Param> {
    let components = document.components.as_ref();
    let resolved: Vec<(String, &Parameter)> = site
        .item
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("/paths/{}/parameters/{i}", escape_pointer(site.path)), p))
        .chain(
            site.operation
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
        )
        .filter_map(|(param_pointer, param)| match param {
            ReferenceOr::Item(param) => Some((param_pointer, param)),
            ReferenceOr::Reference { reference } => {
                let found = resolve(reference, "parameters", components.map(|c| &c.parameters));
                if found.is_none() {
                    warnings.push(Warning {
                        pointer: param_pointer.clone(),
                        message: format!("unresolvable parameter `{reference}` skipped"),
                    });
                }
                found.map(|param| (param_pointer, param))
            }
        })
        .collect();
    let mut chosen: Vec<(String, &Parameter)> = Vec::new();
    for (param_pointer, param) in resolved {
        let key = |p: &Parameter| (p.parameter_data_ref().name.clone(), location_of(p));
        chosen.retain(|(_, existing)| key(existing) != key(param));
        chosen.push((param_pointer, param));
    }
    let mut scope = Scope::with_reserved(BUILDER_RESERVED);
    let mut params: Vec<Param> = chosen
        .into_iter()
        .filter_map(|(param_pointer, param)| {
            let Some(location) = location_of(param) else {
                warnings.push(Warning {
                    pointer: param_pointer,
                    message: "cookie parameters are not supported; skipped".to_owned(),
                });
                return None;
            };
            let data = param.parameter_data_ref();
            if location == ParamLocation::Header && MANAGED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str()) {
                warnings.push(Warning {
                    pointer: param_pointer,
                    message: format!("header `{}` is set by the HTTP client from the body", data.name),
                });
                return None;
            }
            let naming = Naming::parameter(type_stem, &type_name(&data.name));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    types.lower_ref(schema, &naming, &format!("{param_pointer}/schema"))
                }
                ParameterSchemaOrContent::Content(_) => TypeRef::String,
            };
            let required = data.required || location == ParamLocation::Path;
            Some(Param {
                wire_name: data.name.clone(),
                rust_name: scope.claim(&field_name(&data.name)),
                location,
                required,
                team_scope: team_scope(&data.name, location, required, &ty),
                deprecated: param_deprecated(data),
                ty,
                doc: data.description.clone(),
            })
        })
        .collect();
    for segment in split_path(site.path) {
        let PathSegment::Param(wire) = segment else { continue };
        if params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
            continue;
        }
        warnings.push(Warning {
            pointer: pointer.to_owned(),
            message: format!("path-template variable `{{{wire}}}` has no usable parameter; taken as a string"),
        });
        params.push(Param {
            rust_name: scope.claim(&field_name(&wire)),
            wire_name: wire,
            location: ParamLocation::Path,
            required: true,
            ty: TypeRef::String,
            doc: None,
            team_scope: None,
            deprecated: false,
        });
    }
    params
}

/// Which team an optional string query parameter names (`teamId`, `slug`): the one the
/// client is set to act for fills it when a call does not.
fn team_scope(wire_name: &str, location: ParamLocation, required: bool, ty: &TypeRef) -> Option<TeamScope> {
    if location != ParamLocation::Query || required || *ty != TypeRef::String {
        return None;
    }
    match wire_name {
        "teamId" => Some(TeamScope::TeamId),
        "slug" => Some(TeamScope::Slug),
        _ => None,
    }
}

fn location_of(param: &Parameter) -> Option<ParamLocation> {
    match param {
        Parameter::Path { .. } => Some(ParamLocation::Path),
        Parameter::Query { .. } => Some(ParamLocation::Query),
        Parameter::Header { .. } => Some(ParamLocation::Header),
        Parameter::Cookie { .. } => None,
    }
}

/// The media type of newline-delimited JSON streams.
const STREAM_MEDIA_TYPE: &str = "application/stream+json";

/// Picks the body representation: JSON when offered, else raw bytes. A JSON stream is
/// not a body: see [`STREAM_MEDIA_TYPE`].
///
/// The choice does not depend on the order of the `content` map: `application/json`
/// first, then the first `+json` type by name, then the first other type by name.
fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&str, &MediaType, BodyEncoding)> {
    let is_json = |media: &str| media == "application/json" || media.ends_with("+json");
    let mut content: Vec<(&String, &MediaType)> =
        content.iter().filter(|(media, _)| *media != STREAM_MEDIA_TYPE).collect();
    content.sort_by_key(|(media, _)| (*media != "application/json", !is_json(media), *media));
    let (media, m) = content.first()?;
    let encoding = if is_json(media) { BodyEncoding::Json } else { BodyEncoding::Bytes };
    Some((media.as_str(), m, encoding))
}

fn lower_body(
    document: &OpenAPI,
    op: &openapiv3::Operation,
    type_stem: &str,
    pointer: &str,
    types: &mut SchemaLowerer<'_>,
    warnings: &mut Vec<Warning>,
) -> Option<RequestBody> {
    let body_pointer = format!("{pointer}/requestBody");
    let body = match op.request_body.as_ref()? {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => {
            let components = document.components.as_ref();
            let Some(body) = resolve(reference, "requestBodies", components.map(|c| &c.request_bodies))
            else {
                warnings.push(Warning {
                    pointer: body_pointer,
                    message: format!("unresolvable request body `{reference}` skipped"),
                });
                return None;
            };
            body
        }
    };
    let (media_type, media, encoding) = pick_media(&body.content)?;
    let schema_pointer = format!("{body_pointer}/content/{}/schema", escape_pointer(media_type));
    let ty = match (encoding, &media.schema) {
        (BodyEncoding::Bytes, _) => TypeRef::Bytes,
        (BodyEncoding::Json, Some(schema)) => {
            types.lower_ref(schema, &Naming::root(type_stem, "Request"), &schema_pointer)
        }
        (BodyEncoding::Json, None) => TypeRef::Json,
    };
    Some(RequestBody {
        encoding: encoding_of(&ty, encoding),
        ty,
        required: body.required,
        media_type: media_type.to_owned(),
        doc: body.description.clone(),
    })
}

/// A `format: binary` string is raw bytes whatever media type declares it.
fn encoding_of(ty: &TypeRef, declared: BodyEncoding) -> BodyEncoding {
    if *ty == TypeRef::Bytes {
        BodyEncoding::Bytes
    } else {
        declared
    }
}

/// The item type of an `application/stream+json` response, if it declares one.
fn lower_stream(
    response: &openapiv3::Response,
    type_stem: &str,
    response_pointer: &str,
    types: &mut SchemaLowerer<'_>,
) -> Option<TypeRef> {
    let schema = response.content.get(STREAM_MEDIA_TYPE)?.schema.as_ref()?;
    let pointer = format!("{response_pointer}/content/{}/schema", escape_pointer(STREAM_MEDIA_TYPE));
    Some(types.lower_ref(schema, &Naming::root(type_stem, "ResponseItem"), &pointer))
}

/// The usual reason phrase of an HTTP status, as a type-name word.
fn status_word(status: u16) -> String {
    let word = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{status}"),
    };
    word.to_owned()
}

fn lower_responses(
    document: &OpenAPI,
    op: &openapiv3::Operation,
    method: Method,
    type_stem: &str,
    pointer: &str,
    types: &mut SchemaLowerer<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<Response> {
    let success_bodies = op
        .responses
        .responses
        .iter()
        .filter(|(code, response)| {
            matches!(code, StatusCode::Code(200..=299))
                && response.as_item().is_some_and(|r| !r.content.is_empty())
        })
        .count();
    // Lowered in status order, whatever the document's order (names are claimed first
    // come, first served).
    let mut by_status: Vec<_> = op.responses.responses.iter().collect();
    by_status.sort_by_key(|(code, _)| match code {
        StatusCode::Code(status) => (0, *status),
        StatusCode::Range(range) => (1, *range),
    });
    let mut responses: Vec<Response> = by_status
        .into_iter()
        .filter_map(|(code, response)| {
            let response_pointer = format!("{pointer}/responses/{code}");
            let status = match code {
                StatusCode::Code(status) => *status,
                StatusCode::Range(_) => {
                    warnings.push(Warning {
                        pointer: response_pointer,
                        message: "status ranges are handled as unexpected statuses".to_owned(),
                    });
                    return None;
                }
            };
            let response = match response {
                ReferenceOr::Item(response) => response,
                ReferenceOr::Reference { reference } => {
                    let components = document.components.as_ref();
                    resolve(reference, "responses", components.map(|c| &c.responses))?
                }
            };
            let success = (200..300).contains(&status);
            let media = pick_media(&response.content);
            if method == Method::Head && media.is_some() {
                warnings.push(Warning {
                    pointer: response_pointer.clone(),
                    message: "a HEAD response has no body; its declared content is not decoded"
                        .to_owned(),
                });
            }
            let (body, encoding) = match media {
                Some(_) if method == Method::Head => (None, BodyEncoding::Json),
                Some((media_type, media, encoding)) => {
                    let word = match (success, success_bodies) {
                        (true, 0 | 1) => "Response".to_owned(),
                        (true, _) => format!("{}Response", status_word(status)),
                        (false, _) => format!("{}Error", status_word(status)),
                    };
                    let schema_pointer =
                        format!("{response_pointer}/content/{}/schema", escape_pointer(media_type));
                    let ty = match (encoding, &media.schema) {
                        (BodyEncoding::Bytes, _) => TypeRef::Bytes,
                        (BodyEncoding::Json, Some(schema)) => {
                            types.lower_ref(schema, &Naming::root(type_stem, &word), &schema_pointer)
                        }
                        (BodyEncoding::Json, None) => TypeRef::Json,
                    };
                    let encoding = encoding_of(&ty, encoding);
                    (Some(ty), encoding)
                }
                None => (None, BodyEncoding::Json),
            };
            let stream = match method {
                Method::Head => None,
                _ => lower_stream(response, type_stem, &response_pointer, types),
            };
            Some(Response {
                status,
                variant: status_word(status),
                description: response.description.clone(),
                body,
                encoding,
                stream,
            })
        })
        .collect();
    responses.sort_by_key(|r| r.status);
    responses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_literals_and_parameters() {
        assert_eq!(
            split_path("/v1/installations/{id}/resources/{resourceId}"),
            vec![
                PathSegment::Literal("/v1/installations/".into()),
                PathSegment::Param("id".into()),
                PathSegment::Literal("/resources/".into()),
                PathSegment::Param("resourceId".into()),
            ]
        );
        assert_eq!(split_path("/v2/files"), vec![PathSegment::Literal("/v2/files".into())]);
    }

    #[test]
    fn odd_templates_split_as_the_loader_reads_them() {
        let literal = |text: &str| PathSegment::Literal(text.into());
        let param = |name: &str| PathSegment::Param(name.into());
        assert_eq!(split_path("/a/{b{c}}"), vec![literal("/a/{b"), param("c"), literal("}")]);
        assert_eq!(split_path("/unclosed/{"), vec![literal("/unclosed/{")]);
        assert_eq!(split_path("/}{/"), vec![literal("/}{/")]);
        assert_eq!(split_path("/{}"), vec![literal("/"), param("")]);
        assert_eq!(split_path("{a}{b}"), vec![param("a"), param("b")]);
    }

    #[test]
    fn status_words_are_reason_phrases() {
        assert_eq!(status_word(201), "Created");
        assert_eq!(status_word(299), "Status299");
    }

    #[test]
    fn only_optional_string_query_parameters_name_the_team() {
        let query = ParamLocation::Query;
        assert_eq!(team_scope("teamId", query, false, &TypeRef::String), Some(TeamScope::TeamId));
        assert_eq!(team_scope("slug", query, false, &TypeRef::String), Some(TeamScope::Slug));
        assert_eq!(team_scope("teamId", query, true, &TypeRef::String), None);
        assert_eq!(team_scope("teamId", ParamLocation::Path, false, &TypeRef::String), None);
        assert_eq!(team_scope("slug", query, false, &TypeRef::Integer), None);
        assert_eq!(team_scope("team", query, false, &TypeRef::String), None);
    }
}
