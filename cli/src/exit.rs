//! How a command ends: the exit codes every command documents, the code a failure ends
//! with, and the failure's report on stderr. Below every command module, so each of them
//! (and the argument definitions, which print the codes in `--help`) can use it.

use std::process::ExitCode;

use token_desk_core::failure::FailureClass;
use token_desk_core::outside::Outside;
use token_desk_core::{Failure, FailureKind};

/// The exit codes of `token-desk` and its commands, for `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  Token Desk itself failed (e.g. the window could not be started)
  2  bad input: fix the command and run again (nothing was sent)
  3  rejected: the token server said no (client, secret, certificate or scope)
  4  unavailable: network, timeout, server error, rate limit or an unexpected answer
  5  no keyring: the OS keyring cannot be reached, so a secret could not be saved or read";

/// The exit codes of `token-desk check`.
pub const CHECK_EXIT_CODES: &str = "\
Exit codes:
  0  the token works for everything that could be checked
  2  bad input: fix the command and run again
  3  the token was not accepted (expired or not valid), or it lacks a scope checked
  4  unavailable: network, timeout, server error or an answer that is not GraphQL";

/// Prints the failure and its details, the whole text redacted with this run's secret and
/// token and encoded for the terminal; what the server said is escaped onto one line each.
pub fn report(failure: &Failure) {
    let mut text = format!("token-desk: {}\n", failure.message);
    if !matches!(failure.kind, FailureKind::BadInput | FailureKind::NoKeyring) {
        text.push_str("\nDetails:\n");
        for line in failure.detail_lines(Outside::for_terminal) {
            text.push_str(&format!("  {line}\n"));
        }
    }
    crate::shown::out_raw(true, &text);
}

/// The exit code of a failure (see [`EXIT_CODES`]).
pub fn code(failure: &Failure) -> ExitCode {
    ExitCode::from(match failure.kind.class() {
        FailureClass::Input => 2,
        FailureClass::Rejected => 3,
        FailureClass::Unavailable => 4,
        FailureClass::NoKeyring => 5,
    })
}
