//! What Token Desk writes and prints carries text from outside, tried as an attacker would
//! (issue 23). An import file is the easiest way to hand someone a value: its client id went
//! verbatim into an `.http` file, and httpyac ran the JavaScript inside `{{ }}`.
//!
//! 1. Identifiers have a shape, checked at every entry: a value with a template (`{{…}}`,
//!    `${…}`), a backtick, a quote, a shell expansion (`$(…)`), a line break or ESC is refused
//!    in every field an import file sets (the name, client id, scopes, token URL, audience,
//!    API URL) with the profile and the field named, and nothing is written; the same on the
//!    command line and in a settings file edited by hand.
//! 2. What is allowed stays inert: a profile at the edges of the shapes allowed (every mark a
//!    client id or scope may hold, URLs whose queries hide shell commands that run the program
//!    `./mk`, which makes the file CANARY) makes collections that pass in the real newman, bru
//!    and httpyac, and code that runs in bash, Python and Node, and CANARY never appears.
//!
//! The collection tools come from `npm ci --prefix tests/e2e` (scripts/test runs it); without
//! them those cases print `skipped:`. The keyring case runs under
//! `scripts/test -p token-desk-cli --test hostile_outputs`.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::skip::keyring_tests;
use support::tools::{run_tool, tool};
use support::{all_output, assert_inert, leaked, text, Attacker, Home, Mode, HOSTILE_TOKEN};
use token_desk_core::simulator::{ClientAuth, ClientConfig, Simulator, SimulatorConfig};

const STITCH: &str = "https://secure.stitch.money/connect/token";
const STITCH_API: &str = "https://api.stitch.money/graphql";

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

/// One profile of an import file as JSON, from its fields (`None`: left out).
#[derive(Clone)]
struct Fields {
    name: String,
    client_id: String,
    scopes: Vec<String>,
    token_url: String,
    audience: Option<String>,
    api_url: String,
}

impl Fields {
    fn new(name: &str, client_id: &str) -> Self {
        Fields {
            name: name.into(),
            client_id: client_id.into(),
            scopes: vec!["client_paymentrequest".into()],
            token_url: STITCH.into(),
            audience: None,
            api_url: STITCH_API.into(),
        }
    }

    fn json(&self) -> serde_json::Value {
        let mut p = serde_json::json!({
            "name": self.name,
            "environment": "test",
            "client_id": self.client_id,
            "auth": "secret",
            "scopes": self.scopes,
            "token_url": self.token_url,
            "api_url": self.api_url,
        });
        if let Some(a) = &self.audience {
            p["audience"] = a.as_str().into();
        }
        p
    }
}

/// An import file holding `profiles`.
fn document(profiles: &[Fields]) -> String {
    serde_json::json!({ "version": 1, "profiles": profiles.iter().map(Fields::json).collect::<Vec<_>>() }).to_string()
}

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

// ---- 2. What is allowed stays inert in every tool and language ----

/// A client id with every mark a client id may hold.
const EDGE_CLIENT: &str = "test-a.b:c_D-9";
/// A scope name with every mark a scope name may hold.
const EDGE_SCOPE: &str = "edge.scope:A_9-z";
const EDGE_SECRET: &str = "Edge-secret-7Qm2";
/// A profile name at the edge of the names allowed: ASCII punctuation but the nine refused.
const EDGE_NAME: &str = "Edge (a.b) & co; #1 [x] = 100% ~ ^ | ! ? @ * + , / _ -";
/// Queries a URL may hold (none of `{ } $ \` ' " < > \ |`) that a shell reading them unquoted
/// would take for commands: each runs `./mk` (`echo URL` in bash makes CANARY with either).
const TOKEN_QUERY: &str = "?tenant=a.b&./mk&x=(1)&z=*#frag";
const API_QUERY: &str = "?a=1;./mk;b=2&c=*";

/// The simulator knowing the edge client, a home whose profile [`EDGE_NAME`] is the edge
/// client at URLs with [`TOKEN_QUERY`] and [`API_QUERY`], imported from a file, and the
/// program `mk` (which makes CANARY next to it) in the home.
struct Edge {
    sim: Simulator,
    home: Home,
    _rt: tokio::runtime::Runtime,
}

impl Edge {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let home = Home::new(false);
        let sim = rt
            .block_on(Simulator::start(SimulatorConfig {
                data_dir: home.path().join("sim"),
                clients: vec![ClientConfig {
                    client_id: EDGE_CLIENT.into(),
                    auth: ClientAuth::Secret(EDGE_SECRET.into()),
                    allowed_scopes: vec!["client_paymentrequest".into(), EDGE_SCOPE.into()],
                    withheld_scopes: vec![],
                }],
                ..SimulatorConfig::default()
            }))
            .unwrap();
        let edge = Edge { sim, home, _rt: rt };
        edge.plant_canary(edge.home.path());
        let mut p = Fields::new(EDGE_NAME, EDGE_CLIENT);
        p.scopes = vec!["client_paymentrequest".into(), EDGE_SCOPE.into()];
        p.token_url = format!("{}{TOKEN_QUERY}", edge.sim.token_url());
        p.audience = Some(edge.sim.token_url());
        p.api_url = format!("{}{API_QUERY}", edge.sim.api_url());
        let file = edge.home.write("edge.json", &document(&[p]));
        let out = edge.home.import(&file, &["--trust-hosts"]);
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
        assert!(!text(&out.stdout).contains("\u{1b}"));
        edge
    }

    /// Puts the program `mk` in `dir`: run, it makes the home's CANARY.
    fn plant_canary(&self, dir: &Path) {
        use std::os::unix::fs::PermissionsExt;
        let mk = dir.join("mk");
        std::fs::write(&mk, format!("#!/bin/sh\ntouch '{}'\n", self.canary().display())).unwrap();
        std::fs::set_permissions(&mk, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn canary(&self) -> PathBuf {
        self.home.path().join("CANARY")
    }

    #[track_caller]
    fn assert_no_canary(&self, case: &str) {
        assert!(!self.canary().exists(), "{case}: a command hidden in a value ran");
    }

    /// `token-desk collection` of the edge profile in `format`; the path written.
    fn collection(&self, format: &str) -> PathBuf {
        let out = self.home.path().join(format!("edge-{format}"));
        let args = ["collection", "--format", format, "--profile", EDGE_NAME, "--out", out.to_str().unwrap()];
        let done = self.home.run(&args, None);
        assert_eq!(done.status.code(), Some(0), "{}", all_output(&done));
        out
    }

    /// `token-desk snippet` of the edge profile in `lang`, written to `file_name`.
    fn snippet(&self, lang: &str, file_name: &str) -> PathBuf {
        let done = self.home.run(&["snippet", "--profile", EDGE_NAME, "--lang", lang], None);
        assert_eq!(done.status.code(), Some(0), "{}", all_output(&done));
        self.home.write(file_name, &text(&done.stdout))
    }

    /// The last token request's form: the edge client, both scopes, sent by `tool`.
    #[track_caller]
    fn assert_last_token_request_was_the_edge_clients(&self, tool: &str) {
        let body = self.sim.recorded().last().unwrap_or_else(|| panic!("{tool} sent no token request")).body.clone();
        let form: BTreeMap<String, String> = serde_urlencoded::from_str(&body).unwrap();
        assert_eq!(form["client_id"], EDGE_CLIENT, "{tool}");
        assert_eq!(form["scope"], format!("client_paymentrequest {EDGE_SCOPE}"), "{tool}");
        assert_eq!(form["client_secret"], EDGE_SECRET, "{tool}");
    }
}

/// Runs `program file` in the home with the secret in the snippets' variable; its output.
fn run_code(edge: &Edge, program: &str, file: &Path) -> String {
    let out = Command::new(program)
        .arg(file)
        .current_dir(edge.home.path())
        .env(token_desk_core::snippet::SECRET_VAR, EDGE_SECRET)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program} is installed (scripts/test needs it): {e}"));
    let said = all_output(&out);
    assert!(out.status.success(), "{program} {}:\n{said}", file.display());
    said
}

/// The client id in the API's answer that `said` ends with (its JSON, compact or indented).
fn client_id_answered(said: &str) -> String {
    let start = said.find('{').unwrap_or_else(|| panic!("no JSON answer in:\n{said}"));
    let answer: serde_json::Value = serde_json::from_str(said[start..].trim()).unwrap();
    answer["data"]["client"]["clientId"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_commands_hidden_in_the_edge_urls_do_run_when_a_shell_reads_them_unquoted() {
    // The proof that the canary is live: the cases below mean something only because it is.
    let edge = Edge::new();
    for url in [format!("{}{TOKEN_QUERY}", edge.sim.token_url()), format!("{}{API_QUERY}", edge.sim.api_url())] {
        let _ = Command::new("bash").arg("-c").arg(format!("echo {url}; wait")).current_dir(edge.home.path()).output();
        assert!(edge.canary().exists(), "{url} ran nothing in bash");
        std::fs::remove_file(edge.canary()).unwrap();
    }
}

#[test]
fn a_postman_collection_of_a_profile_at_the_edges_runs_in_newman_and_runs_nothing_hidden() {
    let Some(newman) = tool("newman") else { return };
    let edge = Edge::new();
    let file = edge.collection("postman");
    let secret = format!("client_secret={EDGE_SECRET}");
    let (ok, said) = run_tool(&newman, &["run", file.to_str().unwrap(), "--env-var", &secret], edge.home.path());
    assert!(ok, "{said}");
    edge.assert_last_token_request_was_the_edge_clients("newman");
    assert_eq!(edge.sim.api_requests(), 1, "{said}");
    edge.assert_no_canary("newman");
}

#[test]
fn a_bruno_collection_of_a_profile_at_the_edges_runs_in_bru_and_runs_nothing_hidden() {
    let Some(bru) = tool("bru") else { return };
    let edge = Edge::new();
    let folder = edge.collection("bruno");
    edge.plant_canary(&folder);
    let secret = format!("client_secret={EDGE_SECRET}");
    let (ok, said) = run_tool(&bru, &["run", "-r", "--env-var", &secret], &folder);
    assert!(ok, "{said}");
    edge.assert_last_token_request_was_the_edge_clients("bru");
    assert_eq!(edge.sim.api_requests(), 1, "{said}");
    edge.assert_no_canary("bru");
}

#[test]
fn an_http_file_of_a_profile_at_the_edges_runs_in_httpyac_and_runs_nothing_hidden() {
    let Some(httpyac) = tool("httpyac") else { return };
    let edge = Edge::new();
    let file = edge.collection("http");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains(&format!("\n@client_id = {EDGE_CLIENT}\n")), "{written}");
    assert!(written.contains(&format!("\n@api_url = {}{API_QUERY}\n", edge.sim.api_url())), "{written}");
    let secret = format!("client_secret={EDGE_SECRET}");
    let args = ["send", file.to_str().unwrap(), "--all", "--bail", "--var", &secret];
    let (ok, said) = run_tool(&httpyac, &args, edge.home.path());
    assert!(ok, "{said}");
    edge.assert_last_token_request_was_the_edge_clients("httpyac");
    assert_eq!(edge.sim.api_requests(), 1, "{said}");
    edge.assert_no_canary("httpyac");
}

#[test]
fn the_curl_snippet_of_a_profile_at_the_edges_runs_in_bash_and_runs_nothing_hidden() {
    let edge = Edge::new();
    let file = edge.snippet("curl", "edge.sh");
    let said = run_code(&edge, "bash", &file);
    assert_eq!(client_id_answered(&said), EDGE_CLIENT, "{said}");
    edge.assert_last_token_request_was_the_edge_clients("bash");
    edge.assert_no_canary("bash");
}

#[test]
fn the_python_snippet_of_a_profile_at_the_edges_runs_and_runs_nothing_hidden() {
    let edge = Edge::new();
    let file = edge.snippet("python", "edge.py");
    let said = run_code(&edge, "python3", &file);
    assert_eq!(client_id_answered(&said), EDGE_CLIENT, "{said}");
    edge.assert_last_token_request_was_the_edge_clients("python3");
    edge.assert_no_canary("python3");
}

#[test]
fn the_javascript_snippet_of_a_profile_at_the_edges_runs_in_node_and_runs_nothing_hidden() {
    let edge = Edge::new();
    let file = edge.snippet("javascript", "edge.mjs");
    let said = run_code(&edge, "node", &file);
    assert_eq!(client_id_answered(&said), EDGE_CLIENT, "{said}");
    edge.assert_last_token_request_was_the_edge_clients("node");
    edge.assert_no_canary("node");
}

#[test]
fn every_collection_and_snippet_holds_the_edge_values_exactly_and_nothing_else_from_the_profile() {
    let edge = Edge::new();
    let token_url = format!("{}{TOKEN_QUERY}", edge.sim.token_url());
    let api_url = format!("{}{API_QUERY}", edge.sim.api_url());
    let mut written = String::new();
    for format in ["postman", "bruno", "http"] {
        let out = edge.collection(format);
        let files = if out.is_dir() { support::files::files_under(&out) } else { vec![out] };
        for f in files {
            written.push_str(&std::fs::read_to_string(f).unwrap());
        }
    }
    for needle in [EDGE_CLIENT, EDGE_SCOPE, token_url.as_str(), api_url.as_str()] {
        assert!(written.contains(needle), "{needle} is missing");
    }
    assert!(!written.contains(EDGE_NAME), "the profile's name is not written into a collection");
    assert!(!written.contains(EDGE_SECRET));
    for lang in ["curl", "python", "javascript", "csharp"] {
        let code = std::fs::read_to_string(edge.snippet(lang, "code.txt")).unwrap();
        assert!(code.contains(&format!("'{token_url}'")) || code.contains(&format!("\"{token_url}\"")), "{lang}");
        assert!(!code.chars().any(|c| c.is_control() && c != '\n'), "{lang}: a control character");
    }
}

// ---- 3. Text from servers (the token endpoint, the API, proxies) ----
//
// Servers that put terminal controls into every text they return and echo the token wherever
// they can: nothing that could drive a terminal (ESC, the C1 CSI, bidi controls) reaches
// stdout or stderr, and the token appears in no output but the one asked for.

const SERVER_SECRET: &str = "Hx7-q2Wv9Lp4Mc8Rt1Bz6Kn3Ja5Gd0Yf";
const SERVER_CLIENT: &str = "test-hostile-outputs";

fn token_run(attacker: &Attacker, extra: &[&str]) -> std::process::Output {
    let url = attacker.url("/connect/token");
    let mut args = vec![
        "token",
        "--client-id",
        SERVER_CLIENT,
        "--scope",
        "client_paymentrequest",
        "--secret-stdin",
        "--token-url",
        &url,
    ];
    args.extend_from_slice(extra);
    Home::new(false).run(&args, Some(SERVER_SECRET))
}

fn check_run(attacker: &Attacker, extra: &[&str]) -> std::process::Output {
    let (url, api) = (attacker.url("/connect/token"), attacker.url("/graphql"));
    let mut args = vec![
        "check",
        "--client-id",
        SERVER_CLIENT,
        "--scope",
        "client_paymentrequest",
        "--secret-stdin",
        "--token-url",
        &url,
        "--api-url",
        &api,
    ];
    args.extend_from_slice(extra);
    Home::new(false).run(&args, Some(SERVER_SECRET))
}

/// Neither the token nor the secret in any encoding, anywhere in `shown`.
fn no_token_or_secret(shown: &str, case: &str) {
    assert_eq!(leaked(shown, HOSTILE_TOKEN), None, "{case}: the token leaked:\n{shown}");
    assert_eq!(leaked(shown, SERVER_SECRET), None, "{case}: the secret leaked:\n{shown}");
}

#[test]
fn an_oauth_error_full_of_terminal_controls_reaches_stderr_escaped() {
    let attacker = Attacker::start(Mode::Hostile { status: 400 });
    let out = token_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", all_output(&out));
    assert_inert(&out, "token, OAuth error");
    let err = text(&out.stderr);
    assert!(err.contains("\\x1b]52;c;"), "the OSC 52 sequence is shown as an escape:\n{err}");
    assert!(err.contains("\\u202e"), "the bidi override is shown as an escape:\n{err}");
    no_token_or_secret(&all_output(&out), "token, OAuth error");
}

#[test]
fn an_oauth_error_full_of_terminal_controls_stays_inert_with_verbose() {
    let attacker = Attacker::start(Mode::Hostile { status: 401 });
    let out = token_run(&attacker, &["-v"]);
    assert_eq!(out.status.code(), Some(3), "{}", all_output(&out));
    assert_inert(&out, "token -v, OAuth error");
    no_token_or_secret(&all_output(&out), "token -v, OAuth error");
}

#[test]
fn a_server_error_page_full_of_terminal_controls_reaches_stderr_escaped() {
    let attacker = Attacker::start(Mode::Hostile { status: 502 });
    let out = token_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(4), "{}", all_output(&out));
    assert_inert(&out, "token, 502");
}

#[test]
fn the_token_asked_for_is_printed_alone_and_its_echoes_nowhere_else() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = token_run(&attacker, &["-v"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert_eq!(text(&out.stdout), format!("{HOSTILE_TOKEN}\n"));
    assert_inert(&out, "token -v, hostile token response");
    no_token_or_secret(&text(&out.stderr), "token -v stderr");
}

#[test]
fn token_json_holds_the_token_only_in_access_token_and_escapes_every_control() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = token_run(&attacker, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert_inert(&out, "token --json");
    let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["access_token"], HOSTILE_TOKEN);
    json.as_object_mut().unwrap().remove("access_token");
    no_token_or_secret(&json.to_string(), "token --json without access_token");
    no_token_or_secret(&text(&out.stderr), "token --json stderr");
    let scope = json["scope"].as_str().unwrap();
    assert!(scope.starts_with("client_paymentrequest "), "the granted scope is kept: {scope}");
    assert!(!scope.contains("owned"), "a piece that is no scope-token (RFC 6749 A.4) is left out: {scope}");
    assert!(json["token_type"].as_str().unwrap().contains('\u{1b}'), "JSON still says what the server said, escaped");
}

#[test]
fn an_access_token_holding_a_control_character_is_refused_not_printed() {
    let attacker = Attacker::start(Mode::HostileToken);
    let out = token_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(4), "{}", all_output(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", text(&out.stdout));
    assert!(text(&out.stderr).contains("RFC 6749 Appendix A.12"), "{}", text(&out.stderr));
    assert_inert(&out, "token with a control character");
}

#[test]
fn check_shows_no_token_the_api_echoed_and_no_control_it_sent() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = check_run(&attacker, &[]);
    assert_eq!(out.status.code(), Some(3), "the API said a scope is missing: {}", all_output(&out));
    assert_inert(&out, "check");
    no_token_or_secret(&all_output(&out), "check");
    let said = text(&out.stdout);
    assert!(said.contains("--scope client_paymentrequest"), "the real missing scope is offered:\n{said}");
    let fix = said.lines().find(|l| l.starts_with("Fix:")).expect("a fix is offered");
    assert_eq!(fix, "Fix: get a new token that adds --scope client_paymentrequest", "only a scope's name is offered");
    assert!(!said.contains("owned"), "a granted 'scope' that is no scope-token is left out:\n{said}");
}

#[test]
fn check_json_and_verbose_show_no_token_and_no_control() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let out = check_run(&attacker, &["--json", "-v"]);
    assert_eq!(out.status.code(), Some(3), "{}", all_output(&out));
    assert_inert(&out, "check --json -v");
    no_token_or_secret(&all_output(&out), "check --json -v");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["missing_scopes"], serde_json::json!(["client_paymentrequest"]));
}

#[test]
fn a_token_piped_to_check_is_not_shown_back_when_the_api_echoes_it() {
    let attacker = Attacker::start(Mode::Hostile { status: 200 });
    let api = attacker.url("/graphql");
    let out =
        Home::new(false).run(&["check", "--token-stdin", "--api-url", &api, "-v"], Some("piped-token-Lk3Vb8Nm2Jh7Gf4"));
    assert_inert(&out, "check --token-stdin");
    assert_eq!(leaked(&all_output(&out), "piped-token-Lk3Vb8Nm2Jh7Gf4"), None, "{}", all_output(&out));
}
