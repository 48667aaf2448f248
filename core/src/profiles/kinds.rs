//! The small values a profile's fields take: its environment, how its client authenticates,
//! what may be shown about its certificate, and the day a secret was issued.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// Whether a profile talks to Stitch's test or live environment. A live client moves real
/// money, so the window and the command line make a live profile unmistakable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    Test,
    Live,
}

impl Environment {
    /// What a client id suggests: Stitch's test clients are named `test-…`.
    pub fn suggested_for(client_id: &str) -> Self {
        if client_id.trim().starts_with("test-") {
            Environment::Test
        } else {
            Environment::Live
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Test => "test",
            Environment::Live => "live",
        }
    }
}

/// How the client authenticates (Stitch offers both; RFC 6749 §2.3.1 and RFC 7523 §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// `client_secret` in the form body.
    Secret,
    /// A client assertion signed with the certificate's key.
    Certificate,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Secret => "secret",
            AuthMethod::Certificate => "certificate",
        }
    }
}

/// What may be shown about the certificate kept in the keyring for a profile (nothing
/// secret): kept in the settings so reminders need no keyring access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSummary {
    pub subject: String,
    /// SHA-1 thumbprint, uppercase hex (the assertion's `kid`).
    pub thumbprint: String,
    #[serde(with = "crate::token::rfc3339_time")]
    pub not_after: SystemTime,
}

impl From<&crate::certificate::CertificateFacts> for CertificateSummary {
    fn from(f: &crate::certificate::CertificateFacts) -> Self {
        Self { subject: f.subject.clone(), thumbprint: f.thumbprint.clone(), not_after: f.not_after }
    }
}

/// A calendar date (`YYYY-MM-DD`), e.g. the day Stitch issued a client secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IssuedOn(pub time::Date);

impl IssuedOn {
    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
        time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok().map(IssuedOn)
    }
}

impl std::fmt::Display for IssuedOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl Serialize for IssuedOn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IssuedOn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        IssuedOn::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a date (YYYY-MM-DD)")))
    }
}
