//! Saved client profiles in the window: thin commands over the engine's profiles API
//! (`token_desk_core::profiles`). The profile goes into the settings file, its secret or
//! certificate into the OS keyring, and no command here ever returns either. A Live profile
//! needs a confirmation per session before its first token (see [`token_input`]).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tauri::{Runtime, State, Window};
use token_desk_core::clock::SystemClock;
use token_desk_core::keyring_tokens::KeyringTokens;
use token_desk_core::os_keyring::{Keyring, KeyringError, Saved, SESSION_ONLY_NOTICE};
use token_desk_core::profiles::changes::{self, ChangeError, NewSecret};
use token_desk_core::profiles::reminders::reminders;
use token_desk_core::profiles::secrets::{self, ProfileSecrets, SecretError, SecretState};
use token_desk_core::profiles::settings::{SettingsError, SettingsFile};
use token_desk_core::profiles::transfer::{self, ImportPlan};
use token_desk_core::profiles::{AuthMethod, Environment, IssuedOn, Profile};
use token_desk_core::request::RequestInput;
use token_desk_core::scope::Scopes;
use token_desk_core::secret::ClientSecret;
use token_desk_core::{usage, Failure, FailureKind};

use crate::chooser::{Ask, Purpose};
use crate::commands::TokenForm;
use crate::state::{AppState, Auth};
use crate::view::ErrorView;

type Answer<T> = Result<T, ErrorView>;

/// The profiles' side of the app's state: one keyring for the session, the kept tokens in
/// it, the settings file, the Live profiles confirmed this session, and an import waiting
/// for confirmation.
pub struct Profiles {
    pub keyring: Arc<Keyring>,
    pub tokens: Arc<KeyringTokens>,
    settings: Option<SettingsFile>,
    confirmed_live: Mutex<HashSet<String>>,
    pending_import: Mutex<Option<ImportPlan>>,
}

impl Profiles {
    /// Token Desk's keyring and settings file in the platform's config folder.
    pub fn for_app() -> Self {
        let keyring = Arc::new(Keyring::app());
        let tokens = Arc::new(KeyringTokens::app(keyring.clone(), Arc::new(SystemClock)));
        let _ = tokens.prune();
        Self {
            keyring,
            tokens,
            settings: SettingsFile::default_location().ok(),
            confirmed_live: Mutex::new(HashSet::new()),
            pending_import: Mutex::new(None),
        }
    }

    fn settings(&self) -> Result<&SettingsFile, Failure> {
        self.settings.as_ref().ok_or_else(|| settings_failure(SettingsError::NoConfigFolder))
    }

    fn secrets(&self) -> ProfileSecrets<'_> {
        ProfileSecrets::new(&self.keyring)
    }

    fn is_confirmed(&self, name: &str) -> bool {
        lock(&self.confirmed_live).contains(name)
    }
}

impl AppState {
    /// Keeps the profiles in `path` instead of the platform's config folder (tests).
    pub fn with_profiles_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.profiles.settings = Some(SettingsFile::at(path));
        self
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn settings_failure(e: SettingsError) -> Failure {
    Failure::bad_input(e.to_string())
}

fn change_failure(e: ChangeError) -> Failure {
    match e {
        ChangeError::Settings(e) => settings_failure(e),
        ChangeError::Secret(SecretError::Keyring(e)) => keyring_failure(e),
        ChangeError::Secret(e) => Failure::bad_input(e.to_string()),
    }
}

fn keyring_failure(e: KeyringError) -> Failure {
    Failure::new(FailureKind::NoKeyring, e.to_string())
}

/// Whether a profile's secret is kept, as the window labels it. Never the secret.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretShown {
    Saved,
    ThisSessionOnly,
    Missing,
    /// The keyring could not be asked.
    Unknown,
}

/// A profile as the window shows it: nothing secret.
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub environment: Environment,
    pub client_id: String,
    pub auth: AuthMethod,
    pub scopes: Vec<String>,
    pub token_url: String,
    /// The audience used (the token URL unless the profile sets one).
    pub audience: String,
    pub api_url: String,
    pub secret: SecretShown,
    pub secret_issued_on: Option<String>,
    /// The certificate kept in the keyring, described: subject, thumbprint, expiry date.
    pub certificate: Option<CertificateShown>,
    /// Sentences about a certificate or secret expiring within 30 days (or expired).
    pub reminders: Vec<String>,
    /// Whether a Live profile's first token of this session has been confirmed.
    pub live_confirmed: bool,
}

#[derive(Debug, Serialize)]
pub struct CertificateShown {
    pub subject: String,
    pub thumbprint: String,
    pub expires_on: String,
}

/// Every profile, and the keyring's situation.
#[derive(Debug, Serialize)]
pub struct ProfilesView {
    pub profiles: Vec<ProfileView>,
    /// Said plainly when no keyring service answers: secrets are then kept for this session only.
    pub keyring_notice: Option<String>,
}

/// What a change did, and anything worth saying about it.
#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub profile: Option<ProfileView>,
    pub message: String,
    /// Set when the secret could only be kept for this session.
    pub keyring_notice: Option<String>,
}

fn view(state: &AppState, profile: &Profile) -> ProfileView {
    let secret = match state.profiles.secrets().state(profile) {
        Ok(SecretState::Saved) => SecretShown::Saved,
        Ok(SecretState::ThisSessionOnly) => SecretShown::ThisSessionOnly,
        Ok(SecretState::Missing) => SecretShown::Missing,
        Err(_) => SecretShown::Unknown,
    };
    let now = state.engine.clock().now();
    ProfileView {
        name: profile.name.clone(),
        environment: profile.environment,
        client_id: profile.client_id.clone(),
        auth: profile.auth,
        scopes: profile.scopes.iter().map(str::to_owned).collect(),
        token_url: profile.token_url.clone(),
        audience: profile.audience.clone().unwrap_or_else(|| profile.token_url.clone()),
        api_url: profile.api_url.clone(),
        secret,
        secret_issued_on: profile.secret_issued_on.map(|d| d.to_string()),
        certificate: profile.certificate.as_ref().map(|c| CertificateShown {
            subject: c.subject.clone(),
            thumbprint: c.thumbprint.clone(),
            expires_on: token_desk_core::clock::rfc3339(c.not_after).chars().take(10).collect(),
        }),
        reminders: reminders(profile, now).into_iter().map(|r| r.message).collect(),
        live_confirmed: state.profiles.is_confirmed(&profile.name),
    }
}

fn find(state: &AppState, name: &str) -> Result<Profile, Failure> {
    state.profiles.settings()?.find(name).map_err(settings_failure)
}

fn session_notice(saved: &Saved) -> Option<String> {
    matches!(saved, Saved::ForThisSessionOnly(_)).then(|| SESSION_ONLY_NOTICE.to_owned())
}

/// Every profile with whether its secret is saved and its reminders; never a secret.
#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> Answer<ProfilesView> {
    let profiles = state.profiles.settings()?.load().map_err(settings_failure)?;
    let keyring_notice = match state.profiles.keyring.check() {
        // The technical cause stays out of the sentence: people need the next step, not D-Bus.
        Err(e) if e.is_unreachable() => Some(format!(
            "{SESSION_ONLY_NOTICE} Sign in to a desktop session with a keyring (for example GNOME Keyring) to keep secrets between sessions."
        )),
        _ => None,
    };
    Ok(ProfilesView { profiles: profiles.iter().map(|p| view(&state, p)).collect(), keyring_notice })
}

/// One profile, to fill in the form. Its secret stays in the keyring, and a secret entered
/// for the form before is dropped: it was for another client or host.
#[tauri::command]
pub fn select_profile(state: State<'_, AppState>, name: String) -> Answer<ProfileView> {
    state.forget_credential();
    let profile = find(&state, &name)?;
    crate::network::use_profile(&state, &profile)?;
    Ok(view(&state, &profile))
}

/// The form as "Save profile" sends it. The secret itself is not in it: it is the one
/// handed to `set_secret` or read by `choose_certificate`, for this client and token URL.
#[derive(Debug, Deserialize)]
pub struct NewProfileForm {
    pub name: String,
    pub live: bool,
    pub client_id: String,
    pub auth: Auth,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub token_url: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    /// Keep the secret in the OS keyring (otherwise it is used for this session only).
    pub save_secret: bool,
    #[serde(default)]
    pub secret_issued_on: Option<String>,
}

/// The profile the form describes, checked: a date that is not one, or a client id that
/// looks live saved as Test, is refused.
fn profile_from(form: &NewProfileForm) -> Result<Profile, Failure> {
    let auth = match form.auth {
        Auth::Secret => AuthMethod::Secret,
        Auth::Certificate => AuthMethod::Certificate,
    };
    let mut profile = Profile::new(&form.name, &form.client_id, auth);
    profile.scopes = Scopes::parse(&form.scopes);
    if let Some(url) = form.token_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        profile.token_url = url.to_owned();
    }
    profile.audience =
        form.audience.as_deref().map(str::trim).filter(|a| !a.is_empty() && *a != profile.token_url).map(str::to_owned);
    profile.api_url = usage::api_url_for(&profile.token_url);
    profile.secret_issued_on = match form.secret_issued_on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(text) => Some(IssuedOn::parse(text).ok_or_else(|| {
            Failure::bad_input(format!(
                "\"{text}\" is not a date. Give the day Stitch issued the secret as YYYY-MM-DD."
            ))
        })?),
    };
    // A live client moves real money: never saved as a test profile by accident.
    let suggested = profile.environment;
    profile.environment = if form.live { Environment::Live } else { Environment::Test };
    if !form.live && suggested == Environment::Live {
        return Err(Failure::bad_input(format!(
            "The client ID \"{}\" does not start with test-, so it looks like a live client. \
             Tick \"Live client\" to save it as a live profile.",
            profile.client_id
        )));
    }
    Ok(profile)
}

/// Saves the form as a new profile; with `save_secret`, the secret entered for its client and
/// token URL goes into the keyring.
#[tauri::command]
pub fn save_profile(state: State<'_, AppState>, form: NewProfileForm) -> Answer<ChangeView> {
    let settings = state.profiles.settings()?;
    let mut profile = profile_from(&form)?;
    crate::network::keep_in_profile(&state, &mut profile)?;
    let name = profile.name.clone();
    let keyring_notice = if form.save_secret {
        let secret = state.new_secret(form.auth, &profile.client_id, &profile.token_url)?;
        session_notice(&changes::add(settings, state.profiles.secrets(), profile, &secret).map_err(change_failure)?)
    } else {
        profile.validate().map_err(|e| Failure::bad_input(e.to_string()))?;
        settings.add(profile).map_err(settings_failure)?;
        None
    };
    let message = match (&keyring_notice, form.save_secret) {
        (None, true) => format!("Saved profile \"{name}\". Its secret is in the OS keyring."),
        (Some(_), true) => format!("Saved profile \"{name}\". Its secret is kept for this session only."),
        (_, false) => format!("Saved profile \"{name}\" without its secret. Choose Replace secret to save one."),
    };
    Ok(ChangeView { profile: Some(view(&state, &find(&state, &name)?)), message, keyring_notice })
}

/// Renames a profile, with its keyring entries. A Live profile must be confirmed again.
#[tauri::command]
pub fn rename_profile(state: State<'_, AppState>, name: String, new_name: String) -> Answer<ChangeView> {
    let settings = state.profiles.settings()?;
    let renamed =
        changes::rename(settings, state.profiles.secrets(), &name, new_name.trim()).map_err(change_failure)?;
    lock(&state.profiles.confirmed_live).remove(&name);
    let message = format!("Renamed \"{name}\" to \"{}\".", renamed.name);
    Ok(ChangeView { profile: Some(view(&state, &renamed)), message, keyring_notice: None })
}

/// Copies a profile and its secret under a new name.
#[tauri::command]
pub fn duplicate_profile(state: State<'_, AppState>, name: String, new_name: String) -> Answer<ChangeView> {
    let settings = state.profiles.settings()?;
    let copy =
        changes::duplicate(settings, state.profiles.secrets(), &name, new_name.trim()).map_err(change_failure)?;
    let message = format!("Copied \"{name}\" as \"{}\", with its secret.", copy.name);
    Ok(ChangeView { profile: Some(view(&state, &copy)), message, keyring_notice: None })
}

/// Deletes a profile, its keyring entries and the tokens kept for its client.
#[tauri::command]
pub fn delete_profile(state: State<'_, AppState>, name: String) -> Answer<ChangeView> {
    let settings = state.profiles.settings()?;
    let removed = changes::remove(settings, state.profiles.secrets(), Some(&state.profiles.tokens), &name)
        .map_err(change_failure)?;
    lock(&state.profiles.confirmed_live).remove(&name);
    let mut message = format!("Deleted profile \"{}\" and its saved secret.", removed.profile.name);
    if let Err(e) = removed.secrets {
        message =
            format!("Deleted profile \"{}\", but its keyring entries could not be deleted: {e}", removed.profile.name);
    }
    Ok(ChangeView { profile: None, message, keyring_notice: None })
}

/// Saves a new secret (typed, write-only) for a profile, or for a certificate profile a
/// certificate file the user chooses. Never shows the old one. `None`: the chooser was
/// cancelled.
#[tauri::command]
pub async fn replace_secret<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    name: String,
    secret: Option<String>,
) -> Answer<Option<ChangeView>> {
    let Some(new) = replacement(&window, &state, &find(&state, &name)?, secret).await? else { return Ok(None) };
    let saved = changes::replace_secret(state.profiles.settings()?, state.profiles.secrets(), &name, &new)
        .map_err(change_failure)?;
    let keyring_notice = session_notice(&saved);
    let message = match keyring_notice {
        None => format!("Saved the new secret of \"{name}\" in the OS keyring."),
        Some(_) => format!("The new secret of \"{name}\" is kept for this session only."),
    };
    Ok(Some(ChangeView { profile: Some(view(&state, &find(&state, &name)?)), message, keyring_notice }))
}

/// The new secret of `profile`: the one typed, or the certificate file the user chooses
/// (`None` when the chooser is cancelled).
async fn replacement<R: Runtime>(
    window: &Window<R>,
    state: &AppState,
    profile: &Profile,
    secret: Option<String>,
) -> Result<Option<NewSecret>, Failure> {
    if profile.auth == AuthMethod::Secret {
        let secret = ClientSecret::new(secret.unwrap_or_default());
        if secret.is_blank() {
            return Err(Failure::bad_input("Type the new client secret, then choose Save secret."));
        }
        return Ok(Some(NewSecret::ClientSecret(secret)));
    }
    let purpose = Purpose::Open;
    let ask = Ask { title: "Choose the new certificate file", kind: "Certificate (.pem)", extension: "pem", purpose };
    let Some(path) = state.chooser.choose(window, ask).await else { return Ok(None) };
    Ok(Some(NewSecret::Certificate(crate::state::read_certificate(&path)?.0)))
}

/// Confirms that this session may get tokens for the Live profile `name`.
#[tauri::command]
pub fn confirm_live(state: State<'_, AppState>, name: String) -> Answer<ProfileView> {
    let profile = find(&state, &name)?;
    lock(&state.profiles.confirmed_live).insert(profile.name.clone());
    Ok(view(&state, &profile))
}

/// The request for the profile named in the token form: its client, URLs and saved
/// credential, the form's scopes (the profile's when none are ticked). Never a secret entered
/// for something else: a profile without a saved one asks for one. A Live profile not
/// confirmed this session is refused. Returns the request and the API the token is for.
pub fn token_input(state: &AppState, name: &str, form: &TokenForm) -> Result<(RequestInput, String), Failure> {
    let profile = find(state, name)?;
    if profile.environment == Environment::Live && !state.profiles.is_confirmed(&profile.name) {
        return Err(Failure::bad_input(format!(
            "\"{}\" is a LIVE profile: its tokens act on real money. Confirm that you want a live token first.",
            profile.name
        )));
    }
    let credential = match state.profiles.secrets().credential(&profile) {
        Ok(Some(credential)) => credential,
        Ok(None) => {
            let what = if profile.auth == AuthMethod::Certificate { "certificate" } else { "secret" };
            let host = secrets::destination(&profile).map(|d| d.origin().host().to_owned());
            return Err(Failure::bad_input(format!(
                "Profile \"{}\" has no saved {what} for {}: choose Replace secret.",
                profile.name,
                host.as_deref().unwrap_or("its token URL")
            )));
        }
        Err(SecretError::Keyring(e)) => {
            return Err(Failure::new(
                FailureKind::NoKeyring,
                format!("The secret of profile \"{}\" cannot be read: {e}", profile.name),
            ))
        }
        Err(e) => return Err(Failure::bad_input(e.to_string())),
    };
    let api_url = profile.api_url.clone();
    Ok((profile.request_input(credential, Some(Scopes::parse(&form.scopes))), api_url))
}

/// Where an export went.
#[derive(Debug, Serialize)]
pub struct ExportView {
    pub path: String,
    pub count: usize,
}

/// Writes every profile (never a secret) to a JSON file the user chooses. `None` when the
/// user cancelled the chooser.
#[tauri::command]
pub async fn export_profiles<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Answer<Option<ExportView>> {
    let profiles = state.profiles.settings()?.load().map_err(settings_failure)?;
    let purpose = Purpose::Save("token-desk-profiles.json");
    let ask = Ask { title: "Export profiles (without secrets)", kind: "Profiles (.json)", extension: "json", purpose };
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    transfer::export(&profiles, &path).map_err(|e| Failure::bad_input(e.to_string()))?;
    Ok(Some(ExportView { path: path.display().to_string(), count: profiles.len() }))
}

/// What importing a file would do, for the user to confirm.
#[derive(Debug, Serialize)]
pub struct ImportPlanView {
    pub path: String,
    /// Each new profile: its client id, Test or Live (from the client id) and the hosts it
    /// would talk to, flagged in words when they need the user's trust.
    pub reviews: Vec<transfer::Review>,
    pub unchanged: Vec<String>,
    /// Names already used here by another profile: left alone.
    pub conflicts: Vec<transfer::Conflict>,
}

/// Reads an export file the user chooses and says what importing it would do; nothing
/// changes until `import_profiles`. `None` when the user cancelled the chooser.
#[tauri::command]
pub async fn plan_import<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Answer<Option<ImportPlanView>> {
    let ask = Ask { title: "Import profiles", kind: "Profiles (.json)", extension: "json", purpose: Purpose::Open };
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    let incoming = transfer::read(&path).map_err(|e| Failure::bad_input(e.to_string()))?;
    let existing = state.profiles.settings()?.load().map_err(settings_failure)?;
    let plan = transfer::plan_import(&existing, incoming);
    let shown = ImportPlanView {
        path: path.display().to_string(),
        reviews: plan.reviews.clone(),
        unchanged: plan.unchanged.clone(),
        conflicts: plan.conflicts.clone(),
    };
    *lock(&state.profiles.pending_import) = Some(plan);
    Ok(Some(shown))
}

/// Adds the profiles of the planned import (never overwriting one): those with a flagged
/// host only when the user ticked that they trust the hosts listed (`trust_hosts`). Returns
/// the names added and, for each profile left out, why.
#[tauri::command]
pub fn import_profiles(state: State<'_, AppState>, trust_hosts: bool) -> Answer<transfer::Imported> {
    let plan = lock(&state.profiles.pending_import)
        .take()
        .ok_or_else(|| Failure::bad_input("Choose Import and a file first."))?;
    let trust = if trust_hosts { transfer::HostTrust::TrustListedHosts } else { transfer::HostTrust::StitchOnly };
    Ok(state.profiles.settings()?.import(&plan, trust).map_err(settings_failure)?)
}
