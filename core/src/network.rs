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

use crate::files::FileError;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use url::{Host, Url};

use crate::failure::Failure;
use crate::loopback;

/// How long one token request may take, retries included, unless the user says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest deadline accepted, in seconds: ten minutes is already far beyond any server.
pub const MAX_TIMEOUT_SECS: u64 = 600;
/// A CA file larger than this is not one (a bundle of a few hundred roots is about 200 KB).
pub const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;
const MAX_PROXY_CHARS: usize = 2048;

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

/// The deadline for `seconds`, refused outside 1 to [`MAX_TIMEOUT_SECS`].
pub fn timeout_from_secs(seconds: u64) -> Result<Duration, NetworkError> {
    if (1..=MAX_TIMEOUT_SECS).contains(&seconds) {
        Ok(Duration::from_secs(seconds))
    } else {
        Err(NetworkError::TimeoutOutOfRange)
    }
}

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

/// A proxy's address as the user gave it, possibly with a user name and password. The
/// password is a secret: `Debug` shows the address without credentials, and there is no
/// `Display` and no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    url: Url,
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({})", self.shown())
    }
}

impl ProxyUrl {
    /// Reads `http://[user:password@]host[:port]` (or `https://`); an address without a
    /// scheme is taken as `http://`, as proxy variables are commonly written.
    pub fn parse(text: &str) -> Result<Self, NetworkError> {
        let text = text.trim();
        let bad = || NetworkError::ProxyBadUrl(strip_credentials_from_text(text));
        if text.is_empty() || text.chars().count() > MAX_PROXY_CHARS || text.chars().any(char::is_control) {
            return Err(bad());
        }
        let with_scheme = if text.contains("://") { text.to_owned() } else { format!("http://{text}") };
        let url = Url::parse(&with_scheme).map_err(|_| bad())?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(NetworkError::ProxyScheme(url.scheme().to_owned()));
        }
        if url.host_str().is_none_or(str::is_empty)
            || !matches!(url.path(), "" | "/")
            || url.query().is_some()
            || url.fragment().is_some()
        {
            return Err(bad());
        }
        Ok(Self { url })
    }

    /// `scheme://host:port`, never the credentials: what messages, `-v` and the inspector show.
    pub fn shown(&self) -> String {
        let host = match self.url.host() {
            Some(Host::Ipv6(ip)) => format!("[{ip}]"),
            Some(h) => h.to_string(),
            None => String::new(),
        };
        let port = self.url.port_or_known_default().unwrap_or(80);
        format!("{}://{host}:{port}", self.url.scheme())
    }

    /// Whether a user name or password came with the address.
    pub fn has_credentials(&self) -> bool {
        !self.url.username().is_empty() || self.url.password().is_some()
    }

    /// Whether a password came with the address (a user name alone is no secret).
    pub fn has_password(&self) -> bool {
        self.url.password().is_some()
    }

    /// This address with `password` for its user: how a password given apart from the address
    /// (`--proxy-password-env`, a prompt, the window's password field) joins it, so it never
    /// has to be typed into a URL that a process list or a text field shows. The password is
    /// percent-encoded as RFC 3986 §3.2.1 requires of a `userinfo`.
    pub fn with_password(mut self, password: &str) -> Result<Self, NetworkError> {
        if password.is_empty() || password.chars().any(char::is_control) {
            return Err(NetworkError::ProxyBadUrl(self.shown()));
        }
        if self.url.username().is_empty() {
            return Err(NetworkError::ProxyBadUrl(format!(
                "{} (a proxy password needs a user name: http://user@host:port)",
                self.shown()
            )));
        }
        self.url.set_password(Some(password)).map_err(|()| NetworkError::ProxyBadUrl(self.shown()))?;
        Ok(self)
    }

    /// The password, to be cut from anything shown (percent-decoded as it is sent).
    pub fn password(&self) -> Option<String> {
        self.url.password().map(percent_decode)
    }

    /// The full address, credentials included, for the HTTP client only.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// `text` with anything between `://` and `@` removed, for an error message about an
/// address that did not parse.
fn strip_credentials_from_text(text: &str) -> String {
    let start = text.find("://").map_or(0, |i| i + 3);
    match text[start..].rfind('@') {
        Some(at) => format!("{}[credentials removed]@{}", &text[..start], &text[start + at + 1..]),
        None => text.to_owned(),
    }
}

/// The proxy variables of a process, as read once when the HTTP client is made. Tests build
/// one from pairs instead of touching their own environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyEnvironment {
    vars: Vec<(&'static str, ProxyUrl)>,
    no_proxy: Option<String>,
}

/// The variables read, in the order they are preferred (lower case first, as cURL does).
const HTTPS_VARS: [&str; 4] = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const HTTP_VARS: [&str; 4] = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

impl ProxyEnvironment {
    /// This process's variables.
    pub fn from_process() -> Self {
        Self::from_vars(std::env::vars())
    }

    /// From `(name, value)` pairs; unknown names are ignored, and so is a value that is not a
    /// proxy address (as cURL and reqwest ignore it).
    pub fn from_vars<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut env = Self::default();
        for (k, v) in pairs {
            let (k, v) = (k.as_ref(), v.as_ref());
            if let Some(name) = HTTPS_VARS.iter().chain(HTTP_VARS.iter()).find(|n| **n == k) {
                if let Ok(url) = ProxyUrl::parse(v) {
                    env.vars.push((name, url));
                }
            } else if k == "no_proxy" || (k == "NO_PROXY" && env.no_proxy.is_none()) {
                env.no_proxy = Some(v.to_owned());
            }
        }
        env
    }

    fn lookup(&self, names: &[&'static str]) -> Option<(&'static str, &ProxyUrl)> {
        names.iter().find_map(|n| self.vars.iter().find(|(k, _)| k == n).map(|(k, u)| (*k, u)))
    }
}

/// Where a proxy choice came from, as the user will recognise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxySource {
    /// `--proxy`, the window's Advanced section or a profile.
    Setting,
    /// The environment variable of that name.
    Variable(&'static str),
}

/// How one request reaches its server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Direct,
    Proxy { proxy: ProxyUrl, source: ProxySource },
}

impl Route {
    /// In words, credentials never included: for `-v` and the inspector.
    pub fn describe(&self) -> String {
        match self {
            Route::Direct => "none (direct connection)".to_owned(),
            Route::Proxy { proxy, source } => {
                let from = match source {
                    ProxySource::Setting => "the proxy setting".to_owned(),
                    ProxySource::Variable(v) => (*v).to_owned(),
                };
                let credentials = if proxy.has_credentials() { ", with credentials (not shown)" } else { "" };
                format!("{} (from {from}{credentials})", proxy.shown())
            }
        }
    }

    pub fn proxy(&self) -> Option<&ProxyUrl> {
        match self {
            Route::Direct => None,
            Route::Proxy { proxy, .. } => Some(proxy),
        }
    }
}

/// The proxy decision for every request of one HTTP client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyChoice {
    pub explicit: Option<ProxyUrl>,
    pub environment: ProxyEnvironment,
}

impl ProxyChoice {
    /// How a request to `target` travels: not at all through a proxy for a host `NO_PROXY`
    /// lists; through the explicit proxy when there is one; else direct to a loopback
    /// address; else through the variable for the target's scheme, if set.
    pub fn route(&self, target: &Url) -> Route {
        let Some(host) = target.host() else { return Route::Direct };
        if self.environment.no_proxy.as_deref().is_some_and(|list| no_proxy_matches(list, &host)) {
            return Route::Direct;
        }
        if let Some(proxy) = &self.explicit {
            return Route::Proxy { proxy: proxy.clone(), source: ProxySource::Setting };
        }
        if loopback::loose(&host) {
            return Route::Direct;
        }
        let names: &[&'static str] = if target.scheme() == "https" { &HTTPS_VARS } else { &HTTP_VARS };
        match self.environment.lookup(names) {
            Some((name, proxy)) => Route::Proxy { proxy: proxy.clone(), source: ProxySource::Variable(name) },
            None => Route::Direct,
        }
    }
}

/// Whether `NO_PROXY`'s comma-separated `list` covers `host`: `*`, an IP address, a CIDR block,
/// or a domain (with or without a leading dot) that is the host or one of its parents.
fn no_proxy_matches(list: &str, host: &Host<&str>) -> bool {
    let host_ip: Option<IpAddr> = match host {
        Host::Ipv4(ip) => Some(IpAddr::V4(*ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(*ip)),
        Host::Domain(_) => None,
    };
    let host_name = match host {
        Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
        _ => String::new(),
    };
    list.split([',', ' ']).map(str::trim).filter(|e| !e.is_empty()).any(|entry| {
        if entry == "*" {
            return true;
        }
        let entry = entry.trim_start_matches('[');
        let entry = entry.split(']').next().unwrap_or(entry);
        if let Some(ip) = host_ip {
            if let Ok(e) = entry.parse::<IpAddr>() {
                return e == ip;
            }
            if let Some((net, bits)) = entry.split_once('/') {
                return match (net.parse::<IpAddr>(), bits.parse::<u32>()) {
                    (Ok(net), Ok(bits)) => in_block(ip, net, bits),
                    _ => false,
                };
            }
            return false;
        }
        let domain = entry.trim_start_matches("*.").trim_start_matches('.').to_ascii_lowercase();
        let domain = domain.split(':').next().unwrap_or_default();
        !domain.is_empty() && (host_name == domain || host_name.ends_with(&format!(".{domain}")))
    })
}

fn in_block(ip: IpAddr, net: IpAddr, bits: u32) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
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
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn env(pairs: &[(&str, &str)]) -> ProxyEnvironment {
        ProxyEnvironment::from_vars(pairs.iter().copied())
    }

    #[test]
    fn proxy_variables_never_apply_to_loopback_addresses() {
        let choice = ProxyChoice {
            explicit: None,
            environment: env(&[("HTTP_PROXY", "http://proxy.corp:3128"), ("HTTPS_PROXY", "http://proxy.corp:3128")]),
        };
        for target in [
            "http://127.0.0.1:8555/connect/token",
            "http://127.8.9.10/x",
            "https://[::1]:8443/connect/token",
            "http://localhost:1/",
            "http://LocalHost./",
            "http://sim.localhost:9/",
            "http://[::ffff:127.0.0.1]:9/",
        ] {
            assert_eq!(choice.route(&url(target)), Route::Direct, "{target}");
        }
        assert!(matches!(choice.route(&url("https://secure.stitch.money/connect/token")), Route::Proxy { .. }));
    }

    #[test]
    fn an_explicit_proxy_applies_to_every_request_loopback_included() {
        let proxy = ProxyUrl::parse("http://127.0.0.1:3128").unwrap();
        let choice = ProxyChoice { explicit: Some(proxy.clone()), environment: ProxyEnvironment::default() };
        for target in ["http://127.0.0.1:8555/connect/token", "https://secure.stitch.money/connect/token"] {
            assert_eq!(choice.route(&url(target)), Route::Proxy { proxy: proxy.clone(), source: ProxySource::Setting });
        }
    }

    #[test]
    fn the_variable_for_the_targets_scheme_is_used_lower_case_first_then_all_proxy() {
        let choice = ProxyChoice {
            explicit: None,
            environment: env(&[
                ("HTTPS_PROXY", "http://upper:1"),
                ("https_proxy", "http://lower:1"),
                ("ALL_PROXY", "http://all:1"),
            ]),
        };
        let shown = |t: &str| choice.route(&url(t)).proxy().map(ProxyUrl::shown);
        assert_eq!(shown("https://a.example/"), Some("http://lower:1".into()));
        assert_eq!(shown("http://a.example/"), Some("http://all:1".into()));
        let none = ProxyChoice::default();
        assert_eq!(none.route(&url("https://a.example/")), Route::Direct);
    }

    #[test]
    fn no_proxy_exempts_listed_hosts_domains_and_blocks_from_any_proxy() {
        let choice = ProxyChoice {
            explicit: Some(ProxyUrl::parse("proxy.corp:8080").unwrap()),
            environment: env(&[("NO_PROXY", "internal.example, .corp.example,10.0.0.0/8,[fd00::1],127.0.0.1")]),
        };
        for direct in [
            "https://internal.example/",
            "https://auth.internal.example/",
            "https://corp.example/",
            "https://a.b.corp.example/",
            "http://10.20.30.40/",
            "http://[fd00::1]/",
            "http://127.0.0.1:8555/",
        ] {
            assert_eq!(choice.route(&url(direct)), Route::Direct, "{direct}");
        }
        for proxied in ["https://notinternal.example/", "http://11.0.0.1/", "http://localhost:8555/"] {
            assert!(matches!(choice.route(&url(proxied)), Route::Proxy { .. }), "{proxied}");
        }
        let all = ProxyChoice { environment: env(&[("no_proxy", "*"), ("HTTPS_PROXY", "p:1")]), ..choice };
        assert_eq!(all.route(&url("https://secure.stitch.money/")), Route::Direct);
    }

    #[test]
    fn proxy_credentials_are_never_shown() {
        let p = ProxyUrl::parse("http://alice:s%3Acret-pw@proxy.corp:3128").unwrap();
        assert!(p.has_credentials());
        assert_eq!(p.password().as_deref(), Some("s:cret-pw"));
        assert_eq!(p.shown(), "http://proxy.corp:3128");
        assert!(!format!("{p:?}").contains("cret"));
        let route = Route::Proxy { proxy: p, source: ProxySource::Variable("HTTPS_PROXY") };
        assert_eq!(route.describe(), "http://proxy.corp:3128 (from HTTPS_PROXY, with credentials (not shown))");
        let err = ProxyUrl::parse("http://alice:s3cret-pw@exa mple:99").unwrap_err().to_string();
        assert!(!err.contains("s3cret"), "{err}");
    }

    #[test]
    fn a_proxy_address_is_checked() {
        assert_eq!(ProxyUrl::parse("proxy.corp:8080").unwrap().shown(), "http://proxy.corp:8080");
        assert_eq!(ProxyUrl::parse("https://[::1]:3129").unwrap().shown(), "https://[::1]:3129");
        assert_eq!(ProxyUrl::parse("socks5://p:1").unwrap_err(), NetworkError::ProxyScheme("socks5".into()));
        for bad in ["", "http://", "http://p:1/path", "http://p:1/?q", "http://p\n:1"] {
            assert!(ProxyUrl::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_timeout_is_one_second_to_ten_minutes() {
        assert_eq!(timeout_from_secs(5), Ok(Duration::from_secs(5)));
        assert!(timeout_from_secs(0).is_err());
        assert!(timeout_from_secs(601).is_err());
        assert_eq!(NetworkSettings::default().timeout(), DEFAULT_TIMEOUT);
    }

    #[test]
    fn a_ca_file_without_pem_without_a_certificate_or_with_a_key_is_refused() {
        let p = Path::new("ca.pem");
        assert!(matches!(CompanyCa::from_pem(p, b"hello"), Err(NetworkError::CaNotPem(_))));
        assert!(matches!(CompanyCa::from_pem(p, b""), Err(NetworkError::CaNotPem(_))));
        let other = pem::encode(&pem::Pem::new("PUBLIC KEY", vec![1, 2, 3]));
        assert!(matches!(CompanyCa::from_pem(p, other.as_bytes()), Err(NetworkError::CaNoCertificate(_))));
        let key = pem::encode(&pem::Pem::new("PRIVATE KEY", vec![1, 2, 3]));
        assert!(matches!(CompanyCa::from_pem(p, key.as_bytes()), Err(NetworkError::CaHoldsPrivateKey(_))));
        let junk = pem::encode(&pem::Pem::new("CERTIFICATE", vec![1, 2, 3]));
        assert!(matches!(CompanyCa::from_pem(p, junk.as_bytes()), Err(NetworkError::CaBadCertificate(..))));
    }

    #[test]
    fn a_ca_path_that_is_a_folder_a_fifo_or_missing_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(CompanyCa::from_file(dir.path()), Err(NetworkError::CaNotAFile(_))));
        assert!(matches!(CompanyCa::from_file(&dir.path().join("none.pem")), Err(NetworkError::CaUnreadable(..))));
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo.pem");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
            assert!(made.success());
            assert!(matches!(CompanyCa::from_file(&fifo), Err(NetworkError::CaNotAFile(_))));
            assert!(matches!(CompanyCa::from_file(Path::new("/dev/zero")), Err(NetworkError::CaNotAFile(_))));
        }
        let big = dir.path().join("big.pem");
        std::fs::write(&big, vec![b'x'; MAX_CA_FILE_BYTES as usize + 1]).unwrap();
        assert!(matches!(CompanyCa::from_file(&big), Err(NetworkError::CaTooLarge(_))));
    }
}
