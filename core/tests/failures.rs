//! Every failure kind that comes from the wire, over real HTTP on 127.0.0.1: the simulator
//! answers for real or with an injected fault, and each failure must carry its kind, a
//! one-line plain message and the technical detail that applies.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use support::{assert_plain_message, Sim, SECRET, SECRET_CLIENT_ID};
use token_desk_core::certificate::ClientCertificate;
use token_desk_core::http::HttpOptions;
use token_desk_core::outside::Outside;
use token_desk_core::request::Credential;
use token_desk_core::secret::ClientSecret;
use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::simulator::{ClientAuth, ClientConfig, Fault};
use token_desk_core::{Failure, FailureKind, Outcome};

const SCOPE: &str = "client_paymentrequest";

/// Sends one request for the demo secret client with no retries.
async fn fail_once(sim: &Sim, scopes: &str) -> Failure {
    let engine = support::engine_with_options(support::no_retry_options());
    let req = support::secret_request(&sim.token_url(), scopes);
    engine.token(&req, false).await.expect_err("the request should fail")
}

/// Injects `fault`, sends one request without retries and returns the failure.
async fn fail_with(fault: Fault) -> (Sim, Failure) {
    let sim = support::simulator().await;
    sim.inject([fault]);
    let failure = fail_once(&sim, SCOPE).await;
    (sim, failure)
}

async fn succeed_with(fault: Fault, scopes: &str) -> Outcome {
    let sim = support::simulator().await;
    sim.inject([fault]);
    let req = support::secret_request(&sim.token_url(), scopes);
    support::engine().token(&req, false).await.expect("the answer should be accepted")
}

fn respond(status: u16, content_type: &str, body: &str) -> Fault {
    Fault::Respond { status, headers: vec![("content-type".into(), content_type.into())], body: body.into() }
}

/// What every failure from an HTTP answer shares.
fn assert_answered(failure: &Failure, kind: FailureKind, status: u16) {
    assert_eq!(failure.kind, kind, "{failure:?}");
    assert_plain_message(failure);
    assert_eq!(failure.detail.status, Some(status), "{failure:?}");
    assert_eq!(failure.detail.attempts, 1, "{failure:?}");
    assert!(failure.detail.url.as_deref().is_some_and(|u| u.ends_with("/connect/token")), "{failure:?}");
}

/// An OAuth refusal (RFC 6749 §5.2): HTTP 400 whose `error` code `code` is kept in the detail.
fn assert_refused(failure: &Failure, kind: FailureKind, code: &str) {
    assert_answered(failure, kind, 400);
    assert_eq!(failure.detail.oauth_error.as_ref().map(Outside::for_page), Some(code), "{failure:?}");
}

/// The token endpoint answers 400 with `body`: an OAuth refusal of `kind` with the code `code`.
async fn refusal(body: &str, kind: FailureKind, code: &str) -> Failure {
    let (_sim, failure) = fail_with(Fault::status(400, body)).await;
    assert_refused(&failure, kind, code);
    failure
}

/// What every failure to get any answer shares.
fn assert_unanswered(failure: &Failure, kind: FailureKind) {
    assert_eq!(failure.kind, kind, "{failure:?}");
    assert_plain_message(failure);
    assert_eq!(failure.detail.status, None, "{failure:?}");
    assert!(failure.detail.cause.as_deref().is_some_and(|c| !c.is_empty()), "the cause is kept: {failure:?}");
}

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

// ---- Answers that are not token responses ----

fn assert_unexpected(failure: &Failure, status: u16) {
    assert_answered(failure, FailureKind::UnexpectedResponse, status);
    assert!(failure.message.contains("token URL"), "{}", failure.message);
    assert!(failure.detail.body_excerpt.is_some(), "{failure:?}");
}

#[tokio::test]
async fn an_html_page_with_status_200_is_an_unexpected_response() {
    let page = "<!doctype html><html><body><h1>Welcome to our sign-in portal</h1></body></html>";
    unexpected_answer(200, "text/html", page, "web page").await;
}

#[tokio::test]
async fn invalid_json_is_an_unexpected_response() {
    unexpected_answer(200, "application/json", r#"{"access_token": "abc", "expires_in": "#, "not valid JSON").await;
}

#[tokio::test]
async fn json_without_an_access_token_is_an_unexpected_response() {
    unexpected_answer(200, "application/json", r#"{"token_type":"Bearer","expires_in":3600}"#, "no access_token").await;
}

/// The token endpoint answers `status` with `body` of `content_type`: an unexpected response
/// whose message says `phrase`.
async fn unexpected_answer(status: u16, content_type: &str, body: &str, phrase: &str) -> Failure {
    let (_sim, failure) = fail_with(respond(status, content_type, body)).await;
    assert_unexpected(&failure, status);
    assert!(failure.message.contains(phrase), "expected {phrase:?} in: {}", failure.message);
    failure
}

/// An answer whose `expires_in` is `expires_in`: refused, the lifetime quoted.
async fn absurd_lifetime(expires_in: &str) -> Failure {
    let body = format!(r#"{{"access_token":"opaque-token-value","token_type":"Bearer","expires_in":{expires_in}}}"#);
    let failure = unexpected_answer(200, "application/json", &body, expires_in).await;
    assert!(
        !failure.detail.body_excerpt.as_ref().map(Outside::for_page).unwrap().contains("opaque-token-value"),
        "a token in a rejected answer is not kept: {failure:?}"
    );
    failure
}

#[tokio::test]
async fn a_negative_expires_in_is_an_unexpected_response() {
    absurd_lifetime("-5").await;
}

#[tokio::test]
async fn a_zero_expires_in_is_an_unexpected_response() {
    absurd_lifetime("0").await;
}

#[tokio::test]
async fn an_expires_in_of_a_trillion_seconds_is_an_unexpected_response() {
    absurd_lifetime("1000000000000").await;
}

#[tokio::test]
async fn a_404_is_an_unexpected_response() {
    unexpected_answer(404, "text/plain", "Not Found", "404").await;
}

#[tokio::test]
async fn a_redirect_is_a_redirect_failure_and_is_not_followed() {
    let sim = support::simulator().await;
    let elsewhere = support::simulator().await;
    sim.inject([Fault::Respond {
        status: 302,
        headers: vec![("location".into(), elsewhere.token_url())],
        body: String::new(),
    }]);
    let req = support::secret_request(&sim.token_url(), SCOPE);

    let failure = support::engine().token(&req, false).await.unwrap_err();

    assert_answered(&failure, FailureKind::Redirect, 302);
    assert_eq!(failure.detail.location, Some(Outside::new(elsewhere.token_url())));
    assert!(failure.message.contains(&elsewhere.token_url()), "{}", failure.message);
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(elsewhere.token_requests(), 0, "the redirect was followed");
}

// ---- Secrets never come back out ----

#[tokio::test]
async fn a_body_echoing_the_secret_has_it_removed_everywhere() {
    let sim = support::simulator().await;
    let echo = format!(
        r#"{{"error":"invalid_client","error_description":"client_secret {SECRET} is wrong","echo":"client_id={SECRET_CLIENT_ID}&client_secret={SECRET}"}}"#
    );
    sim.inject([Fault::status(400, &echo)]);

    let failure = fail_once(&sim, SCOPE).await;

    assert_answered(&failure, FailureKind::InvalidClient, 400);
    let excerpt = failure.detail.body_excerpt.as_ref().map(Outside::for_page).unwrap();
    assert!(!excerpt.contains(SECRET), "{excerpt}");
    assert!(excerpt.contains("[redacted]"), "{excerpt}");
    let json = serde_json::to_string(&failure).unwrap();
    assert!(!json.contains(SECRET), "the serialized failure holds the secret: {json}");
    assert!(!format!("{failure:?}").contains(SECRET));
    assert!(!failure.detail_lines(|said| said.for_page().to_owned()).concat().contains(SECRET));
    assert!(!failure.message.contains(SECRET));
}

// ---- Successes in unusual shapes ----

#[tokio::test]
async fn unknown_fields_and_another_field_order_are_accepted() {
    let body = r#"{"scope":"client_paymentrequest","issued_by":"elsewhere","extra":{"nested":[1,2,3]},"token_type":"Bearer","expires_in":3600,"access_token":"opaque.token-value"}"#;
    let outcome = succeed_with(respond(200, "application/json", body), SCOPE).await;

    let token = outcome.token;
    assert_eq!(token.access_token.as_str(), "opaque.token-value");
    assert_eq!(token.token_type, "Bearer");
    assert_eq!(token.expires_in, 3600);
    assert_eq!(token.granted.to_field(), SCOPE);
}

#[tokio::test]
async fn expires_in_as_a_string_is_accepted() {
    let body =
        r#"{"access_token":"opaque-token","token_type":"Bearer","expires_in":"3600","scope":"client_paymentrequest"}"#;
    let token = succeed_with(respond(200, "application/json", body), SCOPE).await.token;

    assert_eq!(token.expires_in, 3600);
    assert!(!token.lifetime_assumed);
    assert_eq!(token.expires_at, token.issued_at + Duration::from_secs(3600));
}

#[tokio::test]
async fn a_missing_scope_means_the_requested_scopes_were_granted() {
    let body = r#"{"access_token":"opaque-token","token_type":"Bearer","expires_in":3600}"#;
    let token = succeed_with(respond(200, "application/json", body), "client_refund client_paymentrequest").await.token;

    assert_eq!(token.granted, token.requested);
    assert_eq!(token.granted.to_field(), "client_refund client_paymentrequest");
    assert!(token.not_granted().is_empty());
}

/// A resolver that knows no names, standing in for a DNS lookup that fails.
struct NoSuchHost;

impl reqwest::dns::Resolve for NoSuchHost {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async { Err("no such host is known".into()) })
    }
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_cannot_connect_failure_that_says_so() {
    let http = token_desk_core::http::Http::with_resolver(support::fast_options(), Arc::new(NoSuchHost));
    let req = support::secret_request("https://secure.stitch.example/connect/token", SCOPE);
    let failure = http.request_token(&req, &token_desk_core::clock::SystemClock).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::CannotConnect);
    assert!(failure.message.contains("could not be found"), "{}", failure.message);
    assert!(failure.message.contains("secure.stitch.example"));
    assert!(failure.detail.cause.as_deref().is_some_and(|c| c.contains("dns error")));
}
