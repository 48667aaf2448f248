//! Each profile's secret in the OS keyring, under stable account names (the service is the
//! app identifier, see [`crate::os_keyring`]):
//!
//! | account | holds |
//! |---|---|
//! | `profile:<name>:client-secret` | the client secret (UTF-8) |
//! | `profile:<name>:private-key` | the certificate's RSA key, PKCS#8 DER |
//! | `profile:<name>:certificate` | the certificate, X.509 DER |
//!
//! The key and the certificate are kept apart and as DER because Windows' Credential Manager
//! holds at most 2,560 bytes per entry: a whole PEM file (even the key alone, for 4096-bit
//! keys) would not fit. Secrets are write-only from the outside: there is no way to show one,
//! only to know whether it is saved, to replace it, and to use it.

use serde::Serialize;

use super::{AuthMethod, Profile};
use crate::certificate::{CertificateError, CertificateFacts, ClientCertificate};
use crate::failure::{Failure, FailureKind};
use crate::os_keyring::{Found, Keyring, KeyringError, Saved};
use crate::request::Credential;
use crate::secret::{CertificatePem, ClientSecret};

const CLIENT_SECRET: &str = "client-secret";
const PRIVATE_KEY: &str = "private-key";
const CERTIFICATE: &str = "certificate";
const KINDS: [&str; 3] = [CLIENT_SECRET, PRIVATE_KEY, CERTIFICATE];

/// The keyring account of one of a profile's entries.
pub fn account(profile_name: &str, kind: &str) -> String {
    format!("profile:{profile_name}:{kind}")
}

/// Why a profile's secret could not be saved or used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("{0}")]
    Keyring(#[from] KeyringError),
    #[error("{0}")]
    Certificate(#[from] CertificateError),
    #[error("The certificate kept in the keyring for profile {0:?} cannot be read. Save the certificate file again.")]
    Damaged(String),
}

/// Whether a profile's secret is saved, for the window's "saved" label and `profile list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    Saved,
    /// Kept in memory only, because no keyring could be reached.
    ThisSessionOnly,
    Missing,
}

impl SecretState {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretState::Saved => "saved",
            SecretState::ThisSessionOnly => "this session only",
            SecretState::Missing => "missing",
        }
    }
}

/// The profiles' secrets in one keyring.
#[derive(Debug, Clone, Copy)]
pub struct ProfileSecrets<'k> {
    keyring: &'k Keyring,
}

impl<'k> ProfileSecrets<'k> {
    pub fn new(keyring: &'k Keyring) -> Self {
        Self { keyring }
    }

    /// Saves (or replaces) the client secret of profile `name`, and forgets any certificate
    /// it had.
    pub fn save_client_secret(&self, name: &str, secret: &ClientSecret) -> Result<Saved, SecretError> {
        let saved = self.keyring.save(&account(name, CLIENT_SECRET), secret.expose().as_bytes())?;
        self.forget_other_kinds(name, &[PRIVATE_KEY, CERTIFICATE], &saved)?;
        Ok(saved)
    }

    /// Checks a certificate file's text and saves its key and certificate for profile `name`
    /// (replacing what was there, and forgetting any client secret). Returns what may be shown
    /// about the certificate, for [`Profile::certificate`]. The file may be deleted afterwards.
    pub fn save_certificate(&self, name: &str, pem: &CertificatePem) -> Result<(Saved, CertificateFacts), SecretError> {
        let cert = ClientCertificate::from_pem(pem.expose().as_bytes())?;
        let (key_der, cert_der) = der_parts(pem, &cert)?;
        let saved = self.keyring.save(&account(name, PRIVATE_KEY), key_der.as_bytes())?;
        if let Err(e) = self.keyring.save(&account(name, CERTIFICATE), &cert_der) {
            let _ = self.keyring.delete(&account(name, PRIVATE_KEY));
            return Err(e.into());
        }
        self.forget_other_kinds(name, &[CLIENT_SECRET], &saved)?;
        Ok((saved, cert.facts().clone()))
    }

    /// The credential saved for `profile`, as its auth method says; `None` when nothing is
    /// saved.
    pub fn credential(&self, profile: &Profile) -> Result<Option<Credential>, SecretError> {
        match profile.auth {
            AuthMethod::Secret => {
                let Some(found) = self.keyring.read(&account(&profile.name, CLIENT_SECRET))? else {
                    return Ok(None);
                };
                let text = std::str::from_utf8(found.bytes())
                    .map_err(|_| SecretError::Damaged(profile.name.clone()))?
                    .to_owned();
                Ok(Some(Credential::secret(ClientSecret::new(text))))
            }
            AuthMethod::Certificate => {
                let key = self.keyring.read(&account(&profile.name, PRIVATE_KEY))?;
                let cert = self.keyring.read(&account(&profile.name, CERTIFICATE))?;
                let (Some(key), Some(cert)) = (key, cert) else { return Ok(None) };
                let pem = CertificatePem::new(format!(
                    "{}{}",
                    pem::encode(&pem::Pem::new("PRIVATE KEY", key.bytes().to_vec())),
                    pem::encode(&pem::Pem::new("CERTIFICATE", cert.bytes().to_vec()))
                ));
                let cert = ClientCertificate::from_pem(pem.expose().as_bytes())
                    .map_err(|_| SecretError::Damaged(profile.name.clone()))?;
                Ok(Some(Credential::Certificate(std::sync::Arc::new(cert))))
            }
        }
    }

    /// The credential for a token request with `profile`, or a failure to show: nothing saved
    /// (bad input: save one first), or no keyring to read it from
    /// ([`FailureKind::NoKeyring`]).
    pub fn credential_for_request(&self, profile: &Profile) -> Result<Credential, Failure> {
        let what = match profile.auth {
            AuthMethod::Secret => "client secret",
            AuthMethod::Certificate => "certificate",
        };
        match self.credential(profile) {
            Ok(Some(credential)) => Ok(credential),
            Ok(None) => Err(Failure::bad_input(format!(
                "Profile \"{}\" has no saved {what}. Save it first (it is kept in the OS keyring).",
                profile.name
            ))),
            Err(SecretError::Keyring(e)) => Err(Failure::new(
                FailureKind::NoKeyring,
                format!("The {what} of profile \"{}\" cannot be read: {e}", profile.name),
            )),
            Err(e) => Err(Failure::bad_input(e.to_string())),
        }
    }

    /// Whether the secret `profile` needs is saved. Never reveals it.
    pub fn state(&self, profile: &Profile) -> Result<SecretState, KeyringError> {
        let kinds: &[&str] = match profile.auth {
            AuthMethod::Secret => &[CLIENT_SECRET],
            AuthMethod::Certificate => &[PRIVATE_KEY, CERTIFICATE],
        };
        let mut state = SecretState::Saved;
        for kind in kinds {
            match self.keyring.read(&account(&profile.name, kind))? {
                None => return Ok(SecretState::Missing),
                Some(Found::ForThisSessionOnly(_)) => state = SecretState::ThisSessionOnly,
                Some(Found::InKeyring(_)) => {}
            }
        }
        Ok(state)
    }

    /// Deletes every entry of profile `name`; entries that are not there are fine.
    pub fn delete(&self, name: &str) -> Result<(), KeyringError> {
        self.delete_kinds(name, &KINDS)
    }

    /// Copies profile `from`'s entries to profile `to` (duplicating a profile).
    /// Without a keyring, the secret kept for this session is copied and the kinds it never
    /// had are skipped.
    pub fn copy(&self, from: &str, to: &str) -> Result<(), KeyringError> {
        let in_session = KINDS.iter().any(|kind| self.keyring.held_for_session(&account(from, kind)));
        for kind in KINDS {
            match self.keyring.read(&account(from, kind)) {
                Ok(Some(found)) => {
                    self.keyring.save(&account(to, kind), found.bytes())?;
                }
                Ok(None) => {}
                Err(e) if e.is_unreachable() && in_session => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Moves profile `from`'s entries to profile `to` (renaming a profile): copied first,
    /// then the old ones deleted, so a failure part-way loses nothing.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), KeyringError> {
        if from == to {
            return Ok(());
        }
        // Without a keyring, the secret kept for this session moves and the kinds it never
        // had are no reason to fail.
        let in_session = KINDS.iter().any(|kind| self.keyring.held_for_session(&account(from, kind)));
        self.copy(from, to)?;
        for kind in KINDS {
            match self.keyring.delete(&account(from, kind)) {
                Err(e) if e.is_unreachable() && in_session => {}
                other => other?,
            }
        }
        Ok(())
    }

    /// Deletes the entries of the kind of secret a profile no longer uses. When the new secret
    /// could only be kept for the session, an unreachable keyring is no reason to fail.
    fn forget_other_kinds(&self, name: &str, kinds: &[&str], saved: &Saved) -> Result<(), KeyringError> {
        match self.delete_kinds(name, kinds) {
            Err(e) if e.is_unreachable() && matches!(saved, Saved::ForThisSessionOnly(_)) => Ok(()),
            other => other,
        }
    }

    fn delete_kinds(&self, name: &str, kinds: &[&str]) -> Result<(), KeyringError> {
        for kind in kinds {
            self.keyring.delete(&account(name, kind))?;
        }
        Ok(())
    }
}

/// The certificate file's key (as PKCS#8 DER, whatever form the file used) and its first
/// certificate (DER), the client's own.
fn der_parts(pem: &CertificatePem, cert: &ClientCertificate) -> Result<(KeyDer, Vec<u8>), CertificateError> {
    use rsa::pkcs8::EncodePrivateKey;
    let key = cert.key().rsa().to_pkcs8_der().map_err(|e| CertificateError::BadKey(e.to_string()))?;
    let blocks = pem::parse_many(pem.expose().as_bytes()).map_err(|_| CertificateError::NotPem)?;
    let cert_der = blocks
        .into_iter()
        .find(|b| b.tag() == "CERTIFICATE")
        .map(|b| b.into_contents())
        .ok_or(CertificateError::NoCertificate)?;
    Ok((KeyDer(key), cert_der))
}

/// PKCS#8 DER of a private key; wiped when dropped (the `pkcs8` document zeroizes itself).
struct KeyDer(pkcs8::SecretDocument);

impl KeyDer {
    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}
