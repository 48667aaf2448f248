//! The profiles file and import as real processes (the rest of `token-desk profile …` is in
//! `profiles.rs`): a versioned, private file left with no temporary file, a newer or damaged
//! file refused and left alone, hostile import files that change nothing, import that never
//! overwrites, mistakes as bad input, and the help.

mod support;

use support::files::files_under;
use support::profile_world::{ProfileWorld as World, *};
use support::text;

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
