//! What a document is, apart from how it is made: its kind (form, guide,
//! follow-up, report), its file name, and the date stamped into it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// The documents of the concept, and those made after the interviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocumentKind {
    /// The interview form, with the pair's notes: it stays with the two.
    Samtaleskema,
    /// The development plan (udviklingsplan): the info block, the agreed
    /// goals and the signatures. The one document of the interview that is
    /// handed in and collected; it has no notes.
    Udviklingsplan,
    VejledningMedarbejder,
    VejledningLeder,
    VejledningHr,
    /// The optional topics not in this year's form, to choose from.
    Tilvalgsemner,
    /// The follow-up form made from collected goals (`mus followup`).
    Opfoelgning,
    /// The SU report from collected goals (`mus report`).
    Rapport,
}

impl DocumentKind {
    /// What `generate` writes; the two personal documents first.
    pub const GENERATED: [DocumentKind; 6] = [
        DocumentKind::Samtaleskema,
        DocumentKind::Udviklingsplan,
        DocumentKind::VejledningMedarbejder,
        DocumentKind::VejledningLeder,
        DocumentKind::VejledningHr,
        DocumentKind::Tilvalgsemner,
    ];

    /// The name used in file names and `--json`.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::Samtaleskema => "samtaleskema",
            DocumentKind::Udviklingsplan => "udviklingsplan",
            DocumentKind::VejledningMedarbejder => "vejledning-medarbejder",
            DocumentKind::VejledningLeder => "vejledning-leder",
            DocumentKind::VejledningHr => "vejledning-hr",
            DocumentKind::Tilvalgsemner => "tilvalgsemner",
            DocumentKind::Opfoelgning => "opfoelgning",
            DocumentKind::Rapport => "rapport",
        }
    }

    /// Whether the document is printed across the page (landscape): the
    /// two whose tables of goals need the width.
    pub fn across(self) -> bool {
        matches!(
            self,
            DocumentKind::Udviklingsplan | DocumentKind::Opfoelgning
        )
    }

    pub fn file_name(self) -> String {
        format!("{}.docx", self.name())
    }

    pub fn template(self) -> String {
        format!("{}.md.j2", self.name())
    }
}

/// A finished document, ready to be written.
#[derive(Debug, Clone)]
pub struct RenderedDocument {
    pub kind: DocumentKind,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The date stamped into the documents' properties and zip entries. It never
/// comes from the clock: `SOURCE_DATE_EPOCH` when set, else 1 January of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentDate(pub DateTime<Utc>);

impl DocumentDate {
    /// The day a document's zip entries are stamped with, at midnight: its
    /// date, the year kept within what a zip's DOS time holds (1980–2107),
    /// so `SOURCE_DATE_EPOCH=0` gives 1 January 1980 from both zip writers
    /// (the package's and the bulk forms').
    pub fn zip_day(&self) -> NaiveDate {
        use chrono::Datelike;
        let day = self.0.date_naive();
        let year = day.year().clamp(1980, 2107);
        day.with_year(year)
            // 29 February in a year that has none.
            .or_else(|| NaiveDate::from_ymd_opt(year, day.month(), 28))
            .unwrap_or(day)
    }

    pub fn for_year(year: i32) -> DocumentDate {
        let date = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        DocumentDate(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
    }

    /// From a `SOURCE_DATE_EPOCH` value (seconds since 1970), if it is one.
    pub fn from_epoch(seconds: &str) -> Option<DocumentDate> {
        let seconds: i64 = seconds.trim().parse().ok()?;
        DateTime::from_timestamp(seconds, 0).map(DocumentDate)
    }

    pub(crate) fn timestamp(self) -> String {
        self.0.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}
