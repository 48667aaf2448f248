//! Secret types cannot be printed, formatted for display or serialized.

use token_desk_core::request::Credential;
use token_desk_core::secret::{ClientSecret, PrivateKey};

static_assertions::assert_not_impl_any!(ClientSecret: std::fmt::Display, serde::Serialize, Clone);
static_assertions::assert_not_impl_any!(PrivateKey: std::fmt::Display, serde::Serialize);
static_assertions::assert_not_impl_any!(Credential: std::fmt::Display, serde::Serialize);
static_assertions::assert_not_impl_any!(token_desk_core::certificate::ClientCertificate: std::fmt::Display, serde::Serialize);
static_assertions::assert_not_impl_any!(token_desk_core::destination::BoundCredential: std::fmt::Display, serde::Serialize);
static_assertions::assert_not_impl_any!(token_desk_core::simulator::ClientAuth: std::fmt::Display, serde::Serialize);
// Tokens: a token is as good as a password for its lifetime (issue 24). What shows or keeps
// one takes `AccessToken::as_str` explicitly.
static_assertions::assert_not_impl_any!(token_desk_core::token::AccessToken: std::fmt::Display, serde::Serialize);
static_assertions::assert_not_impl_any!(token_desk_core::Token: std::fmt::Display, serde::Serialize);
static_assertions::assert_not_impl_any!(token_desk_core::cache::Served: std::fmt::Display, serde::Serialize);

#[test]
fn a_credential_debugs_without_its_secret() {
    let secret = "correct-horse-battery-staple";
    let credential = Credential::secret(ClientSecret::new(secret));
    let printed = format!("{credential:?} {credential:#?}");
    assert!(!printed.contains(secret), "{printed}");
    assert!(printed.contains("[redacted]"));
}

#[test]
fn a_certificate_debugs_without_its_private_key() {
    let dir = tempfile::tempdir().unwrap();
    let (path, cert) =
        token_desk_core::simulator::demo::ensure_demo_certificate(dir.path(), std::time::SystemTime::now()).unwrap();
    let printed = format!("{cert:?} {cert:#?}");
    assert!(printed.contains("[redacted]"));
    let file = std::fs::read_to_string(path).unwrap();
    let key_body: Vec<&str> = file
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)
        .unwrap()
        .split("-----END")
        .next()
        .unwrap()
        .lines()
        .filter(|l| l.len() > 20)
        .collect();
    assert!(!key_body.is_empty());
    for line in key_body {
        assert!(!printed.contains(line), "a key line was printed");
    }
}

#[test]
fn a_request_shows_its_fields_with_the_secret_masked() {
    let secret = "correct-horse-battery-staple";
    let input = token_desk_core::request::RequestInput {
        client_id: "test-x".into(),
        scopes: token_desk_core::scope::Scopes::parse(["client_refund"]),
        token_url: None,
        audience: None,
        credential: Credential::secret(ClientSecret::new(secret)),
    };
    let (req, _) = token_desk_core::request::TokenRequest::check(input, std::time::SystemTime::now()).unwrap();
    let shown = format!("{:?} {:?}", req.shown_fields(), req);
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains("client_secret"));
}
