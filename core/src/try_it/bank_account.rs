//! Verifying a bank account on a test client (scope `client_bankaccountverification`): a
//! query on `client`, billable on live clients, so test clients only. The account holder is
//! a person (a South African ID number) or a company (its registration number); each answer
//! is verified, refuted or unknown, in plain words.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use serde_with::skip_serializing_none;

use super::documents;
use super::graphql::Api;
use super::inputs::{self, BankId};
use super::payment_request::unexpected;
use super::test_client::TestClient;
use crate::failure::Failure;
use crate::outside::Outside;

/// What a person fills in, as typed: exactly one of `id_number` and `registration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct VerificationForm {
    pub bank: String,
    pub account_number: String,
    pub id_number: Option<String>,
    pub registration: Option<String>,
    /// A person's family name and initials, sent when given.
    pub family_name: Option<String>,
    pub initials: Option<String>,
    /// A company's name, sent when given.
    pub business_name: Option<String>,
}

/// Who holds the account.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Holder {
    Person { id_number: String, family_name: Option<String>, initials: Option<String> },
    Company { registration: String, name: Option<String> },
}

/// A checked verification, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    bank: BankId,
    account_number: String,
    holder: Holder,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl VerificationForm {
    pub fn check(&self) -> Result<Verification, Failure> {
        let bank = BankId::parse(&self.bank)?;
        let account_number = inputs::account_number("account number", &self.account_number)?;
        let optional = |field: &str, value: &Option<String>, max: usize| {
            given(value).map(|v| inputs::text(field, v, 1, max)).transpose()
        };
        let holder = match (given(&self.id_number), given(&self.registration)) {
            (Some(id), None) => Holder::Person {
                id_number: inputs::id_number(id)?,
                family_name: optional("family name", &self.family_name, 100)?,
                initials: optional("initials", &self.initials, 10)?,
            },
            (None, Some(reg)) => Holder::Company {
                registration: inputs::registration(reg)?,
                name: optional("company name", &self.business_name, 100)?,
            },
            (Some(_), Some(_)) => {
                return Err(Failure::bad_input(
                    "Give the account holder's ID number or the company's registration number, not both.",
                ))
            }
            (None, None) => {
                return Err(Failure::bad_input(
                    "Give the account holder's ID number (a person) or registration number (a company).",
                ))
            }
        };
        Ok(Verification { bank, account_number, holder })
    }
}

impl Verification {
    /// The variables of [`documents::VERIFY_BANK_ACCOUNT`].
    pub fn variables(&self) -> Value {
        let mut holder = Map::new();
        match &self.holder {
            Holder::Person { id_number, family_name, initials } => {
                let mut person = Map::new();
                if let Some(f) = family_name {
                    person.insert("familyName".into(), json!(f));
                }
                if let Some(i) = initials {
                    person.insert("initials".into(), json!(i));
                }
                person.insert(
                    "identifyingDocument".into(),
                    json!({ "identityDocument": { "country": "ZA", "number": id_number } }),
                );
                holder.insert("individual".into(), Value::Object(person));
            }
            Holder::Company { registration, name } => {
                let mut company = Map::new();
                if let Some(n) = name {
                    company.insert("name".into(), json!(n));
                }
                company.insert("registration".into(), json!({ "country": "ZA", "number": registration }));
                holder.insert("business".into(), Value::Object(company));
            }
        }
        json!({ "input": {
            "accountNumber": self.account_number,
            "bankId": self.bank.as_str(),
            "accountHolder": holder,
        } })
    }
}

/// One answer of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    Verified,
    Refuted,
    Unknown,
}

impl Finding {
    /// `verified`, `refuted` (or `true`, `false`); anything else, `null` included, is unknown.
    fn read(value: Option<&Value>) -> Self {
        match value {
            Some(Value::Bool(true)) => Finding::Verified,
            Some(Value::Bool(false)) => Finding::Refuted,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("verified") => Finding::Verified,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("refuted") => Finding::Refuted,
            _ => Finding::Unknown,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Finding::Verified => "yes (verified)",
            Finding::Refuted => "no (refuted)",
            Finding::Unknown => "unknown (the bank did not say)",
        }
    }
}

/// One field of the answer: what it asks, in words, and the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub field: &'static str,
    pub question: &'static str,
    pub finding: Finding,
    /// "Does the account exist?  yes (verified)"
    pub line: String,
}

/// The answer of a verification.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub result: Finding,
    pub account_number: Option<Outside>,
    pub bank_id: Option<Outside>,
    pub checks: Vec<Check>,
    pub summary: String,
}

/// The fields read, with the question each answers.
const QUESTIONS: [(&str, &str); 6] = [
    ("accountOpen", "Is the account open?"),
    ("accountAcceptsCredits", "Does it accept payments in?"),
    ("accountExists", "Does the account exist?"),
    ("identityDocumentMatch", "Does the ID or registration number match?"),
    ("initialMatch", "Do the initials match?"),
    ("lastNameMatch", "Does the family name match?"),
];

/// Verifies the account for `client` (a test client: billable on live ones).
pub async fn verify(api: &Api<'_>, _client: &TestClient, verification: &Verification) -> Result<Verified, Failure> {
    let data = api.within_deadline(api.send(documents::VERIFY_BANK_ACCOUNT, verification.variables())).await?;
    let Some(answer) = data.pointer("/client/verifyBankAccountDetails").filter(|a| a.is_object()) else {
        return Err(unexpected("did not give the verification's result"));
    };
    let detailed = answer.get("detailedAccountVerificationResults");
    let checks = QUESTIONS
        .iter()
        .map(|(field, question)| {
            let value = answer.get(*field).or_else(|| detailed.and_then(|d| d.get(*field)));
            let finding = Finding::read(value);
            Check { field, question, finding, line: format!("{question}  {}", finding.words()) }
        })
        .collect();
    let result = Finding::read(answer.get("accountVerificationResult"));
    let text = |k: &str| answer.get(k).and_then(Value::as_str).map(Outside::new);
    Ok(Verified {
        result,
        account_number: text("accountNumber"),
        bank_id: text("bankId"),
        checks,
        summary: match result {
            Finding::Verified => "Verified: the bank confirms the account and its holder.",
            Finding::Refuted => "Refuted: the bank says the account or its holder does not match.",
            Finding::Unknown => "Unknown: the bank could not say (it may not take part, or did not answer in time).",
        }
        .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> VerificationForm {
        VerificationForm {
            bank: "fnb".into(),
            account_number: "62001234567".into(),
            id_number: Some("9001015009087".into()),
            ..VerificationForm::default()
        }
    }

    #[test]
    fn a_person_and_a_company_are_sent_as_stitch_takes_them() {
        assert_eq!(
            person().check().unwrap().variables(),
            json!({ "input": { "accountNumber": "62001234567", "bankId": "fnb", "accountHolder": { "individual": {
                "identifyingDocument": { "identityDocument": { "country": "ZA", "number": "9001015009087" } } } } } })
        );
        let company = VerificationForm {
            bank: "absa".into(),
            account_number: "4078000000".into(),
            registration: Some("2019/123456/07".into()),
            business_name: Some("Demo Pty Ltd".into()),
            ..VerificationForm::default()
        };
        assert_eq!(
            company.check().unwrap().variables(),
            json!({ "input": { "accountNumber": "4078000000", "bankId": "absa", "accountHolder": { "business": {
                "name": "Demo Pty Ltd", "registration": { "country": "ZA", "number": "2019/123456/07" } } } } })
        );
    }

    #[test]
    fn exactly_one_holder_document_is_taken() {
        let mut both = person();
        both.registration = Some("2019/123456/07".into());
        assert!(both.check().unwrap_err().message.contains("not both"));
        let mut neither = person();
        neither.id_number = Some("  ".into());
        assert!(neither.check().unwrap_err().message.starts_with("Give the account holder's ID number"));
        let mut bad = person();
        bad.bank = "mars".into();
        assert!(bad.check().unwrap_err().message.starts_with("The bank"));
    }

    #[test]
    fn findings_read_verified_refuted_and_anything_else_as_unknown() {
        assert_eq!(Finding::read(Some(&json!("verified"))), Finding::Verified);
        assert_eq!(Finding::read(Some(&json!("REFUTED"))), Finding::Refuted);
        assert_eq!(Finding::read(Some(&json!(true))), Finding::Verified);
        assert_eq!(Finding::read(Some(&json!(null))), Finding::Unknown);
        assert_eq!(Finding::read(Some(&json!("maybe"))), Finding::Unknown);
        assert_eq!(Finding::read(None), Finding::Unknown);
    }
}
