//! `token-desk token`: one token, printed for a person or a script.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use serde_json::json;
use token_desk_core::clock::rfc3339;
use token_desk_core::failure::FailureClass;
use token_desk_core::request::{Credential, RequestInput, TokenRequest};
use token_desk_core::scope::Scopes;
use token_desk_core::secret::ClientSecret;
use token_desk_core::{Engine, Failure, Outcome};

use crate::args::{CredentialArgs, TokenArgs};

pub async fn run(args: TokenArgs) -> ExitCode {
    match get(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report(&failure);
            exit_code(&failure)
        }
    }
}

async fn get(args: &TokenArgs) -> Result<(), Failure> {
    let engine = Engine::with_defaults();
    let (_, outcome) = obtain(args, &engine).await?;
    let token = &outcome.token;
    if args.json {
        let out = json!({
            "access_token": token.access_token.as_str(),
            "token_type": token.token_type,
            "expires_in": token.expires_in,
            "expires_at": rfc3339(token.expires_at),
            "scope": token.granted.to_field(),
            "requested_scope": token.requested.to_field(),
            "from_cache": outcome.from_cache,
        });
        println!("{out}");
    } else {
        println!("{}", token.access_token.as_str());
    }
    Ok(())
}

/// Checks the arguments and gets a token, telling stderr about warnings (and, with
/// `--verbose`, what is sent). Shared by every command that needs a token first.
pub async fn obtain(args: &TokenArgs, engine: &Engine) -> Result<(TokenRequest, Outcome), Failure> {
    let credential = credential(&args.credential)?;
    let input = RequestInput {
        client_id: args.client_id.clone(),
        scopes: Scopes::parse(&args.scopes),
        token_url: Some(args.token_url.clone()),
        audience: args.audience.clone(),
        credential,
    };
    let (request, notices) = TokenRequest::check(input, engine.clock().now())?;
    for n in &notices {
        eprintln!("warning: {}", n.message);
    }
    if args.verbose {
        eprintln!("POST {}", request.token_url());
        for (k, v) in request.shown_fields() {
            eprintln!("  {k}={v}");
        }
    }
    let outcome = engine.token(&request, args.fresh).await?;
    if args.verbose {
        for (i, a) in outcome.attempts.iter().enumerate() {
            let status = a.status.map_or("no answer".to_owned(), |s| format!("HTTP {s}"));
            eprintln!("  attempt {}: waited {} ms, {status} after {} ms", i + 1, a.waited_ms, a.elapsed_ms);
        }
    }
    if let Some(f) = &outcome.refresh_failure {
        eprintln!("warning: a new token could not be fetched ({}); the cached one is still valid.", f.message);
    }
    let not_granted = outcome.token.not_granted();
    if !not_granted.is_empty() {
        eprintln!("warning: not granted: {}", not_granted.join(" "));
    }
    Ok((request, outcome))
}

fn credential(args: &CredentialArgs) -> Result<Credential, Failure> {
    if let Some(path) = &args.certificate {
        return Credential::certificate_file(path);
    }
    let secret = if let Some(var) = &args.secret_env {
        match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => ClientSecret::new(v),
            Ok(_) => {
                return Err(Failure::bad_input(format!(
                    "The environment variable {var} is empty. Put the client secret in it."
                )))
            }
            Err(_) => {
                return Err(Failure::bad_input(format!(
                    "The environment variable {var} is not set. Put the client secret in it."
                )))
            }
        }
    } else {
        read_stdin()?
    };
    if secret.is_blank() {
        return Err(Failure::bad_input(
            "No client secret arrived on standard input. Pipe it in, e.g. printf %s \"$SECRET\" | token-desk token …",
        ));
    }
    Ok(Credential::secret(secret))
}

fn read_stdin() -> Result<ClientSecret, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return rpassword::prompt_password("Client secret (hidden): ").map(ClientSecret::new).map_err(|e| {
            Failure::bad_input(format!("The client secret could not be read from the terminal ({}).", e.kind()))
        });
    }
    let mut text = String::new();
    stdin.lock().take(64 * 1024).read_to_string(&mut text).map_err(|e| {
        Failure::bad_input(format!("The client secret could not be read from standard input ({}).", e.kind()))
    })?;
    Ok(ClientSecret::new(text))
}

pub fn report(failure: &Failure) {
    eprintln!("token-desk: {}", failure.message);
    if failure.kind != token_desk_core::FailureKind::BadInput {
        eprintln!();
        eprintln!("Details:");
        for line in failure.detail_lines() {
            eprintln!("  {line}");
        }
    }
}

pub fn exit_code(failure: &Failure) -> ExitCode {
    ExitCode::from(match failure.kind.class() {
        FailureClass::Input => 2,
        FailureClass::Rejected => 3,
        FailureClass::Unavailable => 4,
    })
}
