//! `paginate()` follows each page's cursor until the listing runs out.

mod support;

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use support::mock::client;
use vercel_api::Error;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn alias(uid: &str) -> Value {
    json!({
        "alias": format!("{uid}.vercel.app"),
        "created": "2025-01-01T00:00:00.000Z",
        "deploymentId": null,
        "projectId": "prj_1",
        "uid": uid
    })
}

fn aliases_page(uids: &[&str], next: Option<u64>) -> ResponseTemplate {
    let aliases: Vec<Value> = uids.iter().map(|uid| alias(uid)).collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "aliases": aliases,
        "pagination": {"count": uids.len(), "next": next, "prev": null}
    }))
}

#[tokio::test]
async fn a_three_page_listing_is_one_stream_following_until() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v4/aliases"))
        .and(query_param_is_missing("until"))
        .respond_with(aliases_page(&["a1", "a2"], Some(1_700_000_000_300)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("until", "1700000000300"))
        .respond_with(aliases_page(&["a3", "a4"], Some(1_700_000_000_100)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("until", "1700000000100"))
        .respond_with(aliases_page(&["a5"], None))
        .expect(1)
        .mount(&server)
        .await;

    let uids: Vec<String> = client(&server)
        .list_aliases()
        .limit(2.0)
        .paginate()
        .map_ok(|alias| alias.uid)
        .try_collect()
        .await
        .expect("every page decodes");
    assert_eq!(uids, ["a1", "a2", "a3", "a4", "a5"]);

    // Every request keeps the caller's other parameters.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.url.query().is_some_and(|q| q.contains("limit=2"))));
}

#[tokio::test]
async fn a_continuation_token_goes_into_next_and_an_absent_one_ends_the_listing() {
    let server = MockServer::start().await;
    let backup = |id: &str| json!({"id": id, "lastModified": 1});
    Mock::given(method("GET"))
        .and(query_param_is_missing("next"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "backups": [backup("b1")],
            "pagination": {"hasNext": true, "next": "tok/2 ="}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("next", "tok/2 ="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "backups": [backup("b2"), backup("b3")],
            "pagination": {"hasNext": false}
        })))
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&server)
        .get_edge_config_backups("ecfg_1")
        .paginate()
        .map_ok(|backup| backup.id)
        .try_collect()
        .await
        .expect("both pages decode");
    assert_eq!(ids, ["b1", "b2", "b3"]);
}

#[tokio::test]
async fn an_error_on_a_later_page_is_the_last_item() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("until"))
        .respond_with(aliases_page(&["a1"], Some(5)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("until", "5"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;

    let items: Vec<_> = client(&server).list_aliases().paginate().collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().map(|a| a.uid.as_str()).ok(), Some("a1"));
    let error = items[1].as_ref().expect_err("the second page fails");
    assert!(matches!(error, Error::Api { status, .. } if status.as_u16() == 403));
}
