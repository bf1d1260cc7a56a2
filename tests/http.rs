//! The generated client against a real HTTP server on loopback.

use serde_json::json;
use vercel_api::marketplace::{BillingPlan, ImportResourceRequest, ResourceStatus, Secret};
use vercel_api::projects::{Project, UpdateProjectRequest};
use vercel_api::shared::{BillingPlanType, Notification, NotificationLevel};
mod support;

use support::mock::{client, TOKEN};
use vercel_api::marketplace::ImportResourceError;
use vercel_api::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn import_request() -> ImportResourceRequest {
    ImportResourceRequest {
        ownership: None,
        product_id: "prod_1".into(),
        name: "my-db".into(),
        status: ResourceStatus::Ready,
        metadata: None,
        billing_plan: Some(BillingPlan {
            id: "plan_1".into(),
            type_: BillingPlanType::Subscription,
            name: "Pro".into(),
            description: None,
            payment_method_required: Some(true),
            cost: Some("$10".into()),
            details: None,
            highlighted_details: None,
            effective_date: None,
            additional_properties: Default::default(),
        }),
        notification: Some(Notification {
            level: NotificationLevel::Warn,
            title: "Heads up".into(),
            message: None,
            href: Some("https://example.com/x".into()),
        }),
        extras: None,
        secrets: Some(vec![Secret {
            name: "DATABASE_URL".into(),
            value: "postgres://u:p@h/db".into(),
            prefix: None,
            environment_overrides: None,
        }]),
    }
}

#[tokio::test]
async fn import_resource_sends_the_documented_request_and_decodes_answers() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "my-db"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(json!({"error": {"code": "conflict", "message": "exists"}})),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let resource_id = "res/1 2%3";
    let imported = client
        .import_resource("icfg_1", resource_id)
        .body(import_request())
        .await
        .expect("the 200 answer decodes");
    assert_eq!(imported.name, "my-db");

    let requests = server.received_requests().await.expect("requests are recorded");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/v1/installations/icfg_1/resources/res%2F1%202%253");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        request.headers.get("authorization").and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        request.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({
            "productId": "prod_1",
            "name": "my-db",
            "status": "ready",
            "billingPlan": {
                "id": "plan_1", "type": "subscription", "name": "Pro",
                "paymentMethodRequired": true, "cost": "$10"
            },
            "notification": {"level": "warn", "title": "Heads up", "href": "https://example.com/x"},
            "secrets": [{"name": "DATABASE_URL", "value": "postgres://u:p@h/db"}]
        })
    );

    let error = client
        .import_resource("icfg_1", resource_id)
        .body(import_request())
        .send()
        .await
        .expect_err("the 409 answer is an error");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    let body: serde_json::Value = serde_json::from_slice(error.body().expect("a body")).unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    assert!(matches!(error, Error::Api { operation: "import-resource", .. }), "{error:?}");
    assert_eq!(error.declared(), Some(&ImportResourceError::Conflict));
    assert!(error.to_string().contains("409"), "{error}");
    assert!(!error.to_string().contains(TOKEN));
}

#[tokio::test]
async fn a_malformed_success_body_names_the_operation_and_the_serde_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "resources": [{"partnerId": "p", "internalId": "i", "name": "n", "productId": 7}]
        })))
        .mount(&server)
        .await;
    let error = client(&server)
        .get_integration_resources("icfg_1")
        .await
        .expect_err("productId must be a string");
    match &error {
        Error::Decode { operation, path, status, .. } => {
            assert_eq!(*operation, "get-integration-resources");
            assert_eq!(path, "resources[0].productId");
            assert_eq!(status.as_u16(), 200);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(error.to_string().contains("resources[0].productId"), "{error}");
}

#[tokio::test]
async fn unknown_enum_values_and_union_members_still_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "resources": [{
                "partnerId": "p", "internalId": "i", "name": "n", "productId": "x",
                "status": "hibernating", "extraField": true,
                "metadata": {"region": "iad1", "weird": {"nested": 1}}
            }]
        })))
        .mount(&server)
        .await;
    let listing = client(&server)
        .get_integration_resources("icfg_1")
        .await
        .expect("forward-compatible decoding");
    let resource = &listing.resources[0];
    let status = resource.status.as_ref().expect("status");
    assert_eq!(status.as_str(), "hibernating");
    let metadata = resource.metadata.as_ref().expect("metadata");
    assert_eq!(metadata.len(), 2);
}

/// One function serves every answer that is a project.
fn describe(project: &Project) -> String {
    format!("{} ({}) on {:?}", project.name, project.id, project.node_version)
}

#[tokio::test]
async fn get_project_and_update_project_answer_one_project_type() {
    let server = MockServer::start().await;
    let project = json!({
        "accountId": "team_1",
        "directoryListing": false,
        "id": "prj_1",
        "name": "my-app",
        "nodeVersion": "22.x",
        "resourceConfig": {"functionDefaultRegions": ["iad1"]},
        "defaultResourceConfig": {"functionDefaultRegions": ["iad1"]},
        // Only getProject's answer is documented with integrations.
        "integrations": [],
    });
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(project.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(project))
        .mount(&server)
        .await;
    let client = client(&server);
    let fetched: Project = client.get_project("my-app").await.expect("getProject");
    let body: UpdateProjectRequest = serde_json::from_value(json!({"name": "my-app"})).expect("a request");
    let updated: Project = client.update_project("my-app", body).await.expect("updateProject");
    assert_eq!(describe(&fetched), "my-app (prj_1) on V22X");
    assert_eq!(describe(&fetched), describe(&updated));
    assert_eq!(fetched, updated);
}

#[tokio::test]
async fn the_default_client_targets_the_vercel_api() {
    let client = Client::new("t");
    assert_eq!(client.base_url(), "https://api.vercel.com");
    assert!(!format!("{client:?}").contains("\"t\""));
}

#[test]
fn secrets_are_redacted_from_debug_output() {
    let request = import_request();
    let debug = format!("{request:?}");
    assert!(debug.contains("DATABASE_URL"), "{debug}");
    assert!(!debug.contains("postgres://u:p@h/db"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    let sso = vercel_api::authentication::ExchangeSsoTokenRequest {
        code: "code-1".into(),
        state: None,
        client_id: "client-1".into(),
        client_secret: "s3cr3t".into(),
        redirect_uri: None,
        grant_type: None,
    };
    let debug = format!("{sso:?}");
    assert!(debug.contains("client-1") && !debug.contains("s3cr3t"), "{debug}");
}
