//! `token --find-refused-scope`: after a refusal that names no scope, one request per scope
//! to name the ones refused (the engine's `refused_scope`), told on stderr line by line.

use crate::shown::tell;
use token_desk_core::failure::Detail;
use token_desk_core::refused_scope::{find_refused, Alone};
use token_desk_core::request::TokenRequest;
use token_desk_core::{Engine, Failure, FailureKind};

/// Whether a probe could name what `failure` did not: a scope refusal naming no scope, for a
/// request of more than one scope.
pub fn applies(failure: &Failure, request: &TokenRequest) -> bool {
    failure.kind == FailureKind::ScopeNotAllowed
        && failure.detail.scopes.is_empty()
        && request.scopes().iter().nth(1).is_some()
}

/// The refusal with a pointer to the option that names the scope.
pub fn suggest(mut failure: Failure) -> Failure {
    failure.message.push_str(
        "\nRun the same command again with --find-refused-scope to ask for each scope on its own and name the one refused.",
    );
    failure
}

/// Asks for each scope alone and returns the refusal, now naming the refused scopes (or the
/// failure that stopped the probe).
pub async fn name_refused(original: Failure, engine: &Engine, request: &TokenRequest) -> Failure {
    let count = request.scopes().iter().count();
    tell!("{} Asking for each of the {count} scopes on its own ({count} requests)…", original.message);
    let probe = match find_refused(engine.http(), request, engine.clock()).await {
        Ok(p) => p,
        Err(f) => return f,
    };
    for s in &probe.scopes {
        let said = match s.outcome {
            Alone::Allowed => "allowed",
            Alone::Refused => "REFUSED",
        };
        tell!("  {}  {said}", s.scope);
    }
    let detail = Detail { scopes: probe.refused.clone(), ..(*original.detail).clone() };
    Failure::new(FailureKind::ScopeNotAllowed, probe.summary).with_detail(detail)
}
