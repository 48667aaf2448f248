//! Money as the API takes it and gives it back. An input is Stitch's `MoneyInput`: the
//! quantity a `Decimal` sent as a string (`"1.00"`), the currency `ZAR`. An answer's `Money`
//! is a scalar JSON object (`{"quantity": "1.00", "currency": "ZAR"}`), selected with no
//! sub-fields; it is read whatever else it holds and in any order.

use serde::Serialize;
use serde_json::{json, Value};

use crate::failure::Failure;
use crate::outside::Outside;

/// The one currency Pay By Bank takes.
pub const CURRENCY: &str = "ZAR";

/// An amount of rand, more than zero, in whole cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount {
    cents: u64,
}

impl Amount {
    /// Reads what a person typed for `field` ("amount", "refund amount"): a number of rand
    /// such as `1`, `1.5`, `1.00` or `R1.00`, optionally with `ZAR` before or after it. Refused, with a
    /// sentence naming the field: zero or less, more than two decimals, another currency,
    /// anything that is not such a number.
    pub fn parse(field: &str, text: &str) -> Result<Self, Failure> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let number = match words.as_slice() {
            [n] => *n,
            [c, n] | [n, c] if c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                if !c.eq_ignore_ascii_case(CURRENCY) {
                    return Err(Failure::bad_input(format!(
                        "The {field} must be in rand (ZAR): Stitch's Pay By Bank takes no other currency."
                    )));
                }
                *n
            }
            [] => return Err(Failure::bad_input(format!("The {field} is empty: give a number of rand such as 1.00."))),
            _ => return Err(not_a_number(field)),
        };
        // "R1.00" is how amounts are written in South Africa.
        let number = number.strip_prefix('R').filter(|n| n.starts_with(|c: char| c.is_ascii_digit())).unwrap_or(number);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(whole) || (number.contains('.') && !digits(fraction)) {
            return Err(not_a_number(field));
        }
        if fraction.len() > 2 {
            return Err(Failure::bad_input(format!(
                "The {field} may have at most two decimals (cents), such as 1.25."
            )));
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 9 {
            return Err(Failure::bad_input(format!("The {field} may be at most R999999999.99.")));
        }
        let whole: u64 = whole.parse().unwrap_or(0);
        let total = whole * 100 + format!("{fraction:0<2}").parse::<u64>().unwrap_or(0);
        if total == 0 {
            return Err(Failure::bad_input(format!("The {field} must be more than zero.")));
        }
        Ok(Self { cents: total })
    }

    pub fn cents(self) -> u64 {
        self.cents
    }

    /// The `Decimal` Stitch takes: rand, a point and two decimals (`"1.00"`).
    pub fn quantity(self) -> String {
        format!("{}.{:02}", self.cents / 100, self.cents % 100)
    }

    /// Stitch's `MoneyInput` for this amount.
    pub fn money_input(self) -> Value {
        json!({ "quantity": self.quantity(), "currency": CURRENCY })
    }

    /// For people: `R1.00`.
    pub fn words(self) -> String {
        format!("R{}", self.quantity())
    }
}

/// Serialized as the quantity (`"1.00"`), the form the API and scripts use.
impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.quantity())
    }
}

fn not_a_number(field: &str) -> Failure {
    Failure::bad_input(format!(
        "The {field} must be a number of rand such as 1.00 (digits, and a point before the cents)."
    ))
}

/// An amount the API answered with, as it came: the server chose both texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    pub quantity: Outside,
    pub currency: Outside,
    /// The amount, when it is rand with at most two decimals (what Token Desk can compare).
    #[serde(skip)]
    amount: Option<Amount>,
}

impl Money {
    /// Reads Stitch's `Money` scalar: an object with `quantity` (a string, or a number) and
    /// `currency`; other fields are ignored. `None` for anything else (or `null`).
    pub fn read(value: &Value) -> Option<Self> {
        let quantity = match value.get("quantity")? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        let currency = value.get("currency")?.as_str()?.to_owned();
        // "1.0", "1.000": a server may write more or fewer decimals than Token Desk sends.
        let trimmed = match quantity.split_once('.') {
            Some((w, f)) if f.len() > 2 && f[2..].chars().all(|c| c == '0') => format!("{w}.{}", &f[..2]),
            _ => quantity.clone(),
        };
        let amount = (currency == CURRENCY).then(|| Amount::parse("amount", &trimmed).ok()).flatten();
        Some(Self { quantity: Outside::new(quantity), currency: Outside::new(currency), amount })
    }

    /// The amount, when Token Desk can read it as rand.
    pub fn amount(&self) -> Option<Amount> {
        self.amount
    }

    /// For people: `R1.00`, or a note that the amount is below (what the server wrote is
    /// outside text, shown by each output's encoder, never inside a sentence).
    pub fn words(&self) -> String {
        match self.amount {
            Some(a) => a.words(),
            None => "an amount Token Desk cannot read (shown as it came)".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(text: &str) -> u64 {
        Amount::parse("amount", text).unwrap().cents()
    }

    fn refusal(text: &str) -> String {
        Amount::parse("refund amount", text).unwrap_err().message
    }

    #[test]
    fn an_amount_is_rand_with_at_most_two_decimals_written_back_with_two() {
        assert_eq!(cents("1"), 100);
        assert_eq!(cents("1.5"), 150);
        assert_eq!(cents(" 12.34 "), 1234);
        assert_eq!(cents("ZAR 0.01"), 1);
        assert_eq!(cents("2.00 zar"), 200);
        assert_eq!(cents("R3.10"), 310);
        assert_eq!(Amount::parse("amount", "1.5").unwrap().quantity(), "1.50");
        assert_eq!(Amount::parse("amount", "007").unwrap().words(), "R7.00");
        assert_eq!(Amount::parse("amount", "1").unwrap().money_input(), json!({"quantity": "1.00", "currency": "ZAR"}));
    }

    #[test]
    fn each_bad_amount_is_refused_with_a_sentence_naming_the_field() {
        assert_eq!(refusal("0"), "The refund amount must be more than zero.");
        assert_eq!(refusal("0.00"), "The refund amount must be more than zero.");
        assert!(refusal("1.001").contains("at most two decimals"));
        assert!(refusal("USD 1.00").contains("must be in rand (ZAR)"));
        for bad in ["-1", "1,00", "1.", ".5", "1e3", "1 000", "R", "Rx1", "abc", "1.2.3", "+1"] {
            assert!(refusal(bad).starts_with("The refund amount must be a number of rand"), "{bad}: {}", refusal(bad));
        }
        assert!(refusal("").contains("is empty"));
        assert!(refusal("1000000000").contains("at most"));
        assert!(refusal("99999999999999999999999").contains("at most"));
    }

    #[test]
    fn money_in_an_answer_is_read_with_extra_fields_in_any_order() {
        let m = Money::read(&json!({"currency": "ZAR", "extra": 1, "quantity": "1.00"})).unwrap();
        assert_eq!(m.amount().unwrap().cents(), 100);
        assert_eq!(m.words(), "R1.00");
        assert_eq!(Money::read(&json!({"quantity": 2.5, "currency": "ZAR"})).unwrap().words(), "R2.50");
        assert_eq!(Money::read(&json!({"quantity": "3.000", "currency": "ZAR"})).unwrap().words(), "R3.00");
        let other = Money::read(&json!({"quantity": "1.00", "currency": "USD"})).unwrap();
        assert_eq!(other.amount(), None);
        assert_eq!(other.currency.for_page(), "USD");
        assert_eq!(Money::read(&json!(null)), None);
        assert_eq!(Money::read(&json!({"quantity": "1.00"})), None);
        assert_eq!(serde_json::to_value(&m).unwrap(), json!({"quantity": "1.00", "currency": "ZAR"}));
    }
}
