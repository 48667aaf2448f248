//! What the commands send to the window: plain data made from the engine's types. Nothing
//! here can hold a client secret or a private key; the access token itself travels only
//! through `reveal_token`, when the user asks to see it.

use std::path::Path;
use std::time::SystemTime;

use serde::Serialize;
use token_desk_core::certificate::{CertificateFacts, Validity};
use token_desk_core::clock;
use token_desk_core::failure::FailureKind;
use token_desk_core::known_scopes::KnownScope;
use token_desk_core::profiles::AuthMethod;
use token_desk_core::usage::{self, Copyable, Urgency};
use token_desk_core::{Failure, Outcome};

/// A failure as the window shows it: the plain message, and the technical lines behind
/// *Details*.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    pub kind: FailureKind,
    pub message: String,
    pub details: Vec<String>,
    /// The scopes the server named as refused, for "Untick it and try again" (left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused_scopes: Vec<String>,
    /// The token server did not accept the client's secret or certificate (`invalid_client`,
    /// RFC 6749 §5.2): the page marks the credential "not accepted — type it again" instead
    /// of "set". Left out when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub credential_rejected: bool,
}

impl From<Failure> for ErrorView {
    fn from(f: Failure) -> Self {
        Self {
            kind: f.kind,
            details: f.detail_lines(|said| said.for_page().to_owned()),
            refused_scopes: f.detail.scopes.clone(),
            credential_rejected: f.kind == FailureKind::InvalidClient,
            message: f.message,
        }
    }
}

/// What the form starts with.
#[derive(Debug, Serialize)]
pub struct FormDefaults {
    pub token_url: &'static str,
    pub audience: &'static str,
    pub scopes: Vec<KnownScope>,
    pub clipboard_clear_seconds: u64,
}

/// What the form's client and token URL mean for the page's simulator parts.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct FormView {
    /// The form points at the built-in simulator (its badge shows).
    pub on_simulator: bool,
    /// The simulator card shows ([`demo_card_shown`]).
    pub demo_card: bool,
}

impl FormView {
    /// `token_url` against the built-in simulator's (`built_in`, when started), with
    /// `saved_profiles` profiles saved and a client typed (`client_typed`) or not.
    pub fn new(token_url: &str, built_in: Option<&str>, saved_profiles: usize, client_typed: bool) -> Self {
        let origin = |u: &str| token_desk_core::destination::Origin::parse(u);
        let on_simulator = built_in.is_some_and(|b| origin(b).is_some() && origin(b) == origin(token_url));
        Self { on_simulator, demo_card: demo_card_shown(on_simulator, saved_profiles, client_typed) }
    }
}

/// Whether the simulator card ("New here? Try the simulator", then "The simulator is running")
/// shows: while the form points at the built-in simulator, or while nothing is set up (no
/// saved profile and no client typed). Pointed at any other server, it would say something
/// untrue about where tokens come from.
pub fn demo_card_shown(on_simulator: bool, saved_profiles: usize, client_typed: bool) -> bool {
    on_simulator || (saved_profiles == 0 && !client_typed)
}

/// Whether a secret is stored. The secret itself never comes back.
#[derive(Debug, Serialize)]
pub struct SecretView {
    pub secret_set: bool,
}

/// The public facts of a certificate file; its key stays in the backend.
#[derive(Debug, Serialize)]
pub struct CertificateView {
    pub path: String,
    pub subject: String,
    /// SHA-1, uppercase hex: what Stitch knows the certificate by.
    pub thumbprint: String,
    pub not_before: String,
    pub not_after: String,
    /// `not_after` as a date, `YYYY-MM-DD`.
    pub expires_on: String,
    pub validity: Validity,
    /// A sentence when it expires within 30 days, has expired or is not valid yet.
    pub warning: Option<String>,
}

impl CertificateView {
    pub fn new(path: &Path, facts: &CertificateFacts, now: SystemTime) -> Self {
        let not_after = clock::rfc3339(facts.not_after);
        Self {
            path: path.display().to_string(),
            subject: facts.subject.clone(),
            thumbprint: facts.thumbprint.clone(),
            not_before: clock::rfc3339(facts.not_before),
            expires_on: not_after.split('T').next().unwrap_or_default().to_owned(),
            not_after,
            validity: facts.validity_at(now),
            warning: facts.warning_at(now),
        }
    }
}

/// The simulator's demo client, filled into the form. Its secret stays in the backend.
#[derive(Debug, Serialize)]
pub struct DemoView {
    pub client_id: String,
    pub auth: AuthMethod,
    pub token_url: String,
    pub audience: String,
    pub api_url: String,
    pub scopes: Vec<String>,
    pub secret_set: bool,
    pub certificate: Option<CertificateView>,
}

/// Where the countdown changes colour, so the window's ticking agrees with the engine.
#[derive(Debug, Serialize)]
pub struct Thresholds {
    pub soon_seconds: u64,
    pub critical_seconds: u64,
}

/// A token as the window shows it: masked, with its lifetime and scopes.
#[derive(Debug, Serialize)]
pub struct TokenView {
    pub masked: String,
    pub token_type: String,
    pub expires_in: u64,
    /// Seconds left when this view was made (less than `expires_in` for a cached token).
    pub remaining_seconds: u64,
    pub urgency: Urgency,
    pub thresholds: Thresholds,
    pub issued_at: String,
    pub expires_at: String,
    pub requested: Vec<String>,
    pub granted: Vec<String>,
    pub not_granted: Vec<String>,
    pub from_cache: bool,
    /// Where it came from, by host: "new from Stitch", "new from the built-in simulator", "new
    /// from 127.0.0.1:56253" or "reused from earlier (no request sent)".
    pub source: String,
    /// Warnings about the request, e.g. a misspelt scope or a certificate about to expire.
    pub notices: Vec<String>,
    /// A renewal failed and this still-valid token was served instead.
    pub refresh_failure: Option<ErrorView>,
    /// Where Copy as cURL sends the token.
    pub api_url: String,
}

impl TokenView {
    pub fn new(outcome: Outcome, notices: Vec<String>, api_url: String, source: String, now: SystemTime) -> Self {
        let t = &outcome.token;
        let countdown = usage::countdown(t.expires_at, now);
        Self {
            masked: t.access_token.masked(),
            token_type: t.token_type.clone(),
            expires_in: t.expires_in,
            remaining_seconds: countdown.remaining_seconds,
            urgency: countdown.urgency,
            thresholds: Thresholds { soon_seconds: usage::SOON.as_secs(), critical_seconds: usage::CRITICAL.as_secs() },
            issued_at: clock::rfc3339(t.issued_at),
            expires_at: clock::rfc3339(t.expires_at),
            requested: t.requested.iter().map(str::to_owned).collect(),
            granted: t.granted.iter().map(str::to_owned).collect(),
            not_granted: t.not_granted(),
            from_cache: outcome.from_cache,
            source,
            notices,
            refresh_failure: outcome.refresh_failure.map(ErrorView::from),
            api_url,
        }
    }
}

/// What was copied, and when the clipboard will be cleared.
#[derive(Debug, Serialize)]
pub struct CopyView {
    pub copied: Copyable,
    pub clear_after_seconds: u64,
}

/// What was copied, and when the clipboard will be cleared.
#[derive(Debug, Serialize)]
pub struct CopiedView {
    pub clear_after_seconds: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIM: &str = "http://127.0.0.1:8555/connect/token";

    #[test]
    fn the_simulator_card_shows_while_the_form_points_at_it_or_nothing_is_set_up() {
        assert_eq!(FormView::new(SIM, Some(SIM), 3, true), FormView { on_simulator: true, demo_card: true });
        assert!(FormView::new(token_desk_core::STITCH_TOKEN_URL, None, 0, false).demo_card);
        let colleague = "http://127.0.0.1:56253/connect/token";
        assert_eq!(FormView::new(colleague, Some(SIM), 0, true), FormView { on_simulator: false, demo_card: false });
        assert!(!FormView::new(token_desk_core::STITCH_TOKEN_URL, Some(SIM), 2, false).demo_card);
    }

    #[test]
    fn a_rejected_secret_is_marked_so_and_a_refused_scope_is_not() {
        let rejected = ErrorView::from(Failure::new(FailureKind::InvalidClient, "The secret was not accepted."));
        assert!(rejected.credential_rejected);
        let scope = ErrorView::from(Failure::new(FailureKind::ScopeNotAllowed, "Refused."));
        assert!(!scope.credential_rejected);
    }
}
