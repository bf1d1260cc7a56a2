//! Lowering JSON schemas to IR types, naming every anonymous type from its context.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use super::model::{
    Enum, EnumVariant, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};
use super::shape::Shape;
use crate::load::Warning;
use crate::names::{field_name, safe_type_name, singular, type_name, Scope};

/// The module that holds the types used by several groups.
pub const SHARED_GROUP: &str = "shared";

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// How deep schemas may nest (counting references followed) before the rest is typed
/// as free-form JSON. Vercel's documents nest about 20 deep; the limit keeps recursion
/// bounded for any document.
pub const MAX_DEPTH: usize = 64;

/// How many named types one document may give (Vercel's gives about 4,000). Merging
/// `allOf` parts copies their properties, so a document can ask for exponentially many
/// types; beyond the limit, schemas are typed as free-form JSON.
pub const MAX_TYPES: usize = 100_000;

/// What a type is at the place it occurs, for choosing its final name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// An operation's request body, response or stream item.
    Root,
    /// A component schema.
    Component,
    /// A property or parameter.
    Property,
    /// The item of an array.
    Item,
    /// The value of a map, or the additional properties of an object.
    Value,
    /// A variant of a union.
    Variant,
}

/// What a name is qualified with when it needs its context: an operation's stem, or
/// the final name of the type it occurs in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qualifier {
    /// An operation's type stem (`ImportResource`).
    Stem(String),
    /// The type (by its provisional name) that holds this one.
    Type(String),
}

/// Whether the values of a schema are secrets, decided from the properties that lead
/// to it: the items of a `secrets` property hold a secret `value` and per-environment
/// overrides of it (`environmentOverrides`), all secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecretContext {
    /// Nothing here is secret by its place.
    #[default]
    None,
    /// Inside a `secrets` list: a `value` is secret.
    Holder,
    /// Inside a secret's `environmentOverrides`: every value is secret.
    AllSecret,
}

/// How to name a type created at one place in the document.
///
/// While lowering, a type gets a provisional name: `stem + word`; if that is taken by a
/// different type, `alt_stem + word`, then a numbered name. Children of the new type are
/// named from `child_stem` (or the new type's own name). The final names are chosen after
/// identical shapes are merged, from `role`, `bare` and `qualifier` (see `naming`).
#[derive(Debug, Clone)]
pub struct Naming {
    /// The prefix of the name (`ImportResource`).
    pub stem: String,
    /// A second prefix to try when the first name is taken.
    pub alt_stem: Option<String>,
    /// What this type is within its parent (`BillingPlan`, `Request`).
    pub word: String,
    /// The stem for this type's children, when it is not the type's own name.
    pub child_stem: Option<String>,
    /// What the type is at this place.
    pub role: Role,
    /// The name a person would give the type from this place alone (`Project` for the
    /// items of `projects`), when the word can stand alone.
    pub bare: Option<String>,
    /// What the word is qualified with when it cannot stand alone.
    pub qualifier: Qualifier,
    /// The qualifier of this type's children, when it is not the type itself.
    pub child_qualifier: Option<Qualifier>,
    /// Whether values here are secrets.
    pub secrets: SecretContext,
}

impl Naming {
    /// The naming of an operation-level root type (`ImportResource` + `Request`).
    pub fn root(stem: &str, word: &str) -> Self {
        Naming {
            stem: stem.to_owned(),
            alt_stem: None,
            word: word.to_owned(),
            child_stem: Some(stem.to_owned()),
            role: Role::Root,
            bare: None,
            qualifier: Qualifier::Stem(stem.to_owned()),
            child_qualifier: Some(Qualifier::Stem(stem.to_owned())),
            secrets: SecretContext::None,
        }
    }

    /// The naming of the type of an operation's parameter (`GetDeployments` + `State`).
    pub fn parameter(stem: &str, word: &str) -> Self {
        Naming {
            role: Role::Property,
            bare: Some(word.to_owned()),
            ..Naming::root(stem, word)
        }
    }

    /// The naming of a component schema and its children.
    fn component(name: &str) -> Self {
        Naming {
            stem: name.to_owned(),
            alt_stem: None,
            word: String::new(),
            child_stem: None,
            role: Role::Component,
            bare: Some(name.to_owned()),
            qualifier: Qualifier::Type(name.to_owned()),
            child_qualifier: None,
            secrets: SecretContext::None,
        }
    }

    fn candidates(&self) -> Vec<String> {
        let mut names = vec![format!("{}{}", self.stem, self.word)];
        if let Some(alt) = &self.alt_stem {
            names.push(format!("{alt}{}", self.word));
        }
        names
    }

    /// The provisional name this naming asks for first.
    pub fn first_candidate(&self) -> String {
        format!("{}{}", self.stem, self.word)
    }

    /// The naming of a child of the type named `parent` (a property, variant or item).
    fn child(&self, parent: &str, word: String) -> Naming {
        let stem = self.child_stem.clone().unwrap_or_else(|| parent.to_owned());
        Naming {
            alt_stem: (stem != parent).then(|| parent.to_owned()),
            stem,
            bare: Some(word.clone()),
            word,
            child_stem: None,
            role: Role::Property,
            qualifier: self.child_qualifier.clone().unwrap_or_else(|| Qualifier::Type(parent.to_owned())),
            child_qualifier: None,
            secrets: SecretContext::None,
        }
    }

    /// The naming of the type of property `wire_name` of the object `parent`.
    fn property(&self, parent: &str, wire_name: &str) -> Naming {
        let secrets = match self.secrets {
            SecretContext::Holder | SecretContext::AllSecret if wire_name == "environmentOverrides" => {
                SecretContext::AllSecret
            }
            SecretContext::AllSecret => SecretContext::AllSecret,
            _ if wire_name.eq_ignore_ascii_case("secrets") => SecretContext::Holder,
            _ => SecretContext::None,
        };
        Naming {
            secrets,
            ..self.child(parent, type_name(wire_name))
        }
    }

    /// The naming of a union variant: named after the union, while its own children
    /// are named after the union too (not after the variant, whose name depends on
    /// its siblings), so they keep their names when a sibling changes.
    fn variant(&self, union: &str, word: String) -> Naming {
        let child = self.child(union, word);
        Naming {
            child_stem: Some(self.child_stem.clone().unwrap_or_else(|| union.to_owned())),
            child_qualifier: Some(self.child_qualifier.clone().unwrap_or_else(|| Qualifier::Type(union.to_owned()))),
            role: Role::Variant,
            bare: None,
            secrets: self.secrets,
            ..child
        }
    }

    /// The naming of an item of an array named by this naming (`Secrets` -> `Secret`).
    fn item(&self) -> Naming {
        let singular = singular(&self.word);
        let word = singular.clone().unwrap_or_else(|| format!("{}Item", self.word));
        Naming {
            word,
            role: Role::Item,
            bare: singular.filter(|_| self.bare.is_some()),
            ..self.clone()
        }
    }

    /// The naming of the values of a map named by this naming.
    fn value(&self) -> Naming {
        Naming {
            word: format!("{}Value", self.word),
            role: Role::Value,
            bare: None,
            ..self.clone()
        }
    }
}

/// One place a provisional type occurs, for choosing its final name.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// The JSON pointer of the schema.
    pub pointer: String,
    /// What the type is there.
    pub role: Role,
    /// The provisional name asked for there (`GetProjectResponse`).
    pub provisional: String,
    /// The word naming it there (`Permissions`).
    pub word: String,
    /// The name it could have alone, when the word can stand alone.
    pub bare: Option<String>,
    /// What the word is qualified with otherwise.
    pub qualifier: Qualifier,
}

impl Occurrence {
    fn at(naming: &Naming, pointer: &str) -> Self {
        Occurrence {
            pointer: pointer.to_owned(),
            role: naming.role,
            provisional: naming.first_candidate(),
            word: naming.word.clone(),
            bare: naming.bare.clone(),
            qualifier: naming.qualifier.clone(),
        }
    }
}

/// Builds IR types from schemas, deciding each type's name once.
pub struct SchemaLowerer<'a> {
    document: &'a OpenAPI,
    raw: &'a Value,
    /// The types built so far, by name.
    pub types: BTreeMap<String, TypeDef>,
    /// Problems met while lowering, each with its pointer.
    pub warnings: Vec<Warning>,
    names: Scope,
    /// The pointer of the schema each claimed name was built from.
    sources: BTreeMap<String, String>,
    components: BTreeMap<String, TypeRef>,
    /// How many schemas are being lowered, one inside the other.
    depth: usize,
    /// The `allOf` parts (references) being merged, outermost first.
    merging: Vec<String>,
    /// Every place each provisional type occurs, in the order they were met.
    pub occurrences: BTreeMap<String, Vec<Occurrence>>,
    /// The provisional types in the order they were first met.
    pub order: Vec<String>,
    /// The crate-level names no schema stands behind (builders, error enums), which
    /// no type may take.
    pub reserved: Vec<String>,
}

/// One variant of a union, resolved.
struct VariantSource<'s> {
    schema: &'s ReferenceOr<Schema>,
    resolved: Option<&'s Schema>,
    component: Option<&'s str>,
    pointer: String,
}

impl<'a> SchemaLowerer<'a> {
    /// A lowerer for `document`, whose raw JSON is `raw`, with no types yet.
    pub fn new(document: &'a OpenAPI, raw: &'a Value) -> Self {
        SchemaLowerer {
            document,
            raw,
            types: BTreeMap::new(),
            warnings: Vec::new(),
            names: Scope::with_reserved(&[]),
            sources: BTreeMap::new(),
            components: BTreeMap::new(),
            depth: 0,
            merging: Vec::new(),
            occurrences: BTreeMap::new(),
            order: Vec::new(),
            reserved: Vec::new(),
        }
    }

    /// Claims a crate-level type name that no schema stands behind (such as an
    /// operation's enum of success responses).
    pub fn claim_name(&mut self, name: &str) -> String {
        let name = self.names.claim(name);
        self.reserved.push(name.clone());
        name
    }

    /// Records that the provisional type `name` occurs where `naming` and `pointer` say.
    fn occurs(&mut self, name: &str, naming: &Naming, pointer: &str) {
        let places = self.occurrences.entry(name.to_owned()).or_default();
        if places.is_empty() {
            self.order.push(name.to_owned());
        }
        places.push(Occurrence::at(naming, pointer));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    /// Lowers a schema or reference found at `pointer`.
    pub fn lower_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        naming: &Naming,
        pointer: &str,
    ) -> TypeRef {
        if self.depth >= MAX_DEPTH {
            self.warn(pointer, format!("schemas nest more than {MAX_DEPTH} deep here; typed as free-form JSON"));
            return TypeRef::Json;
        }
        if self.sources.len() >= MAX_TYPES {
            if self.sources.len() == MAX_TYPES {
                self.warn(pointer, format!("the document gives more than {MAX_TYPES} types; this and later schemas are free-form JSON"));
                self.sources.insert(String::new(), String::new());
            }
            return TypeRef::Json;
        }
        self.depth += 1;
        let ty = match schema {
            ReferenceOr::Reference { reference } => self.component(reference, pointer),
            ReferenceOr::Item(schema) => self.lower(schema.borrow(), naming, pointer),
        };
        self.depth -= 1;
        ty
    }

    /// The type of the component schema `reference` points to, lowering it on first use.
    fn component(&mut self, reference: &str, pointer: &str) -> TypeRef {
        if let Some(ty) = self.components.get(reference) {
            return ty.clone();
        }
        let Some((key, schema)) = self.resolve(reference) else {
            self.warn(pointer, format!("unresolvable $ref `{reference}`, typed as free-form JSON"));
            return TypeRef::Json;
        };
        let name = self.names.claim(&safe_type_name(key));
        let ty = TypeRef::Named(name.clone());
        self.components.insert(reference.to_owned(), ty.clone());
        let component_pointer = format!("/components/schemas/{}", escape_pointer(key));
        self.sources.insert(name.clone(), component_pointer.clone());
        let naming = Naming::component(&name);
        self.occurs(&name, &naming, &component_pointer);
        let kind = match self.lower_to_kind(schema, &name, &naming, &component_pointer) {
            Some(kind) => kind,
            None => TypeKind::Alias(self.lower(schema, &naming, &component_pointer)),
        };
        let doc = schema.schema_data.description.clone();
        self.insert(name, doc, component_pointer, kind);
        ty
    }

    fn resolve(&self, reference: &str) -> Option<(&'a str, &'a Schema)> {
        let key = reference.strip_prefix(COMPONENT_PREFIX)?;
        let components = self.document.components.as_ref()?;
        let (key, schema) = components.schemas.get_key_value(key)?;
        match schema {
            ReferenceOr::Item(schema) => Some((key.as_str(), schema)),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The schema a variant or part stands for, following a component reference.
    fn resolve_schema<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.resolve(reference).map(|(_, s)| s),
        }
    }

    /// Records a type; its module is decided once all operations are lowered.
    fn insert(&mut self, name: String, doc: Option<String>, pointer: String, kind: TypeKind) {
        self.types.insert(
            name.clone(),
            TypeDef {
                name,
                doc,
                pointers: vec![pointer.clone()],
                pointer,
                group: String::new(),
                used_by: Vec::new(),
                sent: false,
                kind,
            },
        );
    }

    /// Lowers an inline schema.
    pub fn lower(&mut self, schema: &Schema, naming: &Naming, pointer: &str) -> TypeRef {
        let shape = Shape::of(schema);
        let nullable = schema.schema_data.nullable
            || shape.enum_values.contains(&Value::Null)
            || shape.union_variants().iter().any(is_null_only);
        let ty = self.lower_shape(schema, &shape, naming, pointer);
        if nullable && !matches!(ty, TypeRef::Json | TypeRef::Nullable(_)) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn lower_shape(
        &mut self,
        schema: &Schema,
        shape: &Shape<'_>,
        naming: &Naming,
        pointer: &str,
    ) -> TypeRef {
        if shape.is_union() {
            return self.union_or_single(schema, shape, naming, pointer);
        }
        if shape.has_fields() || is_string_enum(shape) || shape.all_of.len() > 1 {
            return self.named(schema, naming, pointer);
        }
        if let [only] = shape.all_of {
            return self.lower_ref(only, naming, &format!("{pointer}/allOf/0"));
        }
        if shape.has_not {
            self.warn(pointer, "`not` cannot be expressed in Rust types; typed as free-form JSON");
            return TypeRef::Json;
        }
        match shape.typ {
            Some("string") if shape.format == Some("binary") => TypeRef::Bytes,
            Some("string") => TypeRef::String,
            Some("number") if is_integer_enum(shape) => TypeRef::Integer,
            Some("number") => TypeRef::Number,
            Some("integer") => TypeRef::Integer,
            Some("boolean") => TypeRef::Boolean,
            Some("array") => match shape.items {
                Some(items) => {
                    let item = self.lower_ref(items, &naming.item(), &format!("{pointer}/items"));
                    TypeRef::Array(Box::new(item))
                }
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            Some("object") => self.map_or_object(shape, naming, pointer),
            None if shape.additional.is_some() => self.map_or_object(shape, naming, pointer),
            None => TypeRef::Json,
            Some(other) => {
                self.warn(pointer, format!("unknown type `{other}`, typed as free-form JSON"));
                TypeRef::Json
            }
        }
    }

    /// An object without properties: a typed map, or a free-form JSON object.
    fn map_or_object(&mut self, shape: &Shape<'_>, naming: &Naming, pointer: &str) -> TypeRef {
        match shape.additional {
            Some(AdditionalProperties::Schema(value)) => {
                let value = self.lower_ref(
                    value,
                    &naming.value(),
                    &format!("{pointer}/additionalProperties"),
                );
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::JsonObject,
        }
    }

    /// A union with one non-null variant that carries no tag is that variant's type.
    fn union_or_single(
        &mut self,
        schema: &Schema,
        shape: &Shape<'_>,
        naming: &Naming,
        pointer: &str,
    ) -> TypeRef {
        let keyword = union_keyword(shape);
        let live: Vec<(usize, &ReferenceOr<Schema>)> = shape
            .union_variants()
            .iter()
            .enumerate()
            .filter(|(_, variant)| !is_null_only(variant))
            .collect();
        match live.as_slice() {
            [] => {
                self.warn(pointer, format!("empty `{keyword}`, typed as free-form JSON"));
                TypeRef::Json
            }
            [(index, only)] if self.tag_of(&[*only]).is_none() && !shape.has_fields() => {
                self.lower_ref(*only, naming, &format!("{pointer}/{keyword}/{index}"))
            }
            _ => self.named(schema, naming, pointer),
        }
    }

    /// Creates (or reuses) the named type for an object, enum, union or merged allOf.
    fn named(&mut self, schema: &Schema, naming: &Naming, pointer: &str) -> TypeRef {
        let candidates = naming.candidates();
        if let Some(same) = candidates.iter().find(|name| self.same_schema(name, pointer)).cloned() {
            self.occurs(&same, naming, pointer);
            return TypeRef::Named(same);
        }
        let free = candidates.iter().find(|name| !self.names.contains(name));
        let name = self.names.claim(free.unwrap_or(&candidates[0]));
        // Reserve the name before lowering children, so they cannot take it.
        self.sources.insert(name.clone(), pointer.to_owned());
        self.occurs(&name, naming, pointer);
        match self.lower_to_kind(schema, &name, naming, pointer) {
            Some(kind) => {
                let doc = with_constraint_note(schema.schema_data.description.clone(), &Shape::of(schema));
                self.insert(name.clone(), doc, pointer.to_owned(), kind);
                TypeRef::Named(name)
            }
            None => {
                self.warn(pointer, "schema has no shape a named type can take; free-form JSON");
                TypeRef::Json
            }
        }
    }

    /// Was `name` built from a schema equal to the one at `pointer`?
    fn same_schema(&self, name: &str, pointer: &str) -> bool {
        let Some(source) = self.sources.get(name) else {
            return false;
        };
        source == pointer
            || matches!(
                (self.raw.pointer(source), self.raw.pointer(pointer)),
                (Some(a), Some(b)) if a == b
            )
    }

    /// The kind of named type a schema becomes, or `None` for a plain (aliasable) type.
    fn lower_to_kind(
        &mut self,
        schema: &Schema,
        name: &str,
        naming: &Naming,
        pointer: &str,
    ) -> Option<TypeKind> {
        let shape = Shape::of(schema);
        if shape.is_union() {
            let doc = schema.schema_data.description.as_deref();
            return Some(self.union(&shape, doc, name, naming, pointer));
        }
        if !shape.all_of.is_empty() && (shape.all_of.len() > 1 || shape.has_fields()) {
            return Some(TypeKind::Struct(self.merged(&shape, name, naming, pointer)));
        }
        if shape.has_fields() {
            let properties = shape.properties.cloned().unwrap_or_default();
            let object = ObjectParts {
                properties,
                required: shape.required.to_vec(),
                additional: shape.additional.cloned(),
                conditional: Vec::new(),
            };
            return Some(TypeKind::Struct(self.object(&object, name, naming, pointer)));
        }
        if is_string_enum(&shape) {
            return Some(TypeKind::Enum(string_enum(&shape.enum_values)));
        }
        None
    }

    /// Merges the object parts of an `allOf` (and any sibling properties) into one struct.
    fn merged(&mut self, shape: &Shape<'_>, name: &str, naming: &Naming, pointer: &str) -> Struct {
        let mut object = ObjectParts {
            properties: shape.properties.cloned().unwrap_or_default(),
            required: shape.required.to_vec(),
            additional: shape.additional.cloned(),
            conditional: Vec::new(),
        };
        for (index, part) in shape.all_of.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{index}");
            if let ReferenceOr::Reference { reference } = part {
                if self.merging.contains(reference) {
                    self.warn(
                        &part_pointer,
                        format!("allOf part `{reference}` is already being merged here (a recursive allOf); skipped"),
                    );
                    continue;
                }
            }
            let Some(part_schema) = self.resolve_schema(part) else {
                self.warn(&part_pointer, "unresolvable allOf part skipped");
                continue;
            };
            let part_shape = Shape::of(part_schema);
            if !part_shape.has_fields() && part_shape.typ != Some("object") {
                self.warn(&part_pointer, "allOf part is not an object; only objects are merged");
                continue;
            }
            object.absorb(&part_shape);
        }
        let references: Vec<String> = shape
            .all_of
            .iter()
            .filter_map(|part| match part {
                ReferenceOr::Reference { reference } if !self.merging.contains(reference) => Some(reference.clone()),
                _ => None,
            })
            .collect();
        let outer = self.merging.len();
        self.merging.extend(references);
        let merged = self.object(&object, name, naming, pointer);
        self.merging.truncate(outer);
        merged
    }

    /// A struct from properties, required names and additionalProperties.
    fn object(&mut self, object: &ObjectParts, name: &str, naming: &Naming, pointer: &str) -> Struct {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        // Secrets of Marketplace resources: their `value`, and the per-environment
        // overrides of that value.
        let all_secret = naming.secrets == SecretContext::AllSecret;
        let secret_holder = naming.secrets == SecretContext::Holder;
        for (wire_name, schema) in &object.properties {
            let child = naming.property(name, wire_name);
            let field_pointer = format!("{pointer}/properties/{}", escape_pointer(wire_name));
            let ty = self.lower_ref(schema, &child, &field_pointer);
            let (doc, deprecated) = match schema {
                ReferenceOr::Item(schema) => (schema.schema_data.description.clone(), schema.schema_data.deprecated),
                ReferenceOr::Reference { .. } => (None, false),
            };
            fields.push(Field {
                rust_name: scope.claim(&field_name(wire_name)),
                wire_name: wire_name.clone(),
                ty,
                required: object.required.contains(wire_name),
                doc,
                secret: all_secret || is_secret(wire_name) || (secret_holder && wire_name == "value"),
                deprecated,
            });
        }
        let mut seen = BTreeSet::new();
        for wire_name in &object.required {
            if object.properties.contains_key(wire_name) || !seen.insert(wire_name) {
                continue;
            }
            fields.push(Field {
                rust_name: scope.claim(&field_name(wire_name)),
                wire_name: wire_name.clone(),
                ty: TypeRef::Json,
                required: true,
                doc: Some("Required by the API; its type is not described.".to_owned()),
                secret: false,
                deprecated: false,
            });
        }
        for wire_name in &object.conditional {
            if object.properties.contains_key(wire_name) || !seen.insert(wire_name) {
                continue;
            }
            fields.push(Field {
                rust_name: scope.claim(&field_name(wire_name)),
                wire_name: wire_name.clone(),
                ty: TypeRef::Json,
                required: false,
                doc: Some("Required by the API in some cases (see the type's documentation); its type is not described.".to_owned()),
                secret: false,
                deprecated: false,
            });
        }
        let additional_type = match &object.additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(value)) => Some(self.lower_ref(
                value,
                &Naming {
                    role: Role::Value,
                    bare: None,
                    ..naming.child(name, "Extra".to_owned())
                },
                &format!("{pointer}/additionalProperties"),
            )),
            _ => None,
        };
        let additional = additional_type.map(|ty| Field {
            rust_name: scope.claim("additional_properties"),
            wire_name: String::new(),
            ty,
            required: true,
            doc: Some("Properties not named by the schema.".to_owned()),
            secret: false,
            deprecated: false,
        });
        Struct { fields, additional }
    }

    /// The property that tags every variant with a distinct single value, if any.
    fn tag_of(&self, variants: &[&ReferenceOr<Schema>]) -> Option<String> {
        let shapes: Vec<Shape<'_>> = variants
            .iter()
            .map(|variant| match variant {
                ReferenceOr::Item(schema) => Some(Shape::of(schema)),
                ReferenceOr::Reference { .. } => None,
            })
            .collect::<Option<_>>()?;
        let first = shapes.first()?;
        first.required.iter().find_map(|candidate| {
            let mut values = BTreeSet::new();
            shapes
                .iter()
                .all(|shape| {
                    shape.required.contains(candidate)
                        && tag_value(shape, candidate).is_some_and(|v| values.insert(v))
                })
                .then(|| candidate.clone())
        })
    }

    /// A union: internally tagged when every variant carries an implicit tag.
    fn union(
        &mut self,
        shape: &Shape<'_>,
        union_doc: Option<&str>,
        name: &str,
        naming: &Naming,
        pointer: &str,
    ) -> TypeKind {
        if shape.has_fields() {
            return self.union_with_siblings(shape, name, naming, pointer);
        }
        let keyword = union_keyword(shape);
        let sources: Vec<VariantSource<'_>> = shape
            .union_variants()
            .iter()
            .enumerate()
            .filter(|(_, variant)| !is_null_only(variant))
            .map(|(index, schema)| VariantSource {
                schema,
                resolved: self.resolve_schema(schema),
                component: match schema {
                    ReferenceOr::Reference { reference } => reference.strip_prefix(COMPONENT_PREFIX),
                    ReferenceOr::Item(_) => None,
                },
                pointer: format!("{pointer}/{keyword}/{index}"),
            })
            .collect();
        let refs: Vec<&ReferenceOr<Schema>> = sources.iter().map(|s| s.schema).collect();
        let tag = self.tag_of(&refs);
        let counts = required_counts(sources.iter().filter_map(|s| s.resolved));
        let properties = property_counts(sources.iter().filter_map(|s| s.resolved));
        let by_constants = tag.is_none()
            && sources.iter().all(|s| s.component.is_none())
            && sources.iter().any(|s| s.resolved.is_some_and(|r| !constants(&Shape::of(r)).is_empty()));
        let shapes: Vec<Shape<'_>> = sources.iter().map(|s| s.resolved.map(Shape::of).unwrap_or_default()).collect();
        let words: Vec<String> = sources
            .iter()
            .zip(&shapes)
            .map(|(source, shape)| {
                let tag_value = tag.as_deref().and_then(|t| tag_value(shape, t));
                if by_constants && !constants(shape).is_empty() {
                    constant_variant_word(&sources, shape)
                } else {
                    variant_word(source, shape, tag_value, &counts, &properties)
                }
            })
            .collect();
        let words = set_apart(words, &shapes);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for ((source, shape), word) in sources.iter().zip(&shapes).zip(&words) {
            let tag_value = tag.as_deref().and_then(|t| tag_value(shape, t)).map(str::to_owned);
            let rust_name = scope.claim(word);
            let child = naming.variant(name, rust_name.clone());
            let ty = match (&tag, source.resolved) {
                (Some(tag), Some(schema)) => {
                    self.tagged_variant(schema, shape, tag, &child, &source.pointer)
                }
                _ => self.lower_ref(source.schema, &child, &source.pointer),
            };
            // A variant that repeats the union's own description says nothing of itself.
            let doc = source
                .resolved
                .and_then(|s| s.schema_data.description.clone())
                .filter(|doc| Some(doc.as_str()) != union_doc);
            variants.push(UnionVariant { rust_name, ty, tag_value, doc });
        }
        if tag.is_none() {
            order_for_untagged_decoding(&mut variants, self);
        }
        TypeKind::Union(Union {
            tag,
            variants,
            unknown_variant: scope.claim("Unknown"),
        })
    }

    /// The struct of a tagged variant: its properties less the tag.
    fn tagged_variant(
        &mut self,
        schema: &Schema,
        shape: &Shape<'_>,
        tag: &str,
        naming: &Naming,
        pointer: &str,
    ) -> TypeRef {
        let mut properties = shape.properties.cloned().unwrap_or_default();
        properties.shift_remove(tag);
        let object = ObjectParts {
            properties,
            required: shape.required.iter().filter(|r| *r != tag).cloned().collect(),
            additional: shape.additional.cloned(),
            conditional: Vec::new(),
        };
        let doc = schema.schema_data.description.clone();
        self.struct_type(&object, doc, naming, pointer)
    }

    /// A new named struct from object parts.
    fn struct_type(
        &mut self,
        object: &ObjectParts,
        doc: Option<String>,
        naming: &Naming,
        pointer: &str,
    ) -> TypeRef {
        let candidates = naming.candidates();
        let free = candidates.iter().find(|name| !self.names.contains(name));
        let name = self.names.claim(free.unwrap_or(&candidates[0]));
        self.sources.insert(name.clone(), pointer.to_owned());
        self.occurs(&name, naming, pointer);
        let kind = TypeKind::Struct(self.object(object, &name, naming, pointer));
        self.insert(name.clone(), doc, pointer.to_owned(), kind);
        TypeRef::Named(name)
    }

    /// A union with sibling `properties`: those are merged into every object variant.
    /// When the variants only list `required` names ("one of these fields must be set"),
    /// the result is one struct of the properties.
    fn union_with_siblings(
        &mut self,
        shape: &Shape<'_>,
        name: &str,
        naming: &Naming,
        pointer: &str,
    ) -> TypeKind {
        let siblings = ObjectParts {
            properties: shape.properties.cloned().unwrap_or_default(),
            required: shape.required.to_vec(),
            additional: shape.additional.cloned(),
            conditional: Vec::new(),
        };
        let keyword = union_keyword(shape);
        let live: Vec<(usize, &ReferenceOr<Schema>)> = shape
            .union_variants()
            .iter()
            .enumerate()
            .filter(|(_, variant)| !is_null_only(variant))
            .collect();
        if live.iter().all(|(_, variant)| is_constraint_only(variant)) {
            let mut object = siblings;
            for (_, variant) in &live {
                if let ReferenceOr::Item(variant) = variant {
                    for required in Shape::of(variant).required {
                        if !object.conditional.contains(required) {
                            object.conditional.push(required.clone());
                        }
                    }
                }
            }
            return TypeKind::Struct(self.object(&object, name, naming, pointer));
        }
        let counts = required_counts(live.iter().filter_map(|(_, v)| self.resolve_schema(v)));
        let properties = property_counts(live.iter().filter_map(|(_, v)| self.resolve_schema(v)));
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (index, variant) in live {
            let source = VariantSource {
                schema: variant,
                resolved: self.resolve_schema(variant),
                component: match variant {
                    ReferenceOr::Reference { reference } => reference.strip_prefix(COMPONENT_PREFIX),
                    ReferenceOr::Item(_) => None,
                },
                pointer: format!("{pointer}/{keyword}/{index}"),
            };
            let variant_shape = source.resolved.map(Shape::of).unwrap_or_default();
            let object_like = variant_shape.has_fields()
                || variant_shape.typ == Some("object")
                || is_constraint_only(variant);
            let rust_name = scope.claim(&variant_word(&source, &variant_shape, None, &counts, &properties));
            let child = naming.variant(name, rust_name.clone());
            let doc = source.resolved.and_then(|s| s.schema_data.description.clone());
            let ty = if object_like {
                let mut merged = siblings.clone();
                merged.absorb(&variant_shape);
                self.struct_type(&merged, doc.clone(), &child, &source.pointer)
            } else {
                self.lower_ref(variant, &child, &source.pointer)
            };
            variants.push(UnionVariant {
                rust_name,
                ty,
                tag_value: None,
                doc,
            });
        }
        order_for_untagged_decoding(&mut variants, self);
        TypeKind::Union(Union {
            tag: None,
            variants,
            unknown_variant: scope.claim("Unknown"),
        })
    }

    /// How many required properties the variant's type has (0 for non-objects).
    fn required_count(&self, ty: &TypeRef) -> usize {
        match ty.named().and_then(|name| self.types.get(name)) {
            Some(TypeDef {
                kind: TypeKind::Struct(s),
                ..
            }) => s.fields.iter().filter(|f| f.required).count(),
            _ => 0,
        }
    }
}

/// The parts of an object schema, owned so that allOf parts can be merged into them.
#[derive(Clone)]
struct ObjectParts {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    /// Names that only a constraint-only union's `required` lists mention ("one of these
    /// must be set"), with no schema of their own.
    conditional: Vec<String>,
}

impl ObjectParts {
    /// Adds another object's properties (earlier ones win), required names and extras.
    fn absorb(&mut self, part: &Shape<'_>) {
        for (key, value) in part.properties.into_iter().flatten() {
            self.properties.entry(key.clone()).or_insert_with(|| value.clone());
        }
        for required in part.required {
            if !self.required.contains(required) {
                self.required.push(required.clone());
            }
        }
        if self.additional.is_none() {
            self.additional = part.additional.cloned();
        }
    }
}

/// Orders untagged variants so a decoder tries the most specific first: objects with
/// more required fields before those with fewer, and catch-all JSON last.
fn order_for_untagged_decoding(
    variants: &mut [UnionVariant],
    lowerer: &SchemaLowerer<'_>,
) {
    variants.sort_by_key(|variant| {
        let catch_all = matches!(variant.ty, TypeRef::Json | TypeRef::JsonObject);
        (catch_all, std::cmp::Reverse(lowerer.required_count(&variant.ty)))
    });
}

/// How many of the variants require each property.
fn required_counts<'s>(variants: impl Iterator<Item = &'s Schema>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for variant in variants {
        for name in Shape::of(variant).required {
            *counts.entry(name.clone()).or_insert(0) += 1;
        }
    }
    counts
}

/// The word naming a union variant: its tag value, component name, title, the
/// properties that set it apart from the other variants, or its kind.
fn variant_word(
    source: &VariantSource<'_>,
    shape: &Shape<'_>,
    tag_value: Option<&str>,
    required_counts: &BTreeMap<String, usize>,
    property_counts: &BTreeMap<String, usize>,
) -> String {
    if let Some(value) = tag_value {
        return type_name(value);
    }
    if let Some(component) = source.component {
        return safe_type_name(component);
    }
    if let Some(title) = source.resolved.and_then(|s| s.schema_data.title.as_deref()) {
        return type_name(title);
    }
    if shape.has_fields() {
        let with = |names: &[&String], take: usize| -> Option<String> {
            let words: String = names.iter().take(take).map(|name| type_name(name)).collect();
            (!words.is_empty()).then(|| format!("With{words}"))
        };
        let unique_required: Vec<&String> =
            shape.required.iter().filter(|name| required_counts.get(*name) == Some(&1)).collect();
        let names: Vec<&String> = shape.properties.into_iter().flat_map(|p| p.keys()).collect();
        let unique: Vec<&String> = names.iter().copied().filter(|name| property_counts.get(*name) == Some(&1)).collect();
        let required: Vec<&String> = shape.required.iter().collect();
        // The required properties only it has, else a property only it has, else what
        // it requires, else all its properties.
        let word = with(&unique_required, 2)
            .or_else(|| with(&unique, 1))
            .or_else(|| with(&required, 2))
            .or_else(|| with(&names, 2));
        if let Some(word) = word {
            return word;
        }
    }
    kind_word(shape)
}

/// Variant words made distinct where several variants got the same one: each of them
/// that has properties no other variant with that word has gains up to two of them
/// (`WithName` -> `WithNameOldTeamNewTeam`). What is still the same is numbered later.
fn set_apart(words: Vec<String>, shapes: &[Shape<'_>]) -> Vec<String> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, word) in words.iter().enumerate() {
        groups.entry(word.as_str()).or_default().push(index);
    }
    let mut result = words.clone();
    for members in groups.values().filter(|members| members.len() > 1) {
        let mut counts: BTreeMap<&String, usize> = BTreeMap::new();
        for &member in members {
            for name in shapes[member].properties.into_iter().flat_map(|p| p.keys()) {
                *counts.entry(name).or_insert(0) += 1;
            }
        }
        for &member in members {
            let shape = &shapes[member];
            let own: Vec<&String> = shape.properties.into_iter().flat_map(|p| p.keys()).collect();
            let own_required = own.iter().copied().filter(|name| shape.required.contains(name));
            let own_optional = own.iter().copied().filter(|name| !shape.required.contains(name));
            let extra: String = own_required
                .chain(own_optional)
                .filter(|name| counts.get(name) == Some(&1))
                .take(2)
                .map(|name| type_name(name))
                .collect();
            result[member].push_str(&extra);
        }
    }
    result
}

/// The required properties of a variant that hold one string value each
/// (`action: rules.insert`), in the order `required` lists them.
fn constants<'s>(shape: &Shape<'s>) -> Vec<&'s str> {
    shape.required.iter().filter_map(|name| tag_value(shape, name)).collect()
}

/// The required properties holding one value, as words (`type: github` -> `Github`).
fn constant_words(shape: &Shape<'_>) -> String {
    constants(shape).into_iter().take(2).map(type_name).collect()
}

/// The name of a variant of a union whose every variant requires a property with one
/// value (not a tag, as values repeat): those values, then the required properties that
/// set it apart from the variants with the same values (`GithubRepoId`, `GithubOrgRepo`,
/// `RulesInsert`).
fn constant_variant_word(sources: &[VariantSource<'_>], shape: &Shape<'_>) -> String {
    let mut word = constant_words(shape);
    let same: Vec<&Schema> = sources
        .iter()
        .filter_map(|s| s.resolved)
        .filter(|s| constant_words(&Shape::of(s)) == word)
        .collect();
    if same.len() > 1 {
        let counts = required_counts(same.into_iter());
        let fixed: BTreeSet<&String> = shape.required.iter().filter(|name| tag_value(shape, name).is_some()).collect();
        let own: Vec<&String> = shape.required.iter().filter(|name| !fixed.contains(name)).collect();
        let unique: Vec<&String> = own.iter().copied().filter(|name| counts.get(*name) == Some(&1)).collect();
        let chosen = if unique.is_empty() { own } else { unique };
        word.extend(chosen.iter().take(2).map(|name| type_name(name)));
    }
    word
}

/// How many of the variants have each property.
fn property_counts<'s>(variants: impl Iterator<Item = &'s Schema>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for variant in variants {
        for name in Shape::of(variant).properties.into_iter().flat_map(|p| p.keys()) {
            *counts.entry(name.clone()).or_insert(0) += 1;
        }
    }
    counts
}

/// A word for the kind of a schema (`String`, `NumberList`, `Object`).
fn kind_word(shape: &Shape<'_>) -> String {
    match shape.typ {
        Some("string") if is_string_enum(shape) => "Value".to_owned(),
        Some("string") => "String".to_owned(),
        Some("number") => "Number".to_owned(),
        Some("integer") => "Integer".to_owned(),
        Some("boolean") => "Boolean".to_owned(),
        Some("array") => {
            let item = match shape.items {
                Some(ReferenceOr::Item(item)) => kind_word(&Shape::of(item)),
                Some(ReferenceOr::Reference { reference }) => {
                    safe_type_name(reference.rsplit('/').next().unwrap_or("Item"))
                }
                None => "Value".to_owned(),
            };
            format!("{item}List")
        }
        _ if shape.has_fields() || shape.typ == Some("object") => "Object".to_owned(),
        _ if shape.is_union() => "Choice".to_owned(),
        _ => "Any".to_owned(),
    }
}

/// The single value of the string enum of property `tag`, if it is one.
fn tag_value<'s>(shape: &Shape<'s>, tag: &str) -> Option<&'s str> {
    match shape.properties?.get(tag)? {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) => match s.enumeration.as_slice() {
                [Some(value)] => Some(value.as_str()),
                _ => None,
            },
            openapiv3::SchemaKind::Any(any) => match any.enumeration.as_slice() {
                [Value::String(value)] => Some(value.as_str()),
                _ => None,
            },
            _ => None,
        },
        ReferenceOr::Reference { .. } => None,
    }
}

/// `oneOf` or `anyOf`, whichever the shape uses.
fn union_keyword(shape: &Shape<'_>) -> &'static str {
    if shape.one_of.is_empty() {
        "anyOf"
    } else {
        "oneOf"
    }
}

/// Adds to a struct's doc which fields its constraint-only union requires.
fn with_constraint_note(doc: Option<String>, shape: &Shape<'_>) -> Option<String> {
    let variants = shape.union_variants();
    if !shape.has_fields() || variants.is_empty() || !variants.iter().all(is_constraint_only) {
        return doc;
    }
    let choices: Vec<String> = variants
        .iter()
        .filter_map(|v| v.as_item())
        .map(|v| {
            let names: Vec<String> = Shape::of(v).required.iter().map(|r| crate::emit::doc_code(r)).collect();
            if names.is_empty() { "(none)".to_owned() } else { names.join(" and ") }
        })
        .collect();
    let note = format!("The API requires one of these to be set: {}.", choices.join("; or "));
    Some(match doc {
        Some(doc) => format!("{doc}\n\n{note}"),
        None => note,
    })
}

/// Does a property of this name hold a credential, to be redacted from `Debug`?
fn is_secret(property: &str) -> bool {
    let key: String = property
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    ["token", "secret", "password", "apikey", "privatekey", "clientsecret"]
        .iter()
        .any(|word| key == *word || key.ends_with(word))
        && !key.ends_with("tokenid")
}

/// Is this variant only a list of `required` names (a constraint on sibling properties)?
fn is_constraint_only(variant: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = variant else {
        return false;
    };
    let shape = Shape::of(schema);
    shape.typ.is_none()
        && shape.properties.is_none()
        && !shape.is_union()
        && shape.all_of.is_empty()
        && shape.enum_values.is_empty()
}

/// Is this variant only a null (`{nullable: true}` or `{enum: [null]}`)?
fn is_null_only(variant: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = variant else {
        return false;
    };
    let shape = Shape::of(schema);
    let only_null_enum = !shape.enum_values.is_empty() && shape.enum_values.iter().all(Value::is_null);
    let empty = matches!(shape.typ, None | Some("null"))
        && !shape.has_fields()
        && !shape.is_union()
        && shape.all_of.is_empty();
    empty && (schema.schema_data.nullable || only_null_enum || shape.typ == Some("null"))
}

fn is_string_enum(shape: &Shape<'_>) -> bool {
    shape.enum_values.iter().any(Value::is_string)
        && shape.enum_values.iter().all(|v| v.is_string() || v.is_null())
        && matches!(shape.typ, Some("string") | None)
}

fn is_integer_enum(shape: &Shape<'_>) -> bool {
    !shape.enum_values.is_empty()
        && shape
            .enum_values
            .iter()
            .all(|v| v.is_null() || v.as_f64().is_some_and(|f| f.fract() == 0.0))
}

/// A string enum from its values: repeated values are dropped, names made unique.
pub fn string_enum(values: &[Value]) -> Enum {
    let mut scope = Scope::default();
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .filter_map(Value::as_str)
        .filter(|value| seen.insert(*value))
        .map(|value| EnumVariant {
            rust_name: scope.claim(&type_name(value)),
            value: value.to_owned(),
        })
        .collect();
    let unknown_variant = scope.claim("Unknown");
    Enum {
        variants,
        unknown_variant,
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
