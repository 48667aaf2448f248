//! Whether a test that needs a part of the machine (the Secret Service, a display) runs: it
//! does when `scripts/test` set its variable to 1; otherwise it says, in one `skipped:` line
//! on stderr, which test was skipped and why, and the test returns. Every test crate's
//! support module uses this file.

/// True when the Secret Service is there to test against (`TOKEN_DESK_KEYRING_TESTS=1`).
pub fn keyring_tests() -> bool {
    runs_when("TOKEN_DESK_KEYRING_TESTS", "keyring test", "the Secret Service; run scripts/test")
}

/// True when the real window can be driven (`TOKEN_DESK_E2E=1`); with it, a missing
/// prerequisite fails the test instead.
pub fn window_tests() -> bool {
    runs_when("TOKEN_DESK_E2E", "window test", "a display; run scripts/test (sets TOKEN_DESK_E2E=1)")
}

fn runs_when(variable: &str, kind: &str, need: &str) -> bool {
    if std::env::var(variable).as_deref() == Ok("1") {
        return true;
    }
    // The test harness names each test's thread after the test.
    let test = std::thread::current().name().unwrap_or("").to_owned();
    eprintln!("skipped: {kind} {test} needs {need}");
    false
}
