//! One D-Bus connection to the Secret Service per process (see
//! `core/src/keyring/secret_service.rs`): the `keyring` crate opened a new one for every
//! read and write, about 9 ms each. The bus itself, asked with `dbus-send` (a separate
//! client, so the question opens no connection of ours), says which connections this test
//! process holds.
//!
//! Runs only with `TOKEN_DESK_KEYRING_TESTS=1` (inside `scripts/test`); otherwise it says it
//! was skipped.
#![cfg(target_os = "linux")]

mod support;

use std::process::Command;

use support::keyring_tests;
use token_desk_core::keyring::Keyring;

/// Asks the session bus's own `org.freedesktop.DBus` interface, printing the reply; `None`
/// when the bus answers with an error (a name that has gone since it was listed).
fn ask_bus(method: &str, argument: Option<&str>) -> Option<String> {
    let mut cmd = Command::new("dbus-send");
    cmd.args([
        "--session",
        "--dest=org.freedesktop.DBus",
        "--type=method_call",
        "--print-reply",
        "/org/freedesktop/DBus",
        &format!("org.freedesktop.DBus.{method}"),
    ]);
    if let Some(a) = argument {
        cmd.arg(format!("string:{a}"));
    }
    let out = cmd.output().expect("dbus-send runs");
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The unique names of the bus connections this process holds.
fn connections_of_this_process() -> Vec<String> {
    let me = std::process::id().to_string();
    ask_bus("ListNames", None)
        .expect("the session bus lists its connections")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("string \"")?.strip_suffix('"').map(str::to_owned))
        .filter(|name| name.starts_with(':'))
        .filter(|name| {
            // Gone by now (the listing `dbus-send` itself, for one): not ours.
            let reply = ask_bus("GetConnectionUnixProcessID", Some(name)).unwrap_or_default();
            reply.lines().any(|l| l.trim().strip_prefix("uint32 ") == Some(me.as_str()))
        })
        .collect()
}

#[test]
fn every_keyring_call_of_a_process_goes_over_one_bus_connection() {
    if !keyring_tests() {
        return;
    }
    assert_eq!(connections_of_this_process(), Vec::<String>::new(), "no connection before the first call");
    let account = format!("connection-test:{}", uuid::Uuid::new_v4().simple());

    Keyring::app().write_keyring(&account, b"first").unwrap();
    let first = connections_of_this_process();
    assert_eq!(first.len(), 1, "the first call leaves its connection open for the next: {first:?}");

    // New `Keyring` values, reads, writes, a miss and a delete: still that one connection.
    for round in 0..5 {
        let keyring = Keyring::app();
        let value = format!("value {round}");
        keyring.write_keyring(&account, value.as_bytes()).unwrap();
        assert_eq!(keyring.read_keyring(&account).unwrap().unwrap().expose(), value.as_bytes());
        assert!(keyring.read_keyring(&format!("{account}:missing")).unwrap().is_none());
    }
    Keyring::app().delete_keyring(&account).unwrap();
    assert!(Keyring::app().read_keyring(&account).unwrap().is_none(), "deleted means gone");
    assert_eq!(connections_of_this_process(), first, "every call used the first call's connection");
}
