//! What the window's backend keeps between commands: the engine (and its token cache), the
//! client secret the user entered, and the simulator once started.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use token_desk_core::secret::ClientSecret;
use token_desk_core::simulator::{Simulator, SimulatorConfig};
use token_desk_core::{Engine, Failure, FailureKind};
use tokio::sync::OnceCell;

/// Shared by every command of the app, for the whole session.
pub struct AppState {
    pub engine: Engine,
    /// Write-only from the webview's side: set by `set_secret`, read only to send a request.
    secret: Mutex<Option<Arc<ClientSecret>>>,
    simulator: OnceCell<Simulator>,
    /// Where the simulator keeps its demo certificate; `None` for its default folder.
    simulator_dir: Option<PathBuf>,
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            engine: Engine::with_defaults(),
            secret: Mutex::new(None),
            simulator: OnceCell::new(),
            simulator_dir: None,
        }
    }
}

impl AppState {
    /// A state whose simulator keeps its demo files in `dir` (tests use a temporary folder).
    pub fn with_simulator_dir(dir: PathBuf) -> Self {
        Self { simulator_dir: Some(dir), ..Self::default() }
    }

    /// Replaces the client secret; a blank one clears it.
    pub fn set_secret(&self, secret: ClientSecret) {
        let value = (!secret.is_blank()).then(|| Arc::new(secret));
        *self.secret.lock().unwrap_or_else(|e| e.into_inner()) = value;
    }

    /// The secret to send, if one was entered.
    pub fn secret(&self) -> Option<Arc<ClientSecret>> {
        self.secret.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The built-in simulator, started on first use and kept running until the app exits.
    pub async fn simulator(&self) -> Result<&Simulator, Failure> {
        self.simulator
            .get_or_try_init(|| async {
                let mut config = SimulatorConfig::default();
                if let Some(dir) = &self.simulator_dir {
                    config.data_dir = dir.clone();
                }
                Simulator::start(config).await.map_err(|e| {
                    Failure::new(FailureKind::CannotConnect, "The built-in simulator could not start.").with_detail(
                        token_desk_core::failure::Detail { cause: Some(e.to_string()), ..Default::default() },
                    )
                })
            })
            .await
    }

    /// The simulator if it was started; for tests that need its demo credentials.
    pub fn started_simulator(&self) -> Option<&Simulator> {
        self.simulator.get()
    }
}
