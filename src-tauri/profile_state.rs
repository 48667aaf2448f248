//! The profiles' side of the window's state: one keyring for the session, the kept tokens in
//! it (and where the keys they are kept under are remembered), the settings file, the Live
//! profiles confirmed this session, and an import waiting for confirmation. Nothing here
//! touches the keyring or the settings file before it is first needed, so the window paints
//! before any of it runs; the prune of expired kept tokens runs on a thread of its own once
//! the page has loaded ([`Profiles::prune_in_background`]).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use token_desk_core::clock::SystemClock;
use token_desk_core::keyring::profile_secrets::ProfileSecrets;
use token_desk_core::keyring::Keyring;
use token_desk_core::profiles::settings::{SettingsError, SettingsFile};
use token_desk_core::profiles::transfer::ImportPlan;
use token_desk_core::token_store::keyring_tokens::KeyringTokens;
use token_desk_core::token_store::profile_tokens::ProfileKeys;
use token_desk_core::Failure;

use crate::guard::lock;

/// See the module's documentation.
pub struct Profiles {
    keyring: Arc<Keyring>,
    tokens: OnceLock<Arc<KeyringTokens>>,
    /// `None` inside: this system keeps no remembered keys (see [`ProfileKeys`]).
    keys: OnceLock<Option<ProfileKeys>>,
    /// `None` inside: the platform has no config folder.
    settings: OnceLock<Option<SettingsFile>>,
    confirmed_live: Mutex<HashSet<String>>,
    pending_import: Mutex<Option<ImportPlan>>,
}

impl Default for Profiles {
    /// Token Desk's keyring, and its settings file in the platform's config folder.
    fn default() -> Self {
        Self {
            keyring: Arc::new(Keyring::app()),
            tokens: OnceLock::new(),
            keys: OnceLock::new(),
            settings: OnceLock::new(),
            confirmed_live: Mutex::new(HashSet::new()),
            pending_import: Mutex::new(None),
        }
    }
}

impl Profiles {
    /// The same profiles kept in `path` instead of the platform's config folder (tests).
    pub fn in_file(self, path: impl Into<PathBuf>) -> Self {
        let settings = OnceLock::new();
        let _ = settings.set(Some(SettingsFile::at(path)));
        Self { settings, ..self }
    }

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// The tokens kept in the keyring (shared with the command line and later sessions).
    pub fn tokens(&self) -> &Arc<KeyringTokens> {
        self.tokens.get_or_init(|| Arc::new(KeyringTokens::app(self.keyring.clone(), Arc::new(SystemClock))))
    }

    /// Where the keys the profiles' tokens are kept under are remembered, so a kept token is
    /// found without reading the profile's secret (shared with the command line).
    pub fn keys(&self) -> Option<&ProfileKeys> {
        self.keys.get_or_init(|| ProfileKeys::for_keyring(&self.keyring)).as_ref()
    }

    /// Deletes the expired kept tokens on a thread of its own: it talks to the keyring, which
    /// the first paint must not wait for.
    pub fn prune_in_background(&self) {
        let tokens = self.tokens().clone();
        std::thread::spawn(move || {
            let _ = tokens.prune();
        });
    }

    pub fn settings(&self) -> Result<&SettingsFile, Failure> {
        self.settings
            .get_or_init(|| SettingsFile::default_location().ok())
            .as_ref()
            .ok_or_else(|| SettingsError::NoConfigFolder.into())
    }

    pub fn secrets(&self) -> ProfileSecrets<'_> {
        ProfileSecrets::new(&self.keyring)
    }

    pub fn is_confirmed(&self, name: &str) -> bool {
        lock(&self.confirmed_live).contains(name)
    }

    /// This session may get tokens for the Live profile `name`.
    pub fn confirm(&self, name: &str) {
        lock(&self.confirmed_live).insert(name.to_owned());
    }

    /// The profile `name` was renamed or removed: a Live one must be confirmed again.
    pub fn unconfirm(&self, name: &str) {
        lock(&self.confirmed_live).remove(name);
    }

    /// Keeps `plan` until the user confirms it (replacing any earlier one).
    pub fn keep_import(&self, plan: ImportPlan) {
        *lock(&self.pending_import) = Some(plan);
    }

    /// The import waiting for confirmation, taken.
    pub fn take_import(&self) -> Option<ImportPlan> {
        lock(&self.pending_import).take()
    }
}
