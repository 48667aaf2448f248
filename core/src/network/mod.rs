//! Company networks: what Token Desk trusts, a company CA file, which proxy a request goes
//! through, and how long a request may take.
//!
//! - **Trust**: the computer's own certificates (on Linux the system bundle, or
//!   `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, read by `rustls-native-certs`), the roots
//!   built into Token Desk (`webpki-roots`), and a company CA file when one is given
//!   ([`CompanyCa`]). Verification cannot be switched off: there is no setting for it.
//! - **Proxy** ([`ProxyChoice::route`]): a proxy the user set explicitly applies to every
//!   request, loopback included; otherwise the standard variables (`HTTPS_PROXY`,
//!   `HTTP_PROXY`, `ALL_PROXY`, either case) apply, except to loopback addresses, which are
//!   always reached directly (a variable meant for the company network must not hand a
//!   secret in clear text to a proxy on its way to a local simulator). `NO_PROXY` exempts the
//!   hosts it lists from both, as cURL does.
//! - **Deadline**: one for a whole token request, retries included ([`DEFAULT_TIMEOUT`]).
//!
//! [`trust`] holds the company CA, [`proxy`] the proxy address, variables and `NO_PROXY`,
//! [`error`] what can be wrong with a setting; the deadline and the settings together are here.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub mod error;
pub mod proxy;
pub mod trust;

pub use error::{NetworkError, MAX_CA_FILE_BYTES, MAX_TIMEOUT_SECS};
pub use proxy::{ProxyChoice, ProxyEnvironment, ProxySource, ProxyUrl, Route};
pub use trust::CompanyCa;

/// How long one token request may take, retries included, unless the user says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The deadline for `seconds`, refused outside 1 to [`MAX_TIMEOUT_SECS`].
pub fn timeout_from_secs(seconds: u64) -> Result<Duration, NetworkError> {
    if (1..=MAX_TIMEOUT_SECS).contains(&seconds) {
        Ok(Duration::from_secs(seconds))
    } else {
        Err(NetworkError::TimeoutOutOfRange)
    }
}

/// The network settings of one HTTP client: a company CA, an explicit proxy, a deadline.
/// Anything not set falls back to the computer's own (trust store, proxy variables) and to
/// [`DEFAULT_TIMEOUT`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkSettings {
    pub ca: Option<Arc<CompanyCa>>,
    pub proxy: Option<ProxyUrl>,
    pub timeout: Option<Duration>,
}

impl NetworkSettings {
    /// Reads them as given on a command line or in a profile: the CA file is read and checked
    /// now, so a bad one is refused before any request.
    pub fn read(ca_file: Option<&Path>, proxy: Option<&str>, timeout_secs: Option<u64>) -> Result<Self, NetworkError> {
        Ok(Self {
            ca: ca_file.map(CompanyCa::from_file).transpose()?.map(Arc::new),
            proxy: proxy.filter(|p| !p.trim().is_empty()).map(ProxyUrl::parse).transpose()?,
            timeout: timeout_secs.map(timeout_from_secs).transpose()?,
        })
    }

    /// The deadline in effect.
    pub fn timeout(&self) -> Duration {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }

    /// What is trusted, in one line for `-v`.
    pub fn describe_trust(&self) -> String {
        let mut out = "this computer's certificates and Token Desk's built-in roots".to_owned();
        if let Some(ca) = &self.ca {
            out.push_str(&format!(", and the company CA file {} ({})", ca.path().display(), ca.subjects().join("; ")));
        }
        out
    }
}

#[cfg(test)]
mod tests;
