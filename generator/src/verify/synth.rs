//! The synthesizer: JSON instances of a schema, read straight from the document.
//!
//! It works on the raw document as `serde_json::Value` and shares nothing with the
//! IR: it follows `$ref` itself, merges `allOf` parts (and the keys written beside a
//! `$ref`, as the loader's repair reads them) itself, and picks union members itself.
//!
//! Instance `k` of a schema is built from index `k`, so a handful of instances
//! together cover every choice without a cartesian product:
//! - an enum gives value `k mod n`; a union gives member `j` (with the member's own
//!   index) for `k` in the member's slice of the union's width;
//! - an object carries every optional property except at its last index, where it
//!   carries only the required ones;
//! - a nullable schema is `null` at its last index;
//! - strings rotate through text with unicode and the reserved URL characters
//!   `/ ? # % & = +` and space, numbers through 0, a negative value and 2^53.
//!
//! The *width* of a schema is the number of indexes it takes to cover all of that
//! (capped at [`MAX_WIDTH`]); [`Synth::instances`] returns that many instances.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::{json, Map, Value};

/// The most instances made for one schema.
pub const MAX_WIDTH: usize = 200;

/// How deep instances nest before only required parts are made.
const MAX_DEPTH: usize = 40;

/// 2^53, the largest integer an `f64` holds exactly.
const TWO_POW_53: u64 = 9_007_199_254_740_992;

/// Text with unicode and the reserved URL characters.
pub const RESERVED_TEXT: &str = "a/b?c#d%e&f=g+h i ✓é日本";

/// The same reserved URL characters in ASCII only (for headers).
const RESERVED_ASCII: &str = "a/b?c#d%e&f=g+h i";

/// The property added to objects of forward-compatibility instances.
pub const EXTRA_PROPERTY: &str = "verifyUnexpectedField";

/// The enum value used in forward-compatibility instances.
pub const UNKNOWN_ENUM_VALUE: &str = "verify-unknown-value";

/// What kind of instance to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mode {
    /// Only ASCII text (header values).
    pub ascii: bool,
    /// A response from a newer API: an extra property in every object, unknown values
    /// for string enums, and an unknown member for every union.
    pub forward: bool,
    /// Every union takes its last member (with the instance's own index) instead of
    /// the member whose slice of the union's width holds the index.
    pub last_member: bool,
}

/// Makes instances of schemas of one document.
pub struct Synth<'d> {
    doc: &'d Value,
    widths: RefCell<HashMap<String, usize>>,
    /// Addresses of the document's objects, whose widths may be kept by address
    /// (objects built while merging are not, as their addresses are reused).
    doc_objects: RefCell<std::collections::HashSet<usize>>,
    /// Union members merged with the keywords beside their union, by the union's
    /// address and the member's index; kept, so their addresses stay valid too.
    merged: RefCell<HashMap<(usize, usize), std::rc::Rc<Value>>>,
    /// Widths (less `null`) of the document's objects, by address.
    object_widths: RefCell<HashMap<usize, usize>>,
    patterns: RefCell<HashMap<String, Option<jsonschema::Validator>>>,
}

/// Where the synthesizer is in its walk.
#[derive(Clone)]
struct Walk {
    /// The references being expanded.
    refs: Vec<String>,
    /// Only required parts from here down (a cycle or the depth limit was met).
    minimal: bool,
    mode: Mode,
}

impl Walk {
    fn deeper(&self) -> Walk {
        let mut next = self.clone();
        next.minimal |= next.refs.len() > MAX_DEPTH;
        next
    }
}

impl<'d> Synth<'d> {
    /// A synthesizer for `doc`.
    pub fn new(doc: &'d Value) -> Self {
        Synth {
            doc,
            widths: RefCell::new(HashMap::new()),
            doc_objects: RefCell::new(object_addresses(doc)),
            merged: RefCell::new(HashMap::new()),
            object_widths: RefCell::new(HashMap::new()),
            patterns: RefCell::new(HashMap::new()),
        }
    }

    /// The document.
    pub fn doc(&self) -> &'d Value {
        self.doc
    }

    /// The instances of `schema`: as many as its width, together covering every enum
    /// value, union member, optional property and null it allows.
    pub fn instances(&self, schema: &Value, mode: Mode) -> Vec<Value> {
        let width = self.width(schema, &mut Vec::new()).clamp(1, MAX_WIDTH);
        (0..width).map(|k| self.instance(schema, k, mode)).collect()
    }

    /// Instance number `k` of `schema`.
    pub fn instance(&self, schema: &Value, k: usize, mode: Mode) -> Value {
        let walk = Walk {
            refs: Vec::new(),
            minimal: false,
            mode,
        };
        self.make(schema, k, &walk)
    }

    /// The value a local `$ref` points to.
    pub fn resolve(&self, reference: &str) -> Option<&'d Value> {
        resolve_in(self.doc, reference)
    }

    /// The schema a node stands for: `$ref` followed (its sibling keys merged in as
    /// `allOf` parts) and `allOf` parts merged into one object schema.
    pub fn view<'s>(&self, schema: &'s Value) -> Cow<'s, Map<String, Value>>
    where
        'd: 's,
    {
        self.view_at(schema, 0)
    }

    fn view_at<'s>(&self, schema: &'s Value, depth: usize) -> Cow<'s, Map<String, Value>>
    where
        'd: 's,
    {
        let Some(object) = schema.as_object() else {
            return Cow::Owned(Map::new());
        };
        if depth > MAX_DEPTH {
            return Cow::Owned(Map::new());
        }
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(reference).map_or_else(|| Cow::Owned(Map::new()), |t| self.view_at(t, depth + 1));
            if object.len() == 1 {
                return target;
            }
            let mut siblings = object.clone();
            siblings.remove("$ref");
            let siblings = self.view_at_owned(Value::Object(siblings), depth + 1);
            return Cow::Owned(merge(&[siblings, target.into_owned()]));
        }
        match object.get("allOf").and_then(Value::as_array) {
            Some(parts) => {
                let mut own = object.clone();
                own.remove("allOf");
                let mut all = vec![own];
                all.extend(parts.iter().map(|part| self.view_at(part, depth + 1).into_owned()));
                Cow::Owned(merge(&all))
            }
            None => Cow::Borrowed(object),
        }
    }

    /// The pointer of the deepest schema on a JSON path (`.a[0].b`) into instances of
    /// the schema at `pointer`: properties, items and map values are followed, through
    /// `$ref`s, up to the first union or merged schema met.
    pub fn locate(&self, pointer: &str, path: &str) -> String {
        let mut at = pointer.to_owned();
        for token in path_tokens(path) {
            let Some(mut node) = self.doc.pointer(&at) else { break };
            while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
                match self.resolve(reference) {
                    Some(target) => {
                        at = reference.trim_start_matches('#').to_owned();
                        node = target;
                    }
                    None => break,
                }
            }
            let union = ["oneOf", "anyOf", "allOf"].iter().any(|k| node.get(*k).is_some());
            let next = match token {
                _ if union => None,
                PathToken::Key(key) if node.pointer(&format!("/properties/{}", escape(&key))).is_some() => {
                    Some(format!("/properties/{}", escape(&key)))
                }
                PathToken::Key(_) if node.get("additionalProperties").is_some_and(Value::is_object) => {
                    Some("/additionalProperties".to_owned())
                }
                PathToken::Index if node.get("items").is_some() => Some("/items".to_owned()),
                _ => None,
            };
            match next {
                Some(step) => at.push_str(&step),
                None => break,
            }
        }
        at
    }

    fn view_at_owned(&self, schema: Value, depth: usize) -> Map<String, Value> {
        self.view_at(&schema, depth).into_owned()
    }

    /// A schema with every `$ref` followed (to a depth) and without its `description`,
    /// `title` and `example`, at every depth (a property of those names is kept): what
    /// the client's types make of it.
    fn undocumented(&self, schema: &Value, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        match schema {
            Value::Object(object) => {
                if let Some(target) = object.get("$ref").and_then(Value::as_str).and_then(|r| self.resolve(r)) {
                    if object.len() == 1 {
                        return self.undocumented(target, depth + 1);
                    }
                }
                let kept = object.iter().filter(|(key, _)| !matches!(key.as_str(), "description" | "title" | "example"));
                let stripped = kept.map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("properties", Value::Object(properties)) => Value::Object(
                            properties.iter().map(|(name, schema)| (name.clone(), self.undocumented(schema, depth + 1))).collect(),
                        ),
                        _ => self.undocumented(value, depth + 1),
                    };
                    (key.clone(), value)
                });
                Value::Object(stripped.collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(|item| self.undocumented(item, depth + 1)).collect()),
            other => other.clone(),
        }
    }

    /// How many instances cover `schema` (at least 1).
    pub fn width(&self, schema: &Value, refs: &mut Vec<String>) -> usize {
        let reference = schema.get("$ref").and_then(Value::as_str).map(str::to_owned);
        let Some(reference) = reference else {
            return self.width_of_view(&self.view(schema), refs).min(MAX_WIDTH);
        };
        if let Some(width) = self.widths.borrow().get(&reference) {
            return *width;
        }
        if refs.contains(&reference) || refs.len() > MAX_DEPTH {
            return 1;
        }
        refs.push(reference.clone());
        let width = self.width_of_view(&self.view(schema), refs).min(MAX_WIDTH);
        refs.pop();
        if schema.as_object().is_some_and(|o| o.len() == 1) {
            self.widths.borrow_mut().insert(reference, width);
        }
        width
    }

    fn width_of_view(&self, view: &Map<String, Value>, refs: &mut Vec<String>) -> usize {
        self.width_without_null(view, refs) + usize::from(is_nullable(view))
    }

    /// The width of a schema less its `null`.
    fn width_without_null(&self, view: &Map<String, Value>, refs: &mut Vec<String>) -> usize {
        let address = view as *const Map<String, Value> as usize;
        let kept = self.doc_objects.borrow().contains(&address);
        if kept {
            if let Some(width) = self.object_widths.borrow().get(&address) {
                return *width;
            }
        }
        let width = self.compute_width(view, refs);
        if kept {
            self.object_widths.borrow_mut().insert(address, width);
        }
        width
    }

    fn compute_width(&self, view: &Map<String, Value>, refs: &mut Vec<String>) -> usize {
        let base = if let Some(values) = enum_values(view) {
            values.len()
        } else if let Some(members) = union_members(view) {
            members
                .iter()
                .enumerate()
                .map(|(index, member)| self.width(&self.effective_member(view, index, member), refs))
                .sum()
        } else {
            match schema_type(view) {
                Some("object") => {
                    let mut widest = 1;
                    for (_, schema) in properties(view) {
                        widest = widest.max(self.width(schema, refs));
                    }
                    if let Some(schema) = view.get("additionalProperties").filter(|v| v.is_object()) {
                        widest = widest.max(self.width(schema, refs));
                    }
                    widest + usize::from(has_optional(view))
                }
                Some("array") => view.get("items").map_or(1, |items| self.width(items, refs)),
                Some("string") if view.contains_key("pattern") || view.contains_key("format") => 1,
                Some("string") => 2,
                Some("number" | "integer") => number_candidates(view).len().max(1),
                Some("boolean") => 2,
                _ => 1,
            }
        };
        base.max(1)
    }

    fn make(&self, schema: &Value, k: usize, walk: &Walk) -> Value {
        let mut walk = walk.deeper();
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if walk.refs.iter().filter(|r| *r == reference).count() >= 1 {
                walk.minimal = true;
            }
            if walk.refs.len() > MAX_DEPTH * 2 {
                return Value::Null;
            }
            walk.refs.push(reference.to_owned());
        }
        let view = self.view(schema);
        self.make_view(&view, k, &walk)
    }

    fn make_view(&self, view: &Map<String, Value>, k: usize, walk: &Walk) -> Value {
        if is_nullable(view) {
            let width = self.width_without_null(view, &mut walk.refs.clone());
            if walk.minimal || k % (width + 1) == width {
                return Value::Null;
            }
        }
        if let Some(value) = view.get("const") {
            return value.clone();
        }
        if let Some(values) = enum_values(view) {
            if walk.mode.forward && values.iter().all(Value::is_string) {
                return Value::String(UNKNOWN_ENUM_VALUE.to_owned());
            }
            return values[k % values.len()].clone();
        }
        if let Some(members) = union_members(view) {
            // Members that differ only in their documentation are one shape, and the
            // client decodes them as its one type.
            let first = self.undocumented(members[0], 0);
            if members.len() > 1 && members[1..].iter().all(|m| self.undocumented(m, 0) == first) {
                return self.make(members[0], k, walk);
            }
            if walk.mode.forward {
                return json!({ EXTRA_PROPERTY: ["an unknown member"] });
            }
            return self.make_union(view, &members, k, walk);
        }
        match schema_type(view) {
            Some("object") => self.make_object(view, k, walk),
            Some("array") => self.make_array(view, k, walk),
            Some("string") => Value::String(self.make_string(view, k, walk.mode)),
            Some("integer") => make_number(view, k, true),
            Some("number") => make_number(view, k, false),
            Some("boolean") => Value::Bool(k.is_multiple_of(2)),
            Some("null") => Value::Null,
            _ => free_form(k),
        }
    }

    fn make_union(&self, view: &Map<String, Value>, members: &[&Value], k: usize, walk: &Walk) -> Value {
        let effective: Vec<Member<'_>> = members
            .iter()
            .enumerate()
            .map(|(index, member)| self.effective_member(view, index, member))
            .collect();
        if walk.minimal {
            return self.make(&effective[0], 0, walk);
        }
        if walk.mode.last_member {
            return self.make(&effective[effective.len() - 1], k, walk);
        }
        let widths: Vec<usize> = effective
            .iter()
            .map(|member| self.width(member, &mut walk.refs.clone()))
            .collect();
        let total: usize = widths.iter().sum::<usize>().max(1);
        let mut rest = k % total;
        for (member, width) in effective.iter().zip(&widths) {
            if rest < *width {
                return self.make(member, rest, walk);
            }
            rest -= width;
        }
        self.make(&effective[0], 0, walk)
    }

    /// A union member as an instance must match it: merged with the keywords beside
    /// the union, when there are some. Merges of the document's unions are kept.
    fn effective_member<'m>(&self, view: &Map<String, Value>, index: usize, member: &'m Value) -> Member<'m> {
        if !has_object_keys(view) {
            return Member::Doc(member);
        }
        let address = view as *const Map<String, Value> as usize;
        if !self.doc_objects.borrow().contains(&address) {
            return Member::Fresh(Value::Object(merge_member(view, &self.view(member))));
        }
        if let Some(kept) = self.merged.borrow().get(&(address, index)) {
            return Member::Kept(kept.clone());
        }
        let merged = std::rc::Rc::new(Value::Object(merge_member(view, &self.view(member))));
        self.doc_objects.borrow_mut().extend(object_addresses(&merged));
        self.merged.borrow_mut().insert((address, index), merged.clone());
        Member::Kept(merged)
    }

    fn make_object(&self, view: &Map<String, Value>, k: usize, walk: &Walk) -> Value {
        let width = self.width_without_null(view, &mut walk.refs.clone());
        let k = k % width;
        let only_required = walk.minimal || (has_optional(view) && k == width - 1);
        let optional_present = !only_required;
        let required = required(view);
        let mut object = Map::new();
        for (name, schema) in properties(view) {
            if required.contains(&name.as_str()) || optional_present {
                object.insert(name.clone(), self.make(schema, k, walk));
            }
        }
        for name in &required {
            if !object.contains_key(*name) {
                object.insert((*name).to_owned(), Value::String("verify".to_owned()));
            }
        }
        if let Some(schema) = view.get("additionalProperties").filter(|v| v.is_object()) {
            if optional_present {
                object.insert("verify-extra-key".to_owned(), self.make(schema, k, walk));
            }
        }
        // `not: {required: [a, b]}` forbids having all of them: leave out the optional ones.
        let forbidden = view.get("not").and_then(|n| n.get("required")).and_then(Value::as_array);
        for name in forbidden.into_iter().flatten().filter_map(Value::as_str) {
            if !required.contains(&name) {
                object.remove(name);
            }
        }
        // A map (additionalProperties with a schema) takes any key, but only values of
        // its type: a newer API adds keys of that type, which the instance has already.
        let map = view.get("additionalProperties").is_some_and(Value::is_object);
        if walk.mode.forward && !map {
            object.insert(EXTRA_PROPERTY.to_owned(), json!({"nested": [1, "two"]}));
        }
        Value::Object(object)
    }

    fn make_array(&self, view: &Map<String, Value>, k: usize, walk: &Walk) -> Value {
        let min = view.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = view.get("maxItems").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
        let count = if walk.minimal { min } else { min.max(1) }.min(max).min(8);
        let Some(items) = view.get("items") else {
            return Value::Array((0..count).map(|i| free_form(k + i)).collect());
        };
        Value::Array((0..count).map(|i| self.make(items, k + i, walk)).collect())
    }

    fn make_string(&self, view: &Map<String, Value>, k: usize, mode: Mode) -> String {
        let text = match view.get("format").and_then(Value::as_str) {
            Some("date-time") => "2024-01-02T03:04:05.678Z".to_owned(),
            Some("date") => "2024-01-02".to_owned(),
            Some("email") => "verify+a@example.com".to_owned(),
            Some("uri" | "url") => "https://example.com/a/b?c=d&e=f".to_owned(),
            Some("ipv4") => "192.0.2.1".to_owned(),
            Some("ipv6") => "2001:db8::1".to_owned(),
            Some("hostname") => "example.com".to_owned(),
            Some("regex") => "^a.*$".to_owned(),
            Some("uuid") => "123e4567-e89b-12d3-a456-426614174000".to_owned(),
            Some("binary") => "verify bytes".to_owned(),
            _ => match view.get("pattern").and_then(Value::as_str) {
                Some(pattern) => self.matching(pattern, view),
                None if mode.ascii && k.is_multiple_of(2) => RESERVED_ASCII.to_owned(),
                None if k.is_multiple_of(2) => RESERVED_TEXT.to_owned(),
                None => "verify".to_owned(),
            },
        };
        fit_length(text, view)
    }

    /// A string matching `pattern`: the schema's example or default, or the first of a
    /// few candidates that matches; the first candidate when none does.
    fn matching(&self, pattern: &str, view: &Map<String, Value>) -> String {
        let prefix = literal_prefix(pattern);
        let mut candidates: Vec<String> = ["example", "default"]
            .iter()
            .filter_map(|key| view.get(*key).and_then(Value::as_str).map(str::to_owned))
            .collect();
        candidates.push(format!("{prefix}abc123"));
        candidates.extend(PATTERN_CANDIDATES.iter().map(|c| (*c).to_owned()));
        let fallback = candidates[0].clone();
        let mut cache = self.patterns.borrow_mut();
        let validator = cache
            .entry(pattern.to_owned())
            .or_insert_with(|| jsonschema::validator_for(&json!({ "pattern": pattern })).ok());
        let Some(validator) = validator else { return fallback };
        candidates
            .into_iter()
            .find(|c| validator.is_valid(&Value::String(c.clone())))
            .unwrap_or(fallback)
    }
}

/// A union member as instances are made of it.
enum Member<'m> {
    /// The member as the document writes it.
    Doc(&'m Value),
    /// A merge kept by the synthesizer.
    Kept(std::rc::Rc<Value>),
    /// A merge made for this use only.
    Fresh(Value),
}

impl std::ops::Deref for Member<'_> {
    type Target = Value;

    fn deref(&self) -> &Value {
        match self {
            Member::Doc(value) => value,
            Member::Kept(value) => value,
            Member::Fresh(value) => value,
        }
    }
}

/// The addresses of every object in `doc`.
fn object_addresses(doc: &Value) -> std::collections::HashSet<usize> {
    let mut found = std::collections::HashSet::new();
    let mut pending = vec![doc];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                found.insert(map as *const Map<String, Value> as usize);
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// One step of a JSON path.
enum PathToken {
    /// `.key`
    Key(String),
    /// `[n]`
    Index,
}

/// The steps of a JSON path as [`super::compare::first_difference`] writes it.
fn path_tokens(path: &str) -> Vec<PathToken> {
    let mut tokens = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            tokens.push(PathToken::Index);
            rest = after.split_once(']').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            tokens.push(PathToken::Key(after[..end].to_owned()));
            rest = &after[end..];
        } else {
            break;
        }
    }
    tokens
}

/// A key escaped for a JSON pointer.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Strings tried against a `pattern` when the schema gives no example.
const PATTERN_CANDIDATES: &[&str] = &[
    "verify_123",
    "12345",
    "w-w",
    "1.5",
    "https://example.com/a",
    "/a/b",
    "US",
    "a.b",
    "abc-def",
    "abcdefghijklmnopqrstuvwxyz012345",
    "+14155550123",
    "regex:a",
    "min_length:1",
    "",
];

/// The literal text a `^`-anchored pattern starts with (`^ecfg_` -> `ecfg_`).
fn literal_prefix(pattern: &str) -> String {
    let Some(rest) = pattern.strip_prefix('^') else {
        return String::new();
    };
    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == ':').collect()
}

/// Pads or cuts text to the schema's `minLength` and `maxLength` (in characters).
fn fit_length(text: String, view: &Map<String, Value>) -> String {
    let min = view.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = view.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    let mut chars: Vec<char> = text.chars().collect();
    chars.truncate(max);
    while chars.len() < min {
        chars.push('x');
    }
    chars.into_iter().collect()
}

/// Some free-form JSON.
fn free_form(k: usize) -> Value {
    match k % 3 {
        0 => json!({ "free": RESERVED_TEXT, "n": 1 }),
        1 => json!("free text"),
        _ => json!([true, 2]),
    }
}

/// Candidate numbers within the schema's bounds: 0, a negative value, 2^53, 42.
fn number_candidates(view: &Map<String, Value>) -> Vec<f64> {
    let integer = schema_type(view) == Some("integer");
    let negative = if integer { -7.0 } else { -1.5 };
    let wanted = [0.0, negative, TWO_POW_53 as f64, 42.0];
    let min = view.get("minimum").and_then(Value::as_f64);
    let max = view.get("maximum").and_then(Value::as_f64);
    let exclusive = |key: &str| view.get(key).and_then(Value::as_bool).unwrap_or(false);
    let fits = |n: f64| {
        min.is_none_or(|m| if exclusive("exclusiveMinimum") { n > m } else { n >= m })
            && max.is_none_or(|m| if exclusive("exclusiveMaximum") { n < m } else { n <= m })
            && view.get("multipleOf").and_then(Value::as_f64).is_none_or(|m| (n / m).fract() == 0.0)
    };
    let mut found: Vec<f64> = wanted.into_iter().filter(|n| fits(*n)).collect();
    if found.is_empty() {
        let bound = min.map(|m| m + if exclusive("exclusiveMinimum") { 1.0 } else { 0.0 });
        let bound = bound.or(max.map(|m| m - if exclusive("exclusiveMaximum") { 1.0 } else { 0.0 }));
        found.push(bound.unwrap_or(0.0));
    }
    found
}

fn make_number(view: &Map<String, Value>, k: usize, integer: bool) -> Value {
    let candidates = number_candidates(view);
    let n = candidates[k % candidates.len()];
    if integer || n.fract() == 0.0 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

/// Merges object schemas (allOf parts): properties and required names united, other
/// keywords from the first part that has them.
pub fn merge(parts: &[Map<String, Value>]) -> Map<String, Value> {
    let mut merged = Map::new();
    let mut props = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for part in parts {
        for (key, value) in part {
            match key.as_str() {
                "properties" => {
                    for (name, schema) in value.as_object().into_iter().flatten() {
                        match props.get_mut(name) {
                            // Both parts constrain the property: an instance must match both.
                            Some(existing) if existing != schema => {
                                *existing = json!({ "allOf": [existing.clone(), schema.clone()] });
                            }
                            Some(_) => {}
                            None => {
                                props.insert(name.clone(), schema.clone());
                            }
                        }
                    }
                }
                "enum" => match merged.get_mut("enum") {
                    Some(Value::Array(existing)) => {
                        let common: Vec<Value> = existing.iter().filter(|v| value.as_array().is_some_and(|a| a.contains(v))).cloned().collect();
                        *existing = common;
                    }
                    _ => {
                        merged.insert(key.clone(), value.clone());
                    }
                },
                "required" => {
                    for name in value.as_array().into_iter().flatten() {
                        if !required.contains(name) {
                            required.push(name.clone());
                        }
                    }
                }
                _ => {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
    }
    if !props.is_empty() {
        merged.insert("properties".to_owned(), Value::Object(props));
    }
    if !required.is_empty() {
        merged.insert("required".to_owned(), Value::Array(required));
    }
    if merged.contains_key("properties") && !merged.contains_key("type") {
        merged.insert("type".to_owned(), json!("object"));
    }
    merged
}

/// A union member merged with the keywords written beside the union (both apply to
/// an instance); where both name a keyword or property, the member's, the narrower,
/// is kept.
fn merge_member(view: &Map<String, Value>, member: &Map<String, Value>) -> Map<String, Value> {
    let mut own = view.clone();
    own.remove("oneOf");
    own.remove("anyOf");
    own.remove("nullable");
    merge(&[member.clone(), own])
}

/// Does the schema allow `null` (`nullable`, a `null` type, or `null` among its values)?
pub fn is_nullable(view: &Map<String, Value>) -> bool {
    view.get("nullable") == Some(&Value::Bool(true))
        || view.get("type").and_then(Value::as_array).is_some_and(|t| t.contains(&json!("null")))
        || view.get("enum").and_then(Value::as_array).is_some_and(|e| e.contains(&Value::Null))
}

/// The non-null enum values, when there are some.
fn enum_values(view: &Map<String, Value>) -> Option<Vec<Value>> {
    let values: Vec<Value> = view.get("enum")?.as_array()?.iter().filter(|v| !v.is_null()).cloned().collect();
    (!values.is_empty()).then_some(values)
}

/// The non-empty union members (oneOf, else anyOf), without the `null`-only ones.
fn union_members(view: &Map<String, Value>) -> Option<Vec<&Value>> {
    let list = ["oneOf", "anyOf"]
        .iter()
        .find_map(|key| view.get(*key).and_then(Value::as_array).filter(|l| !l.is_empty()))?;
    let members: Vec<&Value> = list.iter().filter(|m| !is_null_only(m)).collect();
    (!members.is_empty()).then_some(members)
}

/// `{type: null}` or `{nullable: true}` alone, or an enum of only `null`.
fn is_null_only(member: &Value) -> bool {
    let Some(object) = member.as_object() else { return false };
    object.get("type") == Some(&json!("null"))
        || (object.len() == 1 && object.get("nullable") == Some(&Value::Bool(true)))
        || object.get("enum") == Some(&json!([null]))
}

/// Keywords beside a union that only annotate it.
const ANNOTATIONS: &[&str] = &["oneOf", "anyOf", "nullable", "description", "title", "example", "examples", "deprecated"];

/// Are there constraining keywords beside a union (properties, a type, a pattern)?
fn has_object_keys(view: &Map<String, Value>) -> bool {
    view.keys().any(|key| !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-"))
}

/// The schema's type: `type` (the first non-null one of a list), or what its keywords imply.
pub fn schema_type(view: &Map<String, Value>) -> Option<&str> {
    match view.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ if view.contains_key("properties") || view.contains_key("required") => Some("object"),
        _ if view.get("additionalProperties").is_some_and(Value::is_object) => Some("object"),
        _ if view.contains_key("items") => Some("array"),
        _ => None,
    }
}

fn properties(view: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    view.get("properties").and_then(Value::as_object).into_iter().flatten()
}

fn required(view: &Map<String, Value>) -> Vec<&str> {
    view.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

/// Does the object have optional parts (optional properties or additional ones)?
fn has_optional(view: &Map<String, Value>) -> bool {
    let required = required(view);
    properties(view).any(|(name, _)| !required.contains(&name.as_str()))
        || view.get("additionalProperties").is_some_and(Value::is_object)
}

/// The value a local reference (`#/a/b`, percent-encoding allowed) points to.
pub fn resolve_in<'v>(doc: &'v Value, reference: &str) -> Option<&'v Value> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8().ok()?;
    doc.pointer(&decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({
            "components": {"schemas": {
                "Color": {"type": "string", "enum": ["red", "green", "blue"]},
                "Node": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
                }},
                "Pet": {"oneOf": [
                    {"type": "object", "required": ["kind", "bark"], "properties": {"kind": {"type": "string", "enum": ["dog"]}, "bark": {"type": "boolean"}}},
                    {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["cat"]}, "lives": {"type": "integer", "minimum": 0}}},
                    {"type": "string"}
                ]}
            }}
        })
    }

    fn all(doc: &Value, schema: Value) -> Vec<Value> {
        Synth::new(doc).instances(&schema, Mode::default())
    }

    #[test]
    fn every_enum_value_appears() {
        let doc = doc();
        let found = all(&doc, json!({"$ref": "#/components/schemas/Color"}));
        for value in ["red", "green", "blue"] {
            assert!(found.contains(&json!(value)), "{value} missing from {found:?}");
        }
    }

    #[test]
    fn a_union_of_one_shape_written_twice_is_that_shape() {
        let doc = json!({});
        let member = |doc: &str| json!({"type": "object", "required": ["description"], "description": doc,
            "properties": {"description": {"type": "string"}}});
        let schema = json!({"oneOf": [member("first"), member("second")]});
        let newer = Synth::new(&doc).instances(&schema, Mode { forward: true, ..Mode::default() });
        assert!(!newer.is_empty());
        assert!(newer.iter().all(|v| v.get("description").is_some()), "{newer:?}");
        // Members that differ in a property named `description` are two shapes.
        let other = json!({"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}});
        let schema = json!({"oneOf": [member("first"), other]});
        let newer = Synth::new(&doc).instances(&schema, Mode { forward: true, ..Mode::default() });
        assert!(newer.iter().all(|v| v.get(EXTRA_PROPERTY).is_some()), "{newer:?}");
    }

    #[test]
    fn every_union_member_appears_with_its_own_choices() {
        let doc = doc();
        let found = all(&doc, json!({"$ref": "#/components/schemas/Pet"}));
        assert!(found.iter().any(|v| v["kind"] == "dog" && v["bark"] == true));
        assert!(found.iter().any(|v| v["kind"] == "dog" && v["bark"] == false));
        assert!(found.iter().any(|v| v["kind"] == "cat" && v.get("lives").is_some()));
        assert!(found.iter().any(|v| v["kind"] == "cat" && v.get("lives").is_none()));
        assert!(found.iter().any(|v| v.as_str() == Some(RESERVED_TEXT)));
    }

    #[test]
    fn nullable_gives_null_and_optional_fields_are_present_and_absent() {
        let doc = json!({});
        let schema = json!({"type": "object", "nullable": true, "required": ["a"], "properties": {
            "a": {"type": "string", "nullable": true},
            "b": {"type": "number"}
        }});
        let found = all(&doc, schema);
        assert!(found.contains(&Value::Null));
        assert!(found.iter().any(|v| v.get("b").is_some()));
        assert!(found.iter().any(|v| v.is_object() && v.get("b").is_none()));
        assert!(found.iter().any(|v| v.get("a") == Some(&Value::Null)));
    }

    #[test]
    fn null_in_types_and_enums_is_covered() {
        let found = all(&json!({}), json!({"type": ["string", "null"], "enum": ["a", null]}));
        assert!(found.contains(&Value::Null) && found.contains(&json!("a")));
    }

    #[test]
    fn differences_are_located_at_the_deepest_schema() {
        let doc = doc();
        let synth = Synth::new(&doc);
        let node = synth.locate("/components/schemas/Node", ".children[0].name");
        assert_eq!(node, "/components/schemas/Node/properties/name");
        assert_eq!(synth.locate("/components/schemas/Pet", ".bark"), "/components/schemas/Pet");
    }

    #[test]
    fn forbidden_combinations_are_left_out() {
        let schema = json!({"type": "object", "required": ["op"], "properties": {
            "op": {"type": "string"}, "value": {"type": "string"}, "description": {"type": "string"}
        }, "not": {"required": ["value", "description"]}});
        let found = all(&json!({}), schema);
        assert!(found.iter().all(|v| v.get("value").is_none() || v.get("description").is_none()));
    }

    #[test]
    fn all_of_parts_narrow_a_shared_property() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}
        }}});
        let found = all(&doc, json!({"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"code": {"type": "string", "const": "forbidden"}}}
        ]}));
        assert!(found.iter().all(|v| v["code"] == "forbidden"), "{found:?}");
    }

    #[test]
    fn numbers_reach_zero_negative_and_two_to_the_53() {
        let found = all(&json!({}), json!({"type": "number"}));
        assert!(found.contains(&json!(0)));
        assert!(found.contains(&json!(-1.5)));
        assert!(found.contains(&json!(TWO_POW_53)));
        let bounded = all(&json!({}), json!({"type": "integer", "minimum": 1, "maximum": 100}));
        assert_eq!(bounded, vec![json!(42)]);
    }

    #[test]
    fn recursion_ends() {
        let doc = doc();
        let found = all(&doc, json!({"$ref": "#/components/schemas/Node"}));
        assert!(found.iter().all(|v| v["name"].is_string()));
    }

    #[test]
    fn ref_siblings_and_all_of_are_merged() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "enum": ["x"]}}}
        }}});
        let sibling = all(&doc, json!({"$ref": "#/components/schemas/A", "nullable": true}));
        assert!(sibling.contains(&Value::Null) && sibling.contains(&json!({"a": "x"})));
        let all_of = all(&doc, json!({"allOf": [
            {"$ref": "#/components/schemas/A"},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "boolean"}}}
        ]}));
        assert!(all_of.iter().all(|v| v["a"] == "x" && v["b"].is_boolean()));
    }

    #[test]
    fn patterns_and_lengths_are_honoured() {
        let found = all(&json!({}), json!({"type": "string", "pattern": "^ecfg_"}));
        assert!(found[0].as_str().is_some_and(|s| s.starts_with("ecfg_")));
        let short = all(&json!({}), json!({"type": "string", "maxLength": 3}));
        assert!(short.iter().all(|v| v.as_str().is_some_and(|s| s.chars().count() <= 3)));
    }

    #[test]
    fn forward_instances_carry_unknowns() {
        let doc = doc();
        let synth = Synth::new(&doc);
        let mode = Mode { forward: true, ..Mode::default() };
        let color = synth.instance(&json!({"$ref": "#/components/schemas/Color"}), 0, mode);
        assert_eq!(color, json!(UNKNOWN_ENUM_VALUE));
        let node = synth.instance(&json!({"$ref": "#/components/schemas/Node"}), 0, mode);
        assert!(node.get(EXTRA_PROPERTY).is_some());
        let pet = synth.instance(&json!({"$ref": "#/components/schemas/Pet"}), 0, mode);
        assert!(pet.get(EXTRA_PROPERTY).is_some());
    }

    #[test]
    fn strings_carry_reserved_characters_and_headers_stay_ascii() {
        let found = all(&json!({}), json!({"type": "string"}));
        assert!(found.contains(&json!(RESERVED_TEXT)));
        let header = Synth::new(&json!({})).instance(&json!({"type": "string"}), 0, Mode { ascii: true, ..Mode::default() });
        assert!(header.as_str().is_some_and(|s| s.is_ascii() && s.contains('%')));
    }
}
