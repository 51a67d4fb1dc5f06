//! Personal interview forms in bulk. The form of a plan is built once as a
//! package with placeholders in the info block; each person's form then
//! copies every part but `word/document.xml` as already-compressed bytes and
//! fills in only their name, manager, unit and date.
//!
//! Even `word/document.xml` is mostly the same for everyone: only its start
//! (up to the info block, or last year's goals) differs. That start is
//! compressed per person and ended on a byte boundary (a sync flush), and
//! the rest, compressed once per form, is appended: two deflate streams
//! joined at a block boundary are one valid stream, and the CRC-32 of the
//! whole is combined from the parts' (see [`Deflated`]). The zip crate cannot
//! write already-compressed data, so personal forms are written with rawzip.

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
/// Placeholders in the built form: private-use characters no config can
/// sensibly contain, so they cannot clash with real text.
const FIELDS: [&str; 4] = [
    "\u{F8FF}mus-employee\u{F8FF}",
    "\u{F8FF}mus-manager\u{F8FF}",
    "\u{F8FF}mus-unit\u{F8FF}",
    "\u{F8FF}mus-date\u{F8FF}",
];

/// One plan's form, ready to be filled in for many people.
pub struct FormTemplate {
    /// The package's parts in their order, as each person's form gets them.
    parts: Vec<Part>,
    /// The start of the document part, split at the placeholders:
    /// `pieces[0] field pieces[1] …`; the rest of the part is [`Self::tail`].
    pieces: Vec<String>,
    /// The document part after the last text that differs between people.
    tail: Deflated,
    /// Which field goes after each piece but the last.
    order: Vec<usize>,
    /// With goals: the table row that is repeated for each goal.
    goal_row: Option<String>,
    /// The first paragraph id above every id in the form: each repeated
    /// row's paragraphs get fresh ids from here, so ids stay unique.
    next_paragraph_id: u32,
    /// The zip entries' timestamp.
    stamp: rawzip::time::UtcDateTime,
}

/// A part of the form as it goes into each person's package.
enum Part {
    /// The same for everyone: copied as compressed bytes.
    Shared { name: String, data: Deflated },
    /// `word/document.xml`: the person's start joined to the shared tail.
    Document,
    /// A part besides the document that shows the person's unit (the page
    /// header), with the unit placeholder in it.
    Unit { name: String, text: String },
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
/// the few kilobytes made for each person are compressed fast (a form grows
/// by about 300 bytes and is made in three quarters of the time).
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

    /// `text` compressed as the start of a longer stream: no final block,
    /// ended on a byte boundary so another stream's blocks can follow.
    fn start(text: &[u8]) -> std::io::Result<Deflated> {
        Deflated::compress(text, FlushCompress::Sync, Effort::PerPerson)
    }

    fn compress(text: &[u8], flush: FlushCompress, effort: Effort) -> std::io::Result<Deflated> {
        thread_local! {
            // One compressor per thread and effort, reset for each part:
            // allocating one per form costs more than compressing.
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

    /// `self` followed by `rest`: one stream, one CRC.
    fn join(mut self, rest: &Deflated) -> Deflated {
        self.bytes.extend_from_slice(&rest.bytes);
        self.crc.combine(&rest.crc);
        self.len += rest.len;
        self
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
        let kind = DocumentKind::Samtaleskema;
        FormTemplate::fillable(plan, kind, templates, date, with_previous)?.ok_or_else(|| {
            crate::error::Diagnostic::new(
                templates.origin(&kind.template()),
                None,
                "with --roster, `person.*` can only be printed as it is, in the body of the form",
            )
            .with_hint("use the info block for the person's details, not the header, footer, a filter or a condition")
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
        let placeholders = InfoValues {
            employee: FIELDS[0].into(),
            manager: FIELDS[1].into(),
            unit: FIELDS[2].into(),
            date: FIELDS[3].into(),
        };
        let goals = if with_goals {
            vec![GOAL.to_string()]
        } else {
            Vec::new()
        };
        let person = super::Person {
            info: placeholders,
            goals,
            chart: None,
            report: None,
        };
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
        let (mut pieces, order) = split_at_fields(&xml);
        // The shared tail starts after the last field, or after last year's
        // goals' row when that comes later.
        let mut tail = pieces.pop().unwrap_or_default();
        let split = goal_row
            .as_ref()
            .and_then(|row| tail.find(row.as_str()).map(|at| at + row.len()))
            .unwrap_or(0);
        pieces.push(tail[..split].to_string());
        tail.replace_range(..split, "");
        let tail = Deflated::whole(tail.as_bytes(), Effort::Once).map_err(io)?;
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
                unit: FIELDS[2].into(),
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
        let mut elsewhere = false;
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| io(std::io::Error::other(e)))?;
            let name = entry
                .name()
                .map_err(|e| io(std::io::Error::other(e)))?
                .to_string();
            if name == DOCUMENT_PART {
                parts.push(Part::Document);
                continue;
            }
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).map_err(io)?;
            let text = std::str::from_utf8(&content).unwrap_or_default();
            if !FIELDS.iter().any(|field| text.contains(field)) {
                let data = Deflated::whole(&content, Effort::Once).map_err(io)?;
                parts.push(Part::Shared { name, data });
                continue;
            }
            let only_unit = FIELDS
                .iter()
                .enumerate()
                .all(|(i, field)| i == 2 || !text.contains(field));
            if name.starts_with("word/header") && only_unit {
                let text = text.to_string();
                parts.push(Part::Unit { name, text });
            } else {
                elsewhere = true;
            }
        }
        if conditional || elsewhere {
            return Ok(None);
        }
        Ok(Some(FormTemplate {
            parts,
            pieces,
            tail,
            order,
            goal_row,
            next_paragraph_id,
            stamp: zip_stamp(date),
        }))
    }

    /// The `.docx` bytes of one person's form, with `goals` in the goals
    /// row when the form has one.
    pub fn fill(&self, info: &InfoValues, goals: &[String]) -> std::io::Result<Vec<u8>> {
        let values = [&info.employee, &info.manager, &info.unit, &info.date].map(|v| xml_escape(v));
        let mut xml =
            String::with_capacity(self.pieces.iter().map(String::len).sum::<usize>() + 256);
        for (i, piece) in self.pieces.iter().enumerate() {
            xml.push_str(piece);
            if let Some(field) = self.order.get(i) {
                xml.push_str(&values[*field]);
            }
        }
        if let Some(row) = &self.goal_row {
            let mut next_id = self.next_paragraph_id;
            let rows: String = goals
                .iter()
                .enumerate()
                .map(|(i, goal)| {
                    let row = row.replace(GOAL, &xml_escape(goal));
                    // The first copy keeps the ids of the built form; the others get new ones.
                    if i == 0 {
                        row
                    } else {
                        renumber_paragraphs(&row, &mut next_id)
                    }
                })
                .collect();
            xml = xml.replacen(row.as_str(), &rows, 1);
        }

        let document = Deflated::start(xml.as_bytes())?.join(&self.tail);
        let size = self.tail.bytes.len() + document.bytes.len() + 8 * 1024;
        let mut out = rawzip::ZipArchiveWriter::new(Vec::with_capacity(size));
        for part in &self.parts {
            match part {
                Part::Shared { name, data } => self.write_part(&mut out, name, data)?,
                Part::Document => self.write_part(&mut out, DOCUMENT_PART, &document)?,
                Part::Unit { name, text } => {
                    // Without a unit its separator goes too: "Styrelsen · MUS 2027".
                    let text = if info.unit.is_empty() {
                        text.replace(&format!(" · {}", FIELDS[2]), "")
                            .replace(FIELDS[2], "")
                    } else {
                        text.replace(FIELDS[2], &values[2])
                    };
                    self.write_part(
                        &mut out,
                        name,
                        &Deflated::whole(text.as_bytes(), Effort::PerPerson)?,
                    )?;
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

fn split_at_fields(xml: &str) -> (Vec<String>, Vec<usize>) {
    let mut pieces = Vec::new();
    let mut order = Vec::new();
    let mut rest = xml;
    loop {
        let next = FIELDS
            .iter()
            .enumerate()
            .filter_map(|(i, f)| rest.find(f).map(|at| (at, i)))
            .min();
        match next {
            Some((at, field)) => {
                pieces.push(rest[..at].to_string());
                order.push(field);
                rest = &rest[at + FIELDS[field].len()..];
            }
            None => {
                pieces.push(rest.to_string());
                return (pieces, order);
            }
        }
    }
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
    use super::{Deflated, uses_person_beyond_printing};

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(data), &mut out)
            .expect("a valid deflate stream");
        out
    }

    #[test]
    fn a_start_joined_to_a_whole_stream_inflates_to_both_texts_with_their_crc() {
        let start = "<w:body><w:p>Anne Hansen · Kontor for IT</w:p>".repeat(40);
        let rest = "<w:p>Hvad giver dig energi i arbejdet?</w:p>".repeat(400);
        let joined = Deflated::start(start.as_bytes())
            .expect("compresses")
            .join(&Deflated::whole(rest.as_bytes(), super::Effort::Once).expect("compresses"));
        let whole = format!("{start}{rest}");
        assert_eq!(inflate(&joined.bytes), whole.as_bytes());
        assert_eq!(
            joined.crc.clone().finalize(),
            crc32fast::hash(whole.as_bytes())
        );
        assert_eq!(joined.len, whole.len() as u64);
        // An empty start (a template that prints no person field) still joins.
        let empty = Deflated::start(b"").expect("compresses");
        let joined =
            empty.join(&Deflated::whole(rest.as_bytes(), super::Effort::Once).expect("compresses"));
        assert_eq!(inflate(&joined.bytes), rest.as_bytes());
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
        use crate::pipeline::render::{DocumentDate, DocumentKind, Templates};
        let catalogue = crate::pipeline::catalogue::Catalogue::built_in().expect("catalogue");
        let config =
            crate::pipeline::config::Config::parse("mus.yaml", "workplace: W\nyear: 2027\n")
                .expect("config");
        let plan = crate::pipeline::plan::Plan::new(&catalogue, &config).expect("plan");
        let templates = Templates::built_in().expect("templates");
        let kind = DocumentKind::Opfoelgning;
        let date = DocumentDate::for_year(2027);
        let built = super::FormTemplate::fillable(&plan, kind, &templates, date, true)
            .expect("builds")
            .expect("the built-in follow-up template only prints the person's details");
        let info = |name: &str| crate::form::InfoValues {
            employee: name.into(),
            manager: "Bo".into(),
            unit: "IT".into(),
            date: String::new(),
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
        let joined = Deflated::start(&noise)
            .expect("compresses")
            .join(&Deflated::whole(b"end", super::Effort::Once).expect("compresses"));
        let mut whole = noise.clone();
        whole.extend_from_slice(b"end");
        assert_eq!(inflate(&joined.bytes), whole);
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
