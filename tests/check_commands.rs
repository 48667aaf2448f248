//! The token test, its one-click fix, the inspector and the snippets, as the window calls
//! them: Tauri's mock runtime, the built-in simulator, an in-memory clipboard.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::desk::{settings, Desk, Setup};
use token_desk_core::simulator::demo;

/// The commands this part of the window adds.
const COMMANDS: [&str; 6] =
    ["check_token", "fix_missing_scopes", "inspector", "snippets", "copy_snippet", "copy_exchange"];

impl Desk {
    fn check_token(&mut self, scopes: &[&str]) -> Result<Value, Value> {
        self.call("check_token", json!({ "scopes_to_check": scopes }))
    }
}

fn verdict<'a>(report: &'a Value, scope: &str) -> &'a Value {
    &report["scopes"].as_array().unwrap().iter().find(|s| s["scope"] == scope).expect("scope checked")["verdict"]
}

// ---------------------------------------------------------------------------------------
// Token test and one-click fix

#[test]
fn testing_before_any_token_says_to_get_one_first() {
    let mut h = Desk::new();
    let refusal = h.check_token(&["client_paymentrequest"]).unwrap_err();
    assert!(refusal["message"].as_str().unwrap().contains("Get token first"), "{refusal}");
}

#[test]
fn a_token_with_the_payment_scope_works_against_the_simulators_api() {
    let mut h = Desk::new();
    let demo = h.demo_with_token("secret", &["client_paymentrequest"]);
    let report = h.check_token(&["client_paymentrequest"]).unwrap();
    assert_eq!(report["accepted"], json!(true));
    assert_eq!(report["api_url"], demo["api_url"]);
    assert_eq!(report["missing_scopes"], json!([]));
    assert_eq!(verdict(&report, "client_paymentrequest"), "works");
    assert!(report["summary"].as_str().unwrap().starts_with("The token works"));
}

#[test]
fn a_ticked_scope_the_token_lacks_is_missing_and_the_fix_gets_a_token_that_has_it() {
    let mut h = Desk::new();
    h.demo_with_token("secret", &["client_refund"]);
    let report = h.check_token(&["client_refund", "client_paymentrequest"]).unwrap();
    assert_eq!(report["accepted"], json!(true));
    assert_eq!(report["missing_scopes"], json!(["client_paymentrequest"]));
    assert_eq!(verdict(&report, "client_paymentrequest"), "missing");
    assert_eq!(verdict(&report, "client_refund"), "cannot_check_safely");
    assert!(report["summary"].as_str().unwrap().contains("missing client_paymentrequest"));

    let fixed = h
        .call(
            "fix_missing_scopes",
            json!({ "missing": report["missing_scopes"], "scopes_to_check": ["client_refund"] }),
        )
        .unwrap();
    let mut granted: Vec<&str> =
        fixed["token"]["granted"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    granted.sort_unstable();
    assert_eq!(granted, ["client_paymentrequest", "client_refund"]);
    assert_eq!(fixed["token"]["from_cache"], json!(false));
    assert_eq!(fixed["report"]["missing_scopes"], json!([]));
    assert_eq!(verdict(&fixed["report"], "client_paymentrequest"), "works");

    // The fixed token is now the window's token: a plain re-test agrees.
    let again = h.check_token(&["client_refund", "client_paymentrequest"]).unwrap();
    assert_eq!(again["missing_scopes"], json!([]));
}

#[test]
fn an_expired_token_is_reported_as_not_accepted() {
    let mut h = Desk::with(Setup { lifetime: Some(Duration::from_secs(1)), ..Setup::default() });
    h.demo_with_token("secret", &["client_paymentrequest"]);
    std::thread::sleep(Duration::from_millis(1600));
    let report = h.check_token(&[]).unwrap();
    assert_eq!(report["accepted"], json!(false));
    assert!(report["summary"].as_str().unwrap().contains("expired or is not valid"), "{report}");
}

#[test]
fn an_api_that_cannot_be_reached_is_a_plain_failure_with_details() {
    let mut h = Desk::new();
    h.demo_with_token("secret", &["client_paymentrequest"]);
    let unreachable = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let failure = h
        .call(
            "check_token",
            json!({ "scopes_to_check": [], "api_url": format!("http://127.0.0.1:{unreachable}/graphql") }),
        )
        .unwrap_err();
    assert!(failure["message"].as_str().unwrap().contains("API URL"), "{failure}");
    assert!(!failure["details"].as_array().unwrap().is_empty());
}

#[test]
fn an_api_answer_that_is_not_graphql_is_an_unexpected_response() {
    let mut h = Desk::new();
    h.demo_with_token("secret", &["client_paymentrequest"]);
    h.simulator().inject_api([token_desk_core::simulator::Fault::Respond {
        status: 200,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html>hello</html>".into(),
    }]);
    let failure = h.check_token(&[]).unwrap_err();
    assert_eq!(failure["kind"], json!("unexpected_response"), "{failure}");
}

// ---------------------------------------------------------------------------------------
// Inspector

#[test]
fn the_inspector_shows_the_last_token_request_masked_and_the_last_api_test() {
    let mut h = Desk::new();
    assert_eq!(h.call("inspector", json!({})).unwrap(), json!({ "token": null, "api": null }));
    let demo = h.demo_with_token("secret", &["client_paymentrequest"]);
    h.check_token(&["client_paymentrequest"]).unwrap();
    let view = h.call("inspector", json!({})).unwrap();
    let token = &view["token"];
    assert_eq!(token["method"], json!("POST"));
    assert_eq!(token["url"], demo["token_url"]);
    let form = token["form"].as_array().unwrap();
    assert!(form.contains(&json!(["client_secret", "[redacted]"])), "{form:?}");
    assert!(form.contains(&json!(["scope", "client_paymentrequest"])), "{form:?}");
    assert_eq!(token["status"], json!(200));
    assert!(token["text"].as_str().unwrap().contains("client_secret=[redacted]"));
    let api = &view["api"];
    assert_eq!(api["url"], demo["api_url"]);
    assert!(api["request_body"].as_str().unwrap().contains("paymentInitiationRequests"));
    assert!(api["text"].as_str().unwrap().starts_with("POST "));
}

#[test]
fn the_inspector_shows_a_certificates_assertion_decoded() {
    let mut h = Desk::new();
    let demo = h.demo_with_token("certificate", &["client_paymentrequest"]);
    let view = h.call("inspector", json!({})).unwrap();
    let assertion = &view["token"]["assertion"];
    assert_eq!(assertion["claims"]["iss"], demo["client_id"]);
    assert!(assertion["header"]["alg"].is_string());
}

#[test]
fn copying_an_inspector_record_puts_its_text_on_the_clipboard() {
    let mut h = Desk::new();
    let nothing = h.call("copy_exchange", json!({ "which": "api" })).unwrap_err();
    assert!(nothing["message"].as_str().unwrap().contains("Nothing to copy"));
    h.demo_with_token("secret", &["client_paymentrequest"]);
    let done = h.call("copy_exchange", json!({ "which": "token" })).unwrap();
    assert_eq!(done["clear_after_seconds"], json!(60));
    let view = h.call("inspector", json!({})).unwrap();
    assert_eq!(h.clipboard.text().as_deref(), view["token"]["text"].as_str());
}

// ---------------------------------------------------------------------------------------
// Code for integrators

#[test]
fn eight_snippets_come_back_with_the_forms_flow_first() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let all = h.call("snippets", json!({ "settings": settings(&demo, &["client_paymentrequest"]) })).unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 8);
    let pairs: Vec<(String, String)> =
        all.iter().map(|s| (s["lang"].as_str().unwrap().into(), s["flow"].as_str().unwrap().into())).collect();
    assert_eq!(pairs[0], ("curl".into(), "secret".into()));
    assert_eq!(pairs[4], ("curl".into(), "certificate".into()));
    for lang in ["curl", "javascript", "python", "csharp"] {
        for flow in ["secret", "certificate"] {
            assert!(pairs.contains(&(lang.into(), flow.into())), "{lang} {flow}");
        }
    }
    let api_url = demo["api_url"].as_str().unwrap();
    for s in all {
        let code = s["code"].as_str().unwrap();
        assert!(code.contains(demo["client_id"].as_str().unwrap()), "{code}");
        assert!(code.contains("client_paymentrequest"));
        assert!(code.contains(api_url), "the API URL follows the token URL: {code}");
    }
    assert!(all[0]["code"].as_str().unwrap().contains("STITCH_CLIENT_SECRET"));

    let cert = h.start_demo("certificate");
    let all = h.call("snippets", json!({ "settings": settings(&cert, &["client_refund"]) })).unwrap();
    assert_eq!(all[0]["flow"], json!("certificate"));
}

#[test]
fn copying_a_snippet_copies_exactly_the_code_shown() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let settings = settings(&demo, &["client_paymentrequest"]);
    let all = h.call("snippets", json!({ "settings": settings })).unwrap();
    let python = all.as_array().unwrap().iter().find(|s| s["lang"] == "python" && s["flow"] == "secret").unwrap();
    h.call("copy_snippet", json!({ "settings": settings, "lang": "python", "flow": "secret" })).unwrap();
    assert_eq!(h.clipboard.text().as_deref(), python["code"].as_str());
}

// ---------------------------------------------------------------------------------------
// Secrets never come back

#[test]
fn no_test_inspector_or_snippet_response_ever_holds_a_secret_or_a_private_key() {
    let mut h = Desk::new();
    for client in ["secret", "certificate"] {
        let demo = h.start_demo(client);
        h.get_token(&demo, &["client_refund"]).unwrap();
        let report = h.check_token(&["client_refund", "client_paymentrequest"]).unwrap();
        h.call("inspector", json!({})).unwrap();
        h.call("fix_missing_scopes", json!({ "missing": report["missing_scopes"] })).unwrap();
        h.call("inspector", json!({})).unwrap();
        let settings = settings(&demo, &["client_refund", "client_paymentrequest"]);
        h.call("snippets", json!({ "settings": settings })).unwrap();
        for lang in ["curl", "javascript", "python", "csharp"] {
            for flow in ["secret", "certificate"] {
                h.call("copy_snippet", json!({ "settings": settings, "lang": lang, "flow": flow })).unwrap();
                h.seen.push(h.clipboard.text().unwrap());
            }
        }
        for which in ["token", "api"] {
            h.call("copy_exchange", json!({ "which": which })).unwrap();
            h.seen.push(h.clipboard.text().unwrap());
        }
    }
    // A wrong secret's failed request is in the inspector too.
    let demo = h.start_demo("secret");
    let typed =
        json!({ "secret": "typed-secret-7f3a9c1e5b", "clientId": demo["client_id"], "tokenUrl": demo["token_url"] });
    h.call("set_secret", typed).unwrap();
    h.get_token(&demo, &["client_refund"]).unwrap_err();
    h.call("inspector", json!({})).unwrap();

    let demo_secret = h.simulator().demo().secret.clone();
    let pem = std::fs::read_to_string(&h.simulator().demo().certificate_path).unwrap();
    let key_lines = support::private_key_lines(&pem);
    assert!(key_lines.len() > 10);
    assert!(h.seen.len() >= 40, "{}", h.seen.len());
    assert!(h.seen.iter().any(|r| r.contains("[redacted]")), "the masked secret is shown");
    let needles = [
        (demo_secret.as_str(), "the demo secret"),
        (demo::SECRET, "the demo secret"),
        ("typed-secret-7f3a9c1e5b", "a typed secret"),
        // (The certificate snippets name the PEM markers in a pattern, never a whole marker.)
        ("-----BEGIN PRIVATE KEY-----", "a key block"),
        ("-----BEGIN RSA PRIVATE KEY-----", "a key block"),
    ];
    support::assert_none_leaked(&h.seen, &needles, &key_lines);
}

// ---------------------------------------------------------------------------------------
// Capabilities

#[test]
fn the_main_window_may_call_the_check_commands_and_another_window_may_not() {
    let mut h = Desk::configured("main");
    let demo = h.demo_with_token("secret", &["client_paymentrequest"]);
    let settings = settings(&demo, &["client_paymentrequest"]);
    let calls = [
        ("check_token", json!({ "scopes_to_check": ["client_paymentrequest"] })),
        ("fix_missing_scopes", json!({ "missing": ["client_refund"] })),
        ("inspector", json!({})),
        ("snippets", json!({ "settings": settings })),
        ("copy_snippet", json!({ "settings": settings, "lang": "curl", "flow": "secret" })),
        ("copy_exchange", json!({ "which": "api" })),
    ];
    h.assert_allowed(calls);

    let mut other = Desk::configured("other");
    other.assert_not_allowed(&COMMANDS);
}
