//! The operating system's keyring (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), the only place Token Desk keeps a secret between sessions.
//!
//! What lives here: [`Keyring`] (reading, writing and deleting one entry), the Secret
//! Service connection on Linux ([`secret_service`]), the encoding of account-name parts
//! ([`account_name`]) and each profile's client secret or certificate under its own accounts
//! ([`profile_secrets`]). What never lives here: tokens and the keys they are kept under
//! (those are [`crate::token_store`]'s, which writes through [`Keyring`]), and any plaintext
//! copy of a secret on disk.
//!
//! Entries are namespaced by the app identifier ([`APP_ID`] as the service, a stable account
//! name per entry), so a development build with another identifier never reads a release
//! build's secrets. Reading an entry that is not there gives `None`; deleting one that is not
//! there succeeds. Writes are serialized. There is no plaintext fallback: when no keyring
//! service can be reached, a secret being saved is kept in this process's memory for the
//! session only, and the caller is told so ([`Saved::ForThisSessionOnly`]).
//!
//! On Linux the Secret Service is reached directly, over one D-Bus connection per process
//! ([`secret_service`]); elsewhere through the `keyring` crate, built with its real stores
//! named explicitly (see core/Cargo.toml): without features, keyring 3 silently uses an
//! in-memory mock.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::secret::SecretBytes;

pub mod account_name;
pub mod profile_secrets;
#[cfg(target_os = "linux")]
mod secret_service;

/// The app identifier (as in `tauri.conf.json`): the keyring "service" of every entry.
pub const APP_ID: &str = "money.tokendesk.desk";

/// The environment variable that gives one test's processes a keyring of their own: with
/// `TOKEN_DESK_KEYRING_NAMESPACE=abc`, [`Keyring::app`]'s service is `money.tokendesk.desk.abc`,
/// so no test sees another's saved secrets or kept tokens (nor their kernel copies, which are
/// named by service). Unset, empty or holding anything but ASCII letters, digits and `-`, it
/// changes nothing.
pub const NAMESPACE_ENV: &str = "TOKEN_DESK_KEYRING_NAMESPACE";

/// What the window and the command line say when a secret could not reach the keyring.
pub const SESSION_ONLY_NOTICE: &str =
    "No keyring service is available; the secret is kept in memory for this session only.";

/// Why the keyring could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    /// No keyring service answers (no session bus, no Secret Service provider, …).
    #[error("No keyring service is available ({cause}). Start your desktop session's keyring (e.g. gnome-keyring), or sign in to a desktop session.")]
    Unavailable { cause: String },
    /// A keyring answers but is locked, or the user dismissed its unlock prompt.
    #[error("The keyring is locked or refused access ({cause}). Unlock it and try again.")]
    Locked { cause: String },
    /// The keyring refused this entry (too long, ambiguous, not what we wrote, …).
    #[error("The keyring refused the entry {account:?} ({cause}).")]
    Refused { account: String, cause: String },
}

impl KeyringError {
    /// True when no keyring can be used at all this session (as opposed to one entry being
    /// refused): the case where secrets are kept in memory instead.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, KeyringError::Unavailable { .. } | KeyringError::Locked { .. })
    }

    #[cfg(not(target_os = "linux"))]
    fn from_keyring(account: &str, e: keyring::Error) -> Self {
        match e {
            keyring::Error::PlatformFailure(cause) => KeyringError::Unavailable { cause: cause.to_string() },
            keyring::Error::NoStorageAccess(cause) => KeyringError::Locked { cause: cause.to_string() },
            other => KeyringError::Refused { account: account.to_owned(), cause: other.to_string() },
        }
    }

    /// The same classes as the `keyring` crate makes of Secret Service failures: locked,
    /// missing or prompt-dismissed is "locked"; any other service or bus failure is
    /// "unavailable"; two items for one entry is this entry refused.
    #[cfg(target_os = "linux")]
    fn from_secret_service(account: &str, e: secret_service::SecretServiceError) -> Self {
        use dbus_secret_service::Error as E;
        use secret_service::SecretServiceError as S;
        match e {
            S::Service(cause @ (E::Locked | E::NoResult | E::Prompt)) => {
                KeyringError::Locked { cause: cause.to_string() }
            }
            S::Service(cause) => KeyringError::Unavailable { cause: cause.to_string() },
            ambiguous @ S::Ambiguous(_) => {
                KeyringError::Refused { account: account.to_owned(), cause: ambiguous.to_string() }
            }
        }
    }
}

/// Where a saved secret ended up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    InKeyring,
    /// The keyring could not be reached: the secret lives in this process's memory and is
    /// gone when it ends. Show [`SESSION_ONLY_NOTICE`].
    ForThisSessionOnly(KeyringError),
}

/// Where a secret was found.
#[derive(Debug)]
pub enum Found {
    InKeyring(SecretBytes),
    ForThisSessionOnly(SecretBytes),
}

impl Found {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Found::InKeyring(b) | Found::ForThisSessionOnly(b) => b.expose(),
        }
    }
}

/// The service of [`Keyring::app`] for the value of [`NAMESPACE_ENV`].
pub fn app_service(namespace: Option<&str>) -> String {
    match namespace.filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')) {
        Some(n) => format!("{APP_ID}.{n}"),
        None => APP_ID.to_owned(),
    }
}

/// The keyring entries of one service, with a memory-only stand-in for the session when no
/// keyring can be reached. One per process (the window's state, a command's run).
pub struct Keyring {
    service: String,
    /// Serializes writes: a keyring has no transactions, and two writers racing on one item
    /// could leave two items for one account. On Linux `secret_service` already runs every
    /// call, look-up and write together, under its one connection's lock.
    #[cfg(not(target_os = "linux"))]
    writes: Mutex<()>,
    /// Secrets that could not reach the keyring, for this session only.
    session: Mutex<HashMap<String, SecretBytes>>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("service", &self.service).finish_non_exhaustive()
    }
}

impl Keyring {
    /// The keyring entries of `service`; the app uses [`Keyring::app`].
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            #[cfg(not(target_os = "linux"))]
            writes: Mutex::new(()),
            session: Mutex::new(HashMap::new()),
        }
    }

    /// Token Desk's own entries (service [`APP_ID`], or its namespace from [`NAMESPACE_ENV`]).
    pub fn app() -> Self {
        Self::new(app_service(std::env::var(NAMESPACE_ENV).ok().as_deref()))
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether a keyring service answers, found by reading an entry that does not exist.
    pub fn check(&self) -> Result<(), KeyringError> {
        self.read_keyring("availability-check").map(|_| ())
    }

    /// Saves `secret` under `account`, replacing what was there. When no keyring can be
    /// reached, keeps it in memory for this session and says so; no plaintext file, ever.
    pub fn save(&self, account: &str, secret: &[u8]) -> Result<Saved, KeyringError> {
        match self.write_keyring(account, secret) {
            Ok(()) => {
                self.session.lock().unwrap().remove(account);
                Ok(Saved::InKeyring)
            }
            Err(e) if e.is_unreachable() => {
                self.session.lock().unwrap().insert(account.to_owned(), SecretBytes::new(secret.to_vec()));
                Ok(Saved::ForThisSessionOnly(e))
            }
            Err(e) => Err(e),
        }
    }

    /// The secret under `account`: from this session's memory if it was kept there, else from
    /// the keyring. `None` when there is no such entry; an error when the keyring cannot be
    /// reached and the session holds nothing either.
    pub fn read(&self, account: &str) -> Result<Option<Found>, KeyringError> {
        if let Some(kept) = self.session.lock().unwrap().get(account) {
            return Ok(Some(Found::ForThisSessionOnly(SecretBytes::new(kept.expose().to_vec()))));
        }
        Ok(self.read_keyring(account)?.map(Found::InKeyring))
    }

    /// Whether the secret under `account` is kept in this session's memory (no keyring).
    pub fn held_for_session(&self, account: &str) -> bool {
        self.session.lock().unwrap().contains_key(account)
    }

    /// Deletes the entry under `account` from the session and the keyring. Deleting an entry
    /// that is not there succeeds.
    pub fn delete(&self, account: &str) -> Result<(), KeyringError> {
        let was_in_session = self.session.lock().unwrap().remove(account).is_some();
        match self.delete_keyring(account) {
            Err(e) if e.is_unreachable() && was_in_session => Ok(()),
            other => other,
        }
    }

    /// Saves to the keyring only, never to the session: for data that is merely worth
    /// keeping (cached tokens), where memory already serves the session.
    pub fn write_keyring(&self, account: &str, secret: &[u8]) -> Result<(), KeyringError> {
        #[cfg(not(target_os = "linux"))]
        let _turn = self.writes.lock().unwrap_or_else(|p| p.into_inner());
        #[cfg(target_os = "linux")]
        return secret_service::write(&self.service, account, secret)
            .map_err(|e| KeyringError::from_secret_service(account, e));
        #[cfg(not(target_os = "linux"))]
        return self.entry(account)?.set_secret(secret).map_err(|e| KeyringError::from_keyring(account, e));
    }

    /// Reads from the keyring only (so what is read is what the keyring holds now, not
    /// anything remembered in this process).
    pub fn read_keyring(&self, account: &str) -> Result<Option<SecretBytes>, KeyringError> {
        #[cfg(target_os = "linux")]
        return secret_service::read(&self.service, account)
            .map(|found| found.map(SecretBytes::new))
            .map_err(|e| KeyringError::from_secret_service(account, e));
        #[cfg(not(target_os = "linux"))]
        match self.entry(account)?.get_secret() {
            Ok(bytes) => Ok(Some(SecretBytes::new(bytes))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(KeyringError::from_keyring(account, e)),
        }
    }

    /// Deletes from the keyring only; a missing entry is success.
    pub fn delete_keyring(&self, account: &str) -> Result<(), KeyringError> {
        #[cfg(not(target_os = "linux"))]
        let _turn = self.writes.lock().unwrap_or_else(|p| p.into_inner());
        #[cfg(target_os = "linux")]
        return secret_service::delete(&self.service, account)
            .map_err(|e| KeyringError::from_secret_service(account, e));
        #[cfg(not(target_os = "linux"))]
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(KeyringError::from_keyring(account, e)),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn entry(&self, account: &str) -> Result<keyring::Entry, KeyringError> {
        keyring::Entry::new(&self.service, account).map_err(|e| KeyringError::from_keyring(account, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespace_gives_the_app_a_service_of_its_own_and_nothing_else_changes_it() {
        assert_eq!(app_service(None), APP_ID);
        assert_eq!(app_service(Some("")), APP_ID);
        assert_eq!(app_service(Some("t-3f9a")), "money.tokendesk.desk.t-3f9a");
        for odd in ["a.b", "a/b", "a b", "é"] {
            assert_eq!(app_service(Some(odd)), APP_ID, "{odd:?}");
        }
    }
}
