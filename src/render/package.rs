//! Turns a docx-rs document into the bytes of a `.docx` file that is the same
//! for the same input: entries in a fixed order, fixed timestamps, deflate
//! compression, and two additions docx-rs cannot express (the Danish
//! language on the styles and repeating header rows in tables).

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::DocumentDate;

/// The language Word spell-checks the documents in.
pub const LANGUAGE: &str = "da-DK";

/// Packs `docx` into `.docx` bytes stamped with `date`.
pub fn pack(docx: docx_rs::Docx, date: DocumentDate) -> std::io::Result<Vec<u8>> {
    let mut raw = Cursor::new(Vec::new());
    docx.build().pack(&mut raw).map_err(std::io::Error::other)?;
    let mut archive =
        ZipArchive::new(Cursor::new(raw.into_inner())).map_err(std::io::Error::other)?;

    let stamp = zip_time(date)?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);

    // [Content_Types].xml first, as Office writes it; the rest by name.
    let mut names = archive
        .file_names()
        .map(|name| name.map(|n| n.into_owned()))
        .collect::<Result<Vec<String>, _>>()
        .map_err(std::io::Error::other)?;
    names.sort_by_key(|n| (n != "[Content_Types].xml", n.clone()));

    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for name in names {
        let mut content = Vec::new();
        archive
            .by_name(&name)
            .map_err(std::io::Error::other)?
            .read_to_end(&mut content)?;
        let content = patch(&name, content);
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

fn patch(name: &str, content: Vec<u8>) -> Vec<u8> {
    let Ok(text) = String::from_utf8(content.clone()) else {
        return content;
    };
    let patched = match name {
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
        "docProps/core.xml" => text
            .replace("<dc:creator>unknown</dc:creator>", "<dc:creator>mus</dc:creator>")
            .replace("<cp:lastModifiedBy>unknown</cp:lastModifiedBy>", "<cp:lastModifiedBy>mus</cp:lastModifiedBy>"),
        _ => text,
    };
    patched.into_bytes()
}
