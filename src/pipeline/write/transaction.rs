//! The journal a commit writes before its first move, and putting a folder
//! back from it after a kill.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use super::manifest::{MANIFEST_BYTES, Manifest, ManifestHash, Staged};
use super::names::{path_in, plain_name};

/// The journal in the staging folder: every staged file's name and hash,
/// written before the first file is moved into place, so the next run can
/// put back what a killed run had moved (see [`recover`]).
const JOURNAL: &str = ".journal";

/// Writes the journal of a commit: each staged file's hash and name, a line
/// each, on disk before the first file is moved.
pub(super) fn write_journal(staging: &Path, staged: &Staged) -> io::Result<()> {
    use std::io::BufWriter;
    let mut out = BufWriter::new(File::create(staging.join(JOURNAL))?);
    for (name, hash) in staged.iter() {
        writeln!(out, "{} {name}", ManifestHash(*hash).hex())?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// Puts a folder back as it was before a run that was killed while it moved
/// its files into place, from the journal in its staging folder: a file the
/// dead run moved in, and that is still exactly what it wrote, goes out
/// again, and the earlier version it replaced (kept in the staging folder)
/// comes back. The folder is then as the manifest says. A run killed before
/// its first move left no journal and moved nothing; one killed after its
/// manifest was written is complete, and nothing is put back. A file
/// changed since the kill is left as it is, and the manifest protects it.
pub(super) fn recover(dir: &Path, staging: &Path, manifest: &Manifest) -> io::Result<()> {
    let journal = staging.join(JOURNAL);
    let Ok(text) = crate::limits::read_bounded(&journal, MANIFEST_BYTES) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&text);
    let entries: Vec<(ManifestHash, &str)> = text
        .lines()
        .filter_map(|line| {
            let (hash, name) = line.split_once(' ')?;
            let hash = blake3::Hash::from_hex(hash.as_bytes()).ok()?;
            // Only names in this folder: a damaged journal moves nothing elsewhere.
            plain_name(name).then_some((ManifestHash(*hash.as_bytes()), name))
        })
        .collect();
    let committed = entries
        .iter()
        .all(|(hash, name)| manifest.files.get(*name).map(|e| e.hash) == Some(*hash));
    if committed {
        return Ok(());
    }
    for (hash, name) in entries {
        if fs::symlink_metadata(path_in(staging, name)).is_ok() {
            // Never moved: the folder still has the earlier version.
            continue;
        }
        let target = path_in(dir, name);
        let written = match crate::limits::open_regular(&target) {
            Ok(file) => {
                let mut hasher = blake3::Hasher::new();
                hasher.update_reader(file)?;
                *hasher.finalize().as_bytes() == hash.0
            }
            Err(_) => false,
        };
        if !written {
            continue;
        }
        let backup = path_in(&staging.join(".replaced"), name);
        if fs::symlink_metadata(&backup).is_ok() {
            fs::rename(&backup, &target)?;
        } else {
            fs::remove_file(&target)?;
        }
    }
    Ok(())
}
