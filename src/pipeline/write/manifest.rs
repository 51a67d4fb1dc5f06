//! The manifest: what `mus` wrote in a folder, with a BLAKE3 hash of each file.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Diagnostic, Result};

/// The manifest of what `mus` wrote in a folder.
pub const MANIFEST: &str = ".mus-manifest.json";

/// The files a run staged: each one's name and the BLAKE3 hash of its
/// bytes, the names in one buffer rather than an allocation each (about
/// 100 bytes a file: issue 25, 100,000 rows within 40 MB).
#[derive(Debug, Default)]
pub(super) struct Staged {
    /// The names, in the order staged.
    names: crate::text::PackedStrings,
    hashes: Vec<[u8; 32]>,
    /// The files in name order, once [`Staged::sort`] has run (as
    /// [`crate::text::PackedStrings`], 32 bits are enough).
    order: Vec<u32>,
}

impl Staged {
    pub(super) fn push(&mut self, name: &str, hash: [u8; 32]) {
        self.names.push(name);
        self.hashes.push(hash);
    }

    /// The `i`-th file staged: its name and hash.
    fn get(&self, i: usize) -> (&str, &[u8; 32]) {
        (self.names.get(i), &self.hashes[i])
    }

    /// Puts the files in name order, as [`Staged::iter`] gives them.
    pub(super) fn sort(&mut self) {
        // A run stages a few files a roster row: far fewer than 2^32.
        let count = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..count).collect();
        order.sort_unstable_by(|&a, &b| self.get(a as usize).0.cmp(self.get(b as usize).0));
        self.order = order;
    }

    /// The files, in name order once sorted (else in the order staged).
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &[u8; 32])> + '_ {
        let sorted = self.order.len() == self.names.len();
        (0..self.names.len())
            .map(move |i| self.get(if sorted { self.order[i] as usize } else { i }))
    }
}

/// How a file in the output folder stands against the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Absent,
    AsWritten,
    Changed,
    Unknown,
    NotAFile,
}

impl State {
    pub(super) fn describe(self) -> String {
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
pub(super) struct Manifest {
    pub(super) files: BTreeMap<Box<str>, Entry>,
    /// The hash of the manifest's bytes as read: one written the same is
    /// not written again, so an unchanged folder is left as it was.
    #[serde(skip)]
    read_hash: Option<blake3::Hash>,
}

/// One file of the manifest.
#[derive(Debug, serde::Deserialize)]
#[serde(transparent)]
pub(super) struct Entry {
    pub(super) hash: ManifestHash,
    /// [`Manifest::state_of`] found the file exactly as `mus` wrote it.
    #[serde(skip)]
    as_written: AtomicBool,
}

/// A BLAKE3 hash, written in the manifest as 64 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ManifestHash(pub(super) [u8; 32]);

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
    pub(super) fn hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }
}

/// The largest manifest read (about 400,000 files); a larger one protects every file.
pub(super) const MANIFEST_BYTES: u64 = 64 << 20;

/// `mus`'s own file at `path` in an output folder (the manifest, the lock),
/// if there is one, is a regular file: a FIFO, a device, a folder or a link
/// under its name is refused, without being opened.
pub(super) fn own_file_is_regular(path: &Path) -> Result<()> {
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

pub(super) const MANIFEST_ABOUT: &str = "Files mus wrote in this folder, with their BLAKE3 hashes. \
mus replaces a file only while it is unchanged; delete this file to make mus treat every file as someone else's.";

impl Manifest {
    /// The folder's manifest; none, or one that cannot be read, protects
    /// every file. Anything but a regular file under its name (a FIFO, a
    /// link to `/dev/zero`) is refused before it is opened.
    pub(super) fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST);
        own_file_is_regular(&path)?;
        let read = crate::limits::read_bounded(&path, MANIFEST_BYTES).ok();
        Ok(read
            .and_then(|bytes| {
                let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
                Some(Manifest {
                    read_hash: Some(blake3::hash(&bytes)),
                    ..manifest
                })
            })
            .unwrap_or_default())
    }

    /// Whether `name`, found as `mus` wrote it, already has these bytes:
    /// then it is not written again (its inode and mtime stay, and a
    /// shared drive has nothing to sync).
    pub(super) fn holds(&self, name: &str, hash: &[u8; 32]) -> bool {
        self.files
            .get(name)
            .is_some_and(|entry| entry.as_written.load(Ordering::Relaxed) && entry.hash.0 == *hash)
    }

    /// How `target` stands; `found` is what `symlink_metadata` said of it.
    pub(super) fn state_of(&self, target: &Path, name: &str, found: Option<fs::Metadata>) -> State {
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
            Ok(()) if hasher.finalize().as_bytes() == &expected.hash.0 => {
                expected.as_written.store(true, Ordering::Relaxed);
                State::AsWritten
            }
            _ => State::Changed,
        }
    }

    /// Writes the manifest: the files of this run (`staged`, in name order)
    /// and the earlier ones still in the folder, merged in name order as they
    /// are written out. A manifest the same as the one read is left as it was.
    pub(super) fn write(&self, dir: &Path, staging: &Path, staged: &Staged) -> io::Result<()> {
        use std::io::BufWriter;
        let temp = staging.join(MANIFEST);
        let mut out = BufWriter::new(Hashing {
            file: File::create(&temp)?,
            hasher: blake3::Hasher::new(),
        });
        write!(out, "{{\n  \"about\": ")?;
        serde_json::to_writer(&mut out, MANIFEST_ABOUT)?;
        write!(out, ",\n  \"files\": {{")?;
        let mut first = true;
        let mut entry = |out: &mut BufWriter<Hashing>, name: &str, hash: &str| {
            let lead = if first { "\n" } else { ",\n" };
            first = false;
            write!(out, "{lead}    ")?;
            serde_json::to_writer(&mut *out, name)?;
            write!(out, ": ")?;
            serde_json::to_writer(&mut *out, hash)?;
            io::Result::Ok(())
        };
        let mut earlier = self.files.iter().peekable();
        for (name, hash) in staged.iter() {
            while let Some((old, hash)) = earlier.next_if(|(old, _)| &***old < name) {
                // Forget files that are gone.
                if fs::symlink_metadata(super::names::path_in(dir, old)).is_ok() {
                    entry(&mut out, old, &hash.hash.hex())?;
                }
            }
            earlier.next_if(|(old, _)| &***old == name);
            entry(&mut out, name, &ManifestHash(*hash).hex())?;
        }
        // Every name left comes after the last staged one.
        for (old, hash) in earlier {
            if fs::symlink_metadata(super::names::path_in(dir, old)).is_ok() {
                entry(&mut out, old, &hash.hash.hex())?;
            }
        }
        write!(out, "{}}}\n}}\n", if first { "" } else { "\n  " })?;
        let written = out.into_inner().map_err(|e| e.into_error())?;
        if Some(written.hasher.finalize()) == self.read_hash {
            return Ok(());
        }
        written.file.sync_all()?;
        fs::rename(temp, dir.join(MANIFEST))
    }
}

/// A file being written, and the hash of what was written to it.
struct Hashing {
    file: File,
    hasher: blake3::Hasher,
}

impl Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.file.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}
