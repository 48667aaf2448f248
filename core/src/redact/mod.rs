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

mod encodings;
mod fields;
mod pattern;
#[cfg(test)]
mod tests;

use encodings::{base64_forms, hex_forms, partial_form, readings, same, MIN_BASE64_CHARS};
use fields::{redact_fields, redact_private_keys};
use pattern::{Literal, Pattern, Scan, Walk};

/// Shown in place of what was removed, unless a secret could be read into it (see
/// [`Redactor::new`]).
pub const MARKER: &str = "[redacted]";

/// Replacements to choose from, with no character in common with one another, so a short
/// secret can spoil at most one of them.
const MARKERS: [&str; 4] = [MARKER, "***", "###", "~~~"];

/// How many times redaction runs over its own output: removing one echo can join the text on
/// either side into another.
const PASSES: usize = 4;

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
