//! The deflate pieces of a personal form: shared text compressed once and
//! ended on a byte boundary, a person's values as stored blocks between it.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// A part's text split where people's values go. Its shared text is
/// compressed once; a person's values are written as stored blocks between
/// it, and the CRC-32 is taken over the start's text and values and combined
/// with the tail's.
pub(super) struct Spliced {
    /// Up to the last text that differs between people.
    pub(super) start: Vec<Segment>,
    /// The rest, compressed once, with the final block.
    pub(super) tail: Deflated,
}

/// A part's text as split at build time, before it is compressed.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Piece<'a> {
    Text(&'a str),
    Field(usize),
    GoalRows,
}

/// A stretch of the start of a [`Spliced`] part.
pub(super) enum Segment {
    /// Text the same for everyone: compressed on its own, ended on a byte
    /// boundary and not final; the text is kept for the CRC.
    Shared { text: String, bytes: Vec<u8> },
    /// The value of `FIELDS[i]`, escaped, as stored blocks.
    Field(usize),
    /// The repeated goal rows, compressed per person (they vary).
    GoalRows,
}

/// Raw deflate data with the CRC-32 and length of what it holds.
#[derive(Clone)]
pub(super) struct Deflated {
    pub(super) bytes: Vec<u8>,
    /// Holds the length too, so a CRC of a part before it can be combined with it.
    pub(super) crc: crc32fast::Hasher,
    pub(super) len: u64,
}

/// How hard to compress. What is made once per form is worth the effort;
/// a person's goal rows are compressed fast.
#[derive(Clone, Copy)]
pub(super) enum Effort {
    Once,
    PerPerson,
}

impl Deflated {
    /// `text` compressed as a whole (ends with a final block).
    pub(super) fn whole(text: &[u8], effort: Effort) -> std::io::Result<Deflated> {
        Deflated::compress(text, FlushCompress::Finish, effort)
    }

    /// `text` compressed as a stretch of a longer stream: no final block,
    /// ended on a byte boundary so other blocks can follow.
    pub(super) fn start(text: &[u8], effort: Effort) -> std::io::Result<Deflated> {
        Deflated::compress(text, FlushCompress::Sync, effort)
    }

    pub(super) fn compress(
        text: &[u8],
        flush: FlushCompress,
        effort: Effort,
    ) -> std::io::Result<Deflated> {
        thread_local! {
            // One compressor per thread and effort, reset for each part:
            // allocating one per part costs more than compressing.
            static ONCE: RefCell<Compress> =
                RefCell::new(Compress::new(Compression::default(), false));
            static PER_PERSON: RefCell<Compress> =
                RefCell::new(Compress::new(Compression::fast(), false));
        }
        let compressor = match effort {
            Effort::Once => &ONCE,
            Effort::PerPerson => &PER_PERSON,
        };
        let bytes = compressor.with_borrow_mut(|compressor| {
            compressor.reset();
            let mut out = Vec::with_capacity(text.len() / 4 + 64);
            loop {
                let consumed = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
                let rest = text.get(consumed..).unwrap_or_default();
                if out.capacity() - out.len() < 64 {
                    out.reserve(out.capacity().max(1024));
                }
                let status = compressor
                    .compress_vec(rest, &mut out, flush)
                    .map_err(std::io::Error::other)?;
                let all_in = compressor.total_in() == text.len() as u64;
                let room_left = out.len() < out.capacity();
                match (flush, status) {
                    (FlushCompress::Finish, Status::StreamEnd) => {
                        return Ok::<_, std::io::Error>(out);
                    }
                    (FlushCompress::Finish, _) => {}
                    (_, _) if all_in && room_left => return Ok(out),
                    _ => {}
                }
            }
        })?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(text);
        Ok(Deflated {
            bytes,
            crc,
            len: text.len() as u64,
        })
    }
}

impl Spliced {
    /// Compresses the shared text of `pieces`; the last piece, when it is
    /// text, is the tail.
    pub(super) fn new(mut pieces: Vec<Piece<'_>>) -> std::io::Result<Spliced> {
        let tail = match pieces.last() {
            Some(Piece::Text(text)) => {
                let text = *text;
                pieces.pop();
                text
            }
            _ => "",
        };
        let start = pieces
            .into_iter()
            .filter(|piece| *piece != Piece::Text(""))
            .map(|piece| {
                Ok(match piece {
                    Piece::Text(text) => Segment::Shared {
                        text: text.to_string(),
                        bytes: Deflated::start(text.as_bytes(), Effort::Once)?.bytes,
                    },
                    Piece::Field(field) => Segment::Field(field),
                    Piece::GoalRows => Segment::GoalRows,
                })
            })
            .collect::<std::io::Result<_>>()?;
        Ok(Spliced {
            start,
            tail: Deflated::whole(tail.as_bytes(), Effort::Once)?,
        })
    }

    /// The compressed size of the shared text.
    pub(super) fn shared_len(&self) -> usize {
        let start: usize = self
            .start
            .iter()
            .map(|segment| match segment {
                Segment::Shared { bytes, .. } => bytes.len(),
                Segment::Field(_) | Segment::GoalRows => 0,
            })
            .sum();
        start + self.tail.bytes.len()
    }

    /// The part with `values` (escaped, in the order of [`super::FIELDS`]) and
    /// `goal_rows` in their places.
    pub(super) fn fill(&self, values: &[String; 5], goal_rows: &str) -> std::io::Result<Deflated> {
        let values_len: usize = values.iter().map(String::len).sum();
        let mut bytes =
            Vec::with_capacity(self.shared_len() + 2 * values_len + goal_rows.len() / 2 + 64);
        let mut crc = crc32fast::Hasher::new();
        let mut len = 0;
        for segment in &self.start {
            let raw = match segment {
                Segment::Shared {
                    text,
                    bytes: compressed,
                } => {
                    bytes.extend_from_slice(compressed);
                    text.as_str()
                }
                Segment::Field(field) => {
                    let value = values[*field].as_str();
                    push_stored(&mut bytes, value.as_bytes());
                    value
                }
                Segment::GoalRows => {
                    if !goal_rows.is_empty() {
                        let rows = Deflated::start(goal_rows.as_bytes(), Effort::PerPerson)?;
                        bytes.extend_from_slice(&rows.bytes);
                    }
                    goal_rows
                }
            };
            crc.update(raw.as_bytes());
            len += raw.len() as u64;
        }
        bytes.extend_from_slice(&self.tail.bytes);
        crc.combine(&self.tail.crc);
        Ok(Deflated {
            bytes,
            crc,
            len: len + self.tail.len,
        })
    }
}

/// Appends `raw` as stored blocks, none of them final, to a deflate stream
/// that is at a byte boundary: each block is a header byte 0, its length and
/// the length's complement (16 bits each, little-endian), then the bytes as
/// they are. No bytes, no block.
pub(super) fn push_stored(out: &mut Vec<u8>, raw: &[u8]) {
    for chunk in raw.chunks(usize::from(u16::MAX)) {
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.reserve(5 + chunk.len());
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}
