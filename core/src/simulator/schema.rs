//! The simulator's GraphQL schema, written as Stitch's: `client`, `node(id:)` and the three
//! mutations issue 25 needs, each field behind the scope Stitch asks for (`FORBIDDEN` with
//! `extensions.missingScopes` otherwise). What the types hold comes from `payments`.

use std::sync::Arc;
use std::time::SystemTime;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Error, ErrorExtensions, Interface, Object, Result, SimpleObject, Union, ID};

use super::bank_accounts::{verify, BankAccountVerification, BankAccountVerificationInput};
use super::payments::{self, node_id, uuid_of, NewRefund, NewRequest, RequestState};
use super::refund::Refund;
use super::types::{
    at_most, BeneficiaryInput, ClientPaymentInitiationRequestCreateInput, ClientRefundInitiateInput, Date, Money,
    TestClientPaymentInitiationRequestSimulateCompleteInput,
};
use super::State;

pub(crate) const PAYMENT_SCOPE: &str = "client_paymentrequest";
pub(crate) const REFUND_SCOPE: &str = "client_refund";
pub(crate) const VERIFICATION_SCOPE: &str = "client_bankaccountverification";

/// Who is asking: the token's client and granted scopes, and the simulator they ask.
pub(crate) struct Caller {
    pub(crate) client_id: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) state: Arc<State>,
}

impl Caller {
    fn of<'a>(ctx: &Context<'a>) -> &'a Caller {
        ctx.data_unchecked::<Caller>()
    }

    /// Stitch's refusal of a field the token has no scope for.
    fn needs(&self, scope: &str) -> Result<()> {
        if self.scopes.iter().any(|s| s == scope) {
            return Ok(());
        }
        Err(Error::new(format!("Token is missing the following scope: {scope}")).extend_with(|_, e| {
            e.set("code", "FORBIDDEN");
            e.set("missingScopes", vec![scope.to_owned()]);
        }))
    }

    fn now(&self) -> SystemTime {
        self.state.clock.now()
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, payments::Ledger> {
        self.state.payments.lock().unwrap()
    }

    fn shown(&self, request: payments::PaymentRequest) -> PaymentInitiationRequest {
        let base = self.state.token_url.strip_suffix("/connect/token").unwrap_or(&self.state.token_url).to_owned();
        PaymentInitiationRequest { request, now: self.now(), base }
    }
}

/// A GraphQL error with `extensions.code`, as Stitch sends a refused input.
pub(crate) fn refused(code: &'static str, message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", code))
}

pub(crate) struct Query;

#[Object]
impl Query {
    async fn client(&self) -> Client {
        Client
    }

    /// A payment request or a refund by its id; `null` when this client has none by that id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let caller = Caller::of(ctx);
        if let Some(uuid) = uuid_of("payreq", &id) {
            caller.needs(PAYMENT_SCOPE)?;
            let found = caller.ledger().request(Some(&caller.client_id), &uuid).cloned();
            return Ok(found.map(|r| Node::PaymentInitiationRequest(caller.shown(r))));
        }
        if let Some(uuid) = uuid_of("refund", &id) {
            caller.needs(REFUND_SCOPE)?;
            let found = caller.ledger().refund_of(&caller.client_id, &uuid).cloned();
            return Ok(found.map(|refund| Node::Refund(Refund::new(refund, caller.now()))));
        }
        Ok(None)
    }
}

pub(crate) struct Client;

#[Object]
impl Client {
    async fn id(&self, ctx: &Context<'_>) -> ID {
        ID(format!("client/{}", Caller::of(ctx).client_id))
    }

    async fn client_id(&self, ctx: &Context<'_>) -> String {
        Caller::of(ctx).client_id.clone()
    }

    /// This client's payment requests, newest first.
    async fn payment_initiation_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(validator(minimum = 0, maximum = 100))] first: Option<i32>,
        after: Option<String>,
    ) -> Result<Option<Connection<String, PaymentInitiationRequest>>> {
        let caller = Caller::of(ctx);
        caller.needs(PAYMENT_SCOPE)?;
        let all: Vec<payments::PaymentRequest> = caller.ledger().requests_of(&caller.client_id).cloned().collect();
        let start = after.and_then(|a| all.iter().position(|r| node_id("payreq", &r.uuid) == a)).map_or(0, |i| i + 1);
        let first = first.unwrap_or(20) as usize;
        let page: Vec<_> = all.iter().skip(start).take(first).cloned().collect();
        let mut connection = Connection::new(start > 0, start + page.len() < all.len());
        for r in page {
            connection.edges.push(Edge::new(node_id("payreq", &r.uuid), caller.shown(r)));
        }
        Ok(Some(connection))
    }

    /// Stitch's bank account verification (billable on a live client; free here).
    async fn verify_bank_account_details(
        &self,
        ctx: &Context<'_>,
        input: BankAccountVerificationInput,
    ) -> Result<Option<BankAccountVerification>> {
        Caller::of(ctx).needs(VERIFICATION_SCOPE)?;
        verify(&input).map(Some).map_err(|m| refused("BAD_USER_INPUT", m))
    }
}

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub(crate) enum Node {
    PaymentInitiationRequest(PaymentInitiationRequest),
    Refund(Refund),
}

pub(crate) struct PaymentInitiationRequest {
    request: payments::PaymentRequest,
    now: SystemTime,
    base: String,
}

#[Object]
impl PaymentInitiationRequest {
    async fn id(&self) -> ID {
        ID(node_id("payreq", &self.request.uuid))
    }

    /// The hosted payment page, served by the simulator.
    async fn url(&self) -> String {
        format!("{}/connect/payment-request/{}", self.base, self.request.uuid)
    }

    async fn amount(&self) -> Money {
        Money(self.request.new.amount)
    }

    async fn payer_reference(&self) -> &str {
        &self.request.new.payer_reference
    }

    async fn beneficiary_reference(&self) -> &str {
        &self.request.new.beneficiary_reference
    }

    async fn external_reference(&self) -> Option<&str> {
        self.request.new.external_reference.as_deref()
    }

    async fn expire_at(&self) -> Option<Date> {
        self.request.new.expire_at.map(Date)
    }

    async fn created(&self) -> Date {
        Date(self.request.created)
    }

    async fn state(&self) -> PaymentInitiationRequestState {
        use PaymentInitiationRequestState as S;
        match self.request.state(self.now) {
            RequestState::Pending => S::Pending(PaymentInitiationRequestPending { date: Date(self.request.created) }),
            RequestState::Completed { date } => S::Completed(PaymentInitiationRequestCompleted {
                date: Date(date),
                amount: Money(self.request.new.amount),
            }),
            RequestState::Cancelled { date, reason } => {
                S::Cancelled(PaymentInitiationRequestCancelled { date: Date(date), reason })
            }
            RequestState::Expired { date } => S::Expired(PaymentInitiationRequestExpired { date: Date(date) }),
        }
    }
}

#[derive(Union)]
pub(crate) enum PaymentInitiationRequestState {
    Pending(PaymentInitiationRequestPending),
    Completed(PaymentInitiationRequestCompleted),
    ManuallyCompleted(PaymentInitiationRequestManuallyCompleted),
    Cancelled(PaymentInitiationRequestCancelled),
    Expired(PaymentInitiationRequestExpired),
}

#[derive(SimpleObject)]
pub(crate) struct PaymentInitiationRequestPending {
    date: Date,
}

#[derive(SimpleObject)]
pub(crate) struct PaymentInitiationRequestCompleted {
    date: Date,
    amount: Money,
}

/// Completed outside Stitch; a state the simulator never reaches, kept so queries that name
/// it validate as they do against Stitch.
#[derive(SimpleObject)]
pub(crate) struct PaymentInitiationRequestManuallyCompleted {
    date: Date,
}

#[derive(SimpleObject)]
pub(crate) struct PaymentInitiationRequestCancelled {
    date: Date,
    reason: String,
}

#[derive(SimpleObject)]
pub(crate) struct PaymentInitiationRequestExpired {
    date: Date,
}

#[derive(SimpleObject)]
pub(crate) struct ClientPaymentInitiationRequestCreatePayload {
    payment_initiation_request: PaymentInitiationRequest,
}

#[derive(SimpleObject)]
pub(crate) struct TestClientPaymentInitiationRequestSimulateCompletePayload {
    payment_request_id: ID,
}

#[derive(SimpleObject)]
pub(crate) struct ClientRefundInitiatePayload {
    refund: Refund,
}

pub(crate) struct Mutation;

#[Object]
impl Mutation {
    /// A Pay By Bank payment request. There is no nonce: each call makes a new request.
    async fn client_payment_initiation_request_create(
        &self,
        ctx: &Context<'_>,
        input: ClientPaymentInitiationRequestCreateInput,
    ) -> Result<Option<ClientPaymentInitiationRequestCreatePayload>> {
        let caller = Caller::of(ctx);
        caller.needs(PAYMENT_SCOPE)?;
        let amount = input.check().map_err(|m| refused("BAD_USER_INPUT", m))?;
        let beneficiary_name = match &input.beneficiary {
            BeneficiaryInput::BankAccount(account) => account.name.clone(),
            BeneficiaryInput::MerchantId(id) => id.clone(),
        };
        let new = NewRequest {
            client_id: caller.client_id.clone(),
            amount,
            payer_reference: input.payer_reference,
            beneficiary_reference: input.beneficiary_reference,
            external_reference: input.external_reference,
            beneficiary_name,
            expire_at: input.expire_at.map(|d| d.0),
        };
        let request = caller.ledger().create(new, caller.now());
        Ok(Some(ClientPaymentInitiationRequestCreatePayload { payment_initiation_request: caller.shown(request) }))
    }

    /// Completes a pending request without a bank: for test clients only, as on Stitch.
    async fn test_client_payment_initiation_request_simulate_complete(
        &self,
        ctx: &Context<'_>,
        input: TestClientPaymentInitiationRequestSimulateCompleteInput,
    ) -> Result<Option<TestClientPaymentInitiationRequestSimulateCompletePayload>> {
        let caller = Caller::of(ctx);
        caller.needs(PAYMENT_SCOPE)?;
        if !caller.client_id.starts_with("test-") {
            return Err(refused("FORBIDDEN", "Payments can be simulated for test clients only."));
        }
        let uuid = uuid_of("payreq", &input.payment_request_id).unwrap_or_default();
        let done = caller.ledger().complete(Some(&caller.client_id), &uuid, caller.now());
        done.map_err(|r| refused(r.code(), r.to_string()))?;
        Ok(Some(TestClientPaymentInitiationRequestSimulateCompletePayload {
            payment_request_id: input.payment_request_id,
        }))
    }

    /// Refunds (part of) a completed payment; the same `nonce` returns the same refund.
    async fn client_refund_initiate(
        &self,
        ctx: &Context<'_>,
        input: ClientRefundInitiateInput,
    ) -> Result<Option<ClientRefundInitiatePayload>> {
        let caller = Caller::of(ctx);
        caller.needs(REFUND_SCOPE)?;
        let amount =
            input.amount.quantity.positive_cents("amount.quantity").map_err(|m| refused("BAD_USER_INPUT", m))?;
        at_most("beneficiaryReference", &input.beneficiary_reference, 1, 30)
            .map_err(|m| refused("BAD_USER_INPUT", m))?;
        at_most("nonce", &input.nonce, 1, 100).map_err(|m| refused("BAD_USER_INPUT", m))?;
        let new = NewRefund {
            client_id: caller.client_id.clone(),
            payment_uuid: uuid_of("payreq", &input.payment_request_id).unwrap_or_default(),
            amount,
            reason: input.reason.name(),
            nonce: input.nonce,
            beneficiary_reference: input.beneficiary_reference,
        };
        let refund = caller.ledger().refund(new, caller.now()).map_err(|r| refused(r.code(), r.to_string()))?;
        Ok(Some(ClientRefundInitiatePayload { refund: Refund::new(refund, caller.now()) }))
    }
}
