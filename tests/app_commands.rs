//! The window's commands on Tauri's mock runtime, against the built-in simulator.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use token_desk_app::state::AppState;

/// An app with the real commands and state, and its main window.
struct Harness {
    app: App<MockRuntime>,
    /// The simulator's demo files, one folder per test.
    _dir: tempfile::TempDir,
    window: WebviewWindow<MockRuntime>,
    /// The serialized text of every response, success or error, for the secret check.
    seen: Vec<String>,
}

impl Harness {
    /// The app on a context without configuration or capabilities.
    fn new() -> Self {
        Self::with_context(mock_context(noop_assets()), "main")
    }

    /// The app on its real configuration and capabilities, with a window labelled `label`.
    fn configured(label: &str) -> Self {
        Self::with_context(tauri::generate_context!(), label)
    }

    fn with_context(context: tauri::Context<MockRuntime>, label: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::with_simulator_dir(dir.path().to_path_buf());
        let app = token_desk_app::build_app(mock_builder(), state).build(context).expect("app builds");
        // The real configuration creates its "main" window while building the app.
        let window = match app.get_webview_window(label) {
            Some(w) => w,
            None => WebviewWindowBuilder::new(&app, label, Default::default()).build().expect("window builds"),
        };
        Self { app, _dir: dir, window, seen: Vec::new() }
    }

    fn call(&mut self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        let response = get_ipc_response(&self.window, request).map(|b| b.deserialize::<Value>().unwrap());
        self.seen.push(match &response {
            Ok(v) | Err(v) => v.to_string(),
        });
        response
    }

    /// Starts the simulator through the app; returns the demo view.
    fn start_demo(&mut self) -> Value {
        self.call("start_demo", json!({})).expect("the simulator starts")
    }

    fn demo_secret(&self) -> String {
        let state = self.app.state::<AppState>();
        state.started_simulator().expect("simulator started").demo().secret.clone()
    }

    fn get_token(&mut self, demo: &Value, scopes: &[&str]) -> Result<Value, Value> {
        let form = json!({
            "client_id": demo["client_id"],
            "scopes": scopes,
            "token_url": demo["token_url"],
        });
        self.call("get_token", json!({ "form": form }))
    }
}

#[test]
fn the_scopes_command_lists_the_eight_stitch_client_scopes_with_descriptions() {
    let mut h = Harness::new();
    let scopes = h.call("scopes", json!({})).unwrap();
    let scopes = scopes.as_array().unwrap();
    assert_eq!(scopes.len(), 8);
    assert!(scopes.iter().any(|s| s["name"] == "client_paymentrequest"));
    assert!(scopes.iter().all(|s| !s["description"].as_str().unwrap().is_empty()));
}

#[test]
fn the_demo_fills_in_a_client_and_the_simulator_gives_it_a_token() {
    let mut h = Harness::new();
    let demo = h.start_demo();
    assert!(demo["token_url"].as_str().unwrap().starts_with("http://127.0.0.1:"));
    assert_eq!(demo["scopes"], json!(["client_paymentrequest"]));
    assert_eq!(demo["secret_set"], json!(true));

    let token = h.get_token(&demo, &["client_paymentrequest"]).expect("a token");
    let access = token["access_token"].as_str().unwrap();
    assert!(!access.is_empty());
    assert_ne!(token["masked"].as_str().unwrap(), access);
    assert_eq!(token["granted"], json!(["client_paymentrequest"]));
    assert_eq!(token["requested"], json!(["client_paymentrequest"]));
    assert_eq!(token["from_cache"], json!(false));
    assert!(token["expires_in"].as_u64().unwrap() > 0);
    assert!(token["expires_at"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn a_second_request_for_the_same_token_comes_from_the_cache() {
    let mut h = Harness::new();
    let demo = h.start_demo();
    let first = h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    let second = h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    assert_eq!(second["from_cache"], json!(true));
    assert_eq!(first["access_token"], second["access_token"]);
}

#[test]
fn starting_the_demo_twice_keeps_one_simulator() {
    let mut h = Harness::new();
    let first = h.start_demo();
    let second = h.start_demo();
    assert_eq!(first["token_url"], second["token_url"]);
}

#[test]
fn a_wrong_secret_is_refused_as_invalid_client_with_a_plain_message() {
    let mut h = Harness::new();
    let demo = h.start_demo();
    h.call("set_secret", json!({ "secret": "not-the-demo-secret" })).unwrap();
    let failure = h.get_token(&demo, &["client_paymentrequest"]).unwrap_err();
    assert_eq!(failure["kind"], json!("invalid_client"));
    assert!(!failure["message"].as_str().unwrap().is_empty());
    assert!(failure["detail"].is_object());
}

#[test]
fn asking_for_a_token_before_any_secret_is_entered_is_refused_as_bad_input() {
    let mut h = Harness::new();
    let form = json!({ "client_id": "test-client", "scopes": ["client_paymentrequest"] });
    let failure = h.call("get_token", json!({ "form": form })).unwrap_err();
    assert_eq!(failure["kind"], json!("bad_input"));
}

#[test]
fn no_command_ever_returns_a_secret() {
    let mut h = Harness::new();
    let typed = "typed-secret-7f3a9c1e5b";
    h.call("scopes", json!({})).unwrap();
    let demo = h.start_demo();
    let demo_secret = h.demo_secret();
    h.get_token(&demo, &["client_paymentrequest"]).unwrap();
    h.get_token(&demo, &["client_paymentrequest", "client_refund", "client_paymentrequests"]).ok();
    h.call("set_secret", json!({ "secret": demo_secret })).unwrap();
    h.start_demo();
    h.call("set_secret", json!({ "secret": typed })).unwrap();
    h.get_token(&demo, &["client_paymentrequest"]).unwrap_err();
    h.get_token(&demo, &[]).unwrap_err();
    let form =
        json!({ "client_id": demo["client_id"], "scopes": ["client_refund"], "token_url": "http://example.com/token" });
    h.call("get_token", json!({ "form": form })).unwrap_err();

    assert!(h.seen.len() >= 10);
    for response in &h.seen {
        assert!(!response.contains(&demo_secret), "the demo secret leaked: {response}");
        assert!(!response.contains(typed), "a typed secret leaked: {response}");
    }
}

#[test]
fn the_main_windows_capability_allows_every_app_command() {
    let mut h = Harness::configured("main");
    assert!(h.call("scopes", json!({})).is_ok());
    assert!(h.call("set_secret", json!({ "secret": "x" })).is_ok());
    let demo = h.start_demo();
    assert!(h.get_token(&demo, &["client_paymentrequest"]).is_ok());
}

#[test]
fn a_window_without_a_capability_cannot_call_the_commands() {
    let mut h = Harness::configured("other");
    for cmd in ["scopes", "start_demo"] {
        let refusal = h.call(cmd, json!({})).unwrap_err();
        assert!(refusal.as_str().unwrap().contains("not allowed"), "{refusal}");
    }
}
