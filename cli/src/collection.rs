//! `token-desk collection`: a Postman, Bruno or `.http` collection for the integrator's own
//! tool, made from the same client options as `token` and saved without any credential.

use std::process::ExitCode;

use token_desk_core::collection::{self, Format};
use token_desk_core::scope::Scopes;
use token_desk_core::snippet::{Flow, Settings};
use token_desk_core::Failure;

use crate::args::{CollectionArgs, IntegratorClientArgs};

pub fn run(args: CollectionArgs) -> ExitCode {
    match save(&args) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(f) => {
            crate::exit::report(&f);
            crate::exit::code(&f)
        }
    }
}

/// Makes and writes the collection; says where it went and how to run it.
fn save(args: &CollectionArgs) -> Result<String, Failure> {
    let format = Format::from_name(&args.format).expect("clap only lets known formats through");
    let flow = args.client.flow();
    let settings = settings(&args.client, flow)?;
    let made = collection::make(format, &settings).map_err(|e| Failure::bad_input(e.to_string()))?;
    collection::save(&made, &args.out, args.force).map_err(|e| Failure::bad_input(e.to_string()))?;
    let out = args.out.display().to_string();
    Ok(format!(
        "Saved the {} to {out} (no secret, key or token in it).\nRun it with:\n  {}",
        format.label(),
        format.run_command(flow).replace("THIS", &out)
    ))
}

fn settings(args: &IntegratorClientArgs, flow: Flow) -> Result<Settings, Failure> {
    let mut settings = match &args.profile {
        Some(name) => crate::snippet::profile_settings(name, flow, args.api_url.as_deref())?,
        None => {
            let client_id = args.client_id.as_deref().unwrap_or_default();
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
