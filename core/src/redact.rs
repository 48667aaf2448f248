//! The one redaction every text leaving the engine goes through: failure messages and
//! details, response bodies and headers (`Location` included), the inspector's exchanges and
//! anything logged. It removes
//!
//! - each given secret (client secret, client assertion, access token) in every form a server
//!   may echo it in, one character at a time and in any mixture: raw, in either ASCII case (a
//!   server may upper-case an echo); percent-encoded with upper- or lower-case hex, `+` for a
//!   space (RFC 3986 §2.1, the form encoding of HTML's URL-encoded forms); quoted-printable
//!   `=XX` (RFC 2045 §6.7); JSON-escaped, `\uXXXX` (surrogate pairs too), `\"`, `\\` and `\/`
//!   (RFC 8259 §7); an HTML character reference, decimal, hex or one of the five XML names
//!   (HTML Living Standard §13.1.4); with runs of ignorable characters between two of its characters:
//!   whitespace, NUL (a UTF-16 echo read as UTF-8), zero-width characters, the soft hyphen,
//!   quoted-printable soft line breaks (RFC 2045 §6.7 rule 5), or any encoding of those;
//! - each secret whole as base64 or base64url (RFC 4648 §4, §5) with or without padding, alone
//!   or inside a longer encoded string at any of the three alignments, and as hex (any case)
//!   of its UTF-8, UTF-16LE or UTF-16BE bytes;
//! - any PEM private key block (RFC 7468 §10, §11), whatever key it holds;
//! - the values of token-like JSON and form fields (`access_token`, `accessToken`,
//!   `access\u005ftoken`, `Client-Secret`, …).
//!
//! Safety comes before readability: a secret of one to three characters is removed wherever
//! it appears, which may leave little of a text, and a text in which a secret can still be
//! found after redaction is withheld whole. A text is cut only after it is redacted
//! ([`Redactor::redact_cut`]), and a cut never leaves the beginning of a secret.

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

/// The names of token-like fields whose values are blanked, normalised as [`normalise_key`]
/// does (`access_token`, `accessToken` and `Access-Token` are one name).
const SENSITIVE_KEYS: [&str; 6] =
    ["accesstoken", "refreshtoken", "idtoken", "clientsecret", "clientassertion", "privatekey"];

/// A field name longer than this is not read (names are short; this bounds the work).
const MAX_KEY_BYTES: usize = 256;

/// Within one run of ignorable characters, the most places tried for a secret's character
/// that is itself the first character of an escape (`+ % = \ &`, each also the start of an
/// encoded space or line break): bounds the work on a hostile text made of nothing else.
const ESCAPE_CANDIDATES: usize = 8;

/// Bytes of the longest form of one character (a JSON surrogate pair `\uD83D\uDE00`, or a
/// 4-byte character percent-encoded or quoted-printable), with room for a line break after
/// it: a cut must see this much past it per character of a secret ([`Redactor::margin`]).
const MAX_FORM_BYTES: usize = 16;

/// Removes the secrets it was made with (and private keys and token fields) from texts.
/// Made once per request from the secrets in play, used for every text of that request.
#[derive(Clone)]
pub struct Redactor {
    /// Each secret, matched one character at a time in any of its encodings.
    patterns: Vec<Pattern>,
    /// Base64 and hex forms of each secret, matched whole, longest first.
    literals: Vec<Literal>,
    /// For each byte, the literals that can begin with it (indexes, longest first): most
    /// places are then compared with none or one.
    literals_by_first: Vec<Vec<u16>>,
    /// The pairs of bytes a literal can begin with, one bit each (first byte · 256 + second).
    literal_starts: Vec<u64>,
    /// The bytes a walk along a secret can begin with (its first character in either case, or
    /// an escape): a place that begins with any other and no literal is passed at once.
    starts: [bool; 256],
    /// How many characters the longest secret has.
    longest: usize,
    marker: &'static str,
}

/// A secret as it is matched one character at a time.
#[derive(Clone)]
struct Pattern {
    /// The secret's characters without the ignorable ones (an echo may have any run of those
    /// anywhere); all of them for a secret made of nothing else.
    chars: Vec<char>,
    /// Whether runs of ignorable characters are skipped between two characters.
    skips: bool,
}

/// A whole encoded form of a secret.
#[derive(Clone)]
struct Literal {
    text: String,
    /// Hex is found in any case; base64 is case-sensitive.
    any_case: bool,
}

/// What a walk along a secret from one place found.
#[derive(Debug, PartialEq)]
enum Walk {
    /// The whole secret, ending here.
    Whole(usize),
    /// The text ends (or ends in a form cut short) before the secret does.
    CutOff,
    Absent,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redactor([redacted])")
    }
}

impl Redactor {
    /// A redactor for `secrets` (empty ones are ignored). Its marker is the first of
    /// [`MARKERS`] that no secret can be found in and that shares no character (in either
    /// case) with a secret of at most three characters.
    pub fn new(secrets: &[&str]) -> Self {
        let secrets: Vec<&str> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
        let mut literals = Vec::new();
        for s in &secrets {
            let mut base64 = Vec::new();
            let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            base64_forms(s.as_bytes(), &mut base64);
            if form != *s {
                // RFC 6749 §2.3.1: HTTP Basic credentials are form-encoded before base64.
                base64_forms(form.as_bytes(), &mut base64);
            }
            literals.extend(base64.into_iter().map(|text| Literal { text, any_case: false }));
            literals.extend(hex_forms(s).into_iter().map(|text| Literal { text, any_case: true }));
        }
        literals.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then_with(|| a.text.cmp(&b.text)));
        literals.dedup_by(|a, b| a.text == b.text && a.any_case == b.any_case);
        let patterns: Vec<Pattern> = secrets.iter().map(|s| Pattern::new(s)).collect();

        let mut starts = [false; 256];
        let mut literals_by_first = vec![Vec::new(); 256];
        let mut literal_starts = vec![0u64; 65536 / 64];
        for (i, l) in literals.iter().enumerate() {
            let (b0, b1) = (l.text.as_bytes()[0], l.text.as_bytes()[1]);
            let cases = |b: u8| if l.any_case { vec![b.to_ascii_lowercase(), b.to_ascii_uppercase()] } else { vec![b] };
            let mut firsts = cases(b0);
            firsts.dedup();
            for &f in &firsts {
                literals_by_first[usize::from(f)].push(i as u16);
                for s in cases(b1) {
                    let pair = usize::from(f) << 8 | usize::from(s);
                    literal_starts[pair / 64] |= 1 << (pair % 64);
                }
            }
        }
        for p in &patterns {
            let mut buf = [0u8; 4];
            let first = p.chars[0];
            for c in [first, first.to_ascii_lowercase(), first.to_ascii_uppercase()] {
                starts[usize::from(c.encode_utf8(&mut buf).as_bytes()[0])] = true;
            }
            // Any character may be escaped; a space may be a `+`.
            for b in [b'%', b'=', b'\\', b'&', b'+'] {
                starts[usize::from(b)] = true;
            }
        }

        let mut redactor = Self {
            patterns,
            literals,
            literals_by_first,
            literal_starts,
            starts,
            longest: secrets.iter().map(|s| s.chars().count()).max().unwrap_or(0),
            marker: MARKER,
        };
        redactor.marker = MARKERS
            .into_iter()
            .find(|m| {
                let short_clash = redactor
                    .patterns
                    .iter()
                    .any(|p| p.chars.len() <= 3 && m.chars().any(|mc| p.chars.iter().any(|&c| same(mc, c))));
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

    /// How many bytes past a cut redaction must see to find a secret that straddles the cut
    /// whole: the longest form of the longest secret. A body is read this far past its limit
    /// and cut back only after redaction ([`Redactor::redact_cut`]).
    pub fn margin(&self) -> usize {
        self.longest * MAX_FORM_BYTES
    }

    /// `text` with every secret, private key and token field value replaced by the marker.
    pub fn redact(&self, text: &str) -> String {
        let mut out = redact_fields(&redact_private_keys(text, self.marker), self.marker);
        if self.patterns.is_empty() {
            return out;
        }
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

    /// `text` redacted, then cut to at most `max_chars` characters: the one way to shorten a
    /// text that may hold a secret. Redaction sees the whole text first, so a secret across
    /// the cut is found whole; after the cut, a trailing part that could be the beginning of a
    /// secret in any encoding is removed too, and `…` marks the cut.
    pub fn redact_cut(&self, text: &str, max_chars: usize) -> String {
        let out = self.redact(text);
        let Some((cut, _)) = out.char_indices().nth(max_chars) else {
            return out;
        };
        let head = &out[..cut];
        let mut short = head[..self.cut_point(head)].to_owned();
        short.push('…');
        short
    }

    /// Where `text`, which may have been cut off right after its end (a body read up to a
    /// limit), must be cut again so that it does not end with the beginning of a secret in any
    /// encoding (nor with an escape or a multi-byte character cut in two): the start of the
    /// longest such trailing part, or the text's length.
    pub fn cut_point(&self, text: &str) -> usize {
        if self.patterns.is_empty() {
            return text.len();
        }
        let scan = Scan::new(text);
        (0..text.len()).filter(|&i| text.is_char_boundary(i)).find(|&i| self.cut_off_at(&scan, i)).unwrap_or(text.len())
    }

    /// Whether any secret can be found in `text`, in any encoding.
    pub fn finds_secret(&self, text: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let scan = Scan::new(text);
        (0..text.len()).filter(|&i| text.is_char_boundary(i)).any(|i| self.match_at(&scan, i).is_some())
    }

    /// One pass of replacements; `None` when nothing was found.
    fn replace_secrets(&self, text: &str) -> Option<String> {
        let scan = Scan::new(text);
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut at = 0;
        let mut changed = false;
        while at < text.len() {
            match self.match_at(&scan, at) {
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
    fn match_at(&self, scan: &Scan<'_>, at: usize) -> Option<usize> {
        let rest = &scan.text[at..];
        let first = usize::from(*rest.as_bytes().first()?);
        let walks = self.starts[first];
        let literal = self.literal_may_start(rest);
        if !walks && !literal {
            return None;
        }
        let mut best = None;
        if walks {
            let here = readings(rest);
            for p in &self.patterns {
                if let Walk::Whole(end) = p.walk(scan, at, &here, false) {
                    best = best.max(Some(end));
                }
            }
        }
        if literal {
            let mut candidates = self.literals_by_first[first].iter().map(|&i| &self.literals[usize::from(i)]);
            if let Some(l) = candidates.find(|l| l.found_at(rest)) {
                best = best.max(Some(at + l.text.len())); // longest first
            }
        }
        best
    }

    /// Whether a literal can begin at the start of `rest` (its first two bytes say).
    fn literal_may_start(&self, rest: &str) -> bool {
        let b = rest.as_bytes();
        let Some(&second) = b.get(1) else { return false };
        let pair = usize::from(b[0]) << 8 | usize::from(second);
        self.literal_starts[pair / 64] & (1 << (pair % 64)) != 0
    }

    /// Whether a secret may begin at `at` and be cut off by the end of the text.
    fn cut_off_at(&self, scan: &Scan<'_>, at: usize) -> bool {
        let rest = &scan.text[at..];
        if rest == "\u{FFFD}" {
            return true; // a multi-byte character cut in two and decoded lossily
        }
        if !self.starts[usize::from(rest.as_bytes()[0])] && !self.literal_may_start(rest) {
            return false;
        }
        if partial_form(rest) {
            return true;
        }
        // Literals are longest first: most places are further from the end than any is long.
        let near_end = self.literals.first().is_some_and(|l| l.text.len() > rest.len());
        if near_end
            && rest.len() >= MIN_BASE64_CHARS
            && self.literals.iter().any(|l| l.text.len() > rest.len() && l.begins(rest))
        {
            return true;
        }
        let here = readings(rest);
        self.patterns.iter().any(|p| p.walk(scan, at, &here, true) == Walk::CutOff)
    }
}

/// `text` with `secrets` removed: [`Redactor::new`] then [`Redactor::redact`].
pub fn redact(text: &str, secrets: &[&str]) -> String {
    Redactor::new(secrets).redact(text)
}

impl Pattern {
    fn new(secret: &str) -> Self {
        let chars: Vec<char> = secret.chars().filter(|&c| !is_ignorable(c)).collect();
        if chars.is_empty() {
            Self { chars: secret.chars().collect(), skips: false }
        } else {
            Self { chars, skips: true }
        }
    }

    /// Follows the secret from byte `at`, whose ways of reading one character are `here`.
    /// Every way of reading each character is followed (a `%` or a backslash may be the
    /// character itself or start its escape), as a set of places reached; between two
    /// characters, a run of ignorable characters may be skipped. With `cut`, tells whether
    /// the text ends before the secret does.
    fn walk(&self, scan: &Scan<'_>, at: usize, here: &[Option<Reading>; 2], cut: bool) -> Walk {
        let text = scan.text;
        let first = self.chars[0];
        if !here.iter().flatten().any(|r| same(r.0, first)) {
            return Walk::Absent;
        }
        let mut scratch = scan.scratch.borrow_mut();
        let (ends, places, next) = &mut *scratch;
        ends.clear();
        ends.extend(here.iter().flatten().filter(|r| same(r.0, first)).map(|r| at + r.1));
        for &c in &self.chars[1..] {
            places.clear();
            for &e in ends.iter() {
                if self.skips {
                    let end = scan.run_end(e);
                    if matches!(c, '+' | '%' | '=' | '\\' | '&') {
                        scan.escape_starts(e, end, c as u8, places);
                    }
                    places.push(end);
                } else {
                    places.push(e);
                }
            }
            next.clear();
            for &e in places.iter() {
                for (d, len) in readings(&text[e..]).into_iter().flatten() {
                    if same(d, c) {
                        next.push(e + len);
                    }
                }
            }
            if next.is_empty() {
                let cut_off = cut && places.iter().any(|&e| partial_form(&text[e..]));
                return if cut_off { Walk::CutOff } else { Walk::Absent };
            }
            next.sort_unstable();
            next.dedup();
            std::mem::swap(ends, next);
        }
        Walk::Whole(*ends.last().expect("a walk that went on has places"))
    }
}

impl Literal {
    fn found_at(&self, rest: &str) -> bool {
        let e = self.text.as_bytes();
        let r = rest.as_bytes();
        // The second byte first: most places differ there, before a full comparison.
        r.len() >= e.len() && self.same_bytes(&r[1..2], &e[1..2]) && self.same_bytes(&r[..e.len()], e)
    }

    /// Whether `rest` (shorter than the form) is how the form begins.
    fn begins(&self, rest: &str) -> bool {
        self.same_bytes(rest.as_bytes(), &self.text.as_bytes()[..rest.len()])
    }

    fn same_bytes(&self, a: &[u8], b: &[u8]) -> bool {
        if self.any_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }
}

/// A text being searched, with where each run of ignorable characters ends.
struct Scan<'a> {
    text: &'a str,
    /// For each byte, where the run of ignorable characters starting there ends (the byte
    /// itself when none starts there). Worked out once per text so that a hostile run is not
    /// walked again from every place inside it.
    run_ends: Vec<u32>,
    /// The places a walk has reached, the places it tries next and those it reaches from
    /// them: kept between walks so that a walk allocates nothing.
    scratch: std::cell::RefCell<(Vec<usize>, Vec<usize>, Vec<usize>)>,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        let b = text.as_bytes();
        let mut run_ends = vec![0u32; b.len() + 1];
        run_ends[b.len()] = b.len() as u32;
        for i in (0..b.len()).rev() {
            // Only these bytes can begin an ignorable character or its form; each is ASCII or
            // a lead byte, so `i` is a character boundary.
            let len = match b[i] {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c | 0 => 1,
                b'=' | b'+' | b'%' | b'\\' | b'&' | 0xC2 | 0xE2 | 0xEF => ignorable_len(&text[i..]),
                _ => 0,
            };
            run_ends[i] = if len > 0 { run_ends[i + len] } else { i as u32 };
        }
        Self { text, run_ends, scratch: Default::default() }
    }

    fn run_end(&self, at: usize) -> usize {
        self.run_ends[at] as usize
    }

    /// Adds the places between `from` and `to` (a run of ignorable characters) where one of
    /// them begins with the byte `b`, which a secret's character may be read as raw.
    fn escape_starts(&self, from: usize, to: usize, b: u8, out: &mut Vec<usize>) {
        let mut at = from;
        let mut found = 0;
        while at < to && found < ESCAPE_CANDIDATES {
            if self.text.as_bytes()[at] == b {
                out.push(at);
                found += 1;
            }
            at += ignorable_len(&self.text[at..]).max(1);
        }
    }
}

/// Whether two characters are the same but for ASCII case.
fn same(a: char, b: char) -> bool {
    a.eq_ignore_ascii_case(&b)
}

/// Characters a server or a decoder may leave between two characters of an echo: ASCII
/// whitespace, NUL (UTF-16 read as UTF-8), zero-width characters (U+200B–U+200D, U+2060),
/// the byte order mark and the soft hyphen.
fn is_ignorable(c: char) -> bool {
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
fn ignorable_len(rest: &str) -> usize {
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
type Reading = (char, usize);

/// The ways to read one character at the start of `rest`: raw, and (when an escape begins
/// there) decoded: `+` for a space, `%XX…` percent-encoded UTF-8, `=XX…` quoted-printable,
/// a JSON escape, an HTML character reference.
fn readings(rest: &str) -> [Option<Reading>; 2] {
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
fn hex_escaped(b: &[u8]) -> Option<Reading> {
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
fn json_escaped(b: &[u8]) -> Option<Reading> {
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
fn html_reference(b: &[u8]) -> Option<Reading> {
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
fn partial_form(tail: &str) -> bool {
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

fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    let digit = |d: u8| char::from(d).to_digit(16).map(|v| v as u8);
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

/// The hex forms of `secret` (lower case; matched in any case): its UTF-8 bytes, and its
/// UTF-16LE and UTF-16BE bytes.
fn hex_forms(secret: &str) -> [String; 3] {
    let le: Vec<u8> = secret.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = secret.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [hex::encode(secret.as_bytes()), hex::encode(le), hex::encode(be)]
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

/// Blanks the values of token-like fields in JSON (`"name": "value"`, escaped quotes
/// included) and form (`name=value`) text, whatever the name's spelling
/// ([`normalise_key`]). A form name only has to end in one of the names (`oauth_access_token`).
fn redact_fields(text: &str, marker: &str) -> String {
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
fn json_field_value(text: &str, quote: usize, name: &mut String) -> Option<(usize, usize)> {
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
fn form_field_value(text: &str, eq: usize, floor: usize, name: &mut String) -> Option<usize> {
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
fn normalise_key(raw: &str, out: &mut String) {
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

    /// A secret whose letters, digits and punctuation exercise every encoding.
    const TOKEN: &str = "Tok3n.q=9/z";

    fn gone_from(text: &str, secret: &str) {
        let r = Redactor::new(&[secret]);
        let out = r.redact(text);
        assert!(out.contains(r.marker()), "{text:?} -> {out:?}");
        assert!(!r.finds_secret(&out), "{text:?} -> {out:?}");
    }

    #[test]
    fn a_secret_split_by_whitespace_line_breaks_or_nul_between_its_characters_is_removed() {
        gone_from("echo: T o k 3 n . q = 9 / z!", TOKEN);
        gone_from("echo: Tok3n.q\r\n=9/\n\tz", TOKEN);
        gone_from("echo: Tok3n.q=\n   9/z", TOKEN);
        gone_from("T\0o\0k\x003\0n\0.\0q\0=\x009\0/\0z\0", TOKEN);
        gone_from("\0T\0o\0k\x003\0n\0.\0q\0=\x009\0/\0z", TOKEN);
    }

    #[test]
    fn a_secret_with_zero_width_characters_or_soft_hyphens_between_its_characters_is_removed() {
        gone_from("Tok\u{200B}3n\u{200C}.q\u{200D}=9\u{2060}/\u{FEFF}z", TOKEN);
        gone_from("To\u{AD}k3\u{AD}n.q=9/z", TOKEN);
        gone_from(r#"{"t": "Tok\u200b3n.q=9/z"}"#, TOKEN);
    }

    #[test]
    fn a_secret_split_by_quoted_printable_soft_line_breaks_is_removed() {
        gone_from("Tok3=\r\nn.q=3D9/=\nz", TOKEN);
        // The secret's own `=` right before or after a soft line break.
        gone_from("Tok3n.q=\r\n=9/z", TOKEN);
        gone_from("Tok3n.q==\n9/z", TOKEN);
    }

    #[test]
    fn ignorable_characters_before_or_after_a_secret_are_left_in_place() {
        let r = Redactor::new(&[TOKEN]);
        let m = r.marker();
        assert_eq!(r.redact("a\n\u{200B}Tok3n.q=9/z \0b"), format!("a\n\u{200B}{m} \0b"));
        // The secret's own spaces are ignorable too: they are not needed for a match.
        assert_eq!(redact("x my secret y", &["my secret"]), format!("x {MARKER} y"));
        assert_eq!(redact("x mysecret y", &["my secret"]), format!("x {MARKER} y"));
    }

    #[test]
    fn a_secret_as_html_character_references_is_removed() {
        gone_from("&#84;&#111;&#107;&#51;&#110;&#46;&#113;&#61;&#57;&#47;&#122;", TOKEN);
        gone_from("&#x54;&#x6F;&#X6b;&#x0033;&#x6e;&#x2E;&#x71;&#x3D;&#x39;&#x2F;&#x7A;", TOKEN);
        gone_from("&#0084;&#000111;k3n.q&#61;9/z", TOKEN);
        gone_from("<p>a&amp;b&lt;c&gt;&quot;&#39;&apos;</p>", "a&b<c>\"''");
        gone_from("a&AMP;b&LT;c&GT;&QUOT;", "a&b<c>\"");
        gone_from("&#84&#111&#107;3n.q=9/z", TOKEN);
    }

    #[test]
    fn a_secret_in_quoted_printable_is_removed() {
        gone_from("=54=6F=6B=33=6E=2E=71=3D=39=2F=7A", TOKEN);
        gone_from("Tok3n.q=3d9=2fz", TOKEN);
        gone_from("caf=C3=A9-secret", "café-secret");
    }

    #[test]
    fn an_upper_cased_or_lower_cased_echo_of_a_secret_is_removed() {
        gone_from("TOK3N.Q=9/Z", TOKEN);
        gone_from("tok3n.q=9/z", TOKEN);
        gone_from("TOK3N.Q%3D9%2FZ", TOKEN);
        gone_from(r"\U0054\U004F\U004B3N.Q=9/Z", TOKEN);
    }

    #[test]
    fn a_secret_in_hex_of_its_utf8_or_utf16_bytes_is_removed() {
        let utf8 = hex::encode(TOKEN);
        gone_from(&format!("dump: {utf8}"), TOKEN);
        gone_from(&format!("dump: {}", utf8.to_uppercase()), TOKEN);
        let le: Vec<u8> = TOKEN.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = TOKEN.encode_utf16().flat_map(u16::to_be_bytes).collect();
        gone_from(&format!("x{}y", hex::encode(le)), TOKEN);
        gone_from(&format!("x{}y", hex::encode_upper(be)), TOKEN);
    }

    #[test]
    fn every_encoding_mixed_character_by_character_is_removed() {
        gone_from("T%6F\\u006b&#51;=6E&#x2e; q=3D\n9\\/&#x7A;", TOKEN);
        gone_from("t\u{200B}%4F\r\nK&#x33;\0n.Q&#61;9%2f\u{AD}Z", TOKEN);
    }

    #[test]
    fn a_secret_character_that_begins_an_escape_is_found_inside_a_run_of_encoded_spaces() {
        // `a+b` where the `+` is the secret's and the other is a form-encoded space.
        gone_from("a++b", "a+b");
        gone_from("a %20%2520b", "a%20b");
        gone_from("a\\n\\\\b", "a\\b");
        gone_from("a&#32;&b", "a&b");
    }

    #[test]
    fn a_hostile_run_of_escapes_does_not_slow_redaction_down() {
        // Every `=` starts the secret and is followed by a run of soft line breaks to the end:
        // walking the run from each would be quadratic (minutes); it takes milliseconds.
        let text = "=\n".repeat(64 * 1024);
        let started = std::time::Instant::now();
        assert_eq!(redact(&text, &["==x"]), text);
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    }

    #[test]
    fn token_fields_are_blanked_whatever_the_spelling_of_their_name() {
        for name in [
            "access_token",
            r"access\u005ftoken",
            "accessToken",
            "AccessToken",
            "ACCESS_TOKEN",
            "access-token",
            "refreshToken",
            "idToken",
            "id_token",
            "clientSecret",
            "client-secret",
            "clientAssertion",
            "privateKey",
        ] {
            let json = format!(r#"{{"{name}": "abc\"def", "n": 1}}"#);
            assert_eq!(Redactor::none().redact(&json), format!(r#"{{"{name}": "[redacted]", "n": 1}}"#), "{json}");
            let form = format!("a=1&{name}=xyz&b=2");
            assert_eq!(Redactor::none().redact(&form), format!("a=1&{name}=[redacted]&b=2"));
        }
        assert_eq!(Redactor::none().redact("x=1&access%5Ftoken=xyz"), "x=1&access%5Ftoken=[redacted]");
        let other = r#"{"tokenType": "Bearer", "access": "x", "token": "y"}"#;
        assert_eq!(Redactor::none().redact(other), other);
    }

    #[test]
    fn a_cut_text_ends_with_no_beginning_of_a_secret_in_any_encoding() {
        let r = Redactor::new(&[TOKEN]);
        let filler = "x".repeat(20);
        for start in [
            "Tok3",
            "tOK3n.Q",
            "%54%6f%6",
            "T\\u006",
            "Tok3n.q=",
            "Tok3n.q=\r",
            "To\n\u{200B}",
            "&#84;&#11",
            "&#x5",
            "=54=6",
            &hex::encode(TOKEN)[..6],
            &base64::engine::general_purpose::STANDARD.encode(TOKEN)[..5],
        ] {
            let text = format!("{filler}{start}");
            let out = r.redact_cut(&format!("{text}{}", "y".repeat(50)), text.chars().count());
            assert_eq!(out, format!("{filler}…"), "{start:?}");
        }
    }

    #[test]
    fn a_cut_keeps_what_cannot_begin_a_secret_and_a_short_text_is_not_cut() {
        let r = Redactor::new(&[TOKEN]);
        assert_eq!(r.redact_cut("abcdefgh", 5), "abcde…");
        assert_eq!(r.redact_cut("abc", 5), "abc");
        // Redaction before the cut: the secret across the cut is removed whole.
        assert_eq!(r.redact_cut(&format!("ab {TOKEN} cd"), 6), format!("ab {}…", &MARKER[..3]));
    }

    #[test]
    fn the_end_of_a_read_is_cut_back_to_before_a_secret_cut_short() {
        let r = Redactor::new(&[TOKEN]);
        assert_eq!(r.cut_point("body ... Tok3n.q"), "body ... ".len());
        assert_eq!(r.cut_point("body ... caf\u{FFFD}"), "body ... caf".len());
        assert_eq!(r.cut_point("body ... done"), "body ... done".len());
        // A whole secret is left for redaction; only a beginning is cut.
        assert_eq!(r.cut_point(&format!("{TOKEN} and more")), TOKEN.len() + " and more".len());
        assert!(r.margin() >= r"\u0054".len() * TOKEN.len());
    }
}
