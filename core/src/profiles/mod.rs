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

pub mod changes;
pub mod document;
pub mod form;
pub mod reminders;
pub mod settings;
pub mod transfer;

use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::request::{check_url, Credential, RequestInput};
use crate::scope::Scopes;

/// The longest profile name, in characters: enough for "Shop checkout (live, Cape Town)".
pub const MAX_NAME_CHARS: usize = 64;
/// The most scopes one profile may hold (Stitch has eight client scopes).
pub const MAX_SCOPES: usize = 32;
const MAX_FIELD_CHARS: usize = 2048;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_client_id_suggests_the_test_environment() {
        assert_eq!(Environment::suggested_for("test-5e1f6c0a"), Environment::Test);
        assert_eq!(Environment::suggested_for("5e1f6c0a-8d4b"), Environment::Live);
        assert_eq!(Profile::new("a", " test-x ", AuthMethod::Secret).environment, Environment::Test);
    }

    #[test]
    fn names_with_control_characters_or_nothing_in_them_are_refused() {
        for bad in ["", "   ", "a\nb", "bell\u{7}", "esc\u{1b}[31m", " padded", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_name("Shop checkout (live)").unwrap(), "Shop checkout (live)");
        for hidden in ["Shop live\u{200B}", "Shop\u{202E}evil", "a\u{2066}b", "soft\u{AD}hyphen", "bom\u{FEFF}"] {
            let e = check_name(hidden).unwrap_err();
            assert!(e.to_string().contains("invisible"), "{e}");
        }
        assert!(check_name(&"é".repeat(64)).is_ok());
    }

    #[test]
    fn names_with_template_shell_or_markup_characters_are_refused_and_punctuation_is_allowed() {
        for bad in ["Shop {{7*7}}", "a${X}", "a`id`", "it's", "say \"hi\"", "back\\slash", "<b>", "€ only 😀"] {
            let e = check_name(bad).unwrap_err();
            assert!(e.to_string().starts_with("The profile name \""), "{bad}: {e}");
        }
        for good in ["Shop (live) #1 & co.; 100% [x] = a/b ~ ^ | ! ? @ * + _ -", "Thabo’s shop – test", "Café"] {
            assert_eq!(check_name(good).map(str::len), Ok(good.len()), "{good}");
        }
    }

    #[test]
    fn a_malformed_client_id_or_scope_is_refused_naming_the_profile_and_the_field() {
        let mut p = Profile::new("team", "test-{{require('child_process').execSync('id')}}", AuthMethod::Secret);
        let e = p.validate().unwrap_err().to_string();
        assert!(e.starts_with("The client ID of profile \"team\" (\"test-{{require"), "{e}");
        assert!(e.contains("contains \"{\"; only letters A to Z"), "{e}");
        p.client_id = "test-a.b:c_D-9".into();
        assert_eq!(p.validate(), Ok(()));
        p.scopes = Scopes::parse(["client_refund", "$(touch x)"]);
        let e = p.validate().unwrap_err().to_string();
        assert_eq!(e, "Profile \"team\" has a scope \"$(touch\" that contains \"$\"; only letters A to Z, digits and . _ : - are allowed.");
        p.scopes = Scopes::parse(["client_refund"]);
        p.audience = Some("https://secure.stitch.money/connect/token?x={{7*7}}".into());
        let e = p.validate().unwrap_err().to_string();
        assert!(e.starts_with("Profile \"team\": The audience "), "{e}");
    }

    #[test]
    fn a_checked_profile_keeps_its_urls_re_serialised() {
        let mut p = Profile::new("p", " test-x ", AuthMethod::Secret);
        p.client_id = " test-x ".into();
        p.token_url = "HTTPS://Secure.Stitch.Money/connect/./token".into();
        p.audience = Some(" https://secure.stitch.money:443/connect/token".into());
        p.api_url = "https://api.stitch.money/graphql?a=1&b=(2)".into();
        let p = p.checked().unwrap();
        assert_eq!(p.client_id, "test-x");
        assert_eq!(p.token_url, "https://secure.stitch.money/connect/token");
        assert_eq!(p.audience.as_deref(), Some("https://secure.stitch.money/connect/token"));
        assert_eq!(p.api_url, "https://api.stitch.money/graphql?a=1&b=(2)");
    }

    #[test]
    fn names_that_fold_alike_are_found_similar() {
        assert_eq!(similar_name("Shop Live", ["shop live", "other"]), Some("shop live"));
        assert_eq!(similar_name("ｓｈｏｐ", ["Shop"]), Some("Shop"));
        assert_eq!(similar_name("straße", ["STRASSE"]), Some("STRASSE"));
        assert_eq!(similar_name("shop test", ["shop live"]), None);
    }

    #[test]
    fn a_plain_http_token_url_is_refused_unless_it_is_this_computer() {
        let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
        p.token_url = "http://example.com/connect/token".into();
        assert!(matches!(p.validate(), Err(ProfileError::BadUrl { .. })));
        p.token_url = "http://127.0.0.1:8555/connect/token".into();
        assert_eq!(p.validate(), Ok(()));
        p.api_url = "ftp://example.com".into();
        assert!(p.validate().is_err());
    }

    #[test]
    fn a_proxy_with_credentials_is_never_saved_in_a_profile() {
        let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
        p.proxy = Some("http://proxy.corp:3128".into());
        p.timeout_secs = Some(5);
        assert_eq!(p.validate(), Ok(()));
        p.proxy = Some("http://alice:pw-9f2@proxy.corp:3128".into());
        let err = p.validate().unwrap_err();
        assert!(matches!(err, ProfileError::ProxyWithCredentials { .. }));
        assert!(!err.to_string().contains("pw-9f2"), "{err}");
        p.proxy = None;
        p.timeout_secs = Some(0);
        assert!(matches!(p.validate(), Err(ProfileError::BadNetwork { .. })));
    }

    #[test]
    fn network_settings_kept_in_a_profile_read_back_the_same() {
        let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
        let proxy = crate::network::ProxyUrl::parse("http://proxy.corp:3128").unwrap();
        let set = crate::network::NetworkSettings {
            proxy: Some(proxy),
            timeout: Some(std::time::Duration::from_secs(12)),
            ..Default::default()
        };
        p.set_network(&set).unwrap();
        assert_eq!(p.network().unwrap(), set);
        let with_password = crate::network::ProxyUrl::parse("http://a:b@proxy.corp:3128").unwrap();
        let refused = crate::network::NetworkSettings { proxy: Some(with_password), ..Default::default() };
        assert!(matches!(p.set_network(&refused), Err(ProfileError::ProxyWithCredentials { .. })));
        assert_eq!(p.proxy.as_deref(), Some("http://proxy.corp:3128"), "unchanged");
    }

    #[test]
    fn a_settings_file_without_network_fields_still_loads_and_none_are_written() {
        let old = r#"{"name":"p","environment":"test","client_id":"test-x","auth":"secret"}"#;
        let p: Profile = serde_json::from_str(old).unwrap();
        assert_eq!((p.ca_file.clone(), p.proxy.clone(), p.timeout_secs), (None, None, None));
        let written = serde_json::to_string(&p).unwrap();
        assert!(!written.contains("proxy") && !written.contains("ca_file") && !written.contains("timeout"));
    }

    #[test]
    fn an_issued_on_date_reads_and_writes_as_year_month_day() {
        let d = IssuedOn::parse("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert!(IssuedOn::parse("2023-02-29").is_none());
        assert!(IssuedOn::parse("24-2-9").is_none());
        assert!(IssuedOn::parse("+02024-02-09").is_none());
    }

    #[test]
    fn scopes_given_replace_the_profile_defaults_and_none_keep_them() {
        let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
        p.scopes = Scopes::parse(["client_paymentrequest"]);
        let cred = || Credential::secret(crate::secret::ClientSecret::new("s"));
        assert_eq!(p.request_input(cred(), None).scopes.to_field(), "client_paymentrequest");
        assert_eq!(p.request_input(cred(), Some(Scopes::default())).scopes.to_field(), "client_paymentrequest");
        let chosen = p.request_input(cred(), Some(Scopes::parse(["client_refund"])));
        assert_eq!(chosen.scopes.to_field(), "client_refund");
    }
}
