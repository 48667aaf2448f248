//! The window's profile commands on Tauri's mock runtime, against the built-in simulator.
//! Secrets go to the OS keyring: the real Secret Service when the session has one (scripts/test
//! runs everything in a D-Bus session with an unlocked gnome-keyring and sets
//! `TOKEN_DESK_KEYRING_TESTS=1`), else the in-memory stand-in for the session. The commands must
//! work either way, and no response may ever hold a secret or a private key.

mod support;

use std::path::PathBuf;

use serde_json::{json, Value};
use support::desk::Desk;
use support::{real_keyring, unique};
use tauri::Manager;
use token_desk_app::state::AppState;
use token_desk_core::simulator::demo;

fn save_form(name: &str, token_url: &str, live: bool, save_secret: bool) -> Value {
    json!({ "form": {
        "name": name, "live": live, "client_id": demo::SECRET_CLIENT_ID, "auth": "secret",
        "scopes": ["client_paymentrequest"], "token_url": token_url, "audience": null,
        "save_secret": save_secret, "secret_issued_on": null,
    }})
}

fn token_form(profile: &str, force: bool) -> Value {
    // Client and URLs are deliberately wrong: a profile's own are used.
    json!({ "form": {
        "client_id": "someone-else", "auth": "secret", "scopes": ["client_paymentrequest"],
        "token_url": "https://example.invalid/connect/token", "audience": null, "force": force,
        "profile": profile,
    }})
}

fn expected_secret_state() -> &'static str {
    if real_keyring() {
        "saved"
    } else {
        "this_session_only"
    }
}

/// A profile with no secret: "missing", or "unknown" when no keyring can be asked.
fn expected_missing() -> &'static str {
    if real_keyring() {
        "missing"
    } else {
        "unknown"
    }
}

#[test]
fn a_saved_profile_gets_a_token_without_retyping_the_secret() {
    let (mut desk, token_url, name) = Desk::for_a_profile("Shop test");
    let saved = desk.ok("save_profile", save_form(&name, &token_url, false, true));
    assert_eq!(saved["profile"]["secret"], expected_secret_state(), "{saved}");
    assert_eq!(saved["keyring_notice"].is_null(), real_keyring(), "{saved}");

    // The secret entered for the demo is forgotten: the profile's comes from the keyring.
    desk.ok("forget_credential", json!({}));
    let token = desk.ok("get_token", token_form(&name, false));
    assert_eq!(token["from_cache"], false);
    assert_eq!(desk.requests(), 1);
    let again = desk.ok("get_token", token_form(&name, false));
    assert_eq!(again["from_cache"], true, "the second token comes from the cache");
    assert_eq!(desk.requests(), 1);

    let listed = desk.profile(&name);
    assert_eq!(listed["client_id"], demo::SECRET_CLIENT_ID);
    assert_eq!(listed["token_url"], token_url.as_str());
    assert_eq!(listed["scopes"], json!(["client_paymentrequest"]));
    assert!(!std::fs::read_to_string(desk.dir.as_path().join("config/profiles.json")).unwrap().contains(demo::SECRET));

    desk.ok("delete_profile", json!({ "name": name }));
    desk.assert_no_secret(demo::SECRET);
}

#[test]
fn with_the_real_keyring_a_new_app_reuses_the_secret_and_the_kept_token() {
    if !support::skip::keyring_tests() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut first = Desk::open(dir.path());
    let token_url = first.demo();
    let name = unique("Restarted");
    first.ok("save_profile", save_form(&name, &token_url, false, true));
    first.ok("get_token", token_form(&name, false));
    assert_eq!(first.requests(), 1);

    // A second app: new state, new keyring handle, new engine (its memory cache is empty).
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(other.path().join("config")).unwrap();
    std::fs::copy(dir.path().join("config/profiles.json"), other.path().join("config/profiles.json")).unwrap();
    let mut second = Desk::open(other.path());
    let token = second.ok("get_token", token_form(&name, false));
    assert_eq!(token["from_cache"], true, "the token kept in the keyring is reused: {token}");
    assert_eq!(first.requests(), 1, "no second request to the simulator");

    second.ok("delete_profile", json!({ "name": name }));
    first.assert_no_secret(demo::SECRET);
    second.assert_no_secret(demo::SECRET);
}

#[test]
fn with_the_real_keyring_a_profiles_kept_token_is_reused_without_reading_its_secret() {
    if !support::skip::keyring_tests() {
        return;
    }
    let (mut desk, token_url, name) = Desk::for_a_profile("Kept");
    desk.ok("save_profile", save_form(&name, &token_url, false, true));
    desk.ok("forget_credential", json!({}));
    let first = desk.ok("get_token", token_form(&name, false));
    assert_eq!(first["from_cache"], false);
    let sent = desk.ok("inspector", json!({}))["token"].clone();
    assert!(sent.is_object(), "the token request is shown: {sent}");

    // The kept token, and the one-click fix from it: the profile's request with one scope more.
    let again = desk.ok("get_token", token_form(&name, false));
    assert_eq!(
        (&again["from_cache"], &again["source"]),
        (&json!(true), &json!("reused from earlier (no request sent)"))
    );
    assert_eq!(again["masked"], first["masked"]);
    assert_eq!(desk.ok("inspector", json!({}))["token"], sent, "the last request sent is still the one shown");
    let api_url = desk.simulator().api_url();
    let fixed = desk.ok("fix_missing_scopes", json!({ "missing": ["client_refund"], "api_url": api_url }));
    assert_eq!(fixed["token"]["requested"], json!(["client_paymentrequest", "client_refund"]), "{fixed}");
    assert_eq!(desk.requests(), 2);

    // Take the secret away behind the window's back: only the kept token can answer now.
    let state = desk.app.state::<AppState>();
    let profile = state.profiles.settings().unwrap().find(&name).unwrap();
    state.profiles.secrets().delete(&profile).unwrap();
    let kept = desk.ok("get_token", token_form(&name, false));
    assert_eq!((&kept["from_cache"], &kept["masked"]), (&json!(true), &first["masked"]));
    assert_eq!(desk.requests(), 2, "no request, and the secret was not needed");
    let forced = desk.refused("get_token", token_form(&name, true));
    assert!(forced.contains("no saved secret"), "a new token needs the secret: {forced}");

    desk.ok("delete_profile", json!({ "name": name }));
    desk.assert_no_secret(demo::SECRET);
}

#[test]
fn a_live_profile_needs_a_confirmation_per_session_before_its_first_token() {
    let (mut desk, token_url, name) = Desk::for_a_profile("Shop LIVE");
    let saved = desk.ok("save_profile", save_form(&name, &token_url, true, true));
    assert_eq!(saved["profile"]["environment"], "live");
    assert_eq!(saved["profile"]["live_confirmed"], false);

    let refused = desk.call("get_token", token_form(&name, false)).expect_err("an unconfirmed live token is refused");
    assert_eq!(refused["kind"], "bad_input");
    assert!(refused["message"].as_str().unwrap().contains("Confirm"), "{refused}");
    assert_eq!(desk.requests(), 0, "nothing was sent");

    let confirmed = desk.ok("confirm_live", json!({ "name": name }));
    assert_eq!(confirmed["live_confirmed"], true);
    desk.ok("get_token", token_form(&name, false));
    assert_eq!(desk.requests(), 1);

    // A renamed live profile is confirmed again.
    let renamed = format!("{name} renamed");
    desk.ok("rename_profile", json!({ "name": name, "newName": renamed }));
    let refused = desk.call("get_token", token_form(&renamed, true)).expect_err("confirm again after a rename");
    assert_eq!(refused["kind"], "bad_input");
    desk.ok("delete_profile", json!({ "name": renamed }));
    desk.assert_no_secret(demo::SECRET);
}

#[test]
fn a_client_id_that_looks_live_must_be_marked_live() {
    let mut desk = Desk::with_profiles();
    let token_url = desk.demo();
    let mut form = save_form(&unique("Looks live"), &token_url, false, true);
    form["form"]["client_id"] = json!("5e1f6c0a-live-client");
    let refused = desk.call("save_profile", form).expect_err("refused");
    assert!(refused["message"].as_str().unwrap().contains("Live client"), "{refused}");
}

#[test]
fn rename_duplicate_replace_and_delete_keep_the_secret_with_its_profile() {
    let (mut desk, token_url, name) = Desk::for_a_profile("Original");
    desk.ok("save_profile", save_form(&name, &token_url, false, true));

    let renamed = format!("{name} b");
    let done = desk.ok("rename_profile", json!({ "name": name, "newName": renamed }));
    assert_eq!(done["profile"]["secret"], expected_secret_state());
    assert!(desk.profile(&name).is_null());

    let copy = format!("{name} copy");
    let done = desk.ok("duplicate_profile", json!({ "name": renamed, "newName": copy }));
    assert_eq!(done["profile"]["secret"], expected_secret_state());

    let taken = desk.call("duplicate_profile", json!({ "name": renamed, "newName": copy })).expect_err("name taken");
    assert!(taken["message"].as_str().unwrap().contains("already exists"), "{taken}");

    // A blank secret is refused, not saved over the real one.
    let blank = desk.call("replace_secret", json!({ "name": copy, "secret": "  " })).expect_err("blank");
    assert!(blank["message"].as_str().unwrap().contains("Type the new client secret"), "{blank}");
    assert_eq!(desk.profile(&copy)["secret"], expected_secret_state());

    // A wrong secret replaces the saved one (never shown) and is then refused by the server.
    let wrong = "wrong-secret-never-shown-7f3a";
    let done = desk.ok("replace_secret", json!({ "name": copy, "secret": wrong }));
    assert_eq!(done["profile"]["secret"], expected_secret_state());
    desk.ok("forget_credential", json!({}));
    let refused = desk.call("get_token", token_form(&copy, false)).expect_err("the wrong secret is refused");
    assert_eq!(refused["kind"], "invalid_client", "{refused}");

    let deleted = desk.ok("delete_profile", json!({ "name": copy }));
    assert!(deleted["message"].as_str().unwrap().contains("Deleted"), "{deleted}");
    assert!(desk.profile(&copy).is_null());
    // Its secret went with it: a profile saved again under that name without a secret has none.
    let mut form = save_form(&copy, &token_url, false, false);
    form["form"]["name"] = json!(copy);
    let again = desk.ok("save_profile", form);
    assert_eq!(again["profile"]["secret"], expected_missing(), "{again}");
    for n in [&renamed, &copy] {
        desk.ok("delete_profile", json!({ "name": n }));
    }
    desk.assert_no_secret(demo::SECRET);
    desk.assert_no_secret(wrong);
}

#[test]
fn a_certificate_profile_keeps_its_key_in_the_keyring_and_gets_a_token() {
    let mut desk = Desk::with_profiles();
    let view = desk.ok("start_demo", json!({ "client": "certificate" }));
    let path = view["certificate"]["path"].as_str().unwrap().to_owned();
    // The demo's certificate is held for the demo client at the simulator: what is saved.
    let name = unique("Certificate");
    let form = json!({ "form": {
        "name": name, "live": false, "client_id": view["client_id"], "auth": "certificate",
        "scopes": ["client_paymentrequest"], "token_url": view["token_url"],
        "audience": null, "save_secret": true, "secret_issued_on": "2025-01-31",
    }});
    let saved = desk.ok("save_profile", form);
    assert_eq!(saved["profile"]["auth"], "certificate");
    assert_eq!(saved["profile"]["certificate"]["thumbprint"].as_str().unwrap().len(), 40, "{saved}");
    let token = desk.ok(
        "get_token",
        json!({ "form": { "client_id": "", "auth": "certificate", "scopes": [], "profile": name, "force": false } }),
    );
    assert!(token["masked"].is_string(), "{token}");

    let pem = std::fs::read_to_string(&path).unwrap();
    let key_line = pem.lines().find(|l| l.len() > 40 && !l.starts_with("-----")).unwrap().to_owned();
    desk.ok("delete_profile", json!({ "name": name }));
    desk.assert_no_secret(&key_line);
}

#[test]
fn export_writes_no_secret_and_import_shows_its_plan_before_changing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path());
    let token_url = desk.demo();
    let name = unique("Shared");
    desk.ok("save_profile", save_form(&name, &token_url, false, true));
    let file: PathBuf = dir.path().join("export.json");
    desk.choose(&file);
    let done = desk.ok("export_profiles", json!({}));
    assert_eq!(done["count"], 1);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(&name) && !text.contains(demo::SECRET), "{text}");
    // Gone here (with its keyring entry, which a colleague on this computer would share).
    desk.ok("delete_profile", json!({ "name": name }));

    // A colleague's window: a plan first, nothing added until confirmed.
    let colleague_dir = tempfile::tempdir().unwrap();
    let mut colleague = Desk::open(colleague_dir.path());
    colleague.choose(&file);
    let plan = colleague.ok("plan_import", json!({}));
    assert_eq!(plan["reviews"][0]["name"], name.as_str(), "{plan}");
    assert!(colleague.profile(&name).is_null(), "nothing is added before confirming");
    // The simulator runs on this computer, not at Stitch: its host must be trusted.
    assert_eq!(plan["reviews"][0]["needs_trust"], true, "{plan}");
    let done = colleague.ok("import_profiles", json!({ "trustHosts": true }));
    assert_eq!(done["added"], json!([name]));
    assert_eq!(colleague.profile(&name)["secret"], expected_missing(), "no secret travels with a profile");

    // Importing again: unchanged; a changed copy is a conflict, never overwritten.
    colleague.choose(&file);
    let plan = colleague.ok("plan_import", json!({}));
    assert_eq!(plan["unchanged"], json!([name]));
    let changed = text.replace(demo::SECRET_CLIENT_ID, "test-someone-else");
    std::fs::write(&file, changed).unwrap();
    colleague.choose(&file);
    let plan = colleague.ok("plan_import", json!({}));
    assert_eq!(plan["conflicts"][0]["name"], name.as_str(), "{plan}");
    assert_eq!(colleague.ok("import_profiles", json!({ "trustHosts": true }))["added"], json!([]));
    assert_eq!(colleague.profile(&name)["client_id"], demo::SECRET_CLIENT_ID);

    // A malformed file: a clear error, nothing changed.
    std::fs::write(&file, "{ not json").unwrap();
    colleague.choose(&file);
    let refused = colleague.call("plan_import", json!({})).expect_err("malformed");
    assert_eq!(refused["kind"], "bad_input");
    assert!(refused["message"].as_str().unwrap().contains("Nothing was changed"), "{refused}");

    colleague.ok("delete_profile", json!({ "name": name }));
    desk.assert_no_secret(demo::SECRET);
}

#[test]
fn the_list_says_plainly_when_there_is_no_keyring() {
    let mut desk = Desk::with_profiles();
    let listed = desk.ok("list_profiles", json!({}));
    assert_eq!(listed["profiles"], json!([]));
    if real_keyring() {
        assert!(listed["keyring_notice"].is_null(), "{listed}");
    } else if let Some(notice) = listed["keyring_notice"].as_str() {
        assert!(notice.contains("this session only"), "{notice}");
    }
}
