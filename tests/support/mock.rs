//! A client pointed at a loopback mock server.

use vercel_api::{Client, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The token every test client sends.
pub const TOKEN: &str = "t0ken-for-tests";

/// A client of `server` that never retries.
pub fn client(server: &MockServer) -> Client {
    client_retrying(server, RetryPolicy::never())
}

/// A client of `server` with a retry policy, and no time limits: the tests run on
/// tokio's paused clock, which jumps to the next timer whenever the runtime waits for
/// the network, so a pending timeout would fire at once.
pub fn client_retrying(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .timeout(None)
        .read_timeout(None)
        .retry_policy(policy)
        .build()
        .expect("client builds")
}

/// Answers every request, whatever its method and path, with `template`.
pub async fn answer(server: &MockServer, template: ResponseTemplate) {
    for verb in ["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD"] {
        Mock::given(method(verb))
            .respond_with(template.clone())
            .mount(server)
            .await;
    }
}
