//! The JSON form of a list of profiles, shared by the settings file and export files:
//! `{"version": 1, "profiles": [...]}`. The version lets a later Token Desk migrate what an
//! earlier one wrote; a file from a *newer* Token Desk is refused rather than misread.
//!
//! Reading is strict because export files come from other people: a size cap, a cap on the
//! number of profiles, no unknown fields (a `client_secret` field is refused, not carried
//! along), and every profile checked ([`Profile::checked`]: names, client ids and scope names
//! of the shapes allowed, URLs parsed and kept re-serialised). Anything wrong refuses the
//! whole file.

use serde::{Deserialize, Serialize};

use super::{Profile, ProfileError};

/// The format this Token Desk writes.
pub const FORMAT_VERSION: u64 = 1;
/// A profiles file larger than this is not one (a profile takes about 400 bytes).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// More profiles than anyone keeps; a file with more is refused.
pub const MAX_PROFILES: usize = 200;

/// Why a profiles file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the file is {0} bytes, far too large for a profiles file (at most {MAX_FILE_BYTES})")]
    TooLarge(u64),
    #[error("the file is not valid JSON ({0})")]
    NotJson(String),
    #[error("the file is not a Token Desk profiles file (expected {{\"version\": 1, \"profiles\": [...]}})")]
    NotProfiles,
    #[error("the file was written by a newer Token Desk (format version {0}; this one reads up to {FORMAT_VERSION}). Update Token Desk")]
    NewerVersion(u64),
    #[error("the file has an unknown format version ({0})")]
    UnknownVersion(String),
    #[error("the file holds {0} profiles; at most {MAX_PROFILES} are accepted")]
    TooMany(usize),
    #[error("the file's profiles are not in the expected form ({0})")]
    Malformed(String),
    /// (Its sentence without the full stop: the file's messages add their own.)
    #[error("{}", .0.to_string().trim_end_matches('.'))]
    Profile(#[from] ProfileError),
    #[error("the file holds two profiles named {0:?}")]
    DuplicateName(String),
}

#[derive(Serialize)]
struct Written<'a> {
    version: u64,
    profiles: &'a [Profile],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Version1 {
    #[allow(dead_code)]
    version: u64,
    profiles: Vec<Profile>,
}

/// The document for `profiles` in the current format, pretty-printed.
pub fn render(profiles: &[Profile]) -> Vec<u8> {
    let mut out =
        serde_json::to_vec_pretty(&Written { version: FORMAT_VERSION, profiles }).expect("profiles always serialize");
    out.push(b'\n');
    out
}

/// Reads a document of any known version, migrated to the current one, and checks it whole.
pub fn parse(bytes: &[u8]) -> Result<Vec<Profile>, DocumentError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(DocumentError::TooLarge(bytes.len() as u64));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| DocumentError::NotJson(e.to_string()))?;
    let object = value.as_object().ok_or(DocumentError::NotProfiles)?;
    let version = match object.get("version") {
        Some(serde_json::Value::Number(n)) => n.as_u64().ok_or_else(|| DocumentError::UnknownVersion(n.to_string()))?,
        Some(other) => return Err(DocumentError::UnknownVersion(other.to_string().chars().take(40).collect())),
        None => return Err(DocumentError::NotProfiles),
    };
    let count = match object.get("profiles") {
        Some(serde_json::Value::Array(list)) => list.len(),
        _ => return Err(DocumentError::NotProfiles),
    };
    if count > MAX_PROFILES {
        return Err(DocumentError::TooMany(count));
    }
    // Every profile checked, and kept with its URLs re-serialised (never as the file spells
    // them): what is used and written again is what was checked.
    let profiles = migrate(version, bytes)?.into_iter().map(Profile::checked).collect::<Result<Vec<_>, _>>()?;
    let mut names = std::collections::HashSet::new();
    for p in &profiles {
        if !names.insert(super::folded_name(&p.name)) {
            return Err(DocumentError::DuplicateName(p.name.clone()));
        }
    }
    Ok(profiles)
}

/// The migration hook: one arm per format version ever written, each bringing its document
/// to the current form.
fn migrate(version: u64, bytes: &[u8]) -> Result<Vec<Profile>, DocumentError> {
    match version {
        1 => {
            // Typed from the bytes (not the parsed value) so errors carry line and column.
            let doc: Version1 = serde_json::from_slice(bytes).map_err(|e| DocumentError::Malformed(e.to_string()))?;
            Ok(doc.profiles)
        }
        newer if newer > FORMAT_VERSION => Err(DocumentError::NewerVersion(newer)),
        other => Err(DocumentError::UnknownVersion(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::AuthMethod;

    fn sample() -> Vec<Profile> {
        let mut a = Profile::new("Shop test", "test-abc", AuthMethod::Secret);
        a.scopes = crate::scope::Scopes::parse(["client_paymentrequest client_refund"]);
        a.secret_issued_on = super::super::IssuedOn::parse("2025-03-01");
        vec![a, Profile::new("Payouts live", "2f5c-live", AuthMethod::Certificate)]
    }

    #[test]
    fn a_rendered_document_reads_back_the_same() {
        let profiles = sample();
        let text = render(&profiles);
        assert!(String::from_utf8_lossy(&text).starts_with("{\n  \"version\": 1,"));
        assert_eq!(parse(&text).unwrap(), profiles);
    }

    #[test]
    fn a_newer_version_is_refused_with_a_clear_message() {
        let e = parse(br#"{"version": 7, "profiles": []}"#).unwrap_err();
        assert_eq!(e, DocumentError::NewerVersion(7));
        assert!(e.to_string().contains("newer Token Desk"), "{e}");
    }

    #[test]
    fn hostile_documents_are_refused() {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("not json", b"{".to_vec()),
            ("array", b"[]".to_vec()),
            ("no version", br#"{"profiles": []}"#.to_vec()),
            ("string version", br#"{"version": "1", "profiles": []}"#.to_vec()),
            ("version 0", br#"{"version": 0, "profiles": []}"#.to_vec()),
            ("negative version", br#"{"version": -1, "profiles": []}"#.to_vec()),
            ("profiles not a list", br#"{"version": 1, "profiles": {}}"#.to_vec()),
            ("wrong type", br#"{"version": 1, "profiles": [{"name": 5, "environment": "test", "client_id": "x", "auth": "secret"}]}"#.to_vec()),
            ("unknown environment", br#"{"version": 1, "profiles": [{"name": "a", "environment": "prod", "client_id": "x", "auth": "secret"}]}"#.to_vec()),
            ("a secret field", br#"{"version": 1, "profiles": [{"name": "a", "environment": "test", "client_id": "x", "auth": "secret", "client_secret": "s"}]}"#.to_vec()),
            ("control characters", br#"{"version": 1, "profiles": [{"name": "a\u001b[2J", "environment": "test", "client_id": "x", "auth": "secret"}]}"#.to_vec()),
            ("plain http", br#"{"version": 1, "profiles": [{"name": "a", "environment": "test", "client_id": "x", "auth": "secret", "token_url": "http://evil.example/token"}]}"#.to_vec()),
            ("duplicate", br#"{"version": 1, "profiles": [{"name": "a", "environment": "test", "client_id": "x", "auth": "secret"}, {"name": "a", "environment": "test", "client_id": "y", "auth": "secret"}]}"#.to_vec()),
            ("extra top-level field", br#"{"version": 1, "profiles": [], "run": "rm -rf /"}"#.to_vec()),
            ("huge", vec![b' '; MAX_FILE_BYTES as usize + 1]),
        ];
        for (label, bytes) in cases {
            assert!(parse(&bytes).is_err(), "{label} was accepted");
        }
        let many: Vec<String> = (0..=MAX_PROFILES)
            .map(|i| format!(r#"{{"name": "p{i}", "environment": "test", "client_id": "x", "auth": "secret"}}"#))
            .collect();
        let doc = format!(r#"{{"version": 1, "profiles": [{}]}}"#, many.join(","));
        assert_eq!(parse(doc.as_bytes()).unwrap_err(), DocumentError::TooMany(MAX_PROFILES + 1));
    }

    #[test]
    fn missing_optional_fields_take_stitchs_defaults() {
        let p = parse(br#"{"version": 1, "profiles": [{"name": "a", "environment": "live", "client_id": "x", "auth": "certificate"}]}"#)
            .unwrap()
            .remove(0);
        assert_eq!(p.token_url, crate::STITCH_TOKEN_URL);
        assert_eq!(p.api_url, crate::STITCH_API_URL);
        assert!(p.scopes.is_empty() && p.audience.is_none());
    }
}
