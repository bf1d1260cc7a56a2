//! One type for the answers of operations on one resource.
//!
//! Vercel's document writes out the resource an operation answers with separately for
//! each operation, and the copies drift apart a little: `getProject` answers with an
//! `integrations` field that `createProject` and `updateProject` do not list, and one
//! of them types an environment variable's `target` as a list of known values where
//! another says a list of strings. Identity by shape keeps these apart, so a user could
//! not write one `fn show(p: &Project)` for all of them.
//!
//! Here the answers of operations whose names agree once the verb is left out
//! (`GetProject`, `CreateProject`, `UpdateProject`) are unified into their least upper
//! bound, when one exists: a field only one of them has becomes optional, a string
//! enum and a string become a string, two enums take the values of both, and the types
//! they refer to are unified in turn. Only types that are never sent take part, so a
//! request never loses a constraint, and a component schema keeps its own type.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Enum, Field, Struct, TypeDef, TypeKind, TypeRef, Union};

/// What unifying did: the types that now stand for others, by the provisional name of
/// the one each replaced.
#[derive(Debug, Default)]
pub struct Widened {
    /// For every type merged into another, the type that stands for it now.
    pub replaced: BTreeMap<String, String>,
}

/// Unifies the answers in each group of `roots` (a noun and the answer types of the
/// operations acting on it, in document order). `sent` are the types a request uses;
/// `components` the types the document names.
pub fn widen_answers(
    types: &mut BTreeMap<String, TypeDef>,
    roots: &[(String, String)],
    sent: &BTreeSet<String>,
    components: &BTreeSet<String>,
) -> Widened {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (noun, ty) in roots {
        match groups.iter_mut().find(|(n, _)| n == noun) {
            Some((_, members)) if !members.contains(&ty.as_str()) => members.push(ty),
            Some(_) => {}
            None => groups.push((noun, vec![ty])),
        }
    }
    let mut widened = Widened::default();
    for (_, members) in groups {
        let Some((first, others)) = members.split_first() else { continue };
        for other in others {
            let other = current(&widened.replaced, other);
            let first = current(&widened.replaced, first);
            if first == other {
                continue;
            }
            let mut unifier = Unifier { types, sent, components, assumed: BTreeMap::new(), kinds: BTreeMap::new() };
            if unifier.named(&first, &other).is_none() {
                continue;
            }
            let Unifier { assumed, kinds, .. } = unifier;
            apply(types, &assumed, kinds, &mut widened);
        }
    }
    widened
}

/// The type standing for `name` now.
fn current(replaced: &BTreeMap<String, String>, name: &str) -> String {
    let mut name = name.to_owned();
    while let Some(next) = replaced.get(&name) {
        name = next.clone();
    }
    name
}

/// Gives the kept types their unified kinds, drops the ones merged into them and
/// rewrites every reference.
fn apply(
    types: &mut BTreeMap<String, TypeDef>,
    merged: &BTreeMap<String, String>,
    kinds: BTreeMap<String, TypeKind>,
    widened: &mut Widened,
) {
    for (kept, kind) in kinds {
        if let Some(def) = types.get_mut(&kept) {
            def.kind = kind;
        }
    }
    let substitution: BTreeMap<String, TypeRef> = merged
        .iter()
        .filter(|(other, kept)| other != kept)
        .map(|(other, kept)| (other.clone(), TypeRef::Named(kept.clone())))
        .collect();
    for (other, kept) in merged.iter().filter(|(other, kept)| other != kept) {
        if let Some(def) = types.remove(other) {
            if let Some(target) = types.get_mut(kept) {
                target.pointers.extend(def.pointers);
            }
        }
        widened.replaced.insert(other.clone(), kept.clone());
    }
    for def in types.values_mut() {
        super::identity::rewrite_kind(&mut def.kind, &substitution);
    }
}

/// One attempt at unifying two types and everything they refer to.
struct Unifier<'t> {
    types: &'t BTreeMap<String, TypeDef>,
    sent: &'t BTreeSet<String>,
    components: &'t BTreeSet<String>,
    /// The pairs being unified (the second merged into the first), assumed to unify
    /// while their parts are (so recursive types terminate).
    assumed: BTreeMap<String, String>,
    /// The unified kind of each kept type.
    kinds: BTreeMap<String, TypeKind>,
}

impl Unifier<'_> {
    /// Unifies the named types `a` and `b`, keeping `a`'s name.
    fn named(&mut self, a: &str, b: &str) -> Option<String> {
        if a == b {
            return Some(a.to_owned());
        }
        let movable = |name: &str| !self.sent.contains(name) && !self.components.contains(name);
        if !movable(a) || !movable(b) {
            return None;
        }
        match self.assumed.get(b) {
            Some(kept) if kept == a => return Some(a.to_owned()),
            Some(_) => return None,
            None => {}
        }
        // A type already kept for another, or merged into one, is not merged again.
        if self.assumed.contains_key(a) || self.assumed.values().any(|kept| kept == b) {
            return None;
        }
        self.assumed.insert(b.to_owned(), a.to_owned());
        let ka = self.kinds.get(a).cloned().or_else(|| Some(self.types.get(a)?.kind.clone()))?;
        let kb = self.types.get(b)?.kind.clone();
        let kind = self.kind(&ka, &kb)?;
        self.kinds.insert(a.to_owned(), kind);
        Some(a.to_owned())
    }

    fn kind(&mut self, a: &TypeKind, b: &TypeKind) -> Option<TypeKind> {
        match (a, b) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => self.structs(x, y).map(TypeKind::Struct),
            (TypeKind::Enum(x), TypeKind::Enum(y)) => Some(TypeKind::Enum(enums(x, y))),
            (TypeKind::Union(x), TypeKind::Union(y)) => self.unions(x, y).map(TypeKind::Union),
            (TypeKind::Alias(x), TypeKind::Alias(y)) => self.reference(x, y).map(TypeKind::Alias),
            _ => None,
        }
    }

    /// Every field of either; a field only one has is optional. Only structs that are
    /// nearly the same (nine fields in ten in common, each required by both or by
    /// neither) are one resource written twice.
    fn structs(&mut self, a: &Struct, b: &Struct) -> Option<Struct> {
        if a.additional != b.additional {
            return None;
        }
        let common = a.fields.iter().filter(|f| b.fields.iter().any(|g| g.wire_name == f.wire_name)).count();
        let all = a.fields.len() + b.fields.len() - common;
        if common * 10 < all * 9 {
            return None;
        }
        let mut fields = Vec::new();
        for field in &a.fields {
            match b.fields.iter().find(|f| f.wire_name == field.wire_name) {
                Some(other) => {
                    if field.required != other.required {
                        return None;
                    }
                    let ty = self.reference(&field.ty, &other.ty)?;
                    fields.push(Field {
                        ty,
                        secret: field.secret || other.secret,
                        deprecated: field.deprecated || other.deprecated,
                        doc: field.doc.clone().or_else(|| other.doc.clone()),
                        ..field.clone()
                    });
                }
                None => fields.push(Field { required: false, ..field.clone() }),
            }
        }
        for field in b.fields.iter().filter(|f| !a.fields.iter().any(|g| g.wire_name == f.wire_name)) {
            if fields.iter().any(|f: &Field| f.rust_name == field.rust_name) {
                return None;
            }
            fields.push(Field { required: false, ..field.clone() });
        }
        Some(Struct { fields, additional: a.additional.clone() })
    }

    /// Unions of the same variants, in the same order, unify variant by variant.
    fn unions(&mut self, a: &Union, b: &Union) -> Option<Union> {
        if a.tag != b.tag || a.variants.len() != b.variants.len() {
            return None;
        }
        let mut variants = Vec::new();
        for (x, y) in a.variants.iter().zip(&b.variants) {
            if x.tag_value != y.tag_value {
                return None;
            }
            let ty = self.reference(&x.ty, &y.ty)?;
            variants.push(super::model::UnionVariant { ty, ..x.clone() });
        }
        Some(Union { variants, ..a.clone() })
    }

    fn reference(&mut self, a: &TypeRef, b: &TypeRef) -> Option<TypeRef> {
        if a == b {
            return Some(a.clone());
        }
        let boxed = |ty: TypeRef| Box::new(ty);
        match (a, b) {
            (TypeRef::Array(x), TypeRef::Array(y)) => Some(TypeRef::Array(boxed(self.reference(x, y)?))),
            (TypeRef::Map(x), TypeRef::Map(y)) => Some(TypeRef::Map(boxed(self.reference(x, y)?))),
            (TypeRef::Boxed(x), TypeRef::Boxed(y)) => Some(TypeRef::Boxed(boxed(self.reference(x, y)?))),
            (TypeRef::Nullable(x), TypeRef::Nullable(y)) => Some(TypeRef::Nullable(boxed(self.reference(x, y)?))),
            (TypeRef::Nullable(x), y) | (y, TypeRef::Nullable(x)) => {
                Some(TypeRef::Nullable(boxed(self.reference(x, y)?)))
            }
            (TypeRef::Named(x), TypeRef::Named(y)) => self.named(x, y).map(TypeRef::Named),
            (TypeRef::Named(x), TypeRef::String) | (TypeRef::String, TypeRef::Named(x)) if self.is_enum(x) => {
                Some(TypeRef::String)
            }
            _ => None,
        }
    }

    fn is_enum(&self, name: &str) -> bool {
        matches!(self.types.get(name).map(|def| &def.kind), Some(TypeKind::Enum(_)))
    }
}

/// The values of both enums, `a`'s first.
fn enums(a: &Enum, b: &Enum) -> Enum {
    let mut variants = a.variants.clone();
    for variant in &b.variants {
        if !variants.iter().any(|v| v.value == variant.value) {
            let mut variant = variant.clone();
            while variants.iter().any(|v| v.rust_name == variant.rust_name) || variant.rust_name == a.unknown_variant {
                variant.rust_name.push('_');
            }
            variants.push(variant);
        }
    }
    Enum { variants, unknown_variant: a.unknown_variant.clone() }
}

/// The types reachable from `roots` through `types`.
pub fn reachable(types: &BTreeMap<String, TypeDef>, roots: impl IntoIterator<Item = TypeRef>) -> BTreeSet<String> {
    let mut pending: Vec<TypeRef> = roots.into_iter().collect();
    let mut found = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Named(name) if found.insert(name.clone()) => {
                if let Some(def) = types.get(&name) {
                    collect(&def.kind, &mut pending);
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => {
                pending.push(*inner)
            }
            _ => {}
        }
    }
    found
}

/// The type references a kind holds.
fn collect(kind: &TypeKind, refs: &mut Vec<TypeRef>) {
    match kind {
        TypeKind::Struct(s) => {
            refs.extend(s.fields.iter().map(|f| f.ty.clone()));
            refs.extend(s.additional.iter().map(|f| f.ty.clone()));
        }
        TypeKind::Union(u) => refs.extend(u.variants.iter().map(|v| v.ty.clone())),
        TypeKind::Alias(ty) => refs.push(ty.clone()),
        TypeKind::Enum(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::model::EnumVariant;

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        let def = TypeDef {
            name: name.to_owned(),
            doc: None,
            pointer: format!("/paths/{name}"),
            pointers: vec![format!("/paths/{name}")],
            group: String::new(),
            used_by: Vec::new(),
                sent: false,
            kind,
        };
        (name.to_owned(), def)
    }

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field { rust_name: name.to_owned(), wire_name: name.to_owned(), ty, required, doc: None, secret: false, deprecated: false }
    }

    fn object(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct { fields, additional: None })
    }

    fn target_enum() -> TypeKind {
        let variant = |v: &str| EnumVariant { rust_name: v.to_owned(), value: v.to_owned() };
        TypeKind::Enum(Enum { variants: vec![variant("Production"), variant("Preview")], unknown_variant: "Unknown".to_owned() })
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    fn answers() -> BTreeMap<String, TypeDef> {
        let list = |item: &str| TypeRef::Array(Box::new(named(item)));
        // Nine fields in common, one only `getProject` has.
        let project = |env: &str, more: &[Field]| {
            let mut fields = vec![field("id", TypeRef::String, true), field("env", list(env), false)];
            fields.extend((1..8).map(|i| field(&format!("f{i}"), TypeRef::Boolean, false)));
            fields.extend(more.iter().cloned());
            object(fields)
        };
        BTreeMap::from([
            def("GetProjectResponse", project("GetProjectEnv", &[field("integrations", TypeRef::Json, false)])),
            def("UpdateProjectResponse", project("UpdateProjectEnv", &[])),
            def("GetProjectEnv", object(vec![field("target", TypeRef::Array(Box::new(named("Target"))), true)])),
            def("UpdateProjectEnv", object(vec![field("target", TypeRef::Array(Box::new(TypeRef::String)), true)])),
            def("Target", target_enum()),
        ])
    }

    fn roots() -> Vec<(String, String)> {
        vec![("Project".to_owned(), "GetProjectResponse".to_owned()), ("Project".to_owned(), "UpdateProjectResponse".to_owned())]
    }

    #[test]
    fn answers_about_one_resource_become_their_least_upper_bound() {
        let mut types = answers();
        let widened = widen_answers(&mut types, &roots(), &BTreeSet::new(), &BTreeSet::new());
        assert_eq!(widened.replaced["UpdateProjectResponse"], "GetProjectResponse");
        assert_eq!(widened.replaced["UpdateProjectEnv"], "GetProjectEnv");
        let TypeKind::Struct(project) = &types["GetProjectResponse"].kind else { panic!("a struct") };
        let names: Vec<(&str, bool)> = project.fields.iter().map(|f| (f.wire_name.as_str(), f.required)).collect();
        assert_eq!(names.len(), 10);
        assert_eq!(names[..2], [("id", true), ("env", false)]);
        assert_eq!(names[9], ("integrations", false));
        let TypeKind::Struct(env) = &types["GetProjectEnv"].kind else { panic!("a struct") };
        assert_eq!(env.fields[0].ty, TypeRef::Array(Box::new(TypeRef::String)), "an enum and a string give a string");
        assert!(!types.contains_key("UpdateProjectResponse") && !types.contains_key("UpdateProjectEnv"));
    }

    #[test]
    fn answers_with_little_in_common_stay_apart() {
        let mut types = answers();
        if let Some(def) = types.get_mut("UpdateProjectResponse") {
            def.kind = object(vec![field("id", TypeRef::String, true), field("deleted", TypeRef::Boolean, true)]);
        }
        let before = types.clone();
        let widened = widen_answers(&mut types, &roots(), &BTreeSet::new(), &BTreeSet::new());
        assert!(widened.replaced.is_empty());
        assert_eq!(types, before);
    }

    #[test]
    fn a_type_a_request_sends_is_never_widened() {
        let mut types = answers();
        let sent = BTreeSet::from(["UpdateProjectEnv".to_owned()]);
        let widened = widen_answers(&mut types, &roots(), &sent, &BTreeSet::new());
        assert!(widened.replaced.is_empty());
        assert_eq!(types, answers());
    }

    #[test]
    fn answers_that_disagree_on_a_field_type_stay_apart() {
        let mut types = answers();
        if let Some(def) = types.get_mut("UpdateProjectResponse") {
            def.kind = object(vec![field("id", TypeRef::Integer, true)]);
        }
        let before = types.clone();
        let widened = widen_answers(&mut types, &roots(), &BTreeSet::new(), &BTreeSet::new());
        assert!(widened.replaced.is_empty());
        assert_eq!(types, before);
    }
}
