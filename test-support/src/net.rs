//! Real network parts on loopback for the company-network tests of the command line and the
//! window: a CA made with the `openssl` command, an HTTPS front for a token server whose
//! certificate that CA signed (TLS ends here, the bytes go on to the server unchanged),
//! Debian's `tinyproxy` started on a free port with a config file written here and its own
//! log, and servers that stand in for a broken proxy or a hanging token server.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// A CA of the test's own, like a company's TLS-inspection CA, and server certificates it signed.
pub struct TestCa {
    pub dir: PathBuf,
    /// The CA certificate, PEM: what IT would hand out.
    pub ca_pem: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl command runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

impl TestCa {
    pub fn new(dir: &Path) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        openssl(
            dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=Token Desk Test Inspection CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        Self { dir: dir.to_owned(), ca_pem: dir.join("ca.pem") }
    }

    /// A server certificate for `san` (e.g. `DNS:localhost,IP:127.0.0.1`) signed by this CA:
    /// (certificate PEM, key PEM).
    pub fn server(&self, name: &str, san: &str) -> (PathBuf, PathBuf) {
        let (key, csr, cert, ext) =
            (format!("{name}.key"), format!("{name}.csr"), format!("{name}.pem"), format!("{name}.ext"));
        std::fs::write(
            self.dir.join(&ext),
            format!("subjectAltName={san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"),
        )
        .unwrap();
        openssl(
            &self.dir,
            &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &csr, "-subj", "/CN=localhost"],
        );
        openssl(
            &self.dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &cert,
                "-days",
                "2",
                "-extfile",
                &ext,
            ],
        );
        (self.dir.join(cert), self.dir.join(key))
    }
}

/// HTTPS on a loopback port in front of a plain-HTTP server (the simulator): TLS with a
/// certificate from [`TestCa`], everything inside passed on unchanged. Counts handshakes
/// that completed. It runs on a thread of its own (with its own runtime), so sync and async
/// tests alike can start it; it ends with the test process.
pub struct TlsFront {
    pub addr: SocketAddr,
    pub handshakes: Arc<AtomicUsize>,
}

impl TlsFront {
    pub fn start(cert: &Path, key: &Path, backend: SocketAddr) -> Self {
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(cert).unwrap().collect::<Result<_, _>>().unwrap();
        let key = PrivateKeyDer::from_pem_file(key).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let handshakes = Arc::new(AtomicUsize::new(0));
        let counted = handshakes.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((tcp, _)) = listener.accept().await else { return };
                    let acceptor = acceptor.clone();
                    let counted = counted.clone();
                    tokio::spawn(async move {
                        let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                        counted.fetch_add(1, Ordering::SeqCst);
                        let Ok(mut inner) = tokio::net::TcpStream::connect(backend).await else { return };
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut inner).await;
                    });
                }
            });
        });
        Self { addr, handshakes }
    }

    /// `https://localhost:PORT/connect/token`
    pub fn token_url(&self) -> String {
        format!("https://localhost:{}/connect/token", self.addr.port())
    }
}

/// A port on 127.0.0.1 with nothing listening on it.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Debian's tinyproxy, run in the foreground on a free loopback port with a config file of
/// its own; stopped when dropped.
pub struct Tinyproxy {
    pub port: u16,
    pub log: PathBuf,
    child: Child,
}

/// Whether tinyproxy is installed; without it the test is skipped (after its `skipped:`
/// line), or fails under `scripts/test`, which installs it.
pub fn tinyproxy_installed() -> bool {
    crate::skip::program_runs("tinyproxy", "-v", "scripts/install-packages installs it")
}

impl Tinyproxy {
    /// `extra` goes into the config as is (e.g. `BasicAuth user password`, `ConnectPort 443`);
    /// without a `ConnectPort` line tinyproxy allows CONNECT to any port.
    pub fn start(dir: &Path, extra: &str) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        let port = free_port();
        let log = dir.join("tinyproxy.log");
        let config = dir.join("tinyproxy.conf");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nAllow 127.0.0.1\n\
                 LogFile \"{}\"\nLogLevel Connect\nPidFile \"{}\"\nDisableViaHeader Yes\n{extra}\n",
                log.display(),
                dir.join("tinyproxy.pid").display()
            ),
        )
        .unwrap();
        let child = Command::new("tinyproxy")
            .arg("-d")
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tinyproxy starts (apt-get install tinyproxy; scripts/install-packages does)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "tinyproxy did not start listening on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { port, log, child }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The proxy's own log.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Lines of the log that record a request from a client (`Request (file descriptor N): …`).
    pub fn requests(&self) -> Vec<String> {
        self.log_text().lines().filter(|l| l.contains("Request (file descriptor")).map(str::to_owned).collect()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback server that reads each request head and answers with `answer` (or, with
/// `None`, never answers), counting connections: a proxy that asks for credentials, or a
/// token server that hangs.
pub struct ScriptedServer {
    pub addr: SocketAddr,
    pub connections: Arc<AtomicUsize>,
    pub heads: Arc<std::sync::Mutex<Vec<String>>>,
}

impl ScriptedServer {
    pub fn start(answer: Option<&'static str>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (c, h) = (connections.clone(), heads.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                c.fetch_add(1, Ordering::SeqCst);
                let h = h.clone();
                std::thread::spawn(move || {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                        match stream.read(&mut byte) {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    h.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
                    match answer {
                        Some(text) => {
                            let _ = stream.write_all(text.as_bytes());
                        }
                        // Hang: hold the connection open, say nothing.
                        None => std::thread::sleep(Duration::from_secs(120)),
                    }
                });
            }
        });
        Self { addr, connections, heads }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// A proxy's "407 Proxy Authentication Required", as a company proxy sends it.
pub const ANSWER_407: &str = "HTTP/1.1 407 Proxy Authentication Required\r\n\
    Proxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
