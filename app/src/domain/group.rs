//! Customer groups as typed in Settings, and the price rule they make.

use super::listing::{description, first_error};
use super::text::required;
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A change of price in hundredths of a percent: -1250 is 12.5 % off, 500 is 5 % on top.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PriceAdjustment(i64);

/// The bounds people may type: everything free at most, eleven times the price at most.
const MIN_BP: i64 = -10_000;
const MAX_BP: i64 = 100_000;

impl PriceAdjustment {
    pub const NONE: PriceAdjustment = PriceAdjustment(0);

    pub fn from_basis_points(bp: i64) -> Self {
        Self(bp.clamp(MIN_BP, MAX_BP))
    }

    pub fn basis_points(self) -> i64 {
        self.0
    }

    /// Parses `-10`, `-12.5 %`, `+5`; empty is no adjustment.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        let number = value.strip_suffix('%').unwrap_or(value).trim();
        if number.is_empty() {
            return Ok(Self::NONE);
        }
        let invalid = || {
            format!(
                "Price adjustment '{value}' is not a percentage: write -10 for 10 % off, or 5 for 5 % more."
            )
        };
        let (negative, digits) = match number.strip_prefix(['-', '\u{2212}']) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, number.strip_prefix('+').unwrap_or(number).trim_start()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 6
        {
            return Err(invalid());
        }
        if fraction.len() > 2 {
            return Err("Price adjustment has at most two decimals (12.25 %).".into());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| invalid())?
        };
        let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let bp = (whole * 100 + fraction) * if negative { -1 } else { 1 };
        if bp < MIN_BP {
            return Err("Price adjustment cannot take off more than 100 %.".into());
        }
        if bp > MAX_BP {
            return Err("Price adjustment can add at most 1000 %.".into());
        }
        Ok(Self(bp))
    }

    /// The price after the adjustment, rounded to the nearest cent (halves up).
    pub fn apply(self, cents: i64) -> i64 {
        let scaled = i128::from(cents) * i128::from(10_000 + self.0);
        let rounded = (scaled + 5_000).div_euclid(10_000);
        i64::try_from(rounded.max(0)).unwrap_or(i64::MAX)
    }

    /// The adjustment for a customer in these groups. Adjustments are not added together: the one
    /// that gives the lowest price applies, so joining a group never raises what a customer pays
    /// beyond the dearest group they are in, and two discounts never stack past either of them.
    pub fn for_groups(adjustments: impl IntoIterator<Item = PriceAdjustment>) -> Self {
        adjustments.into_iter().min().unwrap_or(Self::NONE)
    }
}

impl fmt::Display for PriceAdjustment {
    /// `-12.5 %`, `+5 %`, `0 %`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.0.signum() {
            -1 => "\u{2212}",
            1 => "+",
            _ => "",
        };
        let abs = self.0.abs();
        let (whole, fraction) = (abs / 100, abs % 100);
        if fraction == 0 {
            write!(f, "{sign}{whole} %")
        } else if fraction % 10 == 0 {
            write!(f, "{sign}{whole}.{} %", fraction / 10)
        } else {
            write!(f, "{sign}{whole}.{fraction:02} %")
        }
    }
}

/// The group form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupInput {
    pub name: String,
    pub description: String,
    pub price_adjustment: String,
    /// A ticked checkbox sends a value; an unticked one sends nothing.
    #[serde(default)]
    pub tax_exempt: Option<String>,
    #[serde(default)]
    pub assignable: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGroup {
    pub name: String,
    pub description: Option<String>,
    pub price_adjustment: PriceAdjustment,
    pub tax_exempt: bool,
    pub assignable: bool,
}

impl ValidGroup {
    /// Names are unique ignoring case.
    pub fn name_key(&self) -> String {
        self.name.to_lowercase()
    }
}

impl GroupInput {
    pub fn parse(&self) -> Result<ValidGroup, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required(&self.name, "Group name", 100));
        let description = errors.check("description", description(&self.description));
        let price_adjustment =
            errors.check("price_adjustment", PriceAdjustment::parse(&self.price_adjustment));
        match (name, description, price_adjustment) {
            (Some(name), Some(description), Some(price_adjustment)) => Ok(ValidGroup {
                name,
                description,
                price_adjustment,
                tax_exempt: self.tax_exempt.is_some(),
                assignable: self.assignable.is_some(),
            }),
            _ => Err(errors),
        }
    }

    pub fn check_field(field: &str, value: &str) -> Result<(), String> {
        let mut input = GroupInput {
            name: "x".into(),
            ..GroupInput::default()
        };
        let slot = match field {
            "name" => &mut input.name,
            "description" => &mut input.description,
            "price_adjustment" => &mut input.price_adjustment,
            _ => return Ok(()),
        };
        *slot = value.into();
        first_error(input.parse().err(), field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bp(raw: &str) -> i64 {
        PriceAdjustment::parse(raw).unwrap().basis_points()
    }

    #[test]
    fn percentages_are_read_as_people_write_them() {
        assert_eq!(bp("-10"), -1000);
        assert_eq!(bp(" -12.5 % "), -1250);
        assert_eq!(bp("+5"), 500);
        assert_eq!(bp("7.25%"), 725);
        assert_eq!(bp("\u{2212}3"), -300);
        assert_eq!(bp(""), 0);
        assert_eq!(bp("-100"), -10_000);
        assert!(PriceAdjustment::parse("-100.01")
            .unwrap_err()
            .contains("more than 100 %"));
        assert!(PriceAdjustment::parse("1000.5")
            .unwrap_err()
            .contains("at most 1000 %"));
        assert!(PriceAdjustment::parse("ten")
            .unwrap_err()
            .contains("'ten' is not a percentage"));
        assert!(PriceAdjustment::parse("1.234")
            .unwrap_err()
            .contains("two decimals"));
        assert!(PriceAdjustment::parse("--5").is_err());
        assert!(PriceAdjustment::parse("-").is_err());
    }

    #[test]
    fn it_reads_back_as_it_is_shown() {
        for raw in ["-12.5", "5", "0", "-0.05", "7.25", "-100"] {
            let adjustment = PriceAdjustment::parse(raw).unwrap();
            assert_eq!(
                PriceAdjustment::parse(&adjustment.to_string()).unwrap(),
                adjustment,
                "{raw}"
            );
        }
        assert_eq!(
            PriceAdjustment::from_basis_points(-1250).to_string(),
            "\u{2212}12.5 %"
        );
        assert_eq!(PriceAdjustment::from_basis_points(500).to_string(), "+5 %");
    }

    #[test]
    fn prices_round_to_the_nearest_cent() {
        let ten_off = PriceAdjustment::from_basis_points(-1000);
        assert_eq!(ten_off.apply(1200), 1080);
        // 3.50 less 12.5 % is 3.0625: 3.06.
        assert_eq!(PriceAdjustment::from_basis_points(-1250).apply(350), 306);
        // 0.05 less 10 % is 0.045: halves go up, 0.05.
        assert_eq!(ten_off.apply(5), 5);
        assert_eq!(PriceAdjustment::from_basis_points(-10_000).apply(1200), 0);
        assert_eq!(PriceAdjustment::NONE.apply(1234), 1234);
    }

    #[test]
    fn in_several_groups_the_lowest_price_applies_and_nothing_stacks() {
        let of = |bps: &[i64]| {
            PriceAdjustment::for_groups(bps.iter().map(|b| PriceAdjustment::from_basis_points(*b)))
        };
        assert_eq!(of(&[]).basis_points(), 0);
        assert_eq!(of(&[-500, -1000]).basis_points(), -1000);
        assert_eq!(of(&[500, -200]).basis_points(), -200);
        assert_eq!(of(&[500, 300]).basis_points(), 300);
    }

    #[test]
    fn the_form_reports_each_field() {
        let errors = GroupInput {
            name: " ".into(),
            price_adjustment: "abc".into(),
            ..GroupInput::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("name"), Some("Group name is required."));
        assert!(errors.get("price_adjustment").unwrap().contains("'abc'"));
        let group = GroupInput {
            name: "Wholesale".into(),
            price_adjustment: "-10".into(),
            tax_exempt: Some("on".into()),
            ..GroupInput::default()
        }
        .parse()
        .unwrap();
        assert!(group.tax_exempt && !group.assignable);
        assert_eq!(group.price_adjustment.basis_points(), -1000);
    }

    proptest! {
        #[test]
        fn parsing_never_panics(raw in "\\PC{0,12}") {
            let _ = PriceAdjustment::parse(&raw);
        }

        #[test]
        fn a_discount_never_raises_a_price(cents in 0i64..100_000_000_000, bp in -10_000i64..=0) {
            let price = PriceAdjustment::from_basis_points(bp).apply(cents);
            prop_assert!(price <= cents && price >= 0);
        }
    }
}
