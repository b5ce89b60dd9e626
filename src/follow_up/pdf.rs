//! The period report as tagged PDF/A-2a and PDF/UA-1 for the archive, laid out with the shared PDF building blocks
//! (`documents::pdf`) in the order of the Word export: the letter and bilaga 1 on portrait
//! pages, bilaga 2 on landscape pages, the municipalities and Dnr in every page header (with
//! UTKAST while the report is incomplete).
//!
//! Layout works in points, so this module uses floating point; it never computes money, only
//! positions of text already formatted (the CI float check skips this file for that reason).
#![allow(clippy::float_arithmetic)]

use chrono::{DateTime, Utc};

use crate::{
    documents::pdf::{self, BODY, Column, Layout},
    follow_up::document::{Block, Document, RowKind, Table},
};

const TABLE_TEXT: f32 = 8.0;

fn table(layout: &mut Layout, t: &Table) {
    let total: f32 = t.columns.iter().map(|c| f32::from(c.width)).sum();
    let scale = layout.text_width() / total.max(1.0);
    let mut x = 0.0;
    let columns: Vec<Column> = t
        .columns
        .iter()
        .map(|c| {
            let width = f32::from(c.width) * scale;
            let column = Column {
                x,
                width,
                right: c.figures,
                span: 1,
            };
            x += width;
            column
        })
        .collect();
    layout.ensure(60.0);
    layout.paragraph(&t.caption, 10.0, true, 2.0);
    if !t.column_groups.is_empty() {
        let mut cells = Vec::new();
        let mut spans = Vec::new();
        let mut at = 0;
        for (label, span) in &t.column_groups {
            let first = columns.get(at).copied();
            let last = columns.get(at + span - 1).copied();
            if let (Some(first), Some(last)) = (first, last) {
                cells.push(label.as_str());
                spans.push(Column {
                    x: first.x,
                    width: last.x + last.width - first.x,
                    right: false,
                    span: u32::try_from(*span).unwrap_or(1),
                });
            }
            at += span;
        }
        layout.header_row(&cells, &spans, TABLE_TEXT);
    }
    let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    layout.header_row(&labels, &columns, TABLE_TEXT);
    let across = [Column {
        x: 0.0,
        width: layout.text_width(),
        right: false,
        span: u32::try_from(columns.len()).unwrap_or(1),
    }];
    for row in &t.rows {
        let shown: Vec<String> = row.laid_out().map(|c| c.shown()).collect();
        let cells: Vec<&str> = shown.iter().map(String::as_str).collect();
        if row.kind == RowKind::Group {
            layout.row(&cells[..1], &across, true, TABLE_TEXT);
        } else {
            // The first cell as wide as the columns it spans.
            let span = row.span.clamp(1, columns.len());
            let mut laid_out = columns[span - 1..].to_vec();
            if let (Some(first), Some(last)) = (columns.first(), laid_out.first_mut()) {
                last.width += last.x - first.x;
                last.x = first.x;
                last.right = false;
                last.span = u32::try_from(span).unwrap_or(1);
            }
            layout.row(&cells, &laid_out, row.kind != RowKind::Body, TABLE_TEXT);
        }
    }
    layout.y += 4.0;
}

fn lay_out(document: &Document) -> Layout {
    let mut layout = Layout::new();
    if document.draft {
        layout.paragraph("UTKAST – ofullständigt", 12.0, true, 2.0);
        for missing in &document.missing {
            layout.paragraph(&format!("Saknas: {missing}"), BODY, false, 0.0);
        }
        layout.y += 6.0;
    }
    layout.paragraph(&document.board, BODY, false, 6.0);
    for (n, part) in document.parts.iter().enumerate() {
        if n > 0 {
            layout.new_page(part.landscape);
        }
        layout.title(&part.title, 8.0);
        for block in &part.blocks {
            match block {
                Block::Heading(level, text) => layout.heading(*level, text),
                Block::Paragraph(text) => layout.paragraph(text, BODY, false, 6.0),
                Block::LeadIn(lead, text) => {
                    layout.paragraph(lead, BODY, true, 0.0);
                    layout.paragraph(text, BODY, false, 6.0);
                }
                Block::Bullet(text) => layout.paragraph(&format!("• {text}"), BODY, false, 4.0),
                Block::Note(text) => layout.paragraph(text, 8.5, false, 8.0),
                Block::Table(t) => table(&mut layout, t),
            }
        }
    }
    layout
}

/// The tagged PDF/A-2a and PDF/UA-1 bytes of `document`, made `at`.
pub fn write(document: &Document, at: DateTime<Utc>) -> Result<Vec<u8>, String> {
    pdf::write(
        &lay_out(document),
        &pdf::Imprint {
            header: &document.page_header,
            mark: document.draft.then_some("UTKAST"),
            title: &document.title,
            author: &document.author,
            at,
        },
    )
}
