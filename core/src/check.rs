//! Testing a client token against Stitch's GraphQL API, safely: read-only queries only (no
//! mutations, no billable look-ups, no `webhookLogin`). Stitch answers HTTP 200 with an
//! `errors` array: `UNAUTHENTICATED` for an expired or unknown token, `FORBIDDEN` with
//! `extensions.missingScopes` when a scope is missing. `extensions` may sit in each error or
//! at the top level: both are read.

use serde::Serialize;
use serde_json::{json, Value};
use serde_with::skip_serializing_none;

use crate::failure::{Failure, FailureKind};
use crate::http::api::ApiAnswer;
use crate::http::{deadline_passed, Http};
use crate::inspect::Exchange;
use crate::outside::Outside;
use crate::redact::Redactor;
use crate::scope::Scopes;
use crate::token::AccessToken;
use crate::verdicts;

use crate::known_scopes::{CLIENT_QUERY, CLIENT_SCOPES};

/// The read-only query that exercises `scope`, if there is one that is safe to send (its
/// row of [`crate::known_scopes::CLIENT_SCOPES`]).
pub fn safe_query(scope: &str) -> Option<&'static str> {
    crate::known_scopes::known(scope)?.safe_read.map(|read| read.query)
}

/// What the API said about one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A read that needs the scope succeeded.
    Works,
    /// The API said the token lacks it, or the token server did not grant it.
    Missing,
    /// Granted, but no query that needs it is safe to send (it would change data or cost money).
    CannotCheckSafely,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeCheck {
    pub scope: String,
    pub verdict: Verdict,
    /// The plain answer that starts the line: "Yes, works", "No — missing", "Allowed, not
    /// tried (it would move real money)" ([`verdicts`]).
    pub answer: String,
    /// The detail, in plain words.
    pub note: String,
}

/// The outcome of a token test.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub api_url: String,
    /// False when the API answered `UNAUTHENTICATED`: the token expired or is not valid.
    pub accepted: bool,
    /// One sentence for the user.
    pub summary: String,
    /// `data.client` from the first query, when it came back.
    pub client: Option<Value>,
    pub scopes: Vec<ScopeCheck>,
    /// Scopes to add to a new token so that everything checked works.
    pub missing_scopes: Vec<String>,
    pub exchanges: Vec<Exchange>,
}

impl CheckReport {
    /// True when the token was accepted and nothing checked is missing.
    pub fn all_good(&self) -> bool {
        self.accepted && self.missing_scopes.is_empty()
    }

    /// After the test made a payment request on request (`check --create`): the payment
    /// scope's line says creating was tried too, and worked, instead of "not tried".
    pub fn creating_worked(&mut self, payment_request_id: &str) {
        for line in self.scopes.iter_mut().filter(|l| l.scope == "client_paymentrequest") {
            line.note = verdicts::works_and_created(payment_request_id);
        }
    }
}

/// Tests `token` at `api_url`: the client query, then one safe read per granted or `asked`
/// scope that has one, all within the client's one deadline ([`Http::deadline`]). Network
/// failures and answers that are not GraphQL are failures; what the API says about the token
/// is the report.
pub async fn check(
    http: &Http,
    api_url: &str,
    token: &AccessToken,
    granted: &Scopes,
    asked: &Scopes,
) -> Result<CheckReport, Failure> {
    within_deadline(http, api_url, run(http, api_url, token, Some(granted), asked)).await
}

/// Tests a token someone handed over, whose grant is not known: a scope with no safe read is
/// "cannot be checked safely", never "missing" (nothing says it was not granted). With no
/// `asked` scopes, every safe read query is tried.
pub async fn check_handed(
    http: &Http,
    api_url: &str,
    token: &AccessToken,
    asked: &Scopes,
) -> Result<CheckReport, Failure> {
    let asked = match asked.is_empty() {
        true => Scopes::parse(CLIENT_SCOPES.iter().filter(|s| s.safe_read.is_some()).map(|s| s.name)),
        false => asked.clone(),
    };
    within_deadline(http, api_url, run(http, api_url, token, None, &asked)).await
}

/// `test` cut off at the HTTP client's deadline, like a token request (retries included).
async fn within_deadline(
    http: &Http,
    api_url: &str,
    test: impl std::future::Future<Output = Result<CheckReport, Failure>>,
) -> Result<CheckReport, Failure> {
    let deadline = http.deadline();
    tokio::time::timeout(deadline, test).await.unwrap_or_else(|_| Err(deadline_passed(api_url, "API URL", deadline)))
}

/// The test itself; `granted` is `None` when the token's grant is not known.
async fn run(
    http: &Http,
    api_url: &str,
    token: &AccessToken,
    granted: Option<&Scopes>,
    asked: &Scopes,
) -> Result<CheckReport, Failure> {
    let no_grant = Scopes::default();
    let known_grant = granted.is_some();
    let granted = granted.unwrap_or(&no_grant);
    let url = crate::request::check_url(api_url, "API URL")?;
    let api_url = url.to_string();
    let mut report = CheckReport {
        api_url: api_url.clone(),
        accepted: true,
        summary: String::new(),
        client: None,
        scopes: Vec::new(),
        missing_scopes: Vec::new(),
        exchanges: Vec::new(),
    };

    let first = ask(http, &api_url, token, CLIENT_QUERY, &mut report.exchanges).await?;
    if first.unauthenticated {
        report.accepted = false;
        report.summary = "The API did not accept this token: it has expired or is not valid. Get a new token.".into();
        return Ok(report);
    }
    // What the API says about the client is shown: it passes the same redaction as the rest.
    let redactor = Redactor::new(&[token.as_str()]);
    report.client = first.data.as_ref().and_then(|d| d.get("client")).map(|c| {
        let text = redactor.redact(&c.to_string());
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    });
    add_missing(&mut report.missing_scopes, &first.missing);

    let mut all: Vec<String> = granted.iter().map(str::to_owned).collect();
    for s in asked.iter() {
        if !all.iter().any(|a| a == s) {
            all.push(s.to_owned());
        }
    }
    for scope in all {
        let check = match safe_query(&scope) {
            Some(query) => {
                let answer = ask(http, &api_url, token, query, &mut report.exchanges).await?;
                add_missing(&mut report.missing_scopes, &answer.missing);
                if answer.missing.contains(&scope) || answer.forbidden {
                    ScopeCheck {
                        scope: scope.clone(),
                        verdict: Verdict::Missing,
                        answer: verdicts::NO.to_owned(),
                        note: verdicts::missing_says_the_api(&scope),
                    }
                } else if let Some(other) = answer.other_error {
                    return Err(other);
                } else {
                    ScopeCheck {
                        scope: scope.clone(),
                        verdict: Verdict::Works,
                        answer: verdicts::YES.to_owned(),
                        note: verdicts::works(&scope),
                    }
                }
            }
            None if !known_grant => ScopeCheck {
                scope: scope.clone(),
                verdict: Verdict::CannotCheckSafely,
                answer: verdicts::unknown_not_tried(&scope),
                note: verdicts::cannot_check_unknown_grant(&scope),
            },
            None if !granted.contains(&scope) => {
                add_missing(&mut report.missing_scopes, std::slice::from_ref(&scope));
                ScopeCheck {
                    scope: scope.clone(),
                    verdict: Verdict::Missing,
                    answer: verdicts::NO.to_owned(),
                    note: verdicts::missing_not_granted(),
                }
            }
            None => ScopeCheck {
                scope: scope.clone(),
                verdict: Verdict::CannotCheckSafely,
                answer: verdicts::allowed_not_tried(&scope),
                note: verdicts::cannot_check_granted(&scope),
            },
        };
        if check.verdict == Verdict::Missing {
            add_missing(&mut report.missing_scopes, std::slice::from_ref(&scope));
        }
        report.scopes.push(check);
    }

    report.summary = if report.missing_scopes.is_empty() {
        let unchecked = report.scopes.iter().filter(|s| s.verdict == Verdict::CannotCheckSafely).count();
        match unchecked {
            0 => "The token works: the API accepted it for everything that could be checked safely.".into(),
            n => format!(
                "The token works for everything that could be checked safely; {n} scope{} could not be \
                 checked safely (the reason is on {}).",
                if n == 1 { "" } else { "s" },
                if n == 1 { "its line" } else { "each line" }
            ),
        }
    } else {
        format!(
            "The token is missing {}. Get a new token that includes {}.",
            report.missing_scopes.join(", "),
            if report.missing_scopes.len() == 1 { "it" } else { "them" }
        )
    };
    Ok(report)
}

fn add_missing(list: &mut Vec<String>, more: &[String]) {
    for m in more {
        if !list.contains(m) {
            list.push(m.clone());
        }
    }
}

/// What one GraphQL answer said.
struct Answer {
    data: Option<Value>,
    unauthenticated: bool,
    forbidden: bool,
    missing: Vec<String>,
    /// An error code we do not know, as a failure to report if nothing else explains it.
    other_error: Option<Failure>,
}

async fn ask(
    http: &Http,
    url: &str,
    token: &AccessToken,
    query: &str,
    log: &mut Vec<Exchange>,
) -> Result<Answer, Failure> {
    let body = json!({ "query": query }).to_string();
    let (result, exchange) = http.post_graphql(url, token, body, read).await;
    log.push(exchange);
    result
}

/// What a token test's answer says: the data, and whether the token was refused, lacks a
/// scope or met another error.
fn read(answer: ApiAnswer, redactor: &Redactor) -> Result<Answer, Failure> {
    let ApiAnswer { status, bytes, detail } = answer;
    let unexpected = |why: &str| {
        Failure::new(FailureKind::UnexpectedResponse, format!("The API answered, but {why}. Check the API URL."))
            .with_detail(detail.clone())
    };
    if (500..=599).contains(&status) {
        return Err(Failure::new(
            FailureKind::ServerError,
            "The API had a problem of its own. Try the test again in a few minutes.",
        )
        .with_detail(detail));
    }
    let json: Value = serde_json::from_slice(&bytes).map_err(|_| unexpected("not in GraphQL's JSON form"))?;
    if !json.is_object() || (json.get("data").is_none() && json.get("errors").is_none()) {
        return Err(unexpected("not in GraphQL's JSON form"));
    }

    let top_code = json.pointer("/extensions/code").and_then(Value::as_str);
    let errors = json.get("errors").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut answer = Answer {
        data: json.get("data").cloned().filter(|d| !d.is_null()),
        unauthenticated: false,
        forbidden: false,
        missing: Vec::new(),
        other_error: None,
    };
    if top_code == Some("UNAUTHENTICATED") {
        answer.unauthenticated = true;
    }
    for e in &errors {
        let code = e.pointer("/extensions/code").and_then(Value::as_str).or(top_code);
        let message = e.get("message").and_then(Value::as_str).unwrap_or("");
        match code {
            Some("UNAUTHENTICATED") => answer.unauthenticated = true,
            _ if message.starts_with("UNAUTHENTICATED") => answer.unauthenticated = true,
            Some("FORBIDDEN") => {
                answer.forbidden = true;
                let listed = e
                    .pointer("/extensions/missingScopes")
                    .or_else(|| json.pointer("/extensions/missingScopes"))
                    .and_then(Value::as_array);
                // Names the API lists are offered as a one-click fix, so only a scope's shape
                // is taken, and never a text that carries the token back.
                for s in listed.into_iter().flatten().filter_map(Value::as_str) {
                    if crate::scope::check_word(s).is_ok() && !redactor.finds_secret(s) {
                        add_missing(&mut answer.missing, &[s.to_owned()]);
                    }
                }
            }
            other => {
                let code = other.unwrap_or("no code");
                answer.other_error.get_or_insert_with(|| {
                    let mut d = detail.clone();
                    d.oauth_error = Some(Outside::new(code));
                    d.oauth_error_description = Some(Outside::new(redactor.redact(message)));
                    Failure::new(
                        FailureKind::UnexpectedResponse,
                        format!("The API answered with an error Token Desk does not know ({code}). See the details."),
                    )
                    .with_detail(d)
                    .redacted(redactor)
                });
            }
        }
    }
    if !answer.unauthenticated && !answer.forbidden && answer.data.is_none() {
        if let Some(f) = answer.other_error.take() {
            return Err(f);
        }
    }
    Ok(answer)
}
