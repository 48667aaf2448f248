//! The token test in the real window, end to end (see tests/window.rs for how these run):
//! test a token, see a missing scope, fix it in one click; the inspector shows the masked
//! secret and never the secret; the code for integrators; axe-core on each of those screens.
//!
//! They run only with `TOKEN_DESK_E2E=1`, under Xvfb, like tests/window.rs.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use support::window::{enabled, stitch_and_window, Window};
use tempfile::TempDir;
use token_desk_core::clock::FixedClock;
use token_desk_core::simulator::{demo, Simulator, SimulatorConfig};

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_token_see_a_missing_scope_and_fix_it_in_one_click() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_refund"]).await;
    window.get_token().await;
    let granted = window.text_of("granted-scopes").await;
    assert!(granted.contains("client_refund") && !granted.contains("client_paymentrequest"), "{granted:?}");

    // The user is about to create payment requests: tick that scope and test the token.
    window.tick("client_paymentrequest").await;
    window.click_name("Test token").await;
    let summary = window
        .wait_text("test-summary", "a verdict naming the missing scope", |t| t.contains("client_paymentrequest"))
        .await;
    assert!(summary.to_lowercase().contains("missing"), "summary: {summary:?}");
    let rows = window.text_of("test-scopes").await;
    assert!(rows.contains("client_paymentrequest") && rows.contains("No — missing"), "{rows:?}");
    let fix = window.wait_shown("fix-scopes").await;
    let label = fix.text().await.expect("the fix button's text");
    assert!(label.contains("Add client_paymentrequest"), "{label:?}");
    window.assert_accessible("token test: scope missing").await;
    window.screenshot_at("window-test-missing", "token-check", "end").await;
    let requests_before = stitch.simulator.token_requests();

    // One click: a new token with both scopes, tested again.
    window.click_id("fix-scopes").await;
    let summary = window.wait_text("test-summary", "the token working", |t| t.contains("The token works")).await;
    assert!(!summary.contains("missing"), "{summary:?}");
    assert_eq!(stitch.simulator.token_requests(), requests_before + 1, "one click, one new token");
    let granted = window.text_of("granted-scopes").await;
    assert!(granted.contains("client_refund") && granted.contains("client_paymentrequest"), "{granted:?}");
    let rows = window.text_of("test-scopes").await;
    assert!(rows.contains("Yes, works"), "{rows:?}");
    assert!(!window.by_id("fix-scopes").await.is_displayed().await.unwrap(), "the fix is still offered");
    assert!(window.is_ticked("client_paymentrequest").await);
    window.assert_accessible("token test: works").await;
    window.screenshot_at("window-test-works", "token-check", "end").await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inspector_and_the_code_show_the_masked_secret_and_never_the_secret() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    window.get_token().await;
    window.click_name("Test token").await;
    window.wait_text("test-summary", "a verdict", |t| t.contains("The token works")).await;

    window.open_details("inspector").await;
    let token_request =
        window.wait_text("token-exchange", "the token request", |t| t.contains("client_secret = [redacted]")).await;
    assert!(token_request.contains(&stitch.simulator.token_url()), "{token_request}");
    let api_test = window.wait_text("api-exchange", "the API test", |t| t.contains("paymentInitiationRequests")).await;
    assert!(api_test.contains("HTTP 200"), "{api_test}");

    window.open_details("snippets").await;
    let code = window.wait_text("snippet-code", "the code", |t| t.contains("STITCH_CLIENT_SECRET")).await;
    assert!(code.contains(demo::SECRET_CLIENT_ID), "{code}");
    let python = window.by_id("snippet-lang").await;
    python.select_by_value("python").await.expect("choosing Python");
    window.wait_text("snippet-code", "the Python code", |t| t.contains("import requests")).await;

    assert!(!window.shows(demo::SECRET).await, "the secret is on screen");
    let source = window.page_source().await;
    assert!(!source.contains(demo::SECRET), "the secret is in the page");
    assert!(!source.contains("-----BEGIN PRIVATE KEY-----"), "a private key is in the page");
    window.assert_accessible("inspector and code open").await;
    window.screenshot_at("window-inspector", "inspector", "end").await;
    window.screenshot_at("window-snippets", "snippets", "end").await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_not_accepted_and_one_click_gets_a_new_one_and_tests_it() {
    if !enabled() {
        return;
    }
    // The simulator's clock is the test's: its tokens expire when the test says, not when a
    // busy machine gets there (the window's countdown runs on the real clock).
    let lifetime = Duration::from_secs(3);
    let clock = Arc::new(FixedClock::at(SystemTime::now()));
    let data = TempDir::new().expect("a folder for the simulator");
    let simulator = Simulator::start(SimulatorConfig {
        token_lifetime: lifetime,
        data_dir: data.path().to_path_buf(),
        clock: clock.clone(),
        ..SimulatorConfig::default()
    })
    .await
    .expect("the simulator starts");
    let window = Window::open(&[]).await;
    window.fill_in_secret_client(&simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    window.get_token().await;
    window.wait_shown("expired").await;
    // The countdown shows whole seconds; the simulator's clock passes expiry too.
    clock.advance(lifetime + Duration::from_secs(1));
    window.click_name("Test token").await;
    let summary = window.wait_text("test-summary", "the token refused", |t| t.contains("expired")).await;
    assert!(summary.contains("did not accept"), "{summary:?}");
    window.wait_shown("test-new-token").await;
    window.assert_accessible("token test: not accepted").await;

    window.click_id("test-new-token").await;
    window.wait_text("test-summary", "the new token working", |t| t.contains("The token works")).await;
    window.close().await;
}
