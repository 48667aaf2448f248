//! The real Token Desk window, end to end: launched by `tauri-driver` (WebKitWebDriver) under
//! Xvfb, driven through WebDriver like a person would, against a Stitch simulator started in
//! each test. Every screen is checked with axe-core for serious or critical violations.
//!
//! They run only with `TOKEN_DESK_E2E=1` (scripts/test sets it, with Xvfb and a D-Bus session);
//! they then need `tauri-driver` (`cargo install --locked tauri-driver`), WebKitWebDriver
//! (Debian `webkit2gtk-driver`), `xclip`, and axe-core (`npm ci --prefix tests/e2e`).

mod support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use support::window::{clipboard, enabled, stitch_and_window, stitch_if_enabled, Window};
use token_desk_core::certificate::ClientCertificate;
use token_desk_core::simulator::demo;

const HOUR: Duration = Duration::from_secs(3600);

/// The (UTC) year of `t`, by Howard Hinnant's `civil_from_days`.
fn year_of(t: SystemTime) -> i64 {
    let days = (t.duration_since(UNIX_EPOCH).expect("after 1970").as_secs() / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let march_based_month = (5 * doy + 2) / 153;
    yoe + era * 400 + i64::from(march_based_month >= 10)
}

/// Whether `shown` is a masked form of `full`: shorter, and only its ends visible.
fn is_masked_form_of(shown: &str, full: &str) -> bool {
    let visible: String = shown.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.~+/=".contains(*c)).collect();
    shown != full && !shown.contains(full) && visible.len() < full.len() / 2
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_first_run_gets_a_masked_token_in_two_clicks() {
    if !enabled() {
        return;
    }
    let window = Window::open(&[]).await;
    window.wait_for_text("Simulator — not Stitch").await;
    window.assert_accessible("first run").await;
    window.screenshot("window-first-run").await;

    window.click_id("demo-secret").await;
    // The form is filled in once the simulator runs; its badge then marks the form.
    window.wait_shown("simulator-badge").await;
    let shown = window.get_token().await;
    assert!(shown.contains('…') || shown.contains('•'), "the token is not masked: {shown:?}");
    window.assert_accessible("demo token").await;
    window.screenshot("window-demo-token").await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_sets_up_no_opengl_since_it_draws_without_compositing() {
    if !enabled() {
        return;
    }
    let window = Window::open(&[]).await;
    window.wait_for_text("Simulator — not Stitch").await;
    // GTK's GLX probe loads the GL vendor's library (libGLX_mesa, libGLX_nvidia, …).
    let glx: Vec<String> = window.app_libraries().into_iter().filter(|l| l.starts_with("libGLX_")).collect();
    assert!(glx.is_empty(), "GTK set up GLX in the app's process: {glx:?}");
    // Every OpenGL context Mesa makes, in the app or WebKit's processes, opens its shader cache.
    let shader_cache = window.cache_folder().join("mesa_shader_cache");
    assert!(!shader_cache.exists(), "an OpenGL context was made: {} exists", shader_cache.display());
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_secret_gets_a_masked_token_with_one_request() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    assert!(!window.advanced_is_open().await, "\"Advanced\" is open on a first run");
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    let masked = window.get_token().await;
    assert_eq!(stitch.simulator.token_requests(), 1, "one Get token, one request");
    window.assert_accessible("token shown").await;
    window.screenshot("window-token").await;

    window.click_id("reveal").await;
    let full = window.wait_shown_token(|t| t != masked).await;
    assert!(stitch.accepts(&full).await, "the revealed token {full:?} does not open the simulator's API");
    assert!(is_masked_form_of(&masked, &full), "shown {masked:?} is not a masked form of the token {full:?}");
    assert!(!window.shows(demo::SECRET).await, "the secret is on screen");
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_file_shows_its_facts_and_gets_a_token() {
    let Some(stitch) = stitch_if_enabled(HOUR).await else { return };
    let path = stitch.simulator.demo().certificate_path.clone();
    let facts = ClientCertificate::from_file(&path).expect("the demo certificate reads").facts().clone();
    let (window, chooser) = Window::open_with_chooser().await;

    window.type_into("Client ID", demo::CERTIFICATE_CLIENT_ID).await;
    window.set_token_url(&stitch.simulator.token_url()).await;
    window.click_id("auth-certificate").await;
    // The user picks the file in the system's chooser; the page never names it.
    chooser.pick(&path);
    window.click_name("Choose file…").await;

    let common_name = facts.subject.trim_start_matches("CN=");
    let expiry_year = year_of(facts.not_after).to_string();
    let shown = window
        .wait_text("certificate-facts", "the certificate's subject, thumbprint and expiry", |t| {
            t.contains(common_name) && t.contains(&facts.thumbprint) && t.contains(&expiry_year)
        })
        .await;
    assert!(!shown.contains("PRIVATE KEY"), "the key is on screen");
    window.assert_accessible("certificate read").await;

    let field = window.value_of("Certificate").await;
    assert_eq!(field, path.display().to_string(), "the chosen file is shown");

    window.tick("client_paymentrequest").await;
    window.get_token().await;
    assert_eq!(stitch.simulator.token_requests(), 1);
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_secret_explains_itself_and_keeps_the_form() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    let scopes = ["client_paymentrequest", "client_bankaccountverification"];
    window.fill_in_secret_client(&stitch.simulator.token_url(), "not-the-secret", &scopes).await;
    window.click_name("Get token").await;

    let message = window.wait_text("error-message", "a message", |t| !t.trim().is_empty()).await;
    let lower = message.to_lowercase();
    assert!(lower.contains("client id") && lower.contains("secret"), "message: {message:?}");
    assert!(!message.contains("invalid_client"), "the plain message carries jargon: {message:?}");
    window.assert_accessible("error shown").await;
    window.screenshot("window-error").await;

    window.click_id("error-details-toggle").await;
    window.wait_for_text("invalid_client").await;
    window.assert_accessible("error details").await;

    assert_eq!(window.value_of("Client ID").await, demo::SECRET_CLIENT_ID, "the form lost the client ID");
    for scope in scopes {
        assert!(window.is_ticked(scope).await, "the form lost the ticked scope {scope}");
    }
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scope_not_granted_is_flagged_and_a_refused_scope_is_named() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    window
        .fill_in_secret_client(
            &stitch.simulator.token_url(),
            demo::SECRET,
            &["client_paymentrequest", demo::WITHHELD_SCOPE],
        )
        .await;
    window.get_token().await;

    let requested =
        window.wait_text("requested-scopes", "the requested scopes", |t| t.contains(demo::WITHHELD_SCOPE)).await;
    let granted = window.text_of("granted-scopes").await;
    assert!(requested.contains("client_paymentrequest") && granted.contains("client_paymentrequest"));
    assert!(!granted.contains(demo::WITHHELD_SCOPE), "granted shows the withheld scope: {granted:?}");
    let flagged = window
        .client
        .execute(FLAGGED_NOT_GRANTED, vec![serde_json::json!(demo::WITHHELD_SCOPE)])
        .await
        .expect("the requested scopes can be inspected");
    assert_eq!(flagged.as_bool(), Some(true), "the scope not granted is not flagged in {requested:?}");
    window.assert_accessible("scope not granted").await;

    window.tick(demo::REFUSED_SCOPE).await;
    window.click_name("Get token").await;
    let message = window.wait_text("error-message", "a message", |t| !t.trim().is_empty()).await;
    assert!(message.contains(demo::REFUSED_SCOPE), "the refusal does not name the scope: {message:?}");
    window.close().await;
}

/// Whether the requested scope `arguments[0]` is flagged as not granted in words a screen reader
/// reads too ("not granted" in its text, `aria-label` or title), not by colour alone.
const FLAGGED_NOT_GRANTED: &str = r#"
const scope = arguments[0];
const list = document.getElementById("requested-scopes");
const item = [...list.querySelectorAll("li, [role=listitem]")].find((e) => e.textContent.includes(scope));
if (!item) return false;
const said = (item.textContent + " " + (item.getAttribute("aria-label") || "") + " " + (item.title || "")).toLowerCase();
return said.includes("not granted");
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_token_puts_the_whole_token_on_the_clipboard_and_clears_it_later() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[("TOKEN_DESK_CLIPBOARD_CLEAR_MS", "2000")]).await else {
        return;
    };
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    let masked = window.get_token().await;

    window.click_name("Copy token").await;
    let note = window.wait_text("copy-note", "that the clipboard will be cleared", |t| t.contains("clear")).await;
    assert!(note.contains("2 s"), "the note does not say when: {note:?}");
    let copied_at = Instant::now();
    let copied = clipboard().await.unwrap_or_default();
    assert!(copied != masked && stitch.accepts(&copied).await, "the clipboard holds {copied:?}, not the token");

    // Cleared 2 s after the copy: watched from the copy on, so the test waits no longer than that.
    let deadline = copied_at + Duration::from_secs(12);
    while clipboard().await.as_deref() == Some(copied.as_str()) {
        assert!(Instant::now() < deadline, "the clipboard still holds the token 12 s after copying");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_countdown_runs_to_expired_and_offers_a_new_token() {
    // A token that lives 2 s: the countdown reaches "Expired" after at most 2 s on the real
    // clock (the window counts down to the expiry the server gave).
    let Some((stitch, window)) = stitch_and_window(Duration::from_secs(2), &[]).await else { return };
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    let first = window.get_token().await;

    let start = window.wait_text("countdown", "a countdown", |t| !t.trim().is_empty()).await;
    if !start.to_lowercase().contains("expired") {
        window.wait_text("countdown", "a later time than at first", |t| t != start).await;
    }
    window.wait_text("countdown", "\"Expired\"", |t| t.to_lowercase().contains("expired")).await;
    window.wait_shown("expired").await;
    window.wait_shown("get-new-token").await;
    window.assert_accessible("token expired").await;

    window.click_id("get-new-token").await;
    window.wait_shown_token(|t| t != first).await;
    assert_eq!(stitch.simulator.token_requests(), 2, "the new token took one more request");
    window.wait_text("countdown", "time left again", |t| !t.to_lowercase().contains("expired")).await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_new_token_forces_a_request_and_get_token_reuses_the_cache() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    let first = window.get_token().await;
    let fresh = window.text_of("from-cache").await;

    window.click_name("Get new token").await;
    let second = window.wait_shown_token(|t| t != first).await;
    assert_eq!(stitch.simulator.token_requests(), 2, "Get new token sends a request");

    window.click_name("Get token").await;
    let cached = window.wait_text("from-cache", "that the token came from the cache", |t| t != fresh).await;
    assert!(cached.to_lowercase().starts_with("yes"), "from-cache: {cached:?}");
    assert_eq!(window.shown_token().await, second, "the cached token is the one shown before");
    assert_eq!(stitch.simulator.token_requests(), 2, "the cached token took no request");
    window.close().await;
}
