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

/// The deepest selection sets may nest. Token Desk's own queries nest five deep; the parser
/// recurses once per level, so without a limit a small body nested tens of thousands deep
/// overflows the stack of the thread serving it (2 MiB for a tokio worker) and aborts the
/// whole process, window included. Real GraphQL servers cap depth the same way.
const MAX_DEPTH: usize = 32;

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
        Err(e) => return Json(error(&e.to_string(), e.code(), None)).into_response(),
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

/// Why a query is not answered.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
enum QueryError {
    #[error("Syntax Error: {0}")]
    Syntax(String),
    #[error("Only queries are answered here; mutations are never sent by Token Desk.")]
    NotAQuery,
    #[error("The query is nested too deeply: selection sets may nest at most {MAX_DEPTH} levels.")]
    TooDeep,
}

impl QueryError {
    /// `extensions.code`, as Apollo Server names these failures: a document that does not
    /// parse, and one that parses but breaks a rule of this server (its depth limit, its
    /// read-only schema).
    fn code(&self) -> &'static str {
        match self {
            QueryError::Syntax(_) | QueryError::NotAQuery => "GRAPHQL_PARSE_FAILED",
            QueryError::TooDeep => "GRAPHQL_VALIDATION_FAILED",
        }
    }
}

/// Parses an anonymous or named query into its field tree. Mutations and subscriptions are
/// refused: this API is read-only. Arguments are skipped. Selection sets nested deeper than
/// [`MAX_DEPTH`] are refused before the parser goes any deeper.
fn parse(query: &str) -> Result<Vec<Field>, QueryError> {
    let tokens = tokenize(query);
    let mut pos = 0;
    match tokens.first().map(String::as_str) {
        Some("mutation") | Some("subscription") => return Err(QueryError::NotAQuery),
        Some("query") => {
            pos = 1;
            while pos < tokens.len() && tokens[pos] != "{" {
                pos += 1; // operation name and variable definitions
            }
        }
        _ => {}
    }
    if tokens.get(pos).map(String::as_str) != Some("{") {
        return Err(QueryError::Syntax("Expected \"{\".".into()));
    }
    let (fields, end) = selection(&tokens, pos + 1, 1)?;
    if end != tokens.len() {
        return Err(QueryError::Syntax("Unexpected text after the query.".into()));
    }
    Ok(fields)
}

/// The selection set that starts at `pos` (after its `{`), `depth` levels deep, and the
/// position after its `}`.
fn selection(tokens: &[String], mut pos: usize, depth: usize) -> Result<(Vec<Field>, usize), QueryError> {
    if depth > MAX_DEPTH {
        return Err(QueryError::TooDeep);
    }
    let mut fields = Vec::new();
    loop {
        let Some(t) = tokens.get(pos) else { return Err(QueryError::Syntax("Expected \"}\".".into())) };
        if t == "}" {
            return Ok((fields, pos + 1));
        }
        if !t.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(QueryError::Syntax(format!("Unexpected \"{t}\".")));
        }
        let mut field = Field { name: t.clone(), alias: None, children: Vec::new() };
        pos += 1;
        if tokens.get(pos).map(String::as_str) == Some(":") {
            let name = tokens.get(pos + 1).ok_or_else(|| QueryError::Syntax("Expected a name.".into()))?;
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
            let (children, next) = selection(tokens, pos + 1, depth + 1)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `depth` selection sets nested one in another: `{a{a{a…}}}`.
    fn nested(depth: usize) -> String {
        format!("{}{}", "{a".repeat(depth), "}".repeat(depth))
    }

    fn depth_of(fields: &[Field]) -> usize {
        fields.iter().map(|f| 1 + depth_of(&f.children)).max().unwrap_or(0)
    }

    #[test]
    fn selection_sets_nest_up_to_the_limit_and_no_further() {
        let deepest = parse(&nested(MAX_DEPTH)).expect("32 levels parse");
        assert_eq!(depth_of(&deepest), MAX_DEPTH);
        assert_eq!(parse(&nested(MAX_DEPTH + 1)).unwrap_err(), QueryError::TooDeep);
        assert_eq!(parse(&format!("query Deep {}", nested(MAX_DEPTH + 1))).unwrap_err(), QueryError::TooDeep);
    }

    #[test]
    fn a_64_kib_query_nested_21_800_deep_is_refused_on_a_2_mib_stack() {
        let query = nested(21_800);
        assert!(query.len() <= 64 * 1024, "{}", query.len());
        // The stack of a tokio worker thread, where the simulator parses queries: without the
        // limit this thread overflows it and the whole test process aborts.
        let parsed = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || parse(&query).map(|f| f.len()))
            .unwrap()
            .join()
            .expect("the parser returns instead of overflowing its stack");
        assert_eq!(parsed, Err(QueryError::TooDeep));
        assert_eq!(QueryError::TooDeep.code(), "GRAPHQL_VALIDATION_FAILED");
    }

    #[test]
    fn token_desks_own_queries_still_parse() {
        let q = "query { client { clientId paymentInitiationRequests(first: 1) { edges { node { id } } } } }";
        assert_eq!(depth_of(&parse(q).unwrap()), 5);
        assert_eq!(parse("mutation { x }").unwrap_err(), QueryError::NotAQuery);
        assert_eq!(parse("{ client { id }").unwrap_err().to_string(), "Syntax Error: Expected \"}\".");
    }
}
