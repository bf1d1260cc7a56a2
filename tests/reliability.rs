//! The client against broken servers and careless callers: no request reaches another
//! endpoint, no answer panics or hangs the client, and memory stays bounded. Servers
//! run on loopback; waits run on tokio's paused clock.

mod support;

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use support::mock::{answer, client};
use support::raw::{head, json as json_answer, RawServer, Step};
use tokio::time::Instant;
use vercel_api::{Client, Error, RequestOptions, RetryPolicy};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client of a raw server with the default limits, and the retry policy given.
fn raw_client(server: &RawServer, retry: RetryPolicy) -> Client {
    Client::builder().token("t").base_url(&server.url).retry_policy(retry).build().unwrap()
}

// 1. Path parameters cannot change the path.

/// Asserts that `error` refuses the path parameter `parameter` of `operation`.
fn assert_refused<E: std::fmt::Debug>(error: Error<E>, operation: &str, parameter: &str) {
    match &error {
        Error::Encode { operation: op, what, message } => {
            assert_eq!(*op, operation);
            assert_eq!(what, &format!("path parameter {parameter}"));
            assert!(message.contains("another path"), "{message}");
        }
        other => panic!("not an encoding error: {other:?}"),
    }
}

#[tokio::test]
async fn an_empty_or_dot_path_parameter_is_refused_before_sending() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(200).set_body_json(json!({}))).await;
    let client = client(&server);
    for value in ["", ".", ".."] {
        // One path parameter, at the end of the path.
        let error = client.get_project(value).await.expect_err("refused");
        assert_refused(error, "getProject", "idOrName");
        // One in the middle of the path (`DELETE /v1/env` is another operation's path).
        let ids = vercel_api::shared::DeleteSharedEnvVariableRequest::new(vec!["env_1".to_owned()]);
        let error = client.batch_remove_project_env(value, ids).await.expect_err("refused");
        assert_refused(error, "batchRemoveProjectEnv", "idOrName");
        // Several: the first, then the last.
        let error = client.remove_project_env(value, "env_1").await.expect_err("refused");
        assert_refused(error, "removeProjectEnv", "idOrName");
        let error = client.remove_project_env("prj_1", value).await.expect_err("refused");
        assert_refused(error, "removeProjectEnv", "id");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent");

    // Dots inside a value, or more than two, are an ordinary segment.
    let _ = client.get_project("...").await;
    let _ = client.get_project("my.app").await;
    let paths: Vec<String> = server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/v9/projects/...", "/v9/projects/my.app"]);
}

// 2. No server value makes a wait overflow.

/// Adversarial values of `Retry-After` and `X-RateLimit-Reset`.
const HOSTILE_WAITS: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "9223372036854775807",
    "-1",
    "-18446744073709551615",
    "1.5",
    "0.000001",
    "1e400",
    "NaN",
    "",
    " ",
    "soon",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT garbage",
    "\u{7f}",
    "0",
    "5",
];

#[tokio::test(start_paused = true)]
async fn no_wait_a_server_asks_for_panics_or_leaves_the_retry_budget() {
    let budget = Duration::from_secs(30);
    for (index, value) in HOSTILE_WAITS.iter().enumerate() {
        for (status, header) in [("429 Too Many Requests", "retry-after"), ("503 Service Unavailable", "retry-after"), ("429 Too Many Requests", "x-ratelimit-reset")] {
            let (shown, value, status) = (*value, value.to_string(), status.to_owned());
            let server = RawServer::start(move |n| match n {
                // A first wait of 2 s, so the time spent is not zero when the hostile
                // value comes (`2 s + u64::MAX s` overflowed).
                0 => vec![Step::Write(head("503 Service Unavailable", &[("retry-after", "2"), ("content-length", "0")]))],
                1 => vec![Step::Write(head(&status, &[(header, &value), ("content-length", "0")]))],
                _ => vec![Step::Write(json_answer("200 OK", r#"{"resources": []}"#))],
            })
            .await;
            let client = raw_client(&server, RetryPolicy::default().budget(budget));
            let started = Instant::now();
            let outcome = client.get_integration_resources("icfg_1").await;
            let elapsed = started.elapsed();
            assert!(elapsed <= budget, "{index}: {header}: {shown:?}: waited {elapsed:?}");
            if let Err(error) = outcome {
                // Reading the header again from the error does not panic either.
                let _ = (error.retry_after(), error.rate_limit_reset());
                assert!(error.status().is_some(), "{error:?}");
            }
        }
    }
}

// 3. Default time limits: a stalled or dripping server cannot hold a call for ever.

#[tokio::test(start_paused = true)]
async fn a_server_that_stalls_after_the_head_fails_within_the_read_timeout() {
    let server = RawServer::start(|_| {
        vec![Step::Write(head("200 OK", &[("content-type", "application/json"), ("content-length", "100")])), Step::Write(b"{\"resources\"".to_vec()), Step::Hang]
    })
    .await;
    let started = Instant::now();
    let error = raw_client(&server, RetryPolicy::never()).get_integration_resources("icfg_1").await.expect_err("stalled");
    assert!(matches!(error, Error::TimeLimit { limit: "read timeout", waiting_for: "the body", .. }), "{error:?}");
    assert!(error.is_timeout());
    assert_eq!(started.elapsed().as_secs(), vercel_api::DEFAULT_READ_TIMEOUT.as_secs());
}

#[tokio::test(start_paused = true)]
async fn a_server_that_drips_a_byte_a_second_fails_within_the_timeout() {
    let mut steps = vec![Step::Write(head("200 OK", &[("content-type", "application/json"), ("content-length", "100000")]))];
    for _ in 0..100 {
        steps.extend([Step::Write(b" ".to_vec()), Step::Sleep(Duration::from_secs(1))]);
    }
    let server = RawServer::start(move |_| steps.clone()).await;
    let started = Instant::now();
    let error = raw_client(&server, RetryPolicy::never()).get_integration_resources("icfg_1").await.expect_err("dripping");
    assert!(matches!(error, Error::TimeLimit { limit: "timeout", .. }), "{error:?}");
    assert_eq!(started.elapsed().as_secs(), vercel_api::DEFAULT_TIMEOUT.as_secs());
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_fails_within_the_timeout_and_is_retried() {
    let server = RawServer::start(|n| match n {
        0 => vec![Step::Hang],
        _ => vec![Step::Write(json_answer("200 OK", r#"{"resources": []}"#))],
    })
    .await;
    let retry = RetryPolicy::default().budget(Duration::from_secs(120));
    let started = Instant::now();
    raw_client(&server, retry).get_integration_resources("icfg_1").await.expect("the second attempt answers");
    assert!(started.elapsed() >= vercel_api::DEFAULT_TIMEOUT, "{:?}", started.elapsed());
    assert_eq!(server.requests().len(), 2);

    let silent = RawServer::start(|_| vec![Step::Hang]).await;
    let error = raw_client(&silent, RetryPolicy::never()).get_integration_resources("icfg_1").await.expect_err("silent");
    assert!(matches!(error, Error::TimeLimit { limit: "timeout", waiting_for: "the response head", .. }), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn time_limits_are_set_per_client_and_per_call() {
    let stall = || vec![Step::Write(head("200 OK", &[("content-length", "10")])), Step::Hang];
    let server = RawServer::start(move |_| stall()).await;
    let client = Client::builder().base_url(&server.url).read_timeout(Duration::from_secs(5)).retry_policy(RetryPolicy::never()).build().unwrap();
    let started = Instant::now();
    let error = client.get_integration_resources("icfg_1").await.expect_err("stalled");
    assert!(matches!(error, Error::TimeLimit { limit: "read timeout", .. }), "{error:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(5));

    let started = Instant::now();
    let options = RequestOptions::new().read_timeout(None).timeout(Duration::from_secs(7));
    let error = client.get_integration_resources("icfg_1").options(options).await.expect_err("stalled");
    assert!(matches!(error, Error::TimeLimit { limit: "timeout", after, .. } if after == Duration::from_secs(7)), "{error:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(7));
}

/// One line of the runtime log stream.
fn log_line(message: &str) -> String {
    let item = json!({
        "level": "info", "message": message, "rowId": "r", "source": "delimiter",
        "timestampInMs": 1.0, "domain": "d", "messageTruncated": false,
        "requestMethod": "GET", "requestPath": "/", "responseStatusCode": 200.0
    });
    format!("{item}\n")
}

#[tokio::test(start_paused = true)]
async fn a_quiet_log_stream_is_not_cut_by_the_default_limits() {
    let server = RawServer::start(|_| {
        vec![
            Step::Write(head("200 OK", &[("content-type", "application/stream+json")])),
            Step::Write(log_line("first").into_bytes()),
            // Quiet for longer than the timeout and the read timeout together.
            Step::Sleep(Duration::from_secs(300)),
            Step::Write(log_line("after five quiet minutes").into_bytes()),
        ]
    })
    .await;
    let client = raw_client(&server, RetryPolicy::never());
    let logs = client.get_runtime_logs("prj_1", "dpl_1").await.expect("the stream opens");
    let messages: Vec<String> = logs.map_ok(|item| item.message).try_collect().await.expect("every line decodes");
    assert_eq!(messages, ["first", "after five quiet minutes"]);

    // A read timeout set on the call applies to the stream.
    let logs = client
        .get_runtime_logs("prj_1", "dpl_1")
        .options(RequestOptions::new().read_timeout(Duration::from_secs(10)))
        .await
        .expect("the stream opens");
    let items: Vec<_> = logs.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(&items[1], Err(Error::TimeLimit { limit: "read timeout", .. })), "{items:?}");
}

// 4. Pagination ends on any cursor seen before, and at the page limit.

fn aliases_page(uid: &str, next: Option<u64>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "aliases": [{"alias": format!("{uid}.vercel.app"), "created": "2025-01-01T00:00:00.000Z",
                     "deploymentId": null, "projectId": "prj_1", "uid": uid}],
        "pagination": {"count": 1, "next": next, "prev": null}
    }))
}

/// A listing whose first page points at `cursors[0]`, and whose page for each cursor
/// points at the next one, the last back at `back_to`.
async fn cycling_server(cursors: &[u64], back_to: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v4/aliases"))
        .and(query_param_is_missing("until"))
        .respond_with(aliases_page("first", Some(cursors[0])))
        .mount(&server)
        .await;
    for (index, cursor) in cursors.iter().enumerate() {
        let next = cursors.get(index + 1).copied().unwrap_or(back_to);
        Mock::given(method("GET"))
            .and(query_param("until", cursor.to_string()))
            .respond_with(aliases_page(&format!("at-{cursor}"), Some(next)))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn a_listing_whose_cursors_go_round_ends_with_an_error_naming_the_cursor() {
    for (cursors, back_to) in [(vec![1], 1), (vec![1, 2], 1), (vec![1, 2, 3], 1), (vec![1, 2, 3], 2)] {
        let server = cycling_server(&cursors, back_to).await;
        // Bounded, whatever the client does.
        let items: Vec<_> = client(&server).list_aliases().paginate().take(100).collect().await;
        let pages = cursors.len() + 1;
        assert_eq!(items.len(), pages + 1, "{cursors:?}: {items:?}");
        assert!(items[..pages].iter().all(Result::is_ok));
        match items.last().unwrap() {
            Err(Error::Pagination { operation: "listAliases", reason }) => {
                assert!(reason.contains(&format!("\"{back_to}\"")), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.received_requests().await.unwrap().len(), pages);
    }
}

#[tokio::test]
async fn a_listing_stops_at_the_page_limit() {
    let cursors: Vec<u64> = (1..=50).collect();
    let server = cycling_server(&cursors, 51).await;
    let options = RequestOptions::new().max_pages(3);
    let items: Vec<_> = client(&server).list_aliases().options(options).paginate().take(100).collect().await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(matches!(items.last(), Some(Err(Error::Pagination { reason, .. })) if reason.contains("page limit")));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    let limited = Client::builder().base_url(server.uri()).max_pages(2).build().unwrap();
    let items: Vec<_> = limited.list_aliases().paginate().take(100).collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
}

// 5. and 6. Bounded memory: a body cap, error body prefixes, streamed downloads and lines.

#[tokio::test]
async fn a_body_larger_than_the_limit_is_an_error_not_an_allocation() {
    // Announced by its length: refused before it is read.
    let announced = RawServer::start(|_| {
        vec![Step::Write(head("200 OK", &[("content-type", "application/json"), ("content-length", "1073741824")])), Step::Hang]
    })
    .await;
    let client = Client::builder().base_url(&announced.url).max_body_size(1024 * 1024).build().unwrap();
    let error = client.get_integration_resources("icfg_1").await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge { limit: 1_048_576, .. }), "{error:?}");
    assert!(error.to_string().contains("max_body_size"), "{error}");

    // Chunked, with no length: stopped once past the limit.
    let chunked = RawServer::start(|_| {
        vec![
            Step::Write(head("200 OK", &[("content-type", "application/json"), ("transfer-encoding", "chunked")])),
            Step::Repeat(b"10000\r\n".iter().copied().chain([b' '; 0x10000]).chain(*b"\r\n").collect(), 1_000),
        ]
    })
    .await;
    let client = Client::builder().base_url(&chunked.url).max_body_size(1024 * 1024).build().unwrap();
    let error = client.get_integration_resources("icfg_1").await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn an_error_body_is_kept_to_its_first_64_kib_on_every_attempt() {
    let server = RawServer::start(|_| {
        vec![
            Step::Write(head("503 Service Unavailable", &[("content-length", "268435456"), ("retry-after", "1")])),
            Step::Repeat(vec![b'x'; 64 * 1024], 4 * 1024),
        ]
    })
    .await;
    let error = raw_client(&server, RetryPolicy::default()).get_integration_resources("icfg_1").await.expect_err("503");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.body().map(<[u8]>::len), Some(64 * 1024));
}

#[tokio::test]
async fn a_download_larger_than_the_limit_streams() {
    const CHUNK: usize = 64 * 1024;
    let server = RawServer::start(|_| {
        let length = (CHUNK * 64).to_string();
        vec![
            Step::Write(head("200 OK", &[("content-type", "application/octet-stream"), ("content-length", &length)])),
            Step::Repeat(vec![7u8; CHUNK], 64),
        ]
    })
    .await;
    let client = Client::builder().base_url(&server.url).max_body_size(CHUNK).build().unwrap();
    let error = client.download_artifact("hash").await.expect_err("larger than the limit");
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");

    let mut stream = client.download_artifact("hash").stream().await.expect("the download starts");
    let (mut total, mut largest) = (0, 0);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("every chunk arrives");
        assert!(chunk.iter().all(|b| *b == 7));
        total += chunk.len();
        largest = largest.max(chunk.len());
    }
    assert_eq!(total, CHUNK * 64);
    assert!(largest < total / 2, "the body is not buffered whole: {largest}");
}

#[tokio::test]
async fn json_stream_lines_are_split_in_any_chunking_and_capped_in_length() {
    // Many lines in one write, and one line written a byte at a time.
    let many: String = (0..2_000).map(|i| log_line(&format!("m{i}"))).collect();
    let split = log_line("split");
    let server = RawServer::start(move |_| {
        let mut steps = vec![Step::Write(head("200 OK", &[("content-type", "application/stream+json")])), Step::Write(many.clone().into_bytes())];
        steps.extend(split.bytes().map(|b| Step::Write(vec![b])));
        steps.push(Step::Write(b"\n\n  \n".to_vec()));
        steps
    })
    .await;
    let logs = raw_client(&server, RetryPolicy::never()).get_runtime_logs("p", "d").await.unwrap();
    let messages: Vec<String> = logs.map_ok(|item| item.message).try_collect().await.expect("every line decodes");
    assert_eq!(messages.len(), 2_001);
    assert_eq!(messages[1_999], "m1999");
    assert_eq!(messages[2_000], "split");

    // A line without an end, longer than the limit, ends the stream.
    let endless = RawServer::start(|_| {
        vec![Step::Write(head("200 OK", &[("content-type", "application/stream+json")])), Step::Repeat(vec![b'x'; 64 * 1024], 64)]
    })
    .await;
    let client = Client::builder().base_url(&endless.url).max_body_size(1024 * 1024).build().unwrap();
    let items: Vec<_> = client.get_runtime_logs("p", "d").await.unwrap().take(10).collect().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(matches!(&items[0], Err(Error::BodyTooLarge { limit: 1_048_576, .. })), "{items:?}");
}

// 7. A connection reset before the response head is retried for idempotent requests.

#[tokio::test(start_paused = true)]
async fn a_connection_closed_before_the_head_is_retried_when_idempotent() {
    let server = RawServer::start(|n| match n {
        // Reads the request, then closes without answering.
        0 => vec![],
        _ => vec![Step::Write(json_answer("200 OK", r#"{"resources": []}"#))],
    })
    .await;
    raw_client(&server, RetryPolicy::default()).get_integration_resources("icfg_1").await.expect("retried");
    assert_eq!(server.requests().len(), 2);

    // A POST is not sent twice unless the policy says so.
    let closing = RawServer::start(|_| vec![]).await;
    let body = vercel_api::marketplace::CreateEventRequest::new(vercel_api::marketplace::CreateEventEvent::Unknown(json!({"type": "x"})));
    let error = raw_client(&closing, RetryPolicy::default()).create_event("icfg_1", body).await.expect_err("closed");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(closing.requests().len(), 1);
}

// 9. Redirects stay within the origin.

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let elsewhere = MockServer::start().await;
    answer(&elsewhere, ResponseTemplate::new(200).set_body_json(json!({"name": "x"}))).await;
    let server = MockServer::start().await;
    for status in [302, 307, 308] {
        server.reset().await;
        let location = format!("{}/v1/installations/icfg_1/resources/r1", elsewhere.uri());
        answer(&server, ResponseTemplate::new(status).insert_header("location", location.as_str())).await;
        let error = client(&server)
            .import_resource("icfg_1", "r1", vercel_api::marketplace::ImportResourceRequest::new("p", "n", vercel_api::marketplace::ResourceStatus::Ready))
            .options(RequestOptions::new().header("x-partner-secret", "s3cret"))
            .await
            .expect_err("not followed");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{error:?}");
        assert!(error.headers().is_some_and(|h| h.contains_key("location")));
    }
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "nothing reaches the other origin");

    // Within the origin, a redirect is followed with the call's headers.
    server.reset().await;
    Mock::given(path("/v1/installations/icfg_1/resources"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/v1/installations/icfg_2/resources"))
        .mount(&server)
        .await;
    Mock::given(path("/v1/installations/icfg_2/resources"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resources": []})))
        .mount(&server)
        .await;
    client(&server)
        .get_integration_resources("icfg_1")
        .options(RequestOptions::new().header("x-partner", "p"))
        .await
        .expect("followed");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].headers.get("x-partner").unwrap(), "p");
}

// 10. A token that cannot be a header is refused, without being printed.

#[tokio::test]
async fn a_token_that_cannot_be_a_header_is_refused_without_printing_it() {
    for token in ["tok\nen-secret", "tok\0en-secret", "tok\ren-secret"] {
        let error = Client::builder().token(token).build().expect_err("refused");
        assert!(matches!(error, Error::InvalidConfig { what: "the token", .. }), "{error:?}");
        assert!(!error.to_string().contains("secret") && !format!("{error:?}").contains("secret"), "{error}");

        let server = MockServer::start().await;
        answer(&server, ResponseTemplate::new(200).set_body_json(json!({"resources": []}))).await;
        // Neither `new` nor `with_token` can fail: their requests are refused instead.
        let unchecked = Client::builder().base_url(server.uri()).build().unwrap().with_token(token);
        let error = unchecked.get_integration_resources("icfg_1").await.expect_err("refused");
        assert!(matches!(error, Error::InvalidConfig { what: "the token", .. }), "{error:?}");
        assert!(!error.to_string().contains("secret"), "{error}");
        let _ = Client::new(token);
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}
