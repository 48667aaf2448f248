//! A client token as received, with when it was asked for and what it may do.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use crate::scope::Scopes;

/// The `access_token` string. Opaque: never parsed, whatever its shape (RFC 6749 §1.4).
/// Its `Debug` shows only the ends, so a token in a log cannot be replayed. It has no
/// `Display` and no `Serialize`: an output that shows the token (the one the user asked for)
/// or a store that keeps it takes [`AccessToken::as_str`] explicitly.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first and last few characters with an ellipsis between, for screens and logs.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() <= 12 {
            return "•".repeat(chars.len().min(8));
        }
        let head: String = chars[..4].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}…{tail}")
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessToken({})", self.masked())
    }
}

/// A token from a successful client-credentials request (RFC 6749 §4.4.3, §5.1). Like
/// [`AccessToken`] it cannot be serialized; what is kept or shown of it is copied out
/// field by field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Token {
    pub access_token: AccessToken,
    /// Usually `Bearer`.
    pub token_type: String,
    /// Lifetime in seconds, as the server said (`expires_in`).
    pub expires_in: u64,
    /// True when the server gave no `expires_in` and Stitch's documented hour was assumed.
    #[serde(default)]
    pub lifetime_assumed: bool,
    /// When the request was *sent*: the lifetime counts from here, so a slow answer
    /// never makes us believe a token lives longer than it does.
    #[serde(with = "rfc3339_time")]
    pub issued_at: SystemTime,
    #[serde(with = "rfc3339_time")]
    pub expires_at: SystemTime,
    /// What the server granted (`scope`); the requested scopes when it did not say (§5.1).
    pub granted: Scopes,
    pub requested: Scopes,
}

impl Token {
    /// Requested scopes that were not granted.
    pub fn not_granted(&self) -> Vec<String> {
        self.requested.missing_from(&self.granted)
    }

    /// Time left at `now`; zero once expired.
    pub fn remaining_at(&self, now: SystemTime) -> Duration {
        self.expires_at.duration_since(now).unwrap_or_default()
    }
}

/// Serde for `SystemTime` as RFC 3339 text, the form people and scripts read.
pub mod rfc3339_time {
    use std::time::SystemTime;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::clock::rfc3339(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let text = String::deserialize(d)?;
        let t = time::OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339)
            .map_err(serde::de::Error::custom)?;
        Ok(t.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_token_is_masked_to_its_ends() {
        let t = AccessToken::new("udfc_WxDqxwfs5IKNHYohqGDZ9vwmyENvQYN7_cjW6M");
        assert_eq!(t.masked(), "udfc…jW6M");
        assert_eq!(format!("{t:?}"), "AccessToken(udfc…jW6M)");
    }

    #[test]
    fn a_short_token_is_masked_entirely() {
        assert_eq!(AccessToken::new("abc").masked(), "•••");
    }
}
