//! What the failure tests (`failures.rs`, `odd_answers.rs`) share: one request that fails or
//! succeeds with an injected fault, and what every failure from an answer, a refusal or no
//! answer at all must carry.

use token_desk_core::outside::Outside;
use token_desk_core::simulator::Fault;
use token_desk_core::{Failure, FailureKind, Outcome};

use super::{assert_plain_message, Sim};

pub const SCOPE: &str = "client_paymentrequest";

/// Sends one request for the demo secret client with no retries.
pub async fn fail_once(sim: &Sim, scopes: &str) -> Failure {
    let engine = super::engine_with_options(super::no_retry_options());
    let req = super::secret_request(&sim.token_url(), scopes);
    engine.token(&req, false).await.expect_err("the request should fail")
}

/// Injects `fault`, sends one request without retries and returns the failure.
pub async fn fail_with(fault: Fault) -> (Sim, Failure) {
    let sim = super::simulator().await;
    sim.inject([fault]);
    let failure = fail_once(&sim, SCOPE).await;
    (sim, failure)
}

pub async fn succeed_with(fault: Fault, scopes: &str) -> Outcome {
    let sim = super::simulator().await;
    sim.inject([fault]);
    let req = super::secret_request(&sim.token_url(), scopes);
    super::engine().token(&req, false).await.expect("the answer should be accepted")
}

pub fn respond(status: u16, content_type: &str, body: &str) -> Fault {
    Fault::Respond { status, headers: vec![("content-type".into(), content_type.into())], body: body.into() }
}

/// What every failure from an HTTP answer shares.
pub fn assert_answered(failure: &Failure, kind: FailureKind, status: u16) {
    assert_eq!(failure.kind, kind, "{failure:?}");
    assert_plain_message(failure);
    assert_eq!(failure.detail.status, Some(status), "{failure:?}");
    assert_eq!(failure.detail.attempts, 1, "{failure:?}");
    assert!(failure.detail.url.as_deref().is_some_and(|u| u.ends_with("/connect/token")), "{failure:?}");
}

/// An OAuth refusal (RFC 6749 §5.2): HTTP 400 whose `error` code `code` is kept in the detail.
pub fn assert_refused(failure: &Failure, kind: FailureKind, code: &str) {
    assert_answered(failure, kind, 400);
    assert_eq!(failure.detail.oauth_error.as_ref().map(Outside::for_page), Some(code), "{failure:?}");
}

/// The token endpoint answers 400 with `body`: an OAuth refusal of `kind` with the code `code`.
pub async fn refusal(body: &str, kind: FailureKind, code: &str) -> Failure {
    let (_sim, failure) = fail_with(Fault::status(400, body)).await;
    assert_refused(&failure, kind, code);
    failure
}

/// What every failure to get any answer shares.
pub fn assert_unanswered(failure: &Failure, kind: FailureKind) {
    assert_eq!(failure.kind, kind, "{failure:?}");
    assert_plain_message(failure);
    assert_eq!(failure.detail.status, None, "{failure:?}");
    assert!(failure.detail.cause.as_deref().is_some_and(|c| !c.is_empty()), "the cause is kept: {failure:?}");
}
