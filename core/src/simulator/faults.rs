//! Scripted faults: answers the tests queue for the next token or GraphQL requests.

use std::time::Duration;

/// A scripted answer for the next token request, for testing failures.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status, headers and body instead of processing the request.
    Respond { status: u16, headers: Vec<(String, String)>, body: String },
    /// Wait this long, then process the request normally.
    Stall(Duration),
}

impl Fault {
    pub fn status(status: u16, body: &str) -> Self {
        Fault::Respond { status, headers: vec![("content-type".into(), "application/json".into())], body: body.into() }
    }
}

/// Carries out a scripted fault: the response to send instead, or `None` to go on normally
/// (after a stall).
pub(crate) async fn play(fault: Option<Fault>) -> Option<axum::response::Response> {
    use axum::response::IntoResponse;
    match fault? {
        Fault::Respond { status, headers, body } => {
            let status =
                axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, body).into_response();
            for (k, v) in headers {
                if let (Ok(k), Ok(v)) = (k.parse::<axum::http::HeaderName>(), v.parse()) {
                    response.headers_mut().insert(k, v);
                }
            }
            Some(response)
        }
        Fault::Stall(d) => {
            tokio::time::sleep(d).await;
            None
        }
    }
}
