//! The hosted payment page at a payment request's `url`
//! (`/connect/payment-request/<uuid>`), where a presenter presses *Pay* or *Cancel*, so the
//! whole demo runs offline. Plain HTML forms, no script. Like Stitch's page it honours a
//! `redirect_uri` only when the client whitelisted it (the test list in
//! [`super::demo::TEST_REDIRECT_URIS`]), and sends the payer back there with `id` and
//! `status` (`complete` or `closed`) after the choice. Every value it shows is HTML-encoded.

use std::sync::Arc;

use axum::extract::{Form, Path, Query, State as Extract};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::demo::TEST_REDIRECT_URIS;
use super::payments::{decimal_text, node_id, PaymentRequest, Refusal, RequestState};
use super::State;

/// Why a cancelled request was cancelled, when the payer pressed *Cancel*.
pub(crate) const USER_CANCELLED: &str = "user_cancelled";

#[derive(serde::Deserialize)]
pub(crate) struct Return {
    redirect_uri: Option<String>,
}

#[derive(serde::Deserialize)]
pub(crate) struct Choice {
    choice: String,
    redirect_uri: Option<String>,
}

pub(crate) async fn show(
    Extract(state): Extract<Arc<State>>,
    Path(uuid): Path<String>,
    Query(back): Query<Return>,
) -> Response {
    if let Some(refusal) = unlisted(back.redirect_uri.as_deref()) {
        return refusal;
    }
    let Some(request) = state.payments.lock().unwrap().request(None, &uuid).cloned() else {
        return not_found();
    };
    let now = state.clock.now();
    let amount = decimal_text(request.new.amount);
    let facts = facts(&request, &request.state(now));
    let body = if request.state(now) == RequestState::Pending {
        format!(
            "<p>Pay <strong>{amount} ZAR</strong> to {name}?</p>{facts}\
             <form method=\"post\" action=\"/connect/payment-request/{uuid}\">\
             <input type=\"hidden\" name=\"redirect_uri\" value=\"{back}\">\
             <button type=\"submit\" name=\"choice\" value=\"pay\">Pay</button> \
             <button type=\"submit\" name=\"choice\" value=\"cancel\">Cancel</button></form>",
            name = escape(&request.new.beneficiary_name),
            uuid = escape(&request.uuid),
            back = escape(back.redirect_uri.as_deref().unwrap_or("")),
        )
    } else {
        format!("<p>This payment request is {}: there is nothing to pay.</p>{facts}", request.state(now).words())
    };
    page(StatusCode::OK, &format!("Pay {amount} ZAR"), &body)
}

pub(crate) async fn choose(
    Extract(state): Extract<Arc<State>>,
    Path(uuid): Path<String>,
    Form(choice): Form<Choice>,
) -> Response {
    let back = choice.redirect_uri.filter(|r| !r.is_empty());
    if let Some(refusal) = unlisted(back.as_deref()) {
        return refusal;
    }
    let now = state.clock.now();
    let (decided, status) = {
        let mut ledger = state.payments.lock().unwrap();
        match choice.choice.as_str() {
            "pay" => (ledger.complete(None, &uuid, now), "complete"),
            "cancel" => (ledger.cancel(&uuid, USER_CANCELLED, now), "closed"),
            _ => return page(StatusCode::BAD_REQUEST, "Choose Pay or Cancel", "<p>Choose Pay or Cancel.</p>"),
        }
    };
    let request = match decided {
        Ok(request) => request,
        Err(Refusal::NotFound) => return not_found(),
        Err(refusal) => {
            return page(StatusCode::CONFLICT, "Nothing changed", &format!("<p>{}</p>", escape(&refusal.to_string())))
        }
    };
    match back {
        Some(uri) => back_to(&uri, &request, status),
        None => {
            let said = if status == "complete" { "Paid" } else { "Cancelled" };
            let facts = facts(&request, &request.state(now));
            page(StatusCode::OK, said, &format!("<p>{said}. You may close this page.</p>{facts}"))
        }
    }
}

/// Whether `uri` is on the test clients' whitelist (exactly, or with a trailing `/`).
pub(crate) fn whitelisted(uri: &str) -> bool {
    TEST_REDIRECT_URIS.iter().any(|w| uri == *w || uri.strip_suffix('/') == Some(w))
}

/// The refusal of a `redirect_uri` the client has not whitelisted, as Stitch refuses one.
fn unlisted(uri: Option<&str>) -> Option<Response> {
    let uri = uri.filter(|u| !u.is_empty() && !whitelisted(u))?;
    let body = format!(
        "<p>This <code>redirect_uri</code> is not on the client's whitelist: <code>{}</code>.</p>\
         <p>Test clients may return to {}.</p>",
        escape(uri),
        TEST_REDIRECT_URIS.iter().map(|w| format!("<code>{w}</code>")).collect::<Vec<_>>().join(", ")
    );
    Some(page(StatusCode::BAD_REQUEST, "Redirect not allowed", &body))
}

/// Sends the payer back to the whitelisted `uri` with what Stitch appends: the request's id,
/// `status`, and its external reference when it has one.
fn back_to(uri: &str, request: &PaymentRequest, status: &str) -> Response {
    let Ok(mut url) = url::Url::parse(uri) else {
        return page(StatusCode::BAD_REQUEST, "Redirect not allowed", "<p>The redirect_uri is not a URL.</p>");
    };
    {
        let mut pairs = url.query_pairs_mut();
        pairs.append_pair("id", &node_id("payreq", &request.uuid)).append_pair("status", status);
        if let Some(external) = &request.new.external_reference {
            pairs.append_pair("externalReference", external);
        }
    }
    Redirect::to(url.as_str()).into_response()
}

fn facts(request: &PaymentRequest, state: &RequestState) -> String {
    format!(
        "<dl><dt>Amount</dt><dd>{} ZAR</dd><dt>To</dt><dd>{}</dd><dt>Payer reference</dt><dd>{}</dd>\
         <dt>State</dt><dd id=\"state\">{}</dd></dl>",
        decimal_text(request.new.amount),
        escape(&request.new.beneficiary_name),
        escape(&request.new.payer_reference),
        state.words()
    )
}

fn not_found() -> Response {
    page(StatusCode::NOT_FOUND, "Not found", "<p>There is no payment request at this address.</p>")
}

/// A whole page: `title` and `body` are HTML already (every outside value escaped by the
/// caller). The policy allows no script, and forms only to here and the whitelisted origins.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Stitch simulator</title>\
         <style>body{{font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         button{{font-size:1.2rem;padding:.6rem 1.6rem;margin:1rem 1rem 0 0}}dt{{font-weight:bold}}</style>\
         </head><body><main><h1>{title}</h1>{body}\
         <p><small>Token Desk's Stitch simulator: no money moves.</small></p></main></body></html>\n"
    );
    let form_action = TEST_REDIRECT_URIS
        .iter()
        .filter(|w| !w.ends_with("/return"))
        .fold(String::from("'self'"), |all, w| format!("{all} {w}"));
    let policy =
        format!("default-src 'none'; style-src 'unsafe-inline'; form-action {form_action}; frame-ancestors 'none'");
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        html,
    )
        .into_response()
}

/// `text` made safe in HTML text and in a double- or single-quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_test_whitelist_is_honoured() {
        assert!(whitelisted("https://localhost:8080"));
        assert!(whitelisted("https://localhost:3000/return"));
        assert!(whitelisted("https://localhost:9000/"));
        for bad in [
            "https://localhost:8081",
            "https://evil.example/return",
            "http://localhost:8080",
            "https://localhost:8080/x",
        ] {
            assert!(!whitelisted(bad), "{bad}");
        }
    }

    #[test]
    fn markup_in_a_value_is_shown_as_text() {
        assert_eq!(escape("<b a='1'>\"&"), "&lt;b a=&#39;1&#39;&gt;&quot;&amp;");
    }
}
