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

mod deflate;
#[cfg(test)]
mod tests;

use std::io::{Cursor, Write};

use zip::ZipArchive;

use super::{DocumentDate, DocumentKind, Templates};
use crate::error::{Error, Result};
use crate::form::InfoValues;
use crate::pipeline::plan::Plan;
use crate::text::xml_escape;
use deflate::{Deflated, Effort, Piece, Spliced};

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
    /// The same for content controls (`w:id`, unique per document).
    next_control_id: u32,
    /// For each of [`FIELDS`] shown in a content control, the control as
    /// written with a value and as written without one: the built form holds
    /// only the field there, so an empty value shows the placeholder, as a
    /// form rendered for the person does.
    controls: [Option<ControlVariants>; 5],
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
        let next_control_id = super::docx_rs_fixes::controls::max_control_id(&xml) + 1;
        let empty = super::Details {
            info: InfoValues::default(),
            goals: Vec::new(),
            ..person.clone()
        };
        let empty_form = super::render(plan, kind, templates, &empty, date)?;
        let controls = control_variants(&mut xml, &document_text(&empty_form.bytes).map_err(io)?);
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
        let blank = super::Details {
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
            next_control_id,
            controls,
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
        let raw = [
            &info.employee,
            &info.manager,
            &info.unit,
            &info.date,
            &info.id,
        ];
        let mut in_document = values.clone();
        for (i, variants) in self.controls.iter().enumerate() {
            if let Some(variants) = variants {
                in_document[i] = variants.with(&values[i], raw[i]);
            }
        }
        let rows = self
            .goal_row
            .as_deref()
            .map(|row| goal_rows(row, goals, self.next_paragraph_id, self.next_control_id))
            .unwrap_or_default();
        let document = self.document.fill(&in_document, &rows)?;
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
fn placeholder_person(with_goals: bool, cells: bool) -> super::Details {
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
    super::Details {
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
/// of the built form, the others get new paragraph ids from `next_id` and
/// control ids from `next_control`. No goals, no rows.
fn goal_rows(row: &str, goals: &[String], mut next_id: u32, mut next_control: u32) -> String {
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
                let row = renumber_paragraphs(&row, &mut next_id);
                super::docx_rs_fixes::controls::renumber_controls(&row, &mut next_control)
            }
        })
        .collect()
}

/// A content control that shows one of [`FIELDS`], as the built form writes
/// it: `filled` holds the field's placeholder where the value goes, `empty`
/// is the control of a form without the value.
#[derive(Debug, Clone)]
struct ControlVariants {
    field: usize,
    filled: String,
    empty: String,
}

impl ControlVariants {
    /// The control for `escaped` (the value `raw`, escaped): the placeholder
    /// control when it is empty; a date picker also stores a date that
    /// reads as one, as [`super::docx`] writes it.
    fn with(&self, escaped: &str, raw: &str) -> String {
        if raw.is_empty() {
            return self.empty.clone();
        }
        let filled = self.filled.replace(FIELDS[self.field], escaped);
        let date = crate::form::labels::normalize_date(raw);
        match chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
            Ok(_) => filled.replacen(
                "<w:date>",
                &format!(r#"<w:date w:fullDate="{date}T00:00:00Z">"#),
                1,
            ),
            Err(_) => filled,
        }
    }
}

/// Each field of [`FIELDS`] that `xml` shows inside a content control
/// (`w:sdt`), with that control as written without a value in `empty_xml`
/// (the same form for a person with no details); in `xml` the whole control
/// gives way to the field, which [`FormTemplate::fill`] fills with one. A
/// field printed elsewhere in the document too (a template's own
/// `{{ person.employee }}`) is left as it is: its control then has no
/// placeholder when the value is empty.
fn control_variants(xml: &mut String, empty_xml: &str) -> [Option<ControlVariants>; 5] {
    let mut found: [Option<ControlVariants>; 5] = Default::default();
    let spans = |xml: &str| -> Vec<std::ops::Range<usize>> {
        xml.match_indices("<w:sdt>")
            .filter_map(|(start, _)| {
                let len = xml[start..].find("</w:sdt>")?;
                Some(start..start + len + "</w:sdt>".len())
            })
            .collect()
    };
    let tag_of = |control: &str| {
        let rest = control.split("<w:tag ").nth(1)?;
        Some(format!("<w:tag {}/>", rest.split("/>").next()?))
    };
    let empty_controls: Vec<&str> = spans(empty_xml)
        .into_iter()
        .map(|span| &empty_xml[span])
        .collect();
    let mut replaced = String::with_capacity(xml.len());
    let mut at = 0;
    for span in spans(xml) {
        let control = &xml[span.clone()];
        // A field the template also prints elsewhere keeps its value as
        // text in the control: every place of a field gets the same bytes.
        let Some(field) = FIELDS
            .iter()
            .position(|marker| control.contains(marker))
            .filter(|f| found[*f].is_none() && xml.matches(FIELDS[*f]).count() == 1)
        else {
            continue;
        };
        let Some(empty) = tag_of(control).and_then(|tag| {
            empty_controls
                .iter()
                .find(|c| c.contains(&tag))
                .map(|c| c.to_string())
        }) else {
            continue;
        };
        replaced.push_str(&xml[at..span.start]);
        replaced.push_str(FIELDS[field]);
        at = span.end;
        found[field] = Some(ControlVariants {
            field,
            filled: control.to_string(),
            empty,
        });
    }
    replaced.push_str(&xml[at..]);
    *xml = replaced;
    found
}

/// The text of `word/document.xml` in the package `bytes`.
fn document_text(bytes: &[u8]) -> std::io::Result<String> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(std::io::Error::other)?;
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name(DOCUMENT_PART)
            .map_err(std::io::Error::other)?,
        &mut xml,
    )?;
    Ok(xml)
}

/// The zip entries' timestamp: [`DocumentDate::zip_day`] at midnight, as
/// [`super::package`] stamps every other document.
fn zip_stamp(date: DocumentDate) -> rawzip::time::UtcDateTime {
    let midnight = date.zip_day().and_hms_opt(0, 0, 0).unwrap_or_default();
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
