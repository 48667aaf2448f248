//! Company networks, with real parts on loopback: an HTTPS token server whose certificate a
//! CA made with `openssl` signed, Debian's `tinyproxy` as the forward proxy (its own log shows
//! what went through it), a proxy that is down, one that asks for credentials, and a token
//! server that never answers. Every `token-desk` here runs as a process with a clean
//! environment, so the machine's own proxy variables cannot change the outcome.
//!
//! The proxies are in `proxies.rs`; what they share is `support/network_world.rs`.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::net::ScriptedServer;
use support::network_world::*;
use token_desk_core::simulator::Fault;

// ---- What is trusted ----

#[test]
fn a_server_signed_by_a_ca_this_computer_does_not_trust_is_refused_with_the_network_sentence() {
    let w = World::new();
    let out = w.token(&w.front.token_url(), &[], &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("Your network may be inspecting secure connections"), "{err}");
    assert!(err.contains("ask IT for the company CA file") && err.contains("--ca-file"), "{err}");
    assert!(err.contains("kind: tls"), "{err}");
    assert_eq!(w.stitch.sim.token_requests(), 0, "nothing reached the token server");
}

#[test]
fn the_company_ca_file_given_with_ca_file_makes_the_server_trusted() {
    let w = World::new();
    let out = w.token(&w.front.token_url(), &["--ca-file", &w.ca_file(), "-v"], &[]);
    assert_token(&out);
    assert!(stderr(&out).contains("the company CA file"), "{}", stderr(&out));
    assert!(stderr(&out).contains("CN=Token Desk Test Inspection CA"), "{}", stderr(&out));
    assert_eq!(w.stitch.sim.token_requests(), 1);
}

#[test]
fn ssl_cert_file_is_honoured_as_the_computers_trust_store() {
    let w = World::new();
    let out = w.token(&w.front.token_url(), &[], &[("SSL_CERT_FILE", &w.ca_file())]);
    assert_token(&out);
    assert_eq!(w.stitch.sim.token_requests(), 1);
}

#[test]
fn a_certificate_for_another_name_has_its_own_sentence() {
    let w = World::with_server_names("DNS:other.example");
    let out = w.token(&w.front.token_url(), &["--ca-file", &w.ca_file()], &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("belongs to another name"), "{}", stderr(&out));
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

#[test]
fn a_bad_ca_file_is_bad_input_before_any_request() {
    let w = World::new();
    let dir = w.dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let not_pem = dir.join("notes.pem");
    std::fs::write(&not_pem, "ask IT for the CA").unwrap();
    let key_only = dir.join("key.pem");
    std::fs::copy(w.ca.dir.join("ca.key"), &key_only).unwrap();
    let huge = dir.join("huge.pem");
    std::fs::write(&huge, vec![b'A'; 2 * 1024 * 1024]).unwrap();
    let cases: [(&Path, &str); 6] = [
        (&not_pem, "is not a PEM certificate file"),
        (&key_only, "holds a private key"),
        (&huge, "far too large"),
        (&dir, "is not a regular file"),
        (Path::new("/dev/zero"), "is not a regular file"),
        (&dir.join("missing.pem"), "could not be read"),
    ];
    for (file, expected) in cases {
        let started = Instant::now();
        let out = w.token(&w.front.token_url(), &["--ca-file", &file.display().to_string()], &[]);
        assert_eq!(out.status.code(), Some(2), "{file:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{file:?}: {}", stderr(&out));
        assert!(started.elapsed() < Duration::from_secs(20), "{file:?} was refused without hanging");
    }
    assert_eq!(w.front.handshakes.load(std::sync::atomic::Ordering::SeqCst), 0, "nothing was sent");
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

// ---- One deadline ----

/// The default deadline is 30 s: `-v` says so of the deadline in force (and core's network
/// tests pin `DEFAULT_TIMEOUT`). That it cuts a hanging server off, with no retry past it, is
/// shown with `--timeout 1`, so the test waits one second on the real clock rather than thirty.
#[test]
fn a_hanging_server_fails_at_the_deadline_which_is_30_seconds_by_default() {
    let w = World::new();
    let told = w.token(&w.stitch.sim.token_url(), &["-v"], &[]);
    assert_token(&told);
    assert!(stderr(&told).contains("deadline: 30 s, retries included"), "{}", stderr(&told));

    let hang = ScriptedServer::start(None);
    let started = Instant::now();
    let out = w.token(&format!("{}/connect/token", hang.url()), &["--timeout", "1"], &[]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not answer in time (1 s)"), "{}", stderr(&out));
    assert!(took >= Duration::from_secs(1) && took < Duration::from_secs(6), "took {took:?}");
    assert_eq!(hang.connections.load(std::sync::atomic::Ordering::SeqCst), 1, "no retry past the deadline");
}

/// Two stalls and a retry between them all fit in the one deadline of `--timeout`.
#[test]
fn with_timeout_1_the_whole_process_ends_within_5_seconds() {
    let w = World::new();
    w.stitch.sim.inject([Fault::Stall(Duration::from_secs(60)), Fault::Stall(Duration::from_secs(60))]);
    let started = Instant::now();
    let out = w.token(&w.stitch.sim.token_url(), &["--timeout", "1"], &[]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("did not answer in time (1 s)"), "{}", stderr(&out));
    assert!(took < Duration::from_secs(5), "the process ended after {took:?}");
}

#[test]
fn a_timeout_out_of_range_is_bad_input() {
    let w = World::new();
    for bad in ["0", "601"] {
        let out = w.token(&w.stitch.sim.token_url(), &["--timeout", bad], &[]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("from 1 to 600"), "{}", stderr(&out));
    }
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

// ---- What a running token-desk shows of itself ----

/// Whether `holds` comes true within 10 seconds, asked every 20 ms.
fn within_10_seconds(mut holds: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if holds() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn a_proxy_password_never_reaches_the_process_list() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", &format!("BasicAuth alice {PROXY_PASSWORD}")) else { return };
    // A token server that holds its answer: the process stays running, its password read and
    // already accepted by the proxy, while the test reads its command line.
    let holding = ScriptedServer::start(None);
    let token_url = format!("{}/connect/token", holding.url());
    let alice = format!("http://alice@127.0.0.1:{}", proxy.port);
    let mut args = vec!["token", "--token-url", &token_url, "--client-id", CLIENT, "--scope", "client_paymentrequest"];
    args.extend(["--secret-stdin", "--proxy", &alice, "--proxy-password-env", PROXY_PASSWORD_VAR]);
    let mut child = w.command(&args, &[(PROXY_PASSWORD_VAR, PROXY_PASSWORD)]).spawn().unwrap();
    child.stdin.take().unwrap().write_all(SECRET.as_bytes()).unwrap();

    let reached = within_10_seconds(|| !holding.heads.lock().unwrap().is_empty());
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id()));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(reached, "the request went through the proxy: {} {}", proxy.log_text(), stderr(&out));
    let cmdline = text(&cmdline.expect("the running process's command line")).replace('\0', " ");
    assert!(cmdline.contains(&format!("--proxy {alice} --proxy-password-env {PROXY_PASSWORD_VAR}")), "{cmdline}");
    assert!(!cmdline.contains(PROXY_PASSWORD) && !cmdline.contains(SECRET), "{cmdline}");
    assert_never_shown(&out, PROXY_PASSWORD);
}

/// `Max core file size` of a process, as `/proc/PID/limits` shows it: (soft, hard).
fn core_limit(pid: u32) -> Option<(String, String)> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max core file size"))?;
    let mut values = line["Max core file size".len()..].split_whitespace();
    Some((values.next()?.to_owned(), values.next()?.to_owned()))
}

#[test]
fn a_token_desk_waiting_for_its_secret_may_write_no_core_file() {
    use std::os::unix::process::CommandExt;
    let w = World::new();
    let sim = w.stitch.sim.token_url();
    let mut command =
        w.command(&["token", "--token-url", &sim, "--client-id", CLIENT, "--scope", "client_paymentrequest"], &[]);
    command.arg("--secret-stdin");
    // Started allowed to write core files (as large as this test's hard limit lets it), so only
    // token-desk itself can have switched them off.
    // SAFETY: getrlimit and setrlimit are async-signal-safe, as calls between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            libc::getrlimit(libc::RLIMIT_CORE, &mut limit);
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    // Standard input stays open and empty: token-desk waits there for the secret.
    let stdin = child.stdin.take().unwrap();
    let switched_off = within_10_seconds(|| core_limit(child.id()) == Some(("0".into(), "0".into())));
    let shown = core_limit(child.id());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(switched_off, "Max core file size {shown:?}; {}", stderr(&out));
    assert_eq!(w.stitch.sim.token_requests(), 0, "it was still waiting for the secret");
}

/// The pid of the running `token-desk` whose command line holds `marker`.
fn token_desk_holding(marker: &str) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
        let cmdline = text(&std::fs::read(entry.path().join("cmdline")).ok()?);
        (cmdline.starts_with(support::BIN) && cmdline.contains(marker)).then_some(pid)
    })
}

/// The state letter of `/proc/PID/stat` (`S`: asleep, here waiting to read the terminal).
fn state_of(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

#[test]
fn at_a_terminal_a_proxy_address_with_a_user_name_gets_its_password_typed_without_echo() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", &format!("BasicAuth alice {PROXY_PASSWORD}")) else { return };
    if !support::skip::program_runs("script", "--version", "util-linux's script runs a program at a terminal") {
        return;
    }
    let sim = w.stitch.sim.token_url();
    let alice = format!("http://alice@127.0.0.1:{}", proxy.port);
    let args = ["token", "--token-url", &sim, "--client-id", CLIENT, "--scope", "client_paymentrequest"];
    let args = [&args[..], &["--secret-env", "TD_TEST_SECRET", "--proxy", &alice]].concat();
    // token-desk's environment, given to `script`, which runs it on a terminal of its own.
    let inner = w.command(&args, &[("TD_TEST_SECRET", SECRET)]);
    let line = std::iter::once(support::BIN).chain(args.iter().copied()).map(|a| format!("'{a}'")).collect::<Vec<_>>();
    let mut script = Command::new("script");
    script.args(["-qec", &line.join(" "), "/dev/null"]).env_clear();
    for (k, v) in inner.get_envs() {
        if let Some(v) = v {
            script.env(k, v);
        }
    }
    let mut child = script.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let terminal = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().unwrap();
    let shown = terminal.clone();
    let reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n @ 1..) = std::io::Read::read(&mut stdout, &mut chunk) {
            shown.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    let prompt = format!("Password for the proxy {} (hidden): ", proxy.url());
    // Typed once the prompt is shown and token-desk sleeps reading the terminal (echo is off by then).
    let asked = within_10_seconds(|| {
        text(&terminal.lock().unwrap()).contains(&prompt) && token_desk_holding(&sim).and_then(state_of) == Some('S')
    });
    let mut stdin = child.stdin.take().unwrap();
    if asked {
        stdin.write_all(format!("{PROXY_PASSWORD}\n").as_bytes()).unwrap();
    }
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    let terminal = text(&terminal.lock().unwrap());
    assert!(asked, "the prompt: {terminal}");
    assert_eq!(status.code(), Some(0), "{terminal}");
    assert_eq!(terminal.matches(&prompt).count(), 1, "{terminal}");
    assert!(!terminal.contains(PROXY_PASSWORD) && !terminal.contains(SECRET), "{terminal}");
    assert_eq!(proxy.requests().len(), 1, "one request, sent with the password: {}", proxy.log_text());
    assert_eq!(w.stitch.sim.token_requests(), 1);
}
