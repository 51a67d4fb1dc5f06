//! Reading one `.docx` form: the package within the limits, the info
//! block and the goals or follow-up tables, found by bookmark or by label.

use std::io::Read;
use std::path::Path;

use crate::form::labels::{
    DANISH, ENGLISH, GOALS_COLUMNS, GOALS_EXTRA_COLUMNS, INFO_LABELS, Labels, normalize_date,
};
use crate::form::{
    DOCUMENT_PROPERTY, FOLLOWUP_BOOKMARK, Field, FormKind, GOALS_BOOKMARK, INFO_BOOKMARK, Status,
    control_tag,
};

use super::forms::{Form, Found, Goal};

/// The labels of every language a form can be written in: a form is read
/// whichever language its info block and goals table are in.
const LANGUAGES: [&Labels; 2] = [&DANISH, &ENGLISH];

use crate::limits::{
    FORM_BYTES as MAX_FILE_BYTES, FORM_DOCUMENT_BYTES as MAX_DOCUMENT_BYTES,
    FORM_ENTRIES as MAX_ENTRIES, FORM_XML_NODES as MAX_XML_NODES,
};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Why a file is not read as a form. Its text is the reason `collect` gives
/// beside the file's name, one sentence with what to do where there is
/// something to do; the cause (an I/O or XML error) is part of that sentence.
#[derive(Debug)]
pub enum FormError {
    Read(std::io::Error),
    /// A FIFO, device, socket or folder: refused before it is opened.
    NotAFile(String),
    TooLarge {
        megabytes: u64,
    },
    OldWord,
    Pdf,
    NotDocx,
    Damaged(zip::result::ZipError),
    DamagedDocument(std::io::Error),
    TooManyParts(usize),
    NoDocumentPart,
    DocumentTooLarge,
    Dtd,
    Xml(roxmltree::Error),
    NoInfoBlock,
    NoGoalsTable,
    NoFollowUpTable,
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            FormError::Read(err) => crate::msg!("form-error.read", error = err),
            FormError::NotAFile(what) => what.clone(),
            FormError::TooLarge { megabytes } => {
                crate::msg!("form-error.too-large", megabytes = megabytes)
            }
            FormError::OldWord => crate::msg!("form-error.old-word"),
            FormError::Pdf => crate::msg!("form-error.pdf"),
            FormError::NotDocx => crate::msg!("form-error.not-docx"),
            FormError::Damaged(err) => crate::msg!("form-error.damaged", error = err),
            FormError::DamagedDocument(err) => {
                crate::msg!("form-error.damaged-document", error = err)
            }
            FormError::TooManyParts(parts) => {
                crate::msg!("form-error.too-many-parts", parts = parts)
            }
            FormError::NoDocumentPart => crate::msg!("form-error.no-document-part"),
            FormError::DocumentTooLarge => crate::msg!(
                "form-error.document-too-large",
                megabytes = MAX_DOCUMENT_BYTES / 1024 / 1024
            ),
            FormError::Dtd => crate::msg!("form-error.dtd"),
            FormError::Xml(err) => crate::msg!("form-error.xml", error = err),
            FormError::NoInfoBlock => {
                crate::msg!("form-error.no-info-block", bookmark = INFO_BOOKMARK)
            }
            FormError::NoGoalsTable => {
                crate::msg!("form-error.no-goals-table", bookmark = GOALS_BOOKMARK)
            }
            FormError::NoFollowUpTable => {
                crate::msg!(
                    "form-error.no-follow-up-table",
                    bookmark = FOLLOWUP_BOOKMARK
                )
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for FormError {}

/// The bytes of a file, within [`MAX_FILE_BYTES`] (read as
/// [`crate::limits::read_bounded`] reads). Anything but a regular file is
/// refused before it is opened, so a FIFO cannot block the run.
pub(super) fn read_file(path: &Path) -> Result<Vec<u8>, FormError> {
    let metadata = std::fs::metadata(path).map_err(FormError::Read)?;
    if !metadata.is_file() {
        return Err(FormError::NotAFile(crate::limits::not_regular_reason(
            &metadata,
        )));
    }
    crate::limits::read_bounded(path, MAX_FILE_BYTES).map_err(|err| match err.kind() {
        std::io::ErrorKind::FileTooLarge => FormError::TooLarge {
            megabytes: metadata.len().max(MAX_FILE_BYTES + 1) / 1024 / 1024,
        },
        _ => FormError::Read(err),
    })
}

/// Reads one filled-in form; `Ok(None)` for another of our documents, `Err` says
/// why the file is not a form.
pub fn read_form(path: &Path) -> Result<Found, FormError> {
    let bytes = read_file(path)?;
    read_form_bytes(&bytes, &path.display().to_string())
}

/// Reads a form from the bytes of a `.docx`; `file` is the name it is known by.
/// Any bytes give an answer, never a panic.
pub fn read_form_bytes(bytes: &[u8], file: &str) -> Result<Found, FormError> {
    let (xml, property) = document_xml(bytes)?;
    let notes_form = property.as_deref() == Some("samtaleskema");
    let kind = match property.as_deref() {
        None => None,
        Some("samtaleskema" | "udviklingsplan") => Some(FormKind::Samtale),
        Some("opfoelgning") => Some(FormKind::Opfoelgning),
        Some(_) => return Ok(Found::Other),
    };
    // No DTD, so no entities to expand or fetch; and a bound on the nodes.
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xml, options).map_err(|err| match err {
        roxmltree::Error::DtdDetected => FormError::Dtd,
        other => FormError::Xml(other),
    })?;

    let info = find_info_table(&doc, INFO_BOOKMARK, &INFO_LABELS)
        .or_else(|| find_info_table(&doc, INFO_BOOKMARK, &ENGLISH.info_labels))
        .ok_or(FormError::NoInfoBlock)?;
    // Without the property (a file from before it), the tables say which kind.
    // A follow-up form's goals table holds the goals new at the follow-up.
    let goals_tables = find_goals_tables(&doc);
    if notes_form && goals_tables.is_empty() {
        return Ok(Found::Notes);
    }
    let followup_tables = match kind {
        Some(FormKind::Samtale) => Vec::new(),
        None if !goals_tables.is_empty() => Vec::new(),
        _ => find_followup_tables(&doc),
    };
    let kind = match kind {
        Some(kind) => kind,
        None if goals_tables.is_empty() && !followup_tables.is_empty() => FormKind::Opfoelgning,
        None => FormKind::Samtale,
    };
    match kind {
        FormKind::Samtale if goals_tables.is_empty() => return Err(FormError::NoGoalsTable),
        FormKind::Opfoelgning if followup_tables.is_empty() => {
            return Err(FormError::NoFollowUpTable);
        }
        _ => {}
    }

    let mut values: [String; 6] = Default::default();
    for row in rows(info) {
        let cells = cells(row);
        if let Some(i) = cells.first().and_then(|label| {
            LANGUAGES
                .iter()
                .find_map(|words| label_index(label, &words.info_labels))
        }) {
            values[i] = cells[1..].join(" ").trim().to_string();
        }
    }
    // A control's value comes first: it is found by its tag, whatever its
    // label now says; a form without controls (LibreOffice may flatten
    // them) keeps the values read by label.
    for (field, value) in info_controls(&doc) {
        if let Some(row) = field.info_row() {
            values[row] = value;
        }
    }
    let [employee, manager, unit, date, held, id] = values;
    let followups = filled_rows(followup_tables, is_followup_header_row).map(|(row, cells)| {
        let cell = |i: usize| cell_text(&cells, i);
        // The line under the goal says what was agreed: not the goal.
        let first = cell(0);
        let written: Vec<&str> = first
            .lines()
            .filter(|line| {
                !LANGUAGES
                    .iter()
                    .any(|words| line.trim_start().starts_with(words.agreed))
            })
            .collect();
        let (goal_no, goal) = numbered(&written.join("\n"));
        Goal {
            goal,
            goal_no,
            status: Status::from_written(
                &tagged_control(row, Field::Status)
                    .map(control_value)
                    .unwrap_or_else(|| cell(1)),
            ),
            helped: cell(2),
            hindered: cell(3),
            // Cells people add to the right belong to the next step.
            next_step: cells
                .iter()
                .skip(4)
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
            ..Goal::default()
        }
    });
    let new_goals = kind == FormKind::Opfoelgning;
    let goals = filled_rows(goals_tables, is_header_row)
        .enumerate()
        .map(|(i, (_, cells))| {
            let cell = |i: usize| cell_text(&cells, i);
            Goal {
                goal: cell(0),
                goal_no: (!new_goals).then_some(i as u32 + 1),
                new_goal: new_goals,
                activities: cell(1),
                when: cell(2),
                responsible: cell(GOALS_COLUMNS.len()),
                how_reached: cell(GOALS_COLUMNS.len() + 1),
                // Cells people add to the right of the form's own belong to
                // the follow-up.
                follow_up: std::iter::once(cell(3))
                    .chain(
                        cells
                            .iter()
                            .skip(GOALS_COLUMNS.len() + GOALS_EXTRA_COLUMNS.len())
                            .cloned(),
                    )
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim()
                    .to_string(),
                ..Goal::default()
            }
        })
        .collect::<Vec<_>>();
    // The goals followed up first, then those new at the follow-up.
    let goals = followups.chain(goals).collect();
    Ok(Found::Form(Form {
        kind,
        file: file.to_string(),
        employee,
        manager,
        unit,
        date: normalize_date(&date),
        held: normalize_date(&held),
        id,
        goals,
    }))
}

/// A follow-up row's goal as printed, `3. Blive bedre til Python`: its
/// number in the development plan, and the text after it.
fn numbered(cell: &str) -> (Option<u32>, String) {
    let text = cell.trim_start();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    match (
        text[..digits].parse::<u32>(),
        text[digits..].strip_prefix('.'),
    ) {
        (Ok(number), Some(rest)) if digits <= 3 => (Some(number), rest.trim().to_string()),
        _ => (None, cell.to_string()),
    }
}

/// The document part of a `.docx`, read within the limits above, and the
/// kind of document its custom properties name, if any.
fn document_xml(bytes: &[u8]) -> Result<(String, Option<String>), FormError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FormError::OldWord);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(FormError::Pdf);
    }
    if !bytes.starts_with(b"PK") {
        return Err(FormError::NotDocx);
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(FormError::Damaged)?;
    if archive.len() > MAX_ENTRIES {
        return Err(FormError::TooManyParts(archive.len()));
    }
    let kind = document_kind(&mut archive);
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|_| FormError::NoDocumentPart)?;
    let mut xml = String::new();
    entry
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(FormError::DamagedDocument)?;
    if xml.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(FormError::DocumentTooLarge);
    }
    Ok((xml, kind))
}

/// The value of our custom property `mus-dokument`, when the package has it.
fn document_kind(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>) -> Option<String> {
    let mut xml = String::new();
    archive
        .by_name("docProps/custom.xml")
        .ok()?
        .take(1024 * 1024)
        .read_to_string(&mut xml)
        .ok()?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xml, options).ok()?;
    let property = doc.descendants().find(|n| {
        n.tag_name().name() == "property" && n.attribute("name") == Some(DOCUMENT_PROPERTY)
    })?;
    property
        .descendants()
        .find_map(|n| n.text())
        .map(str::to_string)
}

/// The info table: the one holding `bookmark`, or else the first whose
/// first column has all the `labels`.
fn find_info_table<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
    bookmark: &str,
    labels: &[&str],
) -> Option<roxmltree::Node<'a, 'input>> {
    // The first bookmark of that name only: a crafted file may hold many.
    let by_bookmark = doc
        .descendants()
        .find(|n| {
            n.has_tag_name((W, "bookmarkStart")) && n.attribute((W, "name")) == Some(bookmark)
        })
        .and_then(|n| n.ancestors().find(|a| a.has_tag_name((W, "tbl"))));
    by_bookmark.or_else(|| {
        doc.descendants()
            .filter(|n| n.has_tag_name((W, "tbl")))
            .find(|table| {
                let found: Vec<String> = rows(*table)
                    .filter_map(|r| cells(r).into_iter().next())
                    .collect();
                labels
                    .iter()
                    .all(|label| found.iter().any(|f| same_label(f, label)))
            })
    })
}

/// Every goals table of a form, in document order: the one holding the
/// bookmark, and any whose header row has the goals columns (people copy the
/// table, and the copy loses the bookmark). A table inside another goals
/// table is read with that table, not again.
fn find_goals_tables<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
) -> Vec<roxmltree::Node<'a, 'input>> {
    /// Bookmarks looked at: a crafted file may hold very many.
    const MAX_BOOKMARKS: usize = crate::limits::FORM_BOOKMARKS;
    let mut chosen = std::collections::HashSet::new();
    doc.descendants()
        .filter(|n| {
            n.has_tag_name((W, "bookmarkStart")) && n.attribute((W, "name")) == Some(GOALS_BOOKMARK)
        })
        .take(MAX_BOOKMARKS)
        .filter_map(|n| n.ancestors().find(|a| a.has_tag_name((W, "tbl"))))
        .for_each(|table| {
            chosen.insert(table.id());
        });
    for table in doc.descendants().filter(|n| n.has_tag_name((W, "tbl"))) {
        let header = rows(table).next().map(cells).unwrap_or_default();
        if LANGUAGES.iter().any(|words| {
            words
                .goals_columns
                .iter()
                .all(|label| header.iter().any(|f| same_label(f, label)))
        }) {
            chosen.insert(table.id());
        }
    }
    doc.descendants()
        .filter(|n| chosen.contains(&n.id()))
        .filter(|n| !n.ancestors().skip(1).any(|a| chosen.contains(&a.id())))
        .collect()
}

/// Every follow-up table of a follow-up form, in document order: the one
/// holding the bookmark, and any whose header row has the follow-up columns
/// in either language. A table inside another is read with that table.
fn find_followup_tables<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
) -> Vec<roxmltree::Node<'a, 'input>> {
    let mut chosen = std::collections::HashSet::new();
    doc.descendants()
        .filter(|n| {
            n.has_tag_name((W, "bookmarkStart"))
                && n.attribute((W, "name")) == Some(FOLLOWUP_BOOKMARK)
        })
        .take(crate::limits::FORM_BOOKMARKS)
        .filter_map(|n| n.ancestors().find(|a| a.has_tag_name((W, "tbl"))))
        .for_each(|table| {
            chosen.insert(table.id());
        });
    for table in doc.descendants().filter(|n| n.has_tag_name((W, "tbl"))) {
        if rows(table)
            .next()
            .is_some_and(|row| is_followup_header(&cells(row)))
        {
            chosen.insert(table.id());
        }
    }
    doc.descendants()
        .filter(|n| chosen.contains(&n.id()))
        .filter(|n| !n.ancestors().skip(1).any(|a| chosen.contains(&a.id())))
        .collect()
}

/// A follow-up table's header row: its cells are the follow-up columns.
fn is_followup_header(cells: &[String]) -> bool {
    LANGUAGES.iter().any(|words| {
        cells.len() >= words.followup_columns.len()
            && words
                .followup_columns
                .iter()
                .zip(cells)
                .all(|(label, found)| same_label(found, label))
    })
}

/// A follow-up table's header row: marked to repeat, holding the bookmark,
/// or labelled as one.
fn is_followup_header_row(row: roxmltree::Node) -> bool {
    row.descendants().any(|n| {
        n.has_tag_name((W, "tblHeader"))
            || (n.has_tag_name((W, "bookmarkStart"))
                && n.attribute((W, "name")) == Some(FOLLOWUP_BOOKMARK))
    }) || is_followup_header(&cells(row))
}

/// The rows of `tables` that hold something, each with the text of each
/// grid column; header rows (told by `is_header`) and empty rows left out.
fn filled_rows<'a, 'input: 'a>(
    tables: Vec<roxmltree::Node<'a, 'input>>,
    is_header: fn(roxmltree::Node) -> bool,
) -> impl Iterator<Item = (roxmltree::Node<'a, 'input>, Vec<String>)> + 'a {
    tables
        .into_iter()
        .flat_map(rows)
        .filter(move |row| !is_header(*row))
        .map(|row| (row, cells(row)))
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
}

/// The value of each info block field that has a content control (its tag,
/// [`control_tag`](crate::form::control_tag)), the first control of a tag
/// only.
fn info_controls(doc: &roxmltree::Document) -> Vec<(Field, String)> {
    let mut found: Vec<(Field, String)> = Vec::new();
    for sdt in doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "sdt")))
        .take(crate::limits::FORM_BOOKMARKS)
    {
        let Some(field) = control_property(sdt, "tag")
            .and_then(|tag| tag.attribute((W, "val")))
            .and_then(Field::of_tag)
            .filter(|f| f.info_row().is_some())
        else {
            continue;
        };
        if found.iter().all(|(f, _)| *f != field) {
            found.push((field, control_value(sdt)));
        }
    }
    found
}

/// The first content control in `row` tagged for `field`.
fn tagged_control<'a, 'input>(
    row: roxmltree::Node<'a, 'input>,
    field: Field,
) -> Option<roxmltree::Node<'a, 'input>> {
    row.descendants().find(|n| {
        n.has_tag_name((W, "sdt"))
            && control_property(*n, "tag").and_then(|t| t.attribute((W, "val")))
                == Some(control_tag(field))
    })
}

/// A child of a control's `w:sdtPr`.
fn control_property<'a, 'input>(
    sdt: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Option<roxmltree::Node<'a, 'input>> {
    sdt.children()
        .find(|n| n.has_tag_name((W, "sdtPr")))?
        .children()
        .find(|n| n.has_tag_name((W, name)))
}

/// Whether a control shows its placeholder text, not a value.
fn showing_placeholder(sdt: roxmltree::Node) -> bool {
    control_property(sdt, "showingPlcHdr")
        .is_some_and(|flag| !matches!(flag.attribute((W, "val")), Some("0" | "false" | "off")))
}

/// What a control holds: the text of its content, empty while it shows its
/// placeholder. A date picker whose text does not read as a date gives the
/// date it stores (`w:fullDate`), if any.
fn control_value(sdt: roxmltree::Node) -> String {
    if showing_placeholder(sdt) {
        return String::new();
    }
    let Some(content) = sdt.children().find(|n| n.has_tag_name((W, "sdtContent"))) else {
        return String::new();
    };
    let paragraphs: Vec<_> = content
        .descendants()
        .filter(|p| p.has_tag_name((W, "p")))
        .collect();
    let text = match paragraphs.is_empty() {
        true => paragraph_text(content),
        false => paragraphs
            .into_iter()
            .map(paragraph_text)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let text = text.trim().to_string();
    let stored = control_property(sdt, "date")
        .and_then(|d| d.attribute((W, "fullDate")))
        .and_then(|d| d.get(..10))
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
    match stored {
        Some(date) if !is_iso_date(&normalize_date(&text)) => date.to_string(),
        _ if crate::form::is_placeholder(&text) => String::new(),
        _ => text,
    }
}

fn is_iso_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// The trimmed text of column `i`, empty when the row is shorter.
fn cell_text(cells: &[String], i: usize) -> String {
    cells
        .get(i)
        .map(|c| c.trim().to_string())
        .unwrap_or_default()
}

fn rows<'a, 'input>(
    table: roxmltree::Node<'a, 'input>,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    table.children().filter(|n| n.has_tag_name((W, "tr")))
}

/// The text of each grid column of a row: a merged cell (`w:gridSpan`)
/// stands in its first column and leaves the others empty, and columns
/// skipped with `w:gridBefore` are empty, so values stay under their header.
fn cells(row: roxmltree::Node) -> Vec<String> {
    let grid_value = |node: roxmltree::Node, tag: &str| {
        node.children()
            .find(|n| n.has_tag_name((W, "trPr")) || n.has_tag_name((W, "tcPr")))
            .and_then(|props| props.children().find(|n| n.has_tag_name((W, tag))))
            .and_then(|n| n.attribute((W, "val")))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let mut out = vec![String::new(); grid_value(row, "gridBefore").unwrap_or(0).min(64)];
    for cell in row.children().filter(|n| n.has_tag_name((W, "tc"))) {
        let text = cell
            .descendants()
            .filter(|p| p.has_tag_name((W, "p")))
            .map(paragraph_text)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string();
        // What LibreOffice leaves of an empty control it flattened.
        let text = match crate::form::is_placeholder(&text) {
            true => String::new(),
            false => text,
        };
        out.push(text);
        let span = grid_value(cell, "gridSpan").unwrap_or(1).clamp(1, 64);
        out.extend(std::iter::repeat_n(String::new(), span - 1));
    }
    out
}

/// A header row: marked to repeat, holding the goals bookmark, or labelled as one.
fn is_header_row(row: roxmltree::Node) -> bool {
    row.descendants().any(|n| {
        n.has_tag_name((W, "tblHeader"))
            || (n.has_tag_name((W, "bookmarkStart"))
                && n.attribute((W, "name")) == Some(GOALS_BOOKMARK))
    }) || is_header(&cells(row))
}

/// The text of a paragraph, without the placeholder text of a control in it.
fn paragraph_text(paragraph: roxmltree::Node) -> String {
    let mut text = String::new();
    let placeholders: Vec<_> = paragraph
        .descendants()
        .filter(|n| n.has_tag_name((W, "sdt")) && showing_placeholder(*n))
        .map(|n| n.range())
        .collect();
    for node in paragraph.descendants() {
        let at = node.range().start;
        if placeholders.iter().any(|r| r.contains(&at)) {
            continue;
        }
        if node.has_tag_name((W, "t")) {
            text.push_str(node.text().unwrap_or_default());
        } else if node.has_tag_name((W, "tab")) {
            text.push('\t');
        } else if node.has_tag_name((W, "br")) || node.has_tag_name((W, "cr")) {
            text.push('\n');
        }
    }
    text
}

fn same_label(found: &str, label: &str) -> bool {
    found
        .trim()
        .trim_end_matches(':')
        .eq_ignore_ascii_case(label)
        || found.trim().to_lowercase() == label.to_lowercase()
}

fn label_index(found: &str, labels: &[&str]) -> Option<usize> {
    labels.iter().position(|label| same_label(found, label))
}

/// A header row: its first cells are the column labels.
fn is_header(cells: &[String]) -> bool {
    cells.len() >= 2
        && LANGUAGES.iter().any(|words| {
            same_label(&cells[0], words.goals_columns[0])
                && same_label(&cells[1], words.goals_columns[1])
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_doc_and_pdf_get_their_own_reason() {
        let doc = document_xml(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).expect_err("doc");
        assert!(matches!(doc, FormError::OldWord));
        assert!(doc.to_string().contains("save it as .docx"));
        let pdf = document_xml(b"%PDF-1.7").expect_err("pdf");
        assert!(matches!(pdf, FormError::Pdf));
        let broken = document_xml(b"PK\x03\x04broken").expect_err("truncated");
        assert!(matches!(broken, FormError::Damaged(_)));
        assert!(broken.to_string().contains("damaged"));
    }

    #[test]
    fn the_reason_names_the_bookmark_it_looked_for() {
        assert_eq!(
            FormError::NoGoalsTable.to_string(),
            "not a mus interview form: no goals table (bookmark `mus_udviklingsmaal`) was found"
        );
    }
}
