//! Changes that touch a profile in the settings file and its entries in the keyring together
//! (and, on removal, its kept tokens), each ordered so that a failure part-way leaves no
//! profile pointing at a secret that is not there, and no secret of another profile clobbered.
//! The window and the command line both make their changes through these, and each change
//! runs whole under [`SettingsFile::lock_changes`]: another process's change (a second
//! `profile add`, the window) waits until this one has finished with the settings file *and*
//! the keyring.

use super::settings::{SettingsError, SettingsFile};
use super::{AuthMethod, CertificateSummary, Profile};
use crate::failure::{Failure, FailureKind};
use crate::keyring::profile_secrets::{ProfileSecrets, SecretError};
use crate::keyring::{KeyringError, Saved};
use crate::secret::{CertificatePem, ClientSecret};
use crate::token_store::keyring_tokens::KeyringTokens;

/// Why a change did not happen (or, for [`Removed`], what did not go through).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("{0}")]
    Settings(#[from] SettingsError),
    #[error("{0}")]
    Secret(#[from] SecretError),
}

impl From<KeyringError> for ChangeError {
    fn from(e: KeyringError) -> Self {
        ChangeError::Secret(SecretError::Keyring(e))
    }
}

/// A change that did not happen, for the window: a keyring that cannot be reached is
/// [`FailureKind::NoKeyring`], everything else is input to fix.
impl From<ChangeError> for Failure {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Secret(SecretError::Keyring(e)) => Failure::new(FailureKind::NoKeyring, e.to_string()),
            other => Failure::bad_input(other.to_string()),
        }
    }
}

/// A secret to save for a profile.
#[derive(Debug)]
pub enum NewSecret {
    ClientSecret(ClientSecret),
    /// The text of the certificate file Stitch issued (key and certificate).
    Certificate(CertificatePem),
}

/// Adds `profile` with its secret: the secret first (the name is checked to be free before,
/// so no other profile's secret is replaced), then the settings; if the settings cannot be
/// written, the secret is deleted again. The profile's auth method and certificate
/// description follow the secret given.
pub fn add(
    settings: &SettingsFile,
    secrets: ProfileSecrets<'_>,
    mut profile: Profile,
    secret: &NewSecret,
) -> Result<Saved, ChangeError> {
    profile.validate().map_err(SettingsError::from)?;
    let _turn = settings.lock_changes()?;
    let existing = settings.load()?;
    if let Some(taken) = super::similar_name(&profile.name, existing.iter().map(|p| p.name.as_str())) {
        return Err(if taken == profile.name {
            SettingsError::NameTaken(profile.name)
        } else {
            SettingsError::NameTooSimilar { name: profile.name, existing: taken.to_owned() }
        }
        .into());
    }
    let saved = save_secret_only(secrets, &mut profile, secret)?;
    if let Err(e) = settings.add(profile.clone()) {
        let _ = secrets.delete(&profile);
        return Err(e.into());
    }
    Ok(saved)
}

/// Saves (or replaces) the secret of an existing profile, records in the settings which kind
/// of secret it now uses (and the certificate's description), and forgets the tokens kept for
/// its client at its token URL: a token got with the old secret is not served in the new
/// one's name (a token kept for a duplicate of the profile goes too, which only costs a new
/// token). The window's "Replace secret" and `token-desk profile set-secret` both come here.
pub fn replace_secret(
    settings: &SettingsFile,
    secrets: ProfileSecrets<'_>,
    tokens: Option<&KeyringTokens>,
    name: &str,
    secret: &NewSecret,
) -> Result<Saved, ChangeError> {
    let _turn = settings.lock_changes()?;
    let mut profile = settings.find(name)?;
    let saved = save_secret_only(secrets, &mut profile, secret)?;
    if let Some(tokens) = tokens {
        // Only a cost if it fails: the old tokens stay until they expire, as before this change.
        let _ = tokens.forget_client(&profile.client_id, &profile.token_url);
    }
    settings.replace(name, profile)?;
    Ok(saved)
}

fn save_secret_only(
    secrets: ProfileSecrets<'_>,
    profile: &mut Profile,
    secret: &NewSecret,
) -> Result<Saved, SecretError> {
    match secret {
        NewSecret::ClientSecret(s) => {
            let saved = secrets.save_client_secret(profile, s)?;
            profile.auth = AuthMethod::Secret;
            profile.certificate = None;
            Ok(saved)
        }
        NewSecret::Certificate(pem) => {
            let (saved, facts) = secrets.save_certificate(profile, pem)?;
            profile.auth = AuthMethod::Certificate;
            profile.certificate = Some(CertificateSummary::from(&facts));
            Ok(saved)
        }
    }
}

/// Renames a profile: the settings first (which checks the new name), then its keyring
/// entries; if those cannot move, the settings are renamed back.
pub fn rename(
    settings: &SettingsFile,
    secrets: ProfileSecrets<'_>,
    name: &str,
    new_name: &str,
) -> Result<Profile, ChangeError> {
    settings_then_keyring(
        settings,
        name,
        || settings.rename(name, new_name),
        |before, renamed| secrets.rename(before, &renamed.name),
        |renamed| {
            let _ = settings.rename(&renamed.name, name);
        },
    )
}

/// Duplicates a profile with its secret, under `new_name`; if the secret cannot be copied,
/// the copy is removed again.
pub fn duplicate(
    settings: &SettingsFile,
    secrets: ProfileSecrets<'_>,
    name: &str,
    new_name: &str,
) -> Result<Profile, ChangeError> {
    settings_then_keyring(
        settings,
        name,
        || settings.duplicate(name, new_name),
        |original, copy| secrets.copy(original, copy),
        |copy| {
            let _ = settings.remove(&copy.name);
            let _ = secrets.delete(copy);
        },
    )
}

/// The order every two-part change of an existing profile keeps, under the change lock: the
/// settings first (`in_settings`, which checks the new name), then the keyring (`in_keyring`,
/// given the profile before and after); if the keyring part fails, `undo` takes the settings
/// back, so no profile points at a secret that is not there.
fn settings_then_keyring(
    settings: &SettingsFile,
    name: &str,
    in_settings: impl FnOnce() -> Result<Profile, SettingsError>,
    in_keyring: impl FnOnce(&Profile, &Profile) -> Result<(), SecretError>,
    undo: impl FnOnce(&Profile),
) -> Result<Profile, ChangeError> {
    let _turn = settings.lock_changes()?;
    let before = settings.find(name)?;
    let after = in_settings()?;
    if let Err(e) = in_keyring(&before, &after) {
        undo(&after);
        return Err(e.into());
    }
    Ok(after)
}

/// What removing a profile did beyond the settings file.
#[derive(Debug)]
pub struct Removed {
    pub profile: Profile,
    /// Deleting its keyring entries (an error when no keyring could be reached).
    pub secrets: Result<(), KeyringError>,
    /// Deleting its kept tokens: how many.
    pub tokens: Result<usize, KeyringError>,
}

/// Removes a profile everywhere: from the settings, its keyring entries, and the tokens kept
/// for its client at its token URL (a duplicate of the profile with the same client loses
/// its kept tokens too, which only costs a new token).
pub fn remove(
    settings: &SettingsFile,
    secrets: ProfileSecrets<'_>,
    tokens: Option<&KeyringTokens>,
    name: &str,
) -> Result<Removed, ChangeError> {
    let _turn = settings.lock_changes()?;
    let profile = settings.remove(name)?;
    let secrets = secrets.delete(&profile);
    let tokens = match tokens {
        Some(t) => t.forget_client(&profile.client_id, &profile.token_url),
        None => Ok(0),
    };
    Ok(Removed { profile, secrets, tokens })
}
