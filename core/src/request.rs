//! The client-credentials token request exactly as Stitch documents it (RFC 6749 §4.4.2):
//! a form-encoded POST with `grant_type`, `client_id`, `audience`, `scope` and one credential,
//! either `client_secret` (§2.3.1) or a JWT client assertion (RFC 7523 §2.2).
//!
//! Everything a person types is checked here, before anything is sent.

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use crate::assertion::{self, Claims, ASSERTION_TYPE};
use crate::certificate::ClientCertificate;
use crate::failure::Failure;
use crate::loopback;
use crate::scope::{self, Scopes};
use crate::secret::ClientSecret;
use crate::token_store::CacheKey;

/// How the client proves who it is. Exactly one per request.
#[derive(Debug, Clone)]
pub enum Credential {
    Secret(Arc<ClientSecret>),
    Certificate(Arc<ClientCertificate>),
}

impl Credential {
    pub fn secret(secret: ClientSecret) -> Self {
        Credential::Secret(Arc::new(secret))
    }

    pub fn certificate_file(path: &Path) -> Result<Self, Failure> {
        Ok(Credential::Certificate(Arc::new(ClientCertificate::from_file(path)?)))
    }

    /// Names the credential without revealing it, for the cache key: a salted SHA-256 of the
    /// secret, or the certificate's thumbprint.
    pub fn identity(&self) -> String {
        use sha2::{Digest, Sha256};
        match self {
            Credential::Secret(s) => {
                let mut h = Sha256::new();
                h.update(b"token-desk client secret v1\0");
                h.update(s.expose().as_bytes());
                format!("secret-sha256:{}", hex::encode(&h.finalize()[..16]))
            }
            Credential::Certificate(c) => format!("certificate-sha1:{}", c.thumbprint()),
        }
    }
}

/// What a person or script hands us, before checking.
#[derive(Debug, Clone)]
pub struct RequestInput {
    pub client_id: String,
    pub scopes: Scopes,
    /// Defaults to [`crate::STITCH_TOKEN_URL`].
    pub token_url: Option<String>,
    /// Defaults to the token URL, as Stitch requires.
    pub audience: Option<String>,
    pub credential: Credential,
}

/// A checked token request. Read-only once checked, so its cache key is computed once
/// (the cache lookup is the hot path).
#[derive(Debug, Clone)]
pub struct TokenRequest {
    token_url: url::Url,
    audience: String,
    client_id: String,
    scopes: Scopes,
    credential: Credential,
    key: CacheKey,
}

/// Something worth telling the user about a request that will still be sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    pub message: String,
}

/// A notice for each of `scopes` that is not a Stitch client scope (with the one it most
/// likely meant): told with every token for them, requested or reused.
pub fn scope_notices(scopes: &Scopes) -> Vec<Notice> {
    let unknown = scopes.iter().filter(|s| !scope::is_known(s));
    unknown
        .map(|s| match scope::did_you_mean(s) {
            Some(known) => format!("\"{s}\" is not a Stitch client scope. Did you mean \"{known}\"?"),
            None => format!("\"{s}\" is not one of Stitch's client scopes; the server may refuse it."),
        })
        .map(|message| Notice { message })
        .collect()
}

impl TokenRequest {
    /// Checks the input; returns the request and any warnings, or why it cannot be sent.
    pub fn check(input: RequestInput, now: SystemTime) -> Result<(Self, Vec<Notice>), Failure> {
        let client_id = check_client_id(&input.client_id)?.to_owned();
        if input.scopes.is_empty() {
            return Err(Failure::bad_input("Choose at least one scope, for example client_paymentrequest."));
        }
        if let Some((bad, problem)) = input.scopes.first_malformed() {
            return Err(Failure::bad_input(format!("The scope {} {problem}.", scope::quoted(bad))));
        }
        let mut notices = scope_notices(&input.scopes);

        let raw_url =
            input.token_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).unwrap_or(crate::STITCH_TOKEN_URL);
        let token_url = check_url(raw_url, "token URL")?;
        let audience = match input.audience.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            Some(a) => check_url(a, "audience")?.to_string(),
            None => token_url.to_string(),
        };
        check_audience(&audience, &token_url)?;

        match &input.credential {
            Credential::Secret(s) if s.is_blank() => {
                return Err(Failure::bad_input("Enter the client secret."));
            }
            Credential::Certificate(c) => {
                if let Some(w) = c.facts().warning_at(now) {
                    notices.push(Notice { message: w });
                }
            }
            Credential::Secret(_) => {}
        }

        Ok((Self::assemble(token_url, audience, client_id, input.scopes, input.credential), notices))
    }

    fn assemble(
        token_url: url::Url,
        audience: String,
        client_id: String,
        scopes: Scopes,
        credential: Credential,
    ) -> Self {
        let key = CacheKey {
            token_url: token_url.to_string(),
            client_id: client_id.clone(),
            credential: credential.identity(),
            audience: audience.clone(),
            scopes: scopes.as_set(),
        };
        Self { token_url, audience, client_id, scopes, credential, key }
    }

    /// The same request with `more` scopes added: the one-click fix after a token test found
    /// scopes missing.
    pub fn with_more_scopes(&self, more: &[String]) -> Self {
        let mut all: Vec<String> = self.scopes.iter().map(str::to_owned).collect();
        // What the API listed as missing comes back from the page: only a scope's shape is
        // taken, as at every other entry.
        all.extend(more.iter().filter(|s| crate::scope::check_word(s).is_ok()).cloned());
        let scopes = Scopes::parse(&all);
        Self::assemble(
            self.token_url.clone(),
            self.audience.clone(),
            self.client_id.clone(),
            scopes,
            self.credential.clone(),
        )
    }

    /// The same request for `scope` alone: one probe of "Find which one".
    pub fn with_only_scope(&self, scope: &str) -> Self {
        Self::assemble(
            self.token_url.clone(),
            self.audience.clone(),
            self.client_id.clone(),
            Scopes::parse([scope]),
            self.credential.clone(),
        )
    }

    pub fn token_url(&self) -> &url::Url {
        &self.token_url
    }

    pub fn audience(&self) -> &str {
        &self.audience
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn scopes(&self) -> &Scopes {
        &self.scopes
    }

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// What makes this request interchangeable with another for the cache.
    pub fn cache_key(&self) -> &CacheKey {
        &self.key
    }

    /// The fields that are not credentials, in the order Stitch's own example sends them.
    fn plain_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", self.client_id.clone()),
            ("audience", self.audience.clone()),
            ("scope", self.scopes.to_field()),
        ]
    }

    /// The form fields in the order Stitch's own example sends them. A certificate client
    /// gets a newly signed assertion (fresh `jti`, `iat` = `now`) on every call.
    pub fn form_fields(&self, now: SystemTime) -> Result<Vec<(&'static str, String)>, Failure> {
        let mut fields = self.plain_fields();
        match &self.credential {
            Credential::Secret(s) => fields.push(("client_secret", s.expose().to_owned())),
            Credential::Certificate(c) => {
                let jwt = assertion::sign(c, &Claims::new(&self.client_id, &self.audience, now))?;
                fields.push(("client_assertion_type", ASSERTION_TYPE.to_owned()));
                fields.push(("client_assertion", jwt));
            }
        }
        Ok(fields)
    }

    /// The form fields as they may be shown: the secret masked, the assertion described
    /// (it is signed anew for each request, so there is nothing fixed to show).
    pub fn shown_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = self.plain_fields();
        match &self.credential {
            Credential::Secret(_) => fields.push(("client_secret", "[redacted]".to_owned())),
            Credential::Certificate(c) => {
                fields.push(("client_assertion_type", ASSERTION_TYPE.to_owned()));
                fields.push((
                    "client_assertion",
                    format!(
                        "[RS256 JWT, kid {}, iss/sub {}, aud {}, signed for each request]",
                        c.thumbprint(),
                        self.client_id,
                        self.audience
                    ),
                ));
            }
        }
        fields
    }

    /// The `application/x-www-form-urlencoded` body (every value URL-encoded).
    pub fn form_body(&self, now: SystemTime) -> Result<String, Failure> {
        let fields = self.form_fields(now)?;
        Ok(url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish())
    }
}

/// Refuses an audience on another origin than the token URL (RFC 6454 §4): a client assertion
/// is valid at the server its `aud` names (RFC 7523 §3), so one addressed to Stitch but sent to
/// another token URL could be replayed at Stitch by whoever receives it. The `audience` field
/// of a secret request follows the same rule, so the two kinds of request cannot differ.
fn check_audience(audience: &str, token_url: &url::Url) -> Result<(), Failure> {
    let shown: String = audience.chars().take(200).collect();
    let same = url::Url::parse(audience).is_ok_and(|a| a.origin().is_tuple() && a.origin() == token_url.origin());
    if same {
        return Ok(());
    }
    Err(Failure::bad_input(format!(
        "The audience {shown:?} is not on the token URL's server ({}). An assertion addressed to one server is never sent to another: leave the audience empty (it is then the token URL), or use an address on the token URL's server.",
        token_url.origin().ascii_serialization()
    )))
}

/// [`TokenRequest::check`]'s audience rule for a profile being saved: `audience` (if set) must
/// be on `token_url`'s origin. A token URL that is not a URL is left to [`check_url`].
pub fn check_profile_audience(audience: Option<&str>, token_url: &str) -> Result<(), Failure> {
    match (audience.map(str::trim).filter(|a| !a.is_empty()), url::Url::parse(token_url.trim())) {
        (Some(a), Ok(url)) => check_audience(a, &url),
        _ => Ok(()),
    }
}

/// Checks a client id as typed or read (surrounding spaces dropped): the shape of Stitch's
/// client ids ([`scope::check_word`]). Returns it trimmed.
pub fn check_client_id(raw: &str) -> Result<&str, Failure> {
    let id = raw.trim();
    match scope::check_word(id) {
        Ok(()) => Ok(id),
        Err(scope::WordError::Empty) => {
            Err(Failure::bad_input("Enter the client ID (it looks like test-… or a long id from Stitch)."))
        }
        Err(scope::WordError::Character(c)) if id.chars().any(char::is_whitespace) => Err(Failure::bad_input(format!(
            "The client ID contains spaces or line breaks ({c}). Paste it again without them."
        ))),
        Err(problem) => Err(Failure::bad_input(format!("The client ID {} {problem}.", scope::quoted(id)))),
    }
}

/// The longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// Characters a URL Token Desk uses never needs, and that a shell, a template (`{{…}}`,
/// `${…}`) or a quoted string in code or collections would act on. RFC 3986 §2 does not allow
/// them unencoded either (except `$` and `'`, sub-delimiters no Stitch address uses).
const NOT_IN_URLS: [char; 10] = ['{', '}', '$', '`', '\'', '"', '<', '>', '\\', '|'];

/// A URL we may send credentials to: HTTPS, or plain HTTP only to this machine (the simulator);
/// no user name or password (RFC 3986 §3.2.1); no control character, space or one of
/// [`NOT_IN_URLS`] anywhere in the text. Returns it parsed, so callers keep and use its
/// re-serialised form (WHATWG URL serialisation: host lower-cased, path normalised), never the
/// text as typed. Surrounding spaces are dropped first.
pub fn check_url(raw: &str, what: &str) -> Result<url::Url, Failure> {
    let text = raw.trim();
    if text.len() > MAX_URL_BYTES {
        return Err(Failure::bad_input(format!("The {what} is longer than {MAX_URL_BYTES} characters.")));
    }
    if let Some(c) = text.chars().find(|&c| c.is_control() || c.is_whitespace() || NOT_IN_URLS.contains(&c)) {
        return Err(Failure::bad_input(format!(
            "The {what} {} contains {}, which a web address here never holds. Enter the full address without it (it starts with https://).",
            scope::quoted(text),
            scope::shown_char(c)
        )));
    }
    let url = url::Url::parse(text).map_err(|e| {
        Failure::bad_input(format!(
            "The {what} {} is not a valid web address ({e}). Enter the full address, starting with https://.",
            scope::quoted(text)
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if loopback::strict_url(&url) => {}
        "http" => {
            return Err(Failure::bad_input(format!(
            "The {what} must start with https:// (plain http is only allowed for this computer, e.g. the simulator)."
        )))
        }
        other => return Err(Failure::bad_input(format!("The {what} must be an https:// address, not {other}://."))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Failure::bad_input(format!("The {what} has no server name.")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Failure::bad_input(format!("The {what} must not contain a user name or password.")));
    }
    Ok(url)
}

#[cfg(test)]
mod tests;
