//! The collected goals as records: written to a CSV or a workbook, and
//! read back from either, follow-up rows joined to the goals they follow up.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::Path;

use crate::form::labels::normalize_date;
use crate::form::{
    CSV_AGREEMENT_COLUMNS, CSV_FOLLOWUP_COLUMNS, CSV_HEADER, CSV_IDENTITY_COLUMNS, FormKind, Status,
};
use crate::round::csv_file::{self, neutralize, unneutralize};
use crate::round::workbook;

use super::{Form, Goal};

/// The columns of a collected file, in order: [`CSV_HEADER`], then
/// [`CSV_FOLLOWUP_COLUMNS`], [`CSV_AGREEMENT_COLUMNS`] and [`CSV_IDENTITY_COLUMNS`].
pub fn columns() -> impl Iterator<Item = &'static str> {
    CSV_HEADER
        .iter()
        .chain(&CSV_FOLLOWUP_COLUMNS)
        .chain(&CSV_AGREEMENT_COLUMNS)
        .chain(&CSV_IDENTITY_COLUMNS)
        .copied()
}

/// One record per goal, its cells in the order of [`columns`], as the form
/// says them; a form without goals gives one record with the goal columns
/// empty, so it is still counted. The CSV and the workbook write these.
pub fn records(forms: &[Form]) -> impl Iterator<Item = [Cow<'_, str>; 20]> + '_ {
    /// The goal of a form held with no goals: every goal column empty.
    const NO_GOAL: &[Goal] = &[Goal {
        goal: String::new(),
        activities: String::new(),
        when: String::new(),
        follow_up: String::new(),
        status: None,
        helped: String::new(),
        hindered: String::new(),
        next_step: String::new(),
        responsible: String::new(),
        how_reached: String::new(),
        followed_up_on: String::new(),
        goal_no: None,
        new_goal: false,
    }];
    forms.iter().flat_map(|form| {
        let goals: &[Goal] = if form.goals.is_empty() {
            NO_GOAL
        } else {
            &form.goals
        };
        goals.iter().map(move |goal| {
            let mut record = [
                form.file.as_str(),
                &form.employee,
                &form.manager,
                &form.unit,
                &form.date,
                &goal.goal,
                &goal.activities,
                &goal.when,
                &goal.follow_up,
                form.kind.code(),
                goal.status.map(Status::code).unwrap_or_default(),
                &goal.helped,
                &goal.hindered,
                &goal.next_step,
                &goal.responsible,
                &goal.how_reached,
                &form.held,
                &form.id,
                "",
                if goal.new_goal { "new" } else { "" },
            ]
            .map(Cow::Borrowed);
            if let Some(n) = goal.goal_no {
                record[18] = Cow::Owned(n.to_string());
            }
            record
        })
    })
}

/// One CSV record per goal (see [`records`]), with a header row. Cells that
/// a spreadsheet would take for a formula are neutralised (see [`neutralize`]).
pub fn to_csv(forms: &[Form]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(columns())?;
    for record in records(forms) {
        writer.write_record(record.iter().map(|cell| neutralize(cell).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|err| err.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The same records as [`to_csv`], as an Excel workbook (see
/// [`crate::round::workbook::write_table`]): the `date` and `held` columns
/// as dates where they are ISO dates, `goal_no` as a number, every other
/// cell as text. `created` is the workbook's creation time, so the same
/// forms give the same bytes.
pub fn to_xlsx(forms: &[Form], created: chrono::DateTime<chrono::Utc>) -> std::io::Result<Vec<u8>> {
    use crate::round::workbook::{Cell, write_table};
    let kinds: Vec<fn(&str) -> Cell> = columns()
        .map(|column| match column {
            "date" | "held" => Cell::date_or_text as fn(&str) -> Cell,
            "goal_no" => Cell::number_or_text,
            _ => Cell::text,
        })
        .collect();
    let header: Vec<&str> = columns().collect();
    let rows = records(forms).map(|record| {
        record
            .iter()
            .zip(&kinds)
            .map(|(cell, kind)| kind(cell))
            .collect::<Vec<Cell>>()
    });
    write_table(&header, rows, created)
}

/// The newest interview or held date of `forms` that is an ISO date: the
/// date the collected goals are made up to.
pub fn newest_date(forms: &[Form]) -> Option<chrono::NaiveDate> {
    forms
        .iter()
        .flat_map(|f| [&f.date, &f.held])
        .filter_map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .max()
}

/// Which form a CSV row belongs to: its file, or, where the file column is
/// missing or empty, the person and unit, so namesakes in two units stay two.
/// Never by the file alone: two units that each collect `skemaer/anna.docx`
/// and join their CSVs have two Annas, and the person and unit keep them
/// apart. The form's id, where it has one, is the interview itself.
#[derive(PartialEq, Eq, Hash)]
enum FormKey {
    Id(FormKind, String),
    Person {
        kind: FormKind,
        file: String,
        employee: String,
        unit: String,
    },
}

/// Reads a CSV written by [`to_csv`] (or edited in Excel since) back into
/// interview forms, one per `file` (or per person and unit where `file` is
/// empty), in the order they first appear. Rows from follow-up forms are not
/// forms here: each gives its status, what helped, what got in the way, the
/// next step and the follow-up form's date to the interview goal it follows
/// up (the same person, unit and goal text). A CSV from before the `kind`
/// column holds interview forms only. Takes time in proportion to the rows.
pub fn read_csv(path: &Path) -> crate::error::Result<Vec<Form>> {
    let forms = read_csv_forms(path)?;
    let (mut interviews, followups): (Vec<Form>, Vec<Form>) =
        forms.into_iter().partition(|f| f.kind == FormKind::Samtale);
    attach_followups(&mut interviews, &followups);
    Ok(interviews)
}

/// Gives each follow-up row to the interview goal it follows up: the goal
/// with the same number in the interview with the same id, so an adjusted
/// goal text still matches; else (a form without an id, or a row whose
/// number was deleted) the first goal of the same person and unit with the
/// same text that has none yet. A goal new at the follow-up, or a row that
/// matches no goal, is counted for none.
fn attach_followups(interviews: &mut [Form], followups: &[Form]) {
    let normal = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    type Key = (String, String, String);
    let mut open: HashMap<Key, Vec<(usize, usize)>> = HashMap::new();
    let mut by_number: HashMap<(String, u32), (usize, usize)> = HashMap::new();
    for (f, form) in interviews.iter().enumerate() {
        for (g, goal) in form.goals.iter().enumerate() {
            if !form.id.is_empty() {
                by_number.insert((form.id.clone(), goal.number(g)), (f, g));
            }
            open.entry((
                normal(&form.employee),
                normal(&form.unit),
                normal(&goal.goal),
            ))
            .or_default()
            .push((f, g));
        }
    }
    let mut taken = std::collections::HashSet::new();
    for form in followups {
        for row in form.goals.iter().filter(|g| !g.new_goal) {
            let numbered = row
                .goal_no
                .filter(|_| !form.id.is_empty())
                .and_then(|n| by_number.get(&(form.id.clone(), n)).copied())
                .filter(|place| !taken.contains(place));
            let place = numbered.or_else(|| {
                let key = (
                    normal(&form.employee),
                    normal(&form.unit),
                    normal(&row.goal),
                );
                let places = open.get_mut(&key)?;
                places.retain(|place| !taken.contains(place));
                (!places.is_empty()).then(|| places.remove(0))
            });
            let Some((f, g)) = place else {
                continue;
            };
            taken.insert((f, g));
            let goal = &mut interviews[f].goals[g];
            let (status, helped, hindered, next_step) = row.followup_part();
            goal.status = status;
            goal.helped = helped.to_string();
            goal.hindered = hindered.to_string();
            goal.next_step = next_step.to_string();
            goal.followed_up_on = form.interview_date().to_string();
        }
    }
}

/// Every form in a collected CSV or workbook, interview and follow-up
/// forms alike. A workbook (known by its bytes, whatever its name) is read
/// as rows of strings from its first sheet, and those rows go through the
/// same reading as a CSV's records, so both give the same forms.
fn read_csv_forms(path: &Path) -> crate::error::Result<Vec<Form>> {
    use crate::error::{Diagnostic, Location, Origin};
    let name: std::sync::Arc<str> = std::sync::Arc::from(path.display().to_string());
    let cannot_read = |err: std::io::Error| {
        Diagnostic::new(
            name.to_string(),
            None,
            crate::msg!("csv.unreadable", error = err),
        )
    };
    // A FIFO or a device is refused before it is opened: reading could wait forever.
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_file() {
        return Err(Diagnostic::new(
            name.to_string(),
            None,
            crate::msg!(
                "csv.unreadable",
                error = crate::limits::not_regular_reason(&metadata)
            ),
        )
        .with_hint(crate::msg!("csv.unreadable.hint"))
        .into());
    }
    let bytes =
        crate::limits::read_bounded(path, crate::limits::FORM_BYTES).map_err(cannot_read)?;
    if workbook::sniff(&bytes) != workbook::FileKind::Text {
        let mut rows = workbook::read_bytes(&bytes, &name, None)?.into_iter();
        let headers = rows.next().map(|row| row.cells).unwrap_or_default();
        // A workbook's text is as the form says it: `mus` writes no guard
        // quote into a workbook, so none is taken off.
        return forms_from_rows(
            &name,
            &headers,
            rows.map(|row| crate::error::Result::Ok((row.line, row.cells))),
            false,
        );
    }
    let text = csv_file::decode_text(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(csv_file::guess_delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let at = |line: usize| Origin::new(&name, Some(Location { line, column: 1 }));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|err| Diagnostic::at(&at(1), crate::msg!("csv.header-unreadable", error = err)))?
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader.into_records().map(|record| {
        let record = record.map_err(|err| {
            Diagnostic::at(
                &at(err.position().map_or(0, |p| p.line() as usize)),
                crate::msg!("csv.row-unreadable", error = err),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        crate::error::Result::Ok((line, record.iter().map(str::to_string).collect()))
    });
    forms_from_rows(&name, &headers, records, true)
}

/// The forms in the rows of a collected file: `headers` name the columns
/// (in any order; columns added since a file was written may be missing),
/// each row is its line and cells. With `unquote`, the guard quote
/// [`neutralize`] put before a formula-like cell is taken off.
fn forms_from_rows(
    name: &std::sync::Arc<str>,
    headers: &[String],
    rows: impl Iterator<Item = crate::error::Result<(usize, Vec<String>)>>,
    unquote: bool,
) -> crate::error::Result<Vec<Form>> {
    use crate::error::{Diagnostic, Location, Origin};
    let at = |line: usize| Origin::new(name, Some(Location { line, column: 1 }));
    let column = |wanted: &str| headers.iter().position(|h| h.trim() == wanted);
    let columns = CSV_HEADER.map(column);
    let [
        file,
        employee,
        manager,
        unit,
        date,
        goal,
        activities,
        when,
        follow_up,
    ] = columns;
    let [kind, status, helped, hindered, next_step] = CSV_FOLLOWUP_COLUMNS.map(column);
    let [responsible, how_reached] = CSV_AGREEMENT_COLUMNS.map(column);
    let [held, form_id, goal_no, new_goal] = CSV_IDENTITY_COLUMNS.map(column);
    if employee.is_none() || goal.is_none() {
        return Err(Diagnostic::at(&at(1), crate::msg!("csv.not-collected"))
            .with_hint(crate::msg!("csv.not-collected.hint"))
            .into());
    }
    let get = |record: &[String], column: Option<usize>| {
        let cell = column
            .and_then(|i| record.get(i))
            .map_or("", String::as_str)
            .trim();
        if unquote { unneutralize(cell) } else { cell }.to_string()
    };
    let mut forms: Vec<Form> = Vec::new();
    let mut index: HashMap<FormKey, usize> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for row in rows {
        let (line, mut record) = row?;
        // A sheet leaves out the empty cells at a row's end.
        if record.len() < headers.len() {
            record.resize(headers.len(), String::new());
        }
        // A second header row (two files joined) or a repeated record is not a goal.
        if record.iter().eq(headers.iter()) || !seen.insert(record.clone()) {
            continue;
        }
        if let Some(ch) = record
            .iter()
            .flat_map(|cell| cell.chars())
            .find(|c| crate::text::is_xml_invalid(*c))
        {
            return Err(Diagnostic::at(
                &at(line),
                crate::msg!(
                    "csv.control-character",
                    line = line,
                    code = format!("U+{:04X}", ch as u32)
                ),
            )
            .with_hint(crate::msg!("csv.control-character.hint"))
            .into());
        }
        let kind_cell = get(&record, kind);
        let Some(form_kind) = FormKind::from_code(&kind_cell) else {
            return Err(Diagnostic::at(
                &at(line),
                crate::msg!("csv.bad-kind", line = line, kind = kind_cell),
            )
            .with_hint(crate::msg!("csv.bad-kind.hint"))
            .into());
        };
        let status_cell = get(&record, status);
        let goal_status = if status_cell.is_empty() {
            None
        } else {
            Status::from_code(&status_cell).or_else(|| Status::from_written(&status_cell))
        };
        let form = Form {
            kind: form_kind,
            file: get(&record, file),
            employee: get(&record, employee),
            manager: get(&record, manager),
            unit: get(&record, unit),
            // A date Excel showed the Danish way (`01-03-2027`) and saved so.
            date: normalize_date(&get(&record, date)),
            held: normalize_date(&get(&record, held)),
            id: get(&record, form_id),
            goals: Vec::new(),
        };
        let key = match form.id.is_empty() {
            false => FormKey::Id(form.kind, form.id.clone()),
            true => FormKey::Person {
                kind: form.kind,
                file: form.file.clone(),
                employee: crate::text::one_line(&form.employee).to_lowercase(),
                unit: crate::text::one_line(&form.unit).to_lowercase(),
            },
        };
        let at_form = match index.get(&key) {
            Some(at) => *at,
            None => {
                index.insert(key, forms.len());
                forms.push(form);
                forms.len() - 1
            }
        };
        // One interview read from two files is the same interview twice.
        let found_file = get(&record, file);
        if !forms[at_form].id.is_empty() && forms[at_form].file != found_file {
            return Err(Diagnostic::at(
                &at(line),
                crate::msg!(
                    "csv.same-interview-twice",
                    line = line,
                    id = forms[at_form].id,
                    first = forms[at_form].file,
                    file = found_file
                ),
            )
            .with_hint(crate::msg!("csv.same-interview-twice.hint"))
            .into());
        }
        let found = Goal {
            goal: get(&record, goal),
            activities: get(&record, activities),
            when: get(&record, when),
            follow_up: get(&record, follow_up),
            status: goal_status,
            helped: get(&record, helped),
            hindered: get(&record, hindered),
            next_step: get(&record, next_step),
            responsible: get(&record, responsible),
            how_reached: get(&record, how_reached),
            followed_up_on: String::new(),
            goal_no: get(&record, goal_no).parse().ok(),
            new_goal: !get(&record, new_goal).is_empty(),
        };
        if found != Goal::default() {
            forms[at_form].goals.push(found);
        }
    }
    Ok(forms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goal_comes_back_whole_from_the_csv_and_an_older_csv_still_reads() {
        let goal = Goal {
            goal: "Lære Power BI".into(),
            activities: "Kursus".into(),
            when: "Foråret".into(),
            follow_up: "Juni".into(),
            responsible: "Søren".into(),
            how_reached: "=Rapporten laves i Power BI".into(),
            ..Goal::default()
        };
        let form = Form {
            kind: FormKind::Samtale,
            file: "a.docx".into(),
            employee: "Søren Ærø".into(),
            manager: "Bodil".into(),
            unit: "Økonomi".into(),
            date: "2027-02-01".into(),
            held: String::new(),
            id: String::new(),
            goals: vec![goal.clone()],
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("maal.csv");
        std::fs::write(&path, to_csv(std::slice::from_ref(&form)).expect("csv")).expect("write");
        assert_eq!(read_csv(&path).expect("reads")[0].goals, [goal]);
        // A CSV from before the last columns: the goal without them.
        let old = "file,employee,goal,activities\na.docx,Søren Ærø,Lære Power BI,Kursus\n";
        std::fs::write(&path, old).expect("write");
        let read = read_csv(&path).expect("reads");
        assert_eq!(read[0].goals[0].responsible, "");
        assert_eq!(read[0].goals[0].activities, "Kursus");
    }

    proptest::proptest! {
        /// Any text comes back from the CSV as it went in, and never starts
        /// like a formula there.
        #[test]
        fn neutralised_cells_read_back_as_written(text in "['=+@\\-\t\ra ]{0,6}|.*") {
            let written = neutralize(&text);
            proptest::prop_assert!(!written.starts_with(crate::round::csv_file::FORMULA_STARTS));
            proptest::prop_assert_eq!(unneutralize(&written), text.as_str());
        }
    }

    fn form(kind: FormKind, unit: &str, goals: &[(&str, Option<Status>)]) -> Form {
        Form {
            kind,
            file: format!("{}-{unit}.docx", kind.code()),
            employee: "Søren".into(),
            manager: String::new(),
            unit: unit.into(),
            date: "2027-10-01".into(),
            held: String::new(),
            id: String::new(),
            goals: goals
                .iter()
                .map(|(goal, status)| Goal {
                    goal: goal.to_string(),
                    status: *status,
                    ..Goal::default()
                })
                .collect(),
        }
    }

    #[test]
    fn a_follow_up_goes_to_the_same_goal_of_the_same_person_in_the_same_unit() {
        let mut interviews = [
            form(
                FormKind::Samtale,
                "IT",
                &[("Lære SQL", None), ("Lære SQL", None)],
            ),
            form(FormKind::Samtale, "Økonomi", &[("Lære SQL", None)]),
        ];
        let followups = [form(
            FormKind::Opfoelgning,
            "IT",
            &[
                ("lære  sql", Some(Status::Reached)),
                ("Lære SQL", Some(Status::Dropped)),
                ("Et nyt mål", Some(Status::Partly)),
            ],
        )];
        attach_followups(&mut interviews, &followups);
        let statuses: Vec<Vec<Option<Status>>> = interviews
            .iter()
            .map(|f| f.goals.iter().map(|g| g.status).collect())
            .collect();
        assert_eq!(
            statuses,
            [
                vec![Some(Status::Reached), Some(Status::Dropped)],
                vec![None]
            ],
            "each row to one goal; the namesake in Økonomi gets none; a new goal is no interview goal"
        );
        assert_eq!(interviews[0].goals[0].followed_up_on, "2027-10-01");
    }

    fn goal(text: &str, goal_no: Option<u32>) -> Goal {
        Goal {
            goal: text.into(),
            goal_no,
            ..Goal::default()
        }
    }

    fn person(kind: FormKind, id: &str, goals: Vec<Goal>) -> Form {
        Form {
            kind,
            file: "skemaer/anna.docx".into(),
            employee: "Anna Berg".into(),
            manager: String::new(),
            unit: "IT".into(),
            date: "2027-02-01".into(),
            held: "2027-10-01".into(),
            id: id.into(),
            goals,
        }
    }

    #[test]
    fn an_adjusted_goal_text_is_still_followed_up_by_its_number_and_new_goals_count_for_none() {
        let mut interviews = vec![person(
            FormKind::Samtale,
            "AB12-34567890",
            vec![goal("Lære Python", Some(1)), goal("Holde oplæg", Some(2))],
        )];
        let mut adjusted = goal("Lære Python og SQL", Some(1));
        adjusted.status = Some(Status::Partly);
        let mut second = goal("Holde oplæg", Some(2));
        second.status = Some(Status::Reached);
        let mut new = goal("Nyt mål", None);
        new.new_goal = true;
        new.status = Some(Status::Reached);
        let followup = person(
            FormKind::Opfoelgning,
            "AB12-34567890",
            vec![adjusted, second, new],
        );
        attach_followups(&mut interviews, &[followup]);
        let statuses: Vec<_> = interviews[0].goals.iter().map(|g| g.status).collect();
        assert_eq!(statuses, [Some(Status::Partly), Some(Status::Reached)]);
        assert_eq!(interviews[0].goals[0].followed_up_on, "2027-10-01");
    }

    #[test]
    fn two_annas_of_two_units_with_the_same_file_stay_two_in_a_joined_csv() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut it = person(FormKind::Samtale, "", vec![goal("Mål i IT", Some(1))]);
        let mut hr = it.clone();
        hr.unit = "HR".into();
        hr.goals = vec![goal("Mål i HR", Some(1))];
        it.held = String::new();
        let joined = format!(
            "{}{}",
            to_csv(&[it]).expect("csv"),
            to_csv(&[hr]).expect("csv")
        );
        let path = dir.path().join("alle.csv");
        std::fs::write(&path, joined).expect("write");
        let forms = read_csv(&path).expect("reads");
        assert_eq!(forms.len(), 2, "{forms:#?}");
        assert_eq!(forms[0].goals.len(), 1);
        assert_eq!(forms[1].goals.len(), 1);
    }
}
