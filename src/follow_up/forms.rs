//! The controller's form for a board's report at an occasion: the full-year forecast and the
//! deviation comment of each activity and project, who the forecast sentence names, the date of
//! the attachments and the officials' own text. Rows are parallel lists, one entry per table row,
//! so the form shows again exactly what was typed.

use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{money::Money, project::CaseNumber, text},
    follow_up::report::Report,
    projects::forms::optional_date,
    web::form::FieldErrors,
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ForecastForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub reporting_unit: String,
    #[serde(default)]
    pub attachments_dated: String,
    #[serde(default)]
    pub summary_text: String,
    #[serde(default)]
    pub operating_text: String,
    #[serde(default)]
    pub investment_text: String,
    #[serde(default)]
    pub diary_number: String,
    #[serde(default)]
    pub activity: Vec<String>,
    #[serde(default)]
    pub revenue: Vec<String>,
    #[serde(default)]
    pub costs: Vec<String>,
    #[serde(default)]
    pub activity_comment: Vec<String>,
    #[serde(default)]
    pub project: Vec<String>,
    #[serde(default)]
    pub forecast: Vec<String>,
    #[serde(default)]
    pub project_comment: Vec<String>,
}

/// An activity's forecast as entered: none while both amounts are blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityInput {
    pub code: String,
    pub forecast: Option<(Money, Money)>,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInput {
    pub id: Uuid,
    pub forecast: Option<Money>,
    pub comment: String,
}

/// The checked form.
#[derive(Debug, Clone)]
pub struct ForecastInput {
    pub version: i32,
    pub reporting_unit: String,
    pub attachments_dated: Option<NaiveDate>,
    pub summary_text: String,
    pub operating_text: String,
    pub investment_text: String,
    /// The report's diarienummer; none while blank.
    pub diary_number: Option<CaseNumber>,
    pub activities: Vec<ActivityInput>,
    pub projects: Vec<ProjectInput>,
}

/// A typed diarienummer ("GSN 2022-35"), checked as a project's case number; none when blank.
fn optional_case_number(typed: &str) -> Result<Option<CaseNumber>, String> {
    if typed.trim().is_empty() {
        Ok(None)
    } else {
        CaseNumber::parse(typed).map(Some)
    }
}

fn nth(values: &[String], i: usize) -> &str {
    values.get(i).map_or("", String::as_str)
}

/// A typed forecast amount, or none when blank. Revenue, costs and a project's forecast are
/// never negative: a minus sign here is a typo that would turn the report's figures around.
fn amount(typed: &str, what: &str) -> Result<Option<Money>, String> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    match Money::parse(typed) {
        Ok(m) if m.is_negative() => Err(format!("{what}: beloppet kan inte vara negativt.")),
        Ok(m) => Ok(Some(m)),
        Err(e) => Err(format!("{what}: {e}")),
    }
}

impl ForecastForm {
    /// The form as the report stands: what is saved, blank where nothing is.
    pub fn from_report(report: &Report) -> Self {
        let h = &report.header;
        // As people write them (3 200 000), which `Money::parse` reads back.
        let kr = Money::format_kr;
        Self {
            version: h.version.to_string(),
            reporting_unit: h.reporting_unit.clone(),
            attachments_dated: h
                .attachments_dated
                .map(|d| d.to_string())
                .unwrap_or_default(),
            summary_text: h.summary_text.clone(),
            operating_text: h.operating_text.clone(),
            investment_text: h.investment_text.clone(),
            diary_number: h.diary_number.clone().unwrap_or_default(),
            activity: report.activities.iter().map(|a| a.code.clone()).collect(),
            revenue: report
                .activities
                .iter()
                .map(|a| {
                    if a.has_forecast {
                        kr(a.full_year.revenue_actual)
                    } else {
                        String::new()
                    }
                })
                .collect(),
            costs: report
                .activities
                .iter()
                .map(|a| {
                    if a.has_forecast {
                        kr(a.full_year.cost_actual)
                    } else {
                        String::new()
                    }
                })
                .collect(),
            activity_comment: report
                .activities
                .iter()
                .map(|a| a.comment.clone())
                .collect(),
            project: report.projects.iter().map(|p| p.id.to_string()).collect(),
            forecast: report
                .projects
                .iter()
                .map(|p| {
                    if p.has_forecast {
                        kr(p.figures.forecast)
                    } else {
                        String::new()
                    }
                })
                .collect(),
            project_comment: report.projects.iter().map(|p| p.comment.clone()).collect(),
        }
    }

    /// What was typed for the activity `code` (revenue, costs, comment).
    pub fn activity_values(&self, code: &str) -> (&str, &str, &str) {
        let i = self.activity.iter().position(|c| c == code);
        i.map_or(("", "", ""), |i| {
            (
                nth(&self.revenue, i),
                nth(&self.costs, i),
                nth(&self.activity_comment, i),
            )
        })
    }

    /// What was typed for the project `id` (forecast, comment).
    pub fn project_values(&self, id: Uuid) -> (&str, &str) {
        let id = id.to_string();
        let i = self.project.iter().position(|p| *p == id);
        i.map_or(("", ""), |i| {
            (nth(&self.forecast, i), nth(&self.project_comment, i))
        })
    }

    /// Checks every field; errors are keyed `revenue-031`, `forecast-<project id>` and so on, the
    /// ids of the inputs they belong to.
    pub fn parse(&self) -> Result<ForecastInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let version = self.version.trim().parse().unwrap_or(-1);
        let reporting_unit = e.check(
            "reporting_unit",
            text::bounded(&self.reporting_unit, 200, false),
        );
        let attachments_dated =
            e.check("attachments_dated", optional_date(&self.attachments_dated));
        let summary_text = e.check(
            "summary_text",
            text::bounded(&self.summary_text, 20000, false),
        );
        let operating_text = e.check(
            "operating_text",
            text::bounded(&self.operating_text, 20000, false),
        );
        let investment_text = e.check(
            "investment_text",
            text::bounded(&self.investment_text, 20000, false),
        );
        let diary_number = e.check("diary_number", optional_case_number(&self.diary_number));
        let mut activities = Vec::new();
        for (i, code) in self.activity.iter().enumerate() {
            let revenue = e.check(
                format!("revenue-{code}"),
                amount(
                    nth(&self.revenue, i),
                    &format!("Prognos intäkter för {code}"),
                ),
            );
            let costs = e.check(
                format!("costs-{code}"),
                amount(
                    nth(&self.costs, i),
                    &format!("Prognos kostnader för {code}"),
                ),
            );
            let comment = e.check(
                format!("activity_comment-{code}"),
                text::bounded(nth(&self.activity_comment, i), 5000, false),
            );
            let forecast = match (revenue, costs) {
                (Some(Some(r)), Some(Some(c))) => Some(Some((r, c))),
                (Some(None), Some(None)) => Some(None),
                (Some(r), Some(_)) => {
                    let missing = if r.is_none() { "revenue" } else { "costs" };
                    e.add(
                        format!("{missing}-{code}"),
                        format!("Ange både intäkter och kostnader i prognosen för {code}, eller ingen av dem."),
                    );
                    None
                }
                _ => None,
            };
            if let (Some(None), Some(comment)) = (&forecast, &comment)
                && !comment.is_empty()
            {
                e.add(
                    format!("revenue-{code}"),
                    format!("Ange en prognos för {code} för att spara kommentaren."),
                );
            }
            if let (Some(forecast), Some(comment)) = (forecast, comment) {
                activities.push(ActivityInput {
                    code: code.clone(),
                    forecast,
                    comment,
                });
            }
        }
        let mut projects = Vec::new();
        for (i, id) in self.project.iter().enumerate() {
            let Ok(id) = id.parse::<Uuid>() else {
                e.add(
                    "project",
                    "Formuläret är ofullständigt. Ladda om sidan och försök igen.",
                );
                continue;
            };
            let forecast = e.check(
                format!("forecast-{id}"),
                amount(nth(&self.forecast, i), "Prognos"),
            );
            let comment = e.check(
                format!("project_comment-{id}"),
                text::bounded(nth(&self.project_comment, i), 5000, false),
            );
            if let (Some(None), Some(comment)) = (&forecast, &comment)
                && !comment.is_empty()
            {
                e.add(
                    format!("forecast-{id}"),
                    "Ange en prognos för att spara kommentaren.",
                );
            }
            if let (Some(forecast), Some(comment)) = (forecast, comment) {
                projects.push(ProjectInput {
                    id,
                    forecast,
                    comment,
                });
            }
        }
        match (
            reporting_unit,
            attachments_dated,
            summary_text,
            operating_text,
            investment_text,
            diary_number,
        ) {
            (
                Some(reporting_unit),
                Some(attachments_dated),
                Some(summary_text),
                Some(operating_text),
                Some(investment_text),
                Some(diary_number),
            ) if e.is_empty() => Ok(ForecastInput {
                version,
                reporting_unit,
                attachments_dated,
                summary_text,
                operating_text,
                investment_text,
                diary_number,
                activities,
                projects,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ForecastForm {
        ForecastForm {
            version: "3".into(),
            activity: vec!["031".into(), "032".into()],
            revenue: vec!["8 000 000".into(), "".into()],
            costs: vec!["7,4 mnkr".into(), "".into()],
            activity_comment: vec!["Vakanser.".into(), "".into()],
            ..ForecastForm::default()
        }
    }

    #[test]
    fn amounts_in_swedish_notation_and_blank_rows_parse() {
        let input = form().parse().expect("valid");
        assert_eq!(input.version, 3);
        assert_eq!(
            input.activities[0].forecast,
            Some((Money::kr(8_000_000), Money::kr(7_400_000)))
        );
        assert_eq!(input.activities[1].forecast, None);
    }

    #[test]
    fn a_half_forecast_and_a_bad_amount_are_refused_next_to_their_fields() {
        let mut f = form();
        f.costs[0] = String::new();
        f.revenue[1] = "mycket".into();
        f.costs[1] = "1".into();
        let errors = f.parse().expect_err("refused");
        assert!(
            errors
                .get("costs-031")
                .expect("half")
                .contains("både intäkter och kostnader")
        );
        assert!(
            errors
                .get("revenue-032")
                .expect("bad")
                .starts_with("Prognos intäkter för 032:")
        );
    }
}
