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
use crate::language::Language;

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
        .unix_permissions(0o644)
        // "Version made by" names the system, and the zip crate would
        // record the one it runs on: Unix on every system, for the same bytes.
        .system(zip::System::Unix);

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
        let (options, bytes) = match part {
            WORKBOOK_PART => (
                options.compression_method(CompressionMethod::Stored),
                made_on_unix(bytes)?,
            ),
            _ => (options, bytes),
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

/// `zip` with every entry recorded as made on Unix, as [`pack`] writes its
/// own: the zip writer of a dependency (rust_xlsxwriter's, for the chart's
/// workbook) records the system it runs on in each entry's "version made
/// by", so a workbook made on Windows would differ from Linux's. Its entries'
/// attributes are Unix permissions on both, so only that byte changes.
pub fn made_on_unix(mut zip: Vec<u8>) -> std::io::Result<Vec<u8>> {
    const UNIX: u8 = 3;
    for entry in central_entries(&zip)? {
        zip[entry + 5] = UNIX;
    }
    Ok(zip)
}

/// Where each entry of the central directory of `zip` starts.
fn central_entries(zip: &[u8]) -> std::io::Result<Vec<usize>> {
    let bad = || std::io::Error::other("not a zip file this program wrote");
    let u16_at = |at: usize| -> std::io::Result<usize> {
        let b = zip.get(at..at + 2).ok_or_else(bad)?;
        Ok(u16::from_le_bytes([b[0], b[1]]) as usize)
    };
    let u32_at = |at: usize| -> std::io::Result<usize> {
        let b = zip.get(at..at + 4).ok_or_else(bad)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    // The end record is the last 22 bytes but for a comment (none here).
    let end = zip.len().checked_sub(22).ok_or_else(bad)?;
    if zip[end..end + 4] != *b"PK\x05\x06" {
        return Err(bad());
    }
    let (count, mut at) = (u16_at(end + 10)?, u32_at(end + 16)?);
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        if zip.get(at..at + 4) != Some(b"PK\x01\x02") {
            return Err(bad());
        }
        entries.push(at);
        at += 46 + u16_at(at + 28)? + u16_at(at + 30)? + u16_at(at + 32)?;
    }
    Ok(entries)
}

/// The zip entries' timestamp: [`DocumentDate::zip_day`] at midnight.
pub fn zip_time(date: DocumentDate) -> std::io::Result<DateTime> {
    use chrono::Datelike;
    let d = date.zip_day();
    DateTime::from_date_and_time(
        u16::try_from(d.year()).unwrap_or(1980),
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

    /// The system byte of "version made by" of every entry of `zip`.
    fn systems(zip: &[u8]) -> Vec<u8> {
        let entries = central_entries(zip).expect("a zip");
        entries.iter().map(|at| zip[at + 5]).collect()
    }

    #[test]
    fn a_package_is_recorded_as_made_on_unix_on_every_system() {
        let date = DocumentDate::for_year(2027);
        let docx = pack(with_picture(), date, "T", Language::Da, None, None).expect("packs");
        let systems = systems(&docx);
        assert!(systems.len() > 5, "{systems:?}");
        assert!(systems.iter().all(|s| *s == 3), "{systems:?}");
    }

    #[test]
    fn a_zip_made_on_windows_is_recorded_as_made_on_unix_and_reads_the_same() {
        let options = SimpleFileOptions::default()
            .unix_permissions(0o600)
            .system(zip::System::Dos);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for name in ["[Content_Types].xml", "xl/workbook.xml"] {
            zip.start_file(name, options).expect("start");
            zip.write_all(name.as_bytes()).expect("write");
        }
        let dos = zip.finish().expect("finish").into_inner();
        assert_eq!(systems(&dos), [0, 0], "DOS is 0");
        let unix = made_on_unix(dos.clone()).expect("a zip");
        assert_eq!(systems(&unix), [3, 3]);
        let changed = dos.iter().zip(&unix).filter(|(a, b)| a != b).count();
        assert_eq!(changed, 2, "one byte an entry");
        let mut archive = ZipArchive::new(Cursor::new(unix)).expect("still a zip");
        let mut text = String::new();
        (archive.by_name("xl/workbook.xml").expect("entry"))
            .read_to_string(&mut text)
            .expect("read");
        assert_eq!(text, "xl/workbook.xml");
        assert!(made_on_unix(b"PK".to_vec()).is_err());
    }
}
