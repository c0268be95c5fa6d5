//! The Sunday reminder scheduler: each Sunday at the configured hour of the supplier's time zone,
//! the slot's reminders are queued (`app::portal::reminders::run_slot`). The scheduler looks every
//! minute for the latest slot that has not run, so a server that was down on Sunday sends the
//! missed reminders once when it is back.

use app::state::{now_ms, AppState};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Schedule {
    zone: TimeZone,
    hour: i8,
}

impl Schedule {
    /// `zone` is an IANA name (`Europe/Berlin`), `hour` 0–23.
    pub fn new(zone: &str, hour: &str) -> Result<Schedule, String> {
        let zone = TimeZone::get(zone.trim()).map_err(|e| {
            format!("SUPPLIER_TIME_ZONE '{zone}' is not a time zone name like Europe/Berlin: {e}")
        })?;
        let hour = hour
            .trim()
            .parse::<i8>()
            .ok()
            .filter(|h| (0..24).contains(h))
            .ok_or_else(|| format!("REMINDER_HOUR '{hour}' must be a whole hour from 0 to 23"))?;
        Ok(Schedule { zone, hour })
    }

    /// The latest Sunday-at-the-hour at or before `now` (ms since the epoch), in ms.
    pub fn latest_slot(&self, now: i64) -> Result<i64, String> {
        let slot_of = |days_back: i64| -> Result<i64, jiff::Error> {
            let today = Timestamp::from_millisecond(now)?
                .to_zoned(self.zone.clone())
                .date();
            let since_sunday = i64::from(today.weekday().to_sunday_zero_offset());
            let sunday = today.checked_sub(Span::new().days(since_sunday + days_back))?;
            // On a day whose clocks skip the hour, the slot is the first moment after the gap.
            Ok(sunday
                .at(self.hour, 0, 0, 0)
                .to_zoned(self.zone.clone())?
                .timestamp()
                .as_millisecond())
        };
        let this_week = slot_of(0).map_err(|e| e.to_string())?;
        if this_week <= now {
            Ok(this_week)
        } else {
            slot_of(7).map_err(|e| e.to_string())
        }
    }
}

/// Runs the scheduler for as long as the server runs.
pub fn spawn(state: AppState, schedule: Schedule) {
    tokio::spawn(async move {
        // The first look a few seconds after start, once the server is serving.
        let first = tokio::time::Instant::now() + Duration::from_secs(5);
        let mut every_minute = tokio::time::interval_at(first, Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            let now = now_ms();
            let slot = match schedule.latest_slot(now) {
                Ok(slot) => slot,
                Err(error) => {
                    tracing::error!(%error, "reminders: cannot work out the Sunday slot");
                    continue;
                }
            };
            match app::portal::reminders::run_slot(&state.db, slot, now).await {
                Ok(Some(queued)) => tracing::info!(slot, queued, "reminders: Sunday reminders queued"),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "reminders: could not queue; will retry in a minute"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn the_slot_is_sunday_at_the_hour_of_the_suppliers_zone() {
        let berlin = Schedule::new("Europe/Berlin", "9").unwrap();
        // Sunday 29 November 2026, 09:00 in Berlin is 08:00 UTC.
        assert_eq!(
            berlin.latest_slot(ms("2026-11-29T08:30:00Z")),
            Ok(ms("2026-11-29T08:00:00Z"))
        );
        assert_eq!(
            berlin.latest_slot(ms("2026-11-29T08:00:00Z")),
            Ok(ms("2026-11-29T08:00:00Z"))
        );
        // A minute before, the slot is the Sunday before.
        assert_eq!(
            berlin.latest_slot(ms("2026-11-29T07:59:00Z")),
            Ok(ms("2026-11-22T08:00:00Z"))
        );
        // Midweek, the slot is last Sunday's.
        assert_eq!(
            berlin.latest_slot(ms("2026-12-02T12:00:00Z")),
            Ok(ms("2026-11-29T08:00:00Z"))
        );
    }

    #[test]
    fn summer_time_moves_the_slot_in_utc_not_in_local_time() {
        let berlin = Schedule::new("Europe/Berlin", "9").unwrap();
        // 29 March 2026: clocks go forward at 02:00; 09:00 CEST is 07:00 UTC.
        assert_eq!(
            berlin.latest_slot(ms("2026-03-29T07:00:00Z")),
            Ok(ms("2026-03-29T07:00:00Z"))
        );
        let early = Schedule::new("Europe/Berlin", "2").unwrap();
        // 02:00 does not exist that day: the slot is the end of the gap, 03:00 CEST (01:00 UTC).
        assert_eq!(
            early.latest_slot(ms("2026-03-29T05:00:00Z")),
            Ok(ms("2026-03-29T01:00:00Z"))
        );
    }

    #[test]
    fn a_bad_zone_or_hour_is_refused_with_a_message() {
        assert!(Schedule::new("Mars/Olympus", "9")
            .unwrap_err()
            .contains("SUPPLIER_TIME_ZONE"));
        assert!(Schedule::new("UTC", "24").unwrap_err().contains("REMINDER_HOUR"));
    }
}
