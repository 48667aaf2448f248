//! Issue 11's commands as the window calls them, on Tauri's mock runtime against the built-in
//! simulator: presenter mode (Reveal refused, nothing of the token and only the ends of client
//! ids and thumbprints in any response), Find which one, a handed token tested and never
//! kept, and the token forgotten when the client changes.

mod support;

use serde_json::json;
use support::desk::{form, settings, Desk};
use token_desk_core::shorten::longest_shared_run;
use token_desk_core::simulator::demo;

impl Desk {
    fn presenting(&mut self, on: bool) {
        let mode = self.call("set_presenter_mode", json!({ "on": on })).unwrap();
        assert_eq!(mode["on"], json!(on));
    }

    /// The whole token last fetched, read from the clipboard after Copy token (the page never
    /// receives it in presenter mode, so the test gets it the way a user's paste would).
    fn copied_token(&mut self) -> String {
        self.call("copy", json!({ "what": "token" })).expect("the token is copied");
        self.clipboard.text().expect("the clipboard holds the token")
    }

    /// The longest run of `value`'s characters in any response so far.
    fn longest_run_seen(&self, value: &str) -> usize {
        self.seen.iter().map(|s| longest_shared_run(s, value)).max().unwrap_or(0)
    }
}

#[test]
fn presenter_mode_is_off_until_switched_on_and_back_off() {
    let mut h = Desk::new();
    assert_eq!(h.call("presenter_mode", json!({})).unwrap()["on"], json!(false));
    h.presenting(true);
    assert_eq!(h.call("presenter_mode", json!({})).unwrap()["on"], json!(true));
    h.presenting(false);
    assert_eq!(h.call("presenter_mode", json!({})).unwrap()["on"], json!(false));
}

#[test]
fn in_presenter_mode_reveal_is_refused_and_no_response_holds_eight_characters_of_the_token() {
    let mut h = Desk::new();
    h.presenting(true);
    let demo = h.demo_with_token("certificate", &["client_paymentrequest"]);
    let refusal = h.call("reveal_token", json!({})).unwrap_err();
    assert!(refusal["message"].as_str().unwrap().contains("Presenter mode"), "{refusal}");
    h.call("check_token", json!({ "scopes_to_check": ["client_paymentrequest"] })).unwrap();
    h.call("inspector", json!({})).unwrap();
    h.call("snippets", json!({ "settings": settings(&demo, &["client_paymentrequest"]) })).unwrap();
    let token = h.copied_token();
    assert!(token.len() > 20, "a real token: {token}");
    assert!(h.longest_run_seen(&token) < 8, "8 or more characters of the token reached the page");
}

#[test]
fn in_presenter_mode_the_inspector_and_the_code_show_only_the_ends_of_the_client_id_and_thumbprint() {
    let mut h = Desk::new();
    let demo = h.start_demo("certificate");
    let client_id = demo["client_id"].as_str().unwrap().to_owned();
    let thumbprint = demo["certificate"]["thumbprint"].as_str().unwrap().to_owned();
    h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    h.call("check_token", json!({ "scopes_to_check": [] })).unwrap();
    let settings = settings(&demo, &["client_paymentrequest"]);

    // Off: the inspector shows both in full (so the check below can fail).
    let full = h.call("inspector", json!({})).unwrap().to_string();
    assert!(full.contains(&client_id) && full.contains(&thumbprint), "{full}");

    h.presenting(true);
    let inspector = h.call("inspector", json!({})).unwrap().to_string();
    let code = h.call("snippets", json!({ "settings": settings })).unwrap().to_string();
    let short = h.call("shortened", json!({ "clientId": client_id, "thumbprint": thumbprint })).unwrap();
    for shown in [&inspector, &code, &short.to_string()] {
        assert!(longest_shared_run(shown, &client_id["test-".len()..]) < 8, "client id in full: {shown}");
        assert!(longest_shared_run(shown, &thumbprint) < 8, "thumbprint in full: {shown}");
    }
    assert!(inspector.contains("test-") && inspector.contains('…'), "{inspector}");

    // Copy code still copies the code in full: the clipboard is not the screen.
    h.call("copy_snippet", json!({ "settings": settings, "lang": "curl", "flow": "certificate" })).unwrap();
    assert!(h.clipboard.text().unwrap().contains(&client_id));
}

#[test]
fn find_which_one_asks_for_each_scope_alone_and_names_the_refused_one() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let scopes = ["client_paymentrequest", demo::REFUSED_SCOPE];
    let refusal = h.get_token(&demo, &scopes).unwrap_err();
    assert_eq!(refusal["kind"], "scope_not_allowed");
    assert!(refusal.get("refused_scopes").is_none(), "Stitch-like: the server named none: {refusal}");
    let before = h.simulator().token_requests();
    let probe = h.call("find_refused_scope", json!({ "form": form(&demo, &scopes) })).unwrap();
    assert_eq!(probe["refused"], json!([demo::REFUSED_SCOPE]), "{probe}");
    assert_eq!(h.simulator().token_requests() - before, 2, "one request per scope");
    assert!(probe["summary"].as_str().unwrap().starts_with(&format!("{} is not enabled", demo::REFUSED_SCOPE)));
    // The probe's tokens are thrown away: nothing to reveal or test.
    assert!(h.call("reveal_token", json!({})).is_err());
}

#[test]
fn a_handed_token_is_tested_never_kept_and_never_sent_back() {
    let mut h = Desk::new();
    let demo = h.demo_with_token("secret", &["client_refund"]);
    let token = h.copied_token();
    h.call("forget_token", json!({})).unwrap();
    let report = h
        .call(
            "test_handed_token",
            json!({ "token": token, "api_url": demo["api_url"], "scopes": ["client_refund", "client_paymentrequest"] }),
        )
        .unwrap();
    let verdicts: Vec<(String, String)> = report["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["scope"].as_str().unwrap().to_owned(), s["verdict"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        verdicts,
        [("client_refund".into(), "cannot_check_safely".into()), ("client_paymentrequest".into(), "missing".into())],
        "{report}"
    );
    assert!(report.get("client").is_none(), "{report}");
    assert!(h.longest_run_seen(&token) < 8, "the handed token came back to the page");
    let none = h.call("check_token", json!({ "scopes_to_check": [] })).unwrap_err();
    assert!(none["message"].as_str().unwrap().contains("Get token first"), "it was not kept: {none}");
}

#[test]
fn a_blank_handed_token_is_refused_before_anything_is_sent() {
    let mut h = Desk::new();
    h.start_demo("secret");
    let refusal = h.call("test_handed_token", json!({ "token": "  ", "api_url": null, "scopes": [] })).unwrap_err();
    assert_eq!(refusal["kind"], "bad_input");
    assert_eq!(h.simulator().api_requests(), 0);
}

#[test]
fn forgetting_the_token_leaves_nothing_to_copy_reveal_or_test() {
    let mut h = Desk::new();
    h.demo_with_token("secret", &["client_paymentrequest"]);
    h.call("forget_token", json!({})).unwrap();
    assert!(h.call("reveal_token", json!({})).is_err());
    assert!(h.call("copy", json!({ "what": "token" })).is_err());
    assert!(h.call("check_token", json!({ "scopes_to_check": [] })).is_err());
}

#[test]
fn a_new_token_says_where_it_came_from_in_words() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let fresh = h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    assert_eq!(fresh["source"], "new from the built-in simulator");
    let again = h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    assert_eq!(again["source"], "reused from earlier (no request sent)");
}

#[test]
fn the_main_window_may_call_the_new_commands_and_another_window_may_not() {
    let mut h = Desk::configured("main");
    let demo = h.start_demo("secret");
    let calls = [
        ("presenter_mode", json!({})),
        ("set_presenter_mode", json!({ "on": false })),
        ("shortened", json!({ "clientId": demo["client_id"] })),
        ("forget_token", json!({})),
        ("find_refused_scope", json!({ "form": form(&demo, &["client_paymentrequest"]) })),
        ("test_handed_token", json!({ "token": "not-a-real-token", "api_url": demo["api_url"], "scopes": [] })),
        ("last_profile", json!({})),
    ];
    h.assert_allowed(calls);
    let mut other = Desk::configured("other");
    // Issue 11's commands (the capability test of app_commands.rs covers the whole list).
    other.assert_not_allowed(&["forget_token", "presenter_mode", "set_presenter_mode", "shortened"]);
    other.assert_not_allowed(&["find_refused_scope", "test_handed_token", "last_profile", "remember_profile"]);
}

/// A client id of another client, as long as Stitch's.
const OTHER_CLIENT: &str = "test-0a1b2c3d-4e5f-4789-abcd-ef0123456789";

#[test]
fn in_presenter_mode_an_error_message_names_client_ids_only_by_their_ends() {
    let mut h = Desk::with_profiles();
    let demo = h.start_demo("secret");
    let mut other = form(&demo, &["client_paymentrequest"]);
    other["client_id"] = json!(OTHER_CLIENT);
    // Off: the refusal names both clients in full (so the check below can fail).
    let full = h.call("get_token", json!({ "form": other.clone() })).unwrap_err().to_string();
    assert!(full.contains(demo::SECRET_CLIENT_ID) && full.contains(OTHER_CLIENT), "{full}");

    h.presenting(true);
    let shown = h.call("get_token", json!({ "form": other })).unwrap_err();
    let text = shown.to_string();
    for id in [demo::SECRET_CLIENT_ID, OTHER_CLIENT] {
        assert!(longest_shared_run(&text, &id["test-".len()..]) < 8, "{id} in full: {text}");
    }
    let message = shown["message"].as_str().unwrap();
    assert!(message.starts_with("This secret was entered for test-5e1f…6a58 at "), "{message}");
    assert!(message.ends_with("Enter the secret of test-0a1b…6789 to use it."), "{message}");
    // The same refusal when the secret is saved as a new profile.
    let save = json!({ "form": {
        "name": "Other", "live": false, "client_id": OTHER_CLIENT, "auth": "secret", "scopes": [],
        "token_url": demo["token_url"], "audience": null, "save_secret": true, "secret_issued_on": null,
    }});
    let refused = h.call("save_profile", save).unwrap_err()["message"].as_str().unwrap().to_owned();
    assert!(refused.ends_with("Enter the secret of test-0a1b…6789 to use it."), "{refused}");
}

#[test]
fn in_presenter_mode_certificate_and_company_ca_files_are_named_without_their_folders() {
    let mut h = Desk::new();
    let folder = h.dir.join("clients").join(OTHER_CLIENT);
    let ca = support::net::TestCa::new(&folder);
    let not_a_ca = folder.join("notes.pem");
    std::fs::write(&not_a_ca, "not a certificate").unwrap();

    // Off: the whole path (so the checks below can fail).
    h.choose(&ca.ca_pem);
    let full = h.call("choose_ca_file", json!({})).unwrap();
    assert_eq!(full["ca_file"], ca.ca_pem.display().to_string());
    let demo = h.start_demo("certificate");
    assert!(demo["certificate"]["path"].as_str().unwrap().contains('/'), "{demo}");

    h.presenting(true);
    assert_eq!(h.call("network", json!({})).unwrap()["ca_file"], "ca.pem");
    h.choose(&ca.ca_pem);
    assert_eq!(h.call("choose_ca_file", json!({})).unwrap()["ca_file"], "ca.pem");
    let demo = h.start_demo("certificate");
    let path = demo["certificate"]["path"].as_str().unwrap();
    assert!(!path.contains('/') && path.ends_with(".pem"), "{path}");
    h.choose(&not_a_ca);
    let refused = h.call("choose_ca_file", json!({})).unwrap_err().to_string();
    assert!(refused.contains("notes.pem") && !refused.contains(&folder.display().to_string()), "{refused}");
    let short = h.call("shortened", json!({ "clientId": "", "path": not_a_ca.display().to_string() })).unwrap();
    assert_eq!(short["file_name"], "notes.pem");
    let folder_name = &OTHER_CLIENT["test-".len()..];
    let since_on = h.seen.iter().skip(3).cloned().collect::<Vec<_>>();
    assert!(since_on.iter().all(|s| !s.contains(folder_name)), "a folder reached the page: {since_on:?}");
}
