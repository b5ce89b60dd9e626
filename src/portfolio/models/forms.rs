//! The forms of prioritisation models: a new model (a copy of another), a model's settings with
//! its criteria in one table, and an item's scores on the models' own criteria.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{
        money::Money,
        scoring::{Criterion, MAX_CRITERIA, MAX_SCALE, Model, Ranking, Source},
        text,
    },
    operation::Submission,
    portfolio::models::repo::{Record, Settings},
    web::form::{FieldErrors, nth},
};

/// Empty rows the criteria table offers for new criteria.
pub const BLANK_ROWS: usize = 2;

/// A model's name, checked.
fn name(input: &str, e: &mut FieldErrors) -> Option<String> {
    let name = e.text("name", "Namn", input, (200, true))?;
    if name.trim().is_empty() {
        e.add("name", "Ange modellens namn.");
        return None;
    }
    Some(name.trim().to_owned())
}

/// A new model: a copy of an existing one under a name of its own.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewModelForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub copy_of: String,
}

impl NewModelForm {
    /// (name, the model to copy).
    pub fn parse(&self) -> Result<(String, Uuid), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = name(&self.name, &mut e);
        let from = self.copy_of.trim().parse::<Uuid>().ok();
        if from.is_none() {
            e.add("copy_of", "Välj vilken modell den nya utgår från.");
        }
        match (name, from) {
            (Some(name), Some(from)) if e.is_empty() => Ok((name, from)),
            _ => Err(e),
        }
    }
}

/// A model's settings and criteria, one row per criterion (and [`BLANK_ROWS`] empty ones for
/// new criteria). A row whose name is emptied removes its criterion.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModelForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub ranking: String,
    #[serde(default)]
    pub scale_max: String,
    #[serde(default)]
    pub kronor_per_step: String,
    #[serde(default)]
    pub criterion_id: Vec<String>,
    #[serde(default)]
    pub criterion_name: Vec<String>,
    #[serde(default)]
    pub criterion_source: Vec<String>,
    #[serde(default)]
    pub criterion_weight: Vec<String>,
    #[serde(default)]
    pub version: i32,
}

/// One row of the criteria table as typed.
pub struct CriterionRow<'a> {
    pub index: usize,
    pub id: &'a str,
    pub name: &'a str,
    pub source: &'a str,
    pub weight: &'a str,
}

impl ModelForm {
    pub fn from_record(record: &Record) -> Self {
        let m = &record.model;
        let blank = || std::iter::repeat_n(String::new(), BLANK_ROWS);
        ModelForm {
            name: m.name.clone(),
            description: record.description.clone(),
            ranking: m.ranking.code().to_owned(),
            scale_max: m.scale_max.to_string(),
            kronor_per_step: crate::domain::number::format_quantity(m.kronor_per_step.normalize()),
            criterion_id: m
                .criteria
                .iter()
                .map(|c| c.id.to_string())
                .chain(blank())
                .collect(),
            criterion_name: m
                .criteria
                .iter()
                .map(|c| c.name.clone())
                .chain(blank())
                .collect(),
            criterion_source: m
                .criteria
                .iter()
                .map(|c| c.source.code().to_owned())
                .chain(std::iter::repeat_n(
                    Source::Scored.code().to_owned(),
                    BLANK_ROWS,
                ))
                .collect(),
            criterion_weight: m
                .criteria
                .iter()
                .map(|c| c.weight.to_string())
                .chain(blank())
                .collect(),
            version: record.version,
        }
    }

    /// The rows as typed, for showing the table again.
    pub fn rows(&self) -> Vec<CriterionRow<'_>> {
        // A page showing a refused form of too many rows shows as many as a model may have.
        let count = self
            .criterion_name
            .len()
            .max(self.criterion_id.len())
            .min(MAX_CRITERIA + BLANK_ROWS);
        (0..count)
            .map(|i| CriterionRow {
                index: i,
                id: nth(&self.criterion_id, Some(i)),
                name: nth(&self.criterion_name, Some(i)),
                source: nth(&self.criterion_source, Some(i)),
                weight: nth(&self.criterion_weight, Some(i)),
            })
            .collect()
    }

    /// The settings and the criteria; a new criterion gets a new id. Whether an id names one
    /// of this model's criteria is the operation's to check.
    pub fn parse(&self) -> Result<(Settings, Vec<Criterion>), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = name(&self.name, &mut e);
        let description = e.text(
            "description",
            "Beskrivning",
            &self.description,
            (4000, false),
        );
        let ranking = Ranking::from_code(self.ranking.trim());
        if ranking.is_none() {
            e.add("ranking", "Välj vad objekten rangordnas efter.");
        }
        let scale_max = self
            .scale_max
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|s| (1..=MAX_SCALE).contains(s));
        if scale_max.is_none() {
            e.add(
                "scale_max",
                format!("Skalans högsta poäng ska vara ett heltal 1–{MAX_SCALE}."),
            );
        }
        let kronor_per_step = match Money::parse(&self.kronor_per_step) {
            Ok(m)
                if m.amount() >= Decimal::ONE && m.amount() < Decimal::from(10_000_000_000u64) =>
            {
                Some(m.amount())
            }
            Ok(_) => {
                e.add("kronor_per_step", "Ange minst 1 kr per steg.");
                None
            }
            Err(err) => {
                e.add("kronor_per_step", err.to_string());
                None
            }
        };
        let criteria = self.criteria(&mut e);
        match (name, description, ranking, scale_max, kronor_per_step) {
            (
                Some(name),
                Some(description),
                Some(ranking),
                Some(scale_max),
                Some(kronor_per_step),
            ) if e.is_empty() => {
                let settings = Settings {
                    name,
                    description,
                    ranking,
                    scale_max,
                    kronor_per_step,
                };
                Ok((settings, criteria))
            }
            _ => Err(e),
        }
    }

    fn criteria(&self, e: &mut FieldErrors) -> Vec<Criterion> {
        let posted = self.criterion_name.len().max(self.criterion_id.len());
        if posted > MAX_CRITERIA + BLANK_ROWS {
            e.add(
                "criterion_name_0",
                format!("En modell kan ha högst {MAX_CRITERIA} kriterier."),
            );
            return Vec::new();
        }
        let mut criteria = Vec::new();
        let mut names = HashSet::new();
        for row in self.rows() {
            let i = row.index;
            if row.name.trim().is_empty() {
                // An emptied name removes its criterion; a new row with a weight but no name
                // is a criterion half typed.
                if row.id.trim().is_empty() && !row.weight.trim().is_empty() {
                    e.add(
                        format!("criterion_name_{i}"),
                        "Ange kriteriets namn, eller töm vikten om raden inte ska läggas till.",
                    );
                }
                continue;
            }
            let Some(name) = e.check(
                format!("criterion_name_{i}"),
                text::bounded(row.name.trim(), 200, true),
            ) else {
                continue;
            };
            if !names.insert(name.to_lowercase()) {
                e.add(
                    format!("criterion_name_{i}"),
                    format!("Modellen har redan ett kriterium som heter ”{name}”."),
                );
            }
            let source = Source::from_code(row.source.trim());
            if source.is_none() {
                e.add(
                    format!("criterion_source_{i}"),
                    format!("{name}: välj var poängen kommer från."),
                );
            }
            let weight = row.weight.trim().parse::<u8>().ok().filter(|w| *w <= 100);
            if weight.is_none() {
                e.add(
                    format!("criterion_weight_{i}"),
                    format!(
                        "{name}: ”{}” är ingen vikt. Ange ett heltal 0–100.",
                        row.weight.trim()
                    ),
                );
            }
            let id = if row.id.trim().is_empty() {
                Some(Uuid::now_v7())
            } else {
                row.id.trim().parse().ok()
            };
            if let (Some(id), Some(source), Some(weight)) = (id, source, weight) {
                criteria.push(Criterion {
                    id,
                    name,
                    source,
                    weight,
                });
            }
        }
        if e.is_empty() {
            if criteria.len() > MAX_CRITERIA {
                e.add(
                    "criterion_name_0",
                    format!("En modell kan ha högst {MAX_CRITERIA} kriterier."),
                );
            } else if criteria.is_empty() {
                e.add(
                    "criterion_name_0",
                    "En modell behöver minst ett kriterium. Ange dess namn, källa och vikt.",
                );
            } else if criteria.iter().all(|c| c.weight == 0) {
                e.add(
                    "criterion_weight_0",
                    "Minst ett kriterium måste väga mer än 0.",
                );
            }
        }
        criteria
    }
}

/// An item's scores on the own criteria of a model, one per criterion; empty clears a score.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScoresForm {
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub criterion: Vec<String>,
    #[serde(default)]
    pub score: Vec<String>,
    #[serde(default)]
    pub version: i32,
}

impl ScoresForm {
    pub fn new(model: &Model, saved: &std::collections::HashMap<Uuid, u8>, version: i32) -> Self {
        let own: Vec<_> = model.own_criteria().collect();
        ScoresForm {
            model: model.id.to_string(),
            criterion: own.iter().map(|c| c.id.to_string()).collect(),
            score: own
                .iter()
                .map(|c| saved.get(&c.id).map(u8::to_string).unwrap_or_default())
                .collect(),
            version,
        }
    }

    /// The typed score of criterion `id`.
    pub fn typed(&self, id: &Uuid) -> &str {
        let i = self.criterion.iter().position(|c| *c == id.to_string());
        nth(&self.score, i)
    }

    /// The scores of `model`'s own criteria, in its order; each within the model's scale.
    pub fn parse(&self, model: &Model) -> Result<Vec<(Uuid, Option<u8>)>, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut scores = Vec::new();
        for c in model.own_criteria() {
            let typed = self.typed(&c.id).trim();
            if typed.is_empty() {
                scores.push((c.id, None));
                continue;
            }
            match typed.parse::<u8>() {
                Ok(s) if s <= model.scale_max => scores.push((c.id, Some(s))),
                _ => e.add(
                    format!("score_{}", c.id),
                    format!(
                        "{}: ”{typed}” är ingen poäng. Ange ett heltal 0–{}.",
                        c.name, model.scale_max
                    ),
                ),
            }
        }
        if e.is_empty() { Ok(scores) } else { Err(e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(rows: &[(&str, &str, &str)]) -> ModelForm {
        ModelForm {
            name: "Min modell".into(),
            ranking: "value".into(),
            scale_max: "10".into(),
            kronor_per_step: "100 000".into(),
            criterion_id: rows.iter().map(|_| String::new()).collect(),
            criterion_name: rows.iter().map(|r| r.0.to_owned()).collect(),
            criterion_source: rows.iter().map(|r| r.1.to_owned()).collect(),
            criterion_weight: rows.iter().map(|r| r.2.to_owned()).collect(),
            ..ModelForm::default()
        }
    }

    #[test]
    fn a_model_has_named_weighted_criteria_and_an_empty_row_adds_nothing() {
        let (settings, criteria) = form(&[
            ("Kundnytta", "scored", "60"),
            ("Nettonuvärde", "net_present_value", "40"),
            ("", "scored", ""),
        ])
        .parse()
        .unwrap();
        assert_eq!(settings.scale_max, 10);
        assert_eq!(settings.kronor_per_step, Decimal::from(100_000));
        assert_eq!(criteria.len(), 2);
        assert_eq!(criteria[1].source, Source::NetPresentValue);
    }

    #[test]
    fn bad_rows_are_named_by_field() {
        let e = form(&[
            ("Kundnytta", "scored", "x"),
            ("kundnytta", "nothing", "101"),
        ])
        .parse()
        .unwrap_err();
        assert!(e.get("criterion_weight_0").is_some());
        assert!(e.get("criterion_name_1").is_some());
        assert!(e.get("criterion_source_1").is_some());
        assert!(e.get("criterion_weight_1").is_some());
        let zero = form(&[("A", "scored", "0")]).parse().unwrap_err();
        assert!(zero.get("criterion_weight_0").is_some());
        let mut scale = form(&[("A", "scored", "1")]);
        scale.scale_max = "0".into();
        assert!(scale.parse().unwrap_err().get("scale_max").is_some());
    }

    #[test]
    fn scores_stay_within_the_models_scale() {
        let model = Model {
            id: Uuid::nil(),
            name: "WSJF".into(),
            ranking: Ranking::ValuePerEffort,
            scale_max: 20,
            kronor_per_step: Decimal::ONE,
            criteria: vec![Criterion {
                id: Uuid::from_u128(1),
                name: "Affärsvärde".into(),
                source: Source::Scored,
                weight: 1,
            }],
        };
        let typed = |s: &str| ScoresForm {
            criterion: vec![Uuid::from_u128(1).to_string()],
            score: vec![s.into()],
            ..ScoresForm::default()
        };
        assert_eq!(
            typed("13").parse(&model).unwrap(),
            vec![(Uuid::from_u128(1), Some(13))]
        );
        assert_eq!(
            typed("").parse(&model).unwrap(),
            vec![(Uuid::from_u128(1), None)]
        );
        assert!(typed("21").parse(&model).is_err());
    }
}
