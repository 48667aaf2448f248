//! The encodings redaction undoes, one character at a time (percent, quoted-printable, JSON,
//! HTML references, ignorable characters between two characters) and whole (base64, hex).

use base64::Engine as _;

/// A base64 fragment shorter than this is not looked for: one or two base64 digits are in
/// every encoded text and carry at most 12 bits of the secret.
pub(super) const MIN_BASE64_CHARS: usize = 2;

/// Whether two characters are the same but for ASCII case.
pub(super) fn same(a: char, b: char) -> bool {
    a.eq_ignore_ascii_case(&b)
}

/// Characters a server or a decoder may leave between two characters of an echo: ASCII
/// whitespace, NUL (UTF-16 read as UTF-8), zero-width characters (U+200B–U+200D, U+2060),
/// the byte order mark and the soft hyphen.
pub(super) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\u{c}'
            | '\0'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{AD}'
    )
}

/// The length of the ignorable character, in any of its forms, or quoted-printable soft line
/// break at the start of `rest`; 0 if none is there.
pub(super) fn ignorable_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    match b.first() {
        Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0c | 0) => 1,
        Some(b'=') if b.starts_with(b"=\r\n") => 3,
        Some(b'=') if b.starts_with(b"=\n") => 2,
        // Escapes, and the first bytes of the multi-byte ignorable characters.
        Some(b'+' | b'%' | b'=' | b'\\' | b'&' | 0xC2 | 0xE2 | 0xEF) => {
            readings(rest).into_iter().flatten().find(|r| is_ignorable(r.0)).map_or(0, |r| r.1)
        }
        _ => 0,
    }
}

/// One way to read one character at a place: the character and how many bytes it takes.
pub(super) type Reading = (char, usize);

/// The ways to read one character at the start of `rest`: raw, and (when an escape begins
/// there) decoded: `+` for a space, `%XX…` percent-encoded UTF-8, `=XX…` quoted-printable,
/// a JSON escape, an HTML character reference.
pub(super) fn readings(rest: &str) -> [Option<Reading>; 2] {
    let Some(c) = rest.chars().next() else {
        return [None, None];
    };
    let b = rest.as_bytes();
    let decoded = match b[0] {
        b'+' => Some((' ', 1)),
        b'%' | b'=' => hex_escaped(b),
        b'\\' => json_escaped(b),
        b'&' => html_reference(b),
        _ => None,
    };
    [Some((c, c.len_utf8())), decoded]
}

/// A character as its UTF-8 bytes, each `%XX` or `=XX` (the first byte of `b` says which),
/// hex digits in either case.
pub(super) fn hex_escaped(b: &[u8]) -> Option<Reading> {
    let prefix = b[0];
    let byte = |i: usize| -> Option<u8> {
        let t = b.get(3 * i..3 * i + 3)?;
        if t[0] != prefix {
            return None;
        }
        hex_byte(t[1], t[2])
    };
    let lead = byte(0)?;
    let n = match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut buf = [lead, 0, 0, 0];
    for (i, slot) in buf.iter_mut().enumerate().take(n).skip(1) {
        *slot = byte(i)?;
    }
    let c = std::str::from_utf8(&buf[..n]).ok()?.chars().next()?;
    Some((c, 3 * n))
}

/// A JSON escape (RFC 8259 §7); `\U` too, for an upper-cased echo.
pub(super) fn json_escaped(b: &[u8]) -> Option<Reading> {
    let short = match *b.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' | b'U' => {
            let unit = |at: usize| -> Option<u16> {
                let u = b.get(at..at + 6)?;
                if u[0] != b'\\' || !matches!(u[1], b'u' | b'U') {
                    return None;
                }
                Some(u16::from(hex_byte(u[2], u[3])?) << 8 | u16::from(hex_byte(u[4], u[5])?))
            };
            let first = unit(0)?;
            if (0xD800..0xDC00).contains(&first) {
                let c = char::decode_utf16([first, unit(6)?]).next()?.ok()?;
                return Some((c, 12));
            }
            return Some((char::from_u32(u32::from(first))?, 6));
        }
        _ => return None,
    };
    Some((short, 2))
}

/// An HTML character reference (HTML Living Standard §13.1.4): `&#115;`, `&#x73;` or `&#X73;` with any number
/// of leading zeros, or `&amp; &lt; &gt; &quot; &apos;` in any case; the `;` may be missing
/// (as browsers allow) except after `apos`.
pub(super) fn html_reference(b: &[u8]) -> Option<Reading> {
    let semicolon = |at: usize| at + usize::from(b.get(at) == Some(&b';'));
    if b.get(1) == Some(&b'#') {
        let (radix, from) = match b.get(2) {
            Some(b'x' | b'X') => (16, 3),
            _ => (10, 2),
        };
        let mut value: u32 = 0;
        let mut at = from;
        while let Some(d) = b.get(at).and_then(|&x| char::from(x).to_digit(radix)) {
            value = value.saturating_mul(radix).saturating_add(d);
            at += 1;
        }
        if at == from {
            return None;
        }
        return Some((char::from_u32(value)?, semicolon(at)));
    }
    for (name, c, needs_semicolon) in
        [("amp", '&', false), ("lt", '<', false), ("gt", '>', false), ("quot", '"', false), ("apos", '\'', true)]
    {
        let end = 1 + name.len();
        if b.get(1..end).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes())) {
            if b.get(end) == Some(&b';') {
                return Some((c, end + 1));
            }
            if !needs_semicolon {
                return Some((c, end));
            }
        }
    }
    None
}

/// Whether `tail`, the end of a text, is empty or could be the beginning of one escaped
/// character cut short (`%C3`, `=`, `=\r`, `\u00`, `&#11`, `&am`, …): a text cut there may
/// have split a secret.
pub(super) fn partial_form(tail: &str) -> bool {
    let b = tail.as_bytes();
    let Some(&first) = b.first() else {
        return true;
    };
    let rest = &b[1..];
    match first {
        b'%' | b'=' => rest.len() < 12 && rest.iter().all(|&x| x.is_ascii_hexdigit() || x == first || x == b'\r'),
        b'\\' => rest.len() < 12 && rest.iter().all(|&x| x.is_ascii_hexdigit() || matches!(x, b'u' | b'U' | b'\\')),
        b'&' => match rest.first() {
            Some(b'#') => rest[1..].iter().all(|&x| x.is_ascii_hexdigit() || matches!(x, b'x' | b'X')),
            _ => ["amp", "lt", "gt", "quot", "apos"]
                .iter()
                .any(|n| n.len() >= rest.len() && n.as_bytes()[..rest.len()].eq_ignore_ascii_case(rest)),
        },
        _ => tail == "\u{FFFD}",
    }
}

pub(super) fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    let digit = |d: u8| char::from(d).to_digit(16).map(|v| v as u8);
    Some(digit(hi)? << 4 | digit(lo)?)
}

/// The base64 and base64url forms of `bytes`: alone (padded and not), and the part of the
/// encoding that depends on `bytes` only when they sit at each of the three alignments inside
/// a longer encoded string.
pub(super) fn base64_forms(bytes: &[u8], out: &mut Vec<String>) {
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

/// The hex forms of `secret` (lower case; matched in any case): its UTF-8 bytes, and its
/// UTF-16LE and UTF-16BE bytes.
pub(super) fn hex_forms(secret: &str) -> [String; 3] {
    let le: Vec<u8> = secret.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = secret.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [hex::encode(secret.as_bytes()), hex::encode(le), hex::encode(be)]
}
