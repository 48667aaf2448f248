//! Stitch's client scopes (their table is [`crate::known_scopes`]), reading the scope lists
//! people type, and the one shape Stitch's identifiers share.
//!
//! RFC 6749 §3.3: the `scope` parameter is a list of space-delimited, case-sensitive
//! strings. Stitch (IdentityServer4) rejects anything but single spaces, so we normalise.
//!
//! A scope name and a client id go into form bodies, the settings file, collections and code
//! for integrators. RFC 6749 §A.4 would allow most printable ASCII in a scope, but Stitch's own
//! are letters, digits and `_`, and its client ids letters, digits and `-`: [`check_word`]
//! allows only `[A-Za-z0-9._:-]`, so neither can carry a tool's template (`{{…}}`), shell code
//! or terminal control into any of those.

use serde::Serialize;

use crate::known_scopes::{known, CLIENT_SCOPES};

/// The longest client id or scope name accepted, in characters.
pub const MAX_WORD_CHARS: usize = 200;

/// Why a client id or scope name does not have the shape of one. Each says the end of a
/// sentence that begins with the thing's name ("The client ID …").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {MAX_WORD_CHARS} characters")]
    TooLong,
    #[error("contains {0}; only letters A to Z, digits and . _ : - are allowed")]
    Character(String),
}

/// Whether `c` may be part of a client id or a scope name.
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-')
}

/// Checks that `value` (already trimmed) has the shape of a Stitch client id or scope name:
/// 1 to [`MAX_WORD_CHARS`] characters of `[A-Za-z0-9._:-]`.
pub fn check_word(value: &str) -> Result<(), WordError> {
    if value.is_empty() {
        return Err(WordError::Empty);
    }
    if let Some(bad) = value.chars().find(|&c| !is_word_char(c)) {
        return Err(WordError::Character(shown_char(bad)));
    }
    if value.chars().count() > MAX_WORD_CHARS {
        return Err(WordError::TooLong);
    }
    Ok(())
}

/// A character as a message may show it: printable ASCII in quotes, anything else (a control,
/// an invisible or a direction-changing character, a space) by its code point, so a message
/// never carries it raw.
pub fn shown_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_ascii_graphic() => format!("\"{c}\""),
        '\n' | '\r' => "a line break".to_owned(),
        c => format!("the character U+{:04X}", c as u32),
    }
}

/// A value that failed a shape check, as a message may quote it: at most 80 characters,
/// escaped the way Rust's `Debug` escapes (controls, quotes and invisible characters as
/// `\u{…}`), so it shows what was there without acting on a terminal.
pub fn quoted(value: &str) -> String {
    let cut: String = value.chars().take(80).collect();
    let more = if cut.len() < value.len() { "…" } else { "" };
    format!("{cut:?}{more}")
}

/// Whether `name` is one of Stitch's documented client scopes.
pub fn is_known(name: &str) -> bool {
    known(name).is_some()
}

/// The known scope a misspelt `name` most likely meant, if it is close to one
/// (e.g. `client_paymentrequests` → `client_paymentrequest`).
pub fn did_you_mean(name: &str) -> Option<&'static str> {
    if is_known(name) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if let Some(s) = CLIENT_SCOPES.iter().find(|s| s.name == lower) {
        return Some(s.name);
    }
    let prefixed = format!("client_{lower}");
    CLIENT_SCOPES
        .iter()
        .map(|s| {
            let d = strsim::damerau_levenshtein(&lower, s.name).min(strsim::damerau_levenshtein(&prefixed, s.name));
            (d, s.name)
        })
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// A typed scope that is not one of Stitch's client scopes, said as the window's "another
/// scope" field says it while the user types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hint {
    pub scope: String,
    /// The client scope it most likely meant.
    pub suggestion: Option<&'static str>,
    pub message: String,
}

/// A hint for each scope in `text` (spaces or commas between them) that is not a Stitch
/// client scope, with the scope each most likely meant.
pub fn hints(text: &str) -> Vec<Hint> {
    Scopes::parse([text])
        .iter()
        .filter(|s| !is_known(s))
        .map(|s| {
            let suggestion = did_you_mean(s);
            let message = match suggestion {
                Some(known) => format!("\"{s}\" is not a Stitch client scope. Did you mean {known}?"),
                None => format!("\"{s}\" is not one of Stitch's client scopes; Stitch may refuse it."),
            };
            Hint { scope: s.to_owned(), suggestion, message }
        })
        .collect()
}

/// A list of scopes in the order first given, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Reads scopes from any number of inputs, each of which may hold several scopes
    /// separated by spaces, commas or line breaks. Blank pieces are dropped, duplicates
    /// keep their first position.
    pub fn parse<I, S>(inputs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = Vec::new();
        for input in inputs {
            for piece in input.as_ref().split(|c: char| c == ',' || c.is_whitespace()) {
                if !piece.is_empty() && !out.iter().any(|s: &String| s == piece) {
                    out.push(piece.to_owned());
                }
            }
        }
        Self(out)
    }

    /// Reads the `scope` field of a token response (space-delimited, RFC 6749 §5.1). A piece
    /// that is not a `scope-token` (RFC 6749 Appendix A.4: printable ASCII but `"` and `\`)
    /// is no scope and is left out.
    pub fn from_response(field: &str) -> Self {
        let mut scopes = Self::parse([field]);
        scopes.0.retain(|s| s.bytes().all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b)));
        scopes
    }

    /// The value of the `scope` form field: single-space separated.
    pub fn to_field(&self) -> String {
        self.0.join(" ")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|s| s == name)
    }

    /// The same scopes sorted, so `a b` and `b a` name the same cache entry.
    pub fn as_set(&self) -> std::collections::BTreeSet<String> {
        self.0.iter().cloned().collect()
    }

    /// The first scope without the shape of a scope name ([`check_word`]), and what is wrong
    /// with it.
    pub fn first_malformed(&self) -> Option<(&str, WordError)> {
        self.iter().find_map(|s| check_word(s).err().map(|e| (s, e)))
    }

    /// The scopes of `self` that `other` does not hold.
    pub fn missing_from(&self, other: &Scopes) -> Vec<String> {
        self.0.iter().filter(|s| !other.contains(s)).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_names_each_unknown_scope_and_what_it_most_likely_meant() {
        let hints = hints("client_refund, client_paymentrequests frobnicate");
        assert_eq!(hints.len(), 2, "a known scope gets no hint: {hints:?}");
        assert_eq!(hints[0].suggestion, Some("client_paymentrequest"));
        assert_eq!(
            hints[0].message,
            "\"client_paymentrequests\" is not a Stitch client scope. Did you mean client_paymentrequest?"
        );
        assert_eq!(hints[1].suggestion, None);
        assert_eq!(hints[1].message, "\"frobnicate\" is not one of Stitch's client scopes; Stitch may refuse it.");
    }

    #[test]
    fn scopes_split_on_spaces_commas_and_repeats_and_drop_duplicates() {
        let s = Scopes::parse(["client_refund, client_paymentrequest", "  client_refund\tclient_imageupload "]);
        assert_eq!(s.to_field(), "client_refund client_paymentrequest client_imageupload");
    }

    #[test]
    fn blank_input_gives_no_scopes() {
        assert!(Scopes::parse([" , ", ""]).is_empty());
    }

    #[test]
    fn a_plural_typo_suggests_the_real_scope() {
        assert_eq!(did_you_mean("client_paymentrequests"), Some("client_paymentrequest"));
        assert_eq!(did_you_mean("CLIENT_REFUND"), Some("client_refund"));
        assert_eq!(did_you_mean("paymentrequest"), Some("client_paymentrequest"));
        assert_eq!(did_you_mean("client_refund"), None);
        assert_eq!(did_you_mean("openid"), None);
    }

    #[test]
    fn there_are_eight_distinct_client_scopes() {
        let names: std::collections::BTreeSet<_> = CLIENT_SCOPES.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), 8);
        assert!(names.iter().all(|n| n.starts_with("client_")));
    }

    #[test]
    fn client_ids_and_scope_names_are_letters_digits_and_four_marks_only() {
        for good in ["test-a.b:c_D-9", "client_paymentrequest", "x", &"a".repeat(MAX_WORD_CHARS)] {
            assert_eq!(check_word(good), Ok(()), "{good}");
        }
        assert_eq!(check_word(""), Err(WordError::Empty));
        assert_eq!(check_word(&"a".repeat(MAX_WORD_CHARS + 1)), Err(WordError::TooLong));
        for (bad, shown) in [
            ("test-{{7*7}}", "\"{\""),
            ("a b", "a space"),
            ("a$(id)", "\"$\""),
            ("a`id`", "\"`\""),
            ("it's", "\"'\""),
            ("a\nb", "a line break"),
            ("a\u{1b}[2J", "the character U+001B"),
            ("a\u{202e}b", "the character U+202E"),
            ("caf\u{e9}", "the character U+00E9"),
        ] {
            assert_eq!(check_word(bad), Err(WordError::Character(shown.into())), "{bad:?}");
        }
        let e = check_word("a{b").unwrap_err().to_string();
        assert_eq!(e, "contains \"{\"; only letters A to Z, digits and . _ : - are allowed");
    }

    #[test]
    fn the_first_malformed_scope_is_named() {
        let scopes = Scopes::parse(["client_refund {{x}} $y"]);
        assert_eq!(scopes.first_malformed().map(|(s, _)| s), Some("{{x}}"));
        assert_eq!(Scopes::parse(["client_refund"]).first_malformed(), None);
    }

    #[test]
    fn a_quoted_value_never_holds_a_control_or_direction_character_raw() {
        let shown = quoted("evil\u{1b}]0;x\u{7}\u{202e}");
        assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202e}'), "{shown}");
        assert!(quoted(&"x".repeat(90)).ends_with("\"…"));
    }

    #[test]
    fn the_scope_set_ignores_order() {
        assert_eq!(Scopes::parse(["a b"]).as_set(), Scopes::parse(["b a a"]).as_set());
    }
}
