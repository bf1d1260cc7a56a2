//! The intermediate representation and its construction from a loaded document.
//!
//! `build` walks the operations (optionally only those with given tags), lowers
//! every schema they reach into named types, then breaks recursive types with
//! `Box`. Names are decided here, once; emission only reads the result.

mod identity;
mod model;
mod naming;
mod nullable;
mod operation;
mod paging;
mod replacement;
mod schema;
mod shape;
mod widen;

use std::collections::{BTreeMap, BTreeSet};

pub use model::*;
pub use nullable::{answered, null_sentences, request_only, says_null_is_sent, sends_null};
pub use operation::split_path;
pub use schema::{escape_pointer, SHARED_GROUP};

use crate::load::{LoadedSpec, Warning};
use crate::names::Scope;
use operation::{lower_operation, OperationSite};
use schema::SchemaLowerer;

/// Which operations to include.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep only operations carrying at least one of these tags; all when empty.
    pub tags: Vec<String>,
}

impl Filter {
    fn admits(&self, tags: &[String]) -> bool {
        self.tags.is_empty() || tags.iter().any(|tag| self.tags.contains(tag))
    }
}

/// The IR of a document, with the warnings met while building it.
#[derive(Debug, Clone)]
pub struct Built {
    /// The API.
    pub api: Api,
    /// Things that were approximated, each with its JSON pointer.
    pub warnings: Vec<Warning>,
}

/// Builds the IR for the operations of `spec` that `filter` admits.
pub fn build(spec: &LoadedSpec, filter: &Filter) -> Built {
    let document = &spec.openapi;
    let mut types = SchemaLowerer::new(document, &spec.raw);
    let mut warnings = Vec::new();
    let mut fn_names = Scope::with_reserved(operation::CLIENT_RESERVED);
    let mut operations = Vec::new();
    // Paths in sorted order: their order in the document carries no meaning, and names
    // are claimed first come, first served.
    let mut paths: Vec<_> = document.paths.paths.iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    for (path, item) in paths {
        let Some(item) = item.as_item() else {
            warnings.push(Warning {
                pointer: format!("/paths/{}", escape_pointer(path)),
                message: "path item references are not supported; skipped".to_owned(),
            });
            continue;
        };
        for (method, operation) in item.iter() {
            if !filter.admits(&operation.tags) {
                continue;
            }
            let site = OperationSite {
                path,
                item,
                method,
                operation,
            };
            operations.push(lower_operation(
                document,
                &site,
                &filter.tags,
                &mut fn_names,
                &mut types,
                &mut warnings,
            ));
        }
    }
    operations.sort_by(|a, b| (&a.group, &a.fn_name).cmp(&(&b.group, &b.fn_name)));
    replacement::link_replacements(&mut operations);
    warnings.append(&mut types.warnings);
    let mut defined = one_type_per_shape(&mut types, &mut operations);
    break_alias_cycles(&mut defined, &mut warnings);
    box_recursive_references(&mut defined);
    let mut api = Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        operations,
        types: defined,
        request_only: BTreeSet::new(),
    };
    assign_groups(&mut api);
    mark_sent(&mut api);
    api.request_only = nullable::request_only(&api);
    nullable::nullable_by_description(&mut api);
    let paging: Vec<Option<Paging>> = api.operations.iter().map(|op| paging::paging_of(&api, op)).collect();
    for (op, paging) in api.operations.iter_mut().zip(paging) {
        op.paging = paging;
    }
    Built { api, warnings }
}

/// Merges identical types and gives each its final name (see `identity` and `naming`),
/// rewriting the operations' references to match.
fn one_type_per_shape(lowerer: &mut SchemaLowerer<'_>, operations: &mut [Operation]) -> BTreeMap<String, TypeDef> {
    let provisional = std::mem::take(&mut lowerer.types);
    let mut merged = identity::merge_identical(provisional, &lowerer.order);
    widen_answers(&mut merged, operations);
    let empty = Vec::new();
    let classes: Vec<naming::Class<'_>> = lowerer
        .order
        .iter()
        .filter_map(|name| merged.members.get(name).map(|members| (name, members)))
        .map(|(name, members)| naming::Class {
            provisional: name,
            occurrences: members
                .iter()
                .flat_map(|member| lowerer.occurrences.get(member).unwrap_or(&empty))
                .collect(),
        })
        .collect();
    let names = naming::final_names(&classes, &lowerer.reserved, &merged.replaced);
    let mut substitution: BTreeMap<String, TypeRef> =
        names.iter().map(|(old, new)| (old.clone(), TypeRef::Named(new.clone()))).collect();
    for (old, target) in &merged.replaced {
        substitution.insert(old.clone(), identity::rewrite(target, &substitution));
    }
    for op in operations.iter_mut() {
        for param in &mut op.params {
            param.ty = identity::rewrite(&param.ty, &substitution);
        }
        if let Some(body) = &mut op.body {
            body.ty = identity::rewrite(&body.ty, &substitution);
        }
        for response in &mut op.responses {
            for ty in response.body.iter_mut().chain(response.stream.iter_mut()) {
                *ty = identity::rewrite(ty, &substitution);
            }
        }
    }
    let mut defined = BTreeMap::new();
    for (old, mut def) in merged.types {
        identity::rewrite_kind(&mut def.kind, &substitution);
        let mut pointers: Vec<String> = Vec::new();
        for member in merged.members.get(&old).into_iter().flatten() {
            for occurrence in lowerer.occurrences.get(member).unwrap_or(&empty) {
                if !pointers.contains(&occurrence.pointer) {
                    pointers.push(occurrence.pointer.clone());
                }
            }
        }
        if !pointers.is_empty() {
            def.pointers = pointers;
        }
        def.name = names.get(&old).cloned().unwrap_or(old);
        defined.insert(def.name.clone(), def);
    }
    defined
}

/// Unifies the nearly identical answers of operations on one resource (`getProject`,
/// `updateProject`; see `widen`), and drops the types nothing uses any more.
fn widen_answers(merged: &mut identity::Merged, operations: &[Operation]) {
    let resolve = |ty: &TypeRef| identity::rewrite(ty, &merged.replaced);
    let sent_roots = operations
        .iter()
        .flat_map(|op| op.params.iter().map(|p| resolve(&p.ty)).chain(op.body.iter().map(|b| resolve(&b.ty))));
    let sent = widen::reachable(&merged.types, sent_roots.collect::<Vec<_>>());
    let components: BTreeSet<String> =
        merged.types.iter().filter(|(_, def)| identity::is_component(def)).map(|(name, _)| name.clone()).collect();
    let mut roots = Vec::new();
    for op in operations {
        let Some(noun) = naming::without_verb(&op.type_stem) else { continue };
        for response in op.responses.iter().filter(|r| (200..300).contains(&r.status)) {
            if let Some(TypeRef::Named(name)) = response.body.as_ref().map(resolve) {
                roots.push((noun.to_owned(), name));
            }
        }
    }
    let widened = widen::widen_answers(&mut merged.types, &roots, &sent, &components);
    for (other, kept) in &widened.replaced {
        let moved = merged.members.remove(other).unwrap_or_default();
        merged.members.entry(kept.clone()).or_default().extend(moved);
    }
    let substitution: BTreeMap<String, TypeRef> =
        widened.replaced.iter().map(|(other, kept)| (other.clone(), TypeRef::Named(kept.clone()))).collect();
    for target in merged.replaced.values_mut() {
        *target = identity::rewrite(target, &substitution);
    }
    merged.replaced.extend(substitution);
    // An enum unified with a string may be used nowhere now.
    let used_roots = operations.iter().flat_map(|op| {
        op.params
            .iter()
            .map(|p| &p.ty)
            .chain(op.body.iter().map(|b| &b.ty))
            .chain(op.responses.iter().flat_map(|r| r.body.iter().chain(r.stream.iter())))
            .map(|ty| identity::rewrite(ty, &merged.replaced))
            .collect::<Vec<_>>()
    });
    let used_roots: Vec<TypeRef> = used_roots.chain(components.iter().map(|name| TypeRef::Named(name.clone()))).collect();
    let used = widen::reachable(&merged.types, used_roots);
    let unused: Vec<String> = merged.types.keys().filter(|name| !used.contains(*name)).cloned().collect();
    for name in unused {
        merged.types.remove(&name);
        merged.members.remove(&name);
    }
}

/// Puts each type in the module of the one group that uses it, or in the shared module
/// when several do, and records which groups use it.
fn assign_groups(api: &mut Api) {
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in &api.operations {
        for name in reachable_types(api, op) {
            users.entry(name).or_default().insert(op.group.clone());
        }
    }
    for (name, def) in api.types.iter_mut() {
        let groups = users.remove(name).unwrap_or_default();
        def.group = match groups.iter().next() {
            Some(only) if groups.len() == 1 => only.clone(),
            _ => SHARED_GROUP.to_owned(),
        };
        def.used_by = groups.into_iter().collect();
    }
}

/// Marks the types a request sends: those its parameters and body reach.
fn mark_sent(api: &mut Api) {
    let roots: Vec<TypeRef> =
        api.operations.iter().flat_map(|op| op.params.iter().map(|p| p.ty.clone()).chain(op.body.iter().map(|b| b.ty.clone()))).collect();
    let sent = widen::reachable(&api.types, roots);
    for (name, def) in api.types.iter_mut() {
        def.sent = sent.contains(name);
    }
}

/// The named types an operation uses, directly or through other types, sorted.
pub fn reachable_types(api: &Api, op: &Operation) -> Vec<String> {
    let mut pending: Vec<&TypeRef> = op
        .params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.iter().map(|b| &b.ty))
        .chain(op.responses.iter().filter_map(|r| r.body.as_ref()))
        .chain(op.responses.iter().filter_map(|r| r.stream.as_ref()))
        .collect();
    let mut found = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Named(name) if found.insert(name.clone()) => {
                if let Some(def) = api.types.get(name) {
                    pending.extend(type_references(def));
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => {
                pending.push(inner)
            }
            _ => {}
        }
    }
    found.into_iter().collect()
}

/// Every type reference a named type holds.
fn type_references(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().chain(&s.additional).map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(target) => vec![target],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The named types a type holds without indirection (fields and variants, not `Vec` or maps).
fn direct_references(ty: &TypeDef) -> Vec<&str> {
    match &ty.kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct_target(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct_target(&v.ty)).collect(),
        TypeKind::Alias(target) => direct_target(target).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Can `from` reach `to` through direct references?
fn reaches(types: &BTreeMap<String, TypeDef>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(name) = stack.pop() {
        if name == to {
            return true;
        }
        if seen.insert(name) {
            if let Some(ty) = types.get(name) {
                stack.extend(direct_references(ty));
            }
        }
    }
    false
}

/// The named types a type reference mentions, at any depth of containers.
fn named_in(ty: &TypeRef, found: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => found.push(name.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => {
            named_in(inner, found)
        }
        _ => {}
    }
}

/// Does alias `name` lead back to itself through aliases only (`A = Vec<B>`, `B = A`)?
fn alias_cycle(types: &BTreeMap<String, TypeDef>, name: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut pending = vec![name.to_owned()];
    while let Some(current) = pending.pop() {
        let Some(TypeDef { kind: TypeKind::Alias(target), .. }) = types.get(&current) else { continue };
        let mut next = Vec::new();
        named_in(target, &mut next);
        for found in next {
            if found == name {
                return true;
            }
            if seen.insert(found.clone()) {
                pending.push(found);
            }
        }
    }
    false
}

/// Rust type aliases cannot be recursive, even through `Vec`: an alias that leads back
/// to itself through other aliases only (`A: {type: array, items: {$ref: A}}`) becomes
/// free-form JSON, with a warning.
fn break_alias_cycles(types: &mut BTreeMap<String, TypeDef>, warnings: &mut Vec<Warning>) {
    let names: Vec<String> = types.keys().cloned().collect();
    for name in names {
        if !alias_cycle(types, &name) {
            continue;
        }
        if let Some(def) = types.get_mut(&name) {
            def.kind = TypeKind::Alias(TypeRef::Json);
            warnings.push(Warning {
                pointer: def.pointer.clone(),
                message: format!(
                    "schema `{name}` refers to itself with no object or union between (a recursive alias); typed as free-form JSON"
                ),
            });
        }
    }
}

/// Wraps in `Box` every direct reference that closes a cycle, so recursive types have a size.
fn box_recursive_references(types: &mut BTreeMap<String, TypeDef>) {
    let mut to_box: Vec<(String, usize)> = Vec::new();
    for (name, ty) in types.iter() {
        let targets: Vec<Option<&str>> = match &ty.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| direct_target(&f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| direct_target(&v.ty)).collect(),
            _ => Vec::new(),
        };
        for (index, target) in targets.into_iter().enumerate() {
            if target.is_some_and(|target| reaches(types, target, name)) {
                to_box.push((name.clone(), index));
            }
        }
    }
    for (name, index) in to_box {
        let Some(ty) = types.get_mut(&name) else { continue };
        let slot = match &mut ty.kind {
            TypeKind::Struct(s) => s.fields.get_mut(index).map(|f| &mut f.ty),
            TypeKind::Union(u) => u.variants.get_mut(index).map(|v| &mut v.ty),
            _ => None,
        };
        if let Some(slot) = slot {
            *slot = boxed(std::mem::replace(slot, TypeRef::Json));
        }
    }
}

fn direct_target(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) => direct_target(inner),
        _ => None,
    }
}

/// `T` -> `Box<T>`, `Option<T>` -> `Option<Box<T>>`.
fn boxed(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(boxed(*inner))),
        other => TypeRef::Boxed(Box::new(other)),
    }
}

#[cfg(test)]
mod tests;
