//! `token-desk snippet`: code that gets a token and calls the API, for integrators.

use std::process::ExitCode;

use token_desk_core::check::api_url_to_call;
use token_desk_core::scope::Scopes;
use token_desk_core::snippet::{snippet, Flow, Lang, Settings};

use crate::args::SnippetArgs;

/// What the code says when no client ID was given.
const PLACEHOLDER_CLIENT_ID: &str = "YOUR_CLIENT_ID";

pub fn run(args: SnippetArgs) -> ExitCode {
    let lang = Lang::from_name(&args.lang).expect("clap only lets known languages through");
    let flow = if args.flow == "certificate" { Flow::Certificate } else { Flow::Secret };
    let settings = match &args.profile {
        Some(name) => match profile_settings(name, flow, args.api_url.as_deref()) {
            Ok(s) => s,
            Err(f) => {
                crate::exit::report(&f);
                return crate::exit::code(&f);
            }
        },
        None => {
            let scopes = if args.scopes.is_empty() {
                Scopes::parse(["client_paymentrequest"])
            } else {
                Scopes::parse(&args.scopes)
            };
            Settings {
                client_id: args.client_id.clone().unwrap_or_else(|| PLACEHOLDER_CLIENT_ID.to_owned()),
                scopes,
                audience: args.audience.clone().unwrap_or_else(|| args.token_url.clone()),
                api_url: api_url_to_call(args.api_url.as_deref(), None, &args.token_url),
                token_url: args.token_url.clone(),
                flow,
            }
        }
    };
    print!("{}", snippet(lang, &settings));
    ExitCode::SUCCESS
}

/// Settings from a saved profile (no secret is read: the code reads it from the environment).
pub(crate) fn profile_settings(
    name: &str,
    flow: Flow,
    api_url: Option<&str>,
) -> Result<Settings, token_desk_core::Failure> {
    use token_desk_core::profiles::settings::SettingsFile;
    let bad = |e: &dyn std::fmt::Display| token_desk_core::Failure::bad_input(e.to_string());
    let profile = SettingsFile::default_location().map_err(|e| bad(&e))?.find(name).map_err(|e| bad(&e))?;
    Ok(Settings {
        api_url: api_url_to_call(api_url, Some(&profile), &profile.token_url),
        audience: profile.audience.clone().unwrap_or_else(|| profile.token_url.clone()),
        client_id: profile.client_id,
        scopes: profile.scopes,
        token_url: profile.token_url,
        flow,
    })
}
