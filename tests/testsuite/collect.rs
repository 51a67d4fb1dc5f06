//! `mus collect`: the agreed goals read back from filled-in forms.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::interop::which;
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
# Responsible and how we see the goal is reached: their own columns, not follow-up.
rows[1].cells[4].text = "Søren"
rows[1].cells[5].text = "Rapporten bruges i styregruppen"
rows[3].cells[0].text = "Lede et lille projekt"
rows[3].cells[2].text = "Efteråret 2027"
added = goals.add_row()
added.cells[0].text = "Mentor for en ny kollega"
added.cells[3].text = "Ved næste MUS"
d.save(dst)
"#;

pub fn roster_forms(dir: &Path) -> PathBuf {
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
    // The two interviews were held: each plan has its date filled in.
    for file in crate::support::files_below(&out) {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if name.starts_with("udviklingsplan-") {
            write_held(&file, "3. marts 2027");
        }
    }
    out
}

/// Types `date` into "Samtalen er holdt den" (or "Interview held on") in a
/// form's info block, as Word does into its date picker.
pub fn write_held(path: &Path, date: &str) {
    edit_document(path, |xml| {
        crate::form_fields::fill_control(&xml, "mus_holdt_den", 0, date, None)
    });
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
    crate::collect_json::goals_of_form(json, form)
        .into_iter()
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

fn fill_with_python_docx(form: &Path, filled: &Path) {
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
}

#[test]
#[ignore = "needs python-docx"]
fn goals_from_a_form_filled_in_another_editor_are_collected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let form = forms.join("udviklingsplan-soeren-aeroe.docx");
    fill_with_python_docx(&form, &form);
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
    let table = crate::support::CsvTable::read(&csv_out);
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
    assert!(records_kind_is_samtale(&csv_out));
    assert_eq!(table.rows.len(), 4);
    let first = *table
        .rows_where("goal", "Blive skarp til Power BI")
        .first()
        .expect("first goal");
    assert_eq!(
        (
            table.cell(first, "responsible"),
            table.cell(first, "how_reached")
        ),
        ("Søren", "Rapporten bruges i styregruppen")
    );
    assert_eq!(table.rows_where("employee", "Søren Ærø").len(), 3);
    let anna = *table
        .rows_where("employee", "Anna Hansen")
        .first()
        .expect("anna");
    assert_eq!(table.cell(anna, "goal"), "");
}

/// Every record of a collected CSV came from an interview form.
fn records_kind_is_samtale(csv: &Path) -> bool {
    crate::support::CsvTable::read(csv)
        .column("kind")
        .iter()
        .all(|kind| *kind == "samtale")
}

#[test]
#[ignore = "needs LibreOffice and python-docx"]
fn goals_survive_a_libreoffice_round_trip() {
    let soffice = which("soffice");
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let filled = tmp.path().join("udfyldt.docx");
    fill_with_python_docx(&forms.join("udviklingsplan-soeren-aeroe.docx"), &filled);
    let resaved_form = crate::interop::soffice_resave(
        soffice.as_deref().unwrap_or("soffice"),
        tmp.path(),
        &filled,
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
    // The held date and the form's id come through LibreOffice too.
    assert_eq!(json["forms"][0]["held"], "2027-03-03");
    let (before, _) = collect_json(&[&filled]);
    assert_eq!(json["forms"][0]["id"], before["forms"][0]["id"]);
    assert_eq!(json["forms"][0]["id"].as_str().map(str::len), Some(13));
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
    let good = std::fs::read(forms.join("udviklingsplan-anna-hansen.docx")).expect("form");
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
#[ignore = "needs python-docx"]
fn an_edited_header_is_no_goal_and_merged_cells_keep_their_columns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let form = forms.join("udviklingsplan-anna-hansen.docx");
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

/// Rewrites `word/document.xml` of the `.docx` at `path` with `edit`,
/// keeping every other part as it was.
pub fn edit_document(path: &Path, edit: impl FnOnce(String) -> String) {
    use std::io::Read;
    let bytes = std::fs::read(path).expect("form");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut edit = Some(edit);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read entry");
        if name == "word/document.xml"
            && let Some(edit) = edit.take()
        {
            data = edit(String::from_utf8(data).expect("utf-8")).into_bytes();
        }
        out.start_file(
            name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .expect("start");
        out.write_all(&data).expect("write");
    }
    std::fs::write(path, out.finish().expect("finish").into_inner()).expect("save");
}

/// Where the goals table (the one with the bookmark) starts and ends in `xml`.
fn goals_table_span(xml: &str) -> (usize, usize) {
    let at = xml.find("mus_udviklingsmaal").expect("goals bookmark");
    let start = xml[..at].rfind("<w:tbl>").expect("table start");
    let end = at + xml[at..].find("</w:tbl>").expect("table end") + "</w:tbl>".len();
    (start, end)
}

/// `table` with `goals` written in the first cell of its first goal rows.
fn with_goals(table: &str, goals: &[&str]) -> String {
    const EMPTY: &str = "<w:t xml:space=\"preserve\"></w:t>";
    // parts[0] is the table's properties, parts[1] the header row.
    let mut parts: Vec<String> = table.split("<w:tr>").map(str::to_string).collect();
    assert!(parts.len() >= goals.len() + 2, "enough goal rows");
    for (i, goal) in goals.iter().enumerate() {
        let text = goal
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        parts[i + 2] = parts[i + 2].replacen(
            EMPTY,
            &format!("<w:t xml:space=\"preserve\">{text}</w:t>"),
            1,
        );
    }
    parts.join("<w:tr>")
}

/// Writes `goals` into the goals table of the form at `path`.
pub fn write_goals(path: &Path, goals: &[&str]) {
    edit_document(path, |xml| {
        let (start, end) = goals_table_span(&xml);
        format!(
            "{}{}{}",
            &xml[..start],
            with_goals(&xml[start..end], goals),
            &xml[end..]
        )
    });
}

fn goal_texts(json: &serde_json::Value, employee: &str) -> Vec<String> {
    goals_of(json, employee)
        .into_iter()
        .map(|[goal, ..]| goal)
        .collect()
}

#[test]
fn goals_in_a_copied_goals_table_are_read_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let form = forms.join("udviklingsplan-anna-hansen.docx");
    edit_document(&form, |xml| {
        let (start, end) = goals_table_span(&xml);
        let table = &xml[start..end];
        // A copy pasted in Word loses the bookmark: only its header says what it is.
        let copy = with_goals(table, &["Mål i kopien", "Endnu et mål"])
            .replace("w:name=\"mus_udviklingsmaal\"", "w:name=\"_kopi\"");
        format!(
            "{}{}<w:p/>{copy}{}",
            &xml[..start],
            with_goals(table, &["Mål i originalen"]),
            &xml[end..]
        )
    });
    let (json, output) = collect_json(&[&form]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        goal_texts(&json, "Anna Hansen"),
        ["Mål i originalen", "Mål i kopien", "Endnu et mål"]
    );
}

#[test]
fn the_same_file_twice_and_an_identical_copy_are_counted_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let anna = forms.join("udviklingsplan-anna-hansen.docx");
    write_goals(&anna, &["Et mål"]);
    let copy = forms.join("udviklingsplan-anna-hansen - Kopi.docx");
    std::fs::copy(&anna, &copy).expect("copy");
    let mut paths: Vec<PathBuf> = vec![forms.clone(), anna.clone()];
    #[cfg(unix)]
    {
        let link = tmp.path().join("link.docx");
        std::os::unix::fs::symlink(&anna, &link).expect("symlink");
        paths.push(link);
    }
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let (json, output) = collect_json(&refs);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let employees: Vec<&str> = json["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .map(|f| f["employee"].as_str().expect("employee"))
        .collect();
    assert_eq!(employees, ["Anna Hansen", "Søren Ærø"], "{stderr}");
    assert!(
        stderr.contains("collected 1 goal from 2 interview forms"),
        "{stderr}"
    );
    let notes = json["notes"].as_array().expect("notes");
    let copy_note = notes
        .iter()
        .find(|n| {
            n["note"]
                .as_str()
                .is_some_and(|t| t.contains("identical copy"))
        })
        .unwrap_or_else(|| panic!("a note on the copy: {json:#}"));
    // The note names both files, whichever was read first.
    let named = format!("{} {}", copy_note["file"], copy_note["note"]);
    assert!(
        named.contains("udviklingsplan-anna-hansen - Kopi.docx"),
        "{named}"
    );
    assert!(named.contains("udviklingsplan-anna-hansen.docx"), "{named}");
    let same = notes
        .iter()
        .filter(|n| {
            n["note"]
                .as_str()
                .is_some_and(|t| t.contains("the same file as"))
        })
        .count();
    assert_eq!(same, if cfg!(unix) { 2 } else { 1 }, "{json:#}");
    assert!(stderr.contains("note: ") && stderr.contains("counted once"));
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_without_being_opened() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let fifo = forms.join("roer-mig-ikke.docx");
    let other_fifo = forms.join("roer.txt");
    for path in [&fifo, &other_fifo] {
        let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
        assert!(status.success());
    }
    let outside = tmp.path().join("alene.docx");
    let status = Command::new("mkfifo")
        .arg(&outside)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let output = mus()
        .args(["collect", "--format", "json"])
        .arg(&forms)
        .arg(&outside)
        .arg("/dev/null")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for (path, reason) in [
        (fifo.display().to_string(), "FIFO"),
        (other_fifo.display().to_string(), "FIFO"),
        (outside.display().to_string(), "FIFO"),
        ("/dev/null".to_string(), "device"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("error: {path}: ")) && l.contains(reason)),
            "{path} not refused as a {reason}:\n{stderr}"
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["forms"].as_array().expect("forms").len(), 2);
    assert_eq!(json["failed"].as_array().expect("failed").len(), 4);
}

#[cfg(unix)]
#[test]
fn every_symlink_is_named_and_loops_do_not_hang() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let folder = tmp.path().join("indsamlet");
    std::fs::create_dir(&folder).expect("folder");
    symlink(
        forms.join("udviklingsplan-anna-hansen.docx"),
        folder.join("anna.docx"),
    )
    .expect("link");
    symlink(&forms, folder.join("alle-skemaer")).expect("folder link");
    symlink(".", folder.join("mig-selv")).expect("loop to itself");
    symlink("b.docx", folder.join("a.docx")).expect("loop a");
    symlink("a.docx", folder.join("b.docx")).expect("loop b");
    symlink("findes-ikke.docx", folder.join("brudt.docx")).expect("broken");
    symlink(tmp.path().join("roster.csv"), folder.join("liste.csv")).expect("not docx");
    let looped = tmp.path().join("ring.docx");
    symlink(&looped, &looped).expect("loop given by name");

    let output = mus()
        .args(["collect", "--format", "json"])
        .arg(&folder)
        .arg(&looped)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the loop given by name fails: {stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let forms_read = json["forms"].as_array().expect("forms");
    assert_eq!(forms_read.len(), 1, "only the linked form: {json:#}");
    assert_eq!(forms_read[0]["employee"], "Anna Hansen");
    let links = json["links"].as_array().expect("links");
    let link = |name: &str| {
        links
            .iter()
            .find(|l| l["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .unwrap_or_else(|| panic!("{name} in {json:#}"))
    };
    assert_eq!(link("anna.docx")["followed"], true);
    for name in [
        "alle-skemaer",
        "mig-selv",
        "a.docx",
        "b.docx",
        "brudt.docx",
        "liste.csv",
        "ring.docx",
    ] {
        assert_eq!(link(name)["followed"], false, "{name}");
        assert!(link(name)["reason"].is_string(), "{name}");
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("note: ") && l.contains(name) && l.contains("a link to")),
            "{name} not named:\n{stderr}"
        );
    }
    assert_eq!(links.len(), 8);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("error: ") && l.contains("ring.docx")),
        "{stderr}"
    );
}

#[test]
fn other_files_in_a_folder_are_named_not_skipped_silently() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    std::fs::write(forms.join("noter.txt"), "noter").expect("txt");
    std::fs::write(forms.join("budget.xlsx"), "PK").expect("xlsx");
    std::fs::write(forms.join(".mus-manifest.json"), "{}").expect("manifest");
    std::fs::write(forms.join("~$mtaleskema-anna-hansen.docx"), "lock").expect("lock");
    let output = mus().arg("collect").arg(&forms).succeeds();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let note = stderr
        .lines()
        .find(|l| l.contains("not read (not .docx)"))
        .unwrap_or_else(|| panic!("no note on the other files:\n{stderr}"));
    assert!(note.starts_with("note: "), "{note}");
    assert!(note.contains("2 files"), "{note}");
    assert!(
        note.contains("`noter.txt`") && note.contains("`budget.xlsx`"),
        "{note}"
    );
    assert!(
        !stderr.contains(".mus-manifest.json"),
        "hidden files stay quiet"
    );
    assert!(!stderr.contains("~$"), "lock files stay quiet");
    assert!(
        stderr.contains("not a form (one of the guides)"),
        "the guides are named"
    );
}

#[test]
fn formula_cells_are_neutralised_in_the_csv() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let goals = [
        "=HYPERLINK(\"http://x\")",
        "-lære Excel",
        "'+allerede citeret",
    ];
    write_goals(&forms.join("udviklingsplan-anna-hansen.docx"), &goals);
    let output = mus().arg("collect").arg(&forms).succeeds();
    let table = crate::support::CsvTable::parse(&output.stdout);
    let written: Vec<&str> = table
        .column("goal")
        .into_iter()
        .filter(|g| !g.is_empty())
        .collect();
    assert_eq!(
        written,
        [
            "'=HYPERLINK(\"http://x\")",
            "'-lære Excel",
            "''+allerede citeret"
        ]
    );
}

/// A real form, mutated at random, in the zip and inside document.xml: the
/// reader answers `Ok` or `Err` and never panics.
#[test]
fn the_form_reader_never_panics_on_mutated_input() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let form = forms.join("udviklingsplan-anna-hansen.docx");
    write_goals(&form, &["Et mål"]);
    let original = std::fs::read(&form).expect("form");
    assert!(matches!(
        mus::collect::read_form_bytes(&original, "x").expect("the original reads"),
        mus::collect::Found::Form(_)
    ));
    let xml = crate::support::part(&form, "word/document.xml").into_bytes();

    #[derive(Debug, Clone)]
    enum Edit {
        Flip(usize, u8),
        Insert(usize, Vec<u8>),
        Remove(usize, usize),
        Truncate(usize),
    }
    fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
        for edit in edits {
            let len = bytes.len().max(1);
            match edit {
                Edit::Flip(at, mask) => {
                    if let Some(b) = bytes.get_mut(at % len) {
                        *b ^= mask;
                    }
                }
                Edit::Insert(at, new) => {
                    let at = at % (bytes.len() + 1);
                    bytes.splice(at..at, new.iter().copied());
                }
                Edit::Remove(at, n) => {
                    let at = at % len;
                    let end = (at + n).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                Edit::Truncate(at) => bytes.truncate(at % len),
            }
        }
    }
    let edit = prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(a, m)| Edit::Flip(a, m)),
        (
            any::<usize>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..16),
                proptest::sample::select(vec![
                    b"<w:tbl>".to_vec(),
                    b"</w:tr>".to_vec(),
                    b"<w:tc><w:p><w:r><w:t>".to_vec(),
                    b"<!DOCTYPE x>".to_vec(),
                    b"&amp;".to_vec(),
                    b"<w:gridSpan w:val=\"99999999999\"/>".to_vec(),
                ]),
            ]
        )
            .prop_map(|(a, b)| Edit::Insert(a, b)),
        (any::<usize>(), 1..64usize).prop_map(|(a, n)| Edit::Remove(a, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ];
    /// Where the mutations go.
    #[derive(Debug, Clone)]
    enum Target {
        RandomBytes(Vec<u8>),
        Zip(Vec<Edit>),
        Document(Vec<Edit>),
    }
    let target = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512).prop_map(Target::RandomBytes),
        proptest::collection::vec(edit.clone(), 1..6).prop_map(Target::Zip),
        proptest::collection::vec(edit, 1..6).prop_map(Target::Document),
    ];
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let document_path = tmp.path().join("mutated.docx");
    runner
        .run(&target, |target| {
            let bytes = match target {
                Target::RandomBytes(bytes) => bytes,
                Target::Zip(edits) => {
                    let mut bytes = original.clone();
                    apply(&mut bytes, &edits);
                    bytes
                }
                Target::Document(edits) => {
                    let mut mutated = xml.clone();
                    apply(&mut mutated, &edits);
                    std::fs::copy(&form, &document_path).expect("copy");
                    edit_document(&document_path, |_| {
                        String::from_utf8_lossy(&mutated).into_owned()
                    });
                    std::fs::read(&document_path).expect("mutated form")
                }
            };
            // Ok or Err are both answers; a panic fails the test.
            let _ = mus::collect::read_form_bytes(&bytes, "mutated.docx");
            Ok(())
        })
        .expect("no input makes the reader panic");
}

#[test]
fn the_output_is_the_same_with_one_thread_or_several() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    // A copy and a stranger, so notes and failures are ordered too.
    std::fs::copy(
        forms.join("udviklingsplan-anna-hansen.docx"),
        forms.join("udviklingsplan-anna-hansen - Kopi.docx"),
    )
    .expect("copy");
    std::fs::write(forms.join("gammel.docx"), b"not a zip").expect("stranger");
    let run = |jobs: &str| {
        mus()
            .args(["collect", "--format", "json", "--jobs", jobs])
            .arg(&forms)
            .output()
            .expect("runs")
    };
    let one = run("1");
    let two = run("4");
    assert_eq!(one.status.code(), Some(1), "the stranger fails");
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stderr, two.stderr);
    assert!(String::from_utf8_lossy(&one.stderr).contains("identical copy"));
}

#[test]
fn who_is_responsible_and_how_the_goal_is_seen_reached_are_collected_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let form = forms.join("udviklingsplan-soeren-aeroe.docx");
    // All six cells of the first goal row, as the two filled them in.
    let cells = [
        "Lære Power BI",
        "Kursus",
        "Foråret",
        "Juni",
        "Søren",
        "Månedsrapporten laves i Power BI",
    ];
    edit_document(&form, |xml| {
        let (start, end) = goals_table_span(&xml);
        let mut table = xml[start..end].to_string();
        let row = table
            .match_indices("<w:tr>")
            .nth(1)
            .expect("first goal row")
            .0;
        let mut filled = table[row..].to_string();
        for cell in cells {
            filled = filled.replacen(
                "<w:t xml:space=\"preserve\"></w:t>",
                &format!("<w:t xml:space=\"preserve\">{cell}</w:t>"),
                1,
            );
        }
        table.replace_range(row.., &filled);
        format!("{}{table}{}", &xml[..start], &xml[end..])
    });
    let (json, _) = collect_json(&[&form]);
    let goal = crate::collect_json::goals_of_form(&json, &json["forms"][0])[0];
    assert_eq!(goal["responsible"], "Søren", "{json:#}");
    assert_eq!(goal["how_reached"], "Månedsrapporten laves i Power BI");
    assert_eq!(
        goal["follow_up"], "Juni",
        "the last two columns are not follow-up"
    );

    let csv = tmp.path().join("maal.csv");
    mus()
        .arg("collect")
        .arg(&form)
        .arg("-o")
        .arg(&csv)
        .succeeds();
    let table = crate::support::CsvTable::read(&csv);
    assert_eq!(table.cell(0, "responsible"), "Søren");
    assert_eq!(
        table.cell(0, "how_reached"),
        "Månedsrapporten laves i Power BI"
    );
    // Read back (followup, report, --previous read the same way), the goal is whole.
    mus()
        .arg("followup")
        .arg(&csv)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(tmp.path().join("opf"))
        .succeeds();
}

/// Issue 19: a form as `mus` wrote it is no interview held, and the pair's
/// notes are in no file that `collect` reads goals from.
#[test]
fn untouched_plans_are_not_held_and_notes_stay_in_the_interview_form() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let roster = tmp.path().join("roster.csv");
    std::fs::write(&roster, "navn;enhed;dato\nAnna Hansen;IT;2027-02-15\nBo Lund;IT;2027-02-16\nCarl Dahl;IT;2027-02-17\n").expect("roster");
    let out = tmp.path().join("forms");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("-o")
        .arg(&out)
        .succeeds();
    // Anna's interview: a note in every note box, goals in the plan.
    let note = "HEMMELIG-NOTE-4711";
    let form = out.join("samtaleskema-anna-hansen.docx");
    edit_document(&form, |xml| {
        // Before every paragraph: in every note box, and everywhere else.
        xml.replace(
            "<w:p w14:paraId=",
            &format!("<w:p><w:r><w:t>{note}</w:t></w:r></w:p><w:p w14:paraId="),
        )
    });
    assert!(crate::support::part(&form, "word/document.xml").contains(note));
    write_goals(
        &out.join("udviklingsplan-anna-hansen.docx"),
        &["Lære Python"],
    );
    // Bo's plan: held, no goal written.
    write_held(&out.join("udviklingsplan-bo-lund.docx"), "16. februar 2027");
    let (json, output) = collect_json(&[&out]);
    let err = stderr(&output);
    let text = json.to_string();
    assert!(!text.contains(note), "{text}");
    let employees: Vec<&str> = json["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .map(|f| f["employee"].as_str().expect("employee"))
        .collect();
    assert_eq!(
        employees,
        ["Anna Hansen", "Bo Lund"],
        "Carl's plan is untouched"
    );
    assert_eq!(json["not_filled_in"].as_array().expect("list").len(), 1);
    assert!(
        err.contains("not filled in, so not counted as interviews held (1)")
            && err.contains("udviklingsplan-carl-dahl.docx"),
        "{err}"
    );
    assert_eq!(
        json["notes_forms"].as_array().expect("notes").len(),
        3,
        "{err}"
    );
    // Every form has its id, the same in the interview form and the plan.
    let id = json["forms"][0]["id"].as_str().expect("id");
    assert_eq!(id.len(), 13);
    assert!(crate::support::part(&form, "word/document.xml").contains(id));
}

/// Issue 24: copies of one plan saved again (other bytes, the same form id),
/// as Word and OneDrive name them, are one interview, counted once and named.
#[test]
fn resaved_copies_of_one_plan_count_once_with_a_note() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = roster_forms(tmp.path());
    let anna = forms.join("udviklingsplan-anna-hansen.docx");
    write_goals(&anna, &["Et mål"]);
    for n in 2..=5 {
        let copy = forms.join(format!("udviklingsplan-anna-hansen ({n}).docx"));
        std::fs::copy(&anna, &copy).expect("copy");
        // Saved again: other bytes, the same interview.
        edit_document(&copy, |xml| xml.replace("Et mål", &format!("Et mål v{n}")));
    }
    let (json, output) = collect_json(&[&forms]);
    let err = stderr(&output);
    let annas = json["forms"]
        .as_array()
        .expect("forms")
        .iter()
        .filter(|f| f["employee"] == "Anna Hansen")
        .count();
    assert_eq!(annas, 1, "{err}");
    assert_eq!(err.matches("the same interview as").count(), 4, "{err}");
    // A CSV joined from two collections that both hold her is refused.
    let csv = mus().arg("collect").arg(&forms).succeeds().stdout;
    let text = String::from_utf8(csv).expect("utf-8");
    let header = text.lines().next().expect("header");
    let joined = format!(
        "{text}{}\n",
        text.lines()
            .skip(1)
            .find(|l| l.contains("Anna Hansen"))
            .map(|row| format!("andet/{row}"))
            .expect("anna")
    );
    assert!(joined.starts_with(header));
    let path = tmp.path().join("samlet.csv");
    std::fs::write(&path, joined).expect("csv");
    let output = mus()
        .arg("report")
        .arg(&path)
        .arg(example("eksempelstyrelsen.yaml"))
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        std::fs::read_to_string(&path).expect("csv")
    );
    assert!(
        stderr(&output).contains("the same interview twice"),
        "{}",
        stderr(&output)
    );
}
