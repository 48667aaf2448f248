//! `POST /graphql`: enough of Stitch's API to test a client token safely. Read-only.

use std::sync::Arc;

use axum::extract::State as Extract;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::State;

/// The scope `paymentInitiationRequests` needs.
const PAYMENT_SCOPE: &str = "client_paymentrequest";

pub(crate) async fn handle(
    Extract(state): Extract<Arc<State>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    *state.api_calls.lock().unwrap() += 1;
    let fault = state.api_faults.lock().unwrap().pop_front();
    if let Some(response) = super::play(fault).await {
        return response;
    }
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let now = state.clock.now();
    let holder = token.and_then(|t| {
        state
            .issued
            .lock()
            .unwrap()
            .get(t)
            .filter(|i| i.expires_at > now)
            .map(|i| (i.client_id.clone(), i.scopes.clone()))
    });
    let Some((client_id, scopes)) = holder else {
        return Json(json!({
            "errors": [{ "message": "UNAUTHENTICATED: Token is expired or malformed" }],
            "extensions": { "code": "UNAUTHENTICATED" }
        }))
        .into_response();
    };

    let query = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("query").and_then(Value::as_str).map(str::to_owned));
    let Some(query) = query else {
        return Json(error("Expected a JSON body with a \"query\"", "BAD_REQUEST", None)).into_response();
    };
    let fields = match parse(&query) {
        Ok(f) => f,
        Err(message) => return Json(error(&message, "GRAPHQL_PARSE_FAILED", None)).into_response(),
    };

    let mut data = Map::new();
    let mut errors = Vec::new();
    for field in &fields {
        if field.name != "client" {
            errors.push(
                error(
                    &format!("Cannot query field \"{}\" on type \"Query\".", field.name),
                    "GRAPHQL_VALIDATION_FAILED",
                    None,
                )["errors"][0]
                    .clone(),
            );
            continue;
        }
        let mut client = Map::new();
        for sub in &field.children {
            let value = match sub.name.as_str() {
                "id" => json!(format!("client/{client_id}")),
                "clientId" => json!(client_id),
                "paymentInitiationRequests" if !scopes.iter().any(|s| s == PAYMENT_SCOPE) => {
                    let mut e = error(
                        &format!("Token is missing the following scope: {PAYMENT_SCOPE}"),
                        "FORBIDDEN",
                        Some(vec![PAYMENT_SCOPE]),
                    )["errors"][0]
                        .clone();
                    e["path"] = json!(["client", sub.alias()]);
                    errors.push(e);
                    Value::Null
                }
                "paymentInitiationRequests" => select(
                    &json!({ "edges": [{ "node": { "id": "cGF5cmVxLzAwMDAwMDAwLWRlbW8=", "amount": { "quantity": "1.00", "currency": "ZAR" }, "status": { "__typename": "PaymentInitiationRequestPending" } } }] }),
                    &sub.children,
                ),
                "__typename" => json!("Client"),
                other => {
                    errors.push(
                        error(
                            &format!("Cannot query field \"{other}\" on type \"Client\"."),
                            "GRAPHQL_VALIDATION_FAILED",
                            None,
                        )["errors"][0]
                            .clone(),
                    );
                    Value::Null
                }
            };
            client.insert(sub.alias().to_owned(), value);
        }
        data.insert(field.alias().to_owned(), Value::Object(client));
    }
    let mut answer = json!({ "data": data });
    if !errors.is_empty() {
        answer["errors"] = Value::Array(errors);
    }
    Json(answer).into_response()
}

fn error(message: &str, code: &str, missing: Option<Vec<&str>>) -> Value {
    let mut extensions = json!({ "code": code });
    if let Some(m) = missing {
        extensions["missingScopes"] = json!(m);
    }
    json!({ "errors": [{ "message": message, "extensions": extensions }] })
}

/// A field of a selection set: `alias: name(args) { children }`.
#[derive(Debug)]
struct Field {
    name: String,
    alias: Option<String>,
    children: Vec<Field>,
}

impl Field {
    fn alias(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// Keeps the parts of `value` the selection asks for; lists are mapped element-wise.
fn select(value: &Value, fields: &[Field]) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|i| select(i, fields)).collect()),
        Value::Object(map) if !fields.is_empty() => Value::Object(
            fields
                .iter()
                .map(|f| {
                    (f.alias().to_owned(), map.get(&f.name).map(|v| select(v, &f.children)).unwrap_or(Value::Null))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Parses an anonymous or named query into its field tree. Mutations and subscriptions are
/// refused: this API is read-only. Arguments are skipped.
fn parse(query: &str) -> Result<Vec<Field>, String> {
    let tokens = tokenize(query);
    let mut pos = 0;
    match tokens.first().map(String::as_str) {
        Some("mutation") | Some("subscription") => {
            return Err("Only queries are answered here; mutations are never sent by Token Desk.".into())
        }
        Some("query") => {
            pos = 1;
            while pos < tokens.len() && tokens[pos] != "{" {
                pos += 1; // operation name and variable definitions
            }
        }
        _ => {}
    }
    if tokens.get(pos).map(String::as_str) != Some("{") {
        return Err("Syntax Error: Expected \"{\".".into());
    }
    let (fields, end) = selection(&tokens, pos + 1)?;
    if end != tokens.len() {
        return Err("Syntax Error: Unexpected text after the query.".into());
    }
    Ok(fields)
}

fn selection(tokens: &[String], mut pos: usize) -> Result<(Vec<Field>, usize), String> {
    let mut fields = Vec::new();
    loop {
        let Some(t) = tokens.get(pos) else { return Err("Syntax Error: Expected \"}\".".into()) };
        if t == "}" {
            return Ok((fields, pos + 1));
        }
        if !t.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!("Syntax Error: Unexpected \"{t}\"."));
        }
        let mut field = Field { name: t.clone(), alias: None, children: Vec::new() };
        pos += 1;
        if tokens.get(pos).map(String::as_str) == Some(":") {
            let name = tokens.get(pos + 1).ok_or("Syntax Error: Expected a name.")?;
            field.alias = Some(std::mem::replace(&mut field.name, name.clone()));
            pos += 2;
        }
        if tokens.get(pos).map(String::as_str) == Some("(") {
            while tokens.get(pos).is_some_and(|t| t != ")") {
                pos += 1;
            }
            pos += 1;
        }
        if tokens.get(pos).map(String::as_str) == Some("{") {
            let (children, next) = selection(tokens, pos + 1)?;
            field.children = children;
            pos = next;
        }
        fields.push(field);
    }
}

fn tokenize(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut s = String::from('"');
                for c in chars.by_ref() {
                    s.push(c);
                    if c == '"' {
                        break;
                    }
                }
                out.push(s);
            }
            c if c.is_whitespace() || c == ',' => {}
            c => out.push(c.to_string()),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}
