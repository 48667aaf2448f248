//! Stitch's client scopes, and reading the scope lists people type.
//!
//! RFC 6749 §3.3: the `scope` parameter is a list of space-delimited, case-sensitive
//! strings. Stitch (IdentityServer4) rejects anything but single spaces, so we normalise.

use serde::Serialize;

/// One of Stitch's client scopes, with what it allows in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KnownScope {
    pub name: &'static str,
    pub description: &'static str,
}

/// Every client scope Stitch documents (the seed's seven plus recurring payments).
pub const CLIENT_SCOPES: [KnownScope; 8] = [
    KnownScope {
        name: "client_paymentrequest",
        description: "Create, view and manage InstantPay (Pay By Bank) payment requests.",
    },
    KnownScope { name: "client_bankaccountverification", description: "Submit bank account verification requests." },
    KnownScope { name: "client_imageupload", description: "Upload images with the clientImageUpload endpoint." },
    KnownScope {
        name: "client_businesslookup",
        description: "Look up a business by name, registration number, or director ID or passport number.",
    },
    KnownScope {
        name: "client_paymentauthorizationrequest",
        description: "Create links to users' accounts for LinkPay payment requests (LinkPay is deprecated).",
    },
    KnownScope { name: "client_refund", description: "Issue refunds for payments made with Stitch." },
    KnownScope {
        name: "client_disbursement",
        description: "Issue disbursements: pay money out to a destination account.",
    },
    KnownScope {
        name: "client_recurringpaymentconsentrequest",
        description: "Create recurring payments (DebiCheck mandates).",
    },
];

/// The longest scope name (and client id) Token Desk takes, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Whether `name` has a scope's shape: 1 to [`MAX_NAME_CHARS`] of `[A-Za-z0-9._:-]`. RFC 6749
/// §3.3 allows more (any printable ASCII but `"` and `\`), but every scope Stitch names fits
/// this, and a name that also appears in collections, snippets and terminals must be inert in
/// every one of them.
pub fn is_scope_name(name: &str) -> bool {
    (1..=MAX_NAME_CHARS).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// Whether `name` is one of Stitch's documented client scopes.
pub fn is_known(name: &str) -> bool {
    CLIENT_SCOPES.iter().any(|s| s.name == name)
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
    fn the_scope_set_ignores_order() {
        assert_eq!(Scopes::parse(["a b"]).as_set(), Scopes::parse(["b a a"]).as_set());
    }
}
