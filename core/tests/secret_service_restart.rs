//! The process's one Secret Service connection (`core/src/keyring/secret_service.rs`) when
//! the keyring daemon comes and goes under a process that keeps running, as the window does
//! for hours: a keyring that was not there is not remembered as missing, and one that restarts
//! (a crash, a desktop session's keyring replaced) is used again, its entries intact.
//!
//! The test runs its own session bus and gnome-keyring, in a scratch folder, so that stopping
//! them disturbs no other test. The bus has no service folders: nothing starts a keyring but
//! the test. It runs only with `TOKEN_DESK_KEYRING_TESTS=1` (inside `scripts/test`, which
//! installs dbus and gnome-keyring); otherwise it says it was skipped.
#![cfg(target_os = "linux")]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::keyring_tests;
use token_desk_core::keyring::{Keyring, KeyringError};

const PASSWORD: &str = "restart-test-keyring";
const SECRETS: &str = "org.freedesktop.secrets";

/// A D-Bus session bus of the test's own, ended on drop.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start(dir: &Path) -> Bus {
        let socket = dir.join("bus");
        let config = dir.join("bus.conf");
        // A session bus with no <servicedir>: no keyring is started behind the test's back.
        let policy = format!(
            "<busconfig><type>session</type><listen>unix:path={}</listen><auth>EXTERNAL</auth>\
             <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
             <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>",
            socket.display()
        );
        std::fs::write(&config, policy).expect("the bus configuration is written");
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts (Debian package dbus)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().expect("its stdout"))
            .read_line(&mut address)
            .expect("dbus-daemon prints its address");
        Bus { daemon, address: address.trim().to_owned() }
    }

    /// Whether a connection owns `name` on this bus, asked with `dbus-send` (not our client).
    fn has_owner(&self, name: &str) -> bool {
        let out = Command::new("dbus-send")
            .args([&format!("--bus={}", self.address), "--dest=org.freedesktop.DBus", "--print-reply"])
            .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", &format!("string:{name}")])
            .output()
            .expect("dbus-send runs");
        String::from_utf8_lossy(&out.stdout).contains("boolean true")
    }

    /// Waits until `name` is owned (`true`) or free (`false`): a functional wait, not a timing.
    fn wait_for(&self, name: &str, owned: bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.has_owner(name) != owned {
            assert!(Instant::now() < deadline, "{name} was never {}", if owned { "owned" } else { "released" });
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// A gnome-keyring daemon on `bus`, keeping its keyring file under `dir` (so a second daemon
/// started on the same folder and password finds the first one's entries), ended on drop.
struct Daemon(Child);

impl Daemon {
    fn start(bus: &Bus, dir: &Path) -> Daemon {
        for folder in ["data", "runtime"] {
            std::fs::create_dir_all(dir.join(folder)).expect("a folder for the keyring");
        }
        let mut child = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_RUNTIME_DIR", dir.join("runtime"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts (Debian package gnome-keyring)");
        // The password on stdin, then end of file: how --unlock takes it.
        child.stdin.take().expect("its stdin").write_all(PASSWORD.as_bytes()).expect("the password is given");
        bus.wait_for(SECRETS, true);
        Daemon(child)
    }

    /// Kills the daemon outright, as a crash would, and waits until the bus has let its name go.
    fn crash(mut self, bus: &Bus) {
        self.0.kill().expect("the keyring daemon is killed");
        self.0.wait().expect("the keyring daemon has ended");
        bus.wait_for(SECRETS, false);
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_keyring_that_starts_late_or_restarts_is_used_by_a_process_that_kept_running() {
    if !keyring_tests() {
        return;
    }
    let dir = tempfile::tempdir().expect("a scratch folder");
    let bus = Bus::start(dir.path());
    // Before this process's first keyring call, which is when the connection is made.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    let account = "restart-test";

    // No keyring yet: each call says so, and the failure is not kept.
    for attempt in 1..=2 {
        match Keyring::app().read_keyring(account) {
            Err(KeyringError::Unavailable { .. }) => {}
            other => panic!("call {attempt} with no keyring: {other:?}"),
        }
    }

    let first = Daemon::start(&bus, dir.path());
    Keyring::app().write_keyring(account, b"written before the restart").expect("the keyring, once started, is used");
    assert_eq!(Keyring::app().read_keyring(account).unwrap().unwrap().expose(), b"written before the restart");

    // Restarted between two calls: the kept connection's encrypted session belongs to the
    // daemon that is gone, so the next call must notice, connect again and carry on, with no
    // error, finding the entry the new daemon loaded from disk.
    first.crash(&bus);
    let second = Daemon::start(&bus, dir.path());
    let found = Keyring::app().read_keyring(account).expect("the restarted keyring is used at once");
    assert_eq!(found.expect("the entry survived the restart").expose(), b"written before the restart");
    second.crash(&bus);
    let third = Daemon::start(&bus, dir.path());
    Keyring::app().write_keyring(account, b"written after a restart").expect("a write just after a restart");
    assert_eq!(Keyring::app().read_keyring(account).unwrap().unwrap().expose(), b"written after a restart");

    // Gone and not back: said plainly, and once it is back it is used again.
    third.crash(&bus);
    match Keyring::app().read_keyring(account) {
        Err(KeyringError::Unavailable { .. }) => {}
        other => panic!("a read while no keyring runs: {other:?}"),
    }
    let _fourth = Daemon::start(&bus, dir.path());
    Keyring::app().delete_keyring(account).expect("a delete once the keyring is back");
    assert!(Keyring::app().read_keyring(account).unwrap().is_none(), "deleted means gone");
}
