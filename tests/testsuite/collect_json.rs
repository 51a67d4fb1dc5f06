//! `mus collect --format json` (issue 25, point 4): its top-level `goals`
//! are the records the CSV writes, one record for a goal whatever the
//! format, and its `forms` no longer nest goals.

use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::support::*;

/// The cells of a goal record that a form held with no goals leaves empty.
const GOAL_CELLS: [&str; 12] = [
    "goal",
    "activities",
    "when",
    "follow_up",
    "status",
    "helped",
    "hindered",
    "next_step",
    "responsible",
    "how_reached",
    "goal_no",
    "new_goal",
];

/// The goals of `form` (an entry of the JSON's `forms`): the records under
/// `goals` with its `file`, in order. A form held with no goals has none,
/// although the JSON, like the CSV, holds one record for it with every goal
/// cell empty.
pub fn goals_of_form<'a>(json: &'a Value, form: &Value) -> Vec<&'a Value> {
    assert!(form["file"].is_string(), "a form with a file: {form}");
    let records: Vec<&Value> = json["goals"]
        .as_array()
        .unwrap_or_else(|| panic!("goals in {json:#}"))
        .iter()
        .filter(|g| g["file"] == form["file"])
        .collect();
    let no_goal = |g: &Value| GOAL_CELLS.iter().all(|cell| g[*cell] == "");
    match records.as_slice() {
        [only] if no_goal(only) => Vec::new(),
        _ => records,
    }
}

/// A JSON object's keys and values in the order the text has them
/// (`serde_json::Value` sorts its keys).
struct Ordered(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

impl Ordered {
    fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(key, _)| key.as_str()).collect()
    }
}

/// The parts of the JSON this file looks at, each object's keys in order.
#[derive(serde::Deserialize)]
struct Collected {
    forms: Vec<Ordered>,
    goals: Vec<Ordered>,
}

/// A round up to the filled follow-up form, in `dir`: Søren's plan with
/// three goals, Anna's held with none, and Søren's follow-up form with two
/// statuses chosen (one no answer), a note on what helped, a date and a
/// new goal. Returns the folders to collect.
fn filled_round(dir: &Path) -> [std::path::PathBuf; 2] {
    let forms = crate::collect::roster_forms(dir);
    crate::collect::write_goals(
        &forms.join("udviklingsplan-soeren-aeroe.docx"),
        &[
            "Blive skarp til Power BI, \"rigtig\" skarp",
            "Lede et projekt",
            "Lære SQL & Python",
        ],
    );
    let first = dir.join("maal.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&first)
        .succeeds();
    let out = dir.join("opfoelgning");
    crate::followup::run_followup(&first, &out);
    let followup = out.join("opfoelgning-soeren-aeroe.docx");
    crate::followup::fill_followup(&followup, &["Nået", "måske"], "1. oktober 2027");
    crate::collect::write_goals(&followup, &["Lære at holde workshops"]);
    [forms, out]
}

#[test]
fn the_json_goals_are_the_csv_rows_cell_for_cell_and_forms_nest_none() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let folders = filled_round(tmp.path());
    let csv = mus().arg("collect").args(&folders).succeeds().stdout;
    let json = mus()
        .args(["collect", "--format", "json"])
        .args(&folders)
        .succeeds()
        .stdout;

    let table = crate::support::CsvTable::parse(&csv);
    let header = &table.header;
    assert_eq!(header, &mus::form::GoalRecord::columns());
    let rows = table.named_rows();

    let collected: Collected = serde_json::from_slice(&json).expect("json");
    for goal in &collected.goals {
        assert_eq!(
            &goal.keys(),
            header,
            "a goal's keys are the CSV's columns, in order"
        );
    }
    let records: Vec<Vec<(String, String)>> = collected
        .goals
        .iter()
        .map(|goal| {
            goal.0
                .iter()
                .map(|(key, value)| {
                    let text = value.as_str().unwrap_or_else(|| panic!("{key}: {value}"));
                    (key.clone(), text.to_string())
                })
                .collect()
        })
        .collect();
    assert_eq!(records, rows, "the JSON's goals are the CSV's rows");

    // The round has what tells the two shapes apart: a follow-up's status
    // code, an answer that is none of the four, a new goal, a number as
    // text, and Anna's form held with no goals as one record.
    let cell = |row: &[(String, String)], name: &str| {
        row.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .expect(name)
    };
    let seen: Vec<[String; 6]> = records
        .iter()
        .map(|row| {
            ["employee", "kind", "goal", "status", "goal_no", "new_goal"].map(|c| cell(row, c))
        })
        .collect();
    let row = |cells: [&str; 6]| cells.map(str::to_string);
    for expected in [
        row([
            "Søren Ærø",
            "samtale",
            "Blive skarp til Power BI, \"rigtig\" skarp",
            "",
            "1",
            "",
        ]),
        row([
            "Søren Ærø",
            "opfoelgning",
            "Blive skarp til Power BI, \"rigtig\" skarp",
            "reached",
            "1",
            "",
        ]),
        row([
            "Søren Ærø",
            "opfoelgning",
            "Lede et projekt",
            "unknown",
            "2",
            "",
        ]),
        row([
            "Søren Ærø",
            "opfoelgning",
            "Lære at holde workshops",
            "",
            "",
            "new",
        ]),
        row(["Anna Hansen", "samtale", "", "", "", ""]),
    ] {
        assert!(seen.contains(&expected), "{expected:?} in {seen:#?}");
    }

    assert_eq!(collected.forms.len(), 3, "two plans and a follow-up form");
    for form in &collected.forms {
        assert_eq!(
            form.keys(),
            [
                "kind", "file", "employee", "manager", "unit", "date", "held", "id"
            ],
            "a form's own fields, and no nested goals"
        );
    }
}

/// The CSV guards a cell that a spreadsheet would run as a formula; the
/// JSON is no spreadsheet and gives the goal as the form has it.
#[test]
fn the_json_gives_a_formula_like_goal_as_written_the_csv_guards_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = crate::collect::roster_forms(tmp.path());
    let plan = forms.join("udviklingsplan-anna-hansen.docx");
    crate::collect::write_goals(&plan, &["=HYPERLINK(\"http://x\")", "-lære Excel"]);
    let output = mus()
        .args(["collect", "--format", "json"])
        .arg(&plan)
        .succeeds();
    let json: Value = serde_json::from_slice(&output.stdout).expect("json");
    let goals: Vec<&str> = goals_of_form(&json, &json["forms"][0])
        .iter()
        .map(|g| g["goal"].as_str().expect("goal"))
        .collect();
    assert_eq!(goals, ["=HYPERLINK(\"http://x\")", "-lære Excel"]);
    let csv = mus().arg("collect").arg(&plan).succeeds().stdout;
    let table = crate::support::CsvTable::parse(&csv);
    let written = table.column("goal");
    assert_eq!(written, ["'=HYPERLINK(\"http://x\")", "'-lære Excel"]);
}
