//! The window's trust model on Tauri's mock runtime (issue 8): a secret or certificate entered
//! in the window goes only to the client and token URL it was entered for, a profile never
//! borrows it, imported hosts are trusted only when the user says so, and the page names no
//! files. A loopback "attacker" server counts every request that reaches it: for each refusal
//! it must count none.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::attacker::{Attacker, Mode};
use support::desk::Desk;
use support::{real_keyring, unique};
use tauri::Manager;
use token_desk_app::state::AppState;
use token_desk_core::simulator::demo;

/// Checks the refusal of a profile with no saved secret: the sentence naming the host and
/// what to do, or (with no keyring to ask) the keyring's.
fn assert_no_saved_secret(refusal: &Value, name: &str, host: &str) {
    let message = refusal["message"].as_str().unwrap_or_default();
    if real_keyring() {
        let expected = format!("Profile \"{name}\" has no saved secret for {host}: choose Replace secret.");
        assert_eq!(message, expected, "{refusal}");
    } else {
        assert_eq!(refusal["kind"], "no_keyring", "{refusal}");
    }
}

/// A profile of `client_id` at `token_url`, saved without a secret.
fn profile_form(name: &str, client_id: &str, token_url: &str) -> Value {
    json!({ "form": {
        "name": name, "live": false, "client_id": client_id, "auth": "secret",
        "scopes": ["client_paymentrequest"], "token_url": token_url, "audience": null,
        "save_secret": false, "secret_issued_on": null,
    }})
}

/// The token form without a profile, as the page sends it.
fn token_form(client_id: &str, token_url: &str) -> Value {
    json!({ "form": {
        "client_id": client_id, "auth": "secret", "scopes": ["client_paymentrequest"],
        "token_url": token_url, "audience": null, "force": true, "profile": null,
    }})
}

fn with_profile(name: &str) -> Value {
    json!({ "form": { "client_id": "", "auth": "secret", "scopes": [], "force": true, "profile": name } })
}

// ---------------------------------------------------------------------------------------
// A credential is bound to its destination

/// An attacker's server on loopback and a desk that keeps profiles.
fn attacked_desk() -> (Attacker, Desk) {
    (Attacker::start(Mode::Refuse), Desk::with_profiles())
}

/// Where the secret was typed for (the demo client at `token_url`), Get token sends the one
/// request, and it succeeds.
fn gets_a_token_with_the_typed_secret(desk: &mut Desk, token_url: &str) {
    desk.ok("get_token", token_form(demo::SECRET_CLIENT_ID, token_url));
    assert_eq!(desk.requests(), 1);
}

#[test]
fn a_secret_typed_for_one_client_is_not_used_after_choosing_another_profile() {
    let (attacker, mut desk) = attacked_desk();
    desk.demo(); // the demo secret is now held for the demo client at the simulator
    let name = unique("Team setup");
    desk.ok("save_profile", profile_form(&name, "test-team-client", &attacker.token_url()));

    desk.ok("select_profile", json!({ "name": name }));
    let refusal = desk.call("get_token", with_profile(&name)).expect_err("refused");
    assert_no_saved_secret(&refusal, &name, "127.0.0.1");
    // Choosing the profile dropped the entered secret from the backend, not only the page.
    let simulator = desk_token_url(&desk);
    let message = desk.refused("get_token", token_form(demo::SECRET_CLIENT_ID, &simulator));
    assert_eq!(message, "Enter the client secret.");

    assert_eq!(attacker.connections(), 0, "nothing reached the attacker: {:?}", attacker.requests());
    assert_eq!(desk.requests(), 0);
    desk.ok("delete_profile", json!({ "name": name }));
    desk.assert_no_secret(demo::SECRET);
}

/// The simulator's token URL (started by then).
fn desk_token_url(desk: &Desk) -> String {
    desk.app.state::<AppState>().inner().started_simulator().expect("simulator started").token_url()
}

#[test]
fn a_profile_with_no_saved_secret_does_not_borrow_the_typed_one() {
    let (mut desk, token_url, name) = Desk::for_a_profile("No secret");
    desk.ok("save_profile", profile_form(&name, demo::SECRET_CLIENT_ID, &token_url));
    // Even a secret typed for exactly this client and token URL is not the profile's.
    let typed = json!({ "secret": demo::SECRET, "clientId": demo::SECRET_CLIENT_ID, "tokenUrl": token_url });
    desk.ok("set_secret", typed);

    let refusal = desk.call("get_token", with_profile(&name)).expect_err("refused");
    assert_no_saved_secret(&refusal, &name, "127.0.0.1");
    assert_eq!(desk.requests(), 0, "no request was sent for the profile");
    // The typed secret still works where it was typed for: without the profile.
    gets_a_token_with_the_typed_secret(&mut desk, &token_url);
    desk.ok("delete_profile", json!({ "name": name }));
    desk.assert_no_secret(demo::SECRET);
}

#[test]
fn a_secret_entered_for_one_token_url_is_refused_for_another_and_nothing_is_sent() {
    let (attacker, mut desk) = attacked_desk();
    let token_url = desk.demo();

    let origin = token_url.trim_end_matches("/connect/token");
    // Same client and host, the attacker's port (another origin): the backend refuses though
    // the page did not drop the secret.
    let message = desk.refused("get_token", token_form(demo::SECRET_CLIENT_ID, &attacker.token_url()));
    let expected = format!(
        "This secret was entered for {} at {origin}. Enter the secret again for 127.0.0.1.",
        demo::SECRET_CLIENT_ID
    );
    assert_eq!(message, expected);
    // Another client at the same token URL.
    let message = desk.refused("get_token", token_form("test-someone-else", &token_url));
    assert!(message.ends_with("Enter the secret of test-someone-else to use it."), "{message}");

    assert_eq!(attacker.connections(), 0, "nothing reached the attacker");
    assert_eq!(desk.requests(), 0, "nothing was sent for the other client");
    // Where it was entered for, it works.
    gets_a_token_with_the_typed_secret(&mut desk, &token_url);
    desk.assert_no_secret(demo::SECRET);
}

#[test]
fn changing_the_token_url_drops_the_secret_from_the_backend() {
    let (attacker, mut desk) = attacked_desk();
    let token_url = desk.demo();
    // What the page does when Token URL or Client ID is edited.
    desk.ok("forget_credential", json!({}));
    let message = desk.refused("get_token", token_form(demo::SECRET_CLIENT_ID, &attacker.token_url()));
    assert_eq!(message, "Enter the client secret.");
    let message = desk.refused("get_token", token_form(demo::SECRET_CLIENT_ID, &token_url));
    assert_eq!(message, "Enter the client secret.", "the secret is gone, not only hidden");
    assert_eq!(attacker.connections(), 0);
    assert_eq!(desk.requests(), 0);
}

#[test]
fn a_certificate_chosen_for_one_client_is_not_sent_to_another_token_url() {
    let (attacker, mut desk) = attacked_desk();
    let view = desk.ok("start_demo", json!({ "client": "certificate" }));
    let form = |token_url: &str| {
        json!({ "form": {
            "client_id": demo::CERTIFICATE_CLIENT_ID, "auth": "certificate", "scopes": ["client_paymentrequest"],
            "token_url": token_url, "audience": null, "force": true, "profile": null,
        }})
    };
    let message = desk.refused("get_token", form(&attacker.token_url()));
    assert!(message.contains("This certificate was entered for"), "{message}");
    assert!(message.ends_with("Enter the certificate again for 127.0.0.1."), "{message}");
    assert_eq!(attacker.connections(), 0, "no assertion reached the attacker");
    desk.ok("get_token", form(view["token_url"].as_str().unwrap()));
    assert_eq!(desk.requests(), 1);
}

#[test]
fn a_secret_saved_with_a_profile_is_the_one_entered_for_its_client_and_token_url() {
    let (attacker, mut desk) = attacked_desk();
    desk.demo(); // held for the demo client at the simulator
    let name = unique("Borrowed");
    let mut form = profile_form(&name, demo::SECRET_CLIENT_ID, &attacker.token_url());
    form["form"]["save_secret"] = json!(true);
    let message = desk.refused("save_profile", form);
    assert!(message.ends_with("Enter the secret again for 127.0.0.1."), "{message}");
    assert!(desk.profile(&name).is_null(), "nothing was saved");
    assert_eq!(attacker.connections(), 0);
}

// ---------------------------------------------------------------------------------------
// The page names no files

#[test]
fn commands_no_longer_accept_a_path_from_the_page() {
    let (mut desk, token_url, name) = Desk::for_a_profile("Paths");
    desk.ok("save_profile", profile_form(&name, demo::SECRET_CLIENT_ID, &token_url));

    // Export: a path named by the page is ignored; the file the user chose is written.
    let victim = desk.dir.as_path().join("bashrc");
    let chosen = desk.dir.as_path().join("chosen-export.json");
    desk.choose(&chosen);
    let done = desk.ok("export_profiles", json!({ "path": victim.display().to_string() }));
    assert_eq!(done["path"], chosen.display().to_string());
    assert!(!victim.exists(), "the page's path was written");
    assert!(std::fs::read_to_string(&chosen).unwrap().contains(&name));

    // Import: the page's path is not read; the chosen file is.
    let planted = desk.dir.as_path().join("planted.json");
    std::fs::write(&planted, std::fs::read_to_string(&chosen).unwrap().replace(&name, "Planted")).unwrap();
    desk.choose(&chosen);
    let plan = desk.ok("plan_import", json!({ "path": planted.display().to_string() }));
    assert_eq!(plan["path"], chosen.display().to_string(), "{plan}");
    assert!(!plan.to_string().contains("Planted"), "{plan}");

    // The certificate: the old command that read a path is gone; the chooser's file is read.
    let refusal = desk.call("set_certificate", json!({ "path": "/etc/passwd" })).expect_err("no such command");
    assert!(refusal.to_string().contains("set_certificate"), "{refusal}");
    let pem = desk.app.state::<AppState>().inner().started_simulator().unwrap().demo().certificate_path.clone();
    desk.choose(&pem);
    let args = json!({ "clientId": demo::CERTIFICATE_CLIENT_ID, "tokenUrl": token_url, "path": "/etc/passwd" });
    let view = desk.ok("choose_certificate", args);
    assert_eq!(view["path"], pem.display().to_string());

    // A cancelled chooser writes and reads nothing.
    desk.app.state::<AppState>().chooser.answer_next(None);
    assert_eq!(desk.ok("export_profiles", json!({ "path": victim.display().to_string() })), Value::Null);
    assert!(!victim.exists());
    desk.ok("delete_profile", json!({ "name": name }));
}

#[test]
fn a_certificate_file_that_is_not_a_regular_file_is_refused_without_blocking() {
    let mut desk = Desk::with_profiles();
    let token_url = desk.demo();
    let args = json!({ "clientId": demo::CERTIFICATE_CLIENT_ID, "tokenUrl": token_url });
    let fifo = desk.dir.as_path().join("fifo.pem");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for (path, kind) in
        [(PathBuf::from("/dev/zero"), "a device"), (desk.dir.as_path().to_path_buf(), "a folder"), (fifo, "a pipe")]
    {
        desk.choose(&path);
        let message = desk.refused("choose_certificate", args.clone());
        assert!(message.contains(&format!("it is {kind}")), "{}: {message}", path.display());
    }
}

// ---------------------------------------------------------------------------------------
// Imported hosts are trusted only when the user says so

/// A colleague's file: one profile at Stitch, one whose token URL is the attacker's, one
/// whose API URL would collect tokens, and a live client labelled as a test one.
fn hostile_file(dir: &Path, attacker: &Attacker) -> PathBuf {
    use token_desk_core::profiles::{document, AuthMethod, Environment, Profile};
    let ids = ["test-clean-client", "test-team-client", "test-collector-client"];
    let mut profiles = support::team_setup_profiles(attacker.port(), ids);
    let mut mislabelled = Profile::new("Looks like test", "5e1f6c0a-live-client", AuthMethod::Secret);
    mislabelled.environment = Environment::Test;
    profiles.push(mislabelled);
    let path = dir.join("team-setup.json");
    std::fs::write(&path, document::render(&profiles)).unwrap();
    path
}

#[test]
fn an_import_lists_foreign_hosts_and_imports_nothing_flagged_until_confirmed() {
    let attacker = Attacker::start(Mode::Refuse);
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_file(dir.path(), &attacker);
    let mut desk = Desk::open(dir.path());

    desk.choose(&file);
    let plan = desk.ok("plan_import", json!({}));
    let reviews = plan["reviews"].as_array().expect("a review per new profile");
    let review = |name: &str| reviews.iter().find(|r| r["name"] == name).cloned().unwrap_or_else(|| panic!("{plan}"));
    let clean = review("Stitch shop");
    assert_eq!(clean["client_id"], "test-clean-client");
    assert_eq!(clean["environment"], "test");
    assert_eq!(clean["needs_trust"], false, "{clean}");
    let roles: Vec<&str> = clean["hosts"].as_array().unwrap().iter().map(|h| h["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["token URL", "audience", "API URL"]);

    let hostile = review("Team setup");
    assert_eq!(hostile["needs_trust"], true);
    let shown: Vec<&str> = hostile["hosts"].as_array().unwrap().iter().map(|h| h["host"].as_str().unwrap()).collect();
    assert!(shown.contains(&format!("127.0.0.1:{}", attacker.port()).as_str()), "{hostile}");
    assert!(hostile["hosts"][0]["flag"].is_string(), "the attacker's host is flagged in words: {hostile}");
    let collector = review("Collector");
    assert_eq!(collector["needs_trust"], true);
    assert_eq!(collector["hosts"][2]["host"], "collector.example", "{collector}");
    assert!(collector["hosts"][2]["flag"].is_string(), "{collector}");
    // A client id without test- is Live, whatever the file says.
    let live = review("Looks like test");
    assert_eq!(live["environment"], "live", "{live}");
    assert!(live["environment_note"].is_string(), "{live}");
    assert!(desk.profile("Stitch shop").is_null(), "nothing is added before confirming");

    // Without the confirmation: only the profiles without a flagged host; the rest are named.
    let done = desk.ok("import_profiles", json!({ "trustHosts": false }));
    let added: Vec<&str> = done["added"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(
        added.contains(&"Stitch shop") && !added.contains(&"Team setup") && !added.contains(&"Collector"),
        "{done}"
    );
    let left: Vec<&str> = done["not_trusted"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert!(left.contains(&"Team setup") && left.contains(&"Collector"), "{done}");
    assert!(done["not_trusted"][0]["reason"].as_str().unwrap().contains("not Stitch's own"), "{done}");
    assert!(desk.profile("Team setup").is_null() && desk.profile("Collector").is_null());
    assert_eq!(desk.profile("Looks like test")["environment"], "live", "imported as Live");

    // Confirmed: the same file again, the hosts trusted.
    desk.choose(&file);
    desk.ok("plan_import", json!({}));
    let done = desk.ok("import_profiles", json!({ "trustHosts": true }));
    assert_eq!(done["added"], json!(["Team setup", "Collector"]), "{done}");
    assert_eq!(desk.profile("Team setup")["api_url"], format!("http://127.0.0.1:{}/graphql", attacker.port()));
    assert_eq!(attacker.connections(), 0, "importing sends nothing");
    for name in ["Stitch shop", "Team setup", "Collector", "Looks like test"] {
        desk.ok("delete_profile", json!({ "name": name }));
    }
}
