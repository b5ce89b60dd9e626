//! Word (.docx) building blocks shared by every document: the font, real heading styles, text
//! paragraphs that keep their line breaks and have space after them, table cells, a page header
//! (with an optional mark such as UTKAST) and numbered footer, and the file's properties.

use chrono::{DateTime, SecondsFormat, Utc};
use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, Header, LineSpacing, PageNum, PageOrientationType,
    Paragraph, Run, RunFonts, Section, Style, StyleType, Tab, TabValueType, Table, TableCell,
};

use crate::documents::letterhead::{HOUSE_FONT, Letterhead};
pub use crate::documents::page::Orientation;

/// Space after a paragraph, in twentieths of a point (6 pt): body text needs air between
/// paragraphs, since they are not indented.
const SPACE_AFTER: u32 = 120;

fn heading_style(id: &str, name: &str, size_pt: usize, level: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .bold()
        .size(size_pt * 2)
        .outline_lvl(level)
        .line_spacing(LineSpacing::new().before(240).after(SPACE_AFTER / 2))
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

/// A heading paragraph: level 1 is the title (Heading1), 2 and 3 the sections below it.
pub fn heading(level: u8, text: &str) -> Paragraph {
    let style = match level {
        0 | 1 => "Heading1",
        2 => "Heading2",
        _ => "Heading3",
    };
    text_paragraph(text).style(style)
}

/// "UTKAST – ofullständigt", bold and red, at the top of an incomplete draft.
pub fn draft_notice() -> Paragraph {
    Paragraph::new().add_run(
        Run::new()
            .add_text("UTKAST – ofullständigt")
            .bold()
            .color("A4000F"),
    )
}

/// A table cell; figures are right-aligned, header and total rows bold. No space after the
/// paragraph inside: the rows are spaced by their cells.
pub fn cell(text: &str, right: bool, bold: bool) -> TableCell {
    let mut run = Run::new().add_text(text);
    if bold {
        run = run.bold();
    }
    let mut paragraph = Paragraph::new()
        .add_run(run)
        .line_spacing(LineSpacing::new().after(0));
    if right {
        paragraph = paragraph.align(AlignmentType::Right);
    }
    TableCell::new().add_paragraph(paragraph)
}

/// The page header: `text` right-aligned; `mark` (e.g. "UTKAST"), when given, bold and red at
/// the left of the same line, on every page. The right tab stop that puts `text` at the right
/// margin is at the section's `text_width`.
fn header(text: &str, mark: Option<&str>, text_width: usize) -> Header {
    let paragraph = match mark {
        None => text_paragraph(text).align(AlignmentType::Right),
        Some(mark) => Paragraph::new()
            .add_tab(Tab::new().val(TabValueType::Right).pos(text_width))
            .add_run(Run::new().add_text(mark).bold().color("A4000F"))
            .add_run(Run::new().add_tab().add_text(text)),
    };
    Header::new().add_paragraph(paragraph)
}

/// "Sida n", centred.
fn footer() -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("Sida "))
            .add_page_num(PageNum::new()),
    )
}

/// A portrait document on `letterhead`'s paper with the house font, heading styles
/// Heading1–3, space after paragraphs, the page header (see `header`) and "Sida n" in the
/// footer. A template's styles replace the house's when the document is packed.
pub fn document(letterhead: &Letterhead, header_text: &str, mark: Option<&str>) -> Docx {
    document_in(letterhead, Orientation::Portrait, header_text, mark)
}

/// A `document` whose last section (all of it, or the pages after its `section`s) is in
/// `orientation`.
pub fn document_in(
    letterhead: &Letterhead,
    orientation: Orientation,
    header_text: &str,
    mark: Option<&str>,
) -> Docx {
    let page = &letterhead.page;
    let (w, h) = page.size(orientation);
    let text_width = page.text_width(orientation);
    let docx = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii(HOUSE_FONT)
                .hi_ansi(HOUSE_FONT)
                .cs(HOUSE_FONT),
        )
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(SPACE_AFTER))
        .add_style(heading_style("Heading1", "heading 1", 16, 0))
        .add_style(heading_style("Heading2", "heading 2", 13, 1))
        .add_style(heading_style("Heading3", "heading 3", 12, 2))
        .header(header(header_text, mark, text_width))
        .footer(footer())
        .page_size(w, h)
        .page_margin(page.margin());
    match orientation {
        Orientation::Portrait => docx,
        Orientation::Landscape => docx.page_orient(PageOrientationType::Landscape),
    }
}

/// Pages of their own in `orientation` before a `document_in`'s last section (add it with
/// `Docx::add_section`), with the same paper, header and footer, the header's tab stop set for
/// this section's width.
pub fn section(
    letterhead: &Letterhead,
    orientation: Orientation,
    header_text: &str,
    mark: Option<&str>,
) -> Section {
    let page = &letterhead.page;
    let (w, h) = page.size(orientation);
    let section = Section::new()
        .header(header(header_text, mark, page.text_width(orientation)))
        .footer(footer())
        .page_size(docx_rs::PageSize::new().size(w, h))
        .page_margin(page.margin());
    match orientation {
        Orientation::Portrait => section,
        Orientation::Landscape => section.page_orient(PageOrientationType::Landscape),
    }
}

/// What paragraphs and tables are added to: a document's last section or a `section` before
/// it.
pub trait Body: Sized {
    fn paragraph(self, paragraph: Paragraph) -> Self;
    fn table(self, table: Table) -> Self;
}

impl Body for Docx {
    fn paragraph(self, paragraph: Paragraph) -> Self {
        self.add_paragraph(paragraph)
    }
    fn table(self, table: Table) -> Self {
        self.add_table(table)
    }
}

impl Body for Section {
    fn paragraph(self, paragraph: Paragraph) -> Self {
        self.add_paragraph(paragraph)
    }
    fn table(self, table: Table) -> Self {
        self.add_table(table)
    }
}

/// What the file's properties (File › Properties, the archive's index) say about it.
pub struct Properties<'a> {
    pub title: &'a str,
    /// The person or body that prepared the document.
    pub author: &'a str,
    /// When it was made: both created and modified, since every export is a new file.
    pub at: DateTime<Utc>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// docProps/core.xml. docx-rs writes only dates into it (title and creator cannot be set, and
/// without dates it writes "unknown" and 1970-01-01), so we write the part ourselves.
fn core_properties(properties: &Properties) -> Vec<u8> {
    let at = properties.at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let (title, author) = (escape(properties.title), escape(properties.author));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>\
         <cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>sv-SE</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{at}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{at}</dcterms:modified>\
         <cp:revision>1</cp:revision></cp:coreProperties>"
    )
    .into_bytes()
}

/// The .docx bytes, with `properties` in the file, in `letterhead`'s template if it has one
/// (the document must have been made on its paper).
pub fn pack(
    docx: Docx,
    properties: &Properties,
    letterhead: &Letterhead,
) -> Result<Vec<u8>, String> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut parts = docx.build();
    parts.doc_props.core = core_properties(properties);
    parts.pack(&mut bytes).map_err(|e| e.to_string())?;
    letterhead.dress(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_are_escaped() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T12:00:00+01:00")
            .unwrap()
            .to_utc();
        let xml = String::from_utf8(core_properties(&Properties {
            title: "A & B <C>",
            author: "\"Ekonomi\"",
            at,
        }))
        .unwrap();
        assert!(xml.contains("<dc:title>A &amp; B &lt;C&gt;</dc:title>"));
        assert!(xml.contains("<dc:creator>&quot;Ekonomi&quot;</dc:creator>"));
        assert!(xml.contains(">2026-03-01T11:00:00Z</dcterms:created>"));
    }
}
