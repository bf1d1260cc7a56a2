//! The intermediate representation: operations and types, with every Rust name decided.
//!
//! Emission reads only these structures; nothing here refers back to openapiv3.

use std::collections::{BTreeMap, BTreeSet};

/// The whole API as the generator will emit it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title` of the document.
    pub title: String,
    /// `info.version` of the document.
    pub version: String,
    /// Operations, ordered by group, then method name.
    pub operations: Vec<Operation>,
    /// Named types, keyed (and so ordered) by their Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// The named types requests send and no answer holds: their optional nullable
    /// fields have three states (left out, `null`, a value; see `nullable`).
    pub request_only: BTreeSet<String>,
}

/// The Cargo feature that enables a group (`log_drains` -> `log-drains`).
pub fn feature_name(group: &str) -> String {
    group.replace('_', "-")
}

impl Api {
    /// The groups (Rust module names) that have operations or types, in order.
    pub fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = self
            .operations
            .iter()
            .map(|op| op.group.clone())
            .chain(self.types.values().map(|ty| ty.group.clone()))
            .collect();
        groups.sort();
        groups.dedup();
        groups
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
}

impl Method {
    /// The method as it is written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `operationId` (after load-time repairs).
    pub id: String,
    /// The snake_case method name on `Client`.
    pub fn_name: String,
    /// The UpperCamelCase stem for this operation's types (`ImportResource`).
    pub type_stem: String,
    /// The Rust module (and Cargo feature) this operation is emitted in: its first tag
    /// (the first one selected, when generating for some tags only).
    pub group: String,
    /// The operation's tags, as written in the document.
    pub tags: Vec<String>,
    /// HTTP method.
    pub method: Method,
    /// The path template as written (`/v1/installations/{integrationConfigurationId}`).
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_segments: Vec<PathSegment>,
    /// Path, query and header parameters in document order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// Declared responses, ordered by status.
    pub responses: Vec<Response>,
    /// The name of the request builder type (`ImportResourceBuilder`).
    pub builder_name: String,
    /// The name of the enum of success responses, when more than one 2xx is declared.
    pub success_enum: Option<String>,
    /// The name of the enum of declared error responses (`ImportResourceError`).
    pub error_enum: String,
    /// How the listing continues page after page, when it does.
    pub paging: Option<Paging>,
    /// `summary` of the operation.
    pub summary: Option<String>,
    /// `description` of the operation.
    pub description: Option<String>,
    /// Whether the document marks it deprecated: `deprecated: true`, or a summary that
    /// ends in `(deprecated)` (as Vercel's document marks replaced endpoints).
    pub deprecated: bool,
    /// The `fn_name` of the operation that replaces this deprecated one, when its
    /// description names it.
    pub replaced_by: Option<String>,
    /// JSON pointer of the operation in the document.
    pub pointer: String,
}

impl Operation {
    /// The responses with a 2xx status.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| (200..300).contains(&r.status))
    }

    /// The responses with a status that is not 2xx: the operation's declared errors.
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !(200..300).contains(&r.status))
    }
}

/// How an operation's listing continues: each answer's cursor goes into a query
/// parameter of the next request.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The Rust name of the builder setter that takes the cursor (`until`).
    pub cursor_param: String,
    /// The query parameter's name on the wire.
    pub cursor_wire_name: String,
    /// The parameter's type: `String`, `Number` or `Integer`.
    pub cursor_ty: TypeRef,
    /// The type of the listed items.
    pub item: TypeRef,
    /// Where the page sits in the success response.
    pub location: PageLocation,
}

/// Where the page sits in a success response.
#[derive(Debug, Clone, PartialEq)]
pub enum PageLocation {
    /// The response is the page.
    Direct(PageFields),
    /// One variant of the response union is the page; other variants end the listing.
    InVariant {
        /// The response union.
        union: String,
        /// The variant holding the page.
        variant: String,
        /// The page's fields.
        fields: PageFields,
    },
}

/// The fields of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFields {
    /// The Rust name of the array of items.
    pub items_field: String,
    /// Its name on the wire.
    pub items_wire_name: String,
    /// Whether the array is an `Option`.
    pub items_optional: bool,
    /// The Rust name of the pagination object.
    pub pagination_field: String,
    /// Whether the pagination object is an `Option`.
    pub pagination_optional: bool,
    /// Where its cursor is.
    pub next: NextCursor,
}

/// Where the next page's cursor is in a pagination object.
#[derive(Debug, Clone, PartialEq)]
pub enum NextCursor {
    /// A field of the pagination struct.
    Field {
        /// Its Rust name.
        field: String,
        /// Its scalar type.
        ty: TypeRef,
        /// Whether it is an `Option`.
        optional: bool,
    },
    /// The pagination object is a union; some of its variants hold a cursor.
    InUnion {
        /// The union.
        union: String,
        /// Each variant, with its cursor field when it has one.
        variants: Vec<(String, Option<NextCursor>)>,
        /// The fallback variant keeping unknown JSON.
        unknown_variant: String,
    },
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text copied as it is.
    Literal(String),
    /// The path parameter with this wire name.
    Param(String),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the URL path.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// The snake_case Rust name, unique within the operation.
    pub rust_name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// Whether the document requires it.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Documentation from the document.
    pub doc: Option<String>,
    /// The client-wide team this parameter falls back to, when it names the team a call
    /// acts for.
    pub team_scope: Option<TeamScope>,
    /// Whether the document marks the parameter (or its schema) deprecated.
    pub deprecated: bool,
}

/// How a call names the team it acts for, when the client has one set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamScope {
    /// The optional `teamId` query parameter.
    TeamId,
    /// The optional `slug` query parameter.
    Slug,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/octet-stream` and other raw bytes.
    Bytes,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The type of the body.
    pub ty: TypeRef,
    /// Whether the document requires a body.
    pub required: bool,
    /// How it is sent.
    pub encoding: BodyEncoding,
    /// The media type, as written.
    pub media_type: String,
    /// Documentation from the document.
    pub doc: Option<String>,
}

/// A declared response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The name of its variant in the operation's outcome or error enum (`Ok`, `NotFound`).
    pub variant: String,
    /// The response description.
    pub description: String,
    /// The body type, when the response declares one.
    pub body: Option<TypeRef>,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The item type, when the response can also be streamed as
    /// `application/stream+json` (one JSON value per line).
    pub stream: Option<TypeRef>,
}

/// A reference to a type: a primitive, a container, or a named type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// Free-form JSON (`serde_json::Value`).
    Json,
    /// A free-form JSON object (`serde_json::Map<String, Value>`).
    JsonObject,
    /// Raw bytes.
    Bytes,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`, for nullable schemas.
    Nullable(Box<TypeRef>),
    /// `Box<T>`, breaking a recursive type.
    Boxed(Box<TypeRef>),
    /// A named type of the IR.
    Named(String),
}

impl TypeRef {
    /// Is this a named type, possibly nullable or boxed?
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => inner.named(),
            _ => None,
        }
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name, unique in the crate.
    pub name: String,
    /// Documentation from the schema.
    pub doc: Option<String>,
    /// JSON pointer of the schema it was built from: a component schema if it is one,
    /// else the first place it occurs.
    pub pointer: String,
    /// Every schema it was built from: identical shapes are one type wherever they occur.
    pub pointers: Vec<String>,
    /// The Rust module it is emitted in: the one group that uses it, or the shared module.
    pub group: String,
    /// The groups whose operations use it, sorted.
    pub used_by: Vec<String>,
    /// Whether a request sends it (in a parameter or body, directly or inside another
    /// type): users build these, so structs among them get a constructor and setters.
    pub sent: bool,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
    /// A oneOf/anyOf union.
    Union(Union),
    /// A named alias of another type (a component that is not an object).
    Alias(TypeRef),
}

/// A struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    /// Its fields, in document order.
    pub fields: Vec<Field>,
    /// The field that keeps additional properties (flattened), if the schema allows them.
    pub additional: Option<Field>,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The snake_case Rust name, unique in the struct.
    pub rust_name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// The type (already `Nullable` when the schema is nullable, or, in a request-only
    /// type, when its description says `null` may be sent).
    pub ty: TypeRef,
    /// Whether the property is required.
    pub required: bool,
    /// Documentation from the schema.
    pub doc: Option<String>,
    /// Whether the value is a secret to redact from `Debug`.
    pub secret: bool,
    /// Whether the schema marks the property deprecated.
    pub deprecated: bool,
}

/// A string enum. Every enum keeps unknown values in a catch-all variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Enum {
    /// Its known values.
    pub variants: Vec<EnumVariant>,
    /// The name of the catch-all variant holding unknown values.
    pub unknown_variant: String,
}

/// A known value of an enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The UpperCamelCase Rust name.
    pub rust_name: String,
    /// The value on the wire.
    pub value: String,
}

/// A oneOf/anyOf union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    /// The property that tags every variant, when there is one.
    pub tag: Option<String>,
    /// The variants, in the order a decoder should try them.
    pub variants: Vec<UnionVariant>,
    /// The name of the fallback variant keeping unknown JSON.
    pub unknown_variant: String,
}

/// One variant of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    /// The UpperCamelCase Rust name.
    pub rust_name: String,
    /// The payload type.
    pub ty: TypeRef,
    /// The tag value, for tagged unions.
    pub tag_value: Option<String>,
    /// Documentation from the variant schema.
    pub doc: Option<String>,
}
