//! The final report as a Word document (docx-rs): real heading styles, the budget table with a
//! bold header row and right-aligned figures, the municipality and Dnr in the page header and
//! page numbers in the footer.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, PageNum, Paragraph, Run, RunFonts, Style,
    StyleType, Table, TableCell, TableRow,
};

use crate::final_report::document::{Block, Document};

const FONT: &str = "Liberation Serif";

fn heading_style(id: &str, name: &str, size_pt: usize, level: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .bold()
        .size(size_pt * 2)
        .outline_lvl(level)
}

/// A paragraph whose line breaks stay line breaks.
fn text_paragraph(text: &str) -> Paragraph {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    Paragraph::new().add_run(run)
}

fn cell(text: &str, right: bool, bold: bool) -> TableCell {
    let mut run = Run::new().add_text(text);
    if bold {
        run = run.bold();
    }
    let mut paragraph = Paragraph::new().add_run(run);
    if right {
        paragraph = paragraph.align(AlignmentType::Right);
    }
    TableCell::new().add_paragraph(paragraph)
}

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

/// The .docx bytes of `document`, for `municipality`'s page header.
pub fn write(document: &Document, municipality: &str) -> Result<Vec<u8>, String> {
    let header = Header::new().add_paragraph(
        text_paragraph(&format!("{municipality} · Dnr {}", document.case_number))
            .align(AlignmentType::Right),
    );
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("Sida "))
            .add_page_num(PageNum::new()),
    );
    let mut docx = Docx::new()
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
        .default_size(22)
        .add_style(heading_style("Heading1", "heading 1", 16, 0))
        .add_style(heading_style("Heading2", "heading 2", 13, 1))
        .add_style(heading_style("Heading3", "heading 3", 12, 2))
        .header(header)
        .footer(footer);
    if !document.missing.is_empty() {
        docx = docx.add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text("UTKAST – ofullständigt")
                    .bold()
                    .color("A4000F"),
            ),
        );
    }
    docx = docx.add_paragraph(text_paragraph(&document.issuing_unit));
    for line in &document.officer {
        docx = docx.add_paragraph(text_paragraph(line));
    }
    docx = docx
        .add_paragraph(text_paragraph(&format!("Till: {}", document.addressee)))
        .add_paragraph(text_paragraph(&document.title).style("Heading1"));
    for block in &document.blocks {
        docx = match block {
            Block::Heading(level, text) => {
                let style = if *level <= 2 { "Heading2" } else { "Heading3" };
                docx.add_paragraph(text_paragraph(text).style(style))
            }
            Block::Paragraph(text) => docx.add_paragraph(text_paragraph(text)),
            Block::Table => docx.add_table(budget_table(document)),
            Block::Signature(lines) => docx.add_paragraph(text_paragraph(&lines.join("\n"))),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}
