//! The grids of the data entry (a year's months, a board's projects, a board's members) posted
//! as one form: per row its key, one or two typed cells, and what the cells showed when the page
//! was loaded. A row the user did not touch is left alone; a touched row whose saved values no
//! longer are what the page showed is a conflict (compare-and-swap), so a stale form never
//! overwrites what someone else saved meanwhile.

use serde::Deserialize;

use crate::{domain::money::Money, web::form::FieldErrors};

/// A grid as posted: parallel lists, one entry per row.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GridForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub key: Vec<String>,
    #[serde(default)]
    pub left: Vec<String>,
    #[serde(default)]
    pub right: Vec<String>,
    #[serde(default)]
    pub was_left: Vec<String>,
    #[serde(default)]
    pub was_right: Vec<String>,
    /// The operating budget's other form: the year's revenue and costs to spread evenly.
    #[serde(default)]
    pub year_left: String,
    #[serde(default)]
    pub year_right: String,
}

/// One posted row.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub key: &'a str,
    pub left: &'a str,
    pub right: &'a str,
    pub was_left: &'a str,
    pub was_right: &'a str,
}

impl Row<'_> {
    /// Whether the user changed a cell of this row.
    pub fn edited(&self) -> bool {
        self.left.trim() != self.was_left.trim() || self.right.trim() != self.was_right.trim()
    }

    /// Whether the page showed something other than what is saved now.
    pub fn stale(&self, saved: &(String, String)) -> bool {
        self.was_left.trim() != saved.0 || self.was_right.trim() != saved.1
    }
}

fn at(values: &[String], i: usize) -> &str {
    values.get(i).map_or("", String::as_str)
}

impl GridForm {
    /// The form as saved: every row shows, and showed, its saved cells.
    pub fn saved(year: i32, rows: impl IntoIterator<Item = (String, (String, String))>) -> Self {
        let mut form = GridForm {
            year: year.to_string(),
            ..GridForm::default()
        };
        for (key, (left, right)) in rows {
            form.key.push(key);
            form.was_left.push(left.clone());
            form.was_right.push(right.clone());
            form.left.push(left);
            form.right.push(right);
        }
        form
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.key.iter().enumerate().map(|(i, key)| Row {
            key,
            left: at(&self.left, i),
            right: at(&self.right, i),
            was_left: at(&self.was_left, i),
            was_right: at(&self.was_right, i),
        })
    }

    /// What row `key` holds: (left, right, was left, was right).
    pub fn cells(&self, key: &str) -> (&str, &str, &str, &str) {
        self.rows()
            .find(|r| r.key == key)
            .map_or(("", "", "", ""), |r| {
                (r.left, r.right, r.was_left, r.was_right)
            })
    }

    /// After a conflict: every row showed what is saved now, so a second save means "mine over
    /// theirs", having seen theirs; rows the user did not touch show it too.
    pub fn rebase(&mut self, saved: &[(String, (String, String))]) {
        let mut rebased = Vec::with_capacity(saved.len());
        for (key, (left, right)) in saved {
            let typed = self.rows().find(|r| r.key == key).filter(|r| r.edited());
            let (l, r) = typed.map_or((left.clone(), right.clone()), |t| {
                (t.left.to_owned(), t.right.to_owned())
            });
            rebased.push((key.clone(), (l, r), (left.clone(), right.clone())));
        }
        self.key = rebased.iter().map(|r| r.0.clone()).collect();
        self.left = rebased.iter().map(|r| r.1.0.clone()).collect();
        self.right = rebased.iter().map(|r| r.1.1.clone()).collect();
        self.was_left = rebased.iter().map(|r| r.2.0.clone()).collect();
        self.was_right = rebased.iter().map(|r| r.2.1.clone()).collect();
    }
}

/// An amount cell: blank is none.
pub fn amount(typed: &str, what: &str) -> Result<Option<Money>, String> {
    if typed.trim().is_empty() {
        Ok(None)
    } else {
        Money::parse(typed)
            .map(Some)
            .map_err(|e| format!("{what}: {e}"))
    }
}

/// A saved amount as a cell shows it: `1 234 567,50`, blank when there is none.
pub fn shown(amount: Option<Money>) -> String {
    amount.map(Money::format_kr).unwrap_or_default()
}

/// The two amount cells of a row, a blank one as zero when the other is typed; none when both
/// are blank. Errors go under `left-<key>` and `right-<key>`.
pub fn pair(
    row: &Row<'_>,
    (left_what, right_what): (&str, &str),
    errors: &mut FieldErrors,
) -> Option<Option<(Money, Money)>> {
    let left = errors.check(format!("left-{}", row.key), amount(row.left, left_what));
    let right = errors.check(format!("right-{}", row.key), amount(row.right, right_what));
    match (left?, right?) {
        (None, None) => Some(None),
        (l, r) => Some(Some((l.unwrap_or(Money::ZERO), r.unwrap_or(Money::ZERO)))),
    }
}

/// A year from a form or a query: 2000–2100, as the tables allow.
pub fn year(typed: &str) -> Result<i32, String> {
    typed
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            format!(
                "År: ”{}” är inget år mellan 2000 och 2100.",
                crate::domain::text::excerpt(typed.trim())
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_keeps_the_typed_rows_and_shows_the_saved_ones_elsewhere() {
        let mut form = GridForm::saved(
            2026,
            [
                ("1".to_owned(), ("10".to_owned(), "20".to_owned())),
                ("2".to_owned(), ("30".to_owned(), "40".to_owned())),
            ],
        );
        form.left[0] = "11".into();
        let saved = [
            ("1".to_owned(), ("12".to_owned(), "20".to_owned())),
            ("2".to_owned(), ("31".to_owned(), "40".to_owned())),
        ];
        assert!(form.rows().next().unwrap().stale(&saved[0].1));
        form.rebase(&saved);
        assert_eq!(form.cells("1"), ("11", "20", "12", "20"));
        assert_eq!(form.cells("2"), ("31", "40", "31", "40"));
    }

    #[test]
    fn a_half_typed_pair_counts_the_blank_as_zero() {
        let form = GridForm::saved(2026, [("1".to_owned(), (String::new(), String::new()))]);
        let mut row = form.rows().next().unwrap();
        row.left = "1 234,50";
        let mut e = FieldErrors::new();
        assert_eq!(
            pair(&row, ("Intäkter", "Kostnader"), &mut e),
            Some(Some((Money::parse("1234,5").unwrap(), Money::ZERO)))
        );
        row.right = "tio";
        assert_eq!(pair(&row, ("Intäkter", "Kostnader"), &mut e), None);
        assert!(e.get("right-1").unwrap().starts_with("Kostnader: ”tio”"));
        assert!(year("1999").is_err() && year("2101").is_err() && year(" 2026 ") == Ok(2026));
    }
}
