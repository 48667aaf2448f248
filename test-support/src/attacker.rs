//! One loopback "attacker" HTTP server for every test crate: it records every request (raw
//! bytes), counts connections, and answers as its [`Mode`] says: a fake token endpoint, an
//! echo of the credential it got in every encoding (see [`crate::echoes`]), hostile text
//! that would drive a terminal, a body that never ends, or a plain refusal.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::echoes::{encodings, json_escaped, percent_lower, unicode_escaped};

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 200 with a well-formed token response, as a fake token endpoint would.
    Token,
    /// Echoes the credential it received (`client_secret`, `client_assertion` or the bearer
    /// token) in every encoding of [`encodings`]: in the body, in `Location` and in `X-Echo`.
    /// `status` is the HTTP status to answer with.
    Echo { status: u16 },
    /// 200 with a chunked body that never ends.
    Endless,
    /// Answers with [`HOSTILE_TEXT`] in every text field it returns and echoes the token it
    /// issued ([`HOSTILE_TOKEN`]) or was sent wherever it can: as a token endpoint, with
    /// `status` (200: a token whose `scope`, `token_type` and extra fields carry both; else an
    /// OAuth error made of them); as the API (`/graphql`), `FORBIDDEN` with both in the message,
    /// in `missingScopes`, in the client's fields and in a header.
    Hostile { status: u16 },
    /// 200 with a token that holds an ESC sequence (RFC 6749 Appendix A.12 allows none).
    HostileToken,
    /// 400 `invalid_client` to everything, so nothing is ever accepted: the server a hostile
    /// file or form points at, in the window's trust tests.
    Refuse,
}

/// Text that drives a terminal if printed as it is: erase the screen (CSI 2J), set the window
/// title (OSC 0), write the clipboard (OSC 52), the C1 CSI (U+009B), DEL, a right-to-left
/// override, an isolate and a zero-width space.
pub const HOSTILE_TEXT: &str =
    "x\u{1b}[2J\u{1b}]0;owned\u{7}\u{1b}]52;c;b3duZWQ=\u{7}\u{9b}31m\u{7f}\u{202e}dlrow\u{2066}\u{200b}y";

/// The token [`Mode::Hostile`] issues.
pub const HOSTILE_TOKEN: &str = "hostile-issued-token-7Qm2Zp9Lx4Vc";

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Seen {
    pub raw: Vec<u8>,
}

impl Seen {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }
}

/// An HTTP/1.1 server on 127.0.0.1 that counts connections and keeps every request. It runs
/// on a thread of its own (with its own runtime), so sync and async tests alike can start and
/// drop it; the thread ends with the test process.
pub struct Attacker {
    pub addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
}

impl Attacker {
    pub fn start(mode: Mode) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let connections = Arc::new(AtomicUsize::new(0));
        let (log, counted) = (seen.clone(), connections.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((stream, _)) = listener.accept().await else { return };
                    counted.fetch_add(1, Ordering::SeqCst);
                    let log = log.clone();
                    tokio::spawn(async move {
                        let _ = serve(stream, mode, log).await;
                    });
                }
            });
        });
        Self { addr, seen, connections }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `http://127.0.0.1:PORT/connect/token`
    pub fn token_url(&self) -> String {
        self.url("/connect/token")
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many connections were opened to it, whether or not a whole request followed.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Nothing at all arrived: no connection, so no secret, no assertion, no token.
    pub fn assert_untouched(&self, case: &str) {
        let seen = self.requests();
        assert!(seen.is_empty(), "{case}: the attacker received {} request(s):\n{}", seen.len(), seen[0].text());
        assert_eq!(self.connections(), 0, "{case}: a connection reached the attacker");
    }
}

async fn serve(mut stream: tokio::net::TcpStream, mode: Mode, log: Arc<Mutex<Vec<Seen>>>) -> std::io::Result<()> {
    loop {
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        let head_end = loop {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                return Ok(());
            }
            raw.extend_from_slice(&buf[..n]);
            if let Some(i) = find(&raw, b"\r\n\r\n") {
                break i + 4;
            }
            if raw.len() > 1 << 20 {
                return Ok(());
            }
        };
        let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
            .min(1 << 20);
        while raw.len() < head_end + length {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        log.lock().unwrap().push(Seen { raw: raw.clone() });
        let text = String::from_utf8_lossy(&raw).into_owned();
        match mode {
            Mode::Token => {
                let body = r#"{"access_token":"attacker-issued-token-0123456789","token_type":"Bearer","expires_in":3600,"scope":"client_paymentrequest"}"#;
                respond(&mut stream, 200, &[("Content-Type", "application/json".into())], body).await?;
            }
            Mode::Echo { status } => {
                let value = credential_in(&text).unwrap_or_default();
                let all = encodings(&value);
                let body = if status == 200 {
                    // A GraphQL answer that works, with the token in the client's fields.
                    serde_json::json!({
                        "data": { "client": { "id": value, "clientId": all.join(" | ") },
                                  "paymentInitiationRequests": { "edges": [] } },
                        "echo": all,
                    })
                } else {
                    serde_json::json!({
                        "error": "invalid_client",
                        "error_description": format!("we got {}", all.join(" | ")),
                        "echo": all,
                        "raw_echo": value,
                    })
                }
                .to_string();
                // serde_json escapes only what it must: add \u-escaped and slash-escaped forms.
                let body = format!(
                    "{},\"u_echo\":\"{}\",\"j_echo\":\"{}\"}}",
                    &body[..body.len() - 1],
                    unicode_escaped(&value),
                    json_escaped(&value)
                );
                let location = format!("https://elsewhere.example/cb?s={}", percent_lower(&value));
                let echo_header: String = all.iter().filter(|e| e.is_ascii()).cloned().collect::<Vec<_>>().join(",");
                let headers = [
                    ("Content-Type", "application/json".to_owned()),
                    ("Location", location),
                    ("X-Echo", echo_header.replace(['\r', '\n'], "")),
                ];
                respond(&mut stream, status, &headers, &body).await?;
            }
            Mode::Hostile { status } => {
                let sent = credential_in(&text).unwrap_or_default();
                let (status, body) = if text.starts_with("POST /graphql") {
                    let body = serde_json::json!({
                        "errors": [{
                            "message": format!("FORBIDDEN {HOSTILE_TEXT} for token {sent}"),
                            "extensions": { "code": "FORBIDDEN",
                                            "missingScopes": [sent, HOSTILE_TEXT, "client_paymentrequest"] },
                        }],
                        "data": { "client": { "id": HOSTILE_TEXT, "clientId": sent } },
                    });
                    (200, body)
                } else if status == 200 {
                    let body = serde_json::json!({
                        "access_token": HOSTILE_TOKEN,
                        "token_type": format!("Bearer{HOSTILE_TEXT}"),
                        "expires_in": 3600,
                        "scope": format!("client_paymentrequest {HOSTILE_TOKEN} {HOSTILE_TEXT}"),
                        "accessToken": HOSTILE_TOKEN,
                        "note": HOSTILE_TEXT,
                    });
                    (200, body)
                } else {
                    let body = serde_json::json!({
                        "error": format!("invalid_client{HOSTILE_TEXT}"),
                        "error_description": format!("{HOSTILE_TEXT} we got {sent}"),
                    });
                    (status, body)
                };
                let headers =
                    [("Content-Type", "application/json".to_owned()), ("X-Echo", format!("{HOSTILE_TOKEN} {sent}"))];
                respond(&mut stream, status, &headers, &body.to_string()).await?;
            }
            Mode::Refuse => {
                let body = r#"{"error":"invalid_client"}"#;
                respond(&mut stream, 400, &[("Content-Type", "application/json".into())], body).await?;
            }
            Mode::HostileToken => {
                let body = serde_json::json!({ "access_token": format!("tok{HOSTILE_TEXT}"), "token_type": "Bearer" });
                respond(&mut stream, 200, &[("Content-Type", "application/json".into())], &body.to_string()).await?;
            }
            Mode::Endless => {
                stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                    )
                    .await?;
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
                loop {
                    stream.write_all(chunk.as_bytes()).await?;
                }
            }
        }
    }
}

async fn respond(
    stream: &mut tokio::net::TcpStream,
    status: u16,
    headers: &[(&str, String)],
    body: &str,
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        if v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    out.push_str("\r\n");
    out.push_str(body);
    stream.write_all(out.as_bytes()).await
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The credential a request carried: the form's `client_secret` or `client_assertion`, or
/// the bearer token.
pub fn credential_in(request: &str) -> Option<String> {
    if let Some(line) = request.lines().find(|l| l.to_ascii_lowercase().starts_with("authorization: bearer ")) {
        return Some(line["authorization: bearer ".len()..].trim().to_owned());
    }
    let body = request.split("\r\n\r\n").nth(1)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == "client_secret" || k == "client_assertion").map(|(_, v)| v)
}
