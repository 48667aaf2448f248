//! Sending token requests: one shared HTTP client with rustls, the trust and proxy choices of
//! [`crate::network`], one deadline per token request (retries included), bounded retries,
//! and no redirects (a token endpoint that redirects is misconfigured, and following it would
//! hand the credential to another address).

use std::error::Error as _;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand::Rng;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use serde::Serialize;
use tokio::time::Instant;

use crate::clock::Clock;
use crate::failure::{Detail, Failure, FailureKind};
use crate::inspect::Exchange;
use crate::network::{NetworkSettings, ProxyChoice, ProxyEnvironment, ProxySource, Route};
use crate::redact::Redactor;
use crate::request::{Credential, TokenRequest};
use crate::response::{self, Answer, Context};
use crate::retry::RetryPolicy;
use crate::token::Token;

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

/// The last exchanges, for the inspector.
#[derive(Debug, Default)]
struct Last {
    token: Option<Exchange>,
    api: Option<Exchange>,
}

/// One try on the wire, for the user's "what happened" view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// How long we waited before sending this one.
    pub waited_ms: u64,
    pub elapsed_ms: u64,
    pub status: Option<u16>,
}

/// A token and how it was obtained.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub token: Token,
    pub attempts: Vec<Attempt>,
}

/// The HTTP client, made once and shared by every request of the process. Its network
/// settings can be changed while it is shared ([`Http::configure`]): every clone sees the change.
#[derive(Clone)]
pub struct Http {
    wire: Arc<RwLock<Arc<Wire>>>,
    base: Arc<Base>,
    last: Arc<Mutex<Last>>,
}

/// What every configuration of one client keeps.
struct Base {
    options: HttpOptions,
    environment: ProxyEnvironment,
    resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
}

/// One configuration: the clients built for it, its deadline and its proxy decision.
struct Wire {
    /// For `http://` addresses reached without TLS (the simulator): no trust store at all, so
    /// a request to this computer never pays for reading the system's certificates.
    plain: reqwest::Client,
    /// For everything else, built on first use: reading the computer's trust store takes a
    /// while (hundreds of certificates), and most runs against the simulator never need it.
    secure: std::sync::OnceLock<Result<reqwest::Client, Failure>>,
    base_for_secure: Arc<Base>,
    deadline: Duration,
    proxies: Arc<ProxyChoice>,
    network: NetworkSettings,
}

impl Wire {
    /// The client for a request to `url` travelling by `route`.
    fn client_for(&self, url: &url::Url, route: &Route) -> Result<reqwest::Client, Failure> {
        let tls_needed = url.scheme() != "http" || route.proxy().is_some_and(|p| p.shown().starts_with("https:"));
        if !tls_needed {
            return Ok(self.plain.clone());
        }
        self.secure.get_or_init(|| client(&self.base_for_secure, &self.network, &self.proxies, true)).clone()
    }
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let wire = self.wire();
        f.debug_struct("Http").field("deadline", &wire.deadline).field("network", &wire.network).finish()
    }
}

/// Lets a resolver shared as a trait object be handed to reqwest, which wants a sized one.
struct SharedResolver(Arc<dyn reqwest::dns::Resolve>);

impl reqwest::dns::Resolve for SharedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.0.resolve(name)
    }
}

impl Http {
    /// A client with the computer's trust store and proxy variables and no settings of its own.
    pub fn new(options: HttpOptions) -> Self {
        Self::from_base(Base { options, environment: ProxyEnvironment::from_process(), resolver: None })
    }

    /// The same client resolving names through `resolver`: lets tests meet a failed name
    /// lookup, or reach a made-up name on loopback, without sending a DNS query off this machine.
    pub fn with_resolver<R: reqwest::dns::Resolve + 'static>(options: HttpOptions, resolver: Arc<R>) -> Self {
        Self::from_base(Base { options, environment: ProxyEnvironment::from_process(), resolver: Some(resolver) })
    }

    /// The same client seeing `environment` as its proxy variables instead of the process's.
    pub fn with_proxy_environment(self, environment: ProxyEnvironment) -> Self {
        let network = self.wire().network.clone();
        let base = Base { options: self.base.options, environment, resolver: self.base.resolver.clone() };
        let http = Self::from_base(base);
        http.configure(&network).expect("settings that built a client once build it again");
        http
    }

    fn from_base(base: Base) -> Self {
        let base = Arc::new(base);
        let wire = build(&base, &NetworkSettings::default()).expect("the default client always builds");
        Self { wire: Arc::new(RwLock::new(Arc::new(wire))), base, last: Arc::default() }
    }

    /// Applies `network` (company CA, explicit proxy, deadline) to this client and every clone
    /// of it, from the next request on.
    pub fn configure(&self, network: &NetworkSettings) -> Result<(), Failure> {
        let wire = build(&self.base, network)?;
        *self.wire.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(wire);
        Ok(())
    }

    fn wire(&self) -> Arc<Wire> {
        self.wire.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The settings in effect.
    pub fn network(&self) -> NetworkSettings {
        self.wire().network.clone()
    }

    /// The deadline of one token request or one API test.
    pub fn deadline(&self) -> Duration {
        self.wire().deadline
    }

    /// How a request to `url` travels: directly or through which proxy.
    pub fn route(&self, url: &str) -> Route {
        url::Url::parse(url).map(|u| self.wire().proxies.route(&u)).unwrap_or(Route::Direct)
    }

    /// [`transport_failure`] for a request this client sent to `url`: names the proxy when
    /// one was in the way.
    pub fn transport_failure(&self, e: &reqwest::Error, url: &str, what: &str) -> Failure {
        transport_failure_via(e, url, what, &self.route(url))
    }

    /// The last token request sent by this client (or a clone of it), for the inspector.
    pub fn last_token_exchange(&self) -> Option<Exchange> {
        self.last.lock().unwrap().token.clone()
    }

    /// The last API test sent by this client, for the inspector.
    pub fn last_api_exchange(&self) -> Option<Exchange> {
        self.last.lock().unwrap().api.clone()
    }

    pub(crate) fn record_api(&self, exchange: Exchange) {
        self.last.lock().unwrap().api = Some(exchange);
    }

    /// The client for a request to `url` (e.g. the Stitch API), with this client's trust,
    /// proxy choice and redirect policy.
    pub fn client_for(&self, url: &str) -> Result<reqwest::Client, Failure> {
        let parsed = crate::request::check_url(url, "API URL")?;
        let wire = self.wire();
        wire.client_for(&parsed, &wire.proxies.route(&parsed))
    }

    /// Gets a token, retrying transient failures as [`RetryPolicy`] allows, all within one
    /// deadline: an attempt still running when it passes is stopped, and a retry whose wait
    /// would end at or past it is not started. Each attempt is signed anew (a fresh
    /// assertion `jti`) and its send time starts the token's lifetime.
    pub async fn request_token(&self, req: &TokenRequest, clock: &dyn Clock) -> Result<Fetched, Failure> {
        let wire = self.wire();
        let deadline = Instant::now() + wire.deadline;
        let mut attempts = Vec::new();
        let mut waited = Duration::ZERO;
        loop {
            let started = std::time::Instant::now();
            let result = self.attempt(&wire, req, clock, deadline).await;
            attempts.push(Attempt {
                waited_ms: waited.as_millis() as u64,
                elapsed_ms: started.elapsed().as_millis() as u64,
                status: match &result {
                    Ok(_) => Some(200),
                    Err(f) => f.detail.status,
                },
            });
            match result {
                Ok(token) => return Ok(Fetched { token, attempts }),
                Err(mut failure) => {
                    failure.detail.attempts = attempts.len() as u32;
                    let jitter = rand::thread_rng().gen::<f64>();
                    match self.base.options.retry.delay_after(attempts.len() as u32, &failure, jitter) {
                        Some(wait) if Instant::now() + wait < deadline => {
                            tokio::time::sleep(wait).await;
                            waited = wait;
                        }
                        _ => return Err(failure),
                    }
                }
            }
        }
    }

    async fn attempt(
        &self,
        wire: &Wire,
        req: &TokenRequest,
        clock: &dyn Clock,
        deadline: Instant,
    ) -> Result<Token, Failure> {
        let sent_at = clock.now();
        let fields = req.form_fields(sent_at)?;
        // The credential's own value (secret or assertion): nothing that leaves may hold it.
        let credential = fields.last().map(|(_, v)| v.as_str()).unwrap_or_default();
        let redactor = Redactor::new(&[credential]);
        let url = req.token_url().as_str();
        let route = wire.proxies.route(req.token_url());
        let mut exchange = Exchange::token_request(url, &fields);
        exchange.proxy = Some(route.describe());
        let started = std::time::Instant::now();
        let sending = self.send(wire, &route, req, clock, sent_at, &fields, &mut exchange);
        let result = match tokio::time::timeout_at(deadline, sending).await {
            Ok(result) => result,
            Err(_) => Err(deadline_passed(url, "token URL", wire.deadline)),
        }
        .map_err(|f| f.redacted(&redactor));
        exchange.elapsed_ms = started.elapsed().as_millis() as u64;
        if let Err(f) = &result {
            if exchange.status.is_none() {
                exchange.error = f.detail.cause.clone().or_else(|| Some(f.message.clone()));
            }
        }
        // Once the answer is a token, the token is a secret of the exchange too: a server may
        // echo it in another field or a header (RFC 6749 §5.1 says nothing of its shape, so it
        // is matched as any string).
        let redactor = match &result {
            Ok(token) => Redactor::new(&[credential, token.access_token.as_str()]),
            Err(_) => redactor,
        };
        exchange.redact(&redactor);
        self.last.lock().unwrap().token = Some(exchange);
        result
    }

    #[allow(clippy::too_many_arguments)]
    async fn send(
        &self,
        wire: &Wire,
        route: &Route,
        req: &TokenRequest,
        clock: &dyn Clock,
        sent_at: std::time::SystemTime,
        fields: &[(&'static str, String)],
        exchange: &mut Exchange,
    ) -> Result<Token, Failure> {
        // The credential's own value, to be cut from anything we show.
        let secret = fields.last().map(|(_, v)| v.clone()).unwrap_or_default();
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let url = req.token_url().as_str();

        let response = wire
            .client_for(req.token_url(), route)?
            .post(req.token_url().clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| transport_failure_via(&e, url, "token URL", route))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text_header = |name| headers.get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok());
        let credential = Redactor::new(&[secret.as_str()]);
        // Read past the limit by the longest form of the secret, so that redaction sees a
        // secret across the limit whole; what is shown is cut to the limit after redaction.
        let limit = self.base.options.max_body_bytes;
        let reach = limit.saturating_add(credential.margin());
        let mut bytes = read_body(response, reach).await.map_err(|e| {
            let mut f = transport_failure_via(&e, url, "token URL", route);
            f.detail.status = Some(status);
            f
        })?;
        if bytes.len() >= reach {
            bytes = without_cut_secret(bytes, &credential);
        }
        // Over plain HTTP a proxy answers for itself: its 407 is not the token server's.
        if let (407, Route::Proxy { .. }) = (status, route) {
            exchange.answered_within(status, &headers, &bytes, &credential, limit);
            let mut f = proxy_failure(route, ProxyProblem::Credentials, url);
            f.detail.status = Some(status);
            return Err(f);
        }
        let certificate_warning = match req.credential() {
            Credential::Certificate(c) => c.facts().warning_at(sent_at).filter(|_| {
                !matches!(
                    c.facts().validity_at(sent_at),
                    crate::certificate::Validity::Valid | crate::certificate::Validity::ExpiresSoon
                )
            }),
            Credential::Secret(_) => None,
        };
        let answer = Answer {
            status,
            content_type: text_header(CONTENT_TYPE),
            retry_after: text_header(RETRY_AFTER),
            location: text_header(LOCATION),
            body: &bytes,
        };
        let cx = Context {
            token_url: url,
            requested: req.scopes(),
            sent_at,
            received_at: clock.now(),
            secrets: &[secret.as_str()],
            uses_certificate: matches!(req.credential(), Credential::Certificate(_)),
            certificate_warning: certificate_warning.as_deref(),
        };
        let result = response::interpret(&answer, &cx);
        // Recorded after parsing, so that a token in the answer is removed from every part of
        // it: `access_token` under another spelling or anywhere else in the body or headers.
        match &result {
            Ok(token) => {
                let both = Redactor::new(&[secret.as_str(), token.access_token.as_str()]);
                exchange.answered_within(status, &headers, &bytes, &both, limit);
            }
            Err(_) => exchange.answered_within(status, &headers, &bytes, &credential, limit),
        }
        result
    }
}

/// A body whose read stopped at its limit (it goes on), cut back so that it does not end with
/// the beginning of a secret ([`Redactor::cut_point`]) or with a character cut in two: what
/// follows can no longer complete it, so redaction would not find it.
pub(crate) fn without_cut_secret(mut bytes: Vec<u8>, redactor: &Redactor) -> Vec<u8> {
    if let Err(e) = std::str::from_utf8(&bytes) {
        if e.error_len().is_none() {
            bytes.truncate(e.valid_up_to());
        }
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            text.truncate(redactor.cut_point(&text));
            text.into_bytes()
        }
        Err(e) => {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            text.as_bytes()[..redactor.cut_point(&text)].to_vec()
        }
    }
}

/// The body of `response`, at most `limit` bytes: the rest is never read (the connection is
/// dropped), so a server that never stops sending costs at most `limit` bytes of memory.
pub(crate) async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, reqwest::Error> {
    let mut out = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// The configuration for `network`. With a company CA the secure client is built now, so a
/// CA rustls cannot use is refused before any request; otherwise on first use.
fn build(base: &Arc<Base>, network: &NetworkSettings) -> Result<Wire, Failure> {
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

/// The failure for a request `deadline` did not let finish.
pub fn deadline_passed(url: &str, what: &str, deadline: Duration) -> Failure {
    let host = host_of(url);
    let seconds = deadline.as_secs_f64();
    Failure::new(
        FailureKind::Timeout,
        format!(
            "{host} did not answer in time ({seconds:.0} s). Check the {what} and your connection and try again; \
             under Advanced (or with --timeout) you can allow more time."
        ),
    )
    .with_detail(Detail {
        url: Some(url.to_owned()),
        cause: Some(format!("the deadline of {seconds:.1} s for the whole request, retries included, passed")),
        ..Detail::default()
    })
}

fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default()
}

/// What a proxy did wrong.
enum ProxyProblem {
    /// It could not be reached at all.
    Unreachable,
    /// It asked for credentials (HTTP 407), or did not accept the ones given.
    Credentials,
    /// It refused to open a connection to the server.
    Refused,
}

/// A failure that names the proxy (never its credentials) and the setting it came from.
fn proxy_failure(route: &Route, problem: ProxyProblem, url: &str) -> Failure {
    let Route::Proxy { proxy, source } = route else {
        return Failure::new(FailureKind::CannotConnect, "The connection broke off. Try again.");
    };
    let shown = proxy.shown();
    let setting = match source {
        ProxySource::Setting => "the proxy setting (Advanced, --proxy or the profile)".to_owned(),
        ProxySource::Variable(name) => format!("the {name} environment variable"),
    };
    let host = host_of(url);
    let (kind, message) = match problem {
        ProxyProblem::Unreachable => (
            FailureKind::CannotConnect,
            format!("Could not connect to the proxy {shown}. Check {setting}, or ask IT for the right proxy address."),
        ),
        ProxyProblem::Credentials if proxy.has_credentials() => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} did not accept the user name and password in its address. \
                 Check them in {setting}, or ask IT."
            ),
        ),
        ProxyProblem::Credentials => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} asks for a user name and password (HTTP 407). Give the user name in the \
                 proxy address (http://user@host:port, in {setting}) and the password apart from it: \
                 --proxy-password-env VAR or --proxy-password-prompt, or the window's proxy password field."
            ),
        ),
        // Some proxies (tinyproxy) answer a CONNECT with wrong credentials with 401, which
        // the tunnel reports only as unsuccessful: both causes are named.
        ProxyProblem::Refused if proxy.has_credentials() => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} refused to connect to {host}: it did not accept the user name and password \
                 in its address, or may not reach {host}. Check them in {setting}, or ask IT."
            ),
        ),
        ProxyProblem::Refused => (
            FailureKind::Proxy,
            format!(
                "The proxy {shown} refused to connect to {host}. Ask IT whether {host} may be reached \
                 through it, or check {setting}."
            ),
        ),
    };
    Failure::new(kind, message).with_detail(Detail { url: Some(url.to_owned()), ..Detail::default() })
}

/// Names a transport failure in plain words: timeout, TLS, name lookup or connection; `what`
/// names the address to check ("token URL", "API URL"). For a request that went through a
/// proxy, use [`Http::transport_failure`], which names the proxy when it is to blame.
pub fn transport_failure(e: &reqwest::Error, url: &str, what: &str) -> Failure {
    transport_failure_via(e, url, what, &Route::Direct)
}

fn transport_failure_via(e: &reqwest::Error, url: &str, what: &str, route: &Route) -> Failure {
    let host = host_of(url);
    let chain = cause_chain(e);
    let detail = Detail { url: Some(url.to_owned()), cause: Some(chain.clone()), ..Detail::default() };
    let lower = chain.to_ascii_lowercase();
    if let Route::Proxy { proxy, .. } = route {
        // hyper-util's CONNECT tunnel names these; over plain HTTP the only connection made
        // is to the proxy, so failing to connect is failing to reach the proxy.
        let problem = if lower.contains("proxy authorization required") {
            Some(ProxyProblem::Credentials)
        } else if lower.contains("tunnel error: unsuccessful") || lower.contains("tunnel error: unexpected end") {
            Some(ProxyProblem::Refused)
        } else if lower.contains("tunnel error: failed to create underlying connection")
            || (e.is_connect() && !lower.contains("tunnel") && rustls_error(e).is_none() && !e.is_timeout())
        {
            Some(ProxyProblem::Unreachable)
        } else {
            None
        };
        if let Some(problem) = problem {
            let mut f = proxy_failure(route, problem, url);
            let scrubbed = proxy.password().map_or(chain.clone(), |p| crate::redact::redact(&chain, &[&p]));
            f.detail.cause = Some(scrubbed);
            return f;
        }
    }
    let (kind, message) = if e.is_timeout() || lower.contains("timed out") {
        (FailureKind::Timeout, format!("{host} did not answer in time. Check your connection and try again."))
    } else if let Some(tls) = rustls_error(e) {
        (FailureKind::Tls, tls_message(tls, &host, what))
    } else if lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") {
        (FailureKind::Tls, tls_message(&rustls::Error::General(String::new()), &host, what))
    } else if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        (
            FailureKind::CannotConnect,
            format!("The server name {host} could not be found. Check the {what} and your internet connection."),
        )
    } else if e.is_connect() {
        (
            FailureKind::CannotConnect,
            format!("Could not connect to {host}. Check the {what} and your internet connection."),
        )
    } else {
        (FailureKind::CannotConnect, format!("The connection to {host} broke off. Try again."))
    };
    Failure::new(kind, message).with_detail(detail)
}

/// One sentence per certificate problem a person can act on (RFC 5280 §6 path validation,
/// RFC 6125 name matching); anything else is a secure connection that could not be made.
fn tls_message(e: &rustls::Error, host: &str, what: &str) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => format!(
            "The certificate of {host} is not from an authority this computer trusts. Your network may be \
             inspecting secure connections: ask IT for the company CA file and add it under Advanced \
             (Company CA) or with --ca-file."
        ),
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => format!(
            "The certificate of {host} has expired (or this computer's clock is wrong). Check the date and time \
             on this computer; if they are right, the server at the {what} must renew its certificate."
        ),
        rustls::Error::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
            format!("The certificate of {host} is not valid yet: check the date and time on this computer.")
        }
        rustls::Error::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => format!(
            "The certificate presented for {host} belongs to another name. Check the {what}: it may be \
             mistyped, or something on the network is answering in its place."
        ),
        _ => format!(
            "A secure connection to {host} could not be made. Check the {what}; a proxy or the wrong port may \
             be in the way."
        ),
    }
}

/// The rustls error in reqwest's error chain, if a TLS failure caused it.
fn rustls_error(e: &reqwest::Error) -> Option<&rustls::Error> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(r) = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(r);
        }
        // An io::Error's `source()` skips the error it wraps, so step into it: tokio-rustls
        // nests the rustls::Error in an io::Error inside another io::Error.
        source = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|i| i as &(dyn std::error::Error + 'static))
            .or_else(|| s.source());
    }
    None
}

fn cause_chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::CertificateError as C;

    fn sentence(e: C) -> String {
        tls_message(&rustls::Error::InvalidCertificate(e), "secure.stitch.money", "token URL")
    }

    #[test]
    fn each_certificate_problem_a_person_can_act_on_has_its_own_sentence() {
        assert!(sentence(C::UnknownIssuer).contains("Your network may be inspecting secure connections"));
        assert!(sentence(C::UnknownIssuer).contains("--ca-file"));
        assert!(sentence(C::Expired).contains("has expired"));
        assert!(sentence(C::NotValidYet).contains("not valid yet"));
        assert!(sentence(C::NotValidForName).contains("belongs to another name"));
        assert!(sentence(C::BadSignature).contains("A secure connection to secure.stitch.money could not be made"));
    }

    #[test]
    fn a_deadline_failure_is_a_timeout_that_says_how_long_and_how_to_allow_more() {
        let f = deadline_passed("https://secure.stitch.money/connect/token", "token URL", Duration::from_secs(30));
        assert_eq!(f.kind, FailureKind::Timeout);
        assert!(f.message.starts_with("secure.stitch.money did not answer in time (30 s)."), "{}", f.message);
        assert!(f.message.contains("--timeout"));
    }
}
