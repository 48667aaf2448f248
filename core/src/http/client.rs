//! Building the HTTP clients: timeouts and retries ([`HttpOptions`]), rustls with the
//! computer's trust store, the built-in roots and the company CA, one proxy decision per
//! request, no redirects; one configuration per network settings.

use std::sync::Arc;
use std::time::Duration;

use crate::failure::{Detail, Failure, FailureKind};
use crate::network::{NetworkSettings, ProxyChoice, ProxyEnvironment, Route};
use crate::retry::RetryPolicy;

use super::transport::cause_chain;

/// Timeouts and retries. The defaults suit a person waiting at a window.
#[derive(Debug, Clone, Copy)]
pub struct HttpOptions {
    pub connect_timeout: Duration,
    /// The deadline of one whole token request, every attempt and every wait between them
    /// included (and of one whole API test). [`NetworkSettings::timeout`] replaces it when set.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Bodies longer than this are cut; no token response comes near it.
    pub max_body_bytes: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: crate::network::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_body_bytes: 256 * 1024,
        }
    }
}

/// What every configuration of one client keeps.
pub(super) struct Base {
    pub(super) options: HttpOptions,
    pub(super) environment: ProxyEnvironment,
    pub(super) resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
}

/// One configuration: the clients built for it, its deadline and its proxy decision.
pub(super) struct Wire {
    /// For `http://` addresses reached without TLS (the simulator): no trust store at all, so
    /// a request to this computer never pays for reading the system's certificates.
    plain: reqwest::Client,
    /// For everything else, built on first use: reading the computer's trust store takes a
    /// while (hundreds of certificates), and most runs against the simulator never need it.
    secure: std::sync::OnceLock<Result<reqwest::Client, Failure>>,
    base_for_secure: Arc<Base>,
    pub(super) deadline: Duration,
    pub(super) proxies: Arc<ProxyChoice>,
    pub(super) network: NetworkSettings,
}

impl Wire {
    /// The client for a request to `url` travelling by `route`.
    pub(super) fn client_for(&self, url: &url::Url, route: &Route) -> Result<reqwest::Client, Failure> {
        let tls_needed = url.scheme() != "http" || route.proxy().is_some_and(|p| p.shown().starts_with("https:"));
        if !tls_needed {
            return Ok(self.plain.clone());
        }
        self.secure.get_or_init(|| client(&self.base_for_secure, &self.network, &self.proxies, true)).clone()
    }
}

/// Lets a resolver shared as a trait object be handed to reqwest, which wants a sized one.
struct SharedResolver(Arc<dyn reqwest::dns::Resolve>);

impl reqwest::dns::Resolve for SharedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.0.resolve(name)
    }
}

/// The configuration for `network`. With a company CA the secure client is built now, so a
/// CA rustls cannot use is refused before any request; otherwise on first use.
pub(super) fn build(base: &Arc<Base>, network: &NetworkSettings) -> Result<Wire, Failure> {
    let deadline = network.timeout.unwrap_or(base.options.request_timeout);
    let proxies = Arc::new(ProxyChoice { explicit: network.proxy.clone(), environment: base.environment.clone() });
    let secure = std::sync::OnceLock::new();
    if network.ca.is_some() {
        let _ = secure.set(Ok(client(base, network, &proxies, true)?));
    }
    Ok(Wire {
        plain: client(base, network, &proxies, false)?,
        secure,
        base_for_secure: base.clone(),
        deadline,
        proxies,
        network: network.clone(),
    })
}

/// One reqwest client: rustls with (when `trusting`) the computer's certificates, the built-in
/// roots and the company CA; one proxy decision for every request ([`ProxyChoice::route`]),
/// so reqwest's own reading of the proxy variables (which would send loopback requests to a
/// proxy) is switched off; no redirects.
fn client(
    base: &Base,
    network: &NetworkSettings,
    proxies: &Arc<ProxyChoice>,
    trusting: bool,
) -> Result<reqwest::Client, Failure> {
    let deadline = network.timeout.unwrap_or(base.options.request_timeout);
    let decide = proxies.clone();
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(trusting)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(base.options.connect_timeout.min(deadline))
        .user_agent(crate::USER_AGENT)
        .no_proxy()
        .proxy(reqwest::Proxy::custom(move |url| decide.route(url).proxy().map(|p| p.url().clone())));
    if let Some(resolver) = &base.resolver {
        builder = builder.dns_resolver(Arc::new(SharedResolver(resolver.clone())));
    }
    if let (Some(ca), true) = (&network.ca, trusting) {
        for der in ca.certificates() {
            let cert = reqwest::Certificate::from_der(der).map_err(|e| bad_ca(ca.path(), &e))?;
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().map_err(|e| match &network.ca {
        Some(ca) if trusting => bad_ca(ca.path(), &e),
        _ => Failure::new(FailureKind::UnexpectedResponse, "Token Desk could not set up its connections.")
            .with_detail(Detail { cause: Some(cause_chain(&e)), ..Detail::default() }),
    })
}

fn bad_ca(path: &std::path::Path, e: &reqwest::Error) -> Failure {
    Failure::bad_input(format!(
        "The company CA file {} cannot be used as a trusted certificate. Ask IT for the company CA file again.",
        path.display()
    ))
    .with_detail(Detail { cause: Some(cause_chain(e)), ..Detail::default() })
}
