//! `token-desk check` and `snippet` as a script or a person uses them: real processes against
//! the simulator on 127.0.0.1 (the rest of the command is in `cli.rs`).

mod support;

use support::cli_world::{CliWorld as World, *};
use support::stitch::key_lines;
use support::text;

#[test]
fn check_says_the_token_works_and_exits_0() {
    let w = World::new();
    let url = w.url();
    let mut args = secret_args(&url, "client_paymentrequest");
    args[0] = "check";
    let out = run(&args, Some(SECRET), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("The token works"), "{stdout}");
    assert!(stdout.contains("client_paymentrequest  Yes, works"), "{stdout}");
    assert_eq!(w.stitch.sim.api_requests(), 2);
}

#[test]
fn check_of_a_handed_token_never_calls_a_scope_without_a_safe_read_missing() {
    let w = World::new();
    let url = w.url();
    // The certificate client may only have client_paymentrequest; check it for client_refund.
    let cert_token = w.certificate_token();
    assert!(cert_token.status.success());
    let out = run(
        &["check", "--token-stdin", "--token-url", &url, "--scope", "client_refund", "--json"],
        Some(&text(&cert_token.stdout)),
        &[],
    );
    // A piped-in token's grant is unknown, and client_refund has no safe read (issue 11).
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["accepted"], true);
    assert_eq!(report["missing_scopes"], serde_json::json!([]));
    assert_eq!(report["scopes"][0]["verdict"], "cannot_check_safely", "{report}");
}

#[test]
fn check_of_an_unknown_token_says_it_was_not_accepted() {
    let w = World::new();
    let out = run(&["check", "--token-stdin", "--api-url", &w.stitch.sim.api_url()], Some("not-a-real-token\n"), &[]);
    assert_exit(&out, 3, &out.stdout, "expired or is not valid");
}

#[test]
fn check_against_an_unreachable_api_exits_4() {
    let port = support::net::free_port();
    let api = format!("http://127.0.0.1:{port}/graphql");
    let out = run(&["check", "--token-stdin", "--api-url", &api], Some("some-token"), &[]);
    assert_exit(&out, 4, &out.stderr, "Could not connect");
}

#[test]
fn snippet_prints_code_for_each_language_without_a_secret() {
    for lang in ["curl", "javascript", "python", "csharp"] {
        for flow in ["secret", "certificate"] {
            let out = run(
                &["snippet", "--lang", lang, "--flow", flow, "--client-id", "test-abc", "--scope", "client_refund"],
                None,
                &[("STITCH_CLIENT_SECRET", SECRET)],
            );
            assert_eq!(out.status.code(), Some(0), "{lang} {flow}");
            let code = text(&out.stdout);
            assert!(code.contains("test-abc") && code.contains("client_refund"), "{lang} {flow}");
            assert!(code.contains("https://secure.stitch.money/connect/token"));
            assert!(code.contains("https://api.stitch.money/graphql"));
            assert!(!code.contains(SECRET));
        }
    }
    let bad = run(&["snippet", "--lang", "cobol"], None, &[]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_verbose_check_shows_the_exchanges_without_the_secret_or_the_key() {
    let w = World::new();
    let url = w.url();
    let pem = w.stitch.pem.to_string_lossy().into_owned();
    let mut outputs = Vec::new();
    let mut secret_check = secret_args(&url, "client_paymentrequest");
    secret_check[0] = "check";
    secret_check.push("-v");
    outputs.push(run(&secret_check, Some(SECRET), &[]));
    let mut cert_check = cert_args(&url, &pem, "client_paymentrequest");
    cert_check.splice(0..1, ["check", "-v", "--json"]);
    outputs.push(run(&cert_check, None, &[]));
    let key_lines = key_lines(&w.stitch.pem);
    for out in &outputs {
        assert!(out.status.success(), "{}", text(&out.stderr));
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(all.contains("POST ") && all.contains("HTTP 200"), "the exchanges are shown");
        assert!(!all.contains(SECRET));
        for line in &key_lines {
            assert!(!all.contains(line.as_str()), "the private key leaked");
        }
    }
}
