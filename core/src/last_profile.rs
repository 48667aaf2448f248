//! The profile the window used last, so it is chosen again on the next start. One small file
//! beside `profiles.json` (`last-profile`, the name alone), kept apart from the profiles
//! themselves: losing it costs nothing but a click.

use std::path::{Path, PathBuf};

use crate::files;

const FILE_NAME: &str = "last-profile";
/// A profile name is at most 64 characters; anything much larger is not ours.
const MAX_BYTES: u64 = 1024;

/// Where the name is kept.
#[derive(Debug, Clone)]
pub struct LastProfile {
    path: PathBuf,
}

impl LastProfile {
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// In the platform's config folder, next to the profiles; `None` when there is none.
    pub fn default_location() -> Option<Self> {
        let dirs = directories::BaseDirs::new()?;
        Some(Self::at(dirs.config_dir().join("token-desk").join(FILE_NAME)))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name kept, if the file exists, is a regular file of sensible size and holds one.
    pub fn read(&self) -> Option<String> {
        let meta = std::fs::symlink_metadata(&self.path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let bytes = files::read_limited(&self.path, MAX_BYTES).ok()?.ok()?;
        let name = String::from_utf8(bytes).ok()?.trim().to_owned();
        (!name.is_empty()).then_some(name)
    }

    /// Keeps `name`, or forgets it when `None` ("No profile" was chosen).
    pub fn write(&self, name: Option<&str>) -> std::io::Result<()> {
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => files::write_atomically(&self.path, name.as_bytes()),
            None => match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_written_is_read_back_and_forgotten_on_none() {
        let dir = tempfile::tempdir().unwrap();
        let last = LastProfile::at(dir.path().join("token-desk").join(FILE_NAME));
        assert_eq!(last.read(), None);
        last.write(Some("Demo client")).unwrap();
        assert_eq!(last.read().as_deref(), Some("Demo client"));
        last.write(None).unwrap();
        assert_eq!(last.read(), None);
        last.write(None).unwrap();
    }

    #[test]
    fn a_huge_file_or_a_folder_in_its_place_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "x".repeat(5000)).unwrap();
        assert_eq!(LastProfile::at(&path).read(), None);
        let folder = dir.path().join("folder");
        std::fs::create_dir(&folder).unwrap();
        assert_eq!(LastProfile::at(&folder).read(), None);
    }
}
