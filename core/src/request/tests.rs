//! Unit tests of the token request: its form, its input checks, its cache key.

use super::*;

#[test]
fn scopes_added_by_the_one_click_fix_must_have_a_scopes_shape() {
    let input = RequestInput {
        client_id: "test-a".into(),
        scopes: Scopes::parse(["client_paymentrequest"]),
        token_url: Some(crate::STITCH_TOKEN_URL.into()),
        audience: None,
        credential: Credential::secret(crate::secret::ClientSecret::new("s3cret".to_owned())),
    };
    let (req, _) = TokenRequest::check(input, std::time::SystemTime::UNIX_EPOCH).unwrap();
    let more = ["client_refund".to_owned(), "x\u{1b}[2J".to_owned(), "{{7*7}}".to_owned()];
    let fixed = req.with_more_scopes(&more);
    assert_eq!(fixed.scopes().iter().collect::<Vec<_>>(), ["client_paymentrequest", "client_refund"]);
}

#[test]
fn a_url_is_kept_re_serialised_not_as_typed() {
    let url = check_url(" HTTPS://Secure.Stitch.Money:443/connect/./token?a=1&b=(x);c ", "token URL").unwrap();
    assert_eq!(url.as_str(), "https://secure.stitch.money/connect/token?a=1&b=(x);c");
}

#[test]
fn a_url_with_template_shell_or_quote_characters_is_refused_naming_the_field() {
    for bad in [
        "https://h.example/?q={{7*7}}",
        "https://h.example/${X}",
        "https://h.example/`id`",
        "https://h.example/?q=$(id)",
        "https://h.example/?q='x'",
        "https://h.example/?q=\"x\"",
        "https://h.example/<x>",
        "https://h.example/a\\b",
        "https://h.example/a|b",
        "https://h.example/a b",
        "https://h.example/a\nb",
        "https://h.example/\u{1b}[2J",
        "https://h.example/a\u{2028}b",
    ] {
        let failure = check_url(bad, "API URL").unwrap_err();
        assert!(failure.message.starts_with("The API URL "), "{bad:?}: {}", failure.message);
        assert!(!failure.message.chars().any(|c| c.is_control() || c == '\u{2028}'), "{}", failure.message);
    }
}

#[test]
fn a_url_with_a_user_name_is_refused() {
    let failure = check_url("https://alice:pw@h.example/", "token URL").unwrap_err();
    assert!(failure.message.contains("user name or password"), "{}", failure.message);
    assert!(check_url(&format!("https://h.example/{}", "a".repeat(MAX_URL_BYTES)), "token URL").is_err());
}

#[test]
fn a_client_id_has_the_shape_of_stitchs_and_is_trimmed() {
    assert_eq!(check_client_id(" test-a.b:c_D-9 ").unwrap(), "test-a.b:c_D-9");
    assert!(check_client_id(" ").unwrap_err().message.starts_with("Enter the client ID"));
    assert!(check_client_id("a b").unwrap_err().message.contains("spaces or line breaks"));
    let failure = check_client_id("test-{{require('child_process').execSync('id')}}").unwrap_err();
    assert!(failure.message.starts_with("The client ID \"test-{{require"), "{}", failure.message);
    assert!(failure.message.contains("only letters A to Z"), "{}", failure.message);
}
