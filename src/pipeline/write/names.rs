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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_a_file_or_one_folder_and_a_file_and_never_leaves_the_folder() {
        for good in ["a.docx", "anna-berg/a.docx", ".mus-manifest.json"] {
            assert!(plain_name(good), "{good}");
        }
        for bad in [
            "",
            "a/b/c.docx",
            "../a.docx",
            "a/..",
            "./a",
            "/a",
            "a/",
            "a\\b.docx",
        ] {
            assert!(!plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_path_is_joined_part_by_part() {
        let path = path_in(Path::new("out"), "anna-berg/a.docx");
        assert_eq!(path.components().count(), 3, "{}", path.display());
        assert!(path.ends_with(Path::new("anna-berg").join("a.docx")));
    }
}
