//! Company networks, the proxies (see `networks.rs` for trust, the deadline and what a running
//! process shows): Debian's `tinyproxy` as the forward proxy, its own log showing what went
//! through it, a proxy that is down, one that refuses, one that asks for credentials, proxy
//! variables and NO_PROXY, and a profile's proxy. Every `token-desk` here runs as a process with
//! a clean environment, so the machine's own proxy variables cannot change the outcome.

mod support;

use support::net::{ScriptedServer, ANSWER_407};
use support::network_world::*;

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
