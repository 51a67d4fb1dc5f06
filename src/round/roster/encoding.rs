//! A roster file's bytes: read once to hash them and tell their encoding
//! (UTF-8, Excel's Windows-1252 or UTF-16), then decoded, checked against
//! that hash and given Unix line ends on every pass.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::round::workbook::{self, SheetRow};

/// Where a roster's bytes are read from, once per pass.
#[derive(Debug, Clone)]
pub(super) enum RosterBytes {
    /// A regular file, and the hash of what the first read found in it.
    File { path: PathBuf, hash: blake3::Hash },
    /// Bytes in memory: a roster given as bytes (a pipe or a device is
    /// refused, not read: see [`crate::limits::open_regular`]).
    Memory(Arc<[u8]>),
    /// The rows of a workbook's sheet, read once (the header first): a
    /// workbook is unpacked and read whole, so it is held, not read again.
    Sheet(Arc<[SheetRow]>),
}

/// What a first read of a roster's bytes found.
pub(super) struct Sniffed {
    pub(super) hash: blake3::Hash,
    /// The byte order mark (left out when read) and the encoding, as
    /// [`crate::text::EncodingSniffer`] tells them.
    pub(super) text: crate::text::Sniffed,
}

/// Reads `bytes` through once: their hash, and their encoding (see
/// [`crate::text::EncodingSniffer`]).
pub(super) fn sniff(mut bytes: impl Read) -> std::io::Result<Sniffed> {
    let mut hasher = blake3::Hasher::new();
    let mut sniffer = crate::text::EncodingSniffer::default();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match bytes.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        hasher.update(&buffer[..read]);
        sniffer.update(&buffer[..read]);
    }
    Ok(Sniffed {
        hash: hasher.finalize(),
        text: sniffer.finish(),
    })
}

/// Reads a roster file again for a pass: at its end, the hash of what was
/// read must be the first read's, or the pass ends with an error. An error
/// is returned once; after it the reader is at its end, so the CSV reader
/// stops.
pub(super) struct CheckedRead<R> {
    pub(super) inner: R,
    pub(super) hasher: blake3::Hasher,
    pub(super) expected: blake3::Hash,
    pub(super) done: bool,
}

/// The error a pass ends with when the roster changed since the first read.
pub(super) const CHANGED: &str = "the roster changed while mus read it";

impl<R: Read> Read for CheckedRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Ok(0) => {
                self.done = true;
                if self.hasher.finalize() == self.expected {
                    Ok(0)
                } else {
                    Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        CHANGED,
                    ))
                }
            }
            Ok(read) => {
                self.hasher.update(&buf[..read]);
                Ok(read)
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => Err(err),
            Err(err) => {
                self.done = true;
                Err(err)
            }
        }
    }
}

/// Text with Windows line ends (`\r\n`, as Excel writes them) and old
/// Mac ones (a lone `\r`) made `\n` as it is read: the csv crate (1.4)
/// counts only `\n` lines in `Position::line`, so a row's line would be
/// wrong (BurntSushi/rust-csv#395, open). Remove this when the crate counts
/// them; `a_crlf_roster_counts_its_lines_right` and
/// `a_roster_with_old_mac_line_ends_counts_its_lines_right` show it.
pub(super) struct UnixLineEnds<R> {
    pub(super) inner: R,
    pub(super) buffer: Box<[u8]>,
    /// The part of `buffer` not yet handed out.
    pub(super) start: usize,
    pub(super) end: usize,
    /// A `\r` that ended the last read from `inner`, not yet known to start a `\r\n`.
    pub(super) pending_cr: bool,
}

impl<R: Read> UnixLineEnds<R> {
    pub(super) fn new(inner: R) -> Self {
        UnixLineEnds {
            inner,
            buffer: vec![0u8; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            pending_cr: false,
        }
    }

    /// Reads on from `inner` until there is something to hand out or the end.
    fn refill(&mut self) -> std::io::Result<()> {
        loop {
            let held = usize::from(self.pending_cr);
            self.buffer[0] = b'\r';
            let read = self.inner.read(&mut self.buffer[held..])?;
            let end = held + read;
            self.pending_cr = false;
            if read == 0 {
                // A `\r` at the very end is a line end of its own.
                self.buffer[0] = b'\n';
                (self.start, self.end) = (0, held);
                return Ok(());
            }
            let ends_with_cr = self.buffer[end - 1] == b'\r';
            let mut kept = 0;
            for i in 0..end {
                let byte = self.buffer[i];
                if byte == b'\r' && i + 1 < end && self.buffer[i + 1] == b'\n' {
                    continue;
                }
                self.buffer[kept] = if byte == b'\r' { b'\n' } else { byte };
                kept += 1;
            }
            if ends_with_cr {
                self.pending_cr = true;
                kept -= 1;
            }
            if kept > 0 {
                (self.start, self.end) = (0, kept);
                return Ok(());
            }
        }
    }
}

impl<R: Read> Read for UnixLineEnds<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.start == self.end && !out.is_empty() {
            self.refill()?;
        }
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buffer[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Whether the file at `path` starts like a workbook (a zip package or a
/// compound file), whatever its name: a workbook named `.csv` is read as
/// one, not as garbled text. A file that cannot be read is left to the
/// CSV reader, which says why.
pub(super) fn starts_like_workbook(path: &Path) -> bool {
    let mut start = [0u8; 8];
    let read = crate::limits::open_regular(path).and_then(|mut file| {
        let mut got = 0;
        while got < start.len() {
            match file.read(&mut start[got..])? {
                0 => break,
                n => got += n,
            }
        }
        Ok(got)
    });
    read.is_ok_and(|got| workbook::sniff(&start[..got]) != workbook::FileKind::Text)
}

/// A reader whose first read fails: a roster file that can no longer be opened.
pub(super) struct FailedRead(pub(super) Option<std::io::Error>);

impl Read for FailedRead {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

/// A CSV reader over roster text, as every pass reads it.
pub(super) fn csv_reader<R: Read>(text: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text)
}
