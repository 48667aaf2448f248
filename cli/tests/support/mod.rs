//! Shared by the command-line tests: a home of folders to run the real `token-desk` binary in
//! (with a keyring namespace of its own), the simulator world with a secret and a certificate
//! client (`stitch`), an import file written field by field (`import_file`), the collection tools (`tools`), and the checks that no output could
//! drive a terminal. The loopback attacker, the encodings an echoing server uses, real
//! network parts and the skip gates come from the test-support crate, shared with the engine's
//! and the window's tests.

#![allow(dead_code, unused_imports)]

pub mod cli_world;
pub mod hostile_world;
pub mod import_file;
pub mod network_world;
pub mod profile_world;
pub mod stitch;
pub mod tools;
pub mod try_it_output;

pub use token_desk_test_support::attacker::{credential_in, Attacker, Mode, Seen, HOSTILE_TEXT, HOSTILE_TOKEN};
pub use token_desk_test_support::echoes::*;
pub use token_desk_test_support::{files, keyring, net, recording_api, skip};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_token-desk");
pub const NO_BUS: &str = "unix:path=/nonexistent/token-desk-test-bus";

/// `token-desk token` for the certificate `client` with the PEM file at `pem`.
pub fn certificate_args<'a>(token_url: &'a str, client: &'a str, pem: &'a str, scope: &'a str) -> Vec<&'a str> {
    vec!["token", "--token-url", token_url, "--client-id", client, "--scope", scope, "--certificate", pem]
}

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

/// A home of folders (config, cache, runtime, data) for the binary, the session bus to give
/// it (the real one for keyring tests, none otherwise), and a keyring namespace of its own, so
/// no other test's saved secrets or kept tokens are seen.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub bus: Option<String>,
    pub tag: String,
    /// The binary's `TOKEN_DESK_KEYRING_NAMESPACE`.
    pub namespace: String,
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
        Self { dir, bus, tag, namespace: keyring::namespace(), trace: false }
    }

    /// A home whose binary logs at trace level.
    pub fn traced(with_keyring: bool) -> Self {
        Self { trace: true, ..Self::new(with_keyring) }
    }

    /// The keyring service the binary keeps this home's secrets and tokens under.
    pub fn keyring_service(&self) -> String {
        keyring::service(&self.namespace)
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
        (self.settings(), keyring_items(&self.keyring_service(), &self.tag))
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
            .env(keyring::NAMESPACE_ENV, &self.namespace)
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

/// The Secret Service items of this test (those of `service` whose account holds `tag`),
/// attributes and secrets, sorted: equal before and after means the keyring was not changed.
pub fn keyring_items(service: &str, tag: &str) -> Vec<String> {
    let out =
        Command::new("secret-tool").args(["search", "--all", "service", service]).output().expect("secret-tool runs");
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
