//! A roster's text, read from its file once: a CSV decoded from the
//! encoding it came in (UTF-8, Excel's Windows-1252 or UTF-16) with Unix
//! line ends, or a workbook's sheet as rows. Every pass reads it from here.

use std::sync::Arc;

use crate::round::workbook::SheetRow;

/// What a roster's passes read its rows from.
#[derive(Debug, Clone)]
pub(super) enum RosterText {
    /// A CSV's text, decoded, with Unix line ends (see
    /// [`crate::round::csv_file::unix_line_ends`]).
    Csv(Arc<String>),
    /// The rows of a workbook's sheet, the header first.
    Sheet(Arc<[SheetRow]>),
}

/// A CSV reader over roster text, as every pass reads it.
pub(super) fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}
