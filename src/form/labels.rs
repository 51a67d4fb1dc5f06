//! The fixed words of the documents, in each language a document can be
//! written in: the documents' own text source, beside the templates.
//!
//! Why not the message catalogue (`src/messages/`): the catalogue speaks the
//! user's language (`--lang`), a document the config's `language` (a Danish
//! HR consultant makes English forms for an employee who reads no Danish).
//! And most of these words are the form's contract: `mus collect` finds the
//! goals table and the info block by their bookmarks and checks these
//! headers, in either language, so they are constants the writer and the
//! reader share, not texts to translate apart.

use crate::language::Language;

impl Language {
    /// The labels of the form blocks in this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Language::Da => &DANISH,
            Language::En => &ENGLISH,
        }
    }

    /// A date in this language: `1. februar 2027` or `1 February 2027`.
    pub fn date(self, date: chrono::NaiveDate) -> String {
        match self {
            Language::Da => danish_date(date),
            Language::En => english_date(date),
        }
    }
}

/// The fixed words of the blocks in one language.
#[derive(Debug)]
pub struct Labels {
    /// Header row of the goals table; `mus collect` reads these columns.
    pub goals_columns: [&'static str; 4],
    /// Columns of the goals table after `goals_columns`: who is responsible
    /// and how the two will see that the goal is reached, as the guides ask.
    pub goals_extra_columns: [&'static str; 2],
    /// Header row of the follow-up table.
    pub followup_columns: [&'static str; 5],
    /// The fixed answers of the follow-up table's status column, printed in
    /// each status cell; `mus collect` maps what is left there to one of them.
    pub status_answers: [&'static str; 4],
    /// Header row of last year's goals at the start of a form.
    pub previous_columns: [&'static str; 3],
    /// Rows of the info block: employee, manager, unit, agreed date, the
    /// date the interview was held, the form's id (see [`crate::form::info_row`]).
    pub info_labels: [&'static str; 6],
    pub employee: &'static str,
    pub manager: &'static str,
    pub date: &'static str,
    pub signature: &'static str,
    /// Opens the line under a follow-up goal with what was agreed at the
    /// interview; `collect` leaves such a line out of the goal's text.
    pub agreed: &'static str,
    /// Last year's status of a goal no follow-up form gave one.
    pub not_followed_up: &'static str,
    /// Last year's status that was written but is none of the four.
    pub unknown_status: &'static str,
    /// The folder of forms whose row names no manager (`--by-manager`).
    pub no_manager_folder: &'static str,
    /// The marker `mus preview` prints for a note box.
    pub notes: &'static str,
    /// The alternative text of the tables a screen reader meets as fields:
    /// a note box with no question right before it, the info block, the
    /// signature block (a note box after a question is named by it).
    pub notes_caption: &'static str,
    pub info_caption: &'static str,
    pub signature_caption: &'static str,
    /// What an empty text control shows until it is filled in.
    pub placeholder_text: &'static str,
    /// What an empty date picker shows.
    pub placeholder_date: &'static str,
    /// What an empty drop-down shows.
    pub placeholder_choice: &'static str,
    /// How a date picker writes the chosen date (Word's date format), the
    /// way [`Language::date`] writes one.
    pub date_format: &'static str,
    /// The marker `mus preview` prints for the report's chart.
    pub chart: &'static str,
    /// Who keeps what and for how long, when the config's `storage` does
    /// not say: printed the same in the forms and every guide.
    pub default_storage: &'static str,
    /// The title of the starter house file (`mus init --reference-doc`).
    pub house_style_title: &'static str,
    /// The SU report's own words.
    pub report: ReportWords,
}

/// The words of the SU report that its template does not hold: the names of
/// its pooled rows, and the chart's title, series and description.
#[derive(Debug)]
pub struct ReportWords {
    /// The pool of units with too few people in the roster.
    pub other_units: &'static str,
    /// The row of interviews in no group's blocks.
    pub other_interviews: &'static str,
    /// The JSON report's note when no figure can be shown; `{min}` is the
    /// fewest interviews behind a figure.
    pub too_few: &'static str,
    /// Joins the two shares in the chart's figures in words.
    pub and: &'static str,
    pub chart_title: &'static str,
    pub chart_written: &'static str,
    pub chart_followed: &'static str,
    pub chart_description: &'static str,
    /// The words of the report as a workbook (`mus report -o rapport.xlsx`).
    pub sheet: ReportSheetWords,
}

/// The sheet name, row names and column headers of the report as a
/// workbook; the statuses are [`Labels::status_answers`] and
/// [`Labels::unknown_status`].
#[derive(Debug)]
pub struct ReportSheetWords {
    pub name: &'static str,
    pub unit: &'static str,
    /// The row of the whole workplace.
    pub total: &'static str,
    /// In a group's row when it has no full block; `{min}` is the block size.
    pub fewer_than: &'static str,
    pub interviews: &'static str,
    pub with_goals: &'static str,
    pub with_goals_share: &'static str,
    pub goals: &'static str,
    pub goals_per_interview: &'static str,
    pub goals_with_follow_up: &'static str,
    pub follow_up_share: &'static str,
    pub goals_followed_up: &'static str,
    pub followed_up_share: &'static str,
    pub in_time: &'static str,
    pub in_time_share: &'static str,
    pub invited: &'static str,
    pub held: &'static str,
    pub held_share: &'static str,
}

/// The Danish labels.
pub const DANISH: Labels = Labels {
    goals_columns: GOALS_COLUMNS,
    goals_extra_columns: GOALS_EXTRA_COLUMNS,
    followup_columns: FOLLOWUP_COLUMNS,
    status_answers: ["Nået", "Delvist", "Ikke nået", "Opgivet"],
    previous_columns: PREVIOUS_COLUMNS,
    info_labels: INFO_LABELS,
    employee: EMPLOYEE,
    manager: MANAGER,
    date: DATE,
    signature: SIGNATURE,
    agreed: "Aftalt ved samtalen –",
    not_followed_up: "Ikke fulgt op",
    unknown_status: "Uklar status",
    no_manager_folder: "uden-leder",
    notes: "noter",
    notes_caption: "Noter",
    info_caption: "Oplysninger om samtalen",
    signature_caption: "Underskrifter",
    placeholder_text: "Skriv her",
    placeholder_date: "Vælg en dato",
    placeholder_choice: "Vælg et svar",
    date_format: "d. MMMM yyyy",
    chart: "figur",
    default_storage: "HR gemmer udviklingsplanen og opfølgningsskemaet, til næste års MUS-runde er afsluttet, og sletter dem derefter. Samtaleskemaet med jeres noter gemmer I selv, og I sletter det, når næste års samtale er holdt.",
    house_style_title: "Husstil til MUS-dokumenter",
    report: ReportWords {
        other_units: "Øvrige enheder",
        other_interviews: "Øvrige samtaler",
        too_few: "for få samtaler til at vise tal: ingen enhed har {min} med en dato, der kan læses",
        and: "og",
        chart_title: "Skriftlige mål og opfølgning pr. enhed",
        chart_written: "Samtaler med skriftlige mål",
        chart_followed: "Mål fulgt op",
        chart_description: "Søjlediagram over andelen af samtaler med skriftlige udviklingsmål og andelen af målene, der er fulgt op, for hver enhed i tabellen",
        sheet: ReportSheetWords {
            name: "Rapport",
            unit: "Enhed",
            total: "I alt",
            fewer_than: "færre end {min}",
            interviews: "Med i tallene",
            with_goals: "Med skriftlige mål",
            with_goals_share: "Andel med skriftlige mål",
            goals: "Udviklingsmål",
            goals_per_interview: "Mål pr. samtale",
            goals_with_follow_up: "Mål med aftalt opfølgning",
            follow_up_share: "Andel med aftalt opfølgning",
            goals_followed_up: "Mål fulgt op",
            followed_up_share: "Andel fulgt op",
            in_time: "Fulgt op inden fristen",
            in_time_share: "Andel fulgt op inden fristen",
            invited: "Inviteret",
            held: "Holdte samtaler",
            held_share: "Andel af de inviterede",
        },
    },
};

/// The English labels.
pub const ENGLISH: Labels = Labels {
    goals_columns: [
        "Development goals",
        "Development activities",
        "When",
        "Follow-up",
    ],
    goals_extra_columns: ["Responsible", "How we will see the goal is reached"],
    followup_columns: [
        "Development goal",
        "Status",
        "What has helped",
        "What has got in the way",
        "Next step",
    ],
    status_answers: ["Reached", "Partly", "Not reached", "Dropped"],
    previous_columns: ["Last year's development goals", "Status", "What has helped"],
    info_labels: [
        "Employee",
        "Manager",
        "Unit",
        "Date",
        "Interview held on",
        "Form id",
    ],
    employee: "Employee",
    manager: "Manager",
    date: "Date",
    signature: "Signature",
    agreed: "Agreed at the interview –",
    not_followed_up: "Not followed up",
    unknown_status: "Unclear status",
    no_manager_folder: "no-manager",
    notes: "notes",
    notes_caption: "Notes",
    info_caption: "About the interview",
    signature_caption: "Signatures",
    placeholder_text: "Type here",
    placeholder_date: "Choose a date",
    placeholder_choice: "Choose an answer",
    date_format: "d MMMM yyyy",
    chart: "chart",
    default_storage: "HR keeps the development plan and the follow-up form until next year's MUS round is complete and then deletes them. You keep the interview form with your notes yourselves and delete it once next year's interview has been held.",
    house_style_title: "House style for MUS documents",
    report: ReportWords {
        other_units: "Other units",
        other_interviews: "Other interviews",
        too_few: "too few interviews to show figures: no unit has {min} with a readable date",
        and: "and",
        chart_title: "Written goals and follow-up by unit",
        chart_written: "Interviews with written goals",
        chart_followed: "Goals followed up",
        chart_description: "Bar chart of the share of interviews with written development goals and the share of goals followed up, for each unit in the table",
        sheet: ReportSheetWords {
            name: "Report",
            unit: "Unit",
            total: "Total",
            fewer_than: "fewer than {min}",
            interviews: "Interviews in the figures",
            with_goals: "With written goals",
            with_goals_share: "Share with written goals",
            goals: "Development goals",
            goals_per_interview: "Goals per interview",
            goals_with_follow_up: "Goals with agreed follow-up",
            follow_up_share: "Share with agreed follow-up",
            goals_followed_up: "Goals followed up",
            followed_up_share: "Share followed up",
            in_time: "Followed up by the deadline",
            in_time_share: "Share followed up by the deadline",
            invited: "Invited",
            held: "Interviews held",
            held_share: "Share of those invited",
        },
    },
};

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
pub const INFO_LABELS: [&str; 6] = [
    "Medarbejder",
    "Leder",
    "Enhed",
    "Dato",
    "Samtalen er holdt den",
    "Skema-id",
];
pub const EMPLOYEE: &str = "Medarbejder";
pub const MANAGER: &str = "Leder";
pub const DATE: &str = "Dato";
pub const SIGNATURE: &str = "Underskrift";
/// Placeholder in a `footer` block for the page number.
pub const PAGE_FIELD: &str = "{side}";
/// Placeholder in a `footer` block for the number of pages.
pub const PAGES_FIELD: &str = "{sider}";

pub use crate::dates::{ENGLISH_MONTHS, MONTHS, normalize_date};

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

/// A date the British way: `1 February 2027`.
pub fn english_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        date.day(),
        ENGLISH_MONTHS[date.month0() as usize],
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_and_numeric_dates_become_iso() {
        assert_eq!(normalize_date("1. februar 2027"), "2027-02-01");
        assert_eq!(normalize_date("15. Marts 2027"), "2027-03-15");
        assert_eq!(normalize_date("01-02-2027"), "2027-02-01");
        assert_eq!(normalize_date("1/2/2027"), "2027-02-01");
        assert_eq!(normalize_date("2027-02-01"), "2027-02-01");
        assert_eq!(normalize_date("1/2-2027"), "2027-02-01");
        assert_eq!(normalize_date("01-02-27"), "01-02-27");
        assert_eq!(normalize_date("i foråret"), "i foråret");
    }

    #[test]
    fn english_dates_become_iso() {
        assert_eq!(normalize_date("1 February 2027"), "2027-02-01");
        assert_eq!(normalize_date("15 march 2027"), "2027-03-15");
        assert_eq!(normalize_date("in the spring"), "in the spring");
    }

    #[test]
    fn dates_in_both_languages() {
        let date = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).expect("a date");
        assert_eq!(Language::Da.date(date), "1. februar 2027");
        assert_eq!(Language::En.date(date), "1 February 2027");
    }
}
