//! How `token-desk try` prints its answers for a person, every text the API chose written by
//! the terminal's encoder ([`Outside::for_terminal`]), everything through [`crate::shown`].

use token_desk_core::outside::Outside;
use token_desk_core::try_it::bank_account::Verified;
use token_desk_core::try_it::payment_request::{Created, State, Status};
use token_desk_core::try_it::refund::{RefundState, Started};

use crate::shown::{say, tell};

/// `value` as `--json`, or `words` for a person.
pub fn show(value: &impl serde::Serialize, json: bool, words: impl FnOnce()) {
    if json {
        crate::shown::asked(&crate::shown::json(value));
    } else {
        words();
    }
}

/// A payment request just created, and with `qr` its link as a QR code (to stderr under
/// `--json`, so standard output stays one JSON object).
pub fn created(made: &Created, json: bool, qr: bool) {
    show(made, json, || {
        say!("{}", made.summary);
        let id = made.id.for_terminal();
        say!("  {:22} {id}", "id");
        match &made.link {
            Some(link) => say!("  {:22} {link}", "link"),
            None => say!("  {:22} {}", "url", made.url.for_terminal()),
        }
        say!("  {:22} {}", "payer reference", made.payer_reference);
        say!("  {:22} {}", "beneficiary reference", made.beneficiary_reference);
        say!("Next: open the link and pay, or token-desk try complete {id}; then token-desk try status {id}");
    });
    if !qr {
        return;
    }
    match made.link.as_deref().and_then(super::qr::drawn) {
        Some(code) => {
            let note = "The payment link as a QR code (light on dark: scan it with a phone's camera):\n";
            crate::shown::out_raw(json, &format!("{note}{code}\n"));
        }
        None => tell!("warning: no QR code: the API's url for the request is not a web address."),
    }
}

/// A refund just asked for, with the nonce sent with it.
pub fn refund(started: &Started) {
    say!("{}", started.summary);
    let id = started.id.for_terminal();
    say!("  refund id  {id}");
    say!("  nonce      {}  (new for this refund)", started.nonce);
    say!("  reason     {}", started.reason.as_str());
    other_name(&started.status);
    say!("Next: token-desk try refund-status {id}");
}

/// A verification: the answer, then each question with its finding.
pub fn verified(v: &Verified) {
    say!("{}", v.summary);
    let width = v.checks.iter().map(|c| c.question.chars().count()).max().unwrap_or(0);
    for c in &v.checks {
        say!("  {:width$}  {}", c.question, c.finding.words());
    }
}

/// A refund status Token Desk does not know, by the name the API gave it.
pub fn other_name(status: &RefundState) {
    if let RefundState::Other { name } = status {
        say!("  status     {}", name.for_terminal());
    }
}

/// A payment request's state, then what the API said about it, then what to do next.
pub fn status(s: &Status) {
    say!("{}", s.summary);
    let line = |label: &str, value: Option<&Outside>| {
        if let Some(v) = value {
            say!("  {label:22} {}", v.for_terminal());
        }
    };
    line("id", Some(&s.id));
    if let Some(m) = &s.amount {
        say!("  {:22} {}", "amount", m.words());
    }
    match &s.state {
        State::Completed { date, .. } | State::Expired { date } => line("date", date.as_ref()),
        State::Cancelled { date, reason } => {
            line("date", date.as_ref());
            line("reason", reason.as_ref());
        }
        State::Other { name } => line("state", Some(name)),
        State::Pending | State::ManuallyCompleted => {}
    }
    line("payer reference", s.payer_reference.as_ref());
    line("beneficiary reference", s.beneficiary_reference.as_ref());
    line("external reference", s.external_reference.as_ref());
    line("created", s.created.as_ref());
    line("expires", s.expire_at.as_ref());
    if let Some(link) = &s.link {
        say!("  {:22} {link}", "link");
    }
    let id = s.id.for_terminal();
    match &s.state {
        State::Pending => say!("Next: open the link and pay, or token-desk try complete {id}"),
        State::Completed { .. } | State::ManuallyCompleted => say!("Next: token-desk try refund {id} --amount AMOUNT"),
        _ => {}
    }
}
