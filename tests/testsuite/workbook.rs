//! Excel workbooks in and out: a roster as `.xlsx` (the first sheet or
//! `--sheet`), read with the CSV's column rules; `.xls`, `.ods` and
//! password-protected workbooks refused with what to do; the collected
//! goals written as a workbook and read back by `followup`, `report` and
//! `--previous` exactly as the CSV.

use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;

use crate::dates::{form_dates, generate};
use crate::support::*;

/// A workbook at `dir/name` with one sheet per `(name, rows)`.
fn workbook(dir: &Path, name: &str, sheets: &[(&str, &[&[&str]])]) -> PathBuf {
    let mut book = Workbook::new();
    for (sheet_name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*sheet_name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write(r as u32, c as u16, *cell).expect("cell");
                }
            }
        }
    }
    let path = dir.join(name);
    book.save(&path).expect("saves");
    path
}

#[test]
fn an_xlsx_roster_is_read_with_the_csv_s_column_rules() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let roster = workbook(
        tmp.path(),
        "medarbejdere.xlsx",
        &[(
            "Ark1",
            &[
                &["Navn", "Leder", "Enhed", "Dato", "Tilvalg", "Lønnummer"],
                &[
                    "Søren Ærø",
                    "Bodil Åen",
                    "Økonomi",
                    "01-03-2027",
                    "innovation",
                    "17",
                ],
                &[],
                &["Anna Hansen", "Bodil Åen", "", "2. marts 2027", "", "18"],
            ],
        )],
    );
    let out = tmp.path().join("out");
    let output = generate(&roster, &out);
    assert!(output.status.success(), "{}", stderr(&output));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("medarbejdere.xlsx: ignoring 1 unknown column(s): `Lønnummer`"),
        "{stderr}"
    );
    assert_eq!(
        form_dates(&out),
        [
            ("Anna Hansen".to_string(), "2. marts 2027".to_string()),
            ("Søren Ærø".to_string(), "1. marts 2027".to_string()),
        ]
    );
    let soeren = body(&out.join("samtaleskema-soeren-aeroe.docx"));
    let info = &table_with_bookmark(&soeren, "mus_info").rows;
    assert_eq!(info[1][1], "Bodil Åen");
    assert_eq!(info[2][1], "Økonomi");
}

#[test]
fn an_xlsx_roster_s_bad_rows_are_named_by_their_excel_row_and_column() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let roster = workbook(
        tmp.path(),
        "medarbejdere.xlsx",
        &[(
            "Ark1",
            &[
                &["navn", "dato"],
                &["Anna", "snart"],
                &["", "2027-03-01"],
                &["Bo", "innovation, innovation"],
            ],
        )],
    );
    let output = generate(&roster, &tmp.path().join("out"));
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("medarbejdere.xlsx:2:2: row 2: `snart` is not a date"),
        "{stderr}"
    );
    assert!(
        stderr.contains("medarbejdere.xlsx:3:1: row 3 has no name"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 rows have a date that cannot be read"),
        "{stderr}"
    );
}

#[test]
fn sheet_chooses_the_sheet_and_a_missing_one_lists_those_there_are() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let roster = workbook(
        tmp.path(),
        "hr.xlsx",
        &[
            ("Forside", &[&["Eksport fra HR-systemet"]]),
            ("Medarbejdere", &[&["navn"], &["Carl"]]),
        ],
    );
    let out = tmp.path().join("out");
    let output = mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .args(["--sheet", "Medarbejdere", "-o"])
        .arg(&out)
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join("samtaleskema-carl.docx").is_file());
    // The first sheet, without --sheet: it has no `navn` column.
    let output = generate(&roster, &tmp.path().join("out2"));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("hr.xlsx:1:1: the roster has no `navn`"),
        "{}",
        stderr(&output)
    );
    let output = mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .args(["--sheet", "Ark1", "-o"])
        .arg(tmp.path().join("out3"))
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no sheet `Ark1`; its sheets: `Forside`, `Medarbejdere`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_workbook_named_csv_is_read_as_a_workbook_and_sheet_on_a_csv_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let named_csv = workbook(
        tmp.path(),
        "liste.csv",
        &[("Ark1", &[&["navn"], &["Dorte"]])],
    );
    let out = tmp.path().join("out");
    let output = generate(&named_csv, &out);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join("samtaleskema-dorte.docx").is_file());
    let csv = tmp.path().join("rigtig.csv");
    std::fs::write(&csv, "navn\nDorte\n").expect("csv");
    let output = mus()
        .args(["generate", "--roster"])
        .arg(&csv)
        .args(["--sheet", "Ark1", "-o"])
        .arg(tmp.path().join("out2"))
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("`--sheet` names a sheet of a workbook"),
        "{}",
        stderr(&output)
    );
}

/// A compound file (OLE) header, as an `.xls` or an encrypted `.xlsx` starts.
fn compound_file(streams: &[&str]) -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    for name in streams {
        let mut entry: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.resize(128, 0);
        bytes.extend(entry);
    }
    bytes
}

/// An OpenDocument spreadsheet's package, as LibreOffice starts one.
fn ods() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).expect("entry");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    zip.start_file("content.xml", stored).expect("entry");
    zip.write_all(b"<office:document-content/>").expect("write");
    zip.finish().expect("zip").into_inner()
}

#[test]
fn xls_ods_and_password_protected_workbooks_are_refused_with_what_to_do() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (name, bytes, what) in [
        (
            "gammel.xls",
            compound_file(&["Workbook"]),
            "an old Excel workbook (.xls)",
        ),
        (
            "beskyttet.xlsx",
            compound_file(&["EncryptionInfo", "EncryptedPackage"]),
            "password-protected",
        ),
        ("libre.ods", ods(), "an OpenDocument spreadsheet (.ods)"),
    ] {
        let roster = tmp.path().join(name);
        std::fs::write(&roster, bytes).expect("roster");
        let out = tmp.path().join(format!("out-{name}"));
        let output = generate(&roster, &out);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let stderr = stderr(&output);
        assert!(
            stderr.contains(name) && stderr.contains(what),
            "{name}: {stderr}"
        );
        assert!(stderr.contains("save it as .xlsx"), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: nothing is written");
        // In Danish, the advice HR can follow in Excel.
        let output = mus()
            .args(["--lang", "da", "generate", "--roster"])
            .arg(&roster)
            .arg("-o")
            .arg(&out)
            .arg(example("eksempelstyrelsen.yaml"))
            .output()
            .expect("runs");
        assert!(
            crate::support::stderr(&output).contains("gem den som .xlsx eller CSV i Excel"),
            "{name}: {}",
            crate::support::stderr(&output)
        );
    }
}
