//! What every list's query string has in common: a sort column chosen by a key in the address,
//! its direction, and a search text. Each list declares its columns; the parsing is here once.

/// A list's sort columns, each with its key in the address (`?sortera=namn`). An unknown key
/// sorts by the default column.
pub trait SortKey: Copy + PartialEq + Default + 'static {
    /// Every column with its key.
    const ALL: &'static [(Self, &'static str)];

    fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, k)| k)
    }

    fn from_key(key: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == key)
            .map_or_else(Self::default, |(c, _)| *c)
    }
}

/// `?ordning=fallande` sorts descending; anything else ascending.
pub fn descending(order: &str) -> bool {
    order == "fallande"
}

/// The search text as the query runs it: trimmed, without control characters, at most 200
/// characters; `None` when nothing is left to search for.
pub fn search_text(typed: &str) -> Option<String> {
    let typed = typed.trim();
    (!typed.is_empty()).then(|| {
        typed
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect()
    })
}

/// An `ILIKE` pattern for text containing `search` as typed: `%`, `_` and `\` match only
/// themselves (a search for "%" is not a search for everything).
pub fn contains_pattern(search: &str) -> String {
    let mut pattern = String::with_capacity(search.len() + 2);
    pattern.push('%');
    for c in search.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_matches_its_wildcards_literally() {
        assert_eq!(contains_pattern("Ö-kort"), "%Ö-kort%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    enum Column {
        #[default]
        Name,
        Cost,
    }

    impl SortKey for Column {
        const ALL: &'static [(Self, &'static str)] =
            &[(Column::Name, "namn"), (Column::Cost, "kostnad")];
    }

    #[test]
    fn keys_round_trip_and_unknown_keys_sort_by_the_default() {
        assert_eq!(Column::from_key("kostnad"), Column::Cost);
        assert_eq!(Column::Cost.key(), "kostnad");
        assert_eq!(Column::from_key("'; DROP"), Column::Name);
        assert_eq!(Column::from_key(""), Column::Name);
    }

    #[test]
    fn search_text_is_trimmed_cleaned_and_bounded() {
        assert_eq!(search_text("   "), None);
        assert_eq!(
            search_text(" Nytt\u{0} beslut ").as_deref(),
            Some("Nytt beslut")
        );
        assert_eq!(
            search_text(&"å".repeat(500)).map(|s| s.chars().count()),
            Some(200)
        );
    }

    #[test]
    fn only_fallande_sorts_descending() {
        assert!(descending("fallande"));
        assert!(!descending("stigande"));
        assert!(!descending(""));
    }
}
