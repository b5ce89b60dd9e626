//! The little of WordprocessingML a letterhead needs to read: attributes by local name,
//! a part's relationships, the styles of a styles part with their place in its text, and a
//! part's root element. Prefixes are matched by local name only: Word and LibreOffice both
//! write `w:` and `r:`, and a template that renamed them would still be read right.

use quick_xml::{
    XmlVersion,
    events::{BytesStart, Event},
    reader::Reader,
};

fn bad(e: impl std::fmt::Display) -> String {
    format!("XML-fel: {e}")
}

/// The value of the attribute whose local name is `local`, unescaped.
pub fn attr(element: &BytesStart, local: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// Calls `visit` with each element's start (open or empty) and its local name, in order.
pub fn each_element(xml: &str, mut visit: impl FnMut(&BytesStart, &str)) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(bad)? {
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name().as_ref().to_owned();
                visit(&e, &local);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// One relationship of a part (`_rels/….rels`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub id: String,
    /// The relationship type's last path segment: `header`, `image`, `theme`, ….
    pub kind: String,
    /// The relationship type in full.
    pub uri: String,
    pub target: String,
    pub external: bool,
}

pub fn relationships(xml: &str) -> Result<Vec<Relationship>, String> {
    let mut found = Vec::new();
    each_element(xml, |e, local| {
        if local == "Relationship" {
            let kind = attr(e, "Type").unwrap_or_default();
            found.push(Relationship {
                id: attr(e, "Id").unwrap_or_default(),
                kind: kind.rsplit('/').next().unwrap_or_default().to_owned(),
                uri: kind.clone(),
                target: attr(e, "Target").unwrap_or_default(),
                external: attr(e, "TargetMode").is_some_and(|m| m == "External"),
            });
        }
    })?;
    Ok(found)
}

/// The next event with the offsets of its text: where it begins and ends.
fn next<'a>(reader: &mut Reader<&'a [u8]>) -> Result<(usize, Event<'a>, usize), String> {
    let before = usize::try_from(reader.buffer_position()).map_err(bad)?;
    let event = reader.read_event().map_err(bad)?;
    let after = usize::try_from(reader.buffer_position()).map_err(bad)?;
    Ok((before, event, after))
}

/// A style of a styles part: its type, id and name, and where its element lies in the text.
#[derive(Debug, Clone)]
pub struct StyleEntry {
    pub kind: String,
    pub id: String,
    pub name: String,
    pub span: std::ops::Range<usize>,
}

/// The styles of a styles part, and the offset of its closing `</w:styles>`.
pub fn styles(xml: &str) -> Result<(Vec<StyleEntry>, usize), String> {
    let mut reader = Reader::from_str(xml);
    let (mut found, mut depth, mut open) = (Vec::new(), 0usize, None::<StyleEntry>);
    loop {
        let (before, event, after) = next(&mut reader)?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth == 2 && e.local_name().as_ref() == "style" {
                    open = Some(StyleEntry {
                        kind: attr(&e, "type").unwrap_or_default(),
                        id: attr(&e, "styleId").unwrap_or_default(),
                        name: String::new(),
                        span: before..before,
                    });
                } else if depth == 3
                    && e.local_name().as_ref() == "name"
                    && let Some(style) = open.as_mut()
                {
                    style.name = attr(&e, "val").unwrap_or_default();
                }
            }
            Event::Empty(e) => {
                if depth == 2
                    && e.local_name().as_ref() == "name"
                    && let Some(style) = open.as_mut()
                {
                    style.name = attr(&e, "val").unwrap_or_default();
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some(mut style) = open.take()
                {
                    style.span = style.span.start..after;
                    found.push(style);
                }
                if depth == 1 {
                    return Ok((found, before));
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => return Err("stilarna saknar sitt slut".to_owned()),
            _ => {}
        }
    }
}

/// The WordprocessingML namespace of the transitional standard, which Word writes and these
/// documents use (Strict Open XML has another).
pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A part's root element: its qualified name, its start tag's text (always an open tag), its
/// namespace declarations, the range of its content and its end tag.
#[derive(Debug, Clone)]
pub struct Root {
    pub name: String,
    pub start_tag: String,
    pub namespaces: Vec<(String, String)>,
    pub content: std::ops::Range<usize>,
    pub end_tag: String,
}

impl Root {
    fn of(e: &BytesStart, start_tag: String, at: usize) -> Root {
        let name = e.name().as_ref().to_owned();
        let namespaces = e
            .attributes()
            .flatten()
            .filter_map(|a| {
                let key = a.key.as_ref().to_owned();
                let prefix = key.strip_prefix("xmlns:")?.to_owned();
                Some((prefix, a.value.clone().into_owned()))
            })
            .collect();
        Root {
            end_tag: format!("</{name}>"),
            name,
            start_tag,
            namespaces,
            content: at..at,
        }
    }

    /// Whether the root is `w:{local}` with `w` the transitional WordprocessingML namespace,
    /// as everything added to the part is written.
    pub fn is_word(&self, local: &str) -> bool {
        self.name == format!("w:{local}")
            && self
                .namespaces
                .iter()
                .any(|(p, uri)| p == "w" && uri == W_NS)
    }
}

/// The root of a part, which must be well-formed and hold no document type declaration (OPC
/// forbids them; an entity could blow up in a reader).
pub fn root(xml: &str) -> Result<Root, String> {
    let mut reader = Reader::from_str(xml);
    let (mut depth, mut found) = (0usize, None::<Root>);
    loop {
        let (before, event, after) = next(&mut reader)?;
        match event {
            Event::DocType(_) => return Err("delen har en dokumenttypdeklaration".to_owned()),
            Event::Start(e) => {
                depth += 1;
                if depth == 1 {
                    let tag = xml.get(before..after).unwrap_or_default().to_owned();
                    found = Some(Root::of(&e, tag, after));
                }
            }
            // An empty root (`<w:hdr/>`): an open tag and an end tag around nothing.
            Event::Empty(e) if depth == 0 => {
                let tag = xml.get(before..after).unwrap_or_default();
                let open = format!("{}>", tag.trim_end_matches('>').trim_end_matches('/'));
                return Ok(Root::of(&e, open, after));
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let mut root = found.ok_or("delen saknar rot")?;
                    root.content = root.content.start..before;
                    return Ok(root);
                }
            }
            Event::Eof => return Err("delen saknar sitt slut".to_owned()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_found_with_their_names_and_spans() {
        let xml = r#"<w:styles xmlns:w="x"><w:docDefaults/><w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/><w:rPr><w:b/></w:rPr></w:style><w:style w:type="table" w:styleId="T"><w:name w:val="Table Grid"/></w:style></w:styles>"#;
        let (styles, end) = styles(xml).unwrap();
        assert_eq!(styles.len(), 2);
        assert_eq!(
            (styles[0].id.as_str(), styles[0].name.as_str()),
            ("Rubrik1", "heading 1")
        );
        assert!(xml[styles[0].span.clone()].starts_with("<w:style "));
        assert!(xml[styles[0].span.clone()].ends_with("</w:style>"));
        assert_eq!(styles[1].kind, "table");
        assert_eq!(&xml[end..], "</w:styles>");
    }

    #[test]
    fn the_root_keeps_its_namespaces_and_content() {
        let xml = r#"<?xml version="1.0"?><w:hdr xmlns:w="W" xmlns:r="R"><w:p/></w:hdr>"#;
        let root = root(xml).unwrap();
        assert_eq!(&xml[root.content.clone()], "<w:p/>");
        assert_eq!(root.start_tag, r#"<w:hdr xmlns:w="W" xmlns:r="R">"#);
        assert_eq!(root.namespaces[1], ("r".to_owned(), "R".to_owned()));
    }

    #[test]
    fn relationships_name_their_kind() {
        let xml = r#"<Relationships><Relationship Id="rId7" Type="http://x/relationships/image" Target="media/image1.png"/><Relationship Id="rId8" Type="http://x/hyperlink" Target="https://a" TargetMode="External"/></Relationships>"#;
        let rels = relationships(xml).unwrap();
        assert_eq!(rels[0].kind, "image");
        assert_eq!(rels[0].target, "media/image1.png");
        assert!(rels[1].external);
    }
}
