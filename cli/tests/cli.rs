//! The `token-desk` command as a script or a person uses it: real processes against the
//! simulator on 127.0.0.1.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use support::cli_world::{CliWorld as World, *};
use support::stitch::key_lines;
use support::{text, BIN};
use token_desk_core::simulator::demo;

#[test]
fn a_token_is_printed_alone_on_stdout() {
    let w = World::new();
    let url = w.url();
    let out = run(&secret_args(&url, "client_paymentrequest"), Some(&format!("{SECRET}\n")), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.trim().len() >= 16);
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn json_output_has_every_field_with_granted_and_requested_scopes() {
    let w = World::new();
    let url = w.url();
    let mut args = secret_args(&url, "client_paymentrequest,client_refund");
    args.push("--json");
    let out = run(&args, Some(SECRET), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["access_token"].as_str().unwrap().len() >= 16);
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3600);
    assert_eq!(v["scope"], "client_paymentrequest");
    assert_eq!(v["requested_scope"], "client_paymentrequest client_refund");
    assert_eq!(v["from_cache"], false);
    let expires_at = v["expires_at"].as_str().unwrap();
    assert!(expires_at.ends_with('Z') && expires_at.contains('T'), "{expires_at}");
    assert!(text(&out.stderr).contains("not granted: client_refund"));
}

#[test]
fn the_secret_can_come_from_an_environment_variable() {
    let w = World::new();
    let url = w.url();
    let args = [
        "token",
        "--token-url",
        &url,
        "--client-id",
        SECRET_CLIENT,
        "--scope",
        "client_paymentrequest",
        "--secret-env",
        "TOKEN_SECRET",
    ];
    assert_eq!(run(&args, None, &[("TOKEN_SECRET", SECRET)]).status.code(), Some(0));
    let unset = run(&args, None, &[]);
    assert_eq!(unset.status.code(), Some(2));
    assert!(text(&unset.stderr).contains("TOKEN_SECRET is not set"));
    assert_eq!(w.stitch.sim.token_requests(), 1);
}

#[test]
fn a_certificate_file_gets_a_token() {
    let w = World::new();
    let out = w.certificate_token();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_rejected_secret_exits_3_with_a_plain_message_and_details() {
    let w = World::new();
    let url = w.url();
    let out = run(&secret_args(&url, "client_paymentrequest"), Some("wrong-secret"), &[]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(
        err.starts_with("token-desk: The token server (127.0.0.1) did not accept the client ID or its secret."),
        "{err}"
    );
    assert!(err.contains("OAuth error: invalid_client"));
    assert!(err.contains("HTTP status: 400"));
}

#[test]
fn a_scope_the_client_may_not_have_exits_3() {
    let w = World::new();
    let url = w.url();
    let out = run(&secret_args(&url, "client_disbursement"), Some(SECRET), &[]);
    assert_exit(&out, 3, &out.stderr, "client_disbursement");
}

#[test]
fn an_unreachable_server_exits_4() {
    let port = support::net::free_port();
    let url = format!("http://127.0.0.1:{port}/connect/token");
    let out = run(&secret_args(&url, "client_paymentrequest"), Some(SECRET), &[]);
    assert_exit(&out, 4, &out.stderr, "Could not connect to 127.0.0.1");
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let w = World::new();
    let url = w.url();
    // Each case: token URL, client ID, scope, and what follows them.
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        (&url, " ", "client_refund", &["--secret-stdin"]),
        (&url, SECRET_CLIENT, " , ", &["--secret-stdin"]),
        ("http://example.com/token", SECRET_CLIENT, "client_refund", &["--secret-stdin"]),
        (&url, SECRET_CLIENT, "client_refund", &["--certificate", "/nonexistent.pem"]),
        (&url, SECRET_CLIENT, "client_refund", &[]),
        (&url, SECRET_CLIENT, "client_refund", &["--secret-stdin", "--secret-env", "X"]),
    ];
    for (token_url, client, scope, rest) in cases {
        let mut args = vec!["token", "--token-url", token_url, "--client-id", client, "--scope", scope];
        args.extend(rest);
        let out = run(&args, Some(SECRET), &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).trim().is_empty());
    }
    let empty = run(&secret_args(&url, "client_refund"), Some("\n"), &[]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(text(&empty.stderr).contains("No client secret arrived"));
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

#[test]
fn a_secret_is_never_accepted_as_an_argument() {
    for flag in ["--secret", "--client-secret"] {
        let out = run(&["token", "--client-id", "x", "--scope", "client_refund", flag, SECRET], None, &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(!text(&out.stderr).contains(SECRET), "clap must not echo the value");
    }
}

#[test]
fn a_misspelt_scope_gets_a_did_you_mean_warning() {
    let w = World::new();
    let url = w.url();
    let out = run(&secret_args(&url, "client_paymentrequests"), Some(SECRET), &[]);
    assert!(text(&out.stderr).contains("Did you mean \"client_paymentrequest\"?"));
}

#[test]
fn scopes_lists_the_eight_client_scopes_as_text_and_json() {
    let out = run(&["scopes"], None, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout).lines().count(), 8);
    assert!(text(&out.stdout).contains("client_paymentrequest"));
    let json: serde_json::Value = serde_json::from_slice(&run(&["scopes", "--json"], None, &[]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 8);
    assert!(json[0]["description"].as_str().unwrap().len() > 10);
}

#[test]
fn help_shows_the_defaults_and_the_exit_codes() {
    let out = text(&run(&["token", "--help"], None, &[]).stdout);
    assert!(out.contains("https://secure.stitch.money/connect/token"));
    assert!(out.contains("default: the token URL"));
    assert!(out.contains("3  rejected"));
}

#[test]
fn simulate_prints_its_urls_and_demo_credentials_and_serves_tokens() {
    let data = tempfile::tempdir().unwrap();
    let port = support::net::free_port();
    let mut child = Command::new(BIN)
        .args(["simulate", "--port", &port.to_string()])
        .env("XDG_DATA_HOME", data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.starts_with("Press Ctrl+C");
        printed.push(line);
        if done {
            break;
        }
    }
    let printed = printed.join("\n");
    let token_url = format!("http://127.0.0.1:{port}/connect/token");
    assert!(printed.contains(&format!("Token URL:  {token_url}")));
    assert!(printed.contains(demo::SECRET_CLIENT_ID));
    assert!(printed.contains(demo::CERTIFICATE_CLIENT_ID));
    let pem = data.path().join("token-desk/simulator/demo-certificate-client.pem");
    assert!(printed.contains(&pem.display().to_string()));
    assert!(!printed.contains("PRIVATE KEY"));

    let out = run(
        &[
            "token",
            "--token-url",
            &token_url,
            "--client-id",
            demo::SECRET_CLIENT_ID,
            "--scope",
            "client_paymentrequest",
            "--secret-stdin",
        ],
        Some(demo::SECRET),
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(
        &support::certificate_args(
            &token_url,
            demo::CERTIFICATE_CLIENT_ID,
            pem.to_str().unwrap(),
            "client_paymentrequest",
        ),
        None,
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn no_command_opens_the_window_installed_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let cli = dir.path().join("token-desk");
    std::fs::copy(BIN, &cli).unwrap();
    let marker = dir.path().join("opened");
    let app = dir.path().join("token-desk-app");
    std::fs::write(&app, format!("#!/bin/sh\ntouch '{}'\nexit 7\n", marker.display())).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&app, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(&cli).output().unwrap();
    assert!(marker.exists());
    assert_eq!(out.status.code(), Some(7), "the window's exit code is the command's");
}

#[test]
fn no_command_without_the_window_says_how_to_get_it() {
    let dir = tempfile::tempdir().unwrap();
    let cli = dir.path().join("token-desk");
    std::fs::copy(BIN, &cli).unwrap();
    let out = Command::new(&cli).output().unwrap();
    assert_exit(&out, 1, &out.stderr, "cargo build --workspace --bins");
}

/// Every command and failure, verbose where possible: the secret, the private key and the
/// signed assertion appear in no output.
#[test]
fn no_output_of_any_command_contains_the_secret_or_the_private_key() {
    let w = World::new();
    let url = w.url();
    let pem = w.stitch.pem.to_string_lossy().into_owned();
    let dead = format!("http://127.0.0.1:{}/connect/token", support::net::free_port());
    let tls = url.replace("http://", "https://");
    // The simulator echoes the secret back in an error body, as a careless server might.
    w.stitch.sim.inject([token_desk_core::simulator::Fault::status(
        400,
        &format!(r#"{{"error":"invalid_request","error_description":"bad client_secret={SECRET}"}}"#),
    )]);

    let mut outputs: Vec<(String, Output)> = Vec::new();
    let mut go = |label: &str, args: Vec<&str>, stdin: Option<&str>, env: &[(&str, &str)]| {
        outputs.push((label.to_owned(), run(&args, stdin, env)));
    };
    let s = |extra: &[&'static str], u: &str| -> Vec<String> {
        let mut v: Vec<String> =
            ["token", "--token-url", u, "--client-id", SECRET_CLIENT, "--scope", "client_paymentrequest"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let c = |extra: &[&'static str], u: &str| -> Vec<String> {
        let mut v: Vec<String> = cert_args(u, &pem, "client_paymentrequest").iter().map(|s| s.to_string()).collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let cases: Vec<(&str, Vec<String>, Option<&str>)> = vec![
        ("echoed secret", s(&["--secret-stdin", "-v"], &url), Some(SECRET)),
        ("secret ok", s(&["--secret-stdin", "-v", "--json"], &url), Some(SECRET)),
        ("secret env", s(&["--secret-env", "TOKEN_SECRET", "-v"], &url), None),
        ("wrong scope", s(&["--secret-stdin", "-v", "--scope", "client_disbursement"], &url), Some(SECRET)),
        ("dead port", s(&["--secret-stdin", "-v"], &dead), Some(SECRET)),
        ("tls", s(&["--secret-stdin", "-v"], &tls), Some(SECRET)),
        ("non-https", s(&["--secret-stdin", "-v"], "http://example.com/t"), Some(SECRET)),
        ("cert ok", c(&["-v", "--json"], &url), None),
        ("cert fresh", c(&["-v", "--fresh"], &url), None),
        ("cert dead", c(&["-v"], &dead), None),
        (
            "cert wrong client",
            {
                let mut v = c(&["-v"], &url);
                v[4] = SECRET_CLIENT.into();
                v
            },
            None,
        ),
        ("help", vec!["token".into(), "--help".into()], None),
        ("scopes", vec!["scopes".into(), "--json".into()], None),
    ];
    for (label, args, stdin) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        go(label, args, *stdin, &[("TOKEN_SECRET", SECRET)]);
    }
    assert!(outputs.iter().any(|(l, o)| l == "cert ok" && o.status.success()), "the certificate flow ran");
    assert!(outputs.iter().any(|(l, o)| l == "secret ok" && o.status.success()), "the secret flow ran");

    let key_lines = key_lines(&w.stitch.pem);
    let assertions: Vec<String> = w
        .stitch
        .sim
        .recorded()
        .iter()
        .filter_map(|r| {
            let fields: Vec<(String, String)> = serde_urlencoded::from_str(&r.body).ok()?;
            fields.into_iter().find(|(k, _)| k == "client_assertion").map(|(_, v)| v)
        })
        .collect();
    assert!(!assertions.is_empty());
    for (label, out) in &outputs {
        for stream in [text(&out.stdout), text(&out.stderr)] {
            assert!(!stream.contains(SECRET), "{label}: the secret leaked:\n{stream}");
            assert!(!stream.contains(&SECRET[..12]), "{label}: part of the secret leaked");
            for line in &key_lines {
                assert!(!stream.contains(line.as_str()), "{label}: the private key leaked");
            }
            for a in &assertions {
                assert!(!stream.contains(a.as_str()), "{label}: a signed assertion leaked");
            }
        }
    }
}
