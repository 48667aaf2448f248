//! `token-desk profile …` and `token-desk token --profile` as real processes, against the
//! simulator on 127.0.0.1, each test with its own config, cache and runtime folders.
//!
//! Tests marked "keyring" use the real Secret Service and run only with
//! `TOKEN_DESK_KEYRING_TESTS=1` (scripts/test starts a D-Bus session and gnome-keyring);
//! the others point the session bus nowhere, so they never touch a keyring.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use support::files::files_under;
use support::profile_world::{ProfileWorld as World, *};
use support::stitch::key_lines;
use support::text;
use token_desk_core::simulator::Fault;

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
