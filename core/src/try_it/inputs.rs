//! The checks every Try it input passes before anything is sent, each refusal one sentence
//! that names the field. The limits are Stitch's (see `stitch-api.md`, "After the token"):
//! payer reference at most 12 characters, beneficiary reference at most 20 (1–30 for a
//! refund), a beneficiary's name at most 20; bank ids from `BankBeneficiaryBankId`.

use serde::Serialize;

use crate::failure::Failure;

/// A text field of `min..=max` characters, trimmed, with no character that could reorder or
/// hide text (controls, bidi and zero-width characters, see [`crate::terminal::is_unsafe`]):
/// references end up on bank statements and in other people's tools.
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String, Failure> {
    let value = value.trim();
    let length = value.chars().count();
    if length == 0 && min > 0 {
        return Err(Failure::bad_input(format!("The {field} is empty: give 1 to {max} characters.")));
    }
    if length > max {
        return Err(Failure::bad_input(format!(
            "The {field} is {length} characters long; Stitch takes at most {max}."
        )));
    }
    if value.chars().any(crate::terminal::is_unsafe) {
        return Err(Failure::bad_input(format!(
            "The {field} holds a control, direction or invisible character; use letters, digits, spaces and \
             punctuation only."
        )));
    }
    Ok(value.to_owned())
}

/// The id of a payment request or a refund, as the API gave it: 1 to 512 characters of
/// letters, digits and `+ / = _ . : -` (base64 and UUIDs fit; a line break, a quote or a space
/// never does).
pub fn object_id(field: &str, value: &str) -> Result<String, Failure> {
    let value = value.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || "+/=_.:-".contains(c);
    if value.is_empty() {
        return Err(Failure::bad_input(format!("The {field} is empty: give the ID printed when it was created.")));
    }
    if value.len() > 512 || !value.chars().all(allowed) {
        return Err(Failure::bad_input(format!(
            "The {field} is not one the API gives: IDs are letters, digits and + / = _ . : - (at most 512)."
        )));
    }
    Ok(value.to_owned())
}

/// A bank account number: 1 to 20 digits, spaces allowed between groups and dropped.
pub fn account_number(field: &str, value: &str) -> Result<String, Failure> {
    let digits: String = value.chars().filter(|c| *c != ' ').collect();
    if digits.is_empty() {
        return Err(Failure::bad_input(format!("The {field} is empty: give the account's digits.")));
    }
    if digits.len() > 20 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::bad_input(format!("The {field} must be digits only (at most 20).")));
    }
    Ok(digits)
}

/// The banks Stitch names in `BankBeneficiaryBankId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BankId {
    Absa,
    Capitec,
    DiscoveryBank,
    Fnb,
    Investec,
    Nedbank,
    StandardBank,
    Tymebank,
}

impl BankId {
    pub const ALL: [BankId; 8] = [
        BankId::Absa,
        BankId::Capitec,
        BankId::DiscoveryBank,
        BankId::Fnb,
        BankId::Investec,
        BankId::Nedbank,
        BankId::StandardBank,
        BankId::Tymebank,
    ];

    /// The id the API takes (`fnb`, `standard_bank`).
    pub fn as_str(self) -> &'static str {
        match self {
            BankId::Absa => "absa",
            BankId::Capitec => "capitec",
            BankId::DiscoveryBank => "discovery_bank",
            BankId::Fnb => "fnb",
            BankId::Investec => "investec",
            BankId::Nedbank => "nedbank",
            BankId::StandardBank => "standard_bank",
            BankId::Tymebank => "tymebank",
        }
    }

    /// The bank named by its id (any case; `-` or a space for `_`), or a sentence listing the ids.
    pub fn parse(value: &str) -> Result<Self, Failure> {
        let wanted = value.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|b| b.as_str() == wanted).ok_or_else(|| {
            let ids: Vec<&str> = Self::ALL.iter().map(|b| b.as_str()).collect();
            Failure::bad_input(format!("The bank is not one Stitch knows; use one of: {}.", ids.join(", ")))
        })
    }
}

/// Why a refund is made: Stitch's `RefundReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    Duplicate,
    Fraudulent,
    RequestedByUser,
}

impl RefundReason {
    pub const ALL: [RefundReason; 3] =
        [RefundReason::Duplicate, RefundReason::Fraudulent, RefundReason::RequestedByUser];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundReason::Duplicate => "duplicate",
            RefundReason::Fraudulent => "fraudulent",
            RefundReason::RequestedByUser => "requested_by_user",
        }
    }

    /// The reason named by its id, or a sentence listing the three.
    pub fn parse(value: &str) -> Result<Self, Failure> {
        let wanted = value.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| Failure::bad_input("The refund reason must be duplicate, fraudulent or requested_by_user."))
    }
}

/// A South African ID number: 13 digits.
pub fn id_number(value: &str) -> Result<String, Failure> {
    let value: String = value.chars().filter(|c| *c != ' ').collect();
    if value.len() != 13 || !value.chars().all(|c| c.is_ascii_digit()) {
        return Err(Failure::bad_input("The ID number must be the 13 digits of a South African ID number."));
    }
    Ok(value)
}

/// A South African company registration number as the CIPC writes it: `YYYY/NNNNNN/NN`.
pub fn registration(value: &str) -> Result<String, Failure> {
    let value = value.trim();
    let parts: Vec<&str> = value.split('/').collect();
    let shaped = matches!(parts.as_slice(), [y, n, t]
        if y.len() == 4 && n.len() == 6 && t.len() == 2
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())));
    if !shaped {
        return Err(Failure::bad_input(
            "The registration number must be written as the CIPC writes it, such as 2019/123456/07.",
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_field_is_trimmed_and_refused_when_empty_too_long_or_hiding_characters() {
        assert_eq!(text("payer reference", "  Order 12 ", 1, 12).unwrap(), "Order 12");
        assert_eq!(
            text("payer reference", "", 1, 12).unwrap_err().message,
            "The payer reference is empty: give 1 to 12 characters."
        );
        assert_eq!(
            text("payer reference", "thirteen char", 1, 12).unwrap_err().message,
            "The payer reference is 13 characters long; Stitch takes at most 12."
        );
        assert_eq!(text("payer reference", "ÄÖÜäöüßéèêàç", 1, 12).unwrap(), "ÄÖÜäöüßéèêàç");
        for hidden in ["a\u{202e}b", "a\nb", "a\u{200b}b", "a\u{1b}[2Jb"] {
            assert!(text("beneficiary reference", hidden, 1, 20)
                .unwrap_err()
                .message
                .contains("beneficiary reference holds"));
        }
    }

    #[test]
    fn an_id_is_what_the_api_gives_and_nothing_that_could_break_out_of_a_value() {
        assert_eq!(object_id("payment request ID", " cGF5cmVxLzAw+/= ").unwrap(), "cGF5cmVxLzAw+/=");
        assert!(object_id("payment request ID", "3f2a-11").is_ok());
        for bad in ["a b", "a\"}", "a\nb", &"x".repeat(513)] {
            assert!(object_id("payment request ID", bad)
                .unwrap_err()
                .message
                .starts_with("The payment request ID is not"));
        }
        assert!(object_id("refund ID", "").unwrap_err().message.starts_with("The refund ID is empty"));
    }

    #[test]
    fn bank_ids_are_stitchs_and_a_wrong_one_lists_them() {
        assert_eq!(BankId::parse("FNB").unwrap(), BankId::Fnb);
        assert_eq!(BankId::parse("standard-bank").unwrap().as_str(), "standard_bank");
        let refused = BankId::parse("bank of mars").unwrap_err().message;
        assert!(
            refused.contains("absa, capitec, discovery_bank, fnb, investec, nedbank, standard_bank, tymebank"),
            "{refused}"
        );
    }

    #[test]
    fn refund_reasons_are_the_three_stitch_takes() {
        assert_eq!(RefundReason::parse("requested_by_user").unwrap(), RefundReason::RequestedByUser);
        assert_eq!(RefundReason::parse("Duplicate").unwrap().as_str(), "duplicate");
        assert!(RefundReason::parse("changed my mind").is_err());
    }

    #[test]
    fn account_id_and_registration_numbers_have_their_shapes() {
        assert_eq!(account_number("account number", "6200 1234 567").unwrap(), "62001234567");
        assert!(account_number("account number", "62-001").unwrap_err().message.contains("digits only"));
        assert!(account_number("account number", "").is_err());
        assert_eq!(id_number("900101 5009 087").unwrap(), "9001015009087");
        assert!(id_number("90010150090").is_err());
        assert_eq!(registration("2019/123456/07").unwrap(), "2019/123456/07");
        for bad in ["2019/12345/07", "2019-123456-07", "abcd/123456/07", ""] {
            assert!(registration(bad).is_err(), "{bad}");
        }
    }
}
