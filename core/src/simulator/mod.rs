//! A local stand-in for Stitch's client-token endpoint and GraphQL API, for demos without
//! credentials and for tests over real HTTP. It listens on 127.0.0.1 only.
//!
//! It behaves like Stitch's IdentityServer4 as documented: form-encoded requests, client
//! secrets or RS256 client assertions (kid, iss/sub, aud, exp, jti replay), per-client
//! scopes, HTTP 400 with `{"error": ...}` on failure, opaque tokens with `expires_in`; and a
//! GraphQL endpoint over a schema written as Stitch's (`client`, `node`, payment requests,
//! refunds, bank account verification) with Stitch's `UNAUTHENTICATED` and `FORBIDDEN`
//! (`missingScopes`) errors, and the hosted payment page a payment request's `url` opens.
//!
//! It is bounded like a real server: request bodies are capped, it remembers at most
//! [`MAX_HISTORY`] requests, issued tokens, used assertion ids (expired ones are dropped
//! first), payment requests and refunds, and it answers only requests whose `Host` is a loopback name (so a web page cannot
//! reach it through DNS rebinding).

mod bank_accounts;
pub mod demo;
mod faults;
mod graphql;
mod page;
mod payments;
mod refund;
mod schema;
mod token_endpoint;
mod types;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::routing::{get, post};

use crate::certificate::ClientCertificate;
use crate::clock::{Clock, SystemClock};
pub use demo::Demo;
use faults::play;
pub use faults::Fault;

/// How a simulated client authenticates.
#[derive(Clone)]
pub enum ClientAuth {
    Secret(String),
    /// Refused outside `not_before..not_after`, as Stitch refuses expired certificates.
    Certificate {
        thumbprint: String,
        public_key_pkcs1_der: Vec<u8>,
        not_before: SystemTime,
        not_after: SystemTime,
    },
}

impl ClientAuth {
    pub fn certificate(cert: &ClientCertificate) -> Self {
        let facts = cert.facts();
        ClientAuth::Certificate {
            thumbprint: facts.thumbprint.clone(),
            public_key_pkcs1_der: cert.public_key_pkcs1_der(),
            not_before: facts.not_before,
            not_after: facts.not_after,
        }
    }
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientAuth::Secret(_) => f.write_str("Secret([redacted])"),
            ClientAuth::Certificate { thumbprint, .. } => write!(f, "Certificate({thumbprint})"),
        }
    }
}

/// A client the simulator knows.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub client_id: String,
    pub auth: ClientAuth,
    /// Scopes it may request; any other gets `invalid_scope`.
    pub allowed_scopes: Vec<String>,
    /// Scopes it may request but is not granted (the token's `scope` leaves them out).
    pub withheld_scopes: Vec<String>,
}

/// A token request as it arrived, for tests that check the exact wire format.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub content_type: Option<String>,
    pub authorization: Option<String>,
    pub body: String,
}

/// How to run the simulator.
pub struct SimulatorConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// `expires_in` of issued tokens.
    pub token_lifetime: Duration,
    /// Where the demo certificate lives; see [`demo::default_data_dir`].
    pub data_dir: PathBuf,
    pub clock: Arc<dyn Clock>,
    /// Clients besides the two demo clients.
    pub clients: Vec<ClientConfig>,
    /// Name the refused scopes in an `error_description` of `invalid_scope`. Stitch's
    /// IdentityServer4 sends no description (the default, `false`); other RFC 6749 servers do.
    pub name_refused_scopes: bool,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            port: 0,
            token_lifetime: Duration::from_secs(3600),
            data_dir: demo::default_data_dir(),
            clock: Arc::new(SystemClock),
            clients: Vec::new(),
            name_refused_scopes: false,
        }
    }
}

/// The most requests, issued tokens and used assertion ids the simulator remembers.
pub const MAX_HISTORY: usize = 4096;

/// The largest request body the simulator reads (a token request is a few hundred bytes).
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

pub(crate) struct Issued {
    client_id: String,
    scopes: Vec<String>,
    expires_at: SystemTime,
}

pub(crate) struct State {
    clock: Arc<dyn Clock>,
    lifetime: Duration,
    token_url: String,
    clients: HashMap<String, ClientConfig>,
    issued: Mutex<HashMap<String, Issued>>,
    seen_jti: Mutex<HashMap<String, SystemTime>>,
    faults: Mutex<VecDeque<Fault>>,
    api_faults: Mutex<VecDeque<Fault>>,
    recorded: Mutex<VecDeque<Recorded>>,
    token_calls: Mutex<usize>,
    api_calls: Mutex<usize>,
    name_refused_scopes: bool,
    payments: Mutex<payments::Ledger>,
}

impl State {
    /// Keeps `r`, forgetting the oldest request beyond [`MAX_HISTORY`].
    pub(crate) fn record(&self, r: Recorded) {
        *self.token_calls.lock().unwrap() += 1;
        let mut recorded = self.recorded.lock().unwrap();
        if recorded.len() >= MAX_HISTORY {
            recorded.pop_front();
        }
        recorded.push_back(r);
    }

    /// Keeps an issued token: expired ones are dropped first, then the one expiring soonest
    /// while more than [`MAX_HISTORY`] are held.
    pub(crate) fn keep_issued(&self, token: String, issued: Issued) {
        let now = self.clock.now();
        let mut all = self.issued.lock().unwrap();
        all.retain(|_, i| i.expires_at > now);
        while all.len() >= MAX_HISTORY {
            let Some(soonest) = all.iter().min_by_key(|(_, i)| i.expires_at).map(|(t, _)| t.clone()) else { break };
            all.remove(&soonest);
        }
        all.insert(token, issued);
    }
}

/// Whether a `Host` header names this computer: `localhost`, 127.0.0.0/8 or `[::1]`, with or
/// without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, after)) if after.is_empty() || after.starts_with(':') => inside,
            _ => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(name, port)| if port.parse::<u16>().is_ok() { name } else { "" })
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || name.parse::<std::net::Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Answers 421 to a request whose `Host` is not a loopback name.
async fn loopback_only(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let host = request.headers().get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
    if host.is_some_and(is_loopback_host) {
        return next.run(request).await;
    }
    (axum::http::StatusCode::MISDIRECTED_REQUEST, "This simulator answers only requests to localhost or 127.0.0.1.\n")
        .into_response()
}

/// A running simulator; it stops when dropped.
pub struct Simulator {
    addr: SocketAddr,
    state: Arc<State>,
    demo: Demo,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Simulator {
    /// Starts the simulator on 127.0.0.1, creating the demo certificate if needed.
    pub async fn start(config: SimulatorConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}");
        let token_url = format!("{base}/connect/token");

        let data_dir = config.data_dir.clone();
        let now = config.clock.now();
        let (certificate_path, certificate) =
            tokio::task::spawn_blocking(move || demo::ensure_demo_certificate(&data_dir, now))
                .await
                .map_err(std::io::Error::other)??;
        let demo = Demo {
            secret_client_id: demo::SECRET_CLIENT_ID.into(),
            secret: demo::SECRET.into(),
            certificate_client_id: demo::CERTIFICATE_CLIENT_ID.into(),
            certificate_path,
            scopes: demo::allowed_scopes(),
        };

        let mut clients: HashMap<String, ClientConfig> = HashMap::new();
        clients.insert(
            demo::SECRET_CLIENT_ID.into(),
            ClientConfig {
                client_id: demo::SECRET_CLIENT_ID.into(),
                auth: ClientAuth::Secret(demo::SECRET.into()),
                allowed_scopes: demo::allowed_scopes(),
                withheld_scopes: vec![demo::WITHHELD_SCOPE.into()],
            },
        );
        clients.insert(
            demo::CERTIFICATE_CLIENT_ID.into(),
            ClientConfig {
                client_id: demo::CERTIFICATE_CLIENT_ID.into(),
                auth: ClientAuth::certificate(&certificate),
                allowed_scopes: demo::allowed_scopes(),
                withheld_scopes: Vec::new(),
            },
        );
        for c in config.clients {
            clients.insert(c.client_id.clone(), c);
        }

        let ledger = payments::Ledger::with_demo_requests(MAX_HISTORY, clients.keys().map(String::as_str), now);
        let state = Arc::new(State {
            clock: config.clock,
            lifetime: config.token_lifetime,
            token_url,
            clients,
            issued: Mutex::new(HashMap::new()),
            seen_jti: Mutex::new(HashMap::new()),
            faults: Mutex::new(VecDeque::new()),
            api_faults: Mutex::new(VecDeque::new()),
            recorded: Mutex::new(VecDeque::new()),
            token_calls: Mutex::new(0),
            api_calls: Mutex::new(0),
            name_refused_scopes: config.name_refused_scopes,
            payments: Mutex::new(ledger),
        });
        let app = axum::Router::new()
            .route("/connect/token", post(token_endpoint::handle))
            .route("/graphql", post(graphql::handle))
            .route("/connect/payment-request/{id}", get(page::show).post(page::choose))
            .route("/", get(|| async { "Token Desk's Stitch simulator. POST /connect/token, POST /graphql.\n" }))
            .layer(axum::middleware::from_fn(loopback_only))
            .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BYTES))
            .with_state(state.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Self { addr, state, demo, shutdown: Some(tx) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/connect/token`; also the audience it expects.
    pub fn token_url(&self) -> String {
        self.state.token_url.clone()
    }

    /// `http://127.0.0.1:PORT/graphql`.
    pub fn api_url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    pub fn demo(&self) -> &Demo {
        &self.demo
    }

    /// Queues scripted answers for the next token requests, in order.
    pub fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        self.state.faults.lock().unwrap().extend(faults);
    }

    /// Queues scripted answers for the next GraphQL requests, in order.
    pub fn inject_api(&self, faults: impl IntoIterator<Item = Fault>) {
        self.state.api_faults.lock().unwrap().extend(faults);
    }

    /// How many token requests arrived (faulted ones included).
    pub fn token_requests(&self) -> usize {
        *self.state.token_calls.lock().unwrap()
    }

    /// The token requests received, oldest first: the last [`MAX_HISTORY`] of them.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.state.recorded.lock().unwrap().iter().cloned().collect()
    }

    /// How many issued tokens the simulator holds (at most [`MAX_HISTORY`]).
    pub fn tokens_held(&self) -> usize {
        self.state.issued.lock().unwrap().len()
    }

    /// How many GraphQL requests arrived.
    pub fn api_requests(&self) -> usize {
        *self.state.api_calls.lock().unwrap()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn only_loopback_host_names_are_answered() {
        for ok in ["127.0.0.1", "127.0.0.1:8555", "127.9.9.9:1", "localhost", "LOCALHOST:80", "[::1]", "[::1]:8555"] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "127.0.0.1.evil.example",
            "localhost.evil.example:80",
            "[::2]:80",
            "10.0.0.1",
            "",
            "[::1]x",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
