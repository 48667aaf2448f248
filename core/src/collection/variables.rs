//! The variables every collection declares, and the sentences that tell the integrator where
//! the credential goes. One list, so the three formats cannot drift apart.

use crate::snippet::{Flow, Settings};

/// The collection variable the client secret goes in. It is declared with no value.
pub const CLIENT_SECRET: &str = "client_secret";
/// The variable that holds the path of the PEM file Stitch issued (certificate flow).
pub const CERTIFICATE_PATH: &str = "certificate_path";
/// Where the token request's script stores the access token for the API call.
pub const ACCESS_TOKEN: &str = "access_token";
/// The assertion a pre-request script signs (certificate flow, Bruno and `.http`).
pub const CLIENT_ASSERTION: &str = "client_assertion";

/// The form field `client_assertion_type` for an RFC 7523 §2.2 JWT client assertion.
pub const ASSERTION_TYPE: &str = crate::assertion::ASSERTION_TYPE;

/// The variables with their values from the settings, in the order they are declared: the
/// token URL, client, scopes (single-space separated, as RFC 6749 §3.3 and Stitch want),
/// audience and API URL. The credential's variable comes last, always empty.
pub fn declared(s: &Settings) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        ("token_url", s.token_url.clone()),
        ("client_id", s.client_id.clone()),
        ("scope", s.scopes.to_field()),
        ("audience", s.audience.clone()),
        ("api_url", s.api_url.clone()),
    ];
    vars.push((credential(s.flow), String::new()));
    vars
}

/// The variable the integrator fills in for `flow`.
pub fn credential(flow: Flow) -> &'static str {
    match flow {
        Flow::Secret => CLIENT_SECRET,
        Flow::Certificate => CERTIFICATE_PATH,
    }
}

/// Why the credential is not in the file, said once for every format.
pub const NEVER_IN_THE_FILE: &str = "Token Desk never writes a secret, a private key or a token into this \
     collection: keep it that way, and do not commit a secret into it.";

/// A value that fits on one line of any of the three formats: no control characters.
pub fn is_one_line(value: &str) -> bool {
    !value.chars().any(char::is_control)
}

/// Settings for the formats' unit tests: client `test-abc` asking for two scopes at the token
/// URL `token_url` (also the audience), its API at `api_url`.
#[cfg(test)]
pub(crate) fn sample_settings(flow: Flow, token_url: &str, api_url: &str) -> Settings {
    Settings {
        client_id: "test-abc".into(),
        scopes: crate::scope::Scopes::parse(["client_paymentrequest", "client_refund"]),
        token_url: token_url.into(),
        audience: token_url.into(),
        api_url: api_url.into(),
        flow,
    }
}

/// Fails on the first of `parts` that `text` (one generated file) lacks, naming it and showing
/// the file: the formats' unit tests each check many pieces of one file.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_holds(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} is missing from:\n{text}");
    }
}
