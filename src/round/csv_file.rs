//! CSV files as people hand them to `mus`: a roster, or collected goals
//! edited in Excel since. Decoding (see [`crate::text::decode`]), the delimiter
//! (`,` or `;`), and cells kept from being read as formulas.

/// Text of a CSV file in any encoding [`crate::text::decode`] tells,
/// without warnings; a file that switches from UTF-8 to something else is
/// read as UTF-8 with the odd bytes replaced. Its line ends become Unix ones
/// ([`unix_line_ends`]).
pub fn decode_text(bytes: &[u8]) -> String {
    unix_line_ends(
        crate::text::decode(bytes)
            .map(|(text, _)| text)
            .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned()),
    )
}

/// Text with Windows line ends (`\r\n`, as Excel writes them) and old Mac
/// ones (a lone `\r`) made `\n`: the csv crate (1.4) counts only `\n` lines
/// in `Position::line`, so a row's line would be wrong
/// (BurntSushi/rust-csv#395, open). Remove this when the crate counts them;
/// `a_crlf_roster_counts_its_lines_right` and
/// `a_roster_with_old_mac_line_ends_counts_its_lines_right` show it.
pub fn unix_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    // In place: a roster of megabytes is not copied.
    let mut bytes = text.into_bytes();
    let mut kept = 0;
    for i in 0..bytes.len() {
        let byte = bytes[i];
        if byte == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        bytes[kept] = if byte == b'\r' { b'\n' } else { byte };
        kept += 1;
    }
    bytes.truncate(kept);
    // Only ASCII bytes were changed or left out, so the text is still UTF-8.
    String::from_utf8(bytes)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// The line a record read from `text` (in memory) starts on. The csv crate (1.4) gives the
/// first record after blank lines the position of the first blank line
/// (BurntSushi/rust-csv#208, open), so the blank lines there are counted
/// on; remove this when the crate counts them.
pub fn record_line(text: &str, position: &csv::Position) -> usize {
    let blank = text
        .as_bytes()
        .get(position.byte() as usize..)
        .map_or(0, |rest| rest.iter().take_while(|b| **b == b'\n').count());
    position.line() as usize + blank
}

/// `;` when the header row has more semicolons than commas outside quotes,
/// a tab when it has more tabs than either (Excel's "Unicode Text").
pub fn guess_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let (mut quoted, mut semicolons, mut commas, mut tabs) = (false, 0, 0, 0);
    for ch in header.chars() {
        match ch {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > semicolons && tabs > commas {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Characters that make a spreadsheet read a cell as a formula when it
/// starts with one (OWASP, "CSV Injection").
pub(crate) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text`, after any leading single quotes, starts like a formula.
fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A cell as it is written to the CSV: one that starts like a formula gets a
/// single quote in front, as OWASP advises, so Excel shows it as text. A cell
/// that already starts with quotes before such a character gets one more, so
/// [`unneutralize`] gives back exactly the text that was written.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The text of a cell [`neutralize`] wrote: its first single quote removed,
/// if one is followed (after any further quotes) by a formula character.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}
