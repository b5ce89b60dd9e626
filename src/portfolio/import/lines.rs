//! A sheet's lines as items: the columns people use mapped to the item form's fields, and every
//! line checked as the item form would, with municipalities and dependencies looked up.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::{
    documents::sheet::{self, Sheet},
    domain::project::Plan,
    portfolio::items::{
        forms::{self, ItemForm},
        repo::{self as item_repo, ItemChoices, ItemInput},
    },
};

/// The columns a sheet may have: the names people use for them, the form field each fills.
pub const COLUMNS: &[(&[&str], &str)] = &[
    (&["titel", "namn"], "title"),
    (&["beskrivning"], "description"),
    (&["plan"], "plan"),
    (
        &["kommuner", "kommun", "beställande kommuner"],
        "municipalities",
    ),
    (&["verksamhet", "förvaltning"], "unit"),
    (&["kontaktperson", "kontakt"], "contact"),
    (&["typ"], "kind"),
    (&["komplexitet"], "complexity"),
    (
        &["motivering komplexitet", "komplexitet motivering"],
        "complexity_reason",
    ),
    (
        &["timmar", "insats timmar", "it-centers insats (timmar)"],
        "effort_hours",
    ),
    (&["investering", "investering (kr)"], "investment"),
    (
        &["drift per år", "drift per år (kr)", "driftkostnad"],
        "running_cost",
    ),
    (&["nytta invånare", "nytta för invånare"], "score_citizen"),
    (
        &["effektivitet", "effektivitet och tidsbesparing"],
        "score_efficiency",
    ),
    (
        &[
            "lag eller säkerhet",
            "lag- eller säkerhetskrav",
            "lag/säkerhet",
        ],
        "score_necessity",
    ),
    (&["strategi", "strategisk koppling"], "score_strategy"),
    (&["nyttomotivering", "motivering nytta"], "benefit_note"),
    (&["beroenden", "beror av"], "dependencies"),
    (&["tidigast start"], "earliest_start"),
];

/// The heading people read for a form field, in line messages.
pub fn heading(field: &str) -> &'static str {
    match field {
        "title" => "Titel",
        "description" => "Beskrivning",
        "plan" => "Plan",
        "municipalities" => "Kommuner",
        "unit" => "Verksamhet",
        "contact" => "Kontaktperson",
        "kind" => "Typ",
        "complexity" => "Komplexitet",
        "complexity_reason" => "Motivering komplexitet",
        "effort_hours" => "Timmar",
        "investment" => "Investering",
        "running_cost" => "Drift per år",
        "score_citizen" => "Nytta invånare",
        "score_efficiency" => "Effektivitet",
        "score_necessity" => "Lag eller säkerhet",
        "score_strategy" => "Strategi",
        "benefit_note" => "Nyttomotivering",
        "dependencies" => "Beroenden",
        "earliest_start" => "Tidigast start",
        _ => "Rad",
    }
}

/// One line of the sheet as typed, kept between the preview and the import.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub row: usize,
    pub form: ItemForm,
    /// The municipality names as typed; matched to ids when checked.
    pub municipalities: String,
    /// Values the line has where the header row names no column (more fields than headings, or
    /// under an empty heading): they would not be imported, so the line is wrong.
    #[serde(default)]
    pub unheaded: Vec<String>,
}

/// A checked line: the item to create, or what is wrong with it.
pub struct Checked {
    pub line: Line,
    pub result: Result<ItemInput, Vec<String>>,
}

/// Maps the sheet's columns to lines; unknown or missing columns are errors of the file.
fn lines(sheet: &Sheet) -> Result<Vec<Line>, Vec<String>> {
    let mut fields = Vec::new();
    let mut problems = Vec::new();
    for name in &sheet.header {
        let key = name.trim().to_lowercase();
        match COLUMNS
            .iter()
            .find(|(names, _)| names.contains(&key.as_str()))
        {
            Some((_, field)) => fields.push(Some(*field)),
            None if key.is_empty() => fields.push(None),
            None => problems.push(format!("Okänd kolumn ”{name}”.")),
        }
    }
    for required in ["title", "plan", "kind", "complexity", "effort_hours"] {
        if !fields.contains(&Some(required)) {
            problems.push(format!("Kolumnen ”{}” saknas.", heading(required)));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(sheet
        .rows
        .iter()
        .map(|(row, cells)| {
            let mut line = Line {
                row: *row,
                form: ItemForm::default(),
                municipalities: String::new(),
                unheaded: Vec::new(),
            };
            for (i, value) in cells.iter().enumerate() {
                match fields.get(i).copied().flatten() {
                    Some(field) => set(&mut line, field, value.trim()),
                    None if value.trim().is_empty() => {}
                    None => line.unheaded.push(value.trim().to_owned()),
                }
            }
            line
        })
        .collect())
}

fn set(line: &mut Line, field: &str, value: &str) {
    let f = &mut line.form;
    let value = value.to_owned();
    match field {
        "title" => f.title = value,
        "description" => f.description = value,
        "plan" => f.plan = plan_code(&value),
        "municipalities" => line.municipalities = value,
        "unit" => f.unit = value,
        "contact" => f.contact = value,
        "kind" => f.kind = value,
        "complexity" => f.complexity = value,
        "complexity_reason" => f.complexity_reason = value,
        "effort_hours" => f.effort_hours = value,
        "investment" => f.investment = value,
        "running_cost" => f.running_cost = value,
        "score_citizen" => f.score_citizen = value,
        "score_efficiency" => f.score_efficiency = value,
        "score_necessity" => f.score_necessity = value,
        "score_strategy" => f.score_strategy = value,
        "benefit_note" => f.benefit_note = value,
        "dependencies" => f.dependencies = value,
        _ => f.earliest_start = value,
    }
}

/// A plan as written in a sheet: its code, its name, or its name without "Förvaltningsplan –".
fn plan_code(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    Plan::ALL
        .iter()
        .find(|p| {
            let label = p.label().to_lowercase();
            let short = label.rsplit(" – ").next().unwrap_or_default();
            [
                p.code(),
                label.as_str(),
                short,
                short.trim_start_matches("it-centers "),
            ]
            .contains(&lower.as_str())
        })
        .map_or_else(|| text.to_owned(), |p| p.code().to_owned())
}

/// Checks every line as the item form would, with the municipalities and dependencies looked up.
pub async fn check(conn: &mut PgConnection, lines: Vec<Line>) -> Result<Vec<Checked>, sqlx::Error> {
    let choices: ItemChoices = item_repo::choices(conn).await?;
    let numbers: Vec<i32> = lines
        .iter()
        .filter_map(|l| forms::parse_references(&l.form.dependencies).ok())
        .flatten()
        .collect();
    let known = item_repo::ids_by_number(conn, &numbers).await?;
    let existing: HashSet<(String, String)> = item_repo::titles(conn).await?.into_iter().collect();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    Ok(lines
        .into_iter()
        .map(|mut line| {
            let mut problems = Vec::new();
            if !line.unheaded.is_empty() {
                let values: Vec<String> = line.unheaded.iter().map(|v| format!("”{v}”")).collect();
                problems.push(format!(
                    "Raden har värden utan kolumnrubrik ({}), fler fält än rubrikraden: de skulle \
                     inte importeras. Ge kolumnen en rubrik eller ta bort värdena.",
                    values.join(", ")
                ));
            }
            // The names are what was typed; the ids are found from them every time.
            line.form.municipalities.clear();
            for name in line
                .municipalities
                .split([',', ';'])
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                match choices
                    .municipalities
                    .iter()
                    .find(|m| m.name.to_lowercase() == name.to_lowercase())
                {
                    Some(m) if !line.form.municipalities.contains(&m.id.to_string()) => {
                        line.form.municipalities.push(m.id.to_string());
                    }
                    Some(_) => {}
                    None => problems.push(format!("Kommuner: okänd kommun ”{name}”.")),
                }
            }
            let result = match line.form.parse(&choices) {
                Ok(mut input) if problems.is_empty() => {
                    for n in &input.dependency_numbers {
                        match known.iter().find(|(number, _)| number == n) {
                            Some((_, id)) => input.dependencies.push(*id),
                            None => problems.push(format!(
                                "Beroenden: objekt {} finns inte i portföljen.",
                                crate::domain::portfolio::item_reference(*n)
                            )),
                        }
                    }
                    let key = (input.title.to_lowercase(), input.plan.code().to_owned());
                    if existing.contains(&key) || !seen.insert(key.clone()) {
                        problems.push(format!(
                            "Titel: ”{}” finns redan i {}.",
                            input.title,
                            input.plan.label()
                        ));
                    }
                    if problems.is_empty() {
                        Ok(input)
                    } else {
                        Err(problems)
                    }
                }
                Ok(_) => Err(problems),
                Err(errors) => {
                    problems.extend(
                        errors
                            .iter()
                            .map(|(field, message)| format!("{}: {message}", heading(field))),
                    );
                    Err(problems)
                }
            };
            Checked { line, result }
        })
        .collect())
}

/// Reads the uploaded file `name` into lines; what is wrong with the file as a whole otherwise.
pub async fn read(name: String, bytes: axum::body::Bytes) -> Result<Vec<Line>, Vec<String>> {
    // Unpacking and parsing is CPU work: off the threads that answer other requests. A
    // malformed file has made the Excel reader panic (an overflowing cell reference): that is
    // a file we cannot read, not a failure of the request.
    let sheet = tokio::task::spawn_blocking(move || sheet::read(&name, &bytes))
        .await
        .unwrap_or_else(|e| Err(sheet::SheetError::Xlsx(e.to_string())));
    if let Err(e @ (sheet::SheetError::Xlsx(detail) | sheet::SheetError::Csv(detail))) = &sheet {
        tracing::info!(detail = %detail, "uploaded sheet refused: {e}");
    }
    match sheet
        .map_err(|e| vec![e.to_string()])
        .and_then(|s| lines(&s))
    {
        Ok(lines) if lines.is_empty() => {
            Err(vec!["Filen har inga rader under rubrikraden.".into()])
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_recognised_by_code_name_or_short_name() {
        assert_eq!(plan_code("Digitaliseringsplan"), "digitalisation");
        assert_eq!(plan_code("verksamhetssystem"), "business_systems");
        assert_eq!(
            plan_code("IT-infrastruktur och IT-säkerhet"),
            "infrastructure"
        );
        assert_eq!(plan_code("service_catalogue"), "service_catalogue");
        assert_eq!(plan_code("Tjänstekatalog"), "service_catalogue");
        assert_eq!(plan_code("Okänd"), "Okänd");
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let sheet = Sheet {
            header: vec!["Titel".into(), "Färg".into()],
            rows: vec![],
        };
        assert_eq!(
            lines(&sheet).unwrap_err(),
            [
                "Okänd kolumn ”Färg”.",
                "Kolumnen ”Plan” saknas.",
                "Kolumnen ”Typ” saknas.",
                "Kolumnen ”Komplexitet” saknas.",
                "Kolumnen ”Timmar” saknas."
            ]
        );
    }
}
