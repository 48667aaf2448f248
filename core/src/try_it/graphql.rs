//! Sending one Try it document to Stitch's GraphQL API: `{"query", "variables"}` as JSON,
//! posted the one way the engine reaches the API ([`crate::http::api`]: the bearer token, the
//! one HTTP client, a capped read, redaction, the inspector's record), every operation within
//! the client's one deadline. `check` posts its fixed read-only queries the same way.
//!
//! Stitch answers HTTP 200 with an `errors` array; `extensions` may sit in each error or at
//! the top level, and both are read. The errors become the engine's usual failure kinds:
//! `UNAUTHENTICATED` a refused token, `FORBIDDEN` a missing scope (named in `detail.scopes`,
//! what the window's one-click fix adds), any other code (a validation error) a refusal whose
//! code and message are kept as outside text.

use std::sync::Mutex;

use serde_json::{json, Value};

use crate::failure::{Detail, Failure, FailureKind};
use crate::http::api::ApiAnswer;
use crate::http::{deadline_passed, Http};
use crate::inspect::Exchange;
use crate::outside::Outside;
use crate::redact::Redactor;
use crate::token::AccessToken;

/// Where Try it operations go, with which token, and what was sent so far.
pub struct Api<'a> {
    http: &'a Http,
    url: String,
    token: &'a AccessToken,
    sent: Mutex<Vec<Exchange>>,
}

impl<'a> Api<'a> {
    /// The API at `url` (checked here: a URL that is not http(s) is bad input, nothing sent).
    pub fn new(http: &'a Http, url: &str, token: &'a AccessToken) -> Result<Self, Failure> {
        let url = crate::request::check_url(url, "API URL")?.to_string();
        Ok(Self { http, url, token, sent: Mutex::default() })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every exchange sent through this value, in order, redacted: what `-v` prints and the
    /// inspector shows (the last one is also the HTTP client's last API exchange).
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// `operation` cut off at the HTTP client's one deadline, every request in it included.
    pub async fn within_deadline<T>(
        &self,
        operation: impl std::future::Future<Output = Result<T, Failure>>,
    ) -> Result<T, Failure> {
        let deadline = self.http.deadline();
        tokio::time::timeout(deadline, operation)
            .await
            .unwrap_or_else(|_| Err(deadline_passed(&self.url, "API URL", deadline)))
    }

    /// Sends `document` with `variables` and gives back the answer's `data`, or the failure
    /// its `errors` (or the transport, or the shape of the answer) make.
    pub async fn send(&self, document: &str, variables: Value) -> Result<Value, Failure> {
        let body = json!({ "query": document, "variables": variables }).to_string();
        let meaning = |a: ApiAnswer, redactor: &Redactor| read_answer(a.status, &a.bytes, a.detail, redactor);
        let (result, exchange) = self.http.post_graphql(&self.url, self.token, body, meaning).await;
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).push(exchange);
        result
    }
}

/// What an answer means: `data`, or a failure of the usual kinds.
fn read_answer(status: u16, bytes: &[u8], detail: Detail, redactor: &Redactor) -> Result<Value, Failure> {
    let fail = |kind, message: &str| Failure::new(kind, message).with_detail(detail.clone());
    if (500..=599).contains(&status) {
        return Err(fail(FailureKind::ServerError, "The API had a problem of its own. Try again in a few minutes."));
    }
    if status == 429 {
        return Err(fail(
            FailureKind::RateLimited,
            "The API is limiting requests (HTTP 429). Wait a minute and try again.",
        ));
    }
    let json: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    if !json.is_object() || (json.get("data").is_none() && json.get("errors").is_none()) {
        return Err(fail(
            FailureKind::UnexpectedResponse,
            "The API answered, but not in GraphQL's JSON form. Check the API URL.",
        ));
    }
    let errors = json.get("errors").and_then(Value::as_array).cloned().unwrap_or_default();
    if !errors.is_empty() {
        return Err(from_errors(&json, &errors, detail, redactor));
    }
    match json.get("data") {
        Some(data) if data.is_object() => Ok(data.clone()),
        _ => {
            Err(fail(FailureKind::UnexpectedResponse, "The API answered with no data and no error. Check the API URL."))
        }
    }
}

/// The failure an `errors` array makes: a refused token first, then a missing scope, then the
/// first other error, whose code and message are kept as the API wrote them.
fn from_errors(json: &Value, errors: &[Value], detail: Detail, redactor: &Redactor) -> Failure {
    let top_code = json.pointer("/extensions/code").and_then(Value::as_str);
    fn code_in<'a>(e: &'a Value, top: Option<&'a str>) -> Option<&'a str> {
        e.pointer("/extensions/code").and_then(Value::as_str).or(top)
    }
    let code_of = |e: &'_ Value| code_in(e, top_code).map(str::to_owned);
    let message_of = |e: &Value| e.get("message").and_then(Value::as_str).unwrap_or("").to_owned();
    let unauthenticated =
        |e: &Value| code_of(e).as_deref() == Some("UNAUTHENTICATED") || message_of(e).starts_with("UNAUTHENTICATED");
    if errors.iter().any(unauthenticated) {
        return Failure::new(
            FailureKind::Refused,
            "The API did not accept this token: it has expired or is not valid. Get a new token.",
        )
        .with_detail(detail);
    }
    if let Some(forbidden) = errors.iter().find(|e| code_of(e).as_deref() == Some("FORBIDDEN")) {
        let listed = forbidden
            .pointer("/extensions/missingScopes")
            .or_else(|| json.pointer("/extensions/missingScopes"))
            .and_then(Value::as_array);
        // Names offered as a one-click fix: only a scope's shape, and never a text that
        // carries the token back.
        let mut missing: Vec<String> = Vec::new();
        for s in listed.into_iter().flatten().filter_map(Value::as_str) {
            if crate::scope::check_word(s).is_ok() && !redactor.finds_secret(s) && !missing.iter().any(|m| m == s) {
                missing.push(s.to_owned());
            }
        }
        let message = match missing.len() {
            0 => "The API refused this for the token (FORBIDDEN) without naming a scope. Check the scopes the \
                  client may have."
                .to_owned(),
            1 => format!("The token is missing {}. Get a new token that includes it.", missing[0]),
            _ => format!("The token is missing {}. Get a new token that includes them.", missing.join(", ")),
        };
        let mut d = detail;
        d.oauth_error = Some(Outside::new("FORBIDDEN"));
        d.oauth_error_description = Some(Outside::new(redactor.redact(&message_of(forbidden))));
        d.scopes = missing;
        return Failure::new(FailureKind::ScopeNotAllowed, message).with_detail(d);
    }
    let first = &errors[0];
    let mut d = detail;
    d.oauth_error = code_of(first).map(|c| Outside::new(redactor.redact(&c)));
    d.oauth_error_description = Some(Outside::new(redactor.redact(&message_of(first))));
    Failure::new(
        FailureKind::Refused,
        "The API refused the request. Its code and message are in the details: correct what they name and try \
         again.",
    )
    .with_detail(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: Value) -> Result<Value, Failure> {
        read_answer(200, body.to_string().as_bytes(), Detail::default(), &Redactor::new(&["tok-secret-123456"]))
    }

    #[test]
    fn data_without_errors_is_the_answer() {
        assert_eq!(read(json!({"data": {"a": 1}})).unwrap(), json!({"a": 1}));
    }

    #[test]
    fn an_expired_token_is_refused_whether_extensions_sit_in_the_error_or_at_the_top() {
        for body in [
            json!({"errors": [{"message": "UNAUTHENTICATED: Token is expired or malformed"}], "extensions": {"code": "UNAUTHENTICATED"}}),
            json!({"errors": [{"message": "x", "extensions": {"code": "UNAUTHENTICATED"}}]}),
        ] {
            let f = read(body).unwrap_err();
            assert_eq!(f.kind, FailureKind::Refused);
            assert!(f.message.contains("expired or is not valid"), "{}", f.message);
        }
    }

    #[test]
    fn a_missing_scope_names_it_for_the_one_click_fix_and_drops_what_is_no_scope() {
        let f = read(json!({"errors": [{"message": "Token is missing the following scope: client_refund",
            "extensions": {"code": "FORBIDDEN", "missingScopes": ["client_refund", "bad scope", "tok-secret-123456"]}}],
            "data": null}))
        .unwrap_err();
        assert_eq!(f.kind, FailureKind::ScopeNotAllowed);
        assert_eq!(f.detail.scopes, vec!["client_refund"]);
        assert_eq!(f.message, "The token is missing client_refund. Get a new token that includes it.");
    }

    #[test]
    fn a_validation_error_keeps_the_apis_code_and_message_as_outside_text() {
        let f = read(json!({"errors": [{"message": "Amount exceeds\u{1b}[2J the payment",
            "extensions": {"code": "REFUND_AMOUNT_TOO_HIGH"}}], "data": {"clientRefundInitiate": null}}))
        .unwrap_err();
        assert_eq!(f.kind, FailureKind::Refused);
        assert_eq!(f.detail.oauth_error, Some(Outside::new("REFUND_AMOUNT_TOO_HIGH")));
        let said = f.detail.oauth_error_description.clone().unwrap();
        assert_eq!(said.for_terminal(), "Amount exceeds\\x1b[2J the payment");
        assert!(!f.message.contains("REFUND"), "{}", f.message);
    }

    #[test]
    fn an_answer_that_is_not_graphql_is_unexpected_and_a_5xx_is_the_servers_problem() {
        assert_eq!(read(json!([1])).unwrap_err().kind, FailureKind::UnexpectedResponse);
        assert_eq!(read(json!({"data": null})).unwrap_err().kind, FailureKind::UnexpectedResponse);
        let html = read_answer(502, b"<html>", Detail::default(), &Redactor::none()).unwrap_err();
        assert_eq!(html.kind, FailureKind::ServerError);
        assert_eq!(
            read_answer(429, b"", Detail::default(), &Redactor::none()).unwrap_err().kind,
            FailureKind::RateLimited
        );
    }
}
