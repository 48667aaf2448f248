//! Sending token requests: one shared HTTP client with rustls, connect and total timeouts,
//! bounded retries, and no redirects (a token endpoint that redirects is misconfigured, and
//! following it would hand the credential to another address).

use std::error::Error as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use serde::Serialize;

use crate::clock::Clock;
use crate::failure::{Detail, Failure, FailureKind};
use crate::inspect::Exchange;
use crate::redact::Redactor;
use crate::request::{Credential, TokenRequest};
use crate::response::{self, Answer, Context};
use crate::retry::RetryPolicy;
use crate::token::Token;

/// Timeouts and retries. The defaults suit a person waiting at a window.
#[derive(Debug, Clone, Copy)]
pub struct HttpOptions {
    pub connect_timeout: Duration,
    /// For one whole attempt, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Bodies longer than this are cut; no token response comes near it.
    pub max_body_bytes: usize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_body_bytes: 256 * 1024,
        }
    }
}

/// How Token Desk names itself to servers.
pub const USER_AGENT: &str = concat!("token-desk/", env!("CARGO_PKG_VERSION"));

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

/// The HTTP client, made once and shared by every request of the process.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    options: HttpOptions,
    last: Arc<Mutex<Last>>,
}

impl Http {
    pub fn new(options: HttpOptions) -> Self {
        Self::build(options, reqwest::Client::builder())
    }

    /// The same client resolving names through `resolver`: lets tests meet a failed name
    /// lookup without sending a DNS query off this machine.
    pub fn with_resolver<R: reqwest::dns::Resolve + 'static>(
        options: HttpOptions,
        resolver: std::sync::Arc<R>,
    ) -> Self {
        Self::build(options, reqwest::Client::builder().dns_resolver(resolver))
    }

    fn build(options: HttpOptions, builder: reqwest::ClientBuilder) -> Self {
        let client = builder
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .user_agent(USER_AGENT)
            .build()
            .expect("the TLS backend is compiled in, so building the HTTP client cannot fail");
        Self { client, options, last: Arc::default() }
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

    /// The shared client, for callers of the Stitch API itself.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Gets a token, retrying transient failures as [`RetryPolicy`] allows. Each attempt
    /// is signed anew (a fresh assertion `jti`) and its send time starts the token's lifetime.
    pub async fn request_token(&self, req: &TokenRequest, clock: &dyn Clock) -> Result<Fetched, Failure> {
        let mut attempts = Vec::new();
        let mut waited = Duration::ZERO;
        loop {
            let started = std::time::Instant::now();
            let result = self.attempt(req, clock).await;
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
                    match self.options.retry.delay_after(attempts.len() as u32, &failure, jitter) {
                        Some(wait) => {
                            tokio::time::sleep(wait).await;
                            waited = wait;
                        }
                        None => return Err(failure),
                    }
                }
            }
        }
    }

    async fn attempt(&self, req: &TokenRequest, clock: &dyn Clock) -> Result<Token, Failure> {
        let sent_at = clock.now();
        let fields = req.form_fields(sent_at)?;
        // The credential's own value (secret or assertion): nothing that leaves may hold it.
        let redactor = Redactor::new(&[fields.last().map(|(_, v)| v.as_str()).unwrap_or_default()]);
        let mut exchange = Exchange::token_request(req.token_url().as_str(), &fields);
        let started = std::time::Instant::now();
        let result = self.send(req, clock, sent_at, &fields, &mut exchange).await.map_err(|f| f.redacted(&redactor));
        exchange.elapsed_ms = started.elapsed().as_millis() as u64;
        if let Err(f) = &result {
            if exchange.status.is_none() {
                exchange.error = f.detail.cause.clone().or_else(|| Some(f.message.clone()));
            }
        }
        exchange.redact(&redactor);
        self.last.lock().unwrap().token = Some(exchange);
        result
    }

    async fn send(
        &self,
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

        let response = self
            .client
            .post(req.token_url().clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| transport_failure(&e, url, "token URL"))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text_header = |name| headers.get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok());
        let bytes = read_body(response, self.options.max_body_bytes).await.map_err(|e| {
            let mut f = transport_failure(&e, url, "token URL");
            f.detail.status = Some(status);
            f
        })?;
        exchange.answered(status, &headers, &bytes, &Redactor::new(&[secret.as_str()]));

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
        response::interpret(&answer, &cx)
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

/// Names a transport failure in plain words: timeout, TLS, name lookup or connection; `what`
/// names the address to check ("token URL", "API URL").
pub fn transport_failure(e: &reqwest::Error, url: &str, what: &str) -> Failure {
    let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    let chain = cause_chain(e);
    let detail = Detail { url: Some(url.to_owned()), cause: Some(chain.clone()), ..Detail::default() };
    let lower = chain.to_ascii_lowercase();
    let (kind, message) = if e.is_timeout() || lower.contains("timed out") {
        (FailureKind::Timeout, format!("{host} did not answer in time. Check your connection and try again."))
    } else if is_tls(e) || lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") {
        (
            FailureKind::Tls,
            format!("A secure connection to {host} could not be made. Check the {what}; a proxy or the wrong port may be in the way."),
        )
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

fn is_tls(e: &reqwest::Error) -> bool {
    let mut source = e.source();
    while let Some(s) = source {
        if s.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.get_ref().is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()) {
                return true;
            }
        }
        // An io::Error's `source()` skips the error it wraps, so step into it: tokio-rustls
        // nests the rustls::Error in an io::Error inside another io::Error.
        source = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|i| i as &(dyn std::error::Error + 'static))
            .or_else(|| s.source());
    }
    false
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
