//! What the officials wrote in a period report and the figures they wrote it against. The text
//! around the generated sentences (summary, operating and investment text, the deviation
//! comments) is typed by people and speaks of figures ("about 2 mnkr under"); when a figure it
//! was written against changes afterwards, the report marks the text so that nobody decides on a
//! stale explanation. Figures are compared as shown (mnkr with one decimal), since that is what
//! the text could speak of: a change of a few kronor that does not move a shown figure is not one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The newest version of a report's text: its number, when and by whom it was saved, and the
/// figures as the report showed them then.
#[derive(Debug, Clone)]
pub struct Written {
    pub number: i32,
    pub figures: Shown,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<String>,
}

/// A text whose figures changed after it was written: the version it was last saved as, and the
/// figures that differ, as (what, then, now).
#[derive(Debug, Clone)]
pub struct Marking {
    pub number: i32,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<String>,
    pub changes: Vec<(String, String, String)>,
}

impl Written {
    /// The marking of this text against the figures shown `now`; none when none changed.
    pub fn marking(&self, now: &Shown) -> Option<Marking> {
        let changes = self.figures.changes(now);
        (!changes.is_empty()).then(|| Marking {
            number: self.number,
            saved_at: self.saved_at,
            saved_by: self.saved_by.clone(),
            changes,
        })
    }
}

/// The officials' text of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    pub summary: String,
    pub operating: String,
    pub investment: String,
    /// The deviation comments that are not blank: (what it is about, the comment), the
    /// activities' first, then the projects', in the report's order.
    pub comments: Vec<(String, String)>,
}

impl Texts {
    /// True while nothing is written: a report without text has nothing to mark.
    pub fn is_blank(&self) -> bool {
        self.summary.trim().is_empty()
            && self.operating.trim().is_empty()
            && self.investment.trim().is_empty()
            && self.comments.is_empty()
    }

    /// The texts that differ between `self` (older) and `newer`: (which text, then, now), with
    /// a comment added or removed shown against an empty text.
    pub fn changes(&self, newer: &Texts) -> Vec<(String, String, String)> {
        let mut changes: Vec<(String, String, String)> = [
            ("Sammanfattning", &self.summary, &newer.summary),
            ("Driftkostnader", &self.operating, &newer.operating),
            ("Investeringar", &self.investment, &newer.investment),
        ]
        .into_iter()
        .filter(|(_, then, now)| then != now)
        .map(|(what, then, now)| (what.to_owned(), then.clone(), now.clone()))
        .collect();
        let comment = |list: &[(String, String)], what: &str| {
            list.iter()
                .find(|(w, _)| w == what)
                .map(|(_, c)| c.clone())
                .unwrap_or_default()
        };
        let mut about: Vec<&String> = self.comments.iter().map(|(w, _)| w).collect();
        about.extend(
            newer
                .comments
                .iter()
                .map(|(w, _)| w)
                .filter(|w| !self.comments.iter().any(|(o, _)| o == *w)),
        );
        for what in about {
            let (then, now) = (
                comment(&self.comments, what),
                comment(&newer.comments, what),
            );
            if then != now {
                changes.push((format!("Kommentar: {what}"), then, now));
            }
        }
        changes
    }
}

/// Figures as a report showed them, by what they are: ("Netto, periodens avvikelse", "4,1").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown(pub Vec<(String, String)>);

impl Shown {
    pub fn push(&mut self, what: impl Into<String>, shown: String) {
        self.0.push((what.into(), shown));
    }

    /// The figures of `self` (when the text was written) that `now` shows differently, or no
    /// longer shows: (what, then, now).
    pub fn changes(&self, now: &Shown) -> Vec<(String, String, String)> {
        self.0
            .iter()
            .filter_map(|(what, then)| {
                let current = now
                    .0
                    .iter()
                    .find(|(w, _)| w == what)
                    .map_or_else(|| "–".to_owned(), |(_, v)| v.clone());
                (current != *then).then(|| (what.clone(), then.clone(), current))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pairs: &[(&str, &str)]) -> Shown {
        Shown(
            pairs
                .iter()
                .map(|(w, v)| ((*w).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn only_figures_shown_differently_are_changes() {
        let then = shown(&[
            ("Netto", "4,1"),
            ("Prognos", "8,6"),
            ("0005 X: utfall", "1,0"),
        ]);
        let now = shown(&[("Netto", "4,1"), ("Prognos", "8,4")]);
        assert_eq!(
            then.changes(&now),
            vec![
                ("Prognos".into(), "8,6".into(), "8,4".into()),
                ("0005 X: utfall".into(), "1,0".into(), "–".into()),
            ]
        );
        assert!(now.changes(&now).is_empty());
    }

    #[test]
    fn text_changes_name_the_text_and_the_comment() {
        let then = Texts {
            summary: "Läget är gott.".into(),
            comments: vec![("Vht 031".into(), "Vakanser.".into())],
            ..Texts::default()
        };
        let now = Texts {
            summary: "Läget är gott.".into(),
            operating: "Ny text.".into(),
            comments: vec![("0005 Y".into(), "Försenat.".into())],
            ..Texts::default()
        };
        assert_eq!(
            then.changes(&now),
            vec![
                ("Driftkostnader".into(), String::new(), "Ny text.".into()),
                (
                    "Kommentar: Vht 031".into(),
                    "Vakanser.".into(),
                    String::new()
                ),
                (
                    "Kommentar: 0005 Y".into(),
                    String::new(),
                    "Försenat.".into()
                ),
            ]
        );
        assert!(Texts::default().is_blank());
        assert!(!then.is_blank());
    }
}
