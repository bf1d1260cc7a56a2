//! Answers synthesized from the pinned document by the instance synthesizer that
//! `vercel-codegen verify` uses, for the decoding benchmark (`benches/decode.rs`) and
//! the test that union members do not change (`tests/synthesized_members.rs`).

#![allow(dead_code)]

use std::path::Path;

use serde_json::{json, Map, Value};
use vercel_codegen::verify::synth::{Mode, Synth};

/// Which member every union of a body takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    /// The first member (instance 0, every optional property present).
    First,
    /// The last member, every optional property present.
    Last,
    /// Instance `k` of the schema: unions rotate through their members as `k` grows.
    Rotating(usize),
    /// Instance `k` of a newer API's answer: an unknown property in every object, unknown
    /// enum values, unknown union members.
    Newer(usize),
}

/// The pinned document, found as the build script finds it.
pub fn pinned_document() -> Value {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pin = vercel_codegen::pin::read_pin(workspace).expect("spec/pin.json");
    let path = vercel_codegen::pin::locate_spec(&pin, workspace)
        .expect("the pinned document (set VERCEL_SPECS_DIR to its directory)");
    serde_json::from_slice(&std::fs::read(path).expect("read the pinned document")).expect("the document is JSON")
}

/// Synthesizes answers of the pinned document's operations.
pub struct Bodies<'d> {
    synth: Synth<'d>,
}

impl<'d> Bodies<'d> {
    pub fn new(doc: &'d Value) -> Self {
        Bodies { synth: Synth::new(doc) }
    }

    /// The JSON schema of the 200 answer of the operation with this `operationId`.
    pub fn success_schema(&self, operation_id: &str) -> &'d Value {
        let paths = self.synth.doc()["paths"].as_object().expect("paths");
        let operation = paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .find(|op| op.get("operationId").and_then(Value::as_str) == Some(operation_id))
            .unwrap_or_else(|| panic!("no operation {operation_id}"));
        &operation["responses"]["200"]["content"]["application/json"]["schema"]
    }

    /// How many instances cover `schema`: its members, optional properties and nulls.
    pub fn width(&self, schema: &Value) -> usize {
        self.synth.width(schema, &mut Vec::new())
    }

    /// An instance of `schema` whose unions take `members`.
    pub fn instance(&self, schema: &Value, members: Members) -> Value {
        match members {
            Members::First => self.synth.instance(schema, 0, Mode::default()),
            Members::Last => self.synth.instance(schema, 0, Mode { last_member: true, ..Mode::default() }),
            Members::Rotating(k) => self.synth.instance(schema, k, Mode::default()),
            Members::Newer(k) => self.synth.instance(schema, k, Mode { forward: true, ..Mode::default() }),
        }
    }

    /// The answer of `operation_id` (`members` chosen) whose array `field` holds `count`
    /// instances of its item schema, rotating through the union members (item `i` is
    /// instance `i`). `member` picks the member of a top-level union holding `field`.
    pub fn list(&self, operation_id: &str, field: &str, count: usize, member: usize) -> Value {
        let schema = self.success_schema(operation_id);
        let view = self.synth.view(schema);
        let object = match view.get("oneOf").and_then(Value::as_array) {
            Some(members) => self.synth.view(&members[member]).into_owned(),
            None => view.into_owned(),
        };
        let items = self.synth.view(&object["properties"][field]).get("items").cloned().expect("an array field");
        let mut answer = self.synth.instance(&Value::Object(object.clone()), 0, Mode::default());
        let list = (0..count).map(|k| self.instance(&items, Members::Rotating(k))).collect();
        answer[field] = Value::Array(list);
        answer
    }

    /// An Edge Config item whose value nests `depth` objects (`{"a": {"a": ... 1}}`).
    pub fn edge_config_item(&self, depth: usize) -> Value {
        let mut item = self.instance(self.success_schema("getEdgeConfigItem"), Members::First);
        let mut value = json!(1);
        for _ in 0..depth {
            value = Value::Object(Map::from_iter([("a".to_owned(), value)]));
        }
        item["value"] = value;
        item
    }

    /// An Edge Config item whose value holds `total / depth` values side by side, each
    /// nesting `depth` objects: the same number of objects at every depth.
    pub fn edge_config_item_spread(&self, total: usize, depth: usize) -> Value {
        let mut item = self.edge_config_item(depth);
        let nested = item["value"].take();
        let spread = (0..total / depth).map(|k| (format!("a{k}"), nested.clone()));
        item["value"] = Value::Object(Map::from_iter(spread));
        item
    }
}
