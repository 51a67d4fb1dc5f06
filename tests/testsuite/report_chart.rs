//! `mus report`'s chart as a reader and Word's "Edit data" meet it: a
//! title, colours a reader with low vision tells from the page (WCAG 2.1
//! 1.4.11: 3:1 for graphics), values on the bars, and the data in an
//! embedded workbook the series' formulas point into.

use std::io::Read;

use crate::report::report_with_table_and_chart;

/// WCAG 2.1's contrast ratio of an sRGB colour (`RRGGBB`) against white,
/// from the relative luminance of each.
fn contrast_against_white(hex: &str) -> f64 {
    let channel = |i: usize| -> f64 {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex colour")) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    (1.0 + 0.05) / (luminance + 0.05)
}

#[test]
fn the_contrast_formula_gives_wcags_known_ratios() {
    assert!((contrast_against_white("000000") - 21.0).abs() < 0.01);
    assert!((contrast_against_white("FFFFFF") - 1.0).abs() < 0.01);
    // WCAG's grey that just passes 4.5:1 for text.
    assert!((contrast_against_white("767676") - 4.54).abs() < 0.01);
}

/// The chart has a title in the report's language, every colour in it (the
/// bars and the gridlines) is at least 3:1 against the white page, and
/// each series shows its values on the bars, so colour is not the only cue.
#[test]
fn the_chart_has_a_title_colours_of_3_to_1_and_values_on_the_bars() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());
    let chart = crate::support::part(&report, "word/charts/chart1.xml");
    let doc = roxmltree::Document::parse(&chart).expect("well-formed chart");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .map(|t| {
            t.descendants()
                .filter(|n| n.has_tag_name("t"))
                .filter_map(|n| n.text())
                .collect::<String>()
        })
        .unwrap_or_default();
    assert_eq!(title, "Skriftlige mål og opfølgning pr. enhed", "{chart}");
    let deleted = doc
        .descendants()
        .find(|n| n.has_tag_name("autoTitleDeleted"))
        .and_then(|n| n.attribute("val"));
    assert_ne!(deleted, Some("1"), "the title is shown");

    let colours: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("srgbClr"))
        .filter_map(|n| n.attribute("val"))
        .collect();
    assert!(colours.len() >= 2, "{chart}");
    for colour in &colours {
        let ratio = contrast_against_white(colour);
        assert!(ratio >= 3.0, "`{colour}` is {ratio:.2}:1 against white");
    }
    for ser in doc.descendants().filter(|n| n.has_tag_name("ser")) {
        let shows_values = ser
            .descendants()
            .filter(|n| n.has_tag_name("showVal"))
            .any(|n| n.attribute("val") == Some("1"));
        assert!(shows_values, "each series shows its values: {chart}");
    }
}

const WORKBOOK: &str = "word/embeddings/Microsoft_Excel_Worksheet.xlsx";

/// The bytes of the entry `name` of a zip: a `.docx`, or the workbook in one.
fn entry(zip: impl std::io::Read + std::io::Seek, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(zip).expect("a zip");
    let mut bytes = Vec::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the zip"))
        .read_to_end(&mut bytes)
        .expect("the entry reads");
    bytes
}

/// The cells of the workbook's first sheet, by reference (`B2`), with
/// shared strings put in.
fn cells(workbook: &[u8]) -> std::collections::BTreeMap<String, String> {
    let text =
        |name: &str| String::from_utf8(entry(std::io::Cursor::new(workbook), name)).expect("utf-8");
    let strings = text("xl/sharedStrings.xml");
    let strings = roxmltree::Document::parse(&strings).expect("shared strings");
    let strings: Vec<String> = strings
        .descendants()
        .filter(|n| n.has_tag_name("si"))
        .map(|si| {
            si.descendants()
                .filter(|n| n.has_tag_name("t"))
                .filter_map(|n| n.text())
                .collect()
        })
        .collect();
    let sheet = text("xl/worksheets/sheet1.xml");
    let sheet = roxmltree::Document::parse(&sheet).expect("sheet");
    sheet
        .descendants()
        .filter(|n| n.has_tag_name("c"))
        .filter_map(|c| {
            let value = c.children().find(|n| n.has_tag_name("v"))?.text()?;
            let value = match c.attribute("t") {
                Some("s") => strings[value.parse::<usize>().expect("index")].clone(),
                _ => value.to_string(),
            };
            Some((c.attribute("r")?.to_string(), value))
        })
        .collect()
}

/// The chart's data is in an embedded workbook that the chart links to, with
/// the units down column A and a column per series, as the series' formulas
/// say: Word's "Edit data" opens it.
#[test]
fn the_chart_has_its_data_in_an_embedded_workbook_its_formulas_point_into() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());

    let types = crate::support::part(&report, "[Content_Types].xml");
    assert!(
        types.contains(r#"<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>"#),
        "{types}"
    );
    let rels = crate::support::part(&report, "word/charts/_rels/chart1.xml.rels");
    let rels = roxmltree::Document::parse(&rels).expect("relationships");
    let link = rels
        .descendants()
        .find(|n| n.has_tag_name("Relationship"))
        .expect("the chart has a relationship");
    assert_eq!(
        link.attribute("Type"),
        Some("http://schemas.openxmlformats.org/officeDocument/2006/relationships/package")
    );
    assert_eq!(
        link.attribute("Target"),
        Some("../embeddings/Microsoft_Excel_Worksheet.xlsx")
    );
    let chart = crate::support::part(&report, "word/charts/chart1.xml");
    let doc = roxmltree::Document::parse(&chart).expect("chart");
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let external = doc
        .descendants()
        .find(|n| n.has_tag_name("externalData"))
        .and_then(|n| n.attribute((r, "id")));
    assert_eq!(external, link.attribute("Id"), "{chart}");
    let formulas: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("f"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        formulas,
        [
            "Sheet1!$B$1",
            "Sheet1!$A$2:$A$3",
            "Sheet1!$B$2:$B$3",
            "Sheet1!$C$1",
            "Sheet1!$A$2:$A$3",
            "Sheet1!$C$2:$C$3",
        ]
    );

    let workbook = entry(std::fs::File::open(&report).expect("report"), WORKBOOK);
    let book = String::from_utf8(entry(std::io::Cursor::new(&workbook), "xl/workbook.xml"))
        .expect("utf-8");
    assert!(book.contains(r#"<sheet name="Sheet1""#), "{book}");
    let cells = cells(&workbook);
    let expected = [
        ("A2", "Digitalisering"),
        ("A3", "Økonomi"),
        ("B1", "Samtaler med skriftlige mål"),
        ("B2", "0.8"),
        ("B3", "0.8"),
        ("C1", "Mål fulgt op"),
        ("C2", "0"),
        ("C3", "0"),
    ];
    for (at, value) in expected {
        assert_eq!(
            cells.get(at).map(String::as_str),
            Some(value),
            "{at}: {cells:?}"
        );
    }
}

/// The embedded workbook is stamped with the document's date, as the
/// document is, not with the clock: the same input gives the same bytes.
#[test]
fn the_embedded_workbook_is_created_at_the_document_date() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());
    let created = |core: &str| -> String {
        let doc = roxmltree::Document::parse(core).expect("core properties");
        doc.descendants()
            .find(|n| n.has_tag_name("created"))
            .and_then(|n| n.text())
            .expect("a creation time")
            .to_string()
    };
    let document = created(&crate::support::part(&report, "docProps/core.xml"));
    let workbook = entry(std::fs::File::open(&report).expect("report"), WORKBOOK);
    let core = String::from_utf8(entry(std::io::Cursor::new(&workbook), "docProps/core.xml"))
        .expect("utf-8");
    assert_eq!(created(&core), document);

    let again_dir = tmp.path().join("again");
    std::fs::create_dir(&again_dir).expect("a second folder");
    let again = report_with_table_and_chart(&again_dir);
    assert!(
        std::fs::read(&report).expect("report") == std::fs::read(&again).expect("again"),
        "the same input, the same bytes"
    );
}

const OPENPYXL_READER: &str = r#"
import io, sys, zipfile, openpyxl
data = zipfile.ZipFile(sys.argv[1]).read("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
sheet = openpyxl.load_workbook(io.BytesIO(data)).active
print(sheet.title)
for row in sheet.iter_rows(values_only=True):
    print("|".join("" if v is None else str(v) for v in row))
"#;

/// openpyxl, a reader other than ours, opens the embedded workbook and finds
/// the chart's names and values.
#[test]
#[ignore = "needs python3 openpyxl"]
fn openpyxl_opens_the_embedded_workbook() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());
    let output = std::process::Command::new("python3")
        .args(["-c", OPENPYXL_READER])
        .arg(&report)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "Sheet1",
            "|Samtaler med skriftlige mål|Mål fulgt op",
            "Digitalisering|0.8|0",
            "Økonomi|0.8|0",
        ],
        "{text}"
    );
}

/// LibreOffice's PDF export drops a chart's description, so the paragraph
/// right after the chart states its figures in words, unit by unit.
#[test]
fn the_paragraph_after_the_chart_states_its_figures() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = report_with_table_and_chart(tmp.path());
    let document = crate::support::part(&report, "word/document.xml");
    let doc = roxmltree::Document::parse(&document).expect("document");
    let chart = doc
        .descendants()
        .find(|n| n.has_tag_name("chart"))
        .and_then(|n| n.ancestors().find(|a| a.has_tag_name("p")))
        .expect("the chart's paragraph");
    let after: String = chart
        .next_siblings()
        .skip(1)
        .find(|n| n.has_tag_name("p"))
        .map(|p| {
            p.descendants()
                .filter(|n| n.has_tag_name("t"))
                .filter_map(|n| n.text())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        after.ends_with("Digitalisering: 80 % og 0 %; Økonomi: 80 % og 0 %."),
        "{after}"
    );
}
