//! The generated client against a real HTTP server on loopback.

use serde_json::json;
use vercel_api::marketplace::{BillingPlan, ImportResourceRequest, ResourceStatus, Secret};
use vercel_api::projects::{Project, UpdateProjectRequest};
use vercel_api::shared::{BillingPlanType, Notification, NotificationLevel};
mod support;

use support::mock::{client, TOKEN};
use vercel_api::marketplace::ImportResourceError;
use vercel_api::{Client, Error, RequestOptions};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn import_request() -> ImportResourceRequest {
    let plan = BillingPlan::new("plan_1", BillingPlanType::Subscription, "Pro")
        .with_payment_method_required(true)
        .with_cost("$10");
    let notification = Notification::new(NotificationLevel::Warn, "Heads up").with_href("https://example.com/x");
    let secret = Secret::new("DATABASE_URL", "postgres://u:p@h/db");
    ImportResourceRequest::new("prod_1", "my-db", ResourceStatus::Ready)
        .with_billing_plan(plan)
        .with_notification(notification)
        .with_secrets(vec![secret])
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
        .import_resource("icfg_1", resource_id, import_request())
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
        .import_resource("icfg_1", resource_id, import_request())
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
    let sso = vercel_api::authentication::ExchangeSsoTokenRequest::new("code-1", "client-1", "s3cr3t");
    let debug = format!("{sso:?}");
    assert!(debug.contains("client-1") && !debug.contains("s3cr3t"), "{debug}");
}

/// A real answer that leaves out a field the document marks required, deep inside it:
/// with strict decoding, an error naming it (by default it is filled in: `lenient.rs`).
#[tokio::test]
async fn an_answer_without_a_required_field_is_a_strict_decode_error_naming_it() {
    let server = MockServer::start().await;
    let resource = |id: &str| json!({"partnerId": id, "internalId": id, "name": id, "productId": "x"});
    let mut incomplete = resource("r2");
    incomplete.as_object_mut().expect("an object").remove("internalId");
    let answer = json!({"resources": [resource("r1"), incomplete]});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer.clone()))
        .mount(&server)
        .await;
    let strict = RequestOptions::new().strict_decoding(true);
    let error = client(&server)
        .get_integration_resources("icfg_1")
        .options(strict)
        .await
        .expect_err("internalId is required");
    let Error::Decode { path, source, body, .. } = &error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(path, "resources[1].internalId");
    assert!(source.to_string().contains("lacks this field"), "{source}");
    assert!(error.to_string().contains("resources[1].internalId"), "{error}");
    // The whole answer is kept, for whatever the caller still wants from it.
    let kept: serde_json::Value = serde_json::from_slice(body).expect("the body is JSON");
    assert_eq!(kept, answer);
}

#[tokio::test]
async fn a_project_without_a_required_nested_field_names_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accountId": "team_1", "directoryListing": false, "id": "prj_1", "name": "my-app",
            "nodeVersion": "22.x", "resourceConfig": {},
            "defaultResourceConfig": {"functionDefaultRegions": ["iad1"]},
        })))
        .mount(&server)
        .await;
    let answer = client(&server).get_project("my-app").send_with_meta().await.expect("filled in");
    let paths: Vec<&str> = answer.filled().iter().map(|fill| fill.path.as_str()).collect();
    assert_eq!(paths, ["resourceConfig.functionDefaultRegions"]);
    assert!(answer.resource_config.function_default_regions.is_empty());
    let strict = RequestOptions::new().strict_decoding(true);
    let error = client(&server).get_project("my-app").options(strict).await.expect_err("strict");
    let Error::Decode { path, .. } = &error else { panic!("expected a decode error, got {error:?}") };
    assert_eq!(path, "resourceConfig.functionDefaultRegions");
}

/// Request builders own their client: the futures they make borrow nothing and can be
/// spawned.
#[tokio::test]
async fn a_request_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resources": []})))
        .mount(&server)
        .await;
    let client = client(&server);
    let sent = tokio::spawn(client.get_integration_resources("icfg_1").send());
    let awaited = tokio::spawn(std::future::IntoFuture::into_future(client.get_integration_resources("icfg_2")));
    drop(client);
    assert!(sent.await.expect("the task ran").expect("an answer").resources.is_empty());
    assert!(awaited.await.expect("the task ran").expect("an answer").resources.is_empty());
}

/// The `Operation` trait names what a builder answers and which errors it declares.
#[test]
fn a_builder_is_an_operation_naming_its_output_and_errors() {
    use vercel_api::marketplace::{GetIntegrationResourcesBuilder, GetIntegrationResourcesResponse};
    use vercel_api::Operation;
    fn output_of<O: Operation>(_: &O) -> std::any::TypeId
    where
        O::Output: 'static,
    {
        std::any::TypeId::of::<O::Output>()
    }
    let builder: GetIntegrationResourcesBuilder = Client::new("t").get_integration_resources("icfg_1");
    assert_eq!(output_of(&builder), std::any::TypeId::of::<GetIntegrationResourcesResponse>());
    let answer: <GetIntegrationResourcesBuilder as Operation>::Output =
        serde_json::from_value(json!({"resources": []})).expect("an answer built from JSON");
    assert!(answer.resources.is_empty());
}
