//! `token-desk snippet`: code that gets a token and calls the API, for integrators.

use std::process::ExitCode;

use token_desk_core::profiles::settings::SettingsFile;
use token_desk_core::scope::Scopes;
use token_desk_core::snippet::{snippet, Flow, Lang, Settings};
use token_desk_core::Failure;

use crate::args::SnippetArgs;

/// What the code says when no client ID was given.
const PLACEHOLDER_CLIENT_ID: &str = "YOUR_CLIENT_ID";

pub fn run(args: SnippetArgs) -> ExitCode {
    let lang = Lang::from_name(&args.lang).expect("clap only lets known languages through");
    let client = args.client;
    let flow = client.flow();
    let settings = match &client.profile {
        Some(name) => match profile_settings(name, flow, client.api_url.as_deref()) {
            Ok(s) => s,
            Err(f) => {
                crate::exit::report(&f);
                return crate::exit::code(&f);
            }
        },
        None => {
            let scopes = if client.scopes.is_empty() {
                Scopes::parse(["client_paymentrequest"])
            } else {
                Scopes::parse(&client.scopes)
            };
            let client_id = client.client_id.as_deref().unwrap_or(PLACEHOLDER_CLIENT_ID);
            let (audience, api_url) = (client.endpoint.audience.as_deref(), client.api_url.as_deref());
            Settings::typed(client_id, scopes, &client.endpoint.token_url, audience, api_url, flow)
        }
    };
    print!("{}", snippet(lang, &settings));
    ExitCode::SUCCESS
}

/// Settings from a saved profile (no secret is read: the code reads it from the environment).
pub(crate) fn profile_settings(name: &str, flow: Flow, api_url: Option<&str>) -> Result<Settings, Failure> {
    let profile = SettingsFile::default_location()?.find(name)?;
    Ok(Settings::for_profile(&profile, api_url, flow))
}
