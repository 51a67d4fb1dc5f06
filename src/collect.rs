//! Reading filled-in interview forms back (`mus collect`). A form is found
//! by its bookmarks — `mus_info` in the info block, `mus_udviklingsmaal` in
//! the goals table — which Word and LibreOffice keep when people add rows,
//! move the table or re-save the file; the header labels are the fallback.
//! Every file gets an answer: read, or skipped with the reason.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::render::docx::{DOCUMENT_PROPERTY, GOALS_BOOKMARK, INFO_BOOKMARK};
use crate::render::labels::{GOALS_COLUMNS, GOALS_EXTRA_COLUMNS, INFO_LABELS, MONTHS};

/// A file larger than this is not one of our forms.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// The most the document part may unpack to (a zip bomb stops here).
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;
/// The most entries a package may have.
pub const MAX_ENTRIES: usize = 2_000;
/// The most XML nodes the document part may have.
pub const MAX_XML_NODES: u32 = 2_000_000;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// One agreed development goal: a row of the goals table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Goal {
    pub goal: String,
    pub activities: String,
    pub when: String,
    pub follow_up: String,
}

/// What one filled-in form says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    pub file: String,
    pub employee: String,
    pub manager: String,
    pub unit: String,
    /// The interview date as `YYYY-MM-DD` when it can be read as a date, else as written.
    pub date: String,
    pub goals: Vec<Goal>,
}

/// A file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub file: String,
    pub reason: String,
}

/// Everything `collect` read.
#[derive(Debug, Default)]
pub struct Collection {
    pub forms: Vec<Form>,
    pub failures: Vec<Failure>,
    /// Our own other documents (guides, follow-up forms) found beside the
    /// forms: not forms, not failures.
    pub others: Vec<String>,
}

/// Reads every `.docx` in `paths` (files, or folders searched below);
/// other files named directly are reported as failures.
pub fn collect_paths(paths: &[PathBuf]) -> Collection {
    let mut files = Vec::new();
    let mut collection = Collection::default();
    for path in paths {
        if path.is_dir() {
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() && is_candidate(e.path()) => {
                        files.push(e.into_path())
                    }
                    Ok(_) => {}
                    Err(err) => collection.failures.push(Failure {
                        file: path.display().to_string(),
                        reason: format!("cannot read the folder: {err}"),
                    }),
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() && collection.failures.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        collection.failures.push(Failure {
            file: names.join(", "),
            reason: "no .docx files found; check the path".into(),
        });
    }
    for file in files {
        match read_form(&file) {
            Ok(Some(form)) => collection.forms.push(form),
            Ok(None) => collection.others.push(file.display().to_string()),
            Err(reason) => collection.failures.push(Failure {
                file: file.display().to_string(),
                reason,
            }),
        }
    }
    collection
}

/// Files in a folder worth a look: Word documents, and what people save
/// by mistake in their place, so the mistake gets a clear answer.
fn is_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    // Word's lock files (~$form.docx) are not documents.
    !name.starts_with("~$")
        && [".docx", ".doc", ".pdf", ".odt"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Reads one filled-in form; `Ok(None)` for another of our documents, `Err` says
/// in a sentence why the file is not a form.
pub fn read_form(path: &Path) -> Result<Option<Form>, String> {
    let size = std::fs::metadata(path)
        .map_err(|err| format!("cannot read the file: {err}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} MB; an interview form is far smaller",
            size / 1024 / 1024
        ));
    }
    let bytes = std::fs::read(path).map_err(|err| format!("cannot read the file: {err}"))?;
    let (xml, kind) = document_xml(&bytes)?;
    if kind.as_deref().is_some_and(|k| k != "samtaleskema") {
        return Ok(None);
    }
    // No DTD, so no entities to expand or fetch; and a bound on the nodes.
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&xml, options).map_err(|err| match err {
        roxmltree::Error::DtdDetected => {
            "the document declares a DTD, which Word never writes; entities are not read (refused)"
                .to_string()
        }
        other => format!("the document's XML cannot be read: {other}"),
    })?;

    let info = find_table(&doc, INFO_BOOKMARK, &INFO_LABELS, Orientation::Rows)
        .ok_or("not a mus interview form: no info block (bookmark `mus_info`) was found")?;
    let goals_table = find_table(&doc, GOALS_BOOKMARK, &GOALS_COLUMNS, Orientation::Columns)
        .ok_or(
            "not a mus interview form: no goals table (bookmark `mus_udviklingsmaal`) was found",
        )?;

    let mut values = [String::new(), String::new(), String::new(), String::new()];
    for row in rows(info) {
        let cells = cells(row);
        if let Some(i) = cells
            .first()
            .and_then(|label| label_index(label, &INFO_LABELS))
        {
            values[i] = cells[1..].join(" ").trim().to_string();
        }
    }
    let [employee, manager, unit, date] = values;
    let goals = rows(goals_table)
        .filter(|row| !is_header_row(*row))
        .map(cells)
        .filter(|cells| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|cells| {
            let cell = |i: usize| {
                cells
                    .get(i)
                    .map(|c| c.trim().to_string())
                    .unwrap_or_default()
            };
            Goal {
                goal: cell(0),
                activities: cell(1),
                when: cell(2),
                // The form's own columns after the follow-up (responsible, how
                // we see the goal is reached) are not collected; cells people
                // add to the right of them belong to the follow-up.
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
            }
        })
        .collect();
    Ok(Some(Form {
        file: path.display().to_string(),
        employee,
        manager,
        unit,
        date: normalize_date(&date),
        goals,
    }))
}

/// The document part of a `.docx`, read within the limits above, and the
/// kind of document its custom properties name, if any.
fn document_xml(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("an old Word file (.doc): open it in Word and save it as .docx".into());
    }
    if bytes.starts_with(b"%PDF") {
        return Err("a PDF, not a Word document: collect reads the .docx forms".into());
    }
    if !bytes.starts_with(b"PK") {
        return Err("not a Word document (.docx)".into());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|err| {
        format!("the file is damaged or incomplete (it cannot be unpacked: {err})")
    })?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "the package has {} parts; an interview form has about 20",
            archive.len()
        ));
    }
    let kind = document_kind(&mut archive);
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|_| "not a Word document: it has no word/document.xml (an OpenDocument file? save it as .docx)")?;
    let mut xml = String::new();
    entry
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|err| {
            format!("the file is damaged or incomplete (the document cannot be unpacked: {err})")
        })?;
    if xml.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "the document unpacks to more than {} MB, which no interview form does (a zip bomb?)",
            MAX_DOCUMENT_BYTES / 1024 / 1024
        ));
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

/// Whether a table's labels run down its first column or across its first row.
#[derive(Clone, Copy)]
enum Orientation {
    Rows,
    Columns,
}

/// The table holding `bookmark`, or else the first whose labels match.
fn find_table<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
    bookmark: &str,
    labels: &[&str],
    orientation: Orientation,
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
                let found: Vec<String> = match orientation {
                    Orientation::Columns => rows(*table).next().map(cells).unwrap_or_default(),
                    Orientation::Rows => rows(*table)
                        .filter_map(|r| cells(r).into_iter().next())
                        .collect(),
                };
                labels
                    .iter()
                    .all(|label| found.iter().any(|f| same_label(f, label)))
            })
    })
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

fn paragraph_text(paragraph: roxmltree::Node) -> String {
    let mut text = String::new();
    for node in paragraph.descendants() {
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
        && same_label(&cells[0], GOALS_COLUMNS[0])
        && same_label(&cells[1], GOALS_COLUMNS[1])
}

/// `1. februar 2027`, `1/2/2027`, `01-02-2027`, `01.02.2027` and `2027-02-01`
/// as `2027-02-01`; anything else as written.
pub fn normalize_date(text: &str) -> String {
    use chrono::Datelike;
    let text = text.trim();
    // Two-digit years (`1/2/27`) are ambiguous: they stay as written.
    let plausible = |date: NaiveDate| (1900..=2200).contains(&date.year());
    for format in ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d/%m-%Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format)
            && plausible(date)
        {
            return date.to_string();
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if let [day, month, year] = words.as_slice()
        && let (Ok(day), Some(month), Ok(year)) = (
            day.trim_end_matches('.').parse::<u32>(),
            MONTHS
                .iter()
                .position(|m| m.eq_ignore_ascii_case(month.trim_end_matches('.'))),
            year.parse::<i32>(),
        )
        && let Some(date) = NaiveDate::from_ymd_opt(year, month as u32 + 1, day)
    {
        return date.to_string();
    }
    text.to_string()
}

/// One CSV record per goal; a form without goals gives one record with the
/// goal columns empty, so it is still counted.
pub fn to_csv(forms: &[Form]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for form in forms {
        let empty = [Goal::default()];
        let goals: &[Goal] = if form.goals.is_empty() {
            &empty
        } else {
            &form.goals
        };
        for goal in goals {
            writer.write_record([
                &form.file,
                &form.employee,
                &form.manager,
                &form.unit,
                &form.date,
                &goal.goal,
                &goal.activities,
                &goal.when,
                &goal.follow_up,
            ])?;
        }
    }
    let bytes = writer.into_inner().map_err(|err| err.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The columns of a collected CSV, as `followup`, `report` and `--previous` read them.
pub const CSV_HEADER: [&str; 9] = [
    "file",
    "employee",
    "manager",
    "unit",
    "date",
    "goal",
    "activities",
    "when",
    "follow_up",
];

/// Reads a CSV written by [`to_csv`] (or edited in Excel since) back into
/// forms, one per `file`, in the order they first appear.
pub fn read_csv(path: &Path) -> crate::Result<Vec<Form>> {
    use crate::error::{Diagnostic, Location, Origin};
    let name: std::sync::Arc<str> = std::sync::Arc::from(path.display().to_string());
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::new(
            name.to_string(),
            None,
            format!("cannot read the collected goals: {err}"),
        )
    })?;
    let text = crate::roster::decode_text(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(crate::roster::guess_delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let at = |line: usize| Origin::new(&name, Some(Location { line, column: 1 }));
    let headers = reader
        .headers()
        .map_err(|err| Diagnostic::at(&at(1), format!("cannot read the header row: {err}")))?
        .clone();
    let column = |wanted: &str| headers.iter().position(|h| h.trim() == wanted);
    let (Some(employee), Some(goal)) = (column("employee"), column("goal")) else {
        return Err(Diagnostic::at(
            &at(1),
            "not a file from `mus collect`: it needs the columns `employee` and `goal`",
        )
        .with_hint("make it with `mus collect FORMS… -o goals.csv`")
        .into());
    };
    let get = |record: &csv::StringRecord, key: &str| {
        column(key)
            .and_then(|i| record.get(i))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let mut forms: Vec<Form> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            Diagnostic::at(
                &at(err.position().map_or(0, |p| p.line() as usize)),
                format!("row cannot be read: {err}"),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        // A second header row (two files joined) or a repeated record is not a goal.
        if record.iter().eq(headers.iter())
            || !seen.insert(record.iter().map(str::to_string).collect::<Vec<_>>())
        {
            continue;
        }
        if let Some(ch) = record
            .iter()
            .flat_map(str::chars)
            .find(|c| crate::yaml::is_xml_invalid(*c))
        {
            return Err(Diagnostic::at(
                &at(line),
                format!(
                    "row {line}: the control character U+{:04X} cannot go into a Word document",
                    ch as u32
                ),
            )
            .with_hint("remove it, or collect the goals again from the forms")
            .into());
        }
        let file = get(&record, "file");
        let key = if file.is_empty() {
            record.get(employee).unwrap_or_default().to_string()
        } else {
            file.clone()
        };
        let index = match forms.iter().position(|f| f.file == key) {
            Some(i) => i,
            None => {
                forms.push(Form {
                    file: key,
                    employee: record.get(employee).unwrap_or_default().trim().to_string(),
                    manager: get(&record, "manager"),
                    unit: get(&record, "unit"),
                    date: get(&record, "date"),
                    goals: Vec::new(),
                });
                forms.len() - 1
            }
        };
        let text = record.get(goal).unwrap_or_default().trim().to_string();
        let found = Goal {
            goal: text,
            activities: get(&record, "activities"),
            when: get(&record, "when"),
            follow_up: get(&record, "follow_up"),
        };
        if found != Goal::default() {
            forms[index].goals.push(found);
        }
    }
    Ok(forms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_and_numeric_dates_become_iso() {
        assert_eq!(normalize_date("1. februar 2027"), "2027-02-01");
        assert_eq!(normalize_date("15. Marts 2027"), "2027-03-15");
        assert_eq!(normalize_date("01-02-2027"), "2027-02-01");
        assert_eq!(normalize_date("1/2/2027"), "2027-02-01");
        assert_eq!(normalize_date("2027-02-01"), "2027-02-01");
        assert_eq!(normalize_date("1/2-2027"), "2027-02-01");
        assert_eq!(normalize_date("01-02-27"), "01-02-27");
        assert_eq!(normalize_date("i foråret"), "i foråret");
    }

    #[test]
    fn old_doc_and_pdf_get_their_own_reason() {
        assert!(
            document_xml(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0])
                .expect_err("doc")
                .contains(".doc")
        );
        assert!(document_xml(b"%PDF-1.7").expect_err("pdf").contains("PDF"));
        assert!(
            document_xml(b"PK\x03\x04broken")
                .expect_err("truncated")
                .contains("damaged")
        );
    }
}
