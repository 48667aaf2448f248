//! Every failure kind that comes from the wire, over real HTTP on 127.0.0.1: the simulator
//! answers for real or with an injected fault, and each failure must carry its kind, a
//! one-line plain message and the technical detail that applies. Answers that are not token
//! responses, secrets echoed back and successes in odd shapes are in `odd_answers.rs`.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use support::failing::*;
use support::SECRET_CLIENT_ID;
use token_desk_core::certificate::ClientCertificate;
use token_desk_core::http::HttpOptions;
use token_desk_core::outside::Outside;
use token_desk_core::request::Credential;
use token_desk_core::secret::ClientSecret;
use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::simulator::{ClientAuth, ClientConfig, Fault};
use token_desk_core::FailureKind;

// ---- Rejections: the server said no ----

#[tokio::test]
async fn a_wrong_secret_is_an_invalid_client_failure() {
    let sim = support::simulator().await;
    let req = support::request(
        &sim.token_url(),
        SECRET_CLIENT_ID,
        SCOPE,
        Credential::secret(ClientSecret::new("not-the-secret")),
    );
    let failure = support::engine().token(&req, false).await.unwrap_err();

    assert_refused(&failure, FailureKind::InvalidClient, "invalid_client");
    assert!(failure.message.contains("secret"), "{}", failure.message);
    assert!(failure.detail.body_excerpt.as_ref().map(Outside::for_page).is_some_and(|b| b.contains("invalid_client")));
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn an_expired_certificate_that_the_server_rejects_is_said_to_have_expired() {
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let client_id = "test-expired-certificate-client";
    let der = demo::self_signed_der(support::key(), client_id, now - 400 * day, now - 2 * day);
    let pem = demo::stitch_shaped_pem(support::key(), &der, client_id, KeyForm::Pkcs8, false);
    let cert = ClientCertificate::from_pem(pem.as_bytes()).unwrap();
    let sim = support::simulator_with(|c| {
        c.clients.push(ClientConfig {
            client_id: client_id.into(),
            auth: ClientAuth::certificate(&cert),
            allowed_scopes: demo::allowed_scopes(),
            withheld_scopes: Vec::new(),
        })
    })
    .await;
    // Like Stitch, the simulator refuses an expired certificate with `invalid_client`.
    let req = support::request(&sim.token_url(), client_id, SCOPE, Credential::Certificate(Arc::new(cert)));

    let failure = support::engine().token(&req, false).await.unwrap_err();

    assert_refused(&failure, FailureKind::InvalidClient, "invalid_client");
    assert!(failure.message.contains("certificate expired"), "{}", failure.message);
    let sent = &sim.recorded()[0].body;
    assert!(sent.contains("client_assertion="), "an assertion was sent: {sent}");
}

#[tokio::test]
async fn a_scope_the_client_may_not_have_is_a_scope_not_allowed_failure() {
    let sim = support::simulator().await;
    let failure = fail_once(&sim, demo::REFUSED_SCOPE).await;

    assert_refused(&failure, FailureKind::ScopeNotAllowed, "invalid_scope");
    assert!(failure.message.contains(demo::REFUSED_SCOPE), "{}", failure.message);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn a_scope_named_by_the_server_is_named_in_the_failure() {
    let sim = support::simulator().await;
    sim.inject([Fault::status(
        400,
        r#"{"error":"invalid_scope","error_description":"The client is not allowed to request client_refund."}"#,
    )]);
    let failure = fail_once(&sim, "client_paymentrequest client_refund").await;

    assert_refused(&failure, FailureKind::ScopeNotAllowed, "invalid_scope");
    assert_eq!(
        failure.detail.oauth_error_description.as_ref().map(Outside::for_page),
        Some("The client is not allowed to request client_refund.")
    );
    assert_eq!(failure.detail.scopes, vec!["client_refund".to_owned()]);
    assert!(failure.message.contains("client_refund"), "{}", failure.message);
    assert!(!failure.message.contains("client_paymentrequest"), "only the refused scope is named: {}", failure.message);
}

#[tokio::test]
async fn a_scope_named_only_in_the_replys_scope_member_is_named_in_the_failure() {
    let sim = support::simulator().await;
    sim.inject([Fault::status(400, r#"{"error":"invalid_scope","scope":"client_disbursement"}"#)]);
    let failure = fail_once(&sim, "client_paymentrequest client_disbursement client_refund").await;

    assert_refused(&failure, FailureKind::ScopeNotAllowed, "invalid_scope");
    assert_eq!(failure.detail.scopes, vec!["client_disbursement".to_owned()]);
    assert!(failure.message.starts_with("client_disbursement is not enabled"), "{}", failure.message);
    assert!(!failure.message.contains("without saying which"), "{}", failure.message);
}

#[tokio::test]
async fn unauthorized_client_is_an_unauthorized_client_failure() {
    let failure =
        refusal(r#"{"error":"unauthorized_client"}"#, FailureKind::UnauthorizedClient, "unauthorized_client").await;
    assert!(failure.message.contains("Ask Stitch"), "{}", failure.message);
}

#[tokio::test]
async fn invalid_request_is_a_malformed_request_failure() {
    let failure = refusal(
        r#"{"error":"invalid_request","error_description":"grant_type is missing"}"#,
        FailureKind::MalformedRequest,
        "invalid_request",
    )
    .await;
    assert_eq!(failure.detail.oauth_error_description.as_ref().map(Outside::for_page), Some("grant_type is missing"));
    assert!(failure.message.contains("report"), "{}", failure.message);
}

#[tokio::test]
async fn unsupported_grant_type_is_a_malformed_request_failure() {
    refusal(r#"{"error":"unsupported_grant_type"}"#, FailureKind::MalformedRequest, "unsupported_grant_type").await;
}

#[tokio::test]
async fn an_unknown_oauth_error_code_is_a_refused_failure_that_names_the_code() {
    let failure = refusal(r#"{"error":"client_suspended"}"#, FailureKind::Refused, "client_suspended").await;
    assert!(failure.message.contains("client_suspended"), "{}", failure.message);
}

// ---- The server or the network failed ----

#[tokio::test]
async fn a_proxys_html_error_page_is_a_server_error_without_html_in_the_message() {
    let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n\
                <body><h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>";
    let (sim, failure) = fail_with(respond(502, "text/html; charset=utf-8", page)).await;

    assert_answered(&failure, FailureKind::ServerError, 502);
    assert!(!failure.message.to_ascii_lowercase().contains("bad gateway"), "{}", failure.message);
    assert!(failure.message.contains("error page"), "{}", failure.message);
    assert!(
        failure.detail.body_excerpt.as_ref().map(Outside::for_page).is_some_and(|b| b.contains("Bad Gateway")),
        "{failure:?}"
    );
    assert_eq!(failure.detail.oauth_error, None);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_a_rate_limited_failure_after_one_request() {
    let sim = support::simulator().await;
    let max = support::fast_options().retry.max_retry_after.as_secs();
    let wait = max + 28;
    sim.inject([Fault::Respond {
        status: 429,
        headers: vec![("retry-after".into(), wait.to_string()), ("content-type".into(), "text/plain".into())],
        body: "Too Many Requests".into(),
    }]);
    let req = support::secret_request(&sim.token_url(), SCOPE);

    let failure = support::engine().token(&req, false).await.unwrap_err();

    assert_answered(&failure, FailureKind::RateLimited, 429);
    assert_eq!(failure.detail.retry_after_seconds, Some(wait));
    assert!(failure.message.contains(&format!("{wait} seconds")), "{}", failure.message);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn a_server_that_does_not_answer_in_time_is_a_timeout() {
    let sim = support::simulator().await;
    sim.inject([Fault::Stall(Duration::from_secs(10))]);
    let engine = support::engine_with_options(HttpOptions {
        request_timeout: Duration::from_millis(300),
        ..support::no_retry_options()
    });
    let req = support::secret_request(&sim.token_url(), SCOPE);

    let failure = engine.token(&req, false).await.unwrap_err();

    assert_unanswered(&failure, FailureKind::Timeout);
    assert_eq!(failure.detail.attempts, 1);
    assert!(failure.message.contains("in time"), "{}", failure.message);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn a_port_with_nothing_listening_is_a_cannot_connect_failure() {
    let url = format!("http://127.0.0.1:{}/connect/token", support::dead_port());
    let engine = support::engine_with_options(support::no_retry_options());
    let req = support::secret_request(&url, SCOPE);

    let failure = engine.token(&req, false).await.unwrap_err();

    assert_unanswered(&failure, FailureKind::CannotConnect);
    assert_eq!(failure.detail.attempts, 1);
    assert!(failure.message.contains("127.0.0.1"), "{}", failure.message);
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_failure() {
    let sim = support::simulator().await;
    let url = format!("https://{}/connect/token", sim.addr());
    let engine = support::engine_with_options(support::no_retry_options());
    let req = support::secret_request(&url, SCOPE);

    let failure = engine.token(&req, false).await.unwrap_err();

    assert_unanswered(&failure, FailureKind::Tls);
    assert!(failure.message.contains("secure connection"), "{}", failure.message);
    assert_eq!(sim.token_requests(), 0, "no token request got through");
}
