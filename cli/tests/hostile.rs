//! Hostile input, tried as an attacker would (issue 8): files, servers and settings out to
//! get a secret. Each case drives the real `token-desk` binary (or the engine) against a
//! loopback "attacker" server that keeps every request, and checks the refusal, its message,
//! that no request carrying a secret, an assertion for the real audience or a token reached
//! the attacker, and that the settings file and the keyring are as they were.
//!
//! Sections 4 to 8 (bounded everything, redaction, profile names) are in `hostile_limits.rs`.
//!
//! Cases marked "keyring" use the real Secret Service and run under
//! `scripts/test -p token-desk-cli --test hostile`; without it they print `skipped:`.

mod support;

use support::hostile_world::*;
use support::skip::keyring_tests;
use support::{all_output, text, Attacker, Home, Mode};

// ---- 1. A credential is bound to its destination ----

#[test]
fn a_left_over_keyring_entry_is_never_sent_to_a_same_named_profile_at_another_host() {
    let Some((_l, home, name)) = saved_profile("shop") else { return };
    let attacker = Attacker::start(Mode::Token);
    settings_replaced_by(&home, profile_json(&name, CLIENT, &attacker.url("/connect/token"), ""));
    token_refused_and_nothing_changed(
        &home,
        &name,
        "has no saved client secret for test-hostile-secret-client at http://127.0.0.1",
    );
    attacker.assert_untouched("left-over entry");
}

#[test]
fn a_left_over_keyring_entry_is_never_used_for_another_client_of_the_same_name() {
    let Some((l, home, name)) = saved_profile("shared") else { return };
    settings_replaced_by(&home, profile_json(&name, OTHER_CLIENT, &l.sim.token_url(), ""));
    let before = l.sim.token_requests();
    token_refused_and_nothing_changed(&home, &name, "has no saved client secret for test-hostile-other-client");
    assert_eq!(l.sim.token_requests(), before, "no request carried the other client's secret");
}

#[test]
fn a_profile_edited_to_point_elsewhere_does_not_take_its_saved_secret_along() {
    let Some((l, home, name)) = saved_profile("edited") else { return };
    let attacker = Attacker::start(Mode::Token);
    let edited = std::fs::read_to_string(home.settings_file())
        .unwrap()
        .replace(&l.sim.token_url(), &attacker.url("/connect/token"));
    std::fs::write(home.settings_file(), edited).unwrap();
    token_refused_and_nothing_changed(&home, &name, "Save it first");
    attacker.assert_untouched("edited token URL");
}

#[test]
fn a_typed_secret_is_handed_out_only_for_the_client_and_origin_it_was_typed_for() {
    use token_desk_core::destination::BoundCredential;
    use token_desk_core::request::Credential;
    use token_desk_core::secret::ClientSecret;
    let attacker = Attacker::start(Mode::Token);
    let typed = BoundCredential::entered_for(Credential::secret(ClientSecret::new(SECRET)), CLIENT, STITCH).unwrap();
    let elsewhere = typed.credential_for(CLIENT, &attacker.url("/connect/token")).unwrap_err();
    assert_eq!(
        elsewhere.message,
        "This secret was entered for test-hostile-secret-client at https://secure.stitch.money. Enter the secret again for 127.0.0.1."
    );
    let other_client = typed.credential_for(OTHER_CLIENT, STITCH).unwrap_err();
    assert!(other_client.message.contains("Enter the secret of test-hostile-other-client"), "{}", other_client.message);
    assert!(typed.credential_for(CLIENT, STITCH).is_ok());
    attacker.assert_untouched("typed secret");
}

// ---- 2. Audience and token URL share an origin ----

#[test]
fn a_secret_request_with_stitchs_audience_is_not_sent_to_another_token_url() {
    let (attacker, home, url) = attacked(Mode::Token);
    let mut args = token_args(CLIENT, &url);
    args.extend(["--audience", STITCH]);
    let out = home.run(&args, Some(SECRET));
    refused(&out, 2, "is not on the token URL's server");
    attacker.assert_untouched("audience for Stitch");
}

#[test]
fn a_certificate_client_never_signs_an_assertion_for_stitch_that_goes_elsewhere() {
    let l = legit();
    let (attacker, home, url) = attacked(Mode::Token);
    let pem = l.pem.to_str().unwrap();
    let mut args = support::certificate_args(&url, CERT_CLIENT, pem, "client_paymentrequest");
    args.extend(["--audience", STITCH]);
    let out = home.run(&args, None);
    refused(&out, 2, "An assertion addressed to one server is never sent to another");
    attacker.assert_untouched("assertion for Stitch");
}

#[test]
fn a_profile_whose_audience_is_on_another_server_is_not_saved() {
    let (attacker, home, url) = attacked(Mode::Token);
    let out = home.run(
        &["profile", "add", "aud", "--client-id", CLIENT, "--secret-stdin", "--token-url", &url, "--audience", STITCH],
        Some(SECRET),
    );
    refused(&out, 2, "is not on the token URL's server");
    assert_eq!(home.settings(), None);
    attacker.assert_untouched("profile with a foreign audience");
}

#[test]
fn an_imported_profile_whose_audience_is_stitch_but_token_url_is_not_gets_no_assertion() {
    if !keyring_tests() {
        return;
    }
    let attacker = Attacker::start(Mode::Token);
    let home = Home::new(true);
    let name = home.name("aud");
    let extra = format!(r#", "audience": "{STITCH}""#);
    let file =
        home.write("aud.json", &profiles_doc(&[profile_json(&name, CLIENT, &attacker.url("/connect/token"), &extra)]));
    let plan = home.import(&file, &["--dry-run"]);
    assert!(
        text(&plan.stdout).contains("refuses to send an assertion addressed to one server to another"),
        "{}",
        text(&plan.stdout)
    );
    assert_eq!(home.import(&file, &["--trust-hosts"]).status.code(), Some(0));
    let saved = home.snapshot();
    let out = home.run(&["token", "--profile", &name, "--secret-stdin"], Some(SECRET));
    refused(&out, 2, "is not on the token URL's server");
    attacker.assert_untouched("imported audience");
    assert_eq!(home.snapshot(), saved);
}

// ---- 3. Imported hosts are trusted only when the user says so ----

#[test]
fn an_import_naming_a_foreign_token_url_adds_nothing_without_trust_hosts_and_names_the_host() {
    let (attacker, home, _) = attacked(Mode::Token);
    let file = home.write(
        "team.json",
        &profiles_doc(&[profile_json("team", CLIENT, "https://secure-stitch.example/connect/token", "")]),
    );
    let out = home.import(&file, &[]);
    let all = refused(&out, 2, "run again with --trust-hosts");
    assert!(all.contains("secure-stitch.example (token URL)"), "{all}");
    assert!(all.contains("is not Stitch's server"), "{all}");
    assert!(!home.settings().is_some_and(|s| text(&s).contains("team")), "nothing imported");
    attacker.assert_untouched("foreign token URL");
}

#[test]
fn an_import_naming_a_foreign_api_url_adds_nothing_without_trust_hosts() {
    let (attacker, home, _) = attacked(Mode::Token);
    let extra = format!(r#", "api_url": "{}""#, attacker.url("/graphql"));
    let file = home.write("api.json", &profiles_doc(&[profile_json("api", CLIENT, STITCH, &extra)]));
    let before = home.settings();
    let out = home.import(&file, &[]);
    let all = refused(&out, 2, "(API URL)");
    assert!(all.contains("every token of this client"), "{all}");
    assert_eq!(home.settings(), before);
    attacker.assert_untouched("foreign API URL");
}

#[test]
fn an_import_naming_a_proxy_or_a_ca_file_adds_nothing_without_trust_hosts() {
    let (attacker, home, _) = attacked(Mode::Token);
    let ca = home.write("their-ca.pem", "not read before the user trusts it");
    let extra = format!(r#", "proxy": "{}", "ca_file": "{}""#, attacker.url(""), ca.display());
    let file = home.write("network.json", &profiles_doc(&[profile_json("net", CLIENT, STITCH, &extra)]));
    let before = home.settings();
    let out = home.import(&file, &[]);
    let all = refused(&out, 2, "run again with --trust-hosts");
    assert!(all.contains("(proxy)") && all.contains("(company CA file)"), "{all}");
    assert_eq!(home.settings(), before);
    attacker.assert_untouched("imported proxy");
}

#[test]
fn an_exported_profile_with_a_foreign_api_url_never_gets_a_token_after_an_untrusted_import() {
    let l = legit();
    let attacker = Attacker::start(Mode::Token);
    let sender = Home::new(false);
    let extra = format!(r#", "api_url": "{}""#, attacker.url("/graphql"));
    let sent = sender.write("sent.json", &profiles_doc(&[profile_json("handy", CLIENT, &l.sim.token_url(), &extra)]));
    let receiver = Home::new(false);
    let _ = receiver.import(&sent, &[]);
    let before = receiver.settings();
    let out = receiver.run(&["check", "--profile", "handy", "--secret-stdin"], Some(SECRET));
    refused(&out, 2, "There is no profile named \"handy\"");
    let out = receiver.run(&["snippet", "--profile", "handy", "--lang", "curl"], None);
    assert_ne!(out.status.code(), Some(0), "{}", all_output(&out));
    attacker.assert_untouched("exported API URL");
    assert_eq!(receiver.settings(), before);
}

#[test]
fn a_live_client_labelled_test_in_a_file_is_imported_as_live() {
    let home = Home::new(false);
    let doc = profiles_doc(&[
        r#"{"name": "quiet", "environment": "test", "client_id": "5e1f6c0a-live-client", "auth": "secret"}"#.to_owned(),
    ]);
    let file = home.write("live.json", &doc);
    let out = home.import(&file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(text(&out.stdout).contains("it is a LIVE client"), "{}", text(&out.stdout));
    let saved: serde_json::Value = serde_json::from_slice(&home.settings().unwrap()).unwrap();
    assert_eq!(saved["profiles"][0]["environment"], "live");
}

#[test]
fn a_dry_run_lists_every_host_and_changes_nothing() {
    let (attacker, home, _) = attacked(Mode::Token);
    let extra = format!(r#", "api_url": "{}""#, attacker.url("/graphql"));
    let file =
        home.write("dry.json", &profiles_doc(&[profile_json("dry", CLIENT, &attacker.url("/connect/token"), &extra)]));
    let out = home.import(&file, &["--dry-run"]);
    let stdout = text(&out.stdout);
    for role in ["token URL", "audience", "API URL"] {
        assert!(stdout.contains(role), "{stdout}");
    }
    assert!(stdout.contains("needs --trust-hosts"), "{stdout}");
    assert_eq!(home.settings(), None);
    attacker.assert_untouched("dry run");
}

#[test]
fn an_imported_name_that_folds_like_an_existing_one_is_a_conflict() {
    let home = Home::new(false);
    let first = home.write("a.json", &profiles_doc(&[profile_json("Shop live", CLIENT, STITCH, "")]));
    assert_eq!(home.import(&first, &[]).status.code(), Some(0));
    let before = home.settings();
    let second = home.write("b.json", &profiles_doc(&[profile_json("ＳＨＯＰ LIVE", OTHER_CLIENT, STITCH, "")]));
    let out = home.import(&second, &[]);
    assert!(text(&out.stdout).contains("skipped: \"ＳＨＯＰ LIVE\""), "{}", all_output(&out));
    assert_eq!(home.settings(), before);
}

#[test]
fn an_import_file_with_an_invisible_character_in_a_name_is_refused_whole() {
    let home = Home::new(false);
    let doc = profiles_doc(&[
        profile_json("fine", CLIENT, STITCH, ""),
        profile_json("Shop live\\u200b", OTHER_CLIENT, STITCH, ""),
    ]);
    let file = home.write("zw.json", &doc);
    let out = home.import(&file, &[]);
    refused(&out, 2, "invisible or text-direction character (U+200B)");
    assert_eq!(home.settings(), None);
}
