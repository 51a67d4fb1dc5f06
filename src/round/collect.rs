//! Reading filled-in interview and follow-up forms back (`mus collect`). A
//! form is found by its bookmarks — `mus_info` in the info block,
//! `mus_udviklingsmaal` in the goals table, `mus_opfoelgning` in a follow-up
//! form's table — which Word and LibreOffice keep when people add rows, move
//! the table or re-save the file; the header labels are the fallback. Every
//! file gets an answer: read, or skipped with the reason.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

use rayon::prelude::*;

use crate::form::labels::{
    DANISH, ENGLISH, GOALS_COLUMNS, GOALS_EXTRA_COLUMNS, INFO_LABELS, Labels, normalize_date,
};
use crate::form::{
    CSV_AGREEMENT_COLUMNS, CSV_FOLLOWUP_COLUMNS, CSV_HEADER, CSV_IDENTITY_COLUMNS,
    DOCUMENT_PROPERTY, FOLLOWUP_BOOKMARK, FormKind, GOALS_BOOKMARK, INFO_BOOKMARK, Status,
};
use crate::round::csv_file::{self, neutralize, unneutralize};
use crate::round::workbook;

/// The labels of every language a form can be written in: a form is read
/// whichever language its info block and goals table are in.
const LANGUAGES: [&Labels; 2] = [&DANISH, &ENGLISH];

use crate::limits::{
    FORM_BYTES as MAX_FILE_BYTES, FORM_DOCUMENT_BYTES as MAX_DOCUMENT_BYTES,
    FORM_ENTRIES as MAX_ENTRIES, FORM_XML_NODES as MAX_XML_NODES,
};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// One agreed development goal: a row of the goals table, or of a follow-up
/// form's table (then `status`, `helped`, `hindered` and `next_step` are
/// what it says, and the interview columns are empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Goal {
    pub goal: String,
    pub activities: String,
    pub when: String,
    pub follow_up: String,
    /// The follow-up status: `None` when nothing was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub helped: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hindered: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub next_step: String,
    /// Who is responsible for the goal (the interview form's goals table).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub responsible: String,
    /// How the two will see that the goal is reached (the same table).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub how_reached: String,
    /// On an interview goal read back from a CSV: the date of the follow-up
    /// form that gave its status (`YYYY-MM-DD` when readable), if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub followed_up_on: String,
    /// The goal's number in the development plan: its place in the plan's
    /// table, and in a follow-up form the number printed before the goal,
    /// which ties an adjusted goal text to the goal it follows up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal_no: Option<u32>,
    /// A goal first written at the follow-up (the follow-up form's table of
    /// new goals).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub new_goal: bool,
}

impl Goal {
    /// The goal's number: its own, or its place (from 0) plus one.
    pub fn number(&self, place: usize) -> u32 {
        self.goal_no.unwrap_or(place as u32 + 1)
    }

    /// The goal as a row of the follow-up table says it; an interview goal
    /// has none of these.
    fn followup_part(&self) -> (Option<Status>, &str, &str, &str) {
        (self.status, &self.helped, &self.hindered, &self.next_step)
    }
}

/// What one filled-in form says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form {
    /// An interview form or a follow-up form.
    pub kind: FormKind,
    pub file: String,
    pub employee: String,
    pub manager: String,
    pub unit: String,
    /// The interview date as `YYYY-MM-DD` when it can be read as a date, else as written.
    pub date: String,
    /// "Samtalen er holdt den", as `YYYY-MM-DD` when readable: filled in by
    /// the two, never by `mus`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub held: String,
    /// The interview's identity ([`crate::form::form_id`]); empty on a form
    /// made without a roster.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub goals: Vec<Goal>,
}

impl Form {
    /// Whether the form shows that the two filled it in: the held date, a
    /// goal written, or (in a follow-up form) anything written about a goal.
    /// A form as `mus` wrote it shows none of these.
    pub fn filled_in(&self) -> bool {
        !self.held.trim().is_empty()
            || self.goals.iter().any(|g| match self.kind {
                FormKind::Samtale => !g.goal.trim().is_empty(),
                FormKind::Opfoelgning => {
                    g.new_goal
                        || g.status.is_some()
                        || !g.helped.trim().is_empty()
                        || !g.hindered.trim().is_empty()
                        || !g.next_step.trim().is_empty()
                }
            })
    }

    /// The date the interview is placed by: when it was held, else the
    /// agreed date.
    pub fn interview_date(&self) -> &str {
        match self.held.trim() {
            "" => &self.date,
            held => held,
        }
    }
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
    /// Every symbolic link met, followed or not, so none is passed over unseen.
    pub links: Vec<Link>,
    /// Files counted once although found twice, and files in a folder left
    /// unread: said, so nothing is skipped silently.
    pub notes: Vec<Note>,
    /// Forms as `mus` wrote them, or with nothing the two wrote: not an
    /// interview held, in no figure, and named in one note.
    pub not_filled_in: Vec<String>,
    /// Interview forms with the pair's notes: not read, as they stay with
    /// the two; named, so HR knows to hand them back.
    pub notes_forms: Vec<String>,
}

/// A symbolic link met on the way, and what was done with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub path: String,
    /// Where the link points, as written in it.
    pub target: String,
    pub followed: bool,
    /// Why the link was not followed, if it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Something to know about a file that is neither a form nor a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub file: String,
    pub note: String,
}

/// Reads every `.docx` in `paths` (files, or folders searched below);
/// other files named directly are reported as failures. Devices and FIFOs
/// are refused without being opened, links in folders are followed to files
/// only (so a loop cannot hang the walk), and a file met twice, by another
/// path or as an identical copy, is counted once.
pub fn collect_paths(paths: &[PathBuf]) -> Collection {
    let mut files = Vec::new();
    let mut collection = Collection::default();
    for path in paths {
        find_files(path, &mut files, &mut collection);
    }
    if files.is_empty() && collection.failures.is_empty() {
        let names: Vec<String> = paths
            .iter()
            .map(|p| crate::platform::machine_path(p))
            .collect();
        collection.failures.push(Failure {
            file: names.join(", "),
            reason: crate::msg!("collect.no-files"),
        });
    }
    // The same file named twice (also through a link) is read once.
    let mut seen_paths: HashMap<PathBuf, String> = HashMap::new();
    let mut unique = Vec::with_capacity(files.len());
    for file in files {
        let name = crate::platform::machine_path(&file);
        if let Ok(real) = std::fs::canonicalize(&file) {
            if let Some(first) = seen_paths.get(&real) {
                collection.notes.push(Note {
                    file: name,
                    note: crate::msg!("collect.same-file", first = first),
                });
                continue;
            }
            seen_paths.insert(real, name.clone());
        }
        unique.push((name, file));
    }
    // Reading is the work: in parallel, the results kept in file order so
    // the output is the same whatever the number of cores.
    let read: Vec<(String, Result<ReadFile, FormError>)> = unique
        .into_par_iter()
        .map(|(name, file)| {
            let result = read_file(&file).and_then(|bytes| {
                let form = read_form_bytes(&bytes, &name)?;
                Ok((form, blake3::hash(&bytes)))
            });
            (name, result)
        })
        .collect();
    // A copy ("… - Kopi.docx") is the same interview: files with the same
    // BLAKE3 hash have the same bytes. Failures are all named instead: each
    // file there needs mending.
    let mut seen_contents: HashMap<blake3::Hash, String> = HashMap::new();
    let mut seen_ids: HashMap<(FormKind, String), String> = HashMap::new();
    for (name, result) in read {
        let (read, hash) = match result {
            Ok(read) => read,
            Err(err) => {
                collection.failures.push(Failure {
                    file: name,
                    reason: err.to_string(),
                });
                continue;
            }
        };
        if let Some(first) = seen_contents.get(&hash) {
            collection.notes.push(Note {
                file: name,
                note: crate::msg!("collect.identical-copy", first = first),
            });
            continue;
        }
        seen_contents.insert(hash, name.clone());
        // A copy saved again ("… (2).docx") has other bytes but the same id:
        // the same interview, counted once.
        if let Found::Form(form) = &read
            && !form.id.is_empty()
            && form.filled_in()
        {
            match seen_ids.get(&(form.kind, form.id.clone())) {
                Some(first) => {
                    collection.notes.push(Note {
                        file: name,
                        note: crate::msg!("collect.same-interview", first = first, id = form.id),
                    });
                    continue;
                }
                None => {
                    seen_ids.insert((form.kind, form.id.clone()), name.clone());
                }
            }
        }
        match read {
            Found::Form(form) if form.filled_in() => collection.forms.push(form),
            Found::Form(_) => collection.not_filled_in.push(name),
            Found::Notes => collection.notes_forms.push(name),
            Found::Other => collection.others.push(name),
        }
    }
    collection
}

/// One file read: the form in it (`None` for another of our documents) and
/// the hash of its bytes, to spot identical copies.
type ReadFile = (Found, blake3::Hash);

/// What a `.docx` of ours is to `collect`.
#[derive(Debug)]
pub enum Found {
    /// A development plan, a follow-up form, or an interview form from
    /// before the development plan (with its own goals table).
    Form(Form),
    /// An interview form with the pair's notes and no goals table: it stays
    /// with the two and is not read.
    Notes,
    /// A guide, the optional topics or the report.
    Other,
}

/// Adds the files `path` names to `files`: itself, or the forms in it if it
/// is a folder. A link given by name is followed, and said to be.
fn find_files(path: &Path, files: &mut Vec<PathBuf>, collection: &mut Collection) {
    let name = crate::platform::machine_path(path);
    let fail = |collection: &mut Collection, reason: String| {
        collection.failures.push(Failure {
            file: name.clone(),
            reason,
        })
    };
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            let target = link_target(path);
            match std::fs::metadata(path) {
                Ok(followed) => {
                    collection.links.push(Link {
                        path: name.clone(),
                        target,
                        followed: true,
                        reason: None,
                    });
                    followed
                }
                Err(err) => {
                    let reason = crate::msg!(
                        "collect.link-broken",
                        error = crate::messages::io_error(&err)
                    );
                    collection.links.push(Link {
                        path: name.clone(),
                        target,
                        followed: false,
                        reason: Some(reason.clone()),
                    });
                    return fail(collection, reason);
                }
            }
        }
        Ok(metadata) => metadata,
        Err(err) => {
            let reason = crate::msg!("form-error.read", error = crate::messages::io_error(&err));
            return fail(collection, reason);
        }
    };
    if metadata.is_dir() {
        find_in_folder(path, files, collection);
    } else if metadata.is_file() {
        files.push(path.to_path_buf());
    } else {
        fail(collection, crate::limits::not_regular_reason(&metadata));
    }
}

/// Adds the forms below `folder` to `files`. Links to files are followed;
/// links to folders are not (that is how a walk stays finite). Hidden files
/// and Word's lock files are passed over; any other file that is not a
/// document is named in a note.
fn find_in_folder(folder: &Path, files: &mut Vec<PathBuf>, collection: &mut Collection) {
    let mut unread = Vec::new();
    let walk = walkdir::WalkDir::new(folder)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.path()));
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                collection.failures.push(Failure {
                    file: crate::platform::machine_path(err.path().unwrap_or(folder)),
                    reason: crate::msg!("collect.folder-unreadable", error = err),
                });
                continue;
            }
        };
        let path = entry.path();
        let name = crate::platform::machine_path(path);
        let file_type = entry.file_type();
        if file_type.is_dir() || is_lock_file(path) {
            continue;
        }
        if file_type.is_symlink() {
            let target = link_target(path);
            let mut link = |followed: bool, reason: Option<String>| {
                collection.links.push(Link {
                    path: name.clone(),
                    target: target.clone(),
                    followed,
                    reason,
                })
            };
            match std::fs::metadata(path) {
                Err(err) => link(
                    false,
                    Some(crate::msg!(
                        "collect.link-broken",
                        error = crate::messages::io_error(&err)
                    )),
                ),
                Ok(m) if m.is_dir() => link(false, Some(crate::msg!("collect.link-to-folder"))),
                Ok(m) if m.is_file() && is_candidate(path) => {
                    link(true, None);
                    files.push(path.to_path_buf());
                }
                Ok(m) if m.is_file() => {
                    link(false, Some(crate::msg!("form-error.not-docx")));
                }
                Ok(m) => {
                    let reason = crate::limits::not_regular_reason(&m);
                    link(false, Some(reason.clone()));
                    collection.failures.push(Failure { file: name, reason });
                }
            }
        } else if file_type.is_file() {
            if is_candidate(path) {
                files.push(path.to_path_buf());
            } else {
                unread.push(entry.file_name().to_string_lossy().to_string());
            }
        } else {
            let reason = match entry.metadata() {
                Ok(m) => crate::limits::not_regular_reason(&m),
                Err(err) => crate::msg!(
                    "form-error.read",
                    error = err
                        .io_error()
                        .map_or_else(|| err.to_string(), crate::messages::io_error)
                ),
            };
            collection.failures.push(Failure { file: name, reason });
        }
    }
    if !unread.is_empty() {
        const SHOWN: usize = 10;
        let mut names = unread
            .iter()
            .take(SHOWN)
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if unread.len() > SHOWN {
            names.push_str(&crate::msg!(
                "collect.and-more",
                count = unread.len() - SHOWN
            ));
        }
        collection.notes.push(Note {
            file: crate::platform::machine_path(folder),
            note: crate::msg!(
                "collect.not-docx",
                count = unread.len(),
                files_word = crate::messages::plural("word.file", unread.len()),
                names = names
            ),
        });
    }
}

/// Where a link points, as written in it.
fn link_target(path: &Path) -> String {
    std::fs::read_link(path)
        .map(|target| crate::platform::machine_path(&target))
        .unwrap_or_else(|err| {
            crate::msg!(
                "collect.link-unreadable",
                error = crate::messages::io_error(&err)
            )
        })
}

/// Files and folders whose names start with a dot (`.mus-manifest.json`, `.git`).
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Word's lock files (`~$form.docx`) are not documents.
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
}

/// Files in a folder worth a look: Word documents, and what people save
/// by mistake in their place, so the mistake gets a clear answer.
fn is_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    [".docx", ".doc", ".pdf", ".odt"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

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

/// The bytes of a file, within [`MAX_FILE_BYTES`]. Anything but a regular
/// file is refused before it is opened, so a FIFO cannot block the run.
fn read_file(path: &Path) -> Result<Vec<u8>, FormError> {
    let metadata = std::fs::metadata(path).map_err(FormError::Read)?;
    if !metadata.is_file() {
        return Err(FormError::NotAFile(crate::limits::not_regular_reason(
            &metadata,
        )));
    }
    let too_large = |size: u64| FormError::TooLarge {
        megabytes: size / 1024 / 1024,
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()));
    }
    let file = crate::limits::open_regular(path).map_err(FormError::Read)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(FormError::Read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
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
    let [employee, manager, unit, date, held, id] = values;
    let followups = filled_rows(followup_tables, is_followup_header_row).map(|cells| {
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
            status: Status::from_written(&cell(1)),
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
        .map(|(i, cells)| {
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

/// The rows of `tables` that hold something, as the text of each grid
/// column; header rows (told by `is_header`) and empty rows left out.
fn filled_rows<'a, 'input: 'a>(
    tables: Vec<roxmltree::Node<'a, 'input>>,
    is_header: fn(roxmltree::Node) -> bool,
) -> impl Iterator<Item = Vec<String>> + 'a {
    tables
        .into_iter()
        .flat_map(rows)
        .filter(move |row| !is_header(*row))
        .map(cells)
        .filter(|cells| cells.iter().any(|c| !c.trim().is_empty()))
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
        && LANGUAGES.iter().any(|words| {
            same_label(&cells[0], words.goals_columns[0])
                && same_label(&cells[1], words.goals_columns[1])
        })
}

/// The columns of a collected file, in order: [`CSV_HEADER`], then
/// [`CSV_FOLLOWUP_COLUMNS`], [`CSV_AGREEMENT_COLUMNS`] and [`CSV_IDENTITY_COLUMNS`].
pub fn columns() -> impl Iterator<Item = &'static str> {
    CSV_HEADER
        .iter()
        .chain(&CSV_FOLLOWUP_COLUMNS)
        .chain(&CSV_AGREEMENT_COLUMNS)
        .chain(&CSV_IDENTITY_COLUMNS)
        .copied()
}

/// One record per goal, its cells in the order of [`columns`], as the form
/// says them; a form without goals gives one record with the goal columns
/// empty, so it is still counted. The CSV and the workbook write these.
pub fn records(forms: &[Form]) -> impl Iterator<Item = [Cow<'_, str>; 20]> + '_ {
    /// The goal of a form held with no goals: every goal column empty.
    const NO_GOAL: &[Goal] = &[Goal {
        goal: String::new(),
        activities: String::new(),
        when: String::new(),
        follow_up: String::new(),
        status: None,
        helped: String::new(),
        hindered: String::new(),
        next_step: String::new(),
        responsible: String::new(),
        how_reached: String::new(),
        followed_up_on: String::new(),
        goal_no: None,
        new_goal: false,
    }];
    forms.iter().flat_map(|form| {
        let goals: &[Goal] = if form.goals.is_empty() {
            NO_GOAL
        } else {
            &form.goals
        };
        goals.iter().map(move |goal| {
            let mut record = [
                form.file.as_str(),
                &form.employee,
                &form.manager,
                &form.unit,
                &form.date,
                &goal.goal,
                &goal.activities,
                &goal.when,
                &goal.follow_up,
                form.kind.code(),
                goal.status.map(Status::code).unwrap_or_default(),
                &goal.helped,
                &goal.hindered,
                &goal.next_step,
                &goal.responsible,
                &goal.how_reached,
                &form.held,
                &form.id,
                "",
                if goal.new_goal { "new" } else { "" },
            ]
            .map(Cow::Borrowed);
            if let Some(n) = goal.goal_no {
                record[18] = Cow::Owned(n.to_string());
            }
            record
        })
    })
}

/// One CSV record per goal (see [`records`]), with a header row. Cells that
/// a spreadsheet would take for a formula are neutralised (see [`neutralize`]).
pub fn to_csv(forms: &[Form]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(columns())?;
    for record in records(forms) {
        writer.write_record(record.iter().map(|cell| neutralize(cell).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|err| err.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The same records as [`to_csv`], as an Excel workbook (see
/// [`crate::round::workbook::write_table`]): the `date` and `held` columns
/// as dates where they are ISO dates, `goal_no` as a number, every other
/// cell as text. `created` is the workbook's creation time, so the same
/// forms give the same bytes.
pub fn to_xlsx(forms: &[Form], created: chrono::DateTime<chrono::Utc>) -> std::io::Result<Vec<u8>> {
    use crate::round::workbook::{Cell, write_table};
    let kinds: Vec<fn(&str) -> Cell> = columns()
        .map(|column| match column {
            "date" | "held" => Cell::date_or_text as fn(&str) -> Cell,
            "goal_no" => Cell::number_or_text,
            _ => Cell::text,
        })
        .collect();
    let header: Vec<&str> = columns().collect();
    let rows = records(forms).map(|record| {
        record
            .iter()
            .zip(&kinds)
            .map(|(cell, kind)| kind(cell))
            .collect::<Vec<Cell>>()
    });
    write_table(&header, rows, created)
}

/// The newest interview or held date of `forms` that is an ISO date: the
/// date the collected goals are made up to.
pub fn newest_date(forms: &[Form]) -> Option<chrono::NaiveDate> {
    forms
        .iter()
        .flat_map(|f| [&f.date, &f.held])
        .filter_map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .max()
}

/// Which form a CSV row belongs to: its file, or, where the file column is
/// missing or empty, the person and unit, so namesakes in two units stay two.
/// Never by the file alone: two units that each collect `skemaer/anna.docx`
/// and join their CSVs have two Annas, and the person and unit keep them
/// apart. The form's id, where it has one, is the interview itself.
#[derive(PartialEq, Eq, Hash)]
enum FormKey {
    Id(FormKind, String),
    Person {
        kind: FormKind,
        file: String,
        employee: String,
        unit: String,
    },
}

/// Reads a CSV written by [`to_csv`] (or edited in Excel since) back into
/// interview forms, one per `file` (or per person and unit where `file` is
/// empty), in the order they first appear. Rows from follow-up forms are not
/// forms here: each gives its status, what helped, what got in the way, the
/// next step and the follow-up form's date to the interview goal it follows
/// up (the same person, unit and goal text). A CSV from before the `kind`
/// column holds interview forms only. Takes time in proportion to the rows.
pub fn read_csv(path: &Path) -> crate::error::Result<Vec<Form>> {
    let forms = read_csv_forms(path)?;
    let (mut interviews, followups): (Vec<Form>, Vec<Form>) =
        forms.into_iter().partition(|f| f.kind == FormKind::Samtale);
    attach_followups(&mut interviews, &followups);
    Ok(interviews)
}

/// Gives each follow-up row to the interview goal it follows up: the goal
/// with the same number in the interview with the same id, so an adjusted
/// goal text still matches; else (a form without an id, or a row whose
/// number was deleted) the first goal of the same person and unit with the
/// same text that has none yet. A goal new at the follow-up, or a row that
/// matches no goal, is counted for none.
fn attach_followups(interviews: &mut [Form], followups: &[Form]) {
    let normal = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    type Key = (String, String, String);
    let mut open: HashMap<Key, Vec<(usize, usize)>> = HashMap::new();
    let mut by_number: HashMap<(String, u32), (usize, usize)> = HashMap::new();
    for (f, form) in interviews.iter().enumerate() {
        for (g, goal) in form.goals.iter().enumerate() {
            if !form.id.is_empty() {
                by_number.insert((form.id.clone(), goal.number(g)), (f, g));
            }
            open.entry((
                normal(&form.employee),
                normal(&form.unit),
                normal(&goal.goal),
            ))
            .or_default()
            .push((f, g));
        }
    }
    let mut taken = std::collections::HashSet::new();
    for form in followups {
        for row in form.goals.iter().filter(|g| !g.new_goal) {
            let numbered = row
                .goal_no
                .filter(|_| !form.id.is_empty())
                .and_then(|n| by_number.get(&(form.id.clone(), n)).copied())
                .filter(|place| !taken.contains(place));
            let place = numbered.or_else(|| {
                let key = (
                    normal(&form.employee),
                    normal(&form.unit),
                    normal(&row.goal),
                );
                let places = open.get_mut(&key)?;
                places.retain(|place| !taken.contains(place));
                (!places.is_empty()).then(|| places.remove(0))
            });
            let Some((f, g)) = place else {
                continue;
            };
            taken.insert((f, g));
            let goal = &mut interviews[f].goals[g];
            let (status, helped, hindered, next_step) = row.followup_part();
            goal.status = status;
            goal.helped = helped.to_string();
            goal.hindered = hindered.to_string();
            goal.next_step = next_step.to_string();
            goal.followed_up_on = form.interview_date().to_string();
        }
    }
}

/// Every form in a collected CSV or workbook, interview and follow-up
/// forms alike. A workbook (known by its bytes, whatever its name) is read
/// as rows of strings from its first sheet, and those rows go through the
/// same reading as a CSV's records, so both give the same forms.
fn read_csv_forms(path: &Path) -> crate::error::Result<Vec<Form>> {
    use crate::error::{Diagnostic, Location, Origin};
    let name: std::sync::Arc<str> = std::sync::Arc::from(path.display().to_string());
    let cannot_read = |err: std::io::Error| {
        Diagnostic::new(
            name.to_string(),
            None,
            crate::msg!("csv.unreadable", error = crate::messages::io_error(&err)),
        )
    };
    // A FIFO or a device is refused before it is opened: reading could wait forever.
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_file() {
        return Err(Diagnostic::new(
            name.to_string(),
            None,
            crate::msg!(
                "csv.unreadable",
                error = crate::limits::not_regular_reason(&metadata)
            ),
        )
        .with_hint(crate::msg!("csv.unreadable.hint"))
        .into());
    }
    let bytes =
        crate::limits::read_bounded(path, crate::limits::FORM_BYTES).map_err(cannot_read)?;
    if workbook::sniff(&bytes) != workbook::FileKind::Text {
        let mut rows = workbook::read_bytes(&bytes, &name, None)?.into_iter();
        let headers = rows.next().map(|row| row.cells).unwrap_or_default();
        // A workbook's text is as the form says it: `mus` writes no guard
        // quote into a workbook, so none is taken off.
        return forms_from_rows(
            &name,
            &headers,
            rows.map(|row| crate::error::Result::Ok((row.line, row.cells))),
            false,
        );
    }
    let text = csv_file::decode_text(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(csv_file::guess_delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let at = |line: usize| Origin::new(&name, Some(Location { line, column: 1 }));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|err| Diagnostic::at(&at(1), crate::msg!("csv.header-unreadable", error = err)))?
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader.into_records().map(|record| {
        let record = record.map_err(|err| {
            Diagnostic::at(
                &at(err.position().map_or(0, |p| p.line() as usize)),
                crate::msg!("csv.row-unreadable", error = err),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        crate::error::Result::Ok((line, record.iter().map(str::to_string).collect()))
    });
    forms_from_rows(&name, &headers, records, true)
}

/// The forms in the rows of a collected file: `headers` name the columns
/// (in any order; columns added since a file was written may be missing),
/// each row is its line and cells. With `unquote`, the guard quote
/// [`neutralize`] put before a formula-like cell is taken off.
fn forms_from_rows(
    name: &std::sync::Arc<str>,
    headers: &[String],
    rows: impl Iterator<Item = crate::error::Result<(usize, Vec<String>)>>,
    unquote: bool,
) -> crate::error::Result<Vec<Form>> {
    use crate::error::{Diagnostic, Location, Origin};
    let at = |line: usize| Origin::new(name, Some(Location { line, column: 1 }));
    let column = |wanted: &str| headers.iter().position(|h| h.trim() == wanted);
    let columns = CSV_HEADER.map(column);
    let [
        file,
        employee,
        manager,
        unit,
        date,
        goal,
        activities,
        when,
        follow_up,
    ] = columns;
    let [kind, status, helped, hindered, next_step] = CSV_FOLLOWUP_COLUMNS.map(column);
    let [responsible, how_reached] = CSV_AGREEMENT_COLUMNS.map(column);
    let [held, form_id, goal_no, new_goal] = CSV_IDENTITY_COLUMNS.map(column);
    if employee.is_none() || goal.is_none() {
        return Err(Diagnostic::at(&at(1), crate::msg!("csv.not-collected"))
            .with_hint(crate::msg!("csv.not-collected.hint"))
            .into());
    }
    let get = |record: &[String], column: Option<usize>| {
        let cell = column
            .and_then(|i| record.get(i))
            .map_or("", String::as_str)
            .trim();
        if unquote { unneutralize(cell) } else { cell }.to_string()
    };
    let mut forms: Vec<Form> = Vec::new();
    let mut index: HashMap<FormKey, usize> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for row in rows {
        let (line, mut record) = row?;
        // A sheet leaves out the empty cells at a row's end.
        if record.len() < headers.len() {
            record.resize(headers.len(), String::new());
        }
        // A second header row (two files joined) or a repeated record is not a goal.
        if record.iter().eq(headers.iter()) || !seen.insert(record.clone()) {
            continue;
        }
        if let Some(ch) = record
            .iter()
            .flat_map(|cell| cell.chars())
            .find(|c| crate::text::is_xml_invalid(*c))
        {
            return Err(Diagnostic::at(
                &at(line),
                crate::msg!(
                    "csv.control-character",
                    line = line,
                    code = format!("U+{:04X}", ch as u32)
                ),
            )
            .with_hint(crate::msg!("csv.control-character.hint"))
            .into());
        }
        let kind_cell = get(&record, kind);
        let Some(form_kind) = FormKind::from_code(&kind_cell) else {
            return Err(Diagnostic::at(
                &at(line),
                crate::msg!("csv.bad-kind", line = line, kind = kind_cell),
            )
            .with_hint(crate::msg!("csv.bad-kind.hint"))
            .into());
        };
        let status_cell = get(&record, status);
        let goal_status = if status_cell.is_empty() {
            None
        } else {
            Status::from_code(&status_cell).or_else(|| Status::from_written(&status_cell))
        };
        let form = Form {
            kind: form_kind,
            file: get(&record, file),
            employee: get(&record, employee),
            manager: get(&record, manager),
            unit: get(&record, unit),
            // A date Excel showed the Danish way (`01-03-2027`) and saved so.
            date: normalize_date(&get(&record, date)),
            held: normalize_date(&get(&record, held)),
            id: get(&record, form_id),
            goals: Vec::new(),
        };
        let key = match form.id.is_empty() {
            false => FormKey::Id(form.kind, form.id.clone()),
            true => FormKey::Person {
                kind: form.kind,
                file: form.file.clone(),
                employee: crate::text::one_line(&form.employee).to_lowercase(),
                unit: crate::text::one_line(&form.unit).to_lowercase(),
            },
        };
        let at_form = match index.get(&key) {
            Some(at) => *at,
            None => {
                index.insert(key, forms.len());
                forms.push(form);
                forms.len() - 1
            }
        };
        // One interview read from two files is the same interview twice.
        let found_file = get(&record, file);
        if !forms[at_form].id.is_empty() && forms[at_form].file != found_file {
            return Err(Diagnostic::at(
                &at(line),
                crate::msg!(
                    "csv.same-interview-twice",
                    line = line,
                    id = forms[at_form].id,
                    first = forms[at_form].file,
                    file = found_file
                ),
            )
            .with_hint(crate::msg!("csv.same-interview-twice.hint"))
            .into());
        }
        let found = Goal {
            goal: get(&record, goal),
            activities: get(&record, activities),
            when: get(&record, when),
            follow_up: get(&record, follow_up),
            status: goal_status,
            helped: get(&record, helped),
            hindered: get(&record, hindered),
            next_step: get(&record, next_step),
            responsible: get(&record, responsible),
            how_reached: get(&record, how_reached),
            followed_up_on: String::new(),
            goal_no: get(&record, goal_no).parse().ok(),
            new_goal: !get(&record, new_goal).is_empty(),
        };
        if found != Goal::default() {
            forms[at_form].goals.push(found);
        }
    }
    Ok(forms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goal_comes_back_whole_from_the_csv_and_an_older_csv_still_reads() {
        let goal = Goal {
            goal: "Lære Power BI".into(),
            activities: "Kursus".into(),
            when: "Foråret".into(),
            follow_up: "Juni".into(),
            responsible: "Søren".into(),
            how_reached: "=Rapporten laves i Power BI".into(),
            ..Goal::default()
        };
        let form = Form {
            kind: FormKind::Samtale,
            file: "a.docx".into(),
            employee: "Søren Ærø".into(),
            manager: "Bodil".into(),
            unit: "Økonomi".into(),
            date: "2027-02-01".into(),
            held: String::new(),
            id: String::new(),
            goals: vec![goal.clone()],
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("maal.csv");
        std::fs::write(&path, to_csv(std::slice::from_ref(&form)).expect("csv")).expect("write");
        assert_eq!(read_csv(&path).expect("reads")[0].goals, [goal]);
        // A CSV from before the last columns: the goal without them.
        let old = "file,employee,goal,activities\na.docx,Søren Ærø,Lære Power BI,Kursus\n";
        std::fs::write(&path, old).expect("write");
        let read = read_csv(&path).expect("reads");
        assert_eq!(read[0].goals[0].responsible, "");
        assert_eq!(read[0].goals[0].activities, "Kursus");
    }

    proptest::proptest! {
        /// Any text comes back from the CSV as it went in, and never starts
        /// like a formula there.
        #[test]
        fn neutralised_cells_read_back_as_written(text in "['=+@\\-\t\ra ]{0,6}|.*") {
            let written = neutralize(&text);
            proptest::prop_assert!(!written.starts_with(crate::round::csv_file::FORMULA_STARTS));
            proptest::prop_assert_eq!(unneutralize(&written), text.as_str());
        }
    }

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

    fn form(kind: FormKind, unit: &str, goals: &[(&str, Option<Status>)]) -> Form {
        Form {
            kind,
            file: format!("{}-{unit}.docx", kind.code()),
            employee: "Søren".into(),
            manager: String::new(),
            unit: unit.into(),
            date: "2027-10-01".into(),
            held: String::new(),
            id: String::new(),
            goals: goals
                .iter()
                .map(|(goal, status)| Goal {
                    goal: goal.to_string(),
                    status: *status,
                    ..Goal::default()
                })
                .collect(),
        }
    }

    #[test]
    fn a_follow_up_goes_to_the_same_goal_of_the_same_person_in_the_same_unit() {
        let mut interviews = [
            form(
                FormKind::Samtale,
                "IT",
                &[("Lære SQL", None), ("Lære SQL", None)],
            ),
            form(FormKind::Samtale, "Økonomi", &[("Lære SQL", None)]),
        ];
        let followups = [form(
            FormKind::Opfoelgning,
            "IT",
            &[
                ("lære  sql", Some(Status::Reached)),
                ("Lære SQL", Some(Status::Dropped)),
                ("Et nyt mål", Some(Status::Partly)),
            ],
        )];
        attach_followups(&mut interviews, &followups);
        let statuses: Vec<Vec<Option<Status>>> = interviews
            .iter()
            .map(|f| f.goals.iter().map(|g| g.status).collect())
            .collect();
        assert_eq!(
            statuses,
            [
                vec![Some(Status::Reached), Some(Status::Dropped)],
                vec![None]
            ],
            "each row to one goal; the namesake in Økonomi gets none; a new goal is no interview goal"
        );
        assert_eq!(interviews[0].goals[0].followed_up_on, "2027-10-01");
    }

    #[test]
    fn the_reason_names_the_bookmark_it_looked_for() {
        assert_eq!(
            FormError::NoGoalsTable.to_string(),
            "not a mus interview form: no goals table (bookmark `mus_udviklingsmaal`) was found"
        );
    }

    fn goal(text: &str, goal_no: Option<u32>) -> Goal {
        Goal {
            goal: text.into(),
            goal_no,
            ..Goal::default()
        }
    }

    fn person(kind: FormKind, id: &str, goals: Vec<Goal>) -> Form {
        Form {
            kind,
            file: "skemaer/anna.docx".into(),
            employee: "Anna Berg".into(),
            manager: String::new(),
            unit: "IT".into(),
            date: "2027-02-01".into(),
            held: "2027-10-01".into(),
            id: id.into(),
            goals,
        }
    }

    #[test]
    fn an_adjusted_goal_text_is_still_followed_up_by_its_number_and_new_goals_count_for_none() {
        let mut interviews = vec![person(
            FormKind::Samtale,
            "AB12-34567890",
            vec![goal("Lære Python", Some(1)), goal("Holde oplæg", Some(2))],
        )];
        let mut adjusted = goal("Lære Python og SQL", Some(1));
        adjusted.status = Some(Status::Partly);
        let mut second = goal("Holde oplæg", Some(2));
        second.status = Some(Status::Reached);
        let mut new = goal("Nyt mål", None);
        new.new_goal = true;
        new.status = Some(Status::Reached);
        let followup = person(
            FormKind::Opfoelgning,
            "AB12-34567890",
            vec![adjusted, second, new],
        );
        attach_followups(&mut interviews, &[followup]);
        let statuses: Vec<_> = interviews[0].goals.iter().map(|g| g.status).collect();
        assert_eq!(statuses, [Some(Status::Partly), Some(Status::Reached)]);
        assert_eq!(interviews[0].goals[0].followed_up_on, "2027-10-01");
    }

    #[test]
    fn two_annas_of_two_units_with_the_same_file_stay_two_in_a_joined_csv() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut it = person(FormKind::Samtale, "", vec![goal("Mål i IT", Some(1))]);
        let mut hr = it.clone();
        hr.unit = "HR".into();
        hr.goals = vec![goal("Mål i HR", Some(1))];
        it.held = String::new();
        let joined = format!(
            "{}{}",
            to_csv(&[it]).expect("csv"),
            to_csv(&[hr]).expect("csv")
        );
        let path = dir.path().join("alle.csv");
        std::fs::write(&path, joined).expect("write");
        let forms = read_csv(&path).expect("reads");
        assert_eq!(forms.len(), 2, "{forms:#?}");
        assert_eq!(forms[0].goals.len(), 1);
        assert_eq!(forms[1].goals.len(), 1);
    }
}
