//! `token-desk collection` end to end: each generated collection runs in the real tool
//! (newman, @usebruno/cli, httpyac, pinned in tests/e2e/package.json) against the simulator
//! on 127.0.0.1, passes with the right credential and fails with a wrong one; the files never
//! hold the secret, the private key or a token, and running them changes nothing in them.
//!
//! The tools come from `npm ci --prefix tests/e2e` (scripts/test runs it). Without them these
//! tests print `skipped:`, except under scripts/test, where a missing tool fails.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use support::stitch::{key_lines, Clients, World};
use support::tools::{run_tool, tool};
use support::{text, Home};
use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::simulator::Fault;

const BIN: &str = env!("CARGO_BIN_EXE_token-desk");
/// A secret with every character a form body must encode; finding it in a file is a leak.
const SECRET: &str = "Qz7&Lm+2%Vb=8 Zr4?Tk#1/Wc";
const SECRET_CLIENT: &str = "test-collection-secret-client";

// This file's world: the shared one (support::stitch), whose secret client may have both
// scopes, in a home whose binary logs nothing extra; the certificate flow uses the
// simulator's demo certificate client.
impl World {
    fn new() -> Self {
        World::start(Home::new(false), &Clients::new(SECRET_CLIENT, SECRET, "test-collection-cert-client"))
    }

    /// The simulator's demo certificate client's PEM file (made on this machine).
    fn pem(&self) -> PathBuf {
        self.stitch.sim.demo().certificate_path.clone()
    }

    /// Runs `token-desk collection` for `format`/`flow` into a new path; returns that path.
    fn generate(&self, format: &str, flow: &str) -> PathBuf {
        let client = if flow == "secret" { SECRET_CLIENT } else { demo::CERTIFICATE_CLIENT_ID };
        let out = self.home.path().join(format!("{format}-{flow}"));
        let token_url = self.stitch.sim.token_url();
        let mut args = vec!["collection", "--format", format, "--flow", flow, "--out", out.to_str().unwrap()];
        args.extend([
            "--token-url",
            &token_url,
            "--client-id",
            client,
            "--scope",
            "client_paymentrequest,client_refund",
        ]);
        let done = token_desk(&args);
        assert!(done.status.success(), "{}", text(&done.stderr));
        let said = text(&done.stdout);
        assert!(said.contains("Run it with:"), "{said}");
        assert!(!said.contains(SECRET));
        out
    }

    /// Every token request the simulator received, as form fields.
    fn token_request_bodies(&self) -> Vec<BTreeMap<String, String>> {
        self.stitch.sim.recorded().iter().map(|r| serde_urlencoded::from_str(&r.body).unwrap()).collect()
    }
}

fn token_desk(args: &[&str]) -> Output {
    Command::new(BIN).args(args).stdin(Stdio::null()).output().unwrap()
}

/// The tool `name` (None, after the `skipped:` line, when it is missing), a world, and the
/// collection written in `format` for `flow` ("secret" or "certificate").
fn generated(name: &str, format: &str, flow: &str) -> Option<(PathBuf, World, PathBuf)> {
    let tool = tool(name)?;
    let w = World::new();
    let out = w.generate(format, flow);
    Some((tool, w, out))
}

/// Every file under `path` (itself, if a file) with its bytes.
fn snapshot(path: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    if path.is_file() {
        files.insert(path.to_owned(), std::fs::read(path).unwrap());
    } else {
        for entry in std::fs::read_dir(path).unwrap() {
            files.extend(snapshot(&entry.unwrap().path()));
        }
    }
    files
}

/// No file of the collection holds the secret, a line of the private key or an issued token.
fn assert_clean(w: &World, files: &BTreeMap<PathBuf, Vec<u8>>, tokens: &[String]) {
    // (The signing scripts name the key's markers in a pattern, never a whole marker.)
    let mut banned: Vec<String> =
        vec![SECRET.to_owned(), "-----BEGIN PRIVATE KEY-----".into(), "-----BEGIN RSA PRIVATE KEY-----".into()];
    banned.extend(key_lines(&w.pem()));
    banned.extend(tokens.iter().cloned());
    for (path, bytes) in files {
        let content = text(bytes);
        for b in &banned {
            assert!(!content.contains(b.as_str()), "{} holds {b:?}", path.display());
        }
    }
}

/// The same collection run with the right credential, a wrong one, and the right one while
/// the API answers a GraphQL error: passes, fails, fails; the
/// simulator saw the form exactly as Stitch documents it; the files stay as written.
/// [`passes_then_fails`] for the secret flow: `run` with the secret passes, and with a wrong
/// one fails naming the OAuth error.
fn secret_passes_then_fails(w: &World, out: &Path, run: impl Fn(&str) -> (bool, String)) {
    let wrong = || {
        let (ok, said) = run("not-the-secret");
        assert!(said.contains("invalid_client"), "the failure names the OAuth error:\n{said}");
        (ok, said)
    };
    passes_then_fails(w, out, "secret", || run(SECRET), wrong);
}

fn passes_then_fails(
    w: &World,
    out: &Path,
    flow: &str,
    right: impl Fn() -> (bool, String),
    wrong: impl Fn() -> (bool, String),
) {
    let before = snapshot(out);
    let requests_before = w.stitch.sim.token_requests();
    let api_before = w.stitch.sim.api_requests();
    let (ok, said) = right();
    assert!(ok, "the run with the right credential failed:\n{said}");
    assert!(w.stitch.sim.api_requests() > api_before, "the API was called:\n{said}");
    if flow != "postman-certificate" {
        assert_eq!(w.stitch.sim.token_requests(), requests_before + 1, "one token request:\n{said}");
        let form = w.token_request_bodies().pop().unwrap();
        assert_eq!(form["grant_type"], "client_credentials");
        assert_eq!(form["scope"], "client_paymentrequest client_refund", "single-space scopes");
        assert_eq!(form["audience"], w.stitch.sim.token_url());
        if flow == "secret" {
            assert_eq!(form["client_id"], SECRET_CLIENT);
            assert_eq!(form["client_secret"], SECRET, "the secret arrived exactly, every character encoded");
            assert!(!form.contains_key("client_assertion"));
        } else {
            assert_eq!(form["client_id"], demo::CERTIFICATE_CLIENT_ID);
            assert_eq!(form["client_assertion_type"], "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            assert!(!form.contains_key("client_secret"));
        }
    }
    let (ok_wrong, said_wrong) = wrong();
    assert!(!ok_wrong, "the run with a wrong credential passed: its checks do not check:\n{said_wrong}");
    // The API call's own checks: a GraphQL error (HTTP 200, as Stitch sends them) fails the
    // run even though the token was issued.
    w.stitch.sim.inject_api([Fault::status(200, r#"{"errors":[{"message":"Token is missing the following scope: client_refund","extensions":{"code":"FORBIDDEN"}}]}"#)]);
    let (ok_api, said_api) = right();
    assert!(!ok_api, "a GraphQL error did not fail the run:\n{said_api}");
    // Written before any token existed and unchanged since: no token was written back.
    let after = snapshot(out);
    assert_eq!(before, after, "running the collection changed its files");
    assert_clean(w, &after, &[]);
}

/// A second, unrelated certificate: the simulator does not know it.
fn other_pem(dir: &Path) -> PathBuf {
    let key = demo::generate_key();
    let now = std::time::SystemTime::now();
    let der = demo::self_signed_der(&key, "stranger", now - Duration::from_secs(60), now + Duration::from_secs(86_400));
    let path = dir.join("stranger.pem");
    std::fs::write(&path, demo::stitch_shaped_pem(&key, &der, "stranger", KeyForm::Pkcs8, false)).unwrap();
    path
}

#[test]
fn a_postman_collection_runs_in_newman_with_the_secret_and_fails_with_a_wrong_one() {
    let Some((newman, w, out)) = generated("newman", "postman", "secret") else { return };
    let file = out.to_str().unwrap();
    let run = |secret: &str| {
        run_tool(&newman, &["run", file, "--env-var", &format!("client_secret={secret}")], w.home.path())
    };
    secret_passes_then_fails(&w, &out, run);
}

#[test]
fn a_bruno_collection_runs_in_bru_with_the_secret_and_fails_with_a_wrong_one() {
    let Some((bru, w, out)) = generated("bru", "bruno", "secret") else { return };
    let run = |secret: &str| run_tool(&bru, &["run", "-r", "--env-var", &format!("client_secret={secret}")], &out);
    secret_passes_then_fails(&w, &out, run);
}

#[test]
fn an_http_file_runs_in_httpyac_with_the_secret_and_fails_with_a_wrong_one() {
    let Some((httpyac, w, out)) = generated("httpyac", "http", "secret") else { return };
    let file = out.to_str().unwrap();
    let run = |secret: &str| {
        run_tool(
            &httpyac,
            &["send", file, "--all", "--bail", "--var", &format!("client_secret={secret}")],
            w.home.path(),
        )
    };
    secret_passes_then_fails(&w, &out, run);
}

#[test]
fn a_bruno_certificate_collection_signs_its_assertion_and_fails_with_another_certificate() {
    let Some((bru, w, out)) = generated("bru", "bruno", "certificate") else { return };
    let stranger = other_pem(w.home.path());
    let run = |pem: &Path| {
        let var = format!("certificate_path={}", pem.display());
        run_tool(&bru, &["run", "-r", "--sandbox", "developer", "--env-var", &var], &out)
    };
    passes_then_fails(&w, &out, "certificate", || run(&w.pem()), || run(&stranger));
    // In Bruno's safe sandbox the script cannot sign, and says how to run it instead.
    let var = format!("certificate_path={}", w.pem().display());
    let (ok, said) = run_tool(&bru, &["run", "-r", "--env-var", &var], &out);
    assert!(!ok);
    assert!(said.contains("--sandbox developer"), "{said}");
}

#[test]
fn an_http_certificate_file_signs_its_assertion_and_fails_with_another_certificate() {
    let Some((httpyac, w, out)) = generated("httpyac", "http", "certificate") else { return };
    let file = out.to_str().unwrap();
    let stranger = other_pem(w.home.path());
    let run = |pem: &Path| {
        let var = format!("certificate_path={}", pem.display());
        run_tool(&httpyac, &["send", file, "--all", "--bail", "--var", &var], w.home.path())
    };
    passes_then_fails(&w, &out, "certificate", || run(&w.pem()), || run(&stranger));
}

#[test]
fn a_postman_certificate_collection_calls_the_api_with_a_token_from_token_desk_and_fails_without() {
    let Some((newman, w, out)) = generated("newman", "postman", "certificate") else { return };
    let description = std::fs::read_to_string(&out).unwrap();
    assert!(description.contains("no RSA signing") && description.contains("token-desk snippet --flow certificate"));
    let token_url = w.stitch.sim.token_url();
    let pem = w.pem();
    let pem = pem.to_str().unwrap();
    let got =
        token_desk(&support::certificate_args(&token_url, demo::CERTIFICATE_CLIENT_ID, pem, "client_paymentrequest"));
    assert!(got.status.success(), "{}", text(&got.stderr));
    let token = text(&got.stdout).trim().to_owned();
    let file = out.to_str().unwrap();
    let run =
        |token: &str| run_tool(&newman, &["run", file, "--env-var", &format!("access_token={token}")], w.home.path());
    let before = snapshot(&out);
    passes_then_fails(&w, &out, "postman-certificate", || run(&token), || run("not-a-token"));
    assert_clean(&w, &before, &[token]);
    let (ok, said) = run_tool(&newman, &["run", file], w.home.path());
    assert!(!ok, "without a token the run fails:\n{said}");
    assert!(said.contains("Set access_token"), "{said}");
}

#[test]
fn an_existing_collection_is_refused_without_force_and_replaced_with_it() {
    let w = World::new();
    for format in ["postman", "bruno", "http"] {
        let out = w.generate(format, "secret");
        let path = out.to_str().unwrap();
        let before = snapshot(&out);
        let args = ["collection", "--format", format, "--out", path, "--client-id", "test-other"];
        let refused = token_desk(&args);
        assert_eq!(refused.status.code(), Some(2), "{format}");
        assert!(
            text(&refused.stderr)
                .contains("already exists: choose another name or folder (or, on the command line, add --force"),
            "{format}"
        );
        assert_eq!(snapshot(&out), before, "{format}: nothing changed");
        let mut forced = args.to_vec();
        forced.push("--force");
        assert!(token_desk(&forced).status.success(), "{format}");
        let now = snapshot(&out).into_values().map(|b| text(&b)).collect::<String>();
        assert!(now.contains("test-other"), "{format}: replaced");
    }
    // --force never replaces a folder that is not a Bruno collection.
    let folder = w.home.path().join("documents");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("keep.txt"), "mine").unwrap();
    let args = ["collection", "--format", "bruno", "--out", folder.to_str().unwrap(), "--client-id", "x", "--force"];
    let refused = token_desk(&args);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("is not a Bruno collection folder"), "{}", text(&refused.stderr));
    assert_eq!(std::fs::read_to_string(folder.join("keep.txt")).unwrap(), "mine");
}

#[test]
fn a_collection_needs_a_client_id_or_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.http");
    let refused = token_desk(&["collection", "--format", "http", "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("--client-id"), "{}", text(&refused.stderr));
    assert!(!out.exists());
}

#[test]
fn a_profile_gives_the_client_and_urls_and_scope_replaces_its_scopes() {
    use token_desk_core::profiles::settings::{SettingsFile, FILE_NAME};
    use token_desk_core::profiles::{AuthMethod, Profile};
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let mut profile = Profile::new("sandbox", "test-from-a-profile", AuthMethod::Secret);
    profile.scopes = token_desk_core::scope::Scopes::parse(["client_refund"]);
    profile.token_url = "https://id.example.test/connect/token".into();
    profile.api_url = "https://api.example.test/graphql".into();
    SettingsFile::at(config.join("token-desk").join(FILE_NAME)).add(profile).unwrap();
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec!["collection", "--format", "http", "--out", out.to_str().unwrap(), "--profile", "sandbox"];
        args.extend(extra);
        Command::new(BIN).args(&args).env("XDG_CONFIG_HOME", &config).stdin(Stdio::null()).output().unwrap()
    };
    let out = dir.path().join("profile.http");
    let done = run(&out, &[]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let file = std::fs::read_to_string(&out).unwrap();
    assert!(file.contains("\n@client_id = test-from-a-profile\n"));
    assert!(file.contains("\n@token_url = https://id.example.test/connect/token\n"));
    assert!(
        file.contains("\n@audience = https://id.example.test/connect/token\n"),
        "the audience defaults to the token URL"
    );
    assert!(file.contains("\n@api_url = https://api.example.test/graphql\n"));
    assert!(file.contains("\n@scope = client_refund\n"));

    let out = dir.path().join("other-scopes.http");
    assert!(run(&out, &["--scope", "client_paymentrequest"]).status.success());
    assert!(std::fs::read_to_string(&out).unwrap().contains("\n@scope = client_paymentrequest\n"));

    let missing = Command::new(BIN)
        .args(["collection", "--format", "http", "--out", dir.path().join("x.http").to_str().unwrap()])
        .args(["--profile", "nobody"])
        .env("XDG_CONFIG_HOME", &config)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("There is no profile named"), "{}", text(&missing.stderr));
}
