//! A municipality's Word reference template (its "brevmall"), uploaded as a .docx by an
//! administrator, and what the Word documents it exports take from it: the styles (with the
//! fonts and paragraph spacing they carry), the theme their fonts may point to, the paper and
//! margins, and the page header with its logo. The documents are still built by docx-rs in
//! the house layout; `dress` then puts the template's parts into the package, so a template
//! never reaches the builders. Without a template the house style applies.

mod dress;
mod xml;

use std::io::{Cursor, Read};

use crate::documents::page::{MIN_TEXT_WIDTH, PageSetup};
use xml::{Relationship, attr, each_element, relationships};

/// The font of the house style, when no template gives one.
pub const HOUSE_FONT: &str = "Liberation Serif";

/// The largest template accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most any one part may unpack to, against archives that unpack to gigabytes.
const MAX_PART_BYTES: u64 = 20 * 1024 * 1024;

/// The most the header's images may unpack to together.
const MAX_MEDIA_BYTES: usize = 5 * 1024 * 1024;

const FETCHES: &str = "Mallens sidhuvud hämtar bilder eller text utifrån varje gång dokumentet \
     öppnas. Infoga logotypen som bild i mallen (inte länkad) och försök igen.";

const NOT_A_DOCX: &str = "Filen är inte ett Word-dokument (.docx). Spara mallen i Word som Word-dokument och försök igen.";

/// The page header of the template's first section, with the images it shows.
#[derive(Debug, Clone)]
struct HeaderPart {
    xml: String,
    /// Its relationships, each image's target as written in the template.
    rels: Vec<Relationship>,
    /// Each image: its target (as in `rels`) and content.
    media: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Clone)]
struct Parts {
    styles: String,
    theme: Option<String>,
    numbering: Option<String>,
    header: Option<HeaderPart>,
}

/// The paper and, from a template, the parts the exported documents take.
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub page: PageSetup,
    parts: Option<Parts>,
}

/// What a template gives, as the administrator's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub page: String,
    pub fonts: Vec<String>,
    pub logo: bool,
    /// The template's own headings (heading 1–3), which replace the house headings.
    pub headings: usize,
}

impl Letterhead {
    /// The house style: A4, Liberation Serif, no logo.
    pub fn house() -> Letterhead {
        Letterhead {
            page: PageSetup::A4,
            parts: None,
        }
    }

    /// Reads a template, or says in the administrator's words why it cannot be used.
    pub fn read(bytes: &[u8]) -> Result<Letterhead, String> {
        let mut package = Package::open(bytes)?;
        let main = package
            .rels_of("")?
            .into_iter()
            .find(|r| r.kind == "officeDocument" && !r.external)
            .map(|r| resolve("", &r.target))
            .unwrap_or_else(|| "word/document.xml".to_owned());
        let document = package.text(&main)?.ok_or(NOT_A_DOCX)?;
        let rels = package.rels_of(&main)?;
        let target = |kind: &str| {
            rels.iter()
                .find(|r| r.kind == kind && !r.external)
                .map(|r| resolve(&main, &r.target))
        };
        let styles = match target("styles") {
            Some(path) => package.text(&path)?,
            None => None,
        }
        .ok_or("Mallen saknar formatmallar. Spara den i Word som Word-dokument (.docx) och försök igen.")?;
        word_part(&styles, "styles", "formatmallar")?;
        xml::styles(&styles)
            .map_err(|e| format!("Mallens formatmallar går inte att läsa ({e})."))?;
        let theme = match target("theme") {
            Some(path) => package.text(&path)?,
            None => None,
        };
        if let Some(theme) = &theme {
            xml::root(theme).map_err(|e| format!("Mallens tema går inte att läsa ({e})."))?;
        }
        let numbering = match target("numbering") {
            Some(path) => package.text(&path)?,
            None => None,
        };
        if let Some(numbering) = &numbering {
            word_part(numbering, "numbering", "numrering")?;
        }
        let (page, header_id) = first_section(&document)?;
        let header_rel = header_id.and_then(|id| rels.iter().find(|r| r.id == id && !r.external));
        let header = match header_rel {
            Some(r) if r.kind == "header" => {
                Some(header_part(&mut package, &resolve(&main, &r.target))?)
            }
            Some(_) => {
                return Err("Mallens sidhuvud pekar på något som inte är ett sidhuvud.".to_owned());
            }
            None => None,
        };
        Ok(Letterhead {
            page,
            parts: Some(Parts {
                styles,
                theme,
                numbering,
                header,
            }),
        })
    }

    /// Whether a template's parts are used (false for the house style).
    pub fn is_template(&self) -> bool {
        self.parts.is_some()
    }

    pub fn summary(&self) -> Summary {
        let Some(parts) = &self.parts else {
            return Summary {
                page: self.page.describe(),
                fonts: vec![HOUSE_FONT.to_owned()],
                logo: false,
                headings: 0,
            };
        };
        // The fonts the documents use: the defaults', the body text's and the headings'.
        let (styles, _) = xml::styles(&parts.styles).unwrap_or_default();
        let used = ["normal", "heading 1", "heading 2", "heading 3"];
        let used: Vec<&xml::StyleEntry> = styles
            .iter()
            .filter(|s| used.contains(&s.name.to_lowercase().as_str()))
            .collect();
        let defaults = parts
            .styles
            .get(..styles.first().map_or(0, |s| s.span.start))
            .unwrap_or_default();
        let mut fonts = Vec::new();
        let mut theme_fonts = false;
        for text in std::iter::once(defaults)
            .chain(used.iter().filter_map(|s| parts.styles.get(s.span.clone())))
        {
            let _ = each_element(text, |e, local| {
                if local == "rFonts" {
                    theme_fonts |= attr(e, "asciiTheme").is_some();
                    if let Some(font) = attr(e, "ascii").filter(|f| !fonts.contains(f)) {
                        fonts.push(font);
                    }
                }
            });
        }
        // Fonts named by the theme (Word's "+Brödtext" and "+Rubriker").
        if let (true, Some(theme)) = (theme_fonts, parts.theme.as_deref()) {
            let _ = each_element(theme, |e, local| {
                let font = attr(e, "typeface").filter(|f| !f.is_empty() && !fonts.contains(f));
                if let ("latin", Some(font)) = (local, font) {
                    fonts.push(font);
                }
            });
        }
        let mut headings: Vec<String> = used
            .iter()
            .map(|s| s.name.to_lowercase())
            .filter(|name| name != "normal")
            .collect();
        headings.sort();
        headings.dedup();
        let headings = headings.len();
        Summary {
            page: self.page.describe(),
            fonts,
            logo: parts.header.as_ref().is_some_and(|h| !h.media.is_empty()),
            headings,
        }
    }

    /// `docx` (a package docx-rs wrote with this letterhead's page setup) in the template's
    /// styles, theme and page header; unchanged in the house style.
    pub fn dress(&self, docx: Vec<u8>) -> Result<Vec<u8>, String> {
        match &self.parts {
            None => Ok(docx),
            Some(parts) => dress::dress(parts, docx),
        }
    }
}

/// A part's path from a relationship target, relative to the part (`base`) that holds it.
fn resolve(base: &str, target: &str) -> String {
    let target = percent_decoded(target);
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_owned();
    }
    let mut path: Vec<&str> = base.split('/').collect();
    path.pop();
    for segment in target.split('/') {
        match segment {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            s => path.push(s),
        }
    }
    path.join("/")
}

/// A relationship target's path as the archive names it: `%20` is a space.
fn percent_decoded(target: &str) -> String {
    let bytes = target.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| target.to_owned())
}

/// The paper and margins of the document's first section, and the id of its default page
/// header.
fn first_section(document: &str) -> Result<(PageSetup, Option<String>), String> {
    let mut page = PageSetup::A4;
    let (mut header, mut done, mut inside) = (None, false, false);
    let twips = |e: &quick_xml::events::BytesStart, name: &str, default: u32| {
        attr(e, name)
            .and_then(|v| v.parse::<i64>().ok())
            .map_or(default, |v| {
                u32::try_from(v.unsigned_abs()).unwrap_or(u32::MAX)
            })
    };
    each_element(document, |e, local| {
        if done {
            return;
        }
        match local {
            "sectPr" => inside = true,
            "pgSz" if inside => {
                let (w, h) = (twips(e, "w", page.width), twips(e, "h", page.height));
                (page.width, page.height) = (w.min(h), w.max(h));
            }
            "pgMar" if inside => {
                page.top = twips(e, "top", page.top);
                page.right = twips(e, "right", page.right);
                page.bottom = twips(e, "bottom", page.bottom);
                page.left = twips(e, "left", page.left);
                page.header = twips(e, "header", page.header);
                page.footer = twips(e, "footer", page.footer);
            }
            "headerReference" if inside => {
                let default = attr(e, "type").is_none_or(|t| t == "default");
                if default {
                    header = attr(e, "id");
                }
            }
            // A section's properties end with its columns, grid or title-page marks, which
            // come after the references; the next paragraph closes the section. A tracked
            // change of the layout (the old one) comes last and is not the layout.
            "p" | "sectPrChange" if inside => done = true,
            _ => {}
        }
    })
    .map_err(|e| format!("Mallens text går inte att läsa ({e})."))?;
    let sane = |v: u32| (2_000..=40_000).contains(&v);
    if !sane(page.width) || !sane(page.height) {
        return Err("Mallens pappersstorlek är orimlig; välj till exempel A4 i Word.".to_owned());
    }
    let margins = [
        page.top,
        page.right,
        page.bottom,
        page.left,
        page.header,
        page.footer,
    ];
    if margins.iter().any(|m| *m > page.width) {
        return Err(
            "Mallens marginaler är orimliga; ställ in dem i Word och försök igen.".to_owned(),
        );
    }
    // Each margin is below 40 000, so the sums cannot overflow.
    if page.width - (page.left + page.right).min(page.width) < MIN_TEXT_WIDTH
        || page.height - (page.top + page.bottom).min(page.height) < MIN_TEXT_WIDTH
    {
        return Err("Mallens marginaler lämnar för lite plats för text.".to_owned());
    }
    Ok((page, header))
}

/// The header part at `path` with the images it shows. Anything else it links to inside the
/// package (an embedded object, another part) is refused: it would not come along.
fn header_part(package: &mut Package, path: &str) -> Result<HeaderPart, String> {
    let xml = package.text(path)?.ok_or(NOT_A_DOCX)?;
    word_part(&xml, "hdr", "sidhuvud")?;
    // Fields that fetch text or pictures from elsewhere each time the document is opened.
    let upper = xml.to_uppercase();
    if ["INCLUDEPICTURE", "INCLUDETEXT"]
        .iter()
        .any(|f| upper.contains(f))
    {
        return Err(FETCHES.to_owned());
    }
    let rels = package.rels_of(path)?;
    if rels.len() > 64 {
        return Err("Mallens sidhuvud har för många länkar och bilder.".to_owned());
    }
    let mut media: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total = 0;
    for rel in &rels {
        if rel.external {
            // A web link may stay; anything else fetched from outside may not.
            if rel.kind == "hyperlink" {
                continue;
            }
            return Err(FETCHES.to_owned());
        }
        if rel.kind != "image" || dress::image_type(&rel.target).is_none() {
            return Err(format!(
                "Mallens sidhuvud innehåller något annat än text och bilder i PNG, JPEG, GIF, \
                 SVG, EMF eller WMF ({}). Ta bort det i Word och försök igen.",
                rel.target
            ));
        }
        if media.iter().any(|(target, _)| *target == rel.target) {
            continue;
        }
        let bytes = package
            .bytes(&resolve(path, &rel.target))?
            .ok_or_else(|| format!("Mallens sidhuvud saknar bilden {}.", rel.target))?;
        total += bytes.len();
        if total > MAX_MEDIA_BYTES {
            return Err("Bilderna i mallens sidhuvud är för stora (högst 5 MB).".to_owned());
        }
        media.push((rel.target.clone(), bytes));
    }
    Ok(HeaderPart { xml, rels, media })
}

/// Refuses a part that is not `w:{local}` in the transitional WordprocessingML namespace (a
/// Strict Open XML file, another prefix) or that has a document type declaration; `what`
/// names it for the administrator.
fn word_part(xml: &str, local: &str, what: &str) -> Result<(), String> {
    let root = xml::root(xml).map_err(|e| format!("Mallens {what} går inte att läsa ({e})."))?;
    if root.is_word(local) {
        Ok(())
    } else {
        Err(format!(
            "Mallens {what} är sparad i ett format som inte stöds (till exempel Strikt Open XML). \
             Spara mallen i Word som Word-dokument (.docx) och försök igen."
        ))
    }
}

/// The template's zip archive, read part by part with a bound on what each part unpacks to.
struct Package {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
}

impl Package {
    fn open(bytes: &[u8]) -> Result<Package, String> {
        let archive =
            zip::ZipArchive::new(Cursor::new(bytes.to_vec())).map_err(|_| NOT_A_DOCX.to_owned())?;
        Ok(Package { archive })
    }

    fn bytes(&mut self, path: &str) -> Result<Option<Vec<u8>>, String> {
        let entry = match self.archive.by_name(path) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(_) => return Err(NOT_A_DOCX.to_owned()),
        };
        let mut out = Vec::new();
        entry
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|_| NOT_A_DOCX.to_owned())?;
        if out.len() as u64 > MAX_PART_BYTES {
            return Err(format!("Mallens del {path} är för stor."));
        }
        Ok(Some(out))
    }

    /// A part as text, without the byte-order mark some editors write first.
    fn text(&mut self, path: &str) -> Result<Option<String>, String> {
        let Some(bytes) = self.bytes(path)? else {
            return Ok(None);
        };
        let text =
            String::from_utf8(bytes).map_err(|_| format!("Mallens del {path} är inte UTF-8."))?;
        Ok(Some(
            text.strip_prefix('\u{feff}')
                .map(str::to_owned)
                .unwrap_or(text),
        ))
    }

    /// The relationships of the part at `path` ("" for the package's own).
    fn rels_of(&mut self, path: &str) -> Result<Vec<Relationship>, String> {
        let rels_path = match path.rsplit_once('/') {
            Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
            None if path.is_empty() => "_rels/.rels".to_owned(),
            None => format!("_rels/{path}.rels"),
        };
        match self.text(&rels_path)? {
            Some(xml) => relationships(&xml)
                .map_err(|e| format!("Mallens länkar ({rels_path}) går inte att läsa ({e}).")),
            None => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_part() {
        assert_eq!(
            resolve("word/document.xml", "styles.xml"),
            "word/styles.xml"
        );
        assert_eq!(
            resolve("word/header1.xml", "media/a.png"),
            "word/media/a.png"
        );
        assert_eq!(
            resolve("word/header1.xml", "../customXml/x.xml"),
            "customXml/x.xml"
        );
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("word/document.xml", "/word/x.xml"), "word/x.xml");
        assert_eq!(
            resolve("word/header1.xml", "media/logo%20ny.png"),
            "word/media/logo ny.png"
        );
    }

    #[test]
    fn the_first_section_gives_paper_margins_and_header() {
        let doc = r#"<w:document xmlns:w="w" xmlns:r="r"><w:body><w:p/><w:sectPr><w:headerReference w:type="first" r:id="rId9"/><w:headerReference w:type="default" r:id="rId8"/><w:pgSz w:w="15840" w:h="12240" w:orient="landscape"/><w:pgMar w:top="-1440" w:right="1000" w:bottom="1440" w:left="1000" w:header="700" w:footer="700" w:gutter="0"/></w:sectPr></w:body></w:document>"#;
        let (page, header) = first_section(doc).unwrap();
        assert_eq!((page.width, page.height), (12_240, 15_840));
        assert_eq!((page.top, page.left, page.header), (1_440, 1_000, 700));
        assert_eq!(header.as_deref(), Some("rId8"));
    }

    #[test]
    fn margins_that_leave_no_text_are_refused() {
        let doc = r#"<w:document xmlns:w="w"><w:body><w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1000" w:right="5000" w:bottom="1000" w:left="5000"/></w:sectPr></w:body></w:document>"#;
        assert!(first_section(doc).unwrap_err().contains("marginaler"));
    }

    #[test]
    fn a_file_that_is_not_a_docx_is_refused_in_words() {
        assert_eq!(Letterhead::read(b"hello").unwrap_err(), NOT_A_DOCX);
    }
}
