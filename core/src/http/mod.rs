//! Sending token requests and recording them for the inspector: one shared HTTP client
//! ([`client`] builds it) with rustls, the trust and proxy choices of
//! [`crate::network`], one deadline per token request (retries included), bounded retries,
//! and no redirects (a token endpoint that redirects is misconfigured, and following it would
//! hand the credential to another address); [`transport`] words what fails on the way.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand::Rng;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use serde::Serialize;
use tokio::time::Instant;

use crate::clock::Clock;
use crate::failure::Failure;
use crate::inspect::Exchange;
use crate::network::{NetworkSettings, ProxyEnvironment, Route};
use crate::redact::Redactor;
use crate::request::{Credential, TokenRequest};
use crate::response::{self, Answer, Context};
use crate::token::Token;

pub mod api;
mod client;
mod transport;

pub use client::HttpOptions;
use client::{build, Base, Wire};
pub use transport::{deadline_passed, transport_failure};
use transport::{proxy_failure, transport_failure_via, ProxyProblem};

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

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let wire = self.wire();
        f.debug_struct("Http").field("deadline", &wire.deadline).field("network", &wire.network).finish()
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
