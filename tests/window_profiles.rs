//! Saved profiles in the real Token Desk window, end to end (WebDriver through tauri-driver,
//! under Xvfb), against a Stitch simulator in the test process, with secrets in the **real**
//! OS keyring (scripts/test runs the tests in a D-Bus session with an unlocked gnome-keyring).
//! Every profile screen is checked with axe-core for serious or critical violations.
//!
//! They run only with `TOKEN_DESK_E2E=1`, like tests/window.rs.

mod support;

use std::time::Duration;

use support::window::{stitch_and_window, stitch_if_enabled, Stitch, Window};
use token_desk_core::simulator::demo;

const HOUR: Duration = Duration::from_secs(3600);

/// Fills in the simulator's demo secret client and saves it as profile `name`, its secret in
/// the keyring (and, for `live`, as a Live client).
async fn save_profile(window: &Window, stitch: &Stitch, name: &str, live: bool) {
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;

    window.click_name("New profile").await;
    window.type_into("Profile name", name).await;
    assert!(window.is_ticked("Save secret in keyring").await, "\"Save secret in keyring\" is ticked by default");
    if live {
        window.tick("Live client — real money").await;
    }
    window.assert_accessible("new profile").await;
    window.click_name("Save profile").await;
    window.wait_text("status", "that the profile was saved", |t| t.contains("Saved profile")).await;
}

/// Chooses profile `name` in the "Profile" list, as a person would with the keyboard or mouse,
/// once the list shows it: the window is there before the page has listed the saved profiles
/// (it asks the backend for them when its script starts).
async fn choose_profile(window: &Window, name: &str) {
    window.choose_profile(name).await;
    window.wait_text("profile-secret-state", "the profile's secret state", |t| !t.is_empty()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_profile_gets_a_token_after_a_restart_without_retyping_the_secret() {
    let Some(stitch) = stitch_if_enabled(HOUR).await else { return };
    let name = format!("Shop test {}", std::process::id());
    let (xdg, window) = Window::open_for_a_restart().await;
    save_profile(&window, &stitch, &name, false).await;
    let state = window.wait_text("profile-secret-state", "the secret saved", |t| !t.is_empty()).await;
    assert!(state.contains("Saved in the keyring"), "the secret is not in the keyring: {state:?}");
    assert!(!window.shows(demo::SECRET).await, "the secret is on screen");
    window.get_token().await;
    assert_eq!(stitch.simulator.token_requests(), 1);
    window.assert_accessible("profile saved").await;
    window.screenshot("window-profile-saved").await;
    assert_eq!(window.value_of("Profile").await, name, "the saved profile is chosen\n{}", window.summary().await);
    window.close().await;

    // The same user starts Token Desk again: nothing typed, only the profile chosen.
    let window = Window::open_with_xdg(xdg.path(), &[]).await;
    choose_profile(&window, &name).await;
    assert_eq!(window.value_of("Client ID").await, demo::SECRET_CLIENT_ID);
    assert!(window.is_ticked("client_paymentrequest").await);
    let state = window.text_of("profile-secret-state").await;
    assert!(state.contains("Saved in the keyring"), "after a restart the secret is not found: {state:?}");
    window.get_token().await;
    let from_cache = window.text_of("from-cache").await;
    assert!(from_cache.starts_with("Yes"), "the token kept in the keyring was not reused: {from_cache:?}");
    assert_eq!(stitch.simulator.token_requests(), 1, "the kept token is reused: still one request");
    window.assert_accessible("profile after a restart").await;
    window.screenshot("window-profile-restart").await;

    // Deleting asks first, then removes the profile and its secret.
    window.click_name("Delete").await;
    window.wait_shown("confirm-delete-dialog").await;
    window.assert_accessible("delete confirmation").await;
    window.click_id("confirm-delete").await;
    window.wait_text("status", "that the profile was deleted", |t| t.contains("Deleted profile")).await;
    let names = window.by_id("profile-select").await.text().await.unwrap_or_default();
    assert!(!names.contains(&name), "the deleted profile is still listed: {names:?}");
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_profile_shows_a_banner_and_its_first_token_asks_for_confirmation() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    let name = format!("Shop LIVE {}", std::process::id());
    save_profile(&window, &stitch, &name, true).await;

    let banner = window.wait_shown("live-banner").await.text().await.unwrap_or_default();
    assert!(banner.contains("LIVE") && banner.contains("real money"), "the Live banner says {banner:?}");
    window.assert_accessible("live profile").await;

    window.click_name("Get token").await;
    window.wait_shown("live-confirm").await;
    assert_eq!(stitch.simulator.token_requests(), 0, "nothing is sent before the confirmation");
    window.assert_accessible("live confirmation").await;
    window.screenshot("window-live-confirm").await;
    window.click_id("live-confirm-yes").await;
    window.shown_token().await;
    assert_eq!(stitch.simulator.token_requests(), 1);

    // Confirmed once per session: the next token does not ask again.
    window.click_name("Get new token").await;
    stitch_requests_reach(&stitch, 2).await;
    assert!(window.by_id("live-banner").await.is_displayed().await.unwrap_or(false), "the banner stays");
    window.screenshot("window-live-token").await;

    window.click_name("Delete").await;
    window.click_id("confirm-delete").await;
    window.wait_text("status", "that the profile was deleted", |t| t.contains("Deleted profile")).await;
    assert!(
        !window.by_id("live-banner").await.is_displayed().await.unwrap_or(true),
        "the banner goes with the profile"
    );
    window.close().await;
}

/// Waits until the simulator has counted `n` token requests.
async fn stitch_requests_reach(stitch: &Stitch, n: usize) {
    let deadline = std::time::Instant::now() + support::window::PATIENCE;
    while stitch.simulator.token_requests() < n {
        assert!(std::time::Instant::now() < deadline, "the simulator never counted {n} requests");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
