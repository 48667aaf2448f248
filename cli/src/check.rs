//! `token-desk check`: tests a token against the Stitch API with safe, read-only queries.

use std::io::Read;
use std::process::ExitCode;

use token_desk_core::check::{check, check_handed, CheckReport};
use token_desk_core::failure::FailureClass;
use token_desk_core::scope::Scopes;
use token_desk_core::token::AccessToken;
use token_desk_core::try_it::graphql::Api;
use token_desk_core::try_it::payment_request::{self as payment, Created};
use token_desk_core::try_it::test_client::TestClient;
use token_desk_core::usage::api_url_to_call;
use token_desk_core::Failure;

use crate::args::CheckArgs;
use crate::exit::Failed;
use crate::shown::{say, tell};
use crate::token::{engine_for, obtain};

pub async fn run(args: CheckArgs) -> ExitCode {
    match test(&args).await {
        Ok((r, created)) => {
            if args.token.json {
                let mut out = serde_json::to_value(&r).unwrap_or_default();
                if let (Some(made), Some(fields)) = (&created, out.as_object_mut()) {
                    fields.insert("created".into(), serde_json::to_value(made).unwrap_or_default());
                }
                crate::shown::asked(&crate::shown::json(&out));
            } else {
                print(&r);
                if let Some(made) = &created {
                    say!("{}", made.summary);
                }
            }
            if args.token.verbose {
                for e in &r.exchanges {
                    tell!("{}", e.to_text());
                }
            }
            match r.all_good() {
                true => ExitCode::SUCCESS,
                false => crate::exit::code_of(FailureClass::Rejected),
            }
        }
        Err(f) => crate::exit::end(Err(f)),
    }
}

/// The test, and with `--create` the test payment request made after it (issue 25, item 6).
async fn test(args: &CheckArgs) -> Result<(CheckReport, Option<Created>), Failed> {
    let t = &args.token;
    // Asked before anything is sent: a client that is not a test client gets no request at all.
    let creator = args.create.then(|| test_client(t)).transpose()?;
    let engine = engine_for(t)?;
    // A token piped in comes without its grant: `check_handed` never calls a scope missing
    // only because nothing says it was granted.
    let (token, granted, asked, token_url) = if args.token_stdin {
        (read_token()?, None, Scopes::parse(&t.scopes), t.token_url.clone())
    } else {
        let (request, outcome) = obtain(t, &engine).await?;
        let granted = Some(outcome.token.granted);
        (outcome.token.access_token, granted, request.scopes().clone(), request.token_url().to_string())
    };
    let profile = t.profile.as_deref().map(find_profile).transpose()?;
    let api_url = api_url_to_call(args.api_url.as_deref(), profile.as_ref().map(|p| p.api_url.as_str()), &token_url);
    let mut report = match granted {
        Some(granted) => check(engine.http(), &api_url, &token, &granted, &asked).await?,
        None => check_handed(engine.http(), &api_url, &token, &asked).await?,
    };
    let Some(client) = creator.filter(|_| report.accepted) else { return Ok((report, None)) };
    let made = payment::prove_create(&Api::new(engine.http(), &api_url, &token)?, &client).await?;
    report.creating_worked(made.id.for_page());
    Ok((report, Some(made)))
}

/// The client as a test client, or the sentence that refuses `--create` for it.
fn test_client(t: &crate::args::TokenArgs) -> Result<TestClient, Failed> {
    Ok(match t.profile.as_deref() {
        Some(name) => TestClient::of_profile(&find_profile(name)?)?,
        None => TestClient::new(t.client_id.as_deref().unwrap_or_default())?,
    })
}

fn read_token() -> Result<AccessToken, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| Failure::bad_input(format!("The token could not be read from standard input ({}).", e.kind())))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Failure::bad_input(
            "No token arrived on standard input. Pipe one in, e.g. token-desk token … | token-desk check --token-stdin",
        ));
    }
    let token = AccessToken::new(token);
    crate::shown::remember_token(&token);
    Ok(token)
}

fn print(r: &CheckReport) {
    say!("{}", r.summary);
    if let Some(client) = &r.client {
        let id = client.get("clientId").and_then(|v| v.as_str()).unwrap_or("?");
        say!("  client: {id}  (API: {})", r.api_url);
    }
    let width = r.scopes.iter().map(|s| s.scope.len()).max().unwrap_or(0);
    let answer_width = r.scopes.iter().map(|s| s.answer.chars().count()).max().unwrap_or(0);
    for s in &r.scopes {
        say!("  {:width$}  {:answer_width$}  {}", s.scope, s.answer, s.note);
    }
    if !r.missing_scopes.is_empty() {
        say!("Fix: get a new token that adds --scope {}", r.missing_scopes.join(" --scope "));
    }
}

fn find_profile(name: &str) -> Result<token_desk_core::profiles::Profile, Failed> {
    use token_desk_core::profiles::settings::SettingsFile;
    Ok(SettingsFile::default_location()?.find(name)?)
}
