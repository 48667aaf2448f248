//! Company networks, with real parts on loopback: an HTTPS token server whose certificate a
//! CA made with `openssl` signed, Debian's `tinyproxy` as the forward proxy (its own log shows
//! what went through it), a proxy that is down, one that asks for credentials, and a token
//! server that never answers. Every `token-desk` here runs as a process with a clean
//! environment, so the machine's own proxy variables cannot change the outcome.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::net::{ScriptedServer, TestCa, Tinyproxy, TlsFront, ANSWER_407};
use support::stitch::{self, Clients};
use support::Home;
use token_desk_core::simulator::Fault;

const SECRET: &str = "Nw4-Proxy7Secret-Qz81Lm0Xv5Tb2Kc9";
const CLIENT: &str = "test-networks-client";
/// The proxy password: as secret as the client secret.
const PROXY_PASSWORD: &str = "pxPw-6Hd2Rk9Ws4";
/// The environment variable `--proxy-password-env` names in these tests.
const PROXY_PASSWORD_VAR: &str = "TD_TEST_PROXY_PASSWORD";

/// The shared world (support::stitch: the simulator and a home for the binary) with what a
/// company network adds: a CA of the test's own and an HTTPS front whose certificate it signed.
/// It wraps the shared world rather than being it, since only these tests need the CA and front.
struct World {
    base: stitch::World,
    ca: TestCa,
    front: TlsFront,
}

impl std::ops::Deref for World {
    type Target = stitch::World;
    fn deref(&self) -> &stitch::World {
        &self.base
    }
}

impl World {
    fn new() -> Self {
        Self::with_server_names("DNS:localhost,IP:127.0.0.1")
    }

    /// The front's certificate names `san`.
    fn with_server_names(san: &str) -> Self {
        let base = stitch::World::start(Home::new(false), &Clients::new(CLIENT, SECRET, "test-networks-cert-client"));
        let ca = TestCa::new(&base.home.path().join("ca"));
        let (cert, key) = ca.server("server", san);
        let front = TlsFront::start(&cert, &key, base.stitch.sim.addr());
        World { base, ca, front }
    }

    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = self.home.command(args);
        cmd.stdin(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut child = self.command(args, env).spawn().unwrap();
        let _ = child.stdin.take().unwrap().write_all(SECRET.as_bytes());
        child.wait_with_output().unwrap()
    }

    /// `token-desk token` for `url` with the secret piped in, plus `more` options.
    fn token(&self, url: &str, more: &[&str], env: &[(&str, &str)]) -> Output {
        let mut args = vec!["token", "--token-url", url, "--client-id", CLIENT, "--scope", "client_paymentrequest"];
        args.extend(["--secret-stdin", "--fresh"]);
        args.extend(more);
        self.run(&args, env)
    }

    fn ca_file(&self) -> String {
        self.ca.ca_pem.display().to_string()
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn stderr(out: &Output) -> String {
    text(&out.stderr)
}

fn assert_token(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    assert!(text(&out.stdout).trim().len() >= 16, "a token on stdout");
}

fn assert_never_shown(out: &Output, secret: &str) {
    for stream in [text(&out.stdout), stderr(out)] {
        assert!(!stream.contains(secret), "{secret} leaked: {stream}");
    }
}

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

// ---- Proxies ----

fn tinyproxy(w: &World, name: &str, extra: &str) -> Option<Tinyproxy> {
    if !support::net::tinyproxy_installed() {
        return None;
    }
    Some(Tinyproxy::start(&w.dir(name), extra))
}

#[test]
fn an_explicit_proxy_carries_the_request_and_its_log_shows_the_connect() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", "") else { return };
    let out = w.token(&w.front.token_url(), &["--proxy", &proxy.url(), "--ca-file", &w.ca_file(), "-v"], &[]);
    assert_token(&out);
    let connect = format!("CONNECT localhost:{}", w.front.addr.port());
    assert!(proxy.requests().iter().any(|l| l.contains(&connect)), "{}", proxy.log_text());
    assert!(stderr(&out).contains(&format!("proxy: {} (from the proxy setting)", proxy.url())), "{}", stderr(&out));
}

#[test]
fn an_explicit_proxy_applies_to_the_loopback_simulator_too() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", "") else { return };
    let out = w.token(&w.stitch.sim.token_url(), &["--proxy", &proxy.url()], &[]);
    assert_token(&out);
    let expected = format!("POST {}", w.stitch.sim.token_url());
    assert!(proxy.requests().iter().any(|l| l.contains(&expected)), "{}", proxy.log_text());
}

#[test]
fn proxy_variables_never_send_a_loopback_request_to_the_proxy() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", "") else { return };
    let url = proxy.url();
    let vars: Vec<(&str, &str)> = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .map(|k| (k, url.as_str()))
        .collect();
    let out = w.token(&w.stitch.sim.token_url(), &["-v"], &vars);
    assert_token(&out);
    let https = w.token(&w.front.token_url(), &["--ca-file", &w.ca_file()], &vars);
    assert_token(&https);
    assert!(stderr(&out).contains("proxy: none (direct connection)"), "{}", stderr(&out));
    assert_eq!(proxy.requests(), Vec::<String>::new(), "the proxy saw nothing");
    assert_eq!(w.stitch.sim.token_requests(), 2);
}

#[test]
fn no_proxy_exempts_a_listed_host_even_from_an_explicit_proxy() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", "") else { return };
    let out = w.token(
        &w.front.token_url(),
        &["--proxy", &proxy.url(), "--ca-file", &w.ca_file()],
        &[("NO_PROXY", "localhost")],
    );
    assert_token(&out);
    assert_eq!(proxy.requests(), Vec::<String>::new(), "the proxy saw nothing");
}

#[test]
fn a_proxy_that_is_down_is_named_as_the_proxy() {
    let w = World::new();
    let down = format!("http://127.0.0.1:{}", support::net::free_port());
    let out = w.token(&w.front.token_url(), &["--proxy", &down, "--ca-file", &w.ca_file()], &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("Could not connect to the proxy {down}")), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Could not connect to localhost"), "{}", stderr(&out));
}

#[test]
fn a_proxy_that_refuses_the_connection_is_named_as_the_proxy() {
    let w = World::new();
    // Only port 443 may be tunnelled to: the front's port is refused.
    let Some(proxy) = tinyproxy(&w, "proxy", "ConnectPort 443") else { return };
    let out = w.token(&w.front.token_url(), &["--proxy", &proxy.url(), "--ca-file", &w.ca_file()], &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let expected = format!("The proxy {} refused to connect to localhost", proxy.url());
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

#[test]
fn a_proxy_asking_for_credentials_is_named_and_its_password_is_never_shown() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", &format!("BasicAuth alice {PROXY_PASSWORD}")) else { return };
    let ca = w.ca_file();
    let url = w.front.token_url();

    let without = w.token(&url, &["--proxy", &proxy.url(), "--ca-file", &ca], &[]);
    assert_eq!(without.status.code(), Some(4), "{}", stderr(&without));
    assert!(stderr(&without).contains("asks for a user name and password (HTTP 407)"), "{}", stderr(&without));
    assert!(stderr(&without).contains("kind: proxy"), "{}", stderr(&without));

    // The user name in the address, the password from a variable: never in the arguments.
    let alice = format!("http://alice@127.0.0.1:{}", proxy.port);
    let by_env = ["--proxy", alice.as_str(), "--proxy-password-env", PROXY_PASSWORD_VAR, "--ca-file", &ca];
    let wrong = w.token(&url, &by_env, &[(PROXY_PASSWORD_VAR, "not-it")]);
    assert_eq!(wrong.status.code(), Some(4), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains("did not accept the user name and password"), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains(&format!("The proxy {}", proxy.url())), "{}", stderr(&wrong));

    let with = w.token(&url, &[&by_env[..], &["-v"]].concat(), &[(PROXY_PASSWORD_VAR, PROXY_PASSWORD)]);
    assert_token(&with);
    assert!(stderr(&with).contains("with credentials (not shown)"), "{}", stderr(&with));
    for out in [&without, &wrong, &with] {
        assert_never_shown(out, PROXY_PASSWORD);
        assert_never_shown(out, SECRET);
    }
}

#[test]
fn a_proxy_address_holding_a_password_is_refused_and_nothing_reaches_the_proxy() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", &format!("BasicAuth alice {PROXY_PASSWORD}")) else { return };
    let port = proxy.port;
    let sim = w.stitch.sim.token_url();
    for address in [
        format!("http://alice:{PROXY_PASSWORD}@127.0.0.1:{port}"),
        format!("alice:{PROXY_PASSWORD}@127.0.0.1:{port}"),
        format!("http://:{PROXY_PASSWORD}@127.0.0.1:{port}"),
        // Not a proxy address (it has a path), but its password is refused all the same.
        format!("http://alice:{PROXY_PASSWORD}@127.0.0.1:{port}/path"),
    ] {
        for command in ["token", "check"] {
            let args = [command, "--token-url", &sim, "--client-id", CLIENT, "--scope", "client_paymentrequest"];
            let out = w.run(&[&args[..], &["--secret-stdin", "--proxy", &address]].concat(), &[]);
            let said = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{command} {address}: {said}");
            assert_eq!(said.lines().count(), 1, "one line: {said}");
            assert!(said.contains("--proxy-password-env VAR") && said.contains("--proxy-password-prompt"), "{said}");
            assert_never_shown(&out, PROXY_PASSWORD);
            assert_never_shown(&out, SECRET);
        }
    }
    assert_eq!(proxy.requests(), Vec::<String>::new(), "the proxy saw nothing");
    let connections = proxy.log_text().matches("Connect (file descriptor").count();
    assert_eq!(connections, 1, "only the start-up check's connection: {}", proxy.log_text());
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

#[test]
fn a_proxy_password_from_an_environment_variable_gets_a_token_through_a_proxy_that_requires_it() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", &format!("BasicAuth alice {PROXY_PASSWORD}")) else { return };
    let alice = format!("http://alice@127.0.0.1:{}", proxy.port);
    let env = [(PROXY_PASSWORD_VAR, PROXY_PASSWORD)];
    let by_env = ["--proxy", alice.as_str(), "--proxy-password-env", PROXY_PASSWORD_VAR, "-v"];
    let sim = w.stitch.sim.token_url();

    let plain = w.token(&sim, &by_env, &env);
    assert_token(&plain);
    let ca = w.ca_file();
    let tls = w.token(&w.front.token_url(), &[&by_env[..], &["--ca-file", &ca]].concat(), &env);
    assert_token(&tls);
    let seen = proxy.requests();
    assert!(seen.iter().any(|l| l.contains(&format!("POST {sim}"))), "{}", proxy.log_text());
    assert!(seen.iter().any(|l| l.contains(&format!("CONNECT localhost:{}", w.front.addr.port()))), "{seen:?}");
    for out in [&plain, &tls] {
        assert!(stderr(out).contains(&format!("proxy: {} (from the proxy setting, with credentials", proxy.url())));
        assert_never_shown(out, PROXY_PASSWORD);
        assert_never_shown(out, SECRET);
    }
    assert_eq!(w.stitch.sim.token_requests(), 2);

    // A variable that is not set, or a password without a user name to go with it, is bad
    // input before anything is sent.
    let unset = w.token(&sim, &by_env, &[]);
    assert_eq!(unset.status.code(), Some(2), "{}", stderr(&unset));
    assert!(stderr(&unset).contains(&format!("{PROXY_PASSWORD_VAR} is not set")), "{}", stderr(&unset));
    let no_user = w.token(&sim, &["--proxy", &proxy.url(), "--proxy-password-env", PROXY_PASSWORD_VAR], &env);
    assert_eq!(no_user.status.code(), Some(2), "{}", stderr(&no_user));
    assert!(stderr(&no_user).contains("http://user@host:port"), "{}", stderr(&no_user));
    assert_never_shown(&no_user, PROXY_PASSWORD);
    assert_eq!(w.stitch.sim.token_requests(), 2);
}

#[test]
fn a_407_from_a_proxy_over_plain_http_is_the_proxys_not_the_token_servers() {
    let w = World::new();
    let fake = ScriptedServer::start(Some(ANSWER_407));
    let out = w.token(&w.stitch.sim.token_url(), &["--proxy", &fake.url()], &[]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("The proxy {} asks for a user name and password", fake.url())));
    assert!(fake.heads.lock().unwrap()[0].starts_with(&format!("POST {}", w.stitch.sim.token_url())));
    assert_eq!(w.stitch.sim.token_requests(), 0);
}

#[test]
fn a_profile_with_a_proxy_that_holds_credentials_is_refused_and_nothing_is_saved() {
    let w = World::new();
    let proxy = format!("http://alice:{PROXY_PASSWORD}@127.0.0.1:3128");
    let out =
        w.run(&["profile", "add", "Behind the proxy", "--client-id", CLIENT, "--secret-stdin", "--proxy", &proxy], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the settings file is plain text"), "{}", stderr(&out));
    assert_never_shown(&out, PROXY_PASSWORD);
    assert!(!w.dir("config/token-desk/profiles.json").exists());
}

#[test]
fn a_profiles_proxy_ca_file_and_timeout_are_used_for_its_requests() {
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", "") else { return };
    // Written as `profile add --proxy … --ca-file … --timeout 7` writes it (the keyring is
    // not needed here: the secret is piped in).
    let doc = serde_json::json!({"version": 1, "profiles": [{
        "name": "Corp network", "environment": "test", "client_id": CLIENT, "auth": "secret",
        "scopes": ["client_paymentrequest"], "token_url": w.front.token_url(), "api_url": w.front.token_url(),
        "ca_file": w.ca_file(), "proxy": proxy.url(), "timeout_secs": 7
    }]});
    std::fs::create_dir_all(w.dir("config/token-desk")).unwrap();
    std::fs::write(w.dir("config/token-desk/profiles.json"), doc.to_string()).unwrap();
    let out = w.run(&["token", "--profile", "Corp network", "--secret-stdin", "--fresh", "-v"], &[]);
    assert_token(&out);
    let connect = format!("CONNECT localhost:{}", w.front.addr.port());
    assert!(proxy.requests().iter().any(|l| l.contains(&connect)), "{}", proxy.log_text());
    assert!(stderr(&out).contains("deadline: 7 s"), "{}", stderr(&out));
}

#[test]
fn profile_add_keeps_the_ca_file_proxy_and_timeout_and_the_profiles_tokens_use_them() {
    if !support::skip::keyring_tests() {
        return;
    }
    let w = World::new();
    let Some(proxy) = tinyproxy(&w, "proxy", "") else { return };
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let env = [("DBUS_SESSION_BUS_ADDRESS", bus.as_str())];
    let name = format!("Corp {}", uuid::Uuid::new_v4().simple());
    let url = w.front.token_url();
    let ca = w.ca_file();
    let added = w.run(
        &[
            "profile",
            "add",
            &name,
            "--client-id",
            CLIENT,
            "--secret-stdin",
            "--scope",
            "client_paymentrequest",
            "--token-url",
            &url,
            "--ca-file",
            &ca,
            "--proxy",
            &proxy.url(),
            "--timeout",
            "9",
        ],
        &env,
    );
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let saved = std::fs::read_to_string(w.dir("config/token-desk/profiles.json")).unwrap();
    assert!(
        saved.contains(&format!("\"proxy\": \"{}\"", proxy.url())) && saved.contains("\"timeout_secs\": 9"),
        "{saved}"
    );

    let out = w.run(&["token", "--profile", &name, "--fresh", "-v"], &env);
    assert_token(&out);
    let connect = format!("CONNECT localhost:{}", w.front.addr.port());
    assert!(proxy.requests().iter().any(|l| l.contains(&connect)), "{}", proxy.log_text());
    assert!(stderr(&out).contains("deadline: 9 s"), "{}", stderr(&out));
    assert!(stderr(&out).contains("CN=Token Desk Test Inspection CA"), "{}", stderr(&out));
    let removed = w.run(&["profile", "remove", &name], &env);
    assert_eq!(removed.status.code(), Some(0), "{}", stderr(&removed));
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
