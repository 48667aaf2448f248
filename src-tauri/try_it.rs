//! Try it on the API: the window's face of `core::try_it` (issue 25). Each command takes the
//! token on screen, asks the engine for one operation and hands back the engine's answer as it
//! is (plain words beside what the API said, as outside text). The engine checks every input
//! and refuses a client that is not a test client before anything is sent; the page renders.
//!
//! Kept here, not in the page: the payment link last made (so *Copy link* and *Open* act on
//! the link the API gave, never on a URL the page names), its QR code (drawn here from the
//! link, as SVG, no network), and the one way a link reaches the system browser.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tauri::State;
use token_desk_core::form::TokenForm;
use token_desk_core::snippet::{self, ApiCall, Flow, Lang};
use token_desk_core::try_it::bank_account::{self, VerificationForm, Verified};
use token_desk_core::try_it::documents;
use token_desk_core::try_it::graphql::Api;
use token_desk_core::try_it::inputs::BankId;
use token_desk_core::try_it::payment_request::{self as payment, Completion, Created, PaymentRequestForm, Status};
use token_desk_core::try_it::refund::{self, RefundForm, RefundStatus, Started};
use token_desk_core::try_it::test_client::TestClient;
use token_desk_core::{simulator, Failure, Token};

use crate::guard::lock;
use crate::presenter::Presenter;
use crate::state::AppState;
use crate::view::ErrorView;

type Answer<T> = Result<T, ErrorView>;

/// The environment variable that sets, in milliseconds, how often a pending payment request's
/// state is read again while the page watches it (tests shorten it).
pub const STATUS_CHECK_ENV: &str = "TOKEN_DESK_STATUS_CHECK_MS";

/// A few seconds: often enough to see a payment land while presenting, seldom enough to be
/// kind to the API.
pub const DEFAULT_STATUS_CHECK: Duration = Duration::from_secs(5);

/// The status check's interval from the value of [`STATUS_CHECK_ENV`]: a positive whole number
/// of milliseconds, otherwise the default.
pub fn status_check_from(value: Option<&str>) -> Duration {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map_or(DEFAULT_STATUS_CHECK, Duration::from_millis)
}

/// Debug builds only: a file that *Open* writes the link into instead of starting the system
/// browser, so a WebDriver test sees what would have been opened (none is installed there).
pub const OPENED_FILE_ENV: &str = "TOKEN_DESK_TEST_OPENED_FILE";

/// What the backend keeps for Try it: the payment link last made.
#[derive(Debug, Default)]
pub struct TryIt {
    link: Mutex<Option<String>>,
}

/// A bank as the page lists it: Stitch's id and its name in words.
#[derive(Debug, Serialize)]
pub struct BankView {
    pub id: &'static str,
    pub name: &'static str,
}

/// Whether Try it is offered for the token on screen, and the forms' prefilled values.
#[derive(Debug, Serialize)]
pub struct OfferView {
    pub offered: bool,
    /// One sentence, when not offered.
    pub why_not: Option<String>,
    pub amount: &'static str,
    pub payer_reference: &'static str,
    pub beneficiary_reference: &'static str,
    pub beneficiary_name: &'static str,
    pub beneficiary_bank: &'static str,
    pub beneficiary_account_number: &'static str,
    /// The demo account the simulator verifies, and one it refutes.
    pub verified_account_number: &'static str,
    pub refuted_account_number: &'static str,
    pub id_number: &'static str,
    pub family_name: &'static str,
    pub banks: Vec<BankView>,
}

/// Whether the token on screen is a test client's, and the demo values to start from.
#[tauri::command]
pub fn try_it_offer(state: State<'_, AppState>, profile: Option<String>) -> OfferView {
    let refused = test_client(&state, profile);
    OfferView {
        offered: refused.is_ok(),
        why_not: refused.err().map(|_| {
            "Try it on the API is offered for test clients only (client IDs that start with test-): on a live \
             client a payment request, a refund or an account check acts on real money or costs money."
                .to_owned()
        }),
        amount: "1.00",
        payer_reference: payment::DEMO_PAYER_REFERENCE,
        beneficiary_reference: payment::DEMO_BENEFICIARY_REFERENCE,
        beneficiary_name: payment::DEMO_BENEFICIARY_NAME,
        beneficiary_bank: payment::DEMO_BENEFICIARY_BANK,
        beneficiary_account_number: payment::DEMO_BENEFICIARY_ACCOUNT,
        verified_account_number: simulator::demo::VERIFIED_ACCOUNT_NUMBER,
        refuted_account_number: simulator::demo::REFUTED_ACCOUNT_NUMBER,
        id_number: DEMO_ID_NUMBER,
        family_name: DEMO_FAMILY_NAME,
        banks: BankId::ALL.iter().map(|b| BankView { id: b.as_str(), name: bank_name(*b) }).collect(),
    }
}

/// A made-up South African ID number of the right shape (13 digits), for the account check.
const DEMO_ID_NUMBER: &str = "9001015009087";
const DEMO_FAMILY_NAME: &str = "Demo";

fn bank_name(bank: BankId) -> &'static str {
    match bank {
        BankId::Absa => "Absa",
        BankId::Capitec => "Capitec",
        BankId::DiscoveryBank => "Discovery Bank",
        BankId::Fnb => "FNB",
        BankId::Investec => "Investec",
        BankId::Nedbank => "Nedbank",
        BankId::StandardBank => "Standard Bank",
        BankId::Tymebank => "TymeBank",
    }
}

/// A payment request just made, with its link drawn as a QR code.
#[derive(Debug, Serialize)]
pub struct CreatedView {
    #[serde(flatten)]
    pub created: Created,
    /// The QR code of `link` as an SVG image (a `data:` URL the page puts in an `<img>`).
    pub qr: Option<String>,
}

/// Creates a test payment request from the form, with the token on screen.
#[tauri::command(rename_all = "snake_case")]
pub async fn create_payment_request(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    kept: State<'_, TryIt>,
    form: PaymentRequestForm,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<CreatedView> {
    let made = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let client = test_client(&state, profile)?;
        let request = form.check()?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        Ok::<_, ErrorView>(shown(&kept, payment::create(&api, &client, &request).await?))
    };
    presenter.answer(&state, made.await, &[])
}

/// Reads the payment request `id`'s state.
#[tauri::command(rename_all = "snake_case")]
pub async fn payment_request_status(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    id: String,
    api_url: Option<String>,
) -> Answer<Status> {
    let read = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        Ok::<_, ErrorView>(payment::status(&api, &id).await?)
    };
    presenter.answer(&state, read.await, &[])
}

/// Completes the test payment request `id` as if paid, without a bank.
#[tauri::command(rename_all = "snake_case")]
pub async fn simulate_payment(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    id: String,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<Completion> {
    let done = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let client = test_client(&state, profile)?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        Ok::<_, ErrorView>(payment::simulate_complete(&api, &client, &id).await?)
    };
    presenter.answer(&state, done.await, &[])
}

/// Refunds a completed test payment (a fresh nonce each time, shown).
#[tauri::command(rename_all = "snake_case")]
pub async fn refund_payment(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    form: RefundForm,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<Started> {
    let started = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let client = test_client(&state, profile)?;
        let checked = form.check()?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        Ok::<_, ErrorView>(refund::initiate(&api, &client, &checked).await?)
    };
    presenter.answer(&state, started.await, &[])
}

/// Reads the refund `id`'s status.
#[tauri::command(rename_all = "snake_case")]
pub async fn refund_status(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    id: String,
    api_url: Option<String>,
) -> Answer<RefundStatus> {
    let read = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        Ok::<_, ErrorView>(refund::status(&api, &id).await?)
    };
    presenter.answer(&state, read.await, &[])
}

/// Verifies a bank account and its holder, on a test client.
#[tauri::command(rename_all = "snake_case")]
pub async fn verify_bank_account(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    form: VerificationForm,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<Verified> {
    let verified = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let client = test_client(&state, profile)?;
        let checked = form.check()?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        Ok::<_, ErrorView>(bank_account::verify(&api, &client, &checked).await?)
    };
    presenter.answer(&state, verified.await, &[])
}

/// *Test token*'s optional real proof (issue 25, item 6): on a test client only, one demo
/// payment request (R1.00) made with the token, proving `client_paymentrequest` can create.
#[tauri::command(rename_all = "snake_case")]
pub async fn check_create_payment_request(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    kept: State<'_, TryIt>,
    api_url: Option<String>,
    profile: Option<String>,
) -> Answer<CreatedView> {
    let made = async {
        let (token, api_url) = token_and_api(&state, api_url)?;
        let client = test_client(&state, profile)?;
        let request = PaymentRequestForm::demo("1.00").check()?;
        let api = Api::new(state.engine().http(), &api_url, &token.access_token)?;
        let mut created = payment::create(&api, &client, &request).await?;
        created.summary = format!(
            "Created test payment request {} for {}: this token can create payment requests (client_paymentrequest).",
            created.id.for_page(),
            created.amount.words(),
        );
        Ok::<_, ErrorView>(shown(&kept, created))
    };
    presenter.answer(&state, made.await, &[])
}

/// How long a copy stays on the clipboard.
#[derive(Debug, Serialize)]
pub struct LinkCopied {
    pub clear_after_seconds: u64,
}

/// Copies the payment link last made (the page never hands over a link to copy).
#[tauri::command]
pub fn copy_payment_link(state: State<'_, AppState>, kept: State<'_, TryIt>) -> Answer<LinkCopied> {
    state.copy_text(kept.link()?)?;
    Ok(LinkCopied { clear_after_seconds: state.clear_after().as_secs() })
}

/// Opens the payment link last made in the system browser (the page never opens a URL).
#[tauri::command]
pub fn open_payment_link(kept: State<'_, TryIt>) -> Answer<()> {
    Ok(open_in_browser(&kept.link()?)?)
}

/// The code for the last Try it call.
#[derive(Debug, Serialize)]
pub struct CallCodeView {
    /// The operation's name (`CreatePaymentRequest`), for the heading.
    pub operation: String,
    pub code: String,
}

/// The code for the last Try it call, as the inspector recorded it (its exact document and
/// variables), in `lang` for `flow` from the form's settings; in presenter mode the client id
/// in it is shortened (Copy code copies it in full).
#[tauri::command]
pub fn try_it_code(
    state: State<'_, AppState>,
    presenter: State<'_, Presenter>,
    settings: TokenForm,
    lang: Lang,
    flow: Flow,
) -> Answer<CallCodeView> {
    let (operation, query, variables) = last_call(&state)?;
    let s = settings.snippet_settings(flow);
    let code = snippet::snippet_calling(lang, &s, &ApiCall { query: &query, variables: Some(&variables) });
    Ok(CallCodeView { operation, code: presenter.text(code, &s.client_id) })
}

/// Copies the code for the last Try it call, made again here (the page never hands over code).
#[tauri::command]
pub fn copy_try_it_code(state: State<'_, AppState>, settings: TokenForm, lang: Lang, flow: Flow) -> Answer<LinkCopied> {
    let (_, query, variables) = last_call(&state)?;
    let s = settings.snippet_settings(flow);
    state.copy_text(snippet::snippet_calling(lang, &s, &ApiCall { query: &query, variables: Some(&variables) }))?;
    Ok(LinkCopied { clear_after_seconds: state.clear_after().as_secs() })
}

/// The last call sent to the API, if it was one of Try it's documents: its operation's name,
/// document and variables, read back from the inspector's record of it.
fn last_call(state: &AppState) -> Result<(String, String, serde_json::Value), Failure> {
    let none = || Failure::bad_input("No Try it call yet: the code follows the last one made.");
    let body = state.engine().http().last_api_exchange().and_then(|e| e.request_body).ok_or_else(none)?;
    let sent: serde_json::Value = serde_json::from_str(&body).map_err(|_| none())?;
    let query = sent.get("query").and_then(|q| q.as_str()).filter(|q| documents::ALL.contains(q)).ok_or_else(none)?;
    let operation = query.split(['(', ' ', '{']).nth(1).unwrap_or_default().to_owned();
    Ok((operation, query.to_owned(), sent.get("variables").cloned().unwrap_or_default()))
}

impl TryIt {
    fn link(&self) -> Result<String, Failure> {
        lock(&self.link).clone().ok_or_else(|| Failure::bad_input("There is no payment link yet: create one first."))
    }
}

/// The token on screen and the API to call: `api_url` when given, else the token's own.
fn token_and_api(state: &AppState, api_url: Option<String>) -> Result<(Token, String), Failure> {
    let (token, default_api, _) = state.last_with_asked()?;
    let api_url = api_url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()).unwrap_or(default_api);
    Ok((token, api_url))
}

/// The token's client as a test client: the client the token was asked for, and, when a saved
/// profile of that client is chosen, refused also when the profile is marked live.
fn test_client(state: &AppState, profile: Option<String>) -> Result<TestClient, Failure> {
    let (_, _, asked) = state.last_with_asked()?;
    if let Some(name) = profile.filter(|n| !n.trim().is_empty()) {
        let saved = state.profiles.settings()?.find(&name)?;
        if saved.client_id == asked.client_id() {
            return TestClient::of_profile(&saved);
        }
    }
    TestClient::new(asked.client_id())
}

/// `created` as the page shows it, its link kept for Copy link and Open.
fn shown(kept: &TryIt, created: Created) -> CreatedView {
    *lock(&kept.link) = created.link.clone();
    let qr = created.link.as_deref().and_then(qr_svg);
    CreatedView { created, qr }
}

/// `link` as a QR code (error correction M, the four-module quiet zone), an SVG image of
/// 5-pixel modules as a `data:` URL: drawn here, so the page loads nothing from outside and
/// the CSP's `img-src 'self' data:` holds. `None` when the link is too long for any QR code.
pub fn qr_svg(link: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .module_dimensions(5, 5)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .quiet_zone(true)
        .build();
    Some(format!("data:image/svg+xml,{}", percent_encoded(&image)))
}

/// Every byte but letters, digits and `-._~/=:;,` written as `%XX` (RFC 3986 §2.1), which
/// a `data:` URL needs for `#`, `<`, `>` and quotes.
fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/=:;,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Hands `url` (an http(s) payment link the engine made) to the system's browser, as one
/// argument of the system's opener, never through a shell.
fn open_in_browser(url: &str) -> Result<(), Failure> {
    #[cfg(debug_assertions)]
    if let Some(file) = std::env::var_os(OPENED_FILE_ENV) {
        return std::fs::write(file, url).map_err(|e| Failure::bad_input(format!("The link was not opened: {e}.")));
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| Failure::bad_input(format!("The browser could not be started ({opener}: {e}). Use Copy link.")))?;
    // The opener hands the link on and exits; waiting for it keeps no zombie behind.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_check_runs_every_few_seconds_unless_told_otherwise() {
        assert_eq!(status_check_from(None), Duration::from_secs(5));
        assert_eq!(status_check_from(Some("250")), Duration::from_millis(250));
        for odd in ["0", "soon", "-5", ""] {
            assert_eq!(status_check_from(Some(odd)), DEFAULT_STATUS_CHECK, "{odd}");
        }
    }

    #[test]
    fn the_qr_code_is_an_svg_data_url_with_nothing_that_ends_the_attribute() {
        let qr =
            qr_svg("http://127.0.0.1:8555/connect/payment-request/3f2a?redirect_uri=https%3A%2F%2Flocalhost").unwrap();
        assert!(qr.starts_with("data:image/svg+xml,%3C%3Fxml"), "{qr}");
        assert!(!qr.contains(['"', '<', '>', '#', '\'', ' ']), "{qr}");
        assert_eq!(qr_svg(&"x".repeat(5000)), None);
    }
}
