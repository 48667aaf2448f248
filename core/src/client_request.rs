//! A saved profile or a typed client → the checked token request, for both faces (RFC 6749
//! §4.4.2, RFC 7523 §2.2): [`token_request`] decides which client, URLs, scopes and credential
//! go, and a Live profile's confirmation; the window's commands and `token-desk token` are
//! adapters that answer [`Session`]'s questions from their own state.

use std::time::SystemTime;

use crate::destination::token_url_or_stitch;
use crate::failure::{Failure, FailureKind};
use crate::keyring::profile_secrets::{self as secrets, SecretError};
use crate::profiles::{AuthMethod, Environment, Profile};
use crate::request::{Credential, Notice, RequestInput, TokenRequest};
use crate::scope::Scopes;

/// Which client a token request is for.
#[derive(Debug, Clone, Copy)]
pub enum Client<'a> {
    /// A saved profile, by name: its client, URLs and credential.
    Profile(&'a str),
    /// A client typed into the window's form or given on the command line.
    Typed { client_id: &'a str, auth: AuthMethod, token_url: Option<&'a str>, audience: Option<&'a str> },
}

/// The face that asks: what to do next is said in its terms (a button, a command).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Window,
    CommandLine,
}

/// What a token request needs from the face's session. The window answers from its settings
/// file, its keyring and the credential entered; the command line from its settings file, its
/// keyring and its options; tests answer from memory.
pub trait Session {
    /// Which face this is.
    fn face(&self) -> Face;
    /// The saved profile called `name`, or why there is none.
    fn profile(&self, name: &str) -> Result<Profile, Failure>;
    /// Whether this session may get tokens for the Live profile `name` (the window asks once
    /// per session; naming the profile on the command line is asking).
    fn live_confirmed(&self, name: &str) -> bool;
    /// A credential given for this request only (`--secret-stdin` with `--profile`), used
    /// instead of the profile's saved one; the window has none.
    fn given_credential(&self) -> Result<Option<Credential>, Failure>;
    /// The credential saved for `profile` (`None`: nothing is saved for it).
    fn saved_credential(&self, profile: &Profile) -> Result<Option<Credential>, SecretError>;
    /// The credential entered of kind `auth`, for `client_id` at `token_url` only; refused for
    /// any other client or origin.
    fn entered_credential(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<Credential, Failure>;
}

/// A checked request, what to warn about, the API its token is for, and the profile it came
/// from (for the face's own warnings: a Live client).
#[derive(Debug)]
pub struct ClientRequest {
    pub request: TokenRequest,
    pub notices: Vec<Notice>,
    pub api_url: String,
    pub profile: Option<Profile>,
}

/// The checked request for `client` with `scopes`, for both faces. With a profile: its client,
/// URLs and credential (the one given for this request, else the saved one; never a credential
/// entered for something else), `scopes` (the profile's when empty), its API, and a Live
/// profile only once confirmed. Without: the typed client with the credential entered for
/// exactly its client and token URL, and the API that goes with that token URL.
pub fn token_request(
    client: Client<'_>,
    scopes: Scopes,
    session: &impl Session,
    now: SystemTime,
) -> Result<ClientRequest, Failure> {
    let (input, profile) = match client {
        Client::Profile(name) => {
            let profile = session.profile(name)?;
            (profile_input(&profile, scopes, session)?, Some(profile))
        }
        Client::Typed { client_id, auth, token_url, audience } => {
            (typed_input(client_id, auth, token_url, audience, scopes, session)?, None)
        }
    };
    let (request, notices) = TokenRequest::check(input, now)?;
    let api_url = match &profile {
        Some(p) => p.api_url.clone(),
        None => crate::usage::api_url_for(request.token_url().as_str()),
    };
    Ok(ClientRequest { request, notices, api_url, profile })
}

fn profile_input(profile: &Profile, scopes: Scopes, session: &impl Session) -> Result<RequestInput, Failure> {
    if profile.environment == Environment::Live && !session.live_confirmed(&profile.name) {
        return Err(Failure::bad_input(format!(
            "\"{}\" is a LIVE profile: its tokens act on real money. Confirm that you want a live token first.",
            profile.name
        )));
    }
    let credential = match session.given_credential()? {
        Some(given) => given,
        None => saved_credential(profile, session)?,
    };
    Ok(profile.request_input(credential, Some(scopes)))
}

/// The profile's saved credential, or why there is none in the face's words: nothing saved
/// (bad input, with where to save it), or no keyring to read it from
/// ([`FailureKind::NoKeyring`], on the command line with how to go on without one).
fn saved_credential(profile: &Profile, session: &impl Session) -> Result<Credential, Failure> {
    let name = &profile.name;
    match session.saved_credential(profile) {
        Ok(Some(credential)) => Ok(credential),
        Ok(None) => Err(Failure::bad_input(match session.face() {
            Face::Window => {
                let what = if profile.auth == AuthMethod::Certificate { "certificate" } else { "secret" };
                let host = secrets::destination(profile).map(|d| d.origin().host().to_owned());
                let host = host.as_deref().unwrap_or("its token URL").to_owned();
                format!("Profile \"{name}\" has no saved {what} for {host}: choose Replace secret.")
            }
            Face::CommandLine => {
                let what = if profile.auth == AuthMethod::Certificate { "certificate" } else { "client secret" };
                let at =
                    secrets::destination(profile).map_or_else(|| profile.token_url.clone(), |d| d.origin().to_string());
                format!(
                    "Profile \"{name}\" has no saved {what} for {} at {at}. Save it first (it is kept in the OS keyring). \
                     Use: token-desk profile set-secret \"{name}\" --secret-stdin",
                    profile.client_id
                )
            }
        })),
        Err(SecretError::Keyring(e)) => {
            let mut message = format!("The secret of profile \"{name}\" cannot be read: {e}");
            if session.face() == Face::CommandLine {
                message.push_str(&format!(
                    "\nOr give the secret each time: token-desk token --profile \"{name}\" --secret-stdin"
                ));
            }
            Err(Failure::new(FailureKind::NoKeyring, message))
        }
        Err(e) => Err(Failure::bad_input(e.to_string())),
    }
}

fn typed_input(
    client_id: &str,
    auth: AuthMethod,
    token_url: Option<&str>,
    audience: Option<&str>,
    scopes: Scopes,
    session: &impl Session,
) -> Result<RequestInput, Failure> {
    // The shapes first: a client id or token URL no one could have entered a secret for is
    // refused as what it is, not as a secret entered for another client.
    crate::request::check_client_id(client_id)?;
    let url = token_url_or_stitch(token_url);
    crate::request::check_url(url, "token URL")?;
    Ok(RequestInput {
        client_id: client_id.to_owned(),
        scopes,
        token_url: token_url.map(str::to_owned),
        audience: audience.map(str::to_owned),
        credential: session.entered_credential(auth, client_id, url)?,
    })
}
