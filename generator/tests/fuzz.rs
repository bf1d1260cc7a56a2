//! Adversarial documents: real Vercel documents, cut down to one operation (or the
//! Marketplace operations) and the components it reaches, then mutated at the
//! `serde_json::Value` level (keys deleted or renamed to hazardous names, types swapped,
//! `$ref` cycles, huge enums, deep nesting, empty unions, odd path templates, hostile
//! text (carriage returns, code fences, `*/`, `#![`, backtick runs, NUL) in descriptions,
//! titles, property names and enum values, long chains of `$ref` aliases) and run
//! through load, IR, emission and formatting.
//!
//! Every case must end, within a time limit, in either a one-line load error naming the
//! document, or Rust sources that parse and whose docs hold no code block that rustdoc
//! would compile (every fenced block is `text`, no line is indented into a code block)
//! and no control character. `FUZZ_CASES` sets the number of cases (default
//! 300, about half a minute in a debug build) and `FUZZ_SEED` the random seed (default
//! fixed, so CI runs are repeatable); `FUZZ_TRACE=1` prints each case before running it.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Map, Value};
use vercel_codegen::emit::crate_sources;
use vercel_codegen::ir::{self, Filter};
use vercel_codegen::load::load_str;

/// The documents mutated: the oldest (responses without descriptions), one with
/// `$ref` siblings, and the pin.
const DOCUMENTS: &[&str] = &["2024-11-25.json", "2025-10-06.json", support::PIN];

/// How long one case may take before it counts as a hang.
const CASE_TIME_LIMIT: Duration = Duration::from_secs(30);

/// Names that trip up identifier generation: keywords, std names, symbols, digits,
/// case and punctuation variants, empty and non-ASCII names.
const ODD_NAMES: &[&str] = &[
    "type", "Self", "self", "super", "crate", "gen", "async", "await", "dyn", "try", "union",
    "macro_rules", "raw", "r#type", "Result", "Option", "String", "Box", "Vec", "Client", "Error",
    "Some", "None", "Ok", "Err", "Unknown", "new", "builder", "request", "send", "body", "client",
    "stream", "into_request", "into_future", "additional_properties", "default", "lib", "std",
    "serde", "runtime", "shared", "-", "!!", "", " ", "_", "__", "0", "1st", "22.x", "a-b", "a_b",
    "aB", "AB", "a.b", "A-B", "ünïcödé", "日本", "{x}", "a/b", "~", "\"quote\"", "back\\slash",
    "new\nline", "*/", "#[x]",
];

/// Texts that broke doc comments or ran as doctests: line endings of every kind, code
/// fences (in quotes, lists, nested, of tildes), comment and attribute openers,
/// backtick runs, control and direction characters.
const HOSTILE_TEXTS: &[&str] = &[
    "line\rbreak",
    "line\r\nbreak\r\n",
    "\r",
    "*/ closes /* opens",
    "#![no_std]",
    "#[doc = \"x\"]",
    "//! inner",
    "```\npanic!(\"a fence ran\");\n```",
    "```rust\ncompile_error!(\"a fence ran\");\n```",
    "```\rpanic!(\"a fence ran\");\r```",
    "```\r\npanic!(\"a fence ran\");\r\n```",
    "~~~\npanic!(\"a fence ran\");\n~~~",
    "> ```\n> panic!(\"a fence ran\");\n> ```",
    "- ```\n  panic!(\"a fence ran\");\n  ```",
    "````\n```\npanic!(\"a fence ran\");\n```\n````",
    "```",
    "text\n\n    panic!(\"an indented block ran\");",
    "`` ` ``` ```` `",
    "nul\0byte",
    "rtl\u{202E}mark",
    "\u{7}\u{1b}[31m",
    "\\",
    "",
];

/// The parsed documents and the operations of each, as (path, method).
struct Corpus {
    documents: Vec<Value>,
    operations: Vec<Vec<(String, String)>>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let documents: Vec<Value> = DOCUMENTS
            .iter()
            .map(|name| {
                let path = support::specs_dir().join(name);
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                serde_json::from_str(&text).unwrap()
            })
            .collect();
        let operations = documents.iter().map(operations_of).collect();
        Corpus { documents, operations }
    })
}

fn operations_of(document: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in ["get", "put", "post", "delete", "patch", "head", "options", "trace"] {
            if item.get(method).is_some_and(Value::is_object) {
                found.push((path.clone(), method.to_owned()));
            }
        }
    }
    found
}

/// Every `$ref` string under `value`.
fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => found.push(target.clone()),
                    _ => references(child, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, found)),
        _ => {}
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A document with only the given operations and the components they reach.
fn slice(document: &Value, operations: &[(String, String)]) -> Value {
    let mut paths = Map::new();
    for (path, method) in operations {
        let item = &document["paths"][path];
        let entry = paths.entry(path.clone()).or_insert_with(|| json!({}));
        entry[method] = item[method].clone();
        if let Some(parameters) = item.get("parameters") {
            entry["parameters"] = parameters.clone();
        }
    }
    let mut out = json!({"openapi": document["openapi"], "info": document["info"], "paths": paths});
    let mut pending = Vec::new();
    references(&out, &mut pending);
    let mut seen = std::collections::BTreeSet::new();
    while let Some(target) = pending.pop() {
        if !seen.insert(target.clone()) {
            continue;
        }
        let Some(rest) = target.strip_prefix("#/components/") else { continue };
        let Some((section, name)) = rest.split_once('/') else { continue };
        let Some(component) = document.pointer(&target[1..]) else { continue };
        references(component, &mut pending);
        out["components"][section][unescape(name)] = component.clone();
    }
    out
}

/// One change to a document: what to do, where (an index into its nodes) and a
/// parameter choosing among variants of the change.
#[derive(Debug, Clone)]
struct Mutation {
    kind: u8,
    target: usize,
    parameter: usize,
}

/// A document (by index), which operations to keep (an index, or the Marketplace
/// operations), and the mutations to apply.
#[derive(Debug, Clone)]
struct Case {
    document: usize,
    operation: Option<usize>,
    mutations: Vec<Mutation>,
    yaml: bool,
}

fn case() -> impl Strategy<Value = Case> {
    let mutation = (0u8..16, any::<usize>(), any::<usize>())
        .prop_map(|(kind, target, parameter)| Mutation { kind, target, parameter });
    (
        0..DOCUMENTS.len(),
        prop::option::weighted(0.9, any::<usize>()),
        prop::collection::vec(mutation, 1..6),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(document, operation, mutations, yaml)| Case { document, operation, mutations, yaml })
}

/// The pointer tokens of every node below the root, parents first.
fn nodes(value: &Value) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut stack: Vec<(Vec<String>, &Value)> = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        if !path.is_empty() {
            found.push(path.clone());
        }
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            _ => Vec::new(),
        };
        for (key, child) in children.into_iter().rev() {
            let mut child_path = path.clone();
            child_path.push(key);
            stack.push((child_path, child));
        }
    }
    found
}

fn pointer(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1"))).collect()
}

/// The names of the component schemas of a document.
fn component_names(document: &Value) -> Vec<String> {
    document["components"]["schemas"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// A reference to component `name`.
fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))})
}

/// An enum of `count` values whose names mostly collide once made identifiers.
fn huge_enum(count: usize, parameter: usize) -> Value {
    let values: Vec<Value> = (0..count)
        .map(|i| match (i + parameter) % 5 {
            0 => Value::String(format!("a{}", "-".repeat(i % 40))),
            1 => Value::String(ODD_NAMES[i % ODD_NAMES.len()].to_owned()),
            2 => Value::String(format!("{i}")),
            3 => Value::String("!".repeat(i % 9)),
            _ => Value::String(format!("value.{i}")),
        })
        .collect();
    json!({"type": "string", "enum": values})
}

/// `inner` nested `depth` levels deep in one of a few ways.
fn nested(inner: Value, depth: usize, how: usize) -> Value {
    (0..depth).fold(inner, |value, level| match (how + level) % 5 {
        0 => json!({"type": "object", "properties": {"a": value}}),
        1 => json!({"type": "array", "items": value}),
        2 => json!({"allOf": [value]}),
        3 => json!({"oneOf": [value, {"type": "string"}]}),
        _ => json!({"type": "object", "additionalProperties": value, "nullable": true}),
    })
}

/// A value of another JSON type than usual.
fn swapped(parameter: usize) -> Value {
    match parameter % 9 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1.5),
        4 => json!("x"),
        5 => json!([]),
        6 => json!({}),
        7 => json!([1, "a", null, {}]),
        _ => json!(1e300),
    }
}

/// Adds the component schemas `Chain<id>_0` -> ... -> `Chain<id>_<links>`, each an
/// alias of the next, ending at `end` (a reference, or an inline schema); returns a
/// reference to the first.
fn alias_chain(document: &mut Value, id: usize, links: usize, end: Value) -> Value {
    let name = |i: usize| format!("Chain{id}_{i}");
    if !document["components"].is_object() {
        document["components"] = json!({});
    }
    if !document["components"]["schemas"].is_object() {
        document["components"]["schemas"] = json!({});
    }
    let schemas = document["components"]["schemas"].as_object_mut().expect("just made");
    for i in 0..links {
        schemas.insert(name(i), reference(&name(i + 1)));
    }
    schemas.insert(name(links), end);
    reference(&name(0))
}

/// A chain length: short, at the limit, or long.
fn chain_length(parameter: usize) -> usize {
    const LIMIT: usize = vercel_codegen::load::MAX_REF_CHAIN;
    [1, 2, 5, 64, LIMIT - 1, LIMIT, LIMIT + 1, 3 * LIMIT][parameter % 8]
}

fn apply(document: &mut Value, mutation: &Mutation) {
    let all = nodes(document);
    if all.is_empty() {
        return;
    }
    let tokens = &all[mutation.target % all.len()];
    let at = pointer(tokens);
    let (parent_tokens, key) = tokens.split_at(tokens.len() - 1);
    let key = key[0].clone();
    let parameter = mutation.parameter;
    let odd = ODD_NAMES[parameter % ODD_NAMES.len()];
    let components = component_names(document);
    // The component the node is in, for self-references.
    let own_component = match tokens.as_slice() {
        [c, s, name, ..] if c == "components" && s == "schemas" => Some(name.clone()),
        _ => None,
    };
    let some_component = own_component
        .clone()
        .or_else(|| (!components.is_empty()).then(|| components[parameter % components.len()].clone()));
    let Some(node) = document.pointer_mut(&at) else { return };
    match mutation.kind {
        0 => {
            if let Some(Value::Object(parent)) = document.pointer_mut(&pointer(parent_tokens)) {
                parent.shift_remove(&key);
            } else if let Some(Value::Array(parent)) = document.pointer_mut(&pointer(parent_tokens)) {
                if let Ok(index) = key.parse::<usize>() {
                    if index < parent.len() {
                        parent.remove(index);
                    }
                }
            }
        }
        1 => *node = swapped(parameter),
        2 => {
            if let Some(Value::Object(parent)) = document.pointer_mut(&pointer(parent_tokens)) {
                let index = parent.keys().position(|k| *k == key).filter(|_| !parent.contains_key(odd));
                if let Some(index) = index {
                    if let Some(value) = parent.shift_remove(&key) {
                        parent.shift_insert(index.min(parent.len()), odd.to_owned(), value);
                    }
                }
            }
        }
        3 => {
            if let Some(name) = some_component {
                let target = reference(&name);
                *node = match parameter % 7 {
                    0 => target,
                    1 => json!({"allOf": [target]}),
                    2 => json!({"type": "array", "items": target}),
                    3 => json!({"type": "object", "additionalProperties": target}),
                    4 => json!({"oneOf": [target]}),
                    5 => json!({"nullable": true, "allOf": [target]}),
                    _ => json!({"type": "object", "properties": {"next": target}, "required": ["next"]}),
                };
            }
        }
        4 => *node = huge_enum(200 + parameter % 3000, parameter),
        5 => *node = nested(node.take(), 1 + parameter % 150, parameter),
        6 => {
            *node = match parameter % 6 {
                0 => json!({"oneOf": []}),
                1 => json!({"anyOf": []}),
                2 => json!({"allOf": []}),
                3 => json!({"type": "object", "oneOf": []}),
                4 => json!({"oneOf": [{"nullable": true}]}),
                _ => json!({"anyOf": [{}, {"nullable": true}], "properties": {"a": {"type": "string"}}}),
            }
        }
        7 => {
            if let Value::Object(object) = node {
                match parameter % 6 {
                    0 => drop(object.insert("type".to_owned(), Value::String(odd.to_owned()))),
                    1 => drop(object.insert("enum".to_owned(), swapped(parameter / 7))),
                    2 => drop(object.insert("required".to_owned(), json!([odd, "type", odd]))),
                    3 => drop(object.insert("format".to_owned(), json!("binary"))),
                    4 => drop(object.insert("nullable".to_owned(), json!(true))),
                    _ => drop(object.insert("properties".to_owned(), json!({odd: {"type": "string"}, "x": {"enum": [odd]}}))),
                }
            }
        }
        8 => {
            let source = &all[parameter % all.len()];
            if let Some(copy) = document.pointer(&pointer(source)).cloned() {
                if let Some(node) = document.pointer_mut(&at) {
                    *node = copy;
                }
            }
        }
        9 => {
            if node.is_string() {
                *node = Value::String(odd.to_owned());
            } else if let Value::Array(items) = node {
                items.push(Value::String(odd.to_owned()));
            }
        }
        10 => {
            let templates = ["/a/{b{c}}", "/{}", "/x/{self}/{type}", "/{a}/{A}", "/unclosed/{", "/}{/", "", "/é/{日本}"];
            if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
                if let Some(first) = paths.keys().nth(parameter % paths.len().max(1)).cloned() {
                    if let Some(item) = paths.shift_remove(&first) {
                        paths.insert(templates[parameter % templates.len()].to_owned(), item);
                    }
                }
            }
        }
        11 => {
            if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
                if components.len() >= 2 {
                    let a = &components[parameter % components.len()];
                    let b = &components[(parameter / 3 + 1) % components.len()];
                    schemas.insert(a.clone(), json!({"allOf": [reference(b)], "nullable": true}));
                    schemas.insert(b.clone(), json!({"oneOf": [reference(a), {"type": "array", "items": reference(b)}]}));
                }
            }
        }
        14 => {
            // Hostile text where the document's text reaches docs and string literals:
            // in an object that has text (an operation, parameter, response, schema).
            let hostile = HOSTILE_TEXTS[parameter % HOSTILE_TEXTS.len()];
            let places: Vec<String> = all
                .iter()
                .map(|tokens| pointer(tokens))
                .filter(|at| {
                    document.pointer(at).is_some_and(|v| {
                        ["description", "type", "operationId", "enum", "properties"].iter().any(|key| v.get(key).is_some())
                    })
                })
                .collect();
            if parameter.is_multiple_of(7) {
                document["info"]["title"] = json!(hostile);
            }
            let Some(place) = places.get(mutation.target % places.len().max(1)) else { return };
            let Some(Value::Object(object)) = document.pointer_mut(place) else { return };
            match parameter / HOSTILE_TEXTS.len() % 6 {
                0 => drop(object.insert("description".to_owned(), json!(hostile))),
                1 => drop(object.insert("title".to_owned(), json!(hostile))),
                2 => drop(object.insert("summary".to_owned(), json!(hostile))),
                3 => {
                    let property = json!({"type": "string", "description": hostile});
                    match object.get_mut("properties") {
                        Some(Value::Object(properties)) => drop(properties.insert(hostile.to_owned(), property)),
                        _ => drop(object.insert("properties".to_owned(), json!({hostile: property}))),
                    }
                }
                4 => drop(object.insert("enum".to_owned(), json!(HOSTILE_TEXTS))),
                _ => drop(object.insert("required".to_owned(), json!([hostile]))),
            }
        }
        15 => {
            // A chain of `$ref` aliases: to a component, to an inline schema, or
            // (rarely) into a cycle or to nothing.
            let links = chain_length(parameter);
            let end = match (parameter / 8 % 8, &some_component) {
                (0, _) => reference(&format!("Chain{}_0", mutation.target)),
                (1, _) => reference("Missing"),
                (2 | 3, _) | (_, None) => json!({"type": "object", "properties": {"hostile\r": {"type": "string"}}}),
                (_, Some(name)) => reference(name),
            };
            let head = alias_chain(document, mutation.target, links, end);
            if let Some(node) = document.pointer_mut(&at) {
                *node = head;
            }
        }
        12 => {
            // A tag, an operationId or a parameter name that is an odd name.
            if let Value::Object(object) = node {
                match parameter % 3 {
                    0 => drop(object.insert("tags".to_owned(), json!([odd]))),
                    1 => drop(object.insert("operationId".to_owned(), json!(odd))),
                    _ => drop(object.insert("name".to_owned(), json!(odd))),
                }
            }
        }
        _ => {
            // A parameter with an odd name and location.
            if let Value::Object(object) = node {
                let location = ["path", "query", "header", "cookie", "body"][parameter % 5];
                let parameter = json!({"name": odd, "in": location, "required": parameter.is_multiple_of(2), "schema": {"type": "string"}});
                match object.get_mut("parameters") {
                    Some(Value::Array(list)) => list.push(parameter),
                    _ => drop(object.insert("parameters".to_owned(), json!([parameter]))),
                }
            }
        }
    }
}

/// The document of a case.
fn document_of(case: &Case) -> Value {
    let corpus = corpus();
    let source = &corpus.documents[case.document];
    let operations = &corpus.operations[case.document];
    let chosen: Vec<(String, String)> = match case.operation {
        Some(index) => vec![operations[index % operations.len()].clone()],
        None => operations
            .iter()
            .filter(|(path, method)| {
                source["paths"][path][method]["tags"].as_array().is_some_and(|t| t.contains(&json!("marketplace")))
            })
            .cloned()
            .collect(),
    };
    let mut document = slice(source, &chosen);
    for mutation in &case.mutations {
        apply(&mut document, mutation);
    }
    document
}

/// What happened to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Rejected,
    Generated,
}

/// Runs the pipeline on a text; `Err` describes a failure of the generator.
fn run_pipeline(text: &str) -> Result<Outcome, String> {
    let spec = match load_str("fuzz.json", text) {
        Err(error) => {
            let message = error.to_string();
            if !message.starts_with("fuzz.json") || message.contains('\n') || error.exit_code() != 2 {
                return Err(format!("badly formed load error: {message:?}"));
            }
            return Ok(Outcome::Rejected);
        }
        Ok(spec) => spec,
    };
    let built = ir::build(&spec, &Filter::default());
    let sources = crate_sources(&built.api).map_err(|e| format!("emitted code does not parse: {e}"))?;
    for (path, source) in &sources {
        syn::parse_file(source).map_err(|e| format!("{path} does not parse after formatting: {e}"))?;
        if !path.starts_with("runtime/") {
            docs_hold_no_code(source).map_err(|e| format!("{path}: {e}"))?;
        }
    }
    Ok(Outcome::Generated)
}

/// The docs of a generated file hold no code that rustdoc would compile or run: every
/// fenced block (three or more backticks or tildes, also in a quote or a list item)
/// is `text`, no line outside a fence is indented enough to be a code block, and no
/// line holds a control character.
fn docs_hold_no_code(source: &str) -> Result<(), String> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut previous_was_doc = false;
    for line in source.lines() {
        let trimmed = line.trim_start();
        let doc = trimmed.strip_prefix("///").or_else(|| trimmed.strip_prefix("//!"));
        match doc {
            Some(doc) if previous_was_doc => blocks.last_mut().expect("a block").push(doc),
            Some(doc) => blocks.push(vec![doc]),
            None => {}
        }
        previous_was_doc = doc.is_some();
    }
    for block in blocks {
        // Rustdoc removes the indentation common to the block's lines.
        let indent = |line: &str| line.len() - line.trim_start().len();
        let common = block.iter().filter(|l| !l.trim().is_empty()).map(|l| indent(l)).min().unwrap_or(0);
        let mut open: Option<(char, usize)> = None;
        for line in &block {
            if let Some(c) = line.chars().find(|c| c.is_control()) {
                return Err(format!("a doc line holds the control character {c:?}: {line:?}"));
            }
            let mut rest = line.trim_start();
            while let Some(after) = rest
                .strip_prefix('>')
                .or_else(|| rest.strip_prefix(['-', '*', '+']).filter(|a| a.starts_with(' ')))
                .or_else(|| rest.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix(['.', ')']).filter(|a| a.starts_with(' ')))
            {
                rest = after.trim_start();
            }
            let marker = rest.chars().next().filter(|c| matches!(c, '`' | '~'));
            let run = marker.map_or(0, |c| rest.len() - rest.trim_start_matches(c).len());
            let info = &rest[run..];
            match (open, marker) {
                (None, Some(c)) if run >= 3 && !(c == '`' && info.contains('`')) => {
                    if info.trim() != "text" {
                        return Err(format!("a code block rustdoc would compile: {line:?}"));
                    }
                    open = Some((c, run));
                }
                (Some((c, length)), Some(d)) if d == c && run >= length && info.trim().is_empty() => open = None,
                (None, _) if !line.trim().is_empty() && indent(line) >= common + 4 => {
                    return Err(format!("a line indented into a code block: {line:?}"));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Runs the pipeline on another thread, so a hang is a failure rather than a stuck test.
fn run_with_time_limit(text: String) -> Result<Outcome, String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("fuzz-case".to_owned())
        .spawn(move || {
            let result = std::panic::catch_unwind(|| run_pipeline(&text));
            let _ = sender.send(result.unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                Err(format!("panicked: {message}"))
            }));
        })
        .map_err(|e| e.to_string())?;
    receiver
        .recv_timeout(CASE_TIME_LIMIT)
        .map_err(|_| format!("did not finish within {CASE_TIME_LIMIT:?}"))?
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn mutated_real_documents_never_panic_hang_or_emit_unparseable_code() {
    let cases = env_number("FUZZ_CASES").unwrap_or(300) as u32;
    let seed = env_number("FUZZ_SEED").unwrap_or(7);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 200, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    // `FUZZ_TRACE=1` prints each case before it runs (to find a case that aborts the process).
    let trace = std::env::var_os("FUZZ_TRACE").is_some();
    let executions = AtomicUsize::new(0);
    let generated = AtomicUsize::new(0);
    corpus();
    let result = runner.run(&case(), |case| {
        executions.fetch_add(1, Ordering::Relaxed);
        if trace {
            eprintln!("fuzz case: {case:?}");
        }
        let document = document_of(&case);
        let text = if case.yaml {
            serde_yaml::to_string(&document).map_err(|e| TestCaseError::fail(e.to_string()))?
        } else {
            serde_json::to_string(&document).map_err(|e| TestCaseError::fail(e.to_string()))?
        };
        match run_with_time_limit(text) {
            Ok(Outcome::Generated) => {
                generated.fetch_add(1, Ordering::Relaxed);
                Ok(())
            }
            Ok(Outcome::Rejected) => Ok(()),
            Err(message) => Err(TestCaseError::fail(message)),
        }
    });
    println!(
        "fuzz: seed {seed}, {} executions (with shrinking), {} generated code",
        executions.load(Ordering::Relaxed),
        generated.load(Ordering::Relaxed)
    );
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

/// A small document: an operation with a parameter, a body and two answers, a
/// component object with a property, an enum and a union.
fn small_document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "small", "version": "1", "description": "d"},
        "paths": {"/things/{id}": {"post": {
            "operationId": "updateThing", "tags": ["things"], "summary": "s", "description": "d",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "description": "d", "schema": {"type": "string"}},
                {"name": "mode", "in": "query", "description": "d", "schema": {"$ref": "#/components/schemas/Mode"}}
            ],
            "requestBody": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Either"}}}},
            "responses": {
                "200": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "404": {"description": "d"}
            }
        }}},
        "components": {"schemas": {
            "Thing": {"type": "object", "description": "d", "properties": {"name": {"type": "string", "description": "d"}}},
            "Mode": {"type": "string", "description": "d", "enum": ["a", "b"]},
            "Either": {"oneOf": [
                {"title": "t", "description": "d", "type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]},
                {"type": "object", "properties": {"y": {"type": "integer"}}, "required": ["y"]}
            ]}
        }}
    })
}

/// Every place where the document's text reaches generated code.
const TEXT_PLACES: &[&str] = &[
    "/info/title",
    "/info/version",
    "/paths/~1things~1{id}/post/summary",
    "/paths/~1things~1{id}/post/description",
    "/paths/~1things~1{id}/post/parameters/1/description",
    "/paths/~1things~1{id}/post/requestBody/description",
    "/paths/~1things~1{id}/post/responses/200/description",
    "/paths/~1things~1{id}/post/responses/404/description",
    "/components/schemas/Thing/description",
    "/components/schemas/Thing/properties/name/description",
    "/components/schemas/Mode/enum/0",
    "/components/schemas/Either/oneOf/0/title",
    "/components/schemas/Either/oneOf/0/description",
];

#[test]
fn each_hostile_text_in_each_place_gives_docs_without_code() {
    for hostile in HOSTILE_TEXTS {
        let mut cases: Vec<(String, Value)> = TEXT_PLACES
            .iter()
            .map(|place| {
                let mut document = small_document();
                *document.pointer_mut(place).unwrap() = json!(hostile);
                (place.to_string(), document)
            })
            .collect();
        let mut named = small_document();
        let properties = named.pointer_mut("/components/schemas/Thing/properties").unwrap();
        properties[*hostile] = json!({"type": "string", "description": hostile});
        cases.push(("a property name".to_owned(), named));
        let mut parameter = small_document();
        parameter["paths"]["/things/{id}"]["post"]["parameters"][1]["name"] = json!(hostile);
        cases.push(("a parameter name".to_owned(), parameter));
        for (place, document) in cases {
            let outcome = run_with_time_limit(document.to_string());
            assert_eq!(outcome, Ok(Outcome::Generated), "{hostile:?} at {place}");
        }
    }
}

#[test]
fn alias_chains_of_any_length_generate_quickly() {
    for parameter in 0..8 {
        let mut document = small_document();
        let end = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let head = alias_chain(&mut document, parameter, chain_length(parameter), end);
        document["paths"]["/things/{id}"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] = head;
        let outcome = run_with_time_limit(document.to_string());
        assert_eq!(outcome, Ok(Outcome::Generated), "{} links", chain_length(parameter));
    }
}
