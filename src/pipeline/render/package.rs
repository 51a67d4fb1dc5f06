//! Turns a docx-rs document into the bytes of a `.docx` file that is the same
//! for the same input: entries in a fixed order, fixed timestamps, deflate
//! compression. What is corrected in docx-rs's parts on the way is in
//! [`super::docx_rs_fixes`].

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::chart::{BarChart, WORKBOOK_PART};
use super::document::DocumentDate;
use super::docx_rs_fixes::{DrawingIds, PictureIds, THEME, THEME_PART, UNUSED_PARTS, correct_part};
use super::house_style::HouseStyle;
use crate::form::labels::Language;

/// Packs `docx` into `.docx` bytes stamped with `date`; `title` becomes the
/// document's title property, shown by Word and file managers, and
/// `language` the language Word spell-checks the document in. With `chart`,
/// the document's chart block shows that chart (a part of its own). With
/// `house`, the house file's styles, theme and header go in.
pub fn pack(
    docx: docx_rs::Docx,
    date: DocumentDate,
    title: &str,
    language: Language,
    chart: Option<&BarChart>,
    house: Option<&HouseStyle>,
) -> std::io::Result<Vec<u8>> {
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
    let pictures = PictureIds::new(&names);
    names.sort_by_key(|n| (n != "[Content_Types].xml", n.clone()));

    let mut drawings = DrawingIds::default();
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
        let mut content = correct_part(&name, content, title, language.tag(), &pictures)?;
        if let Some(chart) = chart {
            content = chart.link_into(&name, content)?;
        }
        if let Some(house) = house {
            content = house.apply(&name, content)?;
        }
        let content = drawings.renumber(&name, content)?;
        out.start_file(pictures.rename_part(&name), options)
            .map_err(std::io::Error::other)?;
        out.write_all(&content)?;
    }
    for (part, bytes) in chart
        .map(|c| c.parts(date))
        .transpose()?
        .into_iter()
        .flatten()
    {
        // The workbook is a zip file, compressed already.
        let options = match part {
            WORKBOOK_PART => options.compression_method(CompressionMethod::Stored),
            _ => options,
        };
        out.start_file(part, options)
            .map_err(std::io::Error::other)?;
        out.write_all(&bytes)?;
    }
    for (part, bytes) in house.iter().flat_map(|h| h.pictures()) {
        // Pictures are compressed already.
        out.start_file(part, options.compression_method(CompressionMethod::Stored))
            .map_err(std::io::Error::other)?;
        out.write_all(bytes)?;
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

#[cfg(test)]
mod tests {
    use super::super::docx_rs_fixes::tests::with_picture;
    use super::*;

    #[test]
    fn the_same_document_with_a_picture_made_twice_is_the_same_bytes() {
        let date = DocumentDate::for_year(2027);
        let first = pack(with_picture(), date, "T", Language::Da, None, None).expect("packs");
        let second = pack(with_picture(), date, "T", Language::Da, None, None).expect("packs");
        assert!(
            first == second,
            "picture ids follow the package, not the process"
        );
    }
}
