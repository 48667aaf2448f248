//! "Find which one": when a token server refuses a request for several scopes with
//! `invalid_scope` (RFC 6749 §5.2) and does not say which scope it refused (Stitch's
//! IdentityServer4 sends no `error_description`), ask for each scope on its own, one request
//! per scope, and name the ones refused. It runs only when a person asks for it (a click in
//! the window, `--find-refused-scope` on the command line): it sends as many requests as there
//! are scopes, and the tokens it gets back are thrown away, never cached or shown.

use serde::Serialize;

use crate::clock::Clock;
use crate::failure::{Failure, FailureKind};
use crate::http::Http;
use crate::request::TokenRequest;

/// How one scope fared when asked for alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Alone {
    /// The server issued a token for it.
    Allowed,
    /// The server refused it with `invalid_scope` (or `invalid_grant`).
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeAlone {
    pub scope: String,
    pub outcome: Alone,
}

/// What the probe found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    pub scopes: Vec<ScopeAlone>,
    /// The scopes refused on their own, in the order asked.
    pub refused: Vec<String>,
    /// One sentence for the user.
    pub summary: String,
    /// How many token requests were sent.
    pub requests: usize,
}

/// Asks for each scope of `request` on its own and reports which the server refuses. Any
/// other failure (a wrong secret, a timeout) stops the probe and is returned as it is, since
/// it says nothing about the scopes.
pub async fn find_refused(http: &Http, request: &TokenRequest, clock: &dyn Clock) -> Result<Probe, Failure> {
    let mut scopes = Vec::new();
    for scope in request.scopes().iter() {
        let outcome = match http.request_token(&request.with_only_scope(scope), clock).await {
            Ok(_) => Alone::Allowed,
            Err(f) if f.kind == FailureKind::ScopeNotAllowed => Alone::Refused,
            Err(f) => return Err(f),
        };
        scopes.push(ScopeAlone { scope: scope.to_owned(), outcome });
    }
    let refused: Vec<String> = scopes.iter().filter(|s| s.outcome == Alone::Refused).map(|s| s.scope.clone()).collect();
    let summary = summary(&refused, scopes.len());
    Ok(Probe { requests: scopes.len(), scopes, refused, summary })
}

fn summary(refused: &[String], tried: usize) -> String {
    match refused {
        [] => format!(
            "Each of the {tried} scopes was allowed on its own; the server refuses them only together. \
             Ask Stitch which combination this client may have."
        ),
        [one] => {
            format!("{one} is not enabled for this client. Leave it out and try again, or ask Stitch to enable it.")
        }
        many => format!(
            "{} are not enabled for this client. Leave them out and try again, or ask Stitch to enable them.",
            join_and(many)
        ),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_refused_scope_is_named_with_what_to_do() {
        let s = summary(&["client_refund".into()], 2);
        assert_eq!(
            s,
            "client_refund is not enabled for this client. Leave it out and try again, or ask Stitch to enable it."
        );
    }

    #[test]
    fn several_refused_scopes_are_named_together() {
        let s = summary(&["a".into(), "b".into(), "c".into()], 4);
        assert!(s.starts_with("a, b and c are not enabled"), "{s}");
    }

    #[test]
    fn scopes_refused_only_together_are_said_to_be_so() {
        assert!(summary(&[], 2).contains("only together"));
    }
}
