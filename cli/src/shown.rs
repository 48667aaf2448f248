//! The command line's one way out: everything `token-desk` prints goes through [`text`], which
//! removes this run's secret and its access token (and any private key or token field) with
//! the engine's redaction, then writes what is left with the terminal's encoder
//! ([`token_desk_core::terminal`]), so no text a server, a proxy or a file chose can drive the
//! terminal. The macros [`say!`] (stdout) and [`tell!`] (stderr) are the only printers;
//! `clippy.toml` forbids `println!` and its kin elsewhere. The one exception is the output the
//! user asked for ([`asked`]): the token on stdout, and `--json`'s `access_token`.

use std::sync::Mutex;

use token_desk_core::redact::Redactor;
use token_desk_core::request::Credential;
use token_desk_core::secret::ClientSecret;
use token_desk_core::token::AccessToken;

/// This run's secret and token, and the redactor made from them.
struct Known {
    values: Vec<String>,
    redactor: Redactor,
}

static KNOWN: Mutex<Option<Known>> = Mutex::new(None);

fn add(value: &str) {
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let mut values = known.take().map(|k| k.values).unwrap_or_default();
    if !value.is_empty() && !values.iter().any(|v| v == value) {
        values.push(value.to_owned());
    }
    let redactor = Redactor::new(&values.iter().map(String::as_str).collect::<Vec<_>>());
    *known = Some(Known { values, redactor });
}

/// Remembers the secret of `credential` (a client secret; a certificate's key never reaches
/// any text) for [`text`].
pub fn remember(credential: &Credential) {
    if let Credential::Secret(s) = credential {
        remember_secret(s);
    }
}

/// Remembers a client secret read for saving (`profile add`, `profile set-secret`).
pub fn remember_secret(secret: &ClientSecret) {
    add(secret.expose());
}

/// Remembers the access token this run received: from now on it is removed from every output
/// but the one the user asked for.
pub fn remember_token(token: &AccessToken) {
    add(token.as_str());
}

/// `text` with this run's secret and token removed, for any output (the JSON writer too).
pub fn redact(text: &str) -> String {
    match &*KNOWN.lock().unwrap_or_else(|e| e.into_inner()) {
        Some(k) => k.redactor.redact(text),
        None => Redactor::none().redact(text),
    }
}

/// `text` as it may reach a terminal: redacted, then encoded (line breaks kept, every other
/// control, bidi and zero-width character written as a visible escape).
pub fn text(text: &str) -> String {
    token_desk_core::terminal::block(&redact(text))
}

/// `value` as `--json` output: the JSON writer's escaping of every unsafe character, then
/// redaction (which finds secrets in their JSON-escaped forms too).
pub fn json(value: &impl serde::Serialize) -> String {
    redact(&token_desk_core::json_out::pretty(value))
}

/// Prints the output the user asked for, as it is: the token itself (its characters were
/// checked against RFC 6749 Appendix A.12 when it arrived, so it holds no control character).
#[allow(clippy::disallowed_macros)]
pub fn asked(text: &str) {
    println!("{text}");
}

/// Prints to stdout through [`text`].
macro_rules! say {
    () => { $crate::shown::out(false, "") };
    ($($arg:tt)*) => { $crate::shown::out(false, &format!($($arg)*)) };
}

/// Prints to stderr through [`text`].
macro_rules! tell {
    ($($arg:tt)*) => { $crate::shown::out(true, &format!($($arg)*)) };
}

pub(crate) use {say, tell};

/// What [`say!`] and [`tell!`] call: one line (or block), redacted and encoded.
pub fn out(to_stderr: bool, line: &str) {
    write(to_stderr, &format!("{line}\n"));
}

/// Prints without a line break of its own (a report that ends in one, a snippet).
pub fn out_raw(to_stderr: bool, block: &str) {
    write(to_stderr, block);
}

#[allow(clippy::disallowed_macros)]
fn write(to_stderr: bool, text: &str) {
    let shown = self::text(text);
    if to_stderr {
        eprint!("{shown}");
    } else {
        print!("{shown}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_token_and_terminal_controls_never_leave_through_text() {
        remember_token(&AccessToken::new("tok-abc.def-123456"));
        let out = text("scope: tok-abc.def-123456 \u{1b}]52;c;aGk=\u{7} \u{202e}x\nnext");
        assert!(!out.contains("tok-abc.def-123456"), "{out}");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'), "{out}");
        assert!(out.contains("\\x1b]52") && out.contains("\nnext"), "{out}");
    }
}
