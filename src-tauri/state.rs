//! What the window's backend keeps between commands: the engine (and its token cache), the
//! credentials the user entered (write-only from the webview's side), the request in flight,
//! the last token, the clipboard, and the simulator once started.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use token_desk_core::certificate::ClientCertificate;
use token_desk_core::request::{Credential, TokenRequest};
use token_desk_core::secret::ClientSecret;
use token_desk_core::simulator::{Simulator, SimulatorConfig};
use token_desk_core::token::AccessToken;
use token_desk_core::usage::Copyable;
use token_desk_core::{Engine, Failure, FailureKind, Outcome, Token};
use tokio::sync::OnceCell;
use tokio::task::AbortHandle;

use crate::clipboard::{self, Copier, TextClipboard};

/// The environment variable that sets the built-in simulator's token lifetime in seconds
/// (default 3600), e.g. to watch a token expire.
pub const SIMULATOR_LIFETIME_ENV: &str = "TOKEN_DESK_SIMULATOR_TOKEN_SECONDS";

/// How the client proves who it is, as the window's form says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    Secret,
    Certificate,
}

/// Shared by every command of the app, for the whole session.
pub struct AppState {
    pub engine: Arc<Engine>,
    /// Saved profiles: the session's one keyring (which also keeps the engine's tokens).
    pub profiles: crate::profiles::Profiles,
    /// Set by `set_secret`, read only to send a request.
    secret: Mutex<Option<Arc<ClientSecret>>>,
    /// The certificate file last read, and where from. Its key never leaves the backend.
    certificate: Mutex<Option<(PathBuf, Arc<ClientCertificate>)>>,
    /// The token request in flight, so it can be cancelled; numbered so a finished request
    /// never clears a newer one's handle.
    running: Mutex<Option<(u64, AbortHandle)>>,
    runs: AtomicU64,
    /// The token last shown, the API it is for (what Copy and Reveal use), and the request
    /// that got it (what the token test's one-click fix extends). Always set together.
    last: Mutex<Option<(Token, String, TokenRequest)>>,
    /// The system clipboard, attached when the app starts (tests attach another).
    clipboard: OnceLock<Copier>,
    clear_after: Duration,
    simulator: OnceCell<Simulator>,
    simulator_dir: Option<PathBuf>,
    simulator_lifetime: Option<Duration>,
}

impl Default for AppState {
    /// The state for a real run: delays from the environment, the simulator's files in
    /// its default folder.
    fn default() -> Self {
        let lifetime = std::env::var(SIMULATOR_LIFETIME_ENV).ok().and_then(|v| v.trim().parse::<u64>().ok());
        let profiles = crate::profiles::Profiles::for_app();
        Self {
            engine: Arc::new(Engine::with_defaults().with_token_store(profiles.tokens.clone())),
            profiles,
            secret: Mutex::new(None),
            certificate: Mutex::new(None),
            running: Mutex::new(None),
            runs: AtomicU64::new(0),
            last: Mutex::new(None),
            clipboard: OnceLock::new(),
            clear_after: clipboard::clear_after_from(std::env::var(clipboard::CLEAR_AFTER_ENV).ok().as_deref()),
            simulator: OnceCell::new(),
            simulator_dir: None,
            simulator_lifetime: lifetime.filter(|s| *s > 0).map(Duration::from_secs),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl AppState {
    /// A state whose simulator keeps its demo files in `dir` (tests use a temporary folder).
    pub fn with_simulator_dir(dir: PathBuf) -> Self {
        Self { simulator_dir: Some(dir), ..Self::default() }
    }

    /// Uses `clipboard`, clearing copies after `clear_after`, instead of the system clipboard.
    pub fn with_clipboard(self, clipboard: Arc<dyn TextClipboard>, clear_after: Duration) -> Self {
        let _ = self.clipboard.set(Copier::new(clipboard, clear_after));
        Self { clear_after, ..self }
    }

    /// Token lifetime of the built-in simulator, if it is not started yet.
    pub fn with_simulator_lifetime(self, lifetime: Duration) -> Self {
        Self { simulator_lifetime: Some(lifetime), ..self }
    }

    /// Attaches the system clipboard unless another one was given.
    pub fn attach_clipboard(&self, clipboard: Arc<dyn TextClipboard>) {
        let _ = self.clipboard.set(Copier::new(clipboard, self.clear_after));
    }

    /// How long a copy stays on the clipboard.
    pub fn clear_after(&self) -> Duration {
        self.clear_after
    }

    /// Replaces the client secret; a blank one clears it. Returns whether one is set now.
    pub fn set_secret(&self, secret: ClientSecret) -> bool {
        let value = (!secret.is_blank()).then(|| Arc::new(secret));
        let set = value.is_some();
        *lock(&self.secret) = value;
        set
    }

    /// The secret to send, if one was entered.
    pub fn secret(&self) -> Option<Arc<ClientSecret>> {
        lock(&self.secret).clone()
    }

    /// Reads the certificate file at `path` (a leading `~/` means the home folder) and keeps
    /// it for later requests.
    pub fn load_certificate(&self, path: &str) -> Result<Arc<ClientCertificate>, Failure> {
        let path = expand_home(path.trim());
        if path.as_os_str().is_empty() {
            return Err(Failure::bad_input("Choose the certificate file (.pem) that Stitch sent you."));
        }
        let cert = Arc::new(ClientCertificate::from_file(&path)?);
        *lock(&self.certificate) = Some((path, cert.clone()));
        Ok(cert)
    }

    /// The credential for a request: the stored secret, or the certificate at `path` (read
    /// again only if it is not the file read last).
    pub fn credential(&self, auth: Auth, path: Option<&str>) -> Result<Credential, Failure> {
        match auth {
            Auth::Secret => {
                self.secret().map(Credential::Secret).ok_or_else(|| Failure::bad_input("Enter the client secret."))
            }
            Auth::Certificate => {
                let path = path.unwrap_or_default();
                let loaded = lock(&self.certificate)
                    .as_ref()
                    .filter(|(p, _)| *p == expand_home(path.trim()))
                    .map(|(_, c)| c.clone());
                let cert = match loaded {
                    Some(c) => c,
                    None => self.load_certificate(path)?,
                };
                Ok(Credential::Certificate(cert))
            }
        }
    }

    /// Gets a token for `request` in a task of its own, which [`AppState::cancel`] can stop.
    pub async fn fetch(&self, request: TokenRequest, force: bool) -> Result<Outcome, Failure> {
        let engine = self.engine.clone();
        let task = tokio::spawn(async move { engine.token(&request, force).await });
        let run = self.runs.fetch_add(1, Ordering::AcqRel) + 1;
        if let Some((_, earlier)) = lock(&self.running).replace((run, task.abort_handle())) {
            earlier.abort();
        }
        let result = task.await;
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|(r, _)| *r == run) {
            *running = None;
        }
        match result {
            Ok(outcome) => outcome,
            Err(e) if e.is_cancelled() => Err(Failure::new(
                FailureKind::Cancelled,
                "Cancelled. No token was received; choose Get token when you are ready.",
            )),
            Err(e) => {
                Err(Failure::new(FailureKind::UnexpectedResponse, "Token Desk hit an internal error. Try again.")
                    .with_detail(token_desk_core::failure::Detail { cause: Some(e.to_string()), ..Default::default() }))
            }
        }
    }

    /// Stops the request in flight; returns whether there was one.
    pub fn cancel(&self) -> bool {
        match lock(&self.running).take() {
            Some((_, handle)) => {
                handle.abort();
                true
            }
            None => false,
        }
    }

    /// Keeps the token just shown with its API URL and the request that got it.
    pub fn remember(&self, token: Token, api_url: String, request: TokenRequest) {
        *lock(&self.last) = Some((token, api_url, request));
    }

    /// Forgets the token last shown (the client or profile changed).
    pub fn forget_last(&self) {
        *lock(&self.last) = None;
    }

    /// The token last shown, the API URL that goes with it, and the request that got it.
    pub fn last_with_request(&self) -> Result<(Token, String, TokenRequest), Failure> {
        let no_token = || Failure::bad_input("There is no token to test yet. Choose Get token first.");
        lock(&self.last).clone().ok_or_else(no_token)
    }

    /// Copies `text`, which must hold no secret (a code snippet, an inspector record); it is
    /// cleared later like any other copy.
    pub fn copy_text(&self, text: String) -> Result<(), Failure> {
        let copier = self
            .clipboard
            .get()
            .ok_or_else(|| Failure::new(FailureKind::UnexpectedResponse, "The clipboard is not available."))?;
        copier.copy(text).map_err(|cause| {
            Failure::new(FailureKind::UnexpectedResponse, "Copying failed: the clipboard could not be reached.")
                .with_detail(token_desk_core::failure::Detail { cause: Some(cause), ..Default::default() })
        })
    }

    /// The token last shown.
    pub fn last_token(&self) -> Result<AccessToken, Failure> {
        lock(&self.last)
            .as_ref()
            .map(|(t, _, _)| t.access_token.clone())
            .ok_or_else(|| Failure::bad_input("There is no token yet. Choose Get token first."))
    }

    /// Puts `what` about the last token on the clipboard; it is cleared after
    /// [`AppState::clear_after`] if it is still there.
    pub fn copy(&self, what: Copyable) -> Result<(), Failure> {
        let (token, api_url) = lock(&self.last)
            .as_ref()
            .map(|(t, api, _)| (t.clone(), api.clone()))
            .ok_or_else(|| Failure::bad_input("There is no token to copy yet. Choose Get token first."))?;
        if token.expires_at <= self.engine.clock().now() {
            return Err(Failure::bad_input("This token has expired. Choose Get new token, then copy."));
        }
        let copier = self
            .clipboard
            .get()
            .ok_or_else(|| Failure::new(FailureKind::UnexpectedResponse, "The clipboard is not available."))?;
        copier.copy(what.text(&token.access_token, &api_url)).map_err(|cause| {
            Failure::new(FailureKind::UnexpectedResponse, "Copying failed: the clipboard could not be reached.")
                .with_detail(token_desk_core::failure::Detail { cause: Some(cause), ..Default::default() })
        })
    }

    /// The built-in simulator, started on first use and kept running until the app exits.
    pub async fn simulator(&self) -> Result<&Simulator, Failure> {
        self.simulator
            .get_or_try_init(|| async {
                let mut config = SimulatorConfig::default();
                if let Some(dir) = &self.simulator_dir {
                    config.data_dir = dir.clone();
                }
                if let Some(lifetime) = self.simulator_lifetime {
                    config.token_lifetime = lifetime;
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

/// `~/x` as a path in the home folder; anything else unchanged.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}
