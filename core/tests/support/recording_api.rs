//! A GraphQL API on 127.0.0.1 that answers from a script and keeps every request it got: the
//! engine's Try it tests assert the exact bodies sent, and that nothing was sent at all when
//! an input or a live client is refused.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// HTTP 200 with this JSON.
    Json(Value),
    /// This status and raw body.
    Raw(u16, String),
    /// Wait this long, then answer with the JSON.
    Late(Duration, Value),
}

/// A request as it arrived.
#[derive(Debug, Clone)]
pub struct Got {
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

impl Got {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }
}

#[derive(Default)]
struct Log {
    script: VecDeque<Reply>,
    got: Vec<Got>,
}

pub struct RecordingApi {
    pub addr: SocketAddr,
    log: Arc<Mutex<Log>>,
    _server: tokio::task::JoinHandle<()>,
}

impl RecordingApi {
    /// Starts on a free loopback port; answers `script` in order, then HTTP 500.
    pub async fn start(script: impl IntoIterator<Item = Reply>) -> Self {
        let log = Arc::new(Mutex::new(Log { script: script.into_iter().collect(), got: Vec::new() }));
        let state = log.clone();
        let app = axum::Router::new().route(
            "/graphql",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let state = state.clone();
                async move { answer(&state, &headers, body).await }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { addr, log, _server: server }
    }

    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    /// Every request so far.
    pub fn got(&self) -> Vec<Got> {
        self.log.lock().unwrap().got.clone()
    }

    pub fn count(&self) -> usize {
        self.log.lock().unwrap().got.len()
    }
}

async fn answer(state: &Mutex<Log>, headers: &HeaderMap, body: String) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let reply = {
        let mut log = state.lock().unwrap();
        log.got.push(Got { authorization: header("authorization"), content_type: header("content-type"), body });
        log.script.pop_front()
    };
    let json = |v: Value| ([("content-type", "application/json")], v.to_string()).into_response();
    match reply {
        Some(Reply::Json(v)) => json(v),
        Some(Reply::Raw(status, body)) => (StatusCode::from_u16(status).unwrap(), body).into_response(),
        Some(Reply::Late(wait, v)) => {
            tokio::time::sleep(wait).await;
            json(v)
        }
        None => (StatusCode::INTERNAL_SERVER_ERROR, "nothing scripted").into_response(),
    }
}
