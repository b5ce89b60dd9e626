//! Documents the app exports, opened by real readers: LibreOffice for Word files, poppler for
//! PDF, and the parts of a ZIP archive (a Word file is one) read as the archive holds them.

use std::{path::PathBuf, process::Command};

/// A directory of its own under the target dir, fresh for this call.
fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Converts `bytes` (a file named `file`) with headless LibreOffice to `format` (e.g.
/// `txt:Text`, `pdf`) and returns the converted file's bytes.
pub fn libreoffice_convert(bytes: &[u8], file: &str, format: &str, extension: &str) -> Vec<u8> {
    convert(bytes, file, (format, extension), false)
}

/// `libreoffice_convert` with every formula of a spreadsheet recalculated on loading (LibreOffice
/// otherwise trusts an Excel file's cached results).
pub fn libreoffice_recalculated(
    bytes: &[u8],
    file: &str,
    format: &str,
    extension: &str,
) -> Vec<u8> {
    convert(bytes, file, (format, extension), true)
}

fn convert(
    bytes: &[u8],
    file: &str,
    (format, extension): (&str, &str),
    recalculate: bool,
) -> Vec<u8> {
    let dir = scratch("lo");
    let input = dir.join(file);
    std::fs::write(&input, bytes).expect("write input");
    // A profile of its own: LibreOffice refuses to run twice on one profile.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    if recalculate {
        let user = dir.join("profile").join("user");
        std::fs::create_dir_all(&user).expect("profile");
        std::fs::write(
            user.join("registrymodifications.xcu"),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
        )
        .expect("profile settings");
    }
    let output = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", format, "--outdir"])
        .arg(&dir)
        .arg(&input)
        .output()
        .expect("soffice not found: apt-get install libreoffice-writer-nogui");
    let converted = input.with_extension(extension);
    let result = std::fs::read(&converted).unwrap_or_else(|_| {
        panic!(
            "LibreOffice did not convert {file}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Runs a poppler tool (`pdfinfo`, `pdffonts`, `pdftotext`) on `pdf` with `args`; its output.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = scratch("pdf");
    let file = dir.join("document.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let output = Command::new(tool)
        .args(args)
        .arg(&file)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|_| panic!("{tool} not found: apt-get install poppler-utils"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The bytes of the entry `name` of the ZIP archive `bytes` (a .docx is one).
pub fn zip_entry(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut entry = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in the archive"));
    let mut content = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut content).expect("read entry");
    content
}

/// The text of each page of `pdf`, laid out as on the page (`pdftotext -layout`, page by page).
pub fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let info = poppler("pdfinfo", &[], pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in:\n{info}"));
    (1..=pages)
        .map(|n| {
            let n = n.to_string();
            poppler("pdftotext", &["-layout", "-f", &n, "-l", &n], pdf).replace('\u{a0}', " ")
        })
        .collect()
}

/// The text of the first `<tag …>…</tag>` in `xml`, entities left as they are.
pub fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag}"))?;
    let open_end = start + xml[start..].find('>')? + 1;
    let close = open_end + xml[open_end..].find(&format!("</{tag}>"))?;
    Some(xml[open_end..close].to_owned())
}

/// `libreoffice_convert` of a Word file, off the async runtime.
pub async fn convert_word(
    bytes: Vec<u8>,
    format: &'static str,
    extension: &'static str,
) -> Vec<u8> {
    tokio::task::spawn_blocking(move || {
        libreoffice_convert(&bytes, "document.docx", format, extension)
    })
    .await
    .unwrap()
}

/// Checks that `pdf` is tagged, declares PDF/A-2a and PDF/UA-1 in its metadata, carries a
/// structure of a title heading and paragraphs that `pdfinfo` reads back, and embeds every
/// font it uses.
pub fn assert_accessible_pdf(pdf: &[u8]) {
    let info = poppler("pdfinfo", &[], pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let meta = poppler("pdfinfo", &["-meta"], pdf);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{meta}"
    );
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    let structure = poppler("pdfinfo", &["-struct"], pdf);
    let elements: Vec<&str> = structure
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(elements.contains(&"H1"), "{structure}");
    assert!(elements.contains(&"P"), "{structure}");
    let fonts = poppler("pdffonts", &[], pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding] emb sub uni object ID: "emb" is the fifth column from the end.
        assert_eq!(
            columns[columns.len() - 5],
            "yes",
            "font not embedded: {row}"
        );
    }
}
