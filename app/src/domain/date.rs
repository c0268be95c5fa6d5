//! Calendar dates (effective and expiry dates of documents), without a time of day or zone.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A day of the proleptic Gregorian calendar, held as days since 1970-01-01. Written and parsed as
/// `YYYY-MM-DD`, the form of `<input type="date">`, which also sorts as text in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CalendarDate(i64);

impl CalendarDate {
    pub fn from_days(days: i64) -> Self {
        Self(days)
    }

    /// The UTC day of a timestamp in milliseconds.
    pub fn from_ms(ms: i64) -> Self {
        Self(ms.div_euclid(86_400_000))
    }

    pub fn days(self) -> i64 {
        self.0
    }

    pub fn add_days(self, days: i64) -> Self {
        Self(self.0 + days)
    }

    /// Parses `YYYY-MM-DD`; `what` names the field in the message.
    pub fn parse(raw: &str, what: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(format!("{what} is required."));
        }
        let invalid = || format!("{what} '{raw}' is not a date: use the form 2026-12-31.");
        let parts: Vec<&str> = raw.split('-').collect();
        let [year, month, day] = parts.as_slice() else {
            return Err(invalid());
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(invalid());
        }
        let number = |s: &str| {
            s.parse::<i64>()
                .ok()
                .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
        };
        let (Some(year), Some(month), Some(day)) = (number(year), number(month), number(day)) else {
            return Err(invalid());
        };
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(format!("{what} '{raw}' is not a day of the calendar."));
        }
        if !(1900..=2999).contains(&year) {
            return Err(format!("{what} must be between the years 1900 and 2999."));
        }
        Ok(Self(days_from_civil(year, month, day)))
    }

    /// Year, month (1–12) and day (1–31).
    pub fn civil(self) -> (i64, i64, i64) {
        // Howard Hinnant's algorithm, days since 1970-01-01 to a civil date.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(month <= 2), month, day)
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_parse_and_print_as_iso() {
        let date = CalendarDate::parse("2000-02-29", "Expiry date").unwrap();
        assert_eq!(date.days(), 11_016);
        assert_eq!(date.to_string(), "2000-02-29");
        assert_eq!(date.add_days(1).to_string(), "2000-03-01");
        assert_eq!(CalendarDate::from_ms(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn impossible_dates_are_refused_with_the_field_named() {
        assert_eq!(
            CalendarDate::parse("2026-02-29", "Expiry date").unwrap_err(),
            "Expiry date '2026-02-29' is not a day of the calendar."
        );
        assert!(CalendarDate::parse("31/12/2026", "Effective date")
            .unwrap_err()
            .contains("2026-12-31"));
        assert!(CalendarDate::parse("2026-1-05", "Effective date").is_err());
        assert!(CalendarDate::parse("+026-01-05", "Effective date").is_err());
        assert_eq!(
            CalendarDate::parse(" ", "Expiry date").unwrap_err(),
            "Expiry date is required."
        );
    }

    proptest! {
        #[test]
        fn every_day_round_trips(days in -25_567i64..376_000) {
            let date = CalendarDate::from_days(days);
            prop_assert_eq!(CalendarDate::parse(&date.to_string(), "Date").unwrap(), date);
        }
    }
}
