//! What every `try` command does around its one engine call: the client checked (a saved
//! profile read from the settings file, no secret, no request), then a token for the scopes
//! the command needs, the API to call with it, and with `-v` every exchange told.

use token_desk_core::check::api_url_to_call;
use token_desk_core::profiles::settings::SettingsFile;
use token_desk_core::profiles::Profile;
use token_desk_core::token::AccessToken;
use token_desk_core::try_it::graphql::Api;
use token_desk_core::try_it::test_client::TestClient;
use token_desk_core::{Engine, Failure};

use crate::args::TokenArgs;
use crate::shown::tell;

/// The client a command names: by its options, or by `--profile`.
pub struct Client<'a> {
    token: &'a TokenArgs,
    api_url: Option<&'a str>,
    profile: Option<Profile>,
}

impl<'a> Client<'a> {
    pub fn new(token: &'a TokenArgs, api_url: Option<&'a str>) -> Result<Self, Failure> {
        let profile = match token.profile.as_deref() {
            Some(name) => {
                let settings = SettingsFile::default_location().map_err(|e| Failure::bad_input(e.to_string()))?;
                Some(settings.find(name).map_err(|e| Failure::bad_input(e.to_string()))?)
            }
            None => None,
        };
        Ok(Self { token, api_url, profile })
    }

    /// The client as a test client, or the sentence that refuses it: asked first by every
    /// command that acts, so nothing at all is sent for another client.
    pub fn test_client(&self) -> Result<TestClient, Failure> {
        match &self.profile {
            Some(p) => TestClient::of_profile(p),
            None => TestClient::new(self.token.client_id.as_deref().unwrap_or_default()),
        }
    }

    /// A token (the request's warnings and, with `-v`, what is sent told on stderr), and the
    /// API to call: the one given, else the profile's, else the one that goes with the token URL.
    pub async fn session(&self) -> Result<Session, Failure> {
        let engine = crate::token::engine_for(self.token)?;
        let (request, outcome) = crate::token::obtain(self.token, &engine).await?;
        let api_url = api_url_to_call(self.api_url, self.profile.as_ref(), request.token_url().as_str());
        Ok(Session { engine, token: outcome.token.access_token, api_url, verbose: self.token.verbose })
    }
}

/// A token and where to use it.
pub struct Session {
    engine: Engine,
    token: AccessToken,
    api_url: String,
    verbose: bool,
}

impl Session {
    pub fn api(&self) -> Result<Api<'_>, Failure> {
        Api::new(self.engine.http(), &self.api_url, &self.token)
    }

    /// `result`, after telling (with `-v`) every exchange `api` sent, as the inspector shows it.
    pub fn told<T>(&self, api: &Api<'_>, result: Result<T, Failure>) -> Result<T, Failure> {
        if self.verbose {
            for e in api.exchanges() {
                tell!("{}", e.to_text());
            }
        }
        result
    }
}
