//! Hostile input, continued (issue 8; `hostile.rs` has sections 1 to 3): everything bounded,
//! redaction that cannot be talked around, and profile names and atomic changes, each case
//! against the real `token-desk` binary and a loopback attacker that keeps every request.
//!
//! Cases marked "keyring" use the real Secret Service and run under
//! `scripts/test -p token-desk-cli --test hostile_limits`; without it they print `skipped:`.

mod support;

use std::time::Duration;

use support::hostile_world::*;
use support::skip::keyring_tests;
use support::{all_output, leaked, Attacker, Home, Mode};
use token_desk_core::simulator::demo::{self, KeyForm};

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
