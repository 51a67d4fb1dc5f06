//! Danish dates wherever `mus` reads one: every way Danish Excel and people
//! write a date in a roster's `dato` column, day first; a date outside the
//! round warns with its row; many bad dates give every row and one summary.

use std::path::{Path, PathBuf};

use crate::support::*;

/// Every way of writing the 1st to the 12th of March 2027 a roster may hold,
/// with the date each form must show.
pub const DATES: [(&str, &str); 12] = [
    ("2027-03-01", "1. marts 2027"),
    ("02-03-2027", "2. marts 2027"),
    ("3.3.2027", "3. marts 2027"),
    ("4/3-2027", "4. marts 2027"),
    ("5. marts 2027", "5. marts 2027"),
    ("6. mar. 2027", "6. marts 2027"),
    ("7/3/2027", "7. marts 2027"),
    ("08.03.2027", "8. marts 2027"),
    ("9. Marts 2027", "9. marts 2027"),
    ("10 marts 2027", "10. marts 2027"),
    ("11. MAR 2027", "11. marts 2027"),
    ("2027-03-12", "12. marts 2027"),
];

/// The `Dato` row of each personal form in `out`, by the person's name.
pub fn form_dates(out: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = files_below(out)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("samtaleskema-"))
        })
        .map(|form| {
            let body = body(&form);
            let rows = &table_with_bookmark(&body, "mus_info").rows;
            (rows[0][1].clone(), rows[3][1].clone())
        })
        .collect();
    found.sort();
    found
}

/// Runs `generate --roster` on `roster` with the example config.
pub fn generate(roster: &Path, out: &Path) -> std::process::Output {
    mus()
        .args(["generate", "--roster"])
        .arg(roster)
        .arg("-o")
        .arg(out)
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs")
}

fn write_csv(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("medarbejdere.csv");
    std::fs::write(&path, text).expect("roster");
    path
}

#[test]
fn every_danish_date_form_in_a_csv_roster_is_read_day_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from("navn;dato\n");
    for (i, (written, _)) in DATES.iter().enumerate() {
        csv.push_str(&format!("Person {i:02};{written}\n"));
    }
    let out = tmp.path().join("out");
    let output = generate(&write_csv(tmp.path(), &csv), &out);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let expected: Vec<(String, String)> = DATES
        .iter()
        .enumerate()
        .map(|(i, (_, shown))| (format!("Person {i:02}"), shown.to_string()))
        .collect();
    assert_eq!(form_dates(&out), expected);
}

#[test]
fn a_date_outside_the_round_s_year_or_its_interview_period_warns_with_its_row() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // The example round is 2027, interviews 1 February to 31 March.
    let csv = "navn;dato\nAnna;1. marts 2025\nBo;15-03-2027\nCarl;2027-01-15\nDorte;1/4-2027\n";
    let out = tmp.path().join("out");
    let output = generate(&write_csv(tmp.path(), csv), &out);
    assert!(output.status.success(), "{}", stderr(&output));
    let stderr = stderr(&output);
    for (line, what) in [
        (2, "the date 2025-03-01 is not in the round's year 2027"),
        (4, "before the interviews start (2027-02-01)"),
        (5, "after the interviews end (2027-03-31)"),
    ] {
        assert!(
            stderr.contains(&format!("medarbejdere.csv:{line}: row {line}: the date"))
                && stderr.contains(what),
            "line {line}: {stderr}"
        );
    }
    assert!(!stderr.contains("medarbejdere.csv:3:"), "{stderr}");
    assert!(
        stderr.contains("3 rows have a date outside the round (2027)"),
        "{stderr}"
    );
    // The form still shows the date as written: it may be an interview moved.
    assert!(form_dates(&out).contains(&("Anna".into(), "1. marts 2025".into())));
}

#[test]
fn a_date_in_another_year_warns_also_without_an_interview_period() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    let text = std::fs::read_to_string(example("eksempelstyrelsen.yaml")).expect("example");
    let text = text
        .replace("  interviews_from: 2027-02-01\n", "")
        .replace("  interviews_to: 2027-03-31\n", "");
    std::fs::write(&config, text).expect("config");
    let roster = write_csv(tmp.path(), "navn;dato\nAnna;3.3.2026\nBo;3.3.2027\n");
    let output = mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .arg(&config)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let stderr = stderr(&output);
    assert!(
        stderr.contains(
            "medarbejdere.csv:2: row 2: the date 2026-03-03 is not in the round's year 2027"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("the date").count(), 1, "{stderr}");
    assert!(!stderr.contains("rows have a date outside"), "{stderr}");
}

#[test]
fn many_bad_dates_are_each_named_and_summed_up_once_with_the_advice() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from("navn;dato\n");
    for i in 0..25 {
        csv.push_str(&format!("Person {i};marts {i}\n"));
    }
    let out = tmp.path().join("out");
    let output = generate(&write_csv(tmp.path(), &csv), &out);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    for i in 0..25 {
        assert!(
            stderr.contains(&format!("row {}: `marts {i}` is not a date", i + 2)),
            "{stderr}"
        );
    }
    assert!(
        stderr.contains("25 rows have a date that cannot be read"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("hint:").count(), 1, "{stderr}");
    assert!(stderr.contains("`1. marts 2027`"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn one_bad_date_keeps_its_advice_and_needs_no_summary() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let output = generate(
        &write_csv(tmp.path(), "navn;dato\nAnna;31-02-2027\n"),
        &tmp.path().join("out"),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("row 2: `31-02-2027` is not a date"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: write dates as"), "{stderr}");
    assert!(!stderr.contains("rows have a date"), "{stderr}");
}

#[test]
fn every_danish_date_form_in_an_xlsx_roster_and_real_date_cells_are_read() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "navn").expect("cell");
    sheet.write(0, 1, "dato").expect("cell");
    let mut row = 1;
    for (i, (written, _)) in DATES.iter().enumerate() {
        sheet.write(row, 0, format!("Person {i:02}")).expect("cell");
        sheet.write(row, 1, *written).expect("cell");
        row += 1;
    }
    // Real date cells, shown as Danish Excel shows them, and one with a time.
    for (i, (format, day)) in [
        ("dd-mm-yyyy", 13),
        ("d. mmmm yyyy", 14),
        ("yyyy-mm-dd hh:mm", 15),
    ]
    .iter()
    .enumerate()
    {
        let date = ExcelDateTime::from_ymd(2027, 3, *day).expect("date");
        let date = if *day == 15 {
            date.and_hms(9, 30, 0).expect("time")
        } else {
            date
        };
        sheet
            .write(row, 0, format!("Celle {i}"))
            .expect("cell")
            .write_datetime_with_format(row, 1, &date, &Format::new().set_num_format(*format))
            .expect("cell");
        row += 1;
    }
    let roster = tmp.path().join("medarbejdere.xlsx");
    book.save(&roster).expect("saves");
    let out = tmp.path().join("out");
    let output = generate(&roster, &out);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let mut expected: Vec<(String, String)> = DATES
        .iter()
        .enumerate()
        .map(|(i, (_, shown))| (format!("Person {i:02}"), shown.to_string()))
        .collect();
    expected.extend([
        ("Celle 0".to_string(), "13. marts 2027".to_string()),
        ("Celle 1".to_string(), "14. marts 2027".to_string()),
        ("Celle 2".to_string(), "15. marts 2027".to_string()),
    ]);
    expected.sort();
    assert_eq!(form_dates(&out), expected);
}

#[test]
fn a_date_outside_the_round_in_an_xlsx_roster_warns_with_its_excel_row() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_row(0, 0, ["navn", "dato"]).expect("row");
    sheet
        .write_row(2, 0, ["Anna", "1. marts 2027"])
        .expect("row");
    let date = ExcelDateTime::from_ymd(2025, 3, 1).expect("date");
    sheet.write(3, 0, "Bo").expect("cell");
    sheet
        .write_datetime_with_format(3, 1, &date, &Format::new().set_num_format("dd-mm-yyyy"))
        .expect("cell");
    let roster = tmp.path().join("medarbejdere.xlsx");
    book.save(&roster).expect("saves");
    let output = generate(&roster, &tmp.path().join("out"));
    assert!(output.status.success(), "{}", stderr(&output));
    let stderr = stderr(&output);
    assert!(
        stderr.contains(
            "medarbejdere.xlsx:4: row 4: the date 2025-03-01 is not in the round's year 2027"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("the date").count(), 1, "{stderr}");
}
