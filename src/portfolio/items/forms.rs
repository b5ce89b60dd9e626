//! The portfolio list's query string and the item form (also the shape of one import line),
//! parsed into checked values.

use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{
        money::Money,
        portfolio::{Complexity, Criterion, ItemStatus, Kind, MAX_SCORE, Scores},
        project::Plan,
        text,
    },
    operation::Submission,
    portfolio::items::repo::{Item, ItemChoices, ItemInput, ListFilter, SortColumn},
    projects::forms::optional_date,
    web::{
        form::FieldErrors,
        list::{self, SortKey},
    },
};

/// The list's query string as it came; kept as typed so the filter form shows it again.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub kommun: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub typ: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sortera: String,
    #[serde(default)]
    pub ordning: String,
}

impl ListQuery {
    pub fn filter(&self) -> ListFilter {
        ListFilter {
            plan: Plan::from_code(&self.plan),
            municipality: self.kommun.parse().ok(),
            status: ItemStatus::from_code(&self.status),
            kind: Kind::from_code(&self.typ),
            search: list::search_text(&self.q),
            sort: SortColumn::from_key(&self.sortera),
            descending: list::descending(&self.ordning),
        }
    }
}

/// The item form as posted, or one line of an import.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct ItemForm {
    /// A new item's one-time id (not used when editing, nor in an import's lines).
    #[serde(default, skip_serializing)]
    pub submission: Submission,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub municipalities: Vec<String>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub complexity: String,
    #[serde(default)]
    pub complexity_reason: String,
    #[serde(default)]
    pub effort_hours: String,
    #[serde(default)]
    pub investment: String,
    #[serde(default)]
    pub running_cost: String,
    #[serde(default)]
    pub score_citizen: String,
    #[serde(default)]
    pub score_efficiency: String,
    #[serde(default)]
    pub score_necessity: String,
    #[serde(default)]
    pub score_strategy: String,
    #[serde(default)]
    pub benefit_note: String,
    #[serde(default)]
    pub council_goals: Vec<String>,
    #[serde(default)]
    pub project: String,
    #[serde(default)]
    pub earliest_start: String,
    /// Item numbers, as people write them: `P-003, P-017` or `3 17`.
    #[serde(default)]
    pub dependencies: String,
    #[serde(default)]
    pub version: i32,
}

/// The form field of each criterion's score, in the order of [`Criterion::ALL`].
pub const SCORE_FIELDS: [&str; 4] = [
    "score_citizen",
    "score_efficiency",
    "score_necessity",
    "score_strategy",
];

impl ItemForm {
    pub fn from_item(item: &Item) -> Self {
        let dependencies: Vec<String> = item
            .dependencies
            .0
            .iter()
            .filter_map(|d| d.name.split_whitespace().next().map(str::to_owned))
            .collect();
        ItemForm {
            title: item.title.clone(),
            description: item.description.clone(),
            plan: item.plan.code().to_owned(),
            municipalities: item
                .municipalities
                .0
                .iter()
                .map(|m| m.id.to_string())
                .collect(),
            unit: item.unit.clone(),
            contact: item.contact.clone(),
            kind: item.kind.code().to_owned(),
            complexity: item.complexity.code().to_owned(),
            complexity_reason: item.complexity_reason.clone(),
            effort_hours: item.effort_hours.to_string(),
            investment: Money::from_stored(item.investment).format_kr(),
            running_cost: Money::from_stored(item.running_cost).format_kr(),
            score_citizen: item.score_citizen.to_string(),
            score_efficiency: item.score_efficiency.to_string(),
            score_necessity: item.score_necessity.to_string(),
            score_strategy: item.score_strategy.to_string(),
            benefit_note: item.benefit_note.clone(),
            council_goals: item
                .council_goals
                .0
                .iter()
                .map(|g| g.id.to_string())
                .collect(),
            project: item
                .project
                .as_ref()
                .map(|p| p.0.id.to_string())
                .unwrap_or_default(),
            earliest_start: item
                .earliest_start
                .map(|d| d.to_string())
                .unwrap_or_default(),
            dependencies: dependencies.join(", "),
            version: item.version,
            submission: Submission::default(),
        }
    }

    pub fn has_municipality(&self, id: &Uuid) -> bool {
        self.municipalities.iter().any(|m| *m == id.to_string())
    }

    pub fn has_goal(&self, id: &Uuid) -> bool {
        self.council_goals.iter().any(|g| *g == id.to_string())
    }

    /// The typed score of criterion `i`.
    pub fn score(&self, i: usize) -> &str {
        match i {
            0 => &self.score_citizen,
            1 => &self.score_efficiency,
            2 => &self.score_necessity,
            _ => &self.score_strategy,
        }
    }

    pub fn parse(&self, choices: &ItemChoices) -> Result<ItemInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.text("title", "Titel", &self.title, (200, true));
        let description = e.check(
            "description",
            text::bounded(&self.description, 20_000, false),
        );
        let plan = e.check(
            "plan",
            Plan::from_code(&self.plan).ok_or("Välj vilken plan objektet hör till."),
        );
        let mut municipalities = Vec::new();
        for m in &self.municipalities {
            match m
                .parse()
                .ok()
                .filter(|id| ItemChoices::has(&choices.municipalities, *id))
            {
                Some(id) if !municipalities.contains(&id) => municipalities.push(id),
                Some(_) => {}
                None => e.add("municipalities", "Okänd kommun."),
            }
        }
        let unit = e.text(
            "unit",
            "Verksamhet eller förvaltning",
            &self.unit,
            (200, false),
        );
        let contact = e.text("contact", "Kontaktperson", &self.contact, (200, false));
        let kind = e.check(
            "kind",
            Kind::from_text(&self.kind).ok_or("Välj typ av objekt."),
        );
        let complexity = e.check(
            "complexity",
            Complexity::from_text(&self.complexity)
                .ok_or("Välj komplexitet: låg, medel eller hög."),
        );
        let complexity_reason = e.check(
            "complexity_reason",
            text::bounded(&self.complexity_reason, 4000, false),
        );
        if complexity == Some(Complexity::High)
            && complexity_reason.as_deref().is_some_and(str::is_empty)
        {
            e.add("complexity_reason", "Motivera varför komplexiteten är hög.");
        }
        let effort_hours = e.check("effort_hours", parse_hours(&self.effort_hours));
        let investment = e.check("investment", parse_cost(&self.investment));
        let running_cost = e.check("running_cost", parse_cost(&self.running_cost));
        let mut scores = [0u8; 4];
        for (i, field) in SCORE_FIELDS.iter().enumerate() {
            if let Some(score) = e.check(*field, parse_score(self.score(i), Criterion::ALL[i])) {
                scores[i] = score;
            }
        }
        let benefit_note = e.check(
            "benefit_note",
            text::bounded(&self.benefit_note, 4000, false),
        );
        // An id that is no goal's comes from no checkbox of ours: refused, not dropped, since
        // an integration that sends it would otherwise lose the item's links without a word.
        let mut council_goals = Vec::new();
        for g in &self.council_goals {
            match g
                .parse()
                .ok()
                .filter(|id| ItemChoices::has(&choices.council_goals, *id))
            {
                Some(id) => council_goals.push(id),
                None => e.add("council_goals", "Okänt mål i kommunfullmäktiges mål."),
            }
        }
        council_goals.sort();
        council_goals.dedup();
        let project_id = match self.project.trim() {
            "" => Some(None),
            p => e.check(
                "project",
                p.parse()
                    .ok()
                    .filter(|id| ItemChoices::has(&choices.projects, *id))
                    .map(Some)
                    .ok_or("Okänt projekt."),
            ),
        };
        let earliest_start = e.check("earliest_start", optional_date(&self.earliest_start));
        let dependency_numbers = e.check("dependencies", parse_references(&self.dependencies));
        let (
            Some(title),
            Some(description),
            Some(plan),
            Some(unit),
            Some(contact),
            Some(kind),
            Some(complexity),
            Some(complexity_reason),
            Some(effort_hours),
            Some(investment),
            Some(running_cost),
            Some(benefit_note),
            Some(project_id),
            Some(earliest_start),
            Some(dependency_numbers),
        ) = (
            title,
            description,
            plan,
            unit,
            contact,
            kind,
            complexity,
            complexity_reason,
            effort_hours,
            investment,
            running_cost,
            benefit_note,
            project_id,
            earliest_start,
            dependency_numbers,
        )
        else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ItemInput {
            title,
            description,
            plan,
            municipalities,
            unit,
            contact,
            kind,
            complexity,
            complexity_reason,
            effort_hours,
            investment,
            running_cost,
            scores: Scores(scores),
            benefit_note,
            council_goals,
            project_id,
            earliest_start,
            dependency_numbers,
            dependencies: Vec::new(),
        })
    }
}

fn parse_hours(input: &str) -> Result<i32, String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = digits.trim_end_matches('h').trim_end_matches("tim");
    match digits.parse::<i32>() {
        Ok(h) if (0..=1_000_000).contains(&h) => Ok(h),
        _ if digits.is_empty() => Err("Ange IT-centers uppskattning i timmar.".into()),
        _ => Err(format!(
            "”{}” är inget antal timmar. Skriv ett heltal, till exempel 120.",
            input.trim()
        )),
    }
}

/// A cost estimate: blank means none (0 kr), never negative.
fn parse_cost(input: &str) -> Result<Money, String> {
    if input.trim().is_empty() {
        return Ok(Money::ZERO);
    }
    let money = Money::parse(input).map_err(|e| e.to_string())?;
    if money.is_negative() {
        Err("En kostnad kan inte vara negativ.".into())
    } else {
        Ok(money)
    }
}

fn parse_score(input: &str, criterion: Criterion) -> Result<u8, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(0);
    }
    input
        .parse::<u8>()
        .ok()
        .filter(|s| *s <= MAX_SCORE)
        .ok_or_else(|| {
            format!(
                "{}: ”{input}” är ingen poäng. Ange ett heltal 0–{MAX_SCORE}.",
                criterion.label()
            )
        })
}

/// Item numbers separated by commas or spaces, with or without the `P-` prefix.
pub fn parse_references(input: &str) -> Result<Vec<i32>, String> {
    let mut numbers = Vec::new();
    for token in input
        .split([',', ';', ' '])
        .filter(|t| !t.trim().is_empty())
    {
        let token = token.trim();
        let digits = token
            .strip_prefix("P-")
            .or_else(|| token.strip_prefix("p-"))
            .unwrap_or(token);
        match digits.parse::<i32>() {
            Ok(n) if n > 0 => {
                if !numbers.contains(&n) {
                    numbers.push(n);
                }
            }
            _ => {
                return Err(format!(
                    "”{token}” är inget objektnummer. Skriv till exempel P-003, P-017."
                ));
            }
        }
    }
    Ok(numbers)
}

/// The audited fields of an item, as (field, value).
pub fn audited(i: &ItemInput) -> Vec<(&'static str, String)> {
    let ids = |v: &[Uuid]| {
        let mut v: Vec<String> = v.iter().map(Uuid::to_string).collect();
        v.sort();
        v.join(", ")
    };
    // In number order, as the other lists are sorted: the order typed is not a change.
    let mut numbers = i.dependency_numbers.clone();
    numbers.sort_unstable();
    let refs: Vec<String> = numbers
        .into_iter()
        .map(crate::domain::portfolio::item_reference)
        .collect();
    vec![
        ("title", i.title.clone()),
        ("description", i.description.clone()),
        ("plan", i.plan.label().to_owned()),
        ("municipalities", ids(&i.municipalities)),
        ("unit", i.unit.clone()),
        ("contact", i.contact.clone()),
        ("kind", i.kind.label().to_owned()),
        ("complexity", i.complexity.label().to_owned()),
        ("complexity_reason", i.complexity_reason.clone()),
        ("effort_hours", i.effort_hours.to_string()),
        ("investment", i.investment.format_kr()),
        ("running_cost", i.running_cost.format_kr()),
        ("score_citizen", i.scores.0[0].to_string()),
        ("score_efficiency", i.scores.0[1].to_string()),
        ("score_necessity", i.scores.0[2].to_string()),
        ("score_strategy", i.scores.0[3].to_string()),
        ("benefit_note", i.benefit_note.clone()),
        ("council_goals", ids(&i.council_goals)),
        (
            "project",
            i.project_id.map(|p| p.to_string()).unwrap_or_default(),
        ),
        (
            "earliest_start",
            i.earliest_start.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("dependencies", refs.join(", ")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_accept_the_forms_people_write() {
        assert_eq!(parse_references("P-003, P-017"), Ok(vec![3, 17]));
        assert_eq!(parse_references("3 17;3"), Ok(vec![3, 17]));
        assert_eq!(parse_references(""), Ok(vec![]));
        assert!(parse_references("P-x").is_err());
        assert!(parse_references("0").is_err());
    }

    #[test]
    fn the_order_dependencies_are_typed_in_is_not_a_change() {
        let input = |numbers: Vec<i32>| ItemInput {
            title: "E-arkiv".into(),
            description: String::new(),
            plan: Plan::Digitalisation,
            municipalities: vec![],
            unit: String::new(),
            contact: String::new(),
            kind: Kind::NewNeed,
            complexity: Complexity::Low,
            complexity_reason: String::new(),
            effort_hours: 0,
            investment: Money::ZERO,
            running_cost: Money::ZERO,
            scores: Scores([1, 2, 3, 4]),
            benefit_note: String::new(),
            council_goals: vec![],
            project_id: None,
            earliest_start: None,
            dependency_numbers: numbers,
            dependencies: vec![],
        };
        let before = audited(&input(vec![14, 2]));
        assert_eq!(before, audited(&input(vec![2, 14])));
        assert!(before.contains(&("dependencies", "P-002, P-014".to_owned())));
        assert_ne!(before, audited(&input(vec![2])));
    }

    #[test]
    fn hours_costs_and_scores_are_checked() {
        assert_eq!(parse_hours(" 1 200 "), Ok(1200));
        assert!(parse_hours("-5").is_err());
        assert!(parse_hours("12,5").is_err());
        assert!(parse_hours("").is_err());
        assert_eq!(parse_cost(""), Ok(Money::ZERO));
        assert_eq!(parse_cost("1,2 mnkr"), Ok(Money::kr(1_200_000)));
        assert!(parse_cost("−100").is_err());
        assert_eq!(parse_score("5", Criterion::Citizen), Ok(5));
        assert!(
            parse_score("6", Criterion::Citizen)
                .unwrap_err()
                .contains("invånare")
        );
    }
}
