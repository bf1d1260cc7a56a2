//! Spec-level comparison: the IR of two documents, operation by operation and schema by
//! schema, each change classified from the point of view of a user of the generated crate.
//!
//! Requests and responses are judged in opposite directions: a field the caller must now
//! send breaks callers, a field the server may now omit breaks readers. Types are compared
//! by structure (fields by wire name, enum values as sets), so a reordered `enum` or
//! `required` array and a renamed anonymous type are no change. A type built from a
//! component schema is compared once per direction and reported under that schema.
//!
//! Operations are matched by `operationId`; one that keeps its id on a new path is a move.
//! A removed and an added operation with the same method and the same path but for its
//! version (`/v1/x` and `/v9/x`), and no rival, are one operation whose id changed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ir::{Api, Operation, Param, ParamLocation, TypeDef, TypeKind, TypeRef};

/// How a change affects a user of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Code that used the old crate may fail to compile or misbehave.
    Breaking,
    /// Existing code keeps working.
    Compatible,
}

/// One classified change between two documents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Breaking or compatible.
    pub severity: Severity,
    /// Where: `operation getProjects` or `schema Pagination (response)`.
    pub subject: String,
    /// The place inside the subject (`response 200: projects[].name`); empty for the
    /// subject itself.
    pub at: String,
    /// What changed, in words.
    pub what: String,
    /// What changed, as a code for tools.
    pub kind: ChangeKind,
}

/// The kinds of spec changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// An operation appeared.
    OperationAdded,
    /// An operation disappeared.
    OperationRemoved,
    /// An operation has a new path or method.
    OperationMoved,
    /// An operation has a new `operationId` or method name.
    OperationRenamed,
    /// An operation is emitted in another module (Cargo feature).
    OperationRegrouped,
    /// An operation became deprecated.
    OperationDeprecated,
    /// A parameter appeared.
    ParameterAdded,
    /// A parameter disappeared.
    ParameterRemoved,
    /// A parameter became required.
    ParameterRequired,
    /// A parameter became optional.
    ParameterOptional,
    /// A request body appeared.
    BodyAdded,
    /// The request body disappeared.
    BodyRemoved,
    /// The request body became required.
    BodyRequired,
    /// The request body became optional.
    BodyOptional,
    /// The request body's media type changed.
    MediaTypeChanged,
    /// A success response appeared.
    ResponseAdded,
    /// A success response disappeared.
    ResponseRemoved,
    /// A success response gained a body.
    ResponseBodyAdded,
    /// A success response lost its body.
    ResponseBodyRemoved,
    /// A field appeared.
    FieldAdded,
    /// A field disappeared.
    FieldRemoved,
    /// A field became required.
    FieldRequired,
    /// A field became optional.
    FieldOptional,
    /// A value changed type.
    TypeChanged,
    /// A value became nullable, or stopped being.
    NullabilityChanged,
    /// An enum value appeared.
    EnumValueAdded,
    /// An enum value disappeared.
    EnumValueRemoved,
    /// A union variant appeared.
    VariantAdded,
    /// A union variant disappeared.
    VariantRemoved,
    /// Additional properties became allowed, or stopped being.
    AdditionalPropertiesChanged,
}

/// The direction a type travels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Side {
    /// Sent by the caller: parameters and request bodies.
    Request,
    /// Read by the caller: response bodies.
    Response,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// Compares two APIs and returns their changes, sorted (breaking first).
pub fn compare_apis(old: &Api, new: &Api) -> Vec<Change> {
    let mut walker = Walker::new(old, new);
    let new_ops: BTreeMap<&str, &Operation> = new.operations.iter().map(|op| (op.id.as_str(), op)).collect();
    let old_ops: BTreeMap<&str, &Operation> = old.operations.iter().map(|op| (op.id.as_str(), op)).collect();
    let removed: Vec<&Operation> = old_ops.iter().filter(|(id, _)| !new_ops.contains_key(*id)).map(|(_, op)| *op).collect();
    let added: Vec<&Operation> = new_ops.iter().filter(|(id, _)| !old_ops.contains_key(*id)).map(|(_, op)| *op).collect();
    for (id, op) in &old_ops {
        if let Some(new_op) = new_ops.get(id) {
            walker.operation(op, new_op);
        }
    }
    let renamed = renamed_moves(&removed, &added);
    for op in removed {
        if let Some(new_op) = renamed.iter().find(|(before, _)| before.id == op.id).map(|(_, after)| *after) {
            walker.operation(op, new_op);
            continue;
        }
        let what = format!("operation removed ({} {})", op.method.as_str(), op.path);
        walker.push(ChangeKind::OperationRemoved, Severity::Breaking, &operation_subject(op), "", what);
    }
    for op in added {
        if !renamed.iter().any(|(_, after)| after.id == op.id) {
            let what = format!("operation added ({} {})", op.method.as_str(), op.path);
            walker.push(ChangeKind::OperationAdded, Severity::Compatible, &operation_subject(op), "", what);
        }
    }
    let mut changes = walker.changes;
    changes.sort();
    changes.dedup();
    changes
}

/// `/v9/projects/{idOrName}` -> `/projects/{idOrName}`: the path without its version.
fn unversioned(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/v")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && rest[digits..].starts_with('/')).then(|| &rest[digits..])
}

/// Removed and added operations that are one operation moved to a new path version under
/// a new `operationId` (ids made up from the method and path change with the path): the
/// same method and the same path but for its version, one of each.
fn renamed_moves<'o>(removed: &[&'o Operation], added: &[&'o Operation]) -> Vec<(&'o Operation, &'o Operation)> {
    let key = |op: &Operation| unversioned(&op.path).map(|path| (op.method, path.to_owned()));
    let mut pairs = Vec::new();
    for before in removed {
        let Some(wanted) = key(before) else { continue };
        let candidates: Vec<&&Operation> = added.iter().filter(|after| key(after).as_ref() == Some(&wanted)).collect();
        let rivals = removed.iter().filter(|other| key(other).as_ref() == Some(&wanted)).count();
        if let ([after], 1) = (candidates.as_slice(), rivals) {
            pairs.push((*before, **after));
        }
    }
    pairs
}

/// The subject naming an operation.
fn operation_subject(op: &Operation) -> String {
    format!("operation {}", op.id)
}

/// The component schema a type was built from, if any (`Pagination`).
fn component_of(def: &TypeDef) -> Option<&str> {
    let pointer = def.pointer.strip_prefix('#').unwrap_or(&def.pointer);
    pointer.strip_prefix("/components/schemas/").filter(|rest| !rest.contains('/'))
}

/// A short description of a type for messages.
fn describe(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".to_owned(),
        TypeRef::Integer => "integer".to_owned(),
        TypeRef::Number => "number".to_owned(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::Json => "any JSON".to_owned(),
        TypeRef::JsonObject => "JSON object".to_owned(),
        TypeRef::Bytes => "bytes".to_owned(),
        TypeRef::Array(item) => format!("array of {}", describe(api, item)),
        TypeRef::Map(value) => format!("map of {}", describe(api, value)),
        TypeRef::Nullable(inner) => format!("nullable {}", describe(api, inner)),
        TypeRef::Boxed(inner) => describe(api, inner),
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(_)) => "object".to_owned(),
            Some(TypeKind::Enum(_)) => "enum".to_owned(),
            Some(TypeKind::Union(_)) => "union".to_owned(),
            Some(TypeKind::Alias(target)) => describe(api, target),
            None => name.clone(),
        },
    }
}

/// Removes `Box` (a Rust detail) and reports whether the type is nullable.
fn peel(ty: &TypeRef) -> (&TypeRef, bool) {
    match ty {
        TypeRef::Boxed(inner) => peel(inner),
        TypeRef::Nullable(inner) => (peel(inner).0, true),
        other => (other, false),
    }
}

/// Follows named aliases to the type they stand for.
fn resolve<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut current = ty;
    for _ in 0..16 {
        let TypeRef::Named(name) = current else { break };
        match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(target)) => current = peel(target).0,
            _ => break,
        }
    }
    current
}

/// Walks two APIs in step, collecting changes.
struct Walker<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    /// Pairs of named types already compared in a direction (cycles, shared components).
    seen: BTreeSet<(String, String, Side)>,
}

impl<'a> Walker<'a> {
    fn new(old: &'a Api, new: &'a Api) -> Self {
        Walker {
            old,
            new,
            changes: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    fn push(&mut self, kind: ChangeKind, severity: Severity, subject: &str, at: &str, what: String) {
        self.changes.push(Change {
            kind,
            severity,
            subject: subject.to_owned(),
            at: at.to_owned(),
            what,
        });
    }

    /// One operation present in both documents.
    fn operation(&mut self, old: &Operation, new: &Operation) {
        let subject = operation_subject(new);
        if old.id != new.id {
            let what = format!("operationId changed: {} -> {}", old.id, new.id);
            self.push(ChangeKind::OperationRenamed, Severity::Breaking, &subject, "", what);
        }
        if (old.method, &old.path) != (new.method, &new.path) {
            let what = format!(
                "operation moved: {} {} -> {} {}",
                old.method.as_str(),
                old.path,
                new.method.as_str(),
                new.path
            );
            self.push(ChangeKind::OperationMoved, Severity::Breaking, &subject, "", what);
        }
        if old.fn_name != new.fn_name {
            let what = format!("method renamed: Client::{} -> Client::{}", old.fn_name, new.fn_name);
            self.push(ChangeKind::OperationRenamed, Severity::Breaking, &subject, "", what);
        }
        if old.group != new.group {
            let what = format!("moved from module `{}` to `{}`", old.group, new.group);
            self.push(ChangeKind::OperationRegrouped, Severity::Breaking, &subject, "", what);
        }
        if !old.deprecated && new.deprecated {
            self.push(ChangeKind::OperationDeprecated, Severity::Compatible, &subject, "", "deprecated".to_owned());
        }
        self.params(&subject, &old.params, &new.params);
        self.body(&subject, old, new);
        self.responses(&subject, old, new);
    }

    fn params(&mut self, subject: &str, old: &[Param], new: &[Param]) {
        let old_by: BTreeMap<(ParamLocation, &str), &Param> = old.iter().map(|p| (param_key(p), p)).collect();
        let new_by: BTreeMap<(ParamLocation, &str), &Param> = new.iter().map(|p| (param_key(p), p)).collect();
        for (k, param) in &old_by {
            let at = param_at(param);
            match new_by.get(k) {
                None => self.push(ChangeKind::ParameterRemoved, Severity::Breaking, subject, &at, "parameter removed".to_owned()),
                Some(now) => {
                    if !param.required && now.required {
                        self.push(ChangeKind::ParameterRequired, Severity::Breaking, subject, &at, "parameter became required".to_owned());
                    } else if param.required && !now.required {
                        self.push(ChangeKind::ParameterOptional, Severity::Compatible, subject, &at, "parameter became optional".to_owned());
                    }
                    self.compare(&param.ty, &now.ty, Side::Request, subject, &at);
                }
            }
        }
        for (k, param) in &new_by {
            if !old_by.contains_key(k) {
                let (severity, what) = if param.required {
                    (Severity::Breaking, "required parameter added")
                } else {
                    (Severity::Compatible, "optional parameter added")
                };
                self.push(ChangeKind::ParameterAdded, severity, subject, &param_at(param), what.to_owned());
            }
        }
    }

    fn body(&mut self, subject: &str, old: &Operation, new: &Operation) {
        let at = "request body";
        match (&old.body, &new.body) {
            (None, None) => {}
            (Some(_), None) => self.push(ChangeKind::BodyRemoved, Severity::Breaking, subject, at, "request body removed".to_owned()),
            (None, Some(body)) => {
                let (severity, what) = if body.required {
                    (Severity::Breaking, "required request body added")
                } else {
                    (Severity::Compatible, "optional request body added")
                };
                self.push(ChangeKind::BodyAdded, severity, subject, at, what.to_owned());
            }
            (Some(before), Some(after)) => {
                if !before.required && after.required {
                    self.push(ChangeKind::BodyRequired, Severity::Breaking, subject, at, "request body became required".to_owned());
                } else if before.required && !after.required {
                    self.push(ChangeKind::BodyOptional, Severity::Compatible, subject, at, "request body became optional".to_owned());
                }
                if before.media_type != after.media_type {
                    let what = format!("media type changed: {} -> {}", before.media_type, after.media_type);
                    self.push(ChangeKind::MediaTypeChanged, Severity::Breaking, subject, at, what);
                }
                self.compare(&before.ty, &after.ty, Side::Request, subject, at);
            }
        }
    }

    /// Success responses by status. Error responses decode into `Error::Status` whatever
    /// they declare, so they are not compared.
    fn responses(&mut self, subject: &str, old: &Operation, new: &Operation) {
        let old_by: BTreeMap<u16, _> = old.successes().map(|r| (r.status, r)).collect();
        let new_by: BTreeMap<u16, _> = new.successes().map(|r| (r.status, r)).collect();
        let now_several = old_by.len() <= 1 && new_by.len() > 1;
        for (status, before) in &old_by {
            let at = format!("response {status}");
            let Some(after) = new_by.get(status) else {
                self.push(ChangeKind::ResponseRemoved, Severity::Breaking, subject, &at, "success response removed".to_owned());
                continue;
            };
            match (&before.body, &after.body) {
                (Some(_), None) => self.push(ChangeKind::ResponseBodyRemoved, Severity::Breaking, subject, &at, "response body removed".to_owned()),
                (None, Some(_)) => {
                    self.push(ChangeKind::ResponseBodyAdded, Severity::Breaking, subject, &at, "response body added (the result type changes)".to_owned())
                }
                (Some(a), Some(b)) => self.compare(a, b, Side::Response, subject, &at),
                (None, None) => {}
            }
        }
        for status in new_by.keys().filter(|s| !old_by.contains_key(s)) {
            let at = format!("response {status}");
            let (severity, what) = if now_several {
                (Severity::Breaking, "success response added (the result becomes an enum of responses)")
            } else {
                (Severity::Compatible, "success response added")
            };
            self.push(ChangeKind::ResponseAdded, severity, subject, &at, what.to_owned());
        }
    }

    /// Compares a type of the old API with its counterpart in the new one.
    fn compare(&mut self, old: &TypeRef, new: &TypeRef, side: Side, subject: &str, at: &str) {
        let (old_inner, old_null) = peel(old);
        let (new_inner, new_null) = peel(new);
        if old_null != new_null {
            let (severity, what) = match (side, new_null) {
                (Side::Response, true) => (Severity::Breaking, "may now be null"),
                (Side::Response, false) => (Severity::Compatible, "no longer null"),
                (Side::Request, true) => (Severity::Compatible, "now accepts null"),
                (Side::Request, false) => (Severity::Breaking, "no longer accepts null"),
            };
            self.push(ChangeKind::NullabilityChanged, severity, subject, at, what.to_owned());
        }
        let old_ty = resolve(self.old, old_inner);
        let new_ty = resolve(self.new, new_inner);
        match (old_ty, new_ty) {
            (TypeRef::Array(a), TypeRef::Array(b)) => self.compare(a, b, side, subject, &format!("{at}[]")),
            (TypeRef::Map(a), TypeRef::Map(b)) => self.compare(a, b, side, subject, &format!("{at}{{*}}")),
            (TypeRef::Named(a), TypeRef::Named(b)) => self.named(a, b, side, subject, at),
            (a, b) if a == b => {}
            (a, b) => self.retyped(a, b, side, subject, at),
        }
    }

    fn retyped(&mut self, old: &TypeRef, new: &TypeRef, side: Side, subject: &str, at: &str) {
        let what = format!(
            "{} type changed: {} -> {}",
            side.word(),
            describe(self.old, old),
            describe(self.new, new)
        );
        self.push(ChangeKind::TypeChanged, Severity::Breaking, subject, at, what);
    }

    /// Two named types; components are compared once per direction, under their own name.
    fn named(&mut self, old: &str, new: &str, side: Side, subject: &str, at: &str) {
        let (Some(old_def), Some(new_def)) = (self.old.types.get(old), self.new.types.get(new)) else {
            return;
        };
        if !self.seen.insert((old.to_owned(), new.to_owned(), side)) {
            return;
        }
        let component = match (component_of(old_def), component_of(new_def)) {
            (Some(a), Some(b)) if a == b => Some(format!("schema {a} ({})", side.word())),
            _ => None,
        };
        let (subject, at) = match &component {
            Some(schema) => (schema.as_str(), ""),
            None => (subject, at),
        };
        match (&old_def.kind, &new_def.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.fields(a, b, side, subject, at),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => self.enum_values(a, b, side, subject, at),
            (TypeKind::Union(a), TypeKind::Union(b)) => self.variants(a, b, side, subject, at),
            _ => self.retyped(
                &TypeRef::Named(old.to_owned()),
                &TypeRef::Named(new.to_owned()),
                side,
                subject,
                at,
            ),
        }
    }

    fn fields(&mut self, old: &crate::ir::Struct, new: &crate::ir::Struct, side: Side, subject: &str, at: &str) {
        let old_by: BTreeMap<&str, _> = old.fields.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let new_by: BTreeMap<&str, _> = new.fields.iter().map(|f| (f.wire_name.as_str(), f)).collect();
        let place = |name: &str| if at.is_empty() { name.to_owned() } else { format!("{at}.{name}") };
        for (name, before) in &old_by {
            let here = place(name);
            let Some(after) = new_by.get(name) else {
                let what = format!("{} field removed", side.word());
                self.push(ChangeKind::FieldRemoved, Severity::Breaking, subject, &here, what);
                continue;
            };
            match (side, before.required, after.required) {
                (Side::Request, false, true) => {
                    self.push(ChangeKind::FieldRequired, Severity::Breaking, subject, &here, "request field became required".to_owned())
                }
                (Side::Request, true, false) => {
                    self.push(ChangeKind::FieldOptional, Severity::Compatible, subject, &here, "request field became optional".to_owned())
                }
                (Side::Response, true, false) => {
                    self.push(ChangeKind::FieldOptional, Severity::Breaking, subject, &here, "response field became optional".to_owned())
                }
                (Side::Response, false, true) => {
                    self.push(ChangeKind::FieldRequired, Severity::Compatible, subject, &here, "response field became required".to_owned())
                }
                _ => {}
            }
            self.compare(&before.ty, &after.ty, side, subject, &here);
        }
        for (name, after) in &new_by {
            if old_by.contains_key(name) {
                continue;
            }
            let (severity, what) = match (side, after.required) {
                (Side::Request, true) => (Severity::Breaking, "required request field added"),
                (Side::Request, false) => (Severity::Compatible, "optional request field added"),
                (Side::Response, _) => (Severity::Compatible, "response field added"),
            };
            self.push(ChangeKind::FieldAdded, severity, subject, &place(name), what.to_owned());
        }
        match (&old.additional, &new.additional) {
            (Some(_), None) => {
                let what = "additional properties no longer allowed".to_owned();
                self.push(ChangeKind::AdditionalPropertiesChanged, Severity::Breaking, subject, at, what);
            }
            (None, Some(_)) => {
                let what = "additional properties now allowed".to_owned();
                self.push(ChangeKind::AdditionalPropertiesChanged, Severity::Compatible, subject, at, what);
            }
            (Some(a), Some(b)) => self.compare(&a.ty, &b.ty, side, subject, &format!("{at}{{*}}")),
            (None, None) => {}
        }
    }

    /// Enum values as sets: order is no change. Removing a value breaks requests (the
    /// variant is gone) and responses (code matching the variant); adding one is compatible,
    /// as every generated enum keeps unknown values.
    fn enum_values(&mut self, old: &crate::ir::Enum, new: &crate::ir::Enum, side: Side, subject: &str, at: &str) {
        let old_values: BTreeSet<&str> = old.variants.iter().map(|v| v.value.as_str()).collect();
        let new_values: BTreeSet<&str> = new.variants.iter().map(|v| v.value.as_str()).collect();
        for value in old_values.difference(&new_values) {
            let what = format!("{} enum value `{value}` removed", side.word());
            self.push(ChangeKind::EnumValueRemoved, Severity::Breaking, subject, at, what);
        }
        for value in new_values.difference(&old_values) {
            let what = format!("{} enum value `{value}` added", side.word());
            self.push(ChangeKind::EnumValueAdded, Severity::Compatible, subject, at, what);
        }
    }

    /// Union variants, matched by tag value when tagged and by name otherwise.
    fn variants(&mut self, old: &crate::ir::Union, new: &crate::ir::Union, side: Side, subject: &str, at: &str) {
        let old_by: BTreeMap<String, _> = old.variants.iter().map(|v| (variant_key(v), v)).collect();
        let new_by: BTreeMap<String, _> = new.variants.iter().map(|v| (variant_key(v), v)).collect();
        for (name, before) in &old_by {
            let here = format!("{at}<{name}>");
            match new_by.get(name) {
                Some(after) => self.compare(&before.ty, &after.ty, side, subject, &here),
                None => {
                    let what = format!("{} union variant removed", side.word());
                    self.push(ChangeKind::VariantRemoved, Severity::Breaking, subject, &here, what);
                }
            }
        }
        for name in new_by.keys().filter(|name| !old_by.contains_key(*name)) {
            let what = format!("{} union variant added", side.word());
            self.push(ChangeKind::VariantAdded, Severity::Compatible, subject, &format!("{at}<{name}>"), what);
        }
    }
}

/// Parameters are matched by where they travel and their wire name.
fn param_key(param: &Param) -> (ParamLocation, &str) {
    (param.location, param.wire_name.as_str())
}

/// Union variants are matched by tag value when tagged, by Rust name otherwise.
fn variant_key(variant: &crate::ir::UnionVariant) -> String {
    variant.tag_value.clone().unwrap_or_else(|| variant.rust_name.clone())
}

/// Where a parameter is: `query parameter limit`.
fn param_at(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    format!("{location} parameter {}", param.wire_name)
}
