//! Reading the credential given on the command line (`--secret-stdin`, `--secret-env VAR`,
//! `--certificate FILE.pem`) and a proxy's password (`--proxy-password-env VAR`, or typed at
//! the terminal). Secrets are never taken as arguments: they would show in the shell history
//! and in the process list.

use std::io::{IsTerminal, Read};

use token_desk_core::network::ProxyUrl;
use token_desk_core::request::Credential;
use token_desk_core::secret::ClientSecret;
use token_desk_core::Failure;

use crate::args::{CredentialArgs, ProxyPasswordArgs};

/// The most read from standard input for a secret: far more than any client secret.
const MAX_STDIN_BYTES: u64 = 64 * 1024;

impl CredentialArgs {
    /// Whether a credential was given on the command line (with `--profile`, it replaces the
    /// profile's for this run).
    pub fn given(&self) -> bool {
        self.secret_stdin || self.secret_env.is_some() || self.certificate.is_some()
    }

    /// The credential given: the certificate file read and checked, or the client secret.
    pub fn credential(&self) -> Result<Credential, Failure> {
        if let Some(path) = &self.certificate {
            return Credential::certificate_file(path);
        }
        Ok(Credential::secret(self.client_secret()?))
    }

    /// The client secret from `--secret-env VAR` or `--secret-stdin` (a hidden prompt at a
    /// terminal), refused when none was given or it is blank.
    pub fn client_secret(&self) -> Result<ClientSecret, Failure> {
        if !self.secret_stdin && self.secret_env.is_none() {
            return Err(Failure::bad_input(
                "Give the client secret (--secret-stdin or --secret-env VAR) or the certificate (--certificate FILE.pem).",
            ));
        }
        let secret = match &self.secret_env {
            Some(var) => from_env(var)?,
            None => read_stdin()?,
        };
        if secret.is_blank() {
            return Err(Failure::bad_input(
                "No client secret arrived on standard input. Pipe it in, e.g. printf %s \"$SECRET\" | token-desk token …",
            ));
        }
        Ok(secret)
    }
}

fn from_env(var: &str) -> Result<ClientSecret, Failure> {
    let problem = match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => return Ok(ClientSecret::new(v)),
        Ok(_) => "is empty",
        Err(_) => "is not set",
    };
    Err(Failure::bad_input(format!("The environment variable {var} {problem}. Put the client secret in it.")))
}

fn read_stdin() -> Result<ClientSecret, Failure> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return rpassword::prompt_password("Client secret (hidden): ").map(ClientSecret::new).map_err(|e| {
            Failure::bad_input(format!("The client secret could not be read from the terminal ({}).", e.kind()))
        });
    }
    let mut text = String::new();
    stdin.lock().take(MAX_STDIN_BYTES).read_to_string(&mut text).map_err(|e| {
        Failure::bad_input(format!("The client secret could not be read from standard input ({}).", e.kind()))
    })?;
    Ok(ClientSecret::new(text))
}

/// Why `--proxy` is refused with a password in it, and the ways in instead.
const PROXY_PASSWORD_REFUSED: &str = "The --proxy address holds a password, which would show in the process \
     list and the shell history: give it without (--proxy http://user@host:port) and the password with \
     --proxy-password-env VAR, or --proxy-password-prompt to type it hidden.";

/// Refuses a `--proxy` address that holds a password (a user name alone is fine), parsed or
/// not: an address that does not parse but has `user:password@` where its authority starts is
/// refused the same way, before the network settings say what else is wrong with it.
pub fn refuse_proxy_password(given: Option<&str>) -> Result<(), Failure> {
    let Some(text) = given else { return Ok(()) };
    let holds_password = match ProxyUrl::parse(text) {
        Ok(proxy) => proxy.has_password(),
        Err(_) => {
            let after_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
            let authority = after_scheme.split(['/', '?', '#']).next().unwrap_or_default();
            authority.rsplit_once('@').is_some_and(|(userinfo, _)| userinfo.contains(':'))
        }
    };
    match holds_password {
        true => Err(Failure::bad_input(PROXY_PASSWORD_REFUSED)),
        false => Ok(()),
    }
}

impl ProxyPasswordArgs {
    /// Whether a proxy password was given (a variable to read or a prompt asked for).
    pub fn given(&self) -> bool {
        self.proxy_password_env.is_some() || self.proxy_password_prompt
    }

    /// `proxy` with its password joined to it (RFC 3986 §3.2.1 userinfo): from the variable
    /// given, or typed at the terminal when asked for, or when standard input is a terminal
    /// and the address has a user name but no password (a user name alone is no credential:
    /// the proxy would ask, as `curl --proxy-user NAME` asks before sending). Otherwise
    /// `proxy` as it is. A password needs a proxy with a user name to go with.
    pub fn join(&self, proxy: Option<ProxyUrl>) -> Result<Option<ProxyUrl>, Failure> {
        let user_alone = proxy.as_ref().is_some_and(|p| p.has_credentials() && !p.has_password());
        let wanted = self.given() || (user_alone && std::io::stdin().is_terminal());
        if !wanted {
            return Ok(proxy);
        }
        let Some(proxy) = proxy.filter(ProxyUrl::has_credentials) else {
            return Err(Failure::bad_input(
                "A proxy password goes with a proxy and its user name: add --proxy http://user@host:port.",
            ));
        };
        let password = match &self.proxy_password_env {
            Some(var) => proxy_password_from_env(var)?,
            None => ask_proxy_password(&proxy)?,
        };
        Ok(Some(proxy.with_password(&password)?))
    }
}

fn proxy_password_from_env(var: &str) -> Result<String, Failure> {
    let problem = match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => return Ok(v.trim_end_matches(['\r', '\n']).to_owned()),
        Ok(_) => "is empty",
        Err(std::env::VarError::NotUnicode(_)) => "is not text",
        Err(std::env::VarError::NotPresent) => "is not set",
    };
    Err(Failure::bad_input(format!("The environment variable {var} {problem}. Put the proxy password in it.")))
}

/// The proxy's password typed at the terminal without echo, as the client secret is.
fn ask_proxy_password(proxy: &ProxyUrl) -> Result<String, Failure> {
    rpassword::prompt_password(format!("Password for the proxy {} (hidden): ", proxy.shown()))
        .map_err(|e| {
            Failure::bad_input(format!(
                "The proxy password could not be read from the terminal ({}). Put it in an environment variable \
                 and give --proxy-password-env VAR.",
                e.kind()
            ))
        })
        .and_then(|p| match p.is_empty() {
            true => Err(Failure::bad_input("No proxy password was typed.")),
            false => Ok(p),
        })
}

#[cfg(test)]
mod tests {
    use token_desk_core::FailureKind;

    use super::*;

    #[test]
    fn a_proxy_address_with_a_password_is_refused_and_one_with_a_user_name_alone_is_not() {
        for refused in [
            "http://alice:pw@proxy.corp:3128",
            "alice:pw@proxy.corp:3128",
            "https://:pw@proxy.corp",
            "http://alice:pw@proxy.corp:3128/not-a-proxy-path",
            "http://alice:p%40w@proxy.corp:3128",
        ] {
            let failure = refuse_proxy_password(Some(refused)).unwrap_err();
            assert_eq!(failure.kind, FailureKind::BadInput, "{refused}");
            assert!(!failure.message.contains("pw") && !failure.message.contains('\n'), "{}", failure.message);
        }
        for allowed in ["http://alice@proxy.corp:3128", "proxy.corp:3128", "http://[::1]:3128", "alice@proxy.corp"] {
            assert!(refuse_proxy_password(Some(allowed)).is_ok(), "{allowed}");
        }
    }

    #[test]
    fn a_proxy_password_needs_a_proxy_with_a_user_name() {
        let given = ProxyPasswordArgs { proxy_password_env: Some("TD_UNIT_UNSET".into()), ..Default::default() };
        for proxy in [None, Some(ProxyUrl::parse("http://proxy.corp:3128").unwrap())] {
            let failure = given.join(proxy).unwrap_err();
            assert!(failure.message.contains("http://user@host:port"), "{}", failure.message);
        }
        assert!(refuse_proxy_password(None).is_ok());
        let none = ProxyPasswordArgs::default();
        // No user name: nothing to ask for, even when this test runs at a terminal.
        let anonymous = ProxyUrl::parse("http://proxy.corp:3128").unwrap();
        assert_eq!(none.join(Some(anonymous.clone())).unwrap(), Some(anonymous), "nothing given, nothing joined");
    }
}
