//! The collection buttons in the real window (see tests/window.rs for how these run): the
//! three *Save as…* buttons are in *Code for integrators*, a click reaches the backend and its
//! answer is shown in words; axe-core on that screen. The system's file chooser cannot be
//! driven through WebDriver, so the click tried is one the backend refuses before asking
//! where to save (no client ID yet); saving itself is covered by tests/collection_commands.rs.
//!
//! They run only with `TOKEN_DESK_E2E=1`, under Xvfb, like tests/window.rs.

mod support;

use fantoccini::Locator;
use support::window::{enabled, Window};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_save_buttons_are_in_code_for_integrators_and_a_refusal_is_said_in_words() {
    if !enabled() {
        return;
    }
    let window = Window::open(&[]).await;
    window.by_name("Client ID").await.clear().await.expect("clearing the client ID");
    let summary = window.client.find(Locator::Css("#snippets > summary")).await.expect("the summary");
    window.click(&summary, "Code for integrators").await;
    for name in ["Save as Postman collection", "Save as Bruno collection", "Save as .http file"] {
        window.by_name(name).await;
    }
    window.click_name("Save as Bruno collection").await;
    let said = window.wait_text("collection-note", "the refusal", |t| t.contains("Type the client ID first")).await;
    assert_eq!(said, "Type the client ID first: the collection is made for one client.");
    window.assert_accessible("code for integrators with the collection buttons").await;
    window.close().await;
}
