//! Page numbers from a query string (`?sida=3`): whatever is typed there, a page number comes out
//! and the arithmetic on it cannot overflow.

/// The highest page anyone can ask for; beyond it, lists show their last page's neighbourhood.
pub const MAX_PAGE: u32 = 1_000_000;

/// `sida` as typed: a number from 1 to [`MAX_PAGE`], or else the first page.
pub fn page_number(typed: &str) -> u32 {
    typed
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|p| (1..=MAX_PAGE).contains(p))
        .unwrap_or(1)
}

/// The rows to skip for `page` of `size` rows, checked: a page past the end of any list is an
/// empty page, never a negative or wrapped offset.
pub fn offset(page: u32, size: i64) -> i64 {
    i64::from(page.saturating_sub(1))
        .checked_mul(size)
        .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_typed_becomes_a_page() {
        assert_eq!(page_number("3"), 3);
        assert_eq!(page_number(" 2 "), 2);
        for odd in [
            "",
            "0",
            "-1",
            "abc",
            "1e9",
            "99999999999999999999",
            "1000001",
        ] {
            assert_eq!(page_number(odd), 1, "{odd}");
        }
        assert_eq!(page_number("1000000"), MAX_PAGE);
    }

    #[test]
    fn offsets_cannot_overflow() {
        assert_eq!(offset(1, 25), 0);
        assert_eq!(offset(3, 25), 50);
        assert_eq!(offset(MAX_PAGE, 25), 24_999_975);
        assert_eq!(offset(u32::MAX, i64::MAX), i64::MAX);
        assert_eq!(offset(0, 25), 0);
    }
}
