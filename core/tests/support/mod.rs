//! Shared set-up for the engine's tests: a simulator on loopback with its demo clients,
//! fast retry settings, and certificate files made on the fly (no key is checked in).
#![allow(dead_code, unused_imports)]

/// Shared with the command line's and the window's tests: skip gates, files under a folder, a keyring of each test's own.
pub use token_desk_test_support::{files, keyring, recording_api, skip};

pub use skip::keyring_tests;

pub mod failing;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use rsa::RsaPrivateKey;
use token_desk_core::clock::{Clock, SystemClock};
use token_desk_core::http::HttpOptions;
use token_desk_core::request::{Credential, RequestInput, TokenRequest};
use token_desk_core::retry::RetryPolicy;
use token_desk_core::scope::Scopes;
use token_desk_core::secret::ClientSecret;
use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::simulator::{Simulator, SimulatorConfig};
use token_desk_core::Engine;

pub use token_desk_core::simulator::demo::{CERTIFICATE_CLIENT_ID, SECRET, SECRET_CLIENT_ID};

/// A simulator, and a scratch folder for the test's own files (removed on drop).
pub struct Sim {
    pub sim: Simulator,
    pub dir: tempfile::TempDir,
}

/// The simulators' data folder, shared by the tests of one binary so the demo key is
/// generated once (generating RSA keys is slow) and every simulator knows the same file.
fn data_dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        demo::ensure_demo_certificate(dir.path(), SystemTime::now()).unwrap();
        dir
    })
    .path()
}

impl std::ops::Deref for Sim {
    type Target = Simulator;
    fn deref(&self) -> &Simulator {
        &self.sim
    }
}

pub async fn simulator() -> Sim {
    simulator_with(|_| {}).await
}

pub async fn simulator_with(adjust: impl FnOnce(&mut SimulatorConfig)) -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let mut config = SimulatorConfig { data_dir: data_dir().to_path_buf(), ..SimulatorConfig::default() };
    adjust(&mut config);
    let sim = Simulator::start(config).await.unwrap();
    Sim { sim, dir }
}

/// Retries that do not slow the tests down.
pub fn fast_options() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(2),
        },
        ..HttpOptions::default()
    }
}

pub fn engine() -> Engine {
    Engine::new(fast_options(), Arc::new(SystemClock))
}

pub fn engine_with_clock(clock: Arc<dyn Clock>) -> Engine {
    Engine::new(fast_options(), clock)
}

/// A checked request for the demo secret client against `token_url`.
pub fn secret_request(token_url: &str, scopes: &str) -> TokenRequest {
    request(token_url, SECRET_CLIENT_ID, scopes, Credential::secret(ClientSecret::new(SECRET)))
}

pub fn request(token_url: &str, client_id: &str, scopes: &str, credential: Credential) -> TokenRequest {
    let input = RequestInput {
        client_id: client_id.into(),
        scopes: Scopes::parse([scopes]),
        token_url: Some(token_url.into()),
        audience: None,
        credential,
    };
    TokenRequest::check(input, SystemTime::now()).expect("test input is valid").0
}

/// One RSA key per test binary: generating keys is slow.
pub fn key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(demo::generate_key)
}

pub fn other_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(demo::generate_key)
}

/// A Stitch-shaped PEM for `key()`, valid from a day ago for a year.
pub fn stitch_pem(common_name: &str, form: KeyForm, key_first: bool) -> String {
    let now = SystemTime::now();
    let cert = demo::self_signed_der(
        key(),
        common_name,
        now - Duration::from_secs(86_400),
        now + Duration::from_secs(365 * 86_400),
    );
    demo::stitch_shaped_pem(key(), &cert, common_name, form, key_first)
}

/// Writes `text` to a new file in `dir` and returns its path.
pub fn write(dir: &tempfile::TempDir, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Asserts a failure's message is one plain line for a person: no line breaks, no markup,
/// no HTTP-library jargon.
pub fn assert_plain_message(failure: &token_desk_core::Failure) {
    let m = &failure.message;
    assert!(!m.trim().is_empty(), "empty message: {failure:?}");
    assert!(!m.contains('\n') && !m.contains('\r'), "message is not one line: {m:?}");
    assert!(!m.contains('<') && !m.contains('>'), "message carries markup: {m:?}");
    let lower = m.to_ascii_lowercase();
    for jargon in ["reqwest", "hyper", "rustls", "error sending request", "os error", "io error"] {
        assert!(!lower.contains(jargon), "message carries {jargon:?}: {m:?}");
    }
}

/// A loopback port with nothing listening: bound to find a free one, then released.
pub fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// An engine on the real clock with `options`.
pub fn engine_with_options(options: HttpOptions) -> Engine {
    Engine::new(options, Arc::new(SystemClock))
}

/// [`fast_options`] without retries.
pub fn no_retry_options() -> HttpOptions {
    HttpOptions { retry: RetryPolicy::never(), ..fast_options() }
}

/// Adds `profile` with the client secret `secret`, as the app does (`changes::add`): where the
/// secret went.
pub fn add_with_secret(
    settings: &token_desk_core::profiles::settings::SettingsFile,
    keyring: &token_desk_core::keyring::Keyring,
    profile: &token_desk_core::profiles::Profile,
    secret: &str,
) -> token_desk_core::keyring::Saved {
    use token_desk_core::keyring::profile_secrets::ProfileSecrets;
    use token_desk_core::profiles::changes::{self, NewSecret};
    let secret = NewSecret::ClientSecret(ClientSecret::new(secret));
    changes::add(settings, ProfileSecrets::new(keyring), profile.clone(), &secret).expect("the profile is added")
}

/// Runs `openssl` with `command`'s words in `dir`; CI installs it, so its absence fails the test.
pub fn openssl(dir: &std::path::Path, command: &str) {
    let args: Vec<&str> = command.split(' ').collect();
    let out = std::process::Command::new("openssl")
        .args(&args)
        .current_dir(dir)
        .output()
        .expect("the openssl command must be installed for these tests");
    assert!(out.status.success(), "openssl {command} failed: {}", String::from_utf8_lossy(&out.stderr));
}
