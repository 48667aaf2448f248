//! A secret matched one character at a time along a text ([`Pattern`], [`Scan`]), and its
//! whole encoded forms ([`Literal`]).

use super::encodings::{ignorable_len, is_ignorable, partial_form, readings, same, Reading};

/// A secret as it is matched one character at a time.
#[derive(Clone)]
pub(super) struct Pattern {
    /// The secret's characters without the ignorable ones (an echo may have any run of those
    /// anywhere); all of them for a secret made of nothing else.
    pub(super) chars: Vec<char>,
    /// Whether runs of ignorable characters are skipped between two characters.
    pub(super) skips: bool,
}

/// A whole encoded form of a secret.
#[derive(Clone)]
pub(super) struct Literal {
    pub(super) text: String,
    /// Hex is found in any case; base64 is case-sensitive.
    pub(super) any_case: bool,
}

/// What a walk along a secret from one place found.
#[derive(Debug, PartialEq)]
pub(super) enum Walk {
    /// The whole secret, ending here.
    Whole(usize),
    /// The text ends (or ends in a form cut short) before the secret does.
    CutOff,
    Absent,
}

/// Within one run of ignorable characters, the most places tried for a secret's character
/// that is itself the first character of an escape (`+ % = \ &`, each also the start of an
/// encoded space or line break): bounds the work on a hostile text made of nothing else.
pub(super) const ESCAPE_CANDIDATES: usize = 8;

impl Pattern {
    pub(super) fn new(secret: &str) -> Self {
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
    pub(super) fn walk(&self, scan: &Scan<'_>, at: usize, here: &[Option<Reading>; 2], cut: bool) -> Walk {
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
    pub(super) fn found_at(&self, rest: &str) -> bool {
        let e = self.text.as_bytes();
        let r = rest.as_bytes();
        // The second byte first: most places differ there, before a full comparison.
        r.len() >= e.len() && self.same_bytes(&r[1..2], &e[1..2]) && self.same_bytes(&r[..e.len()], e)
    }

    /// Whether `rest` (shorter than the form) is how the form begins.
    pub(super) fn begins(&self, rest: &str) -> bool {
        self.same_bytes(rest.as_bytes(), &self.text.as_bytes()[..rest.len()])
    }

    pub(super) fn same_bytes(&self, a: &[u8], b: &[u8]) -> bool {
        if self.any_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }
}

/// A text being searched, with where each run of ignorable characters ends.
pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    /// For each byte, where the run of ignorable characters starting there ends (the byte
    /// itself when none starts there). Worked out once per text so that a hostile run is not
    /// walked again from every place inside it.
    pub(super) run_ends: Vec<u32>,
    /// The places a walk has reached, the places it tries next and those it reaches from
    /// them: kept between walks so that a walk allocates nothing.
    pub(super) scratch: std::cell::RefCell<(Vec<usize>, Vec<usize>, Vec<usize>)>,
}

impl<'a> Scan<'a> {
    pub(super) fn new(text: &'a str) -> Self {
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

    pub(super) fn run_end(&self, at: usize) -> usize {
        self.run_ends[at] as usize
    }

    /// Adds the places between `from` and `to` (a run of ignorable characters) where one of
    /// them begins with the byte `b`, which a secret's character may be read as raw.
    pub(super) fn escape_starts(&self, from: usize, to: usize, b: u8, out: &mut Vec<usize>) {
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
