//! The real window on a company network, end to end through WebDriver: the simulator behind
//! an HTTPS front whose certificate a CA made with `openssl` signed, trusted through
//! "Choose CA file…" under Advanced (the backend's chooser answers from a test file), with the proxy
//! (Debian's `tinyproxy`, whose own log shows the CONNECT) and the timeout typed into the
//! Advanced section. A profile's proxy and CA stay with it: "No profile" leaves them behind,
//! for the next request and for a profile saved next; the proxy's password has a field of its
//! own and never comes back to the page. Runs with `scripts/test --test window_network`
//! (TOKEN_DESK_E2E=1).

// The shared harness; this file uses part of it.
mod support;

use std::time::Duration;

use serde_json::Value;
use support::net::{TestCa, Tinyproxy, TlsFront};
use support::window::{enabled, stitch_if_enabled, Stitch, Window};
use tempfile::TempDir;
use token_desk_core::profiles::{document, AuthMethod, Profile};
use token_desk_core::simulator::{demo, ClientAuth, ClientConfig, Simulator, SimulatorConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_comes_through_the_ca_signed_server_and_the_proxy_set_under_advanced() {
    if !enabled() {
        return;
    }
    assert!(support::net::tinyproxy_installed(), "tinyproxy is missing: run scripts/install-packages");
    let stitch = Stitch::start(Duration::from_secs(3600)).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&dir.path().join("ca"));
    let (cert, key) = ca.server("server", "DNS:localhost,IP:127.0.0.1");
    let front = TlsFront::start(&cert, &key, stitch.simulator.addr());
    let proxy = Tinyproxy::start(&dir.path().join("proxy"), "");

    let (window, chooser) = Window::open_with_chooser().await;
    window.fill_in_secret_client_for(&front.token_url(), &["client_paymentrequest"]).await;
    assert!(window.text_of("ca-file").await.contains("None chosen"), "no company CA file yet");
    // "Choose CA file…" opens the backend's chooser, which answers with IT's CA file.
    chooser.pick(&ca.ca_pem);
    window.click_name("Choose CA file…").await;
    let ca_file = ca.ca_pem.display().to_string();
    window.wait_text("ca-file", "the company CA file", |t| t.contains(&ca_file) && t.contains("Inspection CA")).await;
    window.type_into("Proxy", &proxy.url()).await;
    window.type_into("Timeout (seconds)", "20").await;
    window.assert_accessible("advanced network settings").await;
    window.get_token().await;
    assert_eq!(stitch.simulator.token_requests(), 1);
    let connect = format!("CONNECT localhost:{}", front.addr.port());
    let through_proxy = proxy.requests().iter().any(|l| l.contains(&connect));
    assert!(through_proxy, "{}\n{}", proxy.log_text(), window.summary().await);
    assert_eq!(window.value_of("Proxy").await, proxy.url());
    assert_eq!(window.value_of("Timeout (seconds)").await, "20");

    // The inspector says which proxy carried the request.
    window.open_details("inspector").await;
    let used = format!("Proxy: {} (from the proxy setting)", proxy.url());
    window.wait_text("token-exchange", "the proxy used", |t| t.contains(&used)).await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_company_ca_the_window_says_the_network_may_be_inspecting() {
    let Some(stitch) = stitch_if_enabled(Duration::from_secs(3600)).await else { return };
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new(&dir.path().join("ca"));
    let (cert, key) = ca.server("server", "DNS:localhost,IP:127.0.0.1");
    let front = TlsFront::start(&cert, &key, stitch.simulator.addr());

    let window = Window::open(&[]).await;
    window.fill_in_secret_client_for(&front.token_url(), &["client_paymentrequest"]).await;
    window.click_name("Get token").await;
    window
        .wait_text("error-message", "the network sentence", |t| {
            t.contains("Your network may be inspecting secure connections") && t.contains("Company CA")
        })
        .await;
    assert_eq!(stitch.simulator.token_requests(), 0);
    window.assert_accessible("network error").await;
    window.close().await;
}

/// A client of another shop, known to the simulator besides its demo clients.
const OTHER_CLIENT: &str = "test-7c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5";
const OTHER_SECRET: &str = "another-shops-secret-9Xq2";

/// The simulator with [`OTHER_CLIENT`] too, and the folder of its demo files.
async fn simulator_with_another_client() -> (Simulator, TempDir) {
    let data = TempDir::new().expect("a folder for the simulator");
    let other = ClientConfig {
        client_id: OTHER_CLIENT.into(),
        auth: ClientAuth::Secret(OTHER_SECRET.into()),
        allowed_scopes: vec!["client_paymentrequest".into()],
        withheld_scopes: Vec::new(),
    };
    let config =
        SimulatorConfig { data_dir: data.path().to_path_buf(), clients: vec![other], ..SimulatorConfig::default() };
    (Simulator::start(config).await.expect("the simulator starts"), data)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_profile_leaves_the_company_proxy_and_ca_behind_and_a_new_profile_saves_neither() {
    if !enabled() {
        return;
    }
    assert!(support::net::tinyproxy_installed(), "tinyproxy is missing: run scripts/install-packages");
    let (simulator, _data) = simulator_with_another_client().await;
    let dir = TempDir::new().unwrap();
    let ca = TestCa::new(&dir.path().join("ca"));
    let (cert, key) = ca.server("server", "DNS:localhost,IP:127.0.0.1");
    let front = TlsFront::start(&cert, &key, simulator.addr());
    let proxy = Tinyproxy::start(&dir.path().join("proxy"), "");

    // IT's profile for the company network: its token server is inspected (the CA), its
    // requests go through the proxy. Imported, its proxy and CA trusted.
    let mut company = Profile::new("Company network", demo::SECRET_CLIENT_ID, AuthMethod::Secret);
    company.token_url = front.token_url();
    company.proxy = Some(proxy.url());
    company.ca_file = Some(ca.ca_pem.display().to_string());
    let file = dir.path().join("company.json");
    std::fs::write(&file, document::render(&[company])).unwrap();
    let (window, chooser) = Window::open_with_chooser().await;
    chooser.pick(&file);
    window.click_name("Import").await;
    window.wait_shown("import-dialog").await;
    window.click_id("import-trust").await;
    window.click_id("import-confirm").await;
    window.wait_text("status", "the profile imported", |t| t.contains("Imported: Company network")).await;

    // Chosen, with its secret saved: its token comes through the proxy, the CA trusted.
    let list = window.by_name("Profile").await;
    list.select_by_value("Company network").await.expect("choosing the company profile");
    window.wait_text("profile-secret-state", "the profile filled in", |t| !t.is_empty()).await;
    window.click_name("Replace secret").await;
    window.type_into("New client secret", demo::SECRET).await;
    window.click_name("Save secret").await;
    window.wait_text("status", "the secret saved", |t| t.contains("new secret of \"Company network\"")).await;
    window.click_name("Advanced").await;
    let ca_file = ca.ca_pem.display().to_string();
    window.wait_text("ca-file", "the profile's company CA", |t| t.contains(&ca_file)).await;
    assert_eq!(window.value_of("Proxy").await, proxy.url());
    window.tick("client_paymentrequest").await;
    window.get_token().await;
    let connect = format!("CONNECT localhost:{}", front.addr.port());
    assert!(proxy.requests().iter().any(|l| l.contains(&connect)), "{}", proxy.log_text());
    let through_proxy = proxy.requests().len();

    // "No profile", and a secret typed for another client: straight to its server.
    list.select_by_value("").await.expect("choosing no profile");
    window.wait_text("ca-file", "no company CA", |t| t.contains("None chosen")).await;
    assert_eq!(window.value_of("Proxy").await, "", "the profile's proxy is still shown");
    window.type_into("Client ID", OTHER_CLIENT).await;
    window.set_token_url(&simulator.token_url()).await;
    // In the middle of the window, clear of the sticky bar (WebDriver would leave it at the edge).
    window.js("document.getElementById('client-secret').scrollIntoView({ block: 'center' });", vec![]).await;
    window.type_into("Client secret", OTHER_SECRET).await;
    window.tick("client_paymentrequest").await;
    let before = simulator.token_requests();
    window.get_token().await;
    assert_eq!(simulator.token_requests(), before + 1, "{}", window.summary().await);
    let requests = proxy.requests();
    assert_eq!(
        requests.len(),
        through_proxy,
        "the other client's request went through the proxy:\n{}",
        proxy.log_text()
    );
    let sim_port = format!(":{}", simulator.addr().port());
    assert!(requests.iter().all(|l| !l.contains(&sim_port)), "{}", proxy.log_text());
    window.open_details("inspector").await;
    window.wait_text("token-exchange", "the direct route", |t| t.contains("Proxy: none (direct connection)")).await;

    // Saved as a new profile: neither the proxy nor the CA comes along.
    window.click_name("New profile").await;
    window.type_into("Profile name", "Another shop").await;
    window.click_name("Save profile").await;
    window.wait_text("status", "the profile saved", |t| t.contains("Saved profile \"Another shop\"")).await;
    let written = std::fs::read_to_string(window.profiles_file()).expect("the settings file");
    let doc: Value = serde_json::from_str(&written).expect("the settings file is JSON");
    let saved = doc["profiles"].as_array().unwrap().iter().find(|p| p["name"] == "Another shop").cloned();
    let saved = saved.unwrap_or_else(|| panic!("no profile \"Another shop\" in {written}"));
    for field in ["proxy", "ca_file", "timeout_secs"] {
        assert!(saved.get(field).is_none_or(Value::is_null), "the new profile has a {field}: {saved}");
    }
    assert_eq!(saved["client_id"], OTHER_CLIENT);
    window.assert_accessible("no profile after a company profile").await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_password_has_its_own_field_and_never_comes_back_to_the_page() {
    const PASSWORD: &str = "pRx-wnd-5Tq8";
    let Some(stitch) = stitch_if_enabled(Duration::from_secs(3600)).await else { return };
    assert!(support::net::tinyproxy_installed(), "tinyproxy is missing: run scripts/install-packages");
    let dir = TempDir::new().unwrap();
    let proxy = Tinyproxy::start(&dir.path().join("proxy"), &format!("BasicAuth alice {PASSWORD}"));
    let window = Window::open(&[]).await;
    window.fill_in_secret_client_for(&stitch.simulator.token_url(), &["client_paymentrequest"]).await;
    let field = window.by_name("Proxy password").await;
    assert_eq!(field.attr("type").await.unwrap().as_deref(), Some("password"), "the field is not masked");

    // A password in the address is refused, pointing to its field, and leaves the address field.
    window.type_into("Proxy", &format!("http://alice:{PASSWORD}@127.0.0.1:{}", proxy.port)).await;
    window.type_into("Timeout (seconds)", "20").await; // focus leaves the address
    let said = window.wait_text("network-error", "the refusal", |t| !t.is_empty()).await;
    assert!(said.contains("type the password in Proxy password"), "{said}");
    assert_eq!(window.value_of("Proxy").await, "", "the address with its password stays in the field");

    // The user name in the address, the password in its field: in use, and never shown again.
    window.type_into("Proxy", &format!("http://alice@127.0.0.1:{}", proxy.port)).await;
    window.type_into("Proxy password", PASSWORD).await;
    window.type_into("Timeout (seconds)", "25").await; // focus leaves the password
    window.wait_text("proxy-credentials", "the password in use", |t| t.contains("user name and password")).await;
    assert_eq!(window.value_of("Proxy password").await, "");
    let placeholder = window.by_name("Proxy password").await.attr("placeholder").await.unwrap();
    assert_eq!(placeholder.as_deref(), Some("✓ Password set — type a new one to replace it"));
    assert_eq!(window.value_of("Proxy").await, proxy.url());
    window.get_token().await;
    let post = format!("POST {}", stitch.simulator.token_url());
    assert!(proxy.requests().iter().any(|l| l.contains(&post)), "{}", proxy.log_text());
    let page = window.everything_on_the_page().await;
    assert!(!page.contains(PASSWORD), "the password is in the page");
    window.assert_accessible("the proxy password set").await;
    window.client.set_window_size(1280, 800).await.expect("the window takes 1280×800");
    window.screenshot_at("window-proxy-password", "proxy", "center").await;
    window.close().await;
}
