//! Try it on the API in the real window (issue 25), against the simulator: the whole demo
//! (a payment request, its link copied, opened and drawn as a QR code that reads back as the
//! link, the status watched while pending, the payment made on the simulator's page and by
//! simulation, a refund and its status), bank accounts verified and refuted, a live client
//! offered nothing that sends, Test token's optional proof, and presenter mode's fourth step.
//! axe-core on each screen; the README's screenshots come from here.
//!
//! They run only with `TOKEN_DESK_E2E=1`, under Xvfb, like tests/window.rs.

mod support;

use std::time::Duration;

use serde_json::json;
use support::window::{clipboard, enabled, stitch_and_window, Window};
use tempfile::TempDir;
use token_desk_core::simulator::{demo, ClientAuth, ClientConfig, Simulator, SimulatorConfig};

const HOUR: Duration = Duration::from_secs(3600);
/// The status check's interval in these tests, so a watched payment lands in well under a second.
const CHECK_EVERY_MS: &str = "300";

/// Whether the element `id` is displayed.
async fn displayed(window: &Window, id: &str) -> bool {
    window.by_id(id).await.is_displayed().await.unwrap_or(false)
}

/// Reads the QR code in a screenshot of the window with `zbarimg` (Debian's zbar-tools).
async fn qr_in_screenshot(window: &Window) -> String {
    let script = "document.getElementById('pr-qr').scrollIntoView({ block: 'center' });";
    window.js(script, vec![]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let png = window.client.screenshot().await.expect("a WebDriver screenshot");
    let dir = TempDir::new().expect("a folder for the screenshot");
    let file = dir.path().join("qr.png");
    std::fs::write(&file, png).expect("the screenshot is saved");
    let output = tokio::process::Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(&file)
        .output()
        .await
        .expect("zbarimg runs (Debian package zbar-tools: scripts/install-packages)");
    assert!(output.status.success(), "zbarimg found no QR code: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("the QR code holds text").trim().to_owned()
}

/// Presses *Pay* on the simulator's hosted payment page, as the payer's phone would: the
/// page's form, posted over HTTP, its redirect back not followed.
async fn pay_on_the_simulators_page(link: &str) {
    let url = link.split('?').next().expect("a link");
    let answer = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
        .post(url)
        .form(&[("choice", "pay"), ("redirect_uri", "https://localhost:3000/return")])
        .send()
        .await
        .expect("the payment page answers");
    assert!(answer.status().is_redirection(), "Pay answered {}", answer.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_demo_runs_in_the_window_and_the_qr_code_reads_back_as_the_copied_link() {
    let opened = TempDir::new().expect("a folder for what Open opens");
    let opened_file = opened.path().join("opened");
    let env = [
        ("TOKEN_DESK_STATUS_CHECK_MS", CHECK_EVERY_MS),
        ("TOKEN_DESK_TEST_OPENED_FILE", opened_file.to_str().unwrap()),
    ];
    let Some((stitch, window)) = stitch_and_window(HOUR, &env).await else { return };
    let scopes = ["client_paymentrequest", "client_refund"];
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &scopes).await;
    window.get_token().await;

    // The section, below the token, prefilled; the strip's fourth step is presenter mode's only.
    window.by_name("Try it on the API").await;
    window.wait_shown("create-payment-request").await;
    assert_eq!(window.value_of("Amount (rand)").await, "1.00");
    assert!(!window.value_of("Payer reference").await.is_empty());
    assert!(!displayed(&window, "step-try").await, "the fourth step shows outside presenter mode");

    // Create: pending, with its link, a QR code and a visible, cancellable check.
    let sent_before = stitch.simulator.api_requests();
    window.click_name("Create a test payment request").await;
    let pending = window.wait_text("pr-state", "a pending request", |t| t.to_lowercase().contains("pending")).await;
    assert!(!pending.contains("Completed"), "{pending}");
    assert_eq!(window.text_of("pr-amount-shown").await, "R1.00");
    assert_eq!(stitch.simulator.api_requests(), sent_before + 1, "one create, one request");
    let link = window.text_of("pr-link").await;
    assert!(link.starts_with(&format!("http://{}/connect/payment-request/", stitch.simulator.addr())), "{link}");
    assert!(link.ends_with("redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Freturn"), "{link}");
    window.wait_text("pr-watch", "the status check", |t| t.contains("Checking the status every")).await;
    window.assert_accessible("Try it: a pending payment request").await;
    window.screenshot_at("window-try-it-created", "pr-card", "center").await;

    window.click_name("Copy link").await;
    window.wait_text("pr-link-note", "the Copied note", |t| t.contains("Copied")).await;
    assert_eq!(clipboard().await.as_deref(), Some(link.as_str()), "Copy link copied something else");
    assert_eq!(qr_in_screenshot(&window).await, link, "the QR code is not the copied link");
    window.click_name("Open").await;
    window.wait_for_text("Opened the payment page").await;
    assert_eq!(std::fs::read_to_string(&opened_file).expect("Open handed on a link"), link);

    // The check stops when asked, and starts again with Check status.
    window.click_name("Stop checking").await;
    assert!(!displayed(&window, "pr-watch").await, "the check goes on after Stop checking");
    window.click_name("Check status").await;
    window.wait_shown("pr-watch").await;

    // The payer presses Pay on the simulator's page; the watched status turns completed by itself.
    pay_on_the_simulators_page(&link).await;
    let done = window.wait_text("pr-state", "the payment completed", |t| t.contains("Completed")).await;
    assert!(done.contains("paid R1.00"), "{done}");
    assert!(!displayed(&window, "pr-watch").await, "the check goes on once completed");

    // Refund it, then its status, in words; the inspector shows the exact operation and variables.
    window.type_into("Refund amount (rand)", "0.50").await;
    window.click_name("Refund it").await;
    let refund = window.wait_text("refund-state", "the refund's status", |t| !t.is_empty()).await;
    assert!(refund.contains("Asked for a refund of R0.50"), "{refund}");
    assert_eq!(window.text_of("refund-nonce").await.len(), 32, "the nonce sent is shown");
    window.click_name("Check refund status").await;
    window.wait_text("refund-state", "the refund read again", |t| !t.contains("Asked for")).await;
    window.open_details("inspector").await;
    let sent = window.wait_text("api-exchange", "the last call", |t| t.contains("RefundStatus")).await;
    assert!(sent.contains("query RefundStatus($id: ID!)") && sent.contains("\"variables\""), "{sent}");
    window.open_details("snippets").await;
    let code = window.wait_text("try-code-text", "the refund status call's code", |t| t.contains("RefundStatus")).await;
    assert!(code.contains("STITCH_CLIENT_SECRET") && code.contains("\"variables\""), "{code}");
    window.by_id("snippet-lang").await.select_by_value("python").await.expect("choosing Python");
    window.wait_text("try-code-text", "the Python code", |t| t.contains("json.loads(")).await;
    window.assert_accessible("Try it: a refund").await;
    window.screenshot_at("window-try-it-refund", "refund-part", "center").await;

    // A second request, completed by simulation.
    window.click_name("Create a test payment request").await;
    window.wait_text("pr-state", "a new pending request", |t| t.to_lowercase().contains("pending")).await;
    assert_ne!(window.text_of("pr-link").await, link, "a second request has a link of its own");
    window.click_name("Simulate the payment").await;
    window.wait_text("pr-state", "the simulated payment", |t| t.contains("Completed")).await;
    window.wait_shown("refund-payment").await;
    window.screenshot_at("window-try-it-completed", "pr-card", "center").await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_accounts_are_verified_and_refuted_per_question_in_plain_words() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    let scopes = ["client_bankaccountverification"];
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &scopes).await;
    window.get_token().await;
    window.wait_shown("verify-account").await;
    assert_eq!(window.value_of("Account number").await, demo::VERIFIED_ACCOUNT_NUMBER);

    window.click_name("Verify a bank account").await;
    let summary = window.wait_text("bav-summary", "the verdict", |t| !t.is_empty()).await;
    assert!(summary.starts_with("Verified"), "{summary}");
    let rows = window.text_of("bav-checks").await;
    assert!(rows.contains("Verified") && rows.contains("Does the account exist?"), "{rows}");
    window.assert_accessible("Try it: a verified account").await;
    window.screenshot_at("window-try-it-verified", "bav-result", "center").await;

    window.type_into("Account number", demo::REFUTED_ACCOUNT_NUMBER).await;
    window.click_name("Verify a bank account").await;
    let summary = window.wait_text("bav-summary", "the refutation", |t| t.starts_with("Refuted")).await;
    assert!(summary.contains("does not match"), "{summary}");
    assert!(window.text_of("bav-checks").await.contains("Refuted"));

    // A company: the registration number, in the CIPC's shape, checked before anything is sent.
    window.click_name("A company").await;
    window.type_into("Company registration", "2019-123456-07").await;
    let sent = stitch.simulator.api_requests();
    window.click_name("Verify a bank account").await;
    window.wait_text("try-it-error-message", "the field named", |t| t.contains("registration number")).await;
    assert_eq!(stitch.simulator.api_requests(), sent, "a bad registration number was sent");
    window.close().await;
}

/// A simulator that also knows a client whose id does not start with `test-`.
async fn simulator_with_a_live_client(dir: &TempDir) -> Simulator {
    let live = ClientConfig {
        client_id: LIVE_CLIENT.into(),
        auth: ClientAuth::Secret(LIVE_SECRET.into()),
        allowed_scopes: vec!["client_paymentrequest".into()],
        withheld_scopes: Vec::new(),
    };
    let config = SimulatorConfig { data_dir: dir.path().to_path_buf(), clients: vec![live], ..Default::default() };
    Simulator::start(config).await.expect("the simulator starts")
}

const LIVE_CLIENT: &str = "7c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5";
const LIVE_SECRET: &str = "a-live-shops-secret-4Zr8";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_client_is_told_why_in_one_sentence_and_offered_no_button_that_sends() {
    if !enabled() {
        return;
    }
    let dir = TempDir::new().expect("a folder for the simulator");
    let simulator = simulator_with_a_live_client(&dir).await;
    let window = Window::open(&[]).await;
    window.type_into("Client ID", LIVE_CLIENT).await;
    window.set_token_url(&simulator.token_url()).await;
    window.type_into("Client secret", LIVE_SECRET).await;
    window.tick("client_paymentrequest").await;
    window.get_token().await;

    let why = window.wait_text("try-it-live", "why Try it is not offered", |t| !t.is_empty()).await;
    assert!(why.contains("test clients only") && why.matches(". ").count() == 0, "{why}");
    let buttons = window.js("return [...document.querySelectorAll('#try-it button')].filter((b) => b.getClientRects().length > 0).map((b) => b.id);", vec![]).await;
    assert_eq!(buttons, json!([]), "buttons on screen for a live client");
    assert!(!displayed(&window, "check-create").await, "Test token offers to create for a live client");
    window.assert_accessible("Try it: a live client").await;
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_token_creates_one_payment_request_only_when_asked_and_says_so() {
    let Some((stitch, window)) = stitch_and_window(HOUR, &[]).await else { return };
    window.fill_in_secret_client(&stitch.simulator.token_url(), demo::SECRET, &["client_paymentrequest"]).await;
    window.get_token().await;
    window.click_name("Test token").await;
    window.wait_text("test-summary", "a verdict", |t| t.contains("The token works")).await;
    assert!(!displayed(&window, "check-create-result").await, "a payment request was made without asking");

    window.tick("Also create one test payment request").await;
    let sent = stitch.simulator.api_requests();
    window.click_name("Test token").await;
    let said = window.wait_text("check-create-result", "the proof", |t| t.starts_with("Created")).await;
    assert!(said.starts_with("Created test payment request ") && said.contains("R1.00"), "{said}");
    assert!(stitch.simulator.api_requests() > sent + 1, "the test and the one create");
    window.wait_text("pr-state", "the request on the card", |t| t.contains("Created test payment request")).await;
    // The payment scope's line no longer says creating was not tried.
    let line =
        "return document.querySelector('#test-scopes [data-scope=\"client_paymentrequest\"] .test-note').textContent;";
    let note = window.js(line, vec![]).await;
    let note = note.as_str().unwrap_or_default();
    assert!(note.contains("and so does creating one") && !note.contains("not tried"), "{note:?}");
    window.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presenter_modes_strip_gains_a_fourth_step_try_it() {
    if !enabled() {
        return;
    }
    let window = Window::open_with_args(&["--presenter"]).await;
    window.wait_shown("step-try").await;
    let strip = window.text_of("demo-steps").await;
    assert!(strip.contains('4') && strip.contains("Try it"), "{strip}");
    // The offline demo, as a presenter runs it: the built-in simulator's demo client.
    window.click_name("Try with a demo secret").await;
    window.wait_text("presenter-offline", "the offline label", |t| t.contains("Offline demo")).await;
    window.get_token().await;
    window.click_id("step-try").await;
    let focused = window.js("return document.activeElement.id;", vec![]).await;
    assert_eq!(focused, json!("create-payment-request"), "the step goes to its first action");
    window.click_name("Create a test payment request").await;
    window.wait_text("pr-state", "a pending request", |t| t.to_lowercase().contains("pending")).await;
    let at = window.js("return document.querySelector('#demo-steps [aria-current=step]').id;", vec![]).await;
    assert_eq!(at, json!("step-try"));
    window.assert_accessible("Try it: presenter mode").await;
    window.close().await;
}
