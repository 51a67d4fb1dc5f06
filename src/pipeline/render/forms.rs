//! Personal interview forms in bulk. The form of a plan is built once as a
//! package with placeholders in the info block. A person's form copies
//! compressed bytes made then and writes their name, manager, unit and date
//! as deflate stored blocks (the bytes as they are, after a 5-byte header),
//! so no compressor runs per person: resetting one cost more than
//! compressing the few kilobytes that differ.
//!
//! The parts that show a person's details (`word/document.xml`, and the page
//! header with the unit) are split at the placeholders, and each shared piece
//! is compressed on its own and ended on a byte boundary (a sync flush):
//! blocks joined at byte boundaries are one valid stream. Only the rows of a
//! person's goals, which vary, are compressed per person. [`Spliced`] says
//! how the CRC-32 is made. The zip crate cannot write already-compressed
//! data, so personal forms are written with rawzip.

use std::cell::RefCell;
use std::io::{Cursor, Write};

use flate2::{Compress, Compression, FlushCompress, Status};
use zip::ZipArchive;

use super::{DocumentDate, DocumentKind, Templates};
use crate::error::{Error, Result};
use crate::form::InfoValues;
use crate::pipeline::plan::Plan;
use crate::text::xml_escape;

const DOCUMENT_PART: &str = "word/document.xml";
/// Placeholder for one goal (last year's in an interview form, this year's in
/// a follow-up form), in the table row that is repeated per goal.
const GOAL: &str = "\u{F8FF}mus-previous-goal\u{F8FF}";
/// Placeholders for the further cells of a row of last year's goals: the
/// status and what helped (see [`crate::form::CELL_SEPARATOR`]).
const GOAL_CELLS: [&str; 2] = [
    "\u{F8FF}mus-previous-status\u{F8FF}",
    "\u{F8FF}mus-previous-helped\u{F8FF}",
];
/// A line break inside a run, as docx-rs writes one.
const BREAK_XML: &str = "</w:t><w:br w:type=\"textWrapping\" /><w:t xml:space=\"preserve\">";
/// Placeholders in the built form: private-use characters no config can
/// sensibly contain, so they cannot clash with real text.
const FIELDS: [&str; 5] = [
    "\u{F8FF}mus-employee\u{F8FF}",
    "\u{F8FF}mus-manager\u{F8FF}",
    "\u{F8FF}mus-unit\u{F8FF}",
    "\u{F8FF}mus-date\u{F8FF}",
    "\u{F8FF}mus-id\u{F8FF}",
];
/// The unit's field in [`FIELDS`].
const UNIT: usize = 2;

/// One plan's form, ready to be filled in for many people.
pub struct FormTemplate {
    /// The package's parts in their order, as each person's form gets them.
    parts: Vec<Part>,
    /// `word/document.xml`, split where a person's details and goals go.
    document: Spliced,
    /// With goals: the table row that is repeated for each goal.
    goal_row: Option<String>,
    /// The first paragraph id above every id in the form: each repeated
    /// row's paragraphs get fresh ids from here, so ids stay unique.
    next_paragraph_id: u32,
    /// About the size of a filled package, without the person's values.
    size: usize,
    /// The zip entries' timestamp.
    stamp: rawzip::time::UtcDateTime,
}

/// A part of the form as it goes into each person's package.
enum Part {
    /// The same for everyone: copied as compressed bytes.
    Shared { name: String, data: Deflated },
    /// `word/document.xml`: [`FormTemplate::document`] filled in.
    Document,
    /// A part besides the document that shows the person's unit (the page
    /// header): `with` a unit, or `without` one (and its separator).
    Unit {
        name: String,
        with: Spliced,
        without: Deflated,
    },
}

/// A part's text split where people's values go. Its shared text is
/// compressed once; a person's values are written as stored blocks between
/// it, and the CRC-32 is taken over the start's text and values and combined
/// with the tail's.
struct Spliced {
    /// Up to the last text that differs between people.
    start: Vec<Segment>,
    /// The rest, compressed once, with the final block.
    tail: Deflated,
}

/// A stretch of the start of a [`Spliced`] part.
enum Segment {
    /// Text the same for everyone: compressed on its own, ended on a byte
    /// boundary and not final; the text is kept for the CRC.
    Shared { text: String, bytes: Vec<u8> },
    /// The value of `FIELDS[i]`, escaped, as stored blocks.
    Field(usize),
    /// The repeated goal rows, compressed per person (they vary).
    GoalRows,
}

/// A part's text as split at build time, before it is compressed.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Piece<'a> {
    Text(&'a str),
    Field(usize),
    GoalRows,
}

/// Raw deflate data with the CRC-32 and length of what it holds.
#[derive(Clone)]
struct Deflated {
    bytes: Vec<u8>,
    /// Holds the length too, so a CRC of a part before it can be combined with it.
    crc: crc32fast::Hasher,
    len: u64,
}

/// How hard to compress. What is made once per form is worth the effort;
/// a person's goal rows are compressed fast.
#[derive(Clone, Copy)]
enum Effort {
    Once,
    PerPerson,
}

impl Deflated {
    /// `text` compressed as a whole (ends with a final block).
    fn whole(text: &[u8], effort: Effort) -> std::io::Result<Deflated> {
        Deflated::compress(text, FlushCompress::Finish, effort)
    }

    /// `text` compressed as a stretch of a longer stream: no final block,
    /// ended on a byte boundary so other blocks can follow.
    fn start(text: &[u8], effort: Effort) -> std::io::Result<Deflated> {
        Deflated::compress(text, FlushCompress::Sync, effort)
    }

    fn compress(text: &[u8], flush: FlushCompress, effort: Effort) -> std::io::Result<Deflated> {
        thread_local! {
            // One compressor per thread and effort, reset for each part:
            // allocating one per part costs more than compressing.
            static ONCE: RefCell<Compress> =
                RefCell::new(Compress::new(Compression::default(), false));
            static PER_PERSON: RefCell<Compress> =
                RefCell::new(Compress::new(Compression::fast(), false));
        }
        let compressor = match effort {
            Effort::Once => &ONCE,
            Effort::PerPerson => &PER_PERSON,
        };
        let bytes = compressor.with_borrow_mut(|compressor| {
            compressor.reset();
            let mut out = Vec::with_capacity(text.len() / 4 + 64);
            loop {
                let consumed = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
                let rest = text.get(consumed..).unwrap_or_default();
                if out.capacity() - out.len() < 64 {
                    out.reserve(out.capacity().max(1024));
                }
                let status = compressor
                    .compress_vec(rest, &mut out, flush)
                    .map_err(std::io::Error::other)?;
                let all_in = compressor.total_in() == text.len() as u64;
                let room_left = out.len() < out.capacity();
                match (flush, status) {
                    (FlushCompress::Finish, Status::StreamEnd) => {
                        return Ok::<_, std::io::Error>(out);
                    }
                    (FlushCompress::Finish, _) => {}
                    (_, _) if all_in && room_left => return Ok(out),
                    _ => {}
                }
            }
        })?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(text);
        Ok(Deflated {
            bytes,
            crc,
            len: text.len() as u64,
        })
    }
}

impl Spliced {
    /// Compresses the shared text of `pieces`; the last piece, when it is
    /// text, is the tail.
    fn new(mut pieces: Vec<Piece<'_>>) -> std::io::Result<Spliced> {
        let tail = match pieces.last() {
            Some(Piece::Text(text)) => {
                let text = *text;
                pieces.pop();
                text
            }
            _ => "",
        };
        let start = pieces
            .into_iter()
            .filter(|piece| *piece != Piece::Text(""))
            .map(|piece| {
                Ok(match piece {
                    Piece::Text(text) => Segment::Shared {
                        text: text.to_string(),
                        bytes: Deflated::start(text.as_bytes(), Effort::Once)?.bytes,
                    },
                    Piece::Field(field) => Segment::Field(field),
                    Piece::GoalRows => Segment::GoalRows,
                })
            })
            .collect::<std::io::Result<_>>()?;
        Ok(Spliced {
            start,
            tail: Deflated::whole(tail.as_bytes(), Effort::Once)?,
        })
    }

    /// The compressed size of the shared text.
    fn shared_len(&self) -> usize {
        let start: usize = self
            .start
            .iter()
            .map(|segment| match segment {
                Segment::Shared { bytes, .. } => bytes.len(),
                Segment::Field(_) | Segment::GoalRows => 0,
            })
            .sum();
        start + self.tail.bytes.len()
    }

    /// The part with `values` (escaped, in the order of [`FIELDS`]) and
    /// `goal_rows` in their places.
    fn fill(&self, values: &[String; 5], goal_rows: &str) -> std::io::Result<Deflated> {
        let values_len: usize = values.iter().map(String::len).sum();
        let mut bytes =
            Vec::with_capacity(self.shared_len() + 2 * values_len + goal_rows.len() / 2 + 64);
        let mut crc = crc32fast::Hasher::new();
        let mut len = 0;
        for segment in &self.start {
            let raw = match segment {
                Segment::Shared {
                    text,
                    bytes: compressed,
                } => {
                    bytes.extend_from_slice(compressed);
                    text.as_str()
                }
                Segment::Field(field) => {
                    let value = values[*field].as_str();
                    push_stored(&mut bytes, value.as_bytes());
                    value
                }
                Segment::GoalRows => {
                    if !goal_rows.is_empty() {
                        let rows = Deflated::start(goal_rows.as_bytes(), Effort::PerPerson)?;
                        bytes.extend_from_slice(&rows.bytes);
                    }
                    goal_rows
                }
            };
            crc.update(raw.as_bytes());
            len += raw.len() as u64;
        }
        bytes.extend_from_slice(&self.tail.bytes);
        crc.combine(&self.tail.crc);
        Ok(Deflated {
            bytes,
            crc,
            len: len + self.tail.len,
        })
    }
}

/// Appends `raw` as stored blocks, none of them final, to a deflate stream
/// that is at a byte boundary: each block is a header byte 0, its length and
/// the length's complement (16 bits each, little-endian), then the bytes as
/// they are. No bytes, no block.
fn push_stored(out: &mut Vec<u8>, raw: &[u8]) {
    for chunk in raw.chunks(usize::from(u16::MAX)) {
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.reserve(5 + chunk.len());
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

impl FormTemplate {
    /// Builds the interview form of `plan` once; `with_previous` gives topic 1
    /// the table of last year's goals, its row to be repeated per goal. A
    /// template that does more with `person` than print it is refused: with
    /// `--roster` the person's details are filled in after building.
    pub fn new(
        plan: &Plan,
        templates: &Templates,
        date: DocumentDate,
        with_previous: bool,
    ) -> Result<FormTemplate> {
        FormTemplate::built(
            plan,
            DocumentKind::Samtaleskema,
            templates,
            date,
            with_previous,
        )
    }

    /// Builds a document of `kind` without goals (the development plan) once.
    pub fn of_kind(
        plan: &Plan,
        kind: DocumentKind,
        templates: &Templates,
        date: DocumentDate,
    ) -> Result<FormTemplate> {
        FormTemplate::built(plan, kind, templates, date, false)
    }

    fn built(
        plan: &Plan,
        kind: DocumentKind,
        templates: &Templates,
        date: DocumentDate,
        with_previous: bool,
    ) -> Result<FormTemplate> {
        FormTemplate::fillable(plan, kind, templates, date, with_previous)?.ok_or_else(|| {
            crate::error::Diagnostic::new(
                templates.origin(&kind.template()),
                None,
                crate::msg!("template.person-not-plain"),
            )
            .with_hint(crate::msg!("template.person-not-plain.hint"))
            .into()
        })
    }

    /// Builds a document of `kind` for `plan` once, to be filled per person;
    /// `with_goals` makes its goals table one row to be repeated per goal.
    /// `None` when the template does more with `person` than print it, so the
    /// document must be rendered for each person.
    pub fn fillable(
        plan: &Plan,
        kind: DocumentKind,
        templates: &Templates,
        date: DocumentDate,
        with_goals: bool,
    ) -> Result<Option<FormTemplate>> {
        let person = placeholder_person(with_goals, kind == DocumentKind::Samtaleskema);
        let form = super::render(plan, kind, templates, &person, date)?;
        let io = |err: std::io::Error| Error::build(kind.file_name(), err);
        let mut archive = ZipArchive::new(Cursor::new(&form.bytes[..]))
            .map_err(|e| io(std::io::Error::other(e)))?;
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut archive
                .by_name(DOCUMENT_PART)
                .map_err(|e| io(std::io::Error::other(e)))?,
            &mut xml,
        )
        .map_err(io)?;
        let goal_row = xml.find(GOAL).and_then(|at| {
            let start = xml[..at]
                .rfind("<w:tr>")
                .or_else(|| xml[..at].rfind("<w:tr "))?;
            let end = at + xml[at..].find("</w:tr>")? + "</w:tr>".len();
            Some(xml[start..end].to_string())
        });
        // The shared tail starts after the last field, or after the goals'
        // row when that comes later. A row that a field splits stays as it is.
        let mut pieces = split_at_fields(&xml);
        let goal_row = match goal_row {
            Some(row) => match split_at_row(&pieces, &row) {
                Some(split) => {
                    pieces = split;
                    Some(row)
                }
                None => None,
            },
            None => None,
        };
        let document = Spliced::new(pieces).map_err(io)?;
        let next_paragraph_id = paragraph_ids(&xml).max().map_or(1, |id| id + 1);
        // The person's details are filled in afterwards, so a template may
        // print them only as they are: in the body, and the unit also in the
        // page header (`{% if person.unit %}` is allowed, as a person may have
        // none). A filter or another condition shows as a difference between
        // the form's Markdown with placeholders and with empty details (the
        // placeholders taken out of both), or in the template's text; a
        // placeholder anywhere else shows in the package. Any of these, and
        // the template is refused.
        let blank = super::Person {
            info: InfoValues {
                unit: FIELDS[UNIT].into(),
                ..InfoValues::default()
            },
            ..person.clone()
        };
        let without_fields = |mut markdown: String| {
            for field in FIELDS {
                markdown = markdown.replace(&super::template::escape_markdown(field), "");
            }
            markdown
        };
        let conditional = without_fields(super::markdown(plan, kind, templates, &person)?)
            != without_fields(super::markdown(plan, kind, templates, &blank)?)
            || templates
                .source(&kind.template())
                .is_some_and(|source| uses_person_beyond_printing(&source));
        let mut parts = Vec::new();
        let mut size = document.shared_len();
        let mut elsewhere = false;
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| io(std::io::Error::other(e)))?;
            let name = entry
                .name()
                .map_err(|e| io(std::io::Error::other(e)))?
                .to_string();
            // A local header and a central directory entry, each with the name.
            size += 128 + 2 * name.len();
            if name == DOCUMENT_PART {
                parts.push(Part::Document);
                continue;
            }
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).map_err(io)?;
            let text = std::str::from_utf8(&content).unwrap_or_default();
            if !FIELDS.iter().any(|field| text.contains(field)) {
                let data = Deflated::whole(&content, Effort::Once).map_err(io)?;
                size += data.bytes.len();
                parts.push(Part::Shared { name, data });
                continue;
            }
            let only_unit = FIELDS
                .iter()
                .enumerate()
                .all(|(i, field)| i == UNIT || !text.contains(field));
            if name.starts_with("word/header") && only_unit {
                let with = Spliced::new(split_at_fields(text)).map_err(io)?;
                // Without a unit its separator goes too: "Styrelsen · MUS 2027".
                let without = text
                    .replace(&format!(" · {}", FIELDS[UNIT]), "")
                    .replace(FIELDS[UNIT], "");
                let without = Deflated::whole(without.as_bytes(), Effort::Once).map_err(io)?;
                size += with.shared_len().max(without.bytes.len());
                parts.push(Part::Unit {
                    name,
                    with,
                    without,
                });
            } else {
                elsewhere = true;
            }
        }
        if conditional || elsewhere {
            return Ok(None);
        }
        Ok(Some(FormTemplate {
            parts,
            document,
            goal_row,
            next_paragraph_id,
            size,
            stamp: zip_stamp(date),
        }))
    }

    /// The `.docx` bytes of one person's form, with `goals` in the goals
    /// row when the form has one.
    pub fn fill(&self, info: &InfoValues, goals: &[String]) -> std::io::Result<Vec<u8>> {
        let values = [
            &info.employee,
            &info.manager,
            &info.unit,
            &info.date,
            &info.id,
        ]
        .map(|v| xml_escape(v));
        let rows = self
            .goal_row
            .as_deref()
            .map(|row| goal_rows(row, goals, self.next_paragraph_id))
            .unwrap_or_default();
        let document = self.document.fill(&values, &rows)?;
        let values_len: usize = values.iter().map(String::len).sum();
        let size = self.size + 2 * values_len + rows.len() / 2;
        let mut out = rawzip::ZipArchiveWriter::new(Vec::with_capacity(size));
        for part in &self.parts {
            match part {
                Part::Shared { name, data } => self.write_part(&mut out, name, data)?,
                Part::Document => self.write_part(&mut out, DOCUMENT_PART, &document)?,
                Part::Unit {
                    name,
                    with,
                    without,
                } => {
                    if info.unit.is_empty() {
                        self.write_part(&mut out, name, without)?;
                    } else {
                        self.write_part(&mut out, name, &with.fill(&values, "")?)?;
                    }
                }
            }
        }
        out.finish().map_err(std::io::Error::other)
    }

    /// Adds `data` to `out` as the deflated part `name`.
    fn write_part(
        &self,
        out: &mut rawzip::ZipArchiveWriter<Vec<u8>>,
        name: &str,
        data: &Deflated,
    ) -> std::io::Result<()> {
        let (mut entry, _) = out
            .new_file(name)
            .compression_method(rawzip::CompressionMethod::DEFLATE)
            .last_modified(self.stamp)
            .unix_permissions(0o644)
            .start()
            .map_err(std::io::Error::other)?;
        entry.write_all(&data.bytes)?;
        let crc = data.crc.clone().finalize();
        entry
            .finish(rawzip::DataDescriptorOutput::new(crc, data.len))
            .map_err(std::io::Error::other)?;
        Ok(())
    }
}

/// The person whose details are the placeholders, with one goal (its
/// placeholder) when `with_goals`; in `cells`, the goal's row has a
/// placeholder in each of its cells (last year's goals).
fn placeholder_person(with_goals: bool, cells: bool) -> super::Person {
    let goals = match (with_goals, cells) {
        (false, _) => Vec::new(),
        (true, false) => vec![GOAL.to_string()],
        (true, true) => vec![
            std::iter::once(GOAL)
                .chain(GOAL_CELLS)
                .collect::<Vec<_>>()
                .join(&crate::form::CELL_SEPARATOR.to_string()),
        ],
    };
    super::Person {
        info: InfoValues {
            employee: FIELDS[0].into(),
            manager: FIELDS[1].into(),
            unit: FIELDS[UNIT].into(),
            date: FIELDS[3].into(),
            id: FIELDS[4].into(),
        },
        goals,
        chart: None,
        report: None,
    }
}

/// `row` once per goal, with the goal in it: the first copy keeps the ids
/// of the built form, the others get new ones from `next_id`. No goals, no
/// rows.
fn goal_rows(row: &str, goals: &[String], mut next_id: u32) -> String {
    goals
        .iter()
        .enumerate()
        .map(|(i, goal)| {
            let mut cells = goal.split(crate::form::CELL_SEPARATOR);
            let cell = |text: Option<&str>| {
                xml_escape(text.unwrap_or_default()).replace(crate::form::LINE_BREAK, BREAK_XML)
            };
            let mut row = row.replace(GOAL, &cell(cells.next()));
            for placeholder in GOAL_CELLS {
                row = row.replace(placeholder, &cell(cells.next()));
            }
            if i == 0 {
                row
            } else {
                renumber_paragraphs(&row, &mut next_id)
            }
        })
        .collect()
}

/// The zip entries' timestamp: the document date at midnight, as in [`super::package`].
fn zip_stamp(date: DocumentDate) -> rawzip::time::UtcDateTime {
    let midnight = date.0.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
    rawzip::time::UtcDateTime::from_unix(midnight.and_utc().timestamp())
}

/// True when a template does more with `person` than print one of its
/// fields as it is (`{{ person.employee }}`): a tag such as `{% if person… %}`
/// or `{% set p = person %}`, or an expression with a filter or operator.
/// Comparing renderings cannot see `{% if person.unit == "IT" %}`; this can.
fn uses_person_beyond_printing(source: &str) -> bool {
    let mentions_person = |text: &str| {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == "person")
    };
    let mut rest = source;
    while let Some(at) = rest.find('{') {
        let after = &rest[at + 1..];
        let (close, is_print) = match after.chars().next() {
            Some('%') => ("%}", false),
            Some('{') => ("}}", true),
            Some('#') => ("#}", false),
            _ => {
                rest = after;
                continue;
            }
        };
        let Some(end) = after.find(close) else {
            return mentions_person(after);
        };
        let inside = &after[1..end];
        let is_comment = after.starts_with('#');
        let unit_test = !is_print
            && inside.trim_matches(|c: char| c == '-' || c == '+' || c == '%' || c.is_whitespace())
                == "if person.unit";
        if !is_comment && !unit_test && mentions_person(inside) {
            let expression =
                inside.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
            let plain_field = ["employee", "manager", "unit", "date"]
                .iter()
                .any(|field| expression == format!("person.{field}"));
            if !(is_print && plain_field) {
                return true;
            }
        }
        rest = &after[end + close.len()..];
    }
    false
}

/// `text` split at the placeholders: text, a field, text, …, text.
fn split_at_fields(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    loop {
        let next = FIELDS
            .iter()
            .enumerate()
            .filter_map(|(i, f)| rest.find(f).map(|at| (at, i)))
            .min();
        match next {
            Some((at, field)) => {
                pieces.push(Piece::Text(&rest[..at]));
                pieces.push(Piece::Field(field));
                rest = &rest[at + FIELDS[field].len()..];
            }
            None => {
                pieces.push(Piece::Text(rest));
                return pieces;
            }
        }
    }
}

/// `pieces` with the first text that holds `row` split around it, the row
/// itself to be [`Piece::GoalRows`]; `None` when no one text holds it.
fn split_at_row<'a>(pieces: &[Piece<'a>], row: &str) -> Option<Vec<Piece<'a>>> {
    let (index, text, at) = pieces
        .iter()
        .enumerate()
        .find_map(|(i, piece)| match piece {
            Piece::Text(text) => text.find(row).map(|at| (i, *text, at)),
            Piece::Field(_) | Piece::GoalRows => None,
        })?;
    let mut split = pieces[..index].to_vec();
    split.push(Piece::Text(&text[..at]));
    split.push(Piece::GoalRows);
    split.push(Piece::Text(&text[at + row.len()..]));
    split.extend_from_slice(&pieces[index + 1..]);
    Some(split)
}

const PARAGRAPH_ID: &str = "w14:paraId=\"";

/// The paragraph ids (`w14:paraId`, hexadecimal) in `xml`.
fn paragraph_ids(xml: &str) -> impl Iterator<Item = u32> + '_ {
    xml.match_indices(PARAGRAPH_ID).filter_map(|(at, _)| {
        let start = at + PARAGRAPH_ID.len();
        let end = start + xml[start..].find('"')?;
        u32::from_str_radix(&xml[start..end], 16).ok()
    })
}

/// `row` with each paragraph id replaced by a fresh one from `next_id`.
fn renumber_paragraphs(row: &str, next_id: &mut u32) -> String {
    let mut out = String::with_capacity(row.len());
    let mut rest = row;
    while let Some(at) = rest.find(PARAGRAPH_ID) {
        let start = at + PARAGRAPH_ID.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&format!("{:08x}", *next_id));
        *next_id += 1;
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{Deflated, Effort, FIELDS, FormTemplate, GOAL, UNIT, uses_person_beyond_printing};
    use crate::form::InfoValues;
    use crate::pipeline::render::{DocumentDate, DocumentKind, Templates};
    use crate::text::xml_escape;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(data), &mut out)
            .expect("a valid deflate stream");
        out
    }

    /// `text` compressed once as the final stretch of a stream.
    fn whole(text: &[u8]) -> Vec<u8> {
        Deflated::whole(text, Effort::Once)
            .expect("compresses")
            .bytes
    }

    /// Bytes that do not compress.
    fn noise(len: u32) -> Vec<u8> {
        (0..len)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect()
    }

    #[test]
    fn values_as_stored_blocks_between_compressed_text_inflate_as_they_are() {
        let before = "<w:body><w:p>Medarbejder: ".repeat(40);
        let after = "</w:p><w:p>Hvad giver dig energi i arbejdet?</w:p>".repeat(400);
        let prefix = Deflated::start(before.as_bytes(), Effort::Once).expect("compresses");
        let tail = whole(after.as_bytes());
        for len in [0, 1, 65_535, 65_536, 200_000] {
            let value = noise(len);
            let mut stream = prefix.bytes.clone();
            super::push_stored(&mut stream, &value);
            let blocks = value.len().div_ceil(65_535);
            assert_eq!(
                stream.len(),
                prefix.bytes.len() + value.len() + 5 * blocks,
                "{len} bytes: five bytes of header per block of at most 65,535"
            );
            stream.extend_from_slice(&tail);
            let mut text = before.as_bytes().to_vec();
            text.extend_from_slice(&value);
            text.extend_from_slice(after.as_bytes());
            assert!(inflate(&stream) == text, "{len} bytes inflate as they were");
        }
        // Two values in a row, and an empty start (a template that prints
        // no text before a person field).
        let mut stream = Deflated::start(b"", Effort::Once)
            .expect("compresses")
            .bytes;
        super::push_stored(&mut stream, b"Anne");
        super::push_stored(&mut stream, b" & Bo");
        stream.extend_from_slice(&tail);
        assert_eq!(inflate(&stream), format!("Anne & Bo{after}").as_bytes());
    }

    struct Built {
        form: FormTemplate,
        /// The built package's parts with placeholders, by name.
        parts: Vec<(String, String)>,
    }

    /// A built-in form of `kind`, with the package it was made from.
    fn build(kind: DocumentKind, with_goals: bool) -> Built {
        let catalogue = crate::pipeline::catalogue::Catalogue::built_in().expect("catalogue");
        let config =
            crate::pipeline::config::Config::parse("mus.yaml", "workplace: W\nyear: 2027\n")
                .expect("config");
        let plan = crate::pipeline::plan::Plan::new(&catalogue, &config).expect("plan");
        let templates = Templates::built_in().expect("templates");
        let date = DocumentDate::for_year(2027);
        let form = FormTemplate::fillable(&plan, kind, &templates, date, with_goals)
            .expect("builds")
            .expect("the built-in templates only print the person's details");
        let person = super::placeholder_person(with_goals, kind == DocumentKind::Samtaleskema);
        let package = crate::pipeline::render::render(&plan, kind, &templates, &person, date)
            .expect("renders");
        Built {
            form,
            parts: read_package(&package.bytes),
        }
    }

    /// Every part of `package`, read to its end: the zip crate checks each
    /// part's CRC-32 as it does.
    fn read_package(package: &[u8]) -> Vec<(String, String)> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
        (0..archive.len())
            .map(|i| {
                let mut entry = archive.by_index(i).expect("an entry");
                let name = entry.name().expect("a name").to_string();
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut bytes)
                    .unwrap_or_else(|err| panic!("{name} reads back whole: {err}"));
                assert_eq!(bytes.len() as u64, entry.size(), "{name}");
                (name, String::from_utf8(bytes).unwrap_or_default())
            })
            .collect()
    }

    /// The compressed bytes of part `name` of `package`.
    fn raw_part(package: &[u8], name: &str) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
        let mut raw = Vec::new();
        std::io::Read::read_to_end(
            &mut archive.by_name_raw(name.as_bytes()).expect("the part"),
            &mut raw,
        )
        .expect("reads");
        raw
    }

    #[test]
    fn a_filled_form_is_the_built_form_with_the_persons_values_in_its_placeholders() {
        let long_manager = "Bo & co. ".repeat(8_000);
        let people = [
            (
                "Anne <Hansen>",
                "Bo",
                "Kontor for IT & drift",
                "1. marts 2027",
            ),
            ("Bent", "", "", ""),
            ("Ærø Ølstykke", long_manager.as_str(), "HR", "2027-03-02"),
        ];
        let goal_lists: [&[&str]; 3] = [
            &[],
            &["Lære <XML>"],
            &["Første", "Anden & sidste", "Tredje"],
        ];
        for (kind, with_goals) in [
            (DocumentKind::Samtaleskema, false),
            (DocumentKind::Samtaleskema, true),
            (DocumentKind::Udviklingsplan, false),
            (DocumentKind::Opfoelgning, true),
        ] {
            let built = build(kind, with_goals);
            assert!(
                built
                    .parts
                    .iter()
                    .any(|(name, text)| name.starts_with("word/header")
                        && text.contains(FIELDS[UNIT])),
                "the header shows the unit"
            );
            for (employee, manager, unit, date) in people {
                for goals in goal_lists {
                    let goals: Vec<String> = goals.iter().map(|g| g.to_string()).collect();
                    let info = InfoValues {
                        employee: employee.into(),
                        manager: manager.into(),
                        unit: unit.into(),
                        date: date.into(),
                        id: format!("ID-{employee}"),
                    };
                    let filled = read_package(&built.form.fill(&info, &goals).expect("fills"));
                    let names = |parts: &[(String, String)]| {
                        parts
                            .iter()
                            .map(|(name, _)| name.clone())
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(names(&filled), names(&built.parts));
                    for ((name, text), (_, expected)) in filled.iter().zip(&built.parts) {
                        let mut expected = expected.clone();
                        if name.starts_with("word/header") && unit.is_empty() {
                            expected = expected.replace(&format!(" · {}", FIELDS[UNIT]), "");
                        }
                        let id = format!("ID-{employee}");
                        for (field, value) in
                            FIELDS
                                .iter()
                                .zip([employee, manager, unit, date, id.as_str()])
                        {
                            expected = expected.replace(field, &xml_escape(value));
                        }
                        if let Some(row) = &built.form.goal_row {
                            let mut next_id = built.form.next_paragraph_id;
                            let rows: String = goals
                                .iter()
                                .enumerate()
                                .map(|(i, goal)| {
                                    let mut row = row.replace(GOAL, &xml_escape(goal));
                                    for placeholder in super::GOAL_CELLS {
                                        row = row.replace(placeholder, "");
                                    }
                                    match i {
                                        0 => row,
                                        _ => super::renumber_paragraphs(&row, &mut next_id),
                                    }
                                })
                                .collect();
                            expected = expected.replacen(row.as_str(), &rows, 1);
                        }
                        assert!(
                            *text == expected,
                            "{name} of {kind:?} for {employee} with {} goals",
                            goals.len()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn people_whose_names_differ_only_in_letters_differ_only_in_the_stored_names() {
        let built = build(DocumentKind::Samtaleskema, false);
        let info = |employee: &str, unit: &str| InfoValues {
            employee: employee.into(),
            manager: "Bo".into(),
            unit: unit.into(),
            date: "1. marts 2027".into(),
            id: String::new(),
        };
        let fill = |employee: &str, unit: &str| {
            built.form.fill(&info(employee, unit), &[]).expect("fills")
        };
        let header = built
            .parts
            .iter()
            .map(|(name, _)| name.as_str())
            .find(|name| name.starts_with("word/header"))
            .expect("a header");
        for (part, a, b, package_a, package_b) in [
            (
                super::DOCUMENT_PART,
                "Anne Hansen",
                "Bent Jensen",
                fill("Anne Hansen", "IT"),
                fill("Bent Jensen", "IT"),
            ),
            (header, "IT", "HR", fill("Anne", "IT"), fill("Anne", "HR")),
        ] {
            let (raw_a, raw_b) = (raw_part(&package_a, part), raw_part(&package_b, part));
            assert_eq!(raw_a.len(), raw_b.len(), "{part}");
            // Each value as it is, after the header of a stored block.
            let stored = |value: &str| {
                let len = value.len() as u16;
                let mut block = vec![0];
                block.extend_from_slice(&len.to_le_bytes());
                block.extend_from_slice(&(!len).to_le_bytes());
                block.extend_from_slice(value.as_bytes());
                block
            };
            let (block_a, block_b) = (stored(a), stored(b));
            let at = raw_a
                .windows(block_a.len())
                .position(|w| w == block_a)
                .unwrap_or_else(|| panic!("{a} is stored as it is in {part}"));
            assert_eq!(
                raw_b.get(at..at + block_b.len()),
                Some(&block_b[..]),
                "{part}"
            );
            // Around the value, the compressed bytes are the same.
            let differ: Vec<usize> = (0..raw_a.len()).filter(|&i| raw_a[i] != raw_b[i]).collect();
            assert!(!differ.is_empty());
            assert!(
                differ
                    .iter()
                    .all(|&i| (at + 5..at + block_a.len()).contains(&i)),
                "{part} differs outside the stored value"
            );
        }
    }

    fn document_xml(package: &[u8]) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut archive
                .by_name(super::DOCUMENT_PART)
                .expect("document part"),
            &mut xml,
        )
        .expect("utf-8");
        xml
    }

    #[test]
    fn a_follow_up_form_is_built_once_and_filled_with_each_persons_goals() {
        let built = build(crate::pipeline::render::DocumentKind::Opfoelgning, true).form;
        let info = |name: &str| crate::form::InfoValues {
            employee: name.into(),
            manager: "Bo".into(),
            unit: "IT".into(),
            date: String::new(),
            id: String::new(),
        };
        let goals = [
            "Lære <XML>".to_string(),
            "Holde oplæg".into(),
            "Tredje".into(),
        ];
        let xml = document_xml(&built.fill(&info("Anne"), &goals).expect("fills"));
        assert!(xml.contains("Lære &lt;XML&gt;") && xml.contains("Holde oplæg"));
        assert!(
            xml.contains("Anne") && !xml.contains('\u{F8FF}'),
            "no placeholder left"
        );
        let mut ids: Vec<u32> = super::paragraph_ids(&xml).collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            count,
            "paragraph ids stay unique when goal rows repeat"
        );
        // Another person: the same document but for what is theirs.
        let other = document_xml(&built.fill(&info("Bent"), &goals[..1]).expect("fills"));
        assert!(other.contains("Bent") && !other.contains("Holde oplæg"));
    }

    #[test]
    fn a_start_larger_than_the_first_guess_of_its_size_is_compressed_whole() {
        // Bytes that do not compress make the output outgrow its first buffer.
        let noise: Vec<u8> = (0u32..200_000)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for effort in [Effort::Once, Effort::PerPerson] {
            let mut joined = Deflated::start(&noise, effort).expect("compresses").bytes;
            joined.extend_from_slice(&whole(b"end"));
            let mut text = noise.clone();
            text.extend_from_slice(b"end");
            assert_eq!(inflate(&joined), text);
        }
    }

    #[test]
    fn only_plain_printing_of_a_person_field_is_allowed() {
        assert!(!uses_person_beyond_printing(
            "Til {{ person.employee }} og {{- person.unit -}}"
        ));
        assert!(!uses_person_beyond_printing(
            "{# person.unit is filled in later #} personale"
        ));
        assert!(!uses_person_beyond_printing(
            "{% if unit %}{{ unit }}{% endif %}"
        ));
        for bad in [
            "{% if person.unit == 'IT' %}x{% endif %}",
            "{% if person.manager %}x{% endif %}",
            "{% if not person.unit %}x{% endif %}",
            "{{ person.employee | upper }}",
            "{% set p = person %}{{ p.unit }}",
            "{{ person['unit'] }}",
            "{{ person.employee ~ '!' }}",
        ] {
            assert!(uses_person_beyond_printing(bad), "{bad}");
        }
    }
}
