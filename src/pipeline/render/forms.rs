//! Personal interview forms in bulk. The form of a plan is built once as a
//! package with placeholders in the info block; each person's form then
//! copies every part but `word/document.xml` as already-compressed bytes and
//! fills in only their name, manager, unit and date.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{DocumentDate, DocumentKind, Templates};
use crate::error::{Error, Result};
use crate::form::InfoValues;
use crate::pipeline::plan::Plan;

const DOCUMENT_PART: &str = "word/document.xml";
/// Placeholder for one of last year's goals, in the row that is repeated.
const PREVIOUS_GOAL: &str = "\u{F8FF}mus-previous-goal\u{F8FF}";
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
    /// The packed form; its document part holds the placeholders.
    package: Vec<u8>,
    /// The document part split at the placeholders: `pieces[0] field pieces[1] …`.
    pieces: Vec<String>,
    /// Which field goes after each piece but the last.
    order: Vec<usize>,
    /// With last year's goals: the table row that is repeated for each goal.
    previous_row: Option<String>,
    /// The first paragraph id above every id in the form: each repeated
    /// row's paragraphs get fresh ids from here, so ids stay unique.
    next_paragraph_id: u32,
    /// Parts besides the document that show the person's unit (the page
    /// header), with the unit placeholder in them.
    unit_parts: Vec<(String, String)>,
    date: DocumentDate,
}

impl FormTemplate {
    /// Builds the form of `plan` once.
    /// Builds the form of `plan` once; `with_previous` gives topic 1 the
    /// table of last year's goals, its row to be repeated per goal.
    pub fn new(
        plan: &Plan,
        templates: &Templates,
        date: DocumentDate,
        with_previous: bool,
    ) -> Result<FormTemplate> {
        let placeholders = InfoValues {
            employee: FIELDS[0].into(),
            manager: FIELDS[1].into(),
            unit: FIELDS[2].into(),
            date: FIELDS[3].into(),
        };
        let goals = if with_previous {
            vec![PREVIOUS_GOAL.to_string()]
        } else {
            Vec::new()
        };
        let person = super::Person {
            info: placeholders,
            goals,
            chart: None,
            report: None,
        };
        let form = super::render(plan, DocumentKind::Samtaleskema, templates, &person, date)?;
        let io = |err: std::io::Error| Error::build(DocumentKind::Samtaleskema.file_name(), err);
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
        let previous_row = xml.find(PREVIOUS_GOAL).and_then(|at| {
            let start = xml[..at]
                .rfind("<w:tr>")
                .or_else(|| xml[..at].rfind("<w:tr "))?;
            let end = at + xml[at..].find("</w:tr>")? + "</w:tr>".len();
            Some(xml[start..end].to_string())
        });
        let (pieces, order) = split_at_fields(&xml);
        let next_paragraph_id = paragraph_ids(&xml).max().map_or(1, |id| id + 1);
        // The person's details are filled in afterwards, so a template may
        // print them only as they are: in the body, and the unit also in the
        // page header (`{% if person.unit %}` is allowed, as a person may have
        // none). A filter or another condition shows as a difference between
        // the form's Markdown with placeholders and with empty details (the
        // placeholders taken out of both), or in the template's text; a
        // placeholder anywhere else shows in the package. Any of these, and
        // the template is refused.
        let kind = DocumentKind::Samtaleskema;
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
        let mut unit_parts = Vec::new();
        let mut elsewhere = false;
        for i in 0..archive.len() {
            let Ok(mut entry) = archive.by_index(i) else {
                continue;
            };
            let Ok(name) = entry.name().map(|n| n.to_string()) else {
                continue;
            };
            let mut text = String::new();
            if name == DOCUMENT_PART
                || std::io::Read::read_to_string(&mut entry, &mut text).is_err()
                || !FIELDS.iter().any(|field| text.contains(field))
            {
                continue;
            }
            let only_unit = FIELDS
                .iter()
                .enumerate()
                .all(|(i, field)| i == 2 || !text.contains(field));
            if name.starts_with("word/header") && only_unit {
                unit_parts.push((name, text));
            } else {
                elsewhere = true;
            }
        }
        if conditional || elsewhere {
            return Err(crate::error::Diagnostic::new(
                templates.origin(&kind.template()),
                None,
                "with --roster, `person.*` can only be printed as it is, in the body of the form",
            )
            .with_hint("use the info block for the person's details, not the header, footer, a filter or a condition")
            .into());
        }
        Ok(FormTemplate {
            package: form.bytes,
            pieces,
            order,
            previous_row,
            next_paragraph_id,
            unit_parts,
            date,
        })
    }

    /// The `.docx` bytes of one person's form.
    pub fn fill(&self, info: &InfoValues, previous_goals: &[String]) -> std::io::Result<Vec<u8>> {
        let values = [&info.employee, &info.manager, &info.unit, &info.date].map(|v| xml_escape(v));
        let mut xml =
            String::with_capacity(self.pieces.iter().map(String::len).sum::<usize>() + 256);
        for (i, piece) in self.pieces.iter().enumerate() {
            xml.push_str(piece);
            if let Some(field) = self.order.get(i) {
                xml.push_str(&values[*field]);
            }
        }
        if let Some(row) = &self.previous_row {
            let mut next_id = self.next_paragraph_id;
            let rows: String = previous_goals
                .iter()
                .enumerate()
                .map(|(i, goal)| {
                    let row = row.replace(PREVIOUS_GOAL, &xml_escape(goal));
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

        let mut source =
            ZipArchive::new(Cursor::new(&self.package[..])).map_err(std::io::Error::other)?;
        let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(self.package.len() + 1024)));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(super::package::zip_time(self.date)?)
            .unix_permissions(0o644);
        for i in 0..source.len() {
            let entry = source.by_index_raw(i).map_err(std::io::Error::other)?;
            let unit_part = self
                .unit_parts
                .iter()
                .find(|(name, _)| entry.name_raw() == name.as_bytes());
            if entry.name_raw() == DOCUMENT_PART.as_bytes() {
                drop(entry);
                out.start_file(DOCUMENT_PART, options)
                    .map_err(std::io::Error::other)?;
                out.write_all(xml.as_bytes())?;
            } else if let Some((name, text)) = unit_part {
                drop(entry);
                // Without a unit its separator goes too: "Styrelsen · MUS 2027".
                let text = if info.unit.is_empty() {
                    text.replace(&format!(" · {}", FIELDS[2]), "")
                        .replace(FIELDS[2], "")
                } else {
                    text.replace(FIELDS[2], &values[2])
                };
                out.start_file(name.as_str(), options)
                    .map_err(std::io::Error::other)?;
                out.write_all(text.as_bytes())?;
            } else {
                out.raw_copy_file(entry).map_err(std::io::Error::other)?;
            }
        }
        Ok(out.finish().map_err(std::io::Error::other)?.into_inner())
    }
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

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uses_person_beyond_printing;

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
