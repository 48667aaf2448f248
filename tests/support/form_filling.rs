//! Filling in the window's form as a person would: choosing a profile, typing, ticking, the
//! token URL under Advanced, and the whole secret client before *Get token*.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use token_desk_core::simulator::demo;

use super::window::{Window, PATIENCE};

impl Window {
    /// Chooses the saved profile `name` ("" for none) in the Profile list, once the list shows
    /// it: the page fills the list when the backend's first answer arrives, which can come
    /// after the form is there.
    pub async fn choose_profile(&self, name: &str) {
        let list = self.by_name("Profile").await;
        let option = format!("option[value='{name}']");
        let deadline = Instant::now() + PATIENCE;
        while list.find(Locator::Css(&option)).await.is_err() {
            assert!(
                Instant::now() < deadline,
                "profile {name:?} is not listed after {PATIENCE:?}\n{}",
                self.summary().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        list.select_by_value(name).await.unwrap_or_else(|e| panic!("choosing profile {name:?}: {e}"));
    }

    /// Replaces the text of the field named `name` with `text`, as typed.
    pub async fn type_into(&self, name: &str, text: &str) {
        let field = self.by_name(name).await;
        field.clear().await.unwrap_or_else(|e| panic!("clearing \"{name}\": {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("typing into \"{name}\": {e}"));
    }

    /// Ticks the checkbox named `name` unless it is ticked.
    pub async fn tick(&self, name: &str) {
        let boxed = self.by_name(name).await;
        if !boxed.is_selected().await.expect("a checkbox's state") {
            self.click(&boxed, &format!("the checkbox \"{name}\"")).await;
        }
        assert!(self.is_ticked(name).await, "\"{name}\" did not become ticked");
    }

    pub async fn is_ticked(&self, name: &str) -> bool {
        self.by_name(name).await.is_selected().await.expect("a checkbox's state")
    }

    /// The value of the field named `name`.
    pub async fn value_of(&self, name: &str) -> String {
        self.by_name(name).await.prop("value").await.expect("a field's value").unwrap_or_default()
    }

    /// Waits until the field named `name` holds `value`, and returns it.
    pub async fn wait_for_value(&self, name: &str, value: &str) -> String {
        self.wait_for(&format!("\"{name}\" to hold {value:?}"), || async move {
            let now = self.value_of(name).await;
            (now == value).then_some(now)
        })
        .await
    }

    /// Whether the "Advanced" section (a `<details>`) is open.
    pub async fn advanced_is_open(&self) -> bool {
        let summary = serde_json::to_value(self.by_name("Advanced").await).expect("an element reference serializes");
        let open = self.client.execute("return arguments[0].closest('details').open;", vec![summary]).await;
        open.expect("the Advanced section's state").as_bool().expect("\"Advanced\" is the summary of a <details>")
    }

    /// Opens the "Advanced" section, as a person would, and points the window at `token_url`.
    pub async fn set_token_url(&self, token_url: &str) {
        if !self.advanced_is_open().await {
            self.click_name("Advanced").await;
        }
        assert!(self.advanced_is_open().await, "clicking \"Advanced\" does not open it");
        self.type_into("Token URL", token_url).await;
    }

    /// Fills in the simulator's demo secret client with `secret` and `scopes` ticked, then points
    /// the window at `token_url`.
    pub async fn fill_in_secret_client(&self, token_url: &str, secret: &str, scopes: &[&str]) {
        self.type_into("Client ID", demo::SECRET_CLIENT_ID).await;
        self.type_into("Client secret", secret).await;
        for scope in scopes {
            self.tick(scope).await;
        }
        self.set_token_url(token_url).await;
    }

    /// Fills in the demo secret client with its secret typed after `token_url`: the secret is
    /// entered for the token URL it goes to (it is bound to that origin).
    pub async fn fill_in_secret_client_for(&self, token_url: &str, scopes: &[&str]) {
        self.type_into("Client ID", demo::SECRET_CLIENT_ID).await;
        self.set_token_url(token_url).await;
        self.type_into("Client secret", demo::SECRET).await;
        for scope in scopes {
            self.tick(scope).await;
        }
    }

    /// Clicks "Get token" and returns the masked token once it is shown.
    pub async fn get_token(&self) -> String {
        self.click_name("Get token").await;
        self.shown_token().await
    }
}
