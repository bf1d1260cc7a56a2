//! The hand-written runtime, through the public API of the generated client: query
//! encoding, JSON streams, binary bodies and error messages.

use serde_json::json;
use std::time::Duration;

mod support;

use support::mock::{answer, client, client_retrying, TOKEN};
use vercel_api::{Client, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn query_parameters_repeat_arrays_and_write_whole_numbers_without_fraction() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(500)).await;
    let error = client(&server)
        .get_deployments()
        .limit(20.0)
        .since(1_700_000_000_123.0)
        .project_ids(vec!["prj a".into(), "prj&b".into()])
        .team_id("team_1")
        .await
        .expect_err("the server answers 500");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    let requests = server.received_requests().await.unwrap();
    let pairs: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    let expected = [
        ("limit", "20"),
        ("projectIds", "prj a"),
        ("projectIds", "prj&b"),
        ("since", "1700000000123"),
        ("teamId", "team_1"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(pairs, expected);
}

#[tokio::test]
async fn json_streams_yield_each_line_as_it_is_decoded() {
    let server = MockServer::start().await;
    let line = |n: u32| {
        json!({
            "level": "info", "message": format!("line {n}"), "rowId": n.to_string(),
            "source": "serverless", "timestampInMs": 1_700_000_000_000u64 + u64::from(n),
            "domain": "example.vercel.app", "messageTruncated": false,
            "requestMethod": "GET", "requestPath": "/", "responseStatusCode": 200
        })
        .to_string()
    };
    let body = format!("{}\n\n{}\n{}", line(1), line(2), line(3));
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/stream+json"),
    )
    .await;
    let stream = client(&server)
        .get_runtime_logs("prj_1", "dpl_1")
        .await
        .expect("the stream opens");
    use futures_util::StreamExt;
    let items: Vec<_> = stream.collect().await;
    let messages: Vec<String> = items
        .into_iter()
        .map(|item| item.expect("each line decodes").message)
        .collect();
    assert_eq!(messages, ["line 1", "line 2", "line 3"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("accept").and_then(|v| v.to_str().ok()),
        Some("application/stream+json")
    );
}

#[tokio::test]
async fn a_bad_line_in_a_stream_is_a_decode_error_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw("{\"level\": 3}\n", "application/stream+json"),
    )
    .await;
    use futures_util::StreamExt;
    let mut stream = client(&server)
        .get_runtime_logs("prj_1", "dpl_1")
        .await
        .expect("the stream opens");
    let first = stream.next().await.expect("one item");
    assert!(matches!(first, Err(Error::Decode { operation: "getRuntimeLogs", .. })), "{first:?}");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn binary_bodies_go_up_and_come_down_as_bytes() {
    let server = MockServer::start().await;
    let artifact: Vec<u8> = (0..=255u8).collect();
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(artifact.clone(), "application/octet-stream"),
    )
    .await;
    let client = client(&server);
    let downloaded = client.download_artifact("abc123").await.expect("bytes come back");
    assert_eq!(downloaded, artifact);

    let _ = client.upload_artifact("abc123", artifact.clone()).await;
    let requests = server.received_requests().await.unwrap();
    let upload = &requests[1];
    assert_eq!(upload.method.as_str(), "PUT");
    assert_eq!(upload.body, artifact);
    assert_eq!(
        upload.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/octet-stream")
    );
    assert_eq!(
        upload.headers.get("content-length").and_then(|v| v.to_str().ok()),
        Some("256")
    );
}

#[tokio::test]
async fn errors_quote_the_start_of_the_body_and_never_the_token() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(502).set_body_string("x".repeat(5000))).await;
    let error = client(&server).get_deployments().await.expect_err("502");
    let message = error.to_string();
    assert!(message.starts_with("getDeployments: the server answered 502 Bad Gateway: xxx"), "{message}");
    assert!(message.ends_with('…') && message.len() < 500, "{message}");
    assert!(!message.contains(TOKEN) && !format!("{error:?}").contains(TOKEN));
    assert_eq!(error.body().map(<[u8]>::len), Some(5000));

    let empty = MockServer::start().await;
    answer(&empty, ResponseTemplate::new(404)).await;
    let error = client(&empty).get_deployments().await.expect_err("404");
    assert!(error.to_string().ends_with(": (empty body)"), "{error}");
}

#[test]
fn path_segments_are_percent_encoded_as_unreserved_only() {
    // Checked end to end in tests/http.rs; here the characters outside ASCII.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let server = MockServer::start().await;
        answer(&server, ResponseTemplate::new(404)).await;
        let _ = client(&server).get_integration_resource("é~._-", "a+b").await;
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[0].url.path(), "/v1/installations/%C3%A9~._-/resources/a%2Bb");
    });
}

#[tokio::test]
async fn the_client_team_is_sent_unless_a_call_names_its_own() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(404)).await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .team_id("team_default")
        .team_slug("acme")
        .build()
        .unwrap();
    let _ = client.get_deployments().await;
    let _ = client.get_deployments().team_id("team_other").await;
    // An operation without team parameters sends none.
    let _ = client.get_integration_resources("icfg_1").await;
    let requests = server.received_requests().await.unwrap();
    let query = |i: usize| requests[i].url.query().unwrap_or_default().to_owned();
    assert_eq!(query(0), "teamId=team_default&slug=acme");
    assert_eq!(query(1), "teamId=team_other&slug=acme");
    assert_eq!(query(2), "");
    assert!(format!("{client:?}").contains("team_default"));
}

#[test]
fn from_env_reads_the_token_or_names_the_missing_variable() {
    std::env::remove_var("VERCEL_TOKEN");
    let error = Client::from_env().expect_err("no token set");
    assert_eq!(error.to_string(), "no Vercel token: set the VERCEL_TOKEN environment variable");
    std::env::set_var("VERCEL_TOKEN", "from-env");
    let client = Client::from_env().expect("a token is set");
    assert_eq!(client.base_url(), "https://api.vercel.com");
    assert!(!format!("{client:?}").contains("from-env"));
    std::env::remove_var("VERCEL_TOKEN");
}

#[tokio::test(start_paused = true)]
async fn a_429_is_retried_after_the_wait_the_server_asks_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resources": []})))
        .mount(&server)
        .await;
    let started = tokio::time::Instant::now();
    let listing = client_retrying(&server, RetryPolicy::default())
        .get_integration_resources("icfg_1")
        .await
        .expect("the retry succeeds");
    assert!(listing.resources.is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(started.elapsed() >= Duration::from_secs(7), "{:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_lasting_503_stops_at_the_attempt_limit_or_the_time_budget() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(100))
        .budget(Duration::from_secs(60));
    let error = client_retrying(&server, policy)
        .get_integration_resources("icfg_1")
        .await
        .expect_err("every attempt fails");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 4);

    let slow = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "8"))
        .mount(&slow)
        .await;
    let policy = RetryPolicy::default().max_attempts(10).budget(Duration::from_secs(20));
    let error = client_retrying(&slow, policy)
        .get_integration_resources("icfg_1")
        .await
        .expect_err("the budget runs out");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(8)));
    // Sends at 0 s, 8 s and 16 s; a wait to 24 s would overrun the 20 s budget.
    assert_eq!(slow.received_requests().await.unwrap().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn post_is_retried_only_when_the_caller_asks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let body = vercel_api::marketplace::CreateEventRequest::new(vercel_api::marketplace::CreateEventEvent::Unknown(
        json!({"type": "x"}),
    ));
    let error = client_retrying(&server, RetryPolicy::default())
        .create_event("icfg_1", body.clone())
        .await
        .expect_err("429");
    assert!(error.is_rate_limited());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let policy = RetryPolicy::default().retry_non_idempotent(true);
    let _ = client_retrying(&server, policy).create_event("icfg_1", body).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 1 + 3);
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.get_integration_resources("icfg_1").await.expect_err("too slow");
    assert!(matches!(error, Error::TimeLimit { operation: "get-integration-resources", .. }), "{error:?}");
    assert!(error.is_timeout());
}
