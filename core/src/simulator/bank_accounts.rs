//! `client { verifyBankAccountDetails(input:) }`: Stitch's bank account verification, answered
//! from the documented demo account numbers in [`super::demo`] (one verified, one refuted, one
//! unknown; any other number is unknown too, as a bank that does not answer would be).

use async_graphql::{Enum, InputObject, OneofObject, SimpleObject};

use super::demo::{REFUTED_ACCOUNT_NUMBER, VERIFIED_ACCOUNT_NUMBER};
use super::types::{at_most, BankBeneficiaryBankId};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(rename_items = "snake_case")]
pub(crate) enum AccountVerificationResult {
    Verified,
    Refuted,
    Unknown,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub(crate) enum AccountType {
    Current,
    Savings,
    Transmission,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CountryCode {
    #[graphql(name = "ZA")]
    Za,
}

#[derive(InputObject)]
pub(crate) struct IdentityDocumentInput {
    pub(crate) country: CountryCode,
    pub(crate) number: String,
}

#[derive(InputObject)]
pub(crate) struct IdentifyingDocumentInput {
    pub(crate) identity_document: IdentityDocumentInput,
}

#[derive(InputObject)]
pub(crate) struct IndividualAccountHolderInput {
    pub(crate) family_name: String,
    pub(crate) initials: Option<String>,
    pub(crate) identifying_document: Option<IdentifyingDocumentInput>,
}

#[derive(InputObject)]
pub(crate) struct BusinessRegistrationInput {
    pub(crate) country: CountryCode,
    pub(crate) number: String,
}

#[derive(InputObject)]
pub(crate) struct BusinessAccountHolderInput {
    pub(crate) name: String,
    pub(crate) registration: Option<BusinessRegistrationInput>,
}

/// A person or a company (exactly one).
#[derive(OneofObject)]
pub(crate) enum AccountHolderInput {
    Individual(IndividualAccountHolderInput),
    Business(BusinessAccountHolderInput),
}

#[derive(InputObject)]
pub(crate) struct BankAccountVerificationInput {
    pub(crate) account_number: String,
    pub(crate) bank_id: BankBeneficiaryBankId,
    pub(crate) branch_code: Option<String>,
    pub(crate) account_type: Option<AccountType>,
    pub(crate) account_holder: AccountHolderInput,
}

#[derive(SimpleObject)]
pub(crate) struct DetailedAccountVerificationResults {
    pub(crate) account_exists: AccountVerificationResult,
    pub(crate) identity_document_match: AccountVerificationResult,
    pub(crate) initial_match: AccountVerificationResult,
    pub(crate) last_name_match: AccountVerificationResult,
}

#[derive(SimpleObject)]
pub(crate) struct BankAccountVerification {
    pub(crate) account_verification_result: AccountVerificationResult,
    pub(crate) account_number: String,
    pub(crate) bank_id: BankBeneficiaryBankId,
    pub(crate) account_open: AccountVerificationResult,
    pub(crate) account_accepts_credits: AccountVerificationResult,
    pub(crate) detailed_account_verification_results: DetailedAccountVerificationResults,
}

/// The answer for `input`, or the sentence refusing it (an account number of 6 to 16 digits).
pub(crate) fn verify(input: &BankAccountVerificationInput) -> Result<BankAccountVerification, String> {
    let number = &input.account_number;
    at_most("accountNumber", number, 6, 16).map_err(|_| "accountNumber must be 6 to 16 digits.".to_owned()).and_then(
        |()| {
            if number.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err("accountNumber must be 6 to 16 digits.".to_owned())
            }
        },
    )?;
    use AccountVerificationResult::{Refuted, Unknown, Verified};
    // Verified: the account exists, is open, takes credits and its holder matches. Refuted: it
    // exists and is open, but its holder is someone else. Unknown: the bank gave no answer.
    let (overall, exists, open, holder) = match number.as_str() {
        VERIFIED_ACCOUNT_NUMBER => (Verified, Verified, Verified, Verified),
        REFUTED_ACCOUNT_NUMBER => (Refuted, Verified, Verified, Refuted),
        _ => (Unknown, Unknown, Unknown, Unknown),
    };
    Ok(BankAccountVerification {
        account_verification_result: overall,
        account_number: number.clone(),
        bank_id: input.bank_id,
        account_open: open,
        account_accepts_credits: open,
        detailed_account_verification_results: DetailedAccountVerificationResults {
            account_exists: exists,
            identity_document_match: holder,
            initial_match: holder,
            last_name_match: holder,
        },
    })
}
