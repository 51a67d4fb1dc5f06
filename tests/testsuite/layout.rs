//! Page layout: what stays together on a page (LibreOffice renders the PDF,
//! pdftotext reads its pages), and the package settings that make text a
//! user adds in Word behave like ours.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// Converts `files` to PDF in one LibreOffice run and returns each PDF's
/// pages as text, in the order of `files`.
fn pdf_pages_text(work: &Path, files: &[PathBuf]) -> Vec<Vec<String>> {
    let pdf_dir = work.join("pdf");
    let output = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .args(files)
        .output()
        .expect("soffice runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    files
        .iter()
        .map(|file| {
            let pdf = pdf_dir.join(file.with_extension("pdf").file_name().expect("name"));
            let text = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext runs");
            String::from_utf8_lossy(&text.stdout)
                .split('\u{c}')
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Forms of the example with 1 to `n` goal rows: the signature block lands
/// at every place on its page, across a page break too.
fn forms_with_goal_rows(dir: &Path, n: u32) -> Vec<PathBuf> {
    (1..=n)
        .map(|rows| {
            let config = dir.join(format!("rows-{rows}.yaml"));
            std::fs::write(
                &config,
                format!(
                    "extends: {}\ngoal_rows: {rows}\n",
                    example("kontor-for-oekonomi.yaml").display()
                ),
            )
            .expect("config");
            let out = dir.join(format!("out-{rows}"));
            mus()
                .args(["generate", "-o"])
                .arg(&out)
                .arg(&config)
                .succeeds();
            let form = dir.join(format!("form-{rows}.docx"));
            std::fs::copy(out.join("udviklingsplan.docx"), &form).expect("copy");
            form
        })
        .collect()
}

#[test]
#[ignore = "needs LibreOffice and pdftotext"]
fn the_signature_heading_labels_and_lines_stay_on_one_page() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = forms_with_goal_rows(tmp.path(), 12);
    let pdfs = pdf_pages_text(tmp.path(), &forms);
    for (form, pages) in forms.iter().zip(pdfs) {
        let heading = pages
            .iter()
            .rposition(|p| p.contains("Underskrifter"))
            .expect("signature heading");
        let page = &pages[heading];
        let after = &page[page.rfind("Underskrifter").unwrap_or(0)..];
        for label in ["Medarbejder", "Leder", "Dato", "Underskrift\n"] {
            assert!(
                after.contains(label),
                "{}: `{label}` is not on the page of the signature heading (page {})",
                form.display(),
                heading + 1
            );
        }
        // What follows the block (who sees the plan) may go on; no line of it.
        assert!(
            pages[heading + 1..]
                .iter()
                .all(|p| !p.contains("Underskrift") && !p.contains("Dato\n")),
            "{}: nothing of the block after its page",
            form.display()
        );
    }
}

/// Writes a copy of `form` with every goal row filled with long text that
/// starts `GOALSTART<n>` and ends `GOALEND<n>`, as a talkative pair would.
pub fn fill_goals_with_long_text(form: &Path, filled: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(form).expect("form")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(filled).expect("create"));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        if name == "word/document.xml" {
            let xml = String::from_utf8(bytes).expect("utf-8");
            let at = xml.find("mus_udviklingsmaal").expect("goals table");
            let end = at + xml[at..].find("</w:tbl>").expect("table end");
            let mut table = xml[at..end].to_string();
            let mut row = 0;
            let empty = "<w:t xml:space=\"preserve\"></w:t>";
            let mut cell = 0;
            while let Some(pos) = table.find(empty) {
                if cell % 6 == 0 {
                    row += 1;
                }
                let words = "Vi aftaler et konkret mål med aktiviteter, en ansvarlig og en dato. "
                    .repeat(4);
                let text = format!("GOALSTART{row} {words} GOALEND{row}");
                table.replace_range(
                    pos..pos + empty.len(),
                    &format!("<w:t xml:space=\"preserve\">{text}</w:t>"),
                );
                cell += 1;
            }
            bytes = format!("{}{}{}", &xml[..at], table, &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("finish");
}

#[test]
#[ignore = "needs LibreOffice and pdftotext"]
fn a_goal_row_filled_with_long_text_never_splits_across_pages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    std::fs::write(
        &config,
        format!(
            "extends: {}\ngoal_rows: 8\n",
            example("eksempelstyrelsen.yaml").display()
        ),
    )
    .expect("config");
    let out = tmp.path().join("out");
    mus()
        .args(["generate", "-o"])
        .arg(&out)
        .arg(&config)
        .succeeds();
    let filled = tmp.path().join("filled.docx");
    fill_goals_with_long_text(&out.join("udviklingsplan.docx"), &filled);
    let pdfs = pdf_pages_text(tmp.path(), std::slice::from_ref(&filled));
    let pages = &pdfs[0];
    let page_of = |marker: &str| {
        pages
            .iter()
            .position(|p| p.contains(marker))
            .unwrap_or_else(|| panic!("{marker} not in the PDF"))
    };
    let first = page_of("GOALSTART1 ");
    let last = page_of("GOALEND8");
    assert!(
        last > first,
        "the filled table runs over more than one page"
    );
    for row in 1..=8 {
        assert_eq!(
            page_of(&format!("GOALSTART{row} ")),
            page_of(&format!("GOALEND{row}")),
            "goal row {row} is split across pages"
        );
    }
}

fn generated_form(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    mus()
        .args(["generate", "-o"])
        .arg(&out)
        .arg(example("kontor-for-oekonomi.yaml"))
        .succeeds();
    out
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn style<'a>(doc: &'a roxmltree::Document<'a>, id: &str) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.has_tag_name((W, "style")) && n.attribute((W, "styleId")) == Some(id))
        .unwrap_or_else(|| panic!("style {id}"))
}

fn has(node: roxmltree::Node, tag: &str) -> bool {
    node.descendants().any(|n| n.has_tag_name((W, tag)))
}

#[test]
fn heading_and_list_styles_behave_for_text_a_user_adds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = generated_form(tmp.path());
    let form = out.join("samtaleskema.docx");
    let styles = part(&form, "word/styles.xml");
    let doc = roxmltree::Document::parse(&styles).expect("styles");
    for id in ["Heading1", "Heading2", "Heading3"] {
        assert!(has(style(&doc, id), "keepNext"), "{id} keeps with next");
    }
    let numbering = part(&form, "word/numbering.xml");
    let numbering = roxmltree::Document::parse(&numbering).expect("numbering");
    for id in ["ListBullet", "ListNumber"] {
        let num_id = style(&doc, id)
            .descendants()
            .find(|n| n.has_tag_name((W, "numId")))
            .and_then(|n| n.attribute((W, "val")))
            .unwrap_or_else(|| panic!("{id} is linked to a numbering"));
        assert!(
            numbering
                .descendants()
                .any(|n| n.has_tag_name((W, "num")) && n.attribute((W, "numId")) == Some(num_id)),
            "{id}'s numbering {num_id} exists"
        );
    }
}

#[test]
fn numbering_holds_only_definitions_something_refers_to() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = generated_form(tmp.path());
    for document in files_below(&out) {
        let numbering = part(&document, "word/numbering.xml");
        let numbering = roxmltree::Document::parse(&numbering).expect("numbering");
        let used: String =
            part(&document, "word/document.xml") + &part(&document, "word/styles.xml");
        let used_nums: Vec<&str> = numbering
            .descendants()
            .filter(|n| n.has_tag_name((W, "num")))
            .filter_map(|n| n.attribute((W, "numId")))
            .collect();
        for num in &used_nums {
            assert!(
                used.contains(&format!("<w:numId w:val=\"{num}\" />")),
                "{}: numbering {num} is used",
                document.display()
            );
        }
        for abstract_num in numbering
            .descendants()
            .filter(|n| n.has_tag_name((W, "abstractNum")))
            .filter_map(|n| n.attribute((W, "abstractNumId")))
        {
            assert!(
                numbering
                    .descendants()
                    .any(|n| n.has_tag_name((W, "abstractNumId"))
                        && n.attribute((W, "val")) == Some(abstract_num)),
                "{}: list definition {abstract_num} is used",
                document.display()
            );
        }
    }
}

#[test]
fn package_properties_name_title_language_and_application() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = generated_form(tmp.path());
    let form = out.join("samtaleskema.docx");
    let core = part(&form, "docProps/core.xml");
    assert!(
        core.contains("<dc:title>Samtaleskema – MUS 2027</dc:title>"),
        "{core}"
    );
    assert!(core.contains("<dc:language>da-DK</dc:language>"), "{core}");
    let hr = part(&out.join("vejledning-hr.docx"), "docProps/core.xml");
    assert!(
        hr.contains("<dc:title>Vejledning til HR – MUS 2027</dc:title>"),
        "{hr}"
    );
    let app = part(&form, "docProps/app.xml");
    assert!(app.contains("<Application>mus</Application>"), "{app}");
}

#[test]
fn settings_use_the_danish_tab_stop_and_no_east_asian_layout() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = generated_form(tmp.path());
    let settings = part(&out.join("samtaleskema.docx"), "word/settings.xml");
    assert!(
        settings.contains("<w:defaultTabStop w:val=\"1304\" />"),
        "{settings}"
    );
    for flag in [
        "spaceForUL",
        "balanceSingleByteDoubleByteWidth",
        "doNotLeaveBackslashAlone",
        "ulTrailSpace",
        "doNotExpandShiftReturn",
        "useFELayout",
    ] {
        assert!(!settings.contains(flag), "{flag} in {settings}");
    }
}

#[test]
fn signature_labels_carry_their_size_on_the_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = generated_form(tmp.path());
    let xml = part(&out.join("udviklingsplan.docx"), "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("document");
    let runs: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "r")))
        .filter(|r| {
            let text: String = r
                .descendants()
                .filter(|t| t.has_tag_name((W, "t")))
                .filter_map(|t| t.text())
                .collect();
            // The info block's bold `Dato` label is not one of them.
            (text == "Underskrift" || text == "Dato") && !has(*r, "b")
        })
        .collect();
    assert!(runs.len() >= 4, "date and signature labels for both");
    for run in runs {
        let size = run
            .children()
            .find(|n| n.has_tag_name((W, "rPr")))
            .and_then(|p| p.children().find(|n| n.has_tag_name((W, "sz"))))
            .and_then(|s| s.attribute((W, "val")));
        assert_eq!(size, Some("18"), "9 pt on the run itself");
    }
}

#[test]
fn a_topics_heading_keeps_with_its_intro_and_first_question() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = generated_form(tmp.path());
    let xml = part(&out.join("samtaleskema.docx"), "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("document");
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .expect("body");
    let blocks: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    let style_of = |p: &roxmltree::Node| {
        p.descendants()
            .find(|n| n.has_tag_name((W, "pStyle")))
            .and_then(|n| n.attribute((W, "val")))
            .unwrap_or_default()
            .to_string()
    };
    let mut sections = 0;
    for (i, heading) in blocks.iter().enumerate() {
        if !style_of(heading).starts_with("Heading") {
            continue;
        }
        let intro: Vec<_> = blocks[i + 1..]
            .iter()
            .take_while(|n| n.has_tag_name((W, "p")) && !style_of(n).starts_with("Heading"))
            .collect();
        let Some(next) = blocks.get(i + 1 + intro.len()) else {
            continue;
        };
        if !next.has_tag_name((W, "tbl")) || intro.is_empty() {
            continue;
        }
        sections += 1;
        for p in intro {
            let text: String = p
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            assert!(
                p.children()
                    .any(|n| n.has_tag_name((W, "pPr")) && has(n, "keepNext")),
                "`{text}` under `{}` keeps with the next",
                heading
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect::<String>()
            );
        }
    }
    assert!(sections >= 5, "only {sections} sections lead to a box");
}

#[test]
fn the_header_keeps_a_gap_above_the_text_also_under_a_house_logo() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let house = tmp.path().join("husstil.docx");
    crate::house_style::write_default_house(&house);
    let config = tmp.path().join("mus.yaml");
    example_with_house(&config, "eksempelstyrelsen.yaml", &house);
    let plain = generated_form(tmp.path()).join("samtaleskema.docx");
    let out = tmp.path().join("hus");
    mus()
        .arg("generate")
        .arg(&config)
        .arg("-o")
        .arg(&out)
        .succeeds();
    let housed = out.join("samtaleskema.docx");
    for (form, logo) in [(&plain, false), (&housed, true)] {
        let headers: Vec<String> = part_names(form)
            .into_iter()
            .filter(|n| n.starts_with("word/header"))
            .collect();
        assert!(!headers.is_empty(), "{} has a header", form.display());
        for name in headers {
            let xml = part(form, &name);
            let doc = roxmltree::Document::parse(&xml).expect("header");
            assert_eq!(has(doc.root_element(), "drawing"), logo, "{name}: the logo");
            let last = doc
                .root_element()
                .children()
                .rfind(|n| n.has_tag_name((W, "p")))
                .expect("a paragraph");
            let after: u32 = last
                .descendants()
                .find(|n| n.has_tag_name((W, "spacing")))
                .and_then(|n| n.attribute((W, "after")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            assert!(
                after >= 240,
                "{name} of {}: {after} twips under the header",
                form.display()
            );
        }
    }
}
