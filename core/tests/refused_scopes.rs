//! Refused scopes named one by one (issue 11), against the simulator over real HTTP: a server
//! that names the refused scope and one that does not (Stitch's IdentityServer4), the probe
//! that asks for each scope alone, and the test of a token whose grant is unknown.

mod support;

use support::*;
use token_desk_core::check::{check_handed, Verdict};
use token_desk_core::refused_scope::{find_refused, Alone};
use token_desk_core::scope::Scopes;
use token_desk_core::simulator::demo::REFUSED_SCOPE;
use token_desk_core::FailureKind;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_names_the_refused_scope_is_quoted_one_scope_at_a_time() {
    let sim = simulator_with(|c| c.name_refused_scopes = true).await;
    let engine = engine();
    let scopes = format!("client_paymentrequest {REFUSED_SCOPE}");
    let failure = engine.token(&secret_request(&sim.token_url(), &scopes), false).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::ScopeNotAllowed);
    assert_eq!(failure.detail.scopes, vec![REFUSED_SCOPE.to_owned()]);
    assert_eq!(
        failure.message,
        format!("{REFUSED_SCOPE} is not enabled for this client. Leave it out, or ask Stitch to enable it.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_names_nothing_gets_the_scopes_listed_and_the_probe_finds_the_one() {
    let sim = simulator().await;
    let engine = engine();
    let request = secret_request(&sim.token_url(), &format!("client_paymentrequest {REFUSED_SCOPE} client_refund"));
    let failure = engine.token(&request, false).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::ScopeNotAllowed);
    assert!(failure.detail.scopes.is_empty(), "the simulator, like Stitch, names none");
    assert!(failure.message.contains("without saying which"), "{}", failure.message);

    let before = sim.token_requests();
    let probe = find_refused(engine.http(), &request, engine.clock()).await.unwrap();
    assert_eq!(sim.token_requests() - before, 3, "one request per scope");
    assert_eq!(probe.refused, vec![REFUSED_SCOPE.to_owned()]);
    let outcomes: Vec<Alone> = probe.scopes.iter().map(|s| s.outcome).collect();
    assert_eq!(outcomes, [Alone::Allowed, Alone::Refused, Alone::Allowed]);
    assert!(probe.summary.starts_with(&format!("{REFUSED_SCOPE} is not enabled")), "{}", probe.summary);
    // The probe's tokens are not cached: the same request still goes to the server.
    let single = secret_request(&sim.token_url(), "client_paymentrequest");
    let again = engine.token(&single, false).await.unwrap();
    assert!(!again.from_cache);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_stopped_by_a_wrong_secret_reports_that_failure() {
    let sim = simulator().await;
    let engine = engine();
    let input = token_desk_core::request::RequestInput {
        client_id: SECRET_CLIENT_ID.into(),
        scopes: Scopes::parse(["client_paymentrequest client_refund"]),
        token_url: Some(sim.token_url()),
        audience: None,
        credential: token_desk_core::request::Credential::secret(token_desk_core::secret::ClientSecret::new("wrong")),
    };
    let (request, _) = token_desk_core::request::TokenRequest::check(input, std::time::SystemTime::now()).unwrap();
    let failure = find_refused(engine.http(), &request, engine.clock()).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::InvalidClient);
    assert_eq!(sim.token_requests(), 1, "the probe stops at the first failure that is not about a scope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handed_token_is_never_missing_a_scope_without_a_safe_read() {
    let sim = simulator().await;
    let engine = engine();
    let t = engine.token(&secret_request(&sim.token_url(), "client_refund"), false).await.unwrap().token;
    let asked = Scopes::parse(["client_refund client_paymentrequest"]);
    let report = check_handed(engine.http(), &sim.api_url(), &t.access_token, &asked).await.unwrap();
    let verdicts: Vec<(&str, Verdict)> = report.scopes.iter().map(|s| (s.scope.as_str(), s.verdict)).collect();
    assert_eq!(verdicts, [("client_refund", Verdict::CannotCheckSafely), ("client_paymentrequest", Verdict::Missing)]);
    assert_eq!(report.missing_scopes, vec!["client_paymentrequest".to_owned()]);

    let everything = check_handed(engine.http(), &sim.api_url(), &t.access_token, &Scopes::default()).await.unwrap();
    let tried: Vec<&str> = everything.scopes.iter().map(|s| s.scope.as_str()).collect();
    assert_eq!(tried, ["client_paymentrequest"], "with no scope given, every safe read is tried");
}
