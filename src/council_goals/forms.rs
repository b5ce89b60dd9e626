//! The new council goal form, parsed into a checked goal.

use serde::Deserialize;

use crate::{
    admin::forms::Bindings, council_goals::operations::NewGoal, operation::Submission,
    web::form::FieldErrors,
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoalForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub title: String,
}

impl GoalForm {
    pub fn parse(&self, reference: &impl Bindings) -> Result<NewGoal, FieldErrors> {
        let mut errors = FieldErrors::new();
        let municipality = reference.municipality(&self.municipality);
        if municipality.is_none() {
            errors.add("municipality", "Välj kommun.");
        }
        let title = errors.text("title", "Mål", &self.title, (300, true));
        match (municipality, title) {
            (Some(municipality), Some(title)) => Ok(NewGoal {
                municipality,
                title,
                submission: self.submission,
            }),
            _ => Err(errors),
        }
    }
}
