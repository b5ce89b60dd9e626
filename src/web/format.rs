//! Swedish formatting for display: dates and times in Swedish local time.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Stockholm;

/// Today's date in Sweden: what a date field left blank means and what "overdue" is measured
/// against, also in the hour after midnight when UTC is still on yesterday.
pub fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&Stockholm).date_naive()
}

/// `2026-11-24 14:05` in Swedish time (CET/CEST).
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shows_swedish_local_time_across_daylight_saving() {
        let winter = Utc.with_ymd_and_hms(2026, 11, 24, 13, 5, 0).unwrap();
        assert_eq!(date_time(winter), "2026-11-24 14:05");
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 10, 0, 0).unwrap();
        assert_eq!(date_time(summer), "2026-07-01 12:00");
        assert_eq!(
            date_time(Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()),
            "2026-03-29 03:00"
        );
    }
}
