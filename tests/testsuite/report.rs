//! `mus report`: the anonymous SU report, with figures that match a count,
//! in whole blocks of five, and safe when two reports are compared.

use std::path::{Path, PathBuf};

use crate::interop::{soffice_convert, which};
use crate::support::*;

/// (unit, people, goals each person wrote, how many of them have a follow-up)
const UNITS: [(&str, usize, [usize; 6], [usize; 6]); 3] = [
    ("Økonomi", 6, [2, 1, 0, 3, 1, 0], [1, 1, 0, 2, 0, 0]),
    ("Digitalisering", 5, [1, 1, 1, 0, 2, 0], [1, 0, 1, 0, 2, 0]),
    ("Jura", 3, [1, 0, 2, 0, 0, 0], [0, 0, 1, 0, 0, 0]),
];

const HEADER: &str = "file,employee,manager,unit,date,goal,activities,when,follow_up\n";

/// The rows of one collected form, as `mus collect` writes them: a row per
/// goal (the first `followed` with a follow-up time), or one empty row.
fn rows(name: &str, unit: &str, date: &str, goals: usize, followed: usize) -> String {
    if goals == 0 {
        return format!("{name}.docx,{name},Chef{unit},{unit},{date},,,,\n");
    }
    (0..goals)
        .map(|goal| {
            let follow = if goal < followed { "Juni" } else { "" };
            format!("{name}.docx,{name},Chef{unit},{unit},{date},Hemmeligtmaal{name}{goal},,Foråret,{follow}\n")
        })
        .collect()
}

/// Everyone in [`UNITS`], person `i` of a unit interviewed on 1 + `i` February.
pub(crate) fn collected() -> String {
    let mut csv = String::from(HEADER);
    for (unit, people, goals, followed) in UNITS {
        for person in 0..people {
            let date = format!("2027-02-{:02}", person + 1);
            let name = format!("Medarbejder{unit}{person}");
            csv.push_str(&rows(&name, unit, &date, goals[person], followed[person]));
        }
    }
    csv
}

fn report_json(input: &Path) -> serde_json::Value {
    let output = mus()
        .arg("report")
        .arg(input)
        .arg(example("eksempelstyrelsen.yaml"))
        .args(["--format", "json"])
        .succeeds();
    serde_json::from_slice(&output.stdout).expect("json")
}

fn report_docx(input: &Path, output: &Path) {
    report_docx_with(input, output, &[]);
}

/// The report document of `input` with more arguments (`--roster …`).
fn report_docx_with(input: &Path, output: &Path, args: &[&std::ffi::OsStr]) {
    mus()
        .arg("report")
        .arg(input)
        .arg(example("eksempelstyrelsen.yaml"))
        .args(args)
        .arg("-o")
        .arg(output)
        .succeeds();
}

fn write(dir: &Path, name: &str, csv: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, csv).expect("csv");
    path
}

/// No name, manager, goal text or small unit anywhere in the document.
fn assert_anonymous(report: &Path, secrets: &[&str]) {
    for part in [
        "word/document.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "docProps/core.xml",
    ] {
        let xml = part_text(report, part) + &crate::support::part(report, part);
        for secret in secrets {
            let hit = xml
                .match_indices(secret)
                .any(|(at, _)| !xml[at..].starts_with("Medarbejderudvikling"));
            assert!(!hit, "`{secret}` in {part}");
        }
    }
}

#[test]
fn figures_match_a_count_of_whole_blocks_and_small_units_are_left_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let json = report_json(&write(tmp.path(), "maal.csv", &collected()));

    // The first `people` of each unit in `units`, in the order interviewed.
    let count = |units: &[(usize, usize)]| {
        let (mut interviews, mut with_goals, mut goals, mut followed) = (0, 0, 0, 0);
        for &(u, people) in units {
            let (_, _, g, f) = UNITS[u];
            interviews += people;
            with_goals += g[..people].iter().filter(|n| **n > 0).count();
            goals += g[..people].iter().sum::<usize>();
            followed += f[..people].iter().sum::<usize>();
        }
        (interviews, with_goals, goals, followed)
    };
    let check =
        |figures: &serde_json::Value,
         (interviews, with_goals, goals, followed): (usize, usize, usize, usize)| {
            assert_eq!(figures["interviews"], interviews);
            assert_eq!(figures["with_goals"], with_goals);
            assert_eq!(figures["goals"], goals);
            assert_eq!(figures["goals_with_follow_up"], followed);
            let share = figures["with_goals_share"].as_f64().expect("share");
            assert!((share - with_goals as f64 / interviews as f64).abs() < 1e-9);
            let share = figures["follow_up_share"].as_f64().expect("share");
            assert!((share - followed as f64 / goals as f64).abs() < 1e-9);
        };
    // Økonomi's sixth interview waits for four more; Jura (3) is in no
    // figure, not even the total, which is the sum of the units shown.
    check(&json["total"], count(&[(0, 5), (1, 5)]));
    let units = json["units"].as_array().expect("units");
    let names: Vec<&str> = units
        .iter()
        .map(|u| u["unit"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Digitalisering", "Økonomi"]);
    check(&units[0]["figures"], count(&[(1, 5)]));
    check(&units[1]["figures"], count(&[(0, 5)]));
    assert_eq!(json["small_units"], 1);
    assert!(!json.to_string().contains("Jura"));
}

#[test]
fn the_report_document_is_anonymous_with_a_units_table_and_a_chart() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = write(tmp.path(), "maal.csv", &collected());
    let report = tmp.path().join("rapport.docx");
    report_docx(&input, &report);

    assert_anonymous(&report, &["Medarbejder", "Chef", "Hemmeligtmaal", "Jura"]);
    let json = report_json(&input).to_string();
    for secret in ["Medarbejder", "Chef", "Hemmeligtmaal", "Jura", ".docx"] {
        assert!(!json.contains(secret), "`{secret}` in the JSON");
    }
    let body = body(&report);
    let text = all_text(&body);
    assert!(text.contains("Samtaler med i tallene: 10"), "{text}");
    let table = body
        .iter()
        .find_map(|e| match e {
            Element::Table(t) if t.rows[0][0] == "Enhed" => Some(t),
            _ => None,
        })
        .expect("units table");
    // Two units and the workplace's total.
    assert_eq!(table.rows.len(), 4);
    assert_eq!(table.rows[3][0], "I alt");
    // Nothing followed up before the deadline: no follow-up share, not 0 %.
    assert_eq!(
        table.rows[1],
        ["Digitalisering", "5", "80 %", "1,0", "80 %", "–"]
    );
    assert_eq!(table.rows[2], ["Økonomi", "5", "80 %", "1,4", "57 %", "–"]);
    assert!(
        crate::support::part(&report, "word/document.xml").contains("<w:drawing>"),
        "the bar chart"
    );
}

/// Whether person `person`'s goal `goal` has a status in the follow-up forms
/// of [`with_followups`].
fn followed_up(person: usize, goal: usize) -> bool {
    !(person + goal).is_multiple_of(3)
}

/// [`collected`] as `mus collect` writes it today (with `kind` and the
/// follow-up columns), and a follow-up form for everyone with goals: goal
/// `g` of person `p` has a status where [`followed_up`] says so, and is left
/// unanswered otherwise.
fn with_followups() -> String {
    let mut csv = String::new();
    for (i, line) in collected().lines().enumerate() {
        csv.push_str(line);
        csv.push_str(if i == 0 {
            ",kind,status,helped,hindered,next_step\n"
        } else {
            ",samtale,,,,\n"
        });
    }
    let statuses = ["reached", "partly", "not_reached", "dropped", "unknown"];
    for (unit, people, goals, _) in UNITS {
        for person in 0..people {
            let name = format!("Medarbejder{unit}{person}");
            for goal in 0..goals[person] {
                let status = if followed_up(person, goal) {
                    statuses[(person + goal) % statuses.len()]
                } else {
                    ""
                };
                // Odd people are followed up after the deadline (2027-09-30).
                let on = if person % 2 == 0 {
                    "2027-09-30"
                } else {
                    "2027-10-15"
                };
                csv.push_str(&format!(
                    "opf-{name}.docx,{name},Chef{unit},{unit},{on},Hemmeligtmaal{name}{goal},,,,opfoelgning,{status},Hjalp,,\n"
                ));
            }
        }
    }
    csv
}

/// Goals followed up are counted over the interviews in the blocks only; the
/// follow-up rows are no interviews, so every other figure is as from the
/// old CSV without the new columns.
#[test]
fn goals_followed_up_are_counted_in_the_blocks_and_an_old_csv_still_reads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let old = report_json(&write(tmp.path(), "gammel.csv", &collected()));
    let new = report_json(&write(tmp.path(), "ny.csv", &with_followups()));
    // In each unit's block of five one person wrote no goal, so only four
    // follow-up forms have an answer: they wait for a fifth (a follow-up
    // form handed in between two reports must not change a figure), and no
    // follow-up is counted yet. A block of five is counted below.
    for figures in [
        &new["units"][0]["figures"],
        &new["units"][1]["figures"],
        &new["total"],
    ] {
        assert_eq!(figures["goals_followed_up"], 0, "{new:#}");
        assert_eq!(figures["goals_followed_up_in_time"], 0, "{new:#}");
    }
    for figures in [&old["total"], &old["units"][0]["figures"]] {
        assert_eq!(figures["goals_followed_up"], 0);
    }
    let without = |json: &serde_json::Value| {
        let mut json = json.clone();
        for pointer in ["/total", "/units/0/figures", "/units/1/figures"] {
            let figures = json
                .pointer_mut(pointer)
                .and_then(|f| f.as_object_mut())
                .expect("figures");
            figures.remove("goals_followed_up");
            figures.remove("followed_up_share");
            figures.remove("goals_followed_up_in_time");
            figures.remove("followed_up_in_time_share");
            figures.remove("status");
            figures.remove("not_followed_up");
        }
        if let Some(json) = json.as_object_mut() {
            // The follow-up forms' dates are the newest in the round.
            json.remove("made_up_to");
            json.remove("follow_up_due");
        }
        json
    };
    assert_eq!(
        without(&new),
        without(&old),
        "follow-up rows are no interviews"
    );

    let report = tmp.path().join("rapport.docx");
    report_docx(&tmp.path().join("ny.csv"), &report);
    assert_anonymous(
        &report,
        &["Medarbejder", "Chef", "Hemmeligtmaal", "Jura", "Hjalp"],
    );
    let text = all_text(&body(&report));
    assert!(
        text.contains("Mål, der er fulgt op i et opfølgningsskema: 0 (0 % af målene)"),
        "{text}"
    );
}

/// Follow-up forms count in blocks of five of their own: with five of a
/// unit's five followed up, their goals count, by the deadline or not.
#[test]
fn follow_ups_count_once_five_are_in_and_one_more_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let header = "file,employee,manager,unit,date,goal,activities,when,follow_up,kind,status\n";
    let mut csv = String::from(header);
    for p in 0..6 {
        csv.push_str(&format!(
            "m{p}.docx,M{p},C,IT,2027-02-0{},Mål{p},,,,samtale,\n",
            p + 1
        ));
    }
    let follow = |csv: &mut String, p: usize, on: &str, status: &str| {
        csv.push_str(&format!(
            "o{p}.docx,M{p},C,IT,{on},Mål{p},,,,opfoelgning,{status}\n"
        ));
    };
    let mut four = csv.clone();
    for p in 0..4 {
        follow(&mut four, p, "2027-09-01", "reached");
    }
    let mut five = four.clone();
    follow(&mut five, 4, "2027-10-15", "partly");
    let mut six = five.clone();
    follow(&mut six, 5, "2027-10-16", "dropped");
    let json = |name: &str, csv: &str| report_json(&write(tmp.path(), name, csv));
    let (four, five, six) = (
        json("4.csv", &four),
        json("5.csv", &five),
        json("6.csv", &six),
    );
    assert_eq!(four["total"]["goals_followed_up"], 0, "{four:#}");
    assert_eq!(five["total"]["goals_followed_up"], 5, "{five:#}");
    assert_eq!(
        five["total"]["goals_followed_up_in_time"], 4,
        "the fifth was late"
    );
    assert_eq!(five["total"]["status"]["partly"], 1);
    // The sixth interview waits for a block, and so does its follow-up.
    assert_eq!(six["total"], five["total"]);
}

/// The report of [`collected`], which has a units table and a chart.
pub(crate) fn report_with_table_and_chart(dir: &Path) -> PathBuf {
    let input = write(dir, "maal.csv", &collected());
    let report = dir.join("rapport.docx");
    report_docx(&input, &report);
    report
}

/// The report with its table and chart is schema-valid (the interop test
/// validates a report of one form, which shows neither).
#[test]
#[ignore = "needs openxml-audit"]
fn the_report_with_table_and_chart_is_schema_valid() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());
    let output = std::process::Command::new("openxml-audit")
        .args(["-m", "0", "-o", "json", "-f", "office2016"])
        .arg(&report)
        .output()
        .expect("openxml-audit runs");
    let audit: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let audit = audit.as_array().and_then(|a| a.first()).unwrap_or(&audit);
    assert_eq!(audit["error_count"], 0, "{audit:#}");
    assert_eq!(audit["valid"], true, "{audit:#}");
}

#[test]
#[ignore = "needs LibreOffice"]
fn the_report_with_table_and_chart_opens_in_libreoffice() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());
    let soffice = which("soffice");
    soffice_convert(
        soffice.as_deref().unwrap_or("soffice"),
        tmp.path(),
        "pdf",
        tmp.path(),
        &report,
    );
    let pdf = tmp.path().join("rapport.pdf");
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));
    // The chart is drawn with its text: the legend, and each unit's name
    // under its bars as well as in the table.
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Samtaler med skriftlige mål"), "{text}");
    for unit in ["Digitalisering", "Økonomi"] {
        assert!(
            text.matches(unit).count() >= 2,
            "`{unit}` in the table and the chart: {text}"
        );
    }
}

/// The chart is a Word chart part that names the units and holds the
/// values of the table, with a description for screen readers.
#[test]
fn the_chart_is_a_word_chart_with_the_units_values_and_a_description() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());
    let chart = crate::support::part(&report, "word/charts/chart1.xml");
    let doc = roxmltree::Document::parse(&chart).expect("well-formed chart");
    let series: Vec<(String, Vec<String>, Vec<f64>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("ser"))
        .map(|ser| {
            let texts = |tag: &str| -> Vec<String> {
                ser.descendants()
                    .filter(|n| n.has_tag_name(tag))
                    .flat_map(|n| n.descendants().filter(|v| v.has_tag_name("v")))
                    .filter_map(|v| v.text().map(str::to_string))
                    .collect()
            };
            let values = texts("val")
                .iter()
                .map(|v| v.parse().expect("a number"))
                .collect();
            (texts("tx").concat(), texts("cat"), values)
        })
        .collect();
    assert_eq!(series.len(), 2, "{chart}");
    assert_eq!(series[0].0, "Samtaler med skriftlige mål");
    assert_eq!(series[1].0, "Mål fulgt op");
    for (_, units, _) in &series {
        assert_eq!(units, &["Digitalisering", "Økonomi"]);
    }
    // As in the table: 4 of 5 with goals in each unit; nothing followed up.
    assert_eq!(series[0].2, [0.8, 0.8]);
    assert_eq!(series[1].2, [0.0, 0.0]);

    let document = crate::support::part(&report, "word/document.xml");
    let doc = roxmltree::Document::parse(&document).expect("document");
    let described = doc
        .descendants()
        .find(|n| n.has_tag_name("docPr"))
        .and_then(|n| n.attribute("descr"))
        .expect("the chart has a description");
    assert!(
        described.contains("Digitalisering: 80 % og 0 %") && described.contains("Økonomi"),
        "{described}"
    );
    let rels = crate::support::part(&report, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Target="charts/chart1.xml""#), "{rels}");
    let types = crate::support::part(&report, "[Content_Types].xml");
    assert!(types.contains("drawingml.chart+xml"), "{types}");
    assert!(
        !crate::support::part_names(&report)
            .iter()
            .any(|n| n.starts_with("word/media/")),
        "no picture of the chart any more"
    );
}

#[test]
fn fewer_than_five_interviews_in_all_show_no_figure_not_even_the_total() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut seen = Vec::new();
    for people in [1, 4] {
        let mut csv = String::from(HEADER);
        for person in 0..people {
            let name = format!("Medarbejder{person}");
            csv.push_str(&rows(&name, "Jura", "2027-02-01", person + people, 1));
        }
        let input = write(tmp.path(), &format!("maal-{people}.csv"), &csv);

        let json = report_json(&input);
        assert_eq!(json["total"], serde_json::Value::Null);
        assert_eq!(json["units"], serde_json::json!([]));
        // The note is in the config's language, like the JSON's pooled rows.
        let note = json["note"].as_str().expect("note");
        assert!(note.contains("for få samtaler til at vise tal"), "{note}");
        let text = json.to_string();
        for key in ["interviews", "goals", "share", "small_units"] {
            assert!(!text.contains(&format!("{key}\":")), "`{key}` in {text}");
        }

        let report = tmp.path().join(format!("rapport-{people}.docx"));
        report_docx(&input, &report);
        let body = body(&report);
        let text = all_text(&body);
        assert!(text.contains("for få samtaler til at vise tal"), "{text}");
        assert!(!text.contains("med i tallene"), "{text}");
        assert!(!body.iter().any(|e| matches!(e, Element::Table(_))));
        let document = crate::support::part(&report, "word/document.xml");
        assert!(!document.contains("<w:drawing>"));
        assert_anonymous(&report, &["Medarbejder", "Chef", "Hemmeligtmaal", "Jura"]);
        seen.push((json, document));
    }
    assert_eq!(seen[0].0, seen[1].0);
    assert!(
        seen[0].1 == seen[1].1,
        "one and four interviews give the same document"
    );
}

/// March: units Alfa and Beta with 5 interviews each.
fn march() -> String {
    let mut csv = String::from(HEADER);
    for (unit, goals) in [("Alfa", [2, 0, 1, 3, 1]), ("Beta", [0, 1, 1, 0, 2])] {
        for (i, goals) in goals.into_iter().enumerate() {
            let name = format!("Medarbejder{unit}{i}");
            let date = format!("2027-03-{:02}", 2 + i);
            csv.push_str(&rows(&name, unit, &date, goals, i % 2));
        }
    }
    csv
}

/// The differencing attack: a report in March, and one in April with the same
/// ten and one new person. Whatever the new person wrote — no goals, one goal
/// with a follow-up time, four goals without — every April report is the
/// same, so comparing it with March tells nothing about them. The new person
/// is tried in a new unit of one (the case in issue 8) and in a unit shown
/// in March.
#[test]
fn one_new_person_cannot_be_singled_out_by_comparing_two_reports() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let march_csv = write(tmp.path(), "marts.csv", &march());
    let march_json = report_json(&march_csv);
    assert_eq!(march_json["total"]["interviews"], 10);

    for unit in ["Kantinen", "Alfa"] {
        let mut aprils = Vec::new();
        for (variant, (goals, followed)) in [(0, 0), (1, 1), (4, 0)].into_iter().enumerate() {
            let mut csv = march();
            csv.push_str(&rows("NyMedarbejder", unit, "2027-04-06", goals, followed));
            let input = write(tmp.path(), &format!("april-{unit}-{variant}.csv"), &csv);
            let json = report_json(&input);
            let report = tmp.path().join(format!("april-{unit}-{variant}.docx"));
            report_docx(&input, &report);
            assert_anonymous(
                &report,
                &["Medarbejder", "Chef", "Hemmeligtmaal", "Kantinen"],
            );
            let document = crate::support::part(&report, "word/document.xml");
            let whole = std::fs::read(&report).expect("docx");
            aprils.push((json, document, whole));
        }
        for april in &aprils[1..] {
            assert_eq!(april.0, aprils[0].0, "April's JSON, new person in {unit}");
            assert!(
                april.1 == aprils[0].1,
                "April's document.xml, new person in {unit}"
            );
            assert!(
                april.2 == aprils[0].2,
                "April's .docx (chart, parts), new person in {unit}"
            );
        }
        // April shows what March showed; the new person waits for a block.
        assert_eq!(aprils[0].0["total"], march_json["total"]);
        assert_eq!(aprils[0].0["units"], march_json["units"]);
    }
}

/// A form without a readable interview date cannot be placed in the order of
/// blocks: it is in no figure, and the person running the report is told.
#[test]
fn forms_without_a_readable_date_are_left_out_with_a_note() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from(HEADER);
    for person in 0..5 {
        let name = format!("Medarbejder{person}");
        csv.push_str(&rows(&name, "Alfa", "2027-02-01", 1, 1));
    }
    csv.push_str(&rows("Udateret", "Alfa", "i foråret", 0, 0));
    let input = write(tmp.path(), "maal.csv", &csv);
    let output = mus()
        .arg("report")
        .arg(&input)
        .arg(example("eksempelstyrelsen.yaml"))
        .args(["--format", "json"])
        .succeeds();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["total"]["interviews"], 5);
    assert_eq!(json["total"]["with_goals"], 5);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 form(s)") && stderr.contains("no interview date"),
        "{stderr}"
    );
}

/// `mus report INPUT examples/eksempelstyrelsen.yaml ARGS… --format json`,
/// which must succeed: the JSON and what it said on stderr.
fn report_json_with(input: &Path, args: &[&std::ffi::OsStr]) -> (serde_json::Value, String) {
    let output = mus()
        .arg("report")
        .arg(input)
        .arg(example("eksempelstyrelsen.yaml"))
        .args(args)
        .args(["--format", "json"])
        .succeeds();
    let json = serde_json::from_slice(&output.stdout).expect("json");
    (json, stderr(&output))
}

/// A roster of [`UNITS`] (everyone in [`collected`]), and a unit of five,
/// Kantinen, whose forms have not come in.
fn units_roster(dir: &Path) -> PathBuf {
    let mut csv = String::from("navn;leder;enhed\n");
    for (unit, people, _, _) in UNITS {
        for person in 0..people {
            csv.push_str(&format!("Medarbejder{unit}{person};Chef{unit};{unit}\n"));
        }
    }
    for person in 0..5 {
        csv.push_str(&format!(
            "MedarbejderKantinen{person};ChefKantinen;Kantinen\n"
        ));
    }
    write(dir, "roster.csv", &csv)
}

#[test]
fn the_roster_gives_invited_and_held_per_unit_and_no_coverage_without_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = write(tmp.path(), "maal.csv", &collected());
    let roster = units_roster(tmp.path());

    let (without, said) = report_json_with(&input, &[]);
    assert_eq!(without["coverage"], serde_json::Value::Null);
    for unit in without["units"].as_array().expect("units") {
        assert_eq!(unit["coverage"], serde_json::Value::Null);
    }
    assert!(
        said.contains("--roster"),
        "the hint for small units: {said}"
    );

    let (json, said) = report_json_with(&input, &["--roster".as_ref(), roster.as_os_str()]);
    assert!(!said.contains("--roster"), "{said}");
    let units = json["units"].as_array().expect("units");
    let coverage: Vec<(&str, u64, u64)> = units
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().expect("name"),
                u["coverage"]["invited"].as_u64().expect("invited"),
                u["coverage"]["held"].as_u64().expect("held"),
            )
        })
        .collect();
    // Every form is held, also Økonomi's sixth that waits for a block;
    // Kantinen is a group with none held; Jura (3) is the pool, which has
    // fewer than five people and no full block, so it is not shown.
    assert_eq!(
        coverage,
        [
            ("Digitalisering", 5, 5),
            ("Kantinen", 5, 0),
            ("Økonomi", 6, 6)
        ]
    );
    // The workplace's coverage counts Jura's pool too: every invited person.
    assert_eq!(json["coverage"]["invited"], 19);
    assert_eq!(json["coverage"]["held"], 14);
    let share = json["coverage"]["held_share"].as_f64().expect("share");
    assert!((share - 14.0 / 19.0).abs() < 1e-9);
    assert_eq!(units[1]["figures"], serde_json::Value::Null);
    assert_eq!(units[2]["figures"]["interviews"], 5);
    assert_eq!(json["pooled_units"], 1);
    assert!(!json.to_string().contains("Jura"));

    let report = tmp.path().join("rapport.docx");
    report_docx_with(&input, &report, &["--roster".as_ref(), roster.as_os_str()]);
    assert_anonymous(&report, &["Medarbejder", "Chef", "Hemmeligtmaal", "Jura"]);
    let text = all_text(&body(&report));
    assert!(
        text.contains("Inviteret til MUS (efter medarbejderlisten): 19"),
        "{text}"
    );
    assert!(
        text.contains("Holdte samtaler (udfyldte udviklingsplaner afleveret): 14 (74 %)"),
        "{text}"
    );
}

/// Last year: Digitalisering had four interviews, Økonomi seven; this year
/// as in [`collected`]. Only Økonomi has a block in both years.
#[test]
fn last_years_figures_are_shown_for_groups_with_a_block_in_both_years() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = write(tmp.path(), "maal.csv", &collected());
    let mut last = String::from(HEADER);
    for (unit, people) in [("Digitalisering", 4), ("Økonomi", 7)] {
        for person in 0..people {
            let name = format!("Medarbejder{unit}{person}");
            let date = format!("2026-02-{:02}", person + 1);
            last.push_str(&rows(&name, unit, &date, person % 3, 1));
        }
    }
    let last = write(tmp.path(), "maal-2026.csv", &last);
    let (json, _) = report_json_with(&input, &["--previous".as_ref(), last.as_os_str()]);
    let units = json["units"].as_array().expect("units");
    assert_eq!(units[0]["unit"], "Digitalisering");
    assert_eq!(units[0]["previous"], serde_json::Value::Null, "4 last year");
    assert_eq!(units[1]["unit"], "Økonomi");
    let previous = &units[1]["previous"];
    // Last year's five oldest in Økonomi: goals 0, 1, 2, 0, 1.
    assert_eq!(previous["interviews"], 5, "{json:#}");
    assert_eq!(previous["with_goals"], 3);
    assert_eq!(previous["goals"], 4);
    assert_eq!(previous["goals_with_follow_up"], 3);
    assert_eq!(
        previous["goals_followed_up_in_time"],
        serde_json::Value::Null
    );
    // Last year's total is the whole workplace's: Økonomi's block and a
    // block of the other six (Digitalisering's four, Økonomi's last two).
    assert_eq!(json["previous"]["interviews"], 10, "{json:#}");
    let (without, _) = report_json_with(&input, &[]);
    assert_eq!(without["previous"], serde_json::Value::Null);
    assert_eq!(without["units"][1]["previous"], serde_json::Value::Null);

    let report = tmp.path().join("rapport.docx");
    mus()
        .arg("report")
        .arg(&input)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--previous")
        .arg(&last)
        .arg("-o")
        .arg(&report)
        .succeeds();
    let body = body(&report);
    let table = body
        .iter()
        .find_map(|e| match e {
            Element::Table(t) if t.rows[0][1].contains("i år / sidste år") => Some(t),
            _ => None,
        })
        .expect("the table of last year");
    let names: Vec<&str> = table.rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["Økonomi", "I alt"]);
    assert_eq!(table.rows[1][1], "5 / 5");
    assert_eq!(table.rows[1][2], "80 % / 60 %");
}

/// The round of the acceptance test: (unit, goals written, follow-up
/// statuses filled in, follow-up date) for each of 14 people on the roster;
/// `None` for the goals when the form was not handed in, `None` for the
/// follow-up when its form was not filled in.
type Person = (
    &'static str,
    Option<usize>,
    Option<(&'static [&'static str], &'static str)>,
);
const ROUND: [Person; 14] = [
    ("Økonomi", Some(2), Some((&["Nået"], "15. september 2027"))),
    ("Økonomi", Some(1), Some((&["Delvist"], "1. oktober 2027"))),
    ("Økonomi", Some(0), None),
    (
        "Økonomi",
        Some(3),
        Some((&["Nået", "Ikke nået", "Droppet"], "30. september 2027")),
    ),
    ("Økonomi", Some(1), None),
    // The sixth form of Økonomi waits for a block: its follow-up is in no figure.
    (
        "Økonomi",
        Some(2),
        Some((&["Nået", "Nået"], "2. oktober 2027")),
    ),
    ("Økonomi", None, None),
    ("Jura", Some(1), None),
    (
        "Jura",
        Some(2),
        Some((&["Delvist", "Nået"], "20. september 2027")),
    ),
    ("Jura", Some(1), None),
    ("Jura", None, None),
    ("Kantinen", Some(3), Some((&["Nået"], "3. oktober 2027"))),
    ("Kantinen", Some(1), None),
    ("Kantinen", None, None),
];
const DEADLINE: &str = "2027-09-30";

/// The whole round of issue 10: a roster of 14 in units of 7, 4 and 3,
/// forms made, 11 handed in, follow-up forms made and 6 filled in (some
/// after `schedule.follow_up_by`), both folders collected in one run, and
/// the report: every figure equals a count made here; Jura (4) and Kantinen
/// (3) are pooled, never shown alone; no name and no goal text in it.
#[test]
fn a_whole_round_with_a_roster_gives_figures_that_match_a_count() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let name = |i: usize| format!("Medarbejder{i}");
    let goal = |i: usize, g: usize| format!("Hemmeligtmaal{i}x{g}");
    let mut roster = String::from("navn;leder;enhed;dato\n");
    for (i, (unit, _, _)) in ROUND.iter().enumerate() {
        roster.push_str(&format!("{};Chefen;{unit};2027-02-{:02}\n", name(i), i + 1));
    }
    let roster = write(tmp.path(), "roster.csv", &roster);
    let forms = tmp.path().join("skemaer");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&forms)
        .succeeds();
    for (i, (_, goals, _)) in ROUND.iter().enumerate() {
        let form = forms.join(format!("udviklingsplan-medarbejder{i}.docx"));
        match goals {
            Some(goals) => {
                let texts: Vec<String> = (0..*goals).map(|g| goal(i, g)).collect();
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                crate::collect::write_goals(&form, &texts);
                // Held on the day agreed, also where no goal was written.
                crate::collect::write_held(&form, &format!("2027-02-{:02}", i + 1));
            }
            // Not handed in: not in the folder that is collected.
            None => std::fs::remove_file(&form).expect("remove"),
        }
    }
    let collected = tmp.path().join("maal.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&collected)
        .succeeds();
    let followups = tmp.path().join("opfoelgning");
    mus()
        .arg("followup")
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&followups)
        .succeeds();
    let mut filled = 0;
    for (i, (_, _, followup)) in ROUND.iter().enumerate() {
        if let Some((statuses, date)) = followup {
            let form = followups.join(format!("opfoelgning-medarbejder{i}.docx"));
            crate::followup::fill_followup(&form, statuses, date);
            filled += 1;
        }
    }
    assert_eq!(filled, 6);
    let all = tmp.path().join("alle.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg(&followups)
        .arg("-o")
        .arg(&all)
        .succeeds();
    let (json, _) = report_json_with(&all, &["--roster".as_ref(), roster.as_os_str()]);

    // The count: per group, who is invited, who handed in, and the five
    // oldest forms (by the roster's dates, which are in order).
    let deadline = chrono::NaiveDate::parse_from_str(DEADLINE, "%Y-%m-%d").expect("date");
    let in_time = |date: &str| {
        let (day, month) = date.split_once(". ").expect("day");
        let month = if month.starts_with("september") {
            9
        } else {
            10
        };
        chrono::NaiveDate::from_ymd_opt(2027, month, day.parse().expect("day")).expect("date")
            <= deadline
    };
    let group_of = |unit: &str| {
        if unit == "Økonomi" {
            "Økonomi"
        } else {
            "Øvrige enheder"
        }
    };
    let mut total = serde_json::Map::new();
    let mut counted = Vec::new();
    for group in ["Økonomi", "Øvrige enheder"] {
        let members: Vec<usize> = (0..ROUND.len())
            .filter(|i| group_of(ROUND[*i].0) == group)
            .collect();
        let held: Vec<usize> = members
            .iter()
            .copied()
            .filter(|i| ROUND[*i].1.is_some())
            .collect();
        let block = &held[..held.len() / 5 * 5];
        let goals = |i: &usize| ROUND[*i].1.unwrap_or_default();
        // Follow-ups count in whole blocks of five follow-up forms of their
        // own; this round has fewer in each block, so none counts yet.
        let mut followed: Vec<usize> = block
            .iter()
            .copied()
            .filter(|i| ROUND[*i].2.is_some())
            .collect();
        followed.truncate(followed.len() / 5 * 5);
        let statuses = |i: &usize| {
            ROUND[*i]
                .2
                .filter(|_| followed.contains(i))
                .map_or(0, |(s, _)| s.len())
        };
        let figures = serde_json::json!({
            "interviews": block.len(),
            "with_goals": block.iter().filter(|i| goals(i) > 0).count(),
            "goals": block.iter().map(goals).sum::<usize>(),
            "goals_with_follow_up": 0,
            "goals_followed_up": block.iter().map(statuses).sum::<usize>(),
            "goals_followed_up_in_time": block
                .iter()
                .filter(|i| ROUND[**i].2.is_some_and(|(_, date)| in_time(date)))
                .map(statuses)
                .sum::<usize>(),
        });
        for (key, value) in figures.as_object().expect("object") {
            let sum = total.get(key).and_then(|v| v.as_u64()).unwrap_or(0);
            total.insert(key.clone(), (sum + value.as_u64().expect("count")).into());
        }
        counted.push((group, members.len(), held.len(), figures));
    }
    assert_eq!(counted[0].1, 7, "Økonomi is a unit of its own");
    assert_eq!(counted[1].1, 7, "Jura (4) and Kantinen (3) are pooled");
    let units = json["units"].as_array().expect("units");
    assert_eq!(units.len(), 2, "{json:#}");
    let check = |shown: &serde_json::Value, counted: &serde_json::Value| {
        for (key, value) in counted.as_object().expect("object") {
            assert_eq!(&shown[key], value, "{key} in {shown:#}");
        }
        let share = |part: &str, whole: &str| {
            let whole = counted[whole].as_f64().expect("whole");
            counted[part].as_f64().expect("part") / whole
        };
        for (name, part, whole) in [
            ("with_goals_share", "with_goals", "interviews"),
            ("followed_up_share", "goals_followed_up", "goals"),
            (
                "followed_up_in_time_share",
                "goals_followed_up_in_time",
                "goals",
            ),
        ] {
            let value = shown[name].as_f64().expect("share");
            assert!((value - share(part, whole)).abs() < 1e-9, "{name}");
        }
    };
    for ((group, invited, held, figures), unit) in counted.iter().zip(units) {
        assert_eq!(unit["unit"], *group);
        assert_eq!(unit["coverage"]["invited"], *invited);
        assert_eq!(unit["coverage"]["held"], *held);
        check(&unit["figures"], figures);
    }
    check(&json["total"], &serde_json::Value::Object(total));
    assert_eq!(json["coverage"]["invited"], 14);
    assert_eq!(json["coverage"]["held"], 11);
    // Fewer than five follow-up forms in each block: none counts yet (see
    // `follow_ups_count_once_five_are_in_and_one_more_changes_nothing`).
    assert_eq!(json["total"]["goals_followed_up"], 0, "{json:#}");
    let text = json.to_string();
    for secret in ["Jura", "Kantinen", "Medarbejder", "Chefen", "Hemmeligtmaal"] {
        assert!(!text.contains(secret), "`{secret}` in {json:#}");
    }

    let report = tmp.path().join("rapport.docx");
    report_docx_with(&all, &report, &["--roster".as_ref(), roster.as_os_str()]);
    assert_anonymous(
        &report,
        &["Medarbejder", "Chefen", "Hemmeligtmaal", "Jura", "Kantinen"],
    );
    let text = all_text(&body(&report));
    assert!(text.contains("Øvrige enheder"), "{text}");
}

/// The pool's members come from the roster, not from the forms: a form that
/// comes in later in a pooled unit only ever starts a new block, so the
/// pool's figures in an earlier report stay as they were, whatever it says.
#[test]
fn a_later_form_in_a_pooled_unit_leaves_the_pools_earlier_figures_as_they_were() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Jura (3) and Kantinen (3) are pooled: six people in the roster.
    let mut roster = String::from("navn;leder;enhed\n");
    for (unit, people) in [("Økonomi", 5), ("Jura", 3), ("Kantinen", 3)] {
        for person in 0..people {
            roster.push_str(&format!("Medarbejder{unit}{person};Chef{unit};{unit}\n"));
        }
    }
    let roster = write(tmp.path(), "roster.csv", &roster);
    let mut march = String::from(HEADER);
    for person in 0..5 {
        let date = format!("2027-02-{:02}", person + 1);
        march.push_str(&rows(
            &format!("MedarbejderØkonomi{person}"),
            "Økonomi",
            &date,
            1,
            1,
        ));
    }
    for (unit, people) in [("Jura", 3), ("Kantinen", 2)] {
        for person in 0..people {
            let date = format!("2027-03-{:02}", person + 1);
            march.push_str(&rows(
                &format!("Medarbejder{unit}{person}"),
                unit,
                &date,
                person % 2,
                0,
            ));
        }
    }
    let pool = |json: &serde_json::Value| {
        json["units"]
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["pool"] == true)
            .expect("the pool is shown")
            .clone()
    };
    let with_roster = ["--roster".as_ref(), roster.as_os_str()];
    let (before, _) = report_json_with(&write(tmp.path(), "march.csv", &march), &with_roster);
    assert_eq!(pool(&before)["unit"], "Øvrige enheder");
    assert_eq!(pool(&before)["figures"]["interviews"], 5);
    assert_eq!(before["pooled_units"], 2);
    // April: Kantinen's third person, with no goals or with three.
    let mut seen = Vec::new();
    for goals in [0, 3] {
        let april = format!(
            "{march}{}",
            rows(
                "MedarbejderKantinen2",
                "Kantinen",
                "2027-04-01",
                goals,
                goals
            )
        );
        let (after, _) = report_json_with(&write(tmp.path(), "april.csv", &april), &with_roster);
        assert_eq!(
            pool(&after)["figures"],
            pool(&before)["figures"],
            "goals: {goals}"
        );
        assert_eq!(after["total"], before["total"]);
        assert_eq!(
            pool(&after)["coverage"]["held"],
            6,
            "held is counted exactly"
        );
        seen.push(after);
    }
    assert_eq!(
        seen[0], seen[1],
        "nothing in April's report depends on what the new form says"
    );
}

/// Issue 19: three offices of four give a total over ten without a roster,
/// no office is shown alone, and the report opens with one paragraph on
/// what the figures cover.
#[test]
fn the_report_opens_with_what_its_figures_cover_and_small_offices_count_in_the_total() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from(HEADER);
    for unit in ["Jura", "Kantinen", "Løn"] {
        for person in 0..4 {
            let name = format!("Medarbejder{unit}{person}");
            csv.push_str(&rows(
                &name,
                unit,
                &format!("2027-02-{:02}", person + 1),
                1,
                1,
            ));
        }
    }
    let input = write(tmp.path(), "maal.csv", &csv);
    let json = report_json(&input);
    assert_eq!(json["total"]["interviews"], 10, "{json:#}");
    assert_eq!(json["held"], 12);
    assert_eq!(json["waiting"], 2);
    assert_eq!(
        json["units"],
        serde_json::json!([]),
        "no office of four alone"
    );
    assert_eq!(json["rest"]["interviews"], 10);
    let report = tmp.path().join("rapport.docx");
    report_docx(&input, &report);
    let text = all_text(&body(&report));
    let opening = "Der er holdt 12 samtaler. 10 af dem er med i tallene, og 2 venter på at blive del af en blok på 5. Enheder med færre end 5 vises ikke for sig, men er med i de samlede tal. Tallene er opgjort pr. 4. februar 2027.";
    assert!(text.contains(opening), "{text}");
    assert!(text.contains("Øvrige samtaler"), "{text}");
    // Made up to February, the follow-up is due in September: no 0 % shown.
    assert_eq!(json["follow_up_due"], false);
    assert!(
        text.contains("Opfølgningen skal først være sket senest 30. september 2027, så der er endnu ingen tal for opfølgning."),
        "{text}"
    );
    assert!(!text.contains("fulgt op i et opfølgningsskema:"), "{text}");
    assert!(
        !text.contains("(0 %") && !text.lines().any(|l| l.trim() == "0 %"),
        "{text}"
    );
    assert_anonymous(
        &report,
        &["MedarbejderJura", "ChefJura", "Jura", "Kantinen", "Løn"],
    );
}

/// Issue 24: `IT` and `it` are one unit with and without a roster alike.
#[test]
fn units_are_compared_case_and_spaces_folded_in_every_mode() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from(HEADER);
    for (i, unit) in ["IT", "it", "IT ", " It", "IT"].iter().enumerate() {
        csv.push_str(&rows(
            &format!("M{i}"),
            unit,
            &format!("2027-02-0{}", i + 1),
            1,
            0,
        ));
    }
    let json = report_json(&write(tmp.path(), "maal.csv", &csv));
    let units = json["units"].as_array().expect("units");
    assert_eq!(units.len(), 1, "{json:#}");
    assert_eq!(units[0]["figures"]["interviews"], 5, "{json:#}");
}

/// The JSON key of each column of the report workbook, by its Danish header.
const SHEET_COLUMNS: [(&str, &str); 20] = [
    ("Med i tallene", "interviews"),
    ("Med skriftlige mål", "with_goals"),
    ("Andel med skriftlige mål", "with_goals_share"),
    ("Udviklingsmål", "goals"),
    ("Mål pr. samtale", "goals_per_interview"),
    ("Mål med aftalt opfølgning", "goals_with_follow_up"),
    ("Andel med aftalt opfølgning", "follow_up_share"),
    ("Mål fulgt op", "goals_followed_up"),
    ("Andel fulgt op", "followed_up_share"),
    ("Fulgt op inden fristen", "goals_followed_up_in_time"),
    ("Andel fulgt op inden fristen", "followed_up_in_time_share"),
    ("Nået", "status/reached"),
    ("Delvist", "status/partly"),
    ("Ikke nået", "status/not_reached"),
    ("Opgivet", "status/dropped"),
    ("Uklar status", "status/unknown"),
    ("Ikke fulgt op", "not_followed_up"),
    ("Inviteret", "coverage/invited"),
    ("Holdte samtaler", "coverage/held"),
    ("Andel af de inviterede", "coverage/held_share"),
];

/// The rows of the report workbook's one sheet, `Rapport`, as calamine reads them.
fn sheet_rows(xlsx: &Path) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(xlsx).expect("opens");
    assert_eq!(book.sheet_names(), ["Rapport"]);
    let range = book.worksheet_range("Rapport").expect("the sheet");
    range.rows().map(<[calamine::Data]>::to_vec).collect()
}

/// Every figure of the workbook is the JSON's, as a number, in the same
/// rows: each unit, the rest, the total; a group without figures only says so.
fn assert_sheet_is_the_json(xlsx: &Path, json: &serde_json::Value) {
    use calamine::Data;
    let rows = sheet_rows(xlsx);
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(header[0], "Enhed");
    let mut expected: Vec<(String, &serde_json::Value, &serde_json::Value)> = json["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().expect("name").to_string(),
                &u["figures"],
                &u["coverage"],
            )
        })
        .collect();
    if !json["rest"].is_null() {
        expected.push((
            "Øvrige samtaler".into(),
            &json["rest"],
            &serde_json::Value::Null,
        ));
    }
    expected.push(("I alt".into(), &json["total"], &json["coverage"]));
    assert_eq!(rows.len(), 1 + expected.len(), "{rows:?}");
    for (row, (name, figures, coverage)) in rows[1..].iter().zip(&expected) {
        assert_eq!(row[0].to_string(), *name);
        for (c, title) in header.iter().enumerate().skip(1) {
            let key = SHEET_COLUMNS
                .iter()
                .find(|(h, _)| h == title)
                .unwrap_or_else(|| panic!("a column the test knows: {title}"))
                .1;
            let cell = row.get(c).cloned().unwrap_or(Data::Empty);
            let value = match key.strip_prefix("coverage/") {
                Some(key) => coverage[key].clone(),
                None => figures
                    .pointer(&format!("/{key}"))
                    .cloned()
                    .unwrap_or_default(),
            };
            match (&cell, value.as_f64()) {
                (Data::Float(got), Some(want)) => {
                    assert!((got - want).abs() < 1e-9, "{name} {title}: {got} ≠ {want}")
                }
                (Data::Int(got), Some(want)) => assert_eq!(*got as f64, want, "{name} {title}"),
                (Data::Empty, None) => {}
                (Data::String(text), None) if c == 1 && figures.is_null() => {
                    assert_eq!(text, "færre end 5", "{name}")
                }
                other => panic!("{name} {title}: {other:?} for {value}"),
            }
        }
    }
}

/// The input of the workbook tests: [`with_followups`], and an office of
/// four, Løn, so the rest (Jura, Løn and Økonomi's newest) is a block.
fn followups_and_a_rest() -> String {
    let mut csv = with_followups();
    for person in 0..4 {
        let name = format!("MedarbejderLøn{person}");
        let date = format!("2027-02-{:02}", person + 1);
        for line in rows(&name, "Løn", &date, 1, 1).lines() {
            csv.push_str(&format!("{line},samtale,,,,\n"));
        }
    }
    csv
}

fn report_xlsx(input: &Path, output: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    mus()
        .arg("report")
        .arg(input)
        .arg(example("eksempelstyrelsen.yaml"))
        .args(args)
        .arg("-o")
        .arg(output)
        .output()
        .expect("runs")
}

#[test]
fn report_o_xlsx_holds_the_json_figures_as_numbers_with_the_rest_and_the_total() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = write(tmp.path(), "maal.csv", &followups_and_a_rest());
    let json = report_json(&input);
    assert!(!json["rest"].is_null(), "{json:#}");
    let xlsx = tmp.path().join("rapport.xlsx");
    let output = report_xlsx(&input, &xlsx, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_sheet_is_the_json(&xlsx, &json);
    let header: Vec<String> = sheet_rows(&xlsx)[0]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        header.iter().any(|h| h == "Andel fulgt op inden fristen"),
        "{header:?}"
    );

    // A bold header row, frozen, columns fitted, shares as percentages.
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("state=\"frozen\"") && sheet.contains("<cols>"),
        "{sheet}"
    );
    let styles = part(&xlsx, "xl/styles.xml");
    assert!(
        styles.contains("<b/>") && styles.contains("formatCode=\"0%\""),
        "{styles}"
    );
    // No name, manager, goal or office of four anywhere.
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    for secret in ["Medarbejder", "Chef", "Hemmeligtmaal", "Jura", "Løn"] {
        assert!(
            !strings.contains(secret) && !sheet.contains(secret),
            "{secret}"
        );
    }

    // The same input gives the same bytes; `--format xlsx` is the same workbook.
    let again = tmp.path().join("igen.dat");
    let output = report_xlsx(&input, &again, &["--format".as_ref(), "xlsx".as_ref()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(&xlsx).expect("xlsx"),
        std::fs::read(&again).expect("again")
    );
}

#[test]
fn in_the_report_workbook_a_unit_under_five_shows_no_figure() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = write(tmp.path(), "maal.csv", &collected());
    let roster = units_roster(tmp.path());
    let args: [&std::ffi::OsStr; 2] = ["--roster".as_ref(), roster.as_os_str()];
    let (json, _) = report_json_with(&input, &args);
    let xlsx = tmp.path().join("rapport.xlsx");
    let output = report_xlsx(&input, &xlsx, &args);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_sheet_is_the_json(&xlsx, &json);
    // Kantinen has five in the roster and no form in: named, with no figure
    // but those invited and held; Jura (three) is in the pool, not shown.
    let rows = sheet_rows(&xlsx);
    let kantinen = rows.iter().find(|r| r[0] == "Kantinen").expect("Kantinen");
    let shown: Vec<String> = kantinen.iter().map(ToString::to_string).collect();
    let invited = rows[0]
        .iter()
        .position(|h| *h == "Inviteret")
        .expect("invited");
    assert_eq!(shown[1], "færre end 5");
    assert!(shown[2..invited].iter().all(String::is_empty), "{shown:?}");
    assert_eq!(shown[invited..invited + 2], ["5", "0"]);
    assert!(
        rows.iter()
            .flatten()
            .all(|c| !c.to_string().contains("Jura"))
    );
}

#[test]
fn report_o_xlsx_refuses_to_replace_a_file_mus_did_not_write_without_force() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = write(tmp.path(), "maal.csv", &collected());
    let xlsx = tmp.path().join("rapport.xlsx");
    std::fs::write(&xlsx, "SU's own figures").expect("notes");
    let output = report_xlsx(&input, &xlsx, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&xlsx).expect("kept"),
        "SU's own figures"
    );
    let output = report_xlsx(&input, &xlsx, &["--force".as_ref()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&xlsx).expect("written").starts_with(b"PK"));
    // Written by mus, it is replaced on the next run without --force.
    let output = report_xlsx(&input, &xlsx, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
}
