//! Types for the things that must never be shown: they print `[redacted]`, have no
//! `Display`, and implement neither `Serialize` nor `Clone`-to-string helpers, so a secret
//! cannot leak through logs, errors, IPC or files by accident.

use std::fmt;
use std::sync::Arc;

/// A Stitch client secret (sent as `client_secret`, RFC 6749 §2.3.1 `client_secret_post`).
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps a secret, trimming the line ending a pasted or piped secret usually carries.
    pub fn new(secret: impl Into<String>) -> Self {
        let s: String = secret.into();
        let trimmed = s.trim_end_matches(['\r', '\n']);
        Self(trimmed.to_owned())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for ClientSecret {
    fn drop(&mut self) {
        // Best effort: overwrite the bytes so a core dump is less likely to hold the secret.
        // SAFETY: zero bytes are valid UTF-8.
        unsafe { self.0.as_bytes_mut().fill(0) };
    }
}

/// An RSA private key read from a certificate file.
#[derive(Clone)]
pub struct PrivateKey(Arc<rsa::RsaPrivateKey>);

impl PrivateKey {
    pub(crate) fn new(key: rsa::RsaPrivateKey) -> Self {
        Self(Arc::new(key))
    }

    pub(crate) fn rsa(&self) -> &rsa::RsaPrivateKey {
        &self.0
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The text of a certificate file (private key and certificate in PEM), on its way into or
/// out of the OS keyring. Like the other secret types it prints `[redacted]`, has no
/// `Display`, cannot be serialized, and is wiped from memory when dropped.
pub struct CertificatePem(zeroize::Zeroizing<String>);

impl CertificatePem {
    pub fn new(text: impl Into<String>) -> Self {
        Self(zeroize::Zeroizing::new(text.into()))
    }

    /// The PEM text, for the one place that parses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CertificatePem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Bytes read from or written to the OS keyring (a secret, a key, a cached token): printed as
/// `[redacted]`, never serialized, wiped from memory when dropped.
pub struct SecretBytes(zeroize::Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(zeroize::Zeroizing::new(bytes))
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_secret_debugs_as_redacted() {
        let s = ClientSecret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&s)), "Some([redacted])");
    }

    #[test]
    fn a_piped_secret_loses_its_line_ending_only() {
        assert_eq!(ClientSecret::new(" abc \n").expose(), " abc ");
        assert!(ClientSecret::new(" \n").is_blank());
    }

    #[test]
    fn certificate_text_and_keyring_bytes_debug_as_redacted() {
        let pem = CertificatePem::new("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n");
        assert_eq!(format!("{pem:?}"), "[redacted]");
        assert_eq!(format!("{:#?}", Some(&pem)), "Some(\n    [redacted],\n)");
        let bytes = SecretBytes::new(b"MIIEvQIBADANBg".to_vec());
        assert_eq!(format!("{bytes:?}"), "[redacted]");
    }
}
