//! Whether Try it is offered for the token on screen (test clients only), and the values the
//! forms start from.

use serde::Serialize;
use tauri::State;
use token_desk_core::simulator;
use token_desk_core::try_it::inputs::BankId;
use token_desk_core::try_it::payment_request as payment;

use super::test_client;
use crate::state::AppState;

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
