//! Unit tests of exporting and importing profiles.

use super::*;
use crate::profiles::AuthMethod;

#[test]
fn a_plan_adds_new_names_and_leaves_clashing_ones_alone() {
    let here = vec![Profile::new("a", "test-a", AuthMethod::Secret), Profile::new("b", "test-b", AuthMethod::Secret)];
    let mut changed_b = here[1].clone();
    changed_b.client_id = "test-other".into();
    let incoming = vec![here[0].clone(), changed_b, Profile::new("c", "test-c", AuthMethod::Certificate)];
    let plan = plan_import(&here, incoming);
    assert_eq!(plan.add.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["c"]);
    assert_eq!(plan.unchanged, ["a"]);
    assert_eq!(plan.conflicts, [Conflict { name: "b".into(), differences: vec!["client_id"] }]);
}

#[test]
fn a_profile_with_stitchs_own_hosts_needs_no_trust() {
    let plan = plan_import(&[], vec![Profile::new("s", "test-a", AuthMethod::Secret)]);
    assert_eq!(plan.reviews.len(), 1);
    assert!(!plan.reviews[0].needs_trust, "{:?}", plan.reviews[0]);
    assert!(plan.reviews[0].hosts.iter().all(|h| h.flag.is_none()));
}

#[test]
fn foreign_hosts_an_unusual_api_and_a_mislabelled_live_client_are_flagged() {
    let mut evil = Profile::new("evil", "test-a", AuthMethod::Secret);
    evil.token_url = "https://evil.example/connect/token".into();
    let mut api = Profile::new("api", "test-b", AuthMethod::Secret);
    api.api_url = "https://collector.example/graphql".into();
    let mut aud = Profile::new("aud", "test-c", AuthMethod::Certificate);
    aud.token_url = "https://evil.example/connect/token".into();
    aud.audience = Some(crate::STITCH_TOKEN_URL.into());
    let mut live = Profile::new("live", "5e1f-live", AuthMethod::Secret);
    live.environment = Environment::Test;
    let plan = plan_import(&[], vec![evil, api, aud, live]);
    let flagged: Vec<Vec<String>> = plan.reviews.iter().map(Review::flagged_hosts).collect();
    assert_eq!(flagged[0], ["evil.example (token URL)", "evil.example (audience)"]);
    assert_eq!(flagged[1], ["collector.example (API URL)"]);
    assert!(flagged[2].contains(&"secure.stitch.money (audience)".to_owned()), "{:?}", flagged[2]);
    assert!(plan.reviews[2].hosts[1].flag.as_deref().unwrap().contains("refuses"));
    assert!(flagged[3].is_empty());
    assert_eq!(plan.add[3].environment, Environment::Live);
    assert!(plan.reviews[3].environment_note.as_deref().unwrap().contains("LIVE"));
}

#[test]
fn a_proxy_or_a_ca_file_from_a_file_always_needs_trust() {
    let mut with_proxy = Profile::new("p", "test-p", AuthMethod::Secret);
    with_proxy.proxy = Some("http://proxy.corp.example:3128".into());
    let mut with_ca = Profile::new("c", "test-c", AuthMethod::Secret);
    with_ca.ca_file = Some("/tmp/inspecting-ca.pem".into());
    let plan = plan_import(&[], vec![with_proxy, with_ca]);
    assert_eq!(plan.reviews[0].flagged_hosts(), ["proxy.corp.example:3128 (proxy)"]);
    assert_eq!(plan.reviews[1].flagged_hosts(), ["/tmp/inspecting-ca.pem (company CA file)"]);
    assert!(plan.reviews.iter().all(|r| r.needs_trust));
    assert!(plan.reviews[1].hosts[3].flag.as_deref().unwrap().contains("as if it were Stitch"));
}

#[test]
fn a_simulator_profile_is_flagged_as_this_computer() {
    let mut sim = Profile::new("sim", "test-a", AuthMethod::Secret);
    sim.token_url = "http://127.0.0.1:8555/connect/token".into();
    sim.api_url = "http://127.0.0.1:9999/graphql".into();
    let plan = plan_import(&[], vec![sim]);
    let hosts = &plan.reviews[0].hosts;
    assert!(hosts[0].flag.as_deref().unwrap().contains("this computer"), "{hosts:?}");
    assert_eq!(hosts[2].host, "127.0.0.1:9999");
}

#[test]
fn a_file_with_template_code_in_a_client_id_is_refused_whole_naming_the_profile_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.json");
    let doc = r#"{"version": 1, "profiles": [
        {"name": "fine", "environment": "test", "client_id": "test-fine", "auth": "secret"},
        {"name": "team", "environment": "test", "client_id": "test-{{require('child_process').execSync('id>owned')}}", "auth": "secret"}
    ]}"#;
    std::fs::write(&file, doc).unwrap();
    let message = read(&file).unwrap_err().to_string();
    assert!(message.contains(": The client ID of profile \"team\" (\"test-{{require("), "{message}");
    assert!(message.ends_with("are allowed. Nothing was changed."), "{message}");
}

#[test]
fn an_import_without_trust_leaves_flagged_profiles_out_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::at(dir.path().join("profiles.json"));
    let mut evil = Profile::new("evil", "test-a", AuthMethod::Secret);
    evil.token_url = "https://evil.example/connect/token".into();
    let plan = plan_import(&[], vec![evil, Profile::new("fine", "test-b", AuthMethod::Secret)]);
    let done = file.import(&plan, HostTrust::StitchOnly).unwrap();
    assert_eq!(done.added, ["fine"]);
    assert_eq!(done.not_trusted.len(), 1);
    assert!(done.not_trusted[0].reason.contains("evil.example (token URL)"), "{:?}", done.not_trusted);
    assert_eq!(file.load().unwrap().len(), 1);
    let again = plan_import(&file.load().unwrap(), plan.add.clone());
    assert_eq!(file.import(&again, HostTrust::TrustListedHosts).unwrap().added, ["evil"]);
}
