//! Each language's one literal encoder, which writes any string as an inert literal that the
//! language reads back as exactly that string and never evaluates, and the settings as those
//! literals.

use super::settings::{ApiCall, Settings};

/// Whether a character is written as an escape in code rather than as itself: controls (C0,
/// DEL, C1), invisible and direction-changing characters (a reader must see what the code
/// holds: "Trojan Source", CVE-2021-42574), and the line and paragraph separators some
/// languages end a line at.
pub(super) fn escaped_in_code(c: char) -> bool {
    c.is_control() || crate::profiles::is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `value` as one bash word that bash takes literally, for any string: single-quoted (where
/// nothing expands; a `'` is written `'\''`), and each character of [`escaped_in_code`] as an
/// ANSI-C quoted `$'\xHH'` of its UTF-8 bytes, so the script shows no raw control. (A NUL
/// cannot be held by a bash string at all: bash ends the word there.)
pub fn bash_literal(value: &str) -> String {
    let mut out = String::from("'");
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else if escaped_in_code(c) {
            out.push_str("'$'");
            for b in c.to_string().bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
            out.push_str("''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// `value` as a JavaScript string literal, for any string: double-quoted, `"` and `\` escaped,
/// and each character of [`escaped_in_code`] (U+2028 and U+2029 included: before ES2019 they
/// end a line even inside a string) as `\uXXXX` UTF-16 units. `${`, backticks and `{{` are
/// plain characters in a double-quoted string.
pub fn js_literal(value: &str) -> String {
    double_quoted(value, |c| c.encode_utf16(&mut [0; 2]).iter().map(|unit| format!("\\u{unit:04x}")).collect())
}

/// `value` as a Python 3 string literal, for any string: double-quoted (not an f-string, so
/// `{` is a plain character), `"` and `\` escaped, and each character of [`escaped_in_code`] as
/// `\xHH`, `\uXXXX` or `\UXXXXXXXX` (Python Language Reference §2.4.1).
pub fn python_literal(value: &str) -> String {
    double_quoted(value, |c| match c as u32 {
        n @ 0..=0xFF => format!("\\x{n:02x}"),
        n @ 0x100..=0xFFFF => format!("\\u{n:04x}"),
        n => format!("\\U{n:08x}"),
    })
}

/// `value` as a C# regular string literal, for any string (ECMA-334 §6.4.5.6): double-quoted
/// (not `$"…"`, so `{` is a plain character), `"` and `\` escaped, and the characters a regular
/// string literal may not hold (the new-line characters U+000A, U+000D, U+0085, U+2028,
/// U+2029) with every other character of [`escaped_in_code`] as `\uXXXX` or `\UXXXXXXXX`.
/// Never `\x`: its one to four hex digits would swallow a digit that follows.
pub fn csharp_literal(value: &str) -> String {
    double_quoted(value, |c| match c as u32 {
        n @ 0..=0xFFFF => format!("\\u{n:04X}"),
        n => format!("\\U{n:08X}"),
    })
}

/// The shape the JavaScript, Python and C# literals share: double quotes, `\"`, `\\`, `\n`,
/// `\r` and `\t`, and each other character of [`escaped_in_code`] as `escape` writes it in
/// that language.
fn double_quoted(value: &str, escape: impl Fn(char) -> String) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if escaped_in_code(c) => out.push_str(&escape(c)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The settings as literals for the constants at the top of the code, each made by the one
/// encoder of the language (`literal`); `scopes` as a list of them in brackets (Python and
/// JavaScript arrays alike).
pub(super) struct Literals {
    pub(super) token_url: String,
    pub(super) client_id: String,
    pub(super) scopes: String,
    pub(super) audience: String,
    pub(super) api_url: String,
    pub(super) query: String,
    /// The call's variables as a JSON text literal, if it has any.
    pub(super) variables: Option<String>,
}

impl Literals {
    pub(super) fn of(s: &Settings, call: &ApiCall, literal: fn(&str) -> String) -> Self {
        Self {
            token_url: literal(&s.token_url),
            client_id: literal(&s.client_id),
            scopes: format!("[{}]", s.scopes.iter().map(literal).collect::<Vec<_>>().join(", ")),
            audience: literal(&s.audience),
            api_url: literal(&s.api_url),
            query: literal(call.query),
            variables: call.variables.map(|v| literal(&v.to_string())),
        }
    }
}

pub(super) fn query_json(call: &ApiCall) -> String {
    match call.variables {
        Some(variables) => serde_json::json!({ "query": call.query, "variables": variables }).to_string(),
        None => serde_json::json!({ "query": call.query }).to_string(),
    }
}
