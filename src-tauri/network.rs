//! The window's company-network settings (Advanced: company CA, proxy, timeout): thin
//! commands over `token_desk_core::network`. The CA file is chosen with the backend's file
//! chooser (the page never names a path). A proxy's password has a field of its own: it goes
//! from the page to the backend once, joins the address here, and never comes back; an
//! address with a password in it is refused.
//!
//! The settings belong to a profile: choosing a profile puts its settings in effect, "No
//! profile" puts none in effect (until the user types some under Advanced), and whatever was in
//! effect before (a proxy password included) is dropped either way. A token request whose form
//! names another profile than the one in effect switches first ([`follow`]), so a secret typed
//! for one client never travels through the proxy, or trusts the CA, of a profile left before.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tauri::{Runtime, State, Window};
use token_desk_core::network::{timeout_from_secs, CompanyCa, NetworkSettings, ProxyUrl};
use token_desk_core::profiles::Profile;
use token_desk_core::Failure;

use crate::chooser::Ask;
use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::ErrorView;

type Answer<T> = Result<T, ErrorView>;

/// Said when the proxy address holds a password: where it goes instead.
const PASSWORD_IN_ADDRESS: &str = "Leave the password out of the proxy address, where it would be shown: \
     write the address with the user name only (http://user@proxy.example.com:8080) and type the password \
     in Proxy password.";

/// The settings in effect: the engine's HTTP client keeps them, so nothing here can drift
/// from what is sent.
fn current(state: &AppState) -> NetworkSettings {
    state.engine().http().network()
}

/// What the page may see: never the proxy's credentials.
#[derive(Debug, Serialize)]
pub struct NetworkView {
    /// The company CA file, if one is trusted (in presenter mode its file name only).
    pub ca_file: Option<String>,
    /// Its certificates' subjects.
    pub ca_subjects: Vec<String>,
    /// `scheme://host:port`, without credentials.
    pub proxy: Option<String>,
    /// Whether a user name (or a password) is in use with the proxy.
    pub proxy_has_credentials: bool,
    /// Whether a proxy password is in use; the password itself never comes back.
    pub proxy_password_set: bool,
    pub timeout_secs: u64,
}

impl NetworkView {
    fn new(n: &NetworkSettings, presenter: &Presenter) -> Self {
        Self {
            ca_file: n.ca.as_ref().map(|ca| presenter.path(ca.path())),
            ca_subjects: n.ca.as_ref().map(|ca| ca.subjects().to_vec()).unwrap_or_default(),
            proxy: n.proxy.as_ref().map(ProxyUrl::shown),
            proxy_has_credentials: n.proxy.as_ref().is_some_and(ProxyUrl::has_credentials),
            proxy_password_set: n.proxy.as_ref().is_some_and(ProxyUrl::has_password),
            timeout_secs: n.timeout().as_secs(),
        }
    }
}

/// Applies `settings` to the engine's client; a CA that cannot be used changes nothing.
fn apply(state: &AppState, settings: NetworkSettings) -> Result<NetworkSettings, Failure> {
    state.engine().http().configure(&settings)?;
    Ok(settings)
}

/// Puts the network settings saved with `profile` in effect (it was chosen). When they cannot
/// be used (a CA file gone), none are: the previous profile's never stay.
pub fn use_profile(state: &AppState, profile: &Profile) -> Result<NetworkSettings, Failure> {
    match profile.network().map_err(Failure::from).and_then(|settings| apply(state, settings)) {
        Ok(settings) => {
            state.set_network_owner(Some(profile.name.clone()));
            Ok(settings)
        }
        Err(e) => {
            leave_profile(state)?;
            Err(e)
        }
    }
}

/// "No profile": no settings of a profile's are in effect, only what is typed under Advanced
/// from now on.
pub fn leave_profile(state: &AppState) -> Result<NetworkSettings, Failure> {
    state.set_network_owner(None);
    apply(state, NetworkSettings::default())
}

/// Before a request for the form's `profile` (`None`: the client typed): puts that profile's
/// settings in effect, or none, unless they already are.
pub fn follow(state: &AppState, profile: Option<&str>) -> Result<(), Failure> {
    if state.network_owner().as_deref() == profile {
        return Ok(());
    }
    match profile {
        Some(name) => use_profile(state, &state.profiles.settings()?.find(name)?),
        None => leave_profile(state),
    }
    .map(drop)
}

/// Puts into a new `profile`, before it is saved, the settings the form holds for it: those
/// typed under Advanced since "No profile", and none while another profile's are in effect. A
/// proxy with a user name or password is refused (the settings file is plain text).
pub fn keep_in_profile(state: &AppState, profile: &mut Profile) -> Result<(), Failure> {
    if state.network_owner().is_some() {
        return Ok(());
    }
    profile.set_network(&current(state)).map_err(|e| Failure::bad_input(e.to_string()))
}

/// The new `profile` was saved from the form and is now the one chosen: the settings in
/// effect are the ones it saved (those typed since "No profile"), or else its own.
pub fn adopt(state: &AppState, profile: &Profile) -> Result<(), Failure> {
    match state.network_owner() {
        None => state.set_network_owner(Some(profile.name.clone())),
        Some(_) => drop(use_profile(state, profile)?),
    }
    Ok(())
}

/// The profile `name` was renamed to `now`, or deleted (`None`): if its settings are in
/// effect, they stay under the new name, or none stay.
pub fn profile_changed(state: &AppState, name: &str, now: Option<&str>) -> Result<(), Failure> {
    if state.network_owner().as_deref() != Some(name) {
        return Ok(());
    }
    match now {
        Some(new) => state.set_network_owner(Some(new.to_owned())),
        None => drop(leave_profile(state)?),
    }
    Ok(())
}

/// `before` with the page's changes: a proxy address (`""` for none; left out, unchanged, so a
/// password given once stays), a proxy password for its user (left out or empty: unchanged),
/// and the timeout in seconds.
fn edited(
    before: NetworkSettings,
    proxy: Option<&str>,
    password: Option<&str>,
    timeout_secs: u64,
) -> Result<NetworkSettings, Failure> {
    let mut proxy = match proxy.map(str::trim) {
        None => before.proxy.clone(),
        Some("") => None,
        Some(text) => match ProxyUrl::parse(text).map_err(Failure::from)? {
            p if p.has_password() => return Err(Failure::bad_input(PASSWORD_IN_ADDRESS)),
            p => Some(p),
        },
    };
    if let Some(password) = password.filter(|p| !p.is_empty()) {
        let Some(address) = proxy.take().filter(ProxyUrl::has_credentials) else {
            return Err(Failure::bad_input(
                "A proxy password goes with the proxy's user name: write the address as \
                 http://user@proxy.example.com:8080, then type the password again.",
            ));
        };
        proxy = Some(address.with_password(password).map_err(|_| {
            Failure::bad_input("The proxy password cannot be used: it holds line breaks or other control characters.")
        })?);
    }
    let timeout = Some(timeout_from_secs(timeout_secs).map_err(Failure::from)?);
    Ok(NetworkSettings { proxy, timeout, ..before })
}

/// The settings in effect.
#[tauri::command]
pub fn network(state: State<'_, AppState>, presenter: State<'_, Presenter>) -> NetworkView {
    NetworkView::new(&current(&state), &presenter)
}

/// Opens the system's file chooser for the company CA file, reads and checks it, and trusts
/// it from the next request on; `None` when the user cancels.
#[tauri::command]
pub async fn choose_ca_file<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
) -> Answer<Option<NetworkView>> {
    let ask = Ask::open("Choose the company CA file from IT", "Certificate (.pem, .crt)", "pem");
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    let trusted = CompanyCa::from_file(Path::new(&path))
        .map_err(Failure::from)
        .and_then(|ca| apply(&state, NetworkSettings { ca: Some(Arc::new(ca)), ..current(&state) }));
    let answer = trusted.map(|n| Some(NetworkView::new(&n, &presenter))).map_err(ErrorView::from);
    presenter.answer(&state, answer, &[])
}

/// Stops trusting the company CA file.
#[tauri::command]
pub fn clear_ca_file(state: State<'_, AppState>, presenter: State<'_, Presenter>) -> Answer<NetworkView> {
    let settings = apply(&state, NetworkSettings { ca: None, ..current(&state) })?;
    Ok(NetworkView::new(&settings, &presenter))
}

/// Sets the proxy address and password and the timeout (see `edited`). Write-only for the
/// proxy's password: the view says only whether one is set.
#[tauri::command(rename_all = "snake_case")]
pub fn set_network(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    proxy: Option<String>,
    proxy_password: Option<String>,
    timeout_secs: u64,
) -> Answer<NetworkView> {
    let settings = edited(current(&state), proxy.as_deref(), proxy_password.as_deref(), timeout_secs)?;
    Ok(NetworkView::new(&apply(&state, settings)?, &presenter))
}

/// "No profile" was chosen: the previous profile's settings (and a proxy password given for
/// them) are dropped, and none are in effect until typed under Advanced.
#[tauri::command]
pub fn choose_no_profile(state: State<'_, AppState>, presenter: State<'_, Presenter>) -> Answer<NetworkView> {
    Ok(NetworkView::new(&leave_profile(&state)?, &presenter))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "pr0xy-Pw-7Qe";

    fn with_proxy(address: &str) -> NetworkSettings {
        NetworkSettings { proxy: Some(ProxyUrl::parse(address).unwrap()), ..NetworkSettings::default() }
    }

    #[test]
    fn an_address_with_a_password_is_refused_with_a_sentence_naming_the_password_field() {
        let address = format!("http://alice:{PASSWORD}@proxy.corp:3128");
        let refused = edited(NetworkSettings::default(), Some(&address), None, 30).unwrap_err();
        assert!(refused.message.contains("Proxy password"), "{}", refused.message);
        assert!(!refused.message.contains(PASSWORD), "{}", refused.message);
    }

    #[test]
    fn a_password_joins_the_address_and_its_user_name() {
        let joined = edited(NetworkSettings::default(), Some("http://alice@proxy.corp:3128"), Some(PASSWORD), 30);
        let proxy = joined.unwrap().proxy.unwrap();
        assert_eq!(proxy.password().as_deref(), Some(PASSWORD));
        assert_eq!(proxy.shown(), "http://proxy.corp:3128");
        // Given later, on its own, it joins the address in effect.
        let later = edited(with_proxy("http://alice@proxy.corp:3128"), None, Some(PASSWORD), 30).unwrap();
        assert_eq!(later.proxy.unwrap().password().as_deref(), Some(PASSWORD));
    }

    #[test]
    fn a_password_without_an_address_or_a_user_name_is_refused() {
        for before in [NetworkSettings::default(), with_proxy("http://proxy.corp:3128")] {
            let refused = edited(before, None, Some(PASSWORD), 30).unwrap_err();
            assert!(refused.message.contains("user name"), "{}", refused.message);
        }
    }

    #[test]
    fn a_password_given_once_stays_until_the_address_changes() {
        let before = edited(NetworkSettings::default(), Some("http://alice@p.corp:3128"), Some(PASSWORD), 30).unwrap();
        let timeout_only = edited(before.clone(), None, None, 12).unwrap();
        assert!(timeout_only.proxy.as_ref().is_some_and(ProxyUrl::has_password));
        assert_eq!(timeout_only.timeout().as_secs(), 12);
        let moved = edited(before.clone(), Some("http://alice@other.corp:3128"), None, 30).unwrap();
        assert!(!moved.proxy.as_ref().is_some_and(ProxyUrl::has_password));
        assert_eq!(edited(before, Some(""), None, 30).unwrap().proxy, None);
    }
}
