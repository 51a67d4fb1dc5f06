//! `mus report`: the anonymous SU report, with figures that match a count.

use crate::interop::{required_or_skip, soffice_convert, which};
use crate::support::*;

/// (unit, people, goals each person wrote, how many of them have a follow-up)
const UNITS: [(&str, usize, [usize; 6], [usize; 6]); 3] = [
    ("Økonomi", 6, [2, 1, 0, 3, 1, 0], [1, 1, 0, 2, 0, 0]),
    ("Digitalisering", 5, [1, 1, 1, 0, 2, 0], [1, 0, 1, 0, 2, 0]),
    ("Jura", 3, [1, 0, 2, 0, 0, 0], [0, 0, 1, 0, 0, 0]),
];

fn collected() -> String {
    let mut csv = String::from("file,employee,manager,unit,date,goal,activities,when,follow_up\n");
    for (unit, people, goals, followed) in UNITS {
        for person in 0..people {
            let name = format!("Medarbejder{unit}{person}");
            if goals[person] == 0 {
                csv.push_str(&format!(
                    "{name}.docx,{name},Chef{unit},{unit},2027-02-01,,,,\n"
                ));
            }
            for goal in 0..goals[person] {
                let follow = if goal < followed[person] { "Juni" } else { "" };
                csv.push_str(&format!("{name}.docx,{name},Chef{unit},{unit},2027-02-01,Hemmeligtmaal{unit}{person}{goal},,Foråret,{follow}\n"));
            }
        }
    }
    csv
}

#[test]
fn figures_match_a_count_and_small_units_are_merged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("maal.csv");
    std::fs::write(&input, collected()).expect("csv");
    let output = mus()
        .arg("report")
        .arg(&input)
        .arg(example("eksempelstyrelsen.yaml"))
        .args(["--format", "json"])
        .succeeds();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");

    let count = |units: &[usize]| {
        let (mut interviews, mut with_goals, mut goals, mut followed) = (0, 0, 0, 0);
        for &u in units {
            let (_, people, g, f) = UNITS[u];
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
        };
    check(&json["total"], count(&[0, 1, 2]));
    let units = json["units"].as_array().expect("units");
    let names: Vec<&str> = units
        .iter()
        .map(|u| u["unit"].as_str().unwrap_or_default())
        .collect();
    // Jura (3) is merged; an Øvrige of 3 could be worked out from the total,
    // so the smallest other unit (Digitalisering, 5) joins it.
    assert_eq!(names, ["Økonomi", "Øvrige"]);
    check(&units[0]["figures"], count(&[0]));
    check(&units[1]["figures"], count(&[1, 2]));
}

#[test]
fn the_report_document_is_anonymous_and_opens_in_libreoffice() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("maal.csv");
    std::fs::write(&input, collected()).expect("csv");
    let report = tmp.path().join("rapport.docx");
    mus()
        .arg("report")
        .arg(&input)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&report)
        .succeeds();

    let body = body(&report);
    let text = all_text(&body);
    for part in [
        "word/document.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "docProps/core.xml",
    ] {
        let xml = part_text(&report, part) + &crate::support::part(&report, part);
        for secret in [
            "Medarbejder",
            "Chef",
            "Hemmeligtmaal",
            "Jura",
            "Digitalisering",
        ] {
            let hit = xml
                .match_indices(secret)
                .any(|(at, _)| !xml[at..].starts_with("Medarbejderudvikling"));
            assert!(!hit, "`{secret}` in {part}");
        }
    }
    assert!(text.contains("Samtaler med et udfyldt skema: 14"), "{text}");
    let table = body
        .iter()
        .find_map(|e| match e {
            Element::Table(t) if t.rows[0][0] == "Enhed" => Some(t),
            _ => None,
        })
        .expect("units table");
    assert_eq!(table.rows[1], ["Økonomi", "6", "67 %", "1,2", "57 %"]);
    assert_eq!(table.rows[2], ["Øvrige", "8", "75 %", "1,0", "62 %"]);
    assert!(
        crate::support::part(&report, "word/document.xml").contains("<w:drawing>"),
        "the bar chart"
    );

    let soffice = which("soffice");
    if !required_or_skip("soffice (LibreOffice)", soffice.is_some()) {
        return;
    }
    soffice_convert(
        soffice.as_deref().unwrap_or("soffice"),
        tmp.path(),
        "pdf",
        tmp.path(),
        &report,
    );
    assert!(
        std::fs::read(tmp.path().join("rapport.pdf"))
            .expect("pdf")
            .starts_with(b"%PDF")
    );
}
