//! Text helpers shared by both halves: what a value must look like to stand
//! in a document (one line, characters XML can store).

/// Text that stands on one line in the documents (titles, questions, names):
/// line breaks and runs of spaces become single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True for characters XML 1.0 (and so Word) cannot store.
pub fn is_xml_invalid(ch: char) -> bool {
    matches!(ch, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}
