//! Turns a docx-rs document into the bytes of a `.docx` file that is the same
//! for the same input: entries in a fixed order, fixed timestamps, deflate
//! compression, and two additions docx-rs cannot express (the Danish
//! language on the styles and repeating header rows in tables).

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::document::DocumentDate;
use super::ooxml;

/// The language Word spell-checks the documents in.
pub const LANGUAGE: &str = "da-DK";

/// Packs `docx` into `.docx` bytes stamped with `date`; `title` becomes the
/// document's title property, shown by Word and file managers.
pub fn pack(docx: docx_rs::Docx, date: DocumentDate, title: &str) -> std::io::Result<Vec<u8>> {
    let mut raw = Cursor::new(Vec::new());
    docx.build().pack(&mut raw).map_err(std::io::Error::other)?;
    let mut archive =
        ZipArchive::new(Cursor::new(raw.into_inner())).map_err(std::io::Error::other)?;

    let stamp = zip_time(date)?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);

    let mut names = archive
        .file_names()
        .map(|name| name.map(|n| n.into_owned()))
        .collect::<Result<Vec<String>, _>>()
        .map_err(std::io::Error::other)?;

    // [Content_Types].xml first, as Office writes it; the rest by name.
    names.push(THEME_PART.to_string());
    names.sort_by_key(|n| (n != "[Content_Types].xml", n.clone()));

    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for name in names {
        // Folders are implied by the part names; OPC packages hold only parts.
        if name.ends_with('/') || UNUSED_PARTS.contains(&name.as_str()) {
            continue;
        }
        let mut content = Vec::new();
        if name == THEME_PART {
            content.extend_from_slice(THEME.as_bytes());
        } else {
            archive
                .by_name(&name)
                .map_err(std::io::Error::other)?
                .read_to_end(&mut content)?;
        }
        let content = patch(&name, content, title)?;
        out.start_file(name, options)
            .map_err(std::io::Error::other)?;
        out.write_all(&content)?;
    }
    Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
}

/// The zip entries' timestamp: the document date at midnight.
pub fn zip_time(date: DocumentDate) -> std::io::Result<DateTime> {
    use chrono::Datelike;
    let d = date.0.date_naive();
    DateTime::from_date_and_time(
        d.year().clamp(1980, 2107) as u16,
        d.month() as u8,
        d.day() as u8,
        0,
        0,
        0,
    )
    .map_err(|_| std::io::Error::other("document date out of range"))
}

/// A small theme of our own (Arial, the documents' colours): Word expects
/// a theme part, and docx-rs writes none.
const THEME_PART: &str = "word/theme/theme1.xml";
const THEME: &str = include_str!("theme1.xml");

/// Parts docx-rs always writes that nothing links to (or, for comments,
/// that we never fill): left out of the package.
const UNUSED_PARTS: [&str; 3] = [
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/footnotes.xml",
];

/// East-Asian layout flags docx-rs always writes into `w:compat`; they
/// change how Word lays out Danish text, so they are left out.
const EAST_ASIAN_COMPAT: [&str; 6] = [
    "<w:spaceForUL />",
    "<w:balanceSingleByteDoubleByteWidth />",
    "<w:doNotLeaveBackslashAlone />",
    "<w:ulTrailSpace />",
    "<w:doNotExpandShiftReturn />",
    "<w:useFELayout />",
];

/// The name `docProps/app.xml` gives the application that wrote the file.
pub const APPLICATION: &str = "mus";

/// `text` without the first element that starts with `start` (through its
/// closing tag `end`): for the list definition docx-rs always writes and
/// nothing refers to.
fn without_element(text: String, start: &str, end: &str) -> String {
    match text.find(start) {
        Some(at) => match text[at..].find(end) {
            Some(len) => format!("{}{}", &text[..at], &text[at + len + end.len()..]),
            None => text,
        },
        None => text,
    }
}

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn patch(name: &str, content: Vec<u8>, title: &str) -> std::io::Result<Vec<u8>> {
    let Ok(text) = String::from_utf8(content.clone()) else {
        return Ok(content);
    };
    let text = match name {
        // Language last in the default run properties, as the schema orders it.
        "word/styles.xml" => text
            .replacen(
                "</w:rPr></w:rPrDefault>",
                &format!(r#"<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA" /></w:rPr></w:rPrDefault>"#),
                1,
            )
            // Readers such as python-docx find the paragraph default by this flag.
            .replacen(
                r#"<w:style w:type="paragraph" w:styleId="Normal">"#,
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#,
                1,
            ),
        // Header rows are the only rows built with cantSplit and no height.
        "word/document.xml" => text.replace("<w:trPr><w:cantSplit /></w:trPr>", "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"),
        "word/_rels/document.xml.rels" => text.replacen(
            "</Relationships>",
            r#"<Relationship Id="rIdTheme1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml" /></Relationships>"#,
            1,
        ),
        "[Content_Types].xml" => text.replacen(
            "</Types>",
            r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" /></Types>"#,
            1,
        ),
        "docProps/core.xml" => text
            .replace("<dc:creator>unknown</dc:creator>", &format!("<dc:title>{}</dc:title><dc:creator>mus</dc:creator>", xml_text(title)))
            .replace("<cp:lastModifiedBy>unknown</cp:lastModifiedBy>", &format!("<cp:lastModifiedBy>mus</cp:lastModifiedBy><dc:language>{LANGUAGE}</dc:language>")),
        "docProps/app.xml" => text.replacen(
            r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes" />"#,
            &format!(r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>{APPLICATION}</Application></Properties>"#),
            1,
        ),
        "word/settings.xml" => EAST_ASIAN_COMPAT
            .iter()
            .fold(text, |text, flag| text.replace(flag, "")),
        // docx-rs always writes list definition 1 and its instance; no
        // paragraph or style refers to them.
        "word/numbering.xml" => without_element(
            without_element(text, r#"<w:abstractNum w:abstractNumId="1">"#, "</w:abstractNum>"),
            r#"<w:num w:numId="1">"#,
            "</w:num>",
        ),
        _ => text,
    };
    let unused: Vec<String> = UNUSED_PARTS
        .iter()
        .flat_map(|p| {
            [
                format!("PartName=\"/{p}\""),
                format!("Target=\"{}\"", p.trim_start_matches("word/")),
            ]
        })
        .collect();
    let unused: Vec<&str> = unused.iter().map(String::as_str).collect();
    let settings_language = format!(r#"<w:themeFontLang w:val="{LANGUAGE}" />"#);
    let normalized = match name {
        "[Content_Types].xml" | "word/_rels/document.xml.rels" => {
            ooxml::normalize(&text, &[], &unused)
        }
        "word/settings.xml" => ooxml::normalize(&text, &[("w:settings", &settings_language)], &[]),
        THEME_PART => Ok(text),
        n if n.starts_with("word/") && n.ends_with(".xml") => ooxml::normalize(&text, &[], &[]),
        _ => Ok(text),
    };
    normalized
        .map(String::into_bytes)
        .map_err(std::io::Error::other)
}
