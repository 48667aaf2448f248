//! A Pay By Bank payment request on a test client: create it, read its state, complete it
//! without a bank. The payer opens the request's `url` with a whitelisted `redirect_uri`
//! appended; the state is read with `node(id:)`, never trusted from the redirect back.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use serde_with::skip_serializing_none;

use super::documents;
use super::graphql::Api;
use super::inputs::{self, BankId};
use super::money::{Amount, Money};
use super::test_client::TestClient;
use crate::failure::{Failure, FailureKind};
use crate::outside::Outside;

/// Appended to the payment link: one of the `redirect_uri`s Stitch whitelists for every test
/// client (third-party list; see `stitch-api.md`), so the hosted page accepts the link.
pub const TEST_REDIRECT_URI: &str = "https://localhost:3000/return";

/// The demo beneficiary a test payment request pays, prefilled and editable.
pub const DEMO_BENEFICIARY_NAME: &str = "Token Desk Demo";
pub const DEMO_BENEFICIARY_BANK: &str = "fnb";
pub const DEMO_BENEFICIARY_ACCOUNT: &str = "62001234567";
/// The demo references (at most 12 and 20 characters).
pub const DEMO_PAYER_REFERENCE: &str = "TokenDesk";
pub const DEMO_BENEFICIARY_REFERENCE: &str = "Token Desk demo";

/// What a person fills in to create a payment request, as typed; [`PaymentRequestForm::check`]
/// makes the request of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PaymentRequestForm {
    pub amount: String,
    pub payer_reference: String,
    pub beneficiary_reference: String,
    pub beneficiary_name: String,
    pub beneficiary_bank: String,
    pub beneficiary_account_number: String,
}

impl PaymentRequestForm {
    /// The form with the demo references and beneficiary and `amount`.
    pub fn demo(amount: &str) -> Self {
        Self {
            amount: amount.to_owned(),
            payer_reference: DEMO_PAYER_REFERENCE.to_owned(),
            beneficiary_reference: DEMO_BENEFICIARY_REFERENCE.to_owned(),
            beneficiary_name: DEMO_BENEFICIARY_NAME.to_owned(),
            beneficiary_bank: DEMO_BENEFICIARY_BANK.to_owned(),
            beneficiary_account_number: DEMO_BENEFICIARY_ACCOUNT.to_owned(),
        }
    }

    /// Every field checked, in the order of the form; the first refusal names its field.
    pub fn check(&self) -> Result<PaymentRequest, Failure> {
        Ok(PaymentRequest {
            amount: Amount::parse("amount", &self.amount)?,
            payer_reference: inputs::text("payer reference", &self.payer_reference, 1, 12)?,
            beneficiary_reference: inputs::text("beneficiary reference", &self.beneficiary_reference, 1, 20)?,
            beneficiary_name: inputs::text("beneficiary's name", &self.beneficiary_name, 1, 20)?,
            beneficiary_bank: BankId::parse(&self.beneficiary_bank)?,
            beneficiary_account_number: inputs::account_number(
                "beneficiary's account number",
                &self.beneficiary_account_number,
            )?,
        })
    }
}

/// A checked payment request, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    amount: Amount,
    payer_reference: String,
    beneficiary_reference: String,
    beneficiary_name: String,
    beneficiary_bank: BankId,
    beneficiary_account_number: String,
}

impl PaymentRequest {
    /// The variables of [`documents::CREATE_PAYMENT_REQUEST`].
    pub fn variables(&self) -> Value {
        json!({ "input": {
            "amount": self.amount.money_input(),
            "payerReference": self.payer_reference,
            "beneficiaryReference": self.beneficiary_reference,
            "beneficiary": { "bankAccount": {
                "name": self.beneficiary_name,
                "bankId": self.beneficiary_bank.as_str(),
                "accountNumber": self.beneficiary_account_number,
            } },
        } })
    }
}

/// A payment request just created.
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub id: Outside,
    /// The request's page as the API gave it.
    pub url: Outside,
    /// The page with [`TEST_REDIRECT_URI`] appended: what the payer opens (and the QR code
    /// holds). Re-serialised by the URL parser, so it is printable ASCII only; absent when the
    /// API's `url` is not an http(s) address.
    pub link: Option<String>,
    pub amount: Amount,
    pub payer_reference: String,
    pub beneficiary_reference: String,
    pub summary: String,
}

/// Creates `request` for `client` (a test client: see [`TestClient`]).
pub async fn create(api: &Api<'_>, _client: &TestClient, request: &PaymentRequest) -> Result<Created, Failure> {
    let data = api.within_deadline(api.send(documents::CREATE_PAYMENT_REQUEST, request.variables())).await?;
    let made = data.pointer("/clientPaymentInitiationRequestCreate/paymentInitiationRequest");
    let (Some(id), Some(url)) = (
        made.and_then(|m| m.get("id")).and_then(Value::as_str),
        made.and_then(|m| m.get("url")).and_then(Value::as_str),
    ) else {
        return Err(unexpected("did not give the new payment request's id and url"));
    };
    Ok(Created {
        id: Outside::new(id),
        url: Outside::new(url),
        link: payment_link(url),
        amount: request.amount,
        payer_reference: request.payer_reference.clone(),
        beneficiary_reference: request.beneficiary_reference.clone(),
        summary: format!(
            "Created a test payment request for {}. It is pending until the payer pays: open the link, or \
             simulate the payment.",
            request.amount.words()
        ),
    })
}

/// The token test's optional real proof (issue 25, item 6): one demo payment request (R1.00)
/// made with the token for a test client, said as the proof it is. Both front ends call this
/// after the test, on request only; the id is the API's text, encoded by each output.
pub async fn prove_create(api: &Api<'_>, client: &TestClient) -> Result<Created, Failure> {
    let mut made = create(api, client, &PaymentRequestForm::demo("1.00").check()?).await?;
    made.summary = format!(
        "Created test payment request {} for {}: this token can create payment requests (client_paymentrequest).",
        made.id.for_page(),
        made.amount.words()
    );
    Ok(made)
}

/// `url` with [`TEST_REDIRECT_URI`] appended as the `redirect_uri` query parameter (kept
/// beside any parameters the URL has); `None` for anything but an http(s) address.
pub fn payment_link(url: &str) -> Option<String> {
    let mut parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return None;
    }
    parsed.query_pairs_mut().append_pair("redirect_uri", TEST_REDIRECT_URI);
    Some(parsed.to_string())
}

/// Where a payment request stands, from `state { __typename }`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    Pending,
    Completed {
        date: Option<Outside>,
        amount: Option<Money>,
    },
    ManuallyCompleted,
    Cancelled {
        date: Option<Outside>,
        reason: Option<Outside>,
    },
    Expired {
        date: Option<Outside>,
    },
    /// A state Token Desk does not know, by the name the API gave it.
    Other {
        name: Outside,
    },
}

impl State {
    fn read(state: &Value) -> Self {
        let text = |k: &str| state.get(k).and_then(Value::as_str).map(Outside::new);
        match state.get("__typename").and_then(Value::as_str).unwrap_or("") {
            "PaymentInitiationRequestPending" => State::Pending,
            "PaymentInitiationRequestCompleted" => {
                State::Completed { date: text("date"), amount: state.get("amount").and_then(Money::read) }
            }
            "PaymentInitiationRequestManuallyCompleted" => State::ManuallyCompleted,
            "PaymentInitiationRequestCancelled" => State::Cancelled { date: text("date"), reason: text("reason") },
            "PaymentInitiationRequestExpired" => State::Expired { date: text("date") },
            other => State::Other { name: Outside::new(other) },
        }
    }

    /// The state in words, for the line that starts a status.
    pub fn words(&self) -> String {
        match self {
            State::Pending => "Pending: waiting for the payer to pay.".to_owned(),
            State::Completed { amount: Some(m), .. } => format!("Completed: the payer paid {}.", m.words()),
            State::Completed { amount: None, .. } => "Completed: the payer paid.".to_owned(),
            State::ManuallyCompleted => "Completed by hand (marked as paid outside Stitch).".to_owned(),
            State::Cancelled { .. } => "Cancelled: the payment will not be made.".to_owned(),
            State::Expired { .. } => "Expired: it was not paid in time.".to_owned(),
            State::Other { .. } => "In a state Token Desk does not know (its name is below).".to_owned(),
        }
    }

    pub fn is_completed(&self) -> bool {
        matches!(self, State::Completed { .. } | State::ManuallyCompleted)
    }
}

/// A payment request as `node(id:)` returned it.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub id: Outside,
    pub url: Option<Outside>,
    pub link: Option<String>,
    pub amount: Option<Money>,
    pub payer_reference: Option<Outside>,
    pub beneficiary_reference: Option<Outside>,
    pub external_reference: Option<Outside>,
    pub expire_at: Option<Outside>,
    pub created: Option<Outside>,
    #[serde(flatten)]
    pub state: State,
    /// The state in words ([`State::words`]).
    pub summary: String,
}

/// Reads the payment request `id` (any client: it changes nothing).
pub async fn status(api: &Api<'_>, id: &str) -> Result<Status, Failure> {
    let id = inputs::object_id("payment request ID", id)?;
    api.within_deadline(read_status(api, &id)).await
}

/// [`status`] without a deadline of its own, for an operation that reads first.
pub(super) async fn read_status(api: &Api<'_>, id: &str) -> Result<Status, Failure> {
    let data = api.send(documents::PAYMENT_REQUEST_STATUS, json!({ "id": id })).await?;
    let node = match data.get("node") {
        Some(Value::Object(node)) => node,
        _ => return Err(not_found("payment request")),
    };
    let text = |k: &str| node.get(k).and_then(Value::as_str).map(Outside::new);
    let (Some(found), Some(state)) = (text("id"), node.get("state")) else {
        return Err(not_found("payment request"));
    };
    let state = State::read(state);
    let url = node.get("url").and_then(Value::as_str);
    Ok(Status {
        id: found,
        link: url.and_then(payment_link),
        url: url.map(Outside::new),
        amount: node.get("amount").and_then(Money::read),
        payer_reference: text("payerReference"),
        beneficiary_reference: text("beneficiaryReference"),
        external_reference: text("externalReference"),
        expire_at: text("expireAt"),
        created: text("created"),
        summary: state.words(),
        state,
    })
}

/// A payment request completed by the test client's simulation.
#[derive(Debug, Clone, Serialize)]
pub struct Completion {
    pub payment_request_id: Outside,
    pub summary: String,
}

/// Completes the payment request `id` as if paid by EFT, which Stitch offers test clients only.
pub async fn simulate_complete(api: &Api<'_>, _client: &TestClient, id: &str) -> Result<Completion, Failure> {
    let id = inputs::object_id("payment request ID", id)?;
    let data = api.within_deadline(api.send(documents::SIMULATE_COMPLETE, json!({ "id": id }))).await?;
    let Some(done) =
        data.pointer("/testClientPaymentInitiationRequestSimulateComplete/paymentRequestId").and_then(Value::as_str)
    else {
        return Err(unexpected("did not say which payment request it completed"));
    };
    Ok(Completion {
        payment_request_id: Outside::new(done),
        summary: "Simulated the payment: the payment request is completing as if paid by EFT. Check its status."
            .to_owned(),
    })
}

/// The API answered without what the operation returns.
pub(super) fn unexpected(what: &str) -> Failure {
    Failure::new(FailureKind::UnexpectedResponse, format!("The API answered, but {what}. Check the API URL."))
}

/// `node(id:)` found nothing of that kind.
pub(super) fn not_found(what: &str) -> Failure {
    Failure::new(
        FailureKind::Refused,
        format!("The API knows no {what} with this ID. Check the ID: it is printed when the {what} is created."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_form_checks_and_its_variables_are_stitchs_input() {
        let request = PaymentRequestForm::demo("1").check().unwrap();
        assert_eq!(
            request.variables(),
            json!({ "input": {
                "amount": { "quantity": "1.00", "currency": "ZAR" },
                "payerReference": "TokenDesk",
                "beneficiaryReference": "Token Desk demo",
                "beneficiary": { "bankAccount": { "name": "Token Desk Demo", "bankId": "fnb", "accountNumber": "62001234567" } },
            } })
        );
    }

    #[test]
    fn each_field_of_the_form_is_named_when_refused() {
        let refused = |change: fn(&mut PaymentRequestForm)| {
            let mut form = PaymentRequestForm::demo("1.00");
            change(&mut form);
            form.check().unwrap_err().message
        };
        assert!(refused(|f| f.amount = "0".into()).starts_with("The amount"));
        assert!(refused(|f| f.payer_reference = "1234567890123".into()).starts_with("The payer reference is 13"));
        assert!(refused(|f| f.beneficiary_reference = "x".repeat(21)).starts_with("The beneficiary reference is 21"));
        assert!(refused(|f| f.beneficiary_name = String::new()).starts_with("The beneficiary's name is empty"));
        assert!(refused(|f| f.beneficiary_bank = "mars".into()).starts_with("The bank"));
        assert!(
            refused(|f| f.beneficiary_account_number = "12ab".into()).starts_with("The beneficiary's account number")
        );
    }

    #[test]
    fn the_payment_link_carries_the_whitelisted_test_redirect() {
        assert_eq!(
            payment_link("https://secure.stitch.money/connect/payment-request/3f2a").unwrap(),
            "https://secure.stitch.money/connect/payment-request/3f2a?redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Freturn"
        );
        assert_eq!(
            payment_link("http://127.0.0.1:8555/pay/1?x=1").unwrap(),
            "http://127.0.0.1:8555/pay/1?x=1&redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Freturn"
        );
        assert_eq!(payment_link("javascript:alert(1)"), None);
        assert_eq!(payment_link("not a url"), None);
        let odd = payment_link("https://x.example/p\u{202e}ay").unwrap();
        assert!(odd.chars().all(|c| c.is_ascii_graphic()), "{odd}");
    }

    #[test]
    fn each_state_reads_from_its_typename_in_words() {
        let read = |v: Value| State::read(&v);
        assert_eq!(read(json!({"__typename": "PaymentInitiationRequestPending"})), State::Pending);
        let done = read(json!({"__typename": "PaymentInitiationRequestCompleted", "date": "2026-12-07T05:00:00Z",
            "amount": {"quantity": "1.00", "currency": "ZAR"}}));
        assert!(done.is_completed());
        assert_eq!(done.words(), "Completed: the payer paid R1.00.");
        assert_eq!(
            read(json!({"__typename": "PaymentInitiationRequestExpired"})).words(),
            "Expired: it was not paid in time."
        );
        assert!(matches!(
            read(json!({"__typename": "PaymentInitiationRequestCancelled", "reason": "x"})),
            State::Cancelled { .. }
        ));
        assert!(read(json!({"__typename": "PaymentInitiationRequestManuallyCompleted"})).is_completed());
        assert!(matches!(read(json!({"__typename": "Weird"})), State::Other { .. }));
        assert_eq!(
            serde_json::to_value(read(json!({"__typename": "PaymentInitiationRequestPending"}))).unwrap(),
            json!({"state": "pending"})
        );
    }
}
