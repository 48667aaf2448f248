//! `token-desk try …` as real processes (issue 25): every command, plain and `--json`, with
//! tokens from the simulator on 127.0.0.1 and the API a scripted GraphQL server that records
//! each body (the whole path against the simulator itself is in `try_it_simulator.rs`). A live
//! client and every bad input end with exit code 2 and nothing sent.

mod support;

use std::process::Output;

use serde_json::{json, Value};
use support::recording_api::{RecordingApi, Reply};
use support::try_it_output::{json_of, ok};
use support::{all_output, assert_inert, text, Attacker, Home, Mode, HOSTILE_TEXT};
use token_desk_core::simulator::{demo, Simulator, SimulatorConfig};

const ID: &str = "cGF5cmVxLzNmMmEtMTE=";
const REFUND_ID: &str = "cmVmdW5kLzE=";

/// The simulator for tokens, and a scripted API.
struct World {
    sim: Simulator,
    api: RecordingApi,
    home: Home,
    _dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

impl World {
    fn new(script: Vec<Reply>) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let config = SimulatorConfig { data_dir: dir.path().to_path_buf(), ..SimulatorConfig::default() };
        let sim = rt.block_on(Simulator::start(config)).unwrap();
        let api = rt.block_on(RecordingApi::start(script));
        World { sim, api, home: Home::new(false), _dir: dir, _rt: rt }
    }

    /// `token-desk try ARGS` for the demo secret client, its token from the simulator, its
    /// calls to the scripted API.
    fn run(&self, args: &[&str]) -> Output {
        let (token_url, api_url) = (self.sim.token_url(), self.api.url());
        let mut all = vec!["try"];
        all.extend(args);
        all.extend(["--token-url", &token_url, "--api-url", &api_url, "--client-id", demo::SECRET_CLIENT_ID]);
        all.push("--secret-stdin");
        self.home.run(&all, Some(demo::SECRET))
    }

    /// The JSON bodies the API received.
    fn bodies(&self) -> Vec<Value> {
        self.api.got().iter().map(|g| g.json()).collect()
    }
}

fn created() -> Reply {
    Reply::Json(json!({"data": {"clientPaymentInitiationRequestCreate": {"paymentInitiationRequest": {
        "id": ID, "url": "https://secure.stitch.money/connect/payment-request/3f2a"}}}}))
}

fn node(state: Value) -> Reply {
    Reply::Json(json!({"data": {"node": {"id": ID, "url": "https://secure.stitch.money/connect/payment-request/3f2a",
        "amount": {"quantity": "1.00", "currency": "ZAR"}, "payerReference": "TokenDesk",
        "beneficiaryReference": "Token Desk demo", "externalReference": null, "expireAt": null,
        "created": "2026-12-07T05:00:00Z", "state": state}}}))
}

fn completed() -> Reply {
    node(json!({"__typename": "PaymentInitiationRequestCompleted", "date": "2026-12-07T05:01:00Z",
        "amount": {"currency": "ZAR", "quantity": "1.00"}}))
}

fn refund_made() -> Reply {
    Reply::Json(
        json!({"data": {"clientRefundInitiate": {"refund": {"id": REFUND_ID, "status": {"__typename": "RefundPending"}}}}}),
    )
}

const LINK: &str =
    "https://secure.stitch.money/connect/payment-request/3f2a?redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Freturn";

#[test]
fn a_payment_request_prints_its_id_and_link_and_sends_the_fixed_document_with_variables() {
    let w = World::new(vec![created(), created()]);
    let out = ok(&w.run(&["payment-request", "--amount", "1.00", "--payer-reference", "Order 12"]));
    assert!(out.starts_with("Created a test payment request for R1.00."), "{out}");
    assert!(out.contains(&format!("id                     {ID}")), "{out}");
    assert!(out.contains(LINK), "{out}");
    assert!(out.contains(&format!("token-desk try complete {ID}")), "{out}");
    let sent = &w.bodies()[0];
    assert!(sent["query"].as_str().unwrap().starts_with("mutation CreatePaymentRequest($input:"));
    assert_eq!(sent["variables"]["input"]["payerReference"], "Order 12");
    assert_eq!(sent["variables"]["input"]["amount"], json!({"quantity": "1.00", "currency": "ZAR"}));

    let made = json_of(&w.run(&["payment-request", "--amount", "2.5", "--json"]));
    assert_eq!(made["id"], ID);
    assert_eq!(made["link"], LINK);
    assert_eq!(made["amount"], "2.50");
    assert_eq!(w.api.count(), 2);
}

#[test]
fn qr_draws_the_link_below_the_words_or_on_stderr_beside_json() {
    let w = World::new(vec![created(), created()]);
    let out = ok(&w.run(&["payment-request", "--amount", "1", "--qr"]));
    let blocks = |s: &str| s.lines().filter(|l| l.chars().any(|c| matches!(c, '█' | '▀' | '▄'))).count();
    assert!(blocks(&out) > 10, "{out}");
    assert!(out.contains("The payment link as a QR code"), "{out}");
    let with_json = w.run(&["payment-request", "--amount", "1", "--qr", "--json"]);
    assert_eq!(json_of(&with_json)["link"], LINK);
    assert!(blocks(&text(&with_json.stderr)) > 10, "{}", text(&with_json.stderr));
}

#[test]
fn status_says_the_state_in_words_and_json_carries_it_by_name() {
    let w = World::new(vec![node(json!({"__typename": "PaymentInitiationRequestPending"})), completed(), completed()]);
    let pending = ok(&w.run(&["status", ID]));
    assert!(pending.starts_with("Pending: waiting for the payer to pay."), "{pending}");
    assert!(pending.contains("amount                 R1.00"), "{pending}");
    let done = ok(&w.run(&["status", ID]));
    assert!(done.starts_with("Completed: the payer paid R1.00."), "{done}");
    assert!(done.contains(&format!("token-desk try refund {ID} --amount")), "{done}");
    let j = json_of(&w.run(&["status", ID, "--json"]));
    assert_eq!(j["state"], "completed");
    assert_eq!(j["amount"], json!({"quantity": "1.00", "currency": "ZAR"}));
    assert_eq!(w.bodies()[0]["variables"], json!({ "id": ID }));
}

#[test]
fn complete_simulates_the_payment_with_the_id_as_a_variable() {
    let done = || {
        Reply::Json(json!({"data": {"testClientPaymentInitiationRequestSimulateComplete": {"paymentRequestId": ID}}}))
    };
    let w = World::new(vec![done(), done()]);
    let out = ok(&w.run(&["complete", ID]));
    assert!(out.starts_with("Simulated the payment"), "{out}");
    assert_eq!(json_of(&w.run(&["complete", ID, "--json"]))["payment_request_id"], ID);
    let sent = &w.bodies()[0];
    assert!(sent["query"].as_str().unwrap().contains("testClientPaymentInitiationRequestSimulateComplete"));
    assert_eq!(sent["variables"], json!({ "id": ID }));
}

#[test]
fn a_refund_prints_the_fresh_nonce_it_sent_and_its_status_reads_by_refund_id() {
    let refunded =
        || Reply::Json(json!({"data": {"node": {"id": REFUND_ID, "status": {"__typename": "RefundCompleted"}}}}));
    let w = World::new(vec![completed(), refund_made(), completed(), refund_made(), refunded(), refunded()]);
    let out = ok(&w.run(&["refund", ID, "--amount", "1.00"]));
    assert!(out.starts_with("Asked for a refund of R1.00. Pending:"), "{out}");
    let nonce = out.lines().find_map(|l| l.trim().strip_prefix("nonce")).unwrap().split_whitespace().next().unwrap();
    let j = json_of(&w.run(&["refund", ID, "--amount", "0.50", "--reason", "duplicate", "--json"]));
    assert_eq!(j["status"], "pending");
    assert_ne!(j["nonce"], nonce, "each refund has its own nonce");
    let bodies = w.bodies();
    assert_eq!(bodies[1]["variables"]["input"]["nonce"], nonce);
    assert_eq!(bodies[1]["variables"]["input"]["reason"], "requested_by_user");
    assert_eq!(bodies[3]["variables"]["input"]["nonce"], j["nonce"]);
    assert_eq!(bodies[3]["variables"]["input"]["amount"], json!({"quantity": "0.50", "currency": "ZAR"}));

    let status = ok(&w.run(&["refund-status", REFUND_ID]));
    assert!(status.starts_with("Completed: the money went back to the payer."), "{status}");
    assert_eq!(json_of(&w.run(&["refund-status", REFUND_ID, "--json"]))["status"], "completed");
}

#[test]
fn verify_account_answers_each_question_in_plain_words() {
    let answer = || {
        Reply::Json(json!({"data": {"client": {"verifyBankAccountDetails": {
            "accountVerificationResult": "refuted", "accountNumber": "62001234567", "bankId": "fnb",
            "accountOpen": "verified", "accountAcceptsCredits": "verified",
            "detailedAccountVerificationResults": {"accountExists": "verified", "identityDocumentMatch": "refuted",
                "initialMatch": "unknown", "lastNameMatch": null}}}}}))
    };
    let w = World::new(vec![answer(), answer()]);
    let args = [
        "verify-account",
        "--bank",
        "fnb",
        "--account-number",
        "62001234567",
        "--id-number",
        "9001015009087",
        "--family-name",
        "Dlamini",
    ];
    let out = ok(&w.run(&args));
    assert!(out.starts_with("Refuted: the bank says the account or its holder does not match."), "{out}");
    assert!(out.contains("Does the ID or registration number match?  no (refuted)"), "{out}");
    assert!(out.contains("Does the account exist?                    yes (verified)"), "{out}");
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let j = json_of(&w.run(&with_json));
    assert_eq!(j["result"], "refuted");
    assert_eq!(
        w.bodies()[0]["variables"]["input"]["accountHolder"]["individual"]["identifyingDocument"]["identityDocument"],
        json!({"country": "ZA", "number": "9001015009087"})
    );
}

#[test]
fn a_missing_scope_exits_3_with_the_fix_and_a_refused_value_shows_the_apis_code_encoded() {
    let w = World::new(vec![
        Reply::Json(json!({"errors": [{"message": "Token is missing the following scope: client_refund",
            "extensions": {"code": "FORBIDDEN", "missingScopes": ["client_refund"]}}]})),
        Reply::Json(
            json!({"errors": [{"message": format!("Amount {HOSTILE_TEXT}"), "extensions": {"code": "BAD_AMOUNT"}}]}),
        ),
    ]);
    let forbidden = w.run(&["status", ID]);
    assert_eq!(forbidden.status.code(), Some(3), "{}", all_output(&forbidden));
    let err = text(&forbidden.stderr);
    assert!(err.contains("The token is missing client_refund."), "{err}");
    assert!(err.contains("Fix: run again with --scope client_refund --fresh"), "{err}");
    let refused = w.run(&["complete", ID]);
    assert_eq!(refused.status.code(), Some(3));
    assert_inert(&refused, "a refused value");
    assert!(text(&refused.stderr).contains("BAD_AMOUNT"), "{}", text(&refused.stderr));
}

#[test]
fn verbose_shows_every_exchange_with_the_token_shortened() {
    let w = World::new(vec![completed(), refund_made()]);
    let out = w.run(&["refund", ID, "--amount", "1", "-v"]);
    ok(&out);
    let err = text(&out.stderr);
    assert_eq!(err.matches("POST ").count(), 3, "the token request and two API calls:\n{err}");
    assert!(err.contains("query PaymentRequestStatus") && err.contains("mutation CreateRefund"), "{err}");
    let sent_token = w.api.got()[0].authorization.clone().unwrap();
    let token = sent_token.strip_prefix("Bearer ").unwrap();
    assert!(!all_output(&out).contains(token), "the token was printed");
}

#[test]
fn a_live_client_is_refused_with_exit_2_and_nothing_reaches_the_counting_servers() {
    let token_server = Attacker::start(Mode::Token);
    let w = World::new(vec![created()]);
    let (token_url, api_url) = (token_server.url("/connect/token"), w.api.url());
    for command in [
        vec!["payment-request", "--amount", "1.00"],
        vec!["complete", ID],
        vec!["refund", ID, "--amount", "1.00"],
        vec![
            "verify-account",
            "--bank",
            "fnb",
            "--account-number",
            "62001234567",
            "--registration",
            "2019/123456/07",
            "--business-name",
            "Demo Pty Ltd",
        ],
    ] {
        let mut args = vec!["try"];
        args.extend(&command);
        args.extend([
            "--token-url",
            &token_url,
            "--api-url",
            &api_url,
            "--client-id",
            "5e1f6c0a-live",
            "--secret-stdin",
        ]);
        let out = w.home.run(&args, Some("a-live-secret"));
        assert_eq!(out.status.code(), Some(2), "{command:?}: {}", all_output(&out));
        assert!(text(&out.stderr).contains("Try it works only with a test client"), "{}", text(&out.stderr));
        assert!(text(&out.stdout).is_empty());
    }
    token_server.assert_untouched("a live client");
    assert_eq!(w.api.count(), 0, "a live client's call reached the API");
}

#[test]
fn each_bad_input_exits_2_with_a_sentence_naming_the_field_and_nothing_is_sent() {
    let w = World::new(vec![]);
    let cases: [(&[&str], &str); 10] = [
        (&["payment-request", "--amount", "0"], "The amount must be more than zero."),
        (&["payment-request", "--amount", "1.005"], "The amount may have at most two decimals"),
        (&["payment-request", "--amount", "USD 1"], "The amount must be in rand (ZAR)"),
        (&["payment-request", "--amount", "1", "--payer-reference", "thirteen-char"], "The payer reference is 13"),
        (&["payment-request", "--amount", "1", "--beneficiary-bank", "mars"], "The bank is not one Stitch knows"),
        (&["refund", ID, "--amount", "1", "--reason", "bored"], "The refund reason must be"),
        (&["refund", ID, "--amount", "1", "--beneficiary-reference", &"r".repeat(31)], "beneficiary reference is 31"),
        (&["status", "a\"b"], "The payment request ID is not one the API gives"),
        (
            &["verify-account", "--bank", "fnb", "--account-number", "1", "--id-number", "123", "--family-name", "D"],
            "The ID number must be",
        ),
        (
            &["verify-account", "--bank", "fnb", "--account-number", "1", "--id-number", "9001015009087"],
            "--family-name",
        ),
    ];
    for (args, said) in cases {
        let out = w.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", all_output(&out));
        assert!(text(&out.stderr).contains(said), "{args:?}: {}", text(&out.stderr));
    }
    let both = w.run(&[
        "verify-account",
        "--bank",
        "fnb",
        "--account-number",
        "1",
        "--id-number",
        "9001015009087",
        "--registration",
        "2019/123456/07",
    ]);
    assert_eq!(both.status.code(), Some(2), "{}", all_output(&both));
    assert_eq!(w.api.count(), 0);
    assert_eq!(w.sim.token_requests(), 0, "not even a token was asked for");
}

#[test]
fn what_the_api_chose_reaches_the_terminal_and_json_only_encoded() {
    let hostile = || node(json!({"__typename": format!("Weird{HOSTILE_TEXT}"), "date": HOSTILE_TEXT}));
    let hostile_created = || {
        Reply::Json(json!({"data": {"clientPaymentInitiationRequestCreate": {"paymentInitiationRequest": {
            "id": format!("id{HOSTILE_TEXT}"), "url": format!("https://x.example/p{HOSTILE_TEXT}")}}}}))
    };
    let w = World::new(vec![hostile(), hostile(), hostile_created(), hostile_created()]);
    let plain = w.run(&["status", ID]);
    assert!(ok(&plain).starts_with("In a state Token Desk does not know"), "{}", text(&plain.stdout));
    assert!(text(&plain.stdout).contains("\\x1b[2J"), "the escape is shown, not obeyed");
    let j = json_of(&w.run(&["status", ID, "--json"]));
    assert_eq!(j["name"], format!("Weird{HOSTILE_TEXT}"), "JSON carries the text, escaped by the JSON writer");
    for args in [vec!["payment-request", "--amount", "1", "--qr"], vec!["payment-request", "--amount", "1", "--json"]] {
        let out = w.run(&args);
        ok(&out);
        assert!(!text(&out.stdout).contains("\u{202e}"), "{}", text(&out.stdout));
    }
}

impl World {
    /// Writes one profile as `profile add` writes it (the keyring is not needed: a secret is
    /// piped in, or nothing is read at all).
    fn profile(&self, name: &str, environment: &str, client_id: &str) {
        let doc = json!({"version": 1, "profiles": [{
            "name": name, "environment": environment, "client_id": client_id, "auth": "secret",
            "scopes": ["client_paymentrequest"], "token_url": self.sim.token_url(), "api_url": self.api.url(),
        }]});
        std::fs::create_dir_all(self.home.path().join("config/token-desk")).unwrap();
        std::fs::write(self.home.settings_file(), doc.to_string()).unwrap();
    }
}

#[test]
fn a_test_profile_calls_its_own_api_and_a_live_one_is_refused_before_its_secret_is_read() {
    let w = World::new(vec![created()]);
    w.profile("Demo shop", "test", demo::SECRET_CLIENT_ID);
    let out = w.home.run(
        &["try", "payment-request", "--amount", "1", "--profile", "Demo shop", "--secret-stdin"],
        Some(demo::SECRET),
    );
    assert!(ok(&out).starts_with("Created a test payment request for R1.00."));
    assert_eq!(w.api.count(), 1, "the profile's API URL was called");

    w.profile("Real shop", "live", demo::SECRET_CLIENT_ID);
    let tokens_before = w.sim.token_requests();
    // No secret is piped in and no keyring can be reached: a refusal that came after reading
    // the secret would say so (exit 5), not exit 2.
    let live = w.home.run(&["try", "complete", ID, "--profile", "Real shop"], None);
    assert_eq!(live.status.code(), Some(2), "{}", all_output(&live));
    assert!(text(&live.stderr).contains("this profile is marked live"), "{}", text(&live.stderr));
    assert_eq!(w.sim.token_requests(), tokens_before);
    assert_eq!(w.api.count(), 1);
}
