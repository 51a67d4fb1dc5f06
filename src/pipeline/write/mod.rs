//! Writing the output, as carefully as git treats a work tree.
//!
//! - **Nothing is replaced that `mus` did not write.** Every folder `mus`
//!   writes into gets a manifest, `.mus-manifest.json`, with a hash of each
//!   file written. A file in the way is replaced only while it is exactly
//!   what the manifest says; a changed or unknown file is either refused
//!   (the run stops, naming every such file) or kept (a filled-in personal
//!   form, named on stderr), as the caller asks; `--force` replaces both.
//!   A file that comes into the way while the run makes its files, or one
//!   changed meanwhile, is looked at again when the files are moved into
//!   place, and stops the run unless it may be replaced.
//! - **All or nothing.** Files are made in a hidden staging folder inside the
//!   output folder and renamed into place only when every one is made; if a
//!   rename fails, the files already moved are put back. A failing run leaves
//!   the folder as it was, and the staging folder is removed with it.
//! - **One run at a time.** A lock on `.mus-lock` keeps two runs from mixing
//!   their files in one folder; the operating system releases it when a run
//!   ends, however it ends.
//! - **Few system calls a file.** A name that was not in the folder when it
//!   was opened is not looked up, and on Linux and Windows each file is
//!   moved by one rename that replaces nothing, so a fresh folder costs no
//!   `stat` a file. The staged files' names and hashes are a plain list in
//!   memory (the names in one buffer: about 100 bytes a file), sorted at commit.

mod lock;
mod manifest;
mod names;
mod rename;
mod transaction;

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
#[cfg(debug_assertions)]
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Diagnostic, Error, Result};
use lock::Lock;
use manifest::{Manifest, Staged, State};
use rename::{Renamer, rename_into_place, replace};
use transaction::{recover, write_journal};
#[cfg(test)]
use {manifest::MANIFEST_ABOUT, std::collections::BTreeMap};

pub use lock::LOCK;
pub use manifest::MANIFEST;
pub use names::path_in;
/// Staging folders are named with this prefix; leftovers of a killed run are removed by the next.
const STAGING_PREFIX: &str = ".mus-staging-";
/// Test hook, in debug builds only (the shipped binary reads no `MUS_TEST_`
/// variable): when set to N, making the (N+1)-th file fails as if the disk
/// were full.
#[cfg(debug_assertions)]
pub const FAULT_HOOK: &str = "MUS_TEST_DISK_FULL_AFTER";
/// Test hook, in debug builds only: the process aborts after this many
/// files are moved into place, as a kill at that moment would stop it.
#[cfg(debug_assertions)]
pub const KILL_HOOK: &str = "MUS_TEST_KILL_AFTER_MOVES";
/// Made in every staging folder when it is made: only a folder that holds it
/// is a dead run's leftover, so a folder or file of the user's that happens
/// to be named `.mus-staging-…` is left alone.
const STAGING_MARK: &str = ".mus-run";

/// What to do with a file in the way that `mus` did not write, or that someone changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InTheWay {
    /// Stop the run, naming the file (guides, reports, collected goals).
    Refuse,
    /// Leave it as it is and go on (a personal form: it has been filled in).
    Keep,
}

/// What a run does with one of its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Write it (new, or replacing an unchanged file `mus` wrote).
    Write,
    /// Leave the file that is there: it was changed since `mus` wrote it, or `mus` did not write it.
    Keep,
}

/// An output folder opened for one run: locked, with its manifest read.
pub struct Output {
    dir: PathBuf,
    force: bool,
    manifest: Manifest,
    /// Where files are made before they are moved into place (always
    /// `Some` until the run ends).
    staging: Option<tempfile::TempDir>,
    /// The names in the folder when it was opened.
    present: FolderNames,
    staged: Mutex<Staged>,
    /// Files made so far, and after how many the disk is full ([`FAULT_HOOK`]).
    #[cfg(debug_assertions)]
    made: AtomicUsize,
    #[cfg(debug_assertions)]
    fail_after: Option<usize>,
    /// Leftovers of an interrupted run that opening the folder removed.
    pub removed_leftovers: Vec<PathBuf>,
    lock: Option<Lock>,
    /// This run made the folder: a failing run removes it again.
    created: bool,
    committed: bool,
    /// Move files as where renaming without replacing is not to be had (set
    /// by tests, to try that way on Linux too).
    look_first: bool,
}

impl Drop for Output {
    fn drop(&mut self) {
        // The staging folder goes first, then the lock; a folder this run
        // made and did not fill goes too, so a failing run leaves nothing.
        // A replaced read-only file is among the backups.
        if let Some(staging) = &self.staging {
            crate::platform::make_removable(staging.path());
        }
        drop(self.staging.take());
        drop(self.lock.take());
        if self.created && !self.committed {
            // Fails, as it should, when anything is in the folder.
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

impl Output {
    /// Opens `dir` (created if missing) for writing: takes the lock, reads
    /// the manifest and removes what an interrupted run left behind.
    /// `force` lets the run replace files `mus` did not write or that were changed.
    pub fn open(dir: &Path, force: bool) -> Result<Output> {
        let created = !dir.exists();
        fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
        let lock = Lock::take(dir).inspect_err(|_| {
            if created {
                let _ = fs::remove_dir(dir);
            }
        })?;
        let manifest = Manifest::read(dir)?;
        let mut removed_leftovers = Vec::new();
        let mut present = FolderNames::default();
        let entries = fs::read_dir(dir).map_err(|err| Error::io(dir, err))?;
        for entry in entries {
            let Ok(entry) = entry else {
                present.unknown = true;
                continue;
            };
            present.insert(&entry.file_name());
            let ours = || {
                fs::symlink_metadata(entry.path()).is_ok_and(|m| m.is_dir())
                    && fs::symlink_metadata(entry.path().join(STAGING_MARK))
                        .is_ok_and(|m| m.is_file())
            };
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
                && ours()
            {
                let path = entry.path();
                // Only a run holding the lock stages files, so these are a
                // dead run's: what it had moved into place goes back first.
                recover(dir, &path, &manifest).map_err(|err| Error::io(&path, err))?;
                crate::platform::make_removable(&path);
                fs::remove_dir_all(&path).map_err(|err| Error::io(&path, err))?;
                removed_leftovers.push(path);
            }
        }
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(dir)
            .map_err(|err| Error::io(dir, err))?;
        File::create(staging.path().join(STAGING_MARK)).map_err(|err| Error::io(dir, err))?;
        Ok(Output {
            dir: dir.to_path_buf(),
            force,
            manifest,
            staged: Mutex::new(Staged::default()),
            staging: Some(staging),
            present,
            #[cfg(debug_assertions)]
            made: AtomicUsize::new(0),
            #[cfg(debug_assertions)]
            fail_after: std::env::var(FAULT_HOOK).ok().and_then(|v| v.parse().ok()),
            removed_leftovers,
            lock: Some(lock),
            created,
            committed: false,
            look_first: false,
        })
    }

    fn staging_dir(&self) -> &Path {
        self.staging
            .as_ref()
            .map_or(self.dir.as_path(), tempfile::TempDir::path)
    }

    /// The folder written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path `file_name` gets in the folder.
    pub fn path(&self, file_name: &str) -> PathBuf {
        path_in(&self.dir, file_name)
    }

    /// Decides, before anything is made, what happens to each file: written,
    /// or a file in the way kept. A file in the way under [`InTheWay::Refuse`]
    /// stops the run with an error naming every such file (exit 1); a file
    /// that is one of the run's `inputs` (the same file, also through a
    /// link) stops it at once (exit 2). One look at each file does both, and
    /// none at a name that was not in the folder when it was opened.
    pub fn claim<S: AsRef<str>>(
        &self,
        files: impl IntoIterator<Item = (S, InTheWay)>,
        inputs: &[PathBuf],
    ) -> Result<Vec<Decision>> {
        let mut refused = Vec::new();
        let mut decisions = Vec::new();
        for (name, in_the_way) in files {
            let name = name.as_ref();
            let target = self.path(name);
            let found = match self.present.may_hold(name) {
                true => fs::symlink_metadata(&target).ok(),
                false => None,
            };
            if found.is_some()
                && let Some(input) = inputs
                    .iter()
                    .find(|input| same_file::is_same_file(&target, input).unwrap_or(false))
            {
                return Err(Error::usage(
                    Diagnostic::new(
                        target.display().to_string(),
                        None,
                        crate::msg!("write.output-is-input", input = input.display()),
                    )
                    .with_hint(crate::msg!("write.output-is-input.hint"))
                    .with_code("output-is-input"),
                ));
            }
            let decision = match self.manifest.state_of(&target, name, found) {
                State::Absent | State::AsWritten => Decision::Write,
                // Never a folder or a device, not even with --force.
                State::Changed | State::Unknown if self.force => Decision::Write,
                state => match in_the_way {
                    InTheWay::Keep if state != State::NotAFile => Decision::Keep,
                    _ => {
                        // --force cannot help with a folder, link or device.
                        let hint = match state {
                            State::NotAFile => crate::msg!("write.not-a-file.hint"),
                            _ => crate::msg!("write.in-the-way.hint"),
                        };
                        refused.push(
                            Diagnostic::new(target.display().to_string(), None, state.describe())
                                .with_hint(hint)
                                .with_code("output-in-the-way"),
                        );
                        Decision::Keep
                    }
                },
            };
            decisions.push(decision);
        }
        if refused.is_empty() {
            Ok(decisions)
        } else {
            Err(refused.into())
        }
    }

    /// Makes one file in the staging folder; it is moved into place by
    /// [`Output::commit`]. Safe to call from many threads.
    pub fn stage(&self, file_name: &str, bytes: &[u8]) -> Result<()> {
        let target = self.path(file_name);
        #[cfg(debug_assertions)]
        if self
            .fail_after
            .is_some_and(|limit| self.made.fetch_add(1, Ordering::Relaxed) >= limit)
        {
            return Err(Error::io(
                &target,
                std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device (test hook)",
                ),
            ));
        }
        let hash = blake3::hash(bytes);
        if self.manifest.holds(file_name, hash.as_bytes()) {
            // The same bytes are there already: left as they are.
            return Ok(());
        }
        let staged = path_in(self.staging_dir(), file_name);
        if let Some(folder) = file_name.rsplit_once('/').map(|(folder, _)| folder) {
            fs::create_dir_all(path_in(self.staging_dir(), folder))
                .map_err(|err| Error::io(&target, err))?;
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        // Documents are ordinary files that colleagues on a shared drive can
        // read, unless the user's umask keeps them private.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
        let mut file = options
            .open(&staged)
            .map_err(|err| Error::io(&target, err))?;
        file.write_all(bytes)
            .map_err(|err| Error::io(&target, err))?;
        self.staged
            .lock()
            .map_err(|_| Error::io(&target, std::io::Error::other("a writer thread failed")))?
            .push(file_name, *hash.as_bytes());
        Ok(())
    }

    /// Moves every staged file into place and records it in the manifest,
    /// all or nothing. A replaced file keeps its permissions. A file in the
    /// way is looked at again, as [`Output::claim`] did: one that came or
    /// changed since, and may not be replaced, stops the run (exit 1, named).
    pub fn commit(mut self) -> Result<()> {
        let mut staged = std::mem::take(
            self.staged
                .get_mut()
                .map_err(|_| Error::io(&self.dir, io::Error::other("a writer thread failed")))?,
        );
        staged.sort();
        let staging = self.staging_dir().to_path_buf();
        let backups = staging.join(".replaced");
        fs::create_dir(&backups).map_err(|err| Error::io(&self.dir, err))?;
        write_journal(&staging, &staged).map_err(|err| Error::io(&self.dir, err))?;
        let mut renamer = Renamer::new(&staging, &self.dir, !self.look_first);
        let mut moved = 0;
        let mut folders = Folders::default();
        #[cfg(debug_assertions)]
        let kill_after: Option<usize> = std::env::var(KILL_HOOK).ok().and_then(|v| v.parse().ok());
        let placed = staged.iter().try_for_each(|(name, _)| {
            folders.make_for(&self.dir, &backups, name)?;
            self.move_into_place(&mut renamer, &staging, name, &backups)?;
            moved += 1;
            #[cfg(debug_assertions)]
            if kill_after == Some(moved) {
                std::process::abort();
            }
            Ok(())
        });
        if let Err(err) = placed {
            self.put_back(&staged, moved, &backups);
            folders.remove_made();
            return Err(err);
        }
        if let Err(err) = self.manifest.write(&self.dir, &staging, &staged) {
            self.put_back(&staged, moved, &backups);
            folders.remove_made();
            return Err(Error::io(self.path(MANIFEST), err));
        }
        self.committed = true;
        Ok(())
    }

    /// Moves the staged file `name` into place. Where the system can rename
    /// without replacing, that one call is all a file costs, and a file in
    /// the way makes it fail rather than vanish; elsewhere (other systems,
    /// some network shares) the target is looked at first. A file in the way
    /// is judged as [`Output::claim`] judges it: replaced (kept in `backups`
    /// until the run is done) while `mus` may, else the run stops.
    fn move_into_place(
        &self,
        renamer: &mut Renamer,
        staging: &Path,
        name: &str,
        backups: &Path,
    ) -> Result<()> {
        let target = self.path(name);
        match renamer.rename_new(name) {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(Error::io(&target, err)),
        }
        let from = path_in(staging, name);
        let Ok(found) = fs::symlink_metadata(&target) else {
            return rename_into_place(&from, &target).map_err(|err| Error::io(&target, err));
        };
        let permissions = found.permissions();
        match self.manifest.state_of(&target, name, Some(found)) {
            State::Absent | State::AsWritten => {}
            State::Changed | State::Unknown if self.force => {}
            state => {
                return Err(
                    Diagnostic::new(target.display().to_string(), None, state.describe())
                        .with_hint(crate::msg!("write.in-the-way-during-run.hint"))
                        .with_code("output-in-the-way")
                        .into(),
                );
            }
        }
        replace(&from, &target, &path_in(backups, name), permissions)
            .map_err(|err| Error::io(&target, err))
    }

    /// Undoes [`Output::commit`]'s renames of the first `moved` staged files
    /// (in name order, as they were moved): new files out, earlier versions
    /// (kept in `backups`) back.
    fn put_back(&self, staged: &Staged, moved: usize, backups: &Path) {
        for (name, _) in staged.iter().take(moved) {
            let target = self.path(name);
            let _ = fs::remove_file(&target);
            // Fails, harmlessly, where no earlier version was replaced.
            let _ = fs::rename(path_in(backups, name), &target);
        }
    }
}

/// The folders a commit makes in the output folder (a manager's, with
/// `--by-manager`), and in the backups beside them, so a failing run
/// removes them again.
#[derive(Debug, Default)]
struct Folders {
    made: Vec<PathBuf>,
    seen: HashSet<String>,
}

impl Folders {
    /// Makes the folder of `name` (if it has one) in `dir` and `backups`.
    /// A folder there already is used; anything else under its name (a
    /// file, a link) stops the run: `mus` writes only into real folders.
    fn make_for(&mut self, dir: &Path, backups: &Path, name: &str) -> Result<()> {
        let Some((folder, _)) = name.rsplit_once('/') else {
            return Ok(());
        };
        if !self.seen.insert(folder.to_string()) {
            return Ok(());
        }
        let path = path_in(dir, folder);
        match fs::create_dir(&path) {
            Ok(()) => self.made.push(path.clone()),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                    return Err(Diagnostic::new(
                        path.display().to_string(),
                        None,
                        State::NotAFile.describe(),
                    )
                    .with_hint(crate::msg!("write.not-a-file.hint"))
                    .with_code("output-in-the-way")
                    .into());
                }
            }
            Err(err) => return Err(Error::io(&path, err)),
        }
        fs::create_dir_all(path_in(backups, folder)).map_err(|err| Error::io(&path, err))
    }

    /// Removes the folders made, where they are empty again.
    fn remove_made(&self) {
        for folder in self.made.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
    }
}

/// The names in a folder when it was opened, each as [`FolderNames::fold`]
/// makes it. A name not in the set was not there, so [`Output::claim`] need
/// not look it up; a name in it is looked up as before. A miss must stay
/// true on a folder that ignores case (SMB shares, macOS, Windows, where
/// `Anna.docx` is `anna.docx`), so names are kept in lower case, a letter
/// that stands for ASCII ones in either case (the Kelvin sign for `k`) as
/// those, and a name that is not ASCII is always looked up.
#[derive(Debug, Default)]
struct FolderNames {
    folded: HashSet<Box<str>>,
    /// An entry of the folder could not be read: every name is looked up.
    unknown: bool,
}

impl FolderNames {
    /// `name` as a folder that ignores case may see it: ASCII in lower case.
    fn fold(name: &str) -> String {
        let mut folded = String::with_capacity(name.len());
        for c in name.chars() {
            let lower: String = c.to_lowercase().collect();
            let upper: String = c.to_uppercase().collect();
            match () {
                _ if c.is_ascii() => folded.push(c.to_ascii_lowercase()),
                _ if lower.is_ascii() => folded.push_str(&lower),
                _ if upper.is_ascii() => folded.push_str(&upper.to_ascii_lowercase()),
                _ => folded.push(c),
            }
        }
        folded
    }

    fn insert(&mut self, name: &std::ffi::OsStr) {
        self.folded
            .insert(FolderNames::fold(&name.to_string_lossy()).into());
    }

    /// Whether `name` may be in the folder; `false` only when it is not.
    fn may_hold(&self, name: &str) -> bool {
        // A path of several parts is not one of the folder's own names.
        self.unknown
            || !name.is_ascii()
            || name.contains(['/', '\\'])
            || self.folded.contains(FolderNames::fold(name).as_str())
    }
}

/// Writes a single file (a report, a collected CSV) through an [`Output`]
/// on its folder, refusing a file in the way and any of `inputs`.
pub fn write_one(path: &Path, bytes: &[u8], force: bool, inputs: &[PathBuf]) -> Result<PathBuf> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| {
            Error::usage(
                Diagnostic::new(
                    path.display().to_string(),
                    None,
                    crate::msg!("write.no-file-name"),
                )
                .with_code("output-not-a-file"),
            )
        })?;
    let out = Output::open(dir, force)?;
    out.claim([(name.as_str(), InTheWay::Refuse)], inputs)?;
    out.stage(&name, bytes)?;
    out.commit()?;
    Ok(path.to_path_buf())
}

/// Writes one file into `dir` (which must exist) under a temporary name and
/// renames it into place. Only for a file the user asked for by name and
/// that was checked first (`mus init`, which refuses an existing config
/// without `--force`): it keeps no manifest in the user's config folder.
pub fn write_file(dir: &Path, file_name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let target = dir.join(file_name);
    let mut temp = tempfile::Builder::new()
        .prefix(".mus-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|err| Error::io(&target, err))?;
    temp.write_all(bytes)
        .map_err(|err| Error::io(&target, err))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&target).map_or(0o644, |m| m.permissions().mode());
        fs::set_permissions(temp.path(), fs::Permissions::from_mode(mode))
            .map_err(|err| Error::io(&target, err))?;
    }
    temp.persist(&target)
        .map_err(|err| Error::io(&target, err.error))?;
    Ok(target)
}

#[cfg(test)]
mod tests;
