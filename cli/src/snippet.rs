//! `token-desk snippet`: code that gets a token and calls the API, for integrators.

use std::process::ExitCode;

use token_desk_core::profiles::settings::SettingsFile;
use token_desk_core::scope::Scopes;
use token_desk_core::snippet::{snippet, Flow, Settings};

use crate::args::{IntegratorClientArgs, SnippetArgs};
use crate::exit::Failed;

/// What the code says when no client ID was given.
const PLACEHOLDER_CLIENT_ID: &str = "YOUR_CLIENT_ID";

pub fn run(args: SnippetArgs) -> ExitCode {
    let lang = args.lang();
    // Checked here as the collection's are in `collection::make`: the shapes allowed, URLs
    // re-serialised.
    match settings(&args.client, PLACEHOLDER_CLIENT_ID).and_then(|s| Ok(s.checked()?)) {
        Ok(settings) => {
            crate::shown::out_raw(false, &snippet(lang, &settings));
            ExitCode::SUCCESS
        }
        Err(f) => crate::exit::end(Err(f)),
    }
}

/// What code or a collection for integrators is written for: a saved profile, or the client
/// typed on the command line (`default_client_id` when none was given, the payment scope when
/// no `--scope`). `--scope` replaces the scopes in both cases.
pub(crate) fn settings(args: &IntegratorClientArgs, default_client_id: &str) -> Result<Settings, Failed> {
    let flow = args.flow();
    let mut settings = match &args.profile {
        Some(name) => profile_settings(name, flow, args.api_url.as_deref())?,
        None => {
            let client_id = args.client_id.as_deref().unwrap_or(default_client_id);
            let (audience, api_url) = (args.endpoint.audience.as_deref(), args.api_url.as_deref());
            let scopes = Scopes::parse(["client_paymentrequest"]);
            Settings::typed(client_id, scopes, &args.endpoint.token_url, audience, api_url, flow)
        }
    };
    if !args.scopes.is_empty() {
        settings.scopes = Scopes::parse(&args.scopes);
    }
    Ok(settings)
}

/// Settings from a saved profile (no secret is read: the code reads it from the environment).
/// A damaged profiles file ends the command as it ends `profile` and `token --profile`.
pub(crate) fn profile_settings(name: &str, flow: Flow, api_url: Option<&str>) -> Result<Settings, Failed> {
    let profile = SettingsFile::default_location()?.find(name)?;
    Ok(Settings::for_profile(&profile, api_url, flow))
}
