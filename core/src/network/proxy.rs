//! Proxies: the address the user set, the standard variables, `NO_PROXY`, and the one
//! decision of how each request travels ([`ProxyChoice::route`]).

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

use super::error::NetworkError;
use crate::loopback;

const MAX_PROXY_CHARS: usize = 2048;

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
