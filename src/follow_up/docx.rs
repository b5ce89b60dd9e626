//! The period report as a Word document, with the building blocks every export uses
//! (`documents::word`): the municipalities and Dnr in the page header (with UTKAST while the
//! report is incomplete), the letter in portrait, bilaga 1 on a new page and bilaga 2 on
//! landscape pages, tables with their column groups, bold subtotal and total rows and
//! right-aligned figures, and title, author and date in the file's properties.

use chrono::{DateTime, Utc};
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, Paragraph, Run, Style, StyleType,
    Table as WordTable, TableCell, TableRow,
};

use crate::{
    documents::word::{
        A4_LANDSCAPE, Properties, TEXT_WIDTH, document as word_document, draft_notice,
        end_portrait_section, heading, landscape, pack, text_paragraph,
    },
    follow_up::document::{Block, Document, RowKind, Table},
};

/// Table text in half-points: 9 pt, so seven to twelve columns fit the page.
const TABLE_TEXT: usize = 18;
/// The paragraph styles of the table cells: 9 pt without space after, and the same
/// right-aligned for figures. Set once in the styles rather than on each of the thousands of
/// cells of a large board: the XML is smaller, and docx-rs (whose builders move their values,
/// the export's main CPU cost) builds fewer properties per cell.
const TABLE_STYLE: &str = "Tabelltext";
const FIGURE_STYLE: &str = "Tabellsiffror";

fn table_styles(docx: Docx) -> Docx {
    docx.add_style(
        Style::new(TABLE_STYLE, StyleType::Paragraph)
            .name(TABLE_STYLE)
            .based_on("Normal")
            .size(TABLE_TEXT)
            .line_spacing(LineSpacing::new().after(0)),
    )
    .add_style(
        Style::new(FIGURE_STYLE, StyleType::Paragraph)
            .name(FIGURE_STYLE)
            .based_on(TABLE_STYLE)
            .align(AlignmentType::Right),
    )
}

/// A table cell in the table styles; header, subtotal and total rows bold.
fn cell(text: &str, right: bool, bold: bool) -> TableCell {
    let mut run = Run::new().add_text(text);
    if bold {
        run = run.bold();
    }
    let style = if right { FIGURE_STYLE } else { TABLE_STYLE };
    TableCell::new().add_paragraph(Paragraph::new().style(style).add_run(run))
}

fn table(table: &Table, text_width: usize) -> WordTable {
    let mut rows = Vec::new();
    if !table.column_groups.is_empty() {
        rows.push(
            TableRow::new(
                table
                    .column_groups
                    .iter()
                    .map(|(label, span)| cell(label, false, true).grid_span(*span))
                    .collect(),
            )
            .cant_split(),
        );
    }
    rows.push(
        TableRow::new(
            table
                .columns
                .iter()
                .map(|c| cell(&c.label, c.figures, true))
                .collect(),
        )
        .cant_split(),
    );
    for row in &table.rows {
        let bold = row.kind != RowKind::Body;
        let cells = if row.kind == RowKind::Group {
            let label = row.cells.first().map(|c| c.shown()).unwrap_or_default();
            vec![cell(&label, false, true).grid_span(table.columns.len())]
        } else {
            row.laid_out()
                .enumerate()
                .map(|(i, c)| {
                    let cell = cell(&c.shown(), c.is_figure(), bold);
                    if i == 0 {
                        cell.grid_span(row.span)
                    } else {
                        cell
                    }
                })
                .collect()
        };
        rows.push(TableRow::new(cells).cant_split());
    }
    let total: usize = table.columns.iter().map(|c| usize::from(c.width)).sum();
    let grid = table
        .columns
        .iter()
        .map(|c| usize::from(c.width) * text_width / total.max(1))
        .collect();
    WordTable::new(rows).set_grid(grid)
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
}

/// The .docx bytes of `document`, made `at`.
pub fn write(document: &Document, at: DateTime<Utc>) -> Result<Vec<u8>, String> {
    let mut docx = table_styles(word_document(
        &document.page_header,
        document.draft.then_some("UTKAST"),
    ));
    if document.draft {
        docx = docx.add_paragraph(draft_notice());
        for missing in &document.missing {
            docx = docx.add_paragraph(text_paragraph(&format!("Saknas: {missing}")));
        }
    }
    docx = docx.add_paragraph(text_paragraph(&document.board));
    let landscape_width = A4_LANDSCAPE.0 as usize - 2 * 1_701;
    let mut in_landscape = false;
    for (n, part) in document.parts.iter().enumerate() {
        if part.landscape && !in_landscape {
            docx = docx.add_paragraph(end_portrait_section());
            in_landscape = true;
        } else if n > 0 {
            docx = docx.add_paragraph(page_break());
        }
        let width = if part.landscape {
            landscape_width
        } else {
            TEXT_WIDTH
        };
        docx = docx.add_paragraph(heading(1, &part.title));
        for block in &part.blocks {
            docx = match block {
                Block::Heading(level, text) => docx.add_paragraph(heading((*level).max(2), text)),
                Block::Paragraph(text) => docx.add_paragraph(text_paragraph(text)),
                Block::LeadIn(lead, text) => docx.add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_text(lead).bold())
                        .add_run(Run::new().add_text(format!(" {text}"))),
                ),
                Block::Bullet(text) => docx.add_paragraph(text_paragraph(&format!("• {text}"))),
                Block::Note(text) => {
                    docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).size(18)))
                }
                Block::Table(t) => docx
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&t.caption).bold()))
                    .add_table(table(t, width)),
            };
        }
    }
    if in_landscape {
        docx = landscape(docx);
    }
    pack(
        docx,
        &Properties {
            title: &document.title,
            author: &document.author,
            at,
        },
    )
}
