//! Hostile input, tried as an attacker would (issue 8): files, servers and settings out to
//! get a secret. Each case drives the real `token-desk` binary (or the engine) against a
//! loopback "attacker" server that keeps every request, and checks the refusal, its message,
//! that no request carrying a secret, an assertion for the real audience or a token reached
//! the attacker, and that the settings file and the keyring are as they were.
//!
//! Cases marked "keyring" use the real Secret Service and run under
//! `scripts/test -p token-desk-cli --test hostile`; without it they print `skipped:`.

mod support;

use std::time::Duration;

use support::skip::keyring_tests;
use support::{all_output, leaked, text, Attacker, Home, Mode};
use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::simulator::{ClientAuth, ClientConfig, Simulator, SimulatorConfig};

const SECRET: &str = "Hx7-q2Wv9Lp4Mc8Rt1Bz6Kn3Ja5Gd0Yf";
const CLIENT: &str = "test-hostile-secret-client";
const OTHER_CLIENT: &str = "test-hostile-other-client";
const OTHER_SECRET: &str = "Zq3-other-secret-Vb8Nm2Lk5Jh7Gf4";
const CERT_CLIENT: &str = "test-hostile-cert-client";
const STITCH: &str = "https://secure.stitch.money/connect/token";

/// The legitimate server (the simulator), its runtime, and a Stitch-shaped certificate file.
struct Legit {
    sim: Simulator,
    pem: std::path::PathBuf,
    _dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

fn legit() -> Legit {
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
fn attacked(mode: Mode) -> (Attacker, Home, String) {
    let attacker = Attacker::start(mode);
    let url = attacker.url("/connect/token");
    (attacker, Home::new(false), url)
}

fn token_args<'a>(client: &'a str, token_url: &'a str) -> Vec<&'a str> {
    vec!["token", "--client-id", client, "--scope", "client_paymentrequest", "--secret-stdin", "--token-url", token_url]
}

/// The refusal: its exit code, a phrase of its message, and no secret in what was printed.
fn refused(out: &std::process::Output, code: i32, phrase: &str) -> String {
    let all = all_output(out);
    assert_eq!(out.status.code(), Some(code), "{all}");
    assert!(all.contains(phrase), "expected {phrase:?} in:\n{all}");
    for s in [SECRET, OTHER_SECRET] {
        assert_eq!(leaked(&all, s), None, "a secret leaked:\n{all}");
    }
    all
}

fn profiles_doc(profiles: &[String]) -> String {
    format!(r#"{{"version": 1, "profiles": [{}]}}"#, profiles.join(","))
}

fn profile_json(name: &str, client: &str, token_url: &str, extra: &str) -> String {
    format!(
        r#"{{"name": "{name}", "environment": "test", "client_id": "{client}", "auth": "secret", "scopes": ["client_paymentrequest"], "token_url": "{token_url}"{extra}}}"#
    )
}

/// `token-desk profile add` of `name` for the secret `client` at `token_url` (secret on stdin).
fn add_args<'a>(name: &'a str, client: &'a str, token_url: &'a str) -> [&'a str; 10] {
    let scope = "client_paymentrequest";
    ["profile", "add", name, "--client-id", client, "--secret-stdin", "--token-url", token_url, "--scope", scope]
}

/// Adds profile `name` for `client` at `token_url` with `secret` piped in (keyring).
fn add_profile(home: &Home, name: &str, client: &str, token_url: &str, secret: &str) -> std::process::Output {
    home.run(&add_args(name, client, token_url), Some(secret))
}

/// A keyring test's start: the legitimate server and a home whose profile `label` (returned
/// with its tag) holds `CLIENT`'s secret. None, after the `skipped:` line, without a keyring.
fn saved_profile(label: &str) -> Option<(Legit, Home, String)> {
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
fn settings_replaced_by(home: &Home, profile: String) {
    std::fs::remove_file(home.settings_file()).unwrap();
    let file = home.write("team.json", &profiles_doc(&[profile]));
    assert_eq!(home.import(&file, &["--trust-hosts"]).status.code(), Some(0));
}

/// `token-desk token --profile name` is refused with `phrase` and leaves the settings file and
/// the keyring as they were; then the profile goes (its keyring entry with it).
fn token_refused_and_nothing_changed(home: &Home, name: &str, phrase: &str) {
    let saved = home.snapshot();
    let out = home.run(&["token", "--profile", name], None);
    refused(&out, 2, phrase);
    assert_eq!(home.snapshot(), saved);
    let _ = home.run(&["profile", "remove", name], None);
}

// ---- 1. A credential is bound to its destination ----

#[test]
fn a_left_over_keyring_entry_is_never_sent_to_a_same_named_profile_at_another_host() {
    let Some((_l, home, name)) = saved_profile("shop") else { return };
    let attacker = Attacker::start(Mode::Token);
    settings_replaced_by(&home, profile_json(&name, CLIENT, &attacker.url("/connect/token"), ""));
    token_refused_and_nothing_changed(
        &home,
        &name,
        "has no saved client secret for test-hostile-secret-client at http://127.0.0.1",
    );
    attacker.assert_untouched("left-over entry");
}

#[test]
fn a_left_over_keyring_entry_is_never_used_for_another_client_of_the_same_name() {
    let Some((l, home, name)) = saved_profile("shared") else { return };
    settings_replaced_by(&home, profile_json(&name, OTHER_CLIENT, &l.sim.token_url(), ""));
    let before = l.sim.token_requests();
    token_refused_and_nothing_changed(&home, &name, "has no saved client secret for test-hostile-other-client");
    assert_eq!(l.sim.token_requests(), before, "no request carried the other client's secret");
}

#[test]
fn a_profile_edited_to_point_elsewhere_does_not_take_its_saved_secret_along() {
    let Some((l, home, name)) = saved_profile("edited") else { return };
    let attacker = Attacker::start(Mode::Token);
    let edited = std::fs::read_to_string(home.settings_file())
        .unwrap()
        .replace(&l.sim.token_url(), &attacker.url("/connect/token"));
    std::fs::write(home.settings_file(), edited).unwrap();
    token_refused_and_nothing_changed(&home, &name, "Save it first");
    attacker.assert_untouched("edited token URL");
}

#[test]
fn a_typed_secret_is_handed_out_only_for_the_client_and_origin_it_was_typed_for() {
    use token_desk_core::destination::BoundCredential;
    use token_desk_core::request::Credential;
    use token_desk_core::secret::ClientSecret;
    let attacker = Attacker::start(Mode::Token);
    let typed = BoundCredential::entered_for(Credential::secret(ClientSecret::new(SECRET)), CLIENT, STITCH).unwrap();
    let elsewhere = typed.credential_for(CLIENT, &attacker.url("/connect/token")).unwrap_err();
    assert_eq!(
        elsewhere.message,
        "This secret was entered for test-hostile-secret-client at https://secure.stitch.money. Enter the secret again for 127.0.0.1."
    );
    let other_client = typed.credential_for(OTHER_CLIENT, STITCH).unwrap_err();
    assert!(other_client.message.contains("Enter the secret of test-hostile-other-client"), "{}", other_client.message);
    assert!(typed.credential_for(CLIENT, STITCH).is_ok());
    attacker.assert_untouched("typed secret");
}

// ---- 2. Audience and token URL share an origin ----

#[test]
fn a_secret_request_with_stitchs_audience_is_not_sent_to_another_token_url() {
    let (attacker, home, url) = attacked(Mode::Token);
    let mut args = token_args(CLIENT, &url);
    args.extend(["--audience", STITCH]);
    let out = home.run(&args, Some(SECRET));
    refused(&out, 2, "is not on the token URL's server");
    attacker.assert_untouched("audience for Stitch");
}

#[test]
fn a_certificate_client_never_signs_an_assertion_for_stitch_that_goes_elsewhere() {
    let l = legit();
    let (attacker, home, url) = attacked(Mode::Token);
    let pem = l.pem.to_str().unwrap();
    let mut args = support::certificate_args(&url, CERT_CLIENT, pem, "client_paymentrequest");
    args.extend(["--audience", STITCH]);
    let out = home.run(&args, None);
    refused(&out, 2, "An assertion addressed to one server is never sent to another");
    attacker.assert_untouched("assertion for Stitch");
}

#[test]
fn a_profile_whose_audience_is_on_another_server_is_not_saved() {
    let (attacker, home, url) = attacked(Mode::Token);
    let out = home.run(
        &["profile", "add", "aud", "--client-id", CLIENT, "--secret-stdin", "--token-url", &url, "--audience", STITCH],
        Some(SECRET),
    );
    refused(&out, 2, "is not on the token URL's server");
    assert_eq!(home.settings(), None);
    attacker.assert_untouched("profile with a foreign audience");
}

#[test]
fn an_imported_profile_whose_audience_is_stitch_but_token_url_is_not_gets_no_assertion() {
    if !keyring_tests() {
        return;
    }
    let attacker = Attacker::start(Mode::Token);
    let home = Home::new(true);
    let name = home.name("aud");
    let extra = format!(r#", "audience": "{STITCH}""#);
    let file =
        home.write("aud.json", &profiles_doc(&[profile_json(&name, CLIENT, &attacker.url("/connect/token"), &extra)]));
    let plan = home.import(&file, &["--dry-run"]);
    assert!(
        text(&plan.stdout).contains("refuses to send an assertion addressed to one server to another"),
        "{}",
        text(&plan.stdout)
    );
    assert_eq!(home.import(&file, &["--trust-hosts"]).status.code(), Some(0));
    let saved = home.snapshot();
    let out = home.run(&["token", "--profile", &name, "--secret-stdin"], Some(SECRET));
    refused(&out, 2, "is not on the token URL's server");
    attacker.assert_untouched("imported audience");
    assert_eq!(home.snapshot(), saved);
}

// ---- 3. Imported hosts are trusted only when the user says so ----

#[test]
fn an_import_naming_a_foreign_token_url_adds_nothing_without_trust_hosts_and_names_the_host() {
    let (attacker, home, _) = attacked(Mode::Token);
    let file = home.write(
        "team.json",
        &profiles_doc(&[profile_json("team", CLIENT, "https://secure-stitch.example/connect/token", "")]),
    );
    let out = home.import(&file, &[]);
    let all = refused(&out, 2, "run again with --trust-hosts");
    assert!(all.contains("secure-stitch.example (token URL)"), "{all}");
    assert!(all.contains("is not Stitch's server"), "{all}");
    assert!(!home.settings().is_some_and(|s| text(&s).contains("team")), "nothing imported");
    attacker.assert_untouched("foreign token URL");
}

#[test]
fn an_import_naming_a_foreign_api_url_adds_nothing_without_trust_hosts() {
    let (attacker, home, _) = attacked(Mode::Token);
    let extra = format!(r#", "api_url": "{}""#, attacker.url("/graphql"));
    let file = home.write("api.json", &profiles_doc(&[profile_json("api", CLIENT, STITCH, &extra)]));
    let before = home.settings();
    let out = home.import(&file, &[]);
    let all = refused(&out, 2, "(API URL)");
    assert!(all.contains("every token of this client"), "{all}");
    assert_eq!(home.settings(), before);
    attacker.assert_untouched("foreign API URL");
}

#[test]
fn an_import_naming_a_proxy_or_a_ca_file_adds_nothing_without_trust_hosts() {
    let (attacker, home, _) = attacked(Mode::Token);
    let ca = home.write("their-ca.pem", "not read before the user trusts it");
    let extra = format!(r#", "proxy": "{}", "ca_file": "{}""#, attacker.url(""), ca.display());
    let file = home.write("network.json", &profiles_doc(&[profile_json("net", CLIENT, STITCH, &extra)]));
    let before = home.settings();
    let out = home.import(&file, &[]);
    let all = refused(&out, 2, "run again with --trust-hosts");
    assert!(all.contains("(proxy)") && all.contains("(company CA file)"), "{all}");
    assert_eq!(home.settings(), before);
    attacker.assert_untouched("imported proxy");
}

#[test]
fn an_exported_profile_with_a_foreign_api_url_never_gets_a_token_after_an_untrusted_import() {
    let l = legit();
    let attacker = Attacker::start(Mode::Token);
    let sender = Home::new(false);
    let extra = format!(r#", "api_url": "{}""#, attacker.url("/graphql"));
    let sent = sender.write("sent.json", &profiles_doc(&[profile_json("handy", CLIENT, &l.sim.token_url(), &extra)]));
    let receiver = Home::new(false);
    let _ = receiver.import(&sent, &[]);
    let before = receiver.settings();
    let out = receiver.run(&["check", "--profile", "handy", "--secret-stdin"], Some(SECRET));
    refused(&out, 2, "There is no profile named \"handy\"");
    let out = receiver.run(&["snippet", "--profile", "handy", "--lang", "curl"], None);
    assert_ne!(out.status.code(), Some(0), "{}", all_output(&out));
    attacker.assert_untouched("exported API URL");
    assert_eq!(receiver.settings(), before);
}

#[test]
fn a_live_client_labelled_test_in_a_file_is_imported_as_live() {
    let home = Home::new(false);
    let doc = profiles_doc(&[
        r#"{"name": "quiet", "environment": "test", "client_id": "5e1f6c0a-live-client", "auth": "secret"}"#.to_owned(),
    ]);
    let file = home.write("live.json", &doc);
    let out = home.import(&file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(text(&out.stdout).contains("it is a LIVE client"), "{}", text(&out.stdout));
    let saved: serde_json::Value = serde_json::from_slice(&home.settings().unwrap()).unwrap();
    assert_eq!(saved["profiles"][0]["environment"], "live");
}

#[test]
fn a_dry_run_lists_every_host_and_changes_nothing() {
    let (attacker, home, _) = attacked(Mode::Token);
    let extra = format!(r#", "api_url": "{}""#, attacker.url("/graphql"));
    let file =
        home.write("dry.json", &profiles_doc(&[profile_json("dry", CLIENT, &attacker.url("/connect/token"), &extra)]));
    let out = home.import(&file, &["--dry-run"]);
    let stdout = text(&out.stdout);
    for role in ["token URL", "audience", "API URL"] {
        assert!(stdout.contains(role), "{stdout}");
    }
    assert!(stdout.contains("needs --trust-hosts"), "{stdout}");
    assert_eq!(home.settings(), None);
    attacker.assert_untouched("dry run");
}

#[test]
fn an_imported_name_that_folds_like_an_existing_one_is_a_conflict() {
    let home = Home::new(false);
    let first = home.write("a.json", &profiles_doc(&[profile_json("Shop live", CLIENT, STITCH, "")]));
    assert_eq!(home.import(&first, &[]).status.code(), Some(0));
    let before = home.settings();
    let second = home.write("b.json", &profiles_doc(&[profile_json("ＳＨＯＰ LIVE", OTHER_CLIENT, STITCH, "")]));
    let out = home.import(&second, &[]);
    assert!(text(&out.stdout).contains("skipped: \"ＳＨＯＰ LIVE\""), "{}", all_output(&out));
    assert_eq!(home.settings(), before);
}

#[test]
fn an_import_file_with_an_invisible_character_in_a_name_is_refused_whole() {
    let home = Home::new(false);
    let doc = profiles_doc(&[
        profile_json("fine", CLIENT, STITCH, ""),
        profile_json("Shop live\\u200b", OTHER_CLIENT, STITCH, ""),
    ]);
    let file = home.write("zw.json", &doc);
    let out = home.import(&file, &[]);
    refused(&out, 2, "invisible or text-direction character (U+200B)");
    assert_eq!(home.settings(), None);
}

// ---- 4. Bounded everything ----

/// Runs `cmd` and returns its output and its peak memory (VmHWM as the kernel counts it for
/// the waited-for child, ru_maxrss), in kilobytes.
#[allow(clippy::zombie_processes)] // waited for by wait4, which also gives its peak memory
fn run_measured(mut cmd: std::process::Command, stdin: &str) -> (std::process::Output, i64) {
    use std::io::{Read, Write};
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).unwrap();
        out
    });
    let mut err = Vec::new();
    stderr.read_to_end(&mut err).unwrap();
    let out = reader.join().unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own unwaited child; status and usage are valid out-pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    use std::os::unix::process::ExitStatusExt;
    let output = std::process::Output { status: std::process::ExitStatus::from_raw(status), stdout: out, stderr: err };
    (output, usage.ru_maxrss)
}

#[test]
fn an_api_that_never_stops_sending_is_read_only_up_to_a_cap_and_memory_stays_under_100_mb() {
    let endless = Attacker::start(Mode::Endless);
    let home = Home::new(false);
    let api = endless.url("/graphql");
    let cmd = home.command(&["check", "--token-stdin", "--api-url", &api, "--scope", "client_paymentrequest"]);
    let (out, peak_kb) = run_measured(cmd, "a-token-for-the-endless-api");
    refused(&out, 4, "not in GraphQL's JSON form");
    // The test's own report, not the command line's output (which clippy.toml confines to `shown`).
    #[allow(clippy::disallowed_macros)]
    {
        eprintln!("peak RSS of token-desk check against an endless body: {} KB", peak_kb);
    }
    assert!(peak_kb > 0 && peak_kb < 100 * 1024, "peak RSS {peak_kb} KB");
}

#[test]
fn a_token_endpoint_that_never_stops_sending_is_read_only_up_to_a_cap() {
    let endless = Attacker::start(Mode::Endless);
    let home = Home::new(false);
    let url = endless.url("/connect/token");
    let (out, peak_kb) = run_measured(home.command(&token_args(CLIENT, &url)), SECRET);
    assert_eq!(out.status.code(), Some(4), "{}", all_output(&out));
    assert_eq!(leaked(&all_output(&out), SECRET), None);
    assert!(peak_kb < 100 * 1024, "peak RSS {peak_kb} KB");
}

#[test]
fn dev_zero_as_the_certificate_file_is_refused_without_reading_it() {
    let (attacker, home, url) = attacked(Mode::Token);
    let out = home.run(&support::certificate_args(&url, CERT_CLIENT, "/dev/zero", "client_paymentrequest"), None);
    refused(&out, 2, "it is a device, not a regular file");
    attacker.assert_untouched("/dev/zero");
}

/// Runs `args` and fails the test (instead of hanging) when it does not end.
fn run_or_kill(home: &Home, args: &[&str]) -> std::process::Output {
    let mut child = home.command(args).stdin(std::process::Stdio::null()).spawn().unwrap();
    for _ in 0..300 {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("token-desk {args:?} hung on a FIFO");
}

#[test]
fn a_fifo_as_the_certificate_file_is_refused_and_does_not_hang() {
    let (attacker, home, url) = attacked(Mode::Token);
    let fifo = home.path().join("cert.pem");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = run_or_kill(
        &home,
        &support::certificate_args(&url, CERT_CLIENT, fifo.to_str().unwrap(), "client_paymentrequest"),
    );
    refused(&out, 2, "a pipe (FIFO)");
    attacker.assert_untouched("FIFO certificate");
}

#[test]
fn a_fifo_given_to_profile_add_as_the_certificate_is_refused_and_nothing_is_saved() {
    let home = Home::new(false);
    let fifo = home.path().join("cert.pem");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = run_or_kill(
        &home,
        &["profile", "add", "p", "--client-id", CERT_CLIENT, "--certificate", fifo.to_str().unwrap()],
    );
    refused(&out, 2, "it is a pipe (FIFO), not a regular file");
    assert_eq!(home.settings(), None);
}

#[test]
fn a_fifo_as_the_import_file_is_refused_and_does_not_hang() {
    let home = Home::new(false);
    let fifo = home.path().join("team.json");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = run_or_kill(&home, &["profile", "import", fifo.to_str().unwrap()]);
    refused(&out, 2, "not a regular file");
    assert_eq!(home.settings(), None);
}

#[test]
fn a_512_bit_rsa_key_is_refused_before_anything_is_signed() {
    let (attacker, home, url) = attacked(Mode::Token);
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 512).unwrap();
    let now = std::time::SystemTime::now();
    let der =
        demo::self_signed_der(&key, CERT_CLIENT, now - Duration::from_secs(60), now + Duration::from_secs(86_400));
    let pem = home.write("weak.pem", &demo::stitch_shaped_pem(&key, &der, CERT_CLIENT, KeyForm::Pkcs8, false));
    let out =
        home.run(&support::certificate_args(&url, CERT_CLIENT, pem.to_str().unwrap(), "client_paymentrequest"), None);
    refused(&out, 2, "The key is only 512 bits long");
    attacker.assert_untouched("512-bit key");
}

#[test]
fn the_simulator_refuses_a_request_whose_host_is_not_loopback() {
    use std::io::{Read, Write};
    let l = legit();
    for host in ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example:80"] {
        let mut stream = std::net::TcpStream::connect(l.sim.addr()).unwrap();
        let body = format!(
            "grant_type=client_credentials&client_id={CLIENT}&client_secret={SECRET}&scope=client_paymentrequest"
        );
        let request = format!(
            "POST /connect/token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 421"), "{host}: {answer}");
        assert!(!answer.contains("access_token"), "{answer}");
    }
    assert_eq!(l.sim.token_requests(), 0, "refused before the token endpoint saw anything");
}

#[test]
fn the_simulator_keeps_a_bounded_history_of_requests_and_tokens() {
    let l = legit();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let total = token_desk_core::simulator::MAX_HISTORY + 50;
    let body =
        format!("grant_type=client_credentials&client_id={CLIENT}&client_secret={SECRET}&scope=client_paymentrequest");
    rt.block_on(async {
        for _ in 0..total {
            let r = client
                .post(l.sim.token_url())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    });
    assert_eq!(l.sim.token_requests(), total);
    assert_eq!(l.sim.recorded().len(), token_desk_core::simulator::MAX_HISTORY);
    assert_eq!(l.sim.tokens_held(), token_desk_core::simulator::MAX_HISTORY);
}

#[test]
fn the_simulator_refuses_a_request_body_past_its_cap() {
    let l = legit();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .post(l.sim.token_url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(vec![b'a'; token_desk_core::simulator::MAX_REQUEST_BYTES + 1])
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 413);
    assert_eq!(l.sim.token_requests(), 0);
}

// ---- 5. Redaction that cannot be talked around ----

#[test]
fn a_token_endpoint_echoing_the_secret_in_every_encoding_gets_none_of_them_through() {
    let (echo, home, url) = attacked(Mode::Echo { status: 400 });
    let mut args = token_args(CLIENT, &url);
    args.push("-v");
    let out = home.run(&args, Some(SECRET));
    let all = refused(&out, 3, "[redacted]");
    assert_eq!(echo.requests().len(), 1, "the configured endpoint got the one request");
    assert!(all.contains("OAuth error: invalid_client"), "{all}");
}

#[test]
fn a_redirect_whose_location_carries_the_secret_shows_it_redacted() {
    let (_echo, home, url) = attacked(Mode::Echo { status: 302 });
    let out = home.run(&token_args(CLIENT, &url), Some(SECRET));
    let all = refused(&out, 4, "never forwarded");
    assert!(all.contains("redirect to: https://elsewhere.example/cb?s=[redacted]"), "{all}");
}

#[test]
fn an_api_echoing_the_token_in_headers_and_body_gets_it_into_no_output() {
    let echo = Attacker::start(Mode::Echo { status: 200 });
    let home = Home::new(false);
    let token = "tok-Qp8Xv2Lm5Nb7Kc1Jh4Gf6Dz9Sa3";
    let api = echo.url("/graphql");
    let out = home.run(
        &["check", "--token-stdin", "--api-url", &api, "--scope", "client_paymentrequest", "-v", "--json"],
        Some(token),
    );
    let all = all_output(&out);
    assert_eq!(leaked(&all, token), None, "the token leaked:\n{all}");
    assert!(all.contains("x-echo: [redacted]"), "the inspector shows the response headers, redacted:\n{all}");
}

#[test]
fn a_one_character_secret_echoed_back_never_appears_in_the_output() {
    let (_echo, home, url) = attacked(Mode::Echo { status: 400 });
    let out = home.run(&token_args(CLIENT, &url), Some("Q"));
    let all = all_output(&out);
    assert_eq!(out.status.code(), Some(3), "{all}");
    assert!(!all.contains('Q') && !all.contains("%51") && !all.contains("\\u0051"), "{all}");
}

#[test]
fn a_private_key_block_in_an_answer_is_never_shown() {
    let l = legit();
    let pem = std::fs::read_to_string(&l.pem).unwrap();
    let key_block: String =
        pem.lines().skip_while(|line| !line.contains("BEGIN PRIVATE KEY")).collect::<Vec<_>>().join("\n");
    l.sim.inject([token_desk_core::simulator::Fault::status(
        400,
        &format!("{{\"error\": \"x\", \"key\": {}}}", serde_json::to_string(&key_block).unwrap()),
    )]);
    let home = Home::new(false);
    let url = l.sim.token_url();
    let out = home.run(&token_args(CLIENT, &url), Some(SECRET));
    let all = all_output(&out);
    let body_line = key_block.lines().nth(1).unwrap();
    assert!(!all.contains(body_line), "the private key leaked:\n{all}");
    assert!(!all.contains("BEGIN PRIVATE KEY"), "{all}");
}

// ---- 8. Profile names and atomic changes ----

#[test]
fn a_profile_name_with_a_zero_width_space_is_refused_and_nothing_is_saved() {
    let l = legit();
    let home = Home::new(false);
    let url = l.sim.token_url();
    let out = add_profile(&home, "Shop live\u{200B}", CLIENT, &url, SECRET);
    refused(&out, 2, "U+200B");
    assert_eq!(home.settings(), None);
    assert_eq!(l.sim.token_requests(), 0);
}

#[test]
fn a_profile_name_with_a_bidi_override_is_refused() {
    let home = Home::new(false);
    let out = add_profile(&home, "evil\u{202E}gnp.exe", CLIENT, STITCH, SECRET);
    refused(&out, 2, "U+202E");
    assert_eq!(home.settings(), None);
}

#[test]
fn a_name_that_folds_like_an_existing_profile_is_refused_and_its_secret_is_untouched() {
    let Some((l, home, name)) = saved_profile("Shop Live") else { return };
    let saved = home.snapshot();
    let out = add_profile(&home, &name.to_uppercase(), OTHER_CLIENT, &l.sim.token_url(), OTHER_SECRET);
    refused(&out, 2, "looks too much like the profile");
    assert_eq!(home.snapshot(), saved);
    let _ = home.run(&["profile", "remove", &name], None);
}

#[test]
fn two_profile_adds_at_once_never_leave_one_with_the_others_secret() {
    if !keyring_tests() {
        return;
    }
    let l = legit();
    let home = Home::new(true);
    let url = l.sim.token_url();
    for round in 0..4 {
        let name = home.name(&format!("race{round}"));
        let spawn = |client: &str, secret: &str| {
            use std::io::Write;
            let mut child =
                home.command(&add_args(&name, client, &url)).stdin(std::process::Stdio::piped()).spawn().unwrap();
            child.stdin.take().unwrap().write_all(secret.as_bytes()).unwrap();
            child
        };
        let a = spawn(CLIENT, SECRET);
        let b = spawn(OTHER_CLIENT, OTHER_SECRET);
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = [a.status.code(), b.status.code()];
        assert!(
            codes.contains(&Some(0)) && codes.contains(&Some(2)),
            "round {round}: one wins, one is refused: {codes:?}"
        );
        // Whichever won, its profile gets a token with the secret it saved.
        let out = home.run(&["token", "--profile", &name, "--json"], None);
        assert_eq!(out.status.code(), Some(0), "round {round}: {}", all_output(&out));
        let _ = home.run(&["profile", "remove", &name], None);
    }
}
