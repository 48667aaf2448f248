//! Handing a colleague a ready-made setup: profiles exported to a JSON file and imported from
//! one, never with a secret (a [`Profile`] cannot hold one; the colleague adds their own).
//!
//! Import is two steps so nothing happens by surprise: [`plan_import`] says what would be
//! added and which names clash with existing profiles, then [`SettingsFile::import`] adds only
//! the new ones. An existing profile is never overwritten. A malformed or hostile file is
//! refused whole before anything changes (see [`super::document`]).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::document::{self, DocumentError};
use super::settings::{SettingsError, SettingsFile};
use super::Profile;
use crate::files;

/// Why an export or import did not happen. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error("Cannot import {path}: {problem}. Nothing was changed.")]
    Unreadable { path: PathBuf, problem: DocumentError },
    #[error("Cannot read {path} ({cause}). Nothing was changed.")]
    Read { path: PathBuf, cause: String },
    #[error("Cannot write {path} ({cause}).")]
    Write { path: PathBuf, cause: String },
}

/// A profile in the file whose name is already used here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub name: String,
    /// The fields that differ between the profile here and the one in the file.
    pub differences: Vec<&'static str>,
}

/// What importing a file would do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImportPlan {
    /// Profiles with new names: these will be added.
    pub add: Vec<Profile>,
    /// Names already here with the same content: nothing to do.
    pub unchanged: Vec<String>,
    /// Names already here with other content: left alone (rename or remove one first).
    pub conflicts: Vec<Conflict>,
}

/// Writes `profiles` to `path` in the versioned document form, atomically.
pub fn export(profiles: &[Profile], path: &Path) -> Result<(), TransferError> {
    files::write_atomically(path, &document::render(profiles))
        .map_err(|e| TransferError::Write { path: path.to_owned(), cause: e.kind().to_string() })
}

/// Reads and checks an export file (size-capped before reading).
pub fn read(path: &Path) -> Result<Vec<Profile>, TransferError> {
    let unreadable = |problem| TransferError::Unreadable { path: path.to_owned(), problem };
    let bytes = match files::read_limited(path, document::MAX_FILE_BYTES) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(size)) => return Err(unreadable(DocumentError::TooLarge(size))),
        Err(e) => return Err(TransferError::Read { path: path.to_owned(), cause: e.kind().to_string() }),
    };
    document::parse(&bytes).map_err(unreadable)
}

/// What importing `incoming` next to `existing` would do.
pub fn plan_import(existing: &[Profile], incoming: Vec<Profile>) -> ImportPlan {
    let mut plan = ImportPlan::default();
    for p in incoming {
        match existing.iter().find(|e| e.name == p.name) {
            None => plan.add.push(p),
            Some(e) if *e == p => plan.unchanged.push(p.name),
            Some(e) => plan.conflicts.push(Conflict { name: p.name.clone(), differences: differences(e, &p) }),
        }
    }
    plan
}

fn differences(a: &Profile, b: &Profile) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |differs: bool, field| {
        if differs {
            out.push(field);
        }
    };
    check(a.environment != b.environment, "environment");
    check(a.client_id != b.client_id, "client_id");
    check(a.auth != b.auth, "auth");
    check(a.scopes != b.scopes, "scopes");
    check(a.token_url != b.token_url, "token_url");
    check(a.audience != b.audience, "audience");
    check(a.api_url != b.api_url, "api_url");
    check(a.secret_issued_on != b.secret_issued_on, "secret_issued_on");
    check(a.certificate != b.certificate, "certificate");
    out
}

impl SettingsFile {
    /// Adds the plan's new profiles, all at once. A name taken since the plan was made is
    /// skipped, not overwritten. Returns the names added.
    pub fn import(&self, plan: &ImportPlan) -> Result<Vec<String>, SettingsError> {
        self.update(|profiles| {
            let mut added = Vec::new();
            for p in &plan.add {
                if !profiles.iter().any(|e| e.name == p.name) {
                    profiles.push(p.clone());
                    added.push(p.name.clone());
                }
            }
            Ok(added)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::AuthMethod;

    #[test]
    fn a_plan_adds_new_names_and_leaves_clashing_ones_alone() {
        let here =
            vec![Profile::new("a", "test-a", AuthMethod::Secret), Profile::new("b", "test-b", AuthMethod::Secret)];
        let mut changed_b = here[1].clone();
        changed_b.client_id = "test-other".into();
        let incoming = vec![here[0].clone(), changed_b, Profile::new("c", "test-c", AuthMethod::Certificate)];
        let plan = plan_import(&here, incoming);
        assert_eq!(plan.add.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["c"]);
        assert_eq!(plan.unchanged, ["a"]);
        assert_eq!(plan.conflicts, [Conflict { name: "b".into(), differences: vec!["client_id"] }]);
    }
}
