//! The `tauri-driver` process behind each window test: started on free ports with the app's
//! fresh XDG folders, and stopped with SIGTERM (never SIGKILL: WebKitWebDriver would keep the
//! native port) by a drop guard, with every process it started, so a failing test cleans up too.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tempfile::TempDir;

/// The window binary cargo built for these tests.
pub const APP: &str = env!("CARGO_BIN_EXE_token-desk-app");
/// `npm ci --prefix tests/e2e` puts axe-core here.
pub const AXE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/node_modules/axe-core/axe.min.js");

/// Where the app's XDG folder `variable` (`XDG_CACHE_HOME`, …) is below `base`.
pub fn xdg_folder(base: &Path, variable: &str) -> PathBuf {
    base.join(variable.to_lowercase())
}

/// The keyring namespace of the user whose XDG folders are under `xdg` (a fresh temporary
/// folder, whose random name no other test's has at the same time).
fn keyring_namespace(xdg: &Path) -> String {
    let name = xdg.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("w-{}", name.chars().filter(char::is_ascii_alphanumeric).collect::<String>())
}

/// The cargo target folder the app was built in.
pub fn target_dir() -> PathBuf {
    Path::new(APP).parent().and_then(Path::parent).expect("the app binary lives in <target>/<profile>/").to_path_buf()
}

/// A running `tauri-driver` with its own ports and the app's fresh XDG folders.
pub struct Driver {
    pub process: Child,
    pub port: u16,
    pub home: TempDir,
    /// Where the app's XDG folders are.
    pub xdg: PathBuf,
    /// The app's command-line arguments.
    pub args: Vec<String>,
}

impl Driver {
    /// `xdg`: where the XDG folders go (default: a fresh folder of the driver's own).
    pub fn start(env: &[(&str, &str)], xdg: Option<&Path>) -> Self {
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
    pub async fn new_session(&self) -> Client {
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
    pub fn assert_app_is_ours(&self) {
        assert!(
            self.app_pid().is_some(),
            "the WebDriver session's app does not run below this test's tauri-driver (port clash?)"
        );
    }

    /// The app's process, below this driver's WebKitWebDriver.
    pub fn app_pid(&self) -> Option<u32> {
        let app_name = Path::new(APP).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        descendants(self.process.id()).into_iter().find(|pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            // The kernel keeps at most 15 bytes of a process's name.
            !comm.trim().is_empty() && app_name.starts_with(comm.trim())
        })
    }

    pub fn log_tail(&self) -> String {
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
