//! Word (.docx) building blocks shared by every document: the font, real heading styles, text
//! paragraphs that keep their line breaks, table cells, and a page header (with an optional mark
//! such as UTKAST) and numbered footer.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, PageNum, Paragraph, Run, RunFonts, Style,
    StyleType, Tab, TabValueType, TableCell,
};

pub const FONT: &str = "Liberation Serif";

/// The text width of an A4 portrait page with docx-rs's default margins, for the header's
/// right tab stop.
const TEXT_WIDTH: usize = 11_906 - 2 * 1_701;

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
pub fn text_paragraph(text: &str) -> Paragraph {
    let mut run = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    Paragraph::new().add_run(run)
}

/// A table cell; figures are right-aligned, header and total rows bold.
pub fn cell(text: &str, right: bool, bold: bool) -> TableCell {
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

/// The page header: `text` right-aligned; `mark` (e.g. "UTKAST"), when given, bold and red at
/// the left of the same line, on every page.
fn header(text: &str, mark: Option<&str>) -> Header {
    let paragraph = match mark {
        None => text_paragraph(text).align(AlignmentType::Right),
        Some(mark) => Paragraph::new()
            .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH))
            .add_run(Run::new().add_text(mark).bold().color("A4000F"))
            .add_run(Run::new().add_tab().add_text(text)),
    };
    Header::new().add_paragraph(paragraph)
}

/// A document with the house font, heading styles Heading1–3, the page header (see `header`)
/// and "Sida n" in the footer.
pub fn document(header_text: &str, mark: Option<&str>) -> Docx {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("Sida "))
            .add_page_num(PageNum::new()),
    );
    Docx::new()
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
        .default_size(22)
        .add_style(heading_style("Heading1", "heading 1", 16, 0))
        .add_style(heading_style("Heading2", "heading 2", 13, 1))
        .add_style(heading_style("Heading3", "heading 3", 12, 2))
        .header(header(header_text, mark))
        .footer(footer)
}

/// The .docx bytes.
pub fn pack(docx: Docx) -> Result<Vec<u8>, String> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}
