//! Shared by the command-line tests: a loopback "attacker" HTTP server that records every
//! request (raw bytes) and answers as told, the encodings an echoing server uses, a home of
//! folders to run the real `token-desk` binary in, the simulator with a secret and a
//! certificate client (`stitch`), real network parts (`net`), and the collection tools
//! (`tools`).

#![allow(dead_code)]

/// Every file under a folder (shared with the engine's tests).
#[path = "../../../core/tests/support/files.rs"]
pub mod files;
pub mod net;
/// A GraphQL API that answers from a script and records each request (shared with the
/// engine's tests).
#[path = "../../../core/tests/support/recording_api.rs"]
pub mod recording_api;
/// Whether the keyring tests run (shared with the engine's tests).
#[path = "../../../core/tests/support/skip.rs"]
pub mod skip;
pub mod stitch;
pub mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const BIN: &str = env!("CARGO_BIN_EXE_token-desk");
pub const NO_BUS: &str = "unix:path=/nonexistent/token-desk-test-bus";

/// `token-desk token` for the certificate `client` with the PEM file at `pem`.
pub fn certificate_args<'a>(token_url: &'a str, client: &'a str, pem: &'a str, scope: &'a str) -> Vec<&'a str> {
    vec!["token", "--token-url", token_url, "--client-id", client, "--scope", scope, "--certificate", pem]
}

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
}

/// Text that drives a terminal if printed as it is: erase the screen (CSI 2J), set the window
/// title (OSC 0), write the clipboard (OSC 52), the C1 CSI (U+009B), DEL, a right-to-left
/// override, an isolate and a zero-width space.
pub const HOSTILE_TEXT: &str =
    "x\u{1b}[2J\u{1b}]0;owned\u{7}\u{1b}]52;c;b3duZWQ=\u{7}\u{9b}31m\u{7f}\u{202e}dlrow\u{2066}\u{200b}y";

/// The token [`Mode::Hostile`] issues.
pub const HOSTILE_TOKEN: &str = "hostile-issued-token-7Qm2Zp9Lx4Vc";

/// Whether `c` may drive a terminal: what [`HOSTILE_TEXT`] holds and its kin.
pub fn drives_terminal(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}' | '\u{feff}')
}

/// Asserts that nothing in `out` could drive a terminal: no ESC or CSI byte, no bidi control.
pub fn assert_inert(out: &Output, case: &str) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !bytes.iter().any(|&b| b == 0x1b || b == 0x9b),
            "{case}: an ESC or CSI byte on {name}:\n{}",
            text(bytes)
        );
        let shown = String::from_utf8_lossy(bytes);
        assert!(!shown.chars().any(drives_terminal), "{case}: a control or bidi character on {name}:\n{shown:?}");
    }
}

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

/// An HTTP/1.1 server on 127.0.0.1 that counts and keeps every request.
pub struct Attacker {
    pub addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    _rt: tokio::runtime::Runtime,
}

impl Attacker {
    pub fn start(mode: Mode) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let log = seen.clone();
        rt.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, mode, log).await;
                });
            }
        });
        Self { addr, seen, _rt: rt }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Nothing at all arrived: no secret, no assertion, no token.
    pub fn assert_untouched(&self, case: &str) {
        let seen = self.requests();
        assert!(seen.is_empty(), "{case}: the attacker received {} request(s):\n{}", seen.len(), seen[0].text());
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

pub fn percent_lower(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02x}") }).collect()
}

pub fn percent_upper(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

pub fn form_encoded(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn unicode_escaped(s: &str) -> String {
    s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect()
}

pub fn json_escaped(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap();
    quoted[1..quoted.len() - 1].replace('/', "\\/")
}

/// Every form an echoing server sends `s` back in: raw, percent-encoded (lower, upper, `+`
/// and `%20` for spaces), JSON-escaped (`\u` for every character; escaped quotes, backslashes
/// and slashes), base64 and base64url with and without padding, alone and after a prefix of
/// one, two and three bytes.
pub fn encodings(s: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let mut out = vec![
        s.to_owned(),
        percent_lower(s),
        percent_upper(s),
        form_encoded(s),
        form_encoded(s).replace('+', "%20"),
        unicode_escaped(s),
        json_escaped(s),
    ];
    for prefix in ["", "u", "us", "usr"] {
        let wrapped = format!("{prefix}{s}");
        for e in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            out.push(e.encode(&wrapped));
        }
    }
    out.dedup();
    out
}

/// The part of each encoding that must never appear in an output: the encoding itself, except
/// that a base64 form after a prefix is looked for by the digits that depend on `s` alone.
pub fn needles(s: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let mut out = vec![
        s.to_owned(),
        percent_lower(s),
        percent_upper(s),
        form_encoded(s),
        unicode_escaped(s),
        json_escaped(s),
        STANDARD.encode(s),
        URL_SAFE_NO_PAD.encode(s),
    ];
    for (offset, prefix) in ["u", "us"].iter().enumerate() {
        let text = URL_SAFE_NO_PAD.encode(format!("{prefix}{s}"));
        let from = (8 * (offset + 1)).div_ceil(6);
        let to = 8 * (offset + 1 + s.len()) / 6;
        if to > from + 4 {
            out.push(text[from..to].to_owned());
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

/// The first needle of `s` found in `text`, if any.
pub fn leaked(text: &str, s: &str) -> Option<String> {
    needles(s).into_iter().find(|n| text.contains(n.as_str()))
}

/// A home of folders (config, cache, runtime, data) for the binary, and the session bus to
/// give it (the real one for keyring tests, none otherwise).
pub struct Home {
    pub dir: tempfile::TempDir,
    pub bus: Option<String>,
    pub tag: String,
    /// Whether the binary logs everything (`RUST_LOG=trace`, with backtraces): the more it
    /// says, the more a leak would show.
    pub trace: bool,
}

impl Home {
    pub fn new(with_keyring: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for d in ["config", "cache", "runtime", "data"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        let bus = if with_keyring { std::env::var("DBUS_SESSION_BUS_ADDRESS").ok() } else { Some(NO_BUS.into()) };
        let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
        Self { dir, bus, tag, trace: false }
    }

    /// A home whose binary logs at trace level.
    pub fn traced(with_keyring: bool) -> Self {
        Self { trace: true, ..Self::new(with_keyring) }
    }

    pub fn name(&self, base: &str) -> String {
        format!("{base}-{}", self.tag)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn settings_file(&self) -> PathBuf {
        self.dir.path().join("config/token-desk/profiles.json")
    }

    /// The settings file's bytes (`None` when there is none), to prove a refusal changed nothing.
    pub fn settings(&self) -> Option<Vec<u8>> {
        std::fs::read(self.settings_file()).ok()
    }

    /// The settings file and this test's keyring items: the same before and after means the
    /// command changed neither.
    pub fn snapshot(&self) -> (Option<Vec<u8>>, Vec<String>) {
        (self.settings(), keyring_items(&self.tag))
    }

    /// `token-desk profile import FILE` with `flags`.
    pub fn import(&self, file: &Path, flags: &[&str]) -> Output {
        let mut args = vec!["profile", "import", file.to_str().unwrap()];
        args.extend(flags);
        self.run(&args, None)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("runtime"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if self.trace {
            cmd.env("RUST_LOG", "trace").env("RUST_BACKTRACE", "1");
        }
        if let Some(bus) = &self.bus {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        cmd
    }

    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        use std::io::Write;
        let mut cmd = self.command(args);
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        let mut child = cmd.spawn().unwrap();
        if let Some(input) = stdin {
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        child.wait_with_output().unwrap()
    }
}

/// The Secret Service items of this test (those whose account holds `tag`), attributes and
/// secrets, sorted: equal before and after means the keyring was not changed.
pub fn keyring_items(tag: &str) -> Vec<String> {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", token_desk_core::os_keyring::APP_ID])
        .output()
        .expect("secret-tool runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let mut items: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with('[') || items.is_empty() {
            items.push(String::new());
        }
        // Access times change on every read; what is stored does not.
        if !line.starts_with("created") && !line.starts_with("modified") {
            items.last_mut().unwrap().push_str(line);
            items.last_mut().unwrap().push('\n');
        }
    }
    let mut mine: Vec<String> = items
        .into_iter()
        .filter(|i| i.contains(tag))
        .map(|i| i.lines().filter(|l| !l.starts_with('[')).collect::<Vec<_>>().join("\n"))
        .collect();
    mine.sort();
    mine
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// stdout and stderr together.
pub fn all_output(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}
