//! Reading the credential given on the command line (`--secret-stdin`, `--secret-env VAR`,
//! `--certificate FILE.pem`). Secrets are never taken as arguments: they would show in the
//! shell history and in the process list.

use std::io::{IsTerminal, Read};

use token_desk_core::request::Credential;
use token_desk_core::secret::ClientSecret;
use token_desk_core::Failure;

use crate::args::CredentialArgs;

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
