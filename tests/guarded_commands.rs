//! What the window's commands guard, on Tauri's mock runtime against the built-in simulator
//! with an in-memory clipboard (`app_commands.rs` has the form, the demo and tokens): a request
//! cancelled, reveal and copy, secrets that never come back, and which window may call what.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::desk::{eventually, form, generated_permissions, registered_commands, Desk, Setup, WALKED};
use token_desk_core::simulator::{demo, Fault};

// ---------------------------------------------------------------------------------------
// Cancel

#[test]
fn cancelling_a_running_request_ends_it_calmly_as_cancelled() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    h.simulator().inject([Fault::Stall(Duration::from_secs(30))]);
    let window = h.window.clone();
    let form = form(&demo, &["client_paymentrequest"]);
    let started = Instant::now();
    let running = std::thread::spawn(move || support::invoke(&window, "get_token", json!({ "form": form })));
    // Cancel once the stalled request has reached the simulator, so the stall is spent on it
    // (on a busy machine the cancel could otherwise come first and leave the stall queued).
    assert!(eventually(Duration::from_secs(10), || h.simulator().token_requests() >= 1));

    let mut cancelled = false;
    assert!(eventually(Duration::from_secs(10), || {
        cancelled = cancelled || h.call("cancel_token", json!({})).unwrap() == json!(true);
        cancelled
    }));
    let failure = running.join().unwrap().unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "the request was not aborted");
    assert_eq!(failure["kind"], json!("cancelled"));
    assert!(failure["message"].as_str().unwrap().starts_with("Cancelled."), "{failure}");
    // Nothing is running any more, and the next request works.
    assert_eq!(h.call("cancel_token", json!({})).unwrap(), json!(false));
    assert!(h.get_token(&demo, &["client_paymentrequest"]).is_ok());
}

#[test]
fn cancel_with_nothing_running_changes_nothing() {
    let mut h = Desk::new();
    assert_eq!(h.call("cancel_token", json!({})).unwrap(), json!(false));
}

// ---------------------------------------------------------------------------------------
// Reveal and copy

#[test]
fn reveal_gives_the_whole_token_whose_ends_the_view_showed() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let view = h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    let token = h.call("reveal_token", json!({})).unwrap();
    let token = token.as_str().unwrap();
    let masked = view["masked"].as_str().unwrap();
    let (head, tail) = masked.split_once('…').unwrap();
    assert!(token.starts_with(head) && token.ends_with(tail) && token.len() > masked.len());
}

#[test]
fn reveal_and_copy_before_any_token_are_refused_in_plain_words() {
    let mut h = Desk::new();
    let failure = h.call("reveal_token", json!({})).unwrap_err();
    assert_eq!(failure["kind"], json!("bad_input"));
    let failure = h.copy("token").unwrap_err();
    assert!(failure["message"].as_str().unwrap().contains("no token to copy"), "{failure}");
    assert_eq!(h.clipboard.text(), None);
}

#[test]
fn copy_puts_the_token_the_header_and_a_curl_command_on_the_clipboard() {
    let mut h = Desk::new();
    let demo = h.demo_with_token("secret", &["client_paymentrequest"]);
    let token = h.call("reveal_token", json!({})).unwrap().as_str().unwrap().to_owned();

    let copied = h.copy("token").unwrap();
    assert_eq!(copied, json!({ "copied": "token", "clear_after_seconds": 60 }));
    assert_eq!(h.clipboard.text().unwrap(), token);

    h.copy("header").unwrap();
    assert_eq!(h.clipboard.text().unwrap(), format!("Authorization: Bearer {token}"));

    h.copy("curl").unwrap();
    let curl = h.clipboard.text().unwrap();
    let api = demo["api_url"].as_str().unwrap();
    assert!(curl.starts_with(&format!("curl -sS '{api}'")), "{curl}");
    assert!(curl.contains(&format!("-H 'Authorization: Bearer {token}'")), "{curl}");
    assert!(curl.contains(r#"--data '{"query":"query { client { id clientId } }"}'"#), "{curl}");
}

#[test]
fn an_unknown_copy_choice_is_refused() {
    let mut h = Desk::new();
    assert!(h.copy("secret").is_err());
}

#[test]
fn the_clipboard_is_cleared_after_the_delay_if_it_still_holds_the_copy() {
    let mut h = Desk::with(Setup { clear_after: Duration::from_secs(1), ..Setup::default() });
    h.demo_with_token("secret", &["client_paymentrequest"]);
    assert_eq!(h.copy("header").unwrap()["clear_after_seconds"], json!(1));
    assert!(h.clipboard.text().is_some());
    assert!(eventually(Duration::from_secs(5), || h.clipboard.text().is_none()), "the clipboard was not cleared");
}

// That the clipboard is left alone when something else was copied since, and that a newer
// copy is not cleared by an older one's timer, is tested where the timers are
// (src-tauri/clipboard.rs), waiting for each timer itself rather than sleeping on the clock.

#[test]
fn an_expired_token_cannot_be_copied() {
    let mut h = Desk::with(Setup { lifetime: Some(Duration::from_secs(1)), ..Setup::default() });
    let demo = h.start_demo("secret");
    let token = h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    assert_eq!(token["urgency"], json!("critical"));
    std::thread::sleep(Duration::from_millis(1300));
    let failure = h.copy("token").unwrap_err();
    assert!(failure["message"].as_str().unwrap().contains("expired"), "{failure}");
    assert_eq!(h.clipboard.text(), None);
}

// ---------------------------------------------------------------------------------------
// Secrets never come back

#[test]
fn no_command_ever_returns_a_secret_or_a_private_key() {
    let mut h = Desk::with(Setup { clear_after: Duration::from_secs(1), ..Setup::default() });
    let typed = "typed-secret-7f3a9c1e5b";
    h.call("defaults", json!({})).unwrap();
    h.call("scope_hints", json!({ "text": "client_paymentrequests openid" })).unwrap();
    let demo = h.start_demo("secret");
    let demo_secret = h.simulator().demo().secret.clone();
    let pem_path = h.simulator().demo().certificate_path.clone();
    let key_lines = support::private_key_lines(&std::fs::read_to_string(&pem_path).unwrap());
    assert!(key_lines.len() > 10);

    h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    h.get_new_token(&demo, &["client_paymentrequest", demo::WITHHELD_SCOPE]).unwrap();
    h.get_token(&demo, &["client_paymentrequest", "client_refund", "client_paymentrequests"]).ok();
    h.call("reveal_token", json!({})).unwrap();
    for what in ["token", "header", "curl"] {
        h.copy(what).unwrap();
    }
    h.set_secret(&demo_secret, &demo["token_url"]);
    h.start_demo("secret");
    h.set_secret(typed, &demo["token_url"]);
    h.get_token(&demo, &["client_paymentrequest"]).unwrap_err();
    h.get_token(&demo, &[]).unwrap_err();
    let form = json!({ "client_id": demo["client_id"], "auth": "secret", "scopes": ["client_refund"],
                       "token_url": "http://example.com/token" });
    h.call("get_token", json!({ "form": form })).unwrap_err();

    let cert_demo = h.start_demo("certificate");
    h.choose(&pem_path);
    let args = json!({ "clientId": cert_demo["client_id"], "tokenUrl": cert_demo["token_url"] });
    h.call("choose_certificate", args).unwrap();
    h.get_token(&cert_demo, &["client_paymentrequest"]).unwrap();
    h.get_new_token(&cert_demo, &["client_refund", demo::REFUSED_SCOPE]).unwrap_err();
    h.call("reveal_token", json!({})).unwrap();
    h.copy("curl").unwrap();
    h.choose_certificate("/no/such/file.pem").unwrap_err();
    h.call("forget_credential", json!({})).unwrap();
    h.call("cancel_token", json!({})).unwrap();

    assert!(h.seen.len() >= 24, "{}", h.seen.len());
    let missed: Vec<_> = WALKED.split(' ').filter(|c| !h.called.contains(*c)).collect();
    assert!(missed.is_empty(), "not called: {missed:?}");
    let needles =
        [(demo_secret.as_str(), "the demo secret"), (typed, "a typed secret"), ("PRIVATE KEY", "a key block")];
    support::assert_none_leaked(&h.seen, &needles, &key_lines);
}

// ---------------------------------------------------------------------------------------
// Capabilities

#[test]
fn the_main_windows_capability_allows_every_app_command() {
    let mut h = Desk::configured("main");
    let demo = h.start_demo("secret");
    let form = form(&demo, &["client_paymentrequest"]);
    h.choose(h.simulator().demo().certificate_path.clone());
    let calls = [
        ("defaults", json!({})),
        ("scope_hints", json!({ "text": "client_refunds" })),
        ("forget_credential", json!({})),
        ("choose_certificate", json!({ "clientId": demo::CERTIFICATE_CLIENT_ID, "tokenUrl": demo["token_url"] })),
        ("set_secret", json!({ "secret": demo::SECRET, "clientId": demo["client_id"], "tokenUrl": demo["token_url"] })),
        ("get_token", json!({ "form": form })),
        ("cancel_token", json!({})),
        ("reveal_token", json!({})),
        ("copy", json!({ "what": "token" })),
    ];
    h.assert_allowed(calls);
}

#[test]
fn a_window_without_a_capability_cannot_call_the_commands() {
    let mut h = Desk::configured("other");
    let commands = generated_permissions().into_keys().collect::<Vec<_>>();
    assert!(commands.len() >= 40, "{commands:?}");
    h.assert_not_allowed(&commands.iter().map(String::as_str).collect::<Vec<_>>());
}

/// build.rs declares the commands (tauri-build writes a permission for each), lib.rs registers
/// them, the main window's capability grants them: three lists that must name the same commands.
#[test]
fn every_registered_command_has_a_generated_permission_that_the_main_window_is_granted() {
    let generated = generated_permissions();
    let declared: BTreeSet<String> = generated.keys().cloned().collect();
    assert_eq!(declared, registered_commands(), "build.rs's manifest and lib.rs's handler differ");
    let capability: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/capabilities/default.json")).unwrap(),
    )
    .unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|p| p.starts_with("allow-"))
        .map(str::to_owned)
        .collect();
    assert_eq!(granted, generated.into_values().collect::<BTreeSet<_>>(), "the main window's app permissions");
}

#[test]
fn the_page_may_not_use_the_clipboard_or_dialog_plugins_itself() {
    let mut h = Desk::configured("main");
    h.assert_not_allowed(&[
        "plugin:clipboard-manager|read_text",
        "plugin:clipboard-manager|write_text",
        "plugin:dialog|open",
    ]);
}
