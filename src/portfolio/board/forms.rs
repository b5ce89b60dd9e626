//! The board's form: the typed places of the rows, and the move buttons.

use serde::Deserialize;

use crate::{
    domain::ranking::{Entry, Move},
    portfolio::board::repo::BoardRow,
    web::form::FieldErrors,
};

/// The board form: every row's item (by its number, which keeps a page of 500 rows small), the
/// position it showed and the position typed, in the page's order; `move` is a button's
/// "up:<number>" or "down:<number>".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RankForm {
    #[serde(default)]
    pub item: Vec<String>,
    #[serde(default)]
    pub was: Vec<String>,
    #[serde(default)]
    pub rank: Vec<String>,
    #[serde(default, rename = "move")]
    pub mv: String,
    #[serde(default)]
    pub version: i32,
}

impl RankForm {
    pub fn typed(&self, item: i32) -> Option<String> {
        let key = item.to_string();
        let i = self.item.iter().position(|x| *x == key)?;
        self.rank.get(i).cloned()
    }

    pub fn was(&self, item: i32) -> Option<u32> {
        let key = item.to_string();
        let i = self.item.iter().position(|x| *x == key)?;
        self.was.get(i)?.trim().parse().ok()
    }

    /// The typed positions of the round's rows; a row not in the form keeps its place.
    pub fn entries(&self, rows: &[BoardRow]) -> Result<Vec<Entry<i32>>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let saved = row.rank.and_then(|r| u32::try_from(r).ok());
            let typed = match self.typed(row.number) {
                None => saved,
                Some(t) if t.trim().is_empty() => None,
                Some(t) => match t.trim().parse::<u32>() {
                    Ok(p) if p >= 1 => Some(p),
                    _ => {
                        e.add(
                            format!("rank-{}", row.number),
                            format!(
                                "{}: ”{}” är ingen plats. Ange ett heltal från 1, eller lämna tomt.",
                                row.reference(),
                                t.trim()
                            ),
                        );
                        None
                    }
                },
            };
            entries.push(Entry {
                key: row.number,
                saved,
                typed,
            });
        }
        if e.is_empty() { Ok(entries) } else { Err(e) }
    }

    pub fn parsed_move(&self) -> Option<Move<i32>> {
        let (direction, id) = self.mv.split_once(':')?;
        let id = id.parse().ok()?;
        match direction {
            "up" => Some(Move::Up(id)),
            "down" => Some(Move::Down(id)),
            _ => None,
        }
    }
}
