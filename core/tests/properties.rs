//! Whatever bytes arrive, the PEM reader, the response parser and the scope parser answer
//! with a value or a failure, never a panic.

mod support;

use std::time::SystemTime;

use proptest::prelude::*;
use token_desk_core::certificate::ClientCertificate;
use token_desk_core::response::{interpret, Answer, Context};
use token_desk_core::scope::{did_you_mean, Scopes};

fn context(requested: &Scopes) -> Context<'_> {
    Context {
        token_url: "https://secure.stitch.money/connect/token",
        requested,
        sent_at: SystemTime::now(),
        received_at: SystemTime::now(),
        secrets: &["s3cret-value"],
        uses_certificate: false,
        certificate_warning: None,
    }
}

/// Pieces that make PEM-looking input, so the generator reaches the parser's inner paths.
fn pem_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("-----BEGIN CERTIFICATE-----\n".to_owned()),
        Just("-----END CERTIFICATE-----\n".to_owned()),
        Just("-----BEGIN PRIVATE KEY-----\n".to_owned()),
        Just("-----END PRIVATE KEY-----\n".to_owned()),
        Just("-----BEGIN RSA PRIVATE KEY-----\n".to_owned()),
        Just("-----END RSA PRIVATE KEY-----\n".to_owned()),
        Just("Proc-Type: 4,ENCRYPTED\n".to_owned()),
        Just("Bag Attributes\n    localKeyID: 01 02\n".to_owned()),
        "[A-Za-z0-9+/=]{0,80}\n",
        ".{0,20}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_pem_reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = ClientCertificate::from_pem(&bytes);
    }

    #[test]
    fn the_pem_reader_never_panics_on_pem_like_text(text in pem_like()) {
        let _ = ClientCertificate::from_pem(text.as_bytes());
    }

    #[test]
    fn the_pem_reader_never_panics_on_a_damaged_real_file(cut in 0usize..4000, flip in 0usize..4000, byte in any::<u8>()) {
        let mut bytes = support::stitch_pem("test-prop", token_desk_core::simulator::demo::KeyForm::Pkcs8, false).into_bytes();
        let flip = flip % bytes.len();
        bytes[flip] = byte;
        bytes.truncate(cut.min(bytes.len()));
        let _ = ClientCertificate::from_pem(&bytes);
    }

    #[test]
    fn the_response_parser_never_panics(
        status in prop_oneof![Just(200u16), Just(400), Just(401), Just(302), Just(429), Just(503), 100u16..600],
        body in prop::collection::vec(any::<u8>(), 0..512),
        retry_after in proptest::option::of(".{0,40}"),
        content_type in proptest::option::of(prop_oneof![Just("application/json".to_owned()), Just("text/html".to_owned()), ".{0,20}"]),
    ) {
        let requested = Scopes::parse(["client_refund"]);
        let answer = Answer { status, content_type: content_type.as_deref(), retry_after: retry_after.as_deref(), location: None, body: &body };
        let _ = interpret(&answer, &context(&requested));
    }

    #[test]
    fn the_response_parser_never_panics_on_json_shaped_answers(
        token in proptest::option::of(prop_oneof![".{0,40}".prop_map(serde_json::Value::from), any::<i64>().prop_map(serde_json::Value::from)]),
        expires in proptest::option::of(prop_oneof![any::<i64>().prop_map(serde_json::Value::from), any::<f64>().prop_map(serde_json::Value::from), ".{0,12}".prop_map(serde_json::Value::from)]),
        scope in proptest::option::of(".{0,60}"),
        error in proptest::option::of(".{0,30}"),
        status in prop_oneof![Just(200u16), Just(400)],
    ) {
        let mut obj = serde_json::Map::new();
        if let Some(t) = token { obj.insert("access_token".into(), t); }
        if let Some(e) = expires { obj.insert("expires_in".into(), e); }
        if let Some(s) = scope { obj.insert("scope".into(), s.into()); }
        if let Some(e) = error { obj.insert("error".into(), e.into()); }
        let body = serde_json::to_vec(&obj).unwrap();
        let requested = Scopes::parse(["client_refund"]);
        let answer = Answer { status, content_type: Some("application/json"), body: &body, ..Answer::default() };
        if let Ok(t) = interpret(&answer, &context(&requested)) {
            prop_assert!(t.expires_in >= 1);
            prop_assert!(t.expires_at > t.issued_at);
        }
    }

    #[test]
    fn the_scope_parser_never_panics_and_never_yields_blank_or_repeated_scopes(inputs in prop::collection::vec(".{0,60}", 0..6)) {
        let scopes = Scopes::parse(&inputs);
        let all: Vec<&str> = scopes.iter().collect();
        for s in &all {
            prop_assert!(!s.is_empty());
            prop_assert!(!s.contains(' ') && !s.contains(','));
            let _ = did_you_mean(s);
        }
        let unique: std::collections::BTreeSet<_> = all.iter().collect();
        prop_assert_eq!(unique.len(), all.len());
        prop_assert!(!scopes.to_field().contains("  "));
    }
}
