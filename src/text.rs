//! Text helpers shared by both halves: what a value must look like to stand
//! in a document (one line, characters XML can store).

/// Text that stands on one line in the documents (titles, questions, names):
/// line breaks and runs of spaces become single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` as two names are compared to tell people apart (form ids,
/// namesakes): on one line, runs of spaces as one, in lower case; made as
/// it is read, so comparing costs no string.
pub fn folded(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split_whitespace()
        .enumerate()
        .flat_map(|(i, word)| (i > 0).then_some(' ').into_iter().chain(word.chars()))
        .flat_map(char::to_lowercase)
}

/// True for characters XML 1.0 (and so Word) cannot store.
pub fn is_xml_invalid(ch: char) -> bool {
    matches!(ch, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Strings one after another in one buffer, each found by where it ends:
/// a long list (every file a run stages, every roster row's values) costs
/// its text and four bytes a string, not an allocation each.
#[derive(Debug, Default, Clone)]
pub struct PackedStrings {
    text: String,
    /// Where each string ends: 32 bits, since what is packed comes from
    /// inputs of at most 64 MB (see `limits`), and names made from them.
    ends: Vec<u32>,
}

impl PackedStrings {
    /// Adds `s`. What is packed stays far under 4 GiB: the inputs it comes
    /// from are at most 64 MB, and a roster row makes at most a few hundred
    /// bytes of names (see `limits`).
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        debug_assert!(u32::try_from(self.text.len()).is_ok());
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    /// The `i`-th string pushed.
    pub fn get(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        &self.text[start..self.ends[i] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// `text` as XML character data or an attribute value.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// The encodings CSV files come in from people: UTF-8 (with or without a
/// byte order mark), Excel's "CSV" export on a Danish Windows
/// (Windows-1252), and Excel's "Unicode Text" (UTF-16, little-endian, and
/// its big-endian twin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
    Utf16Le,
    Utf16Be,
}

/// A UTF-8 byte order mark.
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

impl Encoding {
    /// The length of this encoding's byte order mark.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf8 | Encoding::Windows1252 => UTF8_BOM.len(),
        }
    }

    /// The decoder for it.
    pub fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }
}

/// Text in memory, decoded from the encoding its bytes tell (its byte
/// order mark left out), and the encoding: UTF-16 by its byte order mark or
/// the zero byte beside the first letter (a header starts with a letter),
/// else UTF-8 (a byte order mark is allowed: Excel puts one before either),
/// else Windows-1252 as Excel exports it, when all before the first
/// non-UTF-8 byte is ASCII. A text that is UTF-8 in part and something else
/// from a line on is refused: either reading would garble some names, so
/// `Err` names that line.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), usize> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] of bytes it may keep: UTF-8 (the usual case) becomes the
/// text without a copy, so a roster of megabytes is held once.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<(String, Encoding), usize> {
    let (encoding, bom) = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => (Encoding::Utf16Le, true),
        [0xFE, 0xFF, ..] => (Encoding::Utf16Be, true),
        [first, 0, ..] if *first != 0 => (Encoding::Utf16Le, false),
        [0, second, ..] if *second != 0 => (Encoding::Utf16Be, false),
        _ => {
            let bom = bytes.starts_with(&UTF8_BOM);
            let body = &bytes[if bom { UTF8_BOM.len() } else { 0 }..];
            let encoding = match std::str::from_utf8(body) {
                Ok(_) => Encoding::Utf8,
                Err(err) => {
                    let valid = &body[..err.valid_up_to()];
                    // The same bytes as ASCII so far, so nothing read before changes.
                    if !valid.is_ascii() {
                        return Err(1 + valid.iter().filter(|b| **b == b'\n').count());
                    }
                    Encoding::Windows1252
                }
            };
            (encoding, bom)
        }
    };
    if bom {
        bytes.drain(..encoding.bom_len().min(bytes.len()));
    }
    if encoding == Encoding::Utf8 {
        // Told valid above.
        if let Ok(text) = String::from_utf8(bytes) {
            return Ok((text, encoding));
        }
        return Err(1);
    }
    let (text, _) = encoding.encoding_rs().decode_without_bom_handling(&bytes);
    Ok((text.into_owned(), encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_strings_give_back_each_string_whole_also_the_empty_one() {
        let mut packed = PackedStrings::default();
        assert!(packed.is_empty());
        for s in ["Åse", "", "samtaleskema-åse.docx"] {
            packed.push(s);
        }
        assert_eq!(packed.len(), 3);
        assert_eq!(
            (0..3).map(|i| packed.get(i)).collect::<Vec<_>>(),
            ["Åse", "", "samtaleskema-åse.docx"]
        );
    }

    #[test]
    fn text_is_decoded_from_each_encoding_people_hand_in() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("navn\tØ\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16), Ok(("navn\tØ\n".into(), Encoding::Utf16Le)));
        assert_eq!(
            decode(b"\xef\xbb\xbfnavn\n\xc3\x98\n"),
            Ok(("navn\nØ\n".into(), Encoding::Utf8))
        );
        assert_eq!(
            decode(b"navn\n\xd8\n"),
            Ok(("navn\nØ\n".into(), Encoding::Windows1252))
        );
        assert_eq!(decode(b"navn\n\xc3\x98\n\xd8\n"), Err(3));
        assert_eq!(decode(b"ab"), Ok(("ab".into(), Encoding::Utf8)));
        // A letter cut off at the end is no UTF-8: read as Windows-1252.
        assert_eq!(
            decode(b"navn\nS\xc3"),
            Ok(("navn\nSÃ".into(), Encoding::Windows1252))
        );
    }
}
