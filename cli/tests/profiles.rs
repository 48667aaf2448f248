//! `token-desk profile …` and `token-desk token --profile` as real processes, against the
//! simulator on 127.0.0.1, each test with its own config, cache and runtime folders.
//!
//! Tests marked "keyring" use the real Secret Service and run only with
//! `TOKEN_DESK_KEYRING_TESTS=1` (scripts/test starts a D-Bus session and gnome-keyring);
//! the others point the session bus nowhere, so they never touch a keyring.

mod support;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use support::files::files_under;
use support::skip::keyring_tests;
use support::stitch::{key_lines, Clients, World};
use support::{text, Home};

use token_desk_core::simulator::Fault;

/// A secret distinctive enough that finding it anywhere is a leak.
const SECRET: &str = "Pr7-v2Xq9Lw4Nc8Jt1Bz6Km3Ha5Gd0Ys";
const SECRET_CLIENT: &str = "test-profiles-secret-client";
const CERT_CLIENT: &str = "test-profiles-cert-client";
// This file's world: the simulator's secret and certificate clients, and a home of folders
// (settings, cache and locks) whose binary logs at trace level.
impl World {
    fn new(with_keyring: bool) -> Self {
        let home = Home::traced(with_keyring);
        World::start(home, &Clients::new(SECRET_CLIENT, SECRET, CERT_CLIENT))
    }

    /// A world on the real keyring, or None (after the `skipped:` line) without one.
    fn on_keyring() -> Option<Self> {
        keyring_tests().then(|| World::new(true))
    }

    /// A world on the real keyring with a secret-client profile named after `base`, or None
    /// (after the `skipped:` line) without a keyring.
    fn with_secret_profile(base: &str) -> Option<(Self, String)> {
        let w = World::on_keyring()?;
        let name = w.home.name(base);
        ok(&w.add_secret_profile(&name));
        Some((w, name))
    }

    /// `token --profile NAME --json`, which must succeed: its JSON.
    fn token_json(&self, name: &str) -> serde_json::Value {
        json(&self.home.run(&["token", "--profile", name, "--json"], None))
    }

    /// `profile add NAME` for the secret client, the secret piped in.
    fn add_secret_profile(&self, name: &str) -> Output {
        let url = self.stitch.sim.token_url();
        self.home.run(&add_secret_args(name, &url), Some(SECRET))
    }
}

/// `profile add NAME` for the secret client at `url`, the secret to be piped in.
fn add_secret_args<'a>(name: &'a str, url: &'a str) -> Vec<&'a str> {
    let mut args = vec!["profile", "add", name, "--client-id", SECRET_CLIENT, "--secret-stdin"];
    args.extend(["--scope", "client_paymentrequest", "--token-url", url]);
    args
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).unwrap()
}

/// A profiles document with these profiles, as an export file holds it.
fn document(profiles: &[&str]) -> String {
    format!(r#"{{"version": 1, "profiles": [{}]}}"#, profiles.join(", "))
}

#[test]
fn a_token_fetched_by_one_process_is_reused_by_the_next() {
    let Some((w, name)) = World::with_secret_profile("reuse") else { return };

    let first = w.token_json(&name);
    assert_eq!(first["from_cache"], false);
    let second = w.token_json(&name);
    assert_eq!(second["from_cache"], true, "the next process took the token from the keyring");
    assert_eq!(second["access_token"], first["access_token"]);
    assert_eq!(w.stitch.sim.token_requests(), 1);

    // Other scopes are another token; --fresh asks for a new one whatever is kept.
    let other = json(&w.home.run(&["token", "--profile", &name, "--scope", "client_refund", "--json"], None));
    assert_eq!((other["from_cache"].clone(), other["requested_scope"].clone()), (false.into(), "client_refund".into()));
    let fresh = json(&w.home.run(&["token", "--profile", &name, "--fresh", "--json"], None));
    assert_eq!(fresh["from_cache"], false);
    assert_ne!(fresh["access_token"], first["access_token"]);
    assert_eq!(w.stitch.sim.token_requests(), 3);

    ok(&w.home.run(&["profile", "remove", &name], None));
}

#[test]
fn two_processes_started_together_make_one_request() {
    let Some((w, name)) = World::with_secret_profile("together") else { return };
    // The first request takes a while, so the second process surely starts meanwhile.
    w.stitch.sim.inject([Fault::Stall(Duration::from_millis(700))]);

    let children: Vec<_> = (0..2)
        .map(|_| w.home.command(&["token", "--profile", &name, "--json"]).stdin(Stdio::null()).spawn().unwrap())
        .collect();
    let outputs: Vec<serde_json::Value> = children.into_iter().map(|c| json(&c.wait_with_output().unwrap())).collect();
    assert_eq!(w.stitch.sim.token_requests(), 1, "one request for two processes");
    assert_eq!(outputs[0]["access_token"], outputs[1]["access_token"]);
    let from_cache: Vec<bool> = outputs.iter().map(|o| o["from_cache"].as_bool().unwrap()).collect();
    assert!(from_cache.contains(&true) && from_cache.contains(&false), "{from_cache:?}");

    ok(&w.home.run(&["profile", "remove", &name], None));
}

#[test]
fn a_certificate_profile_gets_tokens_after_the_file_is_deleted() {
    let Some(w) = World::on_keyring() else { return };
    let name = w.home.name("cert");
    let url = w.stitch.sim.token_url();
    let pem = w.home.path().join("copy.pem");
    std::fs::copy(&w.stitch.pem, &pem).unwrap();
    let out = ok(&w.home.run(
        &[
            "profile",
            "add",
            &name,
            "--client-id",
            CERT_CLIENT,
            "--certificate",
            pem.to_str().unwrap(),
            "--scope",
            "client_paymentrequest",
            "--token-url",
            &url,
        ],
        None,
    ));
    assert!(out.contains("certificate and its key is in the OS keyring"), "{out}");
    std::fs::remove_file(&pem).unwrap();

    let token = w.token_json(&name);
    assert_eq!(token["from_cache"], false);
    // The certificate expires in 20 days: `profile list` reminds of it.
    let list = ok(&w.home.run(&["profile", "list"], None));
    assert!(list.contains(&format!("reminder: The certificate of profile \"{name}\" expires on")), "{list}");
    ok(&w.home.run(&["profile", "remove", &name], None));
}

/// Every profile command and failure, verbose where it can be: neither the secret nor a line
/// of the private key appears in any output, in the settings file, in the export file, or in
/// any file under the command's folders.
#[test]
fn no_output_or_file_holds_the_secret_or_the_private_key() {
    let Some(w) = World::on_keyring() else { return };
    let url = w.stitch.sim.token_url();
    let pem = w.stitch.pem.to_string_lossy().into_owned();
    let (secret_name, cert_name) = (w.home.name("leak-secret"), w.home.name("leak-cert"));
    let export = w.home.path().join("export.json");
    let export_s = export.to_string_lossy().into_owned();
    let hostile =
        w.home.write("hostile.json", &format!(r#"{{"version": 1, "profiles": [], "client_secret": "{SECRET}"}}"#));
    let hostile_s = hostile.to_string_lossy().into_owned();
    // The simulator echoes the secret in an error body, as a careless server might.
    let echo = format!(r#"{{"error":"invalid_client","error_description":"bad client_secret={SECRET}"}}"#);

    let cases: Vec<(&str, Vec<&str>, Option<&str>)> = vec![
        ("add secret", add_secret_args(&secret_name, &url), Some(SECRET)),
        (
            "add again",
            vec!["profile", "add", &secret_name, "--client-id", SECRET_CLIENT, "--secret-stdin", "--token-url", &url],
            Some(SECRET),
        ),
        (
            "add live without --live",
            vec!["profile", "add", "x", "--client-id", "live-client", "--secret-stdin"],
            Some(SECRET),
        ),
        (
            "add bad url",
            vec![
                "profile",
                "add",
                "y",
                "--client-id",
                SECRET_CLIENT,
                "--secret-stdin",
                "--token-url",
                "http://example.com/t",
            ],
            Some(SECRET),
        ),
        (
            "add cert",
            vec![
                "profile",
                "add",
                &cert_name,
                "--client-id",
                CERT_CLIENT,
                "--certificate",
                &pem,
                "--scope",
                "client_paymentrequest",
                "--token-url",
                &url,
            ],
            None,
        ),
        ("list", vec!["profile", "list"], None),
        ("list json", vec!["profile", "list", "--json"], None),
        ("token secret", vec!["token", "--profile", &secret_name, "-v", "--json"], None),
        ("token secret cached", vec!["token", "--profile", &secret_name, "-v"], None),
        ("token echoed", vec!["token", "--profile", &secret_name, "-v", "--fresh"], None),
        ("token cert", vec!["token", "--profile", &cert_name, "-v", "--json"], None),
        (
            "token cert wrong scope",
            vec!["token", "--profile", &cert_name, "-v", "--scope", "client_disbursement"],
            None,
        ),
        ("token missing", vec!["token", "--profile", "missing", "-v"], None),
        ("set-secret", vec!["profile", "set-secret", &secret_name, "--secret-stdin"], Some(SECRET)),
        ("export", vec!["profile", "export", &export_s], None),
        ("import dry", vec!["profile", "import", &export_s, "--dry-run"], None),
        ("import", vec!["profile", "import", &export_s], None),
        ("import hostile", vec!["profile", "import", &hostile_s], None),
        ("help", vec!["profile", "add", "--help"], None),
        ("remove secret", vec!["profile", "remove", &secret_name], None),
        ("remove cert", vec!["profile", "remove", &cert_name], None),
        ("remove missing", vec!["profile", "remove", &secret_name], None),
    ];
    let mut outputs = Vec::new();
    for (label, args, stdin) in &cases {
        if *label == "token echoed" {
            w.stitch.sim.inject([Fault::status(400, &echo)]);
        }
        if *label == "export" {
            // Export while the profiles still exist (they are removed at the end).
            assert!(w.home.settings_file().exists());
        }
        outputs.push((*label, w.home.run(args, *stdin)));
    }
    let code = |label: &str| outputs.iter().find(|(l, _)| *l == label).unwrap().1.status.code();
    assert_eq!(code("add secret"), Some(0));
    assert_eq!(code("add cert"), Some(0));
    assert_eq!(code("token secret"), Some(0));
    assert_eq!(code("token cert"), Some(0));
    assert_eq!(code("add again"), Some(2));
    assert_eq!(code("add live without --live"), Some(2));
    assert_eq!(code("token missing"), Some(2));
    assert_eq!(code("import hostile"), Some(2));
    assert_eq!(code("token echoed"), Some(3));

    let key_lines = key_lines(&w.stitch.pem);
    let check = |label: &str, stream: &str| {
        assert!(!stream.contains(SECRET), "{label}: the secret leaked:\n{stream}");
        assert!(!stream.contains(&SECRET[..12]), "{label}: part of the secret leaked");
        for line in &key_lines {
            assert!(!stream.contains(line.as_str()), "{label}: the private key leaked");
        }
    };
    for (label, out) in &outputs {
        check(label, &text(&out.stdout));
        check(label, &text(&out.stderr));
    }
    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(exported.contains(&secret_name) && exported.contains(&cert_name), "the export holds both profiles");
    check("export file", &exported);
    let files = files_under(&w.home.path().join("config"));
    assert!(files.iter().any(|f| f.ends_with("token-desk/profiles.json")));
    for dir in ["config", "cache", "runtime", "data"] {
        for file in files_under(&w.home.path().join(dir)) {
            check(&file.display().to_string(), &String::from_utf8_lossy(&std::fs::read(&file).unwrap()));
        }
    }
}

#[test]
fn without_a_keyring_profile_add_says_so_plainly_and_saves_nothing() {
    let w = World::new(false);
    let out = w.add_secret_profile("offline");
    assert_eq!(out.status.code(), Some(5));
    let err = text(&out.stderr);
    assert!(err.starts_with("token-desk: No keyring service is available"), "{err}");
    assert!(err.contains("The secret was not saved, and profile \"offline\" was not added"), "{err}");
    assert!(!err.contains(SECRET));
    assert!(
        !w.home.settings_file().exists()
            || !std::fs::read_to_string(w.home.settings_file()).unwrap().contains("offline")
    );

    // A profile imported without its secret: asking for a token says the keyring is missing.
    let import = w.home.write(
        "one.json",
        &document(&[&format!(r#"{{"name": "imported", "environment": "test", "client_id": "{SECRET_CLIENT}", "auth": "secret", "scopes": ["client_paymentrequest"], "token_url": "{}"}}"#, w.stitch.sim.token_url())]),
    );
    // The simulator is not Stitch: importing a profile that names it needs --trust-hosts.
    ok(&w.home.import(&import, &["--trust-hosts"]));
    let token = w.home.run(&["token", "--profile", "imported"], None);
    assert_eq!(token.status.code(), Some(5), "{}", text(&token.stderr));
    assert!(text(&token.stderr).contains("cannot be read: No keyring service is available"), "{}", text(&token.stderr));
    // A secret given on the command line still works, and nothing is kept.
    let piped = w.home.run(&["token", "--profile", "imported", "--secret-stdin", "--json"], Some(SECRET));
    assert_eq!(json(&piped)["from_cache"], false);
    let list = w.home.run(&["profile", "list"], None);
    assert!(ok(&list).contains("unknown"));
    assert!(text(&list.stderr).contains("No keyring service is available"));
    assert_eq!(w.stitch.sim.token_requests(), 1);
}

#[test]
fn the_settings_file_is_versioned_private_and_leaves_no_temporary_file() {
    let w = World::new(false);
    let import = w.home.write(
        "two.json",
        &document(&[
            r#"{"name": "a", "environment": "test", "client_id": "test-a", "auth": "secret"}"#,
            r#"{"name": "b", "environment": "live", "client_id": "b-live", "auth": "certificate", "secret_issued_on": "2025-01-02"}"#,
        ]),
    );
    ok(&w.home.import(&import, &[]));
    let file = w.home.settings_file();
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["profiles"].as_array().unwrap().len(), 2);
    let names: Vec<String> = files_under(file.parent().unwrap())
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);

    let list = json(&w.home.run(&["profile", "list", "--json"], None));
    assert_eq!(list[1]["environment"], "live");
    assert_eq!(list[1]["secret_issued_on"], "2025-01-02");
}

#[test]
fn a_settings_file_from_a_newer_version_is_refused_and_left_alone() {
    let w = World::new(false);
    let file = w.home.settings_file();
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let newer = r#"{"version": 2, "profiles": [], "groups": []}"#;
    std::fs::write(&file, newer).unwrap();
    let list = w.home.run(&["profile", "list"], None);
    assert_eq!(list.status.code(), Some(1));
    let err = text(&list.stderr);
    assert!(err.contains("written by a newer Token Desk (format version 2"), "{err}");
    assert!(err.contains("will not overwrite it"), "{err}");
    let import = w.home.write(
        "one.json",
        &document(&[r#"{"name": "a", "environment": "test", "client_id": "test-a", "auth": "secret"}"#]),
    );
    assert_eq!(w.home.import(&import, &[]).status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), newer);
}

#[test]
fn a_damaged_settings_file_ends_profile_and_token_profile_alike_with_exit_code_1() {
    let w = World::new(false);
    let file = w.home.settings_file();
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    // A secret pasted into the file by mistake: what the parser quotes of it is redacted.
    let damaged = format!("{{\"version\": 1, \"profiles\": [{{\"name\": \"{SECRET}\"");
    std::fs::write(&file, &damaged).unwrap();
    let list = w.home.run(&["profile", "list"], None);
    let token = w.home.run(&["token", "--profile", "shop"], None);
    let add = w.home.run(&add_secret_args("shop", &w.stitch.sim.token_url()), Some(SECRET));
    for (command, out) in [("profile list", &list), ("token --profile", &token), ("profile add", &add)] {
        assert_eq!(out.status.code(), Some(1), "{command}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.starts_with("token-desk: The profiles file "), "{command}: {err}");
        assert!(err.contains("cannot be read") && err.contains("will not overwrite it"), "{command}: {err}");
        assert!(!text(&out.stdout).contains(SECRET), "{command}");
    }
    assert!(!text(&add.stderr).contains(SECRET), "{}", text(&add.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), damaged);
}

#[test]
fn hostile_import_files_are_refused_and_change_nothing() {
    let w = World::new(false);
    let good = w.home.write(
        "good.json",
        &document(&[r#"{"name": "kept", "environment": "test", "client_id": "test-a", "auth": "secret"}"#]),
    );
    ok(&w.home.import(&good, &[]));
    let before = std::fs::read(w.home.settings_file()).unwrap();

    let profile = |fields: &str| document(&[&format!(r#"{{"environment": "test", "auth": "secret", {fields}}}"#)]);
    let many: Vec<String> = (0..201)
        .map(|i| format!(r#"{{"name": "p{i}", "environment": "test", "client_id": "test-x", "auth": "secret"}}"#))
        .collect();
    let cases: Vec<(&str, String)> = vec![
        ("not json", "{\"version\": 1, \"profiles\": [".into()),
        ("huge", format!("{{\"version\": 1, \"profiles\": [], \"pad\": \"{}\"}}", "x".repeat(2 * 1024 * 1024))),
        ("wrong types", profile(r#""name": ["a"], "client_id": 7"#)),
        ("unknown version", r#"{"version": 99, "profiles": []}"#.into()),
        ("control characters", profile(r#""name": "evil\u001b]0;pwned\u0007", "client_id": "test-a""#)),
        ("too many", format!(r#"{{"version": 1, "profiles": [{}]}}"#, many.join(","))),
        ("plain http", profile(r#""name": "n", "client_id": "test-a", "token_url": "http://attacker.example/token""#)),
        (
            "plain http api",
            profile(r#""name": "n", "client_id": "test-a", "api_url": "http://attacker.example/graphql""#),
        ),
        ("a secret", profile(r#""name": "n", "client_id": "test-a", "client_secret": "s3cret""#)),
        (
            "duplicate names",
            format!(
                r#"{{"version": 1, "profiles": [{0}, {0}]}}"#,
                r#"{"name": "d", "environment": "test", "client_id": "test-a", "auth": "secret"}"#
            ),
        ),
    ];
    for (label, body) in &cases {
        let file = w.home.write("hostile.json", body);
        let out = w.home.import(&file, &[]);
        assert_eq!(out.status.code(), Some(2), "{label}: {}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.starts_with("token-desk: Cannot import") && err.contains("Nothing was changed."), "{label}: {err}");
        assert!(!err.contains('\u{1b}'), "{label}: a control character reached the terminal");
        assert_eq!(std::fs::read(w.home.settings_file()).unwrap(), before, "{label} changed the settings");
    }
    let missing = w.home.run(&["profile", "import", "/nonexistent/profiles.json"], None);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn import_adds_new_profiles_and_never_overwrites_an_existing_one() {
    let w = World::new(false);
    let secret_client = |name: &str, client: &str| {
        format!(r#"{{"name": "{name}", "environment": "test", "client_id": "{client}", "auth": "secret"}}"#)
    };
    let (same, clash) = (secret_client("same", "test-a"), secret_client("clash", "test-b"));
    ok(&w.home.import(&w.home.write("first.json", &document(&[&same, &clash])), &[]));
    let changed = [same, secret_client("clash", "test-other"), secret_client("new", "test-c")];
    let second = w.home.write("second.json", &document(&changed.each_ref().map(String::as_str)));
    let dry = ok(&w.home.import(&second, &["--dry-run"]));
    assert!(dry.contains("would add: \"new\""), "{dry}");
    assert_eq!(
        json(&w.home.run(&["profile", "list", "--json"], None)).as_array().unwrap().len(),
        2,
        "a dry run adds nothing"
    );

    let out = ok(&w.home.import(&second, &[]));
    assert!(out.contains("adding: \"new\""), "{out}");
    assert!(out.contains("already here, identical: \"same\""), "{out}");
    assert!(out.contains("skipped: \"clash\" exists here with a different client_id"), "{out}");
    let list = json(&w.home.run(&["profile", "list", "--json"], None));
    let clash = list.as_array().unwrap().iter().find(|p| p["name"] == "clash").unwrap();
    assert_eq!(clash["client_id"], "test-b", "the existing profile was not overwritten");
    assert_eq!(list.as_array().unwrap().len(), 3);
}

#[test]
fn profile_mistakes_are_bad_input() {
    let w = World::new(false);
    let url = w.stitch.sim.token_url();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["token", "--profile", "nobody"], "There is no profile named \"nobody\""),
        (vec!["token", "--profile", "p", "--client-id", "x"], "cannot be used with"),
        (vec!["token", "--profile", "p", "--token-url", &url], "cannot be used with"),
        (vec!["profile", "add", "p", "--client-id", "abc-live", "--secret-stdin"], "Add --live"),
        (vec!["profile", "add", "p", "--client-id", "test-a"], "Give the client secret"),
        (vec!["profile", "add", "bad\u{7}name", "--client-id", "test-a", "--secret-stdin"], "control characters"),
        (
            vec!["profile", "add", "p", "--client-id", "test-a", "--secret-stdin", "--secret-issued-on", "yesterday"],
            "YYYY-MM-DD",
        ),
        (
            vec!["profile", "add", "p", "--client-id", "test-a", "--certificate", "/nonexistent.pem"],
            "could not be read",
        ),
        (vec!["profile", "remove", "nobody"], "There is no profile named"),
        (vec!["profile", "set-secret", "nobody", "--secret-stdin"], "There is no profile named"),
        (vec!["token"], "required"),
    ];
    for (args, expected) in cases {
        let out = w.home.run(&args, Some(SECRET));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
    }
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

#[test]
fn profile_help_lists_the_commands_and_the_keyring_exit_code() {
    let w = World::new(false);
    let help = ok(&w.home.run(&["profile", "--help"], None));
    for command in ["add", "set-secret", "list", "remove", "export", "import"] {
        assert!(help.contains(command), "{help}");
    }
    let add = ok(&w.home.run(&["profile", "add", "--help"], None));
    assert!(add.contains("5  no keyring"), "{add}");
    assert!(add.contains("--live"));
}

#[test]
fn a_kept_profile_token_is_served_without_reading_the_secret_until_the_secret_is_replaced() {
    let Some((w, name)) = World::with_secret_profile("kept") else { return };
    let first = w.token_json(&name);
    assert_eq!(first["from_cache"], false);

    // Take the secret away behind Token Desk's back: only the kept token can answer now.
    let profile = token_desk_core::profiles::settings::SettingsFile::at(w.home.settings_file()).find(&name).unwrap();
    let account = token_desk_core::keyring::profile_secrets::account(&profile, "client-secret");
    let cleared = Command::new("secret-tool")
        .args(["clear", "service", &w.home.keyring_service(), "username", &account])
        .env("DBUS_SESSION_BUS_ADDRESS", w.home.bus.as_deref().unwrap())
        .status()
        .unwrap();
    assert!(cleared.success());
    let hit = w.home.run(&["token", "--profile", &name, "--json", "--verbose"], None);
    let second = json(&hit);
    assert_eq!(second["from_cache"], true);
    assert_eq!(second["access_token"], first["access_token"]);
    assert!(String::from_utf8_lossy(&hit.stderr).contains("secret not read"), "{hit:?}");
    assert_eq!(w.stitch.sim.token_requests(), 1);

    // A new secret: the old secret's tokens are not served in its name.
    let set = w.home.run(&["profile", "set-secret", &name, "--secret-stdin"], Some(SECRET));
    ok(&set);
    let third = w.token_json(&name);
    assert_eq!(third["from_cache"], false);
    assert_ne!(third["access_token"], first["access_token"]);
    assert_eq!(w.stitch.sim.token_requests(), 2);

    ok(&w.home.run(&["profile", "remove", &name], None));
}

#[test]
fn code_and_a_collection_for_a_profile_ask_for_the_scopes_given_with_scope() {
    let w = World::new(false);
    let url = w.stitch.sim.token_url();
    let import = w.home.write(
        "coded.json",
        &document(&[&format!(r#"{{"name": "coded", "environment": "test", "client_id": "{SECRET_CLIENT}", "auth": "secret", "scopes": ["client_paymentrequest"], "token_url": "{url}"}}"#)]),
    );
    ok(&w.home.import(&import, &["--trust-hosts"]));
    let code = ok(&w.home.run(&["snippet", "--profile", "coded", "--lang", "curl", "--scope", "client_refund"], None));
    assert!(code.contains("client_refund") && !code.contains("client_paymentrequest"), "{code}");
    let out = w.home.path().join("coded.http");
    let args = ["collection", "--profile", "coded", "--format", "http", "--out", out.to_str().unwrap()];
    ok(&w.home.run(&[&args[..], &["--scope", "client_refund"]].concat(), None));
    let saved = std::fs::read_to_string(&out).unwrap();
    assert!(saved.contains("client_refund") && !saved.contains("client_paymentrequest"), "{saved}");
}
