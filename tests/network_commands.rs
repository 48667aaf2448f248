//! The window's company-network commands (Advanced: company CA, proxy, timeout) on Tauri's
//! mock runtime, with real parts on loopback: the built-in simulator behind an HTTPS front
//! whose certificate a CA made with `openssl` signed, and Debian's `tinyproxy`. No response
//! may ever hold the proxy's password or the client secret.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::desk::Desk;
use support::net::{ScriptedServer, TestCa, Tinyproxy, TlsFront};
use token_desk_core::simulator::demo;

const PROXY_PASSWORD: &str = "wnd-Pr0xy-9Qe4";

impl Desk {
    /// Starts the simulator with its demo secret client filled in; returns its address.
    fn demo_addr(&mut self) -> std::net::SocketAddr {
        self.demo();
        self.simulator().addr()
    }
}

fn token_form(token_url: &str) -> Value {
    json!({ "form": {
        "client_id": demo::SECRET_CLIENT_ID, "auth": "secret", "scopes": ["client_paymentrequest"],
        "token_url": token_url, "audience": null, "force": true, "profile": null,
    }})
}

fn tinyproxy(dir: &Path, extra: &str) -> Option<Tinyproxy> {
    if !support::net::tinyproxy_installed() {
        return None;
    }
    Some(Tinyproxy::start(dir, extra))
}

#[test]
fn the_company_ca_of_a_chosen_profile_makes_the_inspected_server_trusted() {
    let mut desk = Desk::with_profiles();
    let sim = desk.demo_addr();
    let ca = TestCa::new(&desk.dir.as_path().join("ca"));
    let (cert, key) = ca.server("server", "DNS:localhost,IP:127.0.0.1");
    let front = TlsFront::start(&cert, &key, sim);
    // The secret is entered for the server the form names (it is bound to that origin).
    let typed = json!({ "secret": demo::SECRET, "clientId": demo::SECRET_CLIENT_ID, "tokenUrl": front.token_url() });
    desk.ok("set_secret", typed);

    let refused = desk.err("get_token", token_form(&front.token_url()));
    assert_eq!(refused["kind"], "tls");
    assert!(refused["message"].as_str().unwrap().contains("Your network may be inspecting secure connections"));
    assert!(refused["message"].as_str().unwrap().contains("under Advanced (Company CA)"));

    // A profile saved with the CA file (as Save profile writes it).
    let doc = json!({"version": 1, "profiles": [{
        "name": "Inspected", "environment": "test", "client_id": demo::SECRET_CLIENT_ID, "auth": "secret",
        "token_url": front.token_url(), "ca_file": ca.ca_pem.display().to_string(), "timeout_secs": 9
    }]});
    std::fs::create_dir_all(desk.dir.as_path().join("config")).unwrap();
    std::fs::write(desk.dir.as_path().join("config/profiles.json"), doc.to_string()).unwrap();
    desk.ok("select_profile", json!({ "name": "Inspected" }));
    // Choosing a profile drops the entered secret: the profile's own is saved for it.
    desk.ok("replace_secret", json!({ "name": "Inspected", "secret": demo::SECRET }));
    let network = desk.ok("network", json!({}));
    assert_eq!(network["ca_file"], ca.ca_pem.display().to_string());
    assert_eq!(network["ca_subjects"], json!(["CN=Token Desk Test Inspection CA"]));
    assert_eq!(network["timeout_secs"], 9);

    // The form names the profile (as the page sends it): its settings carry the request.
    let mut with_profile = token_form(&front.token_url());
    with_profile["form"]["profile"] = json!("Inspected");
    let token = desk.ok("get_token", with_profile.clone());
    assert_eq!(token["granted"], json!(["client_paymentrequest"]));
    assert_eq!(token["from_cache"], false);
    assert_eq!(desk.requests(), 1);

    let cleared = desk.ok("clear_ca_file", json!({}));
    assert_eq!(cleared["ca_file"], Value::Null);
    let again = desk.err("get_token", with_profile);
    assert_eq!(again["kind"], "tls");
}

#[test]
fn the_proxy_set_under_advanced_carries_the_request_and_its_password_never_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let Some(proxy) = tinyproxy(&dir.path().join("proxy"), &format!("BasicAuth alice {PROXY_PASSWORD}")) else {
        return;
    };
    let mut desk = Desk::open(dir.path());
    let sim = desk.demo_addr();
    let token_url = format!("http://{sim}/connect/token");

    // A password in the address is refused, and the sentence points to the password field.
    let address = format!("http://alice:{PROXY_PASSWORD}@127.0.0.1:{}", proxy.port);
    let refused = desk.refused("set_network", json!({ "proxy": address, "timeout_secs": 20 }));
    assert!(refused.contains("type the password in Proxy password"), "{refused}");
    assert_eq!(desk.ok("network", json!({}))["proxy"], Value::Null, "the refused address is not in effect");

    // The user name in the address, the password in its own field: joined in the backend.
    let address = format!("http://alice@127.0.0.1:{}", proxy.port);
    let view =
        desk.ok("set_network", json!({ "proxy": address, "proxy_password": PROXY_PASSWORD, "timeout_secs": 20 }));
    assert_eq!(view["proxy"], proxy.url());
    assert_eq!(view["proxy_has_credentials"], true);
    assert_eq!(view["proxy_password_set"], true);
    assert_eq!(view["timeout_secs"], 20);

    desk.ok("get_token", token_form(&token_url));
    assert!(proxy.requests().iter().any(|l| l.contains(&format!("POST {token_url}"))), "{}", proxy.log_text());
    let inspected = desk.ok("inspector", json!({}));
    let shown = format!("{} (from the proxy setting, with credentials (not shown))", proxy.url());
    assert!(inspected.to_string().contains(&shown), "{inspected}");

    // Changing only the timeout keeps the password given once.
    let view = desk.ok("set_network", json!({ "timeout_secs": 15 }));
    assert_eq!(view["proxy_password_set"], true);
    desk.ok("get_token", token_form(&token_url));
    assert_eq!(desk.requests(), 2);

    // It is never written into a profile.
    let save = json!({ "form": {
        "name": "Behind the proxy", "live": false, "client_id": demo::SECRET_CLIENT_ID, "auth": "secret",
        "scopes": ["client_paymentrequest"], "token_url": token_url, "audience": null,
        "save_secret": false, "secret_issued_on": null,
    }});
    let refused = desk.err("save_profile", save.clone());
    assert!(refused["message"].as_str().unwrap().contains("the settings file is plain text"), "{refused}");
    desk.ok("set_network", json!({ "proxy": proxy.url(), "timeout_secs": 12 }));
    desk.ok("save_profile", save);
    let written = std::fs::read_to_string(dir.path().join("config/profiles.json")).unwrap();
    let saved: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(saved["profiles"][0]["proxy"], proxy.url());
    assert_eq!(saved["profiles"][0]["timeout_secs"], 12);
    assert!(!written.contains(PROXY_PASSWORD));

    desk.assert_never_shown(PROXY_PASSWORD);
    desk.assert_never_shown(demo::SECRET);
}

#[test]
fn a_proxy_password_without_a_user_name_or_an_address_is_refused_and_changes_nothing() {
    let mut desk = Desk::with_profiles();
    let before = desk.ok("network", json!({}));
    let alone = desk.refused("set_network", json!({ "proxy_password": PROXY_PASSWORD, "timeout_secs": 30 }));
    assert!(alone.contains("user name"), "{alone}");
    let args = json!({ "proxy": "http://127.0.0.1:3128", "proxy_password": PROXY_PASSWORD, "timeout_secs": 30 });
    let no_user = desk.refused("set_network", args);
    assert!(no_user.contains("http://user@proxy.example.com:8080"), "{no_user}");
    assert_eq!(desk.ok("network", json!({})), before);
    desk.assert_never_shown(PROXY_PASSWORD);
}

/// A settings file with one trusted profile, "Company", whose requests go through `proxy` and
/// trust `ca` (as an import the user confirmed writes it).
fn company_profile(desk: &Desk, proxy: &str, ca: &Path, token_url: &str) {
    let doc = json!({"version": 1, "profiles": [{
        "name": "Company", "environment": "test", "client_id": demo::SECRET_CLIENT_ID, "auth": "secret",
        "token_url": token_url, "ca_file": ca.display().to_string(), "proxy": proxy, "timeout_secs": 9
    }]});
    std::fs::create_dir_all(desk.dir.as_path().join("config")).unwrap();
    std::fs::write(desk.dir.as_path().join("config/profiles.json"), doc.to_string()).unwrap();
}

/// "Save profile" for the form's typed client at `token_url`, without its secret.
fn new_profile(name: &str, token_url: &str) -> Value {
    json!({ "form": {
        "name": name, "live": false, "client_id": demo::SECRET_CLIENT_ID, "auth": "secret",
        "scopes": ["client_paymentrequest"], "token_url": token_url, "audience": null,
        "save_secret": false, "secret_issued_on": null,
    }})
}

/// The saved profile called `name`, as the settings file holds it.
fn saved(desk: &Desk, name: &str) -> Value {
    let written = std::fs::read_to_string(desk.dir.as_path().join("config/profiles.json")).unwrap();
    let doc: Value = serde_json::from_str(&written).unwrap();
    doc["profiles"].as_array().unwrap().iter().find(|p| p["name"] == name).cloned().unwrap_or(Value::Null)
}

#[test]
fn no_profile_drops_the_proxy_and_ca_of_the_profile_left_and_a_new_profile_saves_neither() {
    let dir = tempfile::tempdir().unwrap();
    let Some(proxy) = tinyproxy(&dir.path().join("proxy"), "") else { return };
    let mut desk = Desk::open(dir.path());
    let sim = desk.demo_addr();
    let token_url = format!("http://{sim}/connect/token");
    let ca = TestCa::new(&dir.path().join("ca"));
    company_profile(&desk, &proxy.url(), &ca.ca_pem, &token_url);

    let chosen = desk.ok("select_profile", json!({ "name": "Company" }));
    assert_eq!(chosen["client_id"], demo::SECRET_CLIENT_ID);
    let network = desk.ok("network", json!({}));
    assert_eq!((network["proxy"].as_str(), network["timeout_secs"].as_u64()), (Some(proxy.url().as_str()), Some(9)));
    assert_eq!(network["ca_file"], ca.ca_pem.display().to_string());

    // "No profile", and a secret typed for a client: it goes straight to its server.
    let none = desk.ok("choose_no_profile", json!({}));
    assert_eq!(none, desk.ok("network", json!({})));
    assert_eq!(
        (none["proxy"].clone(), none["ca_file"].clone(), none["timeout_secs"].clone()),
        (Value::Null, Value::Null, json!(30))
    );
    let typed = json!({ "secret": demo::SECRET, "clientId": demo::SECRET_CLIENT_ID, "tokenUrl": token_url });
    desk.ok("set_secret", typed);
    desk.ok("get_token", token_form(&token_url));
    assert_eq!(desk.requests(), 1);
    assert!(
        proxy.requests().is_empty(),
        "the typed client's request went through the profile's proxy:\n{}",
        proxy.log_text()
    );

    // Saved as a new profile: nothing of the profile left.
    desk.ok("save_profile", new_profile("Typed client", &token_url));
    let added = saved(&desk, "Typed client");
    assert_eq!(
        (added["proxy"].clone(), added["ca_file"].clone(), added["timeout_secs"].clone()),
        (Value::Null, Value::Null, Value::Null),
        "{added}"
    );
    assert_eq!(saved(&desk, "Company")["proxy"], proxy.url(), "the profile left keeps its own");
}

#[test]
fn a_request_for_the_typed_client_never_goes_through_the_proxy_of_the_profile_chosen_before() {
    // The page always says "No profile"; the backend does not rely on it.
    let counting = ScriptedServer::start(Some(support::net::ANSWER_407));
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path());
    let sim = desk.demo_addr();
    let token_url = format!("http://{sim}/connect/token");
    let ca = TestCa::new(&dir.path().join("ca"));
    company_profile(&desk, &counting.url(), &ca.ca_pem, &token_url);
    desk.ok("select_profile", json!({ "name": "Company" }));
    desk.ok("set_secret", json!({ "secret": demo::SECRET, "clientId": demo::SECRET_CLIENT_ID, "tokenUrl": token_url }));

    desk.ok("get_token", token_form(&token_url));
    assert_eq!(
        counting.connections.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the profile's proxy saw the request"
    );
    assert_eq!(desk.ok("network", json!({}))["proxy"], Value::Null);

    // And its form names the profile: then its proxy carries the request (here, one that refuses).
    let mut with_profile = token_form(&token_url);
    with_profile["form"]["profile"] = json!("Company");
    desk.ok("replace_secret", json!({ "name": "Company", "secret": demo::SECRET }));
    let refused = desk.err("get_token", with_profile);
    assert!(counting.connections.load(std::sync::atomic::Ordering::SeqCst) > 0, "{refused}");
    assert_eq!(desk.ok("network", json!({}))["proxy"], counting.url());

    // A profile saved now (the page would have chosen "No profile" first) copies nothing of it.
    desk.ok("save_profile", new_profile("Saved while Company was chosen", &token_url));
    assert_eq!(saved(&desk, "Saved while Company was chosen")["proxy"], Value::Null);
    assert_eq!(desk.ok("network", json!({}))["proxy"], Value::Null, "the new profile's own settings are in effect");
}

#[test]
fn another_profile_brings_only_its_own_settings_and_a_proxy_password_stays_with_the_profile_it_was_given_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path());
    let ca = TestCa::new(&dir.path().join("ca"));
    let doc = json!({"version": 1, "profiles": [
        { "name": "Company", "environment": "test", "client_id": demo::SECRET_CLIENT_ID, "auth": "secret",
          "ca_file": ca.ca_pem.display().to_string(), "proxy": "http://127.0.0.1:3128", "timeout_secs": 9 },
        { "name": "Plain", "environment": "test", "client_id": demo::CERTIFICATE_CLIENT_ID, "auth": "secret" },
    ]});
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/profiles.json"), doc.to_string()).unwrap();

    desk.ok("select_profile", json!({ "name": "Company" }));
    let args = json!({ "proxy": "http://alice@127.0.0.1:3128", "proxy_password": PROXY_PASSWORD, "timeout_secs": 9 });
    assert_eq!(desk.ok("set_network", args.clone())["proxy_password_set"], true);
    let plain = desk.ok("select_profile", json!({ "name": "Plain" }));
    assert_eq!(plain["name"], "Plain");
    let network = desk.ok("network", json!({}));
    assert_eq!((network["proxy"].clone(), network["ca_file"].clone()), (Value::Null, Value::Null));
    assert_eq!((network["proxy_password_set"].clone(), network["timeout_secs"].clone()), (json!(false), json!(30)));
    desk.ok("select_profile", json!({ "name": "Company" }));
    let again = desk.ok("network", json!({}));
    assert_eq!(
        (again["proxy"].as_str(), again["proxy_password_set"].as_bool()),
        (Some("http://127.0.0.1:3128"), Some(false))
    );

    // Renamed, it keeps the settings in effect (the password given for it too); deleted, none stay.
    desk.ok("set_network", args.clone());
    desk.ok("rename_profile", json!({ "name": "Company", "newName": "Company (renamed)" }));
    let mut form = token_form("http://127.0.0.1:9/connect/token");
    form["form"]["profile"] = json!("Company (renamed)");
    desk.err("get_token", form); // it has no saved secret: nothing is sent
    assert_eq!(desk.ok("network", json!({}))["proxy_password_set"], true, "the rename dropped the settings in effect");
    desk.ok("delete_profile", json!({ "name": "Company (renamed)" }));
    assert_eq!(desk.ok("network", json!({}))["proxy"], Value::Null);
    desk.assert_never_shown(PROXY_PASSWORD);
}

#[test]
fn a_profile_whose_ca_file_is_gone_puts_no_settings_in_effect_not_the_previous_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path());
    let ca = TestCa::new(&dir.path().join("ca"));
    let gone = dir.path().join("gone.pem");
    let doc = json!({"version": 1, "profiles": [
        { "name": "Company", "environment": "test", "client_id": demo::SECRET_CLIENT_ID, "auth": "secret",
          "ca_file": ca.ca_pem.display().to_string(), "proxy": "http://127.0.0.1:3128" },
        { "name": "Moved", "environment": "test", "client_id": demo::CERTIFICATE_CLIENT_ID, "auth": "secret",
          "ca_file": gone.display().to_string() },
    ]});
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/profiles.json"), doc.to_string()).unwrap();
    desk.ok("select_profile", json!({ "name": "Company" }));
    let refused = desk.refused("select_profile", json!({ "name": "Moved" }));
    assert!(refused.contains("gone.pem"), "{refused}");
    let network = desk.ok("network", json!({}));
    assert_eq!((network["proxy"].clone(), network["ca_file"].clone()), (Value::Null, Value::Null));
}

#[test]
fn proxy_variables_do_not_send_the_simulators_requests_to_a_proxy() {
    // The app reads the variables when it starts: set them for this process only.
    let counting = ScriptedServer::start(Some(support::net::ANSWER_407));
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY"] {
        std::env::set_var(name, counting.url());
    }
    let mut desk = Desk::with_profiles();
    let sim = desk.demo_addr();
    desk.ok("get_token", token_form(&format!("http://{sim}/connect/token")));
    assert_eq!(counting.connections.load(std::sync::atomic::Ordering::SeqCst), 0, "the proxy saw nothing");
    assert_eq!(desk.requests(), 1);
}

#[test]
fn a_hanging_server_fails_at_the_timeout_set_under_advanced() {
    let mut desk = Desk::with_profiles();
    desk.demo_addr();
    let hang = ScriptedServer::start(None);
    let hang_url = format!("{}/connect/token", hang.url());
    desk.ok("set_secret", json!({ "secret": demo::SECRET, "clientId": demo::SECRET_CLIENT_ID, "tokenUrl": hang_url }));
    desk.ok("set_network", json!({ "proxy": "", "timeout_secs": 1 }));
    let failed = desk.err("get_token", token_form(&format!("{}/connect/token", hang.url())));
    assert_eq!(failed["kind"], "timeout");
    assert!(failed["message"].as_str().unwrap().contains("did not answer in time (1 s)"), "{failed}");
}

#[test]
fn a_bad_proxy_or_timeout_is_refused_and_changes_nothing() {
    let mut desk = Desk::with_profiles();
    let before = desk.ok("network", json!({}));
    for args in [
        json!({ "proxy": "socks5://127.0.0.1:1080", "timeout_secs": 30 }),
        json!({ "proxy": "http://alice:sec ret@exa mple:1", "timeout_secs": 30 }),
        json!({ "proxy": "", "timeout_secs": 0 }),
        json!({ "proxy": "", "timeout_secs": 601 }),
    ] {
        let refused = desk.err("set_network", args);
        assert_eq!(refused["kind"], "bad_input", "{refused}");
    }
    assert_eq!(desk.ok("network", json!({})), before);
    desk.assert_never_shown("sec ret");
}
