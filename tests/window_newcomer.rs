//! Issue 26 in the real window (WebDriver through tauri-driver, under Xvfb, at 1280×800 and
//! 200 %): the window as a newcomer reads it, against a colleague's token server on 127.0.0.1
//! that is not the simulator (tests/support/colleague.rs). Where a token came from, by host;
//! Live said truthfully in one line; a refused scope named; notices that match the state; what
//! was typed kept; yes or no first; the steps, focus rings, Copied notes and wrapping. Every
//! screen is checked with axe-core; screenshots land in `<target>/e2e-screenshots/`.
//!
//! They run only with `TOKEN_DESK_E2E=1`, like tests/window.rs.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::colleague::{self, Colleague};
use support::window::{enabled, Window, PATIENCE};

/// How long a "Copied" note stays in these tests (the app's default is 4 s).
const NOTE_MS: &str = "1200";

/// The colleague's server and a first-run window at 1280×800, or None (after the `skipped:`
/// line) when the window tests are off.
async fn colleague_and_window() -> Option<(Colleague, Window)> {
    if !enabled() {
        return None;
    }
    let server = Colleague::start().await;
    let window = Window::open(&[("TOKEN_DESK_COPIED_NOTE_MS", NOTE_MS)]).await;
    window.client.set_window_size(1280, 800).await.expect("the window takes 1280×800");
    Some((server, window))
}

/// Types the colleague's client `client_id` (secret `secret`, `scopes` ticked) for its server.
async fn fill_in(window: &Window, server: &Colleague, client_id: &str, secret: &str, scopes: &[&str]) {
    window.type_into("Client ID", client_id).await;
    window.set_token_url(&server.token_url()).await;
    type_in_view(window, "client-secret", "Client secret", secret).await;
    for scope in scopes {
        window.tick(scope).await;
    }
}

/// Types into the field `id` (named `name`) once it is in the middle of the window: WebDriver
/// alone would scroll it to the bottom edge, under the form's sticky action bar.
async fn type_in_view(window: &Window, id: &str, name: &str, text: &str) {
    window.js("document.getElementById(arguments[0]).scrollIntoView({ block: 'center' });", vec![json!(id)]).await;
    window.type_into(name, text).await;
}

async fn shown(window: &Window, id: &str) -> bool {
    window.by_id(id).await.is_displayed().await.unwrap_or(false)
}

/// Waits until the element `id` is shown (`true`) or hidden (`false`).
async fn wait_shown_is(window: &Window, id: &str, want: bool) {
    let deadline = std::time::Instant::now() + PATIENCE;
    while shown(window, id).await != want {
        assert!(
            std::time::Instant::now() < deadline,
            "#{id} never became {}\n{}",
            if want { "shown" } else { "hidden" },
            window.summary().await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Zooms the page as Ctrl + does (200 %: 640 CSS pixels wide).
async fn zoom(window: &Window, factor: f64) {
    let script = "const done = arguments[1]; window.__TAURI_INTERNALS__.invoke('plugin:webview|set_webview_zoom', { value: arguments[0] }).then(() => done(innerWidth), (e) => done(String(e)));";
    let width = window.client.execute_async(script, vec![json!(factor)]).await.expect("zooming");
    assert_eq!(width.as_f64(), Some(1280.0 / factor), "the page did not zoom: {width}");
}

/// The bounding box of the first element matching `selector`.
async fn rect(window: &Window, selector: &str) -> Value {
    let script = "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };";
    window.js(script, vec![json!(selector)]).await
}

async fn delete_chosen_profile(window: &Window) {
    window.click_name("Delete").await;
    window.click_id("confirm-delete").await;
    window.wait_text("status", "the profile deleted", |t| t.contains("Deleted profile")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_says_the_host_it_came_from_and_the_simulator_card_shows_only_when_it_is_true() {
    let Some((server, window)) = colleague_and_window().await else { return };
    // Nothing set up yet: the simulator is offered.
    wait_shown_is(&window, "demo", true).await;

    fill_in(&window, &server, colleague::CLIENT_ID, colleague::SECRET, &["client_paymentrequest"]).await;
    wait_shown_is(&window, "demo", false).await;
    window.get_token().await;
    assert_eq!(window.text_of("from-cache").await, format!("No — new from {}", server.host()));
    let token_view = window.text_of("token-view").await;
    assert!(!token_view.to_lowercase().contains("simulator"), "the token is said to be the simulator's: {token_view}");
    assert!(!shown(&window, "simulator-badge").await, "the simulator badge shows for a colleague's server");
    window.assert_accessible("a token from a colleague's server").await;
    window.screenshot("window-newcomer-colleague-token").await;

    window.click_name("Get token").await;
    window.wait_text("from-cache", "a reused token", |t| t.starts_with("Yes")).await;
    assert_eq!(window.text_of("from-cache").await, "Yes — reused from earlier (no request sent)");
    assert_eq!(server.token_requests(), 1);

    // The built-in simulator, by its name; pointed elsewhere again, its card goes.
    window.type_into("Client ID", "x").await;
    window.by_name("Client ID").await.send_keys(&fantoccini::key::Key::Backspace.to_string()).await.expect("erasing");
    wait_shown_is(&window, "demo", true).await;
    window.click_name("Try with a demo secret").await;
    window.wait_text("demo-title", "the simulator running", |t| t.contains("The simulator is running")).await;
    window.get_token().await;
    window.wait_text("from-cache", "the simulator's token", |t| t.contains("built-in simulator")).await;
    assert_eq!(window.text_of("from-cache").await, "No — new from the built-in simulator");
    assert!(shown(&window, "demo").await, "the simulator card went while the form points at it");
    window.set_token_url(&server.token_url()).await;
    wait_shown_is(&window, "demo", false).await;
    assert!(!shown(&window, "simulator-badge").await, "the simulator badge stays for another server");
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_client_is_named_by_its_real_host_in_one_line_that_covers_no_control() {
    let Some((server, window)) = colleague_and_window().await else { return };
    let name = format!("Colleague live {}", std::process::id());
    fill_in(&window, &server, colleague::LIVE_CLIENT_ID, colleague::SECRET, &["client_paymentrequest"]).await;
    window.click_name("New profile").await;
    window.type_into("Profile name", &name).await;
    window.click_name("Save profile").await;
    // The guard is by the client id: not test-, so it must be saved as Live.
    let refusal = window.wait_text("profile-error", "the Live guard", |t| !t.is_empty()).await;
    assert!(refusal.to_lowercase().contains("live"), "{refusal:?}");
    window.tick("Live client — real money").await;
    window.click_name("Save profile").await;
    window.wait_text("status", "the profile saved", |t| t.contains("Saved profile")).await;

    let banner = window.wait_shown("live-banner").await.text().await.unwrap_or_default();
    assert_eq!(banner, format!("LIVE client — real money — tokens from {}", server.host()));
    assert!(!banner.contains("Stitch"), "{banner:?}");
    window.click_name("Get token").await;
    window.wait_shown("live-confirm").await;
    let question = window.text_of("live-confirm-text").await;
    assert!(question.contains(&format!("come from {}", server.host())), "{question:?}");
    assert!(!question.contains("Stitch's live environment"), "{question:?}");
    assert_eq!(server.token_requests(), 0, "nothing is sent before the confirmation");
    window.click_id("live-confirm-yes").await;
    window.shown_token().await;

    // Presenter mode at 200 %: one line, above the Client ID label, never over it.
    window.click_name("Presenter mode").await;
    zoom(&window, 2.0).await;
    window.js("document.querySelector('label[for=client-id]').scrollIntoView({ block: 'start' });", vec![]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let measured = window
        .js(
            r#"const b = document.getElementById("live-banner"), s = getComputedStyle(b);
               const r = b.getBoundingClientRect(), l = document.querySelector("label[for=client-id]").getBoundingClientRect();
               const line = parseFloat(s.lineHeight), pad = parseFloat(s.paddingTop) + parseFloat(s.paddingBottom);
               return { oneLine: r.height <= line * 1.5 + pad, overlaps: r.bottom > l.top && r.top < l.bottom,
                        cut: b.scrollHeight > b.clientHeight + 1, height: r.height, line, labelTop: l.top };"#,
            vec![],
        )
        .await;
    assert_eq!(measured["oneLine"], json!(true), "the banner takes more than one line: {measured}");
    assert_eq!(measured["overlaps"], json!(false), "the banner covers the Client ID label: {measured}");
    window.assert_accessible("a Live profile in presenter mode at 200 %").await;
    window.save_screenshot("window-newcomer-live-200").await;
    zoom(&window, 1.0).await;
    window.click_name("Presenter mode").await;
    window.click_name("Leave presenter mode").await;
    delete_chosen_profile(&window).await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_scope_that_the_reply_names_is_in_the_headline_and_no_probe_is_offered() {
    let Some((server, window)) = colleague_and_window().await else { return };
    let scopes = ["client_paymentrequest", colleague::REFUSED_SCOPE, "client_refund"];
    fill_in(&window, &server, colleague::CLIENT_ID, colleague::SECRET, &scopes).await;
    window.click_name("Get token").await;
    let message = window.wait_text("error-message", "the refusal", |t| !t.is_empty()).await;
    assert!(message.starts_with(colleague::REFUSED_SCOPE), "the headline does not name the scope: {message:?}");
    assert!(!message.contains("without saying which"), "{message:?}");
    assert!(!shown(&window, "find-refused").await, "Find which one is offered though the reply names the scope");
    window.wait_shown("untick-refused").await;
    assert_eq!(server.token_requests(), 1);
    window.assert_accessible("a refusal that names the scope").await;

    window.click_name("Untick it and try again").await;
    window.shown_token().await;
    assert!(!window.is_ticked(colleague::REFUSED_SCOPE).await);
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_secret_asks_to_be_typed_again_and_a_dropped_secret_notice_goes_once_untrue() {
    let Some((server, window)) = colleague_and_window().await else { return };
    fill_in(&window, &server, colleague::CLIENT_ID, "not-the-secret", &["client_paymentrequest"]).await;
    window.click_name("Get token").await;
    window.wait_text("error-message", "the secret refused", |t| !t.is_empty()).await;
    let secret = window.by_id("client-secret").await;
    let placeholder = secret.attr("placeholder").await.unwrap().unwrap_or_default();
    assert_eq!(placeholder, "Not accepted — type it again");
    assert!(!window.page_source().await.contains("✓ Secret set"), "the rejected secret is still said to be set");
    window.assert_accessible("a rejected secret").await;

    type_in_view(&window, "client-secret", "Client secret", colleague::SECRET).await;
    window.get_token().await;
    let placeholder = secret.attr("placeholder").await.unwrap().unwrap_or_default();
    assert!(placeholder.starts_with("✓ Secret set"), "{placeholder:?}");

    // Another token URL drops the secret, and the window says so; typed again, that goes.
    window.set_token_url(&format!("{}/", server.token_url())).await;
    window.wait_text("status", "the secret dropped", |t| t.contains("dropped")).await;
    window.set_token_url(&server.token_url()).await;
    assert!(window.shows("Enter the secret again").await || window.shows("Enter it again").await);
    type_in_view(&window, "client-secret", "Client secret", colleague::SECRET).await;
    window.wait_text("status", "the notice gone", |t| !t.contains("dropped")).await;
    assert!(!window.shows("was dropped").await, "a stale notice stays:\n{}", window.summary().await);
    window.get_token().await;
    assert!(!window.shows("was dropped").await, "a stale notice stays:\n{}", window.summary().await);
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_profile_brings_back_the_typed_client_its_api_url_and_scopes_but_never_a_secret() {
    let Some((server, window)) = colleague_and_window().await else { return };
    let name = format!("Colleague test {}", std::process::id());
    fill_in(&window, &server, colleague::CLIENT_ID, colleague::SECRET, &["client_paymentrequest"]).await;
    window.click_name("New profile").await;
    window.type_into("Profile name", &name).await;
    window.click_name("Save profile").await;
    window.wait_text("status", "the profile saved", |t| t.contains("Saved profile")).await;

    // A client typed by hand, with an API URL of its own.
    window.choose_profile("").await;
    let typed_api = format!("{}?by-hand=1", server.api_url());
    window.type_into("Client ID", "test-typed-by-hand").await;
    type_in_view(&window, "api-url", "API URL", &typed_api).await;
    window.tick("client_refund").await;
    window.tick("client_businesslookup").await;
    type_in_view(&window, "client-secret", "Client secret", "typed-secret-never-restored").await;

    window.choose_profile(&name).await;
    window.wait_text("profile-secret-state", "the profile's secret state", |t| !t.is_empty()).await;
    assert_eq!(window.value_of("Client ID").await, colleague::CLIENT_ID);
    assert_eq!(window.value_of("API URL").await, server.api_url(), "the profile's API URL is shown");
    window.choose_profile("").await;
    window.wait_text("status", "the typed client back", |t| t.contains("typed before is back")).await;
    assert_eq!(window.value_of("Client ID").await, "test-typed-by-hand");
    assert_eq!(window.value_of("Token URL").await, server.token_url());
    assert_eq!(window.value_of("API URL").await, typed_api);
    assert!(window.is_ticked("client_refund").await && window.is_ticked("client_businesslookup").await);
    assert_eq!(window.value_of("Client secret").await, "", "a secret came back");
    assert!(!window.page_source().await.contains("typed-secret-never-restored"));
    window.assert_accessible("the typed client back").await;

    window.choose_profile(&name).await;
    window.wait_text("profile-secret-state", "the profile's secret state", |t| !t.is_empty()).await;
    delete_chosen_profile(&window).await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_scope_line_of_the_token_test_starts_with_yes_or_no() {
    let Some((server, window)) = colleague_and_window().await else { return };
    let scopes = ["client_paymentrequest", "client_refund", colleague::NEVER_GRANTED];
    fill_in(&window, &server, colleague::CLIENT_ID, colleague::SECRET, &scopes).await;
    window.get_token().await;
    window.screenshot_at("window-newcomer-token", "token-view", "start").await;
    window.click_name("Test token").await;
    window.wait_text("test-scopes", "a line per scope", |t| t.contains(colleague::NEVER_GRANTED)).await;
    let lines = window
        .js(
            "return [...document.querySelectorAll('#test-scopes li')].map((li) => [li.dataset.scope, li.firstChild.textContent, li.innerText.startsWith(li.firstChild.textContent)]);",
            vec![],
        )
        .await;
    assert_eq!(
        lines,
        json!([
            ["client_paymentrequest", "Yes, works", true],
            ["client_refund", "Allowed, not tried (it would move real money)", true],
            [colleague::NEVER_GRANTED, "No — missing", true],
        ])
    );
    let rows = window.text_of("test-scopes").await;
    assert!(rows.contains("issues a refund, which moves real money"), "the detail follows the answer: {rows}");
    window.assert_accessible("yes or no first").await;
    window.screenshot_at("window-newcomer-test", "token-check", "center").await;

    zoom(&window, 2.0).await;
    window.assert_accessible("yes or no first at 200 %").await;
    window.screenshot_at("window-newcomer-test-200", "token-check", "start").await;
    window.screenshot_at("window-newcomer-token-200", "token-view", "start").await;
    window.close().await;
}

/// Whether the focused element shows a focus ring (an outline or a box shadow).
async fn focus_ring(window: &Window) -> (String, bool) {
    let script = r#"const e = document.activeElement, s = getComputedStyle(e);
      const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
      return [e.id || e.tagName, ring];"#;
    let answer = window.js(script, vec![]).await;
    (answer[0].as_str().unwrap_or_default().to_owned(), answer[1].as_bool().unwrap_or(false))
}

/// Whether the element `id` lies inside the viewport, and its box.
async fn in_viewport(window: &Window, id: &str) -> (bool, Value) {
    let script = r#"const r = document.getElementById(arguments[0]).getBoundingClientRect();
      return [r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
              { top: r.top, bottom: r.bottom, left: r.left, right: r.right }];"#;
    let answer = window.js(script, vec![json!(id)]).await;
    (answer[0].as_bool().unwrap_or(false), answer[1].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_steps_are_a_click_away_focus_shows_copied_notes_sit_by_their_button_and_names_wrap_at_underscores() {
    let Some((server, window)) = colleague_and_window().await else { return };
    // The section bar, outside presenter mode, at the top.
    let (bar_in_view, _) = in_viewport(&window, "demo-steps").await;
    assert!(bar_in_view, "the section bar is not in view at the top");
    window.click_id("step-code").await;
    window.wait_for_text("the same request in your language").await;
    let focused = window.js("return document.activeElement.id;", vec![]).await;
    assert_eq!(focused, json!("snippet-code"), "Code for integrators did not move focus to the code");
    assert!(focus_ring(&window).await.1, "the code box has no focus ring");
    window.click_id("step-token").await;
    assert_eq!(focus_ring(&window).await, ("get-token".to_owned(), true), "Get token: no focus ring after the step");

    // A focus ring on every control tried, however it got focus (a script here).
    for id in [
        "client-id",
        "profile-select",
        "step-test",
        "presenter-switch",
        "copy-snippet",
        "snippet-lang",
        "scope-client_refund",
    ] {
        window.js("document.getElementById(arguments[0]).focus();", vec![json!(id)]).await;
        let ring = window
            .js(
                r#"const e = document.activeElement, t = e.closest(".scope") || e, s = getComputedStyle(t);
                   return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";"#,
                vec![],
            )
            .await;
        assert_eq!(ring, json!(true), "#{id} shows no focus ring");
    }

    // "Presenter mode" once in the header; the strip's step buttons show focus too.
    window.click_name("Presenter mode").await;
    window.wait_text("status", "presenter mode on", |t| t.contains("Presenter mode is on")).await;
    let header = window.js("return document.querySelector('.topbar').innerText;", vec![]).await;
    assert_eq!(header.as_str().unwrap_or_default().matches("Presenter mode").count(), 1, "{header}");
    window.js("document.getElementById('step-test').focus();", vec![]).await;
    assert_eq!(focus_ring(&window).await, ("step-test".to_owned(), true));
    window.click_id("step-token").await;
    assert_eq!(focus_ring(&window).await, ("get-token".to_owned(), true));
    window.click_name("Presenter mode").await;
    window.click_name("Leave presenter mode").await;

    // Each Copied note next to its button, in view, then gone.
    fill_in(&window, &server, colleague::CLIENT_ID, colleague::SECRET, &["client_paymentrequest"]).await;
    window.get_token().await;
    window.click_name("Copy token").await;
    window.wait_shown("copy-note").await;
    let (note_in_view, note) = in_viewport(&window, "copy-note").await;
    let button = rect(&window, "#copy-token").await;
    assert!(note_in_view, "the Copied note is out of view: {note}");
    assert!(
        note["top"].as_f64().unwrap() < button["bottom"].as_f64().unwrap() + 60.0,
        "the Copied note is not by its button: {note} vs {button}"
    );
    window.assert_accessible("a Copied note").await;
    wait_shown_is(&window, "copy-note", false).await;

    window.click_id("step-code").await;
    window.click_name("Copy code").await;
    window.wait_shown("snippet-note").await;
    let (note_in_view, note) = in_viewport(&window, "snippet-note").await;
    assert!(note_in_view, "the Copy code note is out of view: {note}");
    wait_shown_is(&window, "snippet-note", false).await;

    // 200 %: long scope names wrap only at "_", and the code wraps instead of scrolling sideways.
    zoom(&window, 2.0).await;
    let long = "client_recurringpaymentconsentrequest";
    let parts = window
        .js(
            r#"const label = document.querySelector(`label[for="scope-${arguments[0]}"]`);
               label.scrollIntoView({ block: "center" });
               const wbrs = label.querySelectorAll("wbr").length;
               const split = [...label.childNodes].filter((n) => n.nodeType === 3).map((n) => {
                 const r = document.createRange(); r.selectNodeContents(n);
                 const lines = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
                 return [n.textContent, lines.size];
               });
               return { wbrs, split };"#,
            vec![json!(long)],
        )
        .await;
    assert_eq!(parts["wbrs"], json!(1), "{parts}");
    for part in parts["split"].as_array().unwrap() {
        assert_eq!(part[1], json!(1), "a part of {long} breaks mid-word: {parts}");
    }
    let code = window
        .js(
            r#"const c = document.getElementById("snippet-code"); c.scrollIntoView({ block: "start" });
               return { wrap: getComputedStyle(c).whiteSpace, sideways: c.scrollWidth > c.clientWidth + 1 };"#,
            vec![],
        )
        .await;
    assert_eq!(code, json!({ "wrap": "pre-wrap", "sideways": false }), "the code box at 200 %");
    window.assert_accessible("the code at 200 %").await;
    window.save_screenshot("window-newcomer-code-200").await;
    window.close().await;
}
