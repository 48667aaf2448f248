//! Reading the one PEM file Stitch issues to certificate clients: an RSA private key and its
//! X.509 certificate, as `openssl pkcs12 -nodes` writes them (`Bag Attributes` lines, the
//! blocks in either order, PKCS#8 or PKCS#1 keys).

use std::path::Path;
use std::time::SystemTime;

use pkcs8::der::{Decode, Encode};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde::Serialize;
use sha1::{Digest, Sha1};

use crate::secret::PrivateKey;

/// A file larger than this is not a certificate; refuse before reading it all.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The shortest RSA key accepted (NIST SP 800-131A: shorter keys are disallowed for signing).
pub const MIN_RSA_BITS: usize = 2048;

/// The OID of `rsaEncryption` (RFC 8017 Appendix C).
const RSA_ENCRYPTION: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Why a certificate file cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CertificateError {
    #[error("The certificate file could not be read ({0}). Check the path and that you may open it.")]
    Unreadable(String),
    #[error("The certificate file is empty. Choose the .pem file Stitch sent you.")]
    Empty,
    #[error("The file is {0} bytes, far too large for a certificate. Choose the .pem file Stitch sent you.")]
    TooLarge(u64),
    #[error("This is not a PEM file (no -----BEGIN ... ----- blocks). Choose the .pem file Stitch sent you, not a .p12 or .pfx.")]
    NotPem,
    #[error("The file has a certificate but no private key. Use the .pem file that holds both.")]
    NoKey,
    #[error("The file has a private key but no certificate. Use the .pem file that holds both.")]
    NoCertificate,
    #[error("The private key is encrypted. Convert it without a passphrase (openssl pkcs12 -nodes) and try again.")]
    EncryptedKey,
    #[error("The key is not an RSA key ({0}). Stitch certificates use RSA keys; ask Stitch for a new certificate.")]
    NotRsa(String),
    #[error("The private key does not belong to the certificate in the same file. Use the file exactly as Stitch issued it.")]
    KeyMismatch,
    #[error("The private key could not be read ({0}). The file may be damaged; ask Stitch for a new one.")]
    BadKey(String),
    #[error("The certificate could not be read ({0}). The file may be damaged; ask Stitch for a new one.")]
    BadCertificate(String),
    #[error("The key is only {0} bits long; keys under {MIN_RSA_BITS} bits can be broken. Ask Stitch for a new certificate with a 2048-bit (or longer) key.")]
    WeakKey(usize),
}

/// A client certificate and its private key, ready to sign client assertions.
#[derive(Debug, Clone)]
pub struct ClientCertificate {
    key: PrivateKey,
    facts: CertificateFacts,
}

/// What may be shown about a certificate: nothing here is secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateFacts {
    /// RFC 4514 form, e.g. `CN=test-client`.
    pub subject: String,
    /// SHA-1 of the certificate's DER, uppercase hex without separators: the JWT `kid`.
    pub thumbprint: String,
    #[serde(with = "crate::token::rfc3339_time")]
    pub not_before: SystemTime,
    #[serde(with = "crate::token::rfc3339_time")]
    pub not_after: SystemTime,
}

/// Whether a certificate is usable at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Valid,
    /// Valid, but expires within 30 days.
    ExpiresSoon,
    Expired,
    NotYetValid,
}

impl ClientCertificate {
    /// Reads a certificate file, refusing empty, huge and unreadable files with a clear reason.
    pub fn from_file(path: &Path) -> Result<Self, CertificateError> {
        read_file(path).map(|(_, cert)| cert)
    }

    /// Reads the key and certificate from PEM text. Text outside the blocks is ignored.
    pub fn from_pem(bytes: &[u8]) -> Result<Self, CertificateError> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(CertificateError::Empty);
        }
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(CertificateError::TooLarge(bytes.len() as u64));
        }
        let text = String::from_utf8_lossy(bytes);
        let blocks = pem::parse_many(text.as_bytes()).map_err(|_| CertificateError::NotPem)?;
        if blocks.is_empty() {
            return Err(CertificateError::NotPem);
        }

        let mut cert = None;
        let mut key = None;
        for block in &blocks {
            match block.tag() {
                "CERTIFICATE" if cert.is_none() => cert = Some(block),
                "CERTIFICATE" => {} // a chain: the first certificate is the client's
                "ENCRYPTED PRIVATE KEY" => return Err(CertificateError::EncryptedKey),
                "RSA PRIVATE KEY" | "PRIVATE KEY" => {
                    if block.headers().get("Proc-Type").is_some_and(|v| v.contains("ENCRYPTED")) {
                        return Err(CertificateError::EncryptedKey);
                    }
                    key.get_or_insert(block);
                }
                "EC PRIVATE KEY" => return Err(CertificateError::NotRsa("an elliptic-curve key".into())),
                "DSA PRIVATE KEY" => return Err(CertificateError::NotRsa("a DSA key".into())),
                "OPENSSH PRIVATE KEY" => return Err(CertificateError::NotRsa("an OpenSSH key".into())),
                _ => {}
            }
        }
        let (cert, key) = match (cert, key) {
            (Some(c), Some(k)) => (c, k),
            (Some(_), None) => return Err(CertificateError::NoKey),
            (None, Some(_)) => return Err(CertificateError::NoCertificate),
            (None, None) => return Err(CertificateError::NotPem),
        };

        let key = read_key(key.tag(), key.contents())?;
        let bits = key.n().bits();
        if bits < MIN_RSA_BITS {
            return Err(CertificateError::WeakKey(bits));
        }
        let parsed = x509_cert::Certificate::from_der(cert.contents())
            .map_err(|e| CertificateError::BadCertificate(e.to_string()))?;
        let spki = &parsed.tbs_certificate.subject_public_key_info;
        if spki.algorithm.oid != RSA_ENCRYPTION {
            return Err(CertificateError::NotRsa(format!("certificate key algorithm {}", spki.algorithm.oid)));
        }
        let spki_der = spki.to_der().map_err(|e| CertificateError::BadCertificate(e.to_string()))?;
        let public = <rsa::RsaPublicKey as rsa::pkcs8::DecodePublicKey>::from_public_key_der(&spki_der)
            .map_err(|e| CertificateError::BadCertificate(e.to_string()))?;
        if public.n() != key.n() || public.e() != key.e() {
            return Err(CertificateError::KeyMismatch);
        }

        let validity = &parsed.tbs_certificate.validity;
        let facts = CertificateFacts {
            subject: parsed.tbs_certificate.subject.to_string(),
            thumbprint: thumbprint(cert.contents()),
            not_before: validity.not_before.to_system_time(),
            not_after: validity.not_after.to_system_time(),
        };
        Ok(Self { key: PrivateKey::new(key), facts })
    }

    pub fn facts(&self) -> &CertificateFacts {
        &self.facts
    }

    /// The JWT `kid`: the certificate's SHA-1 thumbprint in uppercase hex.
    pub fn thumbprint(&self) -> &str {
        &self.facts.thumbprint
    }

    pub(crate) fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// The public key as PKCS#1 DER, for a server that must verify our assertions.
    pub fn public_key_pkcs1_der(&self) -> Vec<u8> {
        use rsa::pkcs1::EncodeRsaPublicKey;
        rsa::RsaPublicKey::from(self.key.rsa()).to_pkcs1_der().map(|d| d.as_bytes().to_vec()).unwrap_or_default()
    }
}

impl CertificateFacts {
    /// Whether the certificate can be used at `now`; "soon" means within 30 days.
    pub fn validity_at(&self, now: SystemTime) -> Validity {
        if now < self.not_before {
            Validity::NotYetValid
        } else if now >= self.not_after {
            Validity::Expired
        } else if self.not_after.duration_since(now).unwrap_or_default() <= std::time::Duration::from_secs(30 * 86_400)
        {
            Validity::ExpiresSoon
        } else {
            Validity::Valid
        }
    }

    /// A sentence for the user when the certificate is not comfortably valid at `now`.
    pub fn warning_at(&self, now: SystemTime) -> Option<String> {
        let day = crate::clock::rfc3339(self.not_after);
        let day = day.split('T').next().unwrap_or(&day);
        match self.validity_at(now) {
            Validity::Valid => None,
            Validity::ExpiresSoon => Some(format!("The certificate expires on {day}. Ask Stitch for a new one soon.")),
            Validity::Expired => Some(format!(
                "The certificate expired on {day}. Stitch will refuse it; ask Stitch for a new certificate."
            )),
            Validity::NotYetValid => {
                let from = crate::clock::rfc3339(self.not_before);
                Some(format!("The certificate is not valid until {from}. Check this computer's clock, or wait."))
            }
        }
    }
}

/// The text of the certificate file at `path`, read only if it is a regular file of at most
/// [`MAX_FILE_BYTES`] (see [`crate::files::read_capped`]: `/dev/zero` and FIFOs are refused
/// without blocking). For every certificate path, typed or chosen, in the window or not.
pub fn read_pem_file(path: &Path) -> Result<crate::secret::CertificatePem, CertificateError> {
    use crate::files::FileError;
    let bytes = crate::files::read_capped(path, MAX_FILE_BYTES).map_err(|e| match e {
        FileError::TooLarge { size, .. } => CertificateError::TooLarge(size),
        FileError::NotFound => CertificateError::Unreadable(std::io::ErrorKind::NotFound.to_string()),
        FileError::NotRegular("a folder") => CertificateError::Unreadable("it is a folder".into()),
        not_regular @ FileError::NotRegular(_) => CertificateError::Unreadable(not_regular.to_string()),
        FileError::Io(cause) => CertificateError::Unreadable(cause),
    })?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    zeroize::Zeroize::zeroize(&mut { bytes });
    Ok(crate::secret::CertificatePem::new(text))
}

/// The certificate file at `path`, read once: its text (what a profile keeps in the keyring)
/// and the certificate in it. The one way every front end reads a certificate file, so a file
/// is refused with the same words whether it was typed on the command line or chosen in the
/// window. Bytes outside UTF-8 (a `friendlyName` in Latin-1) are read as U+FFFD: PEM blocks
/// are ASCII, so the key and certificate are unchanged and the file is not refused for its
/// attribute lines.
pub fn read_file(path: &Path) -> Result<(crate::secret::CertificatePem, ClientCertificate), CertificateError> {
    let pem = read_pem_file(path)?;
    let cert = ClientCertificate::from_pem(pem.expose().as_bytes())?;
    Ok((pem, cert))
}

/// SHA-1 of DER bytes as uppercase hex, no separators (the form Stitch expects as `kid`).
pub fn thumbprint(der: &[u8]) -> String {
    hex::encode_upper(Sha1::digest(der))
}

fn read_key(tag: &str, der: &[u8]) -> Result<rsa::RsaPrivateKey, CertificateError> {
    if tag == "RSA PRIVATE KEY" {
        return rsa::RsaPrivateKey::from_pkcs1_der(der).map_err(|e| CertificateError::BadKey(e.to_string()));
    }
    let info = pkcs8::PrivateKeyInfo::from_der(der).map_err(|e| CertificateError::BadKey(e.to_string()))?;
    if info.algorithm.oid != RSA_ENCRYPTION {
        let what = match info.algorithm.oid.to_string().as_str() {
            "1.2.840.10045.2.1" => "an elliptic-curve key".to_string(),
            "1.3.101.112" => "an Ed25519 key".to_string(),
            other => format!("key algorithm {other}"),
        };
        return Err(CertificateError::NotRsa(what));
    }
    rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|e| CertificateError::BadKey(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_certificate_file_is_refused_with_the_same_words_everywhere() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_file(&dir.path().join("missing.pem")).unwrap_err();
        assert_eq!(missing, CertificateError::Unreadable("entity not found".into()));
        assert_eq!(ClientCertificate::from_file(&dir.path().join("missing.pem")).unwrap_err(), missing);
    }
}
