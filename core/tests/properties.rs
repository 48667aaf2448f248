//! Whatever bytes arrive, the PEM reader, the response parser and the scope parser answer
//! with a value or a failure, never a panic; and whatever a server does to a secret or a token
//! it echoes, redaction leaves no form of it.

mod support;

use std::time::SystemTime;

use base64::Engine as _;
use proptest::prelude::*;
use token_desk_core::certificate::ClientCertificate;
use token_desk_core::redact::Redactor;
use token_desk_core::response::{interpret, Answer, Context};
use token_desk_core::scope::{did_you_mean, Scopes};

fn context(requested: &Scopes) -> Context<'_> {
    Context {
        token_url: "https://secure.stitch.money/connect/token",
        requested,
        sent_at: SystemTime::now(),
        received_at: SystemTime::now(),
        secrets: &["s3cret-value"],
        uses_certificate: false,
        certificate_warning: None,
    }
}

/// Pieces that make PEM-looking input, so the generator reaches the parser's inner paths.
fn pem_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("-----BEGIN CERTIFICATE-----\n".to_owned()),
        Just("-----END CERTIFICATE-----\n".to_owned()),
        Just("-----BEGIN PRIVATE KEY-----\n".to_owned()),
        Just("-----END PRIVATE KEY-----\n".to_owned()),
        Just("-----BEGIN RSA PRIVATE KEY-----\n".to_owned()),
        Just("-----END RSA PRIVATE KEY-----\n".to_owned()),
        Just("Proc-Type: 4,ENCRYPTED\n".to_owned()),
        Just("Bag Attributes\n    localKeyID: 01 02\n".to_owned()),
        "[A-Za-z0-9+/=]{0,80}\n",
        ".{0,20}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_pem_reader_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = ClientCertificate::from_pem(&bytes);
    }

    #[test]
    fn the_pem_reader_never_panics_on_pem_like_text(text in pem_like()) {
        let _ = ClientCertificate::from_pem(text.as_bytes());
    }

    #[test]
    fn the_pem_reader_never_panics_on_a_damaged_real_file(cut in 0usize..4000, flip in 0usize..4000, byte in any::<u8>()) {
        let mut bytes = support::stitch_pem("test-prop", token_desk_core::simulator::demo::KeyForm::Pkcs8, false).into_bytes();
        let flip = flip % bytes.len();
        bytes[flip] = byte;
        bytes.truncate(cut.min(bytes.len()));
        let _ = ClientCertificate::from_pem(&bytes);
    }

    #[test]
    fn the_response_parser_never_panics(
        status in prop_oneof![Just(200u16), Just(400), Just(401), Just(302), Just(429), Just(503), 100u16..600],
        body in prop::collection::vec(any::<u8>(), 0..512),
        retry_after in proptest::option::of(".{0,40}"),
        content_type in proptest::option::of(prop_oneof![Just("application/json".to_owned()), Just("text/html".to_owned()), ".{0,20}"]),
    ) {
        let requested = Scopes::parse(["client_refund"]);
        let answer = Answer { status, content_type: content_type.as_deref(), retry_after: retry_after.as_deref(), location: None, body: &body };
        let _ = interpret(&answer, &context(&requested));
    }

    #[test]
    fn the_response_parser_never_panics_on_json_shaped_answers(
        token in proptest::option::of(prop_oneof![".{0,40}".prop_map(serde_json::Value::from), any::<i64>().prop_map(serde_json::Value::from)]),
        expires in proptest::option::of(prop_oneof![any::<i64>().prop_map(serde_json::Value::from), any::<f64>().prop_map(serde_json::Value::from), ".{0,12}".prop_map(serde_json::Value::from)]),
        scope in proptest::option::of(".{0,60}"),
        error in proptest::option::of(".{0,30}"),
        status in prop_oneof![Just(200u16), Just(400)],
    ) {
        let mut obj = serde_json::Map::new();
        if let Some(t) = token { obj.insert("access_token".into(), t); }
        if let Some(e) = expires { obj.insert("expires_in".into(), e); }
        if let Some(s) = scope { obj.insert("scope".into(), s.into()); }
        if let Some(e) = error { obj.insert("error".into(), e.into()); }
        let body = serde_json::to_vec(&obj).unwrap();
        let requested = Scopes::parse(["client_refund"]);
        let answer = Answer { status, content_type: Some("application/json"), body: &body, ..Answer::default() };
        if let Ok(t) = interpret(&answer, &context(&requested)) {
            prop_assert!(t.expires_in >= 1);
            prop_assert!(t.expires_at > t.issued_at);
        }
    }

    #[test]
    fn the_scope_parser_never_panics_and_never_yields_blank_or_repeated_scopes(inputs in prop::collection::vec(".{0,60}", 0..6)) {
        let scopes = Scopes::parse(&inputs);
        let all: Vec<&str> = scopes.iter().collect();
        for s in &all {
            prop_assert!(!s.is_empty());
            prop_assert!(!s.contains(' ') && !s.contains(','));
            let _ = did_you_mean(s);
        }
        let unique: std::collections::BTreeSet<_> = all.iter().collect();
        prop_assert_eq!(unique.len(), all.len());
        prop_assert!(!scopes.to_field().contains("  "));
    }
}

// ---- Redaction ----

/// Printable values, 1 to 200 characters: any Unicode, or ASCII only (whose case can be changed
/// and whose UTF-16 bytes read as text keep every character). Never blank: a blank secret is
/// refused before it is sent and a blank token is not a token.
fn values() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{1,200}", "[ -~]{1,200}"].prop_filter("never blank", |s| !s.trim().is_empty())
}

/// Text around an echo.
fn surroundings() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[ -~\n]{0,40}", "\\PC{0,20}"]
}

/// What an echo may put between two characters: whitespace, NUL, zero-width characters, the
/// soft hyphen, quoted-printable soft line breaks, and encoded spaces and line breaks.
const IGNORABLE: [&str; 18] = [
    " ", "\t", "\r\n", "\n", "\0", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{AD}", "=\r\n",
    "=\n", "%20", "+", "\\n", "&#10;", "=0A",
];

fn percent(v: &str, upper: bool) -> String {
    v.bytes().map(|b| if upper { format!("%{b:02X}") } else { format!("%{b:02x}") }).collect()
}

fn quoted_printable(v: &str) -> String {
    v.bytes().map(|b| format!("={b:02X}")).collect()
}

fn json_unicode(v: &str) -> String {
    v.encode_utf16().map(|u| format!("\\u{u:04x}")).collect()
}

fn json_escaped(v: &str) -> String {
    let quoted = serde_json::to_string(v).unwrap();
    quoted[1..quoted.len() - 1].replace('/', "\\/")
}

fn html_named(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn utf16_bytes(v: &str, little_endian: bool) -> Vec<u8> {
    v.encode_utf16().flat_map(|u| if little_endian { u.to_le_bytes() } else { u.to_be_bytes() }).collect()
}

fn joined(v: &str, between: &str) -> String {
    v.chars().map(String::from).collect::<Vec<_>>().join(between)
}

/// Every whole form of `v` an echo may carry, each of which redaction must remove.
fn encodings(v: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let mut out = vec![
        v.to_owned(),
        v.to_ascii_uppercase(),
        v.to_ascii_lowercase(),
        percent(v, false),
        percent(v, true),
        url::form_urlencoded::byte_serialize(v.as_bytes()).collect(),
        json_unicode(v),
        json_escaped(v),
        v.chars().map(|c| format!("&#{};", u32::from(c))).collect(),
        v.chars().map(|c| format!("&#x{:x};", u32::from(c))).collect(),
        v.chars().map(|c| format!("&#X{:06X};", u32::from(c))).collect(),
        html_named(v),
        quoted_printable(v),
        hex::encode(v),
        hex::encode_upper(v),
        hex::encode(utf16_bytes(v, true)),
        hex::encode_upper(utf16_bytes(v, false)),
        joined(v, "\r\n"),
        joined(v, " "),
        joined(v, "\u{200B}"),
        joined(v, "=\r\n"),
        v.chars().map(|c| quoted_printable(&c.to_string())).collect::<Vec<_>>().join("=\n"),
        STANDARD.encode(v),
        URL_SAFE_NO_PAD.encode(v),
    ];
    if v.is_ascii() {
        // UTF-16 read as UTF-8 text: a NUL after (LE) or before (BE) every character.
        out.push(String::from_utf8(utf16_bytes(v, true)).unwrap());
        out.push(String::from_utf8(utf16_bytes(v, false)).unwrap());
    }
    out
}

/// What of an encoding must never be left: the encoding itself, and for base64 after a
/// prefix of one or two bytes the digits that depend on `v` alone.
fn needles(v: &str) -> Vec<String> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut out = encodings(v);
    for (offset, prefix) in ["u", "us"].iter().enumerate() {
        let text = URL_SAFE_NO_PAD.encode(format!("{prefix}{v}"));
        let from = (8 * (offset + 1)).div_ceil(6);
        let to = 8 * (offset + 1 + v.len()) / 6;
        if to > from + 4 {
            out.push(text[from..to].to_owned());
        }
    }
    out
}

/// `c` in the form `pick` chooses: raw, other case, percent, quoted-printable, JSON, an HTML
/// reference (with leading zeros), a named one, or form-encoded.
fn char_form(c: char, pick: u8) -> String {
    let s = c.to_string();
    match pick % 11 {
        0 => s,
        1 if c.is_ascii_lowercase() => s.to_ascii_uppercase(),
        1 => s.to_ascii_lowercase(),
        2 => percent(&s, pick & 0x10 != 0),
        3 => quoted_printable(&s),
        4 => json_unicode(&s),
        5 => json_escaped(&s),
        6 => format!("&#{}{};", "0".repeat(usize::from(pick >> 5)), u32::from(c)),
        7 => format!("&#{}{:04x};", if pick & 0x10 != 0 { "X" } else { "x" }, u32::from(c)),
        8 => html_named(&s),
        9 => url::form_urlencoded::byte_serialize(s.as_bytes()).collect(),
        _ => format!("&#{};", u32::from(c)),
    }
}

/// `v` with each character in a form of its own and, where `picks` says, a run of ignorable
/// characters before it.
fn mixed(v: &str, picks: &[u8]) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        let pick = picks[i % picks.len()];
        if i > 0 && pick & 0x80 != 0 {
            out.push_str(IGNORABLE[usize::from(pick) % IGNORABLE.len()]);
            if pick & 0x40 != 0 {
                out.push_str(IGNORABLE[usize::from(pick / 3) % IGNORABLE.len()]);
            }
        }
        out.push_str(&char_form(c, pick.rotate_left(3)));
    }
    out
}

/// The forms of `v` a case embeds: three of [`encodings`] as `chosen` says, a base64 form
/// after a prefix, and a character-by-character mixture.
fn embedded(v: &str, chosen: &[usize; 3], picks: &[u8]) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    let all = encodings(v);
    let mut out: Vec<String> = chosen.iter().map(|&i| all[i % all.len()].clone()).collect();
    let prefix = &"usr"[..chosen[0] % 4];
    let engine = if chosen[1].is_multiple_of(2) { &STANDARD } else { &URL_SAFE };
    out.push(engine.encode(format!("{prefix}{v}")));
    out.push(mixed(v, picks));
    out
}

/// `forms` between pieces of `around`.
fn surround(forms: &[String], around: &[String]) -> String {
    let mut text = around[0].clone();
    for (i, f) in forms.iter().enumerate() {
        text.push_str(f);
        text.push_str(&around[(i + 1) % around.len()]);
    }
    text
}

fn assert_nothing_left(redactor: &Redactor, out: &str, values: &[&str]) -> Result<(), TestCaseError> {
    prop_assert!(!redactor.finds_secret(out), "a secret is still found in {:?}", out);
    for v in values {
        for n in needles(v) {
            prop_assert!(!out.contains(&n), "{:?} survived in {:?}", n, out);
        }
    }
    Ok(())
}

/// Names a server may give the token's field.
const TOKEN_FIELDS: [&str; 6] =
    ["access_token", "accessToken", "ACCESS-TOKEN", "access\\u005ftoken", "Access_Token", "access%5Ftoken"];

proptest! {
    // 6,144 + 4,096 cases: more than 10,000 values, each in five forms.
    #![proptest_config(ProptestConfig { cases: 6144, ..ProptestConfig::default() })]

    #[test]
    fn a_secret_in_any_encoding_and_any_mixture_of_them_is_removed(
        secret in values(),
        chosen in any::<[usize; 3]>(),
        picks in prop::collection::vec(any::<u8>(), 1..32),
        around in prop::collection::vec(surroundings(), 6),
    ) {
        let redactor = Redactor::new(&[&secret]);
        let text = surround(&embedded(&secret, &chosen, &picks), &around);
        let out = redactor.redact(&text);
        assert_nothing_left(&redactor, &out, &[&secret])?;
        // Cut anywhere after redaction, nothing of it is left either.
        let cut = redactor.redact_cut(&text, usize::from(picks[0]) % (out.chars().count() + 1));
        assert_nothing_left(&redactor, &cut, &[&secret])?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn a_token_echoed_in_any_encoding_or_under_any_spelling_of_its_field_is_removed(
        secret in values(),
        token in values(),
        chosen in any::<[usize; 3]>(),
        field in 0usize..TOKEN_FIELDS.len(),
        picks in prop::collection::vec(any::<u8>(), 2..32),
        around in prop::collection::vec(surroundings(), 8),
    ) {
        let redactor = Redactor::new(&[&secret, &token]);
        let name = TOKEN_FIELDS[field];
        let mut forms = embedded(&token, &chosen, &picks);
        forms.push(format!("{{\"{name}\": \"{}\"}}", json_escaped(&token)));
        forms.push(format!("&{name}={}&", url::form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>()));
        forms.extend(embedded(&secret, &[chosen[2], chosen[0], chosen[1]], &picks[1..]).into_iter().take(2));
        let text = surround(&forms, &around);
        let out = redactor.redact(&text);
        assert_nothing_left(&redactor, &out, &[&secret, &token])?;
    }
}
