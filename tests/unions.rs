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

#[test]
fn a_union_decodes_the_same_through_any_deserializer() {
    // serde buffers the value of an untagged or internally tagged enum before decoding
    // it, and a reader gives no text to borrow: the member is the same.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Untagged {
        Drain(Drain),
    }
    #[derive(serde::Deserialize)]
    #[serde(tag = "t")]
    enum Tagged {
        Holds { drain: Drain },
    }
    let value = drain(json!({"integrationIcon": "i"}));
    let Untagged::Drain(buffered) = serde_json::from_value(value.clone()).unwrap();
    assert!(matches!(buffered, Drain::WithIntegrationIcon(_)), "decoded as {buffered:?}");
    let Tagged::Holds { drain: tagged } = serde_json::from_value(json!({"t": "Holds", "drain": value})).unwrap();
    assert_eq!(tagged, buffered);
    let read: Drain = serde_json::from_reader(value.to_string().as_bytes()).unwrap();
    assert_eq!(read, buffered);
    let text: Drain = serde_json::from_str(&value.to_string()).unwrap();
    assert_eq!(text, buffered);
}

#[test]
fn a_recursive_union_reads_any_depth_by_json_type() {
    use vercel_api::shared::EdgeConfigItemValue;
    let mut value = json!([-7, 2.5, "three", true, null, {}]);
    for _ in 0..100 {
        value = json!({ "a": value });
    }
    let decoded: EdgeConfigItemValue = serde_json::from_str(&value.to_string()).unwrap();
    let mut inner = &decoded;
    for _ in 0..100 {
        let EdgeConfigItemValue::Object(map) = inner else { panic!("decoded as {inner:?}") };
        inner = &map["a"];
    }
    let EdgeConfigItemValue::EdgeConfigItemValueList(items) = inner else { panic!("decoded as {inner:?}") };
    assert!(matches!(items[0], EdgeConfigItemValue::Number(n) if n == -7.0));
    assert!(matches!(items[1], EdgeConfigItemValue::Number(n) if n == 2.5));
    assert!(matches!(&items[2], EdgeConfigItemValue::String(s) if s == "three"));
    assert!(matches!(items[3], EdgeConfigItemValue::Boolean(true)));
    // No member takes null: it is kept as raw JSON.
    assert_eq!(items[4], EdgeConfigItemValue::Unknown(Value::Null));
    assert!(matches!(&items[5], EdgeConfigItemValue::Object(map) if map.is_empty()));
    // Numbers are `f64`, as the document says: -7 comes back as -7.0.
    let back = serde_json::to_string(&decoded).unwrap();
    assert_eq!(back, value.to_string().replace("-7", "-7.0"));
}

#[test]
fn enums_keep_unknown_values_from_any_deserializer() {
    use vercel_api::shared::DeliveryTarget;
    let known: DeliveryTarget = serde_json::from_str("\"vercel-otel-traces-db\"").unwrap();
    assert_eq!(known, DeliveryTarget::VercelOtelTracesDb);
    let unknown: DeliveryTarget = serde_json::from_value(json!("somewhere-new")).unwrap();
    assert_eq!(unknown, DeliveryTarget::Unknown("somewhere-new".to_owned()));
    assert!(serde_json::from_str::<DeliveryTarget>("1").is_err());
    // Inside an internally tagged enum, serde buffers the value first.
    #[derive(serde::Deserialize)]
    #[serde(tag = "t")]
    enum Tagged {
        Holds { target: DeliveryTarget },
    }
    let Tagged::Holds { target } = serde_json::from_str(r#"{"t": "Holds", "target": "x"}"#).unwrap();
    assert_eq!(target, DeliveryTarget::Unknown("x".to_owned()));
}
