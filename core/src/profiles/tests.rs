//! Unit tests of a profile: its checks, its name rules and its environment.

use super::*;

#[test]
fn a_test_client_id_suggests_the_test_environment() {
    assert_eq!(Environment::suggested_for("test-5e1f6c0a"), Environment::Test);
    assert_eq!(Environment::suggested_for("5e1f6c0a-8d4b"), Environment::Live);
    assert_eq!(Profile::new("a", " test-x ", AuthMethod::Secret).environment, Environment::Test);
}

#[test]
fn names_with_control_characters_or_nothing_in_them_are_refused() {
    for bad in ["", "   ", "a\nb", "bell\u{7}", "esc\u{1b}[31m", " padded", &"x".repeat(65)] {
        assert!(check_name(bad).is_err(), "{bad:?}");
    }
    assert_eq!(check_name("Shop checkout (live)").unwrap(), "Shop checkout (live)");
    for hidden in ["Shop live\u{200B}", "Shop\u{202E}evil", "a\u{2066}b", "soft\u{AD}hyphen", "bom\u{FEFF}"] {
        let e = check_name(hidden).unwrap_err();
        assert!(e.to_string().contains("invisible"), "{e}");
    }
    assert!(check_name(&"é".repeat(64)).is_ok());
}

#[test]
fn names_with_template_shell_or_markup_characters_are_refused_and_punctuation_is_allowed() {
    for bad in ["Shop {{7*7}}", "a${X}", "a`id`", "it's", "say \"hi\"", "back\\slash", "<b>", "€ only 😀"] {
        let e = check_name(bad).unwrap_err();
        assert!(e.to_string().starts_with("The profile name \""), "{bad}: {e}");
    }
    for good in ["Shop (live) #1 & co.; 100% [x] = a/b ~ ^ | ! ? @ * + _ -", "Thabo’s shop – test", "Café"] {
        assert_eq!(check_name(good).map(str::len), Ok(good.len()), "{good}");
    }
}

#[test]
fn a_malformed_client_id_or_scope_is_refused_naming_the_profile_and_the_field() {
    let mut p = Profile::new("team", "test-{{require('child_process').execSync('id')}}", AuthMethod::Secret);
    let e = p.validate().unwrap_err().to_string();
    assert!(e.starts_with("The client ID of profile \"team\" (\"test-{{require"), "{e}");
    assert!(e.contains("contains \"{\"; only letters A to Z"), "{e}");
    p.client_id = "test-a.b:c_D-9".into();
    assert_eq!(p.validate(), Ok(()));
    p.scopes = Scopes::parse(["client_refund", "$(touch x)"]);
    let e = p.validate().unwrap_err().to_string();
    assert_eq!(e, "Profile \"team\" has a scope \"$(touch\" that contains \"$\"; only letters A to Z, digits and . _ : - are allowed.");
    p.scopes = Scopes::parse(["client_refund"]);
    p.audience = Some("https://secure.stitch.money/connect/token?x={{7*7}}".into());
    let e = p.validate().unwrap_err().to_string();
    assert!(e.starts_with("Profile \"team\": The audience "), "{e}");
}

#[test]
fn a_checked_profile_keeps_its_urls_re_serialised() {
    let mut p = Profile::new("p", " test-x ", AuthMethod::Secret);
    p.client_id = " test-x ".into();
    p.token_url = "HTTPS://Secure.Stitch.Money/connect/./token".into();
    p.audience = Some(" https://secure.stitch.money:443/connect/token".into());
    p.api_url = "https://api.stitch.money/graphql?a=1&b=(2)".into();
    let p = p.checked().unwrap();
    assert_eq!(p.client_id, "test-x");
    assert_eq!(p.token_url, "https://secure.stitch.money/connect/token");
    assert_eq!(p.audience.as_deref(), Some("https://secure.stitch.money/connect/token"));
    assert_eq!(p.api_url, "https://api.stitch.money/graphql?a=1&b=(2)");
}

#[test]
fn names_that_fold_alike_are_found_similar() {
    assert_eq!(similar_name("Shop Live", ["shop live", "other"]), Some("shop live"));
    assert_eq!(similar_name("ｓｈｏｐ", ["Shop"]), Some("Shop"));
    assert_eq!(similar_name("straße", ["STRASSE"]), Some("STRASSE"));
    assert_eq!(similar_name("shop test", ["shop live"]), None);
}

#[test]
fn a_plain_http_token_url_is_refused_unless_it_is_this_computer() {
    let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
    p.token_url = "http://example.com/connect/token".into();
    assert!(matches!(p.validate(), Err(ProfileError::BadUrl { .. })));
    p.token_url = "http://127.0.0.1:8555/connect/token".into();
    assert_eq!(p.validate(), Ok(()));
    p.api_url = "ftp://example.com".into();
    assert!(p.validate().is_err());
}

#[test]
fn a_proxy_with_credentials_is_never_saved_in_a_profile() {
    let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
    p.proxy = Some("http://proxy.corp:3128".into());
    p.timeout_secs = Some(5);
    assert_eq!(p.validate(), Ok(()));
    p.proxy = Some("http://alice:pw-9f2@proxy.corp:3128".into());
    let err = p.validate().unwrap_err();
    assert!(matches!(err, ProfileError::ProxyWithCredentials { .. }));
    assert!(!err.to_string().contains("pw-9f2"), "{err}");
    p.proxy = None;
    p.timeout_secs = Some(0);
    assert!(matches!(p.validate(), Err(ProfileError::BadNetwork { .. })));
}

#[test]
fn network_settings_kept_in_a_profile_read_back_the_same() {
    let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
    let proxy = crate::network::ProxyUrl::parse("http://proxy.corp:3128").unwrap();
    let set = crate::network::NetworkSettings {
        proxy: Some(proxy),
        timeout: Some(std::time::Duration::from_secs(12)),
        ..Default::default()
    };
    p.set_network(&set).unwrap();
    assert_eq!(p.network().unwrap(), set);
    let with_password = crate::network::ProxyUrl::parse("http://a:b@proxy.corp:3128").unwrap();
    let refused = crate::network::NetworkSettings { proxy: Some(with_password), ..Default::default() };
    assert!(matches!(p.set_network(&refused), Err(ProfileError::ProxyWithCredentials { .. })));
    assert_eq!(p.proxy.as_deref(), Some("http://proxy.corp:3128"), "unchanged");
}

#[test]
fn a_settings_file_without_network_fields_still_loads_and_none_are_written() {
    let old = r#"{"name":"p","environment":"test","client_id":"test-x","auth":"secret"}"#;
    let p: Profile = serde_json::from_str(old).unwrap();
    assert_eq!((p.ca_file.clone(), p.proxy.clone(), p.timeout_secs), (None, None, None));
    let written = serde_json::to_string(&p).unwrap();
    assert!(!written.contains("proxy") && !written.contains("ca_file") && !written.contains("timeout"));
}

#[test]
fn an_issued_on_date_reads_and_writes_as_year_month_day() {
    let d = IssuedOn::parse("2024-02-29").unwrap();
    assert_eq!(d.to_string(), "2024-02-29");
    assert!(IssuedOn::parse("2023-02-29").is_none());
    assert!(IssuedOn::parse("24-2-9").is_none());
    assert!(IssuedOn::parse("+02024-02-09").is_none());
}

#[test]
fn scopes_given_replace_the_profile_defaults_and_none_keep_them() {
    let mut p = Profile::new("p", "test-x", AuthMethod::Secret);
    p.scopes = Scopes::parse(["client_paymentrequest"]);
    let cred = || Credential::secret(crate::secret::ClientSecret::new("s"));
    assert_eq!(p.request_input(cred(), None).scopes.to_field(), "client_paymentrequest");
    assert_eq!(p.request_input(cred(), Some(Scopes::default())).scopes.to_field(), "client_paymentrequest");
    let chosen = p.request_input(cred(), Some(Scopes::parse(["client_refund"])));
    assert_eq!(chosen.scopes.to_field(), "client_refund");
}
