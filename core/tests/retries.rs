//! Retries over real HTTP: bounded, only for connection failures, 5xx and 429, with the
//! server's `Retry-After` honoured; never for OAuth errors or redirects; and a certificate
//! client signs a new assertion for every attempt.

mod support;

use std::collections::BTreeSet;

use base64::Engine as _;
use support::{Sim, CERTIFICATE_CLIENT_ID};
use token_desk_core::outside::Outside;
use token_desk_core::request::{Credential, TokenRequest};
use token_desk_core::simulator::Fault;
use token_desk_core::FailureKind;

const SCOPE: &str = "client_paymentrequest";

fn secret_request(sim: &Sim) -> TokenRequest {
    support::secret_request(&sim.token_url(), SCOPE)
}

fn server_error(status: u16) -> Fault {
    Fault::Respond {
        status,
        headers: vec![("content-type".into(), "text/html".into())],
        body: format!("<html><body><h1>{status}</h1></body></html>"),
    }
}

fn form(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap()
}

fn field(body: &str, name: &str) -> String {
    form(body).into_iter().find(|(k, _)| k == name).map(|(_, v)| v).unwrap_or_else(|| panic!("no {name} in {body}"))
}

#[tokio::test]
async fn a_503_then_a_token_succeeds_on_the_second_attempt() {
    let sim = support::simulator().await;
    sim.inject([server_error(503)]);

    let outcome = support::engine().token(&secret_request(&sim), false).await.expect("the retry gets a token");

    assert!(!outcome.from_cache);
    assert_eq!(outcome.attempts.len(), 2, "{:?}", outcome.attempts);
    assert_eq!(outcome.attempts[0].status, Some(503));
    assert_eq!(outcome.attempts[1].status, Some(200));
    assert_eq!(sim.token_requests(), 2);
}

#[tokio::test]
async fn three_500s_give_a_server_error_after_three_attempts() {
    let sim = support::simulator().await;
    assert_eq!(support::fast_options().retry.max_attempts, 3);
    sim.inject([server_error(500), server_error(500), server_error(500)]);

    let failure = support::engine().token(&secret_request(&sim), false).await.unwrap_err();

    assert_eq!(failure.kind, FailureKind::ServerError, "{failure:?}");
    assert_eq!(failure.detail.status, Some(500));
    assert_eq!(failure.detail.attempts, 3);
    assert_eq!(sim.token_requests(), 3);
}

#[tokio::test]
async fn connection_failures_are_retried_up_to_the_limit() {
    let url = format!("http://127.0.0.1:{}/connect/token", support::dead_port());

    let failure = support::engine().token(&support::secret_request(&url, SCOPE), false).await.unwrap_err();

    assert_eq!(failure.kind, FailureKind::CannotConnect, "{failure:?}");
    assert_eq!(failure.detail.attempts, 3);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_the_wait_recorded() {
    let sim = support::simulator().await;
    sim.inject([Fault::Respond {
        status: 429,
        headers: vec![("retry-after".into(), "1".into())],
        body: "slow down".into(),
    }]);

    let outcome = support::engine().token(&secret_request(&sim), false).await.expect("the retry gets a token");

    assert_eq!(outcome.attempts.len(), 2, "{:?}", outcome.attempts);
    assert_eq!(outcome.attempts[0].status, Some(429));
    assert_eq!(outcome.attempts[0].waited_ms, 0);
    assert_eq!(outcome.attempts[1].waited_ms, 1000, "Retry-After: 1 is waited exactly, not backed off");
    assert_eq!(sim.token_requests(), 2);
}

#[tokio::test]
async fn oauth_errors_are_never_retried() {
    // A real refusal: the wrong secret.
    let sim = support::simulator().await;
    let wrong = support::request(
        &sim.token_url(),
        support::SECRET_CLIENT_ID,
        SCOPE,
        Credential::secret(token_desk_core::secret::ClientSecret::new("wrong-secret")),
    );
    let failure = support::engine().token(&wrong, false).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::InvalidClient, "{failure:?}");
    assert_eq!(failure.detail.attempts, 1);
    assert_eq!(sim.token_requests(), 1);

    // Each OAuth error code, injected: a retry would reach the simulator and get a token.
    for code in [
        "invalid_client",
        "invalid_scope",
        "invalid_grant",
        "unauthorized_client",
        "invalid_request",
        "unsupported_grant_type",
        "access_denied",
    ] {
        let sim = support::simulator().await;
        sim.inject([Fault::status(400, &format!(r#"{{"error":"{code}"}}"#))]);
        let failure = support::engine().token(&secret_request(&sim), false).await.unwrap_err();
        assert_eq!(failure.detail.oauth_error.as_ref().map(Outside::for_page), Some(code), "{failure:?}");
        assert_eq!(failure.detail.attempts, 1, "{code}");
        assert_eq!(sim.token_requests(), 1, "{code} was retried");
    }
}

#[tokio::test]
async fn a_redirect_is_neither_retried_nor_followed() {
    for status in [302, 307] {
        let sim = support::simulator().await;
        let elsewhere = support::simulator().await;
        sim.inject([Fault::Respond {
            status,
            headers: vec![("location".into(), elsewhere.token_url())],
            body: String::new(),
        }]);

        let failure = support::engine().token(&secret_request(&sim), false).await.unwrap_err();

        assert_eq!(failure.kind, FailureKind::Redirect, "{failure:?}");
        assert_eq!(failure.detail.attempts, 1);
        assert_eq!(sim.token_requests(), 1, "{status} was retried");
        assert_eq!(elsewhere.token_requests(), 0, "{status} was followed");
    }
}

#[tokio::test]
async fn each_retry_of_a_certificate_client_signs_a_new_assertion() {
    let sim = support::simulator().await;
    let credential = Credential::certificate_file(&sim.demo().certificate_path).unwrap();
    let Credential::Certificate(cert) = &credential else { unreachable!() };
    let thumbprint = cert.thumbprint().to_owned();
    let req = support::request(&sim.token_url(), CERTIFICATE_CLIENT_ID, SCOPE, credential);
    sim.inject([server_error(503), server_error(503)]);

    let outcome = support::engine().token(&req, false).await.expect("the third attempt gets a token");

    assert_eq!(outcome.attempts.len(), 3, "{:?}", outcome.attempts);
    let recorded = sim.recorded();
    assert_eq!(recorded.len(), 3);
    let mut jtis = BTreeSet::new();
    for r in &recorded {
        let jwt = field(&r.body, "client_assertion");
        let header = jsonwebtoken::decode_header(&jwt).unwrap();
        assert_eq!(header.kid.as_deref(), Some(thumbprint.as_str()));
        let payload = jwt.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(claims["iss"], CERTIFICATE_CLIENT_ID);
        jtis.insert(claims["jti"].as_str().unwrap().to_owned());
    }
    assert_eq!(jtis.len(), 3, "an assertion id was reused: {jtis:?}");
}
