//! Amounts of money, held exactly in cents.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-negative amount in the smallest unit of the supplier's currency (two decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Money(i64);

/// The largest price accepted: a billion, far above any unit price, far below overflow.
const MAX_CENTS: i64 = 100_000_000_000;

impl Money {
    pub fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses what a person types: `12`, `12.5`, `12.50`, `1,234.50`, with an optional leading `$`.
    pub fn parse(raw: &str, what: &str) -> Result<Self, String> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(format!("{what} is required."));
        }
        let invalid = || format!("{what} '{value}' is not an amount: write it like 1234.50");
        let digits = value.strip_prefix('$').unwrap_or(value).trim_start();
        if digits.starts_with('-') {
            return Err(format!("{what} cannot be negative."));
        }
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let whole = whole.replace(',', "");
        if whole.is_empty() && fraction.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        if fraction.len() > 2 {
            return Err(format!("{what} has at most two decimals (cents)."));
        }
        // Only digits are left, so a failed parse is an overflow.
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| format!("{what} is too large."))?
        };
        let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .filter(|c| *c <= MAX_CENTS)
            .map(Self)
            .ok_or_else(|| format!("{what} is too large."))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_are_exact_cents() {
        assert_eq!(Money::parse("12", "Price").unwrap().cents(), 1200);
        assert_eq!(Money::parse("12.5", "Price").unwrap().cents(), 1250);
        assert_eq!(Money::parse("$1,234.05", "Price").unwrap().cents(), 123_405);
        assert_eq!(Money::parse("0.10", "Price").unwrap().cents(), 10);
        assert_eq!(Money::parse(".99", "Price").unwrap().cents(), 99);
        assert_eq!(Money::from_cents(123_405).to_string(), "1234.05");
    }

    #[test]
    fn bad_amounts_say_what_is_wrong() {
        assert_eq!(
            Money::parse("", "Unit price").unwrap_err(),
            "Unit price is required."
        );
        assert_eq!(
            Money::parse("-1", "Unit price").unwrap_err(),
            "Unit price cannot be negative."
        );
        assert_eq!(
            Money::parse("1.999", "Unit price").unwrap_err(),
            "Unit price has at most two decimals (cents)."
        );
        assert!(Money::parse("12abc", "Unit price")
            .unwrap_err()
            .contains("not an amount"));
        assert!(Money::parse(".", "Unit price").is_err());
        assert_eq!(
            Money::parse("99999999999999999999", "Unit price").unwrap_err(),
            "Unit price is too large."
        );
    }

    proptest! {
        #[test]
        fn printed_amounts_parse_back(cents in 0i64..=MAX_CENTS) {
            let money = Money::from_cents(cents);
            prop_assert_eq!(Money::parse(&money.to_string(), "Price").unwrap(), money);
        }

        #[test]
        fn no_text_makes_the_parser_panic(text in ".{0,30}") {
            let _ = Money::parse(&text, "Price");
        }
    }
}
