//! What the inspector and a failure keep of an answer that echoes the token or the secret,
//! over real HTTP on 127.0.0.1: the token, once received, is removed from the recorded
//! exchange wherever and however the server repeats it, and a body cut at its limit keeps no
//! beginning of a secret.

mod support;

use token_desk_core::http::HttpOptions;
use token_desk_core::inspect::Exchange;
use token_desk_core::redact::Redactor;
use token_desk_core::simulator::Fault;

use support::SECRET;

const SCOPE: &str = "client_paymentrequest";

/// A token of characters a header can carry, with some that escapes change.
const TOKEN: &str = "eyJ0b2tlbi/echo+Zq9=.Xw~7-opaque";

fn html_entities(s: &str) -> String {
    s.chars().map(|c| format!("&#{};", u32::from(c))).collect()
}

fn json_unicode(s: &str) -> String {
    s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect()
}

/// Every text of the exchange, one by one and as shown and copied.
fn texts(e: &Exchange) -> Vec<String> {
    let mut out = vec![e.to_text(), serde_json::to_string(e).unwrap(), e.url.clone(), e.response_body.clone()];
    out.extend(e.request_headers.iter().chain(&e.response_headers).chain(&e.form).map(|(_, v)| v.clone()));
    out
}

#[tokio::test]
async fn a_token_echoed_in_another_field_and_in_headers_is_in_no_part_of_the_recorded_exchange() {
    let sim = support::simulator().await;
    let body = format!(
        r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600,"accessToken":"{TOKEN}","data":{{"access\u005ftoken":"{TOKEN}"}},"message":"issued {upper} for you","html":"{html}","escaped":"{escaped}"}}"#,
        upper = TOKEN.to_uppercase(),
        html = html_entities(TOKEN),
        escaped = json_unicode(TOKEN),
    );
    let headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("x-token-echo".to_owned(), TOKEN.to_owned()),
        ("x-trace".to_owned(), format!("t={} hex={}", TOKEN.to_lowercase(), hex_upper(TOKEN))),
    ];
    sim.inject([Fault::Respond { status: 200, headers, body }]);
    let engine = support::engine();
    let req = support::secret_request(&sim.token_url(), SCOPE);

    let outcome = engine.token(&req, false).await.expect("the answer is a token");

    // The one output asked for holds it; the inspector's copy of the exchange does not.
    assert_eq!(outcome.token.access_token.as_str(), TOKEN);
    let exchange = engine.http().last_token_exchange().expect("the exchange is recorded");
    assert_eq!(exchange.status, Some(200));
    let by_token = Redactor::new(&[TOKEN]);
    for text in texts(&exchange) {
        assert!(!by_token.finds_secret(&text), "the token is in {text:?}");
        assert!(!text.to_lowercase().contains(&TOKEN.to_lowercase()[..8]), "part of the token is in {text:?}");
    }
    let echo = exchange.response_headers.iter().find(|(k, _)| k == "x-token-echo").expect("the header is shown");
    assert_eq!(echo.1, by_token.marker());
    assert!(exchange.response_body.contains("\"accessToken\""), "field names stay: {}", exchange.response_body);
}

fn hex_upper(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02X}")).collect()
}

/// Sends one request for the demo secret client to a server answering 400 with `body`, with
/// bodies read up to `limit` bytes; the failure's excerpt and the recorded body.
async fn answer_cut_at(limit: usize, body: String) -> (String, String) {
    let sim = support::simulator().await;
    sim.inject([Fault::Respond { status: 400, headers: vec![("content-type".into(), "text/plain".into())], body }]);
    let engine = support::engine_with_options(HttpOptions { max_body_bytes: limit, ..support::no_retry_options() });
    let req = support::secret_request(&sim.token_url(), SCOPE);
    let failure = engine.token(&req, false).await.expect_err("a 400 is a failure");
    let exchange = engine.http().last_token_exchange().expect("the exchange is recorded");
    (failure.detail.body_excerpt.unwrap_or_default().for_page().to_owned(), exchange.response_body)
}

#[tokio::test]
async fn a_secret_across_the_body_limit_is_removed_whole_before_the_body_is_cut() {
    let body = format!("{}{SECRET}{}", "x".repeat(990), "y".repeat(5000));

    let (excerpt, recorded) = answer_cut_at(1000, body).await;

    assert!(!recorded.contains(&SECRET[..4]), "{recorded}");
    assert!(!excerpt.contains(&SECRET[..4]), "{excerpt}");
    assert!(recorded.starts_with(&"x".repeat(990)), "{recorded}");
    assert!(recorded.chars().count() <= 1001, "cut to the limit: {}", recorded.chars().count());
}

#[tokio::test]
async fn a_secret_cut_off_where_the_read_stopped_leaves_no_beginning() {
    // Echoes that redaction shortens, then one across the end of what is read (the limit
    // plus the secret's longest form): what is shown is shorter than the limit, and still
    // ends with no beginning of the secret.
    let limit = 1000;
    let reach = limit + Redactor::new(&[SECRET]).margin();
    let echoes = reach / SECRET.len();
    let body = format!("{}{}{}", SECRET.repeat(echoes), SECRET, "z".repeat(5000));
    assert!(echoes * SECRET.len() < reach && (echoes + 1) * SECRET.len() > reach);

    let (excerpt, recorded) = answer_cut_at(limit, body).await;

    assert!(recorded.chars().count() < limit, "{recorded}");
    assert!(!recorded.contains(&SECRET[..4]), "{recorded}");
    assert!(!excerpt.contains(&SECRET[..4]), "{excerpt}");
    assert!(recorded.contains("[redacted]"), "{recorded}");
}
