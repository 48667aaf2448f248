//! The credential entered in the window: a secret or a certificate, bound to the client and
//! token URL shown when it was entered, write-only from the webview's side. It is used for
//! that client and origin only, dropped when either changes or a profile is chosen, and never
//! sent back to the page.

use std::path::Path;
use std::sync::{Arc, Mutex};

use token_desk_core::certificate::ClientCertificate;
use token_desk_core::destination::{BoundCredential, Destination};
use token_desk_core::profiles::changes::NewSecret;
use token_desk_core::profiles::AuthMethod;
use token_desk_core::request::Credential;
use token_desk_core::secret::{CertificatePem, ClientSecret};
use token_desk_core::Failure;

use crate::guard::lock;

/// The one credential entered, if any.
#[derive(Default)]
pub struct Credentials {
    entered: Mutex<Option<Entered>>,
}

/// A credential entered in the window, bound to where it may go, and for a certificate the
/// file's text (what a profile saves in the keyring).
struct Entered {
    bound: BoundCredential,
    pem: Option<CertificatePem>,
}

impl Entered {
    fn auth(&self) -> AuthMethod {
        if self.pem.is_some() {
            AuthMethod::Certificate
        } else {
            AuthMethod::Secret
        }
    }
}

impl Credentials {
    /// Keeps `secret` for `destination` (a blank one clears it). Returns whether one is set.
    pub fn set_secret(&self, secret: ClientSecret, destination: Destination) -> bool {
        let entered = (!secret.is_blank())
            .then(|| Entered { bound: BoundCredential::new(Credential::secret(secret), destination), pem: None });
        let set = entered.is_some();
        *lock(&self.entered) = entered;
        set
    }

    /// Reads the certificate file at `path` ([`token_desk_core::certificate::read_file`]) and
    /// keeps it for `destination`. The path comes from the chooser, never from the page.
    pub fn set_certificate(&self, path: &Path, destination: Destination) -> Result<Arc<ClientCertificate>, Failure> {
        let (pem, cert) = token_desk_core::certificate::read_file(path)?;
        let cert = Arc::new(cert);
        let bound = BoundCredential::new(Credential::Certificate(cert.clone()), destination);
        *lock(&self.entered) = Some(Entered { bound, pem: Some(pem) });
        Ok(cert)
    }

    /// Drops the entered credential.
    pub fn forget(&self) {
        *lock(&self.entered) = None;
    }

    /// Whether a secret is held (for the page's "secret set" line).
    pub fn has_secret(&self) -> bool {
        lock(&self.entered).as_ref().is_some_and(|e| e.auth() == AuthMethod::Secret)
    }

    /// The client the credential was entered for (what presenter mode shortens).
    pub fn client_id(&self) -> Option<String> {
        lock(&self.entered).as_ref().map(|e| e.bound.destination().client_id().to_owned())
    }

    /// The entered credential of kind `auth`, for `client_id` at `token_url` only: for any
    /// other client or origin the engine's refusal, which says to enter it again.
    pub fn credential(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<Credential, Failure> {
        let entered = lock(&self.entered);
        let entered = entered.as_ref().filter(|e| e.auth() == auth).ok_or_else(|| missing(auth))?;
        entered.bound.credential_for(client_id, token_url)
    }

    /// The entered credential, to save in the keyring for a profile of `client_id` at
    /// `token_url` (refused for any other, like [`Credentials::credential`]).
    pub fn new_secret(&self, auth: AuthMethod, client_id: &str, token_url: &str) -> Result<NewSecret, Failure> {
        let credential = self.credential(auth, client_id, token_url)?;
        let entered = lock(&self.entered);
        Ok(match (credential, entered.as_ref().and_then(|e| e.pem.as_ref())) {
            (Credential::Secret(s), _) => NewSecret::ClientSecret(ClientSecret::new(s.expose())),
            (Credential::Certificate(_), Some(pem)) => NewSecret::Certificate(CertificatePem::new(pem.expose())),
            (Credential::Certificate(_), None) => return Err(missing(AuthMethod::Certificate)),
        })
    }
}

fn missing(auth: AuthMethod) -> Failure {
    Failure::bad_input(match auth {
        AuthMethod::Secret => "Enter the client secret.",
        AuthMethod::Certificate => "Choose the certificate file (.pem) that Stitch sent you.",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:9/connect/token";

    fn entered(secret: &str) -> Credentials {
        let credentials = Credentials::default();
        credentials.set_secret(ClientSecret::new(secret), Destination::new("test-a", URL).unwrap());
        credentials
    }

    #[test]
    fn a_secret_goes_only_to_the_client_and_origin_it_was_entered_for() {
        let credentials = entered("s3cret");
        assert!(credentials.credential(AuthMethod::Secret, "test-a", URL).is_ok());
        assert!(credentials.credential(AuthMethod::Secret, "test-b", URL).is_err());
        assert!(credentials.credential(AuthMethod::Secret, "test-a", "http://127.0.0.2:9/connect/token").is_err());
        let asked_for_a_certificate = credentials.credential(AuthMethod::Certificate, "test-a", URL).unwrap_err();
        assert!(asked_for_a_certificate.message.contains("certificate file"), "{}", asked_for_a_certificate.message);
    }

    #[test]
    fn a_blank_secret_clears_the_one_entered_and_forgetting_drops_it() {
        let credentials = entered("s3cret");
        assert!(credentials.has_secret());
        assert!(!credentials.set_secret(ClientSecret::new("  "), Destination::new("test-a", URL).unwrap()));
        assert!(!credentials.has_secret());
        let again = entered("s3cret");
        again.forget();
        assert_eq!(again.client_id(), None);
        assert_eq!(
            again.credential(AuthMethod::Secret, "test-a", URL).unwrap_err().message,
            "Enter the client secret."
        );
    }

    #[test]
    fn a_secret_saved_for_a_profile_is_the_one_entered_for_its_client() {
        let credentials = entered("s3cret");
        match credentials.new_secret(AuthMethod::Secret, "test-a", URL).unwrap() {
            NewSecret::ClientSecret(s) => assert_eq!(s.expose(), "s3cret"),
            NewSecret::Certificate(_) => panic!("a secret was entered"),
        }
        assert!(credentials.new_secret(AuthMethod::Secret, "test-other", URL).is_err());
    }
}
