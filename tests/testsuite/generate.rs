//! `mus generate`: documents, ordering rule, determinism and bad input.

use std::path::Path;

use mus::Catalogue;

use crate::support::*;

const DOCUMENTS: [&str; 6] = [
    "samtaleskema.docx",
    "udviklingsplan.docx",
    "vejledning-medarbejder.docx",
    "vejledning-leder.docx",
    "vejledning-hr.docx",
    "tilvalgsemner.docx",
];

fn catalogue() -> Catalogue {
    Catalogue::built_in().expect("built-in catalogue is valid")
}

fn title(id: &str) -> String {
    catalogue().get(id).expect("known id").title.clone()
}

/// "1. Siden sidst …" headings expected for these ids, in this order.
fn numbered_headings(ids: &[(&str, &str)]) -> Vec<String> {
    ids.iter()
        .enumerate()
        .map(|(i, (_, t))| format!("{}. {t}", i + 1))
        .collect()
}

fn generate_json(config: &Path, out: &Path) -> serde_json::Value {
    let output = mus()
        .args(["generate", "--json", "-o"])
        .arg(out)
        .arg(config)
        .succeeds();
    serde_json::from_slice(&output.stdout).expect("json on stdout")
}

fn topics_of(json: &serde_json::Value) -> Vec<String> {
    json["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t.as_str().expect("id").to_string())
        .collect()
}

fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("mus.yaml");
    std::fs::write(&path, text).expect("write config");
    path
}

#[test]
fn example_writes_six_documents_with_headings_in_rule_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let json = generate_json(&example("eksempelstyrelsen.yaml"), &out);

    let names: Vec<_> = files_below(&out)
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().to_string())
        .collect();
    let mut expected: Vec<String> = DOCUMENTS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected, "exactly the six documents, no temp files");
    let documents: Vec<_> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["document"].clone())
        .collect();
    assert_eq!(
        documents,
        [
            "samtaleskema",
            "udviklingsplan",
            "vejledning-medarbejder",
            "vejledning-leder",
            "vejledning-hr",
            "tilvalgsemner"
        ]
    );

    let ids = [
        "siden-sidst",
        "opgaveloesning",
        "trivsel",
        "samarbejde",
        "talent-og-karriere",
        "innovation",
        "udviklingsmaal",
    ];
    assert_eq!(topics_of(&json), ids);
    let body = body(&out.join("samtaleskema.docx"));
    let headings: Vec<String> = paragraphs_with_style(&body, "Heading1")
        .into_iter()
        .filter(|h| h.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    let titled: Vec<(&str, String)> = ids.iter().map(|id| (*id, title(id))).collect();
    let expected_headings = numbered_headings(
        &titled
            .iter()
            .map(|(i, t)| (*i, t.as_str()))
            .collect::<Vec<_>>(),
    );
    assert_eq!(headings, expected_headings);
}

fn is_note_box(e: &Element) -> bool {
    matches!(e, Element::Table(t) if t.rows == vec![vec![String::new()]])
}

/// The body split at the numbered Heading 1 of each topic.
fn topic_parts(body: &[Element]) -> Vec<(String, &[Element])> {
    let starts: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Element::Paragraph { style, text } if style == "Heading1" && text.starts_with(|c: char| c.is_ascii_digit())))
        .map(|(i, _)| i)
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(body.len());
            let heading = match &body[start] {
                Element::Paragraph { text, .. } => text.clone(),
                Element::Table(_) => String::new(),
            };
            (heading, &body[start..end])
        })
        .collect()
}

#[test]
fn the_default_form_boxes_2_to_3_core_questions_per_topic_and_lists_the_rest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_json(&example("eksempelstyrelsen.yaml"), tmp.path());
    let body = body(&tmp.path().join("samtaleskema.docx"));
    let cat = catalogue();
    for (heading, part) in topic_parts(&body) {
        let boxes = part.iter().filter(|e| is_note_box(e)).count();
        assert!((2..=3).contains(&boxes), "{heading}: {boxes} note boxes");
        let topic = cat
            .topics
            .iter()
            .find(|t| heading.ends_with(&t.title))
            .expect("a catalogue topic");
        let inspiration = part
            .iter()
            .position(|e| matches!(e, Element::Paragraph { text, .. } if text == "Flere spørgsmål til inspiration"))
            .unwrap_or_else(|| panic!("{heading}: no inspiration list"));
        let listed = paragraphs_with_style(&part[inspiration..], "ListBullet");
        let listed: Vec<&String> = listed
            .iter()
            .filter(|q| topic.more_questions.contains(q))
            .collect();
        assert_eq!(listed.len(), topic.more_questions.len(), "{heading}");
        assert!(
            !part[inspiration..].iter().any(is_note_box),
            "{heading}: the inspiration questions have no boxes"
        );
    }
}

#[test]
fn questions_all_gives_every_catalogue_question_a_box() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(tmp.path(), "workplace: X\nyear: 2027\nquestions: all\n");
    generate_json(&config, &tmp.path().join("out"));
    let body = body(&tmp.path().join("out/samtaleskema.docx"));
    let boxes = body.iter().filter(|e| is_note_box(e)).count();
    let all: usize = catalogue()
        .topics
        .iter()
        .filter(|t| t.kind == mus::TopicKind::Basic)
        .map(|t| t.questions.len() + t.more_questions.len())
        .sum();
    assert_eq!(boxes, all);
    assert!(!all_text(&body).contains("Flere spørgsmål til inspiration"));
}

#[test]
fn every_question_is_followed_by_a_note_box() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_json(&example("kontor-for-oekonomi.yaml"), tmp.path());
    let body = body(&tmp.path().join("samtaleskema.docx"));
    let cat = catalogue();
    let mut questions: Vec<String> = cat.get("trivsel").expect("trivsel").questions.clone();
    questions.push("Hvordan oplever du balancen mellem fremmøde og hjemmearbejde?".into());
    questions.extend(cat.get("udviklingsmaal").expect("goals").questions.clone());
    questions.push("Hvilke digitale værktøjer har gjort din hverdag lettere i år?".into());
    for question in &questions {
        let at = body
            .iter()
            .position(|e| matches!(e, Element::Paragraph { text, .. } if text == question))
            .unwrap_or_else(|| panic!("question not in form: {question}"));
        match body.get(at + 1) {
            Some(Element::Table(t)) => {
                assert_eq!(
                    t.rows,
                    vec![vec![String::new()]],
                    "note box after {question} is one empty cell"
                );
                // A layout table: no table style, its lines set on itself.
                assert_eq!(t.style, "");
            }
            other => panic!("after {question} comes {other:?}, not a note box"),
        }
    }
    // Every note box belongs to a question: as many boxes as questions in the plan.
    let boxes = body
        .iter()
        .filter(|e| matches!(e, Element::Table(t) if t.rows == vec![vec![String::new()]]))
        .count();
    let planned: usize = [
        "siden-sidst",
        "trivsel",
        "opgaveloesning",
        "balance-arbejde-familie",
        "udviklingsmaal",
    ]
    .iter()
    .map(|id| cat.get(id).expect("id").questions.len())
    .sum::<usize>()
        + 1
        + 3;
    assert_eq!(boxes, planned);
}

#[test]
fn goals_table_has_header_row_repeated_and_goal_rows_empty_rows() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_json(&example("kontor-for-oekonomi.yaml"), tmp.path());
    let body = body(&tmp.path().join("udviklingsplan.docx"));
    let table = table_with_bookmark(&body, "mus_udviklingsmaal");
    assert_eq!(
        table.rows[0],
        [
            "Udviklingsmål",
            "Udviklingsaktiviteter",
            "Hvornår",
            "Opfølgning",
            "Ansvarlig",
            "Sådan ser vi, at målet er nået"
        ]
    );
    assert_eq!(table.header_rows, 1, "the header row repeats on each page");
    let xml = part(&tmp.path().join("udviklingsplan.docx"), "word/document.xml");
    let at = xml.find("mus_udviklingsmaal").expect("bookmark");
    let goals_xml = &xml[at..at + xml[at..].find("</w:tbl>").expect("table end")];
    // From the bookmark in the header row's first cell: the five goal rows.
    assert_eq!(
        goals_xml.matches("<w:cantSplit").count(),
        5,
        "no goal row splits across pages"
    );
    assert_eq!(table.rows.len(), 1 + 5, "goal_rows: 5 in the example");
    assert!(table.rows[1..].iter().flatten().all(String::is_empty));
    // The goals table stands in the development plan, under its heading.
    let goals_at = body
        .iter()
        .position(|e| matches!(e, Element::Table(t) if t == table))
        .expect("present");
    let heading = body
        .iter()
        .position(|e| matches!(e, Element::Paragraph { style, text } if style == "Heading1" && text == "Aftalte udviklingsmål og aktiviteter"))
        .expect("the goals heading");
    assert!(goals_at > heading);

    let info = table_with_bookmark(&body, "mus_info");
    let labels: Vec<&str> = info.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        labels,
        [
            "Medarbejder",
            "Leder",
            "Enhed",
            "Dato",
            "Samtalen er holdt den"
        ]
    );
    assert_eq!(
        info.rows[2][1], "Kontor for Økonomi",
        "the unit is filled in"
    );
}

#[test]
fn optional_topics_go_between_topic_4_and_the_goals_topic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        tmp.path(),
        "workplace: X\nyear: 2027\noptional_topics: [mobilitet, balance-arbejde-familie]\n",
    );
    let json = generate_json(&config, &tmp.path().join("out"));
    assert_eq!(
        topics_of(&json),
        [
            "siden-sidst",
            "opgaveloesning",
            "trivsel",
            "samarbejde",
            "mobilitet",
            "balance-arbejde-familie",
            "udviklingsmaal"
        ]
    );
}

#[test]
fn custom_topics_go_before_the_goals_topic_and_exclusions_apply() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        tmp.path(),
        "workplace: X\nyear: 2027\noptional_topics: [innovation]\nexclude_topics: [trivsel]\ncustom_topics:\n  - id: eget\n    title: Eget emne\n    questions: [Hvad virker?]\n",
    );
    let json = generate_json(&config, &tmp.path().join("out"));
    assert_eq!(
        topics_of(&json),
        [
            "siden-sidst",
            "opgaveloesning",
            "samarbejde",
            "innovation",
            "eget",
            "udviklingsmaal"
        ]
    );
}

#[test]
fn order_is_honoured_and_unlisted_topics_follow_in_default_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        tmp.path(),
        "workplace: X\nyear: 2027\noptional_topics: [innovation]\norder: [innovation, trivsel, udviklingsmaal]\n",
    );
    let json = generate_json(&config, &tmp.path().join("out"));
    assert_eq!(
        topics_of(&json),
        [
            "innovation",
            "trivsel",
            "siden-sidst",
            "opgaveloesning",
            "samarbejde",
            "udviklingsmaal"
        ]
    );
    let body = body(&tmp.path().join("out/samtaleskema.docx"));
    assert!(
        paragraphs_with_style(&body, "Heading1").contains(&format!("1. {}", title("innovation")))
    );
}

#[test]
fn default_concept_without_config_goes_to_mus_year_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // 2027-06-01: the default concept is for the year of SOURCE_DATE_EPOCH.
    let output = mus()
        .current_dir(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1811808000")
        .args(["generate", "--json"])
        .succeeds();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(
        topics_of(&json),
        [
            "siden-sidst",
            "opgaveloesning",
            "trivsel",
            "samarbejde",
            "udviklingsmaal"
        ]
    );
    let form = tmp.path().join("mus-2027/samtaleskema.docx");
    assert!(form.is_file());
    assert_eq!(
        part_text(&form, "word/header1.xml"),
        "Arbejdspladsen · MUS 2027"
    );
}

#[test]
fn plain_output_lists_the_written_paths() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("ud");
    let output = mus()
        .args(["generate", "-o"])
        .arg(&out)
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let printed: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = DOCUMENTS
        .iter()
        .map(|d| out.join(d).display().to_string())
        .collect();
    assert_eq!(printed, expected);
}

#[test]
fn two_runs_give_byte_identical_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate_json(&example("kontor-for-oekonomi.yaml"), &a);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    generate_json(&example("kontor-for-oekonomi.yaml"), &b);
    for name in DOCUMENTS {
        let (x, y) = (
            std::fs::read(a.join(name)).expect("a"),
            std::fs::read(b.join(name)).expect("b"),
        );
        assert!(x == y, "{name} differs between runs");
    }
}

#[test]
fn package_is_a4_danish_styled_and_free_of_personal_data() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_json(&example("eksempelstyrelsen.yaml"), tmp.path());
    for name in DOCUMENTS {
        let path = tmp.path().join(name);
        let styles = part(&path, "word/styles.xml");
        assert!(
            styles.contains(r#"<w:lang w:val="da-DK""#),
            "{name}: Danish language on the styles"
        );
        for style in [
            "Title",
            "heading 1",
            "heading 2",
            "List Bullet",
            "List Number",
            "Table Grid",
        ] {
            assert!(
                styles.contains(&format!(r#"<w:name w:val="{style}" />"#)),
                "{name}: style {style}"
            );
        }
        let document = part(&path, "word/document.xml");
        // A4; the development plan across the page, for its six columns.
        let a4 = match name.starts_with("udviklingsplan") || name.starts_with("opfoelgning") {
            true => r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape""#,
            false => r#"<w:pgSz w:w="11906" w:h="16838""#,
        };
        assert!(document.contains(a4), "{name}: A4");
        let core = part(&path, "docProps/core.xml");
        assert!(
            core.contains("2027-01-01T00:00:00Z"),
            "{name}: date from the year: {core}"
        );
        assert!(!core.contains("unknown"));
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("open")).expect("zip");
        for i in 0..zip.len() {
            let entry = zip.by_index(i).expect("entry");
            assert_eq!(
                entry.compression(),
                zip::CompressionMethod::Deflated,
                "{name}: entry {i}"
            );
        }
    }
    let footer = part(&tmp.path().join("samtaleskema.docx"), "word/footer1.xml");
    assert!(footer.contains("Fortroligt, når udfyldt"));
    assert!(
        footer.contains("PAGE") && footer.contains("NUMPAGES"),
        "Side X af Y fields: {footer}"
    );
}

#[test]
fn source_date_epoch_sets_the_document_date() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let output = mus()
        .env("SOURCE_DATE_EPOCH", "1811808000")
        .args(["generate", "-o"])
        .arg(tmp.path())
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let core = part(&tmp.path().join("samtaleskema.docx"), "docProps/core.xml");
    assert!(core.contains("2027-06-01T00:00:00Z"), "{core}");
}

#[test]
fn markup_characters_come_out_literally() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        tmp.path(),
        "workplace: 'R&D <Lab> \"*Nord*\"'\nyear: 2027\ncustom_topics:\n  - id: tegn\n    title: 'A & B'\n    questions: ['Hvad betyder <b>, &amp; og _x_ for dig?']\n",
    );
    generate_json(&config, &tmp.path().join("out"));
    let form = tmp.path().join("out/samtaleskema.docx");
    let text = all_text(&body(&form));
    assert!(
        text.contains("Hvad betyder <b>, &amp; og _x_ for dig?"),
        "{text}"
    );
    assert!(text.contains("5. A & B"), "{text}");
    assert_eq!(
        part_text(&form, "word/header1.xml"),
        "R&D <Lab> \"*Nord*\" · MUS 2027"
    );
}

/// Runs `generate` on `config_text` into a folder holding an earlier file,
/// and checks the run fails with exit 1, a message with `expected` (and the
/// line), and leaves the folder as it was.
fn assert_rejected(config_text: &str, expected: &str, line: Option<usize>) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(tmp.path(), config_text);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("out");
    std::fs::write(out.join("samtaleskema.docx"), b"earlier").expect("earlier file");
    let output = mus()
        .args(["generate", "-o"])
        .arg(&out)
        .arg(&config)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in: {stderr}"
    );
    if let Some(line) = line {
        assert!(
            stderr.contains(&format!("mus.yaml:{line}:")),
            "expected line {line} in: {stderr}"
        );
    }
    assert_eq!(
        files_below(&out),
        vec![out.join("samtaleskema.docx")],
        "nothing new written"
    );
    assert_eq!(
        std::fs::read(out.join("samtaleskema.docx")).expect("read"),
        b"earlier"
    );
}

#[test]
fn yaml_syntax_error_is_reported_with_line() {
    assert_rejected(
        "workplace: X\nyear: 2027\noptional_topics: [innovation\n",
        "mus.yaml:",
        None,
    );
    assert_rejected(
        "workplace: X\nyear: 2027\nunit: a: b\n",
        "a `:` followed by a space inside a value",
        Some(3),
    );
}

#[test]
fn unknown_key_is_rejected_at_its_line() {
    assert_rejected(
        "workplace: X\nyear: 2027\noptional_topic: [innovation]\n",
        "unknown key `optional_topic`",
        Some(3),
    );
}

#[test]
fn unknown_topic_id_suggests_the_right_one() {
    assert_rejected(
        "workplace: X\nyear: 2027\noptional_topics:\n  - mobilitet\n  - inovation\n",
        "did you mean `innovation`?",
        Some(5),
    );
}

#[test]
fn wrong_type_is_rejected_at_its_line() {
    assert_rejected(
        "workplace: X\nyear: 2027\ngoal_rows: mange\n",
        "the text \"mange\" here, but expected a whole number",
        Some(3),
    );
}

/// The message names the keys a schedule holds, not the Rust type that
/// reads it (`struct ScheduleDates`).
#[test]
fn a_schedule_that_is_no_dates_names_the_keys_it_takes() {
    assert_rejected(
        "workplace: X\nyear: 2027\nschedule: snart\n",
        "`interviews_from`, `interviews_to`, `follow_up_by`, `su_evaluation`",
        Some(3),
    );
}

#[test]
fn control_character_is_rejected_at_its_line() {
    assert_rejected(
        "workplace: X\nyear: 2027\nunit: \"Kontor\\x07\"\n",
        "U+0007",
        Some(3),
    );
}

#[test]
fn excluding_the_goals_topic_is_rejected_with_the_reason() {
    assert_rejected(
        "workplace: X\nyear: 2027\nexclude_topics: [trivsel, udviklingsmaal]\n",
        "written development goals",
        Some(3),
    );
}

#[test]
fn goals_topic_anywhere_but_last_is_rejected_with_the_reason() {
    assert_rejected(
        "workplace: X\nyear: 2027\norder:\n  - udviklingsmaal\n  - trivsel\n",
        "must be the last topic",
        Some(4),
    );
}

#[test]
fn custom_id_clashing_with_catalogue_is_rejected() {
    assert_rejected(
        "workplace: X\nyear: 2027\ncustom_topics:\n  - id: trivsel\n    title: T\n    questions: [Hvad?]\n",
        "already a catalogue topic",
        Some(4),
    );
}

#[test]
fn missing_config_file_exits_1_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let output = mus()
        .args(["generate", "-o"])
        .arg(&out)
        .arg(tmp.path().join("findes-ikke.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("findes-ikke.yaml") && stderr.contains("cannot read the config"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn usage_error_exits_2() {
    let output = mus()
        .args(["generate", "--no-such-flag"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unwritable_output_exits_3_naming_the_path_and_the_cause_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let blocker = tmp.path().join("a-file");
    std::fs::write(&blocker, b"x").expect("file");
    let output = mus()
        .args(["generate", "-o"])
        .arg(blocker.join("out"))
        .arg(example("eksempelstyrelsen.yaml"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: cannot write `") && lines[0].contains("a-file"),
        "{stderr}"
    );
    // The cause follows on its own line, once: the message does not repeat it.
    let cause = lines[1]
        .strip_prefix("  caused by: ")
        .expect("a cause line");
    assert_eq!(stderr.matches(cause).count(), 1, "{stderr}");
}

#[test]
fn edited_templates_override_built_in_ones_file_by_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("skabeloner");
    std::fs::create_dir(&dir).expect("dir");
    std::fs::write(
        dir.join("vejledning-leder.md.j2"),
        "# Vores egen ledervejledning {{ year }}\n\n{% for t in topics %}- {{ t.title }}\n{% endfor %}\n",
    )
    .expect("template");
    let out = tmp.path().join("out");
    mus()
        .args(["generate", "--templates"])
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .arg(example("eksempelstyrelsen.yaml"))
        .succeeds();
    let leader = body(&out.join("vejledning-leder.docx"));
    assert_eq!(
        paragraphs_with_style(&leader, "Title"),
        ["Vores egen ledervejledning 2027"]
    );
    assert_eq!(paragraphs_with_style(&leader, "ListBullet").len(), 7);
    let employee = body(&out.join("vejledning-medarbejder.docx"));
    assert!(
        !paragraphs_with_style(&employee, "Title").is_empty(),
        "built-in guide kept"
    );
}

#[test]
fn template_with_unknown_block_is_rejected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("samtaleskema.md.j2"),
        "# T\n\n```notefelt\n```\n",
    )
    .expect("template");
    let output = mus()
        .args(["generate", "--templates"])
        .arg(tmp.path())
        .arg("-o")
        .arg(tmp.path().join("out"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("samtaleskema.md.j2") && stderr.contains("unknown block `notefelt`"),
        "{stderr}"
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn guides_list_this_years_topics_and_schedule() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_json(&example("eksempelstyrelsen.yaml"), tmp.path());
    for guide in &DOCUMENTS[2..5] {
        let text = all_text(&body(&tmp.path().join(guide)));
        let mut last = 0;
        for id in [
            "siden-sidst",
            "opgaveloesning",
            "trivsel",
            "samarbejde",
            "talent-og-karriere",
            "innovation",
            "udviklingsmaal",
        ] {
            let at = text[last..]
                .find(&title(id))
                .unwrap_or_else(|| panic!("{guide}: topic `{id}` missing or out of order"));
            last += at;
        }
        assert!(
            text.contains("30. september 2027"),
            "{guide}: follow-up date shown"
        );
    }
}

#[test]
fn bullet_lists_use_a_bullet_definition_and_numbered_lists_restart() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("t");
    std::fs::create_dir(&dir).expect("dir");
    std::fs::write(
        dir.join("vejledning-hr.md.j2"),
        "# T\n\n- a\n- b\n\n1. x\n2. y\n\nmellem\n\n1. z\n",
    )
    .expect("template");
    let out = tmp.path().join("out");
    mus()
        .args(["generate", "--templates"])
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .succeeds();
    let path = out.join("vejledning-hr.docx");
    let numbering = part(&path, "word/numbering.xml");
    let doc = roxmltree::Document::parse(&numbering).expect("xml");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let val = |n: roxmltree::Node, tag: &str| {
        n.descendants()
            .find(|d| d.has_tag_name((w, tag)))
            .and_then(|d| d.attribute((w, "val")))
            .map(str::to_string)
    };
    // numId -> the format of level 0 of its abstract definition.
    let format_of = |num_id: &str| -> String {
        let num = doc
            .descendants()
            .find(|n| n.has_tag_name((w, "num")) && n.attribute((w, "numId")) == Some(num_id))
            .expect("num");
        let abstract_id = val(num, "abstractNumId").expect("abstract id");
        let abstracts: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name((w, "abstractNum"))
                    && n.attribute((w, "abstractNumId")) == Some(abstract_id.as_str())
            })
            .collect();
        assert_eq!(abstracts.len(), 1, "abstractNum {abstract_id} defined once");
        val(abstracts[0], "numFmt").expect("numFmt")
    };
    let document = part(&path, "word/document.xml");
    let body = roxmltree::Document::parse(&document).expect("xml");
    let items: Vec<(String, String)> = body
        .descendants()
        .filter(|n| n.has_tag_name((w, "p")))
        .filter_map(|p| Some((val(p, "pStyle")?, val(p, "numId")?)))
        .collect();
    assert_eq!(items.len(), 5);
    for (style, num_id) in &items {
        let expected = if style == "ListBullet" {
            "bullet"
        } else {
            "decimal"
        };
        assert_eq!(format_of(num_id), expected, "{style}");
    }
    assert_ne!(
        items[2].1, items[4].1,
        "a new numbered list restarts with its own instance"
    );
}

#[test]
fn a_byte_order_mark_and_line_breaks_in_text_are_handled() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        tmp.path(),
        "\u{FEFF}workplace: X\nyear: 2027\ncustom_topics:\n  - id: eget\n    title: |\n      Et emne\n      over to linjer\n    questions:\n      - \"Hvad er godt?\\n\\nOg hvorfor?\"\n",
    );
    generate_json(&config, &tmp.path().join("out"));
    let body = body(&tmp.path().join("out/samtaleskema.docx"));
    assert!(
        paragraphs_with_style(&body, "Heading1").contains(&"5. Et emne over to linjer".to_string())
    );
    assert!(all_text(&body).contains("Hvad er godt? Og hvorfor?"));
    assert!(!all_text(&body).contains("**"));
}

#[test]
fn an_empty_question_is_rejected_at_its_line() {
    assert_rejected(
        "workplace: X\nyear: 2027\nextra_questions:\n  trivsel:\n    - Hvad giver energi?\n    - '  '\n",
        "empty question",
        Some(6),
    );
}

#[test]
fn a_template_asking_twice_for_the_goals_table_is_rejected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("samtaleskema.md.j2"),
        "# T\n\n```goals-table\n```\n\n```goals-table\n```\n",
    )
    .expect("template");
    let output = mus()
        .args(["generate", "--templates"])
        .arg(tmp.path())
        .arg("-o")
        .arg(tmp.path().join("out"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`goals-table` more than once"));
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mus"))
        .args(["preview"])
        .arg(example("eksempelstyrelsen.yaml"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let status = child.wait().expect("ends");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    assert!(status.success(), "exit {status}: {stderr}");
}

/// The topic titles (Heading 1) of the optional-topics document.
fn optional_document_topics(out: &Path) -> Vec<String> {
    paragraphs_with_style(&body(&out.join("tilvalgsemner.docx")), "Heading1")
}

#[test]
fn tilvalgsemner_holds_exactly_the_optional_topics_not_in_the_form() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cat = catalogue();
    for (example_name, in_form) in [
        (
            "eksempelstyrelsen.yaml",
            &["talent-og-karriere", "innovation"][..],
        ),
        ("kontor-for-oekonomi.yaml", &["balance-arbejde-familie"][..]),
    ] {
        let out = tmp.path().join(example_name);
        generate_json(&example(example_name), &out);
        let expected: Vec<String> = cat
            .topics
            .iter()
            .filter(|t| t.kind == mus::TopicKind::Optional && !in_form.contains(&t.id.as_str()))
            .map(|t| t.title.clone())
            .collect();
        assert_eq!(optional_document_topics(&out), expected, "{example_name}");
        let text = all_text(&body(&out.join("tilvalgsemner.docx")));
        for id in in_form {
            assert!(!text.contains(&title(id)), "{id} is in the form already");
        }
        // Each topic: its intro, a line placing it before the goals topic, its questions.
        let mobilitet = cat.get("mobilitet").expect("mobilitet");
        assert!(text.contains(&mobilitet.intro));
        assert!(
            text.matches(&format!("Sæt emnet ind før {}.", title("udviklingsmaal")))
                .count()
                == expected.len()
        );
        for question in mobilitet.questions.iter().chain(&mobilitet.more_questions) {
            assert!(text.contains(question.as_str()), "{question}");
        }
    }
    let out = tmp.path().join("all");
    let config = write_config(
        tmp.path(),
        "workplace: X\nyear: 2027\noptional_topics: [mobilitet, talent-og-karriere, balance-arbejde-familie, innovation]\n",
    );
    generate_json(&config, &out);
    assert!(optional_document_topics(&out).is_empty());
    assert!(all_text(&body(&out.join("tilvalgsemner.docx"))).contains("Alle tilvalgsemner er med"));
}

#[test]
fn guides_have_the_forms_header_and_a_page_numbered_footer() {
    let tmp = tempfile::tempdir().expect("tempdir");
    generate_json(&example("kontor-for-oekonomi.yaml"), tmp.path());
    for document in DOCUMENTS {
        let path = tmp.path().join(document);
        let header = part_text(&path, "word/header1.xml");
        assert_eq!(
            header, "Eksempelstyrelsen · Kontor for Økonomi · MUS 2027",
            "{document}"
        );
        let footer = part(&path, "word/footer1.xml");
        assert!(
            footer.contains("PAGE") && footer.contains("NUMPAGES"),
            "{document}: page X of Y"
        );
    }
}
