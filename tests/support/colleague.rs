//! A colleague's token server on 127.0.0.1: not the simulator, and not built on it. It answers
//! RFC 6749 §4.4 client-credentials requests at `/connect/token` (a token for the right
//! secret, `invalid_client` for a wrong one, `invalid_scope` naming the refused scope in a
//! `scope` member, §5.2) and the token test's read-only GraphQL queries at `/graphql`, so the
//! window is seen against a server it knows nothing about.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The test client this server knows.
pub const CLIENT_ID: &str = "test-colleague-7f3a";
/// A live client of the same server (its id does not start with `test-`), same secret.
pub const LIVE_CLIENT_ID: &str = "shop-colleague-live-2c";
/// Their secret.
pub const SECRET: &str = "colleague-secret-9d2b6e41";
/// The scope this client may never have: asking for it is refused, by name.
pub const REFUSED_SCOPE: &str = "client_disbursement";
/// A scope it is never granted, though asking for it is not refused (the token then lacks it).
pub const NEVER_GRANTED: &str = "client_imageupload";

/// The server, running until dropped.
pub struct Colleague {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Colleague {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port for the colleague's server");
        let addr = listener.local_addr().expect("its address");
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let counted = counted.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, &counted).await;
                });
            }
        });
        Self { addr, requests, task }
    }

    pub fn token_url(&self) -> String {
        format!("http://{}/connect/token", self.addr)
    }

    pub fn api_url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    /// `127.0.0.1:PORT`, as the window names this server.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// How many token requests arrived.
    pub fn token_requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Colleague {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers the requests of one connection (keep-alive included) until it closes.
async fn serve(mut stream: TcpStream, requests: &AtomicUsize) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let Some(end) = find(&buffer, b"\r\n\r\n") else {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        let length = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        while buffer.len() < end + 4 + length {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..n]);
        }
        let body = String::from_utf8_lossy(&buffer[end + 4..end + 4 + length]).into_owned();
        buffer.drain(..end + 4 + length);
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let (status, answer) = if path.starts_with("/connect/token") {
            requests.fetch_add(1, Ordering::SeqCst);
            token_answer(&body)
        } else if path.starts_with("/graphql") {
            graphql_answer(&head, &body)
        } else {
            (404, json!({ "error": "not_found" }))
        };
        let text = answer.to_string();
        let reason = match status {
            200 => "OK",
            400 => "Bad Request",
            401 => "Unauthorized",
            _ => "Not Found",
        };
        let response = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        stream.write_all(response.as_bytes()).await?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// RFC 6749 §4.4.3 and §5.2, for the two clients this server knows.
fn token_answer(body: &str) -> (u16, Value) {
    let form: HashMap<String, String> =
        body.split('&').filter_map(|pair| pair.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    if field("grant_type") != "client_credentials" {
        return (400, json!({ "error": "unsupported_grant_type" }));
    }
    if ![CLIENT_ID, LIVE_CLIENT_ID].contains(&field("client_id")) || field("client_secret") != SECRET {
        return (401, json!({ "error": "invalid_client" }));
    }
    let asked: Vec<&str> = field("scope").split(' ').filter(|s| !s.is_empty()).collect();
    if asked.contains(&REFUSED_SCOPE) {
        return (400, json!({ "error": "invalid_scope", "scope": REFUSED_SCOPE }));
    }
    let granted: Vec<&str> = asked.iter().copied().filter(|s| *s != NEVER_GRANTED).collect();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    let token = format!("colleague_{nanos:x}_{:x}", std::process::id());
    (200, json!({ "access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": granted.join(" ") }))
}

/// The token test's read-only queries: any bearer token this server issued is accepted.
fn graphql_answer(head: &str, body: &str) -> (u16, Value) {
    let bearer = head.lines().any(|l| l.to_ascii_lowercase().starts_with("authorization: bearer colleague_"));
    if !bearer {
        return (
            200,
            json!({ "errors": [{ "message": "Not authenticated", "extensions": { "code": "UNAUTHENTICATED" } }] }),
        );
    }
    if body.contains("paymentInitiationRequests") {
        return (200, json!({ "data": { "client": { "paymentInitiationRequests": { "edges": [] } } } }));
    }
    (200, json!({ "data": { "client": { "id": "colleague-client", "clientId": CLIENT_ID } } }))
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space, `%XX` a byte).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
