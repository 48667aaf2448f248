//! Where a credential may go. A client secret or certificate is entered for one client at one
//! token endpoint, and is handed out only for a request to that same client at that same
//! origin (RFC 6454 §4: scheme, host and port). A secret typed for `test-shop` at
//! `https://secure.stitch.money` can therefore never be sent to a token URL that a profile,
//! an imported file or a later edit points elsewhere.

use std::fmt;

use serde::Serialize;

use crate::failure::Failure;
use crate::request::Credential;

/// An origin as RFC 6454 §4 defines it for URLs: scheme, host and port (the port spelled out
/// even when it is the scheme's default, so `https://a` and `https://a:443` are one origin).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of `url`; `None` for URLs without a host or a known port (`data:`, `file:`).
    pub fn of(url: &url::Url) -> Option<Self> {
        let host = url.host_str().filter(|h| !h.is_empty())?.to_ascii_lowercase();
        Some(Self { scheme: url.scheme().to_ascii_lowercase(), host, port: url.port_or_known_default()? })
    }

    /// The origin of the address `raw`; `None` when it is not an absolute URL with a host.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::of(&url::Url::parse(raw.trim()).ok()?)
    }

    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host as the URL spells it (IPv6 addresses in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn default_port(&self) -> Option<u16> {
        match self.scheme.as_str() {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        }
    }
}

impl fmt::Display for Origin {
    /// `https://secure.stitch.money`, or `http://127.0.0.1:8555` when the port is not the
    /// scheme's default: the way people read addresses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.default_port() == Some(self.port) {
            write!(f, "{}://{}", self.scheme, self.host)
        } else {
            write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
        }
    }
}

/// A form's token URL, or Stitch's when it is left empty.
pub fn token_url_or_stitch(token_url: Option<&str>) -> &str {
    token_url.map(str::trim).filter(|u| !u.is_empty()).unwrap_or(crate::STITCH_TOKEN_URL)
}

/// A client at a token endpoint's origin: what a credential is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Destination {
    client_id: String,
    origin: Origin,
}

impl Destination {
    /// The destination of requests for `client_id` at `token_url`. A token URL that is not an
    /// absolute address with a host is bad input.
    pub fn new(client_id: &str, token_url: &str) -> Result<Self, Failure> {
        let origin = Origin::parse(token_url).ok_or_else(|| {
            Failure::bad_input(format!(
                "The token URL {:?} is not a full web address. Enter it starting with https://.",
                token_url.chars().take(200).collect::<String>()
            ))
        })?;
        Ok(Self::at(client_id, origin))
    }

    /// Where a secret typed into a form may go: `client_id` at the origin of the form's
    /// `token_url` (Stitch's when it is left empty).
    pub fn of_form(client_id: &str, token_url: Option<&str>) -> Result<Self, Failure> {
        Self::new(client_id, token_url_or_stitch(token_url))
    }

    /// The destination of requests for `client_id` at `origin`.
    pub fn at(client_id: &str, origin: Origin) -> Self {
        Self { client_id: client_id.trim().to_owned(), origin }
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// A stable text naming this destination, for keyring entries: `client@scheme://host:port`
    /// (the port always spelled out, so one origin has one key).
    pub fn key(&self) -> String {
        format!("{}@{}://{}:{}", self.client_id, self.origin.scheme, self.origin.host, self.origin.port)
    }

    /// Why a credential bound here may not be used for `other`, as a sentence that says what
    /// to do; `None` when `other` is this destination.
    pub fn refusal_for(&self, other: &Destination, what: &str) -> Option<Failure> {
        if self == other {
            return None;
        }
        let message = if self.origin == other.origin {
            format!(
                "This {what} was entered for {} at {}. Enter the {what} of {} to use it.",
                self.client_id, self.origin, other.client_id
            )
        } else {
            format!(
                "This {what} was entered for {} at {}. Enter the {what} again for {}.",
                self.client_id,
                self.origin,
                other.origin.host()
            )
        };
        Some(Failure::bad_input(message))
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.client_id, self.origin)
    }
}

/// A credential held together with the destination it was entered for. It hands the
/// credential out only for a request to that destination, so a secret typed for one client
/// and server is never sent anywhere else, whatever the form, a profile or a file says later.
/// Like the credential inside it, it prints `[redacted]` and cannot be serialized.
#[derive(Clone)]
pub struct BoundCredential {
    credential: Credential,
    destination: Destination,
}

impl fmt::Debug for BoundCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundCredential")
            .field("credential", &"[redacted]")
            .field("destination", &self.destination)
            .finish()
    }
}

impl BoundCredential {
    /// Binds `credential` to `destination`: the client and token endpoint it was entered for.
    pub fn new(credential: Credential, destination: Destination) -> Self {
        Self { credential, destination }
    }

    /// Binds `credential` to `client_id` at the origin of `token_url`.
    pub fn entered_for(credential: Credential, client_id: &str, token_url: &str) -> Result<Self, Failure> {
        Ok(Self::new(credential, Destination::new(client_id, token_url)?))
    }

    pub fn destination(&self) -> &Destination {
        &self.destination
    }

    /// Whether this credential may be used for `client_id` at `token_url`.
    pub fn is_for(&self, client_id: &str, token_url: &str) -> bool {
        Destination::new(client_id, token_url).is_ok_and(|d| d == self.destination)
    }

    /// The credential, for a request to `client_id` at `token_url` only; for any other client
    /// or origin, a bad-input failure that says to enter the credential again for that host.
    pub fn credential_for(&self, client_id: &str, token_url: &str) -> Result<Credential, Failure> {
        let wanted = Destination::new(client_id, token_url)?;
        let what = match self.credential {
            Credential::Secret(_) => "secret",
            Credential::Certificate(_) => "certificate",
        };
        match self.destination.refusal_for(&wanted, what) {
            Some(refusal) => Err(refusal),
            None => Ok(self.credential.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ClientSecret;

    fn bound() -> BoundCredential {
        let secret = Credential::secret(ClientSecret::new("s3cret-value"));
        BoundCredential::entered_for(secret, "test-shop", "https://secure.stitch.money/connect/token").unwrap()
    }

    #[test]
    fn a_form_with_no_token_url_binds_its_secret_to_stitchs_origin() {
        assert_eq!(token_url_or_stitch(Some("  ")), crate::STITCH_TOKEN_URL);
        assert_eq!(token_url_or_stitch(Some(" http://127.0.0.1:9/t ")), "http://127.0.0.1:9/t");
        let d = Destination::of_form(" test-shop ", None).unwrap();
        assert_eq!(d.key(), "test-shop@https://secure.stitch.money:443");
        assert!(Destination::of_form("test-shop", Some("not a url")).is_err());
    }

    #[test]
    fn a_credential_is_handed_out_for_its_own_client_and_origin_only() {
        let b = bound();
        assert!(b.credential_for("test-shop", "https://secure.stitch.money/connect/token").is_ok());
        assert!(b.credential_for("test-shop", "https://SECURE.stitch.money:443/other/path").is_ok());
        for (client, url) in [
            ("test-other", "https://secure.stitch.money/connect/token"),
            ("test-shop", "https://evil.example/connect/token"),
            ("test-shop", "http://secure.stitch.money/connect/token"),
            ("test-shop", "https://secure.stitch.money:8443/connect/token"),
        ] {
            let refused = b.credential_for(client, url).unwrap_err();
            assert_eq!(refused.kind, crate::FailureKind::BadInput, "{client} {url}");
            assert!(!b.is_for(client, url));
        }
    }

    #[test]
    fn a_refusal_says_where_the_secret_was_entered_and_what_to_do() {
        let refused = bound().credential_for("test-shop", "https://evil.example/connect/token").unwrap_err();
        assert_eq!(
            refused.message,
            "This secret was entered for test-shop at https://secure.stitch.money. Enter the secret again for evil.example."
        );
        assert!(!refused.message.contains("s3cret"));
    }

    #[test]
    fn a_bound_credential_debugs_without_its_secret() {
        let shown = format!("{:?}", bound());
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("test-shop"), "{shown}");
    }

    #[test]
    fn an_origin_spells_out_the_port_in_its_key_and_hides_a_default_one_when_shown() {
        let d = Destination::new("c", "https://secure.stitch.money/connect/token").unwrap();
        assert_eq!(d.key(), "c@https://secure.stitch.money:443");
        assert_eq!(d.origin().to_string(), "https://secure.stitch.money");
        let local = Destination::new("c", "http://127.0.0.1:8555/connect/token").unwrap();
        assert_eq!(local.origin().to_string(), "http://127.0.0.1:8555");
        assert!(Destination::new("c", "not a url").is_err());
    }
}
