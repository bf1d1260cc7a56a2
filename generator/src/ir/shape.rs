//! One flat view of an openapiv3 schema, whatever `SchemaKind` openapiv3 chose for it.
//!
//! openapiv3 sorts schemas into typed variants, but real documents mix keywords
//! (`type: object` beside `oneOf`, `enum` without `type`), which it files under
//! `SchemaKind::Any`. The lowering code reads this view instead, so every
//! keyword is seen exactly once.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

/// The keywords of one schema that decide its Rust type.
#[derive(Debug, Clone, Default)]
pub struct Shape<'a> {
    /// The `type` keyword.
    pub typ: Option<&'a str>,
    /// The `format` keyword.
    pub format: Option<&'a str>,
    /// The `enum` values (null included).
    pub enum_values: Vec<Value>,
    /// The `properties`.
    pub properties: Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    /// The `required` property names.
    pub required: &'a [String],
    /// The `additionalProperties` keyword.
    pub additional: Option<&'a AdditionalProperties>,
    /// The `items` schema.
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    /// `oneOf` variants.
    pub one_of: &'a [ReferenceOr<Schema>],
    /// `anyOf` variants.
    pub any_of: &'a [ReferenceOr<Schema>],
    /// `allOf` parts.
    pub all_of: &'a [ReferenceOr<Schema>],
    /// Whether a `not` keyword is present.
    pub has_not: bool,
}

impl<'a> Shape<'a> {
    /// Reads the shape of `schema`.
    pub fn of(schema: &'a Schema) -> Self {
        match &schema.schema_kind {
            SchemaKind::Type(ty) => Self::of_type(ty),
            SchemaKind::OneOf { one_of } => Shape {
                one_of,
                ..Shape::default()
            },
            SchemaKind::AnyOf { any_of } => Shape {
                any_of,
                ..Shape::default()
            },
            SchemaKind::AllOf { all_of } => Shape {
                all_of,
                ..Shape::default()
            },
            SchemaKind::Not { .. } => Shape {
                has_not: true,
                ..Shape::default()
            },
            SchemaKind::Any(any) => Shape {
                typ: any.typ.as_deref(),
                format: any.format.as_deref(),
                enum_values: any.enumeration.clone(),
                properties: Some(&any.properties).filter(|p| !p.is_empty()),
                required: &any.required,
                additional: any.additional_properties.as_ref(),
                items: any.items.as_ref(),
                one_of: &any.one_of,
                any_of: &any.any_of,
                all_of: &any.all_of,
                has_not: any.not.is_some(),
            },
        }
    }

    fn of_type(ty: &'a Type) -> Self {
        match ty {
            Type::String(s) => Shape {
                typ: Some("string"),
                format: match &s.format {
                    openapiv3::VariantOrUnknownOrEmpty::Item(f) => Some(string_format_name(f)),
                    openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                    openapiv3::VariantOrUnknownOrEmpty::Empty => None,
                },
                enum_values: s.enumeration.iter().map(|v| json_or_null(v.clone())).collect(),
                ..Shape::default()
            },
            Type::Number(n) => Shape {
                typ: Some("number"),
                enum_values: n.enumeration.iter().map(|v| json_or_null(*v)).collect(),
                ..Shape::default()
            },
            Type::Integer(i) => Shape {
                typ: Some("integer"),
                enum_values: i.enumeration.iter().map(|v| json_or_null(*v)).collect(),
                ..Shape::default()
            },
            Type::Boolean(b) => Shape {
                typ: Some("boolean"),
                enum_values: b.enumeration.iter().map(|v| json_or_null(*v)).collect(),
                ..Shape::default()
            },
            Type::Object(o) => Shape {
                typ: Some("object"),
                properties: Some(&o.properties).filter(|p| !p.is_empty()),
                required: &o.required,
                additional: o.additional_properties.as_ref(),
                ..Shape::default()
            },
            Type::Array(a) => Shape {
                typ: Some("array"),
                items: a.items.as_ref(),
                ..Shape::default()
            },
        }
    }

    /// Does the schema describe an object with named properties or required names?
    pub fn has_fields(&self) -> bool {
        self.properties.is_some() || !self.required.is_empty()
    }

    /// The union variants (`oneOf` or `anyOf`), if any.
    pub fn union_variants(&self) -> &'a [ReferenceOr<Schema>] {
        if self.one_of.is_empty() {
            self.any_of
        } else {
            self.one_of
        }
    }

    /// Is this a union (`oneOf` or `anyOf` keyword present)?
    pub fn is_union(&self) -> bool {
        !self.one_of.is_empty() || !self.any_of.is_empty()
    }
}

fn json_or_null<T: Into<Value>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, Into::into)
}

fn string_format_name(format: &openapiv3::StringFormat) -> &'static str {
    match format {
        openapiv3::StringFormat::Date => "date",
        openapiv3::StringFormat::DateTime => "date-time",
        openapiv3::StringFormat::Password => "password",
        openapiv3::StringFormat::Byte => "byte",
        openapiv3::StringFormat::Binary => "binary",
    }
}
