//! The settings file that holds the profiles: `profiles.json` in the platform's config
//! folder (`$XDG_CONFIG_HOME/token-desk/` on Linux, `~/Library/Application Support/token-desk/`
//! on macOS, `%APPDATA%\token-desk\` on Windows), in the versioned [`document`] form.
//!
//! Every change takes the file's lock (the window and commands may change it at the same
//! time), reads the current file, changes it and writes it atomically: a crash mid-write
//! loses nothing. A damaged file is reported, never overwritten. Secrets are never written
//! here; [`Profile`] cannot hold one.

use std::path::{Path, PathBuf};

use super::document::{self, DocumentError, MAX_PROFILES};
use super::{check_name, folded_name, Profile, ProfileError};
use crate::files::{self, HeldLock};

/// The settings file's name inside Token Desk's config folder.
pub const FILE_NAME: &str = "profiles.json";

/// Why the profiles could not be read or changed. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("The profiles file {path} cannot be read: {problem}. Fix or move it; Token Desk will not overwrite it.")]
    Damaged { path: PathBuf, problem: DocumentError },
    #[error("The profiles file {path} could not be {action} ({cause}).")]
    Io { path: PathBuf, action: &'static str, cause: String },
    #[error("There is no profile named {0:?}. `token-desk profile list` shows the profiles.")]
    NotFound(String),
    #[error("A profile named {0:?} already exists. Choose another name, or remove that profile first.")]
    NameTaken(String),
    #[error("The name {name:?} looks too much like the profile {existing:?} (names are compared ignoring case and look-alike characters). Choose another name.")]
    NameTooSimilar { name: String, existing: String },
    #[error("{0}")]
    Profile(#[from] ProfileError),
    #[error("There are already {MAX_PROFILES} profiles; remove some first.")]
    TooMany,
    #[error("This system has no configuration folder for Token Desk to keep its profiles in (is HOME set?).")]
    NoConfigFolder,
}

/// Every settings problem is input for the person to fix (or a file to move), said as is.
impl From<SettingsError> for crate::failure::Failure {
    fn from(e: SettingsError) -> Self {
        crate::failure::Failure::bad_input(e.to_string())
    }
}

/// The profiles file at one path.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file in the platform's config folder (see the module documentation).
    pub fn default_location() -> Result<Self, SettingsError> {
        let dirs = directories::BaseDirs::new().ok_or(SettingsError::NoConfigFolder)?;
        Ok(Self::at(dirs.config_dir().join("token-desk").join(FILE_NAME)))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every profile, in the order they were added; none when the file does not exist yet.
    pub fn load(&self) -> Result<Vec<Profile>, SettingsError> {
        let bytes = match files::read_limited(&self.path, document::MAX_FILE_BYTES) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(size)) => return Err(self.damaged(DocumentError::TooLarge(size))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io("read", &e)),
        };
        document::parse(&bytes).map_err(|problem| self.damaged(problem))
    }

    /// The profile named `name`.
    pub fn find(&self, name: &str) -> Result<Profile, SettingsError> {
        self.load()?.into_iter().find(|p| p.name == name).ok_or_else(|| SettingsError::NotFound(name.to_owned()))
    }

    /// Applies `change` to the current profiles under the file's lock and writes the result
    /// atomically; if `change` fails or the result is invalid, the file is left as it was.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut Vec<Profile>) -> Result<T, SettingsError>,
    ) -> Result<T, SettingsError> {
        let _turn = HeldLock::exclusive(&self.lock_path()).map_err(|e| self.io("locked", &e))?;
        let mut profiles = self.load()?;
        let result = change(&mut profiles)?;
        if profiles.len() > MAX_PROFILES {
            return Err(SettingsError::TooMany);
        }
        // What is written is what was checked: URLs in their re-serialised form.
        for p in profiles.iter_mut() {
            *p = p.clone().checked()?;
        }
        let mut names: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for p in &profiles {
            if let Some(existing) = names.insert(folded_name(&p.name), &p.name) {
                return Err(if existing == p.name {
                    SettingsError::NameTaken(p.name.clone())
                } else {
                    SettingsError::NameTooSimilar { name: p.name.clone(), existing: existing.to_owned() }
                });
            }
        }
        files::write_atomically(&self.path, &document::render(&profiles)).map_err(|e| self.io("written", &e))?;
        Ok(result)
    }

    /// Adds a new profile; its name must be free.
    pub fn add(&self, profile: Profile) -> Result<(), SettingsError> {
        profile.validate()?;
        self.update(|profiles| {
            if profiles.iter().any(|p| p.name == profile.name) {
                return Err(SettingsError::NameTaken(profile.name.clone()));
            }
            profiles.push(profile);
            Ok(())
        })
    }

    /// Replaces the profile named `name` with `profile` (which may carry a new name).
    pub fn replace(&self, name: &str, profile: Profile) -> Result<(), SettingsError> {
        profile.validate()?;
        self.update(|profiles| {
            if profile.name != name && profiles.iter().any(|p| p.name == profile.name) {
                return Err(SettingsError::NameTaken(profile.name.clone()));
            }
            let slot =
                profiles.iter_mut().find(|p| p.name == name).ok_or_else(|| SettingsError::NotFound(name.into()))?;
            *slot = profile;
            Ok(())
        })
    }

    /// Renames a profile in the settings (its keyring entries move with
    /// [`crate::keyring::profile_secrets::ProfileSecrets::rename`]).
    pub fn rename(&self, name: &str, new_name: &str) -> Result<Profile, SettingsError> {
        let new_name = check_name(new_name)?.to_owned();
        self.update(|profiles| {
            if new_name != name && profiles.iter().any(|p| p.name == new_name) {
                return Err(SettingsError::NameTaken(new_name.clone()));
            }
            let p = profiles.iter_mut().find(|p| p.name == name).ok_or_else(|| SettingsError::NotFound(name.into()))?;
            p.name = new_name.clone();
            Ok(p.clone())
        })
    }

    /// Adds a copy of profile `name` called `new_name`, placed right after it.
    pub fn duplicate(&self, name: &str, new_name: &str) -> Result<Profile, SettingsError> {
        let new_name = check_name(new_name)?.to_owned();
        self.update(|profiles| {
            if profiles.iter().any(|p| p.name == new_name) {
                return Err(SettingsError::NameTaken(new_name.clone()));
            }
            let at =
                profiles.iter().position(|p| p.name == name).ok_or_else(|| SettingsError::NotFound(name.into()))?;
            let mut copy = profiles[at].clone();
            copy.name = new_name.clone();
            profiles.insert(at + 1, copy.clone());
            Ok(copy)
        })
    }

    /// Removes profile `name` from the settings and returns it.
    pub fn remove(&self, name: &str) -> Result<Profile, SettingsError> {
        self.update(|profiles| {
            let at =
                profiles.iter().position(|p| p.name == name).ok_or_else(|| SettingsError::NotFound(name.into()))?;
            Ok(profiles.remove(at))
        })
    }

    fn lock_path(&self) -> PathBuf {
        self.path.with_extension("lock")
    }

    /// Takes the lock that makes a whole profile change (the settings file *and* the keyring
    /// entries, see [`super::changes`]) one step for every Token Desk process: two
    /// `profile add` at once run one after the other, so neither can end up with the other's
    /// secret. Separate from the file's own lock, which [`SettingsFile::update`] takes inside
    /// it (a second lock on the same file would wait for itself).
    pub fn lock_changes(&self) -> Result<HeldLock, SettingsError> {
        HeldLock::exclusive(&self.path.with_extension("changes.lock")).map_err(|e| self.io("locked", &e))
    }

    fn damaged(&self, problem: DocumentError) -> SettingsError {
        SettingsError::Damaged { path: self.path.clone(), problem }
    }

    fn io(&self, action: &'static str, e: &std::io::Error) -> SettingsError {
        SettingsError::Io { path: self.path.clone(), action, cause: e.kind().to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::AuthMethod;

    fn file() -> (tempfile::TempDir, SettingsFile) {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::at(dir.path().join("token-desk").join(FILE_NAME));
        (dir, file)
    }

    #[test]
    fn no_file_means_no_profiles() {
        let (_dir, file) = file();
        assert_eq!(file.load().unwrap(), vec![]);
    }

    #[test]
    fn add_rename_duplicate_and_remove_change_the_file() {
        let (_dir, file) = file();
        file.add(Profile::new("a", "test-a", AuthMethod::Secret)).unwrap();
        file.add(Profile::new("b", "test-b", AuthMethod::Secret)).unwrap();
        assert_eq!(
            file.add(Profile::new("a", "test-c", AuthMethod::Secret)),
            Err(SettingsError::NameTaken("a".into()))
        );
        file.rename("a", "first").unwrap();
        let copy = file.duplicate("first", "first copy").unwrap();
        assert_eq!(copy.client_id, "test-a");
        assert_eq!(file.rename("b", "first"), Err(SettingsError::NameTaken("first".into())));
        let names: Vec<String> = file.load().unwrap().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["first", "first copy", "b"]);
        assert_eq!(file.remove("b").unwrap().client_id, "test-b");
        assert_eq!(file.remove("b"), Err(SettingsError::NotFound("b".into())));
        assert_eq!(file.load().unwrap().len(), 2);
    }

    #[test]
    fn a_damaged_file_is_reported_and_left_alone() {
        let (_dir, file) = file();
        std::fs::create_dir_all(file.path().parent().unwrap()).unwrap();
        std::fs::write(file.path(), b"{\"version\": 1, \"profiles\": [").unwrap();
        let e = file.add(Profile::new("a", "test-a", AuthMethod::Secret)).unwrap_err();
        assert!(matches!(e, SettingsError::Damaged { .. }), "{e:?}");
        assert!(e.to_string().contains("will not overwrite it"));
        assert_eq!(crate::files::read_capped(file.path(), 4096).unwrap(), b"{\"version\": 1, \"profiles\": [");
    }

    #[test]
    fn a_settings_file_edited_to_hold_a_template_is_refused_naming_the_profile_and_field_and_left_alone() {
        let (_dir, file) = file();
        file.add(Profile::new("kept", "test-kept", AuthMethod::Secret)).unwrap();
        let edited = String::from_utf8(crate::files::read_capped(file.path(), 4096).unwrap())
            .unwrap()
            .replace("\"https://api.stitch.money/graphql\"", "\"https://api.stitch.money/graphql?q=${X}\"");
        std::fs::write(file.path(), &edited).unwrap();
        let e = file.load().unwrap_err().to_string();
        assert!(e.contains("cannot be read: Profile \"kept\": The API URL"), "{e}");
        assert!(e.ends_with("will not overwrite it."), "{e}");
        assert!(file.add(Profile::new("b", "test-b", AuthMethod::Secret)).is_err());
        assert_eq!(crate::files::read_capped(file.path(), 4096).unwrap(), edited.as_bytes());
    }

    #[test]
    fn urls_are_written_re_serialised() {
        let (_dir, file) = file();
        let mut p = Profile::new("a", "test-a", AuthMethod::Secret);
        p.token_url = "HTTPS://Secure.Stitch.Money/connect/token".into();
        file.add(p).unwrap();
        assert_eq!(file.load().unwrap()[0].token_url, crate::STITCH_TOKEN_URL);
        let written = crate::files::read_capped(file.path(), 4096).unwrap();
        assert!(!String::from_utf8(written).unwrap().contains("Secure"));
    }

    #[test]
    fn names_that_fold_alike_cannot_both_be_saved() {
        let (_dir, file) = file();
        file.add(Profile::new("Shop live", "test-a", AuthMethod::Secret)).unwrap();
        for similar in ["shop LIVE", "Ｓhop live"] {
            let e = file.add(Profile::new(similar, "test-b", AuthMethod::Secret)).unwrap_err();
            assert!(matches!(e, SettingsError::NameTooSimilar { .. }), "{similar}: {e:?}");
        }
        assert_eq!(file.load().unwrap().len(), 1);
    }

    #[test]
    fn a_failed_change_leaves_the_file_as_it_was() {
        let (_dir, file) = file();
        file.add(Profile::new("a", "test-a", AuthMethod::Secret)).unwrap();
        let before = crate::files::read_capped(file.path(), 4096).unwrap();
        let e = file.update(|profiles| {
            profiles.clear();
            Err::<(), _>(SettingsError::NotFound("x".into()))
        });
        assert!(e.is_err());
        let bad = file.update(|profiles| {
            profiles[0].token_url = "http://example.com/token".into();
            Ok(())
        });
        assert!(matches!(bad, Err(SettingsError::Profile(_))));
        assert_eq!(crate::files::read_capped(file.path(), 4096).unwrap(), before);
    }
}
