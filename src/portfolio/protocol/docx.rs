//! The round's protocol as a Word document: landscape, one table of decisions per plan with
//! its totals, a summary table across the plans, and title, author and date in the file's
//! properties.

use chrono::{DateTime, Utc};
use docx_rs::{Paragraph, Table, TableRow};

use crate::{
    documents::{
        letterhead::Letterhead,
        word::{Orientation, Properties, cell, document_in, pack, text_paragraph},
    },
    domain::number::{format_quantity, group},
    portfolio::protocol::model::{Protocol, Section, Tally},
};

fn header_row(labels: &[(&str, bool)]) -> TableRow {
    TableRow::new(
        labels
            .iter()
            .map(|(l, right)| cell(l, *right, true))
            .collect(),
    )
    .cant_split()
}

fn decisions_table(section: &Section) -> Table {
    let mut rows = vec![header_row(&[
        ("Plats", true),
        ("Nr", false),
        ("Objekt", false),
        ("Kommuner", false),
        ("Timmar", true),
        ("Kostnad (kr)", true),
        ("Nytta", true),
        ("Beslut", false),
        ("Motivering", false),
    ])];
    for line in &section.lines {
        let decision = if line.quarter.is_empty() {
            line.decision.label().to_owned()
        } else {
            format!("{} {}", line.decision.label(), line.quarter)
        };
        rows.push(
            TableRow::new(vec![
                cell(
                    &line.rank.map(|r| r.to_string()).unwrap_or_default(),
                    true,
                    false,
                ),
                cell(&line.reference, false, false),
                cell(&line.title, false, false),
                cell(&line.municipalities, false, false),
                cell(&group(&line.hours.to_string()), true, false),
                cell(&line.cost.format_kr(), true, false),
                cell(
                    &match &line.per_effort {
                        Some(w) => format!("{} (WSJF {w})", format_quantity(line.benefit)),
                        None => format_quantity(line.benefit),
                    },
                    true,
                    false,
                ),
                cell(&decision, false, false),
                cell(&line.reason, false, false),
            ])
            .cant_split(),
        );
    }
    let t = &section.tally;
    rows.push(TableRow::new(vec![
        cell("", false, true),
        cell("", false, true),
        cell("Prioriterat i planen", false, true),
        cell("", false, true),
        cell(&group(&t.hours.to_string()), true, true),
        cell(&t.cost.format_kr(), true, true),
        cell("", false, true),
        cell(
            &format!("{} av {}", t.prioritised, section.lines.len()),
            false,
            true,
        ),
        cell("", false, true),
    ]));
    Table::new(rows)
}

fn summary_row(t: &Tally, bold: bool) -> TableRow {
    TableRow::new(vec![
        cell(&t.label, false, bold),
        cell(&t.prioritised.to_string(), true, bold),
        cell(&group(&t.hours.to_string()), true, bold),
        cell(&t.cost.format_kr(), true, bold),
        cell(&t.postponed.to_string(), true, bold),
        cell(&t.rejected.to_string(), true, bold),
    ])
}

/// The .docx bytes of `protocol`, made `at`, in `letterhead`.
pub fn write(
    protocol: &Protocol,
    at: DateTime<Utc>,
    letterhead: &Letterhead,
) -> Result<Vec<u8>, String> {
    let mut docx = document_in(
        letterhead,
        Orientation::Landscape,
        &format!("Samordningsgruppen · {}", protocol.quarter),
        None,
    )
    .add_paragraph(text_paragraph(&protocol.title()).style("Heading1"))
    .add_paragraph(text_paragraph(&protocol.preamble()));
    for section in protocol.sections.iter().filter(|s| !s.lines.is_empty()) {
        docx = docx
            .add_paragraph(text_paragraph(section.plan.label()).style("Heading2"))
            .add_table(decisions_table(section))
            .add_paragraph(Paragraph::new());
    }
    let mut summary = vec![header_row(&[
        ("Plan", false),
        ("Prioriterade", true),
        ("Timmar", true),
        ("Kostnad (kr)", true),
        ("Uppskjutna", true),
        ("Avslagna", true),
    ])];
    summary.extend(
        protocol
            .sections
            .iter()
            .map(|s| summary_row(&s.tally, false)),
    );
    summary.push(summary_row(&protocol.total, true));
    docx = docx
        .add_paragraph(text_paragraph("Sammanställning").style("Heading2"))
        .add_table(Table::new(summary))
        .add_paragraph(text_paragraph(&protocol.conclusion()));
    // The protocol is the coordination group's; the person who registered its decision
    // prepared it.
    let author = if protocol.decided_by.trim().is_empty() {
        "Samordningsgruppen"
    } else {
        &protocol.decided_by
    };
    pack(
        docx,
        &Properties {
            title: &protocol.title(),
            author,
            at,
        },
        letterhead,
    )
}
