//! PDF/A-2b building blocks shared by every PDF the application writes (krilla): A4 pages in
//! portrait or landscape laid out here, the Liberation Serif fonts compiled in and embedded, a
//! page header (with an optional mark such as UTKAST) and "Sida n" on every page, and title,
//! author, language and date in the document's metadata. krilla's PDF/A validator refuses to
//! write a file that breaks the standard.
//!
//! Layout works in points, so this module uses floating point; it never computes money, only
//! positions of text already formatted (the CI float check skips files named pdf.rs for that
//! reason).
#![allow(clippy::float_arithmetic)]

use chrono::{DateTime as UtcTime, Datelike, Timelike, Utc};
use krilla::{
    Document as Pdf, SerializeSettings,
    configure::{Archival, ConfigurationBuilder},
    geom::Point,
    metadata::{DateTime, Metadata},
    page::PageSettings,
    text::{Font, TextDirection},
};
use skrifa::{MetadataProvider, instance::LocationRef, instance::Size};

static REGULAR: &[u8] = include_bytes!("../../static/fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../static/fonts/LiberationSerif-Bold.ttf");

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_X: f32 = 70.0;
const TOP: f32 = 80.0;
/// The space below the text, above the footer.
const BOTTOM_MARGIN: f32 = PAGE_H - 780.0;
pub const BODY: f32 = 11.0;

/// Measures text in one font with its advance widths (no kerning: enough to break lines).
pub struct Metrics {
    data: &'static [u8],
}

impl Metrics {
    pub fn width(&self, text: &str, size: f32) -> f32 {
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
pub struct Placed {
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    pub text: String,
}

/// A page and what is placed on it.
pub struct Page {
    pub landscape: bool,
    pub placed: Vec<Placed>,
}

impl Page {
    fn width(&self) -> f32 {
        if self.landscape { PAGE_H } else { PAGE_W }
    }

    fn height(&self) -> f32 {
        if self.landscape { PAGE_W } else { PAGE_H }
    }
}

/// A table column: its left edge (from the margin), its width, and whether its text is
/// right-aligned (figures).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub x: f32,
    pub width: f32,
    pub right: bool,
}

pub struct Layout {
    pub pages: Vec<Page>,
    pub y: f32,
    pub regular: Metrics,
    bold: Metrics,
}

impl Default for Layout {
    fn default() -> Self {
        Self::new()
    }
}

impl Layout {
    pub fn new() -> Self {
        Layout {
            pages: vec![Page {
                landscape: false,
                placed: Vec::new(),
            }],
            y: TOP,
            regular: Metrics { data: REGULAR },
            bold: Metrics { data: BOLD },
        }
    }

    fn metrics(&self, bold: bool) -> &Metrics {
        if bold { &self.bold } else { &self.regular }
    }

    fn landscape(&self) -> bool {
        self.pages.last().is_some_and(|p| p.landscape)
    }

    /// The width between the margins of the current page.
    pub fn text_width(&self) -> f32 {
        self.pages.last().map_or(PAGE_W, Page::width) - 2.0 * MARGIN_X
    }

    fn bottom(&self) -> f32 {
        self.pages.last().map_or(PAGE_H, Page::height) - BOTTOM_MARGIN
    }

    /// Starts a new page, in landscape or portrait.
    pub fn new_page(&mut self, landscape: bool) {
        self.pages.push(Page {
            landscape,
            placed: Vec::new(),
        });
        self.y = TOP;
    }

    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() {
            self.new_page(self.landscape());
        }
    }

    fn place(&mut self, x: f32, size: f32, bold: bool, text: String) {
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.placed.push(Placed {
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
                self.lines(&line, size, bold, self.text_width())
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

    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool, space_after: f32) {
        let lines = self.wrapped(text, size, bold);
        self.place_lines(lines, size, bold);
        self.y += space_after;
    }

    /// A heading of level 1 to 3, kept with what follows it.
    pub fn heading(&mut self, level: u8, text: &str) {
        self.y += 6.0;
        let size = match level {
            0 | 1 => 16.0,
            2 => 13.0,
            _ => 11.5,
        };
        self.ensure(size * 4.0);
        self.paragraph(text, size, true, 3.0);
    }

    /// Lines that belong together on one page, such as a signature (name, title, unit): the
    /// whole block moves to the next page when it does not fit. Only a block taller than a page
    /// is split.
    pub fn kept_together(&mut self, lines: &[String], space_before: f32, space_after: f32) {
        let wrapped: Vec<String> = lines
            .iter()
            .flat_map(|line| self.wrapped(line, BODY, false))
            .collect();
        let height = space_before + wrapped.len() as f32 * BODY * 1.4;
        if height <= self.bottom() - TOP {
            self.ensure(height);
        }
        if self.y > TOP {
            self.y += space_before;
        }
        self.place_lines(wrapped, BODY, false);
        self.y += space_after;
    }

    /// A table row of `size` points: each cell wrapped in its column.
    pub fn row(&mut self, cells: &[&str], columns: &[Column], bold: bool, size: f32) {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(columns)
            .map(|(text, column)| {
                let text = self.metrics(bold).printable(text);
                self.lines(&text, size, bold, column.width - 4.0)
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * size * 1.35 + 4.0;
        self.ensure(height);
        let top = self.y;
        for (lines, column) in wrapped.into_iter().zip(columns) {
            self.y = top;
            for line in lines {
                self.y += size * 1.35;
                let x = MARGIN_X + column.x;
                let line_x = if column.right {
                    x + column.width - 4.0 - self.metrics(bold).width(&line, size)
                } else {
                    x
                };
                self.place(line_x, size, bold, line);
            }
        }
        self.y = top + height;
    }
}

/// What a PDF says about itself: the page header, the draft mark and the metadata.
pub struct Imprint<'a> {
    pub header: &'a str,
    /// Shown bold at the left of every page header (UTKAST), when given.
    pub mark: Option<&'a str>,
    pub title: &'a str,
    pub author: &'a str,
    pub at: UtcTime<Utc>,
}

/// The PDF/A-2b bytes of `layout`'s pages, with `imprint`'s header, footer and metadata.
pub fn write(layout: &Layout, imprint: &Imprint) -> Result<Vec<u8>, String> {
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
    let header = layout.regular.printable(imprint.header);
    let header_width = layout.regular.width(&header, 9.0);
    for (number, placed) in layout.pages.iter().enumerate() {
        let (w, h) = (placed.width(), placed.height());
        let page_settings = PageSettings::from_wh(w, h).ok_or("page size")?;
        let mut page = pdf.start_page_with(page_settings);
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
        text(w - MARGIN_X - header_width, 45.0, 9.0, false, &header);
        if let Some(mark) = imprint.mark {
            text(MARGIN_X, 45.0, 9.0, true, mark);
        }
        for p in &placed.placed {
            text(p.x, p.y, p.size, p.bold, &p.text);
        }
        let footer = format!("Sida {}", number + 1);
        let footer_width = layout.regular.width(&footer, 9.0);
        text((w - footer_width) / 2.0, h - 31.89, 9.0, false, &footer);
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
            .title(imprint.title.to_owned())
            .authors(vec![imprint.author.to_owned()])
            .language("sv-SE".to_owned())
            .creation_date(created)
            .creator("Portfolj".to_owned()),
    );
    pdf.finish().map_err(|e| format!("{e:?}"))
}
