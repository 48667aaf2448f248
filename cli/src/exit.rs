//! How a command ends: the exit codes every command documents, the one table from why a
//! command stopped to its code, and the report on stderr. Below every command module, so each
//! of them (and the argument definitions, which print the codes in `--help`) can use it.
//!
//! Every command ends through [`end`]: a settings file that cannot be read ends `profile` and
//! `token --profile` alike, and every message goes through [`crate::shown`] (redaction and the
//! terminal's encoder) like all other output.

use std::process::ExitCode;

use token_desk_core::failure::FailureClass;
use token_desk_core::keyring::profile_secrets::SecretError;
use token_desk_core::keyring::KeyringError;
use token_desk_core::outside::Outside;
use token_desk_core::profiles::changes::ChangeError;
use token_desk_core::profiles::settings::SettingsError;
use token_desk_core::profiles::transfer::TransferError;
use token_desk_core::{Failure, FailureKind};

/// The exit codes of `token-desk` and its commands, for `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  Token Desk itself failed: its profiles file is damaged or cannot be written, the keyring
     refused an entry, or the window could not be started
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

/// Why a command stopped.
#[derive(Debug)]
pub enum Failed {
    /// The engine's failure: its class picks the code, and its details are reported.
    Engine(Failure),
    /// Token Desk's own files or keyring failed in a way the command cannot fix (a damaged
    /// profiles file, a keyring that refused one entry, a window that would not start).
    Itself(String),
}

/// The one table: why a command stopped → its exit code (see [`EXIT_CODES`]).
fn number(failed: &Failed) -> u8 {
    match failed {
        Failed::Itself(_) => 1,
        Failed::Engine(f) => class_number(f.kind.class()),
    }
}

fn class_number(class: FailureClass) -> u8 {
    match class {
        FailureClass::Input => 2,
        FailureClass::Rejected => 3,
        FailureClass::Unavailable => 4,
        FailureClass::NoKeyring => 5,
    }
}

/// The exit code of a command that ran but found something of `class` (`check`: a scope
/// missing is [`FailureClass::Rejected`]).
pub fn code_of(class: FailureClass) -> ExitCode {
    ExitCode::from(class_number(class))
}

/// How every command ends: success, or the failure reported and its code.
pub fn end<F: Into<Failed>>(result: Result<(), F>) -> ExitCode {
    match result.map_err(Into::into) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failed) => {
            report(&failed);
            ExitCode::from(number(&failed))
        }
    }
}

/// Prints why the command stopped, with the details of an engine failure (but for bad input
/// and a missing keyring, whose message says all), the whole text redacted with this run's
/// secret and token and encoded for the terminal; what the server said is escaped onto one
/// line each.
fn report(failed: &Failed) {
    let text = match failed {
        Failed::Itself(message) => format!("token-desk: {message}\n"),
        Failed::Engine(failure) => {
            let mut text = format!("token-desk: {}\n", failure.message);
            if !matches!(failure.kind, FailureKind::BadInput | FailureKind::NoKeyring) {
                text.push_str("\nDetails:\n");
                for line in failure.detail_lines(Outside::for_terminal) {
                    text.push_str(&format!("  {line}\n"));
                }
            }
            text
        }
    };
    crate::shown::out_raw(true, &text);
}

impl Failed {
    /// Input to fix (exit 2).
    pub fn input(message: impl Into<String>) -> Self {
        Failed::Engine(Failure::bad_input(message))
    }

    /// A keyring problem with what it means for this command: no keyring at all is
    /// [`FailureKind::NoKeyring`] (exit 5); one entry refused is Token Desk's own (exit 1).
    pub fn keyring(e: &KeyringError, message: String) -> Self {
        match e.is_unreachable() {
            true => Failed::Engine(Failure::new(FailureKind::NoKeyring, message)),
            false => Failed::Itself(message),
        }
    }
}

impl From<Failure> for Failed {
    fn from(f: Failure) -> Self {
        Failed::Engine(f)
    }
}

/// A profile that does not exist or cannot be saved as given is input (exit 2); a profiles
/// file that cannot be read or written, or no folder for one, is Token Desk's own (exit 1).
impl From<SettingsError> for Failed {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::NotFound(_)
            | SettingsError::NameTaken(_)
            | SettingsError::NameTooSimilar { .. }
            | SettingsError::Profile(_)
            | SettingsError::TooMany => Failed::input(e.to_string()),
            SettingsError::Damaged { .. } | SettingsError::Io { .. } | SettingsError::NoConfigFolder => {
                Failed::Itself(e.to_string())
            }
        }
    }
}

impl From<KeyringError> for Failed {
    fn from(e: KeyringError) -> Self {
        Failed::keyring(&e, e.to_string())
    }
}

impl From<ChangeError> for Failed {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Settings(e) => e.into(),
            ChangeError::Secret(SecretError::Keyring(e)) => e.into(),
            ChangeError::Secret(e) => Failed::input(e.to_string()),
        }
    }
}

/// A file to import that cannot be read is input (exit 2); an export that cannot be written
/// is Token Desk's own (exit 1).
impl From<TransferError> for Failed {
    fn from(e: TransferError) -> Self {
        match e {
            TransferError::Write { .. } => Failed::Itself(e.to_string()),
            _ => Failed::input(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use token_desk_core::profiles::document::DocumentError;

    #[test]
    fn a_damaged_profiles_file_is_token_desks_own_failure_and_a_missing_profile_is_input() {
        let damaged = SettingsError::Damaged { path: PathBuf::from("/p.json"), problem: DocumentError::NotProfiles };
        assert_eq!(number(&damaged.into()), 1);
        assert_eq!(number(&SettingsError::NotFound("shop".into()).into()), 2);
    }

    #[test]
    fn no_keyring_is_five_and_one_refused_entry_is_one() {
        let gone = KeyringError::Unavailable { cause: "no D-Bus".into() };
        assert_eq!(number(&gone.into()), 5);
        let refused = KeyringError::Refused { account: "a".into(), cause: "denied".into() };
        assert_eq!(number(&refused.into()), 1);
    }

    #[test]
    fn every_failure_class_has_the_code_the_help_text_documents() {
        for (class, line) in [
            (FailureClass::Input, "  2  bad input"),
            (FailureClass::Rejected, "  3  rejected"),
            (FailureClass::Unavailable, "  4  unavailable"),
            (FailureClass::NoKeyring, "  5  no keyring"),
        ] {
            assert!(line.starts_with(&format!("  {}  ", class_number(class))));
            assert!(EXIT_CODES.contains(line), "{line}");
        }
        assert!(EXIT_CODES.contains("  1  Token Desk itself failed: its profiles file is damaged"));
    }
}
