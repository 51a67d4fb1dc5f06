//! Excel workbooks (`.xlsx`) as HR hands them to `mus` and gets them back:
//! a roster exported from the HR system or kept in Excel, and the collected
//! goals written as a workbook and read back. A sheet is read into rows of
//! strings, so the roster's and the collected goals' own checks run on a
//! workbook exactly as on a CSV; the goals are written as a workbook with
//! typed dates and text that is only ever text.
//!
//! The reading is bomb-safe: before calamine sees the package, every part
//! is unpacked once through a limit (a part's declared size can lie), and
//! the sheet is read a cell at a time, never as calamine's dense range (one
//! cell at `XFD1048576` would make it allocate 17 billion cells).

use std::io::Read;
use std::path::Path;

use crate::error::{Diagnostic, Location, Origin};
use crate::limits;

/// One row of a sheet that has something in it: its row number in Excel
/// (the header is usually row 1) and its cells from column A, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Text: a CSV (or Excel's "Unicode Text").
    Text,
    /// A zip package: an `.xlsx`, or an `.ods`, or something else zipped.
    Zip,
    /// A compound file (OLE): an old `.xls`, or a password-protected workbook.
    Compound,
}

/// The kind of file `bytes` start like.
pub fn sniff(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        FileKind::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        FileKind::Compound
    } else {
        FileKind::Text
    }
}

/// Whether `path` is named like a workbook `mus` reads or refuses
/// (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`), whatever it holds.
pub fn named_like_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xls", "xlsb", "ods"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// Reads the file at `path` (at most `limit` bytes, a regular file only)
/// and the rows of its sheet `sheet` (the first when `None`).
pub fn read_path(
    path: &Path,
    limit: u64,
    sheet: Option<&str>,
) -> crate::error::Result<Vec<SheetRow>> {
    let file = path.display().to_string();
    let bytes = limits::read_bounded(path, limit).map_err(|err| {
        Diagnostic::new(
            file.clone(),
            None,
            crate::msg!(
                "workbook.unreadable",
                error = crate::messages::io_error(&err)
            ),
        )
        .with_code("unreadable")
    })?;
    read_bytes(&bytes, &file, sheet)
}

/// The rows of the sheet `sheet` (the first when `None`) of the workbook
/// in `bytes`; `file` names it in messages. An `.xls`, a password-protected
/// workbook or an `.ods` is refused with what to do. Rows with nothing in
/// them are left out; a date cell is given as `YYYY-MM-DD` (with the time
/// after it when it has one), a whole number without decimals.
pub fn read_bytes(
    bytes: &[u8],
    file: &str,
    sheet: Option<&str>,
) -> crate::error::Result<Vec<SheetRow>> {
    let refuse = |message: String, hint: String| {
        Diagnostic::new(file.to_string(), None, message)
            .with_hint(hint)
            .with_code("workbook")
    };
    match sniff(bytes) {
        FileKind::Compound if is_encrypted(bytes) => {
            return Err(refuse(
                crate::msg!("workbook.encrypted"),
                crate::msg!("workbook.encrypted.hint"),
            )
            .into());
        }
        FileKind::Compound => {
            return Err(
                refuse(crate::msg!("workbook.xls"), crate::msg!("workbook.save-as")).into(),
            );
        }
        FileKind::Text => {
            return Err(refuse(
                crate::msg!("workbook.not-a-workbook"),
                crate::msg!("workbook.save-as"),
            )
            .into());
        }
        FileKind::Zip => {}
    }
    let names = check_package(
        bytes,
        limits::WORKBOOK_PART_BYTES,
        limits::WORKBOOK_UNPACKED_BYTES,
    )
    .map_err(|(message, hint)| refuse(message, hint))?;
    if names.iter().any(|n| n == "content.xml") && !names.iter().any(|n| n == "xl/workbook.xml") {
        return Err(refuse(crate::msg!("workbook.ods"), crate::msg!("workbook.save-as")).into());
    }
    if names.iter().any(|n| n == "xl/workbook.bin") {
        return Err(refuse(
            crate::msg!("workbook.xlsb"),
            crate::msg!("workbook.save-as"),
        )
        .into());
    }
    if !names.iter().any(|n| n == "xl/workbook.xml") {
        return Err(refuse(
            crate::msg!("workbook.not-a-workbook"),
            crate::msg!("workbook.save-as"),
        )
        .into());
    }
    read_sheet(bytes, file, sheet)
}

/// Whether a compound file holds an encrypted OOXML package: Excel keeps a
/// password-protected `.xlsx` as a compound file with an `EncryptedPackage`
/// stream, whose name is in the directory in UTF-16.
fn is_encrypted(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// Unpacks every part of the package once through the limits, so no part
/// calamine reads can be a bomb whatever its header says (`part_limit`
/// each, `total_limit` together); the parts' names.
fn check_package(
    bytes: &[u8],
    part_limit: u64,
    total_limit: u64,
) -> Result<Vec<String>, (String, String)> {
    let damaged = |err: &dyn std::fmt::Display| {
        (
            crate::msg!("workbook.damaged", error = err),
            crate::msg!("workbook.save-as"),
        )
    };
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|err| damaged(&err))?;
    if archive.len() > limits::WORKBOOK_ENTRIES {
        return Err((
            crate::msg!(
                "workbook.too-many-parts",
                count = archive.len(),
                limit = limits::WORKBOOK_ENTRIES
            ),
            crate::msg!("workbook.save-as"),
        ));
    }
    let mut names = Vec::with_capacity(archive.len());
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|err| damaged(&err))?;
        let name = entry.name().map_err(|err| damaged(&err))?.into_owned();
        let unpacked = std::io::copy(&mut entry.take(part_limit + 1), &mut std::io::sink())
            .map_err(|err| damaged(&err))?;
        if unpacked > part_limit {
            return Err((
                crate::msg!(
                    "workbook.part-too-large",
                    part = name,
                    limit = limits::human(part_limit)
                ),
                crate::msg!("workbook.too-large.hint"),
            ));
        }
        total += unpacked;
        if total > total_limit {
            return Err((
                crate::msg!("workbook.too-large", limit = limits::human(total_limit)),
                crate::msg!("workbook.too-large.hint"),
            ));
        }
        names.push(name);
    }
    Ok(names)
}

/// The rows of one sheet, read a cell at a time within the limits.
fn read_sheet(
    bytes: &[u8],
    file: &str,
    sheet: Option<&str>,
) -> crate::error::Result<Vec<SheetRow>> {
    use calamine::Reader;
    let damaged = |err: &dyn std::fmt::Display| {
        Diagnostic::new(
            file.to_string(),
            None,
            crate::msg!("workbook.damaged", error = err),
        )
        .with_hint(crate::msg!("workbook.save-as"))
        .with_code("workbook")
    };
    let mut workbook: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|err| match err {
            calamine::XlsxError::Password => {
                Diagnostic::new(file.to_string(), None, crate::msg!("workbook.encrypted"))
                    .with_hint(crate::msg!("workbook.encrypted.hint"))
                    .with_code("workbook")
            }
            other => damaged(&other),
        })?;
    let sheets = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => sheets
            .iter()
            .find(|s| s.as_str() == wanted)
            .or_else(|| {
                sheets
                    .iter()
                    .find(|s| s.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .cloned()
            .ok_or_else(|| {
                Diagnostic::new(
                    file.to_string(),
                    None,
                    crate::msg!(
                        "workbook.no-such-sheet",
                        sheet = wanted,
                        sheets = sheets
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .with_code("workbook")
            })?,
        None => sheets.first().cloned().ok_or_else(|| {
            Diagnostic::new(file.to_string(), None, crate::msg!("workbook.no-sheets"))
                .with_hint(crate::msg!("workbook.save-as"))
                .with_code("workbook")
        })?,
    };
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|err| damaged(&err))?;
    let mut rows: Vec<SheetRow> = Vec::new();
    let mut cells_held: usize = 0;
    // Where each row is in `rows`, for cells that come out of row order.
    let mut index: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let file_name: std::sync::Arc<str> = std::sync::Arc::from(file);
    while let Some(cell) = reader.next_cell().map_err(|err| damaged(&err))? {
        let (row, column) = cell.get_position();
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (line, column) = (row as usize + 1, column as usize);
        let at = Origin::new(
            &file_name,
            Some(Location {
                line,
                column: column + 1,
            }),
        );
        if column >= limits::WORKBOOK_COLUMNS {
            return Err(Diagnostic::at(
                &at,
                crate::msg!(
                    "workbook.too-many-columns",
                    line = line,
                    limit = limits::WORKBOOK_COLUMNS
                ),
            )
            .with_hint(crate::msg!("workbook.too-many-columns.hint"))
            .with_code("workbook")
            .into());
        }
        // Cells come row by row in a sheet Excel wrote; a package written
        // otherwise gets its row looked up.
        let at_row = match rows.last() {
            Some(last) if last.line == line => rows.len() - 1,
            _ => match index.get(&line) {
                Some(i) => *i,
                None => {
                    if rows.len() >= limits::WORKBOOK_ROWS {
                        return Err(Diagnostic::at(
                            &at,
                            crate::msg!("workbook.too-many-rows", limit = limits::WORKBOOK_ROWS),
                        )
                        .with_hint(crate::msg!("workbook.too-many-rows.hint"))
                        .with_code("workbook")
                        .into());
                    }
                    index.insert(line, rows.len());
                    rows.push(SheetRow {
                        line,
                        cells: Vec::new(),
                    });
                    rows.len() - 1
                }
            },
        };
        let cells = &mut rows[at_row].cells;
        if cells.len() <= column {
            cells_held += column + 1 - cells.len();
            if cells_held > limits::WORKBOOK_CELLS {
                return Err(Diagnostic::at(
                    &at,
                    crate::msg!("workbook.too-many-cells", limit = limits::WORKBOOK_CELLS),
                )
                .with_hint(crate::msg!("workbook.too-many-rows.hint"))
                .with_code("workbook")
                .into());
            }
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    rows.sort_by_key(|r| r.line);
    Ok(rows)
}

/// A cell's value as the text a CSV export would hold, trimmed: a date
/// (a number formatted as a date in Excel) as `YYYY-MM-DD`, with the time
/// when it has one, so [`crate::dates::parse_date`] reads it.
fn cell_text(value: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    let text = match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(date) => match date.as_datetime() {
            Some(at) if date.is_datetime() => {
                if at.time() == chrono::NaiveTime::MIN {
                    at.date().to_string()
                } else {
                    at.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            // A duration, or a serial no calendar has: the number as it is.
            _ => number_text(date.as_f64()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(err) => err.to_string(),
    };
    text.trim().to_string()
}

/// A number as Excel shows it in general format: `12`, `1.5`.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// A cell of a table written as a workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as text whatever it starts with: a workbook never gets
    /// a formula from `mus`, so `=HYPERLINK(…)` is a goal, not a link.
    Text(String),
    /// A date, shown the Danish way (`01-03-2027`) and sorted as a date.
    Date(chrono::NaiveDate),
    /// A whole number, such as a goal's number.
    Number(f64),
    /// A number with one decimal shown (`1.5`), such as goals per interview.
    Decimal(f64),
    /// A share (0–1), shown as a percentage (`75%`) and kept as the number.
    Share(f64),
}

impl Cell {
    /// `text` as text.
    pub fn text(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }

    /// A date when `text` is an ISO date (`2027-03-01`), else text.
    pub fn date_or_text(text: &str) -> Cell {
        match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Cell::Date(date),
            Err(_) => Cell::text(text),
        }
    }

    /// A number when `text` is a whole number (`3`), else text.
    pub fn number_or_text(text: &str) -> Cell {
        match text.parse::<u32>() {
            Ok(n) => Cell::Number(f64::from(n)),
            Err(_) => Cell::text(text),
        }
    }
}

/// The name of the sheet [`write_table`] writes: fixed, so a workbook's
/// bytes do not depend on the language of the messages.
pub const GOALS_SHEET: &str = "Udviklingsmål";

/// The widest a column is made to fit its cells, in characters: a long
/// goal wraps in its cell rather than push the next column off the screen.
const WIDEST_COLUMN: usize = 60;

/// A table as an Excel workbook of one sheet named [`GOALS_SHEET`]: see
/// [`write_sheet`].
pub fn write_table(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    created: chrono::DateTime<chrono::Utc>,
) -> std::io::Result<Vec<u8>> {
    write_sheet(GOALS_SHEET, header, rows, created)
}

/// A table as an Excel workbook of one sheet named `sheet_name`: a bold
/// header row, frozen so it stays in view, with an autofilter; each column
/// as wide as its widest cell (up to [`WIDEST_COLUMN`] characters); dates
/// as dates, shares as percentages. `created` is the workbook's creation
/// time (its only clock), so the same table gives the same bytes.
pub fn write_sheet(
    sheet_name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    created: chrono::DateTime<chrono::Utc>,
) -> std::io::Result<Vec<u8>> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let error = std::io::Error::other;
    let created = ExcelDateTime::from_timestamp(created.timestamp()).map_err(error)?;
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("dd-mm-yyyy");
    let decimal_format = Format::new().set_num_format("0.0");
    let share_format = Format::new().set_num_format("0%");
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(error)?;
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (c, name) in header.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *name, &bold)
            .map_err(error)?;
    }
    let mut last_row = 0u32;
    for (r, row) in rows.into_iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(std::io::Error::other)?;
        last_row = r;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(std::io::Error::other)?;
            let width = match cell {
                Cell::Text(text) if text.is_empty() => 0,
                Cell::Text(text) => {
                    if text.contains('\n') || text.chars().count() > WIDEST_COLUMN {
                        sheet
                            .write_string_with_format(r, col, text, &wrap)
                            .map_err(error)?;
                    } else {
                        sheet.write_string(r, col, text).map_err(error)?;
                    }
                    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
                }
                Cell::Date(date) => {
                    let at = ExcelDateTime::parse_from_str(&date.to_string()).map_err(error)?;
                    sheet
                        .write_datetime_with_format(r, col, &at, &date_format)
                        .map_err(error)?;
                    10
                }
                Cell::Number(n) => {
                    sheet.write_number(r, col, *n).map_err(error)?;
                    n.to_string().len()
                }
                Cell::Decimal(n) => {
                    sheet
                        .write_number_with_format(r, col, *n, &decimal_format)
                        .map_err(error)?;
                    format!("{n:.1}").len()
                }
                Cell::Share(share) => {
                    sheet
                        .write_number_with_format(r, col, *share, &share_format)
                        .map_err(error)?;
                    format!("{:.0}%", share * 100.0).len()
                }
            };
            if let Some(widest) = widths.get_mut(c) {
                *widest = (*widest).max(width);
            }
        }
    }
    for (c, width) in widths.iter().enumerate() {
        let col = u16::try_from(c).map_err(std::io::Error::other)?;
        // Two characters more, for the autofilter's button in the header.
        let fit = (*width).min(WIDEST_COLUMN) + 2;
        sheet.set_column_width(col, fit as f64).map_err(error)?;
    }
    let last_col = u16::try_from(header.len().saturating_sub(1)).map_err(std::io::Error::other)?;
    sheet.set_freeze_panes(1, 0).map_err(error)?;
    sheet.autofilter(0, 0, last_row, last_col).map_err(error)?;
    crate::platform::zip_made_on_unix(book.save_to_buffer().map_err(error)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        fill(book.add_worksheet());
        book.save_to_buffer().expect("saves")
    }

    #[test]
    fn a_sheet_gives_its_rows_as_text_with_dates_as_iso_and_empty_rows_left_out() {
        let bytes = workbook(|sheet| {
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 3, 1).expect("date");
            let format = rust_xlsxwriter::Format::new().set_num_format("dd-mm-yyyy");
            sheet.write(0, 0, "navn").expect("cell");
            sheet.write(0, 1, "dato").expect("cell");
            sheet.write(2, 0, " Søren Ærø ").expect("cell");
            sheet
                .write_datetime_with_format(2, 1, &date, &format)
                .expect("cell");
            sheet.write(3, 0, 12.0).expect("cell");
            sheet.write(3, 2, 1.5).expect("cell");
        });
        let rows = read_bytes(&bytes, "r.xlsx", None).expect("reads");
        assert_eq!(
            rows,
            [
                SheetRow {
                    line: 1,
                    cells: vec!["navn".into(), "dato".into()]
                },
                SheetRow {
                    line: 3,
                    cells: vec!["Søren Ærø".into(), "2027-03-01".into()]
                },
                SheetRow {
                    line: 4,
                    cells: vec!["12".into(), String::new(), "1.5".into()]
                },
            ]
        );
    }

    #[test]
    fn a_sheet_is_found_by_name_and_a_missing_one_names_those_there_are() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet()
            .set_name("Forside")
            .expect("name")
            .write(0, 0, "x")
            .expect("cell");
        book.add_worksheet()
            .set_name("Medarbejdere")
            .expect("name")
            .write(0, 0, "navn")
            .expect("cell");
        let bytes = book.save_to_buffer().expect("saves");
        let rows = read_bytes(&bytes, "r.xlsx", Some("medarbejdere")).expect("reads");
        assert_eq!(rows[0].cells, ["navn"]);
        let err = read_bytes(&bytes, "r.xlsx", Some("Ark1")).expect_err("no such sheet");
        let message = &err.diagnostics()[0].message;
        assert!(message.contains("`Forside`, `Medarbejdere`"), "{message}");
    }

    #[test]
    fn a_cell_far_out_is_refused_before_anything_is_allocated_for_it() {
        let bytes = workbook(|sheet| {
            sheet.write(0, 0, "navn").expect("cell");
            sheet.write(1_048_575, 16_383, "x").expect("cell");
        });
        let err = read_bytes(&bytes, "r.xlsx", None).expect_err("refused");
        assert_eq!(err.diagnostics()[0].place(), "r.xlsx:1048576:16384");
    }

    #[test]
    fn a_part_that_unpacks_past_its_limit_is_refused_whatever_its_header_says() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", options).expect("entry");
        zip.write_all(&[0u8; 4097]).expect("write");
        zip.start_file("xl/styles.xml", options).expect("entry");
        zip.write_all(&[0u8; 4000]).expect("write");
        let bytes = zip.finish().expect("zip").into_inner();
        let (message, _) = check_package(&bytes, 4096, 1 << 20).expect_err("refused");
        assert!(message.contains("xl/workbook.xml"), "{message}");
        let (message, _) = check_package(&bytes, 1 << 20, 8000).expect_err("refused");
        assert!(message.contains("in all"), "{message}");
        assert!(check_package(&bytes, 4097, 8097).is_ok());
    }

    #[test]
    fn old_and_other_spreadsheets_are_refused_with_what_to_do() {
        let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        cfb.extend_from_slice(&[0; 504]);
        let xls = read_bytes(&cfb, "r.xls", None).expect_err("refused");
        assert!(xls.to_string().contains(".xls"), "{xls}");
        cfb.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let encrypted = read_bytes(&cfb, "r.xlsx", None).expect_err("refused");
        assert!(encrypted.to_string().contains("password"), "{encrypted}");
    }
}
