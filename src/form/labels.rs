//! The fixed Danish words of the form blocks. They are part of the form's
//! contract: `mus collect` (to come) finds the goals table and the info block
//! by their bookmarks and checks these headers.

/// Header row of the goals table.
pub const GOALS_COLUMNS: [&str; 4] = [
    "Udviklingsmål",
    "Udviklingsaktiviteter",
    "Hvornår",
    "Opfølgning",
];
/// Columns of the goals table after [`GOALS_COLUMNS`]: who is responsible
/// and how the two will see that the goal is reached, as the guides ask.
/// `mus collect` reads the first four columns.
pub const GOALS_EXTRA_COLUMNS: [&str; 2] = ["Ansvarlig", "Sådan ser vi, at målet er nået"];
/// Header row of the follow-up table.
pub const FOLLOWUP_COLUMNS: [&str; 5] = [
    "Udviklingsmål",
    "Status",
    "Hvad har hjulpet",
    "Hvad har stået i vejen",
    "Næste skridt",
];
/// Header row of last year's goals at the start of a form.
pub const PREVIOUS_COLUMNS: [&str; 3] = ["Sidste års udviklingsmål", "Status", "Hvad har hjulpet"];
/// Rows of the info block.
pub const INFO_LABELS: [&str; 4] = ["Medarbejder", "Leder", "Enhed", "Dato"];
pub const EMPLOYEE: &str = "Medarbejder";
pub const MANAGER: &str = "Leder";
pub const DATE: &str = "Dato";
pub const SIGNATURE: &str = "Underskrift";
/// Placeholder in a `footer` block for the page number.
pub const PAGE_FIELD: &str = "{side}";
/// Placeholder in a `footer` block for the number of pages.
pub const PAGES_FIELD: &str = "{sider}";

/// Danish month names, for dates like "1. februar 2027".
pub const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date the Danish way: `1. februar 2027`.
pub fn danish_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{}. {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}
