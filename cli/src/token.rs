//! `token-desk token`: one token, printed for a person or a script.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::json;
use token_desk_core::client_request::{client_token, token_request, Asked, Client, Face, Session};
use token_desk_core::clock::rfc3339;
use token_desk_core::keyring::profile_secrets::{ProfileSecrets, SecretError};
use token_desk_core::keyring::Keyring;
use token_desk_core::network::NetworkSettings;
use token_desk_core::profiles::settings::SettingsFile;
use token_desk_core::profiles::{AuthMethod, Environment, Profile};
use token_desk_core::request::{Credential, Notice, TokenRequest};
use token_desk_core::scope::Scopes;
use token_desk_core::token_store::keyring_tokens::KeyringTokens;
use token_desk_core::token_store::profile_tokens::ProfileKeys;
use token_desk_core::{Engine, Failure, Outcome};

use crate::args::TokenArgs;
use crate::exit::Failed;
use crate::shown::tell;

pub async fn run(args: TokenArgs) -> ExitCode {
    crate::exit::end(get(&args).await)
}

async fn get(args: &TokenArgs) -> Result<(), Failed> {
    let engine = engine_for(args)?;
    let session = Options::new(args, &engine)?;
    let keys = profile_keys(args);
    let scopes = Scopes::parse(&args.scopes);
    let got = client_token(&engine, keys.as_ref(), client(args), scopes, args.fresh, &session).await?;
    let outcome = match got.outcome {
        Ok(outcome) => outcome,
        Err(f) => return Err(refused(args, &engine, f, got.asked).await),
    };
    told_after(args, &outcome);
    let token = &outcome.token;
    if args.json {
        // `access_token` is the output asked for; every other field is what the server said,
        // and loses any echo of the token like every other output.
        let said = |text: String| crate::shown::redact(&text);
        let out = json!({
            "access_token": token.access_token.as_str(),
            "token_type": said(token.token_type.clone()),
            "expires_in": token.expires_in,
            "expires_at": rfc3339(token.expires_at),
            "scope": said(token.granted.to_field()),
            "requested_scope": said(token.requested.to_field()),
            "from_cache": outcome.from_cache,
        });
        crate::shown::asked(&token_desk_core::json_out::compact(&out));
    } else {
        crate::shown::asked(token.access_token.as_str());
    }
    Ok(())
}

/// Why the token request for `asked` failed: a scope refusal naming no scope points to
/// `--find-refused-scope`, or with it names the refused scopes.
async fn refused(args: &TokenArgs, engine: &Engine, failure: Failure, asked: Asked) -> Failed {
    match asked {
        Asked::Request(request) if crate::refused_scope::applies(&failure, &request) => match args.find_refused_scope {
            true => crate::refused_scope::name_refused(failure, engine, &request).await,
            false => crate::refused_scope::suggest(failure),
        }
        .into(),
        _ => failure.into(),
    }
}

/// Which client `args` name: the saved profile, or the client typed in the options.
fn client(args: &TokenArgs) -> Client<'_> {
    match args.profile.as_deref() {
        Some(name) => Client::Profile(name),
        None => Client::Typed {
            client_id: args.client_id.as_deref().unwrap_or_default(),
            auth: if args.credential.certificate.is_some() { AuthMethod::Certificate } else { AuthMethod::Secret },
            token_url: Some(&args.token_url),
            audience: args.audience.as_deref(),
        },
    }
}

/// With `--profile`, where the keys its tokens are kept under are remembered, so a kept token
/// is found without reading the secret (see [`ProfileKeys`]).
fn profile_keys(args: &TokenArgs) -> Option<ProfileKeys> {
    args.profile.as_ref().and_then(|_| ProfileKeys::for_this_login())
}

/// The engine for `args`: with `--profile`, its tokens are also kept in the OS keyring, shared
/// with the window and later runs (a cached token costs no request after a restart), with a
/// lock per key so processes started together make one request. Ad-hoc requests (a secret
/// piped in) are cached in memory only, as before. The network settings (company CA, proxy,
/// deadline) are the profile's, each replaced by its option when given; a bad CA file is
/// refused here, before any request.
pub fn engine_for(args: &TokenArgs) -> Result<Engine, Failed> {
    let engine = Engine::with_defaults();
    engine.http().configure(&network_for(args)?)?;
    Ok(match args.profile {
        Some(_) => {
            let clock = Arc::new(token_desk_core::clock::SystemClock);
            engine.with_token_store(Arc::new(KeyringTokens::app(Arc::new(Keyring::app()), clock)))
        }
        None => engine,
    })
}

/// The network settings for `args`; a proxy password joins the proxy here (from
/// `--proxy-password-env` or the terminal), after a `--proxy` holding one was refused.
fn network_for(args: &TokenArgs) -> Result<NetworkSettings, Failed> {
    let given = &args.network;
    crate::credential::refuse_proxy_password(given.proxy.as_deref())?;
    let saved = match &args.profile {
        Some(name) => Some(SettingsFile::default_location()?.find(name)?),
        None => None,
    };
    let saved = saved.as_ref();
    let ca_file = given.ca_file.clone().or_else(|| saved.and_then(|p| p.ca_file.as_ref().map(PathBuf::from)));
    let proxy = given.proxy.clone().or_else(|| saved.and_then(|p| p.proxy.clone()));
    let timeout = given.timeout.or_else(|| saved.and_then(|p| p.timeout_secs));
    let mut settings = NetworkSettings::read(ca_file.as_deref(), proxy.as_deref(), timeout).map_err(Failure::from)?;
    settings.proxy = args.proxy_password.join(settings.proxy.take())?;
    Ok(settings)
}

/// The warning a Live profile always gets, and with `--verbose` which profile is used.
fn tell_profile(args: &TokenArgs, profile: &Profile) {
    if profile.environment == Environment::Live {
        tell!("warning: profile \"{}\" is a LIVE client: its token acts on real money.", profile.name);
    }
    if args.verbose {
        tell!("profile: {} ({}, {})", profile.name, profile.environment.as_str(), profile.auth.as_str());
    }
}

/// Checks the arguments and gets a token, telling stderr about warnings (and, with
/// `--verbose`, what is sent). Shared by every command that needs a token first, and the
/// request with it: so never a kept token found without its request (see [`client_token`]).
pub async fn obtain(args: &TokenArgs, engine: &Engine) -> Result<(TokenRequest, Outcome), Failed> {
    let session = Options::new(args, engine)?;
    let made = token_request(client(args), Scopes::parse(&args.scopes), &session, engine.clock().now())?;
    tell_before(args, engine, made.profile.as_ref(), Some(&made.request), &made.notices);
    let outcome = engine.token(&made.request, args.fresh).await?;
    if let Some(keys) = profile_keys(args) {
        made.remember_key(&keys);
    }
    told_after(args, &outcome);
    Ok((made.request, outcome))
}

/// What stderr is told before a token: a Live profile's warning, the notices, and with
/// `--verbose` the profile and how the token is got: the kept token reused (`request` is
/// `None`), or what is sent and through what.
fn tell_before(
    args: &TokenArgs,
    engine: &Engine,
    profile: Option<&Profile>,
    request: Option<&TokenRequest>,
    notices: &[Notice],
) {
    if let Some(profile) = profile {
        tell_profile(args, profile);
    }
    for n in notices {
        tell!("warning: {}", n.message);
    }
    if !args.verbose {
        return;
    }
    let Some(request) = request else {
        tell!("reused the kept token (no request sent, secret not read)");
        return;
    };
    let http = engine.http();
    tell!("trusted: {}", http.network().describe_trust());
    tell!("proxy: {}", http.route(request.token_url().as_str()).describe());
    tell!("deadline: {} s, retries included", http.deadline().as_secs());
    tell!("{}", format!("POST {}", request.token_url()));
    for (k, v) in request.shown_fields() {
        tell!("  {k}={v}");
    }
}

/// What stderr is told after a token: how the attempts went (with `--verbose`), a renewal
/// that failed, and what was not granted. The token is remembered for redaction.
fn told_after(args: &TokenArgs, outcome: &Outcome) {
    crate::shown::remember_token(&outcome.token.access_token);
    if args.verbose {
        for (i, a) in outcome.attempts.iter().enumerate() {
            let status = a.status.map_or("no answer".to_owned(), |s| format!("HTTP {s}"));
            tell!("  attempt {}: waited {} ms, {status} after {} ms", i + 1, a.waited_ms, a.elapsed_ms);
        }
    }
    if let Some(f) = &outcome.refresh_failure {
        tell!("warning: a new token could not be fetched ({}); the cached one is still valid.", f.message);
    }
    let not_granted = outcome.token.not_granted();
    if !not_granted.is_empty() {
        tell!("warning: not granted: {}", not_granted.join(" "));
    }
}

/// The command line's session, as the engine's token request asks it: the profile named
/// (read before, so a damaged settings file ends as it does everywhere), the OS keyring, and
/// the credential options. Each secret is remembered for redaction as it is read.
struct Options<'a> {
    args: &'a TokenArgs,
    engine: &'a Engine,
    profile: Option<Profile>,
}

impl<'a> Options<'a> {
    fn new(args: &'a TokenArgs, engine: &'a Engine) -> Result<Self, Failed> {
        let profile = match args.profile.as_deref() {
            Some(name) => Some(SettingsFile::default_location()?.find(name)?),
            None => None,
        };
        Ok(Self { args, engine, profile })
    }
}

impl Session for Options<'_> {
    fn face(&self) -> Face {
        Face::CommandLine
    }

    fn profile(&self, name: &str) -> Result<Profile, Failure> {
        self.profile.clone().ok_or_else(|| Failure::bad_input(format!("There is no profile {name:?}.")))
    }

    /// Naming a Live profile on the command line is asking for its token; it is warned about.
    fn live_confirmed(&self, _: &str) -> bool {
        true
    }

    fn given_credential(&self) -> Result<Option<Credential>, Failure> {
        match self.args.credential.given() {
            true => self.entered_credential(AuthMethod::Secret, "", "").map(Some),
            false => Ok(None),
        }
    }

    fn saved_credential(&self, profile: &Profile) -> Result<Option<Credential>, SecretError> {
        let saved = ProfileSecrets::new(&Keyring::app()).credential(profile)?;
        saved.iter().for_each(crate::shown::remember);
        Ok(saved)
    }

    /// The credential options, whatever the client: given for this one run, they go where
    /// the same command line says.
    fn entered_credential(&self, _: AuthMethod, _: &str, _: &str) -> Result<Credential, Failure> {
        let credential = self.args.credential.credential()?;
        crate::shown::remember(&credential);
        Ok(credential)
    }

    /// Tells stderr before the token (see [`tell_before`]), while a request is sent.
    fn about_to_get(&self, profile: Option<&Profile>, asked: &Asked, notices: &[Notice]) {
        tell_before(self.args, self.engine, profile, asked.request(), notices);
    }
}
