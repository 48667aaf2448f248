//! The hostile-input tests' world (`hostile.rs`, `hostile_limits.rs`): a legitimate Stitch
//! simulator with a secret and a certificate client, a loopback attacker, and profiles added
//! or planted in a settings file, with the checks that a refusal changed nothing.

use std::time::Duration;

use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::simulator::{ClientAuth, ClientConfig, Simulator, SimulatorConfig};

use super::skip::keyring_tests;
use super::{all_output, leaked, text, Attacker, Home, Mode};

pub const SECRET: &str = "Hx7-q2Wv9Lp4Mc8Rt1Bz6Kn3Ja5Gd0Yf";
pub const CLIENT: &str = "test-hostile-secret-client";
pub const OTHER_CLIENT: &str = "test-hostile-other-client";
pub const OTHER_SECRET: &str = "Zq3-other-secret-Vb8Nm2Lk5Jh7Gf4";
pub const CERT_CLIENT: &str = "test-hostile-cert-client";
pub const STITCH: &str = "https://secure.stitch.money/connect/token";

/// The legitimate server (the simulator), its runtime, and a Stitch-shaped certificate file.
pub struct Legit {
    pub sim: Simulator,
    pub pem: std::path::PathBuf,
    pub _dir: tempfile::TempDir,
    pub _rt: tokio::runtime::Runtime,
}

pub fn legit() -> Legit {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = demo::generate_key();
    let now = std::time::SystemTime::now();
    let der =
        demo::self_signed_der(&key, CERT_CLIENT, now - Duration::from_secs(60), now + Duration::from_secs(86_400 * 90));
    let pem_text = demo::stitch_shaped_pem(&key, &der, CERT_CLIENT, KeyForm::Pkcs8, false);
    let pem = dir.path().join("client.pem");
    std::fs::write(&pem, &pem_text).unwrap();
    let cert = token_desk_core::certificate::ClientCertificate::from_pem(pem_text.as_bytes()).unwrap();
    let client = |id: &str, auth| ClientConfig {
        client_id: id.into(),
        auth,
        allowed_scopes: vec!["client_paymentrequest".into()],
        withheld_scopes: vec![],
    };
    let sim = rt
        .block_on(Simulator::start(SimulatorConfig {
            data_dir: dir.path().join("sim"),
            clients: vec![
                client(CLIENT, ClientAuth::Secret(SECRET.into())),
                client(OTHER_CLIENT, ClientAuth::Secret(OTHER_SECRET.into())),
                client(CERT_CLIENT, ClientAuth::certificate(&cert)),
            ],
            ..SimulatorConfig::default()
        }))
        .unwrap();
    Legit { sim, pem, _dir: dir, _rt: rt }
}

/// An attacker's server answering as `mode` says, a home without a keyring, and the
/// attacker's token URL.
pub fn attacked(mode: Mode) -> (Attacker, Home, String) {
    let attacker = Attacker::start(mode);
    let url = attacker.url("/connect/token");
    (attacker, Home::new(false), url)
}

pub fn token_args<'a>(client: &'a str, token_url: &'a str) -> Vec<&'a str> {
    vec!["token", "--client-id", client, "--scope", "client_paymentrequest", "--secret-stdin", "--token-url", token_url]
}

/// The refusal: its exit code, a phrase of its message, and no secret in what was printed.
pub fn refused(out: &std::process::Output, code: i32, phrase: &str) -> String {
    let all = all_output(out);
    assert_eq!(out.status.code(), Some(code), "{all}");
    assert!(all.contains(phrase), "expected {phrase:?} in:\n{all}");
    for s in [SECRET, OTHER_SECRET] {
        assert_eq!(leaked(&all, s), None, "a secret leaked:\n{all}");
    }
    all
}

pub fn profiles_doc(profiles: &[String]) -> String {
    format!(r#"{{"version": 1, "profiles": [{}]}}"#, profiles.join(","))
}

pub fn profile_json(name: &str, client: &str, token_url: &str, extra: &str) -> String {
    format!(
        r#"{{"name": "{name}", "environment": "test", "client_id": "{client}", "auth": "secret", "scopes": ["client_paymentrequest"], "token_url": "{token_url}"{extra}}}"#
    )
}

/// `token-desk profile add` of `name` for the secret `client` at `token_url` (secret on stdin).
pub fn add_args<'a>(name: &'a str, client: &'a str, token_url: &'a str) -> [&'a str; 10] {
    let scope = "client_paymentrequest";
    ["profile", "add", name, "--client-id", client, "--secret-stdin", "--token-url", token_url, "--scope", scope]
}

/// Adds profile `name` for `client` at `token_url` with `secret` piped in (keyring).
pub fn add_profile(home: &Home, name: &str, client: &str, token_url: &str, secret: &str) -> std::process::Output {
    home.run(&add_args(name, client, token_url), Some(secret))
}

/// A keyring test's start: the legitimate server and a home whose profile `label` (returned
/// with its tag) holds `CLIENT`'s secret. None, after the `skipped:` line, without a keyring.
pub fn saved_profile(label: &str) -> Option<(Legit, Home, String)> {
    if !keyring_tests() {
        return None;
    }
    let l = legit();
    let home = Home::new(true);
    let name = home.name(label);
    assert_eq!(add_profile(&home, &name, CLIENT, &l.sim.token_url(), SECRET).status.code(), Some(0));
    Some((l, home, name))
}

/// The settings file goes away (the keyring entries stay behind) and an import with
/// `--trust-hosts` puts `profile` in its place.
pub fn settings_replaced_by(home: &Home, profile: String) {
    std::fs::remove_file(home.settings_file()).unwrap();
    let file = home.write("team.json", &profiles_doc(&[profile]));
    assert_eq!(home.import(&file, &["--trust-hosts"]).status.code(), Some(0));
}

/// `token-desk token --profile name` is refused with `phrase` and leaves the settings file and
/// the keyring as they were; then the profile goes (its keyring entry with it).
pub fn token_refused_and_nothing_changed(home: &Home, name: &str, phrase: &str) {
    let saved = home.snapshot();
    let out = home.run(&["token", "--profile", name], None);
    refused(&out, 2, phrase);
    assert_eq!(home.snapshot(), saved);
    let _ = home.run(&["profile", "remove", name], None);
}
