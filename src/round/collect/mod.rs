//! Reading filled-in interview and follow-up forms back (`mus collect`). A
//! form is found by its bookmarks — `mus_info` in the info block,
//! `mus_udviklingsmaal` in the goals table, `mus_opfoelgning` in a follow-up
//! form's table — which Word and LibreOffice keep when people add rows, move
//! the table or re-save the file; the header labels are the fallback. Every
//! file gets an answer: read, or skipped with the reason.

mod docx;
mod forms;
mod records;
mod walk;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::form::FormKind;

use docx::read_file;
pub use docx::{FormError, read_form, read_form_bytes};
pub use forms::{Collection, Failure, Form, Found, Goal, Link, Note};
pub use records::{newest_date, read_csv, to_csv, to_records, to_xlsx};
use walk::find_files;

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
