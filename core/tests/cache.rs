//! The token cache on a fixed clock, against the simulator over real HTTP.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use support::*;
use token_desk_core::cache::{freshness, Freshness, MARGIN};
use token_desk_core::clock::FixedClock;
use token_desk_core::request::TokenRequest;
use token_desk_core::simulator::Fault;
use token_desk_core::token::{AccessToken, Token};
use token_desk_core::{FailureKind, Outcome};

const T0: u64 = 1_800_000_000;

fn fixed_clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(SystemTime::UNIX_EPOCH + Duration::from_secs(T0)))
}

/// A simulator and an engine that share one fixed clock.
async fn setup(lifetime: u64) -> (Sim, token_desk_core::Engine, Arc<FixedClock>) {
    let clock = fixed_clock();
    let sim_clock = clock.clone();
    let sim = simulator_with(move |c| {
        c.clock = sim_clock;
        c.token_lifetime = Duration::from_secs(lifetime);
    })
    .await;
    (sim, engine_with_clock(clock.clone()), clock)
}

/// [`setup`], and a first token for the payment scope: the request and what the engine said.
async fn first_token(lifetime: u64) -> (Sim, token_desk_core::Engine, Arc<FixedClock>, TokenRequest, Outcome) {
    let (sim, engine, clock) = setup(lifetime).await;
    let req = secret_request(&sim.token_url(), "client_paymentrequest");
    let first = engine.token(&req, false).await.unwrap();
    (sim, engine, clock, req, first)
}

fn token(issued: u64, lifetime: u64) -> Token {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(issued);
    Token {
        access_token: AccessToken::new("opaque"),
        token_type: "Bearer".into(),
        expires_in: lifetime,
        lifetime_assumed: false,
        issued_at: at,
        expires_at: at + Duration::from_secs(lifetime),
        granted: Default::default(),
        requested: Default::default(),
    }
}

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn a_token_is_fresh_until_the_margin_then_renewed_until_it_expires() {
    let t = token(T0, 3600);
    assert_eq!(freshness(&t, at(T0), MARGIN), Freshness::Fresh);
    assert_eq!(freshness(&t, at(T0 + 3539), MARGIN), Freshness::Fresh);
    assert_eq!(freshness(&t, at(T0 + 3540), MARGIN), Freshness::Renew);
    assert_eq!(freshness(&t, at(T0 + 3599), MARGIN), Freshness::Renew);
    assert_eq!(freshness(&t, at(T0 + 3600), MARGIN), Freshness::Expired);
}

#[test]
fn the_margin_is_at_most_half_a_short_lifetime() {
    let t = token(T0, 40);
    assert_eq!(freshness(&t, at(T0 + 19), MARGIN), Freshness::Fresh);
    assert_eq!(freshness(&t, at(T0 + 20), MARGIN), Freshness::Renew);
}

#[tokio::test]
async fn a_second_call_is_served_from_the_cache_without_a_request() {
    let (sim, engine, clock, req, first) = first_token(3600).await;
    clock.advance(Duration::from_secs(3000));
    let second = engine.token(&req, false).await.unwrap();
    assert!(!first.from_cache);
    assert!(second.from_cache);
    assert!(second.attempts.is_empty());
    assert_eq!(first.token.access_token, second.token.access_token);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn inside_the_margin_a_new_token_is_fetched() {
    let (sim, engine, clock, req, first) = first_token(3600).await;
    clock.advance(Duration::from_secs(3600 - 60));
    let second = engine.token(&req, false).await.unwrap();
    assert!(!second.from_cache);
    assert_ne!(first.token.access_token, second.token.access_token);
    assert_eq!(second.token.issued_at, at(T0 + 3540));
    assert_eq!(sim.token_requests(), 2);
}

#[tokio::test]
async fn the_same_scopes_in_another_order_share_a_token_and_other_scopes_do_not() {
    let (sim, engine, _) = setup(3600).await;
    // Each case: the scopes asked for, whether the token comes from the cache, the requests so far.
    let cases = [
        ("client_paymentrequest client_refund", false, 1),
        ("client_refund, client_paymentrequest", true, 1),
        ("client_refund", false, 2),
    ];
    for (scopes, from_cache, requests) in cases {
        let outcome = engine.token(&secret_request(&sim.token_url(), scopes), false).await.unwrap();
        assert_eq!(outcome.from_cache, from_cache, "{scopes}");
        assert_eq!(sim.token_requests(), requests, "{scopes}");
    }
}

#[tokio::test]
async fn another_credential_or_audience_is_another_cache_entry() {
    let (sim, engine, _) = setup(3600).await;
    let url = sim.token_url();
    engine.token(&secret_request(&url, "client_refund"), false).await.unwrap();
    let cert = token_desk_core::request::Credential::certificate_file(&sim.demo().certificate_path).unwrap();
    let by_cert = request(&url, CERTIFICATE_CLIENT_ID, "client_refund", cert);
    assert!(!engine.token(&by_cert, false).await.unwrap().from_cache);
    let wrong = token_desk_core::request::Credential::secret(token_desk_core::secret::ClientSecret::new("not-it"));
    let other_secret = request(&url, SECRET_CLIENT_ID, "client_refund", wrong);
    assert_eq!(engine.token(&other_secret, false).await.unwrap_err().kind, FailureKind::InvalidClient);
    assert_eq!(sim.token_requests(), 3);
}

#[tokio::test]
async fn force_refresh_fetches_even_when_the_cached_token_is_fresh() {
    let (sim, engine, _, req, first) = first_token(3600).await;
    let forced = engine.token(&req, true).await.unwrap();
    assert!(!forced.from_cache);
    assert_ne!(first.token.access_token, forced.token.access_token);
    assert_eq!(sim.token_requests(), 2);
    let after = engine.token(&req, false).await.unwrap();
    assert_eq!(after.token.access_token, forced.token.access_token, "the forced token replaced the old one");
}

#[tokio::test]
async fn a_still_valid_token_is_served_when_its_renewal_fails() {
    let (sim, engine, clock, req, first) = first_token(3600).await;
    clock.advance(Duration::from_secs(3570));
    sim.inject([Fault::status(503, "{}"), Fault::status(503, "{}"), Fault::status(503, "{}")]);
    let served = engine.token(&req, false).await.unwrap();
    assert!(served.from_cache);
    assert_eq!(served.token.access_token, first.token.access_token);
    assert_eq!(served.refresh_failure.unwrap().kind, FailureKind::ServerError);
    assert_eq!(sim.token_requests(), 4);
}

#[tokio::test]
async fn an_expired_token_is_never_served_when_renewal_fails() {
    let (sim, engine, clock, req, _) = first_token(3600).await;
    clock.advance(Duration::from_secs(3600));
    sim.inject([Fault::status(503, "{}"), Fault::status(503, "{}"), Fault::status(503, "{}")]);
    assert_eq!(engine.token(&req, false).await.unwrap_err().kind, FailureKind::ServerError);
}

#[tokio::test]
async fn a_failed_forced_refresh_reports_the_failure() {
    let (sim, engine, _, req, _) = first_token(3600).await;
    sim.inject([Fault::status(400, r#"{"error":"invalid_client"}"#)]);
    assert_eq!(engine.token(&req, true).await.unwrap_err().kind, FailureKind::InvalidClient);
}

#[tokio::test]
async fn a_forgotten_token_is_fetched_again() {
    let (sim, engine, _, req, _) = first_token(3600).await;
    engine.forget(&req).await;
    assert!(!engine.token(&req, false).await.unwrap().from_cache);
    assert_eq!(sim.token_requests(), 2);
}

#[tokio::test]
async fn pruning_drops_expired_tokens_only() {
    let (sim, engine, clock) = setup(100).await;
    let url = sim.token_url();
    engine.token(&secret_request(&url, "client_refund"), false).await.unwrap();
    clock.advance(Duration::from_secs(50));
    engine.token(&secret_request(&url, "client_imageupload"), false).await.unwrap();
    clock.advance(Duration::from_secs(60));
    engine.cache().prune();
    assert_eq!(engine.cache().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_callers_cause_one_request() {
    let (sim, engine, _) = setup(3600).await;
    let engine = Arc::new(engine);
    let req = Arc::new(secret_request(&sim.token_url(), "client_paymentrequest"));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let (engine, req) = (engine.clone(), req.clone());
            tokio::spawn(async move { engine.token(&req, false).await.unwrap().token.access_token })
        })
        .collect();
    let mut tokens = std::collections::HashSet::new();
    for t in tasks {
        tokens.insert(t.await.unwrap().as_str().to_owned());
    }
    assert_eq!(tokens.len(), 1);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_keys_under_contention_cause_eight_requests() {
    let (sim, engine, _) = setup(3600).await;
    let engine = Arc::new(engine);
    let scopes: Vec<&str> = token_desk_core::known_scopes::CLIENT_SCOPES
        .iter()
        .map(|s| s.name)
        .filter(|s| *s != "client_disbursement" && *s != "client_recurringpaymentconsentrequest")
        .collect();
    // Eight distinct scope sets: six single scopes and two pairs.
    let mut sets: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    sets.push(format!("{} {}", scopes[0], scopes[1]));
    sets.push(format!("{} {}", scopes[2], scopes[3]));
    assert_eq!(sets.len(), 8);
    let reqs: Vec<_> = sets.iter().map(|s| Arc::new(secret_request(&sim.token_url(), s))).collect();
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let (engine, req) = (engine.clone(), reqs[i % 8].clone());
            tokio::spawn(async move { engine.token(&req, false).await.unwrap() })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(sim.token_requests(), 8);
    assert_eq!(engine.cache().len(), 8);
}
