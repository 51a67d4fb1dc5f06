//! A roster: the CSV an HR system exports, or an Excel workbook's sheet
//! (read into rows of strings by [`crate::round::workbook`]), one row per
//! interview. Real CSV files come in UTF-8 with or without BOM, or Excel's
//! Windows-1252, separated by `,` or (Danish Excel) `;`. A sheet's rows go
//! through the same checks as a CSV's records. Every row is checked before
//! anything is written, and every bad row is reported with its line.

mod encoding;
mod previous;
mod round_dates;
mod row;
mod slugs;

use std::path::Path;
use std::sync::Arc;

use crate::error::{Diagnostic, Location, Origin, Result};
use crate::pipeline::config::Spanned;
use crate::round::csv_file::{guess_delimiter, unix_line_ends};
use crate::round::workbook::{self, SheetRow};
use crate::text::Encoding;

use encoding::{RosterText, csv_reader};
pub use previous::LastYear;
use round_dates::BAD_DATE;
pub use round_dates::{RoundDates, date_warnings, sum_up};
pub use row::RosterRow;
pub use slugs::{PersonSlugs, UniqueSlugs, manager_folder, namesake_numbers, slug, unique_slugs};

/// A read roster and what the reader noticed on the way.
#[derive(Debug, Clone)]
pub struct Roster {
    pub file: Arc<str>,
    pub rows: Vec<RosterRow>,
    /// Non-fatal notes: an encoding guessed, unknown columns ignored.
    pub warnings: Vec<String>,
}

/// The columns we read, with their Danish and English names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Manager,
    Unit,
    Date,
    OptionalTopics,
}

fn column(header: &str) -> Option<Column> {
    match header.trim().to_lowercase().as_str() {
        "navn" | "name" => Some(Column::Name),
        "leder" | "manager" => Some(Column::Manager),
        "enhed" | "unit" => Some(Column::Unit),
        "dato" | "date" => Some(Column::Date),
        "tilvalg" | "optional_topics" => Some(Column::OptionalTopics),
        _ => None,
    }
}

impl Roster {
    /// Reads a roster file; `Err` carries every bad row.
    pub fn load(path: &Path) -> Result<Roster> {
        RosterSource::load(path)?.collect()
    }

    /// Reads a roster file, a CSV or a workbook's sheet `sheet` (the first
    /// when `None`); `Err` carries every bad row.
    pub fn load_sheet(path: &Path, sheet: Option<&str>) -> Result<Roster> {
        RosterSource::load_sheet(path, sheet)?.collect()
    }

    /// Parses roster bytes; `file` names it in messages.
    pub fn parse(file: Arc<str>, bytes: &[u8]) -> Result<Roster> {
        RosterSource::parse(file, bytes)?.collect()
    }
}

/// A roster whose file is read once and whose header is checked; its rows
/// are read from the text it holds, a row at a time, by each pass (see
/// [`RosterSource::rows`]), so a run over 100,000 rows holds the text (about
/// 50 bytes a row) but not the rows. Every pass sees the same rows, whatever
/// happens to the file meanwhile.
#[derive(Debug, Clone)]
pub struct RosterSource {
    pub file: Arc<str>,
    text: RosterText,
    delimiter: u8,
    columns: Vec<Option<Column>>,
    /// The header row, for messages.
    headers: Vec<String>,
    /// Non-fatal notes: an encoding guessed, unknown columns ignored.
    pub warnings: Vec<String>,
    /// Last year's forms, and for each row the one it takes (`--previous`).
    last_year: LastYear,
}

impl RosterSource {
    /// Opens a roster file: reads it once to hash it and tell its encoding,
    /// and checks its header. A workbook is read as [`RosterSource::load_sheet`] does.
    pub fn load(path: &Path) -> Result<RosterSource> {
        RosterSource::load_sheet(path, None)
    }

    /// Opens a roster file, a CSV or an Excel workbook (`.xlsx`, known by
    /// its bytes or its name), whose sheet `sheet` (the first when `None`)
    /// is read with the same column rules as a CSV, and checks its header.
    /// An `.xls`, `.ods` or password-protected workbook is refused with
    /// what to do.
    pub fn load_sheet(path: &Path, sheet: Option<&str>) -> Result<RosterSource> {
        let file: Arc<str> = Arc::from(path.display().to_string());
        // A pipe or a device is refused before it is opened, as opening a
        // FIFO could wait forever; a file over the limit before it is read.
        let bytes =
            crate::limits::read_bounded(path, crate::limits::ROSTER_BYTES).map_err(|err| {
                Diagnostic::new(
                    file.to_string(),
                    None,
                    crate::msg!("roster.unreadable", error = crate::messages::io_error(&err)),
                )
                .with_hint(crate::msg!("roster.unreadable.hint"))
                .with_code("unreadable")
            })?;
        // Known by its bytes or its name: a workbook named `.csv` is read
        // as one, not as garbled text.
        if workbook::named_like_workbook(path)
            || workbook::sniff(&bytes) != workbook::FileKind::Text
        {
            let rows = workbook::read_bytes(&bytes, &file, sheet)?;
            return RosterSource::from_sheet(file, rows);
        }
        if sheet.is_some() {
            return Err(Diagnostic::new(
                file.to_string(),
                None,
                crate::msg!("workbook.sheet-for-csv"),
            )
            .with_hint(crate::msg!("workbook.sheet-for-csv.hint"))
            .with_code("workbook")
            .into());
        }
        RosterSource::from_csv(file, bytes)
    }

    /// Reads roster bytes (a CSV, or a workbook's first sheet) and checks
    /// the header; `file` names it in messages.
    pub fn parse(file: Arc<str>, bytes: &[u8]) -> Result<RosterSource> {
        if workbook::sniff(bytes) != workbook::FileKind::Text {
            let rows = workbook::read_bytes(bytes, &file, None)?;
            return RosterSource::from_sheet(file, rows);
        }
        RosterSource::from_csv(file, bytes.to_vec())
    }

    /// A CSV roster: its bytes decoded (see [`crate::text::decode`]), and
    /// its header checked.
    fn from_csv(file: Arc<str>, bytes: Vec<u8>) -> Result<RosterSource> {
        let mut warnings = Vec::new();
        let (text, encoding) = crate::text::decode_owned(bytes).map_err(|line| {
            Diagnostic::new(
                file.to_string(),
                Some(Location { line, column: 1 }),
                crate::msg!("roster.mixed-encoding"),
            )
            .with_hint(crate::msg!("roster.mixed-encoding.hint"))
            .with_code("roster-encoding")
        })?;
        if encoding == Encoding::Windows1252 {
            warnings.push(crate::msg!("roster.windows-1252", file = file));
        }
        let text = Arc::new(unix_line_ends(text));
        let delimiter = guess_delimiter(&text);
        let headers: Vec<String> = csv_reader(&text, delimiter)
            .headers()
            .map_err(|err| {
                Diagnostic::at(
                    &Origin::new(&file, Some(Location { line: 1, column: 1 })),
                    crate::msg!("roster.header-unreadable", error = err),
                )
            })?
            .iter()
            .map(str::to_string)
            .collect();
        let mut source = RosterSource {
            file,
            text: RosterText::Csv(text),
            delimiter,
            columns: Vec::new(),
            headers: Vec::new(),
            warnings,
            last_year: LastYear::default(),
        };
        source.set_header(headers, 1)?;
        Ok(source)
    }

    /// A roster from the rows of a workbook's sheet: the first is the header.
    fn from_sheet(file: Arc<str>, rows: Vec<SheetRow>) -> Result<RosterSource> {
        let (headers, line) = rows
            .first()
            .map_or((Vec::new(), 1), |row| (row.cells.clone(), row.line));
        let mut source = RosterSource {
            file,
            text: RosterText::Sheet(Arc::from(rows)),
            delimiter: b',',
            columns: Vec::new(),
            headers: Vec::new(),
            warnings: Vec::new(),
            last_year: LastYear::default(),
        };
        source.set_header(headers, line)?;
        Ok(source)
    }

    /// Checks the header row (at `line`) and takes its columns: `navn` is
    /// needed, unknown columns are named in one warning, and a column may
    /// not come twice.
    fn set_header(&mut self, headers: Vec<String>, line: usize) -> Result<()> {
        let source = self;
        let at =
            |line: usize, column: usize| Origin::new(&source.file, Some(Location { line, column }));
        let file = &source.file;
        let columns: Vec<Option<Column>> = headers.iter().map(|h| column(h)).collect();
        let unknown: Vec<&str> = headers
            .iter()
            .zip(&columns)
            .filter(|(h, c)| c.is_none() && !h.is_empty())
            .map(|(h, _)| h.as_str())
            .collect();
        if !unknown.is_empty() {
            let names = unknown
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let warning = crate::msg!(
                "roster.unknown-columns",
                file = file,
                columns = names,
                count = unknown.len()
            );
            source.warnings.push(warning);
        }
        if !columns.contains(&Some(Column::Name)) {
            return Err(
                Diagnostic::at(&at(line, 1), crate::msg!("roster.no-name-column"))
                    .with_hint(crate::msg!("roster.no-name-column.hint"))
                    .with_code("roster-no-name")
                    .into(),
            );
        }
        for (i, c) in columns.iter().enumerate() {
            if c.is_some() && columns[..i].contains(c) {
                return Err(Diagnostic::at(
                    &at(line, i + 1),
                    crate::msg!("roster.column-twice", column = &headers[i]),
                )
                .with_hint(crate::msg!("roster.column-twice.hint"))
                .with_code("roster-columns")
                .into());
            }
        }
        source.columns = columns;
        source.headers = headers;
        Ok(())
    }

    /// The rows in file order, each read and checked as it comes: a row, or
    /// every error in it. Blank rows are passed over.
    pub fn rows(
        &self,
    ) -> impl Iterator<Item = std::result::Result<RosterRow, Vec<Diagnostic>>> + '_ {
        let rows: Box<dyn Iterator<Item = _> + '_> = match &self.text {
            // The header is the sheet's first row; a cell right of the
            // header's columns is a note beside the table, not a field.
            RosterText::Sheet(rows) => Box::new(rows.iter().skip(1).filter_map(move |row| {
                let cells: Vec<&str> = row
                    .cells
                    .iter()
                    .take(self.headers.len())
                    .map(String::as_str)
                    .collect();
                self.check_row(row.line, &cells)
            })),
            RosterText::Csv(text) => {
                let mut reader = csv_reader(text, self.delimiter);
                // The header was read when the source was made.
                let _ = reader.headers();
                Box::new(
                    reader
                        .into_records()
                        .filter_map(move |record| self.row(record)),
                )
            }
        };
        rows
    }

    /// Matches each row with last year's form (see [`LastYear`]); returns
    /// the warnings. Rows with errors are passed over: they stop the run
    /// anyway. This holds every row once, so it costs memory a row.
    pub fn match_previous(
        &mut self,
        previous: Vec<crate::round::collect::Form>,
        default_unit: &str,
    ) -> Vec<String> {
        let rows: Vec<RosterRow> = self.rows().filter_map(|r| r.ok()).collect();
        let (last_year, warnings) = LastYear::matched(&rows, previous, default_unit);
        self.last_year = last_year;
        warnings
    }

    /// Last year's goals, as [`RosterSource::match_previous`] matched them.
    pub fn last_year(&self) -> &LastYear {
        &self.last_year
    }

    /// Last year's goals, the roster's text let go: what the forms still
    /// need once every row is planned.
    pub fn into_last_year(self) -> LastYear {
        self.last_year
    }

    /// Every row, or every error of every row; a roster without rows is an error.
    pub fn collect(self) -> Result<Roster> {
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for row in self.rows() {
            match row {
                Ok(row) => rows.push(row),
                Err(row_errors) => errors.extend(row_errors),
            }
        }
        if rows.is_empty() && errors.is_empty() {
            errors.push(self.no_rows());
        }
        if !errors.is_empty() {
            return Err(sum_up(errors).into());
        }
        Ok(Roster {
            file: self.file,
            rows,
            warnings: self.warnings,
        })
    }

    /// The error for a roster with a header and no rows.
    pub fn no_rows(&self) -> Diagnostic {
        Diagnostic::at(
            &Origin::new(&self.file, Some(Location { line: 1, column: 1 })),
            crate::msg!("roster.no-rows"),
        )
        .with_hint(crate::msg!("roster.no-rows.hint"))
        .with_code("roster-empty")
    }

    /// One record as a row, `None` for a blank one.
    fn row(
        &self,
        record: std::result::Result<csv::StringRecord, csv::Error>,
    ) -> Option<std::result::Result<RosterRow, Vec<Diagnostic>>> {
        let file = &self.file;
        let at = |line: usize, column: usize| Origin::new(file, Some(Location { line, column }));
        let mut errors = Vec::new();
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line() as usize);
                errors.push(
                    Diagnostic::at(
                        &at(line, 1),
                        crate::msg!("roster.row-unreadable", error = err),
                    )
                    .with_code("roster-row"),
                );
                return Some(Err(errors));
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = record.iter().collect();
        self.check_row(line, &cells)
    }

    /// One row's cells, read from line `line`, checked: a row, or every
    /// error in it; `None` for a blank one. A CSV's record and a sheet's
    /// row go through here alike.
    fn check_row(
        &self,
        line: usize,
        record: &[&str],
    ) -> Option<std::result::Result<RosterRow, Vec<Diagnostic>>> {
        let file = &self.file;
        let at = |line: usize, column: usize| Origin::new(file, Some(Location { line, column }));
        let columns = &self.columns;
        let mut errors = Vec::new();
        if record.iter().all(|cell| cell.is_empty()) {
            return None;
        }
        let has_topics = columns.contains(&Some(Column::OptionalTopics));
        let mut row = RosterRow {
            line,
            name: String::new(),
            manager: String::new(),
            unit: String::new(),
            date: None,
            optional_topics: has_topics.then(Vec::new),
            previous_goals: Vec::new(),
        };
        for (i, (value, column)) in record.iter().zip(columns).enumerate() {
            let origin = at(line, i + 1);
            // A cell is a name, a unit, a date or a list of topics: one that
            // is megabytes long would make a form `collect` refuses as a bomb.
            if value.len() as u64 > crate::limits::ROSTER_CELL_BYTES {
                errors.push(
                    Diagnostic::at(
                        &origin,
                        crate::msg!(
                            "roster.cell-too-large",
                            line = line,
                            column = self.headers.get(i).map_or("", String::as_str),
                            limit = crate::limits::human(crate::limits::ROSTER_CELL_BYTES)
                        ),
                    )
                    .with_hint(crate::msg!("roster.cell-too-large.hint"))
                    .with_code("roster-row"),
                );
                continue;
            }
            if let Some(ch) = value.chars().find(|c| crate::text::is_xml_invalid(*c)) {
                errors.push(
                    Diagnostic::at(
                        &origin,
                        crate::msg!(
                            "roster.control-character",
                            line = line,
                            code = format!("U+{:04X}", ch as u32)
                        ),
                    )
                    .with_code("roster-row"),
                );
                continue;
            }
            match column {
                Some(Column::Name) => row.name = value.to_string(),
                Some(Column::Manager) => row.manager = value.to_string(),
                Some(Column::Unit) => row.unit = value.to_string(),
                Some(Column::Date) if !value.is_empty() => match crate::dates::parse_date(value) {
                    Some(date) => row.date = Some(date),
                    None => errors.push(
                        Diagnostic::at(
                            &origin,
                            crate::msg!("roster.bad-date", line = line, value = value),
                        )
                        .with_hint(crate::msg!("roster.bad-date.hint"))
                        .with_code(BAD_DATE),
                    ),
                },
                Some(Column::OptionalTopics) => {
                    row.optional_topics = Some(
                        value
                            .split([';', ','])
                            .map(str::trim)
                            .filter(|id| !id.is_empty())
                            .map(|id| Spanned {
                                value: id.to_string(),
                                origin: origin.clone(),
                            })
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        if record.len() > self.headers.len() {
            errors.push(
                Diagnostic::at(
                    &at(line, self.headers.len() + 1),
                    crate::msg!("roster.too-many-fields", line = line),
                )
                .with_hint(crate::msg!("roster.too-many-fields.hint"))
                .with_code("roster-row"),
            );
        }
        if row.name.is_empty() {
            errors.push(
                Diagnostic::at(&at(line, 1), crate::msg!("roster.no-name", line = line))
                    .with_hint(crate::msg!("roster.no-name.hint"))
                    .with_code("roster-row"),
            );
        } else if row.name.contains(['\n', '\r']) {
            errors.push(
                Diagnostic::at(
                    &at(line, 1),
                    crate::msg!("roster.multiline-name", line = line),
                )
                .with_hint(crate::msg!("roster.multiline-name.hint"))
                .with_code("roster-row"),
            );
        }
        for (i, id) in row.optional_topics.iter().flatten().enumerate() {
            if row
                .optional_topics
                .iter()
                .flatten()
                .take(i)
                .any(|other| other.value == id.value)
            {
                errors.push(
                    Diagnostic::at(
                        &id.origin,
                        crate::msg!("roster.topic-twice", line = line, id = id.value),
                    )
                    .with_code("duplicate-id"),
                );
            }
        }
        if errors.is_empty() {
            Some(Ok(row))
        } else {
            Some(Err(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_gives_the_rows_a_roster_holds_and_every_error_of_a_row() {
        let bytes = "navn;dato\nAnna;2027-02-01\n\n;2027-13-01\nBo;\n".as_bytes();
        let source = RosterSource::parse(Arc::from("r.csv"), bytes).expect("header");
        let rows: Vec<_> = source.rows().collect();
        assert_eq!(rows.len(), 3, "the blank line is passed over");
        assert_eq!(rows[0].as_ref().map(|r| r.name.as_str()), Ok("Anna"));
        let errors = rows[1].as_ref().expect_err("no name, bad date");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(rows[2].as_ref().map(|r| r.line), Ok(5));
        // The same rows, held, from Roster.
        let err = Roster::parse(Arc::from("r.csv"), bytes).expect_err("a bad row");
        assert_eq!(err.diagnostics().len(), 2);
    }

    #[test]
    fn semicolons_bom_and_quotes() {
        let bytes = "\u{FEFF}navn;leder;dato;tilvalg\n\"Hansen; Anna\";Bo;2027-02-01;innovation, mobilitet\n".as_bytes();
        let roster = Roster::parse(Arc::from("r.csv"), bytes).expect("parses");
        assert_eq!(roster.rows[0].name, "Hansen; Anna");
        let topics: Vec<_> = roster.rows[0]
            .optional_topics
            .iter()
            .flatten()
            .map(|t| t.value.as_str())
            .collect();
        assert_eq!(topics, ["innovation", "mobilitet"]);
    }

    #[test]
    fn windows_1252_is_decoded_with_a_warning() {
        let bytes = b"navn,enhed\nS\xf8ren \xc6bel\xf8,\xd8konomi\n";
        let roster = Roster::parse(Arc::from("r.csv"), bytes).expect("parses");
        assert_eq!(roster.rows[0].name, "Søren Æbelø");
        assert_eq!(roster.rows[0].unit, "Økonomi");
        assert!(roster.warnings[0].contains("Windows-1252"));
    }

    #[test]
    fn a_utf16_roster_is_read_with_or_without_its_byte_order_mark() {
        let text = "navn\tenhed\r\nAnna Ødegård\tIT\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [
            [&[0xFF, 0xFE][..], &le].concat(),
            le.clone(),
            [&[0xFE, 0xFF][..], &be].concat(),
            be,
        ] {
            let roster = Roster::parse(Arc::from("r.csv"), &bytes).expect("parses");
            assert_eq!(roster.rows.len(), 1);
            assert_eq!(roster.rows[0].name, "Anna Ødegård");
            assert_eq!(roster.rows[0].unit, "IT");
            assert_eq!(roster.rows[0].line, 2);
        }
    }

    #[test]
    fn a_cell_over_the_limit_is_an_error_of_its_row() {
        let long = "x".repeat(crate::limits::ROSTER_CELL_BYTES as usize + 1);
        let bytes = format!("navn,enhed\nAnna,IT\nBo,{long}\n");
        let err = Roster::parse(Arc::from("r.csv"), bytes.as_bytes())
            .expect_err("refused")
            .to_string();
        assert!(
            err.contains("r.csv:3:2") && err.contains("`enhed`"),
            "{err}"
        );
        let fits = format!("navn,enhed\nBo,{}\n", &long[1..]);
        assert!(Roster::parse(Arc::from("r.csv"), fits.as_bytes()).is_ok());
    }

    #[test]
    fn a_roster_with_old_mac_line_ends_counts_its_lines_right() {
        let bytes = b"navn;enhed\rAnna;IT\rBo;\"HR\rsyd\"\rCarl;\r";
        let roster = Roster::parse(Arc::from("r.csv"), bytes).expect("parses");
        let lines: Vec<usize> = roster.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5]);
    }

    #[test]
    fn a_crlf_roster_counts_its_lines_right() {
        let bytes = b"navn;enhed\r\nAnna;IT\r\n\"Bo\";\"HR\r\nsyd\"\r\nCarl;\r\n";
        let roster = Roster::parse(Arc::from("r.csv"), bytes).expect("parses");
        let lines: Vec<usize> = roster.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert_eq!(roster.rows[1].unit, "HR\nsyd");
    }

    #[test]
    fn a_roster_is_read_from_its_file_once_and_every_pass_sees_those_rows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("liste.csv");
        std::fs::write(&path, "navn\nAnna\nBo\n").expect("write");
        let source = RosterSource::load(&path).expect("header");
        let names = |source: &RosterSource| -> Vec<String> {
            source.rows().map(|r| r.expect("row").name).collect()
        };
        assert_eq!(names(&source), ["Anna", "Bo"]);
        // Changed or gone after the read, the file is not read again.
        std::fs::write(&path, "navn\nAnna\nCarl\n").expect("write");
        assert_eq!(names(&source), ["Anna", "Bo"]);
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(names(&source), ["Anna", "Bo"]);
    }

    #[test]
    fn a_roster_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("liste.csv");
        let file = std::fs::File::create(&path).expect("create");
        file.set_len(crate::limits::ROSTER_BYTES + 1)
            .expect("sparse file");
        let err = RosterSource::load(&path).expect_err("too big");
        assert!(err.to_string().contains("limit"), "{err}");
    }

    #[test]
    fn a_bom_then_windows_1252_is_read_as_windows_1252() {
        let bom_then_1252 = b"\xef\xbb\xbfnavn\nS\xf8ren\n";
        let roster = Roster::parse(Arc::from("r.csv"), bom_then_1252).expect("parses");
        assert_eq!(roster.rows[0].name, "Søren");
    }

    #[test]
    fn a_roster_that_turns_from_utf8_to_another_encoding_names_the_line() {
        let mixed = b"navn\nS\xc3\xb8ren\nAse\n\xd8jvind\n";
        let err = Roster::parse(Arc::from("r.csv"), mixed).expect_err("mixed");
        assert_eq!(err.diagnostics()[0].code, "roster-encoding");
        assert!(err.to_string().contains("r.csv:4:1"), "{err}");
    }

    #[test]
    fn last_year_s_goals_go_to_the_one_person_they_belong_to() {
        use crate::round::collect::{Form, Goal};
        let form = |name: &str, unit: &str, goal: &str| Form {
            kind: crate::form::FormKind::Samtale,
            file: format!("{name}.docx"),
            employee: name.into(),
            manager: String::new(),
            unit: unit.into(),
            date: String::new(),
            held: String::new(),
            id: String::new(),
            goals: vec![Goal {
                goal: goal.into(),
                ..Goal::default()
            }],
        };
        let bytes = "navn;enhed\nAnna;IT\nBo;IT\nBo;HR\nCarl;IT\n".as_bytes();
        let mut source = RosterSource::parse(Arc::from("r.csv"), bytes).expect("header");
        let warnings = source.match_previous(
            vec![
                form("anna", "IT", "Python"),
                form("Bo", "HR", "Ledelse"),
                form("Dorte", "IT", "Excel"),
            ],
            "",
        );
        assert_eq!(source.last_year().goals(0), ["Python"]);
        // Two Bo's: only the one in the same unit gets the goals.
        assert!(source.last_year().goals(1).is_empty());
        assert_eq!(source.last_year().goals(2), ["Ledelse"]);
        assert!(source.last_year().goals(3).is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("Dorte"));
    }
}
