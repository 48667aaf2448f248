//! The start of a window test at the size people use (1280×800): a simulator in the test
//! process (naming refused scopes when asked), and the window, for `window_presenter.rs` and
//! `window_answers.rs`.

use serde_json::Value;
use tempfile::TempDir;
use token_desk_core::simulator::{demo, Simulator, SimulatorConfig};

use super::window::{enabled, Window};

/// A simulator in the test process; `name_refused` makes it name a refused scope in its
/// `error_description` (Stitch's IdentityServer4 names none).
pub struct Server {
    pub simulator: Simulator,
    _data: TempDir,
}

impl Server {
    pub async fn start(name_refused: bool) -> Self {
        let data = TempDir::new().expect("a folder for the simulator");
        let simulator = Simulator::start(SimulatorConfig {
            data_dir: data.path().to_path_buf(),
            name_refused_scopes: name_refused,
            ..SimulatorConfig::default()
        })
        .await
        .expect("the simulator starts");
        Self { simulator, _data: data }
    }

    /// A whole token for the demo secret client, fetched directly (as a colleague would).
    pub async fn token(&self, scopes: &str) -> String {
        let answer: Value = reqwest::Client::new()
            .post(self.simulator.token_url())
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", demo::SECRET_CLIENT_ID),
                ("client_secret", demo::SECRET),
                ("scope", scopes),
            ])
            .send()
            .await
            .expect("the simulator answers")
            .json()
            .await
            .expect("a JSON answer");
        answer["access_token"].as_str().expect("a token").to_owned()
    }
}

/// A window test's start: the simulator (naming refused scopes when `name_refused`) and a
/// window at 1280×800. None (after the `skipped:` line) when the window tests are off.
pub async fn server_and_window(name_refused: bool) -> Option<(Server, Window)> {
    let server = server_if_enabled(name_refused).await?;
    Some((server, open_at_1280x800().await))
}

/// The simulator, or None (after the `skipped:` line) when the window tests are off.
pub async fn server_if_enabled(name_refused: bool) -> Option<Server> {
    if !enabled() {
        return None;
    }
    Some(Server::start(name_refused).await)
}

pub async fn open_at_1280x800() -> Window {
    open_at_1280x800_with(&[]).await
}

/// A window at 1280×800 with `env` added to the app's environment.
pub async fn open_at_1280x800_with(env: &[(&str, &str)]) -> Window {
    let window = Window::open(env).await;
    window.client.set_window_size(1280, 800).await.expect("the window takes 1280×800");
    window
}
