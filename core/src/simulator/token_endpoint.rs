//! `POST /connect/token`: the client-credentials grant as Stitch's IdentityServer4 answers it.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::json;

use super::{ClientAuth, ClientConfig, Issued, Recorded, State};
use crate::assertion::{Claims, ASSERTION_TYPE};
use crate::clock::unix_seconds;

/// Clock skew IdentityServer allows on assertion times.
const SKEW: i64 = 300;

pub(crate) async fn handle(Extract(state): Extract<Arc<State>>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    state.record(Recorded {
        content_type: header("content-type"),
        authorization: header("authorization"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });

    let fault = state.faults.lock().unwrap().pop_front();
    if let Some(response) = super::play(fault).await {
        return response;
    }

    match issue(&state, header("content-type").as_deref(), header("authorization").is_some(), &body) {
        Ok(answer) => (
            [
                ("content-type", "application/json; charset=UTF-8"),
                ("cache-control", "no-store, no-cache, max-age=0"),
                ("pragma", "no-cache"),
            ],
            answer.to_string(),
        )
            .into_response(),
        Err(error) => {
            let refused =
                if error == "invalid_scope" && state.name_refused_scopes { refused(&state, &body) } else { vec![] };
            let answer = match refused.as_slice() {
                [] => json!({ "error": error }),
                named => json!({ "error": error, "error_description": format!("Invalid scope: {}", named.join(" ")) }),
            };
            (StatusCode::BAD_REQUEST, [("content-type", "application/json; charset=UTF-8")], answer.to_string())
                .into_response()
        }
    }
}

/// The grant, or the RFC 6749 §5.2 error code. Like IdentityServer4, no `error_description`.
fn issue(
    state: &State,
    content_type: Option<&str>,
    has_authorization: bool,
    body: &[u8],
) -> Result<serde_json::Value, &'static str> {
    if !content_type.is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")) {
        return Err("invalid_request");
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| "invalid_request")?;
    let mut form = std::collections::HashMap::new();
    for (k, v) in pairs {
        // RFC 6749 §3.2: parameters must not be repeated.
        if form.insert(k, v).is_some() {
            return Err("invalid_request");
        }
    }
    let field = |name: &str| form.get(name).map(String::as_str);

    // Client authentication comes first, as in IdentityServer4.
    if has_authorization {
        return Err("invalid_client"); // Stitch documents client_secret_post only.
    }
    let client_id = field("client_id").filter(|c| !c.is_empty()).ok_or("invalid_client")?;
    let client = state.clients.get(client_id).ok_or("invalid_client")?;
    let secret = field("client_secret");
    let assertion = field("client_assertion");
    match (&client.auth, secret, assertion) {
        (_, Some(_), Some(_)) => return Err("invalid_client"),
        (ClientAuth::Secret(expected), Some(given), None) => {
            if !constant_time_eq(expected.as_bytes(), given.as_bytes()) {
                return Err("invalid_client");
            }
        }
        (ClientAuth::Certificate { thumbprint, public_key_pkcs1_der, not_before, not_after }, None, Some(jwt)) => {
            let now = state.clock.now();
            if field("client_assertion_type") != Some(ASSERTION_TYPE) || now < *not_before || now >= *not_after {
                return Err("invalid_client");
            }
            check_assertion(state, client, thumbprint, public_key_pkcs1_der, jwt)?;
        }
        _ => return Err("invalid_client"),
    }

    match field("grant_type") {
        Some("client_credentials") => {}
        None | Some("") => return Err("invalid_request"),
        Some(_) => return Err("unsupported_grant_type"),
    }

    let scope = field("scope").unwrap_or("");
    // IdentityServer splits on single spaces: empty pieces (double spaces) or commas fail.
    if scope.is_empty() || scope.split(' ').any(|s| s.is_empty() || s.contains(',')) {
        return Err("invalid_scope");
    }
    let requested: Vec<&str> = scope.split(' ').collect();
    if requested.iter().any(|s| !client.allowed_scopes.iter().any(|a| a == s)) {
        return Err("invalid_scope");
    }
    let mut granted: Vec<String> = Vec::new();
    for s in requested {
        if !client.withheld_scopes.iter().any(|w| w == s) && !granted.iter().any(|g| g == s) {
            granted.push(s.to_owned());
        }
    }
    if granted.is_empty() {
        return Err("invalid_scope");
    }

    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let now = state.clock.now();
    state.keep_issued(
        token.clone(),
        Issued { client_id: client.client_id.clone(), scopes: granted.clone(), expires_at: now + state.lifetime },
    );
    Ok(serde_json::json!({
        "access_token": token,
        "expires_in": state.lifetime.as_secs(),
        "token_type": "Bearer",
        "scope": granted.join(" "),
    }))
}

/// The requested scopes the client may not have, for a server that names them.
fn refused(state: &State, body: &[u8]) -> Vec<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let Some(client) = field("client_id").and_then(|id| state.clients.get(id)) else { return vec![] };
    let scope = field("scope").unwrap_or("");
    scope
        .split(' ')
        .filter(|s| !s.is_empty() && !client.allowed_scopes.iter().any(|a| a == s))
        .map(str::to_owned)
        .collect()
}

/// RFC 7523 §3: signature by the registered certificate (found by `kid`), `iss` = `sub` =
/// client id, `aud` = this token endpoint, time claims within skew, and a `jti` never seen.
fn check_assertion(
    state: &State,
    client: &ClientConfig,
    thumbprint: &str,
    der: &[u8],
    jwt: &str,
) -> Result<(), &'static str> {
    let header = jsonwebtoken::decode_header(jwt).map_err(|_| "invalid_client")?;
    if header.alg != jsonwebtoken::Algorithm::RS256 || header.kid.as_deref() != Some(thumbprint) {
        return Err("invalid_client");
    }
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_exp = false; // checked below against the simulator's clock
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let key = jsonwebtoken::DecodingKey::from_rsa_der(der);
    let claims = jsonwebtoken::decode::<Claims>(jwt, &key, &validation).map_err(|_| "invalid_client")?.claims;

    let now = unix_seconds(state.clock.now());
    let ok = claims.iss == client.client_id
        && claims.sub == client.client_id
        && claims.aud == state.token_url
        && claims.exp + SKEW > now
        && claims.nbf - SKEW <= now
        && claims.iat - SKEW <= now
        && claims.exp - claims.iat <= 3600
        && !claims.jti.is_empty();
    if !ok {
        return Err("invalid_client");
    }
    let mut seen = state.seen_jti.lock().unwrap();
    let now_time = state.clock.now();
    seen.retain(|_, until| *until > now_time);
    if seen.contains_key(&claims.jti) {
        return Err("invalid_client");
    }
    if seen.len() >= super::MAX_HISTORY {
        // Forgetting an unexpired jti would allow its replay: refuse new ones until some expire.
        return Err("temporarily_unavailable");
    }
    seen.insert(claims.jti, now_time + Duration::from_secs((claims.exp - now + SKEW).max(0) as u64));
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
