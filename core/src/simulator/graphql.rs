//! `POST /graphql`: Stitch's API as the simulator serves it, on `async-graphql` over the
//! schema in `schema`, so a document of the wrong shape is refused by a real GraphQL
//! server's validation rules. Answers are HTTP 200 with `errors`, as Stitch's are; a bad or
//! expired token gets Stitch's `UNAUTHENTICATED` body with its top-level `extensions`.

use std::sync::{Arc, LazyLock};

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{EmptySubscription, Schema, ServerError, ServerResult, ValidationResult, Variables};
use axum::extract::State as Extract;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::schema::{Caller, Mutation, Query};
use super::State;

/// The deepest fields may nest. Token Desk's own queries nest five deep; without a limit a
/// small body nested tens of thousands deep costs the server far more than it costs the
/// sender. Real GraphQL servers cap depth the same way.
pub(crate) const MAX_DEPTH: usize = 32;

/// How deep selection sets, fragments included, may nest before validation even starts: the
/// parser's guard, looser than [`MAX_DEPTH`] so inline fragments do not count against a
/// query's depth twice.
const MAX_RECURSION: usize = 64;

/// The most fields one document may ask for (aliases included), so one 64 KiB body cannot
/// ask for the same list thousands of times.
pub(crate) const MAX_COMPLEXITY: usize = 500;

type StitchSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema holds no state (each request carries its [`Caller`]), so one serves every
/// simulator in the process.
static SCHEMA: LazyLock<StitchSchema> = LazyLock::new(|| {
    Schema::build(Query, Mutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_recursive_depth(MAX_RECURSION)
        .limit_complexity(MAX_COMPLEXITY)
        .extension(ErrorCodes)
        .finish()
});

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
    let request = match read_request(&body) {
        Ok(r) => r,
        Err(message) => {
            return Json(json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] }))
                .into_response()
        }
    };
    let response = SCHEMA.execute(request.data(Caller { client_id, scopes, state })).await;
    let mut answer = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
    // A document refused before it ran has no `data` at all (GraphQL over HTTP §7.1.2).
    if response.data == async_graphql::Value::Null && !response.errors.is_empty() {
        if let Some(object) = answer.as_object_mut() {
            object.remove("data");
        }
    }
    Json(answer).into_response()
}

/// `{"query": ..., "variables": {...}?, "operationName": ...?}`, or why it is not one.
fn read_request(body: &[u8]) -> Result<async_graphql::Request, &'static str> {
    const BAD: &str = "Expected a JSON body with a \"query\"";
    let value: Value = serde_json::from_slice(body).map_err(|_| BAD)?;
    let query = value.get("query").and_then(Value::as_str).ok_or(BAD)?;
    let mut request = async_graphql::Request::new(query);
    match value.get("variables") {
        None | Some(Value::Null) => {}
        Some(v @ Value::Object(_)) => request = request.variables(Variables::from_json(v.clone())),
        Some(_) => return Err("\"variables\" must be a JSON object"),
    }
    match value.get("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name),
        Some(_) => return Err("\"operationName\" must be a string"),
    }
    Ok(request)
}

/// Gives refusals before execution the `extensions.code` Apollo Server gives them, which
/// Stitch's API sends too: `GRAPHQL_PARSE_FAILED` for a document that does not parse,
/// `GRAPHQL_VALIDATION_FAILED` for one that breaks the schema or a limit.
struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|e| {
            // The parser's guard against deep nesting, or its own depth limit.
            if e.message.ends_with("stack limit reached") || e.message.starts_with("The recursion depth") {
                return coded(too_deep(), "GRAPHQL_VALIDATION_FAILED");
            }
            // The parser quotes the offending line, which may be the whole 64 KiB document:
            // keep its reason only; `locations` says where.
            let reason = e.message.rsplit_once("= ").map_or(e.message.as_str(), |(_, r)| r).trim();
            coded(ServerError { message: format!("Syntax Error: {reason}"), ..e }, "GRAPHQL_PARSE_FAILED")
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|e| if e.message == "Query is nested too deep." { too_deep() } else { e })
                .map(|e| coded(e, "GRAPHQL_VALIDATION_FAILED"))
                .collect()
        })
    }
}

fn too_deep() -> ServerError {
    ServerError::new(
        format!("The query is nested too deeply: selection sets may nest at most {MAX_DEPTH} levels."),
        None,
    )
}

fn coded(mut error: ServerError, code: &str) -> ServerError {
    error.extensions.get_or_insert_with(Default::default).set("code", code);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's answer to `query`, for a document refused before any resolver runs.
    fn refusal(query: String) -> async_graphql::Response {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(SCHEMA.execute(query))
    }

    #[test]
    fn a_64_kib_query_nested_21_800_deep_is_refused_on_a_2_mib_stack() {
        let depth = 21_800;
        let query = format!("{}{}", "{a".repeat(depth), "}".repeat(depth));
        assert!(query.len() <= 64 * 1024, "{}", query.len());
        // The stack of a tokio worker thread, where the simulator answers queries.
        let errors = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || refusal(query).errors)
            .unwrap()
            .join()
            .expect("the server returns instead of overflowing its stack");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("nested too deeply"), "{}", errors[0].message);
    }

    #[test]
    fn fields_nest_up_to_the_limit_and_no_further() {
        // `ofType` nests as deep as asked, so the limit is reached with valid fields alone.
        let nested = |depth: usize| {
            let inner = format!("{}name{}", "ofType { ".repeat(depth - 3), " }".repeat(depth - 3));
            format!("{{ __schema {{ queryType {{ {inner} }} }} }}")
        };
        let at_limit = refusal(nested(MAX_DEPTH));
        assert!(at_limit.errors.is_empty(), "{:?}", at_limit.errors);
        let over = refusal(nested(MAX_DEPTH + 1));
        assert!(over.errors[0].message.contains("nested too deeply"), "{:?}", over.errors);
    }
}
