//! Answers in odd shapes, over real HTTP on 127.0.0.1 (`failures.rs` has the refusals and the
//! failed servers and networks): answers that are not token responses, secrets a server echoes
//! back (never shown), and successes in unusual shapes that must still be accepted.

mod support;

use std::sync::Arc;
use std::time::Duration;

use support::failing::*;
use support::{SECRET, SECRET_CLIENT_ID};
use token_desk_core::outside::Outside;
use token_desk_core::simulator::Fault;
use token_desk_core::{Failure, FailureKind};

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
