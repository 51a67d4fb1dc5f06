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
//!   memory (about 100 bytes a file), sorted at commit.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Diagnostic, Error, Result};

/// The manifest of what `mus` wrote in a folder.
pub const MANIFEST: &str = ".mus-manifest.json";
/// The lock file of a run writing into a folder.
pub const LOCK: &str = ".mus-lock";
/// Staging folders are named with this prefix; leftovers of a killed run are removed by the next.
const STAGING_PREFIX: &str = ".mus-staging-";
/// Test hook: when set to N, making the (N+1)-th file fails as if the disk were full.
pub const FAULT_HOOK: &str = "MUS_TEST_DISK_FULL_AFTER";
/// Test hook, in debug builds only: the process aborts after this many
/// files are moved into place, as a kill at that moment would stop it.
#[cfg(debug_assertions)]
pub const KILL_HOOK: &str = "MUS_TEST_KILL_AFTER_MOVES";
/// The journal in the staging folder: every staged file's name and hash,
/// written before the first file is moved into place, so the next run can
/// put back what a killed run had moved (see [`recover`]).
const JOURNAL: &str = ".journal";
/// Made in every staging folder when it is made: only a folder that holds it
/// is a dead run's leftover, so a folder or file of the user's that happens
/// to be named `.mus-staging-…` is left alone.
const STAGING_MARK: &str = ".mus-run";
/// A staged file: its name and the BLAKE3 hash of its bytes.
type Staged = (Box<str>, [u8; 32]);

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
    staged: Mutex<Vec<Staged>>,
    made: AtomicUsize,
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
            staged: Mutex::new(Vec::new()),
            staging: Some(staging),
            present,
            made: AtomicUsize::new(0),
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
        self.dir.join(file_name)
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
        let made = self.made.fetch_add(1, Ordering::Relaxed);
        if self.fail_after.is_some_and(|limit| made >= limit) {
            return Err(Error::io(
                &target,
                std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device (test hook)",
                ),
            ));
        }
        let staged = self.staging_dir().join(file_name);
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
        let hash = blake3::hash(bytes);
        self.staged
            .lock()
            .map_err(|_| Error::io(&target, std::io::Error::other("a writer thread failed")))?
            .push((file_name.into(), *hash.as_bytes()));
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
        staged.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let staging = self.staging_dir().to_path_buf();
        let backups = staging.join(".replaced");
        fs::create_dir(&backups).map_err(|err| Error::io(&self.dir, err))?;
        write_journal(&staging, &staged).map_err(|err| Error::io(&self.dir, err))?;
        let mut renamer = Renamer::new(&staging, &self.dir, !self.look_first);
        let mut moved = 0;
        #[cfg(debug_assertions)]
        let kill_after: Option<usize> = std::env::var(KILL_HOOK).ok().and_then(|v| v.parse().ok());
        let placed = staged.iter().try_for_each(|(name, _)| {
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
            return Err(err);
        }
        if let Err(err) = self.manifest.write(&self.dir, &staging, &staged) {
            self.put_back(&staged, moved, &backups);
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
        let from = staging.join(name);
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
        replace(&from, &target, &backups.join(name), permissions)
            .map_err(|err| Error::io(&target, err))
    }

    /// Undoes [`Output::commit`]'s renames of the first `moved` staged files
    /// (in name order, as they were moved): new files out, earlier versions
    /// (kept in `backups`) back.
    fn put_back(&self, staged: &[Staged], moved: usize, backups: &Path) {
        for (name, _) in &staged[..moved] {
            let target = self.path(name);
            let _ = fs::remove_file(&target);
            // Fails, harmlessly, where no earlier version was replaced.
            let _ = fs::rename(backups.join(&**name), &target);
        }
    }
}

/// Writes the journal of a commit: each staged file's hash and name, a line
/// each, on disk before the first file is moved.
fn write_journal(staging: &Path, staged: &[Staged]) -> io::Result<()> {
    use std::io::BufWriter;
    let mut out = BufWriter::new(File::create(staging.join(JOURNAL))?);
    for (name, hash) in staged {
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
fn recover(dir: &Path, staging: &Path, manifest: &Manifest) -> io::Result<()> {
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
            // Only plain names in this folder: a damaged journal moves nothing elsewhere.
            let plain =
                !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name != ".";
            plain.then_some((ManifestHash(*hash.as_bytes()), name))
        })
        .collect();
    let committed = entries
        .iter()
        .all(|(hash, name)| manifest.files.get(*name) == Some(hash));
    if committed {
        return Ok(());
    }
    for (hash, name) in entries {
        if fs::symlink_metadata(staging.join(name)).is_ok() {
            // Never moved: the folder still has the earlier version.
            continue;
        }
        let target = dir.join(name);
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
        let backup = staging.join(".replaced").join(name);
        if fs::symlink_metadata(&backup).is_ok() {
            fs::rename(&backup, &target)?;
        } else {
            fs::remove_file(&target)?;
        }
    }
    Ok(())
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

/// Renames staged files into the output folder without replacing anything,
/// where the system can: on Linux `renameat2` with `RENAME_NOREPLACE`,
/// relative to the two folders opened once; on Windows `MoveFileExW`
/// without `MOVEFILE_REPLACE_EXISTING`.
struct Renamer {
    /// The staging folder and the output folder; `None` where renaming
    /// without replacing is not to be had.
    #[cfg(target_os = "linux")]
    dirs: Option<(rustix::fd::OwnedFd, rustix::fd::OwnedFd)>,
    #[cfg(windows)]
    dirs: Option<(PathBuf, PathBuf)>,
}

impl Renamer {
    /// `without_replacing`: try `RENAME_NOREPLACE` at all.
    fn new(staging: &Path, dir: &Path, without_replacing: bool) -> Renamer {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            use std::os::unix::ffi::OsStrExt;
            let open = |path: &Path| {
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(path.as_os_str().as_bytes(), flags, Mode::empty()).ok()
            };
            Renamer {
                dirs: match without_replacing {
                    true => open(staging).zip(open(dir)),
                    false => None,
                },
            }
        }
        #[cfg(windows)]
        {
            Renamer {
                dirs: without_replacing.then(|| (staging.to_path_buf(), dir.to_path_buf())),
            }
        }
        #[cfg(not(any(target_os = "linux", windows)))]
        {
            let _ = (staging, dir, without_replacing);
            Renamer {}
        }
    }

    /// Moves `name` from the staging folder into the output folder unless
    /// something is there: `Ok(true)` when moved, an error of kind
    /// `AlreadyExists` when something is in the way, `Ok(false)` when the
    /// system cannot tell (neither Linux nor Windows, or a filesystem without
    /// `RENAME_NOREPLACE`, such as an SMB share): then the caller looks.
    fn rename_new(&mut self, name: &str) -> io::Result<bool> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::RenameFlags;
            use rustix::io::Errno;
            let Some((staging, dir)) = &self.dirs else {
                return Ok(false);
            };
            match rustix::fs::renameat_with(staging, name, dir, name, RenameFlags::NOREPLACE) {
                Ok(()) => Ok(true),
                Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {
                    // Not here: look before each rename from now on.
                    self.dirs = None;
                    Ok(false)
                }
                Err(err) => Err(io::Error::from_raw_os_error(err.raw_os_error())),
            }
        }
        #[cfg(windows)]
        {
            let Some((staging, dir)) = &self.dirs else {
                return Ok(false);
            };
            let target = dir.join(name);
            match crate::platform::rename_without_replacing(&staging.join(name), &target) {
                Ok(()) => Ok(true),
                // A folder in the way gives "access denied": the caller looks.
                Err(err)
                    if err.kind() != io::ErrorKind::AlreadyExists
                        && fs::symlink_metadata(&target).is_ok() =>
                {
                    Ok(false)
                }
                Err(err) => Err(err),
            }
        }
        #[cfg(not(any(target_os = "linux", windows)))]
        {
            let _ = name;
            Ok(false)
        }
    }
}

/// Renames `target` to `backup` and `from` to `target`, giving the new file
/// the `permissions` of the one it replaces; on failure `target` is put back.
fn replace(
    from: &Path,
    target: &Path,
    backup: &Path,
    permissions: fs::Permissions,
) -> io::Result<()> {
    fs::set_permissions(from, permissions)?;
    fs::rename(target, backup)?;
    rename_into_place(from, target).inspect_err(|_| {
        let _ = fs::rename(backup, target);
    })
}

/// Renames `from` to `target`, where nothing was a moment ago. On Windows
/// it refuses to replace a file that came there meanwhile (`std::fs::rename`
/// would replace it); elsewhere it is `std::fs::rename`.
fn rename_into_place(from: &Path, target: &Path) -> io::Result<()> {
    #[cfg(windows)]
    return crate::platform::rename_without_replacing(from, target);
    #[cfg(not(windows))]
    fs::rename(from, target)
}

/// How a file in the output folder stands against the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Absent,
    AsWritten,
    Changed,
    Unknown,
    NotAFile,
}

impl State {
    fn describe(self) -> String {
        match self {
            State::Changed => crate::msg!("write.changed"),
            State::Unknown => crate::msg!("write.not-by-mus"),
            State::NotAFile => crate::msg!("write.not-a-file"),
            State::Absent | State::AsWritten => crate::msg!("write.can-be-written"),
        }
    }
}

/// The files `mus` wrote in a folder, by name, with the BLAKE3 hash of each,
/// read entry by entry as names and 32-byte hashes: a folder of 100,000
/// forms costs half the memory the hashes as text would.
#[derive(Debug, Default, serde::Deserialize)]
struct Manifest {
    files: BTreeMap<Box<str>, ManifestHash>,
}

/// A BLAKE3 hash, written in the manifest as 64 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ManifestHash([u8; 32]);

impl<'de> serde::Deserialize<'de> for ManifestHash {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        blake3::Hash::from_hex(text.as_bytes())
            .map(|hash| ManifestHash(*hash.as_bytes()))
            .map_err(serde::de::Error::custom)
    }
}

impl ManifestHash {
    fn hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }
}

/// The largest manifest read (about 400,000 files); a larger one protects every file.
const MANIFEST_BYTES: u64 = 64 << 20;

/// `mus`'s own file at `path` in an output folder (the manifest, the lock),
/// if there is one, is a regular file: a FIFO, a device, a folder or a link
/// under its name is refused, without being opened.
fn own_file_is_regular(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => Err(Diagnostic::new(
            path.display().to_string(),
            None,
            crate::msg!(
                "write.own-file-not-regular",
                reason = crate::limits::not_regular_reason(&meta)
            ),
        )
        .with_hint(crate::msg!("write.own-file-not-regular.hint"))
        .with_code("output-not-a-file")
        .into()),
        _ => Ok(()),
    }
}

const MANIFEST_ABOUT: &str = "Files mus wrote in this folder, with their BLAKE3 hashes. \
mus replaces a file only while it is unchanged; delete this file to make mus treat every file as someone else's.";

impl Manifest {
    /// The folder's manifest; none, or one that cannot be read, protects
    /// every file. Anything but a regular file under its name (a FIFO, a
    /// link to `/dev/zero`) is refused before it is opened.
    fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST);
        own_file_is_regular(&path)?;
        Ok(crate::limits::read_bounded(&path, MANIFEST_BYTES)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default())
    }

    /// How `target` stands; `found` is what `symlink_metadata` said of it.
    fn state_of(&self, target: &Path, name: &str, found: Option<fs::Metadata>) -> State {
        let Some(meta) = found else {
            return State::Absent;
        };
        if !meta.file_type().is_file() {
            return State::NotAFile;
        }
        let Some(expected) = self.files.get(name) else {
            return State::Unknown;
        };
        let mut hasher = blake3::Hasher::new();
        match crate::limits::open_regular(target)
            .and_then(|file| hasher.update_reader(file).map(|_| ()))
        {
            Ok(()) if hasher.finalize().as_bytes() == &expected.0 => State::AsWritten,
            _ => State::Changed,
        }
    }

    /// Writes the manifest: the files of this run (`staged`, in name order)
    /// and the earlier ones still in the folder, merged in name order as they
    /// are written out.
    fn write(&self, dir: &Path, staging: &Path, staged: &[Staged]) -> io::Result<()> {
        use std::io::BufWriter;
        let temp = staging.join(MANIFEST);
        let mut out = BufWriter::new(File::create(&temp)?);
        write!(out, "{{\n  \"about\": ")?;
        serde_json::to_writer(&mut out, MANIFEST_ABOUT)?;
        write!(out, ",\n  \"files\": {{")?;
        let mut first = true;
        let mut entry = |out: &mut BufWriter<File>, name: &str, hash: &str| {
            let lead = if first { "\n" } else { ",\n" };
            first = false;
            write!(out, "{lead}    ")?;
            serde_json::to_writer(&mut *out, name)?;
            write!(out, ": ")?;
            serde_json::to_writer(&mut *out, hash)?;
            io::Result::Ok(())
        };
        let mut earlier = self.files.iter().peekable();
        for (name, hash) in staged {
            while let Some((old, hash)) = earlier.next_if(|(old, _)| ***old < **name) {
                // Forget files that are gone.
                if fs::symlink_metadata(dir.join(&**old)).is_ok() {
                    entry(&mut out, old, &hash.hex())?;
                }
            }
            earlier.next_if(|(old, _)| ***old == **name);
            entry(&mut out, name, &ManifestHash(*hash).hex())?;
        }
        // Every name left comes after the last staged one.
        for (old, hash) in earlier {
            if fs::symlink_metadata(dir.join(&**old)).is_ok() {
                entry(&mut out, old, &hash.hex())?;
            }
        }
        write!(out, "{}}}\n}}\n", if first { "" } else { "\n  " })?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(temp, dir.join(MANIFEST))
    }
}

/// The lock of one run on an output folder, released when dropped (or when
/// the process ends, however it ends).
struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK);
        for _ in 0..3 {
            own_file_is_regular(&path)?;
            let mut options = fs::OpenOptions::new();
            options.create(true).truncate(false).write(true);
            // A FIFO put there after the check fails the open at once, not waits for a reader.
            #[cfg(target_os = "linux")]
            std::os::unix::fs::OpenOptionsExt::custom_flags(
                &mut options,
                (rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW).bits() as i32,
            );
            let file = options.open(&path).map_err(|err| Error::io(&path, err))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Diagnostic::new(
                        dir.display().to_string(),
                        None,
                        crate::msg!("write.locked"),
                    )
                    .with_hint(crate::msg!("write.locked.hint", lock = path.display()))
                    .with_code("output-locked")
                    .into());
                }
                Err(fs::TryLockError::Error(err)) => return Err(Error::io(&path, err)),
            }
            // A run that just finished may have removed the file we locked: lock the one that is there.
            let current = same_file::Handle::from_path(&path).ok();
            let ours =
                same_file::Handle::from_file(file.try_clone().map_err(|e| Error::io(&path, e))?)
                    .ok();
            if current.is_some() && current == ours {
                return Ok(Lock { path, _file: file });
            }
        }
        Err(Error::io(
            &path,
            std::io::Error::other("the lock file keeps being replaced by other runs"),
        ))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
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
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("e").file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    fn write(dir: &Path, files: &[(&str, &[u8])], force: bool) -> Result<()> {
        let out = Output::open(dir, force)?;
        out.claim(files.iter().map(|(n, _)| (*n, InTheWay::Refuse)), &[])?;
        for (name, bytes) in files {
            out.stage(name, bytes)?;
        }
        out.commit()
    }

    fn manifest(dir: &Path) -> String {
        fs::read_to_string(dir.join(MANIFEST)).expect("manifest")
    }

    #[test]
    fn the_manifest_is_merged_in_name_order_as_it_is_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            &[("b.docx", b"b"), ("d.docx", b"d"), ("a.docx", b"a")],
            false,
        )
        .expect("first run");
        // A file that is gone is forgotten; one not written again is kept.
        fs::remove_file(dir.path().join("d.docx")).expect("rm");
        write(dir.path(), &[("c.docx", b"c"), ("a.docx", b"a2")], false).expect("second run");
        let hash = |bytes: &[u8]| blake3::hash(bytes).to_hex().to_string();
        let expected = serde_json::json!({
            "about": MANIFEST_ABOUT,
            "files": {"a.docx": hash(b"a2"), "b.docx": hash(b"b"), "c.docx": hash(b"c")},
        });
        // The same text serde_json writes, so earlier manifests read the same.
        let pretty = serde_json::to_string_pretty(&expected).expect("json") + "\n";
        assert_eq!(manifest(dir.path()), pretty);
        let read = Manifest::read(dir.path()).expect("manifest");
        assert_eq!(read.files.len(), 3);
        assert_eq!(read.files["b.docx"].hex(), hash(b"b"));
    }

    #[test]
    fn an_empty_manifest_is_valid_json() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[], false).expect("run");
        let read: Manifest = serde_json::from_str(&manifest(dir.path())).expect("json");
        assert!(read.files.is_empty());
        assert!(manifest(dir.path()).contains("\"files\": {}"));
    }

    /// An output on `dir`; `look_first` takes the way of systems without
    /// `RENAME_NOREPLACE`.
    fn open_small(dir: &Path, force: bool, look_first: bool) -> Output {
        let mut out = Output::open(dir, force).expect("open");
        out.look_first = look_first;
        out
    }

    /// Every file in `dir` (not below it) and its text; a folder as `None`.
    fn snapshot(dir: &Path) -> BTreeMap<String, Option<String>> {
        names(dir)
            .into_iter()
            .map(|name| {
                let path = dir.join(&name);
                let text = path
                    .is_file()
                    .then(|| String::from_utf8(fs::read(&path).expect("read")).expect("text"));
                (name, text)
            })
            .collect()
    }

    #[test]
    fn files_staged_from_many_threads_in_any_order_give_the_manifest_of_a_sequential_run() {
        let hash = |bytes: &[u8]| blake3::hash(bytes).to_hex().to_string();
        let count = 101;
        let names: Vec<String> = (0..count)
            .map(|i| format!("samtaleskema-{i:03}.docx"))
            .collect();
        let bytes = |name: &str| format!("form of {name}").into_bytes();

        let sequential = tempfile::tempdir().expect("tempdir");
        let out = Output::open(sequential.path(), false).expect("open");
        for name in &names {
            out.stage(name, &bytes(name)).expect("stage");
        }
        out.commit().expect("commit");

        let shuffled = tempfile::tempdir().expect("tempdir");
        let out = open_small(shuffled.path(), false, false);
        let decisions = out
            .claim(names.iter().map(|n| (n.as_str(), InTheWay::Refuse)), &[])
            .expect("claim");
        assert!(decisions.iter().all(|d| *d == Decision::Write));
        let order: Vec<&String> = (0..count).map(|i| &names[(i * 37 + 11) % count]).collect();
        std::thread::scope(|scope| {
            for part in order.chunks(13) {
                let out = &out;
                scope.spawn(move || {
                    for name in part {
                        out.stage(name, &bytes(name)).expect("stage");
                    }
                });
            }
        });
        out.commit().expect("commit");

        assert_eq!(manifest(shuffled.path()), manifest(sequential.path()));
        let written: serde_json::Value =
            serde_json::from_str(&manifest(shuffled.path())).expect("json");
        let files = written["files"].as_object().expect("files");
        let listed: Vec<&String> = files.keys().collect();
        assert_eq!(listed, names.iter().collect::<Vec<_>>());
        for name in &names {
            assert_eq!(files[name], hash(&bytes(name)));
            assert_eq!(
                fs::read(shuffled.path().join(name)).expect("file"),
                bytes(name)
            );
        }
    }

    #[test]
    fn a_file_that_comes_into_the_way_during_the_run_is_not_replaced() {
        for look_first in [false, true] {
            let dir = tempfile::tempdir().expect("tempdir");
            write(dir.path(), &[("a.docx", b"a")], false).expect("first run");
            let before = snapshot(dir.path());
            let names: Vec<String> = (0..20).map(|i| format!("m{i:02}.docx")).collect();
            let out = open_small(dir.path(), false, look_first);
            out.claim(names.iter().map(|n| (n.as_str(), InTheWay::Keep)), &[])
                .expect("claim: all absent");
            for name in &names {
                out.stage(name, b"ours").expect("stage");
            }
            // Someone saves a file under a name claim found free.
            fs::write(dir.path().join("m13.docx"), b"theirs").expect("theirs");
            let err = out.commit().expect_err("m13 is in the way");
            assert_eq!(err.exit_code(), 1);
            let diagnostic = &err.diagnostics()[0];
            assert_eq!(diagnostic.code, "output-in-the-way");
            assert!(diagnostic.file.ends_with("m13.docx"), "{diagnostic}");
            assert_eq!(diagnostic.message, State::Unknown.describe());
            let mut expected = before.clone();
            expected.insert("m13.docx".into(), Some("theirs".into()));
            // Intact, with no other file of the run and no manifest entry.
            assert_eq!(snapshot(dir.path()), expected, "look_first: {look_first}");

            // With --force it is replaced, as claim would have let it be.
            let out = open_small(dir.path(), true, look_first);
            out.claim([("m13.docx", InTheWay::Keep)], &[])
                .expect("claim");
            fs::write(dir.path().join("m13.docx"), b"theirs again").expect("theirs");
            out.stage("m13.docx", b"ours").expect("stage");
            out.commit().expect("--force replaces it");
            assert_eq!(fs::read(dir.path().join("m13.docx")).expect("m13"), b"ours");
        }
    }

    #[test]
    fn a_file_changed_between_claim_and_commit_is_not_replaced() {
        for look_first in [false, true] {
            let dir = tempfile::tempdir().expect("tempdir");
            let names: Vec<String> = (0..10).map(|i| format!("f{i}.docx")).collect();
            let files: Vec<(&str, &[u8])> =
                names.iter().map(|n| (n.as_str(), &b"v1"[..])).collect();
            write(dir.path(), &files, false).expect("first run");
            let mut expected = snapshot(dir.path());
            expected.insert("f6.docx".into(), Some("filled in".into()));
            let out = open_small(dir.path(), false, look_first);
            let decisions = out
                .claim(names.iter().map(|n| (n.as_str(), InTheWay::Keep)), &[])
                .expect("claim");
            assert!(
                decisions.iter().all(|d| *d == Decision::Write),
                "all as written"
            );
            for name in &names {
                out.stage(name, b"v2").expect("stage");
            }
            fs::write(dir.path().join("f6.docx"), b"filled in").expect("edit");
            let err = out.commit().expect_err("f6 was changed");
            assert_eq!(err.exit_code(), 1);
            assert_eq!(err.diagnostics()[0].message, State::Changed.describe());
            assert_eq!(snapshot(dir.path()), expected, "look_first: {look_first}");

            // The unchanged files mus wrote are replaced.
            fs::remove_file(dir.path().join("f6.docx")).expect("rm");
            let out = open_small(dir.path(), false, look_first);
            out.claim(names.iter().map(|n| (n.as_str(), InTheWay::Refuse)), &[])
                .expect("claim");
            for name in &names {
                out.stage(name, b"v3").expect("stage");
            }
            out.commit().expect("re-run");
            for name in &names {
                assert_eq!(fs::read(dir.path().join(name)).expect("file"), b"v3");
            }
            let read = Manifest::read(dir.path()).expect("manifest");
            assert_eq!(read.files.len(), names.len());
            assert!(
                read.files
                    .values()
                    .all(|h| h.0 == *blake3::hash(b"v3").as_bytes())
            );
        }
    }

    #[test]
    fn a_failed_rename_in_the_middle_of_a_commit_puts_the_folder_back() {
        for look_first in [false, true] {
            let dir = tempfile::tempdir().expect("tempdir");
            let old: Vec<String> = (0..40).map(|i| format!("f{i:02}.docx")).collect();
            let first: Vec<(&str, &[u8])> = old.iter().map(|n| (n.as_str(), &b"v1"[..])).collect();
            write(dir.path(), &first, false).expect("first run");
            let before = snapshot(dir.path());
            // New files sort before the old ones, so both kinds are moved
            // before the rename that fails.
            let new: Vec<String> = (0..10).map(|i| format!("e{i:02}.docx")).collect();
            let out = open_small(dir.path(), false, look_first);
            let all = old.iter().chain(&new);
            out.claim(all.clone().map(|n| (n.as_str(), InTheWay::Refuse)), &[])
                .expect("claim");
            for name in all.rev() {
                out.stage(name, b"v2").expect("stage");
            }
            // The staged f25 is gone: its rename fails as on a failing disk.
            fs::remove_file(out.staging_dir().join("f25.docx")).expect("rm");
            let err = out.commit().expect_err("f25 cannot be moved");
            assert_eq!(err.exit_code(), 3);
            assert!(err.to_string().contains("f25.docx"), "{err}");
            assert_eq!(snapshot(dir.path()), before, "look_first: {look_first}");
        }
    }

    #[test]
    fn a_folder_in_the_way_at_commit_stops_it_and_puts_earlier_files_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[("a.docx", b"old a")], false).expect("first run");
        // A folder where the second file should go: never replaced, not
        // even with --force.
        fs::create_dir(dir.path().join("b.docx")).expect("b");
        fs::write(dir.path().join("b.docx/keep"), b"x").expect("keep");
        let out = Output::open(dir.path(), true).expect("open");
        out.stage("a.docx", b"new a").expect("a");
        out.stage("b.docx", b"new b").expect("b");
        let err = out.commit().expect_err("b cannot be written");
        assert_eq!(err.exit_code(), 1);
        assert_eq!(err.diagnostics()[0].message, State::NotAFile.describe());
        assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"old a");
        assert!(dir.path().join("b.docx/keep").is_file());
        assert_eq!(names(dir.path()), [MANIFEST, "a.docx", "b.docx"]);
    }

    #[test]
    fn a_name_not_in_the_folder_when_it_was_opened_is_known_to_be_absent() {
        let mut set = FolderNames::default();
        for name in [
            "Samtaleskema-Anna.docx",
            "samtaleskema-\u{212a}im.docx",
            "samtaleskema-ro\u{17f}a.docx",
            "samtaleskema-\u{e5}se.docx",
        ] {
            set.insert(std::ffi::OsStr::new(name));
        }
        assert!(set.may_hold("Samtaleskema-Anna.docx"));
        // A folder that ignores case or normalisation holds these too.
        assert!(set.may_hold("samtaleskema-anna.docx"));
        assert!(
            set.may_hold("samtaleskema-kim.docx"),
            "the Kelvin sign is k"
        );
        assert!(set.may_hold("samtaleskema-rosa.docx"), "a long s is s");
        assert!(
            set.may_hold("samtaleskema-a\u{30a}se.docx"),
            "not ASCII: looked up"
        );
        assert!(set.may_hold("Samtaleskema-\u{c5}se.docx"));
        assert!(!set.may_hold("samtaleskema-bo.docx"));
        assert!(
            !set.may_hold("samtaleskema-se.docx"),
            "names are kept whole, not as keys that two names can share"
        );
        assert!(
            set.may_hold("sub/samtaleskema-bo.docx"),
            "a path is looked up"
        );
        set.unknown = true;
        assert!(set.may_hold("samtaleskema-bo.docx"));

        // A file in the folder is still found by claim.
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("x.docx"), b"theirs").expect("x");
        let out = Output::open(dir.path(), false).expect("open");
        assert!(out.present.may_hold("x.docx"));
        assert!(!out.present.may_hold("y.docx"));
        let kept = out
            .claim(
                [("x.docx", InTheWay::Keep), ("y.docx", InTheWay::Keep)],
                &[],
            )
            .expect("claim");
        assert_eq!(kept, [Decision::Keep, Decision::Write]);
    }

    #[test]
    fn an_unchanged_file_is_replaced_and_a_changed_one_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[("a.docx", b"v1"), ("b.docx", b"v1")], false).expect("first");
        write(dir.path(), &[("a.docx", b"v2")], false).expect("unchanged a is ours");
        assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"v2");
        fs::write(dir.path().join("b.docx"), b"filled in").expect("edit");
        let err = write(dir.path(), &[("a.docx", b"v3"), ("b.docx", b"v3")], false)
            .expect_err("b was changed");
        assert_eq!(err.exit_code(), 1);
        assert_eq!(err.diagnostics()[0].code, "output-in-the-way");
        // Nothing written, not even the file that could have been.
        assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"v2");
        assert_eq!(
            fs::read(dir.path().join("b.docx")).expect("b"),
            b"filled in"
        );
        write(dir.path(), &[("b.docx", b"v3")], true).expect("--force");
        assert_eq!(fs::read(dir.path().join("b.docx")).expect("b"), b"v3");
    }

    #[test]
    fn a_file_mus_did_not_write_is_refused_or_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("x.docx"), b"theirs").expect("x");
        let out = Output::open(dir.path(), false).expect("open");
        let refused = out.claim([("x.docx", InTheWay::Refuse)], &[]);
        assert!(refused.is_err());
        let kept = out.claim([("x.docx", InTheWay::Keep)], &[]).expect("kept");
        assert_eq!(kept, [Decision::Keep]);
    }

    #[test]
    fn a_folder_in_the_way_is_refused_even_with_force_and_the_hint_says_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("x.docx")).expect("x");
        let out = Output::open(dir.path(), true).expect("open");
        let Err(err) = out.claim([("x.docx", InTheWay::Keep)], &[]) else {
            panic!("a folder in the way must be refused, also with --force");
        };
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.code, "output-in-the-way");
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some(crate::msg!("write.not-a-file.hint").as_ref())
        );
    }

    #[test]
    fn a_second_run_on_a_locked_folder_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = Output::open(dir.path(), false).expect("first");
        let Err(err) = Output::open(dir.path(), false) else {
            panic!("second run must be refused");
        };
        assert_eq!(err.diagnostics()[0].code, "output-locked");
        drop(first);
        Output::open(dir.path(), false).expect("free again");
        assert_eq!(
            names(dir.path()),
            Vec::<String>::new(),
            "no lock or staging left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_are_readable_by_others_and_a_replaced_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[("x.docx", b"x")], false).expect("written");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        let path = dir.path().join("x.docx");
        assert_eq!(mode(&path), 0o644);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
        write(dir.path(), &[("x.docx", b"y")], false).expect("replaced");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_read_only_file_replaced_and_a_read_only_leftover_leave_nothing_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[("x.docx", b"v1")], false).expect("first run");
        let path = dir.path().join("x.docx");
        let mut permissions = fs::metadata(&path).expect("meta").permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).expect("read-only");
        // Its backup is read-only too, and goes with the staging folder.
        write(dir.path(), &[("x.docx", b"v2")], false).expect("replaced");
        assert_eq!(fs::read(&path).expect("x"), b"v2");
        assert_eq!(names(dir.path()), [MANIFEST, "x.docx"]);

        // What a killed run left, with a read-only file in it, is removed.
        let leftover = dir.path().join(format!("{STAGING_PREFIX}dead"));
        fs::create_dir_all(leftover.join(".replaced")).expect("leftover");
        fs::write(leftover.join(STAGING_MARK), b"").expect("mus's mark");
        let saved = leftover.join(".replaced").join("x.docx");
        fs::write(&saved, b"v0").expect("saved");
        let mut permissions = fs::metadata(&saved).expect("meta").permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&saved, permissions).expect("read-only");
        let out = Output::open(dir.path(), false).expect("open");
        assert_eq!(out.removed_leftovers, [leftover]);
        drop(out);
        assert_eq!(names(dir.path()), [MANIFEST, "x.docx"]);
    }

    #[cfg(windows)]
    #[test]
    fn a_file_held_open_by_another_program_stops_the_run_naming_it_and_nothing_is_written() {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_SHARE_READ: u32 = 1;
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[("a.docx", b"v1"), ("b.docx", b"v1")], false).expect("first run");
        let before = snapshot(dir.path());
        // Word opens a document letting others read it, not write, move or delete it.
        let held = fs::OpenOptions::new()
            .read(true)
            .share_mode(FILE_SHARE_READ)
            .open(dir.path().join("b.docx"))
            .expect("held open");
        let err = write(dir.path(), &[("a.docx", b"v2"), ("b.docx", b"v2")], false)
            .expect_err("b.docx is held open");
        assert_eq!(err.exit_code(), 1, "{err}");
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.code, "output-held-open");
        assert!(diagnostic.file.ends_with("b.docx"), "{diagnostic}");
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some(crate::msg!("write.held-open.hint").as_ref())
        );
        drop(held);
        // a.docx, moved before b.docx failed, is put back.
        assert_eq!(snapshot(dir.path()), before);
        write(dir.path(), &[("a.docx", b"v2"), ("b.docx", b"v2")], false).expect("closed, it runs");
    }

    #[cfg(windows)]
    #[test]
    fn on_windows_a_file_that_appears_at_the_last_moment_is_not_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let staging = dir.path().join("staging");
        fs::create_dir(&staging).expect("staging");
        fs::write(staging.join("a.docx"), b"ours").expect("ours");
        fs::write(dir.path().join("a.docx"), b"theirs").expect("theirs");
        let mut renamer = Renamer::new(&staging, dir.path(), true);
        let err = renamer.rename_new("a.docx").expect_err("in the way");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        let err = rename_into_place(&staging.join("a.docx"), &dir.path().join("a.docx"))
            .expect_err("in the way");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"theirs");
        fs::remove_file(dir.path().join("a.docx")).expect("rm");
        assert!(
            renamer.rename_new("a.docx").expect("moved"),
            "moved in one call"
        );
    }
}
