//! Testing a token against the API: every verdict, the one-click fix for missing scopes, and
//! the inspector's record, against the simulator over real HTTP.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use support::*;
use token_desk_core::check::{check, CheckReport, Verdict};
use token_desk_core::clock::FixedClock;
use token_desk_core::request::Credential;
use token_desk_core::scope::Scopes;
use token_desk_core::simulator::Fault;
use token_desk_core::token::AccessToken;
use token_desk_core::{FailureKind, Token};

async fn token(sim: &Sim, engine: &token_desk_core::Engine, scopes: &str) -> Token {
    engine.token(&secret_request(&sim.token_url(), scopes), false).await.unwrap().token
}

fn none() -> Scopes {
    Scopes::default()
}

/// A simulator, and the check of a token for `scopes` against its API (the granted scopes,
/// none more).
async fn check_token_for(scopes: &str) -> (Sim, CheckReport) {
    let sim = simulator().await;
    let engine = engine();
    let t = token(&sim, &engine, scopes).await;
    let report = check(engine.http(), &sim.api_url(), &t.access_token, &t.granted, &none()).await.unwrap();
    (sim, report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_with_the_payment_scope_works_for_it() {
    let (sim, report) = check_token_for("client_paymentrequest").await;
    assert!(report.accepted);
    assert!(report.all_good(), "{report:?}");
    assert_eq!(report.client.as_ref().unwrap()["clientId"], SECRET_CLIENT_ID);
    assert_eq!(report.scopes.len(), 1);
    assert_eq!(report.scopes[0].verdict, Verdict::Works);
    assert!(report.summary.starts_with("The token works"));
    assert_eq!(sim.api_requests(), 2, "the client query and the payment-request read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_granted_scope_without_a_safe_read_cannot_be_checked_safely() {
    let (sim, report) = check_token_for("client_refund client_bankaccountverification").await;
    assert!(report.all_good());
    assert!(report.scopes.iter().all(|s| s.verdict == Verdict::CannotCheckSafely));
    assert_eq!(sim.api_requests(), 1, "no call that would change data or cost money");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_scope_is_named_by_the_api_and_fixed_in_one_step() {
    let sim = simulator().await;
    let engine = engine();
    let req = secret_request(&sim.token_url(), "client_refund");
    let t = engine.token(&req, false).await.unwrap().token;
    let asked = Scopes::parse(["client_paymentrequest"]);
    let report = check(engine.http(), &sim.api_url(), &t.access_token, &t.granted, &asked).await.unwrap();
    assert!(report.accepted);
    assert_eq!(report.missing_scopes, ["client_paymentrequest"]);
    let pay = report.scopes.iter().find(|s| s.scope == "client_paymentrequest").unwrap();
    assert_eq!(pay.verdict, Verdict::Missing);
    assert!(pay.note.contains("API"), "the API itself said so");
    assert!(report.summary.contains("missing client_paymentrequest"));

    // The one-click fix: the same request with the missing scopes, then the test again.
    let fixed = req.with_more_scopes(&report.missing_scopes);
    assert_eq!(fixed.scopes().to_field(), "client_refund client_paymentrequest");
    let t2 = engine.token(&fixed, false).await.unwrap();
    assert!(!t2.from_cache, "a new scope set is a new token");
    let again = check(engine.http(), &sim.api_url(), &t2.token.access_token, &t2.token.granted, &asked).await.unwrap();
    assert!(again.all_good(), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scope_asked_for_but_not_granted_is_missing_even_without_a_safe_read() {
    let sim = simulator().await;
    let engine = engine();
    let t = token(&sim, &engine, "client_refund").await;
    let asked = Scopes::parse(["client_disbursement"]);
    let report = check(engine.http(), &sim.api_url(), &t.access_token, &t.granted, &asked).await.unwrap();
    assert_eq!(report.missing_scopes, ["client_disbursement"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_not_accepted_and_a_new_one_is_offered() {
    let clock = Arc::new(FixedClock::at(SystemTime::now()));
    let sim_clock = clock.clone();
    let sim = simulator_with(move |c| {
        c.clock = sim_clock;
        c.token_lifetime = Duration::from_secs(60);
    })
    .await;
    let engine = engine_with_clock(clock.clone());
    let t = token(&sim, &engine, "client_paymentrequest").await;
    clock.advance(Duration::from_secs(61));
    let report = check(engine.http(), &sim.api_url(), &t.access_token, &t.granted, &none()).await.unwrap();
    assert!(!report.accepted);
    assert!(!report.all_good());
    assert!(report.summary.contains("expired or is not valid. Get a new token."));
    assert_eq!(sim.api_requests(), 1, "nothing more is tried with a refused token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_token_is_not_accepted() {
    let sim = simulator().await;
    let report = check(engine().http(), &sim.api_url(), &AccessToken::new("made-up-token-value"), &none(), &none())
        .await
        .unwrap();
    assert!(!report.accepted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthenticated_inside_the_error_is_read_as_well_as_at_the_top_level() {
    let sim = simulator().await;
    sim.inject_api([Fault::status(200, r#"{"errors":[{"message":"nope","extensions":{"code":"UNAUTHENTICATED"}}]}"#)]);
    let report =
        check(engine().http(), &sim.api_url(), &AccessToken::new("whatever-token"), &none(), &none()).await.unwrap();
    assert!(!report.accepted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_scopes_at_the_top_level_are_read_too() {
    let sim = simulator().await;
    let engine = engine();
    let t = token(&sim, &engine, "client_paymentrequest").await;
    sim.inject_api([
        Fault::status(200, r#"{"data":{"client":{"id":"c","clientId":"x"}}}"#),
        Fault::status(200, r#"{"data":{"client":null},"errors":[{"message":"Token is missing the following scope: client_paymentrequest","extensions":{"code":"FORBIDDEN"}}],"extensions":{"missingScopes":["client_paymentrequest"]}}"#),
    ]);
    let report = check(engine.http(), &sim.api_url(), &t.access_token, &t.granted, &none()).await.unwrap();
    assert_eq!(report.missing_scopes, ["client_paymentrequest"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_failure_is_a_plain_failure() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/graphql");
    let f = check(engine().http(), &url, &AccessToken::new("whatever-token"), &none(), &none()).await.unwrap_err();
    assert_eq!(f.kind, FailureKind::CannotConnect);
    assert!(f.message.contains("Could not connect to 127.0.0.1"), "{}", f.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_is_not_json_is_an_unexpected_response() {
    let sim = simulator().await;
    sim.inject_api([Fault::Respond {
        status: 200,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html>proxy login</html>".into(),
    }]);
    let f = check(engine().http(), &sim.api_url(), &AccessToken::new("whatever-token"), &none(), &none())
        .await
        .unwrap_err();
    assert_eq!(f.kind, FailureKind::UnexpectedResponse);
    assert!(f.message.contains("Check the API URL"), "{}", f.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_error_code_is_an_unexpected_response_that_names_it() {
    let sim = simulator().await;
    sim.inject_api([Fault::status(
        200,
        r#"{"errors":[{"message":"try later","extensions":{"code":"SERVICE_DEGRADED"}}]}"#,
    )]);
    let f = check(engine().http(), &sim.api_url(), &AccessToken::new("whatever-token"), &none(), &none())
        .await
        .unwrap_err();
    assert_eq!(f.kind, FailureKind::UnexpectedResponse);
    assert!(f.message.contains("SERVICE_DEGRADED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_from_the_api_is_a_server_error() {
    let sim = simulator().await;
    sim.inject_api([Fault::status(502, "<html>bad gateway</html>")]);
    let f = check(engine().http(), &sim.api_url(), &AccessToken::new("whatever-token"), &none(), &none())
        .await
        .unwrap_err();
    assert_eq!(f.kind, FailureKind::ServerError);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_https_api_url_is_refused_before_sending() {
    let f = check(engine().http(), "http://api.example.com/graphql", &AccessToken::new("t-t-t-t"), &none(), &none())
        .await
        .unwrap_err();
    assert_eq!(f.kind, FailureKind::BadInput);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inspector_shows_both_exchanges_without_the_secret_or_the_key() {
    let sim = simulator().await;
    let engine = engine();
    // Secret flow.
    let t = token(&sim, &engine, "client_paymentrequest").await;
    let token_exchange = engine.http().last_token_exchange().unwrap();
    assert_eq!(token_exchange.status, Some(200));
    assert!(token_exchange.form.iter().any(|(k, v)| k == "client_secret" && v == "[redacted]"));
    assert!(token_exchange.form.iter().any(|(k, v)| k == "scope" && v == "client_paymentrequest"));
    assert!(!token_exchange.response_body.contains(t.access_token.as_str()), "tokens are not repeated in full");
    check(engine.http(), &sim.api_url(), &t.access_token, &t.granted, &none()).await.unwrap();
    let api_exchange = engine.http().last_api_exchange().unwrap();
    assert!(api_exchange
        .request_headers
        .iter()
        .any(|(k, v)| k == "Authorization" && v == &format!("Bearer {}", t.access_token.masked())));
    assert!(api_exchange.request_body.as_deref().unwrap().contains("paymentInitiationRequests"));

    // Certificate flow: the assertion is decoded, its signature never shown.
    let credential = Credential::certificate_file(&sim.demo().certificate_path).unwrap();
    let req = request(&sim.token_url(), CERTIFICATE_CLIENT_ID, "client_paymentrequest", credential);
    engine.token(&req, false).await.unwrap();
    let cert_exchange = engine.http().last_token_exchange().unwrap();
    let decoded = cert_exchange.assertion.clone().unwrap();
    assert_eq!(decoded.header["alg"], "RS256");
    assert_eq!(decoded.claims["iss"], CERTIFICATE_CLIENT_ID);
    let sent = sim.recorded().last().unwrap().body.clone();
    let jwt: String = serde_urlencoded::from_str::<Vec<(String, String)>>(&sent)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == "client_assertion")
        .unwrap()
        .1;
    let signature = jwt.rsplit('.').next().unwrap();

    let pem = std::fs::read_to_string(&sim.demo().certificate_path).unwrap();
    let key_lines: Vec<&str> = pem
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.len() > 16 && !l.starts_with("-----"))
        .collect();
    for exchange in [&token_exchange, &api_exchange, &cert_exchange] {
        for shown in [exchange.to_text(), serde_json::to_string(exchange).unwrap(), format!("{exchange:?}")] {
            assert!(!shown.contains(SECRET), "the secret was shown");
            assert!(!shown.contains(signature), "the assertion's signature was shown");
            assert!(!shown.contains(&jwt), "the assertion was shown whole");
            assert!(!shown.contains(t.access_token.as_str()), "a token was shown whole");
            for line in &key_lines {
                assert!(!shown.contains(line), "the private key was shown");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_token_request_is_in_the_inspector_with_its_answer() {
    let sim = simulator().await;
    let engine = engine();
    let wrong = Credential::secret(token_desk_core::secret::ClientSecret::new("wrong-secret-value"));
    let _ = engine.token(&request(&sim.token_url(), SECRET_CLIENT_ID, "client_refund", wrong), false).await;
    let e = engine.http().last_token_exchange().unwrap();
    assert_eq!(e.status, Some(400));
    assert!(e.response_body.contains("invalid_client"));
    assert!(!e.to_text().contains("wrong-secret-value"));
}
