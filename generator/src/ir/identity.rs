//! Identity by shape: types whose structure is the same are one type.
//!
//! Vercel's document inlines every schema where it is used, so lowering gives one
//! provisional type per place. Two types are the same when their kinds are equal once
//! documentation is left out and the types they refer to are the same in turn. That is
//! the coarsest partition stable under "refers to the same classes" (as in automaton
//! minimisation), so recursive types are merged too. Within a union, variants that have
//! become the same type are merged, and an untagged union left with one variant is that
//! variant's type.

use std::collections::{BTreeMap, HashMap};

use super::model::{Struct, TypeDef, TypeKind, TypeRef, Union};

/// The outcome of merging: the surviving types, and what each provisional name became.
#[derive(Debug, Default)]
pub struct Merged {
    /// The surviving types, by provisional name.
    pub types: BTreeMap<String, TypeDef>,
    /// For every provisional name that did not survive, the type that stands for it now.
    pub replaced: BTreeMap<String, TypeRef>,
    /// For every surviving type, the provisional names merged into it (itself first).
    pub members: BTreeMap<String, Vec<String>>,
}

/// Merges identical types. `order` ranks provisional names (the order they were met):
/// a class is represented by its first component schema, else by its first member.
/// Component schemas keep their own types; what else has their shape joins the first.
pub fn merge_identical(types: BTreeMap<String, TypeDef>, order: &[String]) -> Merged {
    let rank: HashMap<&str, usize> = order.iter().enumerate().map(|(i, name)| (name.as_str(), i)).collect();
    let rank_of = |name: &str| rank.get(name).copied().unwrap_or(usize::MAX);
    let mut types = types;
    let mut replaced: BTreeMap<String, TypeRef> = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<String>> =
        types.keys().map(|name| (name.clone(), vec![name.clone()])).collect();
    loop {
        let classes = classes_of(&types);
        let mut by_class: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (name, class) in &classes {
            by_class.entry(*class).or_default().push(name.clone());
        }
        let mut substitution: BTreeMap<String, TypeRef> = BTreeMap::new();
        for mut names in by_class.into_values().filter(|names| names.len() > 1) {
            names.sort_by_key(|name| (!is_component(&types[name]), rank_of(name)));
            let representative = names[0].clone();
            // A component schema is a type the document names: it is never merged into
            // another, even of the same shape (`Error` and `Box` stay two types).
            for other in names[1..].iter().filter(|name| !is_component(&types[name.as_str()])) {
                substitution.insert(other.clone(), TypeRef::Named(representative.clone()));
            }
        }
        let mut changed = !substitution.is_empty();
        absorb(&mut types, &mut members, &substitution);
        for (name, target) in &substitution {
            replaced.insert(name.clone(), target.clone());
        }
        rewrite_all(&mut types, &substitution);
        let collapsed = merge_variants(&mut types);
        changed |= !collapsed.is_empty();
        for name in collapsed.keys() {
            types.remove(name);
            members.remove(name);
        }
        for (name, target) in &collapsed {
            replaced.insert(name.clone(), target.clone());
        }
        rewrite_all(&mut types, &collapsed);
        if !changed {
            break;
        }
    }
    // Every replaced name leads to a surviving type (or a primitive) in one step.
    let resolved: BTreeMap<String, TypeRef> =
        replaced.keys().map(|name| (name.clone(), resolve(&TypeRef::Named(name.clone()), &replaced))).collect();
    Merged {
        types,
        replaced: resolved,
        members,
    }
}

/// Is this type a component schema (which names its class)?
pub(super) fn is_component(def: &TypeDef) -> bool {
    def.pointer.strip_prefix("/components/schemas/").is_some_and(|rest| !rest.contains('/'))
}

/// Moves the members (and pointers) of merged types to their representatives, and gives
/// the representative the most common description of its class; when the class is an
/// operation's request body or success answer, of those places only (where users meet
/// it, and what it is named after: not the description of an event payload elsewhere).
fn absorb(
    types: &mut BTreeMap<String, TypeDef>,
    members: &mut BTreeMap<String, Vec<String>>,
    substitution: &BTreeMap<String, TypeRef>,
) {
    let mut docs: BTreeMap<String, Vec<(bool, Option<String>)>> = BTreeMap::new();
    for (name, target) in substitution {
        let TypeRef::Named(representative) = target else { continue };
        let Some(def) = types.remove(name) else { continue };
        let moved = members.remove(name).unwrap_or_default();
        members.entry(representative.clone()).or_default().extend(moved);
        docs.entry(representative.clone()).or_default().push((is_operation_face(&def.pointer), def.doc));
        if let Some(rep) = types.get_mut(representative) {
            rep.pointers.extend(def.pointers);
        }
    }
    for (representative, others) in docs {
        let Some(rep) = types.get_mut(&representative) else { continue };
        let mut all = vec![(is_operation_face(&rep.pointer), rep.doc.clone())];
        all.extend(others);
        let faces = all.iter().any(|(face, _)| *face);
        let chosen: Vec<Option<String>> =
            all.into_iter().filter(|(face, _)| *face || !faces).map(|(_, doc)| doc).collect();
        rep.doc = most_common(&chosen);
    }
}

/// Is the schema at `pointer` an operation's request body or success answer (the schema
/// itself, not one nested in it)?
fn is_operation_face(pointer: &str) -> bool {
    let Some(rest) = pointer.strip_prefix("/paths/") else { return false };
    let Some(media) = rest.strip_suffix("/schema") else { return false };
    let Some((before, _media_type)) = media.rsplit_once("/content/") else { return false };
    before.ends_with("/requestBody") || before.rsplit_once("/responses/").is_some_and(|(_, status)| status.starts_with('2'))
}

/// The most common description (the first among equals), if any is given.
fn most_common(docs: &[Option<String>]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for doc in docs.iter().flatten() {
        match counts.iter_mut().find(|(text, _)| *text == doc.as_str()) {
            Some((_, count)) => *count += 1,
            None => counts.push((doc, 1)),
        }
    }
    let best = counts.iter().map(|(_, count)| *count).max()?;
    counts.iter().find(|(_, count)| *count == best).map(|(text, _)| (*text).to_owned())
}

/// The class of every type: equal classes mean identical shapes.
fn classes_of(types: &BTreeMap<String, TypeDef>) -> BTreeMap<String, usize> {
    let mut locals: HashMap<TypeKind, usize> = HashMap::new();
    let mut references: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut class: BTreeMap<String, usize> = BTreeMap::new();
    for (name, def) in types {
        let mut names = Vec::new();
        let stripped = stripped(&def.kind, &mut names);
        let next = locals.len();
        class.insert(name.clone(), *locals.entry(stripped).or_insert(next));
        references.insert(name, names);
    }
    let mut count = locals.len();
    loop {
        let mut keys: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
        let refined: BTreeMap<String, usize> = references
            .iter()
            .map(|(name, names)| {
                // A name outside the types (never expected) is a class of its own.
                let targets = names.iter().map(|n| class.get(n).copied().unwrap_or(usize::MAX)).collect();
                let next = keys.len();
                let id = *keys.entry((class[*name], targets)).or_insert(next);
                ((*name).to_owned(), id)
            })
            .collect();
        let refined_count = keys.len();
        class = refined;
        if refined_count == count {
            return class;
        }
        count = refined_count;
    }
}

/// A kind with its documentation left out, its fields in one order and every type name
/// blanked, the names collected in order: the part of a type's identity that does not depend on others.
fn stripped(kind: &TypeKind, names: &mut Vec<String>) -> TypeKind {
    let mut blank = |ty: &TypeRef| blank_names(ty, names);
    match kind {
        TypeKind::Struct(s) => TypeKind::Struct(Struct {
            // The order of properties is not part of a shape.
            fields: sorted_fields(s)
                .into_iter()
                .map(|f| super::model::Field {
                    ty: blank(&f.ty),
                    doc: None,
                    deprecated: false,
                    ..f.clone()
                })
                .collect(),
            additional: s.additional.as_ref().map(|f| super::model::Field {
                ty: blank(&f.ty),
                doc: None,
                deprecated: false,
                ..f.clone()
            }),
        }),
        TypeKind::Union(u) => TypeKind::Union(Union {
            variants: u
                .variants
                .iter()
                .map(|v| super::model::UnionVariant {
                    ty: blank(&v.ty),
                    doc: None,
                    ..v.clone()
                })
                .collect(),
            ..u.clone()
        }),
        TypeKind::Alias(target) => TypeKind::Alias(blank(target)),
        TypeKind::Enum(e) => TypeKind::Enum(e.clone()),
    }
}

/// A struct's fields by wire name.
fn sorted_fields(s: &Struct) -> Vec<&super::model::Field> {
    let mut fields: Vec<&super::model::Field> = s.fields.iter().collect();
    fields.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
    fields
}

fn blank_names(ty: &TypeRef, names: &mut Vec<String>) -> TypeRef {
    match ty {
        TypeRef::Named(name) => {
            names.push(name.clone());
            TypeRef::Named(String::new())
        }
        TypeRef::Array(inner) => TypeRef::Array(Box::new(blank_names(inner, names))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(blank_names(inner, names))),
        TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(blank_names(inner, names))),
        TypeRef::Boxed(inner) => TypeRef::Boxed(Box::new(blank_names(inner, names))),
        other => other.clone(),
    }
}

/// Within each union, drops variants that are the same type as an earlier one. Returns
/// the untagged unions left with one variant, each with the type that replaces it.
fn merge_variants(types: &mut BTreeMap<String, TypeDef>) -> BTreeMap<String, TypeRef> {
    let mut collapsed = BTreeMap::new();
    for (name, def) in types.iter_mut() {
        let TypeKind::Union(union) = &mut def.kind else { continue };
        let mut seen: Vec<(TypeRef, Option<String>)> = Vec::new();
        union.variants.retain(|variant| {
            let key = (variant.ty.clone(), variant.tag_value.clone());
            if seen.contains(&key) {
                false
            } else {
                seen.push(key);
                true
            }
        });
        if let [only] = union.variants.as_slice() {
            if union.tag.is_none() && !mentions(&only.ty, name) {
                collapsed.insert(name.clone(), only.ty.clone());
            }
        }
    }
    collapsed
}

/// Does `ty` name the type `name` at any depth of containers?
fn mentions(ty: &TypeRef, name: &str) -> bool {
    match ty {
        TypeRef::Named(named) => named == name,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => {
            mentions(inner, name)
        }
        _ => false,
    }
}

/// Rewrites every reference in every type through `substitution`.
fn rewrite_all(types: &mut BTreeMap<String, TypeDef>, substitution: &BTreeMap<String, TypeRef>) {
    if substitution.is_empty() {
        return;
    }
    for def in types.values_mut() {
        rewrite_kind(&mut def.kind, substitution);
    }
}

/// Rewrites the references of one type through `substitution`.
pub fn rewrite_kind(kind: &mut TypeKind, substitution: &BTreeMap<String, TypeRef>) {
    match kind {
        TypeKind::Struct(s) => {
            for field in s.fields.iter_mut().chain(s.additional.iter_mut()) {
                field.ty = rewrite(&field.ty, substitution);
            }
        }
        TypeKind::Union(u) => {
            for variant in &mut u.variants {
                variant.ty = rewrite(&variant.ty, substitution);
            }
        }
        TypeKind::Alias(target) => *target = rewrite(target, substitution),
        TypeKind::Enum(_) => {}
    }
}

/// `ty` with every name in `substitution` replaced (one step; a nullable replacement of
/// a nullable reference stays one `Option`).
pub fn rewrite(ty: &TypeRef, substitution: &BTreeMap<String, TypeRef>) -> TypeRef {
    match ty {
        TypeRef::Named(name) => substitution.get(name).cloned().unwrap_or_else(|| ty.clone()),
        TypeRef::Array(inner) => TypeRef::Array(Box::new(rewrite(inner, substitution))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(rewrite(inner, substitution))),
        TypeRef::Nullable(inner) => match rewrite(inner, substitution) {
            nullable @ (TypeRef::Nullable(_) | TypeRef::Json) => nullable,
            other => TypeRef::Nullable(Box::new(other)),
        },
        TypeRef::Boxed(inner) => TypeRef::Boxed(Box::new(rewrite(inner, substitution))),
        other => other.clone(),
    }
}

/// Follows replacements until a surviving name or a primitive.
fn resolve(ty: &TypeRef, replaced: &BTreeMap<String, TypeRef>) -> TypeRef {
    let mut current = ty.clone();
    // Each step replaces a name by a survivor of a later round, so chains are short;
    // the bound only guards against a cycle.
    for _ in 0..=replaced.len() {
        let next = rewrite(&current, replaced);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::model::{Enum, EnumVariant, Field, UnionVariant};

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        (
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                doc: Some(format!("about {name}")),
                pointer: format!("/paths/{name}"),
                pointers: vec![format!("/paths/{name}")],
                group: String::new(),
                used_by: Vec::new(),
                sent: false,
                kind,
            },
        )
    }

    fn field(name: &str, ty: TypeRef, doc: &str) -> Field {
        Field {
            rust_name: name.to_owned(),
            wire_name: name.to_owned(),
            ty,
            required: true,
            doc: Some(doc.to_owned()),
            secret: false,
            deprecated: false,
        }
    }

    fn object(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct { fields, additional: None })
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    #[test]
    fn identical_shapes_merge_whatever_their_docs_and_names() {
        let types = BTreeMap::from([
            def("AOwner", object(vec![field("id", TypeRef::String, "the id")])),
            def("BOwner", object(vec![field("id", TypeRef::String, "another text")])),
            def("A", object(vec![field("owner", named("AOwner"), "x")])),
            def("B", object(vec![field("owner", named("BOwner"), "y")])),
            def("C", object(vec![field("owner", TypeRef::String, "z")])),
        ]);
        let order: Vec<String> = ["A", "AOwner", "B", "BOwner", "C"].map(String::from).to_vec();
        let merged = merge_identical(types, &order);
        assert_eq!(merged.types.keys().collect::<Vec<_>>(), ["A", "AOwner", "C"]);
        assert_eq!(merged.replaced["B"], named("A"));
        assert_eq!(merged.replaced["BOwner"], named("AOwner"));
        assert_eq!(merged.members["A"], ["A", "B"]);
        assert_eq!(merged.types["A"].pointers, ["/paths/A", "/paths/B"]);
    }

    #[test]
    fn the_order_of_properties_is_not_part_of_a_shape() {
        let id = || field("id", TypeRef::String, "");
        let name = || field("name", TypeRef::String, "");
        let types = BTreeMap::from([def("A", object(vec![id(), name()])), def("B", object(vec![name(), id()]))]);
        let merged = merge_identical(types, &["A".to_owned(), "B".to_owned()]);
        assert_eq!(merged.replaced["B"], named("A"));
        let TypeKind::Struct(a) = &merged.types["A"].kind else { panic!("A is a struct") };
        assert_eq!(a.fields.iter().map(|f| f.wire_name.as_str()).collect::<Vec<_>>(), ["id", "name"]);
    }

    #[test]
    fn recursive_shapes_merge() {
        let types = BTreeMap::from([
            def("TreeA", object(vec![field("children", TypeRef::Array(Box::new(named("TreeA"))), "")])),
            def("TreeB", object(vec![field("children", TypeRef::Array(Box::new(named("TreeB"))), "")])),
        ]);
        let merged = merge_identical(types, &["TreeA".to_owned(), "TreeB".to_owned()]);
        assert_eq!(merged.types.len(), 1);
        assert_eq!(merged.replaced["TreeB"], named("TreeA"));
    }

    #[test]
    fn identical_variants_merge_and_a_single_one_replaces_its_union() {
        let variant = |name: &str, ty: TypeRef| UnionVariant {
            rust_name: name.to_owned(),
            ty,
            tag_value: None,
            doc: None,
        };
        let union = |variants| {
            TypeKind::Union(Union {
                tag: None,
                variants,
                unknown_variant: "Unknown".to_owned(),
            })
        };
        let value = TypeKind::Enum(Enum {
            variants: vec![EnumVariant { rust_name: "A".to_owned(), value: "a".to_owned() }],
            unknown_variant: "Unknown".to_owned(),
        });
        let types = BTreeMap::from([
            def("GroupId", union(vec![variant("String", TypeRef::String), variant("String2", TypeRef::String)])),
            def("Either", union(vec![variant("X", named("X1")), variant("Y", named("X2")), variant("N", TypeRef::Number)])),
            def("X1", value.clone()),
            def("X2", value),
            def("Holder", object(vec![field("group", TypeRef::Nullable(Box::new(named("GroupId"))), "")])),
        ]);
        let order: Vec<String> = ["Holder", "GroupId", "Either", "X1", "X2"].map(String::from).to_vec();
        let merged = merge_identical(types, &order);
        assert_eq!(merged.replaced["GroupId"], TypeRef::String);
        let TypeKind::Struct(holder) = &merged.types["Holder"].kind else { panic!() };
        assert_eq!(holder.fields[0].ty, TypeRef::Nullable(Box::new(TypeRef::String)));
        let TypeKind::Union(either) = &merged.types["Either"].kind else { panic!() };
        let names: Vec<&str> = either.variants.iter().map(|v| v.rust_name.as_str()).collect();
        assert_eq!(names, ["X", "N"]);
    }

    #[test]
    fn components_of_one_shape_stay_apart() {
        let kind = object(vec![field("value", TypeRef::String, "")]);
        let component = |name: &str| {
            let (name, mut def) = def(name, kind.clone());
            def.pointer = format!("/components/schemas/{name}");
            (name, def)
        };
        let types = BTreeMap::from([component("Error"), component("Box"), def("GetThingsValue", kind.clone())]);
        let order = ["Error".to_owned(), "Box".to_owned(), "GetThingsValue".to_owned()];
        let merged = merge_identical(types, &order);
        assert_eq!(merged.types.keys().collect::<Vec<_>>(), ["Box", "Error"]);
        assert_eq!(merged.replaced["GetThingsValue"], named("Error"));
    }

    #[test]
    fn an_operation_answer_takes_no_description_from_elsewhere() {
        let kind = object(vec![field("name", TypeRef::String, "")]);
        let answer = "/paths/~1v1~1things/put/responses/200/content/application~1json/schema";
        let (_, mut face) = def("PutThingResponse", kind.clone());
        face.pointer = answer.to_owned();
        face.doc = None;
        let (_, mut payload) = def("EventPayloadNewTeam", kind.clone());
        payload.doc = Some("The payload of the event, if requested.".to_owned());
        let (_, mut other) = def("EventPayloadOldTeam", kind);
        other.doc = payload.doc.clone();
        let types = BTreeMap::from([
            ("PutThingResponse".to_owned(), face),
            ("EventPayloadNewTeam".to_owned(), payload),
            ("EventPayloadOldTeam".to_owned(), other),
        ]);
        let order: Vec<String> = ["PutThingResponse", "EventPayloadNewTeam", "EventPayloadOldTeam"].map(String::from).to_vec();
        let merged = merge_identical(types, &order);
        assert_eq!(merged.types.len(), 1);
        assert_eq!(merged.types.values().next().unwrap().doc, None);
        assert!(is_operation_face("/paths/~1v1/post/requestBody/content/application~1json/schema"));
        assert!(!is_operation_face("/paths/~1v1/post/responses/400/content/application~1json/schema"));
        assert!(!is_operation_face(&format!("{answer}/properties/name")));
    }

    #[test]
    fn a_component_names_its_class() {
        let kind = object(vec![field("id", TypeRef::String, "")]);
        let (_, mut component) = def("Pagination", kind.clone());
        component.pointer = "/components/schemas/Pagination".to_owned();
        let types = BTreeMap::from([def("GetThingsPagination", kind), ("Pagination".to_owned(), component)]);
        let order: Vec<String> = ["GetThingsPagination", "Pagination"].map(String::from).to_vec();
        let merged = merge_identical(types, &order);
        assert_eq!(merged.types.keys().collect::<Vec<_>>(), ["Pagination"]);
        assert_eq!(merged.types["Pagination"].doc.as_deref(), Some("about Pagination"));
    }
}
