//! The decision form: per item a decision, a quarter for the prioritised and a reason for the
//! rest, and the meeting date; the board's proposal fills it in first.

use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{
        portfolio::{Decision, Quarter},
        text,
    },
    portfolio::{
        board::{repo::BoardRow, rows::Rows},
        rounds::repo::Round,
    },
    projects::forms::optional_date,
    web::form::{FieldErrors, nth},
};

/// The decision form: per item in the board's order, and the meeting.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub item: Vec<String>,
    #[serde(default)]
    pub decision: Vec<String>,
    #[serde(default)]
    pub quarter: Vec<String>,
    #[serde(default)]
    pub reason: Vec<String>,
    #[serde(default)]
    pub meeting_date: String,
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub ranking_version: i32,
    /// A fingerprint of the agenda's items as the form showed them (see
    /// `decision::repo::agenda_fingerprint`).
    #[serde(default)]
    pub agenda: String,
    /// The box that says the group has taken these decisions: deciding cannot be undone.
    #[serde(default)]
    pub confirm: Option<String>,
}

/// One checked decision.
#[derive(Debug, Clone)]
pub struct ItemDecision {
    pub item_id: Uuid,
    pub decision: Decision,
    pub quarter: Option<Quarter>,
    pub reason: String,
}

impl DecisionForm {
    /// The proposal the board makes: above the cut line prioritised this quarter, the rest
    /// postponed because it does not fit. The decision is recorded after the meeting: the
    /// round's meeting date when it has passed, else today.
    pub fn proposed(round: &Round, rows: &Rows) -> Self {
        let today = crate::web::format::today();
        let mut form = DecisionForm {
            meeting_date: round
                .meeting_date
                .filter(|d| *d <= today)
                .unwrap_or(today)
                .to_string(),
            version: round.version,
            ranking_version: round.ranking_version,
            ..DecisionForm::default()
        };
        for line in &rows.lines {
            let prioritised = !line.below;
            form.item.push(line.row.item_id.to_string());
            form.decision.push(
                if prioritised {
                    Decision::Prioritised
                } else {
                    Decision::Postponed
                }
                .code()
                .to_owned(),
            );
            form.quarter.push(if prioritised {
                round.quarter.clone()
            } else {
                String::new()
            });
            form.reason.push(if prioritised {
                String::new()
            } else if let (None, Some(q)) = (line.row.rank, &line.row.prioritised_in) {
                format!("Prioriterat {q} men inte beställt; inte rangordnat i omgången.")
            } else if line.row.rank.is_none() {
                "Inte rangordnat i omgången.".to_owned()
            } else {
                "Ryms inte inom omgångens ramar.".to_owned()
            });
        }
        form
    }

    fn at(&self, item: &Uuid) -> Option<usize> {
        let key = item.to_string();
        self.item.iter().position(|x| *x == key)
    }

    /// What was typed for an item: (decision, quarter, reason).
    pub fn typed(&self, item: &Uuid) -> (&str, &str, &str) {
        let i = self.at(item);
        (
            nth(&self.decision, i),
            nth(&self.quarter, i),
            nth(&self.reason, i),
        )
    }

    pub fn parse(
        &self,
        rows: &[BoardRow],
    ) -> Result<(Vec<ItemDecision>, chrono::NaiveDate), FieldErrors> {
        let mut e = FieldErrors::new();
        let meeting = e.check("meeting_date", optional_date(&self.meeting_date));
        if meeting == Some(None) {
            e.add("meeting_date", "Ange prioriteringsmötets datum.");
        }
        if meeting
            .flatten()
            .is_some_and(|d| d > crate::web::format::today())
        {
            e.add(
                "meeting_date",
                "Beslutet registreras efter prioriteringsmötet: datumet ligger i framtiden.",
            );
        }
        let mut decisions = Vec::new();
        for row in rows {
            let (decision, quarter, reason) = self.typed(&row.item_id);
            let key = |field: &str| format!("{field}-{}", row.item_id);
            let reference = row.reference();
            let Some(decision) = Decision::from_code(decision) else {
                e.add(key("decision"), format!("{reference}: välj ett beslut."));
                continue;
            };
            let quarter = match (decision, quarter.trim()) {
                (Decision::Prioritised, "") => {
                    e.add(
                        key("quarter"),
                        format!("{reference}: ange kvartal för genomförandet."),
                    );
                    None
                }
                (_, "") => None,
                (_, q) => e
                    .check(
                        key("quarter"),
                        q.parse::<Quarter>()
                            .map_err(|m| format!("{reference}: {m}")),
                    )
                    .map(Some)
                    .unwrap_or(None),
            };
            if decision == Decision::Prioritised && row.rank.is_none() {
                e.add(
                    key("decision"),
                    format!("{reference}: bara rangordnade objekt kan prioriteras. Ge det en plats på tavlan först."),
                );
            }
            let reason = e
                .check(key("reason"), text::bounded(reason, 2000, false))
                .unwrap_or_default();
            if decision != Decision::Prioritised && reason.is_empty() {
                e.add(
                    key("reason"),
                    format!(
                        "{reference}: motivera varför objektet {}.",
                        match decision {
                            Decision::Rejected => "avslås",
                            _ => "skjuts upp",
                        }
                    ),
                );
            }
            decisions.push(ItemDecision {
                item_id: row.item_id,
                decision,
                quarter,
                reason,
            });
        }
        // Last, as the box is last on the form: the summary lists the messages in form order.
        if self.confirm.is_none() {
            e.add(
                "confirm",
                "Bekräfta att samordningsgruppen har fattat besluten: omgången går inte att ändra efteråt.",
            );
        }
        match meeting {
            Some(Some(meeting)) if e.is_empty() => Ok((decisions, meeting)),
            _ => Err(e),
        }
    }
}
