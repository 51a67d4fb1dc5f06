//! `mus followup` and `generate --previous`: the goals carried on after the interview.

use std::path::Path;

use crate::support::*;

const COLLECTED: &str = "file,employee,manager,unit,date,goal,activities,when,follow_up
forms/samtaleskema-soeren-aeroe.docx,Søren Ærø,Bodil Åen,Økonomi,2027-02-01,Blive skarp til Power BI,Kursus,Foråret 2027,Juni
forms/samtaleskema-soeren-aeroe.docx,Søren Ærø,Bodil Åen,Økonomi,2027-02-01,\"Lede et projekt, gerne tværgående\",,Efteråret 2027,
forms/samtaleskema-anna-hansen.docx,Anna Hansen,Bodil Åen,Økonomi,2027-02-15,,,,
forms/samtaleskema-bo-lund.docx,Bo Lund,Kim,IT,2027-03-01,Lære Python,,,
";

fn prefilled_goals(form: &Path, bookmark: &str) -> Vec<String> {
    let body = body(form);
    let table = table_with_bookmark(&body, bookmark);
    assert_eq!(table.header_rows, 1);
    table.rows[1..].iter().map(|r| r[0].clone()).collect()
}

#[test]
fn each_employee_with_goals_gets_a_follow_up_form_with_their_goals() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    let out = tmp.path().join("opfoelgning");
    let output = mus()
        .arg("followup")
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&out)
        .succeeds();
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
            "Blive skarp til Power BI",
            "Lede et projekt, gerne tværgående"
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
fn collect_skips_follow_up_forms_and_guides() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    let out = tmp.path().join("opfoelgning");
    let output = mus()
        .arg("followup")
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let output = mus().arg("collect").arg(&out).succeeds();
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an interview form"));
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
    let okonomi = all_text(&body(&out.join("samtaleskema-anna-hansen.docx")));
    let it = all_text(&body(&out.join("samtaleskema-anna-hansen-2.docx")));
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
    mus()
        .arg("followup")
        .arg(&joined)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&out)
        .succeeds();
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
    mus()
        .arg("followup")
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&out)
        .succeeds();
    assert_eq!(
        files_below(&out)
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().to_string())
            .collect::<Vec<_>>(),
        [
            "opfoelgning-anna-jensen-2.docx",
            "opfoelgning-anna-jensen.docx"
        ]
    );
    assert_eq!(
        prefilled_goals(&out.join("opfoelgning-anna-jensen.docx"), "mus_opfoelgning"),
        ["Mål for Anna i Økonomi"]
    );
    assert_eq!(
        prefilled_goals(
            &out.join("opfoelgning-anna-jensen-2.docx"),
            "mus_opfoelgning"
        ),
        ["Mål for Anna i IT"]
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
    crate::collect::write_goals(&forms.join("samtaleskema-anna-jensen.docx"), &["Et mål"]);
    crate::collect::write_goals(&forms.join("samtaleskema-anna-jensen-2.docx"), &["Et mål"]);
    let output = mus().arg("collect").arg(&forms).succeeds();
    let collected = tmp.path().join("indsamlet.csv");
    std::fs::write(&collected, &output.stdout).expect("csv");
    let out = tmp.path().join("opf2");
    mus()
        .arg("followup")
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&out)
        .succeeds();
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
    crate::collect::write_goals(&forms.join("samtaleskema-anna-hansen.docx"), &goals[..3]);
    crate::collect::write_goals(&forms.join("samtaleskema-soeren-aeroe.docx"), &goals[3..]);
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
    mus()
        .arg("followup")
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&out)
        .succeeds();
    assert_eq!(
        prefilled_goals(&out.join("opfoelgning-anna-hansen.docx"), "mus_opfoelgning"),
        goals[..3]
    );
    assert_eq!(
        prefilled_goals(
            &out.join("opfoelgning-soeren-aeroe.docx"),
            "mus_opfoelgning"
        ),
        goals[3..]
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
