//! Issue 11 on the command line, as real processes against the simulator on 127.0.0.1: a
//! refused scope named (by the server, or by `--find-refused-scope`, one request per scope),
//! and `check --token-stdin` verdicts for a token whose grant is unknown.

mod support;

use std::process::Output;

use support::stitch::{Clients, World};
use support::{text, Home};
use token_desk_core::simulator::demo;

// This file's world: the shared one (support::stitch), whose simulator also knows the demo
// clients these tests use, in a home without a keyring.
impl World {
    /// `name_refused` makes the simulator name refused scopes in an `error_description`, as
    /// some servers do (Stitch's IdentityServer4 does not).
    fn new(name_refused: bool) -> Self {
        let clients = Clients::new("test-verdicts-secret-client", "Vd4-unused-Secret-8Kq", "test-verdicts-cert-client");
        World::start_with(Home::new(false), &clients, |c| c.name_refused_scopes = name_refused)
    }

    fn token_args<'a>(&'a self, url: &'a str, scopes: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["token", "--token-url", url, "--client-id", demo::SECRET_CLIENT_ID, "--secret-stdin"];
        for s in scopes {
            args.extend(["--scope", s]);
        }
        args
    }

    /// A token for the demo secret client with `scopes`.
    fn token(&self, scopes: &[&str]) -> String {
        let url = self.stitch.sim.token_url();
        let out = run(&self.token_args(&url, scopes), Some(demo::SECRET));
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout).trim().to_owned()
    }
}

/// Runs `token-desk` in a home of its own (no keyring, no settings of this machine).
fn run(args: &[&str], stdin: Option<&str>) -> Output {
    Home::new(false).run(args, stdin)
}

#[test]
fn a_refusal_naming_no_scope_points_to_find_refused_scope_and_sends_one_request() {
    let w = World::new(false);
    let url = w.stitch.sim.token_url();
    let out = run(&w.token_args(&url, &["client_paymentrequest", demo::REFUSED_SCOPE]), Some(demo::SECRET));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("without saying which"), "{err}");
    assert!(err.contains("--find-refused-scope"), "{err}");
    assert_eq!(w.stitch.sim.token_requests(), 1);
}

#[test]
fn find_refused_scope_asks_for_each_scope_alone_and_names_the_refused_one() {
    let w = World::new(false);
    let url = w.stitch.sim.token_url();
    let mut args = w.token_args(&url, &["client_paymentrequest", demo::REFUSED_SCOPE, "client_refund"]);
    args.push("--find-refused-scope");
    let out = run(&args, Some(demo::SECRET));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(out.stdout.is_empty(), "no token is printed: {}", text(&out.stdout));
    assert!(err.contains(&format!("token-desk: {} is not enabled for this client", demo::REFUSED_SCOPE)), "{err}");
    assert!(err.contains(&format!("{}  REFUSED", demo::REFUSED_SCOPE)), "{err}");
    assert!(err.contains("client_paymentrequest  allowed") && err.contains("client_refund  allowed"), "{err}");
    // The refused request, then one request per scope.
    assert_eq!(w.stitch.sim.token_requests(), 4);
    let probes: Vec<String> = w.stitch.sim.recorded().iter().skip(1).map(|r| r.body.clone()).collect();
    for (probe, scope) in probes.iter().zip(["client_paymentrequest", demo::REFUSED_SCOPE, "client_refund"]) {
        assert!(probe.contains(&format!("scope={scope}&")) || probe.ends_with(&format!("scope={scope}")), "{probe}");
    }
    assert!(!err.contains(demo::SECRET), "the secret leaked: {err}");
}

#[test]
fn a_server_that_names_the_refused_scope_is_quoted_without_a_probe() {
    let w = World::new(true);
    let url = w.stitch.sim.token_url();
    let mut args = w.token_args(&url, &["client_paymentrequest", demo::REFUSED_SCOPE]);
    args.push("--find-refused-scope");
    let out = run(&args, Some(demo::SECRET));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains(&format!("token-desk: {} is not enabled for this client", demo::REFUSED_SCOPE)), "{err}");
    assert!(!err.contains("client_paymentrequest is not enabled"), "{err}");
    assert_eq!(w.stitch.sim.token_requests(), 1, "no probe when the server said which");
}

#[test]
fn a_handed_token_with_no_scope_given_is_tried_on_every_safe_read() {
    let w = World::new(false);
    let token = w.token(&["client_paymentrequest"]);
    let api = w.stitch.sim.api_url();
    let out = run(&["check", "--token-stdin", "--api-url", &api, "--json"], Some(&token));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scopes = report["scopes"].as_array().unwrap();
    assert_eq!(scopes.len(), 1, "{report}");
    assert_eq!(scopes[0]["scope"], "client_paymentrequest");
    assert_eq!(scopes[0]["verdict"], "works");
    assert_eq!(
        scopes[0]["note"],
        "Reading payment requests works; creating one was not tried, because it would create a real request."
    );
}

#[test]
fn a_handed_token_is_missing_only_what_the_api_says_and_the_rest_cannot_be_checked_safely() {
    let w = World::new(false);
    let token = w.token(&["client_refund"]);
    let api = w.stitch.sim.api_url();
    let args =
        ["check", "--token-stdin", "--api-url", &api, "--scope", "client_refund", "--scope", "client_paymentrequest"];
    let out = run(&args, Some(&token));
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{said}{}", text(&out.stderr));
    let line = |scope: &str| said.lines().find(|l| l.trim_start().starts_with(scope)).unwrap_or_default().to_owned();
    let refund = line("client_refund");
    // Each line starts with a plain answer (issue 26): the handed token's grant is not known.
    let answer = |line: &str, scope: &str| line.trim_start()[scope.len()..].trim_start().to_owned();
    assert!(answer(&refund, "client_refund").starts_with("Not known, not tried (it would move real money)"), "{said}");
    assert!(refund.contains("issues a refund"), "{said}");
    assert!(!refund.contains("No — missing"), "{said}");
    let payments = line("client_paymentrequest");
    assert!(answer(&payments, "client_paymentrequest").starts_with("No — missing"), "{said}");
    assert!(payments.contains("the API says"), "{said}");
    assert!(!said.contains(&token), "the token itself is never printed: {said}");
}
