//! The carry-over form: one amount per project, as parallel lists so it shows again as typed.

use serde::Deserialize;
use uuid::Uuid;

use crate::{domain::money::Money, follow_up::report::Report, web::form::FieldErrors};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CarryOverForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub project: Vec<String>,
    #[serde(default)]
    pub amount: Vec<String>,
}

/// A project's proposal: none removes it.
pub struct Proposal {
    pub project: Uuid,
    pub amount: Option<Money>,
}

pub struct CarryOverInput {
    pub version: i32,
    pub proposals: Vec<Proposal>,
}

impl CarryOverForm {
    /// The saved proposals, or for a project without one what its forecast leaves unspent;
    /// blank where that is nothing, or where no forecast is entered (nobody has said what will
    /// be left).
    pub fn from_report(report: &Report) -> Self {
        let (project, amount) = report
            .projects
            .iter()
            .map(|p| {
                let amount = match p.proposed_carry_over {
                    Some(saved) => Some(saved),
                    None if p.has_forecast => Some(p.figures.unspent().min(p.carry_over_limit()))
                        .filter(|m| *m != Money::ZERO),
                    None => None,
                };
                (
                    p.id.to_string(),
                    amount.map(Money::format_kr).unwrap_or_default(),
                )
            })
            .unzip();
        Self {
            version: report.header.version.to_string(),
            project,
            amount,
        }
    }

    /// What was typed for `project`.
    pub fn amount_of(&self, project: &Uuid) -> &str {
        let id = project.to_string();
        self.project
            .iter()
            .position(|p| *p == id)
            .and_then(|i| self.amount.get(i))
            .map_or("", String::as_str)
    }

    pub fn parse(&self) -> Result<CarryOverInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let version = self.version.trim().parse().unwrap_or(0);
        let mut proposals = Vec::new();
        for (i, project) in self.project.iter().enumerate() {
            let Ok(project) = project.parse::<Uuid>() else {
                errors.add("project", "Formuläret är inaktuellt. Ladda om sidan.");
                continue;
            };
            let typed = self.amount.get(i).map_or("", String::as_str);
            let field = format!("amount-{project}");
            let amount = if typed.trim().is_empty() {
                None
            } else {
                match Money::parse(typed) {
                    Ok(m) if m.is_negative() => {
                        errors.add(&field, "Överföring: beloppet kan inte vara negativt.");
                        None
                    }
                    // Zero carries nothing over: the same as no proposal.
                    Ok(m) if m == Money::ZERO => None,
                    Ok(m) => Some(m),
                    Err(e) => {
                        errors.add(&field, format!("Överföring: {e}"));
                        None
                    }
                }
            };
            proposals.push(Proposal { project, amount });
        }
        if errors.is_empty() {
            Ok(CarryOverInput { version, proposals })
        } else {
            Err(errors)
        }
    }
}
