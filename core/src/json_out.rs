//! The `--json` encoder: the one place that writes JSON for a terminal or a script.
//!
//! JSON escaping (RFC 8259 §7) must escape only `"`, `\` and U+0000–U+001F; every other
//! character may appear as itself. That leaves the C1 controls (U+009B is CSI: its UTF-8 form
//! carries the byte `0x9b`), DEL, the bidirectional controls and zero-width characters that a
//! server could put in a field, and a JSON document printed to a terminal would carry them to
//! it. This writer escapes each character [`crate::terminal::is_unsafe`] names as `\uXXXX`
//! (the same value for every JSON parser, and inert on a screen).

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// `value` as pretty-printed JSON with every unsafe character `\u`-escaped.
pub fn pretty(value: &impl Serialize) -> String {
    write(value, Safe(Layout::Pretty(PrettyFormatter::new())))
}

/// `value` as one line of JSON with every unsafe character `\u`-escaped.
pub fn compact(value: &impl Serialize) -> String {
    write(value, Safe(Layout::Compact))
}

fn write(value: &impl Serialize, formatter: Safe) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Serializing our own views into memory cannot fail: they hold no non-string map keys.
    value.serialize(&mut ser).expect("views serialize to JSON");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

enum Layout<'a> {
    Compact,
    Pretty(PrettyFormatter<'a>),
}

/// serde_json's compact or pretty layout; only the unescaped parts of strings are written
/// differently.
struct Safe<'a>(Layout<'a>);

macro_rules! layout {
    ($self:ident, $w:ident, $method:ident $(, $arg:expr)*) => {
        match &mut $self.0 {
            Layout::Compact => serde_json::ser::CompactFormatter.$method($w $(, $arg)*),
            Layout::Pretty(p) => p.$method($w $(, $arg)*),
        }
    };
}

impl Formatter for Safe<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if crate::terminal::is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, w, begin_array)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, w, end_array)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        layout!(self, w, begin_array_value, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, w, end_array_value)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, w, begin_object)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, w, end_object)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        layout!(self, w, begin_object_key, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, w, begin_object_value)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        layout!(self, w, end_object_value)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn escape_and_csi_and_bidi_characters_leave_as_escapes_that_parse_back() {
        let value = json!({ "error": "a\u{1b}[2J\u{9b}b\u{202e}c\u{200b}d\u{7f}", "n": 1 });
        for text in [compact(&value), pretty(&value)] {
            assert!(!text.bytes().any(|b| b == 0x1b || b == 0x9b || b == 0x7f), "{text}");
            assert!(!text.chars().any(crate::terminal::is_unsafe) || text.contains('\n'), "{text}");
            assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
        }
        assert!(compact(&value).contains(r"\u009b"));
        assert!(compact(&value).contains(r"\u202e"));
    }

    #[test]
    fn the_layout_is_serde_json_s_own() {
        let value = json!({ "a": [1, 2], "b": { "c": "é" } });
        assert_eq!(compact(&value), serde_json::to_string(&value).unwrap());
        assert_eq!(pretty(&value), serde_json::to_string_pretty(&value).unwrap());
    }
}
