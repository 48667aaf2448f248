//! The terminal's encoder: the one place that decides how text reaches a terminal, so that
//! nothing a server, an import file, a settings file or a certificate says can drive it.
//!
//! A terminal obeys bytes, not words: ESC (`0x1b`) and the C1 control CSI (`U+009B`, whose
//! UTF-8 form holds the byte `0x9b`) start sequences that clear the screen, set the window
//! title or write the clipboard (OSC 52); bidirectional controls reorder what is shown, so a
//! message can display something other than what it says (CVE-2021-42574, "Trojan Source");
//! zero-width characters hide inside words. Every one of them is written as a visible escape
//! (`\x1b`, `\u202e`) instead. A backslash is left as it is: the escapes are for a person to
//! read, and no tool parses them back.

/// Whether `c` must never reach a terminal as itself: C0 controls, DEL, C1 controls, the
/// bidirectional controls of Unicode's UAX #9 (§2), zero-width characters and the line and
/// paragraph separators (a terminal may break a line at them).
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
    )
}

/// `text` as one line for a terminal: every unsafe character, line breaks and tabs included,
/// written as a visible escape.
pub fn line(text: &str) -> String {
    encode(text, false)
}

/// `text` for a terminal where it may span lines (a detail, a report): `\n` stays a line break;
/// every other unsafe character, `\r` included (it rewrites the start of a line), becomes a
/// visible escape.
pub fn block(text: &str) -> String {
    encode(text, true)
}

fn encode(text: &str, keep_newlines: bool) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_unsafe(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_written_as_visible_escapes() {
        assert_eq!(line("a\u{1b}]52;c;aGk=\u{7}b"), "a\\x1b]52;c;aGk=\\x07b");
        assert_eq!(line("\u{9b}2J"), "\\u009b2J");
        assert_eq!(line("x\u{7f}"), "x\\x7f");
    }

    #[test]
    fn bidi_and_zero_width_characters_are_written_as_visible_escapes() {
        assert_eq!(line("abc\u{202e}fed"), "abc\\u202efed");
        assert_eq!(line("a\u{2066}b\u{2069}\u{200b}\u{feff}"), "a\\u2066b\\u2069\\u200b\\ufeff");
        assert_eq!(line("\u{61c}\u{200e}\u{2028}"), "\\u061c\\u200e\\u2028");
    }

    #[test]
    fn a_line_keeps_no_line_break_and_a_block_keeps_only_newlines() {
        assert_eq!(line("one\ntwo\r\tthree"), "one\\ntwo\\r\\tthree");
        assert_eq!(block("one\ntwo\rthree\u{1b}"), "one\ntwo\\rthree\\x1b");
    }

    #[test]
    fn ordinary_text_in_any_script_is_left_alone() {
        for text in ["invalid_client (HTTP 400)", "Ngiyabonga — dankie — é ü ß", "日本語", "a\\x1b stays"] {
            assert_eq!(line(text), text);
        }
    }

    #[test]
    fn no_output_of_the_encoder_holds_an_unsafe_character() {
        let every: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let out = line(&every);
        assert!(!out.chars().any(is_unsafe));
        // 0x9b may still be a continuation byte of a printable character (`Û` is C3 9B), which
        // a UTF-8 terminal never reads as CSI; the character U+009B itself is gone.
        assert!(!out.bytes().any(|b| b == 0x1b) && !out.contains('\u{9b}'));
    }
}
