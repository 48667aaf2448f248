//! Redaction's unit tests: every form of a secret, private keys, token fields and cuts.

use base64::Engine as _;

use super::*;

const SECRET: &str = "s3cr\"t/x y+é";

fn gone(text: &str) {
    let out = redact(text, &[SECRET]);
    assert!(out.contains(MARKER), "{text:?} -> {out:?}");
    assert!(!Redactor::new(&[SECRET]).finds_secret(&out), "{text:?} -> {out:?}");
}

#[test]
fn a_secret_is_removed_raw_percent_encoded_and_json_escaped() {
    gone(&format!("echo: {SECRET}!"));
    gone("echo=s3cr%22t%2Fx+y%2B%C3%A9&x=1");
    gone("echo=s3cr%22t%2fx%20y%2b%c3%a9");
    gone(r#"{"echo": "s3cr\"t\/x y+\u00e9"}"#);
    gone(r#"{"echo": "\u0073\u0033cr\u0022t/x\u0020y+\u00E9"}"#);
}

#[test]
fn a_secret_is_removed_from_base64_at_every_alignment() {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    for prefix in ["", "a", "ab", "abc"] {
        let wrapped = format!("{prefix}{SECRET}:tail");
        gone(&format!("Authorization: Basic {}", STANDARD.encode(&wrapped)));
        gone(&format!("token={}", URL_SAFE_NO_PAD.encode(&wrapped)));
    }
    gone(&STANDARD.encode(SECRET));
}

#[test]
fn a_one_character_secret_never_survives_even_if_little_else_does() {
    let out = redact("a secret e in every word, here and there", &["e"]);
    assert!(!out.contains('e'), "{out}");
    assert!(out.contains("***"), "{out}");
    let out = redact("%65 and \\u0065", &["e"]);
    assert!(!out.contains("%65") && !out.contains("\\u0065"), "{out}");
}

#[test]
fn a_percent_sign_or_backslash_in_the_secret_is_also_found_in_its_escaped_form() {
    assert!(!redact("x %25a y", &["%a"]).contains("%25a"));
    assert!(!redact(r"x \u005c\u0030 y", &[r"\0"]).contains(r"\u005c\u0030"));
    assert!(!redact(r"x \\0 y", &[r"\0"]).contains(r"\\0"));
}

#[test]
fn joining_the_text_around_a_removed_echo_does_not_bring_the_secret_back() {
    let out = redact("a]xx", &["]x"]);
    assert!(!out.contains("]x"), "{out}");
}

#[test]
fn private_key_blocks_and_token_fields_are_removed_without_any_secret_given() {
    let text = "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END RSA PRIVATE KEY-----\nend";
    assert_eq!(Redactor::none().redact(text), "key: [redacted]\nend");
    let cut = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg";
    assert_eq!(Redactor::none().redact(cut), "[redacted]");
    let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    assert_eq!(Redactor::none().redact(cert), cert);
    assert_eq!(
        Redactor::none().redact(r#"{"access_token" : "abc\"def", "n": 1}"#),
        r#"{"access_token" : "[redacted]", "n": 1}"#
    );
    assert_eq!(Redactor::none().redact("a=1&client_secret=xyz&b=2"), "a=1&client_secret=[redacted]&b=2");
}

#[test]
fn ordinary_text_is_left_alone() {
    let text = "The server said: invalid_client (HTTP 400).";
    assert_eq!(redact(text, &["a-long-secret-value-1234"]), text);
}

/// A secret whose letters, digits and punctuation exercise every encoding.
const TOKEN: &str = "Tok3n.q=9/z";

fn gone_from(text: &str, secret: &str) {
    let r = Redactor::new(&[secret]);
    let out = r.redact(text);
    assert!(out.contains(r.marker()), "{text:?} -> {out:?}");
    assert!(!r.finds_secret(&out), "{text:?} -> {out:?}");
}

#[test]
fn a_secret_split_by_whitespace_line_breaks_or_nul_between_its_characters_is_removed() {
    gone_from("echo: T o k 3 n . q = 9 / z!", TOKEN);
    gone_from("echo: Tok3n.q\r\n=9/\n\tz", TOKEN);
    gone_from("echo: Tok3n.q=\n   9/z", TOKEN);
    gone_from("T\0o\0k\x003\0n\0.\0q\0=\x009\0/\0z\0", TOKEN);
    gone_from("\0T\0o\0k\x003\0n\0.\0q\0=\x009\0/\0z", TOKEN);
}

#[test]
fn a_secret_with_zero_width_characters_or_soft_hyphens_between_its_characters_is_removed() {
    gone_from("Tok\u{200B}3n\u{200C}.q\u{200D}=9\u{2060}/\u{FEFF}z", TOKEN);
    gone_from("To\u{AD}k3\u{AD}n.q=9/z", TOKEN);
    gone_from(r#"{"t": "Tok\u200b3n.q=9/z"}"#, TOKEN);
}

#[test]
fn a_secret_split_by_quoted_printable_soft_line_breaks_is_removed() {
    gone_from("Tok3=\r\nn.q=3D9/=\nz", TOKEN);
    // The secret's own `=` right before or after a soft line break.
    gone_from("Tok3n.q=\r\n=9/z", TOKEN);
    gone_from("Tok3n.q==\n9/z", TOKEN);
}

#[test]
fn ignorable_characters_before_or_after_a_secret_are_left_in_place() {
    let r = Redactor::new(&[TOKEN]);
    let m = r.marker();
    assert_eq!(r.redact("a\n\u{200B}Tok3n.q=9/z \0b"), format!("a\n\u{200B}{m} \0b"));
    // The secret's own spaces are ignorable too: they are not needed for a match.
    assert_eq!(redact("x my secret y", &["my secret"]), format!("x {MARKER} y"));
    assert_eq!(redact("x mysecret y", &["my secret"]), format!("x {MARKER} y"));
}

#[test]
fn a_secret_as_html_character_references_is_removed() {
    gone_from("&#84;&#111;&#107;&#51;&#110;&#46;&#113;&#61;&#57;&#47;&#122;", TOKEN);
    gone_from("&#x54;&#x6F;&#X6b;&#x0033;&#x6e;&#x2E;&#x71;&#x3D;&#x39;&#x2F;&#x7A;", TOKEN);
    gone_from("&#0084;&#000111;k3n.q&#61;9/z", TOKEN);
    gone_from("<p>a&amp;b&lt;c&gt;&quot;&#39;&apos;</p>", "a&b<c>\"''");
    gone_from("a&AMP;b&LT;c&GT;&QUOT;", "a&b<c>\"");
    gone_from("&#84&#111&#107;3n.q=9/z", TOKEN);
}

#[test]
fn a_secret_in_quoted_printable_is_removed() {
    gone_from("=54=6F=6B=33=6E=2E=71=3D=39=2F=7A", TOKEN);
    gone_from("Tok3n.q=3d9=2fz", TOKEN);
    gone_from("caf=C3=A9-secret", "café-secret");
}

#[test]
fn an_upper_cased_or_lower_cased_echo_of_a_secret_is_removed() {
    gone_from("TOK3N.Q=9/Z", TOKEN);
    gone_from("tok3n.q=9/z", TOKEN);
    gone_from("TOK3N.Q%3D9%2FZ", TOKEN);
    gone_from(r"\U0054\U004F\U004B3N.Q=9/Z", TOKEN);
}

#[test]
fn a_secret_in_hex_of_its_utf8_or_utf16_bytes_is_removed() {
    let utf8 = hex::encode(TOKEN);
    gone_from(&format!("dump: {utf8}"), TOKEN);
    gone_from(&format!("dump: {}", utf8.to_uppercase()), TOKEN);
    let le: Vec<u8> = TOKEN.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = TOKEN.encode_utf16().flat_map(u16::to_be_bytes).collect();
    gone_from(&format!("x{}y", hex::encode(le)), TOKEN);
    gone_from(&format!("x{}y", hex::encode_upper(be)), TOKEN);
}

#[test]
fn every_encoding_mixed_character_by_character_is_removed() {
    gone_from("T%6F\\u006b&#51;=6E&#x2e; q=3D\n9\\/&#x7A;", TOKEN);
    gone_from("t\u{200B}%4F\r\nK&#x33;\0n.Q&#61;9%2f\u{AD}Z", TOKEN);
}

#[test]
fn a_secret_character_that_begins_an_escape_is_found_inside_a_run_of_encoded_spaces() {
    // `a+b` where the `+` is the secret's and the other is a form-encoded space.
    gone_from("a++b", "a+b");
    gone_from("a %20%2520b", "a%20b");
    gone_from("a\\n\\\\b", "a\\b");
    gone_from("a&#32;&b", "a&b");
}

#[test]
fn a_hostile_run_of_escapes_does_not_slow_redaction_down() {
    // Every `=` starts the secret and is followed by a run of soft line breaks to the end:
    // walking the run from each would be quadratic (minutes); it takes milliseconds.
    let text = "=\n".repeat(64 * 1024);
    let started = std::time::Instant::now();
    assert_eq!(redact(&text, &["==x"]), text);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn token_fields_are_blanked_whatever_the_spelling_of_their_name() {
    for name in [
        "access_token",
        r"access\u005ftoken",
        "accessToken",
        "AccessToken",
        "ACCESS_TOKEN",
        "access-token",
        "refreshToken",
        "idToken",
        "id_token",
        "clientSecret",
        "client-secret",
        "clientAssertion",
        "privateKey",
    ] {
        let json = format!(r#"{{"{name}": "abc\"def", "n": 1}}"#);
        assert_eq!(Redactor::none().redact(&json), format!(r#"{{"{name}": "[redacted]", "n": 1}}"#), "{json}");
        let form = format!("a=1&{name}=xyz&b=2");
        assert_eq!(Redactor::none().redact(&form), format!("a=1&{name}=[redacted]&b=2"));
    }
    assert_eq!(Redactor::none().redact("x=1&access%5Ftoken=xyz"), "x=1&access%5Ftoken=[redacted]");
    let other = r#"{"tokenType": "Bearer", "access": "x", "token": "y"}"#;
    assert_eq!(Redactor::none().redact(other), other);
}

#[test]
fn a_cut_text_ends_with_no_beginning_of_a_secret_in_any_encoding() {
    let r = Redactor::new(&[TOKEN]);
    let filler = "x".repeat(20);
    for start in [
        "Tok3",
        "tOK3n.Q",
        "%54%6f%6",
        "T\\u006",
        "Tok3n.q=",
        "Tok3n.q=\r",
        "To\n\u{200B}",
        "&#84;&#11",
        "&#x5",
        "=54=6",
        &hex::encode(TOKEN)[..6],
        &base64::engine::general_purpose::STANDARD.encode(TOKEN)[..5],
    ] {
        let text = format!("{filler}{start}");
        let out = r.redact_cut(&format!("{text}{}", "y".repeat(50)), text.chars().count());
        assert_eq!(out, format!("{filler}…"), "{start:?}");
    }
}

#[test]
fn a_cut_keeps_what_cannot_begin_a_secret_and_a_short_text_is_not_cut() {
    let r = Redactor::new(&[TOKEN]);
    assert_eq!(r.redact_cut("abcdefgh", 5), "abcde…");
    assert_eq!(r.redact_cut("abc", 5), "abc");
    // Redaction before the cut: the secret across the cut is removed whole.
    assert_eq!(r.redact_cut(&format!("ab {TOKEN} cd"), 6), format!("ab {}…", &MARKER[..3]));
}

#[test]
fn the_end_of_a_read_is_cut_back_to_before_a_secret_cut_short() {
    let r = Redactor::new(&[TOKEN]);
    assert_eq!(r.cut_point("body ... Tok3n.q"), "body ... ".len());
    assert_eq!(r.cut_point("body ... caf\u{FFFD}"), "body ... caf".len());
    assert_eq!(r.cut_point("body ... done"), "body ... done".len());
    // A whole secret is left for redaction; only a beginning is cut.
    assert_eq!(r.cut_point(&format!("{TOKEN} and more")), TOKEN.len() + " and more".len());
    assert!(r.margin() >= r"\u0054".len() * TOKEN.len());
}
