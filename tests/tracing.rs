//! Each request runs in a `vercel.request` span naming the operation, the method, the
//! path template, the attempt and the status, and nothing secret.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use support::mock::{answer, client, TOKEN};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;
use wiremock::{MockServer, ResponseTemplate};

/// A span's name and its fields.
type SpanRecord = (String, BTreeMap<String, String>);

/// Every span opened, with its fields.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<SpanRecord>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        fields.insert("#id".to_owned(), id.into_u64().to_string());
        self.0.lock().unwrap().push((attrs.metadata().name().to_owned(), fields));
    }

    /// The client's own events are kept as records named `#event`.
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if !event.metadata().target().starts_with("vercel_api") {
            return;
        }
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(("#event".to_owned(), fields));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.0.lock().unwrap();
        let key = id.into_u64().to_string();
        if let Some((_, fields)) = spans.iter_mut().rev().find(|(_, f)| f.get("#id") == Some(&key)) {
            values.record(&mut Fields(fields));
        }
    }
}

#[tokio::test]
async fn a_request_span_names_the_operation_and_never_the_token_or_the_filled_path() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(404)).await;
    let error = client(&server)
        .get_integration_resource("icfg_secret_id", "res_secret_id")
        .await
        .expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    let spans = spans.0.lock().unwrap();
    let requests: Vec<&BTreeMap<String, String>> = spans
        .iter()
        .filter(|(name, _)| name == "vercel.request")
        .map(|(_, fields)| fields)
        .collect();
    assert_eq!(requests.len(), 1, "{spans:?}");
    let fields = requests[0];
    assert_eq!(fields["operation"], "get-integration-resource");
    assert_eq!(fields["method"], "GET");
    assert_eq!(
        fields["path"],
        "/v1/installations/{integrationConfigurationId}/resources/{resourceId}"
    );
    assert_eq!(fields["attempt"], "1");
    assert_eq!(fields["status"], "404");
    let everything = format!("{spans:?}");
    assert!(!everything.contains(TOKEN), "{everything}");
    assert!(!everything.contains("secret_id"), "{everything}");
}

#[tokio::test(start_paused = true)]
async fn retry_events_name_neither_the_filled_path_nor_the_body() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    // A 5xx with a body, then a connection closed before the head: both retried.
    let server = support::raw::RawServer::start(|n| match n {
        0 => vec![support::raw::Step::Write(support::raw::json("503 Service Unavailable", r#"{"secret_body": 1}"#))],
        1 => vec![],
        _ => vec![support::raw::Step::Write(support::raw::json("200 OK", r#"{"resources": []}"#))],
    })
    .await;
    let client = vercel_api::Client::builder()
        .token(TOKEN)
        .base_url(&server.url)
        .retry_policy(vercel_api::RetryPolicy::default().max_attempts(3))
        .build()
        .unwrap();
    client.get_integration_resources("icfg_secret_id").await.expect("the third attempt answers");

    let spans = spans.0.lock().unwrap();
    let events: Vec<&BTreeMap<String, String>> =
        spans.iter().filter(|(name, _)| name == "#event").map(|(_, fields)| fields).collect();
    assert_eq!(events.len(), 2, "{spans:?}");
    assert_eq!(events[0]["reason"], "status 503");
    assert!(events[1]["reason"].starts_with("transport error"), "{events:?}");
    let everything = format!("{spans:?}");
    for secret in ["secret_id", "secret_body", "127.0.0.1", TOKEN] {
        assert!(!everything.contains(secret), "{secret}: {everything}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_for_the_rate_limit_is_a_debug_event() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let reset = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 5;
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"resources": []}))
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", reset.to_string().as_str()),
    )
    .await;
    let client = vercel_api::Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .timeout(None)
        .read_timeout(None)
        .pace_rate_limits(true)
        .build()
        .unwrap();
    client.get_integration_resources("icfg_1").await.unwrap();
    client.get_integration_resources("icfg_1").await.unwrap();

    let spans = spans.0.lock().unwrap();
    let events: Vec<&BTreeMap<String, String>> =
        spans.iter().filter(|(name, _)| name == "#event").map(|(_, fields)| fields).collect();
    assert_eq!(events.len(), 1, "{spans:?}");
    assert_eq!(events[0]["message"], "waiting for the rate limit window to reset");
    assert!(events[0].contains_key("wait"), "{events:?}");
}
