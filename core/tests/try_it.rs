//! Issue 25's engine over real HTTP on 127.0.0.1: the exact GraphQL bodies each Try it
//! operation sends, each result in words, each failure kind, and nothing sent at all for a
//! live client or a bad input.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::recording_api::{RecordingApi, Reply};
use token_desk_core::failure::FailureKind;
use token_desk_core::http::{Http, HttpOptions};
use token_desk_core::outside::Outside;
use token_desk_core::token::AccessToken;
use token_desk_core::try_it::bank_account::{self, Finding, VerificationForm};
use token_desk_core::try_it::graphql::Api;
use token_desk_core::try_it::payment_request::{self, PaymentRequestForm, State};
use token_desk_core::try_it::refund::{self, RefundForm, RefundState};
use token_desk_core::try_it::test_client::TestClient;
use token_desk_core::try_it::{documents, money::Amount};
use token_desk_core::Failure;

const TOKEN: &str = "try-it-token-Zq81mXc2Lp0Vr7";
const CLIENT: &str = "test-5e1f6c0a-8d4b-4a3e-9c71-2b0d9f3e6a58";
const ID: &str = "cGF5cmVxLzNmMmEtMTE=";

fn http() -> Http {
    Http::new(support::fast_options())
}

fn token() -> AccessToken {
    AccessToken::new(TOKEN)
}

fn client() -> TestClient {
    TestClient::new(CLIENT).unwrap()
}

fn created(id: &str, url: &str) -> Reply {
    Reply::Json(
        json!({"data": {"clientPaymentInitiationRequestCreate": {"paymentInitiationRequest": {"id": id, "url": url}}}}),
    )
}

fn node(state: Value) -> Reply {
    Reply::Json(json!({"data": {"node": {
        "id": ID, "url": "https://secure.stitch.money/connect/payment-request/3f2a",
        "amount": {"currency": "ZAR", "quantity": "1.00", "note": "extra fields are ignored"},
        "payerReference": "TokenDesk", "beneficiaryReference": "Token Desk demo", "externalReference": null,
        "expireAt": null, "created": "2026-12-07T05:00:00Z", "state": state }}}))
}

fn completed() -> Reply {
    node(json!({"__typename": "PaymentInitiationRequestCompleted", "date": "2026-12-07T05:01:00Z",
        "amount": {"quantity": "1.00", "currency": "ZAR"}}))
}

/// The body Token Desk must send: the fixed document and the variables, nothing else.
fn body(document: &str, variables: Value) -> Value {
    json!({ "query": document, "variables": variables })
}

#[tokio::test]
async fn a_payment_request_is_created_with_the_exact_document_and_variables_and_its_link_carries_the_test_redirect() {
    let api_server =
        RecordingApi::start([created(ID, "https://secure.stitch.money/connect/payment-request/3f2a")]).await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let request = PaymentRequestForm::demo("1").check().unwrap();
    let made = payment_request::create(&api, &client(), &request).await.unwrap();

    let got = api_server.got();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].authorization.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(got[0].content_type.as_deref(), Some("application/json"));
    assert_eq!(
        got[0].body,
        r#"{"query":"mutation CreatePaymentRequest($input: ClientPaymentInitiationRequestCreateInput!) {\n  clientPaymentInitiationRequestCreate(input: $input) { paymentInitiationRequest { id url } }\n}","variables":{"input":{"amount":{"currency":"ZAR","quantity":"1.00"},"beneficiary":{"bankAccount":{"accountNumber":"62001234567","bankId":"fnb","name":"Token Desk Demo"}},"beneficiaryReference":"Token Desk demo","payerReference":"TokenDesk"}}}"#
    );
    assert_eq!(made.id, Outside::new(ID));
    assert_eq!(
        made.link.as_deref(),
        Some("https://secure.stitch.money/connect/payment-request/3f2a?redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Freturn")
    );
    assert_eq!(made.amount, Amount::parse("amount", "1.00").unwrap());
    assert!(made.summary.starts_with("Created a test payment request for R1.00."), "{}", made.summary);
}

#[tokio::test]
async fn a_status_reads_the_node_by_id_in_variables_and_says_the_state_in_words() {
    let api_server =
        RecordingApi::start([node(json!({"__typename": "PaymentInitiationRequestPending"})), completed()]).await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let pending = payment_request::status(&api, ID).await.unwrap();
    assert_eq!(pending.state, State::Pending);
    assert_eq!(pending.summary, "Pending: waiting for the payer to pay.");
    assert_eq!(pending.amount.as_ref().unwrap().words(), "R1.00");
    let done = payment_request::status(&api, ID).await.unwrap();
    assert!(done.state.is_completed());
    assert_eq!(done.summary, "Completed: the payer paid R1.00.");
    for got in api_server.got() {
        assert_eq!(got.json(), body(documents::PAYMENT_REQUEST_STATUS, json!({ "id": ID })));
    }
    assert_eq!(api.exchanges().len(), 2);
}

#[tokio::test]
async fn simulating_the_payment_sends_the_test_clients_mutation_with_the_id_as_a_variable() {
    let api_server = RecordingApi::start([Reply::Json(
        json!({"data": {"testClientPaymentInitiationRequestSimulateComplete": {"paymentRequestId": ID}}}),
    )])
    .await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let done = payment_request::simulate_complete(&api, &client(), ID).await.unwrap();
    assert_eq!(done.payment_request_id, Outside::new(ID));
    assert_eq!(
        api_server.got()[0].body,
        format!(
            r#"{{"query":"mutation SimulateComplete($id: ID!) {{ testClientPaymentInitiationRequestSimulateComplete(input: {{\n  paymentRequestId: $id, paymentMethod: eft }}) {{ paymentRequestId }} }}","variables":{{"id":"{ID}"}}}}"#
        )
    );
}

#[tokio::test]
async fn a_refund_reads_the_payment_first_then_sends_a_fresh_nonce_that_the_result_shows() {
    let refund_made = || {
        Reply::Json(
            json!({"data": {"clientRefundInitiate": {"refund": {"id": "cmVmdW5kLzE=", "status": {"__typename": "RefundPending"}}}}}),
        )
    };
    let api_server = RecordingApi::start([completed(), refund_made(), completed(), refund_made()]).await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let form =
        RefundForm { payment_request_id: ID.into(), amount: "1.00".into(), reason: None, beneficiary_reference: None };
    let refund = form.check().unwrap();
    let first = refund::initiate(&api, &client(), &refund).await.unwrap();
    let second = refund::initiate(&api, &client(), &refund).await.unwrap();

    assert_eq!(first.status, RefundState::Pending);
    assert_eq!(first.summary, "Asked for a refund of R1.00. Pending: the refund is waiting to be sent to the bank.");
    assert_ne!(first.nonce, second.nonce, "each refund has a nonce of its own");
    let got = api_server.got();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].json(), body(documents::PAYMENT_REQUEST_STATUS, json!({ "id": ID })));
    assert_eq!(
        got[1].json(),
        body(
            documents::CREATE_REFUND,
            json!({ "input": { "paymentRequestId": ID, "amount": {"quantity": "1.00", "currency": "ZAR"},
                "reason": "requested_by_user", "nonce": first.nonce, "beneficiaryReference": "Token Desk refund" } })
        )
    );
    assert_eq!(got[3].json()["variables"]["input"]["nonce"], json!(second.nonce));
}

#[tokio::test]
async fn a_refund_above_what_was_paid_or_of_a_pending_request_is_refused_after_the_read_alone() {
    let api_server =
        RecordingApi::start([completed(), node(json!({"__typename": "PaymentInitiationRequestPending"}))]).await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let form = |amount: &str| RefundForm {
        payment_request_id: ID.into(),
        amount: amount.into(),
        reason: Some("duplicate".into()),
        beneficiary_reference: None,
    };
    let more = refund::initiate(&api, &client(), &form("1.50").check().unwrap()).await.unwrap_err();
    assert_eq!(more.kind, FailureKind::BadInput);
    assert_eq!(more.message, "The refund amount (R1.50) is more than was paid (R1.00). No refund was sent.");
    let pending = refund::initiate(&api, &client(), &form("0.50").check().unwrap()).await.unwrap_err();
    assert!(pending.message.starts_with("Only a completed payment can be refunded"), "{}", pending.message);
    let got = api_server.got();
    assert_eq!(got.len(), 2, "only the two reads were sent");
    assert!(got.iter().all(|g| !g.body.contains("clientRefundInitiate")));
}

#[tokio::test]
async fn a_refunds_status_is_read_by_its_id() {
    let api_server = RecordingApi::start([Reply::Json(
        json!({"data": {"node": {"id": "cmVmdW5kLzE=", "status": {"__typename": "RefundCompleted"}}}}),
    )])
    .await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let status = refund::status(&api, "cmVmdW5kLzE=").await.unwrap();
    assert_eq!(status.status, RefundState::Completed);
    assert_eq!(status.summary, "Completed: the money went back to the payer.");
    assert_eq!(api_server.got()[0].json(), body(documents::REFUND_STATUS, json!({ "id": "cmVmdW5kLzE=" })));
}

#[tokio::test]
async fn a_bank_account_is_verified_refuted_or_unknown_with_each_field_in_words() {
    let answer = |result: &str, exists: Value| {
        Reply::Json(json!({"data": {"client": {"verifyBankAccountDetails": {
            "accountVerificationResult": result, "accountNumber": "62001234567", "bankId": "fnb",
            "accountOpen": true, "accountAcceptsCredits": null,
            "detailedAccountVerificationResults": {"accountExists": exists, "identityDocumentMatch": "refuted",
                "initialMatch": null, "lastNameMatch": "unknown"}}}}}))
    };
    let api_server = RecordingApi::start([
        answer("verified", json!("verified")),
        answer("refuted", json!("refuted")),
        answer("unknown", json!(null)),
    ])
    .await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let form = VerificationForm {
        bank: "fnb".into(),
        account_number: "62001234567".into(),
        id_number: Some("9001015009087".into()),
        ..VerificationForm::default()
    };
    let verification = form.check().unwrap();
    let verified = bank_account::verify(&api, &client(), &verification).await.unwrap();
    assert_eq!(verified.result, Finding::Verified);
    assert_eq!(verified.summary, "Verified: the bank confirms the account and its holder.");
    let lines: Vec<&str> = verified.checks.iter().map(|c| c.line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "Is the account open?  yes (verified)",
            "Does it accept payments in?  unknown (the bank did not say)",
            "Does the account exist?  yes (verified)",
            "Does the ID or registration number match?  no (refuted)",
            "Do the initials match?  unknown (the bank did not say)",
            "Does the family name match?  unknown (the bank did not say)",
        ]
    );
    assert_eq!(bank_account::verify(&api, &client(), &verification).await.unwrap().result, Finding::Refuted);
    assert_eq!(bank_account::verify(&api, &client(), &verification).await.unwrap().result, Finding::Unknown);
    assert_eq!(api_server.got()[0].json(), body(documents::VERIFY_BANK_ACCOUNT, verification.variables()));
}

/// What the command line and the window do before any operation: the client first.
async fn create_for(client_id: &str, api: &Api<'_>) -> Result<(), Failure> {
    let client = TestClient::new(client_id)?;
    let request = PaymentRequestForm::demo("1.00").check()?;
    payment_request::create(api, &client, &request).await.map(|_| ())
}

#[tokio::test]
async fn a_live_client_id_is_refused_with_a_sentence_and_no_request_reaches_the_server() {
    let api_server = RecordingApi::start([created(ID, "https://x.example/p")]).await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    for live in ["5e1f6c0a-8d4b-4a3e-9c71-2b0d9f3e6a58", "live-5e1f6c0a", "TEST-5e1f"] {
        let refused = create_for(live, &api).await.unwrap_err();
        assert_eq!(refused.kind, FailureKind::BadInput);
        assert!(refused.message.contains("only with a test client"), "{}", refused.message);
    }
    assert_eq!(api_server.count(), 0, "a live client's request reached the server");
    assert!(http.last_api_exchange().is_none());
    create_for(CLIENT, &api).await.unwrap();
    assert_eq!(api_server.count(), 1, "the server counts what does arrive");
}

#[tokio::test]
async fn bad_inputs_are_refused_before_anything_is_sent() {
    let api_server = RecordingApi::start([]).await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let mut form = PaymentRequestForm::demo("1.001");
    assert!(form.check().unwrap_err().message.contains("at most two decimals"));
    form.amount = "1".into();
    form.payer_reference = "far-too-long-ref".into();
    assert!(form.check().unwrap_err().message.starts_with("The payer reference is 16 characters long"));
    for id in ["", "a b", "x\"}) { client { id } }"] {
        let refused = payment_request::status(&api, id).await.unwrap_err();
        assert_eq!(refused.kind, FailureKind::BadInput, "{id}");
        assert_eq!(refund::status(&api, id).await.unwrap_err().kind, FailureKind::BadInput);
        assert_eq!(
            payment_request::simulate_complete(&api, &client(), id).await.unwrap_err().kind,
            FailureKind::BadInput
        );
    }
    assert_eq!(api_server.count(), 0);
    assert_eq!(Api::new(&http, "ftp://127.0.0.1/graphql", &token).err().unwrap().kind, FailureKind::BadInput);
}

#[tokio::test]
async fn graphql_errors_become_the_usual_failure_kinds_with_the_apis_words_kept_apart() {
    let api_server = RecordingApi::start([
        Reply::Json(json!({"errors": [{"message": "Token is missing the following scope: client_refund",
            "extensions": {"code": "FORBIDDEN", "missingScopes": ["client_refund"]}}], "data": null})),
        Reply::Json(json!({"errors": [{"message": "UNAUTHENTICATED: Token is expired or malformed"}],
            "extensions": {"code": "UNAUTHENTICATED"}})),
        Reply::Json(json!({"errors": [{"message": "Amount must not exceed the payment's",
            "extensions": {"code": "INVALID_AMOUNT"}}], "data": {"clientRefundInitiate": null}})),
        Reply::Raw(502, "<html>Bad gateway</html>".into()),
        Reply::Raw(200, format!("{{\"data\": \"{}\"}}", "x".repeat(400 * 1024))),
        Reply::Json(json!({"data": {"node": null}})),
    ])
    .await;
    let (http, token) = (http(), token());
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let forbidden = payment_request::status(&api, ID).await.unwrap_err();
    assert_eq!(forbidden.kind, FailureKind::ScopeNotAllowed);
    assert_eq!(forbidden.detail.scopes, vec!["client_refund"], "the one-click fix adds what the API names");
    let expired = payment_request::status(&api, ID).await.unwrap_err();
    assert_eq!(expired.kind, FailureKind::Refused);
    assert!(expired.message.contains("Get a new token"));
    let invalid = payment_request::status(&api, ID).await.unwrap_err();
    assert_eq!(invalid.kind, FailureKind::Refused);
    assert_eq!(invalid.detail.oauth_error, Some(Outside::new("INVALID_AMOUNT")));
    assert_eq!(invalid.detail.oauth_error_description, Some(Outside::new("Amount must not exceed the payment's")));
    assert_eq!(payment_request::status(&api, ID).await.unwrap_err().kind, FailureKind::ServerError);
    let endless = payment_request::status(&api, ID).await.unwrap_err();
    assert_eq!(endless.kind, FailureKind::UnexpectedResponse, "a body past the cap is cut and not read as an answer");
    let missing = payment_request::status(&api, ID).await.unwrap_err();
    assert!(missing.message.starts_with("The API knows no payment request with this ID"), "{}", missing.message);
}

#[tokio::test]
async fn an_operation_has_the_clients_one_deadline_and_its_exchanges_are_kept_without_the_token() {
    let api_server =
        RecordingApi::start([completed(), Reply::Late(Duration::from_millis(900), json!({"data": {}}))]).await;
    let http = Http::new(HttpOptions { request_timeout: Duration::from_millis(300), ..support::fast_options() });
    let token = token();
    let api = Api::new(&http, &api_server.url(), &token).unwrap();
    let refund =
        RefundForm { payment_request_id: ID.into(), amount: "1".into(), reason: None, beneficiary_reference: None }
            .check()
            .unwrap();
    let late = refund::initiate(&api, &client(), &refund).await.unwrap_err();
    assert_eq!(late.kind, FailureKind::Timeout);
    let kept = api.exchanges();
    assert!(!kept.is_empty());
    for exchange in &kept {
        assert!(!exchange.to_text().contains(TOKEN), "{}", exchange.to_text());
        assert!(exchange.request_body.as_deref().unwrap_or("").contains("\"variables\""));
    }
    assert_eq!(http.last_api_exchange().unwrap().request_body, kept.last().unwrap().request_body);
}
