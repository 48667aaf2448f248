//! Each profile's secret in the OS keyring, under stable account names (the service is the
//! app identifier, see [`crate::keyring`]) that bind it to the client and token-URL origin
//! it was saved for ([`Destination::key`], e.g. `test-shop@https://secure.stitch.money:443`):
//!
//! | account | holds |
//! |---|---|
//! | `profile:<name>:client-secret:<client>@<origin>` | the client secret (UTF-8) |
//! | `profile:<name>:private-key:<client>@<origin>` | the certificate's RSA key, PKCS#8 DER |
//! | `profile:<name>:certificate:<client>@<origin>` | the certificate, X.509 DER |
//!
//! The name, the kind and the client id are percent-encoded ([`account_name::part`]): a `:` or `@`
//! in them could otherwise make two profiles' accounts one (profile `a:client-secret:b` of
//! client `c` and profile `a` of client `b:client-secret:c`), handing one profile's secret to
//! the other. Entries saved before (under the names unencoded) are found and moved to their
//! new names the first time they are read.
//!
//! A profile reads only the entries of its own name *and* destination, so an entry left over
//! from another profile of the same name (the settings file moved away, a removal while the
//! keyring was locked) is never sent to a client or server it was not saved for: a profile
//! whose client id or token URL changed, or an imported one, asks for its secret again.
//!
//! The key and the certificate are kept apart and as DER because Windows' Credential Manager
//! holds at most 2,560 bytes per entry: a whole PEM file (even the key alone, for 4096-bit
//! keys) would not fit. Secrets are write-only from the outside: there is no way to show one,
//! only to know whether it is saved, to replace it, and to use it.

use serde::Serialize;

use crate::certificate::{CertificateError, CertificateFacts, ClientCertificate};
use crate::destination::Destination;
use crate::keyring::account_name;
use crate::keyring::{Found, Keyring, KeyringError, Saved};
use crate::profiles::{AuthMethod, Profile};
use crate::request::Credential;
use crate::secret::{CertificatePem, ClientSecret};

const CLIENT_SECRET: &str = "client-secret";
const PRIVATE_KEY: &str = "private-key";
const CERTIFICATE: &str = "certificate";
const KINDS: [&str; 3] = [CLIENT_SECRET, PRIVATE_KEY, CERTIFICATE];

/// The keyring account of one of a profile's entries: its name, the kind of entry, and the
/// destination (client id and token-URL origin) the secret is bound to, each part encoded so
/// that no two profiles share an account (see the module's documentation).
pub fn account(profile: &Profile, kind: &str) -> String {
    let name = account_name::part(&profile.name);
    match destination(profile) {
        // The origin comes last and is a parsed URL's scheme, host and port: with every part
        // before it free of `:` and `@`, the first `@` after the kind ends the client id.
        Some(d) => {
            let o = d.origin();
            let client = account_name::part(d.client_id());
            format!("profile:{name}:{}:{client}@{}://{}:{}", account_name::part(kind), o.scheme(), o.host(), o.port())
        }
        // A token URL without an origin never gets a secret; this account is never written.
        None => format!("profile:{name}:{}:no-destination", account_name::part(kind)),
    }
}

/// The account Token Desk used for this entry before parts were encoded: read once, to move
/// an entry saved then to its new name, and deleted with the profile. `None` when it is the
/// same name (no part needed encoding) or there is no destination.
fn unencoded_account(profile: &Profile, kind: &str) -> Option<String> {
    let old = format!("profile:{}:{kind}:{}", profile.name, destination(profile)?.key());
    (old != account(profile, kind)).then_some(old)
}

/// The account names of Token Desk before secrets were bound to a destination: never read,
/// only deleted with the profile.
fn unbound_account(name: &str, kind: &str) -> String {
    format!("profile:{name}:{kind}")
}

/// Where `profile`'s secret may go: its client at its token URL's origin.
pub fn destination(profile: &Profile) -> Option<Destination> {
    Destination::new(&profile.client_id, &profile.token_url).ok()
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
    #[error("Profile {to:?} is for another client or server than {from:?}, so it cannot take its secret. Save the secret of {to:?} instead.")]
    OtherDestination { from: String, to: String },
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

    /// Saves (or replaces) the client secret of `profile`, bound to its client id and token
    /// URL's origin, and forgets any certificate it had.
    pub fn save_client_secret(&self, profile: &Profile, secret: &ClientSecret) -> Result<Saved, SecretError> {
        let saved = self.keyring.save(&account(profile, CLIENT_SECRET), secret.expose().as_bytes())?;
        self.forget_other_kinds(profile, &[PRIVATE_KEY, CERTIFICATE], &saved)?;
        self.forget_unencoded(profile, &[CLIENT_SECRET], &saved)?;
        Ok(saved)
    }

    /// Checks a certificate file's text and saves its key and certificate for `profile`,
    /// bound to its client id and token URL's origin (replacing what was there, and forgetting
    /// any client secret). Returns what may be shown about the certificate, for
    /// [`Profile::certificate`]. The file may be deleted afterwards.
    pub fn save_certificate(
        &self,
        profile: &Profile,
        pem: &CertificatePem,
    ) -> Result<(Saved, CertificateFacts), SecretError> {
        let cert = ClientCertificate::from_pem(pem.expose().as_bytes())?;
        let (key_der, cert_der) = der_parts(pem, &cert)?;
        let saved = self.keyring.save(&account(profile, PRIVATE_KEY), key_der.as_bytes())?;
        if let Err(e) = self.keyring.save(&account(profile, CERTIFICATE), &cert_der) {
            let _ = self.keyring.delete(&account(profile, PRIVATE_KEY));
            return Err(e.into());
        }
        self.forget_other_kinds(profile, &[CLIENT_SECRET], &saved)?;
        self.forget_unencoded(profile, &[PRIVATE_KEY, CERTIFICATE], &saved)?;
        Ok((saved, cert.facts().clone()))
    }

    /// The credential saved for `profile` at its destination, as its auth method says; `None`
    /// when nothing is saved for this name, client and token-URL origin.
    pub fn credential(&self, profile: &Profile) -> Result<Option<Credential>, SecretError> {
        if destination(profile).is_none() {
            return Ok(None);
        }
        match profile.auth {
            AuthMethod::Secret => {
                let Some(found) = self.read(profile, CLIENT_SECRET)? else {
                    return Ok(None);
                };
                let text = std::str::from_utf8(found.bytes())
                    .map_err(|_| SecretError::Damaged(profile.name.clone()))?
                    .to_owned();
                Ok(Some(Credential::secret(ClientSecret::new(text))))
            }
            AuthMethod::Certificate => {
                let key = self.read(profile, PRIVATE_KEY)?;
                let cert = self.read(profile, CERTIFICATE)?;
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

    /// Whether the secret `profile` needs is saved. Never reveals it.
    pub fn state(&self, profile: &Profile) -> Result<SecretState, KeyringError> {
        let kinds: &[&str] = match profile.auth {
            AuthMethod::Secret => &[CLIENT_SECRET],
            AuthMethod::Certificate => &[PRIVATE_KEY, CERTIFICATE],
        };
        let mut state = SecretState::Saved;
        if destination(profile).is_none() {
            return Ok(SecretState::Missing);
        }
        for kind in kinds {
            match self.read(profile, kind)? {
                None => return Ok(SecretState::Missing),
                Some(Found::ForThisSessionOnly(_)) => state = SecretState::ThisSessionOnly,
                Some(Found::InKeyring(_)) => {}
            }
        }
        Ok(state)
    }

    /// Deletes every entry of `profile` (and any entry its name had before secrets were bound
    /// to a destination); entries that are not there are fine.
    pub fn delete(&self, profile: &Profile) -> Result<(), KeyringError> {
        self.delete_kinds(profile, &KINDS)?;
        for kind in KINDS {
            self.keyring.delete(&unbound_account(&profile.name, kind))?;
        }
        Ok(())
    }

    /// Copies `from`'s entries to `to` (duplicating a profile). Both must have the same
    /// destination: a secret never moves to another client or server.
    /// Without a keyring, the secret kept for this session is copied and the kinds it never
    /// had are skipped.
    pub fn copy(&self, from: &Profile, to: &Profile) -> Result<(), SecretError> {
        if destination(from) != destination(to) {
            return Err(SecretError::OtherDestination { from: from.name.clone(), to: to.name.clone() });
        }
        let in_session = KINDS.iter().any(|kind| self.keyring.held_for_session(&account(from, kind)));
        for kind in KINDS {
            match self.read(from, kind) {
                Ok(Some(found)) => {
                    self.keyring.save(&account(to, kind), found.bytes())?;
                }
                Ok(None) => {}
                Err(e) if e.is_unreachable() && in_session => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Moves `from`'s entries to the same profile named `to_name` (renaming a profile):
    /// copied first, then the old ones deleted, so a failure part-way loses nothing.
    pub fn rename(&self, from: &Profile, to_name: &str) -> Result<(), SecretError> {
        if from.name == to_name {
            return Ok(());
        }
        let to = Profile { name: to_name.to_owned(), ..from.clone() };
        // Without a keyring, the secret kept for this session moves and the kinds it never
        // had are no reason to fail.
        let in_session = KINDS.iter().any(|kind| self.keyring.held_for_session(&account(from, kind)));
        self.copy(from, &to)?;
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
    fn forget_other_kinds(&self, profile: &Profile, kinds: &[&str], saved: &Saved) -> Result<(), KeyringError> {
        match self.delete_kinds(profile, kinds) {
            Err(e) if e.is_unreachable() && matches!(saved, Saved::ForThisSessionOnly(_)) => Ok(()),
            other => other,
        }
    }

    /// Deletes the entries of `kinds`, under their names now and before parts were encoded.
    fn delete_kinds(&self, profile: &Profile, kinds: &[&str]) -> Result<(), KeyringError> {
        for kind in kinds {
            self.keyring.delete(&account(profile, kind))?;
        }
        self.delete_unencoded(profile, kinds)
    }

    /// After a new secret is saved: the entries of `kinds` under their names from before
    /// parts were encoded, which would otherwise hold the old secret.
    fn forget_unencoded(&self, profile: &Profile, kinds: &[&str], saved: &Saved) -> Result<(), KeyringError> {
        match self.delete_unencoded(profile, kinds) {
            Err(e) if e.is_unreachable() && matches!(saved, Saved::ForThisSessionOnly(_)) => Ok(()),
            other => other,
        }
    }

    fn delete_unencoded(&self, profile: &Profile, kinds: &[&str]) -> Result<(), KeyringError> {
        for old in kinds.iter().filter_map(|kind| unencoded_account(profile, kind)) {
            self.keyring.delete_keyring(&old)?;
        }
        Ok(())
    }

    /// The entry of `kind` for `profile`. One saved by an earlier Token Desk under the name
    /// before parts were encoded is moved to its name now on this first read: written under
    /// the new name, then deleted under the old one (kept if the keyring could not take it).
    fn read(&self, profile: &Profile, kind: &str) -> Result<Option<Found>, KeyringError> {
        let account = account(profile, kind);
        if let Some(found) = self.keyring.read(&account)? {
            return Ok(Some(found));
        }
        let Some(old) = unencoded_account(profile, kind) else { return Ok(None) };
        let Some(bytes) = self.keyring.read_keyring(&old)? else { return Ok(None) };
        if self.keyring.save(&account, bytes.expose())? == Saved::InKeyring {
            self.keyring.delete_keyring(&old)?;
        }
        Ok(Some(Found::InKeyring(bytes)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, client_id: &str) -> Profile {
        let mut p = Profile::new(name, client_id, AuthMethod::Secret);
        p.token_url = "https://secure.stitch.money/connect/token".into();
        p
    }

    #[test]
    fn profiles_whose_parts_hold_separators_never_share_an_account() {
        let unencoded = |p: &Profile| format!("profile:{}:client-secret:{}", p.name, destination(p).unwrap().key());
        let collided = [
            (profile("a:client-secret:b", "c"), profile("a", "b:client-secret:c")),
            (profile("shop:client-secret:x", "y@z"), profile("shop", "x:client-secret:y@z")),
        ];
        for (one, other) in &collided {
            assert_eq!(unencoded(one), unencoded(other), "the old names collided");
            assert_ne!(account(one, CLIENT_SECRET), account(other, CLIENT_SECRET), "{one:?} / {other:?}");
        }
        let (escaped, raw) = (profile("a%3Ab", "c"), profile("a:b", "c"));
        assert_ne!(account(&escaped, CLIENT_SECRET), account(&raw, CLIENT_SECRET), "a % is encoded too");
    }

    #[test]
    fn parts_without_separators_keep_their_names_and_the_rest_are_percent_encoded() {
        let plain = profile("Shop (test) ünïcode", "test-shop.1");
        assert_eq!(
            account(&plain, CLIENT_SECRET),
            "profile:Shop (test) ünïcode:client-secret:test-shop.1@https://secure.stitch.money:443"
        );
        assert_eq!(unencoded_account(&plain, CLIENT_SECRET), None, "nothing to move");
        let odd = profile("Shop: 100%@home\u{1b}", "test:a@b");
        assert_eq!(
            account(&odd, PRIVATE_KEY),
            "profile:Shop%3A 100%25%40home%1B:private-key:test%3Aa%40b@https://secure.stitch.money:443"
        );
        assert_eq!(
            unencoded_account(&odd, PRIVATE_KEY).as_deref(),
            Some("profile:Shop: 100%@home\u{1b}:private-key:test:a@b@https://secure.stitch.money:443")
        );
    }
}
