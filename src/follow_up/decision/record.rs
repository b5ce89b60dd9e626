//! What a decided report's documents say about the decision: the board, date and § it was
//! decided at, and each correction of its text since, with when, by whom and why. The archive
//! copy must show that its text was corrected after the board decided, not pass the corrected
//! text off as the one decided.

use sqlx::PgConnection;

use crate::{
    domain::follow_up::FollowUpStatus,
    follow_up::{
        decision::repo::{self, Correction},
        document::{Block, Document},
        report::Report,
    },
    web::format,
};

/// "Beslutad av Gemensamma servicenämnden 2022-09-20, § 45."; none until decided.
pub fn decided(report: &Report) -> Option<String> {
    let h = &report.header;
    let (body, on, paragraph) = (
        h.decision_body.as_ref()?,
        h.decided_on?,
        h.decision_paragraph.as_ref()?,
    );
    Some(format!("Beslutad av {body} {on}, {paragraph}."))
}

/// The corrections of a decided report, oldest first; none for any other.
pub async fn corrections(
    conn: &mut PgConnection,
    report: &Report,
) -> Result<Vec<Correction>, sqlx::Error> {
    match report.header.follow_up_id {
        Some(id) if report.header.status == Some(FollowUpStatus::Decided) => {
            repo::corrections(conn, id).await
        }
        _ => Ok(Vec::new()),
    }
}

/// The decision and the corrections, put first in the letter and in each attachment, so that
/// every format (Word, PDF/A, Excel, print) carries them.
pub fn stamp(document: &mut Document, report: &Report, corrections: &[Correction]) {
    let Some(decided) = decided(report) else {
        return;
    };
    let mut blocks = vec![Block::LeadIn("Beslut.".to_owned(), decided.clone())];
    if !corrections.is_empty() {
        blocks.push(Block::Heading(
            2,
            "Rättelser av texten efter beslutet".to_owned(),
        ));
        for c in corrections {
            blocks.push(Block::Bullet(format!(
                "{}, {}: {}",
                format::date_time(c.at),
                c.by,
                c.reason
            )));
        }
    }
    for (n, part) in document.parts.iter_mut().enumerate() {
        if n == 0 {
            part.blocks.splice(0..0, blocks.iter().cloned());
        } else {
            let corrected = match corrections.len() {
                0 => String::new(),
                1 => " Texten har rättats en gång efter beslutet.".to_owned(),
                n => format!(" Texten har rättats {n} gånger efter beslutet."),
            };
            part.blocks
                .insert(0, Block::Note(format!("{decided}{corrected}")));
        }
    }
}
