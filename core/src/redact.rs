//! The one redaction every text leaving the engine goes through: failure messages and
//! details, response bodies and headers (`Location` included), the inspector's exchanges and
//! anything logged. It removes
//!
//! - each given secret (client secret, client assertion, access token) in every form a server
//!   may echo it in: raw; percent-encoded with upper- or lower-case hex, `+` or `%20` for a
//!   space (RFC 3986 §2.1, the form encoding of HTML's URL-encoded forms); JSON-escaped,
//!   `\uXXXX` (surrogate pairs too), `\"`, `\\` and `\/` (RFC 8259 §7), in any mixture, one
//!   character at a time; and base64 or base64url (RFC 4648 §4, §5) with or without padding,
//!   alone or inside a longer encoded string at any of the three alignments;
//! - any PEM private key block (RFC 7468 §10, §11), whatever key it holds;
//! - the values of token-like JSON and form fields (`access_token`, `client_secret`, …).
//!
//! Safety comes before readability: a secret of one to three characters is removed wherever
//! it appears, which may leave little of a text, and a text in which a secret can still be
//! found after redaction is withheld whole.

use base64::Engine as _;

/// Shown in place of what was removed, unless a secret could be read into it (see
/// [`Redactor::new`]).
pub const MARKER: &str = "[redacted]";

/// Replacements to choose from, with no character in common with one another, so a short
/// secret can spoil at most one of them.
const MARKERS: [&str; 4] = [MARKER, "***", "###", "~~~"];

/// How many times redaction runs over its own output: removing one echo can join the text on
/// either side into another.
const PASSES: usize = 4;

/// A base64 fragment shorter than this is not looked for: one or two base64 digits are in
/// every encoded text and carry at most 12 bits of the secret.
const MIN_BASE64_CHARS: usize = 2;

const SENSITIVE_FIELDS: [&str; 6] =
    ["access_token", "refresh_token", "id_token", "client_secret", "client_assertion", "private_key"];

/// Removes the secrets it was made with (and private keys and token fields) from texts.
/// Made once per request from the secrets in play, used for every text of that request.
#[derive(Clone)]
pub struct Redactor {
    /// Each secret, matched one character at a time in any of its encodings.
    secrets: Vec<Vec<char>>,
    /// Base64 and base64url forms of each secret, matched literally.
    encoded: Vec<String>,
    marker: &'static str,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redactor([redacted])")
    }
}

impl Redactor {
    /// A redactor for `secrets` (empty ones are ignored). Its marker is the first of
    /// [`MARKERS`] that no secret can be found in and that shares no character with a secret of
    /// at most three characters.
    pub fn new(secrets: &[&str]) -> Self {
        let secrets: Vec<&str> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
        let mut encoded = Vec::new();
        for s in &secrets {
            let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            base64_forms(s.as_bytes(), &mut encoded);
            if form != *s {
                // RFC 6749 §2.3.1: HTTP Basic credentials are form-encoded before base64.
                base64_forms(form.as_bytes(), &mut encoded);
            }
        }
        encoded.sort_by_key(|e| std::cmp::Reverse(e.len()));
        encoded.dedup();
        let mut redactor =
            Self { secrets: secrets.iter().map(|s| s.chars().collect()).collect(), encoded, marker: MARKER };
        redactor.marker = MARKERS
            .into_iter()
            .find(|m| {
                let short_clash = secrets.iter().any(|s| s.chars().count() <= 3 && s.chars().any(|c| m.contains(c)));
                !short_clash && !redactor.finds_secret(m)
            })
            .unwrap_or("");
        redactor
    }

    /// A redactor for no secret: it still removes private keys and token fields.
    pub fn none() -> Self {
        Self::new(&[])
    }

    /// What replaces a removed part.
    pub fn marker(&self) -> &'static str {
        self.marker
    }

    /// `text` with every secret, private key and token field value replaced by the marker.
    pub fn redact(&self, text: &str) -> String {
        let mut out = redact_fields(&redact_private_keys(text, self.marker), self.marker);
        for _ in 0..PASSES {
            match self.replace_secrets(&out) {
                Some(next) => out = next,
                None => return out,
            }
        }
        if self.finds_secret(&out) {
            return self.marker.to_owned();
        }
        out
    }

    /// Whether any secret can be found in `text`, in any encoding.
    pub fn finds_secret(&self, text: &str) -> bool {
        (0..text.len()).filter(|&i| text.is_char_boundary(i)).any(|i| self.match_at(text, i).is_some())
    }

    /// One pass of replacements; `None` when nothing was found.
    fn replace_secrets(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut at = 0;
        let mut changed = false;
        while at < text.len() {
            match self.match_at(text, at) {
                Some(end) => {
                    out.push_str(&text[copied..at]);
                    out.push_str(self.marker);
                    copied = end;
                    at = end;
                    changed = true;
                }
                None => at += text[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
        out.push_str(&text[copied..]);
        changed.then_some(out)
    }

    /// The end of the longest secret found starting at byte `at`.
    fn match_at(&self, text: &str, at: usize) -> Option<usize> {
        let rest = &text.as_bytes()[at..];
        let first = *rest.first()?;
        let mut best = None;
        for secret in &self.secrets {
            if let Some(len) = match_encoded_chars(rest, secret) {
                best = best.max(Some(at + len));
            }
        }
        for e in &self.encoded {
            if e.as_bytes()[0] == first && rest.starts_with(e.as_bytes()) {
                best = best.max(Some(at + e.len()));
                break; // longest first
            }
        }
        best
    }
}

/// `text` with `secrets` removed: [`Redactor::new`] then [`Redactor::redact`].
pub fn redact(text: &str, secrets: &[&str]) -> String {
    Redactor::new(secrets).redact(text)
}

/// Matches `secret` at the start of `bytes`, each character raw or in any encoding; returns
/// the longest length matched. Every way of reading each character is followed (a `%` or a
/// backslash may be the character itself or start its escape), as a set of positions reached.
fn match_encoded_chars(bytes: &[u8], secret: &[char]) -> Option<usize> {
    let mut ends = vec![0usize];
    for &c in secret {
        let mut next: Vec<usize> = ends
            .iter()
            .flat_map(|&at| char_forms(&bytes[at..], c).into_iter().flatten().map(move |len| at + len))
            .collect();
        if next.is_empty() {
            return None;
        }
        next.sort_unstable();
        next.dedup();
        ends = next;
    }
    ends.last().copied()
}

/// The lengths of each form of `c` found at the start of `bytes`: raw, `+` for a space,
/// percent-encoded, JSON-escaped.
fn char_forms(bytes: &[u8], c: char) -> [Option<usize>; 4] {
    let mut buf = [0u8; 4];
    let raw = c.encode_utf8(&mut buf).as_bytes();
    let plain = bytes.starts_with(raw).then_some(raw.len());
    let plus = (c == ' ' && bytes.first() == Some(&b'+')).then_some(1);
    let percent = (|| {
        let mut at = 0;
        for &byte in raw {
            let triple = bytes.get(at..at + 3)?;
            if triple[0] != b'%' || hex_byte(triple[1], triple[2])? != byte {
                return None;
            }
            at += 3;
        }
        Some(at)
    })();
    let json = if bytes.first() == Some(&b'\\') { match_json_escape(bytes, c) } else { None };
    [plain, plus, percent, json]
}

/// A JSON escape of `c` at the start of `bytes` (RFC 8259 §7).
fn match_json_escape(bytes: &[u8], c: char) -> Option<usize> {
    let short = match *bytes.get(1)? {
        b'"' => Some('"'),
        b'\\' => Some('\\'),
        b'/' => Some('/'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        _ => None,
    };
    if let Some(s) = short {
        return (s == c).then_some(2);
    }
    let unit = |at: usize| -> Option<u16> {
        let b = bytes.get(at..at + 6)?;
        if b[0] != b'\\' || b[1] != b'u' {
            return None;
        }
        Some(u16::from(hex_byte(b[2], b[3])?) << 8 | u16::from(hex_byte(b[4], b[5])?))
    };
    let first = unit(0)?;
    if (0xD800..0xDC00).contains(&first) {
        let second = unit(6)?;
        let decoded = char::decode_utf16([first, second]).next()?.ok()?;
        return (decoded == c).then_some(12);
    }
    (char::from_u32(u32::from(first))? == c).then_some(6)
}

fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    let digit = |d: u8| (d as char).to_digit(16).map(|v| v as u8);
    Some(digit(hi)? << 4 | digit(lo)?)
}

/// The base64 and base64url forms of `bytes`: alone (padded and not), and the part of the
/// encoding that depends on `bytes` only when they sit at each of the three alignments inside
/// a longer encoded string.
fn base64_forms(bytes: &[u8], out: &mut Vec<String>) {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    for engine in [&STANDARD, &URL_SAFE] {
        out.push(engine.encode(bytes));
    }
    for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        out.push(engine.encode(bytes));
        for offset in 0..3usize {
            let mut shifted = vec![0u8; offset];
            shifted.extend_from_slice(bytes);
            let text = engine.encode(&shifted);
            // Digit j holds bits 6j..6j+6; the secret's bits are 8·offset..8·(offset+len).
            let (from, to) = (8 * offset, 8 * (offset + bytes.len()));
            let first = from.div_ceil(6);
            let last = to / 6; // exclusive: digit j is whole when 6j + 6 <= to
            if last > first && last - first >= MIN_BASE64_CHARS {
                out.push(text[first..last].to_owned());
            }
        }
    }
    out.retain(|e| e.len() >= MIN_BASE64_CHARS);
}

/// Replaces every PEM private key block (`-----BEGIN … PRIVATE KEY-----` to its `END` line, or
/// to the end of the text when the end is cut off).
fn redact_private_keys(text: &str, marker: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(begin) = rest.find("-----BEGIN ") {
        let label_start = begin + "-----BEGIN ".len();
        let label = rest[label_start..].find("-----").map(|l| &rest[label_start..label_start + l]);
        if !label.is_some_and(|l| l.contains("PRIVATE KEY")) {
            out.push_str(&rest[..label_start]);
            rest = &rest[label_start..];
            continue;
        }
        out.push_str(&rest[..begin]);
        out.push_str(marker);
        let after = &rest[label_start..];
        rest = match after.find("-----END ") {
            Some(end) => match after[end + 9..].find("-----") {
                Some(close) => &after[end + 9 + close + 5..],
                None => "",
            },
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Blanks the values of sensitive fields in JSON (`"field": "value"`, escaped quotes
/// included) and form (`field=value`) text.
fn redact_fields(text: &str, marker: &str) -> String {
    let mut out = text.to_owned();
    for field in SENSITIVE_FIELDS {
        for (open, json) in [(format!("\"{field}\""), true), (format!("{field}="), false)] {
            let mut from = 0;
            while let Some(at) = out[from..].find(&open).map(|i| i + from) {
                let mut start = at + open.len();
                if json {
                    // Skip `: "` between the name and the value.
                    let rest = &out[start..];
                    let Some(q) = rest.find('"') else { break };
                    if !rest[..q].chars().all(|c| c == ':' || c.is_whitespace()) {
                        from = start;
                        continue;
                    }
                    start += q + 1;
                }
                let end = if json { json_string_end(&out, start) } else { form_value_end(&out, start) };
                out.replace_range(start..end, marker);
                from = start + marker.len();
            }
        }
    }
    out
}

/// Where the JSON string value starting at `start` ends: its closing quote (an escaped quote
/// does not close it), a line break, or the end of the text.
fn json_string_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => return i,
            _ => i += 1,
        }
    }
    // A trailing backslash may step past the end; land on a char boundary.
    text.len().min(i).max(start)
}

fn form_value_end(text: &str, start: usize) -> usize {
    text[start..].find(['&', '"', '\n', ' ', '\'']).map(|i| i + start).unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
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
}
