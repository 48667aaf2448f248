//! Whether a test that needs a part of the machine (the Secret Service, a display, a program
//! such as tinyproxy or newman) runs. Under `scripts/test`, which sets
//! `TOKEN_DESK_KEYRING_TESTS=1` and `TOKEN_DESK_E2E=1` and installs every part, all of them
//! run, and a missing part fails the test. Anywhere else a test without its part says, in one
//! `skipped:` line, which test was skipped and why, and returns. Every test crate's support
//! module names this module: it is the one place that decides.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// True when the Secret Service is there to test against (`TOKEN_DESK_KEYRING_TESTS=1`).
pub fn keyring_tests() -> bool {
    runs_when("TOKEN_DESK_KEYRING_TESTS", "the Secret Service; run scripts/test")
}

/// True when the real window can be driven (`TOKEN_DESK_E2E=1`); with it, a missing
/// prerequisite fails the test instead.
pub fn window_tests() -> bool {
    runs_when("TOKEN_DESK_E2E", "a display; run scripts/test (sets TOKEN_DESK_E2E=1)")
}

/// True when `program` starts here (asked with `version_flag`). Without it the test is
/// skipped, except under `scripts/test`, where `how` has been done and its absence is a failure.
pub fn program_runs(program: &str, version_flag: &str, how: &str) -> bool {
    let runs = Command::new(program).arg(version_flag).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    runs || missing(program, how)
}

/// True when the file `tool` (an npm tool's executable, say) exists; otherwise as
/// [`program_runs`].
pub fn tool_exists(tool: &Path, how: &str) -> bool {
    tool.exists() || missing(&tool.display().to_string(), how)
}

fn missing(what: &str, how: &str) -> bool {
    assert!(!under_scripts_test(), "{what} is missing: {how}");
    say_skipped(&format!("needs {what} ({how})"));
    false
}

fn under_scripts_test() -> bool {
    ["TOKEN_DESK_KEYRING_TESTS", "TOKEN_DESK_E2E"].iter().any(|v| std::env::var(v).as_deref() == Ok("1"))
}

fn runs_when(variable: &str, need: &str) -> bool {
    if std::env::var(variable).as_deref() == Ok("1") {
        return true;
    }
    say_skipped(&format!("needs {need}"));
    false
}

/// One `skipped: <test> <why>` line on the process's stderr itself: the test harness captures
/// what `eprintln!` prints and shows it only for a failed test, so a skip would pass unseen.
fn say_skipped(why: &str) {
    // The test harness names each test's thread after the test.
    let test = std::thread::current().name().unwrap_or("").to_owned();
    let _ = writeln!(std::io::stderr(), "skipped: {test} {why}");
}
