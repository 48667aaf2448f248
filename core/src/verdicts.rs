//! The plain sentences a token test says per scope: what was tried, what was not, and why.
//! A support person reads "Works" as "everything this scope allows works"; these sentences
//! say that only reading was tried, and why the rest is not ("it would create a real
//! request", "it would move money").

/// What a test may read of `scope` and what it must not try, from its row of the table
/// ([`crate::known_scopes::CLIENT_SCOPES`]); for a scope not in it, that no safe call is known.
fn uses(scope: &str) -> KnownScope {
    crate::known_scopes::known(scope).copied().unwrap_or(KnownScope {
        name: "",
        description: "",
        safe_read: None,
        not_tried: "Token Desk knows no read-only call that needs it",
        why_not: "no safe call is known",
    })
}

use crate::known_scopes::KnownScope;

/// The plain answer that starts a scope's line when a safe read worked.
pub const YES: &str = "Yes, works";

/// The plain answer that starts a scope's line when the token lacks the scope.
pub const NO: &str = "No — missing";

/// The plain answer for a granted scope that no safe call can try: allowed, and why it was not
/// tried ("Allowed, not tried (it would move real money)").
pub fn allowed_not_tried(scope: &str) -> String {
    format!("Allowed, not tried ({})", uses(scope).why_not)
}

/// The plain answer for a scope of a handed-over token that no safe call can try: whether it
/// was granted is not known either.
pub fn unknown_not_tried(scope: &str) -> String {
    format!("Not known, not tried ({})", uses(scope).why_not)
}

/// A safe read that needs `scope` succeeded.
pub fn works(scope: &str) -> String {
    let u = uses(scope);
    match u.safe_read {
        Some(read) => format!("{} works; {}.", read.reads, u.not_tried),
        None => "A read-only call that needs it worked.".to_owned(),
    }
}

/// `client_paymentrequest` after the token test also made one on request: both were tried.
pub fn works_and_created(payment_request_id: &str) -> String {
    format!("Reading payment requests works, and so does creating one: test payment request {payment_request_id} was made on request.")
}

/// The API said the token lacks `scope`.
pub fn missing_says_the_api(scope: &str) -> String {
    match uses(scope).safe_read {
        Some(read) => format!("{} was refused: the API says this token lacks it.", read.reads),
        None => "The API says this token lacks it.".to_owned(),
    }
}

/// The token server left `scope` out of the grant it sent with the token.
pub fn missing_not_granted() -> String {
    "The token server did not grant it when this token was issued.".to_owned()
}

/// Granted (so it is in the token), but no call that needs it is safe to try.
pub fn cannot_check_granted(scope: &str) -> String {
    format!("Granted, but not tried: {}. It cannot be checked safely without doing that.", uses(scope).not_tried)
}

/// A token whose grant is not known (it was handed over, not fetched here), for a scope with no
/// safe read: nothing says whether it has it, so it is neither "works" nor "missing".
pub fn cannot_check_unknown_grant(scope: &str) -> String {
    format!(
        "Not tried: {}. This token was not fetched here, so whether it was granted is not known either.",
        uses(scope).not_tried
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_working_payment_request_scope_says_only_reading_was_tried_and_why() {
        assert_eq!(
            works("client_paymentrequest"),
            "Reading payment requests works; creating one was not tried, because it would create a real request."
        );
    }

    #[test]
    fn cannot_be_checked_safely_says_what_the_call_would_do() {
        let note = cannot_check_granted("client_refund");
        assert!(note.contains("issues a refund, which moves real money"), "{note}");
        let unknown = cannot_check_unknown_grant("client_disbursement");
        assert!(unknown.contains("pays money out") && unknown.contains("not known"), "{unknown}");
    }

    #[test]
    fn every_answer_starts_with_yes_no_or_allowed_and_says_why_not_tried() {
        assert_eq!(allowed_not_tried("client_refund"), "Allowed, not tried (it would move real money)");
        assert_eq!(
            allowed_not_tried("client_paymentrequest"),
            "Allowed, not tried (creating one would make a real payment request)"
        );
        assert!(unknown_not_tried("client_disbursement").starts_with("Not known, not tried (it would pay"));
        assert!(YES.starts_with("Yes") && NO.starts_with("No"));
    }

    #[test]
    fn an_unknown_scope_is_explained_too() {
        assert!(cannot_check_granted("client_other").contains("knows no read-only call"));
    }

    #[test]
    fn a_missing_scope_says_who_said_so() {
        assert!(missing_says_the_api("client_paymentrequest").starts_with("Reading payment requests was refused"));
        assert!(missing_not_granted().contains("did not grant"));
    }
}
