//! The trust model in the real Token Desk window, end to end (WebDriver through tauri-driver,
//! under Xvfb, the real keyring): an imported profile's servers are listed and those that are
//! not Stitch's own must be trusted before such a profile is added, and a secret typed for one
//! client is never sent after switching to another profile. A loopback "attacker" server in
//! the test process counts every request that reaches it. The import dialog is checked with
//! axe-core and photographed.
//!
//! They run only with `TOKEN_DESK_E2E=1`, like tests/window.rs.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use support::attacker::{Attacker, Mode};
use support::window::{enabled, stitch_if_enabled, ChooserAnswer, Window};
use tempfile::TempDir;
use token_desk_core::profiles::document;
use token_desk_core::simulator::demo;

const HOUR: Duration = Duration::from_secs(3600);

/// A colleague's "team setup" file: one profile at Stitch, one whose token URL is the
/// attacker's, one whose API URL would collect the tokens.
fn team_setup(dir: &Path, attacker: &Attacker) -> PathBuf {
    let ids = ["test-1b2c3d4e-clean", "test-5e6f7a8b-team", "test-9a8b7c6d-coll"];
    let path = dir.join("team-setup.json");
    std::fs::write(&path, document::render(&support::team_setup_profiles(attacker.port(), ids)))
        .expect("the file is written");
    path
}

/// Opens the import dialog on `file`, as chosen in the system's chooser.
async fn open_import(window: &Window, chooser: &ChooserAnswer, file: &Path) {
    chooser.pick(file);
    window.click_name("Import").await;
    window.wait_shown("import-dialog").await;
}

/// The names in the "Profile" list.
async fn listed_profiles(window: &Window) -> String {
    window.by_id("profile-select").await.text().await.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imports_foreign_hosts_are_listed_and_must_be_confirmed() {
    if !enabled() {
        return;
    }
    let attacker = Attacker::start(Mode::Refuse);
    let files = TempDir::new().unwrap();
    let file = team_setup(files.path(), &attacker);
    let (window, chooser) = Window::open_with_chooser().await;

    open_import(&window, &chooser, &file).await;
    let plan = window.text_of("import-plan").await;
    for shown in [
        "Stitch shop",
        "test-1b2c3d4e-clean",
        "secure.stitch.money",
        "Team setup",
        &format!("127.0.0.1:{}", attacker.port()),
        "Collector",
        "collector.example",
    ] {
        assert!(plan.contains(shown), "the import dialog does not show {shown:?}:\n{plan}");
    }
    let trust = window.wait_shown("import-trust-box").await.text().await.unwrap_or_default();
    assert!(trust.contains("collector.example"), "the confirmation does not name the host: {trust:?}");
    let ticked = window.by_id("import-trust").await.is_selected().await.expect("the confirmation's state");
    assert!(!ticked, "the hosts are trusted before the user said so");
    assert_eq!(window.text_of("import-confirm").await, "Import 1 profile", "only the clean one without trust");
    window.assert_accessible("import confirmation").await;
    window.client.set_window_size(1280, 800).await.expect("the window is resized to 1280×800");
    window.screenshot("window-import-confirmation").await;

    // Without the confirmation, the flagged profiles are left out and the page says so.
    window.click_id("import-confirm").await;
    window.wait_text("status", "what was imported", |t| t.contains("Imported: Stitch shop")).await;
    let note = window.wait_shown("import-note").await.text().await.unwrap_or_default();
    assert!(
        note.contains("Team setup") && note.contains("Collector"),
        "the page does not say what was left out: {note:?}"
    );
    let names = listed_profiles(&window).await;
    assert!(names.contains("Stitch shop") && !names.contains("Team setup") && !names.contains("Collector"), "{names}");

    // Confirmed: the hosts named, ticked, then imported.
    open_import(&window, &chooser, &file).await;
    window.click_id("import-trust").await;
    assert_eq!(window.text_of("import-confirm").await, "Import 2 profiles");
    window.click_id("import-confirm").await;
    window
        .wait_text("status", "the trusted profiles imported", |t| t.contains("Imported: Team setup, Collector"))
        .await;
    let names = listed_profiles(&window).await;
    assert!(names.contains("Team setup") && names.contains("Collector"), "{names}");
    assert_eq!(attacker.connections(), 0, "importing sends nothing");
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_typed_for_one_client_is_not_used_after_switching_to_another_profile() {
    let Some(stitch) = stitch_if_enabled(HOUR).await else { return };
    let attacker = Attacker::start(Mode::Refuse);
    let files = TempDir::new().unwrap();
    let file = team_setup(files.path(), &attacker);
    let (window, chooser) = Window::open_with_chooser().await;
    open_import(&window, &chooser, &file).await;
    window.click_id("import-trust").await;
    window.click_id("import-confirm").await;
    window.wait_text("status", "the profiles imported", |t| t.contains("Imported:")).await;

    // A token for the demo client, with its secret typed in.
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    window.get_token().await;
    assert_eq!(stitch.simulator.token_requests(), 1);
    let target = window.text_of("api-target").await;
    assert!(
        target.contains(&stitch.simulator.api_url()),
        "the token test does not say where the token goes: {target:?}"
    );

    // The imported profile points at the attacker and has no secret: it asks for one.
    let list = window.by_name("Profile").await;
    list.select_by_value("Team setup").await.expect("choosing the imported profile");
    window.wait_text("profile-secret-state", "the profile's secret state", |t| t.contains("Not saved")).await;
    window.click_name("Get token").await;
    let refusal = window.wait_text("error-message", "the refusal", |t| !t.is_empty()).await;
    assert!(
        refusal.contains("Profile \"Team setup\" has no saved secret for 127.0.0.1: choose Replace secret"),
        "{refusal:?}"
    );
    // Back to no profile: the attacker's client and URL stay in the form, the secret does not.
    list.select_by_value("").await.expect("choosing no profile");
    window.click_name("Get token").await;
    window.wait_text("error-message", "the secret asked for", |t| t.contains("Enter the client secret")).await;

    assert_eq!(attacker.connections(), 0, "the secret typed for the demo client reached the attacker");
    assert_eq!(stitch.simulator.token_requests(), 1);
    assert!(!window.shows(demo::SECRET).await, "the secret is on screen");
    window.assert_accessible("refused profile").await;
    window.close().await;
}
