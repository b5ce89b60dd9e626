//! The budget forms: a grid of lines (one line is a grid of one), a new line, an outcome entry,
//! a sub-entity. Parsed into checked values; messages name the line and echo what was typed.

use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    budget::repo::{EntryInput, Line, LineInput, SubEntityRow},
    domain::{
        budget_entry::{AmountError, budget_amount},
        money::Money,
        text,
    },
    operation::Submission,
    web::form::FieldErrors,
};

/// The field a confirmation of a total above the appropriation is asked under, in the grid and
/// line forms; the new-line form prefixes it with `new-`.
pub const CONFIRM_OVER: &str = "confirm_over";

/// Lines as posted: parallel lists, one entry per row.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GridForm {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub versions: Vec<i32>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub sub_entities: Vec<String>,
    #[serde(default)]
    pub budgets: Vec<String>,
    /// The ids of the rows marked as income or credit: a checkbox is posted only when checked,
    /// so it names its row instead of taking a place in the parallel lists.
    #[serde(default)]
    pub incomes: Vec<String>,
    /// What each row showed when the page was loaded, so rows the user did not touch are left
    /// alone even if someone else changed them meanwhile.
    #[serde(default)]
    pub original_categories: Vec<String>,
    #[serde(default)]
    pub original_sub_entities: Vec<String>,
    #[serde(default)]
    pub original_budgets: Vec<String>,
    /// "1" for a row that showed the income marking, "" for one that did not.
    #[serde(default)]
    pub original_incomes: Vec<String>,
    /// The budget total the user confirmed saving above the appropriation, if asked.
    #[serde(default)]
    pub confirm_over: Option<String>,
}

/// What a row showed when the page was loaded: category, sub-entity, budget, income marking.
pub type Shown = (String, String, String, bool);

/// One posted row, as typed, with what it showed when loaded (`None` if the form did not say).
#[derive(Debug, Clone, Default)]
pub struct GridRow {
    pub id: String,
    pub version: i32,
    pub category: String,
    pub sub_entity: String,
    pub budget: String,
    pub income: bool,
    pub original: Option<Shown>,
}

impl GridRow {
    /// The row as a saved line shows it.
    pub fn from_line(line: &Line) -> Self {
        let category = line.category.clone();
        let sub_entity = line
            .sub_entity_id
            .map(|s| s.to_string())
            .unwrap_or_default();
        let budget = Money::from_stored(line.budget).format_kr();
        GridRow {
            id: line.id.to_string(),
            version: line.version,
            original: Some((
                category.clone(),
                sub_entity.clone(),
                budget.clone(),
                line.income,
            )),
            category,
            sub_entity,
            budget,
            income: line.income,
        }
    }

    /// Whether the user changed anything in this row.
    pub fn edited(&self) -> bool {
        self.original
            .as_ref()
            .is_none_or(|(category, sub_entity, budget, income)| {
                *category != self.category
                    || *sub_entity != self.sub_entity
                    || *budget != self.budget
                    || *income != self.income
            })
    }
}

impl GridForm {
    pub fn rows(&self) -> Vec<GridRow> {
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        (0..self.ids.len())
            .map(|i| GridRow {
                id: at(&self.ids, i),
                version: self.versions.get(i).copied().unwrap_or_default(),
                category: at(&self.categories, i),
                sub_entity: at(&self.sub_entities, i),
                budget: at(&self.budgets, i),
                income: self.incomes.contains(&at(&self.ids, i)),
                original: match (
                    self.original_categories.get(i),
                    self.original_sub_entities.get(i),
                    self.original_budgets.get(i),
                    self.original_incomes.get(i),
                ) {
                    (Some(c), Some(s), Some(b), Some(x)) => {
                        Some((c.clone(), s.clone(), b.clone(), !x.is_empty()))
                    }
                    _ => None,
                },
            })
            .collect()
    }
}

/// Parses one row; errors go under `<prefix>category` etc.
pub fn parse_line(
    row: &GridRow,
    subs: &[SubEntityRow],
    prefix: &str,
    errors: &mut FieldErrors,
) -> Option<LineInput> {
    let category = row.category.as_str();
    let category_text = errors.text(
        format!("{prefix}category"),
        "Budgetpost",
        category,
        (200, true),
    );
    let name = if category.trim().is_empty() {
        "budgetposten".to_owned()
    } else {
        format!("”{}”", category.trim())
    };
    let amount = errors.check(
        format!("{prefix}budget"),
        budget_amount(&row.budget, row.income).map_err(|e| match e {
            AmountError::Empty => format!("Ange ett belopp för {name}."),
            AmountError::NotMoney(e) => format!("Budget för {name}: {e}"),
            AmountError::Negative(typed) => format!(
                "Budget för {name}: ”{typed}” är negativt. Bara en post markerad som \
                 intäkt/kreditering kan ha ett negativt belopp."
            ),
        }),
    );
    let sub_entity = row.sub_entity.trim();
    let sub_entity_id = if sub_entity.is_empty() {
        Some(None)
    } else {
        let found = subs
            .iter()
            .find(|s| s.id.to_string() == sub_entity)
            .map(|s| Some(s.id));
        if found.is_none() {
            errors.add(format!("{prefix}sub_entity"), "Okänd delenhet.");
        }
        found
    };
    Some(LineInput {
        category: category_text?,
        sub_entity_id: sub_entity_id?,
        budget: amount?,
        income: row.income,
    })
}

/// A new outcome entry on a line.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub text: String,
}

impl EntryForm {
    pub fn parse(&self) -> Result<EntryInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let month = e.check("month", parse_month(&self.month));
        let amount = e.check(
            "amount",
            if self.amount.trim().is_empty() {
                Err("Ange ett belopp.".to_owned())
            } else {
                Money::parse(&self.amount).map_err(|err| format!("Belopp: {err}"))
            },
        );
        let text = e.check("text", text::bounded(&self.text, 500, false));
        match (month, amount, text) {
            (Some(month), Some(amount), Some(text)) => Ok(EntryInput {
                month,
                amount,
                text,
            }),
            _ => Err(e),
        }
    }
}

/// A month as `YYYY-MM`, stored as its first day.
pub fn parse_month(input: &str) -> Result<NaiveDate, String> {
    let input = input.trim();
    NaiveDate::parse_from_str(&format!("{input}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| input.len() == 7)
        .ok_or_else(|| {
            format!("Månad: ”{input}” är ingen månad. Skriv ÅÅÅÅ-MM, till exempel 2022-09.")
        })
}

/// A new sub-entity of a project.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SubEntityForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub sub_name: String,
    #[serde(default)]
    pub sub_short_name: String,
    #[serde(default)]
    pub excluded: Option<String>,
}

impl SubEntityForm {
    pub fn parse(&self) -> Result<(String, String, bool), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.text("sub_name", "Namn", &self.sub_name, (100, true));
        let short = e.text(
            "sub_short_name",
            "Kortnamn i totalen",
            &self.sub_short_name,
            (30, true),
        );
        match (name, short) {
            (Some(name), Some(short)) => Ok((name, short, self.excluded.is_some())),
            _ => Err(e),
        }
    }
}

/// New line form fields, posted as `category`, `sub_entity`, `budget`, `income` (a checkbox)
/// and, when asked, `confirm_over`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewLineForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub sub_entity: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub income: Option<String>,
    #[serde(default)]
    pub confirm_over: Option<String>,
}

impl NewLineForm {
    /// The new line as a row of the grid, which it is parsed and shown again as.
    pub fn row(&self) -> GridRow {
        GridRow {
            category: self.category.clone(),
            sub_entity: self.sub_entity.clone(),
            budget: self.budget.clone(),
            income: self.income.is_some(),
            ..GridRow::default()
        }
    }
}

/// A line id from a posted row.
pub fn line_id(row: &GridRow) -> Option<Uuid> {
    row.id.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        assert_eq!(
            parse_month("2022-09"),
            Ok(NaiveDate::from_ymd_opt(2022, 9, 1).unwrap())
        );
        assert!(parse_month("2022-13").is_err());
        assert!(parse_month("2022-9").is_err());
        assert!(parse_month("sept").unwrap_err().contains("”sept”"));
    }
}
