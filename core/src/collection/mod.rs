//! Collections for the integrator's own tool, made from the current settings: a Postman
//! Collection v2.1 file (Postman, newman), a Bruno collection folder, or an `.http` file
//! (httpyac). Each gets a client token exactly as Stitch documents it and calls the API with
//! it, and fails when either fails. The credential is a variable the integrator fills in when
//! running it: a secret, a private key or a token is never written into a collection.
//!
//! Making one is a pure function of the settings ([`make`]); [`save`] writes it atomically
//! and never over something that is not a collection of the same kind.

mod bruno;
mod http_file;
mod postman;
mod signing;
pub mod variables;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::snippet::Settings;

/// The tools a collection is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Postman,
    Bruno,
    Http,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Postman, Format::Bruno, Format::Http];

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Postman => "Postman collection",
            Format::Bruno => "Bruno collection",
            Format::Http => ".http file",
        }
    }

    /// The name a save dialog suggests.
    pub fn suggested_name(self) -> &'static str {
        match self {
            Format::Postman => "stitch-client-token.postman_collection.json",
            Format::Bruno => "stitch-client-token",
            Format::Http => "stitch-client-token.http",
        }
    }

    /// The extension a save dialog filters on (a Bruno collection is a folder: none).
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Format::Postman => Some("json"),
            Format::Bruno => None,
            Format::Http => Some("http"),
        }
    }

    /// How the integrator runs it, `THIS` standing for the file or folder.
    pub fn run_command(self, flow: crate::snippet::Flow) -> &'static str {
        use crate::snippet::Flow;
        match (self, flow) {
            (Format::Postman, Flow::Secret) => "newman run THIS --env-var \"client_secret=$STITCH_CLIENT_SECRET\"",
            (Format::Postman, Flow::Certificate) => {
                "newman run THIS --env-var \"access_token=$(token-desk token --certificate client.pem ...)\""
            }
            (Format::Bruno, Flow::Secret) => "cd THIS && bru run -r --env-var \"client_secret=$STITCH_CLIENT_SECRET\"",
            (Format::Bruno, Flow::Certificate) => {
                "cd THIS && bru run -r --sandbox developer --env-var certificate_path=/path/to/client.pem"
            }
            (Format::Http, Flow::Secret) => {
                "httpyac send THIS --all --bail --var \"client_secret=$STITCH_CLIENT_SECRET\""
            }
            (Format::Http, Flow::Certificate) => {
                "httpyac send THIS --all --bail --var certificate_path=/path/to/client.pem"
            }
        }
    }
}

/// A collection made, not yet written: one file, or a folder of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Collection {
    File(String),
    /// (path inside the folder, text)
    Folder(Vec<(String, String)>),
}

/// What can go wrong making or saving a collection, each saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum CollectionError {
    #[error("Type the client ID first: the collection is made for one client.")]
    NoClientId,
    /// A setting without the shape Token Desk allows ([`Settings::checked`]).
    #[error("{0}")]
    Setting(String),
    /// A value the tool would interpolate or run: each format's encoder refuses it.
    #[error(transparent)]
    Value(#[from] variables::ValueError),
    #[error("{} already exists: choose another name or folder (or, on the command line, add --force to replace it).", .0.display())]
    Exists(PathBuf),
    #[error("{path} is not a {1}, so it is left alone even with --force: choose another name.", path = .0.display())]
    NotReplaceable(PathBuf, &'static str),
    #[error("Could not write {path}: {1}. Check that the folder exists and that you may write there.", path = .0.display())]
    Write(PathBuf, std::io::Error),
}

/// The collection for `format` from `s`: a pure function of the settings. Refuses an empty
/// client ID, settings without the shapes allowed ([`Settings::checked`]: URLs are written
/// re-serialised), and any value the tool would interpolate or run (each format's one
/// encoder: `postman_value`, `bru_value`, `http_file_value`).
pub fn make(format: Format, s: &Settings) -> Result<Collection, CollectionError> {
    if s.client_id.trim().is_empty() {
        return Err(CollectionError::NoClientId);
    }
    let s = s.checked().map_err(|f| CollectionError::Setting(f.message))?;
    Ok(match format {
        Format::Postman => Collection::File(postman::collection(&s)?),
        Format::Bruno => Collection::Folder(bruno::files(&s)?),
        Format::Http => Collection::File(http_file::file(&s)?),
    })
}

/// Writes `collection` at `out`, atomically: into a temporary name beside it, then renamed
/// into place, so a crash leaves the old file or folder or the new one, never half of one.
/// Something already at `out` is refused, unless `force`; even then only a regular file (for
/// a file) or a Bruno collection folder (one holding `bruno.json`, for a folder) is replaced:
/// `--force` with a mistyped path never deletes anything else.
pub fn save(collection: &Collection, out: &Path, force: bool) -> Result<(), CollectionError> {
    let io = |e: std::io::Error| CollectionError::Write(out.to_owned(), e);
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("collection");
    let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    match collection {
        Collection::File(text) => {
            let existing = std::fs::symlink_metadata(out).ok();
            match existing {
                Some(m) if !m.file_type().is_file() => {
                    return Err(CollectionError::NotReplaceable(out.to_owned(), "regular file"));
                }
                Some(_) if !force => return Err(CollectionError::Exists(out.to_owned())),
                _ => {}
            }
            let written = write_file(&temp, text).and_then(|()| {
                if force {
                    std::fs::rename(&temp, out)
                } else {
                    // A hard link fails if `out` appeared meanwhile: never clobbers.
                    std::fs::hard_link(&temp, out).and_then(|()| std::fs::remove_file(&temp))
                }
            });
            if written.is_err() {
                let _ = std::fs::remove_file(&temp);
            }
            written.map_err(io)
        }
        Collection::Folder(files) => {
            let existing = std::fs::symlink_metadata(out).ok();
            match existing {
                Some(m) if !(m.is_dir() && out.join("bruno.json").is_file()) => {
                    return Err(CollectionError::NotReplaceable(out.to_owned(), "Bruno collection folder"));
                }
                Some(_) if !force => return Err(CollectionError::Exists(out.to_owned())),
                _ => {}
            }
            let written = write_folder(&temp, files).and_then(|()| match existing {
                None => std::fs::rename(&temp, out),
                Some(_) => {
                    // Move the old folder aside, the new one in, then drop the old one.
                    let old = dir.join(format!(".{name}.{}.old", uuid::Uuid::new_v4().simple()));
                    std::fs::rename(out, &old)?;
                    if let Err(e) = std::fs::rename(&temp, out) {
                        let _ = std::fs::rename(&old, out);
                        return Err(e);
                    }
                    std::fs::remove_dir_all(&old)
                }
            });
            if written.is_err() {
                let _ = std::fs::remove_dir_all(&temp);
            }
            written.map_err(io)
        }
    }
}

fn write_file(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn write_folder(path: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    std::fs::create_dir(path)?;
    for (name, text) in files {
        write_file(&path.join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::Scopes;
    use crate::snippet::Flow;

    fn settings(flow: Flow) -> Settings {
        Settings {
            client_id: "test-abc".into(),
            scopes: Scopes::parse(["client_paymentrequest"]),
            token_url: "https://secure.stitch.money/connect/token".into(),
            audience: "https://secure.stitch.money/connect/token".into(),
            api_url: "https://api.stitch.money/graphql".into(),
            flow,
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_written_and_then_refused_without_force_and_replaced_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("c.json");
        save(&Collection::File("one".into()), &out, false).unwrap();
        let refused = save(&Collection::File("two".into()), &out, false).unwrap_err();
        assert!(matches!(refused, CollectionError::Exists(_)));
        assert!(refused.to_string().contains("--force"), "{refused}");
        assert_eq!(crate::files::read_capped(&out, 64).unwrap(), b"one");
        save(&Collection::File("two".into()), &out, true).unwrap();
        assert_eq!(crate::files::read_capped(&out, 64).unwrap(), b"two");
        assert_eq!(listing(dir.path()), ["c.json"], "no temporary file is left");
    }

    #[test]
    fn a_folder_is_written_whole_and_replaced_only_if_it_is_a_bruno_collection() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("coll");
        let files = |v: &str| Collection::Folder(vec![("bruno.json".into(), v.into()), ("a.bru".into(), v.into())]);
        save(&files("1"), &out, false).unwrap();
        assert_eq!(listing(&out), ["a.bru", "bruno.json"]);
        assert!(matches!(save(&files("2"), &out, false), Err(CollectionError::Exists(_))));
        save(&files("2"), &out, true).unwrap();
        assert_eq!(crate::files::read_capped(&out.join("a.bru"), 64).unwrap(), b"2");
        assert_eq!(listing(dir.path()), ["coll"], "neither the old folder nor a temporary one is left");

        let other = dir.path().join("photos");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("keep.jpg"), "x").unwrap();
        assert!(matches!(save(&files("3"), &other, true), Err(CollectionError::NotReplaceable(..))));
        assert_eq!(listing(&other), ["keep.jpg"]);
    }

    #[test]
    fn a_file_is_never_written_over_a_folder_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            save(&Collection::File("x".into()), dir.path(), true),
            Err(CollectionError::NotReplaceable(..))
        ));
    }

    #[test]
    fn a_write_into_a_missing_folder_says_what_to_check_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = save(&Collection::File("x".into()), &dir.path().join("missing/c.http"), false).unwrap_err();
        assert!(err.to_string().contains("Check that the folder exists"), "{err}");
        assert!(listing(dir.path()).is_empty());
    }

    #[test]
    fn a_collection_needs_a_client_id_and_one_line_values() {
        let mut s = settings(Flow::Secret);
        s.client_id = " ".into();
        assert!(matches!(make(Format::Http, &s), Err(CollectionError::NoClientId)));
        let mut s = settings(Flow::Secret);
        s.token_url = "https://x/\n@client_secret = stolen".into();
        let err = make(Format::Bruno, &s).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The token URL \"https://x/\\n@client_secret = stolen\" contains a line break, which a web address \
             here never holds. Enter the full address without it (it starts with https://)."
        );
    }

    #[test]
    fn the_issues_client_id_never_reaches_an_http_file_and_urls_are_written_re_serialised() {
        let mut s = settings(Flow::Secret);
        s.client_id = "test-{{require('child_process').execSync('id>owned')}}".into();
        for format in Format::ALL {
            let err = make(format, &s).unwrap_err().to_string();
            assert!(err.starts_with("The client ID \"test-{{require("), "{format:?}: {err}");
        }
        let mut s = settings(Flow::Secret);
        s.api_url = "HTTPS://API.Stitch.Money/graphql?a=1&b=(2)".into();
        let Collection::File(text) = make(Format::Http, &s).unwrap() else { panic!("one file") };
        assert!(text.contains("\n@api_url = https://api.stitch.money/graphql?a=1&b=(2)\n"), "{text}");
    }

    #[test]
    fn every_format_and_flow_names_where_the_credential_goes_and_holds_no_credential() {
        for format in Format::ALL {
            for flow in [Flow::Secret, Flow::Certificate] {
                let text = match make(format, &settings(flow)).unwrap() {
                    Collection::File(t) => t,
                    Collection::Folder(files) => files.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join("\n"),
                };
                let named = match (format, flow) {
                    (Format::Postman, Flow::Certificate) => "access_token",
                    (_, Flow::Secret) => "client_secret",
                    (_, Flow::Certificate) => "certificate_path",
                };
                assert!(text.contains(named), "{format:?} {flow:?}");
                assert!(text.contains("never writes a secret"), "{format:?} {flow:?}");
                assert!(!text.contains("-----BEGIN PRIVATE KEY-----"));
            }
        }
    }
}
