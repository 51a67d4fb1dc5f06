//! The form contract: what `render` writes into a form and `collect` reads
//! back — the bookmark names, the document property, the labels and column
//! headers ([`labels`]), the info block's values, and the columns of the
//! collected CSV, which are also the workbook's columns and the keys of a
//! goal in `collect --format json` ([`GoalRecord`]). Change one side, and
//! this module is where the other sees it.

pub mod labels;

/// Bookmark that marks the goals table, so `mus collect` finds it again.
pub const GOALS_BOOKMARK: &str = "mus_udviklingsmaal";
/// Bookmark that marks the info block.
pub const INFO_BOOKMARK: &str = "mus_info";
/// Bookmark that marks the follow-up table.
pub const FOLLOWUP_BOOKMARK: &str = "mus_opfoelgning";
/// Bookmark that marks last year's goals in a form.
pub const PREVIOUS_BOOKMARK: &str = "mus_sidste_aar";

/// Between the cells of one pre-filled row of a table (last year's goals:
/// the goal, its status, what helped), in the strings a document is given.
pub const CELL_SEPARATOR: char = '\u{1f}';
/// A line break inside a pre-filled cell (a follow-up goal and, under it,
/// what was agreed at the interview).
pub const LINE_BREAK: char = '\u{1e}';

/// The custom document property that names the kind of document.
pub const DOCUMENT_PROPERTY: &str = "mus-dokument";

/// Values printed in the info block's right-hand column (empty to fill in by hand).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InfoValues {
    pub employee: String,
    pub manager: String,
    pub unit: String,
    /// The agreed date (from the roster); not evidence that the interview was held.
    pub date: String,
    /// The form's identity ([`form_id`]); empty on a form for the whole
    /// workplace, which then shows no id row.
    pub id: String,
}

/// The unit a person's form and figures are in: their own, or, where the
/// roster leaves it empty, the config's unit (the one the round is for).
pub fn unit_or<'a>(unit: &'a str, config_unit: Option<&'a str>) -> &'a str {
    if unit.trim().is_empty() {
        config_unit.unwrap_or_default()
    } else {
        unit
    }
}

/// The info block's rows, in the order of [`labels::Labels::info_labels`].
pub mod info_row {
    pub const EMPLOYEE: usize = 0;
    pub const MANAGER: usize = 1;
    pub const UNIT: usize = 2;
    pub const DATE: usize = 3;
    /// "Samtalen er holdt den": left empty by `mus`, filled in by the two.
    /// With a written goal, the evidence that the interview was held.
    pub const HELD: usize = 4;
    pub const ID: usize = 5;
}

/// A value a form asks for in a content control (`w:sdt`): the info
/// block's values a person fills or checks, and the follow-up status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Employee,
    Manager,
    Unit,
    /// The agreed date: a date picker.
    Date,
    /// "Samtalen er holdt den": a date picker.
    Held,
    /// A follow-up goal's status: a drop-down of [`Status::ANSWERS`].
    Status,
}

impl Field {
    /// The info block's fields in the order of [`info_row`]; the form id
    /// is no field to fill in, so it has no control.
    pub const INFO: [Field; 5] = [
        Field::Employee,
        Field::Manager,
        Field::Unit,
        Field::Date,
        Field::Held,
    ];

    /// The field of an info block row ([`info_row`]), if that row has one.
    pub fn of_info_row(row: usize) -> Option<Field> {
        Field::INFO.get(row).copied()
    }

    /// The info block row ([`info_row`]) this field is shown in.
    pub fn info_row(self) -> Option<usize> {
        Field::INFO.iter().position(|f| *f == self)
    }

    /// Whether the control is a date picker.
    pub fn is_date(self) -> bool {
        matches!(self, Field::Date | Field::Held)
    }

    /// The field a control's tag names, for `collect`.
    pub fn of_tag(tag: &str) -> Option<Field> {
        [Field::INFO.as_slice(), &[Field::Status]]
            .concat()
            .into_iter()
            .find(|f| control_tag(*f) == tag.trim())
    }
}

/// The `w:tag` of a field's content control: what `collect` finds the
/// value by, whatever the label says or the language is. Stable across
/// versions, so never rename one.
pub fn control_tag(field: Field) -> &'static str {
    match field {
        Field::Employee => "mus_medarbejder",
        Field::Manager => "mus_leder",
        Field::Unit => "mus_enhed",
        Field::Date => "mus_dato",
        Field::Held => "mus_holdt_den",
        Field::Status => "mus_status",
    }
}

/// Whether `text` is a control's placeholder text in either language
/// ("Vælg en dato"): what a control shows until it is filled in, and what
/// LibreOffice may leave as plain text when it flattens an empty control,
/// so `collect` reads it as nothing written.
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    [&labels::DANISH, &labels::ENGLISH].iter().any(|words| {
        [
            words.placeholder_text,
            words.placeholder_date,
            words.placeholder_choice,
        ]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(text))
    })
}

impl InfoValues {
    /// The values of the info block's rows: the held date is always empty,
    /// as only the two who held the interview can fill it in.
    pub fn rows(&self) -> [&str; 6] {
        [
            &self.employee,
            &self.manager,
            &self.unit,
            &self.date,
            "",
            &self.id,
        ]
    }

    /// What a form for the whole workplace or a unit shows: the unit, if any.
    pub fn for_unit(unit: Option<&str>) -> InfoValues {
        InfoValues {
            unit: unit.unwrap_or_default().to_string(),
            ..InfoValues::default()
        }
    }
}

/// The identity of one person's interview in a round: the same in the
/// interview form, the development plan and the follow-up form, and in every
/// collected record, so records are never merged by file name or by name
/// alone. Made from the round and the person (year, workplace, unit, name,
/// manager, and the how-manyeth such row it is), not from the row's place in
/// the roster, so a re-sorted roster gives everyone the same id.
pub fn form_id(
    year: i32,
    workplace: &str,
    unit: &str,
    name: &str,
    manager: &str,
    nth: usize,
) -> String {
    let fold = |s: &str| crate::text::folded(s).collect::<String>();
    let key = format!(
        "{year}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{nth}",
        fold(workplace),
        fold(unit),
        fold(name),
        fold(manager)
    );
    let hash = blake3::hash(key.as_bytes()).to_hex();
    // 12 hex digits: 48 bits, enough to keep a round's few thousand apart.
    format!("{}-{}", &hash[..4], &hash[4..12]).to_uppercase()
}

/// One row of a collected CSV or workbook, and one entry of the `goals` of
/// `collect --format json`: one goal and the form it is on (a form without
/// goals gives one row with the goal cells empty). The only serde record of
/// a goal: the three formats write this, so a goal has one schema. The
/// fields are the columns (and the JSON's keys), in this order, and
/// [`GoalRecord::columns`] reads their names from here, so the order is
/// written once. Every cell is text as the file holds it (the CSV alone puts
/// a guard quote before a formula-like cell); `collect` turns rows into forms.
///
/// Columns were added at the end over the years, so an older file still
/// reads: a missing column is empty (`#[serde(default)]`), and the columns
/// may come in any order. The first nine are the oldest files' columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct GoalRecord {
    pub file: String,
    pub employee: String,
    pub manager: String,
    pub unit: String,
    /// The agreed date, `YYYY-MM-DD` when it can be read as one.
    pub date: String,
    pub goal: String,
    pub activities: String,
    pub when: String,
    pub follow_up: String,
    /// Added later: which kind of form the row came from ([`FormKind::code`];
    /// empty in a file from before, which holds interview forms only), and
    /// what a follow-up form says about the goal.
    pub kind: String,
    /// [`Status::code`], empty when nothing was written.
    pub status: String,
    pub helped: String,
    pub hindered: String,
    pub next_step: String,
    /// Added after those: the goals table's last two columns, who is
    /// responsible and how the two will see that the goal is reached.
    pub responsible: String,
    pub how_reached: String,
    /// The newest: the date the interview (or follow-up) was held as the
    /// form says it, the form's identity ([`form_id`]), the goal's number in
    /// the development plan, and `new` on a goal first written at the follow-up.
    pub held: String,
    pub form_id: String,
    pub goal_no: String,
    pub new_goal: String,
}

impl GoalRecord {
    /// The column names, in order: the names of the fields, as serde's
    /// derive lists them, so the columns are written only once.
    pub fn columns() -> &'static [&'static str] {
        serde_aux::serde_introspection::serde_introspect::<GoalRecord>()
    }

    /// The cells in the order of [`GoalRecord::columns`].
    pub fn cells(&self) -> Vec<String> {
        let mut cells = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(cells)) => cells,
            _ => serde_json::Map::new(),
        };
        GoalRecord::columns()
            .iter()
            .map(|column| match cells.remove(*column) {
                Some(serde_json::Value::String(cell)) => cell,
                _ => String::new(),
            })
            .collect()
    }
}

/// Which kind of form a collected row came from: the `kind` column, and the
/// document property [`DOCUMENT_PROPERTY`] of the form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    /// The interview form (samtaleskema).
    #[default]
    Samtale,
    /// The follow-up form from `mus followup` (opfølgningsskema).
    Opfoelgning,
}

impl FormKind {
    /// The value of the `kind` column.
    pub fn code(self) -> &'static str {
        match self {
            FormKind::Samtale => "samtale",
            FormKind::Opfoelgning => "opfoelgning",
        }
    }

    /// The kind named in a `kind` cell; an empty cell (a CSV from before the
    /// column existed) is an interview form.
    pub fn from_code(code: &str) -> Option<FormKind> {
        match code.trim().to_lowercase().as_str() {
            "" | "samtale" => Some(FormKind::Samtale),
            "opfoelgning" | "opfølgning" => Some(FormKind::Opfoelgning),
            _ => None,
        }
    }
}

/// The fixed answers of the follow-up table's status column, as `collect`
/// writes them in the `status` column: one of the four, `unknown` when what
/// was written is none of them, empty when nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nået / Reached.
    Reached,
    /// Delvist / Partly.
    Partly,
    /// Ikke nået / Not reached.
    NotReached,
    /// Opgivet / Dropped (forms from before 2027 say "Droppet").
    Dropped,
    /// Something was written, but not one of the answers.
    Unknown,
}

impl Status {
    /// The four answers, in the order the form offers them.
    pub const ANSWERS: [Status; 4] = [
        Status::Reached,
        Status::Partly,
        Status::NotReached,
        Status::Dropped,
    ];

    /// The value of the `status` column.
    pub fn code(self) -> &'static str {
        match self {
            Status::Reached => "reached",
            Status::Partly => "partly",
            Status::NotReached => "not_reached",
            Status::Dropped => "dropped",
            Status::Unknown => "unknown",
        }
    }

    /// A status in the words of `words`: one of the four answers, or the
    /// words for an unclear status and for none.
    pub fn word(status: Option<Status>, words: &labels::Labels) -> &'static str {
        match status {
            None => words.not_followed_up,
            Some(Status::Unknown) => words.unknown_status,
            Some(answer) => Status::ANSWERS
                .iter()
                .position(|a| *a == answer)
                .map_or(words.unknown_status, |i| words.status_answers[i]),
        }
    }

    /// The status a `status` cell of the CSV names.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ANSWERS
            .into_iter()
            .chain([Status::Unknown])
            .find(|s| s.code() == code.trim())
    }

    /// What was written in a status cell of a follow-up form, mapped to an
    /// answer: `None` when nothing was written (or only the printed list of
    /// answers was left), else one of the four in either language, any case,
    /// or [`Status::Unknown`].
    pub fn from_written(text: &str) -> Option<Status> {
        let normal = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let mut text = normal(text);
        // The list of answers printed in the cell is a hint, not an answer.
        for words in [&labels::DANISH, &labels::ENGLISH] {
            text = text.replace(&normal(&words.status_answers.join(" / ")), " ");
        }
        // The list as follow-up forms printed it before "Opgivet".
        text = text.replace(&normal("Nået / Delvist / Ikke nået / Droppet"), " ");
        let text = text.trim_matches(|c: char| c.is_whitespace() || ".,;:!/-–x✓☒".contains(c));
        if text.is_empty() || is_placeholder(text) {
            return None;
        }
        let text = normal(text);
        let found = [&labels::DANISH, &labels::ENGLISH]
            .iter()
            .find_map(|words| {
                let at = words
                    .status_answers
                    .iter()
                    .position(|a| normal(a) == text)?;
                Some(Status::ANSWERS[at])
            });
        let other = match text.as_str() {
            "naaet" | "opnået" | "achieved" | "done" => Some(Status::Reached),
            "delvis" | "delvist nået" | "partially" | "partly reached" => Some(Status::Partly),
            "ikke naaet" | "ikke opnået" | "not achieved" => Some(Status::NotReached),
            "droppet" | "opgivet" | "drop" => Some(Status::Dropped),
            _ => None,
        };
        Some(found.or(other).unwrap_or(Status::Unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_unit_is_the_config_s_unit() {
        assert_eq!(unit_or("IT", Some("Kontoret")), "IT");
        assert_eq!(unit_or(" ", Some("Kontoret")), "Kontoret");
        assert_eq!(unit_or("", None), "");
    }

    #[test]
    fn written_statuses_map_to_the_four_answers() {
        assert_eq!(Status::from_written("Nået"), Some(Status::Reached));
        assert_eq!(
            Status::from_written("  ikke NÅET. "),
            Some(Status::NotReached)
        );
        assert_eq!(Status::from_written("Partly"), Some(Status::Partly));
        assert_eq!(Status::from_written("dropped"), Some(Status::Dropped));
        assert_eq!(
            Status::from_written("Not reached"),
            Some(Status::NotReached)
        );
        assert_eq!(Status::from_written("måske"), Some(Status::Unknown));
        assert_eq!(Status::from_written(""), None);
        assert_eq!(
            Status::from_written("Nået / Delvist / Ikke nået / Droppet"),
            None
        );
        assert_eq!(
            Status::from_written("Nået / Delvist / Ikke nået / Droppet\nDelvist"),
            Some(Status::Partly)
        );
        assert_eq!(
            Status::from_written("Nået / Delvist / Ikke nået / Opgivet"),
            None
        );
        assert_eq!(Status::from_written("Opgivet"), Some(Status::Dropped));
        assert_eq!(Status::from_written("droppet"), Some(Status::Dropped));
        assert_eq!(Status::from_written("Vælg et svar"), None);
        assert_eq!(Status::from_written("Choose an answer."), None);
    }

    #[test]
    fn every_field_has_its_own_tag_and_is_found_by_it() {
        for field in [Field::INFO.as_slice(), &[Field::Status]].concat() {
            assert_eq!(Field::of_tag(control_tag(field)), Some(field));
        }
        assert_eq!(Field::of_tag("mus_andet"), None);
        assert_eq!(Field::of_info_row(info_row::HELD), Some(Field::Held));
        assert_eq!(Field::of_info_row(info_row::ID), None);
        assert_eq!(Field::Date.info_row(), Some(info_row::DATE));
    }

    #[test]
    fn placeholders_of_both_languages_are_known() {
        assert!(is_placeholder(" Vælg en dato "));
        assert!(is_placeholder("Type here"));
        assert!(!is_placeholder("Eva Hansen"));
    }
}
