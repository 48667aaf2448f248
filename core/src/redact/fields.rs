//! Private key blocks and the values of token-like JSON and form fields, blanked whatever
//! secrets were given.

use super::encodings::readings;

/// The names of token-like fields whose values are blanked, normalised as [`normalise_key`]
/// does (`access_token`, `accessToken` and `Access-Token` are one name).
pub(super) const SENSITIVE_KEYS: [&str; 6] =
    ["accesstoken", "refreshtoken", "idtoken", "clientsecret", "clientassertion", "privatekey"];

/// A field name longer than this is not read (names are short; this bounds the work).
pub(super) const MAX_KEY_BYTES: usize = 256;

/// Replaces every PEM private key block (`-----BEGIN … PRIVATE KEY-----` to its `END` line, or
/// to the end of the text when the end is cut off).
pub(super) fn redact_private_keys(text: &str, marker: &str) -> String {
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

/// Blanks the values of token-like fields in JSON (`"name": "value"`, escaped quotes
/// included) and form (`name=value`) text, whatever the name's spelling
/// ([`normalise_key`]). A form name only has to end in one of the names (`oauth_access_token`).
pub(super) fn redact_fields(text: &str, marker: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut name = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        let value = match b[i] {
            b'"' => json_field_value(text, i, &mut name),
            b'=' => form_field_value(text, i, copied, &mut name).map(|end| (i + 1, end)),
            _ => None,
        };
        match value {
            Some((start, end)) => {
                out.push_str(&text[copied..start]);
                out.push_str(marker);
                copied = end;
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the string value of a token-like JSON field whose name begins at the quote `quote`
/// starts and ends; `name` is room for the normalised name.
pub(super) fn json_field_value(text: &str, quote: usize, name: &mut String) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let limit = b.len().min(quote + 1 + MAX_KEY_BYTES);
    let mut j = quote + 1;
    loop {
        match *b.get(j).filter(|_| j < limit)? {
            b'\\' => j += 2,
            b'"' => break,
            b'\n' => return None,
            _ => j += 1,
        }
    }
    normalise_key(&text[quote + 1..j], name);
    if !SENSITIVE_KEYS.contains(&name.as_str()) {
        return None;
    }
    // `: "` between the name and the value.
    let mut k = j + 1;
    while b.get(k).is_some_and(|&x| x == b':' || x.is_ascii_whitespace()) {
        k += 1;
    }
    if b.get(k) != Some(&b'"') {
        return None;
    }
    Some((k + 1, json_string_end(text, k + 1)))
}

/// Where the value of a token-like form field whose `=` is at `eq` ends; the name is read
/// back from `eq`, not before `floor`; `name` is room for the normalised name.
pub(super) fn form_field_value(text: &str, eq: usize, floor: usize, name: &mut String) -> Option<usize> {
    let b = text.as_bytes();
    let floor = floor.max(eq.saturating_sub(MAX_KEY_BYTES));
    let mut k = eq;
    while k > floor && (b[k - 1].is_ascii_alphanumeric() || matches!(b[k - 1], b'_' | b'-' | b'.' | b'%' | b'\\')) {
        k -= 1;
    }
    normalise_key(&text[k..eq], name);
    SENSITIVE_KEYS.iter().any(|s| name.ends_with(s)).then(|| form_value_end(text, eq + 1))
}

/// A field name as compared: escapes decoded (`access\u005ftoken`, `access%5Ftoken`), `_` and
/// `-` dropped, lower case (`accessToken`, `ACCESS-TOKEN`), into `out`.
pub(super) fn normalise_key(raw: &str, out: &mut String) {
    out.clear();
    let mut at = 0;
    while at < raw.len() {
        let [plain, decoded] = readings(&raw[at..]);
        let Some((c, len)) = decoded.or(plain) else { break };
        if c != '_' && c != '-' {
            out.push(c.to_ascii_lowercase());
        }
        at += len;
    }
}

/// Where the JSON string value starting at `start` ends: its closing quote (an escaped quote
/// does not close it), a line break, or the end of the text.
pub(super) fn json_string_end(text: &str, start: usize) -> usize {
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

pub(super) fn form_value_end(text: &str, start: usize) -> usize {
    text[start..].find(['&', '"', '\n', ' ', '\'']).map(|i| i + start).unwrap_or(text.len())
}
