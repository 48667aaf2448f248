//! The world of the command's own tests (`cli.rs`, `check_command.rs`): the shared simulator
//! world (`stitch`) with a secret client that is not granted client_refund and a certificate
//! with 90 days left, and `token-desk` run with the test process's own environment.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use super::stitch::{Clients, World};
use super::{keyring, text, Home, BIN};

/// A secret distinctive enough that finding it anywhere is a leak.
pub const SECRET: &str = "Sx9-q7Lm2Vb8Zr4Tk1Wc6Yn3Hd5Jf0Pa";
pub const SECRET_CLIENT: &str = "test-cli-secret-client";
pub const CERT_CLIENT: &str = "test-cli-cert-client";

/// The shared world, set up for these tests (see the module documentation).
pub struct CliWorld(pub World);

impl std::ops::Deref for CliWorld {
    type Target = World;
    fn deref(&self) -> &World {
        &self.0
    }
}

impl CliWorld {
    pub fn new() -> Self {
        let clients =
            Clients { withheld: &["client_refund"], cert_days: 90, ..Clients::new(SECRET_CLIENT, SECRET, CERT_CLIENT) };
        CliWorld(World::start(Home::new(false), &clients))
    }

    pub fn url(&self) -> String {
        self.stitch.sim.token_url()
    }

    /// `token` for the certificate client and the payment scope.
    pub fn certificate_token(&self) -> Output {
        run(&cert_args(&self.url(), &self.stitch.pem.to_string_lossy(), "client_paymentrequest"), None, &[])
    }
}

/// Runs `token-desk` with the test process's environment and a keyring namespace of its own,
/// so no token kept by another test (or an earlier run) is served to it.
pub fn run(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("TOKEN_SECRET")
        .env(keyring::NAMESPACE_ENV, keyring::namespace())
        .env("RUST_LOG", "trace")
        .env("RUST_BACKTRACE", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        // The command may refuse its arguments before reading: a closed pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    child.wait_with_output().unwrap()
}

/// `out` ended with exit code `code` and `stream` (its stdout or stderr) says `phrase`.
pub fn assert_exit(out: &Output, code: i32, stream: &[u8], phrase: &str) {
    assert_eq!(out.status.code(), Some(code), "{}", text(&out.stderr));
    let said = text(stream);
    assert!(said.contains(phrase), "expected {phrase:?} in:\n{said}");
}

pub fn secret_args<'a>(w: &'a str, scope: &'a str) -> Vec<&'a str> {
    vec!["token", "--token-url", w, "--client-id", SECRET_CLIENT, "--scope", scope, "--secret-stdin"]
}

pub fn cert_args<'a>(w: &'a str, pem: &'a str, scope: &'a str) -> Vec<&'a str> {
    super::certificate_args(w, CERT_CLIENT, pem, scope)
}
