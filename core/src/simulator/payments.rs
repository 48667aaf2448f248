//! The simulator's payment requests and refunds, with Stitch's rules for them: states (an
//! unpaid request past its `expireAt` is expired), completion only while pending, refunds only
//! of completed requests and never above the amount paid, a refund's `nonce` making it
//! idempotent. Held in a bounded history: past the cap the oldest are forgotten. No GraphQL
//! here; `schema` shows these as Stitch's types.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use base64::Engine as _;

/// An amount in whole cents: ZAR has two decimals.
pub(crate) type Cents = i64;

/// How long a refund stays `RefundPending` before it reads `RefundCompleted`, on the
/// simulator's clock (a real refund is settled by a bank some time later).
pub(crate) const REFUND_SETTLES: Duration = Duration::from_secs(5);

/// What happened to a request, as it was decided (expiry is read against the clock).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Pending,
    Completed { date: SystemTime },
    Cancelled { date: SystemTime, reason: String },
}

/// A request's state as Stitch reports it at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RequestState {
    Pending,
    Completed { date: SystemTime },
    Cancelled { date: SystemTime, reason: String },
    Expired { date: SystemTime },
}

impl RequestState {
    /// The state in a few words, for sentences and the payment page.
    pub(crate) fn words(&self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Completed { .. } => "completed",
            RequestState::Cancelled { .. } => "cancelled",
            RequestState::Expired { .. } => "expired",
        }
    }
}

/// A payment request as it was created.
#[derive(Debug, Clone)]
pub(crate) struct NewRequest {
    pub(crate) client_id: String,
    pub(crate) amount: Cents,
    pub(crate) payer_reference: String,
    pub(crate) beneficiary_reference: String,
    pub(crate) external_reference: Option<String>,
    pub(crate) beneficiary_name: String,
    pub(crate) expire_at: Option<SystemTime>,
}

#[derive(Debug, Clone)]
pub(crate) struct PaymentRequest {
    pub(crate) uuid: String,
    pub(crate) created: SystemTime,
    pub(crate) new: NewRequest,
    outcome: Outcome,
}

impl PaymentRequest {
    pub(crate) fn state(&self, now: SystemTime) -> RequestState {
        match &self.outcome {
            Outcome::Pending => match self.new.expire_at {
                Some(at) if at <= now => RequestState::Expired { date: at },
                _ => RequestState::Pending,
            },
            Outcome::Completed { date } => RequestState::Completed { date: *date },
            Outcome::Cancelled { date, reason } => RequestState::Cancelled { date: *date, reason: reason.clone() },
        }
    }
}

/// A refund as it was asked for.
#[derive(Debug, Clone)]
pub(crate) struct NewRefund {
    pub(crate) client_id: String,
    pub(crate) payment_uuid: String,
    pub(crate) amount: Cents,
    /// `duplicate`, `fraudulent` or `requested_by_user`.
    pub(crate) reason: &'static str,
    pub(crate) nonce: String,
    pub(crate) beneficiary_reference: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Refund {
    pub(crate) uuid: String,
    pub(crate) created: SystemTime,
    pub(crate) new: NewRefund,
}

impl Refund {
    /// Whether the bank has settled it yet: after [`REFUND_SETTLES`].
    pub(crate) fn settled(&self, now: SystemTime) -> bool {
        now >= self.created + REFUND_SETTLES
    }
}

/// A completion, cancellation or refund the rules refuse.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    #[error("No payment request with this id was found for this client.")]
    NotFound,
    #[error("The payment request is {0}: only a pending payment request can be paid or cancelled.")]
    NotPending(&'static str),
    #[error("The payment request is {0}: only a completed payment request can be refunded.")]
    NotCompleted(&'static str),
    #[error("The refund of {asked} ZAR is more than the {left} ZAR of the amount paid that is not yet refunded.")]
    AboveAmount { asked: String, left: String },
}

impl Refusal {
    /// `extensions.code` of the GraphQL error that carries it.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Refusal::NotFound => "NOT_FOUND",
            _ => "BAD_USER_INPUT",
        }
    }
}

/// `cents` as Stitch writes a `Decimal`: `"1.00"`.
pub(crate) fn decimal_text(cents: Cents) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

/// Node ids are opaque to clients; here base64 of `kind/uuid`, as Stitch's look.
pub(crate) fn node_id(kind: &str, uuid: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{kind}/{uuid}"))
}

pub(crate) fn uuid_of(kind: &str, id: &str) -> Option<String> {
    let text = base64::engine::general_purpose::STANDARD.decode(id).ok()?;
    let text = String::from_utf8(text).ok()?;
    text.strip_prefix(kind)?.strip_prefix('/').map(str::to_owned)
}

/// The payment requests and refunds the simulator holds, at most `cap` of each.
#[derive(Debug)]
pub(crate) struct Ledger {
    requests: VecDeque<PaymentRequest>,
    refunds: VecDeque<Refund>,
    cap: usize,
}

impl Ledger {
    pub(crate) fn new(cap: usize) -> Self {
        Self { requests: VecDeque::new(), refunds: VecDeque::new(), cap: cap.max(1) }
    }

    /// A ledger where each of `clients` already has one pending request of 1.00 ZAR, so the
    /// token test's read (`paymentInitiationRequests(first: 1)`) has something to list.
    pub(crate) fn with_demo_requests<'a>(cap: usize, clients: impl Iterator<Item = &'a str>, now: SystemTime) -> Self {
        let mut ledger = Self::new(cap);
        for client_id in clients {
            let demo = NewRequest {
                client_id: client_id.to_owned(),
                amount: 100,
                payer_reference: "Demo".into(),
                beneficiary_reference: "Token Desk demo".into(),
                external_reference: None,
                beneficiary_name: "Token Desk demo".into(),
                expire_at: None,
            };
            ledger.create(demo, now);
        }
        ledger
    }

    /// A new pending request, forgetting the oldest beyond the cap.
    pub(crate) fn create(&mut self, new: NewRequest, now: SystemTime) -> PaymentRequest {
        if self.requests.len() >= self.cap {
            self.requests.pop_front();
        }
        let request =
            PaymentRequest { uuid: uuid::Uuid::new_v4().to_string(), created: now, new, outcome: Outcome::Pending };
        self.requests.push_back(request.clone());
        request
    }

    /// The request `uuid`, if `client_id` (when given) made it.
    pub(crate) fn request(&self, client_id: Option<&str>, uuid: &str) -> Option<&PaymentRequest> {
        self.requests.iter().find(|r| r.uuid == uuid && client_id.is_none_or(|c| c == r.new.client_id))
    }

    /// `client_id`'s requests, newest first.
    pub(crate) fn requests_of<'a>(&'a self, client_id: &'a str) -> impl Iterator<Item = &'a PaymentRequest> + 'a {
        self.requests.iter().rev().filter(move |r| r.new.client_id == client_id)
    }

    /// Pays the pending request `uuid` (the payment page's *Pay*, or the test-only mutation).
    pub(crate) fn complete(
        &mut self,
        client_id: Option<&str>,
        uuid: &str,
        now: SystemTime,
    ) -> Result<PaymentRequest, Refusal> {
        self.decide(client_id, uuid, Outcome::Completed { date: now }, now)
    }

    /// Cancels the pending request `uuid` (the payment page's *Cancel*).
    pub(crate) fn cancel(&mut self, uuid: &str, reason: &str, now: SystemTime) -> Result<PaymentRequest, Refusal> {
        self.decide(None, uuid, Outcome::Cancelled { date: now, reason: reason.to_owned() }, now)
    }

    fn decide(
        &mut self,
        client_id: Option<&str>,
        uuid: &str,
        outcome: Outcome,
        now: SystemTime,
    ) -> Result<PaymentRequest, Refusal> {
        let request = self
            .requests
            .iter_mut()
            .find(|r| r.uuid == uuid && client_id.is_none_or(|c| c == r.new.client_id))
            .ok_or(Refusal::NotFound)?;
        match request.state(now) {
            RequestState::Pending => {
                request.outcome = outcome;
                Ok(request.clone())
            }
            other => Err(Refusal::NotPending(other.words())),
        }
    }

    /// A refund of a completed request: the one made earlier with the same nonce, or a new one
    /// when the request is completed and the amount fits in what is not yet refunded.
    pub(crate) fn refund(&mut self, new: NewRefund, now: SystemTime) -> Result<Refund, Refusal> {
        if let Some(same) = self.refunds.iter().find(|r| r.new.client_id == new.client_id && r.new.nonce == new.nonce) {
            return Ok(same.clone());
        }
        let request = self.request(Some(&new.client_id), &new.payment_uuid).ok_or(Refusal::NotFound)?;
        match request.state(now) {
            RequestState::Completed { .. } => {}
            other => return Err(Refusal::NotCompleted(other.words())),
        }
        let refunded: Cents =
            self.refunds.iter().filter(|r| r.new.payment_uuid == new.payment_uuid).map(|r| r.new.amount).sum();
        let left = request.new.amount - refunded;
        if new.amount > left {
            return Err(Refusal::AboveAmount { asked: decimal_text(new.amount), left: decimal_text(left) });
        }
        if self.refunds.len() >= self.cap {
            self.refunds.pop_front();
        }
        let refund = Refund { uuid: uuid::Uuid::new_v4().to_string(), created: now, new };
        self.refunds.push_back(refund.clone());
        Ok(refund)
    }

    /// The refund `uuid`, if `client_id` asked for it.
    pub(crate) fn refund_of(&self, client_id: &str, uuid: &str) -> Option<&Refund> {
        self.refunds.iter().find(|r| r.uuid == uuid && r.new.client_id == client_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_request(amount: Cents, expire_at: Option<SystemTime>) -> NewRequest {
        NewRequest {
            client_id: "test-a".into(),
            amount,
            payer_reference: "Order 1".into(),
            beneficiary_reference: "Shop".into(),
            external_reference: None,
            beneficiary_name: "Shop".into(),
            expire_at,
        }
    }

    fn new_refund(payment_uuid: &str, amount: Cents, nonce: &str) -> NewRefund {
        NewRefund {
            client_id: "test-a".into(),
            payment_uuid: payment_uuid.into(),
            amount,
            reason: "requested_by_user",
            nonce: nonce.into(),
            beneficiary_reference: "Refund".into(),
        }
    }

    #[test]
    fn an_unpaid_request_expires_at_its_expire_at_and_can_then_no_longer_be_paid() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut ledger = Ledger::new(8);
        let r = ledger.create(new_request(100, Some(now + Duration::from_secs(60))), now);
        assert_eq!(r.state(now + Duration::from_secs(59)), RequestState::Pending);
        let later = now + Duration::from_secs(60);
        assert_eq!(r.state(later), RequestState::Expired { date: later });
        assert_eq!(ledger.complete(None, &r.uuid, later).unwrap_err(), Refusal::NotPending("expired"));
    }

    #[test]
    fn refunds_need_a_completed_request_and_never_add_up_to_more_than_was_paid() {
        let now = SystemTime::UNIX_EPOCH;
        let mut ledger = Ledger::new(8);
        let r = ledger.create(new_request(1000, None), now);
        assert_eq!(ledger.refund(new_refund(&r.uuid, 100, "n1"), now).unwrap_err(), Refusal::NotCompleted("pending"));
        ledger.complete(Some("test-a"), &r.uuid, now).unwrap();
        ledger.refund(new_refund(&r.uuid, 600, "n1"), now).unwrap();
        let over = ledger.refund(new_refund(&r.uuid, 401, "n2"), now).unwrap_err();
        assert_eq!(over, Refusal::AboveAmount { asked: "4.01".into(), left: "4.00".into() });
        ledger.refund(new_refund(&r.uuid, 400, "n3"), now).unwrap();
    }

    #[test]
    fn the_same_nonce_returns_the_same_refund() {
        let now = SystemTime::UNIX_EPOCH;
        let mut ledger = Ledger::new(8);
        let r = ledger.create(new_request(1000, None), now);
        ledger.complete(None, &r.uuid, now).unwrap();
        let first = ledger.refund(new_refund(&r.uuid, 1000, "same"), now).unwrap();
        let again = ledger.refund(new_refund(&r.uuid, 1000, "same"), now).unwrap();
        assert_eq!(first.uuid, again.uuid);
    }

    #[test]
    fn the_oldest_requests_are_forgotten_beyond_the_cap() {
        let now = SystemTime::UNIX_EPOCH;
        let mut ledger = Ledger::new(2);
        let first = ledger.create(new_request(100, None), now);
        ledger.create(new_request(200, None), now);
        let third = ledger.create(new_request(300, None), now);
        assert!(ledger.request(None, &first.uuid).is_none());
        assert_eq!(ledger.requests_of("test-a").next().unwrap().uuid, third.uuid);
        assert_eq!(ledger.requests_of("test-a").count(), 2);
    }

    #[test]
    fn amounts_are_written_with_two_decimals() {
        assert_eq!(decimal_text(100), "1.00");
        assert_eq!(decimal_text(5), "0.05");
        assert_eq!(decimal_text(123_456), "1234.56");
    }
}
