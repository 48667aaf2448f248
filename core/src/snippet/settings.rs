//! What the code is made from: the client, its scopes, its URLs and its flow, and where the
//! code reads the secret or the certificate from.

use serde::Serialize;

use crate::profiles::Profile;
use crate::scope::Scopes;
use crate::usage::api_url_for;

/// Where the snippets read the client secret from.
pub const SECRET_VAR: &str = "STITCH_CLIENT_SECRET";
/// Where the certificate snippets read the path of the PEM file from.
pub const CERTIFICATE_VAR: &str = "STITCH_CERTIFICATE_PEM";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Curl,
    JavaScript,
    Python,
    CSharp,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::Curl, Lang::JavaScript, Lang::Python, Lang::CSharp];

    pub fn label(self) -> &'static str {
        match self {
            Lang::Curl => "cURL (bash)",
            Lang::JavaScript => "JavaScript (fetch)",
            Lang::Python => "Python (requests)",
            Lang::CSharp => "C# (HttpClient)",
        }
    }
}

/// Which client authentication the snippet uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flow {
    Secret,
    Certificate,
}

/// The settings a snippet is made from. Deliberately holds no secret.
#[derive(Debug, Clone)]
pub struct Settings {
    pub client_id: String,
    pub scopes: Scopes,
    pub token_url: String,
    pub audience: String,
    pub api_url: String,
    pub flow: Flow,
}

impl Settings {
    /// The settings for a client typed in: the audience is the token URL and the API the one
    /// that goes with it ([`crate::usage::api_url_for`]) unless given (blank counts as not).
    pub fn typed(
        client_id: &str,
        scopes: Scopes,
        token_url: &str,
        audience: Option<&str>,
        api_url: Option<&str>,
        flow: Flow,
    ) -> Self {
        let token_url = token_url.trim().to_owned();
        Self {
            client_id: client_id.trim().to_owned(),
            scopes,
            audience: filled(audience).unwrap_or(&token_url).to_owned(),
            api_url: filled(api_url).map_or_else(|| api_url_for(&token_url), str::to_owned),
            token_url,
            flow,
        }
    }

    /// The settings for a saved profile (no secret is read: the code reads it from the
    /// environment), its API unless `api_url` is given.
    pub fn for_profile(profile: &Profile, api_url: Option<&str>, flow: Flow) -> Self {
        Self {
            api_url: filled(api_url).map_or_else(|| profile.api_url.clone(), str::to_owned),
            audience: profile.audience.clone().unwrap_or_else(|| profile.token_url.clone()),
            client_id: profile.client_id.clone(),
            scopes: profile.scopes.clone(),
            token_url: profile.token_url.clone(),
            flow,
        }
    }
}

impl Settings {
    /// These settings as code and collections are made from, or why not: the client id and
    /// scope names of the shape of Stitch's ([`crate::request::check_client_id`],
    /// [`crate::scope::check_word`]), and each URL checked and re-serialised
    /// ([`crate::request::check_url`]), never as typed.
    pub fn checked(&self) -> Result<Settings, crate::failure::Failure> {
        use crate::request::{check_client_id, check_url};
        let client_id = check_client_id(&self.client_id)?.to_owned();
        if let Some((bad, problem)) = self.scopes.first_malformed() {
            return Err(crate::failure::Failure::bad_input(format!(
                "The scope {} {problem}.",
                crate::scope::quoted(bad)
            )));
        }
        Ok(Settings {
            client_id,
            scopes: self.scopes.clone(),
            token_url: check_url(&self.token_url, "token URL")?.into(),
            audience: check_url(&self.audience, "audience")?.into(),
            api_url: check_url(&self.api_url, "API URL")?.into(),
            flow: self.flow,
        })
    }
}

/// A value given, trimmed, unless blank.
fn filled(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// What the code sends to the API: a GraphQL document and, when it takes them, its variables
/// (the Try it calls, as the inspector recorded them; see [`crate::try_it`]).
#[derive(Debug, Clone, Copy)]
pub struct ApiCall<'a> {
    pub query: &'a str,
    pub variables: Option<&'a serde_json::Value>,
}
