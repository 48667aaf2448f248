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

/// Why a value cannot go into a collection: the tool would break a line at it, or read it as
/// its own template or code. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("The {0} holds a line break or another control character: fix it and try again.")]
    NotOneLine(&'static str),
    #[error(
        "The {field} cannot go into a {tool} collection: it holds {what}, which {tool} would read as its own \
         template or code. Use a value without it."
    )]
    Template { field: &'static str, tool: &'static str, what: &'static str },
}

/// What people call the variable `key` of [`declared`], for messages.
pub fn label(key: &str) -> &'static str {
    match key {
        "token_url" => "token URL",
        "client_id" => "client ID",
        "scope" => "scope",
        "audience" => "audience",
        "api_url" => "API URL",
        CLIENT_SECRET => "client secret",
        _ => "certificate path",
    }
}

/// Checks that `value`, the collection's `field`, is inert in `tool`'s text: no control
/// character (it would end the line, or the value, in every format), no `{` or `}` (Postman,
/// Bruno and httpyac replace `{{…}}`, httpyac runs the JavaScript inside, and `{%…%}` and
/// `${…}` are templates to other tools) and no backtick (a JavaScript template string). None
/// of the three tools has an escape for these that the others share, so such a value is
/// refused, never written.
pub fn check_inert(field: &'static str, tool: &'static str, value: &str) -> Result<(), ValueError> {
    if value.chars().any(char::is_control) {
        return Err(ValueError::NotOneLine(field));
    }
    let what = if value.contains("{{") || value.contains("}}") {
        "{{ or }} (a template)"
    } else if value.contains("{%") || value.contains("${") {
        "{% or ${ (a template)"
    } else if value.contains(['{', '}']) {
        "{ or } (half of a template)"
    } else if value.contains('`') {
        "a backtick (a JavaScript template string)"
    } else {
        return Ok(());
    };
    Err(ValueError::Template { field, tool, what })
}

/// The variables of [`declared`], each value made by the format's one encoder `encode`
/// (given the variable's [`label`]); the first value it refuses stops the whole collection.
pub fn encoded(
    s: &Settings,
    encode: impl Fn(&'static str, &str) -> Result<String, ValueError>,
) -> Result<Vec<(&'static str, String)>, ValueError> {
    declared(s).into_iter().map(|(key, value)| Ok((key, encode(label(key), &value)?))).collect()
}

/// The value of `key` in `vars` (one of [`declared`]'s keys).
pub fn value<'a>(vars: &'a [(&'static str, String)], key: &str) -> &'a str {
    vars.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.as_str())
}

/// Values a collection tool would act on, each with the start of its refusal: the hostile
/// values of the formats' unit tests.
#[cfg(test)]
pub(crate) const NOT_INERT: [(&str, &str); 8] = [
    ("test-{{require('child_process').execSync('id>owned')}}", "{{ or }}"),
    ("a}}b", "{{ or }}"),
    ("{% raw %}", "{% or ${"),
    ("x${process.exit(1)}y", "{% or ${"),
    ("https://h/?q={x", "{ or }"),
    ("`id`", "a backtick"),
    ("a\nb", ""),
    ("a\u{1b}[2J", ""),
];

/// Asserts that `make` (one format) refuses each of [`NOT_INERT`] in each field of `base`,
/// naming the field and `tool`.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_every_field_refused<T: std::fmt::Debug>(
    tool: &str,
    base: &Settings,
    make: impl Fn(&Settings) -> Result<T, ValueError>,
) {
    for (hostile, what) in NOT_INERT {
        for field in ["client ID", "scope", "token URL", "audience", "API URL"] {
            let mut s = base.clone();
            match field {
                "client ID" => s.client_id = hostile.into(),
                "scope" => s.scopes = crate::scope::Scopes::parse([hostile]),
                "token URL" => s.token_url = hostile.into(),
                "audience" => s.audience = hostile.into(),
                _ => s.api_url = hostile.into(),
            }
            if !variables_hold(&s, hostile) {
                continue; // a line break splits scopes: it never reaches a scope's name
            }
            let message = make(&s).expect_err(hostile).to_string();
            let expected = if what.is_empty() {
                format!("The {field} holds a line break or another control character: fix it and try again.")
            } else {
                format!("The {field} cannot go into a {tool} collection: it holds {what}")
            };
            assert!(message.starts_with(&expected), "{field} {hostile:?}: {message}");
        }
    }
}

#[cfg(test)]
fn variables_hold(s: &Settings, value: &str) -> bool {
    declared(s).iter().any(|(_, v)| v.contains(value))
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
