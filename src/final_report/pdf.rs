//! The final report as tagged PDF/A-2a and PDF/UA-1 for the archive, laid out with the shared PDF building blocks
//! (`documents::pdf`): the municipality and Dnr in the page header (with UTKAST while the report
//! is a draft), page numbers, and title, author, language and date in the document's metadata.
//!
//! Layout works in points, so this module uses floating point; it never computes money, only
//! positions of text already formatted (the CI float check skips this file for that reason).
#![allow(clippy::float_arithmetic)]

use crate::{
    documents::pdf::{self, BODY, Column, Layout},
    final_report::document::{Block, Document, Imprint},
};

/// Table columns: label, budget, outcome, deviation (x from the margin, width, right-aligned).
const COLUMNS: [Column; 4] = [
    Column {
        x: 0.0,
        width: 215.0,
        right: false,
        span: 1,
    },
    Column {
        x: 220.0,
        width: 85.0,
        right: true,
        span: 1,
    },
    Column {
        x: 310.0,
        width: 65.0,
        right: true,
        span: 1,
    },
    Column {
        x: 380.0,
        width: 75.28,
        right: true,
        span: 1,
    },
];
const TABLE_TEXT: f32 = 9.5;

fn lay_out(document: &Document) -> Layout {
    let mut layout = Layout::new();
    if !document.missing.is_empty() {
        layout.paragraph("UTKAST – ofullständigt", 12.0, true, 6.0);
    }
    layout.paragraph(&document.issuing_unit, BODY, false, 0.0);
    for line in &document.officer {
        layout.paragraph(line, BODY, false, 0.0);
    }
    layout.paragraph(&format!("Till: {}", document.addressee), BODY, false, 10.0);
    layout.title(&document.title, 8.0);
    for block in &document.blocks {
        match block {
            Block::Heading(level, text) => layout.heading((*level).max(2), text),
            Block::Paragraph(text) => layout.paragraph(text, BODY, false, 6.0),
            Block::Signature(lines) => layout.kept_together(lines, 10.0, 6.0),
            Block::Table => {
                let table = &document.table;
                let row = |layout: &mut Layout, cells: [&str; 4], bold| {
                    layout.row(&cells, &COLUMNS, bold, TABLE_TEXT);
                };
                let header = ["", "Budget", "Utfall", "Avvikelse"];
                layout.header_row(&header, &COLUMNS, TABLE_TEXT);
                for r in &table.rows {
                    row(
                        &mut layout,
                        [&r.label, &r.budget, &r.outcome, &r.deviation],
                        false,
                    );
                }
                let total = table.total_budget.join(" ");
                row(
                    &mut layout,
                    [
                        "Totalt",
                        &total,
                        &table.total_outcome,
                        &table.total_deviation,
                    ],
                    true,
                );
                layout.y += 6.0;
            }
        }
    }
    layout
}

/// The tagged PDF/A-2a and PDF/UA-1 bytes of `document`, marked as `imprint` says.
pub fn write(document: &Document, imprint: &Imprint) -> Result<Vec<u8>, String> {
    let layout = lay_out(document);
    let header = format!("{} · Dnr {}", imprint.municipality, document.case_number);
    pdf::write(
        &layout,
        &pdf::Imprint {
            header: &header,
            mark: imprint.draft.then_some("UTKAST"),
            title: &document.title,
            author: &document.author,
            at: imprint.at,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (page, text) of every placed line.
    fn placed(layout: &Layout) -> Vec<(usize, &str)> {
        layout
            .pages
            .iter()
            .enumerate()
            .flat_map(|(n, page)| page.placed.iter().map(move |p| (n, p.text.as_str())))
            .collect()
    }

    #[test]
    fn a_signature_is_three_lines_on_one_page_wherever_it_falls() {
        let signature =
            ["Anette Madsen", "Kommundirektör", "Kommunstyrelsekontoret"].map(String::from);
        let mut crossed = false;
        // One short paragraph more each time: the signature starts 21.4 pt lower, less than
        // its height, so the sweep puts it across the end of the first page at least once.
        for paragraphs in 0..60 {
            let mut layout = Layout::new();
            for _ in 0..paragraphs {
                layout.paragraph("Stycke.", BODY, false, 6.0);
            }
            layout.kept_together(&signature, 10.0, 6.0);
            let signed: Vec<(usize, &str)> = placed(&layout)
                .into_iter()
                .filter(|(_, t)| *t != "Stycke.")
                .collect();
            assert_eq!(
                signed.iter().map(|(_, t)| *t).collect::<Vec<_>>(),
                signature,
                "one line each, no line break drawn as a glyph"
            );
            let page = signed[0].0;
            assert!(
                signed.iter().all(|(p, _)| *p == page),
                "after {paragraphs} paragraphs: {signed:?}"
            );
            crossed |= page > 0;
        }
        assert!(crossed, "the sweep reached the second page");
    }
}
