//! Text that came from outside Token Desk: what a token server, the API or a proxy answered,
//! what an import or settings file held, what a certificate names. Such text is data, never
//! code or control: it has no `Display`, so it cannot be formatted into an output by accident,
//! and each output encodes it in its one place — [`crate::terminal`] for a terminal,
//! [`crate::json_out`] for `--json`, a text node for the page (the page never parses it as
//! HTML), and the collection and snippet writers for the integrator's tools.

use serde::Serialize;

use crate::redact::Redactor;

/// A text someone outside chose. Serializes as a plain JSON string (encoded by
/// [`crate::json_out`] when printed).
#[derive(Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Outside(String);

impl std::fmt::Debug for Outside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Outside({:?})", crate::terminal::line(&self.0))
    }
}

impl Outside {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// For a terminal: one line, every control, bidi and zero-width character escaped.
    pub fn for_terminal(&self) -> String {
        crate::terminal::line(&self.0)
    }

    /// For the page, which writes it as a text node only (`textContent`), never as HTML.
    pub fn for_page(&self) -> &str {
        &self.0
    }

    /// The same text with every secret `redactor` knows removed.
    pub fn redacted(&self, redactor: &Redactor) -> Self {
        Self(redactor.redact(&self.0))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_reaches_a_terminal_only_escaped_and_debug_never_shows_a_control() {
        let t = Outside::new("bad\u{1b}]0;title\u{7}\u{202e}");
        assert_eq!(t.for_terminal(), "bad\\x1b]0;title\\x07\\u202e");
        assert!(!format!("{t:?}").contains('\u{1b}'));
        assert_eq!(t.for_page(), "bad\u{1b}]0;title\u{7}\u{202e}");
    }

    #[test]
    fn outside_text_serializes_as_a_plain_string() {
        assert_eq!(serde_json::to_string(&Outside::new("x\"y")).unwrap(), r#""x\"y""#);
    }
}
