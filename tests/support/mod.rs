//! Shared set-up for the window's command tests on Tauri's mock runtime: calling a command
//! exactly as the page's `invoke` does, and names that no other test or run uses.
#![allow(dead_code, unused_imports)]

pub mod colleague;
pub mod desk;
pub mod driver;
pub mod form_filling;
pub mod looks;
pub mod sized_window;
pub mod window;

/// Shared with the engine's and the command line's tests: whether the keyring and window tests
/// run, the one loopback attacker, real network parts, a keyring of each test's own.
pub use token_desk_test_support::{attacker, keyring, net, skip};

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;
use token_desk_core::profiles::{AuthMethod, Profile};

/// The request the page sends for `cmd`. On Linux the page's origin is `tauri://localhost`
/// (`http://tauri.localhost` would count as a remote origin and be refused).
pub fn invoke_request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// Calls `cmd` in `window` as the page would: the command's answer, or its error.
pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(window, invoke_request(cmd, args)).map(|b| b.deserialize::<Value>().unwrap())
}

/// Whether the real keyring is under test (then a saved secret outlives the app's state).
pub fn real_keyring() -> bool {
    std::env::var("TOKEN_DESK_KEYRING_TESTS").as_deref() == Ok("1")
}

/// A profile name no other test (or earlier run) uses: the keyring is shared.
pub fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix} {}-{nanos}", std::process::id())
}

/// The base64 lines of the private key block in a PEM file: none may appear in any answer.
pub fn private_key_lines(pem: &str) -> Vec<String> {
    let start = pem.find("-----BEGIN PRIVATE KEY-----").expect("a PKCS#8 key block");
    let end = pem[start..].find("-----END PRIVATE KEY-----").unwrap() + start;
    pem[start..end].lines().skip(1).map(str::trim).filter(|l| l.len() >= 16).map(str::to_owned).collect()
}

/// Fails if any of `texts` holds one of `needles` (a text, and what to call it in the failure)
/// or one of the private key's `key_lines`.
pub fn assert_none_leaked<T: AsRef<str>>(
    texts: impl IntoIterator<Item = T>,
    needles: &[(&str, &str)],
    key_lines: &[String],
) {
    for text in texts {
        let text = text.as_ref();
        for (needle, what) in needles {
            assert!(!text.contains(needle), "{what} leaked: {text}");
        }
        for line in key_lines {
            assert!(!text.contains(line.as_str()), "a private key line leaked: {text}");
        }
    }
}

/// A colleague's "team setup" profiles, with the client IDs `ids`: "Stitch shop" at Stitch,
/// "Team setup" whose token URL and API URL are the attacker's (on `attacker_port`), and
/// "Collector" whose API URL would collect the tokens elsewhere.
pub fn team_setup_profiles(attacker_port: u16, ids: [&str; 3]) -> Vec<Profile> {
    let clean = Profile::new("Stitch shop", ids[0], AuthMethod::Secret);
    let mut hostile = Profile::new("Team setup", ids[1], AuthMethod::Secret);
    hostile.token_url = format!("http://127.0.0.1:{attacker_port}/connect/token");
    hostile.api_url = format!("http://127.0.0.1:{attacker_port}/graphql");
    let mut collector = Profile::new("Collector", ids[2], AuthMethod::Secret);
    collector.api_url = "https://collector.example/graphql".into();
    vec![clean, hostile, collector]
}
