//! The final report as a Word document (docx-rs): real heading styles, the budget table with a
//! bold header row and right-aligned figures, the municipality and Dnr in the page header (with
//! UTKAST while the report is a draft), page numbers in the footer, and title, author and date
//! in the file's properties.

use docx_rs::{LineSpacing, Paragraph, Table, TableRow};

use crate::{
    documents::{
        letterhead::Letterhead,
        word::{
            Properties, cell, document as word_document, draft_notice, heading, pack,
            text_paragraph,
        },
    },
    final_report::document::{Block, Document, Imprint},
};

fn budget_table(document: &Document) -> Table {
    let table = &document.table;
    let mut rows = vec![TableRow::new(vec![
        cell("", false, true),
        cell("Budget", true, true),
        cell("Utfall", true, true),
        cell("Avvikelse", true, true),
    ])];
    for row in &table.rows {
        rows.push(TableRow::new(vec![
            cell(&row.label, false, false),
            cell(&row.budget, true, false),
            cell(&row.outcome, true, false),
            cell(&row.deviation, true, false),
        ]));
    }
    rows.push(TableRow::new(vec![
        cell("Totalt", false, true),
        cell(&table.total_budget.join(" "), true, true),
        cell(&table.total_outcome, true, true),
        cell(&table.total_deviation, true, true),
    ]));
    Table::new(rows)
}

/// A line of the address block (unit, officer): no space after it, as in a letterhead.
fn address_line(text: &str) -> Paragraph {
    text_paragraph(text).line_spacing(LineSpacing::new().after(0))
}

/// The .docx bytes of `document`, marked as `imprint` says, in `letterhead`.
pub fn write(
    document: &Document,
    imprint: &Imprint,
    letterhead: &Letterhead,
) -> Result<Vec<u8>, String> {
    let mut docx = word_document(
        letterhead,
        &format!("{} · Dnr {}", imprint.municipality, document.case_number),
        imprint.draft.then_some("UTKAST"),
    );
    if !document.missing.is_empty() {
        docx = docx.add_paragraph(draft_notice());
    }
    docx = docx.add_paragraph(address_line(&document.issuing_unit));
    for line in &document.officer {
        docx = docx.add_paragraph(address_line(line));
    }
    docx = docx
        .add_paragraph(text_paragraph(&format!("Till: {}", document.addressee)))
        .add_paragraph(heading(1, &document.title));
    for block in &document.blocks {
        docx = match block {
            Block::Heading(level, text) => docx.add_paragraph(heading((*level).max(2), text)),
            Block::Paragraph(text) => docx.add_paragraph(text_paragraph(text)),
            Block::Table => docx.add_table(budget_table(document)),
            // One paragraph whose lines Word keeps on one page, as the PDF does.
            Block::Signature(lines) => {
                docx.add_paragraph(text_paragraph(&lines.join("\n")).keep_lines(true))
            }
        };
    }
    pack(
        docx,
        &Properties {
            title: &document.title,
            author: &document.author,
            at: imprint.at,
        },
        letterhead,
    )
}
