//! Refunding a completed test payment (scope `client_refund`). Each refund carries a fresh
//! random `nonce`, Stitch's idempotency key, shown in the result: a refund sent again on
//! purpose is a new refund, and one retried with the same nonce would be the same refund.
//! Before sending, the payment request is read: a refund of one that is not completed, or of
//! more than was paid, is refused here with a sentence instead of by the API.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::documents;
use super::graphql::Api;
use super::inputs::{self, RefundReason};
use super::money::Amount;
use super::payment_request::{self, not_found, unexpected, State, Status};
use super::test_client::TestClient;
use crate::failure::{Failure, FailureKind};
use crate::outside::Outside;

/// The reference on the payer's statement when none is given (1–30 characters).
pub const DEMO_BENEFICIARY_REFERENCE: &str = "Token Desk refund";

/// What a person fills in to refund a payment, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RefundForm {
    pub payment_request_id: String,
    pub amount: String,
    /// `requested_by_user` when left out.
    pub reason: Option<String>,
    /// [`DEMO_BENEFICIARY_REFERENCE`] when left out.
    pub beneficiary_reference: Option<String>,
}

impl RefundForm {
    pub fn check(&self) -> Result<Refund, Failure> {
        Ok(Refund {
            payment_request_id: inputs::object_id("payment request ID", &self.payment_request_id)?,
            amount: Amount::parse("refund amount", &self.amount)?,
            reason: match &self.reason {
                Some(r) => RefundReason::parse(r)?,
                None => RefundReason::RequestedByUser,
            },
            beneficiary_reference: inputs::text(
                "refund's beneficiary reference",
                self.beneficiary_reference.as_deref().unwrap_or(DEMO_BENEFICIARY_REFERENCE),
                1,
                30,
            )?,
        })
    }
}

/// A checked refund, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    payment_request_id: String,
    amount: Amount,
    reason: RefundReason,
    beneficiary_reference: String,
}

impl Refund {
    /// The variables of [`documents::CREATE_REFUND`] with `nonce`.
    pub fn variables(&self, nonce: &str) -> Value {
        json!({ "input": {
            "paymentRequestId": self.payment_request_id,
            "amount": self.amount.money_input(),
            "reason": self.reason.as_str(),
            "nonce": nonce,
            "beneficiaryReference": self.beneficiary_reference,
        } })
    }

    /// Refused when the payment request is not completed, or when this refund is more than
    /// was paid (when the API said what was paid, in rand).
    pub fn fits(&self, paid: &Status) -> Result<(), Failure> {
        if !paid.state.is_completed() && !matches!(paid.state, State::Other { .. }) {
            return Err(Failure::bad_input(format!(
                "Only a completed payment can be refunded, and this payment request is not: {} No refund was \
                 sent.",
                paid.state.words()
            )));
        }
        let paid_amount = match &paid.state {
            State::Completed { amount: Some(m), .. } => m.amount(),
            _ => None,
        }
        .or_else(|| paid.amount.as_ref().and_then(|m| m.amount()));
        match paid_amount {
            Some(p) if self.amount > p => Err(Failure::bad_input(format!(
                "The refund amount ({}) is more than was paid ({}). No refund was sent.",
                self.amount.words(),
                p.words()
            ))),
            _ => Ok(()),
        }
    }
}

/// A fresh random nonce: 128 random bits, written as 32 hex digits.
pub fn nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Where a refund stands, from `status { __typename }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RefundState {
    Pending,
    Submitted,
    Completed,
    Error,
    Paused,
    /// A status Token Desk does not know, by the name the API gave it.
    Other {
        name: Outside,
    },
}

impl RefundState {
    fn read(status: Option<&Value>) -> Self {
        match status.and_then(|s| s.get("__typename")).and_then(Value::as_str).unwrap_or("") {
            "RefundPending" => RefundState::Pending,
            "RefundSubmitted" => RefundState::Submitted,
            "RefundCompleted" => RefundState::Completed,
            "RefundError" => RefundState::Error,
            "RefundPaused" => RefundState::Paused,
            other => RefundState::Other { name: Outside::new(other) },
        }
    }

    pub fn words(&self) -> &'static str {
        match self {
            RefundState::Pending => "Pending: the refund is waiting to be sent to the bank.",
            RefundState::Submitted => "Submitted: the bank has the refund.",
            RefundState::Completed => "Completed: the money went back to the payer.",
            RefundState::Error => "Failed: the refund could not be made.",
            RefundState::Paused => "Paused: the refund is on hold.",
            RefundState::Other { .. } => "In a status Token Desk does not know (its name is below).",
        }
    }
}

/// A refund just asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Started {
    pub id: Outside,
    #[serde(flatten)]
    pub status: RefundState,
    /// The idempotency key sent with it.
    pub nonce: String,
    pub amount: Amount,
    pub reason: RefundReason,
    pub payment_request_id: String,
    pub summary: String,
}

/// Reads the payment request, refuses a refund that cannot fit it ([`Refund::fits`]), then
/// sends the refund with a fresh nonce, all within the one deadline. A token without
/// `client_paymentrequest` cannot read it: then the refund is sent unread, and the API decides.
pub async fn initiate(api: &Api<'_>, _client: &TestClient, refund: &Refund) -> Result<Started, Failure> {
    api.within_deadline(async {
        match payment_request::read_status(api, &refund.payment_request_id).await {
            Ok(paid) => refund.fits(&paid)?,
            Err(f) if f.kind == FailureKind::ScopeNotAllowed => {}
            Err(f) => return Err(f),
        }
        let nonce = nonce();
        let data = api.send(documents::CREATE_REFUND, refund.variables(&nonce)).await?;
        let made = data.pointer("/clientRefundInitiate/refund");
        let Some(id) = made.and_then(|m| m.get("id")).and_then(Value::as_str) else {
            return Err(unexpected("did not give the new refund's id"));
        };
        let status = RefundState::read(made.and_then(|m| m.get("status")));
        Ok(Started {
            id: Outside::new(id),
            summary: format!("Asked for a refund of {}. {}", refund.amount.words(), status.words()),
            status,
            nonce,
            amount: refund.amount,
            reason: refund.reason,
            payment_request_id: refund.payment_request_id.clone(),
        })
    })
    .await
}

/// A refund as `node(id:)` returned it.
#[derive(Debug, Clone, Serialize)]
pub struct RefundStatus {
    pub id: Outside,
    #[serde(flatten)]
    pub status: RefundState,
    pub summary: String,
}

/// Reads the refund `id`.
pub async fn status(api: &Api<'_>, id: &str) -> Result<RefundStatus, Failure> {
    let id = inputs::object_id("refund ID", id)?;
    let data = api.within_deadline(api.send(documents::REFUND_STATUS, json!({ "id": id }))).await?;
    let node = data.get("node").filter(|n| n.is_object());
    let Some(found) = node.and_then(|n| n.get("id")).and_then(Value::as_str) else {
        return Err(not_found("refund"));
    };
    let status = RefundState::read(node.and_then(|n| n.get("status")));
    Ok(RefundStatus { id: Outside::new(found), summary: status.words().to_owned(), status })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::try_it::money::Money;

    fn form(amount: &str) -> RefundForm {
        RefundForm {
            payment_request_id: "pr-1".into(),
            amount: amount.into(),
            reason: None,
            beneficiary_reference: None,
        }
    }

    fn paid(state: State) -> Status {
        Status {
            id: Outside::new("pr-1"),
            url: None,
            link: None,
            amount: Money::read(&json!({"quantity": "1.00", "currency": "ZAR"})),
            payer_reference: None,
            beneficiary_reference: None,
            external_reference: None,
            expire_at: None,
            created: None,
            summary: state.words(),
            state,
        }
    }

    #[test]
    fn a_refund_sends_stitchs_input_with_the_nonce_given() {
        let refund = form("0.5").check().unwrap();
        assert_eq!(
            refund.variables("n-1"),
            json!({ "input": { "paymentRequestId": "pr-1", "amount": {"quantity": "0.50", "currency": "ZAR"},
                "reason": "requested_by_user", "nonce": "n-1", "beneficiaryReference": "Token Desk refund" } })
        );
    }

    #[test]
    fn every_nonce_is_new() {
        let a = nonce();
        assert_eq!(a.len(), 32);
        assert_ne!(a, nonce());
    }

    #[test]
    fn a_refund_of_more_than_was_paid_or_of_an_unpaid_request_is_refused_before_it_is_sent() {
        let completed = paid(State::Completed { date: None, amount: None });
        assert!(form("1.00").check().unwrap().fits(&completed).is_ok());
        let more = form("1.01").check().unwrap().fits(&completed).unwrap_err();
        assert_eq!(more.message, "The refund amount (R1.01) is more than was paid (R1.00). No refund was sent.");
        let pending = form("1").check().unwrap().fits(&paid(State::Pending)).unwrap_err();
        assert!(pending.message.contains("not: Pending: waiting for the payer to pay."), "{}", pending.message);
        assert!(form("5").check().unwrap().fits(&paid(State::ManuallyCompleted)).is_err());
    }

    #[test]
    fn each_refund_field_is_named_when_refused() {
        let mut f = form("1");
        f.beneficiary_reference = Some("x".repeat(31));
        assert!(f.check().unwrap_err().message.starts_with("The refund's beneficiary reference is 31"));
        f.beneficiary_reference = Some(" ".into());
        assert!(f.check().unwrap_err().message.starts_with("The refund's beneficiary reference is empty"));
        let mut f = form("1");
        f.reason = Some("bored".into());
        assert!(f.check().unwrap_err().message.starts_with("The refund reason"));
        assert!(form("1.234").check().unwrap_err().message.starts_with("The refund amount"));
    }
}
