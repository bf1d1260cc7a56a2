//! Optional request properties the API also takes as `null` are sent in three states:
//! left out, `null`, or a value, as the server receives them.

mod support;

use serde_json::{json, Value};
use support::mock::{answer, client};
use vercel_api::marketplace::{UpdateInstallationNotification, UpdateInstallationRequest};
use vercel_api::projects::UpdateProjectRequest;
use vercel_api::shared::{Notification, NotificationLevel};
use vercel_api::Nullable;
use wiremock::{MockServer, ResponseTemplate};

/// The JSON bodies the server received, in order.
async fn bodies(server: &MockServer) -> Vec<Value> {
    let requests = server.received_requests().await.expect("requests are recorded");
    requests.iter().map(|r| serde_json::from_slice(&r.body).expect("a JSON body")).collect()
}

#[tokio::test]
async fn update_project_sends_build_command_left_out_null_or_set() {
    let server = MockServer::start().await;
    // The answer does not matter here: only what was sent.
    answer(&server, ResponseTemplate::new(500)).await;
    let client = client(&server);
    let requests = [
        UpdateProjectRequest::new().with_name("my-app"),
        UpdateProjectRequest::new().with_name("my-app").clear_build_command(),
        UpdateProjectRequest::new().with_name("my-app").with_build_command("npm run build"),
    ];
    for request in requests {
        let _ = client.update_project("my-app", request).await;
    }
    assert_eq!(
        bodies(&server).await,
        [
            json!({"name": "my-app"}),
            json!({"name": "my-app", "buildCommand": null}),
            json!({"name": "my-app", "buildCommand": "npm run build"}),
        ]
    );
}

#[tokio::test]
async fn update_installation_sends_notification_left_out_null_or_set() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;
    let client = client(&server);
    let notification = Notification::new(NotificationLevel::Info, "Ready");
    let requests = [
        UpdateInstallationRequest::new(),
        UpdateInstallationRequest::new().clear_notification(),
        UpdateInstallationRequest::new()
            .with_notification(UpdateInstallationNotification::WithLevelTitle(notification)),
    ];
    for request in requests {
        client.update_installation("icfg_1").body(request).await.expect("204");
    }
    assert_eq!(
        bodies(&server).await,
        [json!({}), json!({"notification": null}), json!({"notification": {"level": "info", "title": "Ready"}})]
    );
}

#[test]
fn the_three_states_read_back_as_they_were_sent() {
    let read = |body: Value| serde_json::from_value::<UpdateProjectRequest>(body).expect("a request").build_command;
    assert_eq!(read(json!({})), Nullable::Absent);
    assert_eq!(read(json!({"buildCommand": null})), Nullable::Null);
    assert_eq!(read(json!({"buildCommand": "make"})), Nullable::Value("make".to_owned()));
    let request = UpdateProjectRequest::new().with_build_command("make");
    assert_eq!(request.build_command.value().map(String::as_str), Some("make"));
    assert!(UpdateProjectRequest::default().build_command.is_absent());
}
