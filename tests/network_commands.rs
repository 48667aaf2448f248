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
    desk.ok("set_secret", typed.clone());

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
    // Choosing a profile drops the entered secret: enter it again for this server.
    desk.ok("set_secret", typed);
    let network = desk.ok("network", json!({}));
    assert_eq!(network["ca_file"], ca.ca_pem.display().to_string());
    assert_eq!(network["ca_subjects"], json!(["CN=Token Desk Test Inspection CA"]));
    assert_eq!(network["timeout_secs"], 9);

    let token = desk.ok("get_token", token_form(&front.token_url()));
    assert_eq!(token["granted"], json!(["client_paymentrequest"]));
    assert_eq!(token["from_cache"], false);
    assert_eq!(desk.requests(), 1);

    let cleared = desk.ok("clear_ca_file", json!({}));
    assert_eq!(cleared["ca_file"], Value::Null);
    let again = desk.err("get_token", token_form(&front.token_url()));
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

    let address = format!("http://alice:{PROXY_PASSWORD}@127.0.0.1:{}", proxy.port);
    let view = desk.ok("set_network", json!({ "proxy": address, "timeout_secs": 20 }));
    assert_eq!(view["proxy"], proxy.url());
    assert_eq!(view["proxy_has_credentials"], true);
    assert_eq!(view["timeout_secs"], 20);

    desk.ok("get_token", token_form(&token_url));
    assert!(proxy.requests().iter().any(|l| l.contains(&format!("POST {token_url}"))), "{}", proxy.log_text());
    let inspected = desk.ok("inspector", json!({}));
    let shown = format!("{} (from the proxy setting, with credentials (not shown))", proxy.url());
    assert!(inspected.to_string().contains(&shown), "{inspected}");

    // Changing only the timeout keeps the credentials given once.
    let view = desk.ok("set_network", json!({ "timeout_secs": 15 }));
    assert_eq!(view["proxy_has_credentials"], true);
    desk.ok("get_token", token_form(&token_url));
    assert_eq!(desk.requests(), 2);

    // They are never written into a profile.
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
