//! Finding the forms: the files and folders `collect` is given, walked
//! with links, hidden files and Word's lock files taken care of.

use std::path::{Path, PathBuf};

use super::forms::{Collection, Failure, Link, Note};

/// Adds the files `path` names to `files`: itself, or the forms in it if it
/// is a folder. A link given by name is followed, and said to be.
pub(super) fn find_files(path: &Path, files: &mut Vec<PathBuf>, collection: &mut Collection) {
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
                    let reason = format!("a link that leads nowhere (broken, or a loop): {err}");
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
        Err(err) => return fail(collection, format!("cannot read the file: {err}")),
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
                    Some(format!(
                        "a link that leads nowhere (broken, or a loop): {err}"
                    )),
                ),
                Ok(m) if m.is_dir() => link(
                    false,
                    Some("a link to a folder is not followed; give that folder itself".into()),
                ),
                Ok(m) if m.is_file() && is_candidate(path) => {
                    link(true, None);
                    files.push(path.to_path_buf());
                }
                Ok(m) if m.is_file() => {
                    link(false, Some("not a Word document (.docx)".into()));
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
                Err(err) => format!("cannot read the file: {err}"),
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
        .unwrap_or_else(|err| format!("(unreadable: {err})"))
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
