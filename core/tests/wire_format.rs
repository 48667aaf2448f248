//! The exact bytes Token Desk sends, checked on the simulator's side of a real connection.

mod support;

use base64::Engine as _;
use support::*;
use token_desk_core::request::Credential;

fn decode_part(part: &str) -> serde_json::Value {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn a_secret_request_is_exactly_the_form_stitch_documents() {
    let sim = simulator().await;
    let req = secret_request(&sim.token_url(), "client_paymentrequest client_refund client_paymentrequest");
    engine().token(&req, false).await.unwrap();

    let recorded = sim.recorded();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].content_type.as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(recorded[0].authorization, None, "never Basic auth");
    let url = urlencode(&sim.token_url());
    assert_eq!(
        recorded[0].body,
        format!(
            "grant_type=client_credentials&client_id={SECRET_CLIENT_ID}&audience={url}\
             &scope=client_paymentrequest+client_refund&client_secret={SECRET}"
        )
    );
}

#[tokio::test]
async fn every_value_is_url_encoded() {
    let sim = simulator().await;
    let secret = "a+b&c=d/e%f ü";
    let req = request(
        &sim.token_url(),
        // `:` is the one mark a client id may hold that a form body must encode (`&` no longer
        // passes as a client id at all).
        "client:id",
        "client_refund",
        Credential::secret(token_desk_core::secret::ClientSecret::new(secret)),
    );
    let _ = engine().token(&req, false).await;
    let body = &sim.recorded()[0].body;
    assert!(body.contains("client_id=client%3Aid&"), "{body}");
    assert!(body.ends_with(&format!("client_secret={}", urlencode(secret))), "{body}");
}

#[tokio::test]
async fn a_certificate_request_carries_a_signed_assertion_with_stitchs_claims() {
    let sim = simulator().await;
    let credential = Credential::certificate_file(&sim.demo().certificate_path).unwrap();
    let Credential::Certificate(cert) = &credential else { unreachable!() };
    let thumbprint = cert.thumbprint().to_owned();
    let req = request(&sim.token_url(), CERTIFICATE_CLIENT_ID, "client_paymentrequest", credential);
    let before = std::time::SystemTime::now();
    engine().token(&req, false).await.unwrap();

    let body = sim.recorded()[0].body.clone();
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap();
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["grant_type", "client_id", "audience", "scope", "client_assertion_type", "client_assertion"],
        "one credential only, no client_secret"
    );
    assert_eq!(fields[4].1, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");

    let jwt = &fields[5].1;
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = decode_part(parts[0]);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["kid"], thumbprint.as_str());
    assert_eq!(thumbprint.len(), 40);
    assert!(thumbprint.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));

    let claims = decode_part(parts[1]);
    assert_eq!(claims["iss"], CERTIFICATE_CLIENT_ID);
    assert_eq!(claims["sub"], CERTIFICATE_CLIENT_ID);
    assert_eq!(claims["aud"], sim.token_url().as_str());
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["nbf"].as_i64().unwrap(), iat);
    let now = token_desk_core::clock::unix_seconds(before);
    assert!((now - 5..=now + 5).contains(&iat), "iat {iat} is now ({now})");
    let exp = claims["exp"].as_i64().unwrap();
    assert!(exp > iat && exp - iat <= 300, "exp at most five minutes after iat");
    assert!(uuid::Uuid::parse_str(claims["jti"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn the_kid_is_the_sha1_thumbprint_stitch_writes_as_local_key_id() {
    let sim = simulator().await;
    let text = std::fs::read_to_string(&sim.demo().certificate_path).unwrap();
    let local_key_id: String =
        text.lines().find_map(|l| l.trim().strip_prefix("localKeyID:")).unwrap().split_whitespace().collect();
    let cert = token_desk_core::certificate::ClientCertificate::from_pem(text.as_bytes()).unwrap();
    assert_eq!(cert.thumbprint(), local_key_id);
}

#[tokio::test]
async fn two_requests_never_share_an_assertion_id() {
    let sim = simulator().await;
    let credential = Credential::certificate_file(&sim.demo().certificate_path).unwrap();
    let req = request(&sim.token_url(), CERTIFICATE_CLIENT_ID, "client_paymentrequest", credential);
    let engine = engine();
    engine.token(&req, true).await.unwrap();
    engine.token(&req, true).await.unwrap();
    let jtis: Vec<String> = sim
        .recorded()
        .iter()
        .map(|r| {
            let fields: Vec<(String, String)> = serde_urlencoded::from_str(&r.body).unwrap();
            let jwt = &fields.iter().find(|(k, _)| k == "client_assertion").unwrap().1;
            decode_part(jwt.split('.').nth(1).unwrap())["jti"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(jtis.len(), 2);
    assert_ne!(jtis[0], jtis[1]);
}

#[tokio::test]
async fn an_explicit_audience_is_sent_instead_of_the_token_url() {
    let sim = simulator().await;
    let input = token_desk_core::request::RequestInput {
        client_id: SECRET_CLIENT_ID.into(),
        scopes: token_desk_core::scope::Scopes::parse(["client_refund"]),
        token_url: Some(sim.token_url()),
        // On the token URL's server: an audience elsewhere is refused (see tests/bad_input.rs).
        audience: Some(format!("http://{}/identity", sim.addr())),
        credential: Credential::secret(token_desk_core::secret::ClientSecret::new(SECRET)),
    };
    let (req, _) = token_desk_core::request::TokenRequest::check(input, std::time::SystemTime::now()).unwrap();
    engine().token(&req, false).await.unwrap();
    let expected = format!("&audience={}&", urlencode(&format!("http://{}/identity", sim.addr())));
    assert!(sim.recorded()[0].body.contains(&expected));
}

#[tokio::test]
async fn the_token_lifetime_counts_from_when_the_request_was_sent() {
    let sim = simulator_with(|c| c.token_lifetime = std::time::Duration::from_secs(120)).await;
    sim.inject([token_desk_core::simulator::Fault::Stall(std::time::Duration::from_millis(1200))]);
    let clock = std::sync::Arc::new(token_desk_core::clock::SystemClock);
    let before = std::time::SystemTime::now();
    let outcome =
        engine_with_clock(clock).token(&secret_request(&sim.token_url(), "client_refund"), false).await.unwrap();
    let after = std::time::SystemTime::now();
    let t = outcome.token;
    assert_eq!(t.expires_in, 120);
    assert!(t.issued_at >= before && t.issued_at <= before + std::time::Duration::from_millis(500));
    assert_eq!(t.expires_at, t.issued_at + std::time::Duration::from_secs(120));
    assert!(after > t.issued_at + std::time::Duration::from_secs(1), "the answer came later than the send");
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
