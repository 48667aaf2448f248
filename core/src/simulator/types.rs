//! Stitch's scalars, enums and input types as the simulator's schema declares them, with the
//! input limits Stitch documents. Two traps are kept as Stitch has them: `Money` in a response
//! is a scalar JSON object (selected with no sub-fields), and `Decimal` is sent as a string.

use std::time::SystemTime;

use async_graphql::indexmap::IndexMap;
use async_graphql::{
    Enum, InputObject, InputValueError, InputValueResult, Name, OneofObject, Scalar, ScalarType, Value,
};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::payments::{decimal_text, Cents};

/// `Money` in a response: `{"quantity": "1.00", "currency": "ZAR"}`, a scalar.
pub(crate) struct Money(pub(crate) Cents);

#[Scalar(name = "Money")]
impl ScalarType for Money {
    fn parse(_value: Value) -> InputValueResult<Self> {
        Err(InputValueError::custom("Money is answered, not sent: send a MoneyInput"))
    }

    fn to_value(&self) -> Value {
        let mut object = IndexMap::new();
        object.insert(Name::new("quantity"), Value::String(decimal_text(self.0)));
        object.insert(Name::new("currency"), Value::String("ZAR".into()));
        Value::Object(object)
    }
}

/// A decimal number sent as a string (`"1.00"`), as Stitch's `Decimal` is.
pub(crate) struct Decimal(pub(crate) String);

#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(s) if is_decimal(&s) => Ok(Decimal(s)),
            Value::String(_) => {
                Err(InputValueError::custom("a Decimal is a number written as a string, such as \"1.00\""))
            }
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if is_decimal(s))
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// `-?digits(.digits)?`, at most 15 digits in all (so cents fit an `i64`).
fn is_decimal(s: &str) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction) && whole.len() + fraction.len() <= 15
}

impl Decimal {
    /// The amount in cents, if it is above zero with at most two decimals; otherwise the
    /// sentence for the refusal, naming `field`.
    pub(crate) fn positive_cents(&self, field: &str) -> Result<Cents, String> {
        let (whole, fraction) = self.0.split_once('.').unwrap_or((&self.0, ""));
        if fraction.len() > 2 {
            return Err(format!("{field} may have at most 2 decimals, got \"{}\".", self.0));
        }
        let cents =
            format!("{whole}{fraction:0<2}").parse::<Cents>().map_err(|_| format!("{field} is not a number."))?;
        if cents <= 0 {
            return Err(format!("{field} must be greater than 0, got \"{}\".", self.0));
        }
        Ok(cents)
    }
}

/// A moment, written as RFC 3339 (`2026-12-07T05:00:00Z`).
pub(crate) struct Date(pub(crate) SystemTime);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(s) => OffsetDateTime::parse(&s, &Rfc3339).map(|t| Date(t.into())).map_err(|_| {
                InputValueError::custom("a Date is written as RFC 3339, such as \"2026-12-07T05:00:00Z\"")
            }),
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(OffsetDateTime::from(self.0).format(&Rfc3339).unwrap_or_default())
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Currency {
    #[graphql(name = "ZAR")]
    Zar,
}

/// The banks a payment may go to (those Stitch's documentation names).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub(crate) enum BankBeneficiaryBankId {
    Absa,
    Capitec,
    DiscoveryBank,
    Fnb,
    Investec,
    Nedbank,
    StandardBank,
    Tymebank,
}

/// How a test client's payment is said to have been made.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub(crate) enum SimulatedCompletedPaymentMethod {
    CashRetailer,
    CashAtm,
    EftManual,
    Crypto,
    Eft,
    Bnpl,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub(crate) enum RefundReason {
    Duplicate,
    Fraudulent,
    RequestedByUser,
}

impl RefundReason {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RefundReason::Duplicate => "duplicate",
            RefundReason::Fraudulent => "fraudulent",
            RefundReason::RequestedByUser => "requested_by_user",
        }
    }

    pub(crate) fn from_name(name: &str) -> Self {
        match name {
            "duplicate" => RefundReason::Duplicate,
            "fraudulent" => RefundReason::Fraudulent,
            _ => RefundReason::RequestedByUser,
        }
    }
}

#[derive(InputObject)]
pub(crate) struct MoneyInput {
    pub(crate) quantity: Decimal,
    pub(crate) currency: Currency,
}

#[derive(InputObject)]
pub(crate) struct BankBeneficiaryInput {
    pub(crate) name: String,
    pub(crate) bank_id: BankBeneficiaryBankId,
    pub(crate) account_number: String,
}

/// Who is paid: a bank account, or a merchant Stitch knows (exactly one).
#[derive(OneofObject)]
pub(crate) enum BeneficiaryInput {
    BankAccount(BankBeneficiaryInput),
    MerchantId(String),
}

#[derive(InputObject)]
pub(crate) struct ClientPaymentInitiationRequestCreateInput {
    pub(crate) amount: MoneyInput,
    pub(crate) payer_reference: String,
    pub(crate) beneficiary_reference: String,
    pub(crate) external_reference: Option<String>,
    pub(crate) expire_at: Option<Date>,
    pub(crate) beneficiary: BeneficiaryInput,
}

impl ClientPaymentInitiationRequestCreateInput {
    /// The first of Stitch's documented limits this input breaks, as a sentence naming the
    /// field; the amount in cents when it keeps them all.
    pub(crate) fn check(&self) -> Result<Cents, String> {
        let cents = self.amount.quantity.positive_cents("amount.quantity")?;
        at_most("payerReference", &self.payer_reference, 1, 12)?;
        at_most("beneficiaryReference", &self.beneficiary_reference, 1, 20)?;
        if let Some(external) = &self.external_reference {
            at_most("externalReference", external, 0, 4096)?;
        }
        match &self.beneficiary {
            BeneficiaryInput::BankAccount(account) => {
                at_most("beneficiary.bankAccount.name", &account.name, 1, 20)?;
                at_most("beneficiary.bankAccount.accountNumber", &account.account_number, 1, 20)?;
            }
            BeneficiaryInput::MerchantId(id) => at_most("beneficiary.merchantId", id, 1, 100)?,
        }
        Ok(cents)
    }
}

/// Refused unless `value` has `min..=max` characters.
pub(crate) fn at_most(field: &str, value: &str, min: usize, max: usize) -> Result<(), String> {
    let n = value.chars().count();
    if n < min {
        return Err(format!("{field} must not be empty."));
    }
    if n > max {
        return Err(format!("{field} may be at most {max} characters long; it is {n}."));
    }
    Ok(())
}

#[derive(InputObject)]
pub(crate) struct TestClientPaymentInitiationRequestSimulateCompleteInput {
    pub(crate) payment_request_id: async_graphql::ID,
    pub(crate) payment_method: SimulatedCompletedPaymentMethod,
}

#[derive(InputObject)]
pub(crate) struct ClientRefundInitiateInput {
    pub(crate) amount: MoneyInput,
    pub(crate) reason: RefundReason,
    pub(crate) nonce: String,
    pub(crate) beneficiary_reference: String,
    pub(crate) payment_request_id: async_graphql::ID,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_strings_of_digits_and_amounts_have_at_most_two_decimals() {
        for ok in ["1", "1.00", "0.5", "-3.25"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "1.", ".5", "1e3", "1,00", "abc", "1234567890123456"] {
            assert!(!is_decimal(bad), "{bad}");
        }
        assert_eq!(Decimal("1.5".into()).positive_cents("amount"), Ok(150));
        assert_eq!(Decimal("12".into()).positive_cents("amount"), Ok(1200));
        assert!(Decimal("0.00".into()).positive_cents("amount").unwrap_err().contains("greater than 0"));
        assert!(Decimal("-1".into()).positive_cents("amount").is_err());
        assert!(Decimal("1.001".into()).positive_cents("amount").unwrap_err().contains("at most 2 decimals"));
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(at_most("payerReference", "ééééééééééé", 1, 12).is_ok());
        assert!(at_most("payerReference", "1234567890123", 1, 12).unwrap_err().contains("at most 12"));
        assert!(at_most("payerReference", "", 1, 12).unwrap_err().contains("must not be empty"));
    }
}
