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

/// The names of the types built from each pointer.
fn names_by_pointer(api: &Api) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut map: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for ty in api.types.values() {
        map.entry(ty.pointer.as_str())
            .or_default()
            .insert(ty.name.as_str());
    }
    map
}

#[test]
fn unchanged_schemas_keep_their_type_names() {
    let old_spec = load("2025-10-24.json");
    let new_spec = load("2025-10-27.json");
    let old = ir::build(&old_spec, &Filter::default()).api;
    let new = ir::build(&new_spec, &Filter::default()).api;
    assert!(!old.types.is_empty() && !new.types.is_empty());

    let kept = old
        .types
        .keys()
        .filter(|name| new.types.contains_key(*name))
        .count();
    println!(
        "type names unchanged: {kept}/{} ({:.1}%)",
        old.types.len(),
        100.0 * kept as f64 / old.types.len() as f64
    );

    let new_by_pointer = names_by_pointer(&new);
    let mut checked = 0;
    let (mut unresolved, mut changed, mut unbuilt) = (0, 0, 0);
    let mut renamed: Vec<String> = Vec::new();
    for ty in old.types.values() {
        let Some(before) = old_spec.raw.pointer(&ty.pointer) else {
            unresolved += 1;
            continue;
        };
        if new_spec.raw.pointer(&ty.pointer) != Some(before) {
            changed += 1;
            continue;
        }
        let Some(names) = new_by_pointer.get(ty.pointer.as_str()) else {
            unbuilt += 1;
            continue;
        };
        checked += 1;
        if !names.contains(ty.name.as_str()) {
            let now: Vec<&str> = names.iter().copied().collect();
            renamed.push(format!(
                "{} -> {} ({})",
                ty.name,
                now.join(" | "),
                ty.pointer
            ));
        }
    }
    println!(
        "unchanged-schema types checked: {checked}, renamed: {} (skipped: {changed} changed or gone, \
         {unbuilt} unchanged with no new type at the pointer, {unresolved} whose pointer does not \
         resolve in the old document)",
        renamed.len()
    );
    assert!(
        checked > 0,
        "no type of the old document has an unchanged schema"
    );
    assert!(
        renamed.is_empty(),
        "{} of {checked} types with an unchanged schema were renamed:\n{}",
        renamed.len(),
        renamed.join("\n")
    );
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
