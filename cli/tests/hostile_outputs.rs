//! What Token Desk writes and prints carries text from outside, tried as an attacker would
//! (issue 23). An import file is the easiest way to hand someone a value: its client id went
//! verbatim into an `.http` file, and httpyac ran the JavaScript inside `{{ }}`.
//!
//! 1. Identifiers have a shape, checked at every entry: a value with a template (`{{…}}`,
//!    `${…}`), a backtick, a quote, a shell expansion (`$(…)`), a line break or ESC is refused
//!    in every field an import file sets (the name, client id, scopes, token URL, audience,
//!    API URL) with the profile and the field named, and nothing is written; the same on the
//!    command line and in a settings file edited by hand.
//! 2. What is allowed stays inert: in `inert_outputs.rs`.
//!
//! The keyring case runs under `scripts/test -p token-desk-cli --test hostile_outputs`.

mod support;

use std::process::Output;

use support::import_file::{document, Fields, STITCH, STITCH_API};
use support::skip::keyring_tests;
use support::{all_output, text, Attacker, Home, Mode};

/// Values out to be run or interpolated by whatever reads them, each with what it is. Each
/// command in them would make the file CANARY.
const HOSTILE: [(&str, &str); 8] = [
    ("{{require('child_process').execSync('touch CANARY')}}", "a template"),
    ("${require('child_process').execSync('touch CANARY')}", "a JavaScript template"),
    ("`touch CANARY`", "backticks"),
    ("x'; touch CANARY; '", "a single quote"),
    ("x\"; touch CANARY; \"", "a double quote"),
    ("$(touch CANARY)", "a shell expansion"),
    ("x\ntouch CANARY", "a line break"),
    ("x\u{1b}]0;owned\u{7}\u{1b}[2J", "terminal control (ESC)"),
];

/// A home whose settings file already holds the profile "kept".
fn home_with_a_profile() -> Home {
    let home = Home::new(false);
    let file = home.write("kept.json", &document(&[Fields::new("kept", "test-kept")]));
    let out = home.import(&file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    home
}

/// The refusal of bad input: exit code 2, `phrase` in what was said, no raw ESC, CSI or bidi
/// control said, and no canary made in the home.
#[track_caller]
fn refused(out: &Output, phrase: &str, home: &Home) -> String {
    refused_with(out, 2, phrase, home)
}

/// [`refused`] with exit code `code`.
#[track_caller]
fn refused_with(out: &Output, code: i32, phrase: &str, home: &Home) -> String {
    let all = all_output(out);
    assert_eq!(out.status.code(), Some(code), "{all}");
    assert!(all.contains(phrase), "expected {phrase:?} in:\n{all}");
    assert!(!all.contains(['\u{1b}', '\u{9b}', '\u{7}', '\u{202e}']), "raw terminal control in:\n{all:?}");
    assert!(!home.path().join("CANARY").exists(), "the canary ran");
    all
}

/// Imports, one at a time, a file holding a good profile and one whose field is set by `set`
/// to each hostile value (with `--trust-hosts`, so only the shape can refuse it): each import
/// is refused whole, naming the profile "team" and the field (`phrase`), and the settings file
/// is the same bytes as before.
fn each_hostile_value_is_refused_at_import(set: impl Fn(&mut Fields, &str), phrase: &str) {
    let home = home_with_a_profile();
    let before = home.settings().unwrap();
    for (value, what) in HOSTILE {
        let mut team = Fields::new("team", "test-team");
        set(&mut team, value);
        let file = home.write("team.json", &document(&[Fields::new("fine", "test-fine"), team]));
        let out = home.import(&file, &["--trust-hosts"]);
        let all = refused(&out, phrase, &home);
        assert!(all.contains("Nothing was changed"), "{what}: {all}");
        assert_eq!(home.settings().unwrap(), before, "{what}: the settings file changed");
    }
}

// ---- 1. Identifiers have a shape, at every entry ----

#[test]
fn a_profile_name_with_a_template_quote_expansion_or_control_is_refused_at_import() {
    each_hostile_value_is_refused_at_import(|p, v| p.name = format!("team {v}"), "The profile name \"team ");
}

#[test]
fn a_client_id_with_a_template_quote_expansion_or_control_is_refused_at_import() {
    each_hostile_value_is_refused_at_import(
        |p, v| p.client_id = format!("test-{v}"),
        "The client ID of profile \"team\" (\"test-",
    );
}

#[test]
fn a_scope_with_a_template_quote_expansion_or_control_is_refused_at_import() {
    each_hostile_value_is_refused_at_import(
        |p, v| p.scopes.push(format!("client_{v}")),
        "Profile \"team\" has a scope \"client_",
    );
}

#[test]
fn a_token_url_with_a_template_quote_expansion_or_control_is_refused_at_import() {
    each_hostile_value_is_refused_at_import(
        |p, v| p.token_url = format!("{STITCH}?tenant={v}"),
        "Profile \"team\": The token URL \"https://secure.stitch.money/connect/token?tenant=",
    );
}

#[test]
fn an_audience_with_a_template_quote_expansion_or_control_is_refused_at_import() {
    each_hostile_value_is_refused_at_import(
        |p, v| p.audience = Some(format!("{STITCH}?aud={v}")),
        "Profile \"team\": The audience \"https://secure.stitch.money/connect/token?aud=",
    );
}

#[test]
fn an_api_url_with_a_template_quote_expansion_or_control_is_refused_at_import() {
    each_hostile_value_is_refused_at_import(
        |p, v| p.api_url = format!("{STITCH_API}?q={v}"),
        "Profile \"team\": The API URL \"https://api.stitch.money/graphql?q=",
    );
}

#[test]
fn the_issues_client_id_is_refused_at_import_so_no_collection_can_carry_it() {
    let home = Home::new(false);
    let id = "test-{{require('child_process').execSync('id>owned')}}";
    let file = home.write("team.json", &document(&[Fields::new("team", id)]));
    let out = home.import(&file, &["--trust-hosts"]);
    refused(&out, "The client ID of profile \"team\" (\"test-{{require(", &home);
    assert_eq!(home.settings(), None, "no settings file was written");
    let http = home.path().join("team.http");
    let out = home.run(&["collection", "--format", "http", "--profile", "team", "--out", http.to_str().unwrap()], None);
    refused(&out, "There is no profile named \"team\"", &home);
    assert!(!http.exists());
    assert!(!home.path().join("owned").exists());
}

#[test]
fn a_settings_file_edited_to_hold_a_template_is_refused_naming_the_profile_and_field_and_left_alone() {
    let home = home_with_a_profile();
    let edited = text(&home.settings().unwrap()).replace("\"test-kept\"", "\"test-{{7*7}}\"");
    std::fs::write(home.settings_file(), &edited).unwrap();
    let out_file = home.path().join("kept.http");
    let out = out_file.to_str().unwrap();
    // A damaged profiles file is Token Desk's own failure (exit 1) from every command alike
    // (issue 24: `profile` said 1 and the others 2).
    for args in [
        vec!["profile", "list"],
        vec!["collection", "--format", "http", "--profile", "kept", "--out", out],
        vec!["snippet", "--profile", "kept", "--lang", "curl"],
        vec!["token", "--profile", "kept", "--secret-stdin"],
    ] {
        let phrase = "The client ID of profile \"kept\" (\"test-{{7*7}}\")";
        let said = refused_with(&home.run(&args, Some("a-secret")), 1, phrase, &home);
        assert!(said.contains("will not overwrite it"), "{args:?}: {said}");
        assert_eq!(text(&home.settings().unwrap()), edited, "{args:?}: the file was changed");
    }
    assert!(!out_file.exists());
}

#[test]
fn a_token_request_with_a_hostile_client_id_scope_or_url_on_the_command_line_sends_nothing() {
    let attacker = Attacker::start(Mode::Token);
    let home = Home::new(false);
    let url = attacker.url("/connect/token");
    for (value, what) in HOSTILE {
        let client = format!("test-{value}");
        let scope = format!("client_{value}");
        let odd_url = format!("{url}?t={value}");
        for (args, phrase) in [
            (vec!["--client-id", &client, "--scope", "client_paymentrequest", "--token-url", &url], "The client ID"),
            (vec!["--client-id", "test-a", "--scope", &scope, "--token-url", &url], "The scope \"client_"),
            (vec!["--client-id", "test-a", "--scope", "client_refund", "--token-url", &odd_url], "The token URL"),
            (
                vec!["--client-id", "test-a", "--scope", "client_refund", "--token-url", &url, "--audience", &odd_url],
                "The audience",
            ),
        ] {
            if phrase.starts_with("The scope") && value.contains('\n') {
                continue; // a line break separates scopes as a space does: three plain scopes
            }
            let mut all = vec!["token", "--secret-stdin"];
            all.extend(args);
            let out = home.run(&all, Some("a-secret"));
            assert!(refused(&out, phrase, &home).contains(phrase), "{what}");
        }
    }
    attacker.assert_untouched("hostile command-line values");
}

#[test]
fn a_collection_with_a_hostile_value_on_the_command_line_is_refused_naming_the_field_and_not_written() {
    let home = Home::new(false);
    for format in ["postman", "bruno", "http"] {
        let out_path = home.path().join(format!("refused-{format}"));
        let out = out_path.to_str().unwrap();
        for (value, what) in HOSTILE {
            let client = format!("test-{value}");
            let scope = format!("client_{value}");
            let url = format!("{STITCH}?t={value}");
            let api = format!("{STITCH_API}?t={value}");
            for (option, given, phrase) in [
                ("--client-id", client.as_str(), "The client ID"),
                ("--scope", scope.as_str(), "The scope \"client_"),
                ("--token-url", url.as_str(), "The token URL"),
                ("--audience", url.as_str(), "The audience"),
                ("--api-url", api.as_str(), "The API URL"),
            ] {
                if option == "--scope" && value.contains('\n') {
                    continue; // a line break separates scopes as a space does: three plain scopes
                }
                let mut args = vec!["collection", "--format", format, "--out", out, option, given];
                if option != "--client-id" {
                    args.extend(["--client-id", "test-a"]);
                }
                let said = refused(&home.run(&args, None), phrase, &home);
                assert!(!out_path.exists(), "{format} {option} {what}: written anyway:\n{said}");
            }
        }
    }
}

#[test]
fn a_snippet_with_a_hostile_value_on_the_command_line_is_refused_and_prints_no_code() {
    let home = Home::new(false);
    for (value, what) in HOSTILE {
        let client = format!("test-{value}");
        let api = format!("{STITCH_API}?t={value}");
        for lang in ["curl", "python", "javascript", "csharp"] {
            for (option, given, phrase) in
                [("--client-id", client.as_str(), "The client ID"), ("--api-url", api.as_str(), "The API URL")]
            {
                let out = home.run(&["snippet", "--lang", lang, option, given], None);
                refused(&out, phrase, &home);
                assert!(out.stdout.is_empty(), "{lang} {option} {what}: code was printed");
            }
        }
    }
}

#[test]
fn a_profile_added_on_the_command_line_with_a_hostile_value_is_not_saved() {
    let home = home_with_a_profile();
    let before = home.settings();
    for (value, what) in HOSTILE {
        let name = format!("team {value}");
        let client = format!("test-{value}");
        let scope = format!("client_{value}");
        let url = format!("{STITCH}?t={value}");
        let api = format!("{STITCH_API}?t={value}");
        let cases: [(&[&str], &str); 5] = [
            (&["profile", "add", &name, "--client-id", "test-a"], "The profile name"),
            (&["profile", "add", "team", "--client-id", &client], "The client ID of profile \"team\""),
            (&["profile", "add", "team", "--client-id", "test-a", "--scope", &scope], "has a scope"),
            (&["profile", "add", "team", "--client-id", "test-a", "--token-url", &url], "The token URL"),
            (&["profile", "add", "team", "--client-id", "test-a", "--api-url", &api], "The API URL"),
        ];
        for (args, phrase) in cases {
            if phrase == "has a scope" && value.contains('\n') {
                continue; // a line break separates scopes as a space does: three plain scopes
            }
            let mut args = args.to_vec();
            args.push("--secret-stdin");
            refused(&home.run(&args, Some("a-secret")), phrase, &home);
            assert_eq!(home.settings(), before, "{what}: {args:?}");
        }
    }
}

#[test]
fn a_profile_added_with_a_hostile_value_leaves_the_settings_file_and_the_keyring_as_they_were() {
    if !keyring_tests() {
        return;
    }
    let home = Home::new(true);
    let name = home.name("kept");
    let ok = home.run(&["profile", "add", &name, "--client-id", "test-kept", "--secret-stdin"], Some("kept-secret"));
    assert_eq!(ok.status.code(), Some(0), "{}", all_output(&ok));
    let before = home.snapshot();
    for (value, what) in HOSTILE {
        let other = home.name("other");
        let client = format!("test-{value}");
        let url = format!("{STITCH}?t={value}");
        for (args, phrase) in [
            (vec!["profile", "add", &other, "--client-id", &client, "--secret-stdin"], "The client ID of profile"),
            (
                vec!["profile", "add", &other, "--client-id", "test-a", "--token-url", &url, "--secret-stdin"],
                "The token URL",
            ),
        ] {
            refused(&home.run(&args, Some("other-secret")), phrase, &home);
        }
        assert_eq!(home.snapshot(), before, "{what}: the settings file or the keyring changed");
    }
}

#[test]
fn urls_are_kept_and_used_re_serialised_never_as_typed() {
    let home = Home::new(false);
    let mut typed = Fields::new("typed", "test-typed");
    typed.token_url = "HTTPS://Secure.Stitch.Money:443/connect/./token".into();
    typed.api_url = "https://API.stitch.money/a/../graphql?x=1&y=(2)".into();
    let file = home.write("typed.json", &document(&[typed]));
    let out = home.import(&file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let saved = text(&home.settings().unwrap());
    assert!(saved.contains("\"token_url\": \"https://secure.stitch.money/connect/token\""), "{saved}");
    assert!(saved.contains("\"api_url\": \"https://api.stitch.money/graphql?x=1&y=(2)\""), "{saved}");
    let out =
        home.run(&["snippet", "--lang", "python", "--token-url", "HTTPS://SECURE.stitch.money/connect/token"], None);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(text(&out.stdout).contains("TOKEN_URL = \"https://secure.stitch.money/connect/token\""));
}
