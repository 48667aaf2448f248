//! The forms an echoing server sends a credential back in, and the parts of each that must
//! never appear in an output: what the leak searches of the command line's tests look for.

use base64::Engine as _;

pub fn percent_lower(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02x}") }).collect()
}

pub fn percent_upper(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

pub fn form_encoded(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn unicode_escaped(s: &str) -> String {
    s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect()
}

pub fn json_escaped(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap();
    quoted[1..quoted.len() - 1].replace('/', "\\/")
}

/// Every form an echoing server sends `s` back in: raw, percent-encoded (lower, upper, `+`
/// and `%20` for spaces), JSON-escaped (`\u` for every character; escaped quotes, backslashes
/// and slashes), base64 and base64url with and without padding, alone and after a prefix of
/// one, two and three bytes.
pub fn encodings(s: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let mut out = vec![
        s.to_owned(),
        percent_lower(s),
        percent_upper(s),
        form_encoded(s),
        form_encoded(s).replace('+', "%20"),
        unicode_escaped(s),
        json_escaped(s),
    ];
    for prefix in ["", "u", "us", "usr"] {
        let wrapped = format!("{prefix}{s}");
        for e in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            out.push(e.encode(&wrapped));
        }
    }
    out.dedup();
    out
}

/// The part of each encoding that must never appear in an output: the encoding itself, except
/// that a base64 form after a prefix is looked for by the digits that depend on `s` alone.
pub fn needles(s: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let mut out = vec![
        s.to_owned(),
        percent_lower(s),
        percent_upper(s),
        form_encoded(s),
        unicode_escaped(s),
        json_escaped(s),
        STANDARD.encode(s),
        URL_SAFE_NO_PAD.encode(s),
    ];
    for (offset, prefix) in ["u", "us"].iter().enumerate() {
        let text = URL_SAFE_NO_PAD.encode(format!("{prefix}{s}"));
        let from = (8 * (offset + 1)).div_ceil(6);
        let to = 8 * (offset + 1 + s.len()) / 6;
        if to > from + 4 {
            out.push(text[from..to].to_owned());
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

/// The first needle of `s` found in `text`, if any.
pub fn leaked(text: &str, s: &str) -> Option<String> {
    needles(s).into_iter().find(|n| text.contains(n.as_str()))
}
