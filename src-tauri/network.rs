//! The window's company-network settings (Advanced: company CA, proxy, timeout): thin
//! commands over `token_desk_core::network`. The CA file is chosen with the backend's file
//! chooser (the page never names a path); a proxy address may hold a password, so it goes
//! from the page to the backend once and only its address without credentials comes back.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tauri::{Runtime, State, Window};
use token_desk_core::network::{timeout_from_secs, CompanyCa, NetworkSettings, ProxyUrl};
use token_desk_core::profiles::Profile;
use token_desk_core::Failure;

use crate::chooser::Ask;
use crate::state::AppState;
use crate::view::ErrorView;

type Answer<T> = Result<T, ErrorView>;

/// The settings in effect: the engine's HTTP client keeps them, so nothing here can drift
/// from what is sent.
fn current(state: &AppState) -> NetworkSettings {
    state.engine().http().network()
}

/// What the page may see: never the proxy's credentials.
#[derive(Debug, Serialize)]
pub struct NetworkView {
    /// The company CA file, if one is trusted.
    pub ca_file: Option<String>,
    /// Its certificates' subjects.
    pub ca_subjects: Vec<String>,
    /// `scheme://host:port`, without credentials.
    pub proxy: Option<String>,
    pub proxy_has_credentials: bool,
    pub timeout_secs: u64,
    /// What is trusted, in one line.
    pub trusted: String,
}

impl From<&NetworkSettings> for NetworkView {
    fn from(n: &NetworkSettings) -> Self {
        Self {
            ca_file: n.ca.as_ref().map(|ca| ca.path().display().to_string()),
            ca_subjects: n.ca.as_ref().map(|ca| ca.subjects().to_vec()).unwrap_or_default(),
            proxy: n.proxy.as_ref().map(ProxyUrl::shown),
            proxy_has_credentials: n.proxy.as_ref().is_some_and(ProxyUrl::has_credentials),
            timeout_secs: n.timeout().as_secs(),
            trusted: n.describe_trust(),
        }
    }
}

/// Applies `settings` to the engine's client; a CA that cannot be used changes nothing.
fn apply(state: &AppState, settings: NetworkSettings) -> Result<NetworkView, Failure> {
    state.engine().http().configure(&settings)?;
    Ok(NetworkView::from(&settings))
}

/// Uses the network settings saved with `profile` (called when the profile is chosen).
pub fn use_profile(state: &AppState, profile: &Profile) -> Result<NetworkView, Failure> {
    apply(state, profile.network()?)
}

/// Puts the window's settings into `profile` before it is saved; refuses a proxy with credentials.
pub fn keep_in_profile(state: &AppState, profile: &mut Profile) -> Result<(), Failure> {
    profile.set_network(&current(state)).map_err(|e| Failure::bad_input(e.to_string()))
}

/// The settings in effect.
#[tauri::command]
pub fn network(state: State<'_, AppState>) -> NetworkView {
    NetworkView::from(&current(&state))
}

/// Opens the system's file chooser for the company CA file, reads and checks it, and trusts
/// it from the next request on; `None` when the user cancels.
#[tauri::command]
pub async fn choose_ca_file<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Answer<Option<NetworkView>> {
    let ask = Ask::open("Choose the company CA file from IT", "Certificate (.pem, .crt)", "pem");
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    let ca = CompanyCa::from_file(Path::new(&path)).map_err(Failure::from)?;
    Ok(Some(apply(&state, NetworkSettings { ca: Some(Arc::new(ca)), ..current(&state) })?))
}

/// Stops trusting the company CA file.
#[tauri::command]
pub fn clear_ca_file(state: State<'_, AppState>) -> Answer<NetworkView> {
    Ok(apply(&state, NetworkSettings { ca: None, ..current(&state) })?)
}

/// Sets the proxy (`""` for none: the proxy variables then apply, except to this computer;
/// left out: unchanged, so credentials given once stay) and the timeout in seconds.
/// Write-only for the proxy's credentials.
#[tauri::command(rename_all = "snake_case")]
pub fn set_network(state: State<'_, AppState>, proxy: Option<String>, timeout_secs: u64) -> Answer<NetworkView> {
    let before = current(&state);
    let proxy = match proxy.as_deref().map(str::trim) {
        None => before.proxy.clone(),
        Some("") => None,
        Some(text) => Some(ProxyUrl::parse(text).map_err(Failure::from)?),
    };
    let timeout = Some(timeout_from_secs(timeout_secs).map_err(Failure::from)?);
    Ok(apply(&state, NetworkSettings { proxy, timeout, ..before })?)
}
