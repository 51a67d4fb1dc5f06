//! `mus collect`: the agreed goals read back from filled-in forms.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::interop::{required_or_skip, soffice_convert, which};
use crate::support::*;

/// Fills a form as a person would in a third-party editor: two goals (one
/// with two paragraphs in a cell), an empty row between them, a row added.
const FILL: &str = r#"
import sys, docx
src, dst = sys.argv[1:3]
d = docx.Document(src)
goals = next(t for t in d.tables if t.rows[0].cells[0].text.strip() == "Udviklingsmål")
rows = goals.rows
rows[1].cells[0].text = "Blive skarp til Power BI"
rows[1].cells[1].text = "Kursus i Power BI"
rows[1].cells[1].add_paragraph("Sparring med Mette")
rows[1].cells[2].text = "Foråret 2027"
rows[1].cells[3].text = "Status i juni"
# Responsible and how we see the goal is reached: not collected, not follow-up.
rows[1].cells[4].text = "Søren"
rows[1].cells[5].text = "Rapporten bruges i styregruppen"
rows[3].cells[0].text = "Lede et lille projekt"
rows[3].cells[2].text = "Efteråret 2027"
added = goals.add_row()
added.cells[0].text = "Mentor for en ny kollega"
added.cells[3].text = "Ved næste MUS"
d.save(dst)
"#;

fn roster_forms(dir: &Path) -> PathBuf {
    let roster = dir.join("roster.csv");
    std::fs::write(&roster, "navn;leder;enhed;dato\nSøren Ærø;Bodil Åen;Økonomi;2027-02-01\nAnna Hansen;Bodil Åen;Økonomi;2027-02-15\n").expect("roster");
    let out = dir.join("forms");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("-o")
        .arg(&out)
        .arg(example("eksempelstyrelsen.yaml"))
        .succeeds();
    out
}

fn collect_json(paths: &[&Path]) -> (serde_json::Value, std::process::Output) {
    let output = mus()
        .args(["collect", "--format", "json"])
        .args(paths)
        .output()
        .expect("runs");
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("json: {}", String::from_utf8_lossy(&output.stderr)));
    (json, output)
}

fn goals_of(json: &serde_json::Value, employee: &str) -> Vec<[String; 4]> {
    let form = json["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .find(|f| f["employee"] == employee)
        .unwrap_or_else(|| panic!("{employee} in {json:#}"));
    form["goals"]
        .as_array()
        .expect("goals")
        .iter()
        .map(|g| {
            ["goal", "activities", "when", "follow_up"]
                .map(|k| g[k].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn expected_goals() -> Vec<[String; 4]> {
    [
        [
            "Blive skarp til Power BI",
            "Kursus i Power BI\nSparring med Mette",
            "Foråret 2027",
            "Status i juni",
        ],
        ["Lede et lille projekt", "", "Efteråret 2027", ""],
        ["Mentor for en ny kollega", "", "", "Ved næste MUS"],
    ]
    .map(|g| g.map(str::to_string))
    .to_vec()
}

fn fill_with_python_docx(form: &Path, filled: &Path) -> bool {
    let has_docx = Command::new("python3")
        .args(["-c", "import docx"])
        .status()
        .is_ok_and(|s| s.success());
    if !required_or_skip("python3 with python-docx", has_docx) {
        return false;
    }
    let output = Command::new("python3")
        .args(["-c", FILL])
        .arg(form)
        .arg(filled)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    true
}

#[test]
fn goals_from_a_form_filled_in_another_editor_are_collected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let form = forms.join("samtaleskema-soeren-aeroe.docx");
    if !fill_with_python_docx(&form, &form) {
        return;
    }
    let (json, output) = collect_json(&[&forms]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        goals_of(&json, "Søren Ærø"),
        expected_goals(),
        "empty rows skipped, added row found"
    );
    let soeren = json["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .find(|f| f["employee"] == "Søren Ærø")
        .expect("form");
    assert_eq!(soeren["manager"], "Bodil Åen");
    assert_eq!(soeren["unit"], "Økonomi");
    assert_eq!(soeren["date"], "2027-02-01");
    assert!(
        goals_of(&json, "Anna Hansen").is_empty(),
        "a form without goals is still counted"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 without goals"));

    // CSV: one record per goal, and one for the form without goals.
    let csv_out = tmp.path().join("maal.csv");
    let output = mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&csv_out)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let mut reader = csv::Reader::from_path(&csv_out).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
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
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), 4);
    assert_eq!(records.iter().filter(|r| &r[1] == "Søren Ærø").count(), 3);
    assert_eq!(
        &records
            .iter()
            .find(|r| &r[1] == "Anna Hansen")
            .expect("anna")[5],
        ""
    );
}

#[test]
fn goals_survive_a_libreoffice_round_trip() {
    let soffice = which("soffice");
    if !required_or_skip("soffice (LibreOffice)", soffice.is_some()) {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let filled = tmp.path().join("udfyldt.docx");
    if !fill_with_python_docx(&forms.join("samtaleskema-soeren-aeroe.docx"), &filled) {
        return;
    }
    let resaved = tmp.path().join("gemt");
    let output = soffice_convert(
        soffice.as_deref().unwrap_or("soffice"),
        tmp.path(),
        "docx:MS Word 2007 XML",
        &resaved,
        &filled,
    );
    let resaved_form = resaved.join("udfyldt.docx");
    assert!(
        resaved_form.is_file(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_ne!(
        std::fs::read(&resaved_form).expect("resaved"),
        std::fs::read(&filled).expect("filled"),
        "really re-saved"
    );
    let (json, output) = collect_json(&[&resaved_form]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(goals_of(&json, "Søren Ærø"), expected_goals());
    assert_eq!(json["forms"][0]["date"], "2027-02-01");
}

/// A zip with a document part that unpacks to `size` bytes of spaces.
fn zip_bomb(path: &Path, size: usize) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).expect("entry");
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..size / chunk.len() {
        zip.write_all(&chunk).expect("write");
    }
    zip.finish().expect("finish");
}

#[test]
fn bad_files_are_named_with_reasons_and_the_good_form_still_counts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let folder = tmp.path().join("indsamlet");
    std::fs::create_dir(&folder).expect("folder");
    let good = std::fs::read(forms.join("samtaleskema-anna-hansen.docx")).expect("form");
    std::fs::write(folder.join("anna.docx"), &good).expect("good");
    std::fs::write(
        folder.join("gammel.doc"),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
    )
    .expect("doc");
    std::fs::write(folder.join("skema.docx.pdf"), b"%PDF-1.7\n%...").expect("pdf");
    std::fs::write(folder.join("omdoebt.docx"), b"%PDF-1.7\n%...").expect("renamed pdf");
    std::fs::write(folder.join("afbrudt.docx"), &good[..good.len() / 2]).expect("truncated");
    zip_bomb(&folder.join("bombe.docx"), 64 * 1024 * 1024);
    std::fs::write(folder.join("entitet.docx"), {
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut bytes);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).expect("entry");
        zip.write_all(b"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><d>&x;</d>").expect("xml");
        zip.finish().expect("zip");
        bytes.into_inner()
    })
    .expect("entity");

    let output = mus()
        .args(["collect", "--format", "json"])
        .arg(&folder)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let forms = json["forms"].as_array().expect("forms");
    assert_eq!(forms.len(), 1);
    assert_eq!(forms[0]["employee"], "Anna Hansen");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (file, reason) in [
        ("gammel.doc", ".doc"),
        ("skema.docx.pdf", "PDF"),
        ("omdoebt.docx", "PDF"),
        ("afbrudt.docx", "damaged"),
        ("bombe.docx", "zip bomb"),
        ("entitet.docx", "DTD"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("error: ") && l.contains(file) && l.contains(reason)),
            "{file} not reported with `{reason}`:\n{stderr}"
        );
    }
    assert_eq!(json["failed"].as_array().expect("failed").len(), 6);
}

/// Edits a form the way people do: the header text changed, and a goal row
/// with its first two cells merged.
const EDIT: &str = r#"
import sys, docx
src, dst = sys.argv[1:3]
d = docx.Document(src)
goals = next(t for t in d.tables if t.rows[0].cells[0].text.strip() == "Udviklingsmål")
goals.rows[0].cells[0].paragraphs[0].runs[-1].text = "Mål"
merged = goals.rows[1].cells[0].merge(goals.rows[1].cells[1])
merged.text = "Mål A"
goals.rows[1].cells[2].text = "Foråret"
goals.rows[1].cells[3].text = "Juni"
d.save(dst)
"#;

#[test]
fn an_edited_header_is_no_goal_and_merged_cells_keep_their_columns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let has_docx = Command::new("python3")
        .args(["-c", "import docx"])
        .status()
        .is_ok_and(|s| s.success());
    if !required_or_skip("python3 with python-docx", has_docx) {
        return;
    }
    let form = forms.join("samtaleskema-anna-hansen.docx");
    let output = Command::new("python3")
        .args(["-c", EDIT])
        .arg(&form)
        .arg(&form)
        .output()
        .expect("python");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (json, _) = collect_json(&[&form]);
    assert_eq!(
        goals_of(&json, "Anna Hansen"),
        vec![["Mål A", "", "Foråret", "Juni"].map(str::to_string)]
    );
}

#[test]
fn nothing_read_leaves_an_earlier_file_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let earlier = tmp.path().join("maal.csv");
    std::fs::write(&earlier, "earlier").expect("write");
    let empty = tmp.path().join("tom");
    std::fs::create_dir(&empty).expect("dir");
    let output = mus()
        .arg("collect")
        .arg(&empty)
        .arg("-o")
        .arg(&earlier)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "an empty folder is an error");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no .docx files found"));
    assert_eq!(std::fs::read_to_string(&earlier).expect("read"), "earlier");
}
