//! The engine on a company network: one deadline for a whole token request (retries inside
//! it, never past it), the same for the API test, and the proxy decision as the inspector
//! records it, over real HTTP on loopback. Names that are not loopback reach loopback
//! servers through a test resolver, so no DNS query leaves this machine.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::*;
use token_desk_core::clock::SystemClock;
use token_desk_core::http::{Http, HttpOptions};
use token_desk_core::network::{NetworkSettings, ProxyEnvironment, ProxyUrl};
use token_desk_core::retry::RetryPolicy;
use token_desk_core::simulator::Fault;
use token_desk_core::token::AccessToken;
use token_desk_core::FailureKind;

const SCOPE: &str = "client_paymentrequest";

fn with_deadline(deadline: Duration) -> HttpOptions {
    HttpOptions {
        request_timeout: deadline,
        retry: RetryPolicy { max_retry_after: Duration::from_secs(30), ..fast_options().retry },
        ..fast_options()
    }
}

fn busy(retry_after: &str) -> Fault {
    Fault::Respond {
        status: 503,
        headers: vec![("retry-after".into(), retry_after.into()), ("content-type".into(), "text/plain".into())],
        body: "busy".into(),
    }
}

#[tokio::test]
async fn a_retry_whose_wait_would_end_past_the_deadline_is_not_started() {
    let sim = simulator().await;
    sim.inject([busy("3"), busy("3")]);
    let engine = engine_with_options(with_deadline(Duration::from_secs(2)));
    let started = Instant::now();
    let failure = engine.token(&secret_request(&sim.token_url(), SCOPE), false).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::ServerError);
    assert_eq!(failure.detail.attempts, 1);
    assert_eq!(sim.token_requests(), 1);
    // Waiting for the retry would take the 3 s the server asked for: anything less says it did not.
    assert!(started.elapsed() < Duration::from_secs(3), "it did not wait for a retry it would not make");
}

#[tokio::test]
async fn retries_that_fit_in_the_deadline_are_made() {
    let sim = simulator().await;
    sim.inject([busy("0"), busy("0")]);
    let engine = engine_with_options(with_deadline(Duration::from_secs(10)));
    let outcome = engine.token(&secret_request(&sim.token_url(), SCOPE), false).await.unwrap();
    assert_eq!(outcome.attempts.len(), 3);
    assert_eq!(sim.token_requests(), 3);
}

#[tokio::test]
async fn a_hanging_attempt_is_stopped_at_the_deadline_and_not_retried() {
    let sim = simulator().await;
    sim.inject([Fault::Stall(Duration::from_secs(30)), Fault::Stall(Duration::from_secs(30))]);
    let engine = engine_with_options(with_deadline(Duration::from_millis(700)));
    let failure = engine.token(&secret_request(&sim.token_url(), SCOPE), false).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Timeout);
    assert!(failure.message.contains("did not answer in time"), "{}", failure.message);
    assert_eq!(failure.detail.attempts, 1);
    assert_eq!(sim.token_requests(), 1);
    let inspected = engine.http().last_token_exchange().unwrap();
    assert_eq!(inspected.status, None);
    assert!(inspected.error.unwrap().contains("deadline"));
}

#[tokio::test]
async fn the_deadline_set_in_the_network_settings_replaces_the_default() {
    let sim = simulator().await;
    sim.inject([Fault::Stall(Duration::from_secs(30))]);
    let engine = engine_with_options(with_deadline(Duration::from_secs(60)));
    let settings = NetworkSettings { timeout: Some(Duration::from_secs(1)), ..NetworkSettings::default() };
    engine.http().configure(&settings).unwrap();
    let failure = engine.token(&secret_request(&sim.token_url(), SCOPE), false).await.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Timeout);
    assert!(failure.message.contains("(1 s)"), "{}", failure.message);
}

#[tokio::test]
async fn the_api_test_gets_the_same_deadline() {
    let sim = simulator().await;
    let engine = engine_with_options(with_deadline(Duration::from_millis(800)));
    let token = engine.token(&secret_request(&sim.token_url(), SCOPE), false).await.unwrap().token;
    sim.inject_api([Fault::Stall(Duration::from_secs(30))]);
    let failure = token_desk_core::check::check(
        engine.http(),
        &sim.api_url(),
        &token.access_token,
        &token.granted,
        &token.requested,
    )
    .await
    .unwrap_err();
    assert_eq!(failure.kind, FailureKind::Timeout);
    assert!(failure.message.contains("API URL"), "{}", failure.message);
}

/// Sends every name to 127.0.0.1 (the port comes from the URL).
struct AllToLoopback;

impl reqwest::dns::Resolve for AllToLoopback {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async {
            let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(SocketAddr::from(([127, 0, 0, 1], 0))));
            Ok(addrs)
        })
    }
}

/// A loopback server that answers every request with a 503 and keeps each request's head.
struct Recorder {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
}

fn recorder() -> Recorder {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let (h, c) = (heads.clone(), connections.clone());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            c.fetch_add(1, Ordering::SeqCst);
            // A TLS hello never ends a head: stop reading soon.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            h.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
            let _ =
                stream.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    Recorder { addr, heads, connections }
}

fn no_retries() -> HttpOptions {
    HttpOptions { retry: RetryPolicy::never(), ..fast_options() }
}

#[tokio::test]
async fn a_proxy_variable_applies_to_other_hosts_and_the_inspector_says_which_proxy() {
    let proxy = recorder();
    let server = recorder();
    let env = ProxyEnvironment::from_vars([("HTTPS_PROXY", format!("http://127.0.0.1:{}", proxy.addr.port()))]);
    let http = Http::with_resolver(no_retries(), Arc::new(AllToLoopback)).with_proxy_environment(env);
    let target = format!("token.example:{}", server.addr.port());
    let url = format!("https://{target}/connect/token");
    let failure = http.request_token(&secret_request(&url, SCOPE), &SystemClock).await.unwrap_err();
    assert!(proxy.heads.lock().unwrap()[0].starts_with(&format!("CONNECT {target} HTTP/1.1")));
    assert_eq!(server.connections.load(Ordering::SeqCst), 0);
    assert_eq!(failure.kind, FailureKind::Proxy);
    assert!(failure.message.contains("the HTTPS_PROXY environment variable"), "{}", failure.message);
    let inspected = http.last_token_exchange().unwrap();
    let shown = format!("http://127.0.0.1:{} (from HTTPS_PROXY)", proxy.addr.port());
    assert_eq!(inspected.proxy.as_deref(), Some(shown.as_str()));
    assert!(inspected.to_text().contains(&format!("(proxy: {shown})")));
}

#[tokio::test]
async fn no_proxy_sends_a_listed_host_direct() {
    let proxy = recorder();
    let server = recorder();
    let env = ProxyEnvironment::from_vars([
        ("https_proxy", format!("http://127.0.0.1:{}", proxy.addr.port())),
        ("no_proxy", "example.org, token.example".to_owned()),
    ]);
    let http = Http::with_resolver(no_retries(), Arc::new(AllToLoopback)).with_proxy_environment(env);
    let url = format!("https://token.example:{}/connect/token", server.addr.port());
    let _ = http.request_token(&secret_request(&url, SCOPE), &SystemClock).await;
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 0, "the proxy saw nothing");
    assert_eq!(server.connections.load(Ordering::SeqCst), 1, "the server was reached directly");
    assert_eq!(http.last_token_exchange().unwrap().proxy.as_deref(), Some("none (direct connection)"));
}

#[tokio::test]
async fn proxy_credentials_go_to_the_proxy_and_nowhere_in_what_is_shown() {
    let proxy = recorder();
    let password = "pr0xy-Pa55-x8";
    let explicit = ProxyUrl::parse(&format!("http://alice:{password}@127.0.0.1:{}", proxy.addr.port())).unwrap();
    let http = Http::new(no_retries());
    http.configure(&NetworkSettings { proxy: Some(explicit), ..NetworkSettings::default() }).unwrap();
    let sim = simulator().await;
    let failure = http.request_token(&secret_request(&sim.token_url(), SCOPE), &SystemClock).await.unwrap_err();
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("alice:{password}"));
    let head = proxy.heads.lock().unwrap()[0].clone();
    assert!(head.to_ascii_lowercase().contains(&format!("proxy-authorization: basic {}", basic.to_ascii_lowercase())));
    let inspected = http.last_token_exchange().unwrap();
    let shown = format!("{failure:?} {} {}", inspected.to_text(), serde_json::to_string(&inspected).unwrap());
    assert!(!shown.contains(password) && !shown.contains(&basic), "{shown}");
    assert_eq!(sim.token_requests(), 0);
}

#[tokio::test]
async fn an_api_test_through_a_proxy_is_recorded_with_the_proxy() {
    let proxy = recorder();
    let http = Http::new(no_retries());
    let explicit = ProxyUrl::parse(&format!("127.0.0.1:{}", proxy.addr.port())).unwrap();
    http.configure(&NetworkSettings { proxy: Some(explicit), ..NetworkSettings::default() }).unwrap();
    let token = AccessToken::new("tok-abcdefghijklmnopqrstuvwxyz");
    let empty = token_desk_core::scope::Scopes::default();
    let _ = token_desk_core::check::check(&http, "http://127.0.0.1:9/graphql", &token, &empty, &empty).await;
    let api = http.last_api_exchange().unwrap();
    assert_eq!(api.proxy, Some(format!("http://127.0.0.1:{} (from the proxy setting)", proxy.addr.port())));
}
