//! The review form: a comment, a recommended place and a "must for us" flag per item, checked
//! against the lines the group may review.

use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::text,
    portfolio::reviews::repo::{Note, ReviewLine},
    web::form::{FieldErrors, nth},
};

/// The review form: one entry per line, in the page's order. `must_have` lists the checked
/// items' ids.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub item: Vec<String>,
    #[serde(default)]
    pub comment: Vec<String>,
    #[serde(default)]
    pub rank: Vec<String>,
    #[serde(default)]
    pub must_have: Vec<String>,
    #[serde(default)]
    pub version: i32,
    /// Present when the group submits the review rather than saving a draft.
    #[serde(default)]
    pub submit: Option<String>,
}

impl ReviewForm {
    pub fn from_lines(lines: &[ReviewLine], version: i32) -> Self {
        ReviewForm {
            item: lines.iter().map(|l| l.item_id.to_string()).collect(),
            comment: lines.iter().map(|l| l.comment.clone()).collect(),
            rank: lines
                .iter()
                .map(|l| {
                    l.recommended_rank
                        .map(|r| r.to_string())
                        .unwrap_or_default()
                })
                .collect(),
            must_have: lines
                .iter()
                .filter(|l| l.must_have)
                .map(|l| l.item_id.to_string())
                .collect(),
            version,
            submit: None,
        }
    }

    /// What was typed for `item`: (comment, rank, must have).
    pub fn typed(&self, item: &Uuid) -> (&str, &str, bool) {
        let key = item.to_string();
        let i = self.item.iter().position(|x| *x == key);
        (
            nth(&self.comment, i),
            nth(&self.rank, i),
            self.must_have.contains(&key),
        )
    }

    /// Checks every line against the items the group may review.
    pub fn parse(&self, lines: &[ReviewLine]) -> Result<Vec<Note>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut notes = Vec::new();
        let mut ranks_seen: Vec<(i32, String)> = Vec::new();
        for line in lines {
            let (comment, rank, must_have) = self.typed(&line.item_id);
            let reference = line.reference();
            let comment = e.check(
                format!("comment-{}", line.item_id),
                text::bounded(comment, 4000, false),
            );
            let rank = match rank.trim() {
                "" => Some(None),
                typed => match typed.parse::<i32>() {
                    Ok(r) if (1..=1000).contains(&r) => {
                        if let Some((_, other)) = ranks_seen.iter().find(|(seen, _)| *seen == r) {
                            e.add(
                                format!("rank-{}", line.item_id),
                                format!("{reference}: plats {r} är redan given till {other}."),
                            );
                        }
                        ranks_seen.push((r, reference.clone()));
                        Some(Some(r))
                    }
                    _ => {
                        e.add(
                            format!("rank-{}", line.item_id),
                            format!(
                                "{reference}: ”{typed}” är ingen plats. Ange ett heltal från 1."
                            ),
                        );
                        None
                    }
                },
            };
            if let (Some(comment), Some(recommended_rank)) = (comment, rank) {
                notes.push(Note {
                    item_id: line.item_id,
                    comment,
                    recommended_rank,
                    must_have,
                });
            }
        }
        if e.is_empty() { Ok(notes) } else { Err(e) }
    }
}
