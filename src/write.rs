//! Writing the output. Every file goes to a temporary name in the output
//! folder first and is renamed into place, so nobody ever sees half a
//! document. A set of files is written as one: if any rename fails, the
//! files already replaced are put back, so a failing run leaves an existing
//! output folder as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file to write: its name inside the output folder and its bytes.
pub struct OutputFile<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Writes `files` into `dir` (created if missing), all or nothing, and
/// returns their paths.
pub fn write_all(dir: &Path, files: &[OutputFile<'_>]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
    let mut staged: Vec<(tempfile::TempPath, PathBuf)> = Vec::with_capacity(files.len());
    for file in files {
        let target = dir.join(file.file_name);
        // On an error, returning drops `staged`, which deletes the temporary files.
        let temp = stage(dir, file.bytes).map_err(|err| Error::io(&target, err))?;
        staged.push((temp, target));
    }
    // Move earlier versions aside first, so a failure can put them back.
    let mut replaced: Vec<(PathBuf, Option<tempfile::TempPath>)> = Vec::with_capacity(staged.len());
    for (temp, target) in staged {
        let result = set_aside(dir, &target).and_then(|backup| {
            replaced.push((target.clone(), backup));
            temp.persist(&target).map_err(|err| err.error)
        });
        if let Err(err) = result {
            restore(replaced);
            return Err(Error::io(&target, err));
        }
    }
    // Dropping the backups deletes them.
    Ok(replaced.into_iter().map(|(target, _)| target).collect())
}

/// Renames an existing `target` to a temporary name in `dir`.
fn set_aside(dir: &Path, target: &Path) -> std::io::Result<Option<tempfile::TempPath>> {
    if fs::symlink_metadata(target).is_err() {
        return Ok(None);
    }
    let backup = tempfile::Builder::new()
        .prefix(".mus-old-")
        .tempfile_in(dir)?
        .into_temp_path();
    fs::rename(target, &backup)?;
    Ok(Some(backup))
}

/// Undoes `write_all`'s renames: new files out, earlier versions back.
fn restore(replaced: Vec<(PathBuf, Option<tempfile::TempPath>)>) {
    for (target, backup) in replaced.into_iter().rev() {
        let _ = fs::remove_file(&target);
        if let Some(backup) = backup {
            let _ = backup.persist(&target);
        }
    }
}

fn stage(dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::TempPath> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mus-").suffix(".tmp");
    // Documents are ordinary files that colleagues on a shared drive can read.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(bytes)?;
    Ok(temp.into_temp_path())
}

/// Writes one file into `dir` (which must exist) under a temporary name
/// and renames it into place, so a reader never sees half a file.
pub fn write_file(dir: &Path, file_name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let target = dir.join(file_name);
    let temp = stage(dir, bytes).map_err(|err| Error::io(&target, err))?;
    temp.persist(&target)
        .map_err(|err| Error::io(&target, err.error))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_rename_puts_earlier_files_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("a.docx"), b"old a").expect("a");
        // A folder where the second file should go makes its rename fail.
        fs::create_dir(dir.path().join("b.docx")).expect("b");
        fs::write(dir.path().join("b.docx/keep"), b"x").expect("keep");
        let files = [
            OutputFile {
                file_name: "a.docx",
                bytes: b"new a",
            },
            OutputFile {
                file_name: "b.docx",
                bytes: b"new b",
            },
        ];
        let err = write_all(dir.path(), &files).expect_err("b cannot be written");
        assert_eq!(err.exit_code(), 3);
        assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"old a");
        assert!(dir.path().join("b.docx/keep").is_file());
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("e").file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_file(dir.path(), "x.docx", b"x").expect("written");
        assert_eq!(
            fs::metadata(path).expect("meta").permissions().mode() & 0o777,
            0o644
        );
    }
}
