//! Tagged, accessible PDF building blocks shared by every PDF the application writes (krilla):
//! A4 pages in portrait or landscape laid out here, the Liberation Serif fonts compiled in and
//! embedded, a page header (with an optional mark such as UTKAST) and "Sida n" on every page as
//! artifacts, and title, author, language and date in the document's metadata. The layout
//! records what each line is (a heading of its level, a paragraph, a table's header or data
//! cell), and the file carries that structure as its tag tree, so a screen reader reads
//! headings, paragraphs and tables in order. krilla's validators refuse to write a file that
//! breaks PDF/UA-1 or PDF/A-2a (the accessible level of PDF/A-2).
//!
//! Layout works in points, so this module uses floating point; it never computes money, only
//! positions of text already formatted (the CI float check skips files named pdf.rs for that
//! reason).
#![allow(clippy::float_arithmetic)]

use chrono::{DateTime as UtcTime, Datelike, Timelike, Utc};
use std::num::{NonZeroU16, NonZeroU32};

use krilla::{
    Document as Pdf, SerializeSettings,
    configure::{Accessibility, Archival, ConfigurationBuilder},
    destination::XyzDestination,
    geom::Point,
    metadata::{DateTime, Metadata},
    outline::{Outline, OutlineNode},
    page::PageSettings,
    surface::Surface,
    tagging::{
        Artifact, ArtifactType, ContentTag, Identifier, SpanTag, TableHeaderScope, Tag, TagGroup,
        TagKind, TagTree,
    },
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

/// Where a placed line is: its page and its place among the page's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef {
    page: usize,
    line: usize,
}

/// A table cell's lines and the columns it covers; a header cell names its column.
struct Cell {
    header: bool,
    span: u32,
    lines: Vec<LineRef>,
}

/// What the placed lines are, in reading order: the document's structure, written as its
/// tag tree.
enum Block {
    Heading(u8, Vec<LineRef>),
    Paragraph(Vec<LineRef>),
    Table(Vec<Vec<Cell>>),
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

/// A table column: its left edge (from the margin), its width, whether its text is
/// right-aligned (figures), and how many of the table's columns it covers (a column group's
/// heading, a row that spans the table), which the tag tree says so that a screen reader pairs
/// each figure with its column's heading.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub x: f32,
    pub width: f32,
    pub right: bool,
    pub span: u32,
}

pub struct Layout {
    pub pages: Vec<Page>,
    pub y: f32,
    pub regular: Metrics,
    bold: Metrics,
    blocks: Vec<Block>,
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
            blocks: Vec::new(),
        }
    }

    /// The text of `lines`, joined by spaces: a heading's title.
    fn text_of(&self, lines: &[LineRef]) -> String {
        let texts: Vec<&str> = lines
            .iter()
            .filter_map(|l| Some(self.pages.get(l.page)?.placed.get(l.line)?.text.as_str()))
            .collect();
        texts.join(" ")
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

    fn place(&mut self, x: f32, size: f32, bold: bool, text: String) -> LineRef {
        let y = self.y;
        let page = self.pages.len() - 1;
        let placed = &mut self.pages[page].placed;
        placed.push(Placed {
            x,
            y,
            size,
            bold,
            text,
        });
        LineRef {
            page,
            line: placed.len() - 1,
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

    fn place_lines(&mut self, lines: Vec<String>, size: f32, bold: bool) -> Vec<LineRef> {
        let mut placed = Vec::new();
        for line in lines {
            self.ensure(size * 1.4);
            self.y += size * 1.4;
            placed.push(self.place(MARGIN_X, size, bold, line));
        }
        placed
    }

    fn text(&mut self, text: &str, size: f32, bold: bool, space_after: f32) -> Vec<LineRef> {
        let lines = self.wrapped(text, size, bold);
        let placed = self.place_lines(lines, size, bold);
        self.y += space_after;
        placed
    }

    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool, space_after: f32) {
        let lines = self.text(text, size, bold, space_after);
        self.blocks.push(Block::Paragraph(lines));
    }

    /// The document's title: its first-level heading, in 16 pt.
    pub fn title(&mut self, text: &str, space_after: f32) {
        let lines = self.text(text, 16.0, true, space_after);
        self.blocks.push(Block::Heading(1, lines));
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
        let lines = self.text(text, size, true, 3.0);
        self.blocks.push(Block::Heading(level.clamp(1, 6), lines));
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
        let lines = self.place_lines(wrapped, BODY, false);
        self.blocks.push(Block::Paragraph(lines));
        self.y += space_after;
    }

    /// A header row of a table (bold, its cells naming their columns): it begins a new table
    /// unless the table's rows so far are all header rows.
    pub fn header_row(&mut self, cells: &[&str], columns: &[Column], size: f32) {
        let in_header = matches!(self.blocks.last(), Some(Block::Table(rows))
            if rows.iter().all(|r| r.iter().all(|c| c.header)));
        if !in_header {
            self.blocks.push(Block::Table(Vec::new()));
        }
        self.table_row(cells, columns, (true, true), size);
    }

    /// A data row of `size` points (bold for sums), in the table begun last.
    pub fn row(&mut self, cells: &[&str], columns: &[Column], bold: bool, size: f32) {
        if !matches!(self.blocks.last(), Some(Block::Table(_))) {
            self.blocks.push(Block::Table(Vec::new()));
        }
        self.table_row(cells, columns, (false, bold), size);
    }

    /// A table row: each cell wrapped in its column.
    fn table_row(
        &mut self,
        cells: &[&str],
        columns: &[Column],
        (header, bold): (bool, bool),
        size: f32,
    ) {
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
        let mut row = Vec::new();
        for (lines, column) in wrapped.into_iter().zip(columns) {
            self.y = top;
            let mut cell = Cell {
                header,
                span: column.span,
                lines: Vec::new(),
            };
            for line in lines {
                self.y += size * 1.35;
                let x = MARGIN_X + column.x;
                let line_x = if column.right {
                    x + column.width - 4.0 - self.metrics(bold).width(&line, size)
                } else {
                    x
                };
                cell.lines.push(self.place(line_x, size, bold, line));
            }
            row.push(cell);
        }
        if let Some(Block::Table(rows)) = self.blocks.last_mut() {
            rows.push(row);
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

fn draw(surface: &mut Surface, font: &Font, (x, y, size): (f32, f32, f32), content: &str) {
    surface.draw_text(
        Point::from_xy(x, y),
        font.clone(),
        size,
        content,
        false,
        TextDirection::Auto,
    );
}

/// The tag tree of `blocks`: each block a group of the identifiers of its lines (`ids`, by
/// page and line), each identifier taken once. A line no block names (none should be) still
/// gets a paragraph, since an identifier without a parent fails the export.
fn tag_tree(layout: &Layout, mut ids: Vec<Vec<Option<Identifier>>>) -> TagTree {
    let mut take = |lines: &[LineRef]| -> Vec<Identifier> {
        lines
            .iter()
            .filter_map(|l| ids.get_mut(l.page)?.get_mut(l.line)?.take())
            .collect()
    };
    let group = |tag: TagKind, children: Vec<Identifier>| {
        TagGroup::with_children(tag, children.into_iter().map(Into::into).collect())
    };
    let mut tree = TagTree::new().with_lang(Some("sv-SE".to_owned()));
    for block in &layout.blocks {
        match block {
            Block::Heading(level, lines) => {
                let level = NonZeroU16::new(u16::from(*level)).unwrap_or(NonZeroU16::MIN);
                let title = Some(layout.text_of(lines));
                tree.push(group(Tag::Hn(level, title).into(), take(lines)));
            }
            Block::Paragraph(lines) => tree.push(group(Tag::P.into(), take(lines))),
            Block::Table(rows) => {
                let mut table = TagGroup::new(Tag::Table);
                for row in rows {
                    let mut tr = TagGroup::new(Tag::TR);
                    for cell in row {
                        let span = NonZeroU32::new(cell.span).filter(|s| s.get() > 1);
                        let tag: TagKind = if cell.header {
                            Tag::TH(TableHeaderScope::Column).with_col_span(span).into()
                        } else {
                            Tag::TD.with_col_span(span).into()
                        };
                        tr.push(group(tag, take(&cell.lines)));
                    }
                    table.push(tr);
                }
                tree.push(table);
            }
        }
    }
    let rest: Vec<Identifier> = ids.into_iter().flatten().flatten().collect();
    if !rest.is_empty() {
        tree.push(group(Tag::P.into(), rest));
    }
    tree
}

/// The outline (bookmarks) of the headings, nested by level, each leading to its first line.
fn outline(layout: &Layout) -> Outline {
    let headings: Vec<(u8, OutlineNode)> = layout
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading(level, lines) => {
                let first = lines.first()?;
                let placed = layout.pages.get(first.page)?.placed.get(first.line)?;
                let at = Point::from_xy(0.0, (placed.y - placed.size * 1.4).max(0.0));
                let destination = XyzDestination::new(first.page, at);
                Some((*level, OutlineNode::new(layout.text_of(lines), destination)))
            }
            _ => None,
        })
        .collect();
    /// The next nodes deeper than `above`, each with the deeper ones that follow it.
    fn nest(
        headings: &mut std::iter::Peekable<impl Iterator<Item = (u8, OutlineNode)>>,
        above: u8,
    ) -> Vec<OutlineNode> {
        let mut nodes = Vec::new();
        while let Some((level, mut node)) = headings.next_if(|(level, _)| *level > above) {
            for child in nest(headings, level) {
                node.push_child(child);
            }
            nodes.push(node);
        }
        nodes
    }
    let mut outline = Outline::new();
    for node in nest(&mut headings.into_iter().peekable(), 0) {
        outline.push_child(node);
    }
    outline
}

/// The tagged PDF/UA-1 and PDF/A-2a bytes of `layout`'s pages, with `imprint`'s header,
/// footer and metadata.
pub fn write(layout: &Layout, imprint: &Imprint) -> Result<Vec<u8>, String> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| format!("{e:?}"))?;
    let settings = SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    };
    let mut pdf = Pdf::new_with(settings);
    let font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or_else(|| "font".to_owned());
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let face = |is_bold: bool| if is_bold { &bold } else { &regular };
    let header = layout.regular.printable(imprint.header);
    let header_width = layout.regular.width(&header, 9.0);
    let mut ids = Vec::new();
    for (number, placed) in layout.pages.iter().enumerate() {
        let (w, h) = (placed.width(), placed.height());
        let page_settings = PageSettings::from_wh(w, h).ok_or("page size")?;
        let mut page = pdf.start_page_with(page_settings);
        let mut surface = page.surface();
        // The running header and footer repeat on every page: artifacts, not read as text.
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Header,
        )));
        draw(
            &mut surface,
            &regular,
            (w - MARGIN_X - header_width, 45.0, 9.0),
            &header,
        );
        if let Some(mark) = imprint.mark {
            draw(&mut surface, &bold, (MARGIN_X, 45.0, 9.0), mark);
        }
        surface.end_tagged();
        let mut page_ids = Vec::new();
        for p in &placed.placed {
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            draw(&mut surface, face(p.bold), (p.x, p.y, p.size), &p.text);
            surface.end_tagged();
            page_ids.push(Some(id));
        }
        ids.push(page_ids);
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Footer,
        )));
        let footer = format!("Sida {}", number + 1);
        let footer_width = layout.regular.width(&footer, 9.0);
        draw(
            &mut surface,
            &regular,
            ((w - footer_width) / 2.0, h - 31.89, 9.0),
            &footer,
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }
    pdf.set_tag_tree(tag_tree(layout, ids));
    pdf.set_outline(outline(layout));
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
