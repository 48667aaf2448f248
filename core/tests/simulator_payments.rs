//! The simulator serves issue 25's operations in Stitch's shapes: the exact documents from the
//! reference (`shared/reference/stitch-api.md`, "After the token") sent with `variables` over
//! real HTTP on 127.0.0.1, each result and each refusal asserted, and the hosted payment page
//! pressed through HTTP.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use support::*;
use token_desk_core::clock::FixedClock;
use token_desk_core::simulator::demo::{
    REFUTED_ACCOUNT_NUMBER, TEST_REDIRECT_URIS, UNKNOWN_ACCOUNT_NUMBER, VERIFIED_ACCOUNT_NUMBER,
};
use token_desk_core::simulator::{ClientAuth, ClientConfig};

const CREATE: &str = "mutation CreatePaymentRequest($input: ClientPaymentInitiationRequestCreateInput!) {
  clientPaymentInitiationRequestCreate(input: $input) { paymentInitiationRequest { id url } }
}";

const STATUS: &str = "query PaymentRequestStatus($id: ID!) {
  node(id: $id) { ... on PaymentInitiationRequest { id url amount payerReference beneficiaryReference
    externalReference expireAt created
    state { __typename
      ... on PaymentInitiationRequestCompleted { date amount }
      ... on PaymentInitiationRequestCancelled { date reason }
      ... on PaymentInitiationRequestExpired { date } } } }
}";

/// The reference's text uses `$id` without declaring it, which GraphQL refuses.
const SIMULATE_AS_WRITTEN: &str = "mutation { testClientPaymentInitiationRequestSimulateComplete(input: {
  paymentRequestId: $id, paymentMethod: eft }) { paymentRequestId } }";

const SIMULATE: &str =
    "mutation SimulateComplete($id: ID!) { testClientPaymentInitiationRequestSimulateComplete(input: {
  paymentRequestId: $id, paymentMethod: eft }) { paymentRequestId } }";

const REFUND: &str = "mutation CreateRefund($input: ClientRefundInitiateInput!) {
  clientRefundInitiate(input: $input) { refund { id status { __typename } } }
}";

const REFUND_STATUS: &str =
    "query RefundStatus($id: ID!) { node(id: $id) { ... on Refund { id status { __typename } } } }";

const BAV: &str =
    "query Bav($input: BankAccountVerificationInput!) { client { verifyBankAccountDetails(input: $input) {
  accountVerificationResult accountNumber bankId accountOpen accountAcceptsCredits
  detailedAccountVerificationResults { accountExists identityDocumentMatch initialMatch lastNameMatch } } } }";

const ALL_SCOPES: &str = "client_paymentrequest client_refund client_bankaccountverification";
const LIVE_CLIENT: &str = "live-3c9e0b7a-1d2f-4e5a-8b6c-7d8e9f0a1b2c";

/// A token for `client_id` (secret `secret`) and `scopes`, straight from the token endpoint.
async fn token(sim: &Sim, client_id: &str, secret: &str, scopes: &str) -> String {
    let form =
        [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret), ("scope", scopes)];
    let answer: Value =
        reqwest::Client::new().post(sim.token_url()).form(&form).send().await.unwrap().json().await.unwrap();
    answer["access_token"].as_str().unwrap_or_else(|| panic!("{answer}")).to_owned()
}

async fn demo_token(sim: &Sim, scopes: &str) -> String {
    token(sim, SECRET_CLIENT_ID, SECRET, scopes).await
}

async fn ask(sim: &Sim, token: &str, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables });
    let response = reqwest::Client::new().post(sim.api_url()).bearer_auth(token).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200, "GraphQL answers come with HTTP 200");
    response.json().await.unwrap()
}

fn create_input(amount: &str) -> Value {
    json!({ "input": {
        "amount": { "quantity": amount, "currency": "ZAR" },
        "payerReference": "Order 1042",
        "beneficiaryReference": "Token Desk demo",
        "externalReference": "demo-1042",
        "beneficiary": { "bankAccount": { "name": "Demo Shop", "bankId": "fnb", "accountNumber": VERIFIED_ACCOUNT_NUMBER } }
    } })
}

/// Creates a payment request of `amount` ZAR: its id and url.
async fn create(sim: &Sim, token: &str, amount: &str) -> (String, String) {
    let answer = ask(sim, token, CREATE, create_input(amount)).await;
    let made = &answer["data"]["clientPaymentInitiationRequestCreate"]["paymentInitiationRequest"];
    let (id, url) = (made["id"].as_str(), made["url"].as_str());
    (id.unwrap_or_else(|| panic!("{answer}")).to_owned(), url.unwrap().to_owned())
}

async fn state_of(sim: &Sim, token: &str, id: &str) -> Value {
    ask(sim, token, STATUS, json!({ "id": id })).await["data"]["node"]["state"].clone()
}

fn refund_input(id: &str, amount: &str, nonce: &str) -> Value {
    json!({ "input": { "paymentRequestId": id, "amount": { "quantity": amount, "currency": "ZAR" },
        "reason": "requested_by_user", "nonce": nonce, "beneficiaryReference": "Refund 1042" } })
}

fn first_error(answer: &Value) -> (&str, &str) {
    let e = &answer["errors"][0];
    (e["extensions"]["code"].as_str().unwrap_or_else(|| panic!("{answer}")), e["message"].as_str().unwrap())
}

#[tokio::test]
async fn a_created_payment_request_reads_back_pending_with_money_as_a_scalar() {
    let sim = simulator().await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let (id, url) = create(&sim, &t, "1.00").await;
    assert!(url.starts_with(&format!("http://{}/connect/payment-request/", sim.addr())), "{url}");
    let answer = ask(&sim, &t, STATUS, json!({ "id": id })).await;
    assert!(answer.get("errors").is_none(), "{answer}");
    let node = &answer["data"]["node"];
    assert_eq!(node["amount"], json!({ "quantity": "1.00", "currency": "ZAR" }));
    assert_eq!(node["payerReference"], "Order 1042");
    assert_eq!(node["beneficiaryReference"], "Token Desk demo");
    assert_eq!(node["externalReference"], "demo-1042");
    assert_eq!(node["expireAt"], Value::Null);
    assert!(node["created"].as_str().unwrap().ends_with('Z'), "{answer}");
    assert_eq!(node["state"], json!({ "__typename": "PaymentInitiationRequestPending" }));
}

#[tokio::test]
async fn documents_of_the_wrong_shape_are_refused_before_anything_runs() {
    let sim = simulator().await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let (id, _) = create(&sim, &t, "1.00").await;
    let sub_fields = "query Q($id: ID!) { node(id: $id) { ... on PaymentInitiationRequest { amount { quantity } } } }";
    let decimal_as_number = create_input("1.00").to_string().replace("\"1.00\"", "1.00");
    let wrong_enum = create_input("1.00").to_string().replace("\"fnb\"", "\"first_national\"");
    for (query, variables) in [
        (sub_fields, json!({ "id": id })),
        (SIMULATE_AS_WRITTEN, json!({ "id": id })),
        (CREATE, serde_json::from_str(&decimal_as_number).unwrap()),
        (CREATE, serde_json::from_str(&wrong_enum).unwrap()),
        ("mutation { clientPaymentInitiationRequestCreate { id } }", json!({})),
    ] {
        let answer = ask(&sim, &t, query, variables).await;
        assert!(answer["errors"][0]["message"].is_string(), "{query}: {answer}");
        assert!(answer.get("data").is_none() || answer["data"] == Value::Null, "{query}: {answer}");
    }
    assert_eq!(state_of(&sim, &t, &id).await["__typename"], "PaymentInitiationRequestPending", "nothing ran");
    let answer = ask(&sim, &t, sub_fields, json!({ "id": id })).await;
    assert_eq!(first_error(&answer).0, "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn input_limits_are_refused_with_a_code_and_a_sentence_naming_the_field() {
    let sim = simulator().await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let cases = [
        ("/payerReference", json!("1234567890123"), "payerReference"),
        ("/beneficiaryReference", json!("x".repeat(21)), "beneficiaryReference"),
        ("/externalReference", json!("x".repeat(4097)), "externalReference"),
        ("/beneficiary/bankAccount/name", json!("x".repeat(21)), "beneficiary.bankAccount.name"),
        ("/amount/quantity", json!("0.00"), "amount.quantity"),
        ("/amount/quantity", json!("1.001"), "amount.quantity"),
    ];
    for (pointer, value, field) in cases {
        let mut variables = create_input("1.00");
        *variables["input"].pointer_mut(pointer).unwrap() = value;
        let answer = ask(&sim, &t, CREATE, variables).await;
        let (code, message) = first_error(&answer);
        assert_eq!(code, "BAD_USER_INPUT", "{answer}");
        assert!(message.starts_with(field), "{field}: {message}");
        assert_eq!(answer["data"]["clientPaymentInitiationRequestCreate"], Value::Null);
    }
    let mut at_limits = create_input("0.01");
    at_limits["input"]["payerReference"] = json!("123456789012");
    at_limits["input"]["beneficiaryReference"] = json!("x".repeat(20));
    at_limits["input"]["beneficiary"]["bankAccount"]["name"] = json!("x".repeat(20));
    assert!(ask(&sim, &t, CREATE, at_limits).await.get("errors").is_none());
}

#[tokio::test]
async fn each_operation_without_its_scope_is_forbidden_naming_the_missing_scope() {
    let sim = simulator().await;
    let all = demo_token(&sim, ALL_SCOPES).await;
    let (id, _) = create(&sim, &all, "1.00").await;
    let refunds_only = demo_token(&sim, "client_refund").await;
    let payments_only = demo_token(&sim, "client_paymentrequest").await;
    let bav = json!({ "input": { "accountNumber": VERIFIED_ACCOUNT_NUMBER, "bankId": "fnb",
        "accountHolder": { "individual": { "familyName": "Demo" } } } });
    for (token, query, variables, scope) in [
        (&refunds_only, CREATE, create_input("1.00"), "client_paymentrequest"),
        (&refunds_only, STATUS, json!({ "id": id }), "client_paymentrequest"),
        (&refunds_only, SIMULATE, json!({ "id": id }), "client_paymentrequest"),
        (&payments_only, REFUND, refund_input(&id, "1.00", "n-1"), "client_refund"),
        (&payments_only, BAV, bav.clone(), "client_bankaccountverification"),
    ] {
        let answer = ask(&sim, token, query, variables).await;
        let error = &answer["errors"][0];
        assert_eq!(error["extensions"]["code"], "FORBIDDEN", "{answer}");
        assert_eq!(error["extensions"]["missingScopes"], json!([scope]));
        assert_eq!(error["message"], format!("Token is missing the following scope: {scope}"));
    }
    assert_eq!(state_of(&sim, &all, &id).await["__typename"], "PaymentInitiationRequestPending");
}

#[tokio::test]
async fn a_live_client_is_refused_the_test_only_mutation() {
    let sim = simulator_with(|c| {
        c.clients.push(ClientConfig {
            client_id: LIVE_CLIENT.into(),
            auth: ClientAuth::Secret("live-secret".into()),
            allowed_scopes: vec!["client_paymentrequest".into()],
            withheld_scopes: vec![],
        })
    })
    .await;
    let t = token(&sim, LIVE_CLIENT, "live-secret", "client_paymentrequest").await;
    let (id, _) = create(&sim, &t, "1.00").await;
    let answer = ask(&sim, &t, SIMULATE, json!({ "id": id })).await;
    assert_eq!(first_error(&answer), ("FORBIDDEN", "Payments can be simulated for test clients only."));
    assert!(answer["errors"][0]["extensions"].get("missingScopes").is_none(), "no scope would help: {answer}");
    assert_eq!(state_of(&sim, &t, &id).await["__typename"], "PaymentInitiationRequestPending");
}

#[tokio::test]
async fn refunds_need_a_completed_request_never_exceed_it_and_repeat_by_nonce() {
    let clock = Arc::new(FixedClock::at(SystemTime::now()));
    let sim_clock = clock.clone();
    let sim = simulator_with(move |c| c.clock = sim_clock).await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let (id, _) = create(&sim, &t, "1.00").await;

    let pending = ask(&sim, &t, REFUND, refund_input(&id, "1.00", "nonce-0")).await;
    let (code, message) = first_error(&pending);
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("only a completed payment request can be refunded"), "{message}");

    let done = ask(&sim, &t, SIMULATE, json!({ "id": id })).await;
    assert_eq!(done["data"]["testClientPaymentInitiationRequestSimulateComplete"]["paymentRequestId"], id.as_str());
    let state = state_of(&sim, &t, &id).await;
    assert_eq!(state["__typename"], "PaymentInitiationRequestCompleted");
    assert_eq!(state["amount"], json!({ "quantity": "1.00", "currency": "ZAR" }));

    let first = ask(&sim, &t, REFUND, refund_input(&id, "0.60", "nonce-1")).await;
    let refund = &first["data"]["clientRefundInitiate"]["refund"];
    assert_eq!(refund["status"]["__typename"], "RefundPending", "{first}");
    let again = ask(&sim, &t, REFUND, refund_input(&id, "0.60", "nonce-1")).await;
    assert_eq!(again["data"]["clientRefundInitiate"]["refund"]["id"], refund["id"], "the same nonce, the same refund");

    let over = ask(&sim, &t, REFUND, refund_input(&id, "0.41", "nonce-2")).await;
    let (code, message) = first_error(&over);
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("0.41 ZAR is more than the 0.40 ZAR"), "{message}");
    let rest = ask(&sim, &t, REFUND, refund_input(&id, "0.40", "nonce-3")).await;
    assert!(rest.get("errors").is_none(), "{rest}");

    let mut long = refund_input(&id, "0.01", "nonce-4");
    long["input"]["beneficiaryReference"] = json!("x".repeat(31));
    assert_eq!(first_error(&ask(&sim, &t, REFUND, long).await).0, "BAD_USER_INPUT");

    clock.advance(Duration::from_secs(5));
    let status = ask(&sim, &t, REFUND_STATUS, json!({ "id": refund["id"] })).await;
    assert_eq!(status["data"]["node"]["status"]["__typename"], "RefundCompleted", "{status}");
}

#[tokio::test]
async fn a_request_past_its_expire_at_reads_expired_on_the_simulators_clock() {
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000); // 2027-01-15T08:00:00Z
    let clock = Arc::new(FixedClock::at(start));
    let sim_clock = clock.clone();
    let sim = simulator_with(move |c| c.clock = sim_clock).await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let mut input = create_input("5.00");
    input["input"]["expireAt"] = json!("2027-01-15T08:01:00Z");
    let answer = ask(&sim, &t, CREATE, input).await;
    let id = answer["data"]["clientPaymentInitiationRequestCreate"]["paymentInitiationRequest"]["id"].as_str().unwrap();
    assert_eq!(state_of(&sim, &t, id).await["__typename"], "PaymentInitiationRequestPending");
    clock.advance(Duration::from_secs(60));
    let state = state_of(&sim, &t, id).await;
    assert_eq!(state, json!({ "__typename": "PaymentInitiationRequestExpired", "date": "2027-01-15T08:01:00Z" }));
    let too_late = ask(&sim, &t, SIMULATE, json!({ "id": id })).await;
    assert!(first_error(&too_late).1.contains("is expired"), "{too_late}");
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn the_payment_pages_pay_completes_the_request_and_returns_to_the_whitelisted_page() {
    let sim = simulator().await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let (id, url) = create(&sim, &t, "12.50").await;
    let back = TEST_REDIRECT_URIS[1];
    let page = no_redirects().get(format!("{url}?redirect_uri={back}")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("12.50 ZAR") && html.contains("Demo Shop"), "{html}");
    assert!(html.contains(r#"value="pay">Pay</button>"#) && html.contains(r#"value="cancel">Cancel</button>"#));
    assert!(!html.contains("<script"), "no script needed");

    let paid = no_redirects().post(&url).form(&[("choice", "pay"), ("redirect_uri", back)]).send().await.unwrap();
    assert_eq!(paid.status(), 303);
    let location = paid.headers()["location"].to_str().unwrap();
    let expected = url::Url::parse_with_params(
        back,
        [("id", id.as_str()), ("status", "complete"), ("externalReference", "demo-1042")],
    );
    assert_eq!(location, expected.unwrap().as_str());
    assert_eq!(state_of(&sim, &t, &id).await["__typename"], "PaymentInitiationRequestCompleted");

    let twice = no_redirects().post(&url).form(&[("choice", "cancel")]).send().await.unwrap();
    assert_eq!(twice.status(), 409, "a paid request cannot be cancelled");
    assert_eq!(state_of(&sim, &t, &id).await["__typename"], "PaymentInitiationRequestCompleted");
}

#[tokio::test]
async fn the_payment_pages_cancel_cancels_the_request() {
    let sim = simulator().await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let (id, url) = create(&sim, &t, "1.00").await;
    let cancelled = no_redirects().post(&url).form(&[("choice", "cancel"), ("redirect_uri", "")]).send().await.unwrap();
    assert_eq!(cancelled.status(), 200);
    assert!(cancelled.text().await.unwrap().contains("Cancelled"));
    let state = state_of(&sim, &t, &id).await;
    assert_eq!(state["__typename"], "PaymentInitiationRequestCancelled");
    assert_eq!(state["reason"], "user_cancelled");
    assert!(state["date"].is_string());
}

#[tokio::test]
async fn the_payment_page_refuses_a_redirect_off_the_whitelist_and_shows_it_as_text() {
    let sim = simulator().await;
    let t = demo_token(&sim, ALL_SCOPES).await;
    let (id, url) = create(&sim, &t, "1.00").await;
    let hostile = "https://evil.example/<script>alert(1)</script>";
    let page = no_redirects().get(&url).query(&[("redirect_uri", hostile)]).send().await.unwrap();
    assert_eq!(page.status(), 400);
    let html = page.text().await.unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script"), "{html}");
    let paid = no_redirects().post(&url).form(&[("choice", "pay"), ("redirect_uri", hostile)]).send().await.unwrap();
    assert_eq!(paid.status(), 400);
    assert_eq!(state_of(&sim, &t, &id).await["__typename"], "PaymentInitiationRequestPending");
}

#[tokio::test]
async fn the_three_demo_bank_accounts_answer_verified_refuted_and_unknown() {
    let sim = simulator().await;
    let t = demo_token(&sim, "client_bankaccountverification").await;
    let holder = json!({ "individual": { "familyName": "Demo", "initials": "T",
        "identifyingDocument": { "identityDocument": { "country": "ZA", "number": "9001015009087" } } } });
    let business =
        json!({ "business": { "name": "Demo Shop", "registration": { "country": "ZA", "number": "2020/123456/07" } } });
    for (number, holder, overall, exists, matches) in [
        (VERIFIED_ACCOUNT_NUMBER, &holder, "verified", "verified", "verified"),
        (REFUTED_ACCOUNT_NUMBER, &holder, "refuted", "verified", "refuted"),
        (UNKNOWN_ACCOUNT_NUMBER, &business, "unknown", "unknown", "unknown"),
    ] {
        let input = json!({ "input": { "accountNumber": number, "bankId": "fnb", "accountHolder": holder } });
        let answer = ask(&sim, &t, BAV, input).await;
        let result = &answer["data"]["client"]["verifyBankAccountDetails"];
        assert_eq!(result["accountVerificationResult"], overall, "{answer}");
        assert_eq!((result["accountNumber"].as_str(), result["bankId"].as_str()), (Some(number), Some("fnb")));
        let detail = &result["detailedAccountVerificationResults"];
        assert_eq!(detail["accountExists"], exists);
        for field in ["identityDocumentMatch", "initialMatch", "lastNameMatch"] {
            assert_eq!(detail[field], matches, "{field}: {answer}");
        }
    }
    let letters = json!({ "input": { "accountNumber": "62OOOOOOOO1", "bankId": "fnb", "accountHolder": holder } });
    let refused = ask(&sim, &t, BAV, letters).await;
    assert_eq!(first_error(&refused), ("BAD_USER_INPUT", "accountNumber must be 6 to 16 digits."));
}
