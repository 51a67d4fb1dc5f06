//! Reading filled-in interview and follow-up forms back (`mus collect`). A
//! form is found by its bookmarks — `mus_info` in the info block,
//! `mus_udviklingsmaal` in the goals table, `mus_opfoelgning` in a follow-up
//! form's table — which Word and LibreOffice keep when people add rows, move
//! the table or re-save the file; the header labels are the fallback. Every
//! file gets an answer: read, or skipped with the reason.

mod docx;
mod records;
mod walk;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::form::{FormKind, Status};

use docx::read_file;
pub use docx::{FormError, read_form, read_form_bytes};
pub use records::{newest_date, read_csv, to_csv, to_xlsx};
use walk::find_files;

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
