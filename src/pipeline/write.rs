//! Writing the output, as carefully as git treats a work tree.
//!
//! - **Nothing is replaced that `mus` did not write.** Every folder `mus`
//!   writes into gets a manifest, `.mus-manifest.json`, with a hash of each
//!   file written. A file in the way is replaced only while it is exactly
//!   what the manifest says; a changed or unknown file is either refused
//!   (the run stops, naming every such file) or kept (a filled-in personal
//!   form, named on stderr), as the caller asks; `--force` replaces both.
//! - **All or nothing.** Files are made in a hidden staging folder inside the
//!   output folder and renamed into place only when every one is made; if a
//!   rename fails, the files already moved are put back. A failing run leaves
//!   the folder as it was, and the staging folder is removed with it.
//! - **One run at a time.** A lock on `.mus-lock` keeps two runs from mixing
//!   their files in one folder; the operating system releases it when a run
//!   ends, however it ends.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
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
    staged: Mutex<StagedFiles>,
    made: AtomicUsize,
    fail_after: Option<usize>,
    /// Leftovers of an interrupted run that opening the folder removed.
    pub removed_leftovers: Vec<PathBuf>,
    lock: Option<Lock>,
    /// This run made the folder: a failing run removes it again.
    created: bool,
    committed: bool,
}

impl Drop for Output {
    fn drop(&mut self) {
        // The staging folder goes first, then the lock; a folder this run
        // made and did not fill goes too, so a failing run leaves nothing.
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
        let mut removed_leftovers = Vec::new();
        let entries = fs::read_dir(dir).map_err(|err| Error::io(dir, err))?;
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            {
                let path = entry.path();
                // Only a run holding the lock stages files, so these are a dead run's.
                fs::remove_dir_all(&path).map_err(|err| Error::io(&path, err))?;
                removed_leftovers.push(path);
            }
        }
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(dir)
            .map_err(|err| Error::io(dir, err))?;
        Ok(Output {
            dir: dir.to_path_buf(),
            force,
            manifest: Manifest::read(dir),
            staging: Some(staging),
            staged: Mutex::new(StagedFiles::default()),
            made: AtomicUsize::new(0),
            fail_after: std::env::var(FAULT_HOOK).ok().and_then(|v| v.parse().ok()),
            removed_leftovers,
            lock: Some(lock),
            created,
            committed: false,
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
    /// link) stops it at once (exit 2). One look at each file does both.
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
            let found = fs::symlink_metadata(&target).ok();
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
                        refused.push(
                            Diagnostic::new(target.display().to_string(), None, state.describe())
                                .with_hint(crate::msg!("write.in-the-way.hint"))
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
            .push(file_name, hash.as_bytes());
        Ok(())
    }

    /// Moves every staged file into place and records it in the manifest,
    /// all or nothing. A replaced file keeps its permissions.
    pub fn commit(mut self) -> Result<()> {
        let mut staged =
            std::mem::take(self.staged.get_mut().map_err(|_| {
                Error::io(&self.dir, std::io::Error::other("a writer thread failed"))
            })?);
        staged.sort();
        let staging = self.staging_dir().to_path_buf();
        let backups = staging.join(".replaced");
        fs::create_dir(&backups).map_err(|err| Error::io(&self.dir, err))?;
        for i in 0..staged.len() {
            let name = staged.name(i);
            let target = self.path(name);
            if let Err(err) = move_into_place(&staging.join(name), &target, &backups.join(name)) {
                self.put_back(&staged, i, &backups);
                return Err(Error::io(&target, err));
            }
        }
        if let Err(err) = self.manifest.write(&self.dir, &staging, &staged) {
            self.put_back(&staged, staged.len(), &backups);
            return Err(Error::io(self.path(MANIFEST), err));
        }
        self.committed = true;
        Ok(())
    }

    /// Undoes [`Output::commit`]'s renames of the first `moved` staged files:
    /// new files out, earlier versions (kept in `backups`) back.
    fn put_back(&self, staged: &StagedFiles, moved: usize, backups: &Path) {
        for i in (0..moved).rev() {
            let name = staged.name(i);
            let target = self.path(name);
            let _ = fs::remove_file(&target);
            let backup = backups.join(name);
            if fs::symlink_metadata(&backup).is_ok() {
                let _ = fs::rename(backup, &target);
            }
        }
    }
}

/// The files a run has staged, each its name and BLAKE3 hash, packed in one
/// buffer: a roster run stages 100,000 forms, and a `(String, String)` a
/// file would take three times the memory.
#[derive(Debug, Default)]
struct StagedFiles {
    /// Per file: its 32-byte hash, then its name.
    bytes: Vec<u8>,
    /// Where each file's record starts in `bytes`, and its name's length.
    records: Vec<(u32, u32)>,
}

impl StagedFiles {
    fn push(&mut self, name: &str, hash: &[u8; 32]) {
        self.records
            .push((self.bytes.len() as u32, name.len() as u32));
        self.bytes.extend_from_slice(hash);
        self.bytes.extend_from_slice(name.as_bytes());
    }

    fn len(&self) -> usize {
        self.records.len()
    }

    fn name(&self, i: usize) -> &str {
        let (start, len) = self.records[i];
        let start = start as usize + 32;
        std::str::from_utf8(&self.bytes[start..start + len as usize]).unwrap_or_default()
    }

    fn hash(&self, i: usize) -> String {
        let start = self.records[i].0 as usize;
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&self.bytes[start..start + 32]);
        blake3::Hash::from_bytes(hash).to_hex().to_string()
    }

    /// In name order, as the manifest lists them and files are moved.
    fn sort(&mut self) {
        let mut records = std::mem::take(&mut self.records);
        records.sort_by(|a, b| self.name_at(*a).cmp(self.name_at(*b)));
        self.records = records;
    }

    fn name_at(&self, (start, len): (u32, u32)) -> &str {
        let start = start as usize + 32;
        std::str::from_utf8(&self.bytes[start..start + len as usize]).unwrap_or_default()
    }

    /// The index of `name`, when staged.
    fn find(&self, name: &str) -> Option<usize> {
        self.records
            .binary_search_by(|r| self.name_at(*r).cmp(name))
            .ok()
    }
}

/// Renames `target` (if there) to `backup` and `from` to `target`; the new
/// file takes over the permissions of the one it replaces.
fn move_into_place(from: &Path, target: &Path, backup: &Path) -> std::io::Result<Option<PathBuf>> {
    let existing = fs::symlink_metadata(target).ok();
    if let Some(meta) = &existing {
        if !meta.file_type().is_file() {
            return Err(std::io::Error::other(
                "something other than a file is in the way",
            ));
        }
        fs::set_permissions(from, meta.permissions())?;
        fs::rename(target, backup)?;
    }
    if let Err(err) = fs::rename(from, target) {
        if existing.is_some() {
            let _ = fs::rename(backup, target);
        }
        return Err(err);
    }
    Ok(existing.map(|_| backup.to_path_buf()))
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

const MANIFEST_ABOUT: &str = "Files mus wrote in this folder, with their BLAKE3 hashes. \
mus replaces a file only while it is unchanged; delete this file to make mus treat every file as someone else's.";

impl Manifest {
    /// The folder's manifest; none, or one that cannot be read, protects every file.
    fn read(dir: &Path) -> Manifest {
        fs::read(dir.join(MANIFEST))
            .ok()
            .filter(|bytes| bytes.len() <= 64 << 20)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
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
        match File::open(target).and_then(|file| hasher.update_reader(file).map(|_| ())) {
            Ok(()) if hasher.finalize().as_bytes() == &expected.0 => State::AsWritten,
            _ => State::Changed,
        }
    }

    /// Writes the manifest: the files of this run (`staged`, in name
    /// order) and the earlier ones still in the folder, merged in name order
    /// as they are written out, so a run of 100,000 files holds no second
    /// copy of the list.
    fn write(&self, dir: &Path, staging: &Path, staged: &StagedFiles) -> std::io::Result<()> {
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
            std::io::Result::Ok(())
        };
        let mut earlier = self.files.iter().peekable();
        for i in 0..staged.len() {
            let name = staged.name(i);
            while let Some((old, hash)) = earlier.next_if(|(old, _)| &***old < name) {
                // Forget files that are gone.
                if fs::symlink_metadata(dir.join(&**old)).is_ok() {
                    entry(&mut out, old, &hash.hex())?;
                }
            }
            earlier.next_if(|(old, _)| &***old == name);
            entry(&mut out, name, &staged.hash(i))?;
        }
        for (old, hash) in earlier {
            if staged.find(old).is_none() && fs::symlink_metadata(dir.join(&**old)).is_ok() {
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
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|err| Error::io(&path, err))?;
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
        let read = Manifest::read(dir.path());
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

    #[test]
    fn staged_files_pack_name_and_hash_and_sort_by_name() {
        let mut staged = StagedFiles::default();
        let hash = blake3::hash(b"x");
        for name in ["samtaleskema-bo.docx", "a.docx", "samtaleskema-anna.docx"] {
            staged.push(name, hash.as_bytes());
        }
        staged.sort();
        let names: Vec<&str> = (0..staged.len()).map(|i| staged.name(i)).collect();
        assert_eq!(
            names,
            ["a.docx", "samtaleskema-anna.docx", "samtaleskema-bo.docx"]
        );
        assert_eq!(staged.hash(1), hash.to_hex().to_string());
        assert_eq!(staged.find("samtaleskema-bo.docx"), Some(2));
        assert_eq!(staged.find("b.docx"), None);
    }

    #[test]
    fn a_failed_rename_puts_earlier_files_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[("a.docx", b"old a")], false).expect("first run");
        // A folder where the second file should go makes its rename fail.
        fs::create_dir(dir.path().join("b.docx")).expect("b");
        fs::write(dir.path().join("b.docx/keep"), b"x").expect("keep");
        let out = Output::open(dir.path(), true).expect("open");
        out.stage("a.docx", b"new a").expect("a");
        out.stage("b.docx", b"new b").expect("b");
        let err = out.commit().expect_err("b cannot be written");
        assert_eq!(err.exit_code(), 3);
        assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"old a");
        assert!(dir.path().join("b.docx/keep").is_file());
        assert_eq!(names(dir.path()), [MANIFEST, "a.docx", "b.docx"]);
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
}
