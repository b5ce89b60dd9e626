//! What the author of a final report types, kept with each version, and the figures the text
//! was written against.

use serde::{Deserialize, Serialize};

/// The free-text parts of a draft, in the order of the document. Text may contain
/// `{investeringsanslag}`, replaced by the project's appropriation in mnkr when shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Content {
    pub issuing_unit: String,
    pub officer_name: String,
    pub officer_title: String,
    pub officer_email: String,
    /// The board the report goes to ("Till: …") and that proposes the decision.
    pub proposing_body: String,
    /// The body that decides ("Kommunstyrelsen godkänner …").
    pub deciding_body: String,
    pub title: String,
    /// The project's name as the decision quotes it.
    pub name_in_decision: String,
    pub summary: String,
    pub description: String,
    /// Continues the verdict sentence: why the schedule or economy went as it did.
    pub verdict_explanation: String,
    /// Follows the sentence on how many effect goals were met.
    pub goals_followup: String,
    pub legal_requirements: String,
    pub governing_documents: String,
    /// Continues the first budget sentence when a sub-entity withdrew.
    pub sub_entity_explanation: String,
    /// The date the outcome is reported per, `YYYY-MM-DD`.
    pub figures_as_of: String,
    pub analysis: String,
    /// Signatures, one block per person, blocks separated by an empty line.
    pub signatures: String,
    pub send_to: String,
}

/// The figures a version was written against, formatted as the text shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Figures {
    pub appropriation: String,
    pub budget: String,
    pub outcome: String,
    pub deviation: String,
}

impl Figures {
    /// The figures that differ between `self` (when written) and `now`: (label, then, now).
    pub fn changes(&self, now: &Figures) -> Vec<(&'static str, String, String)> {
        [
            (
                "Investeringsanslag",
                &self.appropriation,
                &now.appropriation,
            ),
            ("Budget", &self.budget, &now.budget),
            ("Utfall", &self.outcome, &now.outcome),
            ("Avvikelse", &self.deviation, &now.deviation),
        ]
        .into_iter()
        .filter(|(_, then, now)| then != now)
        .map(|(label, then, now)| (label, then.clone(), now.clone()))
        .collect()
    }
}

/// `text` with its placeholders filled in.
pub fn fill(text: &str, appropriation_mnkr: &str) -> String {
    text.replace("{investeringsanslag}", appropriation_mnkr)
}

/// Paragraphs of a text: separated by empty lines.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().replace("\r\n", "\n"))
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_paragraphs() {
        assert_eq!(
            fill("anslag om {investeringsanslag}, att", "3,2 mnkr"),
            "anslag om 3,2 mnkr, att"
        );
        assert_eq!(paragraphs("a\n\n\n b \n\nc"), ["a", "b", "c"]);
        let then = Figures {
            outcome: "1".into(),
            ..Figures::default()
        };
        let now = Figures {
            outcome: "2".into(),
            ..Figures::default()
        };
        assert_eq!(
            then.changes(&now),
            [("Utfall", "1".to_owned(), "2".to_owned())]
        );
        assert!(now.changes(&now).is_empty());
    }
}
