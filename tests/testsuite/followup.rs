//! `mus followup` and `generate --previous`: the goals carried on after the interview.

use std::path::Path;

use crate::support::*;

const COLLECTED: &str = "file,employee,manager,unit,date,goal,activities,when,follow_up
forms/samtaleskema-soeren-aeroe.docx,Søren Ærø,Bodil Åen,Økonomi,2027-02-01,Blive skarp til Power BI,Kursus,Foråret 2027,Juni
forms/samtaleskema-soeren-aeroe.docx,Søren Ærø,Bodil Åen,Økonomi,2027-02-01,\"Lede et projekt, gerne tværgående\",,Efteråret 2027,
forms/samtaleskema-anna-hansen.docx,Anna Hansen,Bodil Åen,Økonomi,2027-02-15,,,,
forms/samtaleskema-bo-lund.docx,Bo Lund,Kim,IT,2027-03-01,Lære Python,,,
";

/// The goals pre-filled in a table: each row's first line (under it, a
/// follow-up form says what was agreed).
fn prefilled_goals(form: &Path, bookmark: &str) -> Vec<String> {
    let body = body(form);
    let table = table_with_bookmark(&body, bookmark);
    assert_eq!(table.header_rows, 1);
    table.rows[1..]
        .iter()
        .map(|r| r[0].lines().next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn each_employee_with_goals_gets_a_follow_up_form_with_their_goals() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    let out = tmp.path().join("opfoelgning");
    let output = run_followup(&collected, &out);
    let names: Vec<String> = files_below(&out)
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().to_string())
        .collect();
    assert_eq!(
        names,
        ["opfoelgning-bo-lund.docx", "opfoelgning-soeren-aeroe.docx"],
        "none for Anna, who has no goals"
    );
    let soeren = out.join("opfoelgning-soeren-aeroe.docx");
    assert_eq!(
        prefilled_goals(&soeren, "mus_opfoelgning"),
        [
            "1. Blive skarp til Power BI",
            "2. Lede et projekt, gerne tværgående"
        ]
    );
    let body = body(&soeren);
    let table = table_with_bookmark(&body, "mus_opfoelgning");
    assert_eq!(
        table.rows[0],
        [
            "Udviklingsmål",
            "Status",
            "Hvad har hjulpet",
            "Hvad har stået i vejen",
            "Næste skridt"
        ]
    );
    let info = table_with_bookmark(&body, "mus_info");
    assert_eq!(info.rows[0][1], "Søren Ærø");
    assert_eq!(info.rows[1][1], "Bodil Åen");
    assert!(
        all_text(&body).contains("30. september 2027"),
        "the follow-up date from the config"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 form without goals"));
}

#[test]
fn unfilled_follow_up_forms_are_named_and_give_no_rows() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    let out = tmp.path().join("opfoelgning");
    run_followup(&collected, &out);
    let output = mus().arg("collect").arg(&out).succeeds();
    let csv = String::from_utf8_lossy(&output.stdout).to_string();
    let err = stderr(&output);
    assert!(!err.contains("not a form"));
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "file,employee,manager,unit,date,goal,activities,when,follow_up,kind,status,helped,hindered,next_step,responsible,how_reached,held,form_id,goal_no,new_goal"
    );
    // The printed answers left as they are, nothing written: not held.
    assert_eq!(rows.len(), 1, "no rows: {csv}");
    assert!(
        err.contains("not filled in, so not counted as interviews held (2)")
            && err.contains("opfoelgning-bo-lund.docx")
            && err.contains("opfoelgning-soeren-aeroe.docx"),
        "{err}"
    );
}

#[test]
fn previous_goals_open_topic_1_and_others_get_the_normal_form() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let previous = tmp.path().join("sidste-aar.csv");
    std::fs::write(&previous, COLLECTED.replace("Bo Lund", "Bo Ukendt")).expect("csv");
    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "navn;enhed\nSøren Ærø;Økonomi\nAnna Hansen;Økonomi\n",
    )
    .expect("roster");
    let with = tmp.path().join("med");
    let without = tmp.path().join("uden");
    let run = |out: &Path, previous: Option<&Path>| {
        let mut cmd = mus();
        cmd.args(["generate", "--roster"])
            .arg(&roster)
            .arg("-o")
            .arg(out)
            .arg(example("eksempelstyrelsen.yaml"));
        if let Some(previous) = previous {
            cmd.arg("--previous").arg(previous);
        }
        let output = cmd.succeeds();
        String::from_utf8_lossy(&output.stderr).to_string()
    };
    let stderr = run(&with, Some(&previous));
    run(&without, None);
    assert!(
        stderr.contains("`Bo Ukendt`") && stderr.contains("match no one"),
        "{stderr}"
    );

    let soeren = with.join("samtaleskema-soeren-aeroe.docx");
    assert_eq!(
        prefilled_goals(&soeren, "mus_sidste_aar"),
        [
            "Blive skarp til Power BI",
            "Lede et projekt, gerne tværgående"
        ]
    );
    let body = body(&soeren);
    let table_at = body
        .iter()
        .position(
            |e| matches!(e, Element::Table(t) if t.bookmarks.iter().any(|b| b == "mus_sidste_aar")),
        )
        .expect("table");
    let heading = |n: &str| {
        body.iter()
            .position(|e| matches!(e, Element::Paragraph { style, text } if style == "Heading1" && text.starts_with(n)))
            .expect("heading")
    };
    assert!(
        heading("1. Siden sidst") < table_at && table_at < heading("2. "),
        "in topic 1"
    );
    let info = table_with_bookmark(&body, "mus_info");
    assert_eq!(info.rows[0][1], "Søren Ærø");

    let anna = std::fs::read(with.join("samtaleskema-anna-hansen.docx")).expect("anna");
    assert!(
        anna == std::fs::read(without.join("samtaleskema-anna-hansen.docx")).expect("anna"),
        "Anna's form is the normal one"
    );
}

#[test]
fn last_years_goals_never_go_to_a_namesake_in_another_unit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let previous = tmp.path().join("sidste-aar.csv");
    std::fs::write(&previous, "file,employee,manager,unit,date,goal,activities,when,follow_up\na.docx,Anna Hansen,Bo,IT,2026-02-01,Hemmeligt mål for IT-Anna,,,\n").expect("csv");
    let roster = tmp.path().join("roster.csv");
    std::fs::write(&roster, "navn;enhed\nAnna Hansen;Økonomi\nAnna Hansen;IT\n").expect("roster");
    let out = tmp.path().join("out");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("--previous")
        .arg(&previous)
        .arg("-o")
        .arg(&out)
        .arg(example("eksempelstyrelsen.yaml"))
        .succeeds();
    // Namesakes are named by their unit.
    let okonomi = all_text(&body(&out.join("samtaleskema-anna-hansen-oekonomi.docx")));
    let it = all_text(&body(&out.join("samtaleskema-anna-hansen-it.docx")));
    assert!(
        !okonomi.contains("Hemmeligt mål"),
        "Økonomi's Anna gets no one else's goals"
    );
    assert!(
        it.contains("Hemmeligt mål for IT-Anna"),
        "IT's Anna gets hers"
    );
}

#[test]
fn collected_files_joined_together_and_control_characters_are_handled() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let joined = tmp.path().join("samlet.csv");
    std::fs::write(&joined, format!("{COLLECTED}{COLLECTED}")).expect("csv");
    let out = tmp.path().join("opf");
    run_followup(&joined, &out);
    assert_eq!(
        files_below(&out).len(),
        2,
        "the second header row is no person"
    );
    assert_eq!(
        prefilled_goals(
            &out.join("opfoelgning-soeren-aeroe.docx"),
            "mus_opfoelgning"
        )
        .len(),
        2,
        "repeated records count once"
    );

    let bad = tmp.path().join("styretegn.csv");
    std::fs::write(&bad, "file,employee,manager,unit,date,goal,activities,when,follow_up\na.docx,Anna,Bo,IT,,M\u{c}l,,,\n").expect("csv");
    let output = mus()
        .arg("followup")
        .arg(&bad)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(tmp.path().join("x"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("styretegn.csv:2:1: row 2: the control character U+000C")
    );
}

/// The figures of `mus report --format json` for `collected`.
fn report_json(collected: &Path) -> serde_json::Value {
    let output = mus()
        .args(["report", "--format", "json"])
        .arg(collected)
        .arg(example("eksempelstyrelsen.yaml"))
        // A safety net, not a measurement: reading was quadratic once (minutes).
        .timeout(std::time::Duration::from_secs(120))
        .succeeds();
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn namesakes_in_two_units_stay_two_people() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // The `file` column emptied, as when rows are pasted together in Excel.
    let mut csv = String::from("file,employee,manager,unit,date,goal,activities,when,follow_up\n");
    for unit in ["Økonomi", "IT"] {
        csv.push_str(&format!(
            ",Anna Jensen,Bo,{unit},2027-03-01,Mål for Anna i {unit},,,\n"
        ));
        // Dated, so the report's blocks of five can count them.
        for i in 1..5 {
            csv.push_str(&format!(
                ",Kollega {i} i {unit},Bo,{unit},2027-03-0{},,,,\n",
                i + 1
            ));
        }
    }
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, &csv).expect("csv");
    let out = tmp.path().join("opf");
    run_followup(&collected, &out);
    assert_eq!(
        files_below(&out)
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().to_string())
            .collect::<Vec<_>>(),
        [
            "opfoelgning-anna-jensen-it.docx",
            "opfoelgning-anna-jensen-oekonomi.docx"
        ]
    );
    assert_eq!(
        prefilled_goals(
            &out.join("opfoelgning-anna-jensen-oekonomi.docx"),
            "mus_opfoelgning"
        ),
        ["1. Mål for Anna i Økonomi"]
    );
    assert_eq!(
        prefilled_goals(
            &out.join("opfoelgning-anna-jensen-it.docx"),
            "mus_opfoelgning"
        ),
        ["1. Mål for Anna i IT"]
    );
    let report = report_json(&collected);
    assert_eq!(report["total"]["interviews"], 10, "{report:#}");
    assert_eq!(report["total"]["with_goals"], 2, "{report:#}");

    // Collected from two forms, the file tells them apart.
    let roster = tmp.path().join("roster.csv");
    std::fs::write(&roster, "navn;enhed\nAnna Jensen;Økonomi\nAnna Jensen;IT\n").expect("roster");
    let forms = tmp.path().join("skemaer");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("-o")
        .arg(&forms)
        .arg(example("eksempelstyrelsen.yaml"))
        .succeeds();
    crate::collect::write_goals(
        &forms.join("udviklingsplan-anna-jensen-oekonomi.docx"),
        &["Et mål"],
    );
    crate::collect::write_goals(
        &forms.join("udviklingsplan-anna-jensen-it.docx"),
        &["Et mål"],
    );
    let output = mus().arg("collect").arg(&forms).succeeds();
    let collected = tmp.path().join("indsamlet.csv");
    std::fs::write(&collected, &output.stdout).expect("csv");
    let out = tmp.path().join("opf2");
    run_followup(&collected, &out);
    assert_eq!(files_below(&out).len(), 2);
}

#[test]
fn formula_goals_come_back_as_written_after_a_csv_round_trip() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = crate::collect::roster_forms(tmp.path());
    let goals = [
        "=HYPERLINK(\"http://x\";\"klik\")",
        "+45 kurser",
        "- lære Excel",
        "@alle",
        "'=stod der allerede",
        "Almindeligt mål",
    ];
    crate::collect::write_goals(&forms.join("udviklingsplan-anna-hansen.docx"), &goals[..3]);
    crate::collect::write_goals(&forms.join("udviklingsplan-soeren-aeroe.docx"), &goals[3..]);
    let output = mus().arg("collect").arg(&forms).succeeds();
    let text = String::from_utf8_lossy(&output.stdout);
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    for record in reader.records() {
        let record = record.expect("record");
        assert!(
            !record
                .iter()
                .any(|cell| cell.starts_with(['=', '+', '-', '@'])),
            "no cell starts like a formula:\n{text}"
        );
    }
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, &output.stdout).expect("csv");
    let out = tmp.path().join("opf");
    run_followup(&collected, &out);
    assert_eq!(
        prefilled_goals(&out.join("opfoelgning-anna-hansen.docx"), "mus_opfoelgning"),
        goals[..3]
            .iter()
            .enumerate()
            .map(|(i, g)| format!("{}. {g}", i + 1))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        prefilled_goals(
            &out.join("opfoelgning-soeren-aeroe.docx"),
            "mus_opfoelgning"
        ),
        goals[3..]
            .iter()
            .enumerate()
            .map(|(i, g)| format!("{}. {g}", i + 1))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_hundred_thousand_collected_rows_are_read() {
    const ROWS: usize = 100_000;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from("file,employee,manager,unit,date,goal,activities,when,follow_up\n");
    for i in 0..ROWS {
        // Every third person has a second goal, with a follow-up.
        csv.push_str(&format!(
            "skemaer/{i}.docx,Person {i},Leder,Enhed {},2027-02-01,Mål {i},,,\n",
            i % 20
        ));
        if i % 3 == 0 {
            csv.push_str(&format!(
                "skemaer/{i}.docx,Person {i},Leder,Enhed {},2027-02-01,Mål {i}b,,,Juni\n",
                i % 20
            ));
        }
    }
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, csv).expect("csv");
    let report = report_json(&collected);
    let total = &report["total"];
    assert_eq!(total["interviews"], ROWS, "{report:#}");
    assert_eq!(total["goals"], ROWS + ROWS.div_ceil(3));
    assert_eq!(total["goals_with_follow_up"], ROWS.div_ceil(3));
    assert_eq!(report["units"].as_array().expect("units").len(), 20);
}

#[cfg(unix)]
#[test]
fn a_fifo_given_as_the_collected_goals_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fifo = tmp.path().join("maal.csv");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let output = mus()
        .args(["report", "--format", "json"])
        .arg(&fifo)
        .arg(example("eksempelstyrelsen.yaml"))
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("maal.csv") && stderr.contains("FIFO"),
        "{stderr}"
    );
}

#[test]
fn paragraph_ids_stay_unique_when_last_years_goals_repeat_a_row() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let previous = tmp.path().join("sidste-aar.csv");
    std::fs::write(&previous, COLLECTED).expect("csv");
    let roster = tmp.path().join("roster.csv");
    std::fs::write(&roster, "navn;enhed\nSøren Ærø;Økonomi\n").expect("roster");
    let out = tmp.path().join("out");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("--previous")
        .arg(&previous)
        .arg("-o")
        .arg(&out)
        .arg(example("eksempelstyrelsen.yaml"))
        .succeeds();
    let form = out.join("samtaleskema-soeren-aeroe.docx");
    assert_eq!(
        prefilled_goals(&form, "mus_sidste_aar").len(),
        2,
        "two goals, one row each"
    );
    let xml = part(&form, "word/document.xml");
    let ids: Vec<&str> = xml
        .split("w14:paraId=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert!(!ids.is_empty());
    assert_eq!(ids.len(), unique.len(), "every paragraph id once");
}

/// Fills the follow-up form at `path` as people do in Word: `statuses[i]`
/// chosen in each status drop-down (rows beyond `statuses` left as
/// printed), what helped written beside it, and `date` in the info block's
/// date picker for the follow-up's date.
pub fn fill_followup(path: &Path, statuses: &[&str], date: &str) {
    const EMPTY: &str = "<w:t xml:space=\"preserve\"></w:t>";
    crate::collect::edit_document(path, |xml| {
        let mut xml = crate::form_fields::fill_control(&xml, "mus_holdt_den", 0, date, None);
        for (i, status) in statuses.iter().enumerate() {
            xml = crate::form_fields::fill_control(&xml, "mus_status", i, status, None);
            // What helped: the first empty cell after the status.
            let (at, _) = xml
                .match_indices(r#"<w:tag w:val="mus_status" />"#)
                .nth(i)
                .expect("the status");
            let empty = at + xml[at..].find(EMPTY).expect("what helped");
            xml = format!(
                "{}<w:t xml:space=\"preserve\">Sparring</w:t>{}",
                &xml[..empty],
                &xml[empty + EMPTY.len()..]
            );
        }
        xml
    });
}

/// A round: two forms filled in and collected, follow-up forms made from
/// them, one filled (date and statuses), then both folders collected in one run.
#[test]
fn collect_reads_interview_and_filled_follow_up_forms_in_one_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = crate::collect::roster_forms(tmp.path());
    crate::collect::write_goals(
        &forms.join("udviklingsplan-soeren-aeroe.docx"),
        &[
            "Blive skarp til Power BI",
            "Lede et projekt",
            "Lære SQL",
            "Holde oplæg",
        ],
    );
    crate::collect::write_goals(
        &forms.join("udviklingsplan-anna-hansen.docx"),
        &["Mentor for en ny kollega"],
    );
    let collected = tmp.path().join("maal.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&collected)
        .succeeds();
    let out = tmp.path().join("opfoelgning");
    run_followup(&collected, &out);
    fill_followup(
        &out.join("opfoelgning-soeren-aeroe.docx"),
        &["Nået", "delvist", "Not reached", "måske"],
        "1. oktober 2027",
    );
    let all = tmp.path().join("alle.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg(&out)
        .arg("-o")
        .arg(&all)
        .succeeds();
    let table = crate::support::CsvTable::read(&all);
    assert_eq!(
        table.header,
        [
            "file",
            "employee",
            "manager",
            "unit",
            "date",
            "goal",
            "activities",
            "when",
            "follow_up",
            "kind",
            "status",
            "helped",
            "hindered",
            "next_step",
            "responsible",
            "how_reached",
            "held",
            "form_id",
            "goal_no",
            "new_goal"
        ]
    );
    let pick = |kind: &str| -> Vec<(String, String, String, String, String)> {
        table
            .rows_where("kind", kind)
            .into_iter()
            .map(|row| {
                let cell = |name: &str| table.cell(row, name).to_string();
                (
                    cell("employee"),
                    // When a follow-up was held; an interview's agreed date.
                    match kind {
                        "opfoelgning" => cell("held"),
                        _ => cell("date"),
                    },
                    cell("goal"),
                    cell("status"),
                    cell("helped"),
                )
            })
            .collect()
    };
    let s = |v: &str| v.to_string();
    assert_eq!(
        pick("samtale"),
        [
            (
                s("Anna Hansen"),
                s("2027-02-15"),
                s("Mentor for en ny kollega"),
                s(""),
                s("")
            ),
            (
                s("Søren Ærø"),
                s("2027-02-01"),
                s("Blive skarp til Power BI"),
                s(""),
                s("")
            ),
            (
                s("Søren Ærø"),
                s("2027-02-01"),
                s("Lede et projekt"),
                s(""),
                s("")
            ),
            (s("Søren Ærø"), s("2027-02-01"), s("Lære SQL"), s(""), s("")),
            (
                s("Søren Ærø"),
                s("2027-02-01"),
                s("Holde oplæg"),
                s(""),
                s("")
            ),
        ]
    );
    assert_eq!(
        pick("opfoelgning"),
        [
            (
                s("Søren Ærø"),
                s("2027-10-01"),
                s("Blive skarp til Power BI"),
                s("reached"),
                s("Sparring")
            ),
            (
                s("Søren Ærø"),
                s("2027-10-01"),
                s("Lede et projekt"),
                s("partly"),
                s("Sparring")
            ),
            (
                s("Søren Ærø"),
                s("2027-10-01"),
                s("Lære SQL"),
                s("not_reached"),
                s("Sparring")
            ),
            (
                s("Søren Ærø"),
                s("2027-10-01"),
                s("Holde oplæg"),
                s("unknown"),
                s("Sparring")
            ),
        ],
        "the follow-up date from the info block, statuses mapped; Anna's unfilled form is not held"
    );

    // The joined CSV makes follow-up forms for the interviews only.
    let again = tmp.path().join("igen");
    run_followup(&all, &again);
    assert_eq!(
        files_below(&again).len(),
        2,
        "one per interview, none per follow-up form"
    );
    assert_eq!(
        prefilled_goals(
            &again.join("opfoelgning-soeren-aeroe.docx"),
            "mus_opfoelgning"
        )
        .len(),
        4
    );
}

/// `mus followup COLLECTED examples/eksempelstyrelsen.yaml -o OUT`, which must succeed.
pub fn run_followup(collected: &Path, out: &Path) -> std::process::Output {
    mus()
        .arg("followup")
        .arg(collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(out)
        .succeeds()
}

#[test]
fn an_edited_follow_up_template_that_tests_the_person_is_rendered_for_each_person() {
    // The built-in template is built once and filled per person; a template
    // that does more with `person` than print it cannot be, and must still work.
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    let templates = tmp.path().join("skabeloner");
    std::fs::create_dir(&templates).expect("dir");
    let built_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/da/opfoelgning.md.j2"),
    )
    .expect("template");
    let edited = built_in.replacen(
        "## Sådan bruger I skemaet",
        "{% if person.manager == \"Kim\" %}Kim holder opfølgningen.{% endif %}\n\n## Sådan bruger I skemaet",
        1,
    );
    assert_ne!(edited, built_in, "the heading is in the template");
    std::fs::write(templates.join("opfoelgning.md.j2"), edited).expect("write");
    let out = tmp.path().join("opfoelgning");
    mus()
        .arg("followup")
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--templates")
        .arg(&templates)
        .arg("-o")
        .arg(&out)
        .succeeds();
    let bo = all_text(&body(&out.join("opfoelgning-bo-lund.docx")));
    let soeren = all_text(&body(&out.join("opfoelgning-soeren-aeroe.docx")));
    assert!(bo.contains("Kim holder opfølgningen."), "{bo}");
    assert!(!soeren.contains("Kim holder"), "{soeren}");
    assert_eq!(
        prefilled_goals(&out.join("opfoelgning-bo-lund.docx"), "mus_opfoelgning"),
        ["1. Lære Python"]
    );
}

/// Issue 19: next year's form shows each of last year's goals with the
/// status its follow-up gave it (matched by the goal's number, so an
/// adjusted text still counts), and what helped.
#[test]
fn last_years_goals_come_back_with_their_status() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let previous = tmp.path().join("sidste-aar.csv");
    std::fs::write(
        &previous,
        "file,employee,manager,unit,date,goal,activities,when,follow_up,kind,status,helped,hindered,next_step,responsible,how_reached,held,form_id,goal_no,new_goal\n\
         u/s.docx,Søren Ærø,Bodil,Økonomi,2026-02-01,Lære Power BI,,,,samtale,,,,,,,2026-02-01,AAAA-00000001,1,\n\
         u/s.docx,Søren Ærø,Bodil,Økonomi,2026-02-01,Lede et projekt,,,,samtale,,,,,,,2026-02-01,AAAA-00000001,2,\n\
         o/s.docx,Søren Ærø,Bodil,Økonomi,,Lære Power BI og DAX,,,,opfoelgning,reached,Et kursus,,,,,2026-10-01,AAAA-00000001,1,\n",
    )
    .expect("csv");
    let roster = tmp.path().join("roster.csv");
    std::fs::write(&roster, "navn;enhed\nSøren Ærø;Økonomi\n").expect("roster");
    let out = tmp.path().join("ud");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("--previous")
        .arg(&previous)
        .arg("-o")
        .arg(&out)
        .arg(example("eksempelstyrelsen.yaml"))
        .succeeds();
    let body = body(&out.join("samtaleskema-soeren-aeroe.docx"));
    let table = table_with_bookmark(&body, "mus_sidste_aar");
    assert_eq!(
        table.rows[1..],
        [
            ["Lære Power BI", "Nået", "Et kursus"],
            ["Lede et projekt", "Ikke fulgt op", ""],
        ]
    );
}

/// Issue 19: the follow-up form has no note box (everything in it is handed
/// in), and a goal written in its table of new goals is collected as new.
#[test]
fn a_goal_added_at_the_follow_up_is_collected_as_new_and_the_form_has_no_note_box() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    let out = tmp.path().join("opfoelgning");
    run_followup(&collected, &out);
    let form = out.join("opfoelgning-soeren-aeroe.docx");
    let xml = crate::support::part(&form, "word/document.xml");
    // A note box is a one-cell table; the follow-up form has none.
    let doc = roxmltree::Document::parse(&xml).expect("xml");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let one_cell_tables = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "tbl")))
        .filter(|t| {
            t.descendants()
                .filter(|n| n.has_tag_name((w, "tc")))
                .count()
                == 1
        })
        .count();
    assert_eq!(one_cell_tables, 0, "no note box in the follow-up form");
    crate::collect::write_goals(&form, &["Lære at holde workshops"]);
    let output = mus().arg("collect").arg(&out).succeeds();
    let table = crate::support::CsvTable::parse(&output.stdout);
    let new = table.rows_where("new_goal", "new");
    assert_eq!(new.len(), 1, "{:?}", table.rows);
    assert_eq!(
        (table.cell(new[0], "goal"), table.cell(new[0], "kind")),
        ("Lære at holde workshops", "opfoelgning")
    );
    // The new goal attaches to no interview goal when read back.
    let both = tmp.path().join("alle.csv");
    std::fs::write(&both, &output.stdout).expect("csv");
    let forms = mus::collect::read_csv(&both).expect("reads");
    assert!(
        forms
            .iter()
            .all(|f| f.goals.iter().all(|g| g.status.is_none()))
    );
}
