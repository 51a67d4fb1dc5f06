//! The names of an output's files: a file in the folder, or in one folder
//! below it (a manager's, `--by-manager`), always written with `/`.

use std::path::{Path, PathBuf};

/// The path of `name` in `dir`: a name of the output is a file in it, or
/// `folder/file` (a manager's folder, `--by-manager`), always with `/`.
pub fn path_in(dir: &Path, name: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    path.extend(name.split('/'));
    path
}

/// Whether `name` is one an output may hold: a file name, or one folder and
/// a file name, no part empty, `.` or `..`, and no `\\` (a damaged journal
/// or manifest moves nothing out of the folder).
pub(super) fn plain_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    parts.len() <= 2
        && parts
            .iter()
            .all(|part| !part.is_empty() && *part != "." && *part != ".." && !part.contains('\\'))
}
