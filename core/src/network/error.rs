//! What can be wrong with a network setting, and the limits those messages name.

use crate::failure::Failure;

/// The longest deadline accepted, in seconds: ten minutes is already far beyond any server.
pub const MAX_TIMEOUT_SECS: u64 = 600;
/// A CA file larger than this is not one (a bundle of a few hundred roots is about 200 KB).
pub const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

/// Why a network setting cannot be used. Every one is bad input: nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("The company CA file {0} could not be read ({1}). Check the path, or ask IT for the file again.")]
    CaUnreadable(String, String),
    #[error("{0} is not a regular file. Choose the company CA file itself (a .pem or .crt file from IT).")]
    CaNotAFile(String),
    #[error("The company CA file {0} is larger than {max} KB, far too large for a certificate file. Choose the file IT gave you.", max = MAX_CA_FILE_BYTES / 1024)]
    CaTooLarge(String),
    #[error("{0} is not a PEM certificate file (it should contain -----BEGIN CERTIFICATE-----). Ask IT for the company CA in PEM form.")]
    CaNotPem(String),
    #[error("{0} holds no certificate. Ask IT for the company CA certificate in PEM form.")]
    CaNoCertificate(String),
    #[error("{0} holds a private key. A company CA file holds certificates only: did you choose the Stitch certificate by mistake?")]
    CaHoldsPrivateKey(String),
    #[error("{0} holds a certificate that cannot be read ({1}). Ask IT for the company CA file again.")]
    CaBadCertificate(String, String),
    #[error("The proxy address {0:?} is not a valid address. Write it like http://proxy.example.com:8080.")]
    ProxyBadUrl(String),
    #[error("The proxy address must start with http:// or https:// (not {0}://).")]
    ProxyScheme(String),
    #[error("The timeout must be a whole number of seconds from 1 to {MAX_TIMEOUT_SECS}.")]
    TimeoutOutOfRange,
}

impl From<NetworkError> for Failure {
    fn from(e: NetworkError) -> Self {
        Failure::bad_input(e.to_string())
    }
}
