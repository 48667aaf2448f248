//! The real Token Desk window for the `window*.rs` tests, launched by `tauri-driver`
//! (which runs WebKitWebDriver) and driven over WebDriver with `fantoccini`, plus a Stitch
//! simulator in the test process, an axe-core accessibility check and WebDriver screenshots.
//!
//! Every window gets fresh XDG folders, so every test is a first run. The driver behind it is
//! [`super::driver`]'s.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use tempfile::TempDir;
use token_desk_core::simulator::{demo, Simulator, SimulatorConfig};

use super::driver::{xdg_folder, Driver, AXE};

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

    /// Everything the page holds as text: its source, every field's value and the visible text.
    pub async fn everything_on_the_page(&self) -> String {
        let script = r#"
          const values = [...document.querySelectorAll("input, textarea, select, output")].map((e) => e.value);
          return [document.documentElement.outerHTML, document.body.innerText, ...values].join("\n");
        "#;
        self.js(script, vec![]).await.as_str().unwrap_or_default().to_owned()
    }

    /// Polls `probe` until it yields something, or fails saying what was awaited.
    pub(super) async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> T
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
