//! `token-desk`: the command line over Token Desk's engine. It links no GUI library, so it
//! starts in milliseconds and runs on headless servers; with no command it opens the window.

mod args;
mod check;
mod collection;
mod credential;
mod exit;
mod integrator_args;
mod profile;
mod refused_scope;
mod shown;
mod simulate;
mod snippet;
mod token;
mod try_it;
mod window;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::shown::say;
use args::{Cli, Command};

fn main() -> ExitCode {
    // Before any argument is read or any secret: a crash (release builds abort on panic) must
    // not write this process's memory to a core file.
    if let Err(e) = token_desk_core::hardening::no_core_dumps() {
        shown::tell!("token-desk: warning: {e}");
    }
    // `try` joins here, so that its module and the argument definitions import neither other.
    let matches = try_it::add_to(Cli::command()).get_matches();
    if let Some(("try", chosen)) = matches.subcommand() {
        return try_it::run_matches(chosen);
    }
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let Some(command) = cli.command else {
        return window::open(cli.presenter);
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime starts");
    match command {
        Command::Token(args) => runtime.block_on(token::run(args)),
        Command::Scopes { json } => scopes(json),
        Command::Check(args) => runtime.block_on(check::run(args)),
        Command::Snippet(args) => snippet::run(args),
        Command::Collection(args) => collection::run(args),
        Command::Profile(command) => profile::run(command),
        Command::Simulate { port, lifetime } => runtime.block_on(simulate::run(port, lifetime)),
    }
}

fn scopes(json: bool) -> ExitCode {
    let scopes = &token_desk_core::known_scopes::CLIENT_SCOPES;
    if json {
        shown::asked(&shown::json(scopes));
    } else {
        let width = scopes.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for s in scopes {
            say!("{:width$}  {}", s.name, s.description);
        }
    }
    ExitCode::SUCCESS
}
