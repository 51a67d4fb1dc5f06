//! The form contract: what `render` writes into a form and `collect` reads
//! back — the bookmark names, the document property, the labels and column
//! headers ([`labels`]), the info block's values, and the columns of the
//! collected CSV. Change one side, and this module is where the other sees it.

pub mod labels;

/// Bookmark that marks the goals table, so `mus collect` finds it again.
pub const GOALS_BOOKMARK: &str = "mus_udviklingsmaal";
/// Bookmark that marks the info block.
pub const INFO_BOOKMARK: &str = "mus_info";
/// Bookmark that marks the follow-up table.
pub const FOLLOWUP_BOOKMARK: &str = "mus_opfoelgning";
/// Bookmark that marks last year's goals in a form.
pub const PREVIOUS_BOOKMARK: &str = "mus_sidste_aar";

/// The custom document property that names the kind of document.
pub const DOCUMENT_PROPERTY: &str = "mus-dokument";

/// Values printed in the info block's right-hand column (empty to fill in by hand).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InfoValues {
    pub employee: String,
    pub manager: String,
    pub unit: String,
    pub date: String,
}

impl InfoValues {
    /// What a form for the whole workplace or a unit shows: the unit, if any.
    pub fn for_unit(unit: Option<&str>) -> InfoValues {
        InfoValues {
            unit: unit.unwrap_or_default().to_string(),
            ..InfoValues::default()
        }
    }
}

/// The columns of a collected CSV, as `followup`, `report` and `--previous` read them.
pub const CSV_HEADER: [&str; 9] = [
    "file",
    "employee",
    "manager",
    "unit",
    "date",
    "goal",
    "activities",
    "when",
    "follow_up",
];
