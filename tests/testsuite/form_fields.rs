//! The form fields (issue 23, point 2): the info block's values and the
//! follow-up status are content controls, named for a screen reader and
//! tagged for `collect`, and `collect` reads a value chosen in a control
//! first — as Word writes it, and after LibreOffice has saved the form.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use roxmltree::Node;

use crate::support::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// `xml` with the `nth` control tagged `tag` filled in as Word does it: its
/// content becomes one plain run with `value`, the placeholder flag goes,
/// and a date picker stores the chosen date (`full_date`, `YYYY-MM-DD`).
pub fn fill_control(
    xml: &str,
    tag: &str,
    nth: usize,
    value: &str,
    full_date: Option<&str>,
) -> String {
    let marker = format!(r#"<w:tag w:val="{tag}" />"#);
    let (at, _) = xml
        .match_indices(&marker)
        .nth(nth)
        .unwrap_or_else(|| panic!("control {nth} tagged `{tag}`"));
    let start = xml[..at].rfind("<w:sdt>").expect("the control's start");
    let end = at + xml[at..].find("</w:sdt>").expect("the control's end");
    let control = &xml[start..end];
    let content = control.find("<w:sdtContent>").expect("content") + "<w:sdtContent>".len();
    let properties = control[..content]
        .replace("<w:showingPlcHdr />", "")
        .replace(
            "<w:date>",
            &full_date.map_or("<w:date>".to_string(), |d| {
                format!(r#"<w:date w:fullDate="{d}T00:00:00Z">"#)
            }),
        );
    let value = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "{}{properties}<w:r><w:t xml:space=\"preserve\">{value}</w:t></w:r></w:sdtContent>{}",
        &xml[..start],
        &xml[end..]
    )
}

/// The content controls of a document part: (tag, alias, id, the kind's
/// element name, its language, its list items).
fn controls(xml: &str) -> Vec<(String, String, String, String, String, Vec<String>)> {
    let doc = roxmltree::Document::parse(xml).expect("xml");
    let w = |n: &Node, name: &str| n.has_tag_name((W, name));
    doc.descendants()
        .filter(|n| w(n, "sdtPr"))
        .map(|pr| {
            let val = |name: &str| {
                pr.children()
                    .find(|c| w(c, name))
                    .and_then(|c| c.attribute((W, "val")))
                    .unwrap_or_default()
                    .to_string()
            };
            let kind = pr
                .children()
                .rfind(|c| c.is_element())
                .map(|c| c.tag_name().name().to_string())
                .unwrap_or_default();
            let language = pr
                .descendants()
                .find(|c| w(c, "lid"))
                .and_then(|c| c.attribute((W, "val")))
                .unwrap_or_default()
                .to_string();
            let items = pr
                .descendants()
                .filter(|c| w(c, "listItem"))
                .filter_map(|c| c.attribute((W, "displayText")))
                .map(str::to_string)
                .collect();
            (val("tag"), val("alias"), val("id"), kind, language, items)
        })
        .collect()
}

/// A round up to the follow-up forms: the two plans of the roster forms
/// with goals, collected, and their follow-up forms made in `opfoelgning/`.
fn followup_forms(dir: &Path) -> PathBuf {
    let forms = crate::collect::roster_forms(dir);
    crate::collect::write_goals(
        &forms.join("udviklingsplan-soeren-aeroe.docx"),
        &[
            "Blive skarp til Power BI",
            "Lede et projekt",
            "Lære SQL",
            "Holde oplæg",
        ],
    );
    let collected = dir.join("maal.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&collected)
        .succeeds();
    let out = dir.join("opfoelgning");
    crate::followup::run_followup(&collected, &out);
    out
}

/// `mus collect --format json` of `paths`, which must succeed.
fn collected(paths: &[&Path]) -> serde_json::Value {
    let output = mus()
        .args(["collect", "--format", "json"])
        .args(paths)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("json")
}

/// The statuses of one collected form's goals, in order.
fn statuses(json: &serde_json::Value) -> Vec<String> {
    crate::collect_json::goals_of_form(json, &json["forms"][0])
        .into_iter()
        .map(|g| g["status"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_info_block_and_the_status_are_named_tagged_and_numbered_controls() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = followup_forms(tmp.path());
    let form = out.join("opfoelgning-soeren-aeroe.docx");
    let found = controls(&part(&form, "word/document.xml"));
    let tags: Vec<&str> = found.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        tags,
        [
            "mus_medarbejder",
            "mus_leder",
            "mus_enhed",
            "mus_dato",
            "mus_holdt_den",
            "mus_status",
            "mus_status",
            "mus_status",
            "mus_status"
        ],
        "{found:?}"
    );
    // Ids 1..n, once each: the goal rows are copies of one built row.
    let ids: Vec<String> = found.iter().map(|c| c.2.clone()).collect();
    assert_eq!(ids, (1..=9).map(|i| i.to_string()).collect::<Vec<_>>());
    for (tag, alias, _, kind, language, items) in &found {
        assert!(!alias.trim().is_empty(), "{tag} has a name");
        match tag.as_str() {
            "mus_dato" | "mus_holdt_den" => {
                assert_eq!((kind.as_str(), language.as_str()), ("date", "da-DK"))
            }
            "mus_status" => {
                assert_eq!(kind, "dropDownList");
                assert_eq!(items, &["Nået", "Delvist", "Ikke nået", "Opgivet"]);
                assert_eq!(alias, "Status");
            }
            _ => assert_eq!(kind, "text"),
        }
    }
    assert_eq!(found[4].1, "Samtalen er holdt den");
}

#[test]
fn english_forms_pick_english_dates_and_answers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("en");
    mus()
        .arg("generate")
        .arg(example("international-unit.yaml"))
        .arg("-o")
        .arg(&out)
        .succeeds();
    let plan = files_below(&out)
        .into_iter()
        .find(|f| f.to_string_lossy().contains("udviklingsplan"))
        .expect("a development plan");
    let found = controls(&part(&plan, "word/document.xml"));
    let held = found
        .iter()
        .find(|c| c.0 == "mus_holdt_den")
        .expect("the held date");
    assert_eq!(
        (held.1.as_str(), held.4.as_str()),
        ("Interview held on", "en-GB")
    );
    assert!(part(&plan, "word/document.xml").contains(r#"<w:dateFormat w:val="d MMMM yyyy" />"#));
}

#[test]
fn a_status_chosen_in_the_drop_down_is_collected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = followup_forms(tmp.path());
    let form = out.join("opfoelgning-soeren-aeroe.docx");
    // Nothing chosen yet: a control showing its placeholder is no answer,
    // so the form is one nobody filled in.
    let untouched = collected(&[&form]);
    assert_eq!(
        untouched["not_filled_in"].as_array().map(Vec::len),
        Some(1),
        "{untouched:#}"
    );
    crate::collect::edit_document(&form, |xml| {
        ["Nået", "Ikke nået", "Opgivet"]
            .iter()
            .enumerate()
            .fold(xml, |xml, (i, answer)| {
                fill_control(&xml, "mus_status", i, answer, None)
            })
    });
    let xml = part(&form, "word/document.xml");
    assert_eq!(
        xml.matches("<w:showingPlcHdr />").count(),
        3,
        "the follow-up's date, the held date and the last status"
    );
    assert_eq!(
        statuses(&collected(&[&form])),
        ["reached", "not_reached", "dropped", ""]
    );
}

#[test]
fn a_date_chosen_in_the_date_picker_is_collected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = crate::collect::roster_forms(tmp.path());
    let plan = forms.join("udviklingsplan-soeren-aeroe.docx");
    // The picker writes the date in its format and stores it.
    crate::collect::edit_document(&plan, |xml| {
        fill_control(
            &xml,
            "mus_holdt_den",
            0,
            "4. marts 2027",
            Some("2027-03-04"),
        )
    });
    let json = collected(&[&plan]);
    assert_eq!(json["forms"][0]["held"], "2027-03-04");
    assert_eq!(json["forms"][0]["date"], "2027-02-01");
    // A date typed in a way that does not read as one: the stored date counts.
    crate::collect::edit_document(&plan, |xml| {
        fill_control(
            &xml,
            "mus_holdt_den",
            0,
            "torsdag i uge 9",
            Some("2027-03-04"),
        )
    });
    assert_eq!(collected(&[&plan])["forms"][0]["held"], "2027-03-04");
}

#[test]
fn a_control_found_by_its_tag_counts_over_its_label() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let forms = crate::collect::roster_forms(tmp.path());
    let plan = forms.join("udviklingsplan-anna-hansen.docx");
    crate::collect::edit_document(&plan, |xml| {
        fill_control(&xml, "mus_leder", 0, "Kim Berg", None).replace(">Leder<", ">Nærmeste leder<")
    });
    assert_eq!(collected(&[&plan])["forms"][0]["manager"], "Kim Berg");
}

/// `xml` with every content control flattened to its content, as an editor
/// that knows no controls saves it: the placeholder text stays as text.
fn flattened(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<w:sdt>") {
        out.push_str(&rest[..at]);
        let content =
            at + rest[at..].find("<w:sdtContent>").expect("content") + "<w:sdtContent>".len();
        let end = content
            + rest[content..]
                .find("</w:sdtContent>")
                .expect("content end");
        out.push_str(&rest[content..end]);
        rest = &rest[end + "</w:sdtContent></w:sdt>".len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_form_whose_controls_became_plain_text_is_still_collected_exactly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = followup_forms(tmp.path());
    let form = out.join("opfoelgning-soeren-aeroe.docx");
    crate::collect::edit_document(&form, |xml| {
        flattened(&fill_control(&xml, "mus_status", 1, "Delvist", None))
    });
    let xml = part(&form, "word/document.xml");
    assert!(
        !xml.contains("<w:sdt>") && xml.contains("Vælg et svar"),
        "flattened"
    );
    let json = collected(&[&form]);
    assert_eq!(statuses(&json), ["", "partly", "", ""]);
    assert!(
        json["forms"][0]["held"].is_null(),
        "the placeholder is no date"
    );
    assert_eq!(json["forms"][0]["employee"], "Søren Ærø");
}

#[test]
#[ignore = "needs LibreOffice"]
fn a_form_filled_in_its_controls_and_saved_by_libreoffice_is_collected_exactly() {
    let soffice = crate::interop::which("soffice");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = followup_forms(tmp.path());
    let form = out.join("opfoelgning-soeren-aeroe.docx");
    let filled = tmp.path().join("udfyldt.docx");
    std::fs::copy(&form, &filled).expect("copy");
    crate::collect::edit_document(&filled, |xml| {
        let xml = fill_control(
            &xml,
            "mus_holdt_den",
            0,
            "15. september 2027",
            Some("2027-09-15"),
        );
        ["Nået", "Delvist", "Ikke nået"]
            .iter()
            .enumerate()
            .fold(xml, |xml, (i, answer)| {
                fill_control(&xml, "mus_status", i, answer, None)
            })
    });
    let before = collected(&[&filled]);
    assert_eq!(statuses(&before), ["reached", "partly", "not_reached", ""]);
    assert_eq!(before["forms"][0]["held"], "2027-09-15");
    let resaved_form = crate::interop::soffice_resave(
        soffice.as_deref().unwrap_or("soffice"),
        tmp.path(),
        &filled,
    );
    let after = collected(&[&resaved_form]);
    // The form and its goals, each record without the file's name.
    let without_file = |json: &serde_json::Value| {
        let unnamed = |record: &serde_json::Value| {
            let mut record = record.clone();
            record["file"] = serde_json::Value::Null;
            record
        };
        let form = &json["forms"][0];
        let goals: Vec<serde_json::Value> = crate::collect_json::goals_of_form(json, form)
            .into_iter()
            .map(unnamed)
            .collect();
        (unnamed(form), goals)
    };
    assert_eq!(without_file(&after), without_file(&before));
    // Which controls LibreOffice kept, for the note on what it does.
    let kept: BTreeSet<String> = controls(&part(&resaved_form, "word/document.xml"))
        .into_iter()
        .map(|c| format!("{} {}", c.0, c.3))
        .collect();
    eprintln!("controls after LibreOffice: {kept:?}");
}
