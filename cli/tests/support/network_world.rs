//! The company-network tests' world (`networks.rs`, `proxies.rs`): the simulator behind a TLS
//! front whose certificate a test CA signed, a home to run `token-desk` in with a clean
//! environment, Debian's tinyproxy when installed, and the checks on what a run printed.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use super::net::{TestCa, Tinyproxy, TlsFront};
use super::stitch::{self, Clients};
use super::Home;

pub const SECRET: &str = "Nw4-Proxy7Secret-Qz81Lm0Xv5Tb2Kc9";
pub const CLIENT: &str = "test-networks-client";
/// The proxy password: as secret as the client secret.
pub const PROXY_PASSWORD: &str = "pxPw-6Hd2Rk9Ws4";
/// The environment variable `--proxy-password-env` names in these tests.
pub const PROXY_PASSWORD_VAR: &str = "TD_TEST_PROXY_PASSWORD";

/// The shared world (support::stitch: the simulator and a home for the binary) with what a
/// company network adds: a CA of the test's own and an HTTPS front whose certificate it signed.
/// It wraps the shared world rather than being it, since only these tests need the CA and front.
pub struct World {
    pub base: stitch::World,
    pub ca: TestCa,
    pub front: TlsFront,
}

impl std::ops::Deref for World {
    type Target = stitch::World;
    fn deref(&self) -> &stitch::World {
        &self.base
    }
}

impl World {
    pub fn new() -> Self {
        Self::with_server_names("DNS:localhost,IP:127.0.0.1")
    }

    /// The front's certificate names `san`.
    pub fn with_server_names(san: &str) -> Self {
        let base = stitch::World::start(Home::new(false), &Clients::new(CLIENT, SECRET, "test-networks-cert-client"));
        let ca = TestCa::new(&base.home.path().join("ca"));
        let (cert, key) = ca.server("server", san);
        let front = TlsFront::start(&cert, &key, base.stitch.sim.addr());
        World { base, ca, front }
    }

    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = self.home.command(args);
        cmd.stdin(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut child = self.command(args, env).spawn().unwrap();
        let _ = child.stdin.take().unwrap().write_all(SECRET.as_bytes());
        child.wait_with_output().unwrap()
    }

    /// `token-desk token` for `url` with the secret piped in, plus `more` options.
    pub fn token(&self, url: &str, more: &[&str], env: &[(&str, &str)]) -> Output {
        let mut args = vec!["token", "--token-url", url, "--client-id", CLIENT, "--scope", "client_paymentrequest"];
        args.extend(["--secret-stdin", "--fresh"]);
        args.extend(more);
        self.run(&args, env)
    }

    pub fn ca_file(&self) -> String {
        self.ca.ca_pem.display().to_string()
    }

    pub fn dir(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn stderr(out: &Output) -> String {
    text(&out.stderr)
}

pub fn assert_token(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    assert!(text(&out.stdout).trim().len() >= 16, "a token on stdout");
}

pub fn assert_never_shown(out: &Output, secret: &str) {
    for stream in [text(&out.stdout), stderr(out)] {
        assert!(!stream.contains(secret), "{secret} leaked: {stream}");
    }
}

pub fn tinyproxy(w: &World, name: &str, extra: &str) -> Option<Tinyproxy> {
    if !super::net::tinyproxy_installed() {
        return None;
    }
    Some(Tinyproxy::start(&w.dir(name), extra))
}
