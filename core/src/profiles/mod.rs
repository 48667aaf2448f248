//! Saved client profiles: a name for a Stitch client and everything needed to ask for its
//! tokens, except the secret. Staff keep a test client per product (and sometimes a live one)
//! and should not retype a secret every morning.
//!
//! - [`Profile`] is what a profile holds; nothing in it is secret, so it may be written to the
//!   settings file and exported.
//! - [`document`] is the versioned JSON form (settings file and export file alike).
//! - [`settings`] is the settings file in the platform's config folder, written atomically.
//! - [`transfer`] exports and imports profiles, never overwriting silently.
//! - [`crate::keyring::profile_secrets`] keeps each profile's secret or certificate in the
//!   OS keyring.
//! - [`reminders`] warns 30 days before a certificate or a secret expires.
//! - [`changes`] adds, renames, duplicates and removes a profile together with its secret
//!   (and, on removal or a new secret, its kept tokens).
//! - [`form`] is the window's "Save profile" form and the profile it describes, checked.
//! - `kinds` holds the small values a profile's fields take ([`Environment`], [`AuthMethod`],
//!   [`CertificateSummary`], [`IssuedOn`]).

pub mod changes;
pub mod document;
pub mod form;
mod kinds;
pub mod reminders;
pub mod settings;
#[cfg(test)]
mod tests;
pub mod transfer;

pub use kinds::{AuthMethod, CertificateSummary, Environment, IssuedOn};

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::request::{check_url, Credential, RequestInput};
use crate::scope::Scopes;

/// The longest profile name, in characters: enough for "Shop checkout (live, Cape Town)".
pub const MAX_NAME_CHARS: usize = 64;
/// The most scopes one profile may hold (Stitch has eight client scopes).
pub const MAX_SCOPES: usize = 32;
const MAX_FIELD_CHARS: usize = 2048;

/// A saved client. Never holds a secret: those live in the OS keyring ([`crate::keyring::profile_secrets`]).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub environment: Environment,
    pub client_id: String,
    pub auth: AuthMethod,
    /// Scopes requested when none are given.
    #[serde(default)]
    pub scopes: Scopes,
    /// Default: [`crate::STITCH_TOKEN_URL`].
    #[serde(default = "default_token_url")]
    pub token_url: String,
    /// Default: the token URL, as Stitch requires.
    pub audience: Option<String>,
    /// Default: [`crate::STITCH_API_URL`].
    #[serde(default = "default_api_url")]
    pub api_url: String,
    /// When Stitch issued the client secret: secrets expire after two years.
    pub secret_issued_on: Option<IssuedOn>,
    /// The certificate in the keyring, described (certificate profiles).
    pub certificate: Option<CertificateSummary>,
    /// A company CA file to trust as well ([`crate::network::CompanyCa`]), read when used.
    pub ca_file: Option<String>,
    /// A proxy for every request of this profile, loopback included; never with credentials
    /// (the settings file is plain text).
    pub proxy: Option<String>,
    /// The deadline of one token request in seconds (default 30).
    pub timeout_secs: Option<u64>,
}

fn default_token_url() -> String {
    crate::STITCH_TOKEN_URL.to_owned()
}

fn default_api_url() -> String {
    crate::STITCH_API_URL.to_owned()
}

/// Why a profile cannot be saved as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("The profile name {0}.")]
    BadName(String),
    #[error("The client ID of profile {name:?} {problem}.")]
    BadClientId { name: String, problem: String },
    #[error("Profile {name:?} has a scope {scope} that {problem}.")]
    BadScope { name: String, scope: String, problem: String },
    #[error("Profile {name:?} has more than {MAX_SCOPES} scopes.")]
    TooManyScopes { name: String },
    #[error("Profile {name:?}: {message}")]
    BadUrl { name: String, message: String },
    #[error("Profile {name:?} has an unreadable {field}.")]
    BadField { name: String, field: &'static str },
    #[error("Profile {name:?}: {message}")]
    BadNetwork { name: String, message: String },
    #[error(
        "A proxy address with a user name or password is not saved in profile {name:?}: the settings file is \
         plain text. Save the proxy without them (http://host:port); when you use the profile, give the user \
         name with --proxy http://user@host:port and the password with --proxy-password-env VAR or \
         --proxy-password-prompt, or both in the window's Advanced section (the password in its own field)."
    )]
    ProxyWithCredentials { name: String },
}

impl Profile {
    /// A profile with Stitch's default URLs, the environment its client id suggests, and no
    /// scopes yet.
    pub fn new(name: impl Into<String>, client_id: impl Into<String>, auth: AuthMethod) -> Self {
        let client_id = client_id.into().trim().to_owned();
        Self {
            name: name.into().trim().to_owned(),
            environment: Environment::suggested_for(&client_id),
            client_id,
            auth,
            scopes: Scopes::default(),
            token_url: default_token_url(),
            audience: None,
            api_url: default_api_url(),
            secret_issued_on: None,
            certificate: None,
            ca_file: None,
            proxy: None,
            timeout_secs: None,
        }
    }

    /// Checks every field, so a damaged or hostile file is refused whole: the name
    /// ([`check_name`]), the client id and scope names (the shape of Stitch's, see
    /// [`crate::scope::check_word`]), the URLs ([`check_url`]), the network settings and the
    /// certificate's description. Each refusal names the profile and the field.
    pub fn validate(&self) -> Result<(), ProfileError> {
        check_name(&self.name)?;
        let name = || self.name.clone();
        if let Err(problem) = crate::scope::check_word(&self.client_id) {
            let problem = match problem {
                crate::scope::WordError::Character(_) => {
                    format!("({}) {problem}", crate::scope::quoted(&self.client_id))
                }
                other => other.to_string(),
            };
            return Err(ProfileError::BadClientId { name: name(), problem });
        }
        if self.scopes.iter().count() > MAX_SCOPES {
            return Err(ProfileError::TooManyScopes { name: name() });
        }
        if let Some((bad, problem)) = self.scopes.first_malformed() {
            return Err(ProfileError::BadScope {
                name: name(),
                scope: crate::scope::quoted(bad),
                problem: problem.to_string(),
            });
        }
        self.urls()?;
        self.validate_network()?;
        if let Some(c) = &self.certificate {
            let thumbprint_ok = c.thumbprint.len() == 40 && c.thumbprint.chars().all(|ch| ch.is_ascii_hexdigit());
            if !thumbprint_ok || c.subject.len() > MAX_FIELD_CHARS || c.subject.chars().any(char::is_control) {
                return Err(ProfileError::BadField { name: name(), field: "certificate description" });
            }
        }
        Ok(())
    }

    /// The token URL, the audience (when set) and the API URL, each checked ([`check_url`])
    /// and re-serialised.
    fn urls(&self) -> Result<(url::Url, Option<url::Url>, url::Url), ProfileError> {
        let check = |raw: &str, what: &str| {
            check_url(raw, what).map_err(|f| ProfileError::BadUrl { name: self.name.clone(), message: f.message })
        };
        let audience = match &self.audience {
            Some(a) => Some(check(a, "audience")?),
            None => None,
        };
        Ok((check(&self.token_url, "token URL")?, audience, check(&self.api_url, "API URL")?))
    }

    /// This profile as it is kept and used: checked ([`Profile::validate`]), its client id
    /// trimmed and its URLs in their re-serialised form, never as they were typed or read.
    pub fn checked(mut self) -> Result<Self, ProfileError> {
        self.client_id = self.client_id.trim().to_owned();
        let (token_url, audience, api_url) = self.urls()?;
        self.token_url = token_url.into();
        self.audience = audience.map(String::from);
        self.api_url = api_url.into();
        self.validate()?;
        Ok(self)
    }

    fn validate_network(&self) -> Result<(), ProfileError> {
        let bad = |e: crate::network::NetworkError| ProfileError::BadNetwork {
            name: self.name.clone(),
            message: e.to_string(),
        };
        if let Some(p) = &self.proxy {
            if crate::network::ProxyUrl::parse(p).map_err(bad)?.has_credentials() {
                return Err(ProfileError::ProxyWithCredentials { name: self.name.clone() });
            }
        }
        if let Some(t) = self.timeout_secs {
            crate::network::timeout_from_secs(t).map_err(bad)?;
        }
        if let Some(f) = &self.ca_file {
            if f.trim().is_empty() || f.len() > MAX_FIELD_CHARS || f.chars().any(char::is_control) {
                return Err(ProfileError::BadField { name: self.name.clone(), field: "company CA file" });
            }
        }
        Ok(())
    }

    /// The network settings this profile asks for, its CA file read and checked now.
    pub fn network(&self) -> Result<crate::network::NetworkSettings, crate::network::NetworkError> {
        crate::network::NetworkSettings::read(
            self.ca_file.as_deref().map(std::path::Path::new),
            self.proxy.as_deref(),
            self.timeout_secs,
        )
    }

    /// Keeps `network` (as the window has it) in this profile: the CA file's path, the proxy
    /// and the deadline. A proxy with credentials is refused: they would be written in clear.
    pub fn set_network(&mut self, network: &crate::network::NetworkSettings) -> Result<(), ProfileError> {
        if network.proxy.as_ref().is_some_and(|p| p.has_credentials()) {
            return Err(ProfileError::ProxyWithCredentials { name: self.name.clone() });
        }
        self.ca_file = network.ca.as_ref().map(|ca| ca.path().display().to_string());
        self.proxy = network.proxy.as_ref().map(|p| p.shown());
        self.timeout_secs = network.timeout.map(|t| t.as_secs());
        Ok(())
    }

    /// The request this profile makes with `credential`; `scopes` replaces the profile's
    /// default scopes when not empty.
    pub fn request_input(&self, credential: Credential, scopes: Option<Scopes>) -> RequestInput {
        RequestInput {
            client_id: self.client_id.clone(),
            scopes: self.scopes_for(scopes),
            token_url: Some(self.token_url.clone()),
            audience: self.audience.clone(),
            credential,
        }
    }

    /// The scopes a request for this profile asks for: `requested` when it names any, else
    /// the profile's own.
    pub fn scopes_for(&self, requested: Option<Scopes>) -> Scopes {
        requested.filter(|s| !s.is_empty()).unwrap_or_else(|| self.scopes.clone())
    }

    /// True when the environment does not match what the client id suggests (a live profile
    /// with a `test-` client, or the reverse): worth a warning when the profile is made.
    pub fn environment_looks_wrong(&self) -> bool {
        self.environment != Environment::suggested_for(&self.client_id)
    }
}

/// Characters a profile name never holds: they mean something to a shell, to the templates of
/// collection tools (`{{…}}`, `${…}`) or to HTML, and no one needs them to tell clients apart.
const NOT_IN_NAMES: [char; 9] = ['{', '}', '$', '`', '\'', '"', '\\', '<', '>'];

/// Checks a profile name: 1 to 64 characters after trimming, made of letters, digits, spaces
/// and punctuation; no control characters (they could rewrite a terminal or hide text), no
/// line breaks, no invisible or direction-changing characters (zero-width spaces and joiners,
/// bidi overrides and isolates, soft hyphens, …: `Shop live\u{200B}` must not pass for
/// `Shop live`), and none of [`NOT_IN_NAMES`]. Returns the trimmed name.
pub fn check_name(name: &str) -> Result<&str, ProfileError> {
    let trimmed = name.trim();
    let shown = || crate::scope::quoted(name);
    if trimmed.is_empty() {
        return Err(ProfileError::BadName("is empty".into()));
    }
    if name.chars().any(char::is_control) {
        return Err(ProfileError::BadName(format!("{} contains control characters or line breaks", shown())));
    }
    if let Some(hidden) = name.chars().find(|&c| is_invisible(c)) {
        return Err(ProfileError::BadName(format!(
            "{} contains an invisible or text-direction character (U+{:04X}) that can make it look like another name; type it again without it",
            shown(),
            hidden as u32
        )));
    }
    if let Some(bad) = name.chars().find(|&c| !is_name_char(c)) {
        return Err(ProfileError::BadName(format!(
            "{} contains {}; use letters, digits, spaces and punctuation other than {{ }} $ ` ' \" \\ < >",
            shown(),
            crate::scope::shown_char(bad)
        )));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(ProfileError::BadName(format!("is longer than {MAX_NAME_CHARS} characters")));
    }
    if trimmed != name {
        return Err(ProfileError::BadName(format!("{} starts or ends with spaces", shown())));
    }
    Ok(trimmed)
}

/// Whether `c` may be part of a profile name: a letter, digit or combining mark of any
/// script, a plain space, ASCII punctuation and symbols other than [`NOT_IN_NAMES`], or the
/// typographic dashes, quotes and dots a phone or a word processor types instead of them.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == ' '
        || matches!(c as u32, 0x0300..=0x036F)
        || (c.is_ascii_punctuation() && !NOT_IN_NAMES.contains(&c))
        || matches!(c, '–' | '—' | '‘' | '’' | '“' | '”' | '…' | '·' | '«' | '»')
}

/// Characters that show nothing, or change the direction of the text around them (Unicode's
/// format characters, Cf, and the fillers and selectors that render as nothing).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFB | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// A name as it is compared with the others: NFKC-normalised (Unicode UAX #15, so `ﬁ` and
/// `fi`, full-width and ordinary letters are one) and case-folded. Two profiles whose names
/// fold alike would look alike, so they are refused.
pub fn folded_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = name.nfkc().flat_map(char::to_lowercase).collect();
    // Lowercasing can produce text that is not NFKC again (e.g. `İ`); fold once more.
    lower.nfkc().collect::<String>().replace('ß', "ss").replace('ς', "σ")
}

/// The first of `names` that folds like `name` ([`folded_name`]), if any.
pub fn similar_name<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = folded_name(name);
    names.into_iter().find(|n| folded_name(n) == folded)
}
