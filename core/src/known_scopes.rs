//! The one table of Stitch's client scopes: for each, its name, what it allows in plain words,
//! the read-only query a token test may send for it (if any is safe), and what a test never
//! tries and why. The scope list people see, the token test ([`crate::check`]) and its
//! sentences ([`crate::verdicts`]) all read their row here, so a scope is changed in one place.

use serde::Serialize;

/// A read-only GraphQL query any client token may run (Stitch's "safe way to test a client
/// token"): what a token test sends first, and what the cURL command, the code for
/// integrators and the collections send.
pub const CLIENT_QUERY: &str = "query { client { id clientId } }";

/// One of Stitch's client scopes: what it allows in plain words, and what a token test may
/// do with it. Everything the engine knows about a scope is in its row of [`CLIENT_SCOPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KnownScope {
    pub name: &'static str,
    pub description: &'static str,
    /// A read-only query that needs the scope and is safe to send (nothing changed, nothing
    /// billed), if there is one.
    #[serde(skip)]
    pub safe_read: Option<SafeRead>,
    /// What the scope's calls do that a test must never try, with why ("creating one was not
    /// tried, because it would create a real request").
    #[serde(skip)]
    pub not_tried: &'static str,
    /// The same in a few words, for the plain answer that starts a line ("it would move real
    /// money").
    #[serde(skip)]
    pub why_not: &'static str,
}

/// A safe read query and what it reads, as a sentence subject ("Reading payment requests").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafeRead {
    pub query: &'static str,
    pub reads: &'static str,
}

/// Every client scope Stitch documents (the seed's seven plus recurring payments), one row each.
pub const CLIENT_SCOPES: [KnownScope; 8] = [
    KnownScope {
        name: "client_paymentrequest",
        description: "Create, view and manage InstantPay (Pay By Bank) payment requests.",
        safe_read: Some(SafeRead {
            query: "query { client { paymentInitiationRequests(first: 1) { edges { node { id } } } } }",
            reads: "Reading payment requests",
        }),
        not_tried: "creating one was not tried, because it would create a real request",
        why_not: "creating one would make a real payment request",
    },
    KnownScope {
        name: "client_bankaccountverification",
        description: "Submit bank account verification requests.",
        safe_read: None,
        not_tried: "every call that needs it submits a verification, which Stitch bills",
        why_not: "each check is billed",
    },
    KnownScope {
        name: "client_imageupload",
        description: "Upload images with the clientImageUpload endpoint.",
        safe_read: None,
        not_tried: "every call that needs it uploads an image",
        why_not: "it would upload an image",
    },
    KnownScope {
        name: "client_businesslookup",
        description: "Look up a business by name, registration number, or director ID or passport number.",
        safe_read: None,
        not_tried: "every call that needs it is a business look-up, which Stitch bills",
        why_not: "each look-up is billed",
    },
    KnownScope {
        name: "client_paymentauthorizationrequest",
        description: "Create links to users' accounts for LinkPay payment requests (LinkPay is deprecated).",
        safe_read: None,
        not_tried: "every call that needs it creates a link to a user's account",
        why_not: "it would create a real link to an account",
    },
    KnownScope {
        name: "client_refund",
        description: "Issue refunds for payments made with Stitch.",
        safe_read: None,
        not_tried: "every call that needs it issues a refund, which moves real money",
        why_not: "it would move real money",
    },
    KnownScope {
        name: "client_disbursement",
        description: "Issue disbursements: pay money out to a destination account.",
        safe_read: None,
        not_tried: "every call that needs it pays money out",
        why_not: "it would pay real money out",
    },
    KnownScope {
        name: "client_recurringpaymentconsentrequest",
        description: "Create recurring payments (DebiCheck mandates).",
        safe_read: None,
        not_tried: "every call that needs it creates a recurring payment mandate",
        why_not: "it would create a real mandate",
    },
];

/// The row of `name`, if it is one of Stitch's documented client scopes.
pub fn known(name: &str) -> Option<&'static KnownScope> {
    CLIENT_SCOPES.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_scope_says_what_is_never_tried_and_its_safe_read_only_reads() {
        for s in CLIENT_SCOPES {
            assert!(!s.not_tried.is_empty() && !s.why_not.is_empty(), "{}", s.name);
            if let Some(read) = s.safe_read {
                assert!(read.query.starts_with("query {") && !read.query.contains("mutation"), "{}", s.name);
            }
        }
        let safe: Vec<&str> = CLIENT_SCOPES.iter().filter(|s| s.safe_read.is_some()).map(|s| s.name).collect();
        assert_eq!(safe, ["client_paymentrequest"]);
    }

    #[test]
    fn the_scope_list_people_see_holds_each_scopes_name_and_description_only() {
        let shown = serde_json::to_value(CLIENT_SCOPES[0]).unwrap();
        let mut keys: Vec<&String> = shown.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["description", "name"]);
    }
}
