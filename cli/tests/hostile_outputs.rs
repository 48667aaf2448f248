//! Every exit encodes what came from outside (issue 23), tried as an attacker would: the real
//! `token-desk` binary against loopback servers that put terminal controls into every text
//! they return and echo the token wherever they can. Nothing that could drive a terminal
//! (ESC, the C1 CSI, bidi controls) reaches stdout or stderr, and the token appears in no
//! output but the one asked for.

mod support;

use support::{all_output, assert_inert, leaked, text, Attacker, Home, Mode, HOSTILE_TOKEN};

const SECRET: &str = "Hx7-q2Wv9Lp4Mc8Rt1Bz6Kn3Ja5Gd0Yf";
const CLIENT: &str = "test-hostile-outputs";

// ---------------------------------------------------------------------------------------------
// Servers: what a token endpoint, the API or a proxy answers is encoded for each output.
// ---------------------------------------------------------------------------------------------

fn token_run(attacker: &Attacker, extra: &[&str]) -> std::process::Output {
    let url = attacker.url("/connect/token");
    let mut args =
        vec!["token", "--client-id", CLIENT, "--scope", "client_paymentrequest", "--secret-stdin", "--token-url", &url];
    args.extend_from_slice(extra);
    Home::new(false).run(&args, Some(SECRET))
}

fn check_run(attacker: &Attacker, extra: &[&str]) -> std::process::Output {
    let (url, api) = (attacker.url("/connect/token"), attacker.url("/graphql"));
    let mut args = vec![
        "check",
        "--client-id",
        CLIENT,
        "--scope",
        "client_paymentrequest",
        "--secret-stdin",
        "--token-url",
        &url,
        "--api-url",
        &api,
    ];
    args.extend_from_slice(extra);
    Home::new(false).run(&args, Some(SECRET))
}

/// Neither the token nor the secret in any encoding, anywhere in `shown`.
fn no_token_or_secret(shown: &str, case: &str) {
    assert_eq!(leaked(shown, HOSTILE_TOKEN), None, "{case}: the token leaked:\n{shown}");
    assert_eq!(leaked(shown, SECRET), None, "{case}: the secret leaked:\n{shown}");
}

#[test]
fn an_oauth_error_full_of_terminal_controls_reaches_stderr_escaped() {
    let attacker = Attacker::start(Mode::Hostile { status: 400 });
    let out = token_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", all_output(&out));
    assert_inert(&out, "token, OAuth error");
    let err = text(&out.stderr);
    assert!(err.contains("\\x1b]52;c;"), "the OSC 52 sequence is shown as an escape:\n{err}");
    assert!(err.contains("\\u202e"), "the bidi override is shown as an escape:\n{err}");
    no_token_or_secret(&all_output(&out), "token, OAuth error");
}

#[test]
fn an_oauth_error_full_of_terminal_controls_stays_inert_with_verbose() {
    let attacker = Attacker::start(Mode::Hostile { status: 401 });
    let out = token_run(&attacker, &["-v"]);
    assert_eq!(out.status.code(), Some(3), "{}", all_output(&out));
    assert_inert(&out, "token -v, OAuth error");
    no_token_or_secret(&all_output(&out), "token -v, OAuth error");
}

#[test]
fn a_server_error_page_full_of_terminal_controls_reaches_stderr_escaped() {
    let attacker = Attacker::start(Mode::Hostile { status: 502 });
    let out = token_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(4), "{}", all_output(&out));
    assert_inert(&out, "token, 502");
}

#[test]
fn the_token_asked_for_is_printed_alone_and_its_echoes_nowhere_else() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = token_run(&attacker, &["-v"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert_eq!(text(&out.stdout), format!("{HOSTILE_TOKEN}\n"));
    assert_inert(&out, "token -v, hostile token response");
    no_token_or_secret(&text(&out.stderr), "token -v stderr");
}

#[test]
fn token_json_holds_the_token_only_in_access_token_and_escapes_every_control() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = token_run(&attacker, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert_inert(&out, "token --json");
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["access_token"], HOSTILE_TOKEN);
    json.as_object_mut().unwrap().remove("access_token");
    no_token_or_secret(&json.to_string(), "token --json without access_token");
    no_token_or_secret(&text(&out.stderr), "token --json stderr");
    let scope = json["scope"].as_str().unwrap();
    assert!(scope.starts_with("client_paymentrequest "), "the granted scope is kept: {scope}");
    assert!(!scope.contains("owned"), "a piece that is no scope-token (RFC 6749 A.4) is left out: {scope}");
    assert!(json["token_type"].as_str().unwrap().contains('\u{1b}'), "JSON still says what the server said, escaped");
}

#[test]
fn an_access_token_holding_a_control_character_is_refused_not_printed() {
    let attacker = Attacker::start(Mode::HostileToken);
    let out = token_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(4), "{}", all_output(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", text(&out.stdout));
    assert!(text(&out.stderr).contains("RFC 6749 Appendix A.12"), "{}", text(&out.stderr));
    assert_inert(&out, "token with a control character");
}

#[test]
fn check_shows_no_token_the_api_echoed_and_no_control_it_sent() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = check_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(3), "the API said a scope is missing: {}", all_output(&out));
    assert_inert(&out, "check");
    no_token_or_secret(&all_output(&out), "check");
    let said = text(&out.stdout);
    assert!(said.contains("--scope client_paymentrequest"), "the real missing scope is offered:\n{said}");
    let fix = said.lines().find(|l| l.starts_with("Fix:")).expect("a fix is offered");
    assert_eq!(fix, "Fix: get a new token that adds --scope client_paymentrequest", "only a scope's name is offered");
    assert!(!said.contains("owned"), "a granted 'scope' that is no scope-token is left out:\n{said}");
}

#[test]
fn check_json_and_verbose_show_no_token_and_no_control() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = check_run(&attacker, &["--json", "-v"]);
    assert_eq!(out.status.code(), Some(3), "{}", all_output(&out));
    assert_inert(&out, "check --json -v");
    no_token_or_secret(&all_output(&out), "check --json -v");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["missing_scopes"], serde_json::json!(["client_paymentrequest"]));
}

#[test]
fn a_token_piped_to_check_is_not_shown_back_when_the_api_echoes_it() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let api = attacker.url("/graphql");
    let out =
        Home::new(false).run(&["check", "--token-stdin", "--api-url", &api, "-v"], Some("piped-token-Lk3Vb8Nm2Jh7Gf4"));
    assert_inert(&out, "check --token-stdin");
    assert_eq!(leaked(&all_output(&out), "piped-token-Lk3Vb8Nm2Jh7Gf4"), None, "{}", all_output(&out));
}
