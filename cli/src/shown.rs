//! What the command line prints about a request passes through the engine's redaction with the
//! secret this run was given (a piped secret or the one read from the keyring), so even words
//! of its own cannot carry a short secret out: the same rule as the engine's, applied last.

use std::sync::OnceLock;

use token_desk_core::redact::Redactor;
use token_desk_core::request::Credential;

static REDACTOR: OnceLock<Redactor> = OnceLock::new();

/// Remembers the secret of `credential` (a client secret; a certificate's key never reaches
/// any text) for [`redact`]. The first one a run uses is the one it sends.
pub fn remember(credential: &Credential) {
    if let Credential::Secret(s) = credential {
        let _ = REDACTOR.set(Redactor::new(&[s.expose()]));
    }
}

/// `text` with this run's secret (and any private key or token field) removed.
pub fn redact(text: &str) -> String {
    match REDACTOR.get() {
        Some(r) => r.redact(text),
        None => Redactor::none().redact(text),
    }
}
