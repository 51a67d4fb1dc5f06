//! Writing the output: every file goes to a temporary name in the output
//! folder first and is renamed into place only when all of them are written,
//! so a failing run never leaves half a document or destroys earlier output.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file to write: its name inside the output folder and its bytes.
pub struct OutputFile<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Writes `files` into `dir` (created if missing) and returns their paths.
pub fn write_all(dir: &Path, files: &[OutputFile<'_>]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
    let mut staged: Vec<(tempfile::TempPath, PathBuf)> = Vec::with_capacity(files.len());
    for file in files {
        let target = dir.join(file.file_name);
        // On an error, returning drops `staged`, which deletes the temporary files.
        let temp = stage(dir, file.bytes).map_err(|err| Error::io(&target, err))?;
        staged.push((temp, target));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (temp, target) in staged {
        temp.persist(&target)
            .map_err(|err| Error::io(&target, err.error))?;
        written.push(target);
    }
    Ok(written)
}

fn stage(dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::TempPath> {
    let mut temp = tempfile::Builder::new()
        .prefix(".mus-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
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
