//! `token-desk collection`: a Postman, Bruno or `.http` collection for the integrator's own
//! tool, made from the same client options as `token` and saved without any credential.

use std::process::ExitCode;

use token_desk_core::collection;
use token_desk_core::Failure;

use crate::args::CollectionArgs;
use crate::exit::Failed;
use crate::shown::say;

pub fn run(args: CollectionArgs) -> ExitCode {
    match save(&args) {
        Ok(message) => {
            say!("{message}");
            ExitCode::SUCCESS
        }
        Err(f) => crate::exit::end(Err(f)),
    }
}

/// Makes and writes the collection; says where it went and how to run it.
fn save(args: &CollectionArgs) -> Result<String, Failed> {
    let format = args.format();
    let settings = crate::snippet::settings(&args.client, "")?;
    let made = collection::make(format, &settings).map_err(|e| Failure::bad_input(e.to_string()))?;
    collection::save(&made, &args.out, args.force).map_err(|e| Failure::bad_input(e.to_string()))?;
    let out = args.out.display().to_string();
    Ok(format!(
        "Saved the {} to {out} (no secret, key or token in it).\nRun it with:\n  {}",
        format.label(),
        format.run_command(settings.flow).replace("THIS", &out)
    ))
}
