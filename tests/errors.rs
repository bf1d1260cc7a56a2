//! Errors: each operation's declared error responses decode into its own enum, typed
//! where the document gives a schema; anything else the server answers (an undeclared
//! status, HTML, an empty or truncated body) is an error value, never a panic.

mod support;

use serde_json::json;
use support::mock::{answer, client};
use vercel_api::deployments::GetDeploymentsError;
use vercel_api::domains_registrar::{GetSupportedTldsError, HttpApiDecodeError};
use vercel_api::Error;
use wiremock::{MockServer, ResponseTemplate};

/// A server that answers everything with `template`.
async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    answer(&server, template).await;
    server
}

#[tokio::test]
async fn a_declared_error_with_a_schema_decodes_into_its_typed_body() {
    let body = json!({
        "message": "Expected string",
        "issues": [{"path": ["tld"], "message": "Expected string"}]
    });
    let server = server_answering(ResponseTemplate::new(400).set_body_json(&body)).await;
    let error = client(&server)
        .get_supported_tlds()
        .await
        .expect_err("the server answers 400");

    let expected: HttpApiDecodeError = serde_json::from_value(body).unwrap();
    assert_eq!(error.declared(), Some(&GetSupportedTldsError::BadRequest(expected)));
    assert!(matches!(error, Error::Api { operation: "getSupportedTlds", .. }));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    let message = error.to_string();
    assert!(
        message.starts_with(
            "getSupportedTlds: the server answered 400 Bad Request: There was something wrong with the request: {"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn a_declared_error_without_a_schema_is_a_unit_variant_that_keeps_the_body() {
    let server = server_answering(
        ResponseTemplate::new(403).set_body_json(json!({"error": {"code": "forbidden"}})),
    )
    .await;
    let error = client(&server).get_deployments().await.expect_err("403");
    assert_eq!(error.declared(), Some(&GetDeploymentsError::Forbidden));
    assert!(error.body().is_some_and(|b| b.starts_with(b"{\"error\"")));
    assert!(!error.is_rate_limited());
    assert_eq!(error.into_declared(), Some(GetDeploymentsError::Forbidden));
}

#[tokio::test]
async fn an_undeclared_status_is_unexpected() {
    let server = server_answering(ResponseTemplate::new(418).set_body_string("teapot")).await;
    let error = client(&server).get_deployments().await.expect_err("418");
    assert!(error.declared().is_none());
    assert!(matches!(error, Error::UnexpectedStatus { operation: "getDeployments", .. }));
    assert_eq!(error.body(), Some(&b"teapot"[..]));
}

#[tokio::test]
async fn a_declared_status_with_a_body_that_does_not_match_is_unexpected() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let server = server_answering(ResponseTemplate::new(400).set_body_string(html)).await;
    let error = client(&server).get_supported_tlds().await.expect_err("400");
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    assert_eq!(error.body(), Some(html.as_bytes()));
}

#[tokio::test]
async fn empty_html_and_truncated_success_bodies_are_decode_errors() {
    let answers = [
        ResponseTemplate::new(200),
        ResponseTemplate::new(200).set_body_string("<!doctype html><p>maintenance</p>"),
        ResponseTemplate::new(200).set_body_string(r#"{"deployments": [{"uid": "dpl_1", "na"#),
    ];
    for template in answers {
        let server = server_answering(template).await;
        let error = client(&server).get_deployments().await.expect_err("not JSON");
        match &error {
            Error::Decode { operation, status, .. } => {
                assert_eq!(*operation, "getDeployments");
                assert_eq!(status.as_u16(), 200);
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(error.to_string().contains("cannot decode the 200 OK response"), "{error}");
    }
}
