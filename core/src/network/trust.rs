//! Trust: a company CA file, read and checked, added to the computer's own certificates and
//! Token Desk's built-in roots.

use std::fmt;
use std::path::{Path, PathBuf};

use super::error::{NetworkError, MAX_CA_FILE_BYTES};
use crate::files::FileError;

/// A company CA file, read and checked: the certificates a TLS-inspecting proxy's
/// certificates chain to, trusted in addition to the computer's own.
#[derive(Clone, PartialEq, Eq)]
pub struct CompanyCa {
    path: PathBuf,
    /// DER, one per certificate in the file.
    certificates: Vec<Vec<u8>>,
    subjects: Vec<String>,
}

impl fmt::Debug for CompanyCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompanyCa").field("path", &self.path).field("subjects", &self.subjects).finish()
    }
}

impl CompanyCa {
    /// Reads `path`: a regular file of at most [`MAX_CA_FILE_BYTES`], PEM, with at least one
    /// certificate that can serve as a trust anchor, and no private key.
    pub fn from_file(path: &Path) -> Result<Self, NetworkError> {
        let shown = path.display().to_string();
        let bytes = crate::files::read_capped(path, MAX_CA_FILE_BYTES).map_err(|e| match e {
            FileError::NotRegular(_) => NetworkError::CaNotAFile(shown.clone()),
            FileError::TooLarge { .. } => NetworkError::CaTooLarge(shown.clone()),
            other => NetworkError::CaUnreadable(shown.clone(), other.to_string()),
        })?;
        Self::from_pem(path, &bytes)
    }

    /// The same checks on bytes already read; `path` is what messages name.
    pub fn from_pem(path: &Path, bytes: &[u8]) -> Result<Self, NetworkError> {
        let shown = path.display().to_string();
        let blocks = pem::parse_many(bytes).map_err(|_| NetworkError::CaNotPem(shown.clone()))?;
        if blocks.is_empty() {
            return Err(NetworkError::CaNotPem(shown));
        }
        if blocks.iter().any(|b| b.tag().contains("PRIVATE KEY")) {
            return Err(NetworkError::CaHoldsPrivateKey(shown));
        }
        let mut certificates = Vec::new();
        let mut subjects = Vec::new();
        for block in blocks.iter().filter(|b| b.tag() == "CERTIFICATE" || b.tag() == "TRUSTED CERTIFICATE") {
            use x509_cert::der::Decode;
            let cert = x509_cert::Certificate::from_der(block.contents())
                .map_err(|e| NetworkError::CaBadCertificate(shown.clone(), e.to_string()))?;
            // What rustls itself will require of a root, checked now rather than at the first request.
            let der = rustls::pki_types::CertificateDer::from(block.contents().to_vec());
            rustls::RootCertStore::empty()
                .add(der)
                .map_err(|e| NetworkError::CaBadCertificate(shown.clone(), e.to_string()))?;
            subjects.push(cert.tbs_certificate.subject.to_string());
            certificates.push(block.contents().to_vec());
        }
        if certificates.is_empty() {
            return Err(NetworkError::CaNoCertificate(shown));
        }
        Ok(Self { path: path.to_owned(), certificates, subjects })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Each certificate's subject, e.g. `CN=Example Corp Inspection CA`, to show the user.
    pub fn subjects(&self) -> &[String] {
        &self.subjects
    }

    pub(crate) fn certificates(&self) -> &[Vec<u8>] {
        &self.certificates
    }
}
