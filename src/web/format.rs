//! Swedish formatting for display: dates and times in Swedish local time.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Stockholm;

/// Today's date in Sweden: what a date field left blank means and what "overdue" is measured
/// against, also in the hour after midnight when UTC is still on yesterday.
pub fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&Stockholm).date_naive()
}

/// The instant a day starts in Swedish time: what "from 2026-03-01" means to a reader.
pub fn stockholm_midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    // Swedish clocks never skip or repeat midnight; `earliest` covers any zone rule anyway.
    Stockholm
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc))
}

/// `2026-11-24 14:05` in Swedish time (CET/CEST).
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A list page's address with some query parameters replaced; an empty value drops the
/// parameter, so the address stays as short as the filter.
pub fn query_link(base: &str, current: &[(&str, &str)], overrides: &[(&str, &str)]) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    for (key, value) in current {
        let value = overrides
            .iter()
            .find(|(k, _)| k == key)
            .map_or(*value, |(_, v)| *v);
        if !value.is_empty() {
            url.append_pair(key, value);
        }
    }
    let query = url.finish();
    if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{query}")
    }
}

/// A wait in words: "15 sekunder", "1 minut", "4 minuter" (rounded up to whole minutes).
pub fn duration_in_words(seconds: i64) -> String {
    match seconds {
        ..=1 => "1 sekund".to_owned(),
        2..=59 => format!("{seconds} sekunder"),
        60 => "1 minut".to_owned(),
        _ => format!("{} minuter", (seconds + 59) / 60),
    }
}

/// `aria-sort` of a column header.
pub fn aria_sort(sorted_by: bool, descending: bool) -> &'static str {
    match (sorted_by, descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    }
}

/// "1 post", "3 poster", "99 900 utfallsposter".
pub fn count(n: i64, one: &str, many: &str) -> String {
    let number = crate::domain::number::format_quantity(rust_decimal::Decimal::from(n));
    format!("{number} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn waits_in_words() {
        assert_eq!(duration_in_words(1), "1 sekund");
        assert_eq!(duration_in_words(15), "15 sekunder");
        assert_eq!(duration_in_words(60), "1 minut");
        assert_eq!(duration_in_words(61), "2 minuter");
        assert_eq!(duration_in_words(900), "15 minuter");
    }

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
