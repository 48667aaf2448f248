//! Saved client profiles in the window: thin commands over the engine's profiles API
//! (`token_desk_core::profiles`). The profile goes into the settings file, its secret or
//! certificate into the OS keyring, and no command here ever returns either. A Live profile
//! needs a confirmation per session before its first token (see
//! `token_desk_core::form::TokenForm::request`).

use tauri::{Runtime, State, Window};
use token_desk_core::keyring::{Saved, SESSION_ONLY_NOTICE};
use token_desk_core::profiles::changes::{self, NewSecret};
use token_desk_core::profiles::form::NewProfileForm;
use token_desk_core::profiles::transfer::{self, HostTrust};
use token_desk_core::profiles::{AuthMethod, Profile};
use token_desk_core::secret::ClientSecret;
use token_desk_core::{shorten, Failure};

use crate::chooser::{Ask, Purpose};
use crate::network;
use crate::presenter::Presenter;
use crate::profile_view::{ChangeView, ExportView, ImportPlanView, ProfileView, ProfilesView};
use crate::state::AppState;
use crate::view::ErrorView;

type Answer<T> = Result<T, ErrorView>;

fn view(state: &AppState, profile: &Profile) -> ProfileView {
    let secret = state.profiles.secrets().state(profile);
    let confirmed = state.profiles.is_confirmed(&profile.name);
    ProfileView::new(profile, secret, confirmed, state.engine().clock().now())
}

fn find(state: &AppState, name: &str) -> Result<Profile, Failure> {
    Ok(state.profiles.settings()?.find(name)?)
}

/// What a change did to `profile`; `saved` says where its new secret went, if it got one.
fn changed(state: &AppState, profile: &Profile, message: String, saved: Option<&Saved>) -> ChangeView {
    let session_only = matches!(saved, Some(Saved::ForThisSessionOnly(_)));
    let keyring_notice = session_only.then(|| SESSION_ONLY_NOTICE.to_owned());
    ChangeView { profile: Some(view(state, profile)), message, keyring_notice }
}

/// Every profile with whether its secret is saved and its reminders; never a secret.
#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> Answer<ProfilesView> {
    let profiles = state.profiles.settings()?.load().map_err(Failure::from)?;
    let keyring_notice = match state.profiles.keyring().check() {
        // The technical cause stays out of the sentence: people need the next step, not D-Bus.
        Err(e) if e.is_unreachable() => Some(format!(
            "{SESSION_ONLY_NOTICE} Sign in to a desktop session with a keyring (for example GNOME Keyring) to keep secrets between sessions."
        )),
        _ => None,
    };
    Ok(ProfilesView { profiles: profiles.iter().map(|p| view(&state, p)).collect(), keyring_notice })
}

/// One profile, to fill in the form, with its network settings in effect (none of the
/// previous profile's stay). Its secret stays in the keyring, and a secret entered for the
/// form before is dropped: it was for another client or host.
#[tauri::command]
pub fn select_profile(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    name: String,
) -> Answer<ProfileView> {
    state.forget_credential();
    let chosen = find(&state, &name).and_then(|profile| {
        network::use_profile(&state, &profile)?;
        Ok(view(&state, &profile))
    });
    if chosen.is_err() {
        network::leave_profile(&state)?;
    }
    presenter.answer(&state, chosen.map_err(ErrorView::from), &[])
}

/// Saves the form as a new profile, with the network settings the form holds for it (none
/// of a profile chosen before); with `save_secret`, the secret entered for its client and
/// token URL goes into the keyring.
#[tauri::command]
pub fn save_profile(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    form: NewProfileForm,
) -> Answer<ChangeView> {
    let saved = add(&state, &form);
    presenter.answer(&state, saved.map_err(ErrorView::from), &[&form.client_id])
}

fn add(state: &AppState, form: &NewProfileForm) -> Result<ChangeView, Failure> {
    let settings = state.profiles.settings()?;
    let mut profile = form.profile()?;
    network::keep_in_profile(state, &mut profile)?;
    let name = profile.name.clone();
    if !form.save_secret {
        profile.validate().map_err(|e| Failure::bad_input(e.to_string()))?;
        settings.add(profile).map_err(Failure::from)?;
        let added = find(state, &name)?;
        network::adopt(state, &added)?;
        let message = format!("Saved profile \"{name}\" without its secret. Choose Replace secret to save one.");
        return Ok(changed(state, &added, message, None));
    }
    let secret = state.new_secret(form.auth, &profile.client_id, &profile.token_url)?;
    let saved = changes::add(settings, state.profiles.secrets(), profile, &secret).map_err(Failure::from)?;
    let added = find(state, &name)?;
    network::adopt(state, &added)?;
    let message = match saved {
        Saved::ForThisSessionOnly(_) => format!("Saved profile \"{name}\". Its secret is kept for this session only."),
        _ => format!("Saved profile \"{name}\". Its secret is in the OS keyring."),
    };
    Ok(changed(state, &added, message, Some(&saved)))
}

/// Renames a profile, with its keyring entries. A Live profile must be confirmed again.
#[tauri::command]
pub fn rename_profile(state: State<'_, AppState>, name: String, new_name: String) -> Answer<ChangeView> {
    let settings = state.profiles.settings()?;
    let renamed = changes::rename(settings, state.profiles.secrets(), &name, new_name.trim()).map_err(Failure::from)?;
    state.profiles.unconfirm(&name);
    network::profile_changed(&state, &name, Some(&renamed.name))?;
    Ok(changed(&state, &renamed, format!("Renamed \"{name}\" to \"{}\".", renamed.name), None))
}

/// Copies a profile and its secret under a new name.
#[tauri::command]
pub fn duplicate_profile(state: State<'_, AppState>, name: String, new_name: String) -> Answer<ChangeView> {
    let settings = state.profiles.settings()?;
    let copy = changes::duplicate(settings, state.profiles.secrets(), &name, new_name.trim()).map_err(Failure::from)?;
    Ok(changed(&state, &copy, format!("Copied \"{name}\" as \"{}\", with its secret.", copy.name), None))
}

/// Deletes a profile, its keyring entries and the tokens kept for its client.
#[tauri::command]
pub fn delete_profile(state: State<'_, AppState>, name: String) -> Answer<ChangeView> {
    let settings = state.profiles.settings()?;
    let removed = changes::remove(settings, state.profiles.secrets(), Some(state.profiles.tokens()), &name)
        .map_err(Failure::from)?;
    state.profiles.unconfirm(&name);
    network::profile_changed(&state, &name, None)?;
    let name = &removed.profile.name;
    let message = match removed.secrets {
        Ok(()) => format!("Deleted profile \"{name}\" and its saved secret."),
        Err(e) => format!("Deleted profile \"{name}\", but its keyring entries could not be deleted: {e}"),
    };
    Ok(ChangeView { profile: None, message, keyring_notice: None })
}

/// Saves a new secret (typed, write-only) for a profile, or for a certificate profile a
/// certificate file the user chooses, and forgets the tokens kept with the old one. Never
/// shows the old one. `None`: the chooser was cancelled.
#[tauri::command]
pub async fn replace_secret<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    name: String,
    secret: Option<String>,
) -> Answer<Option<ChangeView>> {
    let replaced = replace(&window, &state, &name, secret).await;
    presenter.answer(&state, replaced.map_err(ErrorView::from), &[])
}

async fn replace<R: Runtime>(
    window: &Window<R>,
    state: &AppState,
    name: &str,
    secret: Option<String>,
) -> Result<Option<ChangeView>, Failure> {
    let Some(new) = replacement(window, state, &find(state, name)?, secret).await? else { return Ok(None) };
    let (settings, tokens) = (state.profiles.settings()?, Some(state.profiles.tokens().as_ref()));
    let saved =
        changes::replace_secret(settings, state.profiles.secrets(), tokens, name, &new).map_err(Failure::from)?;
    let message = match saved {
        Saved::ForThisSessionOnly(_) => format!("The new secret of \"{name}\" is kept for this session only."),
        _ => format!("Saved the new secret of \"{name}\" in the OS keyring."),
    };
    Ok(Some(changed(state, &find(state, name)?, message, Some(&saved))))
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
    let Some(path) = state.chooser.choose(window, Ask::certificate("Choose the new certificate file")).await else {
        return Ok(None);
    };
    Ok(Some(NewSecret::Certificate(token_desk_core::certificate::read_file(&path)?.0)))
}

/// Confirms that this session may get tokens for the Live profile `name`.
#[tauri::command]
pub fn confirm_live(state: State<'_, AppState>, name: String) -> Answer<ProfileView> {
    let profile = find(&state, &name)?;
    state.profiles.confirm(&profile.name);
    Ok(view(&state, &profile))
}

/// Writes every profile (never a secret) to a JSON file the user chooses. `None` when the
/// user cancelled the chooser.
#[tauri::command]
pub async fn export_profiles<R: Runtime>(window: Window<R>, state: State<'_, AppState>) -> Answer<Option<ExportView>> {
    let profiles = state.profiles.settings()?.load().map_err(Failure::from)?;
    let purpose = Purpose::Save("token-desk-profiles.json");
    let ask = Ask { title: "Export profiles (without secrets)", kind: "Profiles (.json)", extension: "json", purpose };
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    transfer::export(&profiles, &path).map_err(|e| Failure::bad_input(e.to_string()))?;
    Ok(Some(ExportView { path: path.display().to_string(), count: profiles.len() }))
}

/// Reads an export file the user chooses and says what importing it would do (in presenter
/// mode with each client id shortened); nothing changes until `import_profiles`. `None` when
/// the user cancelled the chooser.
#[tauri::command]
pub async fn plan_import<R: Runtime>(
    window: Window<R>,
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
) -> Answer<Option<ImportPlanView>> {
    let ask = Ask::open("Import profiles", "Profiles (.json)", "json");
    let Some(path) = state.chooser.choose(&window, ask).await else { return Ok(None) };
    let incoming = transfer::read(&path).map_err(|e| Failure::bad_input(e.to_string()))?;
    let existing = state.profiles.settings()?.load().map_err(Failure::from)?;
    let plan = transfer::plan_import(&existing, incoming);
    let mut shown = ImportPlanView::new(&path, &plan);
    if presenter.is_on() {
        shown.reviews.iter_mut().for_each(|r| r.client_id = shorten::client_id(&r.client_id));
    }
    state.profiles.keep_import(plan);
    Ok(Some(shown))
}

/// Adds the profiles of the planned import (never overwriting one): those with a flagged
/// host only when the user ticked that they trust the hosts listed (`trust_hosts`). Returns
/// the names added and, for each profile left out, why.
#[tauri::command]
pub fn import_profiles(state: State<'_, AppState>, trust_hosts: bool) -> Answer<transfer::Imported> {
    let plan = state.profiles.take_import().ok_or_else(|| Failure::bad_input("Choose Import and a file first."))?;
    let trust = if trust_hosts { HostTrust::TrustListedHosts } else { HostTrust::StitchOnly };
    Ok(state.profiles.settings()?.import(&plan, trust).map_err(Failure::from)?)
}
