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

/// `aria-sort` of a column header.
pub fn aria_sort(sorted_by: bool, descending: bool) -> &'static str {
    match (sorted_by, descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    }
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
