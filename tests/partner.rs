//! What a Marketplace partner needs from the client, against a loopback server: one
//! client for many installation tokens, per-call options, what an answer says besides
//! its body, parameters as people write them, deprecation, and spawnable requests.

use std::future::IntoFuture;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

mod support;

use support::mock::{answer, client, client_retrying, TOKEN};
use vercel_api::marketplace::{SubmitBillingDataRequest, UpdateResourceSecretsRequest};
use vercel_api::{Client, Error, RequestOptions, RetryPolicy};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The `Authorization` header of each request the server received, in order.
async fn authorizations(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().map(|r| header_text(r, "authorization")).collect()
}

/// A header of a received request, as text ("" when absent).
fn header_text(request: &Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A billing report, built from JSON as the API documents it.
fn billing_report() -> SubmitBillingDataRequest {
    serde_json::from_value(json!({
        "timestamp": "2025-01-01T00:00:00Z",
        "eod": "2025-01-01T00:00:00Z",
        "period": {"start": "2025-01-01T00:00:00Z", "end": "2025-01-02T00:00:00Z"},
        "billing": [],
        "usage": []
    }))
    .expect("a billing report")
}

/// Seconds since the Unix epoch, now.
fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test(start_paused = true)]
async fn with_token_sends_its_own_token_and_keeps_the_clients_settings() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, ResponseTemplate::new(200).set_body_json(json!({"resources": []}))).await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .team_id("team_partner")
        .user_agent("partner/1.0")
        // The paused clock would fire a pending timeout while the server answers.
        .timeout(None)
        .read_timeout(None)
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let installation = client.with_token("token-of-installation-2");
    // The client's retry policy carries over: the 503 is retried.
    installation.get_integration_resources("icfg_2").await.expect("retried");
    client.get_integration_resources("icfg_1").await.expect("ok");

    assert_eq!(
        authorizations(&server).await,
        [
            "Bearer token-of-installation-2",
            "Bearer token-of-installation-2",
            format!("Bearer {TOKEN}").as_str()
        ]
    );
    for request in server.received_requests().await.unwrap() {
        assert_eq!(header_text(&request, "user-agent"), "partner/1.0");
    }
    assert_eq!(installation.base_url(), client.base_url());
    assert_eq!(installation.team_id(), Some("team_partner"));
    assert!(!format!("{installation:?}").contains("installation-2"), "{installation:?}");
}

#[tokio::test]
async fn timeout_and_user_agent_apply_to_a_callers_http_client() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/installations/slow/resources"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    answer(&server, ResponseTemplate::new(200).set_body_json(json!({"resources": []}))).await;
    let http = vercel_api::reqwest::Client::builder().build().unwrap();
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(http.clone())
        .timeout(Duration::from_millis(200))
        .user_agent("partner/2.0")
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    client.get_integration_resources("fast").await.expect("fast enough");
    let error = client.get_integration_resources("slow").await.expect_err("too slow");
    assert!(matches!(error, Error::TimeLimit { limit: "timeout", .. }), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(header_text(&requests[0], "user-agent"), "partner/2.0");

    // Without them, the caller's client decides; a client of our own names the crate.
    let theirs = Client::builder().base_url(server.uri()).http_client(http).build().unwrap();
    theirs.get_integration_resources("fast").await.unwrap();
    let ours = client_retrying(&server, RetryPolicy::never());
    ours.get_integration_resources("fast").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(!header_text(&requests[2], "user-agent").starts_with("vercel-api-rust/"));
    assert!(header_text(&requests[3], "user-agent").starts_with("vercel-api-rust/"));
}

#[test]
fn an_invalid_user_agent_is_a_setting_error() {
    let error = Client::builder().user_agent("bad\nagent").build().expect_err("invalid");
    assert!(matches!(error, Error::InvalidConfig { what: "the user agent", .. }), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn one_post_is_retried_on_429_when_its_call_asks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "2"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    // The client retries idempotent requests only.
    let client = client_retrying(&server, RetryPolicy::default());
    let error = client.submit_billing_data("icfg_1", billing_report()).await.expect_err("not retried");
    assert!(error.is_rate_limited());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let started = tokio::time::Instant::now();
    client
        .submit_billing_data("icfg_1", billing_report())
        .options(RequestOptions::new().retry_policy(RetryPolicy::default().retry_non_idempotent(true)))
        .await
        .expect("retried until it is accepted");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert!(started.elapsed() >= Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_call_can_turn_retries_off() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(503)).await;
    let client = client_retrying(&server, RetryPolicy::default().max_attempts(5));
    let error = client
        .get_integration_resources("icfg_1")
        .options(RequestOptions::new().retry_policy(RetryPolicy::never()))
        .await
        .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_calls_timeout_replaces_the_clients() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!({"resources": []}))
            .set_delay(Duration::from_millis(400)),
    )
    .await;
    let patient = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(30))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = patient
        .get_integration_resources("icfg_1")
        .options(RequestOptions::new().timeout(Duration::from_millis(50)))
        .await
        .expect_err("the call's timeout is shorter");
    assert!(matches!(error, Error::TimeLimit { limit: "timeout", .. }), "{error:?}");

    let hasty = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    assert!(hasty.get_integration_resources("icfg_1").await.is_err());
    hasty
        .get_integration_resources("icfg_1")
        .options(RequestOptions::new().timeout(Duration::from_secs(30)))
        .await
        .expect("the call's timeout is longer");
}

#[tokio::test]
async fn a_calls_headers_are_sent_over_the_clients() {
    let server = MockServer::start().await;
    Mock::given(header("x-request-id", "3f2a"))
        .and(header("user-agent", "one-call/1.0"))
        .and(header("authorization", "Bearer other-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resources": []})))
        .mount(&server)
        .await;
    let options = RequestOptions::new()
        .header("x-request-id", "3f2a")
        .header("user-agent", "one-call/1.0")
        .header("authorization", "Bearer other-token");
    assert!(!format!("{options:?}").contains("other-token"), "{options:?}");
    client(&server).get_integration_resources("icfg_1").options(options).await.expect("headers matched");

    let error = client(&server)
        .get_integration_resources("icfg_1")
        .options(RequestOptions::new().header("bad header", "x"))
        .await
        .expect_err("not a header name");
    assert!(matches!(&error, Error::Encode { what, .. } if what == "header bad header"), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn send_with_meta_keeps_the_status_and_the_rate_limit_quota() {
    let server = MockServer::start().await;
    let reset = unix_now() + 60;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!({"resources": []}))
            .insert_header("x-ratelimit-limit", "100")
            .insert_header("x-ratelimit-remaining", "97")
            .insert_header("x-ratelimit-reset", reset.to_string().as_str()),
    )
    .await;
    let answer = client(&server).get_integration_resources("icfg_1").send_with_meta().await.unwrap();
    assert_eq!(answer.status(), vercel_api::reqwest::StatusCode::OK);
    assert_eq!(answer.headers()["x-ratelimit-remaining"], "97");
    assert!(answer.resources.is_empty(), "dereferences to the value");
    let quota = answer.rate_limit().expect("a quota");
    assert_eq!((quota.limit, quota.remaining), (Some(100), Some(97)));
    assert_eq!(quota.reset, Some(UNIX_EPOCH + Duration::from_secs(reset)));
    let (_, _, value) = answer.into_parts();
    assert!(value.resources.is_empty());

    // Errors are the operation's own, as with `send`.
    let other = MockServer::start().await;
    answer_status(&other, 404).await;
    let request = vercel_api::marketplace::ImportResourceRequest::new("p", "n", vercel_api::marketplace::ResourceStatus::Ready);
    let error = client(&other).import_resource("icfg_1", "r1", request).send_with_meta().await.expect_err("404");
    assert!(matches!(error, Error::Api { .. } | Error::UnexpectedStatus { .. }), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

/// Answers every request with `status` and no body.
async fn answer_status(server: &MockServer, status: u16) {
    answer(server, ResponseTemplate::new(status)).await;
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_date_is_waited_for() {
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", date.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resources": []})))
        .mount(&server)
        .await;
    let started = tokio::time::Instant::now();
    client_retrying(&server, RetryPolicy::default())
        .get_integration_resources("icfg_1")
        .await
        .expect("the retry succeeds");
    // The date has a resolution of one second.
    assert!(started.elapsed() >= Duration::from_secs(8), "{:?}", started.elapsed());

    let lasting = MockServer::start().await;
    answer(&lasting, ResponseTemplate::new(503).insert_header("Retry-After", date.as_str())).await;
    // A wait to the date would overrun a 5 s budget: no retry.
    let policy = RetryPolicy::default().budget(Duration::from_secs(5));
    let error = client_retrying(&lasting, policy).get_integration_resources("icfg_1").await.expect_err("503");
    assert_eq!(lasting.received_requests().await.unwrap().len(), 1);
    let wait = error.retry_after().expect("the date is read");
    assert!(wait > Duration::from_secs(5) && wait <= Duration::from_secs(10), "{wait:?}");
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_until_the_rate_limit_resets() {
    let server = MockServer::start().await;
    let reset = unix_now() + 6;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-ratelimit-reset", reset.to_string().as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resources": []})))
        .mount(&server)
        .await;
    let started = tokio::time::Instant::now();
    client_retrying(&server, RetryPolicy::default())
        .get_integration_resources("icfg_1")
        .await
        .expect("the retry succeeds");
    assert!(started.elapsed() >= Duration::from_secs(4), "{:?}", started.elapsed());

    let limited = MockServer::start().await;
    answer(
        &limited,
        ResponseTemplate::new(429).insert_header("x-ratelimit-reset", reset.to_string().as_str()),
    )
    .await;
    // A wait to the reset would overrun a 3 s budget: no retry (a backoff would fit).
    let policy = RetryPolicy::default().budget(Duration::from_secs(3));
    let error = client_retrying(&limited, policy).get_integration_resources("icfg_1").await.expect_err("429");
    assert_eq!(limited.received_requests().await.unwrap().len(), 1);
    assert_eq!(error.rate_limit_reset(), Some(UNIX_EPOCH + Duration::from_secs(reset)));
    assert_eq!(error.retry_after(), None);
}

#[tokio::test]
async fn vercels_error_body_is_read_for_every_error_status() {
    let body = json!({"error": {"code": "forbidden", "message": "Not authorized for this installation"}});
    // 403 is declared without a schema.
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(403).set_body_json(body.clone())).await;
    let error = client(&server).get_integration_resources("icfg_1").await.expect_err("403");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(error.code(), Some("forbidden"));
    assert_eq!(error.message(), Some("Not authorized for this installation"));

    // 418 is not declared at all.
    let teapot = MockServer::start().await;
    answer(&teapot, ResponseTemplate::new(418).set_body_json(body)).await;
    let error = client(&teapot).get_integration_resources("icfg_1").await.expect_err("418");
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    assert_eq!(error.code(), Some("forbidden"));

    // Anything else has neither.
    let html = MockServer::start().await;
    answer(&html, ResponseTemplate::new(500).set_body_string("<html>oops</html>")).await;
    let error = client(&html).get_integration_resources("icfg_1").await.expect_err("500");
    assert_eq!((error.code(), error.message()), (None, None));
}

#[tokio::test]
async fn debug_of_an_error_shows_the_body_as_text() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(409).set_body_string("conflict: already imported")).await;
    let error = client(&server).get_integration_resources("icfg_1").await.expect_err("409");
    let debug = format!("{error:?}");
    assert!(debug.contains(r#"body: "conflict: already imported""#), "{debug}");
    assert!(!debug.contains("[99, 111"), "{debug}");
}

#[tokio::test]
async fn parameters_take_what_people_write() {
    let server = MockServer::start().await;
    Mock::given(path("/v6/deployments"))
        .and(query_param("limit", "20"))
        .and(query_param("since", "1700000000000"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pagination": {"count": 0, "next": null, "prev": null}, "deployments": []})))
        .mount(&server)
        .await;
    Mock::given(path("/v10/projects"))
        .and(query_param("limit", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"projects": [], "pagination": {"count": 0, "next": null, "prev": null}})))
        .mount(&server)
        .await;
    Mock::given(path("/v1/installations/42/resources"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resources": []})))
        .mount(&server)
        .await;
    let client = client(&server);
    let since: u64 = 1_700_000_000_000;
    // `number` parameters take integers and floats; `string` ones anything `Display`.
    client.get_deployments().limit(20).since(since).await.expect("integers");
    client.get_deployments().limit(20.0).since(since as f64).await.expect("floats");
    client.get_projects().limit(100).await.expect("an integer for a string");
    client.get_projects().limit("100").await.expect("text");
    client.get_projects().limit(String::from("100")).await.expect("a String");
    client.get_integration_resources(42_u32).await.expect("a number in the path");
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[test]
fn operations_and_fields_the_document_deprecates_are_deprecated() {
    let marketplace = std::fs::read_to_string(support::workspace().join("generated/marketplace.rs")).unwrap();
    let deprecated = attributes_of(&marketplace, "pub fn update_resource_secrets(");
    assert!(deprecated.contains("#[deprecated("), "{deprecated}");
    // The description names its replacement: the note names the method.
    assert!(deprecated.contains("use `update_resource_secrets_by_id` instead"), "{deprecated}");
    assert!(!attributes_of(&marketplace, "pub fn import_resource(").contains("#[deprecated"));
    let projects = std::fs::read_to_string(support::workspace().join("generated/projects.rs")).unwrap();
    assert!(attributes_of(&projects, "pub skip_git_connect_during_link:").contains("#[deprecated("));
}

/// The attribute and doc lines right above the first line that starts with `item`
/// (back to the item, or the block, before it).
fn attributes_of(source: &str, item: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|line| line.trim_start().starts_with(item)).expect("the item");
    let above = lines[..at].iter().rev().map(|line| line.trim()).take_while(|line| {
        !(line.starts_with("pub ") || line.ends_with('{') || line.ends_with('}') || line.ends_with(';'))
    });
    above.collect::<Vec<_>>().join("\n")
}

#[tokio::test]
#[allow(deprecated)]
async fn a_deprecated_operation_still_works() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(201)).await;
    client(&server)
        .update_resource_secrets("icfg_1", "product", "r1", UpdateResourceSecretsRequest::new(Vec::new()))
        .await
        .expect("sent");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn sent_requests_can_be_spawned() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200).set_body_json(json!({"resources": []}))).await;
    let client = client(&server);
    let plain = tokio::spawn(client.get_integration_resources("icfg_1").send());
    let with_meta = tokio::spawn(
        client
            .with_token("other")
            .get_integration_resources("icfg_2")
            .options(RequestOptions::new().timeout(Duration::from_secs(5)))
            .send_with_meta(),
    );
    let awaited = tokio::spawn(client.get_integration_resources("icfg_3").into_future());
    plain.await.unwrap().expect("sent");
    assert_eq!(with_meta.await.unwrap().expect("sent").status().as_u16(), 200);
    awaited.await.unwrap().expect("sent");
}
