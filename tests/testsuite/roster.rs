//! `mus generate --roster`: a personal form per row, from real-world CSV.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The info block of a form: Medarbejder, Leder, Enhed, Dato values.
fn info(form: &Path) -> Vec<String> {
    let body = body(form);
    table_with_bookmark(&body, "mus_info")
        .rows
        .iter()
        .map(|r| r[1].clone())
        .collect()
}

fn run_roster(dir: &Path, roster_bytes: &[u8], extra: &[&str]) -> (std::process::Output, PathBuf) {
    let roster = dir.join("roster.csv");
    std::fs::write(&roster, roster_bytes).expect("roster");
    let out = dir.join("out");
    let output = mus()
        .args(["generate", "--json", "--roster"])
        .arg(&roster)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs");
    (output, out)
}

fn form_files(out: &Path) -> Vec<PathBuf> {
    files_below(out)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("samtaleskema-"))
        })
        .collect()
}

const PEOPLE: [(&str, &str, &str, &str, &str); 5] = [
    (
        "Søren Ærø",
        "Bodil Åen",
        "Økonomi",
        "2027-02-01",
        "1. februar 2027",
    ),
    (
        "Anna Hansen",
        "Bodil Åen",
        "Økonomi",
        "2027-02-15",
        "15. februar 2027",
    ),
    (
        "Jens Østergaard",
        "Kim Lund",
        "IT",
        "2027-03-01",
        "1. marts 2027",
    ),
    (
        "Mette Bæk",
        "Kim Lund",
        "IT",
        "2027-03-10",
        "10. marts 2027",
    ),
    (
        "Åse Frøsig",
        "Kim Lund",
        "HR",
        "2027-03-31",
        "31. marts 2027",
    ),
];

/// Checks the five forms; each row of the roster takes `lines_per_row` lines.
fn assert_five_forms(output: &std::process::Output, out: &Path, lines_per_row: usize) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let forms = form_files(out);
    assert_eq!(forms.len(), 5, "{forms:?}");
    for guide in [
        "vejledning-medarbejder.docx",
        "vejledning-leder.docx",
        "vejledning-hr.docx",
        "tilvalgsemner.docx",
    ] {
        assert!(out.join(guide).is_file(), "{guide} once");
    }
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), 2 * 5 + 4, "a form and a development plan each");
    for (i, (name, manager, unit, _, date)) in PEOPLE.iter().enumerate() {
        let entry = files
            .iter()
            .find(|f| f["name"] == *name)
            .unwrap_or_else(|| panic!("{name} in --json"));
        assert_eq!(
            entry["row"],
            2 + i * lines_per_row,
            "the row's line in the file: {entry}"
        );
        let form = PathBuf::from(entry["path"].as_str().expect("path"));
        assert_eq!(form.parent(), Some(out));
        let values = info(&form);
        // The held date is left for the two; the id row holds the form's id.
        assert_eq!(values.len(), 6, "{values:?}");
        assert!(values[4].is_empty() && values[5].len() == 13, "{values:?}");
        assert_eq!(
            values[..4],
            [*name, *manager, *unit, *date],
            "{}",
            form.display()
        );
    }
}

#[test]
fn semicolon_separated_utf8_with_bom() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from("\u{FEFF}navn;leder;enhed;dato\n");
    for (name, manager, unit, date, _) in PEOPLE {
        csv.push_str(&format!("{name};{manager};{unit};{date}\n"));
    }
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert_five_forms(&output, &out, 1);
}

#[test]
fn windows_1252_from_excel_is_decoded_with_a_warning() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from("name,manager,unit,date\r\n");
    for (name, manager, unit, date, _) in PEOPLE {
        csv.push_str(&format!("{name},{manager},{unit},{date}\r\n"));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&csv);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let (output, out) = run_roster(tmp.path(), &bytes, &[]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("Windows-1252"));
    assert_five_forms(&output, &out, 1);
}

#[test]
fn utf16_from_excel_s_unicode_text_is_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("navn\tleder\tenhed\tdato\r\n");
    for (name, manager, unit, date, _) in PEOPLE {
        text.push_str(&format!("{name}\t{manager}\t{unit}\t{date}\r\n"));
    }
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (output, out) = run_roster(tmp.path(), &bytes, &[]);
    assert_five_forms(&output, &out, 1);
}

#[test]
fn old_mac_line_ends_give_the_file_s_line_numbers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = "navn;dato\rAnna;2027-02-01\rBo;1. marts\r";
    let (output, _) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("roster.csv:3:") && stderr.contains("`1. marts` is not a date"),
        "{stderr}"
    );
}

#[test]
fn a_cell_megabytes_long_is_refused_with_its_row() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = format!("navn;enhed\nAnna;IT\nBo;{}\n", "x".repeat(33 << 20));
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("roster.csv:3:2") && stderr.contains("longer than the limit of 4 KB"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn quoted_fields_with_separators_and_newlines() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from("\"navn\",\"leder\",\"enhed\",\"dato\",\"noter\"\n");
    for (name, manager, unit, date, _) in PEOPLE {
        csv.push_str(&format!(
            "\"{name}\",\"{manager}\",\"{unit}\",\"{date}\",\"en, to\nog \"\"tre\"\"\"\n"
        ));
    }
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("unknown column").count(),
        1,
        "one warning for `noter`: {stderr}"
    );
    assert_five_forms(&output, &out, 2);
}

#[test]
fn tilvalg_changes_a_persons_topics_and_goals_stay_last() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = "navn;tilvalg\nAnna;mobilitet;balance-arbejde-familie\nBo;\n";
    // `;` separates the columns, so Anna's two topics need quotes or commas.
    let csv = csv.replace(
        "mobilitet;balance-arbejde-familie",
        "\"mobilitet;balance-arbejde-familie\"",
    );
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let headings = |file: &str| -> Vec<String> {
        paragraphs_with_style(&body(&out.join(file)), "Heading1")
            .into_iter()
            .filter(|h| h.starts_with(|c: char| c.is_ascii_digit()))
            .collect()
    };
    let anna = headings("samtaleskema-anna.docx");
    assert_eq!(anna.len(), 7, "{anna:?}");
    assert!(
        anna[4].ends_with("Mobilitet")
            && anna[5].ends_with("Balance mellem arbejds- og familieliv"),
        "{anna:?}"
    );
    assert!(anna[6].starts_with("7. Udviklingsmål"), "{anna:?}");
    let bo = headings("samtaleskema-bo.docx");
    assert_eq!(
        bo.len(),
        5,
        "an empty tilvalg chooses no optional topics: {bo:?}"
    );
    assert!(bo[4].starts_with("5. Udviklingsmål"));
}

#[test]
fn hostile_names_land_as_distinct_files_inside_the_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let long = "Æ".repeat(300);
    let names = [
        "../x",
        "a/b",
        "CON",
        "???",
        long.as_str(),
        "Anna",
        "Anna",
        "..",
        "/etc/passwd",
    ];
    let mut csv = String::from("navn\n");
    for name in names {
        csv.push_str(&format!("\"{name}\"\n"));
    }
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let forms = form_files(&out);
    assert_eq!(forms.len(), names.len(), "{forms:?}");
    for form in &forms {
        assert_eq!(form.parent(), Some(out.as_path()));
        let name = form
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        assert!(name.len() < 100 && name.is_ascii(), "{name}");
    }
    assert_eq!(
        files_below(tmp.path()).len(),
        2 * names.len() + 4 + 1,
        "nothing outside the folder but the roster"
    );
}

#[test]
fn bad_rows_are_all_reported_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = "navn;dato;tilvalg\nAnna;2027-02-01;innovation\n;2027-02-02;\nBo;1. marts;\nCarl;2027-03-03;inovation\n";
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("roster.csv:3:") && stderr.contains("row 3 has no name"),
        "{stderr}"
    );
    assert!(
        stderr.contains("roster.csv:4:") && stderr.contains("`1. marts` is not a date"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
    // A bad topic id is found too, once the rows parse.
    let csv = "navn;tilvalg\nAnna;innovation\nCarl;inovation\n";
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("roster.csv:3:") && stderr.contains("did you mean `innovation`?"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn output_is_the_same_with_one_or_two_threads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from("navn;leder;enhed;dato;tilvalg\n");
    for i in 0..40 {
        let topics = ["", "innovation", "mobilitet,innovation"][i % 3];
        csv.push_str(&format!(
            "Person {i};Leder {};Enhed {};2027-02-{:02};{topics}\n",
            i % 4,
            i % 3,
            1 + i % 28
        ));
    }
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    std::fs::create_dir(&one).expect("one");
    std::fs::create_dir(&two).expect("two");
    let (a, out_a) = run_roster(&one, csv.as_bytes(), &["--jobs", "1"]);
    let (b, out_b) = run_roster(&two, csv.as_bytes(), &["--jobs", "2"]);
    assert!(a.status.success() && b.status.success());
    let files_a = files_below(&out_a);
    assert_eq!(
        files_a.len(),
        84,
        "a form and a plan for 40 people, 4 guides"
    );
    for file in files_a {
        let name = file.file_name().expect("name");
        let other = out_b.join(name);
        assert!(
            std::fs::read(&file).expect("a") == std::fs::read(&other).expect("b"),
            "{} differs",
            name.to_string_lossy()
        );
    }
}

#[test]
fn forms_are_small_and_compressed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (output, out) = run_roster(tmp.path(), b"navn\nAnna\n", &[]);
    assert!(output.status.success());
    let size = std::fs::metadata(out.join("samtaleskema-anna.docx"))
        .expect("form")
        .len();
    assert!(size <= 20 * 1024, "{size} bytes");
}

#[test]
fn a_roster_that_would_lose_people_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (csv, expected) in [
        ("navn\nHansen, Anna\n", "more fields than the header"),
        (
            "navn;leder\n\"Anna Hansen;Bo\nCarl;Dan\n",
            "runs over several lines",
        ),
        ("navn,name\nAnna,Anna\n", "is there twice"),
        (
            "navn;tilvalg\nAnna;\"innovation,innovation\"\n",
            "listed twice",
        ),
        ("navn;leder\n", "no rows"),
    ] {
        let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
        assert_eq!(output.status.code(), Some(1), "{csv}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(expected),
            "{csv}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!out.exists());
    }
    let mut mixed = "navn\nSøren\n".as_bytes().to_vec();
    mixed.extend_from_slice(b"S\xf8ren\n");
    let (output, _) = run_roster(tmp.path(), &mixed, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("roster.csv:3:1: this line is not UTF-8")
    );
}

#[test]
fn a_personal_forms_header_shows_the_persons_unit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let csv = "navn;enhed\nAnna Hansen;Kontor for IT\nBo Lund;\n";
    let (output, out) = run_roster(tmp.path(), csv.as_bytes(), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let header = |file: &str| part_text(&out.join(file), "word/header1.xml");
    assert_eq!(
        header("samtaleskema-anna-hansen.docx"),
        "Eksempelstyrelsen · Kontor for IT · MUS 2027"
    );
    // No unit in the roster or the config: no empty place in the header.
    assert_eq!(
        header("samtaleskema-bo-lund.docx"),
        "Eksempelstyrelsen · MUS 2027"
    );
}
