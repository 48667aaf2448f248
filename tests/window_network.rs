//! The real window on a company network, end to end through WebDriver: the simulator behind
//! an HTTPS front whose certificate a CA made with `openssl` signed, trusted through
//! "Choose CA file…" under Advanced (the backend's chooser answers from a test file), with the proxy
//! (Debian's `tinyproxy`, whose own log shows the CONNECT) and the timeout typed into the
//! Advanced section. Runs with `scripts/test --test window_network` (TOKEN_DESK_E2E=1).

// The shared harness; this file uses part of it.
mod support;

use std::time::Duration;

use support::net::{TestCa, Tinyproxy, TlsFront};
use support::window::{enabled, stitch_if_enabled, Stitch, Window};

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
