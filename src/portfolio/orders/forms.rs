//! The order form on the item page.

use serde::Deserialize;

use crate::{operation::Submission, web::form::FieldErrors};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub note: String,
}

/// A checked order form.
#[derive(Debug, Clone)]
pub struct OrderInput {
    pub reference: String,
    pub note: String,
    pub submission: Submission,
}

impl OrderForm {
    pub fn parse(&self) -> Result<OrderInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let reference = e.text(
            "reference",
            "Beställningens referens",
            &self.reference,
            (100, true),
        );
        let note = e.text("note", "Notering", &self.note, (2000, false));
        match (reference, note) {
            (Some(reference), Some(note)) => Ok(OrderInput {
                reference,
                note,
                submission: self.submission,
            }),
            _ => Err(e),
        }
    }
}
