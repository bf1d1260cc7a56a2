//! Untagged unions whose members overlap decode as the member that keeps the whole value,
//! not as the first member that happens to decode.
//!
//! `GET /v1/drains/{id}` answers one of two drain shapes; the second has every field of
//! the first and four more (`integrationIcon`, ...), so serde's plain `untagged` would read
//! an integration drain as the first shape and drop those fields.

use serde_json::{json, Value};
use vercel_api::drains::Drain;

/// A drain with the fields both shapes require, and `extra` besides.
fn drain(extra: Value) -> Value {
    let mut drain = json!({
        "id": "drn_1",
        "ownerId": "team_1",
        "name": "logs",
        "createdAt": 1.5,
        "updatedAt": 2.5,
        "source": {"kind": "self-served"},
    });
    drain.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    drain
}

fn decode(value: &Value) -> Drain {
    serde_json::from_value(value.clone()).unwrap()
}

#[test]
fn a_value_of_the_wider_member_decodes_as_it_and_round_trips() {
    let value = drain(json!({"integrationIcon": "https://example.com/icon.png"}));
    let decoded = decode(&value);
    let Drain::WithIntegrationIcon(wide) = &decoded else {
        panic!("decoded as {decoded:?}");
    };
    assert_eq!(wide.integration_icon.as_deref(), Some("https://example.com/icon.png"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value);
}

#[test]
fn a_value_both_members_keep_whole_decodes_as_the_first() {
    let value = drain(json!({}));
    assert!(matches!(decode(&value), Drain::WithIdOwnerId(_)));
}

#[test]
fn fields_of_a_newer_api_do_not_change_the_member() {
    let newer = drain(json!({"integrationIcon": "i", "addedNextYear": {"a": 1}}));
    assert!(matches!(decode(&newer), Drain::WithIntegrationIcon(_)));
    let newer = drain(json!({"addedNextYear": true}));
    assert!(matches!(decode(&newer), Drain::WithIdOwnerId(_)));
}

#[test]
fn a_value_no_member_decodes_is_kept_as_raw_json() {
    let value = json!({"id": "drn_1"});
    assert_eq!(decode(&value), Drain::Unknown(value));
}

#[test]
fn an_array_is_not_read_as_a_struct_of_its_items() {
    // `flags` is an object with `definitions`, or an array of objects; serde would also
    // read the array as the struct, taking its first item for `definitions`.
    use vercel_api::deployments::Flags;
    let list = json!([{}]);
    let decoded: Flags = serde_json::from_value(list.clone()).unwrap();
    assert!(matches!(decoded, Flags::ObjectList(_)), "decoded as {decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), list);
}
