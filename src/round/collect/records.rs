//! The collected goals as records: written to a CSV or a workbook, and
//! read back from either, follow-up rows joined to the goals they follow up.

use std::collections::HashMap;
use std::hash::Hash;
use std::path::Path;

use crate::form::labels::normalize_date;
use crate::form::{FormKind, GoalRecord, Status};
use crate::round::csv_file::{self, neutralize, unneutralize};
use crate::round::workbook;

use super::forms::{Form, Goal};

/// One record per goal, as the form says it, each cell made by `cell`; a
/// form without goals gives one record with the goal cells empty, so it is
/// still counted. The CSV, the workbook and the JSON write these.
fn records<'a>(
    forms: &'a [Form],
    cell: impl Fn(&str) -> String + Copy + 'a,
) -> impl Iterator<Item = GoalRecord> + 'a {
    /// The goal of a form held with no goals: every goal cell empty.
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
    forms.iter().flat_map(move |form| {
        let goals: &[Goal] = if form.goals.is_empty() {
            NO_GOAL
        } else {
            &form.goals
        };
        goals.iter().map(move |goal| GoalRecord {
            file: cell(&form.file),
            employee: cell(&form.employee),
            manager: cell(&form.manager),
            unit: cell(&form.unit),
            date: cell(&form.date),
            goal: cell(&goal.goal),
            activities: cell(&goal.activities),
            when: cell(&goal.when),
            follow_up: cell(&goal.follow_up),
            kind: cell(form.kind.code()),
            status: cell(goal.status.map(Status::code).unwrap_or_default()),
            helped: cell(&goal.helped),
            hindered: cell(&goal.hindered),
            next_step: cell(&goal.next_step),
            responsible: cell(&goal.responsible),
            how_reached: cell(&goal.how_reached),
            held: cell(&form.held),
            form_id: cell(&form.id),
            goal_no: goal.goal_no.map(|n| n.to_string()).unwrap_or_default(),
            new_goal: cell(if goal.new_goal { "new" } else { "" }),
        })
    })
}

/// The records of `forms` (see [`GoalRecord`]) with the text as the forms
/// have it: the `goals` of `collect --format json`, the same records as the
/// rows of [`to_csv`] (without its guard against formulas) and of
/// [`to_xlsx`], so a goal has one record whatever the format.
///
/// ```
/// use mus::collect::{Form, Goal, to_records};
/// use mus::form::FormKind;
///
/// let form = Form {
///     kind: FormKind::Samtale,
///     file: "anna.docx".into(),
///     employee: "Anna".into(),
///     manager: String::new(),
///     unit: "IT".into(),
///     date: "2027-02-01".into(),
///     held: "2027-02-03".into(),
///     id: String::new(),
///     goals: vec![Goal { goal: "=Lære SQL".into(), goal_no: Some(1), ..Goal::default() }],
/// };
/// let records: Vec<_> = to_records(std::slice::from_ref(&form)).collect();
/// assert_eq!(records[0].goal, "=Lære SQL", "no guard quote: that is the CSV's");
/// assert_eq!(records[0].goal_no, "1");
/// let held_without_goals = Form { goals: Vec::new(), ..form };
/// let records: Vec<_> = to_records(&[held_without_goals]).collect();
/// assert_eq!((records.len(), records[0].goal.as_str()), (1, ""));
/// ```
pub fn to_records(forms: &[Form]) -> impl Iterator<Item = GoalRecord> + '_ {
    records(forms, str::to_string)
}

/// One CSV record per goal (see [`GoalRecord`]), with a header row. Cells that
/// a spreadsheet would take for a formula are neutralised (see [`neutralize`]).
pub fn to_csv(forms: &[Form]) -> Result<String, csv::Error> {
    // The header is written even when there is no record to serialize.
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer.write_record(GoalRecord::columns())?;
    for record in records(forms, |cell| neutralize(cell).into_owned()) {
        writer.serialize(record)?;
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
    let columns = GoalRecord::columns();
    let kinds: Vec<fn(&str) -> Cell> = columns
        .iter()
        .map(|column| match *column {
            "date" | "held" => Cell::date_or_text as fn(&str) -> Cell,
            "goal_no" => Cell::number_or_text,
            _ => Cell::text,
        })
        .collect();
    let rows = to_records(forms).map(|record| {
        record
            .cells()
            .iter()
            .zip(&kinds)
            .map(|(cell, kind)| kind(cell))
            .collect::<Vec<Cell>>()
    });
    write_table(columns, rows, created)
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
            crate::msg!("csv.unreadable", error = crate::messages::io_error(&err)),
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
        let line = record
            .position()
            .map_or(0, |p| csv_file::record_line(&text, p));
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
    // The columns by name, trimmed; a name met again is the first one's
    // (the later column is passed over, as serde would refuse it).
    let mut names = std::collections::HashSet::new();
    let columns: csv::StringRecord = headers
        .iter()
        .map(|h| match names.insert(h.trim()) {
            true => h.trim(),
            false => "",
        })
        .collect();
    if !names.contains("employee") || !names.contains("goal") {
        return Err(Diagnostic::at(&at(1), crate::msg!("csv.not-collected"))
            .with_hint(crate::msg!("csv.not-collected.hint"))
            .into());
    }
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
        let cells: csv::StringRecord = record
            .iter()
            .map(|cell| match unquote {
                true => unneutralize(cell.trim()),
                false => cell.trim(),
            })
            .collect();
        let read: GoalRecord = cells.deserialize(Some(&columns)).map_err(|err| {
            Diagnostic::at(&at(line), crate::msg!("csv.row-unreadable", error = err))
        })?;
        let Some(form_kind) = FormKind::from_code(&read.kind) else {
            return Err(Diagnostic::at(
                &at(line),
                crate::msg!("csv.bad-kind", line = line, kind = read.kind),
            )
            .with_hint(crate::msg!("csv.bad-kind.hint"))
            .into());
        };
        let goal_status = if read.status.is_empty() {
            None
        } else {
            Status::from_code(&read.status).or_else(|| Status::from_written(&read.status))
        };
        let form = Form {
            kind: form_kind,
            file: read.file.clone(),
            employee: read.employee,
            manager: read.manager,
            unit: read.unit,
            // A date Excel showed the Danish way (`01-03-2027`) and saved so.
            date: normalize_date(&read.date),
            held: normalize_date(&read.held),
            id: read.form_id,
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
        let found_file = read.file;
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
            goal: read.goal,
            activities: read.activities,
            when: read.when,
            follow_up: read.follow_up,
            status: goal_status,
            helped: read.helped,
            hindered: read.hindered,
            next_step: read.next_step,
            responsible: read.responsible,
            how_reached: read.how_reached,
            followed_up_on: String::new(),
            goal_no: read.goal_no.parse().ok(),
            new_goal: !read.new_goal.is_empty(),
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

    /// Forms with every column filled, a formula-like cell, quotes, commas,
    /// a line break, a follow-up row and a form without goals.
    fn every_column() -> Vec<Form> {
        let interview = Form {
            kind: FormKind::Samtale,
            file: "skemaer/søren, ærø.docx".into(),
            employee: "Søren \"Sø\" Ærø".into(),
            manager: "Bodil".into(),
            unit: "Økonomi".into(),
            date: "2027-02-01".into(),
            held: "2027-02-03".into(),
            id: "AB12-34567890".into(),
            goals: vec![
                Goal {
                    goal: "=Lære Power BI".into(),
                    activities: "Kursus\nog sparring".into(),
                    when: "Foråret".into(),
                    follow_up: "Juni".into(),
                    responsible: "Søren".into(),
                    how_reached: "+Rapporten".into(),
                    goal_no: Some(1),
                    ..Goal::default()
                },
                Goal {
                    goal: "Holde oplæg".into(),
                    goal_no: Some(2),
                    ..Goal::default()
                },
            ],
        };
        let followup = Form {
            kind: FormKind::Opfoelgning,
            file: "opfølgning.docx".into(),
            held: "2027-09-01".into(),
            goals: vec![
                Goal {
                    goal: "Lære Power BI".into(),
                    status: Some(Status::Partly),
                    helped: "Tid".into(),
                    hindered: "@travlhed".into(),
                    next_step: "-Mere".into(),
                    goal_no: Some(1),
                    ..Goal::default()
                },
                Goal {
                    goal: "Nyt".into(),
                    new_goal: true,
                    ..Goal::default()
                },
            ],
            ..interview.clone()
        };
        let empty = Form {
            file: "tom.docx".into(),
            goals: Vec::new(),
            id: String::new(),
            ..interview.clone()
        };
        vec![interview, followup, empty]
    }

    /// The bytes of the CSV and the workbook, as they were before the
    /// columns became one serde record: scripts and digests rely on them.
    /// (The workbook's digest is the one written as made on Unix, the same
    /// on every system: `platform::zip_made_on_unix`.)
    #[test]
    fn the_csv_and_the_workbook_keep_their_bytes() {
        let csv = concat!(
            "file,employee,manager,unit,date,goal,activities,when,follow_up,kind,status,helped,hindered,next_step,responsible,how_reached,held,form_id,goal_no,new_goal\n",
            "\"skemaer/søren, ærø.docx\",\"Søren \"\"Sø\"\" Ærø\",Bodil,Økonomi,2027-02-01,'=Lære Power BI,\"Kursus\nog sparring\",Foråret,Juni,samtale,,,,,Søren,'+Rapporten,2027-02-03,AB12-34567890,1,\n",
            "\"skemaer/søren, ærø.docx\",\"Søren \"\"Sø\"\" Ærø\",Bodil,Økonomi,2027-02-01,Holde oplæg,,,,samtale,,,,,,,2027-02-03,AB12-34567890,2,\n",
            "opfølgning.docx,\"Søren \"\"Sø\"\" Ærø\",Bodil,Økonomi,2027-02-01,Lære Power BI,,,,opfoelgning,partly,Tid,'@travlhed,'-Mere,,,2027-09-01,AB12-34567890,1,\n",
            "opfølgning.docx,\"Søren \"\"Sø\"\" Ærø\",Bodil,Økonomi,2027-02-01,Nyt,,,,opfoelgning,,,,,,,2027-09-01,AB12-34567890,,new\n",
            "tom.docx,\"Søren \"\"Sø\"\" Ærø\",Bodil,Økonomi,2027-02-01,,,,,samtale,,,,,,,2027-02-03,,,\n",
        );
        assert_eq!(to_csv(&every_column()).expect("csv"), csv);
        let created = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("date");
        let workbook = to_xlsx(&every_column(), created).expect("xlsx");
        assert_eq!(
            blake3::hash(&workbook).to_hex().as_str(),
            "8dbe3f87a8799ad3a438d10e4d1b9b10b10e3e5d4020e27345fe407bfe20bd50"
        );
    }

    /// The JSON's records are the CSV's rows, save the guard quote the CSV
    /// puts before a formula-like cell.
    #[test]
    fn the_records_are_the_csv_s_rows_without_the_guard_quote() {
        let forms = every_column();
        let csv = to_csv(&forms).expect("csv");
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.expect("row").iter().map(str::to_string).collect())
            .collect();
        let records: Vec<GoalRecord> = to_records(&forms).collect();
        let guarded: Vec<Vec<String>> = records
            .iter()
            .map(|r| {
                r.cells()
                    .iter()
                    .map(|c| neutralize(c).into_owned())
                    .collect()
            })
            .collect();
        assert_eq!(guarded, rows);
        assert_eq!(records[0].goal, "=Lære Power BI");
        assert_eq!(records[2].hindered, "@travlhed");
        assert_eq!(
            (
                records.len(),
                records[4].file.as_str(),
                records[4].goal.as_str()
            ),
            (5, "tom.docx", ""),
            "a form without goals is one record"
        );
    }

    #[test]
    fn the_columns_are_the_record_s_fields_the_oldest_nine_first() {
        let columns = GoalRecord::columns();
        assert_eq!(columns.len(), 20);
        assert_eq!(
            columns[..9],
            [
                "file",
                "employee",
                "manager",
                "unit",
                "date",
                "goal",
                "activities",
                "when",
                "follow_up"
            ]
        );
        assert_eq!(
            columns[9..14],
            ["kind", "status", "helped", "hindered", "next_step"]
        );
        assert_eq!(columns[16..], ["held", "form_id", "goal_no", "new_goal"]);
    }

    #[test]
    fn columns_in_another_order_a_spaced_header_and_a_column_twice_read_as_before() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("maal.csv");
        let csv = "goal, employee ,goal,status,goal_no,extra\nLære SQL,Anna,Andet,partly,2,x\nKort række,Bo\n";
        std::fs::write(&path, csv).expect("write");
        let forms = read_csv_forms(&path).expect("reads");
        assert_eq!(forms[0].employee, "Anna");
        assert_eq!(
            forms[0].goals[0].goal, "Lære SQL",
            "the first `goal` column counts"
        );
        assert_eq!(forms[0].goals[0].status, Some(Status::Partly));
        assert_eq!(forms[0].goals[0].goal_no, Some(2));
        assert_eq!(forms[1].goals[0].goal, "Kort række");
    }

    #[test]
    fn a_collected_csv_saved_as_unicode_text_reads_as_the_roster_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("maal.csv");
        let text = "employee\tgoal\r\nSøren Ærø\tLære SQL\r\n";
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        std::fs::write(&path, bytes).expect("write");
        let forms = read_csv(&path).expect("reads");
        assert_eq!(forms[0].employee, "Søren Ærø");
        assert_eq!(forms[0].goals[0].goal, "Lære SQL");
    }

    #[test]
    fn a_row_after_blank_lines_is_named_by_its_own_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("maal.csv");
        std::fs::write(&path, "employee,goal,kind\nAnna,Mål,\n\n\nBo,Mål,ukendt\n").expect("write");
        let err = read_csv_forms(&path).expect_err("a bad kind");
        let origin = err.diagnostics()[0].location;
        assert_eq!(origin.map(|l| l.line), Some(5), "{err:?}");
    }
}
