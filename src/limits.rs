//! Every size, count and depth a user's input controls, in one place, so the
//! manual's Limits table (docs/safety.md, checked by the `docs` tests) and the
//! code cannot drift apart: `mus` handles any input in bounded time and
//! memory, and says which limit a file broke.

use std::io::Read;
use std::path::Path;

/// A config file (or the catalogue's `topics.yaml`), in bytes.
pub const CONFIG_BYTES: u64 = 2 << 20;
/// A config after YAML aliases are expanded: text bytes plus one per value.
/// Aliases are for sharing a list, not for multiplying a file.
pub const YAML_EXPANDED: u64 = 4 << 20;
/// How deep lists and maps may nest in a config (a real one needs 4).
pub const YAML_DEPTH: usize = 32;
/// The configs of one round (`generate`, `followup`, `report` given the
/// workplace's and the units' own): a state agency has at most a few dozen units.
pub const ROUND_CONFIGS: usize = 256;
/// A roster CSV, in bytes (about 100,000 rows of typical length fit in 10 MB).
pub const ROSTER_BYTES: u64 = 64 << 20;
/// One cell of a roster (a name, a unit, a date, a list of topics), in bytes.
pub const ROSTER_CELL_BYTES: u64 = 4 << 10;
/// A file `collect` reads (a form), and a collected-goals CSV read back by
/// `followup`, `report` and `--previous` (about 200,000 goals).
pub const FORM_BYTES: u64 = 50 << 20;
/// The most a form's document part may unpack to: a zip bomb stops here.
pub const FORM_DOCUMENT_BYTES: u64 = 32 << 20;
/// The most parts a form's package may have.
pub const FORM_ENTRIES: usize = 2_000;
/// The most XML nodes a form's document part may have.
pub const FORM_XML_NODES: u32 = 2_000_000;
/// The most bookmarks of one name `collect` follows in a form (copied goals tables).
pub const FORM_BOOKMARKS: usize = 64;
/// The most parts a workbook (`.xlsx`: a roster, collected goals) may have.
pub const WORKBOOK_ENTRIES: usize = 2_000;
/// The most one part of a workbook may unpack to (its sheet, its shared
/// strings): every part is unpacked through this before it is read, so a
/// zip bomb stops here.
pub const WORKBOOK_PART_BYTES: u64 = 128 << 20;
/// The most a workbook's parts may unpack to together.
pub const WORKBOOK_UNPACKED_BYTES: u64 = 256 << 20;
/// The most rows with something in them a sheet may have (a roster's CSV
/// limit holds about as many).
pub const WORKBOOK_ROWS: usize = 500_000;
/// The columns a sheet may use: a roster has 5, collected goals 20.
pub const WORKBOOK_COLUMNS: usize = 64;
/// The most cells a sheet's rows may hold, counted from column A to each
/// row's last cell: the memory a sheet may take, whatever its shape.
pub const WORKBOOK_CELLS: usize = 5_000_000;
/// A template file from `--templates`, in bytes.
pub const TEMPLATE_BYTES: u64 = 1 << 20;
/// minijinja's fuel for one document: roughly the instructions a template
/// may run (the built-in form uses a few thousand per topic).
pub const TEMPLATE_FUEL: u64 = 50_000_000;
/// How deep templates may nest blocks, includes and macro calls.
pub const TEMPLATE_RECURSION: usize = 64;

/// A house file (`--reference-doc`, `reference_doc:`), in bytes.
pub const HOUSE_BYTES: u64 = 20 << 20;
/// The most parts a house file's package may have.
pub const HOUSE_ENTRIES: usize = 2_000;
/// The most one part of a house file (its styles, theme, header, body) may
/// unpack to: a zip bomb stops here.
pub const HOUSE_PART_BYTES: u64 = 32 << 20;
/// The most XML nodes one part of a house file may have.
pub const HOUSE_XML_NODES: u32 = 2_000_000;
/// The most pictures a house file's header may bring into every document.
pub const HOUSE_PICTURES: usize = 16;
/// The pictures of a house file's header together, in bytes (each document carries them).
pub const HOUSE_PICTURE_BYTES: u64 = 10 << 20;

/// Opens `path` for reading if it is a regular file (or a link to one).
/// What it is is asked first ([`std::fs::metadata`]), without opening it: a
/// FIFO would make the open itself wait forever, and a device such as
/// `/dev/zero` never ends. The opened file is asked again, so a file swapped
/// for something else in between is refused too.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(not_regular(&before));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should a FIFO come in its place after the check, opening it does not wait.
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let file = options.open(path)?;
    let after = file.metadata()?;
    if !after.is_file() {
        return Err(not_regular(&after));
    }
    Ok(file)
}

/// The error for something that is not a regular file, saying what it is.
pub fn not_regular(metadata: &std::fs::Metadata) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        not_regular_reason(metadata),
    )
}

/// Why something that is not a regular file is refused, in the user's language.
pub fn not_regular_reason(metadata: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return crate::msg!("file.fifo");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return crate::msg!("file.device");
        }
        if kind.is_socket() {
            return crate::msg!("file.socket");
        }
    }
    if metadata.is_dir() {
        return crate::msg!("file.folder");
    }
    if metadata.file_type().is_symlink() {
        return crate::msg!("file.link");
    }
    crate::msg!("file.not-regular")
}

/// Reads a whole regular file ([`open_regular`]) of at most `limit` bytes.
/// A longer file is refused without reading more than `limit + 1` bytes of
/// it, so a file that grows while it is read cannot exhaust memory either.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut file = open_bounded(path, limit)?;
    // Room for the whole file at once (and the byte that tells its end), so
    // a large one is one allocation, not a series of copies.
    let size = file.inner.get_ref().metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(limit)).unwrap_or(0) + 1);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens a regular file ([`open_regular`]) to be read through once, at
/// most `limit` bytes of it: a file larger than that is refused by its size
/// before a byte is read, and one that grows while it is read by the read
/// that passes `limit` ([`too_big`]).
pub fn open_bounded(path: &Path, limit: u64) -> std::io::Result<Bounded> {
    let file = open_regular(path)?;
    if file.metadata()?.len() > limit {
        return Err(too_big(limit));
    }
    Ok(Bounded {
        inner: file.take(limit + 1),
        limit,
    })
}

/// A file read through [`open_bounded`].
#[derive(Debug)]
pub struct Bounded {
    inner: std::io::Take<std::fs::File>,
    limit: u64,
}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        // `limit + 1` bytes were allowed: the last one is one too many.
        if self.inner.limit() == 0 {
            return Err(too_big(self.limit));
        }
        Ok(read)
    }
}

/// Like [`read_bounded`], for text that must be UTF-8.
pub fn read_bounded_text(path: &Path, limit: u64) -> std::io::Result<String> {
    String::from_utf8(read_bounded(path, limit)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            crate::msg!("file.not-utf8"),
        )
    })
}

/// The error for a file over its size `limit`.
pub fn too_big(limit: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        crate::msg!("file.too-large", limit = human(limit)),
    )
}

/// `2 MB`, `64 MB`: limits as docs/safety.md states them.
pub fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes >> 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_the_limit_read() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("f");
        std::fs::write(&path, vec![b'a'; 1025]).expect("write");
        let err = read_bounded(&path, 1024).expect_err("too big");
        assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
        assert!(err.to_string().contains("1 KB"), "{err}");
        assert_eq!(read_bounded(&path, 1025).expect("fits").len(), 1025);
    }

    #[test]
    fn a_file_that_grows_past_the_limit_while_it_is_read_is_refused() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("f");
        std::fs::write(&path, b"abcd").expect("write");
        let mut opened = open_bounded(&path, 4).expect("fits when opened");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        file.write_all(b"efgh").expect("grow");
        let err = opened
            .read_to_end(&mut Vec::new())
            .expect_err("grown too big");
        assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
    }
}
