//! A saved profile or a typed client → the checked token request and its token, for both
//! faces (RFC 6749 §4.4.2, RFC 7523 §2.2): [`token_request`] decides which client, URLs,
//! scopes and credential go, and a Live profile's confirmation; [`client_token`] gets the
//! token, a saved profile's kept one without reading its secret when it can. The window's
//! commands and `token-desk token` are adapters that answer [`Session`]'s questions from their
//! own state.

use std::time::SystemTime;

use crate::destination::token_url_or_stitch;
use crate::engine::{Engine, Outcome};
use crate::failure::{Failure, FailureKind};
use crate::keyring::profile_secrets::{self as secrets, SecretError};
use crate::profiles::{AuthMethod, Environment, Profile};
use crate::request::{scope_notices, Credential, Notice, RequestInput, TokenRequest};
use crate::scope::Scopes;
use crate::token_store::profile_tokens::ProfileKeys;

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
    /// Told how [`client_token`] is about to get the token, before any request is sent: the
    /// saved profile (if any), the request to send or the kept token reused, and what to warn
    /// about. The command line tells stderr here (with `--verbose`, what is sent while it is
    /// sent); the window shows the notices with its answer, so does nothing here.
    fn about_to_get(&self, _profile: Option<&Profile>, _asked: &Asked, _notices: &[Notice]) {}
}

/// A checked request, what to warn about, the API its token is for, and the profile it came
/// from (for the face's own warnings: a Live client).
#[derive(Debug)]
pub struct ClientRequest {
    pub request: TokenRequest,
    pub notices: Vec<Notice>,
    pub api_url: String,
    pub profile: Option<Profile>,
    /// Whether the credential is the profile's saved one, not one given for this request only.
    pub saved_credential: bool,
}

impl ClientRequest {
    /// After a token for this request, remembers in `keys` the key a saved profile's token is
    /// kept under, so the next one is found without reading the secret
    /// ([`ProfileKeys::kept_token`]). Nothing for a typed client, nor for a credential given
    /// for this request only: its token is not the profile's.
    pub fn remember_key(&self, keys: &ProfileKeys) {
        if let (Some(profile), true) = (&self.profile, self.saved_credential) {
            keys.remember(profile, Some(self.request.scopes().clone()), self.request.cache_key());
        }
    }
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
    match client {
        Client::Profile(name) => {
            let profile = confirmed_profile(name, session)?;
            let given = session.given_credential()?;
            profile_request(profile, given, scopes, session, now)
        }
        Client::Typed { client_id, auth, token_url, audience } => {
            let input = typed_input(client_id, auth, token_url, audience, scopes, session)?;
            let (request, notices) = TokenRequest::check(input, now)?;
            let api_url = crate::usage::api_url_for(request.token_url().as_str());
            Ok(ClientRequest { request, notices, api_url, profile: None, saved_credential: false })
        }
    }
}

/// How a token was asked for, kept with it for what comes next (the window's one-click fix
/// asks again with more scopes).
#[derive(Debug, Clone)]
pub enum Asked {
    /// This request was sent, or its token found in the cache.
    Request(Box<TokenRequest>),
    /// The saved profile's kept token for `scopes` was reused: no request was made and the
    /// profile's secret was not read.
    Kept { profile: String, client_id: String, scopes: Scopes },
}

impl Asked {
    /// The request sent (`None` when a kept token was reused).
    pub fn request(&self) -> Option<&TokenRequest> {
        match self {
            Asked::Request(r) => Some(r),
            Asked::Kept { .. } => None,
        }
    }

    /// The client the token is for.
    pub fn client_id(&self) -> &str {
        match self {
            Asked::Request(r) => r.client_id(),
            Asked::Kept { client_id, .. } => client_id,
        }
    }

    /// The request for the same client with `more` scopes ([`TokenRequest::with_more_scopes`]).
    /// After a reused kept token, the profile's request is made now (its secret read), and
    /// refused if the profile no longer names the same client.
    pub fn with_more_scopes(
        &self,
        more: &[String],
        session: &impl Session,
        now: SystemTime,
    ) -> Result<TokenRequest, Failure> {
        match self {
            Asked::Request(r) => Ok(r.with_more_scopes(more)),
            Asked::Kept { profile, client_id, scopes } => {
                let request = token_request(Client::Profile(profile), scopes.clone(), session, now)?.request;
                if request.client_id() != client_id {
                    return Err(Failure::bad_input(format!(
                        "Profile \"{profile}\" changed since its token was shown: choose Get token again."
                    )));
                }
                Ok(request.with_more_scopes(more))
            }
        }
    }
}

/// A client's token ([`client_token`]) and how it was got.
#[derive(Debug)]
pub struct ClientToken {
    /// The saved profile, when the client is one.
    pub profile: Option<Profile>,
    /// What to warn about (for a reused kept token, those of its scopes that are not Stitch's).
    pub notices: Vec<Notice>,
    /// The API its token is for.
    pub api_url: String,
    /// The request sent, or the kept token reused.
    pub asked: Asked,
    /// The token, or why the request sent failed.
    pub outcome: Result<Outcome, Failure>,
}

impl ClientToken {
    /// Whether a saved profile's kept token was reused: no request sent, secret not read.
    pub fn reused(&self) -> bool {
        matches!(self.asked, Asked::Kept { .. })
    }

    /// The request sent (`None` when the kept token was reused).
    pub fn request(&self) -> Option<&TokenRequest> {
        self.asked.request()
    }
}

/// The token for `client` with `scopes`, for both faces. For a saved profile, its fresh kept
/// token when `force` is off and no credential is given for this request, found through `keys`
/// without reading the profile's secret ([`ProfileKeys::kept_token`]). Otherwise the checked
/// request ([`token_request`]), told to the session ([`Session::about_to_get`]) and sent
/// through `engine` (whose cache may still answer); after a profile's token got with its saved
/// credential, the key it is kept under is remembered in `keys` for next time.
/// `Err`: no request could be made. A request that failed comes back in
/// [`ClientToken::outcome`], with the request (a face may probe which scope was refused).
pub async fn client_token(
    engine: &Engine,
    keys: Option<&ProfileKeys>,
    client: Client<'_>,
    scopes: Scopes,
    force: bool,
    session: &impl Session,
) -> Result<ClientToken, Failure> {
    let now = engine.clock().now();
    let made = match client {
        Client::Profile(name) => {
            let profile = confirmed_profile(name, session)?;
            let given = session.given_credential()?;
            let kept = match (force, &given, keys) {
                (false, None, Some(keys)) => kept_token(engine, keys, &profile, &scopes, session).await,
                _ => None,
            };
            if let Some(kept) = kept {
                return Ok(kept);
            }
            profile_request(profile, given, scopes, session, now)?
        }
        Client::Typed { .. } => token_request(client, scopes, session, now)?,
    };
    let asked = Asked::Request(Box::new(made.request.clone()));
    session.about_to_get(made.profile.as_ref(), &asked, &made.notices);
    let outcome = engine.token(&made.request, force).await;
    if let (Ok(_), Some(keys)) = (&outcome, keys) {
        made.remember_key(keys);
    }
    Ok(ClientToken { profile: made.profile, notices: made.notices, api_url: made.api_url, asked, outcome })
}

/// `profile`'s fresh kept token for `scopes` (the profile's own when empty), told to the
/// session; `None` when none is kept.
async fn kept_token(
    engine: &Engine,
    keys: &ProfileKeys,
    profile: &Profile,
    scopes: &Scopes,
    session: &impl Session,
) -> Option<ClientToken> {
    let outcome = keys.kept_token(engine, profile, Some(scopes.clone())).await?;
    let scopes = profile.scopes_for(Some(scopes.clone()));
    let notices = scope_notices(&scopes);
    let asked = Asked::Kept { profile: profile.name.clone(), client_id: profile.client_id.clone(), scopes };
    session.about_to_get(Some(profile), &asked, &notices);
    let (profile, api_url) = (Some(profile.clone()), profile.api_url.clone());
    Some(ClientToken { profile, notices, api_url, asked, outcome: Ok(outcome) })
}

/// The saved profile `name`, refused while it is a Live one this session has not confirmed.
fn confirmed_profile(name: &str, session: &impl Session) -> Result<Profile, Failure> {
    let profile = session.profile(name)?;
    if profile.environment == Environment::Live && !session.live_confirmed(&profile.name) {
        return Err(Failure::bad_input(format!(
            "\"{}\" is a LIVE profile: its tokens act on real money. Confirm that you want a live token first.",
            profile.name
        )));
    }
    Ok(profile)
}

/// `profile`'s checked request with `scopes`: with the credential `given` for this request,
/// else its saved one.
fn profile_request(
    profile: Profile,
    given: Option<Credential>,
    scopes: Scopes,
    session: &impl Session,
    now: SystemTime,
) -> Result<ClientRequest, Failure> {
    let saved = given.is_none();
    let credential = match given {
        Some(given) => given,
        None => saved_credential(&profile, session)?,
    };
    let (request, notices) = TokenRequest::check(profile.request_input(credential, Some(scopes)), now)?;
    let api_url = profile.api_url.clone();
    Ok(ClientRequest { request, notices, api_url, profile: Some(profile), saved_credential: saved })
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
