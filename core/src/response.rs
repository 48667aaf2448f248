//! Reading what a token endpoint answered (RFC 6749 §5.1 success, §5.2 error), tolerating
//! extra fields and either JSON number or string for `expires_in`, and turning everything
//! else into a [`Failure`] a person can act on.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::failure::{excerpt, Detail, Failure, FailureKind};
use crate::outside::Outside;
use crate::redact::Redactor;
use crate::scope::{self, Scopes};
use crate::token::{AccessToken, Token};

/// Longest lifetime we believe: a token said to live longer than a year is a server bug.
pub const MAX_EXPIRES_IN: u64 = 366 * 86_400;

/// Stitch's documented client-token lifetime, assumed when a server omits `expires_in`.
pub const DEFAULT_EXPIRES_IN: u64 = 3600;

/// An HTTP answer, reduced to what interpretation needs.
#[derive(Debug, Clone, Default)]
pub struct Answer<'a> {
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub retry_after: Option<&'a str>,
    pub location: Option<&'a str>,
    pub body: &'a [u8],
}

/// What the request was, for messages and for computing expiry.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub token_url: &'a str,
    pub requested: &'a Scopes,
    /// When the request left; the token's lifetime counts from here.
    pub sent_at: SystemTime,
    /// When the answer arrived; `Retry-After` dates count from here.
    pub received_at: SystemTime,
    /// Values to remove from body excerpts (the secret, the assertion).
    pub secrets: &'a [&'a str],
    /// Whether the client authenticated with a certificate (else a secret).
    pub uses_certificate: bool,
    /// Set when the certificate was already expired or not yet valid: said on `invalid_client`.
    pub certificate_warning: Option<&'a str>,
}

/// Turns an answer into a token or a failure. Never panics, whatever the bytes. Everything
/// in a failure (message, `Location`, OAuth fields, body excerpt) has been through
/// [`crate::redact`] with `cx.secrets`.
pub fn interpret(answer: &Answer<'_>, cx: &Context<'_>) -> Result<Token, Failure> {
    let redactor = Redactor::new(cx.secrets);
    interpret_unredacted(answer, cx, &redactor).map_err(|f| f.redacted(&redactor))
}

fn interpret_unredacted(answer: &Answer<'_>, cx: &Context<'_>, redactor: &Redactor) -> Result<Token, Failure> {
    let detail = Detail {
        url: Some(cx.token_url.to_owned()),
        status: Some(answer.status),
        body_excerpt: (!answer.body.is_empty()).then(|| Outside::new(excerpt(answer.body, redactor))),
        ..Detail::default()
    };
    let server = server_name(cx.token_url);
    match answer.status {
        200 => success(answer, cx, detail, &server),
        300..=399 => {
            let mut detail = detail;
            detail.location = answer.location.map(Outside::new);
            let to = answer.location.unwrap_or("another address");
            Err(Failure::new(
                FailureKind::Redirect,
                format!(
                    "The token URL sends requests on to {to}. Token requests are never forwarded; check the token URL."
                ),
            )
            .with_detail(detail))
        }
        429 => {
            let mut detail = detail;
            detail.retry_after_seconds =
                answer.retry_after.and_then(|v| retry_after(v, cx.received_at)).map(|d| d.as_secs());
            let when = match detail.retry_after_seconds {
                Some(s) => format!("Wait {s} seconds, then try again."),
                None => "Wait a minute, then try again.".to_owned(),
            };
            Err(Failure::new(FailureKind::RateLimited, format!("{server} is receiving too many requests. {when}"))
                .with_detail(detail))
        }
        500..=599 => {
            let mut detail = detail;
            detail.retry_after_seconds =
                answer.retry_after.and_then(|v| retry_after(v, cx.received_at)).map(|d| d.as_secs());
            let what = if looks_like_html(answer) { " (an error page came back instead)" } else { "" };
            Err(Failure::new(
                FailureKind::ServerError,
                format!("{server} had a problem of its own{what}. Try again in a few minutes; if it persists, check Stitch's status page."),
            )
            .with_detail(detail))
        }
        _ => Err(error_response(answer, cx, detail, &server)),
    }
}

fn success(answer: &Answer<'_>, cx: &Context<'_>, detail: Detail, server: &str) -> Result<Token, Failure> {
    let unexpected = |why: &str| {
        Failure::new(
            FailureKind::UnexpectedResponse,
            format!("{server} answered, but not with a token ({why}). Check the token URL; it may point at the wrong server."),
        )
        .with_detail(detail.clone())
    };
    if looks_like_html(answer) {
        return Err(unexpected("a web page came back"));
    }
    let json: Value = serde_json::from_slice(answer.body).map_err(|_| unexpected("the answer is not valid JSON"))?;
    let Some(obj) = json.as_object() else {
        return Err(unexpected("the answer is not a JSON object"));
    };
    let access_token = match obj.get("access_token") {
        // RFC 6749 Appendix A.12: `access-token = 1*VSCHAR` (printable ASCII). A token with
        // any other character could not be sent as a Bearer header, and printed as the output
        // asked for it could drive a terminal.
        Some(Value::String(s)) if !s.trim().is_empty() && s.bytes().all(|b| (0x20..=0x7e).contains(&b)) => s.clone(),
        Some(Value::String(s)) if !s.trim().is_empty() => {
            return Err(unexpected("its access_token holds characters a token never has (RFC 6749 Appendix A.12)"))
        }
        Some(_) => return Err(unexpected("its access_token is empty or not text")),
        None => return Err(unexpected("it has no access_token")),
    };
    let token_type = match obj.get("token_type") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        None | Some(Value::Null) => "Bearer".to_owned(),
        Some(_) => return Err(unexpected("its token_type is not text")),
    };
    let (expires_in, lifetime_assumed) = match obj.get("expires_in") {
        None | Some(Value::Null) => (DEFAULT_EXPIRES_IN, true),
        Some(v) => {
            let seconds = match v {
                Value::Number(n) => {
                    n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                }
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            match seconds {
                Some(s) if (1..=MAX_EXPIRES_IN).contains(&s) => (s, false),
                _ => return Err(unexpected(&format!("it says the token lasts {v} seconds, which cannot be right"))),
            }
        }
    };
    let granted = match obj.get("scope") {
        Some(Value::String(s)) => Scopes::from_response(s),
        _ => cx.requested.clone(),
    };
    Ok(Token {
        access_token: AccessToken::new(access_token),
        token_type,
        expires_in,
        lifetime_assumed,
        issued_at: cx.sent_at,
        expires_at: cx.sent_at + Duration::from_secs(expires_in),
        granted,
        requested: cx.requested.clone(),
    })
}

fn error_response(answer: &Answer<'_>, cx: &Context<'_>, mut detail: Detail, server: &str) -> Failure {
    let json: Option<Value> = serde_json::from_slice(answer.body).ok();
    // A careless server may echo what we sent: redacted again as the failure leaves.
    let field = |name: &str| json.as_ref().and_then(|j| j.get(name)).and_then(Value::as_str).map(str::to_owned);
    let error = field("error");
    let description = field("error_description");
    detail.oauth_error = error.clone().map(Outside::new);
    detail.oauth_error_description = description.clone().map(Outside::new);

    let Some(error) = error else {
        return match answer.status {
            401 => Failure::new(
                FailureKind::InvalidClient,
                format!(
                    "{server} did not accept the client's credentials. Check the client ID and secret or certificate."
                ),
            )
            .with_detail(detail),
            403 => Failure::new(
                FailureKind::UnauthorizedClient,
                format!("{server} refused access. Ask Stitch whether this client is enabled."),
            )
            .with_detail(detail),
            404 => Failure::new(
                FailureKind::UnexpectedResponse,
                "Nothing answers at this token URL (404). Check the token URL.".to_owned(),
            )
            .with_detail(detail),
            _ => Failure::new(
                FailureKind::UnexpectedResponse,
                format!(
                    "{server} refused the request without saying why (HTTP {}). Check the token URL.",
                    answer.status
                ),
            )
            .with_detail(detail),
        };
    };

    match error.as_str() {
        "invalid_client" => {
            let mut message = format!(
                "{server} did not accept the client ID or its {}. Check both, or ask Stitch whether it has expired.",
                if cx.uses_certificate { "certificate" } else { "secret" }
            );
            if let Some(w) = cx.certificate_warning {
                message = format!("{server} did not accept the client. {w}");
            }
            Failure::new(FailureKind::InvalidClient, message).with_detail(detail)
        }
        "invalid_scope" | "invalid_grant" => {
            // A reply may name the refused scope in its description or in a `scope` member
            // (not in RFC 6749 §5.2, but servers add it): either names it for the user.
            let said = format!("{} {}", description.as_deref().unwrap_or(""), field("scope").unwrap_or_default());
            let named = named_scopes(&said, cx.requested);
            let asked: Vec<&str> = cx.requested.iter().collect();
            let message = match (named.as_slice(), asked.as_slice()) {
                ([], [one]) => format!("{one} is not enabled for this client. Leave it out, or ask Stitch to enable it."),
                ([], _) => format!(
                    "{server} refused one of the scopes asked for ({}) without saying which.",
                    asked.join(", ")
                ),
                ([one], _) => format!("{one} is not enabled for this client. Leave it out, or ask Stitch to enable it."),
                (many, _) => format!(
                    "{} are not enabled for this client. Leave them out, or ask Stitch to enable them.",
                    many.join(" and ")
                ),
            };
            detail.scopes = named;
            Failure::new(FailureKind::ScopeNotAllowed, message).with_detail(detail)
        }
        "unauthorized_client" => Failure::new(
            FailureKind::UnauthorizedClient,
            "This client may not get client tokens. Ask Stitch to enable client credentials for it.",
        )
        .with_detail(detail),
        "invalid_request" | "unsupported_grant_type" => Failure::new(
            FailureKind::MalformedRequest,
            format!("{server} says the request was malformed. This is a bug in Token Desk; please report it with the details."),
        )
        .with_detail(detail),
        other => Failure::new(
            FailureKind::Refused,
            format!("{server} refused the request ({other}). See the details, or ask Stitch what it means."),
        )
        .with_detail(detail),
    }
}

/// Scopes an error description names: any requested or known scope that appears in it.
fn named_scopes(description: &str, requested: &Scopes) -> Vec<String> {
    let words: Vec<&str> = description
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == ':'))
        .map(|w| w.trim_end_matches(['.', ':'])) // "… request client_refund." ends a sentence
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if (requested.contains(w) || scope::is_known(w)) && !out.iter().any(|o| o == w) {
            out.push(w.to_owned());
        }
    }
    out
}

fn looks_like_html(answer: &Answer<'_>) -> bool {
    let ct = answer.content_type.unwrap_or("").to_ascii_lowercase();
    if ct.contains("html") {
        return true;
    }
    let start: String =
        String::from_utf8_lossy(&answer.body[..answer.body.len().min(64)]).trim_start().to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), counted from `now`.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(s) = value.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    httpdate::parse_http_date(value).ok().map(|at| at.duration_since(now).unwrap_or_default())
}

/// "Stitch" for Stitch's own servers, otherwise a neutral name with the host.
pub fn server_name(url: &str) -> String {
    let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    if host == "stitch.money" || host.ends_with(".stitch.money") {
        "Stitch".to_owned()
    } else if host.is_empty() {
        "The token server".to_owned()
    } else {
        format!("The token server ({host})")
    }
}
