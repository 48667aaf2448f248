//! The simulator holds clients to Stitch's rules, so the engine's tests mean something.
//! These tests speak to it directly over HTTP, bypassing the engine.

mod support;

use std::time::SystemTime;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::{json, Value};
use support::*;
use token_desk_core::assertion::{Claims, ASSERTION_TYPE};
use token_desk_core::certificate::ClientCertificate;
use token_desk_core::clock::unix_seconds;
use token_desk_core::simulator::demo::KeyForm;
use token_desk_core::simulator::{ClientAuth, ClientConfig};

const CLIENT: &str = "test-assertion-client";

async fn with_cert_client() -> (Sim, ClientCertificate) {
    let cert = ClientCertificate::from_pem(stitch_pem(CLIENT, KeyForm::Pkcs8, false).as_bytes()).unwrap();
    let auth = ClientAuth::certificate(&cert);
    let sim = simulator_with(move |c| {
        c.clients.push(ClientConfig {
            client_id: CLIENT.into(),
            auth,
            allowed_scopes: vec!["client_paymentrequest".into()],
            withheld_scopes: vec![],
        })
    })
    .await;
    (sim, cert)
}

fn sign(claims: &Claims, kid: &str, key: &rsa::RsaPrivateKey) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    let der = key.to_pkcs1_der().unwrap();
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(der.as_bytes())).unwrap()
}

async fn post_form(url: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn with_assertion(sim: &Sim, jwt: &str) -> (u16, Value) {
    post_form(
        &sim.token_url(),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("scope", "client_paymentrequest"),
            ("client_assertion_type", ASSERTION_TYPE),
            ("client_assertion", jwt),
        ],
    )
    .await
}

fn good_claims(sim: &Sim) -> Claims {
    Claims::new(CLIENT, &sim.token_url(), SystemTime::now())
}

#[tokio::test]
async fn a_correct_assertion_gets_a_token() {
    let (sim, cert) = with_cert_client().await;
    let (status, body) = with_assertion(&sim, &sign(&good_claims(&sim), cert.thumbprint(), key())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "client_paymentrequest");
}

#[tokio::test]
async fn an_assertion_is_refused_for_each_broken_rule() {
    let (sim, cert) = with_cert_client().await;
    let kid = cert.thumbprint().to_owned();
    let now = unix_seconds(SystemTime::now());
    let cases: Vec<(&str, Claims, String, &rsa::RsaPrivateKey)> = vec![
        ("wrong kid", good_claims(&sim), "00".repeat(20), key()),
        ("lowercase kid", good_claims(&sim), kid.to_lowercase(), key()),
        ("signed by another key", good_claims(&sim), kid.clone(), other_key()),
        (
            "wrong aud",
            Claims { aud: "https://secure.stitch.money/connect/token".into(), ..good_claims(&sim) },
            kid.clone(),
            key(),
        ),
        ("wrong iss", Claims { iss: "someone-else".into(), ..good_claims(&sim) }, kid.clone(), key()),
        ("wrong sub", Claims { sub: "someone-else".into(), ..good_claims(&sim) }, kid.clone(), key()),
        ("expired", Claims { iat: now - 900, nbf: now - 900, exp: now - 600, ..good_claims(&sim) }, kid.clone(), key()),
        (
            "from the future",
            Claims { iat: now + 900, nbf: now + 900, exp: now + 1000, ..good_claims(&sim) },
            kid.clone(),
            key(),
        ),
        ("no jti", Claims { jti: String::new(), ..good_claims(&sim) }, kid.clone(), key()),
    ];
    for (why, claims, kid, key) in cases {
        let (status, body) = with_assertion(&sim, &sign(&claims, &kid, key)).await;
        assert_eq!((status, body), (400, json!({"error": "invalid_client"})), "{why}");
    }
}

#[tokio::test]
async fn a_replayed_assertion_is_refused() {
    let (sim, cert) = with_cert_client().await;
    let jwt = sign(&good_claims(&sim), cert.thumbprint(), key());
    assert_eq!(with_assertion(&sim, &jwt).await.0, 200);
    assert_eq!(with_assertion(&sim, &jwt).await, (400, json!({"error": "invalid_client"})));
}

#[tokio::test]
async fn an_unsigned_or_hmac_assertion_is_refused() {
    let (sim, cert) = with_cert_client().await;
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(cert.thumbprint().into());
    let hmac = jsonwebtoken::encode(&header, &good_claims(&sim), &EncodingKey::from_secret(b"guess")).unwrap();
    assert_eq!(with_assertion(&sim, &hmac).await.0, 400);
    let parts: Vec<&str> = hmac.split('.').collect();
    let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
    assert_eq!(with_assertion(&sim, &none).await.0, 400);
}

#[tokio::test]
async fn stitch_style_errors_come_back_for_bad_requests() {
    let sim = simulator().await;
    let url = sim.token_url();
    let base = [("grant_type", "client_credentials"), ("client_id", SECRET_CLIENT_ID), ("client_secret", SECRET)];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut v = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    assert_eq!(post_form(&url, &with(&[])).await, (400, json!({"error": "invalid_scope"})));
    assert_eq!(
        post_form(&url, &with(&[("scope", "client_refund  client_imageupload")])).await.1["error"],
        "invalid_scope"
    );
    assert_eq!(
        post_form(&url, &with(&[("scope", "client_refund,client_imageupload")])).await.1["error"],
        "invalid_scope"
    );
    assert_eq!(post_form(&url, &with(&[("scope", "client_disbursement")])).await.1["error"], "invalid_scope");
    let mut wrong_grant = with(&[("scope", "client_refund")]);
    wrong_grant[0] = ("grant_type", "password");
    assert_eq!(post_form(&url, &wrong_grant).await.1["error"], "unsupported_grant_type");
    let mut unknown = with(&[("scope", "client_refund")]);
    unknown[1] = ("client_id", "test-nobody");
    assert_eq!(post_form(&url, &unknown).await.1["error"], "invalid_client");
    let repeated = with(&[("scope", "client_refund"), ("scope", "client_refund")]);
    assert_eq!(post_form(&url, &repeated).await.1["error"], "invalid_request");
}

#[tokio::test]
async fn basic_authentication_is_refused_like_an_unknown_client() {
    let sim = simulator().await;
    let r = reqwest::Client::new()
        .post(sim.token_url())
        .basic_auth(SECRET_CLIENT_ID, Some(SECRET))
        .form(&[("grant_type", "client_credentials"), ("scope", "client_refund")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"error": "invalid_client"}));
}

async fn graphql(sim: &Sim, token: Option<&str>, query: &str) -> Value {
    let mut r = reqwest::Client::new().post(sim.api_url()).json(&json!({ "query": query }));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let response = r.send().await.unwrap();
    assert_eq!(response.status(), 200, "GraphQL errors still come with HTTP 200");
    response.json().await.unwrap()
}

async fn token_for(sim: &Sim, scopes: &str) -> String {
    engine()
        .token(&secret_request(&sim.token_url(), scopes), true)
        .await
        .unwrap()
        .token
        .access_token
        .as_str()
        .to_owned()
}

/// A simulator, and its API's answer to `query` with a token for `scopes`.
async fn ask_with_token_for(scopes: &str, query: &str) -> (Sim, Value) {
    let sim = simulator().await;
    let token = token_for(&sim, scopes).await;
    let answer = graphql(&sim, Some(&token), query).await;
    (sim, answer)
}

#[tokio::test]
async fn the_client_query_answers_with_the_client_id() {
    let (_sim, answer) = ask_with_token_for("client_refund", "query { client { id clientId } }").await;
    assert_eq!(answer["data"]["client"]["clientId"], SECRET_CLIENT_ID);
    assert!(answer.get("errors").is_none());
}

#[tokio::test]
async fn payment_requests_without_the_scope_are_forbidden_with_missing_scopes() {
    let q = "query { client { clientId paymentInitiationRequests(first: 1) { edges { node { id } } } } }";
    let (_sim, answer) = ask_with_token_for("client_refund", q).await;
    assert_eq!(answer["data"]["client"]["clientId"], SECRET_CLIENT_ID, "partial data still comes back");
    assert_eq!(answer["data"]["client"]["paymentInitiationRequests"], Value::Null);
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "FORBIDDEN");
    assert_eq!(error["extensions"]["missingScopes"], json!(["client_paymentrequest"]));
    assert_eq!(error["message"], "Token is missing the following scope: client_paymentrequest");
}

#[tokio::test]
async fn payment_requests_with_the_scope_are_listed() {
    let q = "query { client { paymentInitiationRequests(first: 1) { edges { node { id } } } } }";
    let (_sim, answer) = ask_with_token_for("client_paymentrequest", q).await;
    let edges = &answer["data"]["client"]["paymentInitiationRequests"]["edges"];
    assert!(edges[0]["node"]["id"].is_string(), "{answer}");
    assert_eq!(edges[0]["node"].as_object().unwrap().len(), 1, "only the selected fields");
}

#[tokio::test]
async fn an_unknown_or_missing_token_is_unauthenticated() {
    let sim = simulator().await;
    for token in [Some("not-a-token"), None] {
        let answer = graphql(&sim, token, "query { client { id } }").await;
        assert_eq!(answer["extensions"]["code"], "UNAUTHENTICATED");
        assert!(answer["errors"][0]["message"].as_str().unwrap().starts_with("UNAUTHENTICATED"));
    }
}

#[tokio::test]
async fn an_expired_token_is_unauthenticated() {
    let clock = std::sync::Arc::new(token_desk_core::clock::FixedClock::at(SystemTime::now()));
    let sim_clock = clock.clone();
    let sim = simulator_with(move |c| {
        c.clock = sim_clock;
        c.token_lifetime = std::time::Duration::from_secs(30);
    })
    .await;
    let token = token_for(&sim, "client_refund").await;
    assert!(graphql(&sim, Some(&token), "{ client { id } }").await.get("errors").is_none());
    clock.advance(std::time::Duration::from_secs(31));
    assert_eq!(graphql(&sim, Some(&token), "{ client { id } }").await["extensions"]["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_mutation_of_the_wrong_shape_is_refused_before_it_runs() {
    // Issue 25: the simulator serves Stitch's mutations now, so it refuses a wrong shape
    // (here no `input`, and `id` is not a field of the payload) instead of every mutation.
    let (sim, answer) =
        ask_with_token_for("client_paymentrequest", "mutation { clientPaymentInitiationRequestCreate { id } }").await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{answer}");
    let messages: String =
        answer["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert!(messages.contains("\"input\"") && messages.contains("\"id\""), "{answer}");
    assert!(answer.get("data").is_none());
    let token = token_for(&sim, "client_paymentrequest").await;
    let list = "query { client { paymentInitiationRequests(first: 50) { edges { node { id } } } } }";
    let edges = graphql(&sim, Some(&token), list).await["data"]["client"]["paymentInitiationRequests"]["edges"].clone();
    assert_eq!(edges.as_array().unwrap().len(), 1, "nothing was created: {edges}");
}

#[tokio::test]
async fn the_simulator_listens_on_loopback_only() {
    let sim = simulator().await;
    assert!(sim.addr().ip().is_loopback());
}

#[tokio::test]
async fn a_64_kib_query_nested_too_deeply_is_answered_with_an_error_and_the_simulator_keeps_serving() {
    let sim = simulator().await;
    let token = token_for(&sim, "client_paymentrequest").await;
    // 21,800 selection sets in 64 KiB: the query that overflowed a 2 MiB stack. This test's
    // simulator serves on this test's thread, so a parser without a limit aborts the test.
    let depth = 21_800;
    let query = format!("{}{}", "{a".repeat(depth), "}".repeat(depth));
    assert!(query.len() <= 64 * 1024);
    let answer = graphql(&sim, Some(&token), &query).await;
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{answer}");
    assert!(error["message"].as_str().unwrap().contains("nested too deeply"), "{answer}");
    assert!(answer.get("data").is_none(), "{answer}");

    let after = graphql(&sim, Some(&token), "query { client { clientId } }").await;
    assert_eq!(after["data"]["client"]["clientId"], SECRET_CLIENT_ID, "still serving: {after}");

    // Fields nest 32 deep and no deeper. `ofType` nests as deep as asked, so the limit is
    // reached with fields the schema has (a made-up field is refused at any depth).
    let nested = |depth: usize| {
        let inner = format!("{}name{}", "ofType { ".repeat(depth - 3), " }".repeat(depth - 3));
        format!("{{ __schema {{ queryType {{ {inner} }} }} }}")
    };
    let answer = graphql(&sim, Some(&token), &nested(32)).await;
    assert!(answer.get("errors").is_none(), "{answer}");
    assert_eq!(answer["data"]["__schema"]["queryType"]["ofType"], Value::Null);
    let answer = graphql(&sim, Some(&token), &nested(33)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("nested too deeply"), "{answer}");
    let made_up = graphql(&sim, Some(&token), "{ client { paymentInitiationRequests { edges { a } } } }").await;
    assert_eq!(made_up["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{made_up}");
}
