//! Type names are stable: a schema that did not change between two versions of the
//! document keeps its Rust name, and building the IR twice gives the same result.

use std::collections::{BTreeMap, BTreeSet};

mod support;

use support::specs_dir;
use vercel_codegen::ir::{self, Api, Filter};
use vercel_codegen::load::{load_path, LoadedSpec};

fn load(file: &str) -> LoadedSpec {
    let path = specs_dir().join(file);
    load_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names of the types built from each pointer (a type occurs at every place its
/// shape does).
fn names_by_pointer(api: &Api) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut map: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for ty in api.types.values() {
        for pointer in &ty.pointers {
            map.entry(pointer.as_str())
                .or_default()
                .insert(ty.name.as_str());
        }
    }
    map
}

/// The documents, oldest first.
fn documents() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(specs_dir())
        .expect("the specs directory")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    files
}

#[test]
fn unchanged_schemas_keep_their_type_names_on_every_consecutive_pair() {
    let files = documents();
    assert!(files.len() >= 2, "fewer than two documents in {}", specs_dir().display());
    let mut failures = Vec::new();
    for pair in files.windows(2) {
        if let Err(message) = unchanged_schemas_keep_their_type_names(&pair[0], &pair[1]) {
            failures.push(message);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn unchanged_schemas_keep_their_type_names(old_file: &str, new_file: &str) -> Result<(), String> {
    let old_spec = load(old_file);
    let new_spec = load(new_file);
    let old = ir::build(&old_spec, &Filter::default()).api;
    let new = ir::build(&new_spec, &Filter::default()).api;
    assert!(!old.types.is_empty() && !new.types.is_empty());

    let kept = old
        .types
        .keys()
        .filter(|name| new.types.contains_key(*name))
        .count();
    println!(
        "{old_file} -> {new_file}: type names unchanged: {kept}/{} ({:.1}%)",
        old.types.len(),
        100.0 * kept as f64 / old.types.len() as f64
    );

    let new_by_pointer = names_by_pointer(&new);
    let old_by_pointer = names_by_pointer(&old);
    let mut checked = 0;
    let (mut unresolved, mut changed, mut moved, mut regrouped, mut operation_renamed) = (0, 0, 0, 0, 0);
    let (mut renamed, mut displaced, mut promoted) = (Vec::new(), Vec::new(), Vec::new());
    let mut among_new_siblings = Vec::new();
    for ty in old.types.values() {
        // A type's name is chosen from every place its shape occurs, so it is the same
        // type only if every one of those places is unchanged...
        if ty.pointers.iter().any(|p| old_spec.raw.pointer(p).is_none()) {
            unresolved += 1;
            continue;
        }
        if ty.pointers.iter().any(|p| new_spec.raw.pointer(p) != old_spec.raw.pointer(p)) {
            changed += 1;
            continue;
        }
        // ...the new document has one type at those places, occurring there alone...
        let now: BTreeSet<&str> = ty
            .pointers
            .iter()
            .flat_map(|p| new_by_pointer.get(p.as_str()).into_iter().flatten().copied())
            .collect();
        let [now] = now.into_iter().collect::<Vec<_>>()[..] else {
            moved += 1;
            continue;
        };
        let places = |pointers: &[String]| pointers.iter().cloned().collect::<BTreeSet<String>>();
        if places(&new.types[now].pointers) != places(&ty.pointers) {
            regrouped += 1;
            continue;
        }
        // ...and the operations it belongs to keep their ids.
        if ty.pointers.iter().any(|p| operation_id(&old_spec, p) != operation_id(&new_spec, p)) {
            operation_renamed += 1;
            continue;
        }
        checked += 1;
        if now == ty.name {
            continue;
        }
        // Names are unique, so a name is decided among every shape that wants it: a new or
        // changed shape can take the name an unchanged one had, or leave free a better one.
        // A union variant is named by what sets it apart from its siblings, so a variant
        // added to or removed from its union can rename it.
        if new.types.contains_key(&ty.name) {
            displaced.push((ty.name.clone(), now.to_owned()));
        } else if old.types.contains_key(now) {
            promoted.push((ty.name.clone(), now.to_owned()));
        } else if ty.pointers.iter().any(|p| union_changed(&old_spec, &new_spec, p)) {
            among_new_siblings.push((ty.name.clone(), now.to_owned()));
        } else {
            renamed.push((ty.name.clone(), now.to_owned(), ty.pointer.clone()));
        }
    }
    // A type named after the type it occurs in follows that type's new name.
    let mut explained: Vec<(String, String)> =
        displaced.iter().chain(&promoted).chain(&among_new_siblings).cloned().collect();
    let mut follow_parent = Vec::new();
    loop {
        let (follows, rest): (Vec<_>, Vec<_>) = renamed.into_iter().partition(|(old_name, new_name, _)| {
            explained.iter().any(|(a, b)| {
                old_name.strip_prefix(a.as_str()).is_some_and(|rest| *new_name == format!("{b}{rest}"))
            }) || parent_renamed(&old, &new, old_name, new_name)
                || old.types[old_name].pointers.iter().any(|p| container_renamed(&old_by_pointer, &new_by_pointer, p))
        });
        renamed = rest;
        if follows.is_empty() {
            break;
        }
        for (old_name, new_name, _) in follows {
            follow_parent.push(format!("{old_name} -> {new_name}"));
            explained.push((old_name, new_name));
        }
    }
    let renamed: Vec<String> = renamed.into_iter().map(|(a, b, at)| format!("{a} -> {b} ({at})")).collect();
    let pairs = |list: &[(String, String)]| list.iter().map(|(a, b)| format!("{a} -> {b}")).collect::<Vec<_>>();
    let (displaced, promoted, among_new_siblings) =
        (pairs(&displaced), pairs(&promoted), pairs(&among_new_siblings));
    println!(
        "{old_file} -> {new_file}: unchanged types checked: {checked}, renamed: {} (skipped: {changed} \
         changed or gone, {unresolved} at a place that does not resolve, {moved} now split or \
         not built, {regrouped} whose shape now occurs at other places too, {operation_renamed} \
         whose operation was renamed)",
        renamed.len()
    );
    println!(
        "{old_file} -> {new_file}: {} unchanged types lost their name to another type ({}); {} took \
         the name another type left ({})",
        displaced.len(),
        displaced.join(", "),
        promoted.len(),
        promoted.join(", ")
    );
    println!(
        "{old_file} -> {new_file}: {} followed the type they occur in ({}); {} variants renamed among \
         changed siblings ({})",
        follow_parent.len(),
        follow_parent.join(", "),
        among_new_siblings.len(),
        among_new_siblings.join(", ")
    );
    if checked == 0 {
        return Err(format!("{old_file} -> {new_file}: no type of the old document is unchanged"));
    }
    if !renamed.is_empty() {
        return Err(format!(
            "{old_file} -> {new_file}: {} of {checked} unchanged types were renamed:\n{}",
            renamed.len(),
            renamed.join("\n")
        ));
    }
    Ok(())
}

/// Is `old_name` a name `A + rest` and `new_name` the name `B + rest`, where the type
/// `A` (changed, so not checked itself) is now `B`?
fn parent_renamed(old: &Api, new: &Api, old_name: &str, new_name: &str) -> bool {
    (1..old_name.len()).filter(|&i| old_name.is_char_boundary(i)).any(|i| {
        let (a, rest) = old_name.split_at(i);
        let Some(b) = new_name.strip_suffix(rest) else { return false };
        a != b && old.types.contains_key(a) && new.types.contains_key(b) && !new.types.contains_key(a)
    })
}

/// Was the type that the schema at `pointer` sits in (the nearest enclosing schema that
/// is a type) renamed? A type is named after one of the types it occurs in, or after
/// its operation.
fn container_renamed(
    old: &BTreeMap<&str, BTreeSet<&str>>,
    new: &BTreeMap<&str, BTreeSet<&str>>,
    pointer: &str,
) -> bool {
    let mut at = pointer;
    while let Some((parent, _)) = at.rsplit_once('/') {
        at = parent;
        if let Some(before) = old.get(at) {
            return new.get(at) != Some(before);
        }
    }
    false
}

/// Does `pointer` name a variant (`…/oneOf/2`) of a union that changed?
fn union_changed(old: &LoadedSpec, new: &LoadedSpec, pointer: &str) -> bool {
    let Some((union, index)) = pointer.rsplit_once('/') else { return false };
    let is_variant = index.parse::<usize>().is_ok() && (union.ends_with("/oneOf") || union.ends_with("/anyOf"));
    is_variant && old.raw.pointer(union) != new.raw.pointer(union)
}

/// The `operationId` of the operation a pointer into `paths` lies in.
fn operation_id<'s>(spec: &'s LoadedSpec, pointer: &str) -> Option<&'s str> {
    let mut segments = pointer.split('/');
    let operation: Vec<&str> = segments.by_ref().take(4).collect();
    if operation.get(1) != Some(&"paths") || operation.len() < 4 {
        return None;
    }
    spec.raw.pointer(&format!("{}/operationId", operation.join("/")))?.as_str()
}

/// Where two APIs differ, as readable lines (empty when they are equal).
fn differences(a: &Api, b: &Api) -> Vec<String> {
    let mut found = Vec::new();
    if (&a.title, &a.version) != (&b.title, &b.version) {
        found.push(format!(
            "info: {:?} vs {:?}",
            (&a.title, &a.version),
            (&b.title, &b.version)
        ));
    }
    if a.operations.len() != b.operations.len() {
        found.push(format!(
            "operation count: {} vs {}",
            a.operations.len(),
            b.operations.len()
        ));
    }
    for (x, y) in a.operations.iter().zip(&b.operations) {
        if x != y {
            found.push(format!(
                "operation {} ({}) vs {} ({})",
                x.fn_name, x.pointer, y.fn_name, y.pointer
            ));
        }
    }
    let names: BTreeSet<&String> = a.types.keys().chain(b.types.keys()).collect();
    for name in names {
        match (a.types.get(name), b.types.get(name)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(_)) => found.push(format!("type {name} ({}) differs", x.pointer)),
            (Some(x), None) => found.push(format!("type {name} ({}) only in the first", x.pointer)),
            (None, Some(y)) => {
                found.push(format!("type {name} ({}) only in the second", y.pointer))
            }
            (None, None) => unreachable!(),
        }
    }
    found
}

#[test]
fn building_the_ir_is_deterministic() {
    let spec = load("2025-10-27.json");
    let first = ir::build(&spec, &Filter::default());
    let second = ir::build(&spec, &Filter::default());
    let reloaded = ir::build(&load("2025-10-27.json"), &Filter::default());
    for (label, other) in [
        ("a second build", &second),
        ("a build of a fresh load", &reloaded),
    ] {
        let diff = differences(&first.api, &other.api);
        assert!(
            diff.is_empty() && first.api == other.api,
            "{label} differs from the first ({} differences):\n{}",
            diff.len(),
            diff.iter()
                .take(100)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert_eq!(
            first.warnings, other.warnings,
            "{label} gives other warnings"
        );
    }
}
