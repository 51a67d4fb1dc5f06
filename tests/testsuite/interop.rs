//! Interop: the documents open in LibreOffice (converted to PDF) and in
//! python-docx, and pass the OOXML schema validator. These tests need the
//! tools, so they are `#[ignore]`d: `cargo test -- --include-ignored` runs
//! them (as `.ci/run` does), and a missing tool fails them.

use std::path::Path;
use std::process::Command;

use crate::support::*;

fn generate_all(out: &Path) {
    for example_name in [
        "eksempelstyrelsen.yaml",
        "kontor-for-oekonomi.yaml",
        "international-unit.yaml",
    ] {
        let dir = out.join(example_name.trim_end_matches(".yaml"));
        mus()
            .args(["generate", "-o"])
            .arg(&dir)
            .arg(example(example_name))
            .succeeds();
    }
}

#[test]
#[ignore = "needs LibreOffice"]
fn libreoffice_converts_every_document_to_pdf() {
    let soffice = which("soffice");
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_all(tmp.path());
    let pdf_dir = tmp.path().join("pdf");
    for (i, docx) in files_below(tmp.path()).iter().enumerate() {
        let target = pdf_dir.join(i.to_string());
        let status = soffice_convert(
            soffice.as_deref().unwrap_or("soffice"),
            tmp.path(),
            "pdf",
            &target,
            docx,
        );
        let pdf_name = docx.with_extension("pdf");
        let pdf =
            std::fs::read(target.join(pdf_name.file_name().expect("name"))).unwrap_or_else(|_| {
                panic!(
                    "no PDF for {}: {}",
                    docx.display(),
                    String::from_utf8_lossy(&status.stdout)
                )
            });
        assert!(pdf.starts_with(b"%PDF"), "{} is a PDF", docx.display());
        assert!(pdf_pages(&pdf) >= 1, "{} has pages", docx.display());
    }
}

/// Counts `/Type /Page` objects (not `/Pages`) in a PDF.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type")
        .filter(|(at, _)| {
            let rest = text[at + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}

const PYTHON_READER: &str = r#"
import sys, docx
for path in sys.argv[1:]:
    d = docx.Document(path)
    s = d.sections[0]
    print("FILE", path.rsplit("/", 1)[-1], round(s.page_width.cm, 1), round(s.page_height.cm, 1), len(d.tables))
    for p in d.paragraphs:
        if p.style.name.startswith("Heading") or p.style.name == "Title":
            print(p.style.name + "|" + p.text)
"#;

#[test]
#[ignore = "needs python-docx"]
fn python_docx_opens_every_document_and_finds_the_headings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_all(tmp.path());
    let form = tmp.path().join("eksempelstyrelsen/samtaleskema.docx");
    let files = files_below(tmp.path());
    let output = Command::new("python3")
        .args(["-c", PYTHON_READER])
        .args(&files)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.matches("FILE ").count(), 18, "{text}");
    for line in text.lines().filter(|l| l.starts_with("FILE ")) {
        // The development plan is A4 across the page.
        let a4 = match line.contains("udviklingsplan") || line.contains("opfoelgning") {
            true => " 29.7 21.0 ",
            false => " 21.0 29.7 ",
        };
        assert!(line.contains(a4), "A4: {line}");
    }
    // The form's Heading 1 paragraphs, as python-docx sees them, match our reading.
    let ours: Vec<String> = paragraphs_with_style(&body(&form), "Heading1");
    let start = text.find("FILE samtaleskema.docx").expect("form listed");
    let theirs: Vec<String> = text[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("FILE "))
        .filter_map(|l| l.strip_prefix("Heading 1|"))
        .map(str::to_string)
        .collect();
    assert!(ours.len() >= 8, "{ours:?}");
    assert_eq!(theirs, ours);
}

/// Converts `file` with LibreOffice into `format` (`pdf`, `docx:…`) in
/// `outdir`, with its own profile under `work`, and fails the test if it fails.
pub fn soffice_convert(
    soffice: &str,
    work: &Path,
    format: &str,
    outdir: &Path,
    file: &Path,
) -> std::process::Output {
    let output = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(outdir)
        .arg(file)
        .output()
        .expect("soffice runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `file` saved again by LibreOffice as a Word document, as a user who
/// fills a form in LibreOffice does: the copy in `work/gemt/`.
pub fn soffice_resave(soffice: &str, work: &Path, file: &Path) -> std::path::PathBuf {
    let resaved = work.join("gemt");
    let output = soffice_convert(soffice, work, "docx:MS Word 2007 XML", &resaved, file);
    let copy = resaved.join(file.file_name().expect("a file name"));
    assert!(
        copy.is_file(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    copy
}

pub fn which(program: &str) -> Option<String> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

#[test]
#[ignore = "needs openxml-audit"]
fn every_document_passes_the_ooxml_schema_validator() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_all(tmp.path());
    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "navn;leder;enhed;dato;tilvalg\nAnna & Bo <A/S>;Kim;IT;2027-02-01;mobilitet\n",
    )
    .expect("roster");
    let previous = tmp.path().join("sidste-aar.csv");
    std::fs::write(
        &previous,
        "file,employee,manager,unit,date,goal,activities,when,follow_up\na.docx,Anna & Bo <A/S>,Kim,IT,2026-02-01,Mål & <mere>,,,Juni\n",
    )
    .expect("previous");
    let config = example("eksempelstyrelsen.yaml");
    let forms = tmp.path().join("forms");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("--previous")
        .arg(&previous)
        .arg("-o")
        .arg(&forms)
        .arg(&config)
        .succeeds();
    assert!(all_text(&body(&forms.join("samtaleskema-anna-bo-as.docx"))).contains("Mål & <mere>"));
    for args in [["followup", "-o", "opf"], ["report", "-o", "rapport.docx"]] {
        mus()
            .arg(args[0])
            .arg(&previous)
            .arg(&config)
            .arg(args[1])
            .arg(tmp.path().join(args[2]))
            .succeeds();
    }
    // The English follow-up form and report, with their English tables.
    for args in [
        ["followup", "-o", "en-opf"],
        ["report", "-o", "en-rapport.docx"],
    ] {
        mus()
            .arg(args[0])
            .arg(&previous)
            .arg(example("international-unit.yaml"))
            .arg(args[1])
            .arg(tmp.path().join(args[2]))
            .succeeds();
    }
    let files = files_below(tmp.path());
    let docx: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    assert_eq!(
        docx.len(),
        28,
        "forms, guides, a form with last year's goals, follow-up forms, reports, in Danish and English"
    );
    let output = Command::new("openxml-audit")
        .args(["-m", "0", "-o", "json", "-f", "office2016", "-r"])
        .arg(tmp.path())
        .output()
        .expect("openxml-audit runs");
    let reports: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "json from openxml-audit: {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let reports = reports.as_array().expect("one report per file");
    assert_eq!(reports.len(), 28, "every document validated");
    for report in reports {
        assert_eq!(report["error_count"], 0, "{report:#}");
        assert_eq!(report["valid"], true, "{report:#}");
    }
}
