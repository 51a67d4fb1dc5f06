//! `language: en`: the English catalogue and templates, English labels and
//! dates, `w:lang` en-GB, and `collect` reading English forms.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::support::*;

/// The collected goals the follow-up forms and the report are made from:
/// five interviews in one unit, so the report shows figures.
const COLLECTED: &str = "file,employee,manager,unit,date,goal,activities,when,follow_up
a.docx,Anna Berg,Lene Holm,International Unit,2027-02-03,Lead a small project,Course,Spring,September
b.docx,Bo Dahl,Lene Holm,International Unit,2027-02-04,Present two analyses,Course,Autumn,
c.docx,Cara Eng,Lene Holm,International Unit,2027-02-05,,,,
d.docx,Dan Falk,Lene Holm,International Unit,2027-02-06,Learn Python,Course,Spring,June
e.docx,Eva Gram,Lene Holm,International Unit,2027-02-07,Mentor a colleague,Meetings,Year,October
";

/// Words that are the institution's names or the workplace's own, and may
/// stand in an English document: MUS and SU with their Danish names, HR,
/// the example workplace.
const NAMES: [&str; 6] = [
    "MUS",
    "SU",
    "HR",
    "medarbejderudviklingssamtale",
    "samarbejdsudvalg",
    "Eksempelstyrelsen",
];

/// Words that are English and Danish alike, so they may stand in both the
/// Danish and the English documents. Each is an English word in its own right.
const SAME_IN_BOTH: [&str; 37] = [
    // The commands `mus check` and `mus collect`, named in both HR guides.
    "check",
    "collect",
    "a",
    "id",
    "at",
    "balance",
    "book",
    "coaching",
    "end",
    "feedback",
    "find",
    "for",
    "form",
    "give",
    "have",
    "hold",
    "i",
    "innovation",
    "inspiration",
    "job",
    "led",
    "let",
    "minimum",
    "november",
    "over",
    "part",
    "plan",
    "s",
    "send",
    "side",
    "start",
    "status",
    "talent",
    "time",
    "to",
    "under",
    "video",
];

/// Generates every document — the five of `generate`, the follow-up forms and
/// the report — for `config` into `dir`, and returns the `.docx` files.
fn every_document(config: &Path, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("dir");
    let collected = dir.join("collected.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    mus()
        .args(["generate", "-o"])
        .arg(dir.join("mus"))
        .arg(config)
        .succeeds();
    mus()
        .arg("followup")
        .arg(&collected)
        .arg(config)
        .arg("-o")
        .arg(dir.join("followup"))
        .succeeds();
    mus()
        .arg("report")
        .arg(&collected)
        .arg(config)
        .arg("-o")
        .arg(dir.join("report.docx"))
        .succeeds();
    let files: Vec<PathBuf> = files_below(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    assert_eq!(files.len(), 6 + 4 + 1, "{files:?}");
    files
}

/// The text of a document: body, header and footer (where it has them).
fn document_text(path: &Path) -> String {
    let mut text = all_text(&body(path));
    let parts = part(path, "[Content_Types].xml");
    for name in ["word/header1.xml", "word/footer1.xml"] {
        if parts.contains(&format!("/{name}")) {
            text.push('\n');
            text.push_str(&part_text(path, name));
        }
    }
    text
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The words of the values a workplace writes itself: names in the
/// collected goals and the unit, which stand as written in either language.
fn user_words() -> BTreeSet<String> {
    words(COLLECTED)
        .into_iter()
        .chain(words("International Unit"))
        .map(|w| w.to_lowercase())
        .collect()
}

/// The Danish config the English example builds on, with the same unit.
fn danish_twin(dir: &Path) -> PathBuf {
    let config = dir.join("danish.yaml");
    std::fs::write(
        &config,
        format!(
            "extends: {}\nunit: International Unit\n",
            example("eksempelstyrelsen.yaml").display()
        ),
    )
    .expect("config");
    config
}

#[test]
fn no_danish_word_from_the_danish_documents_is_left_in_the_english_ones() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let danish: BTreeSet<String> = every_document(&danish_twin(tmp.path()), &tmp.path().join("da"))
        .iter()
        .flat_map(|f| words(&document_text(f)))
        .map(|w| w.to_lowercase())
        .collect();
    let english: BTreeSet<String> =
        every_document(&example("international-unit.yaml"), &tmp.path().join("en"))
            .iter()
            .flat_map(|f| words(&document_text(f)))
            .map(|w| w.to_lowercase())
            .collect();
    let allowed: BTreeSet<String> = NAMES
        .iter()
        .chain(&SAME_IN_BOTH)
        .map(|w| w.to_lowercase())
        .chain(user_words())
        .collect();
    let left: Vec<&String> = english
        .intersection(&danish)
        .filter(|w| !allowed.contains(*w))
        .collect();
    assert!(
        left.is_empty(),
        "Danish words in the English documents: {left:?}"
    );
    // The comparison has teeth: the Danish documents are Danish.
    assert!(danish.contains("udviklingsmål") && !english.contains("udviklingsmål"));
}

#[test]
#[ignore = "needs hunspell with the en_GB dictionary"]
fn every_english_document_passes_the_british_dictionary() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut documents = every_document(&example("international-unit.yaml"), tmp.path());
    // The English starter house file too.
    let house = tmp.path().join("house-style.docx");
    mus()
        .args(["init", "--language", "en", "--reference-doc"])
        .arg(&house)
        .arg(tmp.path().join("mus.yaml"))
        .succeeds();
    documents.push(house);
    let text: String = documents
        .iter()
        .map(|f| document_text(f))
        .collect::<Vec<_>>()
        .join("\n");
    let mut child = Process::new("hunspell")
        .args(["-d", "en_GB", "-l"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("hunspell runs");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("text to hunspell");
    }
    let output = child.wait_with_output().expect("hunspell ends");
    let allowed: BTreeSet<String> = NAMES
        .iter()
        .map(|w| w.to_lowercase())
        .chain(user_words())
        .collect();
    let unknown: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .filter(|w| !allowed.contains(&w.to_lowercase()))
        .collect();
    assert!(unknown.is_empty(), "words en_GB does not know: {unknown:?}");
}

#[test]
fn english_documents_are_marked_en_gb_and_have_english_dates_and_labels() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = every_document(&example("international-unit.yaml"), tmp.path());
    for file in &files {
        let styles = part(file, "word/styles.xml");
        assert!(
            styles.contains(r#"<w:lang w:val="en-GB""#),
            "{}",
            file.display()
        );
        assert!(!styles.contains("da-DK"), "{}", file.display());
        assert!(part(file, "docProps/core.xml").contains("<dc:language>en-GB</dc:language>"));
        assert!(part(file, "word/settings.xml").contains(r#"<w:themeFontLang w:val="en-GB""#));
        let footer = part_text(file, "word/footer1.xml");
        assert!(
            footer.contains("Page") && !footer.contains("Side"),
            "{footer}"
        );
    }
    let guide = document_text(&tmp.path().join("mus/vejledning-hr.docx"));
    for date in [
        "1 February 2027",
        "31 March 2027",
        "30 September 2027",
        "15 November 2027",
    ] {
        assert!(guide.contains(date), "{date} in the HR guide");
    }
    assert!(!guide.contains("2027-"), "no ISO date in the guide");

    let form = body(&tmp.path().join("mus/udviklingsplan.docx"));
    let goals = table_with_bookmark(&form, "mus_udviklingsmaal");
    assert_eq!(
        goals.rows[0],
        [
            "Development goals",
            "Development activities",
            "When",
            "Follow-up",
            "Responsible",
            "How we will see the goal is reached"
        ]
    );
    let info = table_with_bookmark(&form, "mus_info");
    let labels: Vec<&str> = info.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        labels,
        ["Employee", "Manager", "Unit", "Date", "Interview held on"]
    );
    assert!(all_text(&form).contains("Signature"));

    let report = document_text(&tmp.path().join("report.docx"));
    assert!(report.contains("(80%)"), "English percentages: {report}");
    assert!(
        report.contains("on average 0.8 per interview"),
        "English decimals: {report}"
    );
}

#[test]
fn a_unit_inherits_english_and_may_set_its_own_language() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let child = tmp.path().join("child.yaml");
    std::fs::write(
        &child,
        format!(
            "extends: {}\nunit: Team Nord\n",
            example("international-unit.yaml").display()
        ),
    )
    .expect("config");
    let english = mus().arg("preview").arg(&child).succeeds();
    let english = String::from_utf8_lossy(&english.stdout);
    assert!(
        english.starts_with("# Interview form – MUS 2027"),
        "{english}"
    );
    assert!(english.contains("> *(notes)*"));
    assert!(english.contains("Write the goals in the development plan"));

    std::fs::write(
        &child,
        format!(
            "extends: {}\nunit: Team Nord\nlanguage: da\n",
            example("international-unit.yaml").display()
        ),
    )
    .expect("config");
    let danish = mus().arg("preview").arg(&child).succeeds();
    let danish = String::from_utf8_lossy(&danish.stdout);
    assert!(danish.starts_with("# Samtaleskema – MUS 2027"), "{danish}");
    assert!(danish.contains("> *(noter)*"));
}

#[test]
fn json_output_and_topics_are_the_same_in_both_languages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let json = |config: &Path, out: &str| -> serde_json::Value {
        let output = mus()
            .args(["generate", "--json", "-o"])
            .arg(tmp.path().join(out))
            .arg(config)
            .succeeds();
        serde_json::from_slice(&output.stdout).expect("json")
    };
    let danish = json(&danish_twin(tmp.path()), "da");
    let english = json(&example("international-unit.yaml"), "en");
    assert_eq!(danish["topics"], english["topics"]);
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["document"].to_string())
            .collect()
    };
    assert_eq!(names(&danish), names(&english));
}

#[test]
fn the_english_catalogue_has_the_same_ids_and_core_questions_as_the_danish() {
    let danish = mus::Catalogue::built_in_for(mus::Language::Da).expect("Danish catalogue");
    let english = mus::Catalogue::built_in_for(mus::Language::En).expect("English catalogue");
    assert_eq!(danish.topics.len(), english.topics.len());
    for (da, en) in danish.topics.iter().zip(&english.topics) {
        assert_eq!(da.id, en.id);
        assert_eq!(da.kind, en.kind);
        assert_eq!(da.goals_table, en.goals_table);
        assert_eq!(da.questions.len(), en.questions.len(), "{}", da.id);
        assert_eq!(
            da.more_questions.len(),
            en.more_questions.len(),
            "{}",
            da.id
        );
        assert_ne!(da.intro, en.intro, "{} is translated", da.id);
    }
}

#[test]
fn english_questions_are_open() {
    let english = mus::Catalogue::built_in_for(mus::Language::En).expect("English catalogue");
    let closed = [
        "Is ", "Are ", "Do ", "Does ", "Did ", "Have ", "Has ", "Can ", "Could ", "Will ",
        "Would ", "Should ",
    ];
    for topic in &english.topics {
        for question in topic.questions.iter().chain(&topic.more_questions) {
            assert!(
                !closed.iter().any(|c| question.starts_with(c)),
                "a closed question in `{}`: {question}",
                topic.id
            );
            assert!(question.ends_with('?'), "{question}");
        }
    }
}

#[test]
fn edited_english_templates_override_only_their_own_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let templates = tmp.path().join("templates");
    std::fs::create_dir(&templates).expect("dir");
    std::fs::write(
        templates.join("vejledning-hr.md.j2"),
        "# Our own HR guide for {{ year }}\n",
    )
    .expect("template");
    mus()
        .args(["generate", "--templates"])
        .arg(&templates)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .arg(example("international-unit.yaml"))
        .succeeds();
    let hr = document_text(&tmp.path().join("out/vejledning-hr.docx"));
    assert!(hr.contains("Our own HR guide for 2027"), "{hr}");
    let form = document_text(&tmp.path().join("out/samtaleskema.docx"));
    assert!(form.contains("Interview form – MUS 2027"), "{form}");
}

/// A roster form in English: the info block filled in, the goals written
/// into the table, then read back by `collect`.
fn filled_english_form(dir: &Path) -> PathBuf {
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        "name,manager,unit,date\nAnna Berg,Lene Holm,International Unit,2027-02-03\n",
    )
    .expect("roster");
    let out = dir.join("forms");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg("-o")
        .arg(&out)
        .arg(example("international-unit.yaml"))
        .succeeds();
    let form = out.join("udviklingsplan-anna-berg.docx");
    crate::collect::write_goals(&form, &["Lead a small project", "Give a talk at a meeting"]);
    form
}

fn collected(form: &Path) -> serde_json::Value {
    let output = mus()
        .args(["collect", "--format", "json"])
        .arg(form)
        .succeeds();
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn collect_reads_a_filled_english_form() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let form = filled_english_form(tmp.path());
    assert!(document_text(&form).contains("3 February 2027"));
    let json = collected(&form);
    let read = &json["forms"][0];
    assert_eq!(read["employee"], "Anna Berg");
    assert_eq!(read["manager"], "Lene Holm");
    assert_eq!(read["unit"], "International Unit");
    assert_eq!(
        read["date"], "2027-02-03",
        "the English date is read as a date"
    );
    let goals: Vec<&str> = crate::collect_json::goals_of_form(&json, read)
        .into_iter()
        .map(|g| g["goal"].as_str().expect("goal"))
        .collect();
    assert_eq!(goals, ["Lead a small project", "Give a talk at a meeting"]);
}

#[test]
fn collect_finds_an_english_form_by_its_labels_when_the_bookmarks_are_gone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let form = filled_english_form(tmp.path());
    // Some editors drop bookmarks; the English header labels are the fallback.
    crate::collect::edit_document(&form, |xml| {
        xml.replace("mus_info", "other_a")
            .replace("mus_udviklingsmaal", "other_b")
    });
    let json = collected(&form);
    let read = &json["forms"][0];
    assert_eq!(read["employee"], "Anna Berg", "{json}");
    let goals = crate::collect_json::goals_of_form(&json, read);
    assert_eq!(goals[0]["goal"], "Lead a small project");
    assert_eq!(goals.len(), 2, "the header row is no goal");
}

#[test]
fn check_warns_about_a_closed_english_question() {
    assert_eq!(
        check_codes_with_question("Do you enjoy your work?"),
        ["closed-question"]
    );
}

#[test]
fn init_writes_an_english_starter_that_passes_strict_and_generates_english() {
    let tmp = tempfile::tempdir().expect("tempdir");
    mus()
        .current_dir(tmp.path())
        .args(["init", "--language", "en"])
        .succeeds();
    let config = tmp.path().join("mus.yaml");
    let text = std::fs::read_to_string(&config).expect("written");
    assert!(text.contains("\nlanguage: en\n"), "{text}");
    assert!(text.contains("#   - talent-og-karriere    # Talent and career development"));
    let check = mus()
        .args(["check", "--strict"])
        .arg(&config)
        .output()
        .expect("runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    mus()
        .args(["generate", "-o"])
        .arg(tmp.path().join("out"))
        .arg(&config)
        .succeeds();
    let form = document_text(&tmp.path().join("out/samtaleskema.docx"));
    assert!(form.contains("Interview form"), "{form}");
}

#[test]
fn check_compares_english_questions_with_the_english_catalogue() {
    assert_eq!(
        check_codes_with_question("When do you feel at your best at work?"),
        ["duplicate-question"]
    );
}

#[test]
fn mus_and_su_are_explained_where_each_english_document_first_uses_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for file in every_document(&example("international-unit.yaml"), tmp.path()) {
        let paragraphs: Vec<String> = body(&file)
            .into_iter()
            .filter_map(|e| match e {
                Element::Paragraph { style, text } if style != "Title" => Some(text),
                _ => None,
            })
            .collect();
        for (name, danish) in [
            ("MUS", "medarbejderudviklingssamtale"),
            ("SU", "samarbejdsudvalg"),
        ] {
            let first = paragraphs
                .iter()
                .find(|p| words(p).contains(name) || p.contains(danish));
            if let Some(first) = first {
                assert!(
                    first.contains(danish),
                    "{}: {name} first used without its explanation: {first}",
                    file.display()
                );
            }
        }
    }
}

/// The codes `mus check` finds in a unit of the English example that adds
/// `question` to trivsel (with one optional topic, so the interview has
/// room for one more box).
fn check_codes_with_question(question: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("unit.yaml");
    std::fs::write(
        &config,
        format!(
            "extends: {}\noptional_topics: [innovation]\nextra_questions:\n  trivsel:\n    - {question}\n",
            example("international-unit.yaml").display()
        ),
    )
    .expect("config");
    let output = mus()
        .args(["check", "--format", "json"])
        .arg(&config)
        .output()
        .expect("runs");
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    findings
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}
