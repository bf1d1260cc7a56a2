//! Opt-in pacing to each token's rate limit: a token whose window is exhausted waits
//! for it to reset, and other tokens on the same client do not.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;
use tokio::time::Instant;
use vercel_api::{Client, RequestOptions, RetryPolicy};
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A server whose answers to `token` report `remaining` requests left, the window
/// resetting `reset_in` seconds from now.
async fn quota(server: &MockServer, token: &str, remaining: u64, reset_in: u64) {
    let answer = ResponseTemplate::new(200)
        .set_body_json(json!({"resources": []}))
        .insert_header("x-ratelimit-limit", "100")
        .insert_header("x-ratelimit-remaining", remaining.to_string().as_str())
        .insert_header("x-ratelimit-reset", (unix_now() + reset_in).to_string().as_str());
    Mock::given(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// An HTTP client without timers: on the paused clock, any pending timer (the
/// connection pool's idle timer, say) is where the clock jumps while the runtime waits
/// for the server, and the jump would count as time the call took.
fn no_timers() -> vercel_api::reqwest::Client {
    vercel_api::reqwest::Client::builder().pool_idle_timeout(None).build().unwrap()
}

/// A pacing client of `server` (no time limits: the clock is paused).
fn pacing_client(server: &MockServer, budget: Duration) -> Client {
    Client::builder()
        .base_url(server.uri())
        .http_client(no_timers())
        .timeout(None)
        .read_timeout(None)
        .retry_policy(RetryPolicy::default().budget(budget))
        .pace_rate_limits(true)
        .build()
        .unwrap()
}

/// How long a call of `client` takes on the paused clock.
async fn timed(client: &Client, options: RequestOptions) -> Duration {
    let started = Instant::now();
    client.get_integration_resources("icfg_1").options(options).await.expect("answered");
    started.elapsed()
}

#[tokio::test(start_paused = true)]
async fn an_exhausted_token_waits_for_its_window_and_another_token_does_not() {
    let server = MockServer::start().await;
    quota(&server, "exhausted", 0, 6).await;
    quota(&server, "plenty", 50, 6).await;
    let client = pacing_client(&server, Duration::from_secs(30));
    let exhausted = client.with_token("exhausted");
    let plenty = client.with_token("plenty");

    // The first answers tell the quotas; nothing is known before, so nothing waits.
    assert_eq!(timed(&exhausted, RequestOptions::new()).await, Duration::ZERO);
    assert_eq!(timed(&plenty, RequestOptions::new()).await, Duration::ZERO);
    // The exhausted token waits until its window resets; the other one does not.
    let waited = timed(&exhausted, RequestOptions::new()).await;
    assert!(waited >= Duration::from_secs(4) && waited <= Duration::from_secs(6), "{waited:?}");
    assert_eq!(timed(&plenty, RequestOptions::new()).await, Duration::ZERO);
    // A call can turn pacing off.
    assert_eq!(timed(&exhausted, RequestOptions::new().pace_rate_limits(false)).await, Duration::ZERO);
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test(start_paused = true)]
async fn pacing_waits_only_within_the_retry_budget_and_only_when_asked() {
    let server = MockServer::start().await;
    quota(&server, "exhausted", 0, 60).await;
    // The window resets past the 30 s budget: the request is sent at once.
    let client = pacing_client(&server, Duration::from_secs(30)).with_token("exhausted");
    assert_eq!(timed(&client, RequestOptions::new()).await, Duration::ZERO);
    assert_eq!(timed(&client, RequestOptions::new()).await, Duration::ZERO);

    // Without pacing (the default), nothing waits; a call can ask for it.
    let unpaced = Client::builder()
        .base_url(server.uri())
        .http_client(no_timers())
        .timeout(None)
        .read_timeout(None)
        .build()
        .unwrap()
        .with_token("exhausted");
    let long_budget = RetryPolicy::default().budget(Duration::from_secs(120));
    let pace = || RequestOptions::new().pace_rate_limits(true).retry_policy(long_budget.clone());
    assert_eq!(timed(&unpaced, RequestOptions::new()).await, Duration::ZERO);
    assert_eq!(timed(&unpaced, pace()).await, Duration::ZERO, "the first paced call learns the quota");
    assert!(timed(&unpaced, pace()).await >= Duration::from_secs(58));
}
