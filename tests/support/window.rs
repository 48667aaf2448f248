//! The real Token Desk window for the `window*.rs` tests, launched by `tauri-driver`
//! (which runs WebKitWebDriver) and driven over WebDriver with `fantoccini`, plus a Stitch
//! simulator in the test process, an axe-core accessibility check and WebDriver screenshots.
//!
//! Every window gets fresh XDG folders, so every test is a first run. The driver is stopped
//! with SIGTERM (never SIGKILL: WebKitWebDriver would keep the native port) by a drop guard, so
//! a failing test cleans up too.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tempfile::TempDir;
use token_desk_core::simulator::{demo, Simulator, SimulatorConfig};

/// The window binary cargo built for these tests.
const APP: &str = env!("CARGO_BIN_EXE_token-desk-app");
/// `npm ci --prefix tests/e2e` puts axe-core here.
const AXE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/node_modules/axe-core/axe.min.js");
/// How WebDriver marks an element reference in JSON (W3C WebDriver §12.1).
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long anything on screen may take to appear; generous for 2 busy cores.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// Whether the window tests should run. Without `TOKEN_DESK_E2E=1` the test says why it is
/// skipped (one line on stderr) and returns; with it, a missing prerequisite fails the test.
pub use super::skip::window_tests as enabled;

/// A window test's start: a simulator whose tokens live `token_lifetime`, and a first-run
/// window with `env` added to the app's environment. None (after the `skipped:` line) when
/// the window tests are off.
pub async fn stitch_and_window(token_lifetime: Duration, env: &[(&str, &str)]) -> Option<(Stitch, Window)> {
    let stitch = stitch_if_enabled(token_lifetime).await?;
    Some((stitch, Window::open(env).await))
}

/// A simulator whose tokens live `token_lifetime`, or None (after the `skipped:` line) when
/// the window tests are off.
pub async fn stitch_if_enabled(token_lifetime: Duration) -> Option<Stitch> {
    if !enabled() {
        return None;
    }
    Some(Stitch::start(token_lifetime).await)
}

/// A simulator of Stitch on 127.0.0.1, with its demo certificate in a folder of its own.
pub struct Stitch {
    pub simulator: Simulator,
    _data: TempDir,
}

impl Stitch {
    pub async fn start(token_lifetime: Duration) -> Self {
        let data = TempDir::new().expect("a temporary folder for the simulator");
        let simulator = Simulator::start(SimulatorConfig {
            token_lifetime,
            data_dir: data.path().to_path_buf(),
            ..SimulatorConfig::default()
        })
        .await
        .expect("the simulator starts");
        Self { simulator, _data: data }
    }

    /// Whether `token` opens the simulator's GraphQL API (so it is the whole, real token).
    pub async fn accepts(&self, token: &str) -> bool {
        let answer: Value = reqwest::Client::new()
            .post(self.simulator.api_url())
            .bearer_auth(token)
            .json(&json!({ "query": "query { client { id clientId } }" }))
            .send()
            .await
            .expect("the simulator's API answers")
            .json()
            .await
            .expect("the simulator's API answers JSON");
        answer.pointer("/data/client/clientId").is_some()
    }
}

/// Answers the window's file chooser, which a test cannot click: a debug build of the app
/// reads the path to pick from this file (named by `TOKEN_DESK_TEST_CHOOSER_ANSWER`) each
/// time a chooser opens; an empty file is a cancelled chooser.
pub struct ChooserAnswer {
    dir: TempDir,
}

impl ChooserAnswer {
    pub const ENV: &'static str = "TOKEN_DESK_TEST_CHOOSER_ANSWER";

    pub fn new() -> Self {
        let answer = Self { dir: TempDir::new().expect("a folder for the chooser's answer") };
        answer.pick(Path::new(""));
        answer
    }

    /// The answer file, for the app's environment.
    pub fn file(&self) -> String {
        self.dir.path().join("answer").display().to_string()
    }

    /// The next chooser picks `path`.
    pub fn pick(&self, path: &Path) {
        std::fs::write(self.file(), path.display().to_string()).expect("the chooser's answer is written");
    }
}

/// The Token Desk window, driven through WebDriver.
pub struct Window {
    pub client: Client,
    // Dropped after the client: stops tauri-driver, WebKitWebDriver and the app.
    driver: Driver,
}

impl Window {
    /// Launches the app on a first run (fresh XDG folders), with `env` added to its environment.
    pub async fn open(env: &[(&str, &str)]) -> Self {
        Self::launch(Driver::start(env, None)).await
    }

    /// A window whose file chooser answers with what the test picks.
    pub async fn open_with_chooser() -> (Self, ChooserAnswer) {
        let chooser = ChooserAnswer::new();
        let window = Self::open(&[(ChooserAnswer::ENV, &chooser.file())]).await;
        (window, chooser)
    }

    /// Launches the app with its XDG folders under `xdg` (created if missing), so a second
    /// launch with the same `xdg` is the same user's app after a restart.
    pub async fn open_with_xdg(xdg: &Path, env: &[(&str, &str)]) -> Self {
        Self::launch(Driver::start(env, Some(xdg))).await
    }

    /// Launches the app on a first run with XDG folders that outlive it: `open_with_xdg` with
    /// them is then the same user's app after a restart.
    pub async fn open_for_a_restart() -> (TempDir, Self) {
        let xdg = TempDir::new().expect("the user's XDG folders, kept across the restart");
        let window = Self::open_with_xdg(xdg.path(), &[]).await;
        (xdg, window)
    }

    /// Launches the app on a first run with these command-line arguments (e.g. `--presenter`).
    pub async fn open_with_args(args: &[&str]) -> Self {
        let mut driver = Driver::start(&[], None);
        driver.args = args.iter().map(|a| a.to_string()).collect();
        Self::launch(driver).await
    }

    async fn launch(driver: Driver) -> Self {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "TOKEN_DESK_E2E=1 but DISPLAY is not set: run under Xvfb (scripts/test does)"
        );
        assert!(Path::new(AXE).is_file(), "axe-core is missing ({AXE}): install it with `npm ci --prefix tests/e2e`");
        let client = driver.new_session().await;
        let window = Self { client, driver };
        window.by_id("get-token").await; // the page has loaded and the form is there
        window
    }

    /// The file names of the shared libraries the app's own process has mapped
    /// (`/proc/PID/maps`): what it set up, seen from outside.
    pub fn app_libraries(&self) -> std::collections::BTreeSet<String> {
        let pid = self.driver.app_pid().expect("the app runs below this test's tauri-driver");
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("the app's memory map reads");
        maps.lines()
            .filter_map(|line| line.split_whitespace().nth(5))
            .filter_map(|path| Path::new(path).file_name()?.to_str().map(str::to_owned))
            .collect()
    }

    /// The settings file where the app keeps its profiles (below its `XDG_CONFIG_HOME`).
    pub fn profiles_file(&self) -> PathBuf {
        xdg_folder(&self.driver.xdg, "XDG_CONFIG_HOME").join("token-desk").join("profiles.json")
    }

    /// The app's `XDG_CACHE_HOME`, where WebKit and Mesa keep their caches.
    pub fn cache_folder(&self) -> PathBuf {
        xdg_folder(&self.driver.xdg, "XDG_CACHE_HOME")
    }

    /// Ends the WebDriver session (which closes the app), then the driver.
    pub async fn close(self) {
        let Window { client, driver: _driver } = self;
        let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    }

    /// The element with this id, waiting for it to exist.
    pub async fn by_id(&self, id: &str) -> Element {
        self.wait_for(&format!("an element with id \"{id}\""), || async move {
            self.client.find(Locator::Id(id)).await.ok()
        })
        .await
    }

    /// The control whose accessible name is `name` (its label, `aria-labelledby`,
    /// `aria-label`, or a button's text), preferring a visible one; waits for it to exist.
    pub async fn by_name(&self, name: &str) -> Element {
        self.wait_for(&format!("exactly one control named \"{name}\""), || async move {
            let found = self.client.execute(FIND_BY_NAME, vec![json!(name)]).await.ok()?;
            let id = found.get(ELEMENT_KEY)?.as_str()?.to_owned();
            Some(Element::from_element_id(self.client.clone(), ElementRef::from(id)))
        })
        .await
    }

    pub async fn click_id(&self, id: &str) {
        self.click(&self.by_id(id).await, &format!("#{id}")).await;
    }

    pub async fn click_name(&self, name: &str) {
        self.click(&self.by_name(name).await, &format!("\"{name}\"")).await;
    }

    /// Clicks `element` after scrolling it to the middle of the window. WebDriver alone
    /// scrolls it to the bottom edge, where the form's sticky action bar covers it.
    pub async fn click(&self, element: &Element, what: &str) {
        let arg = serde_json::to_value(element).expect("an element reference serializes");
        self.client
            .execute("arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });", vec![arg])
            .await
            .unwrap_or_else(|e| panic!("scrolling to {what}: {e:?}"));
        element.click().await.unwrap_or_else(|e| panic!("clicking {what}: {e:?}"));
    }

    /// Replaces the text of the field named `name` with `text`, as typed.
    /// Chooses the saved profile `name` ("" for none) in the Profile list, once the list shows
    /// it: the page fills the list when the backend's first answer arrives, which can come
    /// after the form is there.
    pub async fn choose_profile(&self, name: &str) {
        let list = self.by_name("Profile").await;
        let option = format!("option[value='{name}']");
        let deadline = Instant::now() + PATIENCE;
        while list.find(Locator::Css(&option)).await.is_err() {
            assert!(
                Instant::now() < deadline,
                "profile {name:?} is not listed after {PATIENCE:?}\n{}",
                self.summary().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        list.select_by_value(name).await.unwrap_or_else(|e| panic!("choosing profile {name:?}: {e}"));
    }

    pub async fn type_into(&self, name: &str, text: &str) {
        let field = self.by_name(name).await;
        field.clear().await.unwrap_or_else(|e| panic!("clearing \"{name}\": {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("typing into \"{name}\": {e}"));
    }

    /// Ticks the checkbox named `name` unless it is ticked.
    pub async fn tick(&self, name: &str) {
        let boxed = self.by_name(name).await;
        if !boxed.is_selected().await.expect("a checkbox's state") {
            self.click(&boxed, &format!("the checkbox \"{name}\"")).await;
        }
        assert!(self.is_ticked(name).await, "\"{name}\" did not become ticked");
    }

    pub async fn is_ticked(&self, name: &str) -> bool {
        self.by_name(name).await.is_selected().await.expect("a checkbox's state")
    }

    /// The value of the field named `name`.
    pub async fn value_of(&self, name: &str) -> String {
        self.by_name(name).await.prop("value").await.expect("a field's value").unwrap_or_default()
    }

    /// Waits until the field named `name` holds `value`, and returns it.
    pub async fn wait_for_value(&self, name: &str, value: &str) -> String {
        self.wait_for(&format!("\"{name}\" to hold {value:?}"), || async move {
            let now = self.value_of(name).await;
            (now == value).then_some(now)
        })
        .await
    }

    /// Whether the "Advanced" section (a `<details>`) is open.
    pub async fn advanced_is_open(&self) -> bool {
        let summary = serde_json::to_value(self.by_name("Advanced").await).expect("an element reference serializes");
        let open = self.client.execute("return arguments[0].closest('details').open;", vec![summary]).await;
        open.expect("the Advanced section's state").as_bool().expect("\"Advanced\" is the summary of a <details>")
    }

    /// Opens the "Advanced" section, as a person would, and points the window at `token_url`.
    pub async fn set_token_url(&self, token_url: &str) {
        if !self.advanced_is_open().await {
            self.click_name("Advanced").await;
        }
        assert!(self.advanced_is_open().await, "clicking \"Advanced\" does not open it");
        self.type_into("Token URL", token_url).await;
    }

    /// Fills in the simulator's demo secret client with `secret` and `scopes` ticked, then points
    /// the window at `token_url`.
    pub async fn fill_in_secret_client(&self, token_url: &str, secret: &str, scopes: &[&str]) {
        self.type_into("Client ID", demo::SECRET_CLIENT_ID).await;
        self.type_into("Client secret", secret).await;
        for scope in scopes {
            self.tick(scope).await;
        }
        self.set_token_url(token_url).await;
    }

    /// Fills in the demo secret client with its secret typed after `token_url`: the secret is
    /// entered for the token URL it goes to (it is bound to that origin).
    pub async fn fill_in_secret_client_for(&self, token_url: &str, scopes: &[&str]) {
        self.type_into("Client ID", demo::SECRET_CLIENT_ID).await;
        self.set_token_url(token_url).await;
        self.type_into("Client secret", demo::SECRET).await;
        for scope in scopes {
            self.tick(scope).await;
        }
    }

    /// Clicks "Get token" and returns the masked token once it is shown.
    pub async fn get_token(&self) -> String {
        self.click_name("Get token").await;
        self.shown_token().await
    }

    /// Opens the `<details>` with this id by clicking its summary, as a person would.
    pub async fn open_details(&self, id: &str) {
        let summary = self
            .client
            .find(Locator::Css(&format!("#{id} > summary")))
            .await
            .unwrap_or_else(|e| panic!("the summary of #{id}: {e}"));
        self.click(&summary, &format!("the summary of #{id}")).await;
        let open = self.client.execute(&format!("return document.getElementById('{id}').open;"), vec![]).await;
        assert_eq!(open.ok().and_then(|v| v.as_bool()), Some(true), "#{id} did not open");
    }

    /// Runs `script` in the page and returns its answer.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap_or_else(|e| panic!("running {script:?}: {e}"))
    }

    /// The whole page source, hidden parts included.
    pub async fn page_source(&self) -> String {
        self.js("return document.documentElement.outerHTML;", vec![]).await.as_str().unwrap_or_default().to_owned()
    }

    /// The rendered text of the element with this id ("" when it is hidden).
    pub async fn text_of(&self, id: &str) -> String {
        self.by_id(id).await.text().await.unwrap_or_else(|e| panic!("the text of #{id}: {e}"))
    }

    /// Waits until the element with this id shows text that satisfies `ok`, and returns it.
    pub async fn wait_text(&self, id: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let element = self.by_id(id).await;
        let mut last = String::new();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(text) = element.text().await {
                if ok(&text) {
                    return text;
                }
                last = text;
            }
            if Instant::now() > deadline {
                panic!("#{id} never showed {what} within {PATIENCE:?}; it shows {last:?}\n{}", self.summary().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element with this id is shown, and returns it.
    pub async fn wait_shown(&self, id: &str) -> Element {
        let element = self.by_id(id).await;
        self.wait_for(&format!("#{id} shown"), || {
            let element = element.clone();
            async move { element.is_displayed().await.ok().filter(|shown| *shown).map(|_| element) }
        })
        .await
    }

    /// The masked token, once one is shown under "Access token".
    pub async fn shown_token(&self) -> String {
        self.wait_shown_token(|_| true).await
    }

    /// Waits for a token under "Access token" that satisfies `ok`.
    pub async fn wait_shown_token(&self, ok: impl Fn(&str) -> bool) -> String {
        let display = self.by_name("Access token").await;
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = display.text().await.unwrap_or_default();
            if !text.trim().is_empty() && ok(text.trim()) {
                return text.trim().to_owned();
            }
            if Instant::now() > deadline {
                panic!("no (new) token shown within {PATIENCE:?}\n{}", self.summary().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether the page shows `text` (visible text only, ignoring case and CSS text-transform).
    pub async fn shows(&self, text: &str) -> bool {
        let page = self.client.execute("return document.body.innerText;", vec![]).await.expect("the page's text");
        page.as_str().unwrap_or_default().to_lowercase().contains(&text.to_lowercase())
    }

    /// Waits until the page shows `text` (as [`Window::shows`] reads it).
    pub async fn wait_for_text(&self, text: &str) {
        self.wait_for(&format!("the window to show {text:?}"), || async move { self.shows(text).await.then_some(()) })
            .await
    }

    /// The visible text of the page, for failure messages.
    pub async fn summary(&self) -> String {
        match self.client.execute("return document.body.innerText;", vec![]).await {
            Ok(text) => format!("The window shows:\n{}", text.as_str().unwrap_or_default()),
            Err(e) => format!("(the window's text could not be read: {e})"),
        }
    }

    /// Saves a screenshot of the top of the window as `<target>/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        // The top of the window (form and result side by side), once input and transitions settle.
        self.client.execute("window.scrollTo(0, 0);", vec![]).await.expect("scrolling to the top");
        self.save_screenshot(name).await;
    }

    /// Saves a screenshot with the element `id` scrolled into view, `block` (as
    /// `scrollIntoView` takes it: "start", "center", "end") saying where.
    pub async fn screenshot_at(&self, name: &str, id: &str, block: &str) {
        let script = "document.getElementById(arguments[0]).scrollIntoView({ block: arguments[1] });";
        self.js(script, vec![json!(id), json!(block)]).await;
        self.save_screenshot(name).await;
    }

    /// Everything the page holds as text: its source, every field's value and the visible text.
    pub async fn everything_on_the_page(&self) -> String {
        let script = r#"
          const values = [...document.querySelectorAll("input, textarea, select, output")].map((e) => e.value);
          return [document.documentElement.outerHTML, document.body.innerText, ...values].join("\n");
        "#;
        self.js(script, vec![]).await.as_str().unwrap_or_default().to_owned()
    }

    /// Saves a screenshot of the window as it is now (no scrolling), like [`Window::screenshot`].
    pub async fn save_screenshot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let png = self.client.screenshot().await.expect("a WebDriver screenshot");
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is saved");
    }

    /// Runs axe-core on the page as it is and fails on any serious or critical violation.
    pub async fn assert_accessible(&self, screen: &str) {
        let present = self.client.execute("return typeof window.axe === 'object';", vec![]).await;
        if present.ok().and_then(|v| v.as_bool()) != Some(true) {
            let source = std::fs::read_to_string(AXE).unwrap_or_else(|e| {
                panic!("axe-core is missing ({AXE}: {e}): install it with `npm ci --prefix tests/e2e`")
            });
            self.client.execute(&source, vec![]).await.expect("axe-core is injected into the page");
        }
        let outcome = self.client.execute_async(RUN_AXE, vec![]).await.expect("axe-core runs");
        if let Some(error) = outcome.get("error") {
            panic!("axe-core failed on the {screen} screen: {error}");
        }
        let violations = outcome.get("violations").and_then(Value::as_array).cloned().unwrap_or_default();
        let serious: Vec<String> = violations
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(describe_violation)
            .collect();
        assert!(
            serious.is_empty(),
            "axe-core found serious or critical accessibility violations on the {screen} screen:\n{}",
            serious.join("\n")
        );
    }

    /// Polls `probe` until it yields something, or fails saying what was awaited.
    async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(found) = probe().await {
                return found;
            }
            if Instant::now() > deadline {
                panic!("waited {PATIENCE:?} for {what}\n{}", self.summary().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn describe_violation(v: &Value) -> String {
    let nodes: Vec<String> = v["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .map(|n| {
                    format!("    at {}: {}", n["target"], n["failureSummary"].as_str().unwrap_or("").replace('\n', " "))
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "- [{}] {}: {} ({})\n{}",
        v["impact"].as_str().unwrap_or("?"),
        v["id"].as_str().unwrap_or("?"),
        v["help"].as_str().unwrap_or(""),
        v["helpUrl"].as_str().unwrap_or(""),
        nodes.join("\n")
    )
}

/// Reads the X clipboard as another program would see it (`xclip`), or `None` when it is empty.
pub async fn clipboard() -> Option<String> {
    let run = tokio::process::Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(5), run)
        .await
        .expect("xclip answers within 5 s")
        .expect("xclip runs (Debian package xclip)");
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Where the app's XDG folder `variable` (`XDG_CACHE_HOME`, …) is below `base`.
fn xdg_folder(base: &Path, variable: &str) -> PathBuf {
    base.join(variable.to_lowercase())
}

/// The keyring namespace of the user whose XDG folders are under `xdg` (a fresh temporary
/// folder, whose random name no other test's has at the same time).
fn keyring_namespace(xdg: &Path) -> String {
    let name = xdg.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("w-{}", name.chars().filter(char::is_ascii_alphanumeric).collect::<String>())
}

/// The cargo target folder the app was built in.
fn target_dir() -> PathBuf {
    Path::new(APP).parent().and_then(Path::parent).expect("the app binary lives in <target>/<profile>/").to_path_buf()
}

/// A running `tauri-driver` with its own ports and the app's fresh XDG folders.
struct Driver {
    process: Child,
    port: u16,
    home: TempDir,
    /// Where the app's XDG folders are.
    xdg: PathBuf,
    /// The app's command-line arguments.
    args: Vec<String>,
}

impl Driver {
    /// `xdg`: where the XDG folders go (default: a fresh folder of the driver's own).
    fn start(env: &[(&str, &str)], xdg: Option<&Path>) -> Self {
        let home = TempDir::new().expect("a temporary home for the app");
        let xdg_base = xdg.map(Path::to_path_buf).unwrap_or_else(|| home.path().to_path_buf());
        let mut command = Command::new(tauri_driver());
        let (port, native_port) = (free_port(), free_port());
        command.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()]);
        for xdg in ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] {
            let dir = xdg_folder(&xdg_base, xdg);
            std::fs::create_dir_all(&dir).expect("an XDG folder");
            command.env(xdg, dir);
        }
        // A keyring of this user's own, named after the XDG folders: a restart over the same
        // folders finds the same secrets and kept tokens, and no other test's.
        command.env(super::keyring::NAMESPACE_ENV, keyring_namespace(&xdg_base));
        command
            .env_remove("TOKEN_DESK_CLIPBOARD_CLEAR_SECONDS")
            .env_remove("TOKEN_DESK_CLIPBOARD_CLEAR_MS")
            .envs(env.iter().copied());
        let log = File::create(home.path().join("driver.log")).expect("the driver's log file");
        command.stdin(Stdio::null()).stdout(log.try_clone().expect("a log handle")).stderr(log);
        let process = command.spawn().expect("tauri-driver starts");
        Self { process, port, home, xdg: xdg_base, args: Vec::new() }
    }

    /// A WebDriver session on a new app window. tauri-driver accepts connections about a second
    /// before it can create sessions, so this retries; each attempt is bounded, since a session
    /// request can hang forever when the app cannot start.
    async fn new_session(&self) -> Client {
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("tauri:options".into(), json!({ "application": APP, "args": self.args }));
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last_error = String::from("no attempt");
        while Instant::now() < deadline {
            let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => {
                    self.assert_app_is_ours();
                    return client;
                }
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("no WebDriver session on {url} within 30 s: {last_error}\n{}", self.log_tail());
    }

    /// Whether the session's app runs below this driver. Free ports are picked by binding and
    /// releasing them; should another test's driver have taken one meanwhile, the session would
    /// be that driver's, with that test's environment.
    fn assert_app_is_ours(&self) {
        assert!(
            self.app_pid().is_some(),
            "the WebDriver session's app does not run below this test's tauri-driver (port clash?)"
        );
    }

    /// The app's process, below this driver's WebKitWebDriver.
    fn app_pid(&self) -> Option<u32> {
        let app_name = Path::new(APP).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        descendants(self.process.id()).into_iter().find(|pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            // The kernel keeps at most 15 bytes of a process's name.
            !comm.trim().is_empty() && app_name.starts_with(comm.trim())
        })
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.home.path().join("driver.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        if lines.is_empty() {
            return "tauri-driver's log is empty".into();
        }
        format!("tauri-driver's log (last lines):\n{}", lines[lines.len().saturating_sub(30)..].join("\n"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.log_tail());
        }
        // tauri-driver kills WebKitWebDriver on SIGTERM, but the app that one launched can
        // outlive it when the session was not ended: note the whole family first.
        let family = descendants(self.process.id());
        terminate(self.process.id());
        let _ = self.process.wait();
        let deadline = Instant::now() + Duration::from_secs(5);
        for pid in family {
            if is_running(pid) {
                terminate(pid);
            }
            while is_running(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn terminate(pid: u32) {
    // SAFETY: kill(2) with a pid this harness started (or one of its descendants).
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
}

fn is_running(pid: u32) -> bool {
    // A zombie has exited; only its parent's wait is missing.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(')').map(|(_, rest)| !rest.trim_start().starts_with('Z')))
        .unwrap_or(false)
}

/// Every process below `root`, from /proc (each `stat` names its parent after the `)`).
fn descendants(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parents.push((pid, ppid));
        }
    }
    let mut family = vec![root];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(parents.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
        i += 1;
    }
    family.remove(0);
    family
}

/// `tauri-driver` from PATH or cargo's bin folder; failing says how to install it.
fn tauri_driver() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(cargo_home.map(|home| home.join("bin")))
        .map(|dir| dir.join("tauri-driver"))
        .find(|candidate| candidate.is_file())
        .expect("tauri-driver is not installed: cargo install --locked tauri-driver")
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("a bound address").port()
}

/// Finds the control whose accessible name is `arguments[0]`; prefers visible matches and
/// returns null unless exactly one matches.
const FIND_BY_NAME: &str = r#"
const wanted = arguments[0];
const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
const byIds = (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
  .map((e) => norm(e.textContent)).join(" ");
const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
const names = (e) => {
  const out = [];
  if (e.hasAttribute("aria-labelledby")) out.push(byIds(e.getAttribute("aria-labelledby")));
  if (e.hasAttribute("aria-label")) out.push(norm(e.getAttribute("aria-label")));
  for (const label of e.labels || []) {
    out.push(norm(label.textContent));
    // A label wrapping its control with a description: the name is its own text part.
    for (const part of label.querySelectorAll("*")) out.push(norm(part.textContent));
  }
  if (e.matches("button, summary, a, [role=button]")) out.push(norm(e.textContent));
  return out;
};
const candidates = [...document.querySelectorAll(
  "input, select, textarea, button, output, summary, a, [role], [aria-label], [aria-labelledby]")];
const matching = candidates.filter((e) => names(e).includes(wanted));
const visible = matching.filter(shown);
const pick = visible.length > 0 ? visible : matching;
return pick.length === 1 ? pick[0] : null;
"#;

/// Runs axe-core and hands back the violations (or the error) as plain JSON.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
window.axe.run(document, { resultTypes: ["violations"] })
  .then((r) => done({ violations: JSON.parse(JSON.stringify(r.violations)) }))
  .catch((e) => done({ error: String(e && e.stack || e) }));
"#;
