//! A roster: the CSV an HR system exports, or an Excel workbook's sheet
//! (read into rows of strings by [`crate::round::workbook`]), one row per
//! interview. Real CSV files come in UTF-8 with or without BOM, or Excel's
//! Windows-1252, separated by `,` or (Danish Excel) `;`. A sheet's rows go
//! through the same checks as a CSV's records. Every row is checked before
//! anything is written, and every bad row is reported with its line.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::error::{Diagnostic, Location, Origin, Result};
use crate::form::InfoValues;
use crate::pipeline::catalogue::{Catalogue, TopicKind};
use crate::pipeline::config::{Config, Spanned};
use crate::round::csv_file::guess_delimiter;
use crate::round::workbook::{self, SheetRow};

/// One person's interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The line in the file where the row starts (the header is line 1).
    pub line: usize,
    pub name: String,
    pub manager: String,
    pub unit: String,
    pub date: Option<NaiveDate>,
    /// When the roster has a `tilvalg` column: this person's optional topics,
    /// replacing the config's (the ordering rule still holds).
    pub optional_topics: Option<Vec<Spanned<String>>>,
    /// Last year's agreed goals, when `--previous` matched this person.
    pub previous_goals: Vec<String>,
}

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

/// A roster file whose header is checked and whose rows are not yet read:
/// each pass reads them from the file again, a row at a time, so a run over
/// 100,000 rows holds neither the rows nor the text (see
/// [`RosterSource::rows`]). A pass that finds the file changed since the
/// first read stops with an error, so every pass sees the same rows.
#[derive(Debug, Clone)]
pub struct RosterSource {
    pub file: Arc<str>,
    bytes: RosterBytes,
    encoding: RosterEncoding,
    /// The bytes start with a byte order mark, which is skipped.
    bom: bool,
    delimiter: u8,
    columns: Vec<Option<Column>>,
    /// The header row, for messages.
    headers: Vec<String>,
    /// Non-fatal notes: an encoding guessed, unknown columns ignored.
    pub warnings: Vec<String>,
    /// Last year's forms, and for each row the one it takes (`--previous`).
    previous: Option<(Vec<crate::round::collect::Form>, Vec<Option<u32>>)>,
}

/// Where a roster's bytes are read from, once per pass.
#[derive(Debug, Clone)]
enum RosterBytes {
    /// A regular file, and the hash of what the first read found in it.
    File { path: PathBuf, hash: blake3::Hash },
    /// Bytes in memory: a roster given as bytes (a pipe or a device is
    /// refused, not read: see [`crate::limits::open_regular`]).
    Memory(Arc<[u8]>),
    /// The rows of a workbook's sheet, read once (the header first): a
    /// workbook is unpacked and read whole, so it is held, not read again.
    Sheet(Arc<[SheetRow]>),
}

/// How a roster's bytes are decoded, decided by reading all of them once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RosterEncoding {
    Utf8,
    /// Excel's "CSV" export on a Danish Windows.
    Windows1252,
    /// Excel's "Unicode Text" export (little-endian), and its big-endian twin.
    Utf16Le,
    Utf16Be,
}

impl RosterEncoding {
    /// The length of this encoding's byte order mark.
    fn bom_len(self) -> usize {
        match self {
            RosterEncoding::Utf16Le | RosterEncoding::Utf16Be => 2,
            RosterEncoding::Utf8 | RosterEncoding::Windows1252 => BOM.len(),
        }
    }
}

/// What a first read of a roster's bytes found.
struct Sniffed {
    hash: blake3::Hash,
    /// Whether the bytes start with a byte order mark (left out when read):
    /// UTF-8's, or UTF-16's for a UTF-16 roster.
    bom: bool,
    /// The encoding, or the line where UTF-8 gives way to something else.
    encoding: std::result::Result<RosterEncoding, usize>,
}

/// A UTF-8 byte order mark.
const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Reads `bytes` through once: their hash, and whether they are UTF-8 (a
/// BOM is allowed), or else Windows-1252 as Excel exports it. A file that
/// is UTF-8 in part and something else from a line on is refused: either
/// reading would garble some names.
fn sniff(mut bytes: impl Read) -> std::io::Result<Sniffed> {
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0u8; 64 * 1024];
    // Bytes of a character cut by the end of the last chunk.
    let mut carry: Vec<u8> = Vec::new();
    // A byte order mark is no sign of UTF-8 text (Excel puts one before either).
    let mut start = [0u8; 3];
    let mut got = 0;
    while got < start.len() {
        match bytes.read(&mut start[got..])? {
            0 => break,
            read => got += read,
        }
    }
    hasher.update(&start[..got]);
    // UTF-16, by its byte order mark or by the zero byte beside the first
    // letter of the header (a header starts with a letter, not a zero).
    let utf16 = match start[..got.min(2)] {
        [0xFF, 0xFE] => Some((RosterEncoding::Utf16Le, true)),
        [0xFE, 0xFF] => Some((RosterEncoding::Utf16Be, true)),
        [first, 0] if first != 0 => Some((RosterEncoding::Utf16Le, false)),
        [0, second] if second != 0 => Some((RosterEncoding::Utf16Be, false)),
        _ => None,
    };
    if let Some((encoding, bom)) = utf16 {
        std::io::copy(&mut bytes, &mut hasher)?;
        return Ok(Sniffed {
            hash: hasher.finalize(),
            bom,
            encoding: Ok(encoding),
        });
    }
    let bom = start[..got] == BOM;
    if !bom {
        carry.extend_from_slice(&start[..got]);
    }
    let (mut ascii, mut lines, mut invalid_at) = (true, 1usize, None);
    loop {
        let read = bytes.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        if invalid_at.is_some() {
            continue;
        }
        let mut chunk = std::mem::take(&mut carry);
        chunk.extend_from_slice(&buffer[..read]);
        let (valid, rest) = match std::str::from_utf8(&chunk) {
            Ok(_) => (chunk.len(), 0),
            Err(err) if err.error_len().is_none() => (err.valid_up_to(), 1),
            Err(err) => (err.valid_up_to(), 2),
        };
        ascii &= chunk[..valid].is_ascii();
        lines += chunk[..valid].iter().filter(|b| **b == b'\n').count();
        match rest {
            1 => carry = chunk[valid..].to_vec(),
            2 => invalid_at = Some(lines),
            _ => {}
        }
    }
    if invalid_at.is_none() && !carry.is_empty() {
        // What is left may be whole characters that the last chunk did not see.
        match std::str::from_utf8(&carry) {
            Ok(rest) => ascii &= rest.is_ascii(),
            Err(_) => invalid_at = Some(lines),
        }
    }
    let encoding = match invalid_at {
        None => Ok(RosterEncoding::Utf8),
        // The same bytes as ASCII so far, so nothing read before changes.
        Some(_) if ascii => Ok(RosterEncoding::Windows1252),
        Some(line) => Err(line),
    };
    Ok(Sniffed {
        hash: hasher.finalize(),
        bom,
        encoding,
    })
}

/// Reads a roster file again for a pass: at its end, the hash of what was
/// read must be the first read's, or the pass ends with an error. An error
/// is returned once; after it the reader is at its end, so the CSV reader
/// stops.
struct CheckedRead<R> {
    inner: R,
    hasher: blake3::Hasher,
    expected: blake3::Hash,
    done: bool,
}

/// The error a pass ends with when the roster changed since the first read.
const CHANGED: &str = "the roster changed while mus read it";

impl<R: Read> Read for CheckedRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Ok(0) => {
                self.done = true;
                if self.hasher.finalize() == self.expected {
                    Ok(0)
                } else {
                    Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        CHANGED,
                    ))
                }
            }
            Ok(read) => {
                self.hasher.update(&buf[..read]);
                Ok(read)
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => Err(err),
            Err(err) => {
                self.done = true;
                Err(err)
            }
        }
    }
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
        if workbook::named_like_workbook(path) || starts_like_workbook(path) {
            let rows = workbook::read_path(path, crate::limits::ROSTER_BYTES, sheet)?;
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
        let unreadable = |err: std::io::Error| {
            Diagnostic::new(
                file.to_string(),
                None,
                crate::msg!("roster.unreadable", error = crate::messages::io_error(&err)),
            )
            .with_hint(crate::msg!("roster.unreadable.hint"))
            .with_code("unreadable")
        };
        let limit = crate::limits::ROSTER_BYTES;
        // A pipe or a device is refused before it is opened: it is read
        // more than once, and opening a FIFO could wait forever.
        let opened = crate::limits::open_regular(path).map_err(unreadable)?;
        let meta = opened.metadata().map_err(unreadable)?;
        if meta.len() > limit {
            return Err(unreadable(crate::limits::too_big(limit)).into());
        }
        let mut counted = opened.take(limit + 1);
        let sniffed = sniff(&mut counted).map_err(unreadable)?;
        if counted.limit() == 0 {
            return Err(unreadable(crate::limits::too_big(limit)).into());
        }
        let bytes = RosterBytes::File {
            path: path.to_path_buf(),
            hash: sniffed.hash,
        };
        RosterSource::open(file, bytes, sniffed)
    }

    /// Reads roster bytes (a CSV, or a workbook's first sheet) and checks
    /// the header; `file` names it in messages.
    pub fn parse(file: Arc<str>, bytes: &[u8]) -> Result<RosterSource> {
        if workbook::sniff(bytes) != workbook::FileKind::Text {
            let rows = workbook::read_bytes(bytes, &file, None)?;
            return RosterSource::from_sheet(file, rows);
        }
        let sniffed = sniff(bytes).map_err(|err| {
            Diagnostic::new(
                file.to_string(),
                None,
                crate::msg!("roster.unreadable", error = crate::messages::io_error(&err)),
            )
        })?;
        RosterSource::open(file, RosterBytes::Memory(Arc::from(bytes)), sniffed)
    }

    /// Checks the header of a roster whose bytes were sniffed.
    fn open(file: Arc<str>, bytes: RosterBytes, sniffed: Sniffed) -> Result<RosterSource> {
        let mut warnings = Vec::new();
        let encoding = sniffed.encoding.map_err(|line| {
            Diagnostic::new(
                file.to_string(),
                Some(Location { line, column: 1 }),
                crate::msg!("roster.mixed-encoding"),
            )
            .with_hint(crate::msg!("roster.mixed-encoding.hint"))
            .with_code("roster-encoding")
        })?;
        if encoding == RosterEncoding::Windows1252 {
            warnings.push(crate::msg!("roster.windows-1252", file = file));
        }
        let mut source = RosterSource {
            file,
            bytes,
            encoding,
            bom: sniffed.bom,
            delimiter: b',',
            columns: Vec::new(),
            headers: Vec::new(),
            warnings,
            previous: None,
        };
        let at =
            |line: usize, column: usize| Origin::new(&source.file, Some(Location { line, column }));
        let mut first_line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(source.decoded()),
            &mut first_line,
        )
        .map_err(|err| {
            Diagnostic::at(
                &at(1, 1),
                crate::msg!("roster.header-unreadable", error = err),
            )
        })?;
        let delimiter = guess_delimiter(&first_line);
        let headers: Vec<String> = csv_reader(source.decoded(), delimiter)
            .headers()
            .map_err(|err| {
                Diagnostic::at(
                    &at(1, 1),
                    crate::msg!("roster.header-unreadable", error = err),
                )
            })?
            .iter()
            .map(str::to_string)
            .collect();
        source.delimiter = delimiter;
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
            bytes: RosterBytes::Sheet(Arc::from(rows)),
            encoding: RosterEncoding::Utf8,
            bom: false,
            delimiter: b',',
            columns: Vec::new(),
            headers: Vec::new(),
            warnings: Vec::new(),
            previous: None,
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

    /// The roster's text from the start, decoded to UTF-8 as it is read;
    /// a file is checked against the first read's hash at its end.
    fn decoded(&self) -> Box<dyn Read + Send + '_> {
        let mut raw: Box<dyn Read + Send + '_> = match &self.bytes {
            RosterBytes::Memory(bytes) => Box::new(&bytes[..]),
            RosterBytes::Sheet(_) => Box::new(std::io::empty()),
            RosterBytes::File { path, hash } => match crate::limits::open_regular(path) {
                Ok(file) => Box::new(CheckedRead {
                    inner: std::io::BufReader::with_capacity(64 * 1024, file)
                        .take(crate::limits::ROSTER_BYTES + 1),
                    hasher: blake3::Hasher::new(),
                    expected: *hash,
                    done: false,
                }),
                Err(err) => Box::new(FailedRead(Some(err))),
            },
        };
        if self.bom
            && let Err(err) = raw.read_exact(&mut [0u8; BOM.len()][..self.encoding.bom_len()])
        {
            raw = Box::new(FailedRead(Some(err)));
        }
        let encoding = match self.encoding {
            RosterEncoding::Utf8 => encoding_rs::UTF_8,
            RosterEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
            RosterEncoding::Utf16Le => encoding_rs::UTF_16LE,
            RosterEncoding::Utf16Be => encoding_rs::UTF_16BE,
        };
        Box::new(UnixLineEnds::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_sniffing(false)
                .utf8_passthru(true)
                .build(raw),
        ))
    }

    /// Matches each row with last year's form (see [`choose_previous`]);
    /// returns the warnings. Rows with errors are passed over: they stop the
    /// run anyway. This holds every name once, so it costs memory a row.
    pub fn match_previous(
        &mut self,
        previous: Vec<crate::round::collect::Form>,
        default_unit: &str,
    ) -> Vec<String> {
        let rows: Vec<RosterRow> = self.rows().filter_map(|r| r.ok()).collect();
        let (chosen, warnings) = choose_previous(|| rows.iter(), &previous, default_unit);
        self.previous = Some((previous, chosen));
        warnings
    }

    /// Whether the `index`-th row (as for [`RosterSource::previous_goals`])
    /// has last year's goals.
    pub fn has_previous_goals(&self, index: usize) -> bool {
        match &self.previous {
            Some((forms, chosen)) => chosen
                .get(index)
                .copied()
                .flatten()
                .is_some_and(|i| forms[i as usize].goals.iter().any(|g| !g.goal.is_empty())),
            None => false,
        }
    }

    /// Last year's goals for the `index`-th row (counting rows without
    /// errors, in order), when `--previous` matched it.
    pub fn previous_goals(&self, index: usize) -> Vec<String> {
        match &self.previous {
            Some((forms, chosen)) => chosen
                .get(index)
                .copied()
                .flatten()
                .map(|i| goals_of(&forms[i as usize]))
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// Last year's goals for the `index`-th row as the rows of the form's
    /// table: the goal, its status from last year's follow-up in
    /// `language`'s words, and what helped (see [`crate::form::CELL_SEPARATOR`]).
    pub fn previous_goal_rows(
        &self,
        index: usize,
        language: crate::language::Language,
    ) -> Vec<String> {
        let Some((forms, chosen)) = &self.previous else {
            return Vec::new();
        };
        let Some(form) = chosen
            .get(index)
            .copied()
            .flatten()
            .map(|i| &forms[i as usize])
        else {
            return Vec::new();
        };
        let words = language.labels();
        form.goals
            .iter()
            .filter(|g| !g.goal.is_empty())
            .map(|g| {
                [
                    g.goal.as_str(),
                    crate::form::Status::word(g.status, words),
                    g.helped.as_str(),
                ]
                .join(&crate::form::CELL_SEPARATOR.to_string())
            })
            .collect()
    }

    /// The rows in file order, each read and checked as it comes: a row, or
    /// every error in it. Blank rows are passed over.
    pub fn rows(
        &self,
    ) -> impl Iterator<Item = std::result::Result<RosterRow, Vec<Diagnostic>>> + '_ {
        let sheet_rows: Box<dyn Iterator<Item = _> + '_> = match &self.bytes {
            // The header is the sheet's first row; a cell right of the
            // header's columns is a note beside the table, not a field.
            RosterBytes::Sheet(rows) => Box::new(rows.iter().skip(1).filter_map(move |row| {
                let cells: Vec<&str> = row
                    .cells
                    .iter()
                    .take(self.headers.len())
                    .map(String::as_str)
                    .collect();
                self.check_row(row.line, &cells)
            })),
            _ => Box::new(std::iter::empty()),
        };
        let csv_rows = (!matches!(self.bytes, RosterBytes::Sheet(_))).then(|| {
            let mut reader = csv_reader(self.decoded(), self.delimiter);
            // The header was read when the source was made.
            let _ = reader.headers();
            reader
                .into_records()
                .filter_map(move |record| self.row(record))
        });
        sheet_rows.chain(csv_rows.into_iter().flatten())
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
                let changed =
                    matches!(err.kind(), csv::ErrorKind::Io(io) if io.to_string() == CHANGED);
                errors.push(if changed {
                    Diagnostic::new(file.to_string(), None, crate::msg!("roster.changed"))
                        .with_hint(crate::msg!("roster.changed.hint"))
                        .with_code("roster-changed")
                } else {
                    Diagnostic::at(
                        &at(line, 1),
                        crate::msg!("roster.row-unreadable", error = err),
                    )
                    .with_code("roster-row")
                });
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

/// The code of a row's date that is no date: many such rows are listed
/// without the hint each, and summed up with it once (see [`sum_up`]).
const BAD_DATE: &str = "roster-date";

/// Every row's errors, and when more than one row has a date that is no
/// date, one line after them that says how many and how to write a date,
/// so 25 rows exported with the wrong format give 25 lines and the advice once.
pub fn sum_up(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let bad_dates = errors.iter().filter(|d| d.code == BAD_DATE).count();
    if bad_dates < 2 {
        return errors;
    }
    let file = errors
        .iter()
        .find(|d| d.code == BAD_DATE)
        .map(|d| d.file.clone())
        .unwrap_or_default();
    for error in errors.iter_mut().filter(|d| d.code == BAD_DATE) {
        error.hint = None;
    }
    errors.push(
        Diagnostic::new(
            file,
            None,
            crate::msg!("roster.bad-dates", count = bad_dates),
        )
        .with_hint(crate::msg!("roster.bad-date.hint"))
        .with_code(BAD_DATE),
    );
    errors
}

/// The dates of a round that a roster's dates should fall within: its
/// year, and the interview period when the config sets one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundDates {
    pub year: i32,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl RoundDates {
    /// The round's dates as a config gives them.
    pub fn of(config: &Config) -> RoundDates {
        RoundDates {
            year: config.year.value,
            from: config.schedule.interviews_from.as_ref().map(|s| s.value),
            to: config.schedule.interviews_to.as_ref().map(|s| s.value),
        }
    }

    /// Why `row`'s date does not belong to this round, if it does not.
    fn outside(&self, row: &RosterRow) -> Option<String> {
        use chrono::Datelike;
        let (date, line) = (row.date?, row.line);
        if date.year() != self.year {
            return Some(crate::msg!(
                "roster.date-other-year",
                line = line,
                date = date,
                year = self.year
            ));
        }
        if let Some(from) = self.from.filter(|from| date < *from) {
            return Some(crate::msg!(
                "roster.date-before",
                line = line,
                date = date,
                from = from
            ));
        }
        if let Some(to) = self.to.filter(|to| date > *to) {
            return Some(crate::msg!(
                "roster.date-after",
                line = line,
                date = date,
                to = to
            ));
        }
        None
    }
}

/// A warning for every row whose date lies outside the round (another
/// year, or before or after the interview period), naming the row; when
/// there are several, one line after them says how many. Such a date is
/// printed on the form as it is: it may be a typo, or an interview moved.
/// The rows are looked at as they come and not kept.
pub fn date_warnings(
    file: &str,
    rows: impl IntoIterator<Item = RosterRow>,
    round: &RoundDates,
) -> Vec<String> {
    let mut warnings: Vec<String> = rows
        .into_iter()
        .filter_map(|row| Some(format!("{file}:{}: {}", row.line, round.outside(&row)?)))
        .collect();
    if warnings.len() > 1 {
        warnings.push(crate::msg!(
            "roster.dates-outside",
            file = file,
            count = warnings.len(),
            year = round.year
        ));
    }
    warnings
}

/// Text with Windows line ends (`\r\n`, as Excel writes them) and old
/// Mac ones (a lone `\r`) made `\n` as it is read: the csv crate counts
/// only `\n` lines, so a row's line would be wrong.
struct UnixLineEnds<R> {
    inner: R,
    buffer: Box<[u8]>,
    /// The part of `buffer` not yet handed out.
    start: usize,
    end: usize,
    /// A `\r` that ended the last read from `inner`, not yet known to start a `\r\n`.
    pending_cr: bool,
}

impl<R: Read> UnixLineEnds<R> {
    fn new(inner: R) -> Self {
        UnixLineEnds {
            inner,
            buffer: vec![0u8; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            pending_cr: false,
        }
    }

    /// Reads on from `inner` until there is something to hand out or the end.
    fn refill(&mut self) -> std::io::Result<()> {
        loop {
            let held = usize::from(self.pending_cr);
            self.buffer[0] = b'\r';
            let read = self.inner.read(&mut self.buffer[held..])?;
            let end = held + read;
            self.pending_cr = false;
            if read == 0 {
                // A `\r` at the very end is a line end of its own.
                self.buffer[0] = b'\n';
                (self.start, self.end) = (0, held);
                return Ok(());
            }
            let ends_with_cr = self.buffer[end - 1] == b'\r';
            let mut kept = 0;
            for i in 0..end {
                let byte = self.buffer[i];
                if byte == b'\r' && i + 1 < end && self.buffer[i + 1] == b'\n' {
                    continue;
                }
                self.buffer[kept] = if byte == b'\r' { b'\n' } else { byte };
                kept += 1;
            }
            if ends_with_cr {
                self.pending_cr = true;
                kept -= 1;
            }
            if kept > 0 {
                (self.start, self.end) = (0, kept);
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for UnixLineEnds<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.start == self.end && !out.is_empty() {
            self.refill()?;
        }
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buffer[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Whether the file at `path` starts like a workbook (a zip package or a
/// compound file), whatever its name: a workbook named `.csv` is read as
/// one, not as garbled text. A file that cannot be read is left to the
/// CSV reader, which says why.
fn starts_like_workbook(path: &Path) -> bool {
    let mut start = [0u8; 8];
    let read = crate::limits::open_regular(path).and_then(|mut file| {
        let mut got = 0;
        while got < start.len() {
            match file.read(&mut start[got..])? {
                0 => break,
                n => got += n,
            }
        }
        Ok(got)
    });
    read.is_ok_and(|got| workbook::sniff(&start[..got]) != workbook::FileKind::Text)
}

/// A reader whose first read fails: a roster file that can no longer be opened.
struct FailedRead(Option<std::io::Error>);

impl Read for FailedRead {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

/// A CSV reader over roster text, as every pass reads it.
fn csv_reader<R: Read>(text: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text)
}

impl RosterRow {
    /// The config for this person: their optional topics, when the roster
    /// names them, replace the config's; `order` and `extra_questions` then
    /// skip the optional topics this person did not choose.
    pub fn config(&self, config: &Config, catalogue: &Catalogue) -> Config {
        let Some(topics) = &self.optional_topics else {
            return config.clone();
        };
        let unchosen = |id: &str| {
            catalogue
                .get(id)
                .is_some_and(|t| t.kind == TopicKind::Optional)
                && !topics.iter().any(|t| t.value == id)
        };
        let mut config = config.clone();
        config.optional_topics = topics.clone();
        if let Some(order) = &mut config.order {
            order.retain(|id| !unchosen(&id.value));
        }
        config
            .extra_questions
            .retain(|(id, _)| !unchosen(&id.value));
        config
    }

    /// What this person's form shows in its info block.
    pub fn info(&self, config: &Config) -> InfoValues {
        InfoValues {
            employee: self.name.clone(),
            manager: self.manager.clone(),
            unit: if self.unit.is_empty() {
                config.unit.clone().unwrap_or_default()
            } else {
                self.unit.clone()
            },
            date: self
                .date
                .map(|d| config.language.date(d))
                .unwrap_or_default(),
            id: String::new(),
        }
    }
}

/// The goals of last year's form that a row takes.
fn goals_of(form: &crate::round::collect::Form) -> Vec<String> {
    form.goals
        .iter()
        .map(|g| g.goal.clone())
        .filter(|g| !g.is_empty())
        .collect()
}

/// Last year's goals for each row, matched by employee name (and by unit
/// where a name occurs more than once): for each row (in order; `rows` is
/// walked twice), the index of last year's form it takes, if any; and the
/// warnings: namesakes that cannot be
/// told apart, and forms with goals that no row took.
fn choose_previous<'r, I: Iterator<Item = &'r RosterRow>>(
    rows: impl Fn() -> I,
    previous: &[crate::round::collect::Form],
    default_unit: &str,
) -> (Vec<Option<u32>>, Vec<String>) {
    let key = |text: &str| text.trim().to_lowercase();
    let unit_of = |row: &RosterRow| {
        if row.unit.trim().is_empty() {
            key(default_unit)
        } else {
            key(&row.unit)
        }
    };
    // Indexes by name and by name and unit, so matching is linear in the
    // rows and forms, however many namesakes there are.
    let mut forms_by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let mut forms_by_name_unit: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, form) in previous.iter().enumerate() {
        let name = key(&form.employee);
        forms_by_name_unit
            .entry((name.clone(), key(&form.unit)))
            .or_default()
            .push(i);
        forms_by_name.entry(name).or_default().push(i);
    }
    let mut rows_by_name: HashMap<String, usize> = HashMap::new();
    let mut rows_by_name_unit: HashMap<(String, String), usize> = HashMap::new();
    for row in rows() {
        *rows_by_name.entry(key(&row.name)).or_default() += 1;
        *rows_by_name_unit
            .entry((key(&row.name), unit_of(row)))
            .or_default() += 1;
    }
    let mut used = vec![false; previous.len()];
    let mut warnings = Vec::new();
    let mut chosen_for_rows = Vec::new();
    for row in rows() {
        let name = key(&row.name);
        let forms = forms_by_name.get(&name).map_or(&[][..], Vec::as_slice);
        let namesakes = rows_by_name.get(&name).copied().unwrap_or(0);
        // A person's goals are private: a name that occurs more than once, on
        // either side, must match on the unit too, and each form is used once.
        let chosen = if forms.len() == 1 && namesakes == 1 {
            Some(forms[0])
        } else {
            let name_unit = (name, unit_of(row));
            let same_unit = forms_by_name_unit
                .get(&name_unit)
                .map_or(&[][..], Vec::as_slice);
            let rows_in_unit = rows_by_name_unit.get(&name_unit).copied().unwrap_or(0);
            match (same_unit, rows_in_unit) {
                ([one], 1) => Some(*one),
                ([], _) => None,
                _ => {
                    warnings.push(crate::msg!("roster.namesakes", name = row.name));
                    None
                }
            }
        };
        let chosen = chosen.filter(|&i| !used[i]);
        if let Some(i) = chosen {
            used[i] = true;
        }
        chosen_for_rows.push(chosen.map(|i| i as u32));
    }
    warnings.sort();
    warnings.dedup();
    let unmatched = previous
        .iter()
        .zip(&used)
        .filter(|(form, used)| !**used && !form.goals.is_empty())
        .map(|(form, _)| {
            let unit = if form.unit.is_empty() {
                String::new()
            } else {
                format!(" ({})", form.unit)
            };
            crate::msg!(
                "roster.previous-unmatched",
                name = form.employee,
                unit = unit
            )
        });
    (chosen_for_rows, unmatched.chain(warnings).collect())
}

/// A file-name part for a person: ASCII, lowercase, `-` for spaces, never
/// empty and never a path. Danish letters become ae, oe, aa.
pub fn slug(name: &str) -> String {
    let danish: String = name
        .chars()
        .map(|c| match c {
            'æ' => "ae".to_string(),
            'Æ' => "Ae".to_string(),
            'ø' => "oe".to_string(),
            'Ø' => "Oe".to_string(),
            'å' => "aa".to_string(),
            'Å' => "Aa".to_string(),
            other => other.to_string(),
        })
        .collect();
    let ascii = deunicode::deunicode(&danish).to_lowercase();
    let mut slug = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    // Long enough to tell people apart, short enough for any file system.
    let mut slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "uden-navn".to_string()
    } else {
        slug
    }
}

/// File-name slugs for people that do not depend on the roster's order:
/// a name met once is its slug (`anna-berg`); namesakes get their unit
/// (`anna-berg-it`, `anna-berg-hr`), and namesakes in one unit also their
/// manager. Only people alike in name, unit and manager are numbered in
/// roster order (`-2`). So re-sorting a roster never gives one person's
/// form to another.
#[derive(Debug, Default)]
pub struct PersonSlugs {
    names: HashMap<String, usize>,
    in_unit: HashMap<(String, String), usize>,
    slugs: UniqueSlugs,
}

impl PersonSlugs {
    /// Counts the people of a roster, `(name, unit)` each, before any slug is made.
    pub fn new<'a>(people: impl IntoIterator<Item = (&'a str, &'a str)>) -> PersonSlugs {
        let mut counts = PersonSlugs::default();
        for (name, unit) in people {
            *counts.names.entry(slug(name)).or_default() += 1;
            *counts.in_unit.entry((slug(name), slug(unit))).or_default() += 1;
        }
        counts
    }

    /// The slug of the next person.
    pub fn next(&mut self, name: &str, unit: &str, manager: &str) -> String {
        let base = slug(name);
        let of_name = self.names.get(&base).copied().unwrap_or(0);
        let of_unit = self
            .in_unit
            .get(&(base.clone(), slug(unit)))
            .copied()
            .unwrap_or(0);
        let person = match (of_name, of_unit) {
            (0..=1, _) => name.to_string(),
            (_, 0..=1) => format!("{name} {unit}"),
            _ => format!("{name} {unit} {manager}"),
        };
        self.slugs.next(&person)
    }
}

/// Slugs for all names, made unique in roster order with `-2`, `-3` ….
pub fn unique_slugs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut slugs = UniqueSlugs::default();
    names.into_iter().map(|name| slugs.next(name)).collect()
}

/// Hands out slugs unique in the order asked: `anna`, `anna-2`, `anna-3`.
/// It keeps a 64-bit hash of each slug handed out rather than the slug,
/// and a counter only for the bases that came more than once, so a roster
/// of 100,000 people costs about a megabyte, and the same names always get
/// the same slugs. (Two of 100,000 slugs share a key with a chance of about
/// 3 in 10^10; the only harm would be a `-2` on a name that has no namesake.)
#[derive(Debug, Default)]
pub struct UniqueSlugs {
    taken: std::collections::HashSet<u64>,
    /// The last number tried for each base used more than once: a thousand
    /// namesakes cost a thousand steps, not half a million.
    last_tried: HashMap<String, usize>,
}

impl UniqueSlugs {
    /// The slug for the next name.
    pub fn next(&mut self, name: &str) -> String {
        let base = slug(name);
        let mut n = self.last_tried.get(&base).copied().unwrap_or(1);
        let mut candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while !self.taken.insert(slug_key(&candidate)) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        if n > 1 {
            self.last_tried.insert(base, n);
        }
        candidate
    }
}

/// A slug's 64-bit key: the set of keys stands in for the set of slugs.
fn slug_key(slug: &str) -> u64 {
    let hash = blake3::hash(slug.as_bytes());
    let mut key = [0u8; 8];
    key.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_harmless() {
        assert_eq!(slug("Søren Ærø Åberg"), "soeren-aeroe-aaberg");
        assert_eq!(
            slug("José  Müller-Lüdenscheidt"),
            "jose-muller-ludenscheidt"
        );
        assert_eq!(slug("../../etc/passwd"), "etcpasswd");
        assert_eq!(slug("///"), "uden-navn");
        assert_eq!(slug(&"a".repeat(300)).len(), 60);
    }

    #[test]
    fn duplicates_get_numbers_in_roster_order() {
        assert_eq!(
            unique_slugs(["Anna", "Anna", "anna", "Anna 2"]),
            ["anna", "anna-2", "anna-3", "anna-2-2"]
        );
    }

    #[test]
    fn unique_slugs_keep_no_counter_for_a_name_met_once() {
        let mut slugs = UniqueSlugs::default();
        let names: Vec<String> = ["Bo", "Anna", "Anna", "Carl"]
            .iter()
            .map(|n| slugs.next(n))
            .collect();
        assert_eq!(names, ["bo", "anna", "anna-2", "carl"]);
        assert_eq!(slugs.last_tried.len(), 1, "only `anna` came twice");
    }

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
        assert_eq!(source.previous_goals(0), ["Python"]);
        // Two Bo's: only the one in the same unit gets the goals.
        assert!(source.previous_goals(1).is_empty());
        assert_eq!(source.previous_goals(2), ["Ledelse"]);
        assert!(source.previous_goals(3).is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("Dorte"));
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

    /// Hands out at most `step` bytes a read, to cut text at every place.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn windows_line_ends_become_unix_ones_wherever_reads_cut_them() {
        let text = b"navn\r\nAnna\r\n\"a\r\nb\"\rc\r\n\r";
        for step in [1, 2, 3, 64 * 1024] {
            let mut out = String::new();
            UnixLineEnds::new(Trickle { bytes: text, step })
                .read_to_string(&mut out)
                .expect("reads");
            assert_eq!(out, "navn\nAnna\n\"a\nb\"\nc\n\n", "step {step}");
        }
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
    fn utf8_cut_between_reads_is_still_utf8_and_a_late_switch_names_its_line() {
        let text = "navn\nSøren Ærø\nÅse\n".as_bytes();
        for step in 1..4 {
            let sniffed = sniff(Trickle { bytes: text, step }).expect("reads");
            assert_eq!(sniffed.encoding, Ok(RosterEncoding::Utf8), "step {step}");
            assert_eq!(sniffed.hash, blake3::hash(text));
        }
        let mixed = b"navn\nS\xc3\xb8ren\nAse\n\xd8jvind\n";
        let sniffed = sniff(Trickle {
            bytes: mixed,
            step: 2,
        })
        .expect("reads");
        assert_eq!(sniffed.encoding, Err(4));
        let bom_then_1252 = b"\xef\xbb\xbfnavn\nS\xf8ren\n";
        let roster = Roster::parse(Arc::from("r.csv"), bom_then_1252).expect("parses");
        assert_eq!(roster.rows[0].name, "Søren");
        let cut_off = b"navn\nS\xc3";
        let sniffed = sniff(&cut_off[..]).expect("reads");
        assert_eq!(sniffed.encoding, Ok(RosterEncoding::Windows1252));
    }

    #[test]
    fn a_roster_changed_between_passes_stops_the_pass() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("liste.csv");
        std::fs::write(&path, "navn\nAnna\nBo\n").expect("write");
        let source = RosterSource::load(&path).expect("header");
        assert_eq!(source.rows().filter(|r| r.is_ok()).count(), 2);
        std::fs::write(&path, "navn\nAnna\nCarl\n").expect("write");
        let rows: Vec<_> = source.rows().collect();
        let errors: Vec<_> = rows
            .iter()
            .filter_map(|r| r.as_ref().err())
            .flatten()
            .collect();
        assert_eq!(errors.len(), 1, "{rows:?}");
        assert_eq!(errors[0].code, "roster-changed");
        // Put back as it was, the file reads again.
        std::fs::write(&path, "navn\nAnna\nBo\n").expect("write");
        assert!(source.rows().all(|r| r.is_ok()));
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
}
