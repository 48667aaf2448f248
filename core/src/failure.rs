//! Everything that can go wrong when getting a token, as a closed set of kinds, each with a
//! one-line message that says what to do next and the technical detail kept apart.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::certificate::CertificateError;
use crate::outside::Outside;
use crate::redact::Redactor;

/// What kind of failure this is. The window picks icons and actions from it; the command
/// line picks its exit code from [`FailureKind::class`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Something we were given is wrong; no request was sent.
    BadInput,
    /// `invalid_client`: unknown client, wrong secret, bad or expired certificate.
    InvalidClient,
    /// `invalid_scope` (or `invalid_grant`): a scope this client may not have.
    ScopeNotAllowed,
    /// `unauthorized_client`: the client may not use the client-credentials grant.
    UnauthorizedClient,
    /// `invalid_request`, `unsupported_grant_type`: the request itself was malformed.
    MalformedRequest,
    /// Another OAuth error code we do not know.
    Refused,
    /// HTTP 5xx, including proxies' HTML error pages.
    ServerError,
    /// HTTP 429.
    RateLimited,
    /// No answer in time.
    Timeout,
    /// No connection: refused, unreachable, or the name did not resolve.
    CannotConnect,
    /// The secure connection failed (certificate or TLS handshake).
    Tls,
    /// The proxy in the way refused the request or asked for credentials (HTTP 407).
    Proxy,
    /// An answer that is not a token response: HTML, broken JSON, no `access_token`,
    /// an impossible `expires_in`, an unknown address.
    UnexpectedResponse,
    /// The token URL answered with a redirect, which we never follow.
    Redirect,
    /// The user stopped the request.
    Cancelled,
    /// A saved profile's secret could not be read: no OS keyring service can be reached (or
    /// it refused). No request was sent.
    NoKeyring,
}

/// Which of the three outcomes a failure belongs to; the command line's exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// Exit code 2: fix the input and run again.
    Input,
    /// Exit code 3: the server said no.
    Rejected,
    /// Exit code 4: the network or the server failed; trying later may work.
    Unavailable,
    /// Exit code 5: the OS keyring cannot be reached, so a saved secret cannot be used.
    NoKeyring,
}

impl FailureKind {
    pub fn class(self) -> FailureClass {
        use FailureKind::*;
        match self {
            BadInput => FailureClass::Input,
            InvalidClient | ScopeNotAllowed | UnauthorizedClient | MalformedRequest | Refused => FailureClass::Rejected,
            ServerError | RateLimited | Timeout | CannotConnect | Tls | Proxy | UnexpectedResponse | Redirect
            | Cancelled => FailureClass::Unavailable,
            NoKeyring => FailureClass::NoKeyring,
        }
    }

    /// Whether trying again shortly may succeed (RFC 6749 errors never do).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            FailureKind::ServerError | FailureKind::RateLimited | FailureKind::Timeout | FailureKind::CannotConnect
        )
    }
}

/// The technical side of a failure, shown behind a *Details* toggle. Never holds a secret:
/// every field passes through [`crate::redact`] ([`Failure::redacted`]) before it leaves.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Detail {
    pub url: Option<String>,
    pub status: Option<u16>,
    /// RFC 6749 §5.2 `error` (or the API's error code), as the server wrote it.
    pub oauth_error: Option<Outside>,
    /// RFC 6749 §5.2 `error_description` (or the API's message), as the server wrote it.
    pub oauth_error_description: Option<Outside>,
    pub retry_after_seconds: Option<u64>,
    /// The `Location` a server answered with (RFC 9110 §10.2.2).
    pub location: Option<Outside>,
    /// Scopes the server named as not allowed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// The start of the response body, secrets removed.
    pub body_excerpt: Option<Outside>,
    /// The underlying cause, e.g. the transport error.
    pub cause: Option<String>,
    /// How many requests were sent before giving up.
    pub attempts: u32,
}

/// A failure to get a token: a kind, a plain-language message and the technical detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
    /// Boxed: failures travel in `Result`s everywhere and the detail is rarely read.
    pub detail: Box<Detail>,
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), detail: Box::default() }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(FailureKind::BadInput, message)
    }

    pub fn with_detail(mut self, detail: Detail) -> Self {
        *self.detail = detail;
        self
    }

    /// The detail as `key: value` lines, for a terminal or a *Details* panel: what a server
    /// said is written by `shown`, the encoder of the output the lines go to
    /// ([`Outside::for_terminal`], or the page's text nodes).
    pub fn detail_lines(&self, shown: impl Fn(&Outside) -> String) -> Vec<String> {
        let d = &self.detail;
        let mut lines =
            vec![format!("kind: {}", serde_json::to_value(self.kind).unwrap_or_default().as_str().unwrap_or(""))];
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                lines.push(format!("{k}: {v}"));
            }
        };
        push("url", d.url.clone());
        push("HTTP status", d.status.map(|s| s.to_string()));
        push("OAuth error", d.oauth_error.as_ref().map(&shown));
        push("OAuth error description", d.oauth_error_description.as_ref().map(&shown));
        push("Retry-After", d.retry_after_seconds.map(|s| format!("{s} s")));
        push("redirect to", d.location.as_ref().map(&shown));
        push("scopes named", (!d.scopes.is_empty()).then(|| d.scopes.join(" ")));
        push("cause", d.cause.clone());
        push("attempts", (d.attempts > 0).then(|| d.attempts.to_string()));
        push("response body", d.body_excerpt.as_ref().map(&shown));
        lines
    }
}

impl Failure {
    /// The same failure with every text in it passed through `redactor`: applied where a
    /// failure leaves the engine, so nothing a server echoed can carry a secret out.
    pub fn redacted(mut self, redactor: &Redactor) -> Self {
        self.message = redactor.redact(&self.message);
        let d = &mut *self.detail;
        for field in [&mut d.url, &mut d.cause] {
            if let Some(text) = field.as_mut() {
                *text = redactor.redact(text);
            }
        }
        for field in [&mut d.oauth_error, &mut d.oauth_error_description, &mut d.location, &mut d.body_excerpt] {
            if let Some(text) = field.as_mut() {
                *text = text.redacted(redactor);
            }
        }
        for s in &mut d.scopes {
            *s = redactor.redact(s);
        }
        self
    }
}

impl From<CertificateError> for Failure {
    fn from(e: CertificateError) -> Self {
        Failure::bad_input(e.to_string())
    }
}

/// How much of a response body the detail keeps.
pub const EXCERPT_CHARS: usize = 600;

/// The start of a body as text, redacted by `redactor` (see [`crate::redact`]) before it is
/// cut to [`EXCERPT_CHARS`] ([`Redactor::redact_cut`]), so no part of a secret survives the
/// cut.
pub fn excerpt(body: &[u8], redactor: &Redactor) -> String {
    redactor.redact_cut(&String::from_utf8_lossy(body), EXCERPT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_removes_given_secrets_plain_and_url_encoded() {
        let body = b"echo: client_secret=s3cr%2Bt%2Fx&other=s3cr+t/x";
        let out = excerpt(body, &Redactor::new(&["s3cr+t/x"]));
        assert!(!out.contains("s3cr"), "{out}");
    }

    #[test]
    fn an_excerpt_blanks_token_fields_in_json() {
        let out = excerpt(br#"{"access_token" : "abc.def", "expires_in": -5}"#, &Redactor::none());
        assert_eq!(out, r#"{"access_token" : "[redacted]", "expires_in": -5}"#);
    }

    #[test]
    fn an_excerpt_cut_inside_a_secret_keeps_no_part_of_it() {
        let secret = "s3cr+t/x-0123456789";
        let body = format!("{}{}", "x".repeat(EXCERPT_CHARS - 6), secret);
        let out = excerpt(body.as_bytes(), &Redactor::new(&[secret]));
        assert!(!out.contains("s3c"), "{out}");
        let echoed = format!("{}{}", "x".repeat(EXCERPT_CHARS - 6), secret.to_uppercase().replace('+', "%2B"));
        let out = excerpt(echoed.as_bytes(), &Redactor::new(&[secret]));
        assert!(!out.to_lowercase().contains("s3c"), "{out}");
        // Text that only begins like the secret, cut there: the beginning goes too.
        let begins = format!("{}s3cr+t/x-01 and then something else", "x".repeat(EXCERPT_CHARS - 5));
        let out = excerpt(begins.as_bytes(), &Redactor::new(&[secret]));
        assert_eq!(out, format!("{}…", "x".repeat(EXCERPT_CHARS - 5)));
    }

    #[test]
    fn an_excerpt_is_cut_to_a_readable_length() {
        let body = "x".repeat(5000);
        assert_eq!(excerpt(body.as_bytes(), &Redactor::none()).chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn every_kind_has_a_class() {
        assert_eq!(FailureKind::BadInput.class(), FailureClass::Input);
        assert_eq!(FailureKind::InvalidClient.class(), FailureClass::Rejected);
        assert_eq!(FailureKind::Timeout.class(), FailureClass::Unavailable);
    }
}
