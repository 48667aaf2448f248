//! One app on Tauri's mock runtime with the real commands and state, its main window and an
//! in-memory clipboard: the harness every `*_commands.rs` test drives the backend through.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use token_desk_app::clipboard::MemoryClipboard;
use token_desk_app::state::AppState;
use token_desk_core::simulator::{demo, Simulator};

/// Options for a desk.
pub struct Setup {
    /// `None`: a context without configuration or capabilities; else the real configuration
    /// and a window with this label.
    pub configured: Option<&'static str>,
    /// How long a copy stays on the clipboard.
    pub clear_after: Duration,
    /// The simulator's token lifetime, when not its default.
    pub lifetime: Option<Duration>,
    /// `Some(dir)`: the simulator's files and a profiles file in `dir`, which the test owns (so
    /// that a second desk can open the same profiles); `None`: a folder of the desk's own and
    /// no profiles file.
    pub folder: Option<PathBuf>,
    /// With no `folder`: whether the desk's own folder holds a profiles file too.
    pub profiles: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self { configured: None, clear_after: Duration::from_secs(60), lifetime: None, folder: None, profiles: false }
    }
}

/// An app with the real commands and state, and its window.
pub struct Desk {
    pub app: App<MockRuntime>,
    /// The folder of the simulator's demo files (and the profiles file, when opened over one).
    pub dir: PathBuf,
    /// The folder the desk made for itself, removed when it is dropped.
    _own: Option<tempfile::TempDir>,
    pub window: WebviewWindow<MockRuntime>,
    pub clipboard: Arc<MemoryClipboard>,
    /// The serialized text of every response, success or error: for the secret checks.
    pub seen: Vec<String>,
    /// Every command called.
    pub called: BTreeSet<String>,
}

impl Desk {
    /// A desk in a folder of its own, without the configuration.
    pub fn new() -> Self {
        Self::with(Setup::default())
    }

    /// A desk with the real configuration and capabilities, and a window labelled `label`.
    pub fn configured(label: &'static str) -> Self {
        Self::with(Setup { configured: Some(label), ..Setup::default() })
    }

    /// A desk (its own state, keyring handle and engine) over the profiles file in `dir`.
    pub fn open(dir: &Path) -> Self {
        Self::with(Setup { folder: Some(dir.to_owned()), ..Setup::default() })
    }

    /// A desk in a folder of its own (`dir`), with a profiles file there.
    pub fn with_profiles() -> Self {
        Self::with(Setup { profiles: true, ..Setup::default() })
    }

    pub fn with(setup: Setup) -> Self {
        let own = match setup.folder {
            Some(_) => None,
            None => Some(tempfile::tempdir().unwrap()),
        };
        let dir = setup.folder.clone().unwrap_or_else(|| own.as_ref().unwrap().path().to_owned());
        let clipboard = Arc::new(MemoryClipboard::default());
        let mut state =
            AppState::with_simulator_dir(dir.join("simulator")).with_clipboard(clipboard.clone(), setup.clear_after);
        if setup.folder.is_some() || setup.profiles {
            state = state.with_profiles_file(dir.join("config").join("profiles.json"));
        }
        if let Some(lifetime) = setup.lifetime {
            state = state.with_simulator_lifetime(lifetime);
        }
        let context = match setup.configured {
            Some(_) => tauri::generate_context!(),
            None => mock_context(noop_assets()),
        };
        let label = setup.configured.unwrap_or("main");
        let app = token_desk_app::build_app(mock_builder(), state).build(context).expect("app builds");
        // The real configuration creates its "main" window while building the app.
        let window = match app.get_webview_window(label) {
            Some(w) => w,
            None => WebviewWindowBuilder::new(&app, label, Default::default()).build().expect("window builds"),
        };
        Self { app, dir, _own: own, window, clipboard, seen: Vec::new(), called: BTreeSet::new() }
    }

    /// Calls `cmd` as the page would, and records the answer.
    pub fn call(&mut self, cmd: &str, args: Value) -> Result<Value, Value> {
        let response = super::invoke(&self.window, cmd, args);
        self.called.insert(cmd.to_owned());
        self.seen.push(match &response {
            Ok(v) | Err(v) => v.to_string(),
        });
        response
    }

    /// The answer of `cmd`, which must succeed.
    pub fn ok(&mut self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone()).unwrap_or_else(|e| panic!("{cmd} {args} failed: {e}"))
    }

    /// The error of `cmd`, which must fail.
    pub fn err(&mut self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone()).expect_err(&format!("{cmd} {args} should fail"))
    }

    /// A refusal of `cmd`, with its message.
    pub fn refused(&mut self, cmd: &str, args: Value) -> String {
        let refusal = self.call(cmd, args.clone()).expect_err(&format!("{cmd} {args} must be refused"));
        refusal["message"].as_str().unwrap_or_else(|| panic!("a refusal without a message: {refusal}")).to_owned()
    }

    /// Starts the simulator through the app and fills in a demo client; returns the demo view.
    pub fn start_demo(&mut self, client: &str) -> Value {
        self.call("start_demo", json!({ "client": client })).expect("the simulator starts")
    }

    /// Asks for a token for `demo` (a `start_demo` view) with `scopes`, as the page does.
    pub fn get_token(&mut self, demo: &Value, scopes: &[&str]) -> Result<Value, Value> {
        self.call("get_token", json!({ "form": form(demo, scopes) }))
    }

    /// Starts the simulator and fills in its demo secret client; returns its token URL.
    pub fn demo(&mut self) -> String {
        self.ok("start_demo", json!({ "client": "secret" }))["token_url"].as_str().unwrap().to_owned()
    }

    /// A desk that keeps profiles, with the demo secret held for the simulator's token URL
    /// (returned) and a profile name starting with `prefix` that no other test uses.
    pub fn for_a_profile(prefix: &str) -> (Self, String, String) {
        let mut desk = Self::with_profiles();
        let token_url = desk.demo();
        (desk, token_url, super::unique(prefix))
    }

    /// Starts the simulator with the demo `client` and gets it a token for `scopes`; returns
    /// the demo view.
    pub fn demo_with_token(&mut self, client: &str, scopes: &[&str]) -> Value {
        let demo = self.start_demo(client);
        self.get_token(&demo, scopes).unwrap_or_else(|e| panic!("no token for {client} {scopes:?}: {e}"));
        demo
    }

    /// Answers the next file chooser with `path`, as the user would by picking it.
    pub fn choose(&self, path: impl Into<PathBuf>) {
        self.app.state::<AppState>().chooser.answer_next(Some(path.into()));
    }

    pub fn simulator(&self) -> &Simulator {
        self.app.state::<AppState>().inner().started_simulator().expect("simulator started")
    }

    /// How many token requests reached the simulator.
    pub fn requests(&self) -> usize {
        self.simulator().token_requests()
    }

    /// The listed profile called `name`, or null.
    pub fn profile(&mut self, name: &str) -> Value {
        let listed = self.ok("list_profiles", json!({}));
        listed["profiles"].as_array().unwrap().iter().find(|p| p["name"] == name).cloned().unwrap_or(Value::Null)
    }

    /// Fails if any response held `secret`.
    pub fn assert_never_shown(&self, secret: &str) {
        for text in &self.seen {
            assert!(!text.contains(secret), "a response holds {secret}: {text}");
        }
    }

    /// Fails unless the window may make each call (its capability allows it).
    pub fn assert_allowed<'a>(&mut self, calls: impl IntoIterator<Item = (&'a str, Value)>) {
        for (cmd, args) in calls {
            assert!(self.call(cmd, args).is_ok(), "{cmd} was refused");
        }
    }

    /// Fails unless each command is refused as not allowed to this window.
    pub fn assert_not_allowed(&mut self, commands: &[&str]) {
        for cmd in commands {
            let refusal = self.call(cmd, json!({})).unwrap_err();
            assert!(refusal.as_str().unwrap().contains("not allowed"), "{cmd}: {refusal}");
        }
    }

    /// Fails if any response held the secret or a private key.
    pub fn assert_no_secret(&self, secret: &str) {
        for text in &self.seen {
            assert!(!text.contains(secret), "a response holds the secret: {text}");
            assert!(!text.contains("PRIVATE KEY"), "a response holds a private key: {text}");
        }
    }
}

/// The token form for `demo` (a `start_demo` view) asking for `scopes`, as the page sends it.
pub fn form(demo: &Value, scopes: &[&str]) -> Value {
    json!({
        "client_id": demo["client_id"],
        "auth": demo["auth"],
        "scopes": scopes,
        "token_url": demo["token_url"],
        "audience": demo["audience"],
    })
}

/// The snippet and collection settings for `demo` asking for `scopes`, as the page sends them
/// (`snippetSettings()` in ui/form.js).
pub fn settings(demo: &Value, scopes: &[&str]) -> Value {
    let mut settings = form(demo, scopes);
    settings["api_url"] = Value::Null;
    settings
}

/// The app's commands as tauri-build generated their permissions from build.rs's manifest
/// (`permissions/autogenerated/<command>.toml`): each command with its `allow-` identifier,
/// what a capability grants.
pub fn generated_permissions() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("permissions/autogenerated");
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("tauri-build wrote the app's permissions") {
        let path = entry.unwrap().path();
        let Some(command) =
            path.file_stem().and_then(|s| s.to_str()).filter(|_| path.extension() == Some("toml".as_ref()))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let allow = text
            .lines()
            .filter_map(|l| l.strip_prefix("identifier = \"allow-"))
            .map(|rest| format!("allow-{}", rest.trim_end_matches('"')))
            .next()
            .unwrap_or_else(|| panic!("{} grants no allow- permission", path.display()));
        found.insert(command.to_owned(), allow);
    }
    found
}

/// The commands `src-tauri/lib.rs` registers with `tauri::generate_handler!`, by name.
pub fn registered_commands() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/lib.rs")).unwrap();
    let start = lib.find("generate_handler![").expect("lib.rs registers its commands") + "generate_handler![".len();
    let end = start + lib[start..].find(']').unwrap();
    lib[start..end]
        .split(',')
        .map(|c| c.trim().rsplit("::").next().unwrap().to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

/// The commands the secrets walk-through (`guarded_commands.rs`) calls, every one (the first window's ten).
pub const WALKED: &str =
    "defaults scope_hints start_demo set_secret forget_credential choose_certificate get_token cancel_token reveal_token copy";

impl Desk {
    /// Has the user choose the certificate file at `path` for the demo's client and token URL.
    pub fn choose_certificate(&mut self, path: impl Into<std::path::PathBuf>) -> Result<Value, Value> {
        self.choose(path);
        let args = json!({ "clientId": demo::CERTIFICATE_CLIENT_ID, "tokenUrl": null });
        self.call("choose_certificate", args)
    }

    /// Hands `secret` to the backend for the demo's secret client at `token_url`.
    pub fn set_secret(&mut self, secret: &str, token_url: &Value) -> Value {
        let args = json!({ "secret": secret, "clientId": demo::SECRET_CLIENT_ID, "tokenUrl": token_url });
        self.call("set_secret", args).expect("set_secret never fails")
    }

    pub fn get_new_token(&mut self, demo: &Value, scopes: &[&str]) -> Result<Value, Value> {
        let mut form = form(demo, scopes);
        form["force"] = json!(true);
        self.call("get_token", json!({ "form": form }))
    }

    pub fn copy(&mut self, what: &str) -> Result<Value, Value> {
        self.call("copy", json!({ "what": what }))
    }
}

/// Waits up to `limit` for `done`, checking every 20 ms.
pub fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}
