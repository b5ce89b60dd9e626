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
    documents::{
        letterhead::Letterhead,
        word::{
            Body, Orientation, Properties, document_in, draft_notice, heading, pack, section,
            text_paragraph,
        },
    },
    follow_up::document::{Block, Document, Part, RowKind, Table},
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

/// `part` added to `body`, its tables as wide as the text of a page of `letterhead` turned as
/// `orientation`.
fn add_part<B: Body>(
    body: B,
    part: &Part,
    (letterhead, orientation): (&Letterhead, Orientation),
) -> B {
    let mut body = body.paragraph(heading(1, &part.title));
    for block in &part.blocks {
        body = match block {
            Block::Heading(level, text) => body.paragraph(heading((*level).max(2), text)),
            Block::Paragraph(text) => body.paragraph(text_paragraph(text)),
            Block::LeadIn(lead, text) => body.paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(lead).bold())
                    .add_run(Run::new().add_text(format!(" {text}"))),
            ),
            Block::Bullet(text) => body.paragraph(text_paragraph(&format!("• {text}"))),
            Block::Note(text) => {
                body.paragraph(Paragraph::new().add_run(Run::new().add_text(text).size(18)))
            }
            Block::Table(t) => body
                .paragraph(Paragraph::new().add_run(Run::new().add_text(&t.caption).bold()))
                .table(table(t, letterhead.page.text_width(orientation))),
        };
    }
    body
}

/// The draft notice and what is missing, the board, and `parts` on pages of their own.
fn add_parts<B: Body>(
    mut body: B,
    (document, letterhead): (&Document, &Letterhead),
    parts: &[Part],
    first: bool,
) -> B {
    if first {
        if document.draft {
            body = body.paragraph(draft_notice());
            for missing in &document.missing {
                body = body.paragraph(text_paragraph(&format!("Saknas: {missing}")));
            }
        }
        body = body.paragraph(text_paragraph(&document.board));
    }
    for (n, part) in parts.iter().enumerate() {
        if n > 0 {
            body = body.paragraph(page_break());
        }
        let orientation = if part.landscape {
            Orientation::Landscape
        } else {
            Orientation::Portrait
        };
        body = add_part(body, part, (letterhead, orientation));
    }
    body
}

/// The .docx bytes of `document`, made `at`: the parts before the first landscape one on
/// portrait pages, that one and the rest on landscape pages (a section of their own, with the
/// header set for their width), in `letterhead`.
pub fn write(
    document: &Document,
    at: DateTime<Utc>,
    letterhead: &Letterhead,
) -> Result<Vec<u8>, String> {
    let on = (document, letterhead);
    let (header, mark) = (&document.page_header, document.draft.then_some("UTKAST"));
    let split = document
        .parts
        .iter()
        .position(|p| p.landscape)
        .unwrap_or(document.parts.len());
    let (portrait, landscape) = document.parts.split_at(split);
    let docx = if landscape.is_empty() {
        add_parts(
            table_styles(document_in(letterhead, Orientation::Portrait, header, mark)),
            on,
            portrait,
            true,
        )
    } else {
        let first = add_parts(
            section(letterhead, Orientation::Portrait, header, mark),
            on,
            portrait,
            true,
        );
        let docx = table_styles(document_in(
            letterhead,
            Orientation::Landscape,
            header,
            mark,
        ))
        .add_section(first);
        add_parts(docx, on, landscape, false)
    };
    pack(
        docx,
        &Properties {
            title: &document.title,
            author: &document.author,
            at,
        },
        letterhead,
    )
}
