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

/// Paragraphs of a text: separated by empty (or blank) lines, whatever the line endings a
/// browser sent; single line breaks stay inside a paragraph.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    paragraphs
}

/// Text without control characters other than line breaks and tabs: they have no place in a
/// document, and XML (Word) cannot hold them.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

impl Content {
    /// Every field cleaned of control characters.
    pub fn cleaned(mut self) -> Self {
        for field in [
            &mut self.issuing_unit,
            &mut self.officer_name,
            &mut self.officer_title,
            &mut self.officer_email,
            &mut self.proposing_body,
            &mut self.deciding_body,
            &mut self.title,
            &mut self.name_in_decision,
            &mut self.summary,
            &mut self.description,
            &mut self.verdict_explanation,
            &mut self.goals_followup,
            &mut self.legal_requirements,
            &mut self.governing_documents,
            &mut self.sub_entity_explanation,
            &mut self.figures_as_of,
            &mut self.analysis,
            &mut self.signatures,
            &mut self.send_to,
        ] {
            *field = clean(field);
        }
        self
    }
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
        assert_eq!(
            paragraphs("rad 1\r\nrad 2\r\n\r\nnästa"),
            ["rad 1\nrad 2", "nästa"]
        );
        assert_eq!(paragraphs(" \n\t\n"), Vec::<String>::new());
        assert_eq!(clean("a\u{b}b\u{0}c\nd"), "abc\nd");
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
