use super::deflate::{Deflated, Effort};
use super::{FIELDS, FormTemplate, GOAL, UNIT, uses_person_beyond_printing, zip_stamp};
use crate::form::InfoValues;
use crate::pipeline::render::docx_rs_fixes::controls::renumber_controls;
use crate::pipeline::render::{DocumentDate, DocumentKind, Templates};
use crate::text::xml_escape;

fn inflate(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(data), &mut out)
        .expect("a valid deflate stream");
    out
}

/// `text` compressed once as the final stretch of a stream.
fn whole(text: &[u8]) -> Vec<u8> {
    Deflated::whole(text, Effort::Once)
        .expect("compresses")
        .bytes
}

/// Bytes that do not compress.
fn noise(len: u32) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

#[test]
fn values_as_stored_blocks_between_compressed_text_inflate_as_they_are() {
    let before = "<w:body><w:p>Medarbejder: ".repeat(40);
    let after = "</w:p><w:p>Hvad giver dig energi i arbejdet?</w:p>".repeat(400);
    let prefix = Deflated::start(before.as_bytes(), Effort::Once).expect("compresses");
    let tail = whole(after.as_bytes());
    for len in [0, 1, 65_535, 65_536, 200_000] {
        let value = noise(len);
        let mut stream = prefix.bytes.clone();
        super::deflate::push_stored(&mut stream, &value);
        let blocks = value.len().div_ceil(65_535);
        assert_eq!(
            stream.len(),
            prefix.bytes.len() + value.len() + 5 * blocks,
            "{len} bytes: five bytes of header per block of at most 65,535"
        );
        stream.extend_from_slice(&tail);
        let mut text = before.as_bytes().to_vec();
        text.extend_from_slice(&value);
        text.extend_from_slice(after.as_bytes());
        assert!(inflate(&stream) == text, "{len} bytes inflate as they were");
    }
    // Two values in a row, and an empty start (a template that prints
    // no text before a person field).
    let mut stream = Deflated::start(b"", Effort::Once)
        .expect("compresses")
        .bytes;
    super::deflate::push_stored(&mut stream, b"Anne");
    super::deflate::push_stored(&mut stream, b" & Bo");
    stream.extend_from_slice(&tail);
    assert_eq!(inflate(&stream), format!("Anne & Bo{after}").as_bytes());
}

struct Built {
    form: FormTemplate,
    /// The built package's parts with placeholders, by name.
    parts: Vec<(String, String)>,
}

/// The built-in concept's plan for a small workplace, and the built-in templates.
fn built_in_plan() -> (crate::pipeline::plan::Plan, Templates) {
    let catalogue = crate::pipeline::catalogue::Catalogue::built_in().expect("catalogue");
    let config = crate::pipeline::config::Config::parse("mus.yaml", "workplace: W\nyear: 2027\n")
        .expect("config");
    let plan = crate::pipeline::plan::Plan::new(&catalogue, &config).expect("plan");
    (plan, Templates::built_in().expect("templates"))
}

/// A built-in form of `kind`, with the package it was made from.
fn build(kind: DocumentKind, with_goals: bool) -> Built {
    let (plan, templates) = built_in_plan();
    let date = DocumentDate::for_year(2027);
    let form = FormTemplate::fillable(&plan, kind, &templates, date, with_goals)
        .expect("builds")
        .expect("the built-in templates only print the person's details");
    let person = super::placeholder_person(with_goals, kind == DocumentKind::Samtaleskema);
    let package =
        crate::pipeline::render::render(&plan, kind, &templates, &person, date).expect("renders");
    Built {
        form,
        parts: read_package(&package.bytes),
    }
}

/// Every part of `package`, read to its end: the zip crate checks each
/// part's CRC-32 as it does.
fn read_package(package: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("an entry");
            let name = entry.name().expect("a name").to_string();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes)
                .unwrap_or_else(|err| panic!("{name} reads back whole: {err}"));
            assert_eq!(bytes.len() as u64, entry.size(), "{name}");
            (name, String::from_utf8(bytes).unwrap_or_default())
        })
        .collect()
}

/// The compressed bytes of part `name` of `package`.
fn raw_part(package: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
    let mut raw = Vec::new();
    std::io::Read::read_to_end(
        &mut archive.by_name_raw(name.as_bytes()).expect("the part"),
        &mut raw,
    )
    .expect("reads");
    raw
}

#[test]
fn a_filled_form_is_the_built_form_with_the_persons_values_in_its_placeholders() {
    let long_manager = "Bo & co. ".repeat(8_000);
    let people = [
        (
            "Anne <Hansen>",
            "Bo",
            "Kontor for IT & drift",
            "1. marts 2027",
        ),
        ("Bent", "", "", ""),
        ("Ærø Ølstykke", long_manager.as_str(), "HR", "2027-03-02"),
    ];
    let goal_lists: [&[&str]; 3] = [
        &[],
        &["Lære <XML>"],
        &["Første", "Anden & sidste", "Tredje"],
    ];
    for (kind, with_goals) in [
        (DocumentKind::Samtaleskema, false),
        (DocumentKind::Samtaleskema, true),
        (DocumentKind::Udviklingsplan, false),
        (DocumentKind::Opfoelgning, true),
    ] {
        let built = build(kind, with_goals);
        assert!(
            built
                .parts
                .iter()
                .any(|(name, text)| name.starts_with("word/header") && text.contains(FIELDS[UNIT])),
            "the header shows the unit"
        );
        for (employee, manager, unit, date) in people {
            for goals in goal_lists {
                let goals: Vec<String> = goals.iter().map(|g| g.to_string()).collect();
                let info = InfoValues {
                    employee: employee.into(),
                    manager: manager.into(),
                    unit: unit.into(),
                    date: date.into(),
                    id: format!("ID-{employee}"),
                };
                let filled = read_package(&built.form.fill(&info, &goals).expect("fills"));
                let names = |parts: &[(String, String)]| {
                    parts
                        .iter()
                        .map(|(name, _)| name.clone())
                        .collect::<Vec<_>>()
                };
                assert_eq!(names(&filled), names(&built.parts));
                for ((name, text), (_, expected)) in filled.iter().zip(&built.parts) {
                    let mut expected = expected.clone();
                    if name.starts_with("word/header") && unit.is_empty() {
                        expected = expected.replace(&format!(" · {}", FIELDS[UNIT]), "");
                    }
                    let id = format!("ID-{employee}");
                    let raw = [employee, manager, unit, date, id.as_str()];
                    // A value in a control: the control as a person's own
                    // form has it (see the test below).
                    for variants in built.form.controls.iter().flatten() {
                        let value = raw[variants.field];
                        expected = expected
                            .replace(&variants.filled, &variants.with(&xml_escape(value), value));
                    }
                    for (field, value) in
                        FIELDS
                            .iter()
                            .zip([employee, manager, unit, date, id.as_str()])
                    {
                        expected = expected.replace(field, &xml_escape(value));
                    }
                    if let Some(row) = &built.form.goal_row {
                        let mut next_id = built.form.next_paragraph_id;
                        let mut next_control = built.form.next_control_id;
                        let rows: String = goals
                            .iter()
                            .enumerate()
                            .map(|(i, goal)| {
                                let mut row = row.replace(GOAL, &xml_escape(goal));
                                for placeholder in super::GOAL_CELLS {
                                    row = row.replace(placeholder, "");
                                }
                                match i {
                                    0 => row,
                                    _ => renumber_controls(
                                        &super::renumber_paragraphs(&row, &mut next_id),
                                        &mut next_control,
                                    ),
                                }
                            })
                            .collect();
                        expected = expected.replacen(row.as_str(), &rows, 1);
                    }
                    assert!(
                        *text == expected,
                        "{name} of {kind:?} for {employee} with {} goals",
                        goals.len()
                    );
                    assert_unique_control_ids(text);
                }
            }
        }
    }
}

#[test]
fn people_whose_names_differ_only_in_letters_differ_only_in_the_stored_names() {
    let built = build(DocumentKind::Samtaleskema, false);
    let info = |employee: &str, unit: &str| InfoValues {
        employee: employee.into(),
        manager: "Bo".into(),
        unit: unit.into(),
        date: "1. marts 2027".into(),
        id: String::new(),
    };
    let fill =
        |employee: &str, unit: &str| built.form.fill(&info(employee, unit), &[]).expect("fills");
    let header = built
        .parts
        .iter()
        .map(|(name, _)| name.as_str())
        .find(|name| name.starts_with("word/header"))
        .expect("a header");
    // In the document the name is stored inside its content control.
    let in_control = |name: &str| {
        built.form.controls[0]
            .as_ref()
            .expect("the employee's control")
            .with(name, name)
    };
    let (anne, bent) = (in_control("Anne Hansen"), in_control("Bent Jensen"));
    for (part, a, b, package_a, package_b) in [
        (
            super::DOCUMENT_PART,
            anne.as_str(),
            bent.as_str(),
            fill("Anne Hansen", "IT"),
            fill("Bent Jensen", "IT"),
        ),
        (header, "IT", "HR", fill("Anne", "IT"), fill("Anne", "HR")),
    ] {
        let (raw_a, raw_b) = (raw_part(&package_a, part), raw_part(&package_b, part));
        assert_eq!(raw_a.len(), raw_b.len(), "{part}");
        // Each value as it is, after the header of a stored block.
        let stored = |value: &str| {
            let len = value.len() as u16;
            let mut block = vec![0];
            block.extend_from_slice(&len.to_le_bytes());
            block.extend_from_slice(&(!len).to_le_bytes());
            block.extend_from_slice(value.as_bytes());
            block
        };
        let (block_a, block_b) = (stored(a), stored(b));
        let at = raw_a
            .windows(block_a.len())
            .position(|w| w == block_a)
            .unwrap_or_else(|| panic!("{a} is stored as it is in {part}"));
        assert_eq!(
            raw_b.get(at..at + block_b.len()),
            Some(&block_b[..]),
            "{part}"
        );
        // Around the value, the compressed bytes are the same.
        let differ: Vec<usize> = (0..raw_a.len()).filter(|&i| raw_a[i] != raw_b[i]).collect();
        assert!(!differ.is_empty());
        assert!(
            differ
                .iter()
                .all(|&i| (at + 5..at + block_a.len()).contains(&i)),
            "{part} differs outside the stored value"
        );
    }
}

fn document_xml(package: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name(super::DOCUMENT_PART)
            .expect("document part"),
        &mut xml,
    )
    .expect("utf-8");
    xml
}

#[test]
fn a_follow_up_form_is_built_once_and_filled_with_each_persons_goals() {
    let built = build(crate::pipeline::render::DocumentKind::Opfoelgning, true).form;
    let info = |name: &str| crate::form::InfoValues {
        employee: name.into(),
        manager: "Bo".into(),
        unit: "IT".into(),
        date: String::new(),
        id: String::new(),
    };
    let goals = [
        "Lære <XML>".to_string(),
        "Holde oplæg".into(),
        "Tredje".into(),
    ];
    let xml = document_xml(&built.fill(&info("Anne"), &goals).expect("fills"));
    assert!(xml.contains("Lære &lt;XML&gt;") && xml.contains("Holde oplæg"));
    assert!(
        xml.contains("Anne") && !xml.contains('\u{F8FF}'),
        "no placeholder left"
    );
    let mut ids: Vec<u32> = super::paragraph_ids(&xml).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        count,
        "paragraph ids stay unique when goal rows repeat"
    );
    // Another person: the same document but for what is theirs.
    let other = document_xml(&built.fill(&info("Bent"), &goals[..1]).expect("fills"));
    assert!(other.contains("Bent") && !other.contains("Holde oplæg"));
}

#[test]
fn a_start_larger_than_the_first_guess_of_its_size_is_compressed_whole() {
    // Bytes that do not compress make the output outgrow its first buffer.
    let noise: Vec<u8> = (0u32..200_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for effort in [Effort::Once, Effort::PerPerson] {
        let mut joined = Deflated::start(&noise, effort).expect("compresses").bytes;
        joined.extend_from_slice(&whole(b"end"));
        let mut text = noise.clone();
        text.extend_from_slice(b"end");
        assert_eq!(inflate(&joined), text);
    }
}

#[test]
fn only_plain_printing_of_a_person_field_is_allowed() {
    assert!(!uses_person_beyond_printing(
        "Til {{ person.employee }} og {{- person.unit -}}"
    ));
    assert!(!uses_person_beyond_printing(
        "{# person.unit is filled in later #} personale"
    ));
    assert!(!uses_person_beyond_printing(
        "{% if unit %}{{ unit }}{% endif %}"
    ));
    for bad in [
        "{% if person.unit == 'IT' %}x{% endif %}",
        "{% if person.manager %}x{% endif %}",
        "{% if not person.unit %}x{% endif %}",
        "{{ person.employee | upper }}",
        "{% set p = person %}{{ p.unit }}",
        "{{ person['unit'] }}",
        "{{ person.employee ~ '!' }}",
    ] {
        assert!(uses_person_beyond_printing(bad), "{bad}");
    }
}

/// Every content control id (`w:sdtPr/w:id`) of `xml` once: a form's goal
/// rows are copies, and Word wants each control's id unique in the document.
fn assert_unique_control_ids(xml: &str) {
    let doc = roxmltree::Document::parse(xml).expect("xml");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name((w, "id")) && n.parent().is_some_and(|p| p.has_tag_name((w, "sdtPr")))
        })
        .filter_map(|n| n.attribute((w, "val")))
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "control ids twice: {ids:?}");
}

/// The content controls (`<w:sdt>…</w:sdt>`) of `xml`, in order.
fn controls_of(xml: &str) -> Vec<String> {
    xml.split("<w:sdt>")
        .skip(1)
        .map(|rest| {
            rest.split("</w:sdt>")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn a_bulk_form_has_the_controls_of_a_form_rendered_for_the_person() {
    let (plan, templates) = built_in_plan();
    let date = DocumentDate::for_year(2027);
    let kind = DocumentKind::Udviklingsplan;
    let form = FormTemplate::of_kind(&plan, kind, &templates, date).expect("builds");
    // No manager and no unit: their controls show the placeholder; the
    // date is stored by the date picker.
    let info = InfoValues {
        employee: "Anne & Bo".into(),
        manager: String::new(),
        unit: String::new(),
        date: "1. marts 2027".into(),
        id: "ABCD-12345678".into(),
    };
    let bulk = document_xml(&form.fill(&info, &[]).expect("fills"));
    let person = crate::pipeline::render::Details {
        info: info.clone(),
        goals: Vec::new(),
        chart: None,
        report: None,
    };
    let own =
        crate::pipeline::render::render(&plan, kind, &templates, &person, date).expect("renders");
    let own = document_xml(&own.bytes);
    assert_eq!(controls_of(&bulk), controls_of(&own));
    assert_eq!(controls_of(&bulk).len(), 5);
    assert!(bulk.contains(r#"<w:date w:fullDate="2027-03-01T00:00:00Z">"#));
    assert_eq!(
        bulk.matches("<w:showingPlcHdr />").count(),
        3,
        "manager, unit, held"
    );
}

#[test]
fn bulk_forms_stamp_their_zip_entries_as_every_other_document_also_before_1980() {
    use chrono::{Datelike, TimeZone};
    // SOURCE_DATE_EPOCH=0 (1970), a leap day whose year is clamped, an ordinary date.
    for date in [
        chrono::Utc.timestamp_opt(0, 0).single(),
        chrono::Utc.with_ymd_and_hms(1976, 2, 29, 12, 0, 0).single(),
        chrono::Utc.with_ymd_and_hms(2027, 3, 1, 9, 30, 0).single(),
    ] {
        let date = DocumentDate(date.expect("a date"));
        let bulk = zip_stamp(date);
        let package = crate::pipeline::render::package::zip_time(date).expect("in range");
        assert_eq!(
            (bulk.year(), bulk.month(), bulk.day(), bulk.hour()),
            (package.year(), package.month(), package.day(), 0),
            "{date:?}"
        );
        assert!(bulk.year() >= 1980);
        assert_eq!(u32::from(bulk.day()), date.zip_day().day());
    }
}
