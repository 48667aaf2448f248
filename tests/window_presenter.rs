//! Presenter mode in the real window, end to end (WebDriver through tauri-driver, under Xvfb,
//! at 1280×800; issue 11's other answers are in `window_answers.rs`): larger type, the token
//! hidden, the client ID shortened while it is typed, the guided strip, and the `--presenter`
//! flag. Every new screen is checked with axe-core; screenshots land in
//! `<target>/e2e-screenshots/` (the README's come from there).
//!
//! They run only with `TOKEN_DESK_E2E=1`, like tests/window.rs.

mod support;

use std::time::Duration;

use fantoccini::key::Key;
use serde_json::json;
use support::sized_window::*;
use support::window::{clipboard, enabled, Window};
use token_desk_core::shorten::longest_shared_run;
use token_desk_core::simulator::demo;

/// The computed font size (px) of the first element matching `selector`.
async fn font_px(window: &Window, selector: &str) -> f64 {
    let script = "return parseFloat(getComputedStyle(document.querySelector(arguments[0])).fontSize);";
    window.js(script, vec![json!(selector)]).await.as_f64().expect("a font size")
}

/// Whether the header's one "Presenter mode" switch is on.
async fn presenter_on(window: &Window) -> bool {
    let switch = window.by_name("Presenter mode").await;
    switch.attr("aria-checked").await.unwrap().as_deref() == Some("true")
}

/// Waits until presenter mode is `on` (the switch says so and the page is enlarged).
async fn wait_presenter(window: &Window, on: bool) {
    for _ in 0..100 {
        let enlarged = window.js("return document.documentElement.classList.contains('presenter');", vec![]).await;
        if presenter_on(window).await == on && enlarged == json!(on) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("presenter mode never became {}", if on { "on" } else { "off" });
}

async fn current_step(window: &Window) -> String {
    let script = "const s = document.querySelector('#demo-steps [aria-current=step]'); return s ? s.id : '';";
    window.js(script, vec![]).await.as_str().unwrap_or_default().to_owned()
}

async fn wait_step(window: &Window, step: &str) {
    for _ in 0..100 {
        if current_step(window).await == step {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the guided strip never reached {step}; it is at {:?}", current_step(window).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presenter_mode_enlarges_the_type_hides_the_token_and_shortens_the_client_id() {
    if !enabled() {
        return;
    }
    let window = open_at_1280x800().await;
    let body_before = font_px(&window, "body").await;
    let label_before = font_px(&window, "label[for=client-id]").await;

    // Entering is instant: one click, no question.
    window.click_name("Presenter mode").await;
    wait_presenter(&window, true).await;
    let header = window.js("return document.querySelector('.topbar').innerText;", vec![]).await;
    assert_eq!(header.as_str().unwrap_or_default().matches("Presenter mode").count(), 1, "written once: {header}");
    let (body, label) = (font_px(&window, "body").await, font_px(&window, "label[for=client-id]").await);
    assert!(body >= 1.25 * body_before && label >= 1.25 * label_before, "{body_before}→{body}, {label_before}→{label}");
    assert_eq!(current_step(&window).await, "step-token");

    // Offline on the built-in simulator, and labelled so.
    window.click_name("Try with a demo secret").await;
    window.wait_text("presenter-offline", "the offline label", |t| t.contains("Offline demo")).await;
    assert!(!window.by_id("secret-toggle").await.is_displayed().await.unwrap(), "Show is offered for the secret");
    window.get_token().await;
    wait_step(&window, "step-test").await;
    assert!(!window.by_id("reveal").await.is_displayed().await.unwrap(), "Reveal is offered");

    // The whole token, as Copy token puts it on the clipboard; none of it is in the page.
    window.click_name("Copy token").await;
    let mut token = None;
    for _ in 0..50 {
        token = clipboard().await.filter(|t| t.len() > 20);
        if token.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = token.expect("Copy token put the token on the clipboard");
    let reveal = window.js(
        "return window.__TAURI_INTERNALS__.invoke('reveal_token').then(() => 'revealed', (e) => e.message);",
        vec![],
    );
    let reveal = reveal.await;
    assert!(
        reveal.as_str().unwrap_or_default().contains("Presenter mode"),
        "the backend handed out the token: {reveal}"
    );

    window.click_name("Test token").await;
    wait_step(&window, "step-code").await;
    window.open_details("inspector").await;
    window.wait_text("api-exchange", "the API test", |t| t.contains("Bearer")).await;
    window.open_details("snippets").await;
    window.wait_text("snippet-code", "the code", |t| t.contains("curl")).await;
    let page = window.everything_on_the_page().await;
    assert!(longest_shared_run(&page, &token) < 8, "8 or more characters of the token are in the page");

    // The client id and the certificate's thumbprint, shortened in everything displayed.
    let shown = window.js("return document.body.innerText;", vec![]).await.as_str().unwrap_or_default().to_owned();
    let id_tail = &demo::SECRET_CLIENT_ID["test-".len()..];
    assert!(longest_shared_run(&shown, id_tail) < 8, "the client id is displayed in full:\n{shown}");
    assert!(window.value_of("Client ID").await.starts_with("test-5e1f…"));
    window.assert_accessible("presenter mode with a token, test, inspector and code").await;
    window.screenshot("window-presenter").await;
    window.screenshot_at("window-presenter-code", "snippets", "center").await;

    window.click_name("Try with a demo certificate").await;
    window.wait_shown("certificate-facts").await;
    let thumb = window.wait_text("cert-thumbprint", "a shortened thumbprint", |t| t.contains('…')).await;
    assert!(thumb.chars().count() <= 9, "{thumb:?}");

    // Leaving asks once; staying keeps it on.
    window.click_name("Presenter mode").await;
    window.wait_shown("leave-presenter-dialog").await;
    window.assert_accessible("leave presenter mode?").await;
    window.click_name("Stay in presenter mode").await;
    assert!(presenter_on(&window).await, "presenter mode went off");
    window.click_name("Presenter mode").await;
    window.click_name("Leave presenter mode").await;
    window.wait_text("status", "presenter mode off", |t| t.contains("Presenter mode is off")).await;
    assert!(!presenter_on(&window).await, "presenter mode stayed on");
    assert!((font_px(&window, "body").await - body_before).abs() < 0.5);
    let thumb = window.wait_text("cert-thumbprint", "the whole thumbprint", |t| !t.contains('…')).await;
    assert_eq!(thumb.len(), 40, "{thumb:?}");
    window.close().await;
}

/// Whether the page holds 8 or more characters in a row of the demo client id's own part
/// (what follows `test-`) anywhere: markup, visible text or a field's value.
async fn holds_the_client_id(window: &Window) -> Option<String> {
    let page = window.everything_on_the_page().await;
    (longest_shared_run(&page, &demo::SECRET_CLIENT_ID["test-".len()..]) >= 8).then_some(page)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_presenter_mode_the_client_id_stays_shortened_while_it_is_typed_and_still_gets_the_token() {
    let Some((server, window)) = server_and_window(false).await else { return };
    window.click_name("Presenter mode").await;
    wait_presenter(&window, true).await;

    // Typed a few characters at a time, focus in the field all along.
    let field = window.by_name("Client ID").await;
    window.click(&field, "the Client ID field").await;
    for chunk in demo::SECRET_CLIENT_ID.as_bytes().chunks(5) {
        field.send_keys(std::str::from_utf8(chunk).unwrap()).await.expect("typing into Client ID");
        if let Some(page) = holds_the_client_id(&window).await {
            panic!("while typing, the page holds the client id:\n{page}");
        }
        let focused = window.js("return document.activeElement.id;", vec![]).await;
        assert_eq!(focused, json!("client-id"), "focus left the field");
    }
    let shown = window.wait_for_value("Client ID", "test-5e1f…6a58").await;
    assert_eq!(shown, "test-5e1f…6a58");

    // Deleting and typing again work on the client id, not on what the field shows.
    field.send_keys(&Key::Backspace.to_string().repeat(4)).await.expect("deleting");
    let shorter = window.wait_for_value("Client ID", "test-5e1f…9f3e").await;
    assert_eq!(shorter, "test-5e1f…9f3e");
    field.send_keys("6a58").await.expect("typing again");
    window.wait_for_value("Client ID", "test-5e1f…6a58").await;
    window.screenshot_at("window-presenter-typing", "client-id", "center").await;

    // The client id typed is the one used: the token comes for it.
    window.set_token_url(&server.simulator.token_url()).await;
    window.type_into("Client secret", demo::SECRET).await;
    window.tick("client_paymentrequest").await;
    window.get_token().await;
    assert_eq!(server.simulator.token_requests(), 1);
    assert!(holds_the_client_id(&window).await.is_none(), "after the token, the page holds the client id");
    assert_eq!(window.value_of("Client ID").await, "test-5e1f…6a58");
    window.assert_accessible("presenter mode, client id typed").await;

    // Leaving presenter mode gives the field the whole client id back.
    window.click_name("Presenter mode").await;
    window.click_name("Leave presenter mode").await;
    window.wait_for_value("Client ID", demo::SECRET_CLIENT_ID).await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_presenter_flag_starts_the_window_in_presenter_mode() {
    if !enabled() {
        return;
    }
    let window = Window::open_with_args(&["--presenter"]).await;
    wait_presenter(&window, true).await;
    window.close().await;
}
