//! Answers that leave the document: a required value the answer lacks, or holds as
//! `null`, is filled in and reported (`ResponseValue::filled`, one `warn` event per
//! operation and path), or fails the call with strict decoding. Any other mismatch fails
//! in both modes.

mod support;

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use support::mock::{answer, client, TOKEN};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;
use vercel_api::edge_config::GetEdgeConfigBackupResponse;
use vercel_api::marketplace::{Billing, GetInvoiceResponse, GetIntegrationResourcesResponse};
use vercel_api::{Client, Error, FillCause, Filled, RequestOptions};
use wiremock::{MockServer, ResponseTemplate};

/// The `warn` events of the crate, each as its fields' text.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        if meta.target().starts_with("vercel_api") && *meta.level() == tracing::Level::WARN {
            let mut text = String::new();
            event.record(&mut Text(&mut text));
            self.0.lock().unwrap().push(text);
        }
    }
}

fn absent(path: &str) -> (String, FillCause) {
    (path.to_owned(), FillCause::Absent)
}

fn null(path: &str) -> (String, FillCause) {
    (path.to_owned(), FillCause::Null)
}

/// The fills as (path, cause).
fn list(filled: &[Filled]) -> Vec<(String, FillCause)> {
    filled.iter().map(|fill| (fill.path.clone(), fill.cause)).collect()
}

/// A resource of `get_integration_resources` with every required field.
fn resource(index: usize) -> Value {
    json!({
        "partnerId": format!("p{index}"),
        "internalId": format!("i{index}"),
        "name": format!("db-{index}"),
        "productId": "prod",
    })
}

/// Held by every test that decodes through a client: tracing caches whether a callsite
/// is enabled, and a test without a subscriber on another thread could hide the event
/// from the one that records it.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().await
}

/// A client of a server that answers every request with `body`.
async fn serving(body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200).set_body_json(body)).await;
    let client = client(&server);
    (server, client)
}

fn strict_client(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .strict_decoding(true)
        .build()
        .unwrap()
}

fn decode_path<E: std::fmt::Debug>(error: Error<E>) -> String {
    match error {
        Error::Decode { path, body, .. } => {
            assert!(!body.is_empty(), "the error keeps the body");
            path
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_required_field_missing_at_the_top_is_filled_in_and_listed() {
    let _one = one_at_a_time().await;
    let (_server, client) = serving(json!({})).await;
    let answer = client.get_integration_resources("icfg_1").send_with_meta().await.unwrap();
    assert!(answer.resources.is_empty());
    assert_eq!(list(answer.filled()), [absent("resources")]);
}

#[tokio::test]
async fn an_answer_that_matches_the_document_fills_nothing() {
    let _one = one_at_a_time().await;
    let (_server, client) = serving(json!({"resources": [resource(0)]})).await;
    let answer = client.get_integration_resources("icfg_1").send_with_meta().await.unwrap();
    assert_eq!(answer.resources[0].internal_id, "i0");
    assert!(answer.filled().is_empty());
}

#[tokio::test]
async fn a_field_missing_deep_in_a_nested_object_is_filled_with_its_path() {
    let _one = one_at_a_time().await;
    let mut item = resource(0);
    item["notification"] = json!({"level": "warn"});
    let (_server, client) = serving(json!({"resources": [item]})).await;
    let answer = client.get_integration_resources("icfg_1").send_with_meta().await.unwrap();
    let notification = answer.resources[0].notification.as_ref().unwrap();
    assert_eq!(notification.title, "");
    assert_eq!(list(answer.filled()), [absent("resources[0].notification.title")]);
}

#[tokio::test]
async fn a_field_missing_in_every_item_of_a_long_list_is_listed_per_item_and_warned_once() {
    let _one = one_at_a_time().await;
    let items: Vec<Value> = (0..100)
        .map(|index| {
            let mut item = resource(index);
            item.as_object_mut().unwrap().remove("internalId");
            item
        })
        .collect();
    let (_server, client) = serving(json!({"resources": items})).await;
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let answer = client.get_integration_resources("icfg_1").send_with_meta().await.unwrap();
    let expected: Vec<(String, FillCause)> = (0..100).map(|i| absent(&format!("resources[{i}].internalId"))).collect();
    assert_eq!(list(answer.filled()), expected);
    assert!(answer.resources.iter().all(|resource| resource.internal_id.is_empty()));
    assert_eq!(answer.resources[99].name, "db-99");

    // A second answer, and the same one through a client for another token, warn no more.
    client.get_integration_resources("icfg_1").send_with_meta().await.unwrap();
    client.with_token("another").get_integration_resources("icfg_1").await.unwrap();
    let warnings = warnings.0.lock().unwrap().clone();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("operation=\"get-integration-resources\""), "{}", warnings[0]);
    assert!(warnings[0].contains("resources[].internalId (absent, 100 times)"), "{}", warnings[0]);
}

#[tokio::test]
async fn null_in_a_non_nullable_string_number_list_and_struct_is_filled_in() {
    let _one = one_at_a_time().await;
    let body = json!({
        "invoiceId": null,
        "state": "paid",
        "invoiceDate": "2025-01-01",
        "period": null,
        "items": [{
            "billingPlanId": "plan", "name": "n", "price": "1", "quantity": null,
            "units": "u", "total": "1"
        }],
        "total": "1",
        "created": "2025-01-01",
        "updated": "2025-01-01",
    });
    let (_server, client) = serving(body).await;
    let answer = client.get_invoice("icfg_1", "inv_1").send_with_meta().await.unwrap();
    assert_eq!(answer.invoice_id, "");
    assert_eq!(answer.period.start, "");
    assert_eq!(answer.items[0].quantity, 0.0);
    assert_eq!(list(answer.filled()), [null("invoiceId"), null("period"), null("items[0].quantity")]);

    let (_server, client) = serving(json!({"resources": null})).await;
    let answer = client.get_integration_resources("icfg_1").send_with_meta().await.unwrap();
    assert_eq!(list(answer.filled()), [null("resources")]);
}

#[tokio::test]
async fn strict_decoding_fails_with_the_path_on_the_client_and_per_call() {
    let _one = one_at_a_time().await;
    let mut items: Vec<Value> = (0..5).map(resource).collect();
    items[3].as_object_mut().unwrap().remove("internalId");
    let body = json!({"resources": items});
    let (server, lenient) = serving(body).await;

    let strict = strict_client(&server);
    let error = strict.get_integration_resources("icfg_1").await.unwrap_err();
    let message = error.to_string();
    assert_eq!(decode_path(error), "resources[3].internalId");
    assert!(message.contains("lacks this field"), "{message}");

    let options = RequestOptions::new().strict_decoding(true);
    let error = lenient.get_integration_resources("icfg_1").options(options).await.unwrap_err();
    assert_eq!(decode_path(error), "resources[3].internalId");

    // And the other way round: a lenient call on a strict client.
    let options = RequestOptions::new().strict_decoding(false);
    let answer = strict.get_integration_resources("icfg_1").options(options).send_with_meta().await.unwrap();
    assert_eq!(list(answer.filled()), [absent("resources[3].internalId")]);
}

#[tokio::test]
async fn strict_decoding_names_a_null() {
    let _one = one_at_a_time().await;
    let (server, _) = serving(json!({"resources": [resource(0), {"partnerId": "p", "internalId": "i", "name": null, "productId": "x"}]})).await;
    let error = strict_client(&server).get_integration_resources("icfg_1").await.unwrap_err();
    let message = error.to_string();
    assert_eq!(decode_path(error), "resources[1].name");
    assert!(message.contains("null"), "{message}");
}

#[tokio::test]
async fn a_value_of_the_wrong_json_type_fails_in_both_modes() {
    let _one = one_at_a_time().await;
    let mut item = resource(0);
    item["name"] = json!(5);
    let (server, lenient) = serving(json!({"resources": [item]})).await;
    for client in [lenient, strict_client(&server)] {
        let error = client.get_integration_resources("icfg_1").await.unwrap_err();
        assert_eq!(decode_path(error), "resources[0].name");
    }
    let (server, lenient) = serving(json!({"resources": {"not": "a list"}})).await;
    for client in [lenient, strict_client(&server)] {
        let error = client.get_integration_resources("icfg_1").await.unwrap_err();
        assert_eq!(decode_path(error), "resources");
    }
}

/// An Edge Config backup of either member, with `user` and `lastModified` as given.
fn backup(user: Value, last_modified: Option<i64>) -> Value {
    let mut body = json!({
        "id": "b1",
        "user": user,
        "backup": {"digest": "d", "items": {}, "slug": "s", "updatedAt": 1},
        "metadata": {},
    });
    if let Some(last_modified) = last_modified {
        body["lastModified"] = json!(last_modified);
    }
    body
}

#[tokio::test]
async fn a_union_member_that_matches_without_filling_wins() {
    let _one = one_at_a_time().await;
    // `user: null` is a value only the member with an optional user takes as it is.
    let (_server, client) = serving(backup(Value::Null, Some(5))).await;
    let answer = client.get_edge_config_backup("ecfg_1", "v1").send_with_meta().await.unwrap();
    assert!(
        matches!(answer.value(), GetEdgeConfigBackupResponse::WithIdLastModified(_)),
        "{:?}",
        answer.value()
    );
    assert!(answer.filled().is_empty());
}

#[tokio::test]
async fn a_field_missing_inside_a_union_member_is_filled_in_that_member() {
    let _one = one_at_a_time().await;
    // No member decodes without `lastModified`: the one filling in fewest fields wins.
    let (_server, client) = serving(backup(Value::Null, None)).await;
    let answer = client.get_edge_config_backup("ecfg_1", "v1").send_with_meta().await.unwrap();
    let GetEdgeConfigBackupResponse::WithIdLastModified(backup) = answer.value() else {
        panic!("{:?}", answer.value());
    };
    assert_eq!(backup.last_modified, 0.0);
    assert_eq!(list(answer.filled()), [absent("lastModified")]);
}

#[test]
fn an_unknown_shape_of_a_union_stays_raw_json() {
    let body = json!({"somethingElse": 1});
    let (billing, filled): (Billing, Vec<Filled>) =
        vercel_api::decode_answer("test", serde_json::to_vec(&body).unwrap(), false).unwrap();
    assert_eq!(billing, Billing::Unknown(body));
    assert!(filled.is_empty());
}

#[test]
fn an_answer_of_every_required_field_left_out_decodes_to_empty_values() {
    let (value, filled): (GetIntegrationResourcesResponse, Vec<Filled>) =
        vercel_api::decode_answer("test", b"{\"resources\":[{}]}".to_vec(), false).unwrap();
    let paths: Vec<&str> = filled.iter().map(|fill| fill.path.as_str()).collect();
    assert_eq!(
        paths,
        ["resources[0].partnerId", "resources[0].internalId", "resources[0].name", "resources[0].productId"]
    );
    assert_eq!(value.resources[0].product_id, "");
    let invoice: Result<(GetInvoiceResponse, _), _> = vercel_api::decode_answer("test", b"{}".to_vec(), false);
    assert!(invoice.unwrap().1.iter().all(|fill| fill.cause == FillCause::Absent));
}

/// A page of `list_aliases` whose aliases lack the required `created`.
fn aliases_page(uids: &[&str], next: Option<u64>) -> ResponseTemplate {
    let aliases: Vec<Value> =
        uids.iter().map(|uid| json!({"alias": format!("{uid}.vercel.app"), "deploymentId": null, "projectId": "p", "uid": uid})).collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "aliases": aliases,
        "pagination": {"count": uids.len(), "next": next, "prev": null}
    }))
}

#[tokio::test]
async fn a_listing_reports_what_its_pages_fill_in_once() {
    use futures_util::{StreamExt, TryStreamExt};
    use wiremock::matchers::{method, query_param, query_param_is_missing};
    use wiremock::Mock;

    let _one = one_at_a_time().await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("until"))
        .respond_with(aliases_page(&["a1", "a2"], Some(5)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("until", "5"))
        .respond_with(aliases_page(&["a3"], None))
        .mount(&server)
        .await;
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = client(&server);
    let aliases: Vec<_> = client.list_aliases().paginate().try_collect().await.unwrap();
    assert_eq!(aliases.len(), 3);
    assert!(aliases.iter().all(|alias| alias.created.is_empty()));
    let warnings = warnings.0.lock().unwrap().clone();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("aliases[].created (absent, 2 times)"), "{}", warnings[0]);

    // Strict, the listing ends with the error of its first page.
    let strict = RequestOptions::new().strict_decoding(true);
    let items: Vec<_> = client.list_aliases().options(strict).paginate().collect().await;
    assert_eq!(items.len(), 1);
    let Some(Err(error)) = items.into_iter().next() else { panic!("expected an error") };
    assert_eq!(decode_path(error), "aliases[0].created");
}
