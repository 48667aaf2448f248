//! The client assertion for certificate clients: an RS256-signed JWT (RFC 7523 §2.2, §3),
//! signed afresh for every request because the server rejects a reused `jti`.

use std::time::{Duration, SystemTime};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde::{Deserialize, Serialize};

use crate::certificate::ClientCertificate;
use crate::clock::unix_seconds;
use crate::failure::Failure;

/// `client_assertion_type` for a JWT assertion (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is valid. Stitch's sample uses five minutes and advises shorter for
/// machine use; one minute leaves room for slow networks and retries re-sign anyway.
pub const LIFETIME: Duration = Duration::from_secs(60);

/// The claims of a client assertion (RFC 7523 §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub jti: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

impl Claims {
    /// Claims for `client_id` addressed to `audience`, issued at `now` with a random `jti`.
    pub fn new(client_id: &str, audience: &str, now: SystemTime) -> Self {
        let at = unix_seconds(now);
        Self {
            iss: client_id.to_owned(),
            sub: client_id.to_owned(),
            aud: audience.to_owned(),
            jti: uuid::Uuid::new_v4().to_string(),
            iat: at,
            nbf: at,
            exp: at + LIFETIME.as_secs() as i64,
        }
    }
}

/// Signs `claims` with the certificate's key; the header carries `kid` = the certificate's
/// SHA-1 thumbprint (uppercase hex), which is how Stitch finds the certificate.
pub fn sign(certificate: &ClientCertificate, claims: &Claims) -> Result<String, Failure> {
    let mut header = Header::new(Algorithm::RS256);
    header.typ = Some("JWT".into());
    header.kid = Some(certificate.thumbprint().to_owned());
    let der = certificate
        .key()
        .rsa()
        .to_pkcs1_der()
        .map_err(|e| Failure::bad_input(format!("The private key could not be used for signing ({e}).")))?;
    let key = EncodingKey::from_rsa_der(der.as_bytes());
    jsonwebtoken::encode(&header, claims, &key)
        .map_err(|e| Failure::bad_input(format!("The client assertion could not be signed ({e}).")))
}
