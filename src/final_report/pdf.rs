//! The final report as PDF/A-2b for the archive (krilla): A4 pages laid out here, with the
//! Liberation Serif fonts compiled in and embedded, the municipality and Dnr in the page header
//! (with UTKAST while the report is a draft), page numbers, and title, author, language and date
//! in the document's metadata. krilla's PDF/A validator refuses to write a file that breaks the
//! standard.
//!
//! Layout works in points, so this module uses floating point; it never computes money, only
//! positions of text already formatted (the CI float check skips this file for that reason).
#![allow(clippy::float_arithmetic)]

use chrono::{Datelike, Timelike};
use krilla::{
    Document as Pdf, SerializeSettings,
    configure::{Archival, ConfigurationBuilder},
    geom::Point,
    metadata::{DateTime, Metadata},
    page::PageSettings,
    text::{Font, TextDirection},
};
use skrifa::{MetadataProvider, instance::LocationRef, instance::Size};

use crate::final_report::document::{Block, Document, Imprint};

static REGULAR: &[u8] = include_bytes!("../../static/fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../static/fonts/LiberationSerif-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 70.0;
const TOP: f32 = 80.0;
const BOTTOM: f32 = 780.0;
const BODY: f32 = 11.0;
/// Table columns: label, budget, outcome, deviation (x of the left edge, width).
const COLUMNS: [(f32, f32); 4] = [(70.0, 215.0), (290.0, 85.0), (380.0, 65.0), (450.0, 75.28)];

/// Measures text in one font with its advance widths (no kerning: enough to break lines).
struct Metrics {
    data: &'static [u8],
}

impl Metrics {
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = skrifa::FontRef::new(self.data) else {
            return 0.0;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| metrics.advance_width(g))
                    .unwrap_or(size / 2.0)
            })
            .sum()
    }

    /// `text` with characters the font lacks replaced: PDF/A forbids the missing-glyph box.
    fn printable(&self, text: &str) -> String {
        let Ok(font) = skrifa::FontRef::new(self.data) else {
            return text.to_owned();
        };
        let charmap = font.charmap();
        text.chars()
            .map(|c| match c {
                '\t' => ' ',
                '\u{a0}' => c,
                _ if charmap.map(c).is_some() => c,
                _ => '?',
            })
            .collect()
    }
}

/// One line of text placed on a page.
struct Placed {
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    text: String,
}

struct Layout {
    pages: Vec<Vec<Placed>>,
    y: f32,
    regular: Metrics,
    bold: Metrics,
}

impl Layout {
    fn new() -> Self {
        Layout {
            pages: vec![Vec::new()],
            y: TOP,
            regular: Metrics { data: REGULAR },
            bold: Metrics { data: BOLD },
        }
    }

    fn metrics(&self, bold: bool) -> &Metrics {
        if bold { &self.bold } else { &self.regular }
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
    }

    fn place(&mut self, x: f32, size: f32, bold: bool, text: String) {
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.push(Placed {
                x,
                y,
                size,
                bold,
                text,
            });
        }
    }

    /// Breaks `text` into lines no wider than `width`, words kept whole unless a word alone is
    /// too wide.
    fn lines(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let metrics = self.metrics(bold);
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if metrics.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: break it between characters.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if metrics.width(&piece, size) > width {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The lines `text` takes on the page: its own line breaks kept (split before the font is
    /// consulted, which has no glyph for a line break), each line wrapped to the text width.
    fn wrapped(&self, text: &str, size: f32, bold: bool) -> Vec<String> {
        text.split('\n')
            .flat_map(|line| {
                let line = self.metrics(bold).printable(line);
                self.lines(&line, size, bold, PAGE_W - 2.0 * MARGIN_X)
            })
            .collect()
    }

    fn place_lines(&mut self, lines: Vec<String>, size: f32, bold: bool) {
        for line in lines {
            self.ensure(size * 1.4);
            self.y += size * 1.4;
            self.place(MARGIN_X, size, bold, line);
        }
    }

    fn paragraph(&mut self, text: &str, size: f32, bold: bool, space_after: f32) {
        let lines = self.wrapped(text, size, bold);
        self.place_lines(lines, size, bold);
        self.y += space_after;
    }

    /// Lines that belong together on one page, such as a signature (name, title, unit): the
    /// whole block moves to the next page when it does not fit. Only a block taller than a page
    /// is split.
    fn kept_together(&mut self, lines: &[String], space_before: f32, space_after: f32) {
        let wrapped: Vec<String> = lines
            .iter()
            .flat_map(|line| self.wrapped(line, BODY, false))
            .collect();
        let height = space_before + wrapped.len() as f32 * BODY * 1.4;
        if height <= BOTTOM - TOP {
            self.ensure(height);
        }
        if self.y > TOP {
            self.y += space_before;
        }
        self.place_lines(wrapped, BODY, false);
        self.y += space_after;
    }

    /// A table row: each cell wrapped in its column, figures right-aligned.
    fn row(&mut self, cells: [&str; 4], bold: bool) {
        let size = 9.5;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(COLUMNS)
            .map(|(text, (_, width))| {
                let text = self.metrics(bold).printable(text);
                self.lines(&text, size, bold, width - 4.0)
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * size * 1.35 + 4.0;
        self.ensure(height);
        let top = self.y;
        for (i, (lines, (x, width))) in wrapped.into_iter().zip(COLUMNS).enumerate() {
            self.y = top;
            for line in lines {
                self.y += size * 1.35;
                let line_x = if i == 0 {
                    x
                } else {
                    x + width - 4.0 - self.metrics(bold).width(&line, size)
                };
                self.place(line_x, size, bold, line);
            }
        }
        self.y = top + height;
    }
}

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
    layout.paragraph(&document.title, 16.0, true, 8.0);
    for block in &document.blocks {
        match block {
            Block::Heading(level, text) => {
                layout.y += 6.0;
                let size = if *level <= 2 { 13.0 } else { 11.5 };
                layout.ensure(size * 4.0);
                layout.paragraph(text, size, true, 3.0);
            }
            Block::Paragraph(text) => layout.paragraph(text, BODY, false, 6.0),
            Block::Signature(lines) => layout.kept_together(lines, 10.0, 6.0),
            Block::Table => {
                let table = &document.table;
                layout.row(["", "Budget", "Utfall", "Avvikelse"], true);
                for row in &table.rows {
                    layout.row(
                        [&row.label, &row.budget, &row.outcome, &row.deviation],
                        false,
                    );
                }
                let total = table.total_budget.join(" ");
                layout.row(
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

/// The PDF/A-2b bytes of `document`, marked as `imprint` says.
pub fn write(document: &Document, imprint: &Imprint) -> Result<Vec<u8>, String> {
    let layout = lay_out(document);
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| format!("{e:?}"))?;
    let settings = SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    };
    let mut pdf = Pdf::new_with(settings);
    let font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or_else(|| "font".to_owned());
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let header = format!("{} · Dnr {}", imprint.municipality, document.case_number);
    let header_width = layout.regular.width(&header, 9.0);
    let page_settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("page size")?;
    for (number, placed) in layout.pages.iter().enumerate() {
        let mut page = pdf.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        let mut text = |x: f32, y: f32, size: f32, bold_font: bool, content: &str| {
            let font = if bold_font {
                bold.clone()
            } else {
                regular.clone()
            };
            surface.draw_text(
                Point::from_xy(x, y),
                font,
                size,
                content,
                false,
                TextDirection::Auto,
            );
        };
        text(PAGE_W - MARGIN_X - header_width, 45.0, 9.0, false, &header);
        if imprint.draft {
            text(MARGIN_X, 45.0, 9.0, true, "UTKAST");
        }
        for p in placed {
            text(p.x, p.y, p.size, p.bold, &p.text);
        }
        let footer = format!("Sida {}", number + 1);
        let footer_width = layout.regular.width(&footer, 9.0);
        text((PAGE_W - footer_width) / 2.0, 810.0, 9.0, false, &footer);
        surface.finish();
        page.finish();
    }
    let at = imprint.at;
    let part = |n: u32| u8::try_from(n).unwrap_or(0);
    let created = DateTime::new(u16::try_from(at.year()).unwrap_or(2026))
        .month(part(at.month()))
        .day(part(at.day()))
        .hour(part(at.hour()))
        .minute(part(at.minute()))
        .second(part(at.second()))
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    pdf.set_metadata(
        Metadata::new()
            .title(document.title.clone())
            .authors(vec![document.author.clone()])
            .language("sv-SE".to_owned())
            .creation_date(created)
            .creator("Portfolj".to_owned()),
    );
    pdf.finish().map_err(|e| format!("{e:?}"))
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
            .flat_map(|(n, page)| page.iter().map(move |p| (n, p.text.as_str())))
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
