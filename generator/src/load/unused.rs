//! Parts of a document the generator does not use: examples, links and callbacks (with
//! everything below them).
//!
//! A `$ref` there that points to nothing is no reason to reject the document (real
//! documents have them): the entry holding it (the example, link or callback) is
//! dropped, with a warning naming the reference's pointer. A dangling reference
//! anywhere else stays an error.

use std::collections::BTreeMap;

use serde_json::Value;

use super::walk::Kind;
use super::Warning;

/// Whether objects of `kind`, and everything below them, go unused by the generator.
fn unused(kind: Kind) -> bool {
    matches!(kind, Kind::Example | Kind::Link | Kind::Callback)
}

/// An unused entry of the document: an example, link or callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// What it is.
    pub kind: Kind,
    /// Its pointer (an entry of a map: `.../examples/<name>`).
    pub pointer: String,
}

/// The unused entries enclosing the object a walk (parents before children) is at.
#[derive(Debug, Default)]
pub(super) struct Enclosing {
    entries: Vec<Entry>,
}

impl Enclosing {
    /// Moves to the object at `pointer` (of `kind`), the next one of the walk, and
    /// returns the innermost unused entry holding it (the object itself, when unused).
    pub(super) fn visit(&mut self, kind: Kind, pointer: &str) -> Option<&Entry> {
        self.entries.retain(|entry| holds(&entry.pointer, pointer));
        if unused(kind) {
            self.entries.push(Entry { kind, pointer: pointer.to_owned() });
        }
        self.entries.last()
    }
}

/// Whether the object at `outer` holds (or is) the one at `inner`.
fn holds(outer: &str, inner: &str) -> bool {
    inner.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A reference that reaches an object, which must not be dropped from under it.
#[derive(Debug)]
pub(super) struct Reached {
    /// The reference's pointer.
    pub pointer: String,
    /// The reference.
    pub target: String,
    /// The pointer of the object it reaches.
    pub end: String,
    /// The innermost unused entry holding the reference, if any.
    pub unused: Option<Entry>,
}

/// The unused entries to drop, each for a dangling reference in it, and the references
/// that must still reach their object once they are gone.
#[derive(Debug, Default)]
pub(super) struct Drops {
    /// Each entry to drop, with the dangling reference (pointer, target) that made it go.
    entries: BTreeMap<String, (String, String)>,
    /// The entries to drop in order, each with its warning.
    dropped: Vec<(String, Warning)>,
    /// The references that reach an object, by the pointer of that object.
    reached: BTreeMap<String, Vec<Reached>>,
}

impl Drops {
    /// Drops `entry`, which holds the dangling `$ref` at `pointer` to `target`.
    pub(super) fn dangling(&mut self, entry: Entry, pointer: &str, target: &str) {
        let message = format!("`$ref` `{target}` points to nothing in the document");
        self.drop_entry(entry, pointer, target, message);
    }

    /// Records a reference that reaches an object.
    pub(super) fn reached(&mut self, reference: Reached) {
        self.reached.entry(reference.end.clone()).or_default().push(reference);
    }

    /// The entries to drop (with their warnings), including the unused entries holding
    /// a reference into a dropped one. A reference elsewhere into a dropped entry keeps
    /// the entry's dangling reference (pointer, target) a problem: it is returned.
    pub(super) fn finish(mut self) -> Result<Vec<(String, Warning)>, (String, String)> {
        let mut queue: Vec<String> = self.entries.keys().cloned().collect();
        while let Some(entry) = queue.pop() {
            for reference in self.reaching_into(&entry) {
                if self.is_dropped(&reference.pointer) {
                    continue;
                }
                let Some(outer) = reference.unused else { return Err(self.entries[&entry].clone()) };
                let message = format!("`$ref` `{}` points into `{entry}`, which is dropped", reference.target);
                queue.push(outer.pointer.clone());
                self.drop_entry(outer, &reference.pointer, &reference.target, message);
            }
        }
        Ok(self.dropped)
    }

    /// Drops `entry` for the reference at `pointer`, with a warning saying `why`.
    fn drop_entry(&mut self, entry: Entry, pointer: &str, target: &str, why: String) {
        self.entries.entry(entry.pointer.clone()).or_insert_with(|| (pointer.to_owned(), target.to_owned()));
        let warning = dropped(&entry, pointer, why);
        self.dropped.push((entry.pointer, warning));
    }

    /// The recorded references whose object is `entry` or inside it (taken out).
    fn reaching_into(&mut self, entry: &str) -> Vec<Reached> {
        let inside = format!("{entry}/");
        let mut keys: Vec<String> = self
            .reached
            .range(inside.clone()..)
            .map(|(key, _)| key)
            .take_while(|key| key.starts_with(&inside))
            .cloned()
            .collect();
        keys.push(entry.to_owned());
        keys.iter().filter_map(|key| self.reached.remove(key)).flatten().collect()
    }

    /// Whether the object at `pointer` is dropped (or inside an entry that is).
    fn is_dropped(&self, pointer: &str) -> bool {
        let mut ancestors = pointer.match_indices('/').map(|(index, _)| &pointer[..index]).chain([pointer]);
        ancestors.any(|ancestor| self.entries.contains_key(ancestor))
    }
}

/// The warning for the reference at `pointer` in the unused `entry`: `why` the entry
/// is dropped.
fn dropped(entry: &Entry, pointer: &str, why: String) -> Warning {
    let noun = entry.kind.noun();
    let what = if entry.pointer == pointer {
        format!("dropped this {noun}")
    } else {
        format!("dropped the {noun} `{}` holding it", entry.pointer)
    };
    Warning { pointer: pointer.to_owned(), message: format!("{why}; {what}, which the generated client does not use") }
}

/// Removes the map entry at `pointer` from the document; false when there is none.
pub(super) fn remove_entry(raw: &mut Value, pointer: &str) -> bool {
    let Some((parent, key)) = pointer.rsplit_once('/') else { return false };
    let key = key.replace("~1", "/").replace("~0", "~");
    raw.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|map| map.shift_remove(&key)).is_some()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::{self, Filter};
    use crate::load::{load_str, LoadError, LoadedSpec};

    /// A document whose operation takes a query parameter and answers with a JSON body,
    /// each with an example, and a link; `components` has an example and a link.
    fn document() -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"},
                    "examples": {"plain": {"value": "x"}}}],
                "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"},
                        "examples": {"thing": {"$ref": "#/components/examples/Thing"}}}},
                    "links": {"again": {"operationId": "a"}}}}}}},
            "components": {
                "schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}},
                "examples": {"Thing": {"value": {"id": "t"}}},
                "links": {"Again": {"$ref": "#/paths/~1a/get/responses/200/links/again"}}}})
    }

    /// `raw` with `value` at `pointer`, whose parent is a map or a list holding that index.
    fn set(mut raw: Value, pointer: &str, value: Value) -> Value {
        let (parent, key) = pointer.rsplit_once('/').expect(pointer);
        match raw.pointer_mut(parent).expect(pointer) {
            Value::Array(items) => items[key.parse::<usize>().expect(pointer)] = value,
            Value::Object(map) => drop(map.insert(key.replace("~1", "/").replace("~0", "~"), value)),
            _ => panic!("{pointer}"),
        }
        raw
    }

    /// `raw` with `entry` added to the map at `map` under the name `broken`.
    fn with_entry(raw: Value, map: &str, entry: Value) -> Value {
        set(raw, &format!("{map}/broken"), entry)
    }

    fn load(raw: &Value) -> LoadedSpec {
        load_str("test.json", &raw.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The files of the crate generated for `spec`.
    fn generated(spec: &LoadedSpec) -> BTreeMap<String, String> {
        crate::emit::crate_sources(&ir::build(spec, &Filter::default()).api).unwrap()
    }

    #[test]
    fn dangling_refs_in_examples_and_links_are_dropped_with_a_warning() {
        let clean = load(&document());
        assert!(clean.warnings.is_empty(), "{:#?}", clean.warnings);
        let expected = generated(&clean);
        let cases = [
            (
                "/paths/~1a/get/responses/200/content/application~1json/examples",
                "#/components/examples/Missing",
                "example",
            ),
            ("/paths/~1a/get/parameters/0/examples", "#/components/examples/Missing", "example"),
            ("/components/examples", "#/components/examples/Missing", "example"),
            ("/paths/~1a/get/responses/200/links", "#/components/links/Missing", "link"),
            ("/components/links", "#/paths/~1b/get/responses/200/links/gone", "link"),
        ];
        for (map, target, noun) in cases {
            let spec = load(&with_entry(document(), map, json!({"$ref": target})));
            let warnings: Vec<String> = spec.warnings.iter().map(ToString::to_string).collect();
            assert_eq!(
                warnings,
                [format!("{map}/broken: `$ref` `{target}` points to nothing in the document; dropped this {noun}, which the generated client does not use")]
            );
            assert_eq!(spec.raw, clean.raw, "{map}");
            assert_eq!(spec.openapi, clean.openapi, "{map}");
            assert_eq!(generated(&spec), expected, "{map}");
        }
    }

    #[test]
    fn a_chain_of_unused_entries_to_nothing_is_dropped_whole() {
        let raw = with_entry(document(), "/components/examples", json!({"$ref": "#/components/examples/Missing"}));
        let raw =
            with_entry(raw, "/paths/~1a/get/parameters/0/examples", json!({"$ref": "#/components/examples/broken"}));
        let spec = load(&raw);
        let pointers: Vec<&str> = spec.warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["/paths/~1a/get/parameters/0/examples/broken", "/components/examples/broken"]);
        assert_eq!(spec.raw, document());
    }

    #[test]
    fn a_callback_holding_a_dangling_ref_is_dropped() {
        let callback = json!({"{$request.query.q}": {"post": {
            "parameters": [{"$ref": "#/components/parameters/Missing"}],
            "responses": {"200": {"description": "ok"}}}}});
        let mut clean = document();
        clean["paths"]["/a"]["get"]["callbacks"] = json!({});
        let spec = load(&with_entry(clean.clone(), "/paths/~1a/get/callbacks", callback));
        let warnings: Vec<String> = spec.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["/paths/~1a/get/callbacks/broken/{$request.query.q}/post/parameters/0: `$ref` `#/components/parameters/Missing` points to nothing in the document; dropped the callback `/paths/~1a/get/callbacks/broken` holding it, which the generated client does not use"]
        );
        assert_eq!(spec.raw, load(&clean).raw);
    }

    /// `document()` with the component callback `C`, whose operation takes a dangling
    /// parameter and a query parameter.
    fn with_component_callback() -> Value {
        let mut raw = document();
        raw["components"]["callbacks"] = json!({"C": {"/x": {"post": {
            "parameters": [{"$ref": "#/components/parameters/Missing"}, {"name": "p", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}}}}});
        raw
    }

    #[test]
    fn references_to_a_dropped_callback_go_with_it() {
        let callbacks = json!({"c": {"$ref": "#/components/callbacks/C"}});
        let raw = set(with_component_callback(), "/paths/~1a/get/callbacks", callbacks);
        let spec = load(&raw);
        let warnings: Vec<String> = spec.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "/components/callbacks/C/~1x/post/parameters/0: `$ref` `#/components/parameters/Missing` points to nothing in the document; dropped the callback `/components/callbacks/C` holding it, which the generated client does not use",
                "/paths/~1a/get/callbacks/c: `$ref` `#/components/callbacks/C` points into `/components/callbacks/C`, which is dropped; dropped this callback, which the generated client does not use",
            ]
        );
        let mut clean = document();
        clean["paths"]["/a"]["get"]["callbacks"] = json!({});
        clean["components"]["callbacks"] = json!({});
        assert_eq!(spec.raw, load(&clean).raw);
    }

    #[test]
    fn a_used_reference_into_a_dropped_entry_keeps_the_dangling_ref_an_error() {
        let parameter = json!({"$ref": "#/components/callbacks/C/~1x/post/parameters/1"});
        let raw = set(with_component_callback(), "/paths/~1a/get/parameters/0", parameter);
        let error = load_str("test.json", &raw.to_string()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "test.json: /components/callbacks/C/~1x/post/parameters/0: $ref `#/components/parameters/Missing` points to nothing in the document"
        );
    }

    #[test]
    fn dangling_refs_in_used_places_stay_errors() {
        let operation = "/paths/~1a/get";
        let response = "/paths/~1a/get/responses/200";
        let cases = [
            (format!("{response}/content/application~1json/schema"), "#/components/schemas/Missing"),
            (format!("{operation}/parameters/0"), "#/components/parameters/Missing"),
            (format!("{operation}/requestBody"), "#/components/requestBodies/Missing"),
            (response.to_owned(), "#/components/responses/Missing"),
            (format!("{response}/headers/X-Count"), "#/components/headers/Missing"),
            // Through an example that is itself dropped: still nothing at the end.
            (format!("{response}/content/application~1json/schema"), "#/components/examples/broken"),
        ];
        for (pointer, target) in cases {
            // An unused dangling reference elsewhere changes nothing.
            let raw = with_entry(document(), "/components/examples", json!({"$ref": "#/components/examples/Missing"}));
            let raw = set(raw, &format!("{response}/headers"), json!({}));
            let raw = set(raw, &pointer, json!({"$ref": target}));
            let error = load_str("test.json", &raw.to_string()).expect_err(&pointer);
            assert!(matches!(error, LoadError::DanglingRef { .. }), "{error:?}");
            assert_eq!(
                error.to_string(),
                format!("test.json: {pointer}: $ref `{target}` points to nothing in the document")
            );
        }
    }

    #[test]
    fn the_innermost_enclosing_entry_is_found() {
        let mut enclosing = Enclosing::default();
        assert_eq!(enclosing.visit(Kind::Operation, "/paths/~1a/get"), None);
        let callback = enclosing.visit(Kind::Callback, "/paths/~1a/get/callbacks/c").cloned();
        assert_eq!(callback, Some(Entry { kind: Kind::Callback, pointer: "/paths/~1a/get/callbacks/c".to_owned() }));
        let inside = enclosing.visit(Kind::Parameter, "/paths/~1a/get/callbacks/c/~1x/post/parameters/0").cloned();
        assert_eq!(inside, callback);
        let example = enclosing.visit(Kind::Example, "/paths/~1a/get/callbacks/c/~1x/post/x/examples/e").cloned();
        assert_eq!(example.map(|e| e.kind), Some(Kind::Example));
        assert_eq!(enclosing.visit(Kind::Parameter, "/paths/~1a/get/callbacks/cc/parameters/0"), None);
    }

    #[test]
    fn entries_are_removed_by_their_escaped_pointer() {
        let mut raw = json!({"examples": {"a/b~c": {"$ref": "#/x"}, "d": {}}});
        assert!(remove_entry(&mut raw, "/examples/a~1b~0c"));
        assert_eq!(raw, json!({"examples": {"d": {}}}));
        assert!(!remove_entry(&mut raw, "/examples/a~1b~0c"));
        assert!(!remove_entry(&mut raw, ""));
    }
}
