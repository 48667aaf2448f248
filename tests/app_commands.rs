//! The window's commands on Tauri's mock runtime, against the built-in simulator, with an
//! in-memory clipboard: the form, the demo and tokens (what the commands guard is in
//! `guarded_commands.rs`).

mod support;

use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use support::desk::{Desk, Setup};
use tauri::Manager;
use token_desk_app::state::AppState;
use token_desk_core::simulator::demo;

// ---------------------------------------------------------------------------------------
// The form

#[test]
fn the_simulator_card_shows_while_nothing_is_set_up_or_the_form_points_at_the_built_in_simulator() {
    let mut h = Desk::with_profiles();
    let view = |h: &mut Desk, client: &str, url: Value| {
        h.call("form_view", json!({ "clientId": client, "tokenUrl": url })).expect("form_view answers")
    };
    assert_eq!(view(&mut h, "", Value::Null), json!({ "on_simulator": false, "demo_card": true }));
    let colleague = json!("http://127.0.0.1:56253/connect/token");
    assert_eq!(view(&mut h, "test-colleague", colleague.clone()), json!({ "on_simulator": false, "demo_card": false }));
    let demo = h.start_demo("secret");
    assert_eq!(
        view(&mut h, "test-colleague", demo["token_url"].clone()),
        json!({ "on_simulator": true, "demo_card": true })
    );
    assert_eq!(view(&mut h, "test-colleague", colleague), json!({ "on_simulator": false, "demo_card": false }));
}

#[test]
fn the_defaults_are_stitchs_token_url_and_audience_and_the_eight_client_scopes() {
    let mut h = Desk::new();
    let d = h.call("defaults", json!({})).unwrap();
    assert_eq!(d["token_url"], json!(token_desk_core::STITCH_TOKEN_URL));
    assert_eq!(d["audience"], json!(token_desk_core::STITCH_TOKEN_URL));
    assert_eq!(d["clipboard_clear_seconds"], json!(60));
    let scopes = d["scopes"].as_array().unwrap();
    assert_eq!(scopes.len(), 8);
    assert!(scopes.iter().any(|s| s["name"] == "client_paymentrequest"));
    assert!(scopes.iter().all(|s| !s["description"].as_str().unwrap().is_empty()));
}

#[test]
fn a_typed_scope_that_is_a_near_miss_gets_a_did_you_mean_hint() {
    let mut h = Desk::new();
    let hints = h.call("scope_hints", json!({ "text": "client_paymentrequests" })).unwrap();
    assert_eq!(hints.as_array().unwrap().len(), 1);
    assert_eq!(hints[0]["scope"], json!("client_paymentrequests"));
    assert_eq!(hints[0]["suggestion"], json!("client_paymentrequest"));
    assert!(hints[0]["message"].as_str().unwrap().contains("Did you mean client_paymentrequest?"));
}

#[test]
fn known_scopes_get_no_hint_and_unknown_ones_a_plain_warning() {
    let mut h = Desk::new();
    let hints = h.call("scope_hints", json!({ "text": "client_refund, openid  " })).unwrap();
    let hints = hints.as_array().unwrap();
    assert_eq!(hints.len(), 1, "{hints:?}");
    assert_eq!(hints[0]["scope"], json!("openid"));
    assert_eq!(hints[0]["suggestion"], Value::Null);
    assert!(hints[0]["message"].as_str().unwrap().contains("not one of Stitch's client scopes"));
    assert_eq!(h.call("scope_hints", json!({ "text": "  " })).unwrap(), json!([]));
}

#[test]
fn setting_a_secret_says_only_whether_one_is_set() {
    let mut h = Desk::new();
    assert_eq!(h.set_secret("s3cret-value", &Value::Null), json!({ "secret_set": true }));
    assert_eq!(h.set_secret("   ", &Value::Null), json!({ "secret_set": false }));
}

// ---------------------------------------------------------------------------------------
// Demo and tokens

#[test]
fn the_secret_demo_fills_in_a_client_and_the_simulator_gives_it_a_token() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let token_url = demo["token_url"].as_str().unwrap();
    assert!(token_url.starts_with("http://127.0.0.1:") && token_url.ends_with("/connect/token"));
    assert_eq!(demo["audience"], demo["token_url"]);
    assert_eq!(demo["api_url"], json!(token_url.replace("/connect/token", "/graphql")));
    assert_eq!(demo["client_id"], json!(demo::SECRET_CLIENT_ID));
    assert_eq!(demo["auth"], json!("secret"));
    assert_eq!(demo["scopes"], json!(["client_paymentrequest"]));
    assert_eq!(demo["secret_set"], json!(true));
    assert_eq!(demo["certificate"], Value::Null);

    let token = h.get_token(&demo, &["client_paymentrequest"]).expect("a token");
    assert!(token.get("access_token").is_none(), "the view carries only the masked token");
    assert!(token["masked"].as_str().unwrap().contains('…'));
    assert_eq!(token["token_type"], json!("Bearer"));
    assert_eq!(token["granted"], json!(["client_paymentrequest"]));
    assert_eq!(token["requested"], json!(["client_paymentrequest"]));
    assert_eq!(token["not_granted"], json!([]));
    assert_eq!(token["from_cache"], json!(false));
    assert_eq!(token["expires_in"], json!(3600));
    assert!(token["remaining_seconds"].as_u64().unwrap() > 3590);
    assert_eq!(token["urgency"], json!("normal"));
    assert_eq!(token["thresholds"], json!({ "soon_seconds": 300, "critical_seconds": 60 }));
    assert!(token["issued_at"].as_str().unwrap().ends_with('Z'));
    assert!(token["expires_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(token["api_url"], demo["api_url"]);
}

#[test]
fn the_certificate_demo_fills_in_the_certificate_file_and_its_facts() {
    let mut h = Desk::new();
    let demo = h.start_demo("certificate");
    assert_eq!(demo["client_id"], json!(demo::CERTIFICATE_CLIENT_ID));
    assert_eq!(demo["auth"], json!("certificate"));
    let cert = &demo["certificate"];
    let path = cert["path"].as_str().unwrap();
    assert_eq!(std::path::Path::new(path), h.simulator().demo().certificate_path);
    assert!(cert["subject"].as_str().unwrap().contains(demo::CERTIFICATE_CLIENT_ID));
    assert_eq!(cert["validity"], json!("valid"));

    let token = h.get_token(&demo, &["client_paymentrequest", "client_refund"]).expect("a token");
    assert_eq!(token["granted"], json!(["client_paymentrequest", "client_refund"]));
    assert_eq!(token["from_cache"], json!(false));
}

#[test]
fn the_demo_certificate_shows_its_subject_thumbprint_and_expiry_date() {
    let mut h = Desk::new();
    h.start_demo("secret");
    let path = h.simulator().demo().certificate_path.display().to_string();
    let cert = h.choose_certificate(&path).unwrap();
    assert_eq!(cert["path"], json!(path));
    assert_eq!(cert["subject"], json!(format!("CN={}", demo::CERTIFICATE_CLIENT_ID)));
    let thumbprint = cert["thumbprint"].as_str().unwrap();
    assert_eq!(thumbprint.len(), 40);
    assert!(thumbprint.chars().all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)), "{thumbprint}");
    let expires_on = cert["expires_on"].as_str().unwrap();
    assert_eq!(expires_on.len(), 10, "{expires_on}");
    assert!(cert["not_after"].as_str().unwrap().starts_with(expires_on));
    assert!(cert["not_before"].as_str().unwrap() < cert["not_after"].as_str().unwrap());
    assert_eq!(cert["validity"], json!("valid"));
    assert_eq!(cert["warning"], Value::Null);
    assert_eq!(cert.as_object().unwrap().len(), 8, "only public facts: {cert}");
}

/// Writes a Stitch-shaped PEM valid from `from` to `until` into `dir`.
fn write_certificate(dir: &std::path::Path, name: &str, from: SystemTime, until: SystemTime) -> std::path::PathBuf {
    let key = demo::generate_key();
    let der = demo::self_signed_der(&key, "test-soon", from, until);
    let pem = demo::stitch_shaped_pem(&key, &der, "test-soon", demo::KeyForm::Pkcs8, false);
    let path = dir.join(name);
    std::fs::write(&path, pem).unwrap();
    path
}

/// What the window shows for a certificate issued `age` days ago that expires in `left` days
/// (negative: expired that many days ago).
fn chosen_certificate(age: u32, left: i32) -> Value {
    let mut h = Desk::new();
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let until = if left < 0 { now - left.unsigned_abs() * day } else { now + left.unsigned_abs() * day };
    let path = write_certificate(&h.dir, "client.pem", now - age * day, until);
    h.choose_certificate(path).unwrap()
}

#[test]
fn a_certificate_that_expires_within_30_days_is_warned_about() {
    let cert = chosen_certificate(300, 10);
    assert_eq!(cert["validity"], json!("expires_soon"));
    assert!(cert["warning"].as_str().unwrap().contains("expires on"), "{cert}");
}

#[test]
fn an_expired_certificate_is_shown_as_expired_with_a_warning() {
    let cert = chosen_certificate(400, -2);
    assert_eq!(cert["validity"], json!("expired"));
    assert!(cert["warning"].as_str().unwrap().contains("expired"), "{cert}");
}

#[test]
fn a_missing_certificate_file_is_refused_in_plain_words() {
    let mut h = Desk::new();
    let missing = &h.dir.join("nowhere.pem");
    let failure = h.choose_certificate(missing).unwrap_err();
    assert_eq!(failure["kind"], json!("bad_input"));
    assert!(failure["message"].as_str().unwrap().contains("could not be read"), "{failure}");
    // A cancelled chooser changes nothing and says nothing.
    h.app.state::<AppState>().chooser.answer_next(None);
    let args = json!({ "clientId": demo::CERTIFICATE_CLIENT_ID, "tokenUrl": null });
    assert_eq!(h.call("choose_certificate", args).unwrap(), Value::Null);
}

/// Get token for a `auth` client with `scope` and no credential at all: refused as bad input.
fn refused_as_bad_input(auth: &str, scope: &str) -> Value {
    let mut h = Desk::new();
    let form = json!({ "client_id": "test-client", "auth": auth, "scopes": [scope] });
    let failure = h.call("get_token", json!({ "form": form })).unwrap_err();
    assert_eq!(failure["kind"], json!("bad_input"), "{failure}");
    failure
}

#[test]
fn a_certificate_client_without_a_file_is_asked_for_one() {
    let failure = refused_as_bad_input("certificate", "client_refund");
    assert!(failure["message"].as_str().unwrap().contains("certificate file"), "{failure}");
}

/// A demo token, then the same token asked for again: with Get new token when `fresh` (the
/// answer is not from the cache), else with Get token (it is). The desk, and the first token.
fn asked_twice(fresh: bool) -> (Desk, Value) {
    let mut h = Desk::new();
    let demo = h.demo_with_token("secret", &["client_paymentrequest"]);
    let first = h.call("reveal_token", json!({})).unwrap();
    let scopes = ["client_paymentrequest"];
    let again = if fresh { h.get_new_token(&demo, &scopes) } else { h.get_token(&demo, &scopes) }.unwrap();
    assert_eq!(again["from_cache"], json!(!fresh), "{again}");
    (h, first)
}

#[test]
fn a_second_request_for_the_same_token_comes_from_the_cache() {
    let (mut h, first) = asked_twice(false);
    assert_eq!(h.call("reveal_token", json!({})).unwrap(), first);
    assert_eq!(h.simulator().token_requests(), 1);
}

#[test]
fn get_new_token_asks_the_server_even_when_the_cached_one_is_fresh() {
    let (mut h, first) = asked_twice(true);
    assert_ne!(h.call("reveal_token", json!({})).unwrap(), first);
    assert_eq!(h.simulator().token_requests(), 2);
}

#[test]
fn a_requested_scope_that_is_not_granted_is_listed_as_not_granted() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let token = h.get_token(&demo, &["client_paymentrequest", demo::WITHHELD_SCOPE]).unwrap();
    assert_eq!(token["requested"], json!(["client_paymentrequest", demo::WITHHELD_SCOPE]));
    assert_eq!(token["granted"], json!(["client_paymentrequest"]));
    assert_eq!(token["not_granted"], json!([demo::WITHHELD_SCOPE]));
}

#[test]
fn a_misspelt_scope_is_sent_with_a_did_you_mean_notice() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let failure = h.get_token(&demo, &["client_paymentrequest", "client_refunds"]).unwrap_err();
    // The simulator refuses the unknown scope, as Stitch does.
    assert_eq!(failure["kind"], json!("scope_not_allowed"));
    let hints = h.call("scope_hints", json!({ "text": "client_refunds" })).unwrap();
    assert_eq!(hints[0]["suggestion"], json!("client_refund"));
}

#[test]
fn a_scope_the_client_may_not_have_is_refused_with_a_plain_message_and_details() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    let failure = h.get_token(&demo, &["client_paymentrequest", demo::REFUSED_SCOPE]).unwrap_err();
    assert_eq!(failure["kind"], json!("scope_not_allowed"));
    assert!(!failure["message"].as_str().unwrap().is_empty());
    let details = failure["details"].as_array().unwrap();
    assert!(details.iter().any(|l| l.as_str().unwrap() == "HTTP status: 400"), "{details:?}");
    assert!(details.iter().any(|l| l.as_str().unwrap() == "OAuth error: invalid_scope"), "{details:?}");
}

#[test]
fn a_wrong_secret_is_refused_as_invalid_client_with_a_plain_message() {
    let mut h = Desk::new();
    let demo = h.start_demo("secret");
    h.set_secret("not-the-demo-secret", &demo["token_url"]);
    let failure = h.get_token(&demo, &["client_paymentrequest"]).unwrap_err();
    assert_eq!(failure["kind"], json!("invalid_client"));
    assert!(failure["message"].as_str().unwrap().contains("secret"), "{failure}");
    assert_eq!(failure["details"][0], json!("kind: invalid_client"));
    // The page marks the secret "not accepted — type it again" instead of "set".
    assert_eq!(failure["credential_rejected"], json!(true));
    assert_eq!(failure.as_object().unwrap().len(), 4, "kind, message, details, credential_rejected: {failure}");
}

#[test]
fn asking_for_a_token_before_any_secret_is_entered_is_refused_as_bad_input() {
    let failure = refused_as_bad_input("secret", "client_paymentrequest");
    assert_eq!(failure["message"], json!("Enter the client secret."));
}

#[test]
fn a_short_lived_token_reports_its_time_left_and_urgency() {
    let mut h = Desk::with(Setup { lifetime: Some(Duration::from_secs(240)), ..Setup::default() });
    let demo = h.start_demo("secret");
    let token = h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    assert_eq!(token["expires_in"], json!(240));
    assert!((230..=240).contains(&token["remaining_seconds"].as_u64().unwrap()), "{token}");
    assert_eq!(token["urgency"], json!("soon"));
}
