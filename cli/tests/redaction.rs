//! The redaction property (issue 8): for random secrets of any printable characters, 1 to 200
//! long, a loopback server that echoes what it was sent, raw, percent-encoded (lower and
//! upper hex, `+` and `%20`), JSON-escaped (`\u` escapes, escaped quotes, backslashes and
//! slashes), base64 and base64url (padded or not, alone or after a 1-3 byte prefix), in its
//! body, `Location` and another header, gets none of them into any output: the failure's
//! message and details, the inspector's exchange, the API test's report, and what the
//! `token-desk` binary prints.

mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::{all_output, leaked, Attacker, Home, Mode};
use token_desk_core::inspect::Exchange;
use token_desk_core::request::{Credential, RequestInput, TokenRequest};
use token_desk_core::scope::Scopes;
use token_desk_core::secret::ClientSecret;
use token_desk_core::token::AccessToken;
use token_desk_core::Engine;

/// Any printable characters (no control characters), not only spaces (a blank secret is
/// refused before anything is sent).
fn secrets() -> impl Strategy<Value = String> {
    "\\PC{1,200}".prop_filter("a blank secret is never sent", |s| !s.trim().is_empty())
}

/// Every text of an exchange that came from or went to the wire.
fn exchange_texts(e: &Exchange) -> Vec<String> {
    let mut out = vec![e.url.clone(), e.response_body.clone()];
    out.extend(e.request_headers.iter().chain(&e.response_headers).chain(&e.form).map(|(_, v)| v.clone()));
    out.extend(e.request_body.clone());
    out.extend(e.error.clone());
    out
}

/// A server echoing what it gets with HTTP `status`, its URL at `path`, a runtime and an
/// engine to reach it, and a runner of `cases` generated cases.
fn echoing(status: u16, path: &str, cases: u32) -> (Attacker, tokio::runtime::Runtime, Engine, String, TestRunner) {
    let echo = Attacker::start(Mode::Echo { status });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let url = echo.url(path);
    (echo, rt, Engine::with_defaults(), url, TestRunner::new(Config { cases, ..Config::default() }))
}

fn check_texts(texts: &[String], secret: &str) -> Result<(), TestCaseError> {
    for t in texts {
        if let Some(found) = leaked(t, secret) {
            return Err(TestCaseError::fail(format!("{found:?} got through in {t:?}")));
        }
    }
    Ok(())
}

#[test]
fn a_secret_echoed_by_the_token_endpoint_in_any_encoding_reaches_no_failure_or_exchange() {
    let (echo, rt, engine, url, mut runner) = echoing(400, "/connect/token", 96);
    runner
        .run(&secrets(), |secret| {
            let input = RequestInput {
                client_id: "test-redaction".into(),
                scopes: Scopes::parse(["client_paymentrequest"]),
                token_url: Some(url.clone()),
                audience: None,
                credential: Credential::secret(ClientSecret::new(secret.clone())),
            };
            let (req, _) = TokenRequest::check(input, std::time::SystemTime::now()).unwrap();
            let failure = rt.block_on(engine.token(&req, true)).unwrap_err();
            let d = &failure.detail;
            let mut texts = vec![failure.message.clone()];
            texts.extend([&d.url, &d.cause].into_iter().flatten().cloned());
            texts.extend(
                [&d.oauth_error, &d.oauth_error_description, &d.location, &d.body_excerpt]
                    .into_iter()
                    .flatten()
                    .map(|said| said.for_page().to_owned()),
            );
            texts.extend(d.scopes.iter().cloned());
            texts.extend(exchange_texts(&engine.http().last_token_exchange().unwrap()));
            check_texts(&texts, &secret)
        })
        .unwrap();
    assert!(echo.requests().len() >= 96, "every case reached the echoing server");
}

#[test]
fn a_token_echoed_by_the_api_in_any_encoding_reaches_no_report_or_exchange() {
    let (_echo, rt, engine, api, mut runner) = echoing(200, "/graphql", 64);
    // Any token a server could issue: RFC 6750 §2.1's b64token (letters, digits, `-._~+/`, then
    // `=` padding). Not any visible ASCII: a token of JSON punctuation alone (the single
    // character `"`, found by this test) cannot be told apart from the JSON syntax around it.
    runner
        .run(&"[A-Za-z0-9._~+/-]{1,198}={0,2}", |token| {
            let scopes = Scopes::parse(["client_paymentrequest"]);
            let access = AccessToken::new(token.clone());
            let report = rt.block_on(token_desk_core::check::check(engine.http(), &api, &access, &scopes, &scopes));
            let mut texts = Vec::new();
            match report {
                Ok(r) => {
                    texts.push(r.client.map(|c| c.to_string()).unwrap_or_default());
                    for e in &r.exchanges {
                        texts.extend(exchange_texts(e));
                    }
                }
                Err(f) => {
                    texts.push(f.message.clone());
                    texts.extend(f.detail.body_excerpt.as_ref().map(|said| said.for_page().to_owned()));
                    texts.extend(f.detail.oauth_error_description.as_ref().map(|said| said.for_page().to_owned()));
                }
            }
            texts.extend(exchange_texts(&engine.http().last_api_exchange().unwrap()));
            check_texts(&texts, &token)
        })
        .unwrap();
}

#[test]
fn a_secret_echoed_in_any_encoding_never_reaches_what_the_command_line_prints() {
    let echo = Attacker::start(Mode::Echo { status: 400 });
    let home = Home::new(false);
    let url = echo.url("/connect/token");
    let mut runner = TestRunner::new(Config { cases: 24, ..Config::default() });
    runner
        .run(&secrets(), |secret| {
            let args = [
                "token",
                "--client-id",
                "test-redaction",
                "--scope",
                "client_paymentrequest",
                "--secret-stdin",
                "--token-url",
                &url,
                "-v",
            ];
            let out = home.run(&args, Some(&secret));
            prop_assert_eq!(out.status.code(), Some(3));
            check_texts(&[all_output(&out)], &secret)
        })
        .unwrap();
}
