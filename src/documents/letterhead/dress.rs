//! Putting a template's parts into a package docx-rs wrote: the template's styles with ours
//! added where it has none of the same name (Word matches built-in styles by name, and a
//! Swedish Word calls "heading 1" `Rubrik1`), our paragraphs pointed at the template's style
//! ids, its theme and numbering, and its page header's content and images above our header
//! line.

use std::io::{Cursor, Read, Write};

use super::{HeaderPart, Parts, xml};

/// The content type of an image a header may show, by its file's extension.
pub fn image_type(target: &str) -> Option<&'static str> {
    let extension = target.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "emf" => "image/x-emf",
        "wmf" => "image/x-wmf",
        // Word 365 inserts an SVG logo with a PNG beside it for older readers.
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// The package's files in order.
struct Files(Vec<(String, Vec<u8>)>);

impl Files {
    fn unpack(docx: Vec<u8>) -> Result<Files, String> {
        let mut archive = zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| e.to_string())?;
        let mut files = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(|e| e.to_string())?;
            if entry.is_dir() {
                continue;
            }
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
            files.push((entry.name().to_owned(), bytes));
        }
        Ok(Files(files))
    }

    fn text(&self, name: &str) -> Result<String, String> {
        let (_, bytes) = self
            .0
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| format!("{name} saknas"))?;
        String::from_utf8(bytes.clone()).map_err(|e| e.to_string())
    }

    fn set(&mut self, name: &str, bytes: Vec<u8>) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(file) => file.1 = bytes,
            None => self.0.push((name.to_owned(), bytes)),
        }
    }

    fn edit(&mut self, name: &str, f: impl FnOnce(String) -> String) -> Result<(), String> {
        let text = self.text(name)?;
        self.set(name, f(text).into_bytes());
        Ok(())
    }

    fn pack(self) -> Result<Vec<u8>, String> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in self.0 {
            zip.start_file(name, options).map_err(|e| e.to_string())?;
            zip.write_all(&bytes).map_err(|e| e.to_string())?;
        }
        Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
    }
}

pub(super) fn dress(parts: &Parts, docx: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut files = Files::unpack(docx)?;
    let (styles, renames) = merge_styles(&parts.styles, &files.text("word/styles.xml")?)?;
    files.set("word/styles.xml", styles.into_bytes());
    files.edit("word/document.xml", |xml| rename_style_refs(&xml, &renames))?;
    if let Some(theme) = &parts.theme {
        add_part(
            &mut files,
            ("theme", "theme/theme1.xml"),
            theme.clone().into_bytes(),
        )?;
    }
    if let Some(numbering) = &parts.numbering {
        add_part(
            &mut files,
            ("numbering", "numbering.xml"),
            numbering.clone().into_bytes(),
        )?;
    }
    if let Some(header) = &parts.header {
        add_header(&mut files, header)?;
    }
    files.pack()
}

/// `bytes` as the main document's part of relationship `kind` at `target` (relative to
/// `word/`): replaced if the package has one, else added with its relationship and type.
fn add_part(files: &mut Files, (kind, target): (&str, &str), bytes: Vec<u8>) -> Result<(), String> {
    let rels_name = "word/_rels/document.xml.rels";
    let linked = xml::relationships(&files.text(rels_name)?)?
        .into_iter()
        .find(|r| r.kind == kind && !r.external);
    match linked {
        Some(rel) => files.set(&super::resolve("word/document.xml", &rel.target), bytes),
        None => {
            files.set(&format!("word/{target}"), bytes);
            files.edit(rels_name, |rels| {
                let rel = format!(
                    "<Relationship Id=\"rIdBrevmall{kind}\" Type=\"{REL_TYPE}{kind}\" Target=\"{target}\"/>"
                );
                rels.replacen("</Relationships>", &format!("{rel}</Relationships>"), 1)
            })?;
            let content_type = format!(
                "application/vnd.openxmlformats-officedocument.{}+xml",
                if kind == "theme" {
                    "theme".to_owned()
                } else {
                    format!("wordprocessingml.{kind}")
                }
            );
            let part = format!("/word/{target}");
            add_content_type(files, Declared::Part(&part), &content_type)?;
        }
    }
    Ok(())
}

/// What a content type is declared for: files by extension, or one part.
enum Declared<'a> {
    Extension(&'a str),
    Part(&'a str),
}

/// Declares `declared`'s content type unless the package already declares one for it (by its
/// attributes, in whatever order they are written: a second declaration breaks the package).
fn add_content_type(
    files: &mut Files,
    declared: Declared,
    content_type: &str,
) -> Result<(), String> {
    let name = "[Content_Types].xml";
    let types = files.text(name)?;
    let mut present = false;
    xml::each_element(&types, |e, local| {
        let (element, attribute, value) = match &declared {
            Declared::Extension(extension) => ("Default", "Extension", extension),
            Declared::Part(part) => ("Override", "PartName", part),
        };
        present |= local == element
            && xml::attr(e, attribute).is_some_and(|v| v.eq_ignore_ascii_case(value));
    })?;
    if !present {
        let entry = match declared {
            Declared::Extension(extension) => format!("<Default Extension=\"{extension}\""),
            Declared::Part(part) => format!("<Override PartName=\"{part}\""),
        };
        let entry = format!("{entry} ContentType=\"{content_type}\"/>");
        files.set(
            name,
            types
                .replacen("</Types>", &format!("{entry}</Types>"), 1)
                .into_bytes(),
        );
    }
    Ok(())
}

/// Every page header of the package gets the template header's content before its own, the
/// template's images and links, and the namespaces both need.
fn add_header(files: &mut Files, header: &HeaderPart) -> Result<(), String> {
    let template = xml::root(&header.xml)?;
    let mut rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"{RELS_NS}\">"
    );
    // Each image once, however many relationships show it.
    for (n, (target, bytes)) in header.media.iter().enumerate() {
        let extension = target.rsplit_once('.').map_or("png", |(_, e)| e);
        let extension = extension.to_ascii_lowercase();
        files.set(
            &format!("word/media/brevmall-{n}.{extension}"),
            bytes.clone(),
        );
        let content_type = image_type(target).unwrap_or("application/octet-stream");
        add_content_type(files, Declared::Extension(&extension), content_type)?;
    }
    for rel in &header.rels {
        let mut target = rel.target.clone();
        if !rel.external
            && let Some(n) = header.media.iter().position(|(t, _)| *t == rel.target)
        {
            let extension = rel.target.rsplit_once('.').map_or("png", |(_, e)| e);
            target = format!("media/brevmall-{n}.{}", extension.to_ascii_lowercase());
        }
        let mode = if rel.external {
            " TargetMode=\"External\""
        } else {
            ""
        };
        rels.push_str(&format!(
            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"{mode}/>",
            escape(&rel.id),
            escape(&rel.uri),
            escape(&target)
        ));
    }
    rels.push_str("</Relationships>");
    let headers: Vec<String> = files
        .0
        .iter()
        .map(|(name, _)| name.clone())
        .filter(|name| {
            name.strip_prefix("word/header")
                .and_then(|n| n.strip_suffix(".xml"))
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        })
        .collect();
    for (n, name) in headers.into_iter().enumerate() {
        let ours = files.text(&name)?;
        let merged = merge_header(&header.xml, &template, &ours)?;
        // Word wants each drawing's id unique across the document's parts.
        let merged = renumber_drawings(&merged, u32::try_from(n).unwrap_or(0) * 1_000);
        files.set(&name, merged.into_bytes());
        let file = name.trim_start_matches("word/");
        files.set(
            &format!("word/_rels/{file}.rels"),
            rels.clone().into_bytes(),
        );
    }
    Ok(())
}

/// `xml` with each drawing's id (`<wp:docPr id="…"`) raised by `offset`.
fn renumber_drawings(xml: &str, offset: u32) -> String {
    const MARK: &str = "<wp:docPr id=\"";
    if offset == 0 {
        return xml.to_owned();
    }
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(MARK) {
        let start = at + MARK.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<u32>() {
            Ok(id) => out.push_str(&id.saturating_add(offset).to_string()),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The template header with our header's content after its own, under a root that declares
/// the namespaces of both.
fn merge_header(template_xml: &str, template: &xml::Root, ours: &str) -> Result<String, String> {
    let own = xml::root(ours)?;
    let missing: String = own
        .namespaces
        .iter()
        .filter(|(prefix, _)| !template.namespaces.iter().any(|(p, _)| p == prefix))
        .map(|(prefix, uri)| format!(" xmlns:{prefix}=\"{uri}\""))
        .collect();
    let tag = &template.start_tag;
    let start_tag = format!("{}{missing}>", &tag[..tag.len() - 1]);
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>{start_tag}{}{}{}",
        template_xml
            .get(template.content.clone())
            .unwrap_or_default(),
        ours.get(own.content.clone()).unwrap_or_default(),
        template.end_tag
    ))
}

/// The template's styles with ours added where it has none of the same type and name, and
/// the renames our style references need: to the template's id for a style it has, or to a
/// new id where the template uses ours for another style.
fn merge_styles(template: &str, ours: &str) -> Result<(String, Vec<(String, String)>), String> {
    let (theirs, end) = xml::styles(template)?;
    let (own, _) = xml::styles(ours)?;
    let same = |a: &xml::StyleEntry, b: &xml::StyleEntry| {
        a.kind == b.kind && a.name.to_lowercase() == b.name.to_lowercase()
    };
    let mut renames = Vec::new();
    let mut added = Vec::new();
    for style in &own {
        match theirs.iter().find(|t| same(t, style)) {
            Some(t) if t.id != style.id => renames.push((style.id.clone(), t.id.clone())),
            Some(_) => {}
            None => {
                if theirs.iter().any(|t| t.id == style.id) {
                    renames.push((style.id.clone(), format!("Portfolj{}", style.id)));
                }
                added.push(&ours[style.span.clone()]);
            }
        }
    }
    let added: String = added
        .into_iter()
        .map(|xml| rename_style_refs(xml, &renames))
        .collect();
    let merged = format!("{}{added}{}", &template[..end], &template[end..]);
    Ok((merged, renames))
}

/// `xml` with every reference to a style (and a style's own id) renamed as `renames` says.
fn rename_style_refs(xml: &str, renames: &[(String, String)]) -> String {
    if renames.is_empty() {
        return xml.to_owned();
    }
    const MARKS: [&str; 7] = [
        "<w:pStyle w:val=\"",
        "<w:rStyle w:val=\"",
        "<w:tblStyle w:val=\"",
        "<w:basedOn w:val=\"",
        "<w:next w:val=\"",
        "<w:link w:val=\"",
        "w:styleId=\"",
    ];
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    loop {
        let next = MARKS
            .iter()
            .filter_map(|m| rest.find(m).map(|at| (at, m.len())))
            .min();
        let Some((at, len)) = next else {
            out.push_str(rest);
            return out;
        };
        let value_start = at + len;
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let value_end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..value_end];
        match renames.iter().find(|(from, _)| from == value) {
            Some((_, to)) => out.push_str(to),
            None => out.push_str(value),
        }
        rest = &rest[value_end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = r#"<w:styles xmlns:w="W"><w:docDefaults/><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1" /><w:basedOn w:val="Normal" /></w:style><w:style w:type="paragraph" w:styleId="Tabelltext"><w:name w:val="Tabelltext" /><w:basedOn w:val="Normal" /></w:style><w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="Egen" /></w:style></w:styles>"#;
    const THEIRS: &str = r#"<w:styles xmlns:w="W"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="Heading 1"/><w:rPr><w:rFonts w:ascii="Arial"/></w:rPr></w:style></w:styles>"#;

    #[test]
    fn the_templates_styles_win_by_name_and_ours_fill_the_gaps() {
        let (merged, renames) = merge_styles(THEIRS, OURS).unwrap();
        assert!(renames.contains(&("Heading1".to_owned(), "Rubrik1".to_owned())));
        assert!(renames.contains(&("Rubrik1".to_owned(), "PortfoljRubrik1".to_owned())));
        let (styles, _) = xml::styles(&merged).unwrap();
        let ids: Vec<&str> = styles.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["Normal", "Rubrik1", "Tabelltext", "PortfoljRubrik1"]);
        assert!(merged.contains("Arial"));
    }

    #[test]
    fn references_follow_the_renames_once() {
        let renames = vec![
            ("Heading1".to_owned(), "Rubrik1".to_owned()),
            ("Rubrik1".to_owned(), "PortfoljRubrik1".to_owned()),
        ];
        let xml = r#"<w:p><w:pPr><w:pStyle w:val="Heading1" /></w:pPr></w:p><w:p><w:pPr><w:pStyle w:val="Rubrik1" /></w:pPr></w:p><w:p><w:pPr><w:pStyle w:val="Other" /></w:pPr></w:p>"#;
        assert_eq!(
            rename_style_refs(xml, &renames),
            r#"<w:p><w:pPr><w:pStyle w:val="Rubrik1" /></w:pPr></w:p><w:p><w:pPr><w:pStyle w:val="PortfoljRubrik1" /></w:pPr></w:p><w:p><w:pPr><w:pStyle w:val="Other" /></w:pPr></w:p>"#
        );
    }

    #[test]
    fn drawings_in_later_headers_get_ids_of_their_own() {
        let xml = r#"<wp:docPr id="1" name="Logo"/><wp:docPr id="x"/>"#;
        assert_eq!(
            renumber_drawings(xml, 1_000),
            r#"<wp:docPr id="1001" name="Logo"/><wp:docPr id="x"/>"#
        );
        assert_eq!(renumber_drawings(xml, 0), xml);
    }

    #[test]
    fn the_merged_header_declares_both_namespaces_and_keeps_both_contents() {
        let template_xml = r#"<?xml version="1.0"?><w:hdr xmlns:w="W" xmlns:r="R"><w:p><w:r><w:drawing/></w:r></w:p></w:hdr>"#;
        let ours = r#"<w:hdr xmlns:w="W" xmlns:w14="W14"><w:p w14:paraId="1"><w:r><w:t>Huddinge</w:t></w:r></w:p></w:hdr>"#;
        let template = xml::root(template_xml).unwrap();
        let merged = merge_header(template_xml, &template, ours).unwrap();
        assert!(merged.contains(r#"<w:hdr xmlns:w="W" xmlns:r="R" xmlns:w14="W14">"#));
        let drawing = merged.find("<w:drawing/>").unwrap();
        let ours_at = merged.find("Huddinge").unwrap();
        assert!(drawing < ours_at);
        assert!(merged.ends_with("</w:hdr>"));
    }
}
