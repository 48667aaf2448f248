//! What is allowed stays inert (issue 23, the second half of `hostile_outputs.rs`): a profile
//! at the edges of the shapes allowed (every mark a client id or scope may hold, URLs whose
//! queries hide shell commands that run the program `./mk`, which makes the file CANARY) makes
//! collections that pass in the real newman, bru and httpyac, and code that runs in bash,
//! Python and Node, and CANARY never appears.
//!
//! The collection tools come from `npm ci --prefix tests/e2e` (scripts/test runs it); without
//! them those cases print `skipped:`.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::import_file::{document, Fields};
use support::tools::{run_tool, tool};
use support::{all_output, assert_inert, leaked, text, Attacker, Home, Mode, HOSTILE_TOKEN};
use token_desk_core::simulator::{ClientAuth, ClientConfig, Simulator, SimulatorConfig};

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

/// The `lang` snippet of the edge profile, saved as `file` and run by `program`: it gets the
/// edge client's token, and nothing hidden in the profile runs.
fn snippet_runs_and_runs_nothing_hidden(lang: &str, file: &str, program: &str) {
    let edge = Edge::new();
    let file = edge.snippet(lang, file);
    let said = run_code(&edge, program, &file);
    assert_eq!(client_id_answered(&said), EDGE_CLIENT, "{said}");
    edge.assert_last_token_request_was_the_edge_clients(program);
    edge.assert_no_canary(program);
}

#[test]
fn the_curl_snippet_of_a_profile_at_the_edges_runs_in_bash_and_runs_nothing_hidden() {
    snippet_runs_and_runs_nothing_hidden("curl", "edge.sh", "bash");
}

#[test]
fn the_python_snippet_of_a_profile_at_the_edges_runs_and_runs_nothing_hidden() {
    snippet_runs_and_runs_nothing_hidden("python", "edge.py", "python3");
}

#[test]
fn the_javascript_snippet_of_a_profile_at_the_edges_runs_in_node_and_runs_nothing_hidden() {
    snippet_runs_and_runs_nothing_hidden("javascript", "edge.mjs", "node");
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
