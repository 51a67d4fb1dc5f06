//! The documents' texts read well: readability (LIX) of every guide and
//! section, open questions only, and texts that follow this year's concept.

use std::path::Path;

use crate::support::*;

/// Highest LIX for a whole guide and for one section of any document.
const MAX_LIX_GUIDE: f64 = 40.0;
const MAX_LIX_SECTION: f64 = 40.0;

const GUIDES: [&str; 3] = [
    "vejledning-medarbejder.docx",
    "vejledning-leder.docx",
    "vejledning-hr.docx",
];

/// Words that open an open question.
const OPEN_WORDS: &[&str] = &[
    "hvad", "hvordan", "hvilke", "hvilken", "hvilket", "hvornår", "hvor", "hvorfor", "hvem",
];

fn generate(config: Option<&Path>, out: &Path) {
    let mut cmd = mus();
    cmd.args(["generate", "-o"]).arg(out);
    if let Some(config) = config {
        cmd.arg(config);
    }
    cmd.succeeds();
}

/// Every shipped example and the built-in default, generated once each.
fn generated_sets(tmp: &Path) -> Vec<std::path::PathBuf> {
    let mut dirs = Vec::new();
    for name in [
        "eksempelstyrelsen.yaml",
        "kontor-for-oekonomi.yaml",
        "kontor-for-it.yaml",
    ] {
        let dir = tmp.join(name.trim_end_matches(".yaml"));
        generate(Some(&example(name)), &dir);
        dirs.push(dir);
    }
    let dir = tmp.join("default");
    generate(None, &dir);
    dirs.push(dir);
    dirs
}

/// Fewer words than this are too few for LIX to say anything.
const MIN_SECTION_WORDS: usize = 30;

/// A document's paragraphs as sections: a heading (a topic in the form, a
/// chapter or part of one in a guide) with the text up to the next heading.
pub(crate) fn sections(body: &[Element]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = vec![(String::new(), Vec::new())];
    for element in body {
        if let Element::Paragraph { style, text } = element {
            if style.starts_with("Heading") {
                out.push((text.clone(), vec![text.clone()]));
            } else if let Some(last) = out.last_mut() {
                last.1.push(text.clone());
            }
        }
    }
    out.retain(|(_, paragraphs)| word_count(paragraphs) >= MIN_SECTION_WORDS);
    out
}

fn word_count(paragraphs: &[String]) -> usize {
    paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

/// LIX: words per sentence plus the percentage of words over six letters.
/// A paragraph always ends a sentence (headings and list items count as one).
pub(crate) fn lix<S: AsRef<str>>(paragraphs: &[S]) -> f64 {
    let (mut words, mut long, mut sentences) = (0usize, 0usize, 0usize);
    for paragraph in paragraphs {
        let paragraph = paragraph.as_ref().trim();
        if paragraph.is_empty() {
            continue;
        }
        for word in paragraph
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| w.chars().any(char::is_alphabetic))
        {
            words += 1;
            if word.chars().filter(|c| c.is_alphabetic()).count() > 6 {
                long += 1;
            }
        }
        let chars: Vec<char> = paragraph.chars().collect();
        let ends = chars
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                matches!(c, '.' | '!' | '?' | ':')
                    && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
                    && !chars
                        .get(i.wrapping_sub(1))
                        .is_some_and(char::is_ascii_digit)
            })
            .count();
        let last_is_end = matches!(chars.last(), Some('.' | '!' | '?' | ':'));
        sentences += ends + usize::from(!last_is_end);
    }
    if words == 0 {
        return 0.0;
    }
    words as f64 / sentences.max(1) as f64 + 100.0 * long as f64 / words as f64
}

#[test]
fn lix_counts_words_sentences_and_long_words() {
    // 7 words, 2 sentences, 2 long words (arbejdspladsen, udviklingsmål).
    let value = lix(&["Vi taler om arbejdspladsen. Hvad med udviklingsmål?"]);
    assert!((value - (3.5 + 100.0 * 2.0 / 7.0)).abs() < 0.1, "{value}");
    // A heading or list item without a full stop is a sentence of its own.
    let value = lix(&["Trivsel", "Vi taler om arbejdspladsen."]);
    assert!((value - (2.5 + 100.0 * 2.0 / 5.0)).abs() < 0.1, "{value}");
}

/// A topic intro or a long paragraph is measured on its own as well as in its section.
#[test]
fn guides_read_at_lix_40_and_no_section_above_45() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut too_hard = Vec::new();
    for dir in generated_sets(tmp.path()) {
        for file in files_below(&dir) {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let body = body(&file);
            let sections = sections(&body);
            if GUIDES.contains(&name) {
                let all: Vec<String> = sections.iter().flat_map(|s| s.1.clone()).collect();
                let whole = lix(&all);
                if whole > MAX_LIX_GUIDE {
                    too_hard.push(format!("{}: whole guide at LIX {whole:.0}", file.display()));
                }
            }
            let long_paragraphs = sections
                .iter()
                .flat_map(|(_, paragraphs)| paragraphs)
                .filter(|p| word_count(std::slice::from_ref(*p)) >= MIN_SECTION_WORDS)
                .map(|p| {
                    (
                        format!("paragraph `{}`", p.chars().take(50).collect::<String>()),
                        vec![p.clone()],
                    )
                });
            for (heading, paragraphs) in sections.iter().cloned().chain(long_paragraphs) {
                let value = lix(&paragraphs);
                if value > MAX_LIX_SECTION {
                    too_hard.push(format!("{}: `{heading}` at LIX {value:.0}", file.display()));
                }
            }
        }
    }
    assert!(too_hard.is_empty(), "{}", too_hard.join("\n"));
}

/// The questions of a text: the sentences ending in `?`.
fn questions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | ':' | '\n') {
            if c == '?' {
                out.push(text[start..i].trim().to_string());
            }
            start = i + c.len_utf8();
        }
    }
    out
}

fn first_word(text: &str) -> String {
    text.split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

/// Open when it opens with a question word, or when an invitation is
/// followed by one ("Fortæl om … – hvad gjorde det vellykket?").
fn is_open(question: &str) -> bool {
    let open = |clause: &str| OPEN_WORDS.contains(&first_word(clause).as_str());
    open(question) || question.rsplit(" – ").next().is_some_and(open)
}

#[test]
fn the_open_question_rule_accepts_invitations_and_refuses_yes_no() {
    assert!(is_open("Hvad skete der, og hvad var min rolle"));
    assert!(is_open(
        "Fortæl om et samarbejde – hvad gjorde det vellykket"
    ));
    assert!(!is_open("Var retningslinjerne tydelige"));
    assert!(!is_open("Følte ledere sig godt forberedt"));
}

#[test]
fn every_question_in_every_document_opens_with_an_open_question_word() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut closed = Vec::new();
    for dir in generated_sets(tmp.path()) {
        for file in files_below(&dir) {
            for question in questions(&all_text(&body(&file))) {
                if !is_open(&question) {
                    closed.push(format!("{}: {question}?", file.display()));
                }
            }
        }
    }
    assert!(
        closed.is_empty(),
        "closed questions:\n{}",
        closed.join("\n")
    );
}

#[test]
fn an_excluded_basic_topic_is_named_as_left_out_and_never_claimed_included() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    generate(Some(&example("kontor-for-oekonomi.yaml")), &out);
    let hr = all_text(&body(&out.join("vejledning-hr.docx")));
    assert!(
        hr.contains("I år er Samarbejde udeladt."),
        "the HR guide names the excluded topic:\n{hr}"
    );
    for claim in [
        "indgår i alle samtaler",
        "går igen i alle samtaler",
        "Alle fem basisemner er med",
    ] {
        assert!(!hr.contains(claim), "the HR guide claims `{claim}`");
    }
    let default = tmp.path().join("default");
    generate(None, &default);
    let hr = all_text(&body(&default.join("vejledning-hr.docx")));
    assert!(hr.contains("Alle fem basisemner er med i år."), "{hr}");
    assert!(!hr.contains("udeladt."), "nothing is left out by default");
}

#[test]
fn the_number_of_topics_is_stated_right() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    generate(Some(&example("kontor-for-oekonomi.yaml")), &out);
    // siden-sidst, trivsel, opgaveloesning, digital-omstilling, balance, udviklingsmaal.
    for guide in GUIDES {
        let text = all_text(&body(&out.join(guide)));
        assert!(text.contains(" seks emner "), "{guide}: six topics");
    }
}

/// The sentences that say who sees what, the same in every document.
const CONFIDENTIALITY: [&str; 2] = [
    "Kun udviklingsplanen afleveres til HR, så opfølgningen kan planlægges.",
    "Samarbejdsudvalget ser kun anonyme tal og aldrig tal for en gruppe på færre end fem.",
];

#[test]
fn the_form_and_every_guide_state_one_confidentiality_model() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    generate(Some(&example("eksempelstyrelsen.yaml")), &out);
    for document in ["samtaleskema.docx", "udviklingsplan.docx"]
        .iter()
        .chain(GUIDES.iter())
    {
        let text = all_text(&body(&out.join(document)));
        for sentence in CONFIDENTIALITY {
            assert!(text.contains(sentence), "{document} lacks: {sentence}");
        }
        assert!(
            text.contains("Noterne bliver hos"),
            "{document}: the notes stay with the two"
        );
        for contradiction in [
            "bliver mellem leder og medarbejder",
            "er til dig selv",
            "går videre til HR",
            "HR og samarbejdsudvalget ser kun anonyme tal",
            "skemaet til udviklingsmål bliver samlet ind",
        ] {
            assert!(
                !text.contains(contradiction),
                "{document} says `{contradiction}`"
            );
        }
    }
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    for sentence in CONFIDENTIALITY {
        assert!(readme.contains(sentence), "README lacks: {sentence}");
    }
}

#[test]
fn the_starter_config_comments_follow_the_rules() {
    let tmp = tempfile::tempdir().expect("tempdir");
    mus().current_dir(tmp.path()).arg("init").succeeds();
    let text = std::fs::read_to_string(tmp.path().join("mus.yaml")).expect("written");
    assert!(!text.contains("fem basisemner er altid med"), "{text}");
    assert!(text.contains("Basisemne 1-4 kan udelades"));
    assert!(text.contains("Udviklingsmål kan aldrig udelades"));
    assert!(
        !text.contains("#   - udviklingsmaal"),
        "the goals topic is not offered for exclusion"
    );
}

/// Issue 19: the leader, employee and HR guides tell one story, the same
/// steps in the same order with the same document names, in both languages.
#[test]
fn the_three_guides_describe_the_same_six_steps_in_the_same_words() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (config, heading, names) in [
        (
            example("eksempelstyrelsen.yaml"),
            "Årets gang: fra samtale til rapport",
            [
                "samtaleskemaet",
                "udviklingsplanen",
                "opfølgningsskema",
                "rapport",
            ],
        ),
        (
            example("international-unit.yaml"),
            "The year: from interview to report",
            [
                "interview form",
                "development plan",
                "follow-up form",
                "report",
            ],
        ),
    ] {
        let out = tmp.path().join(heading.len().to_string());
        generate(Some(&config), &out);
        let mut steps = Vec::new();
        for guide in GUIDES {
            let body = body(&out.join(guide));
            let at = body
                .iter()
                .position(|e| matches!(e, Element::Paragraph { text, .. } if text == heading))
                .unwrap_or_else(|| panic!("{guide}: no `{heading}`"));
            let list: Vec<String> = paragraphs_with_style(&body[at..], "ListNumber")
                .into_iter()
                .take(6)
                .collect();
            assert_eq!(list.len(), 6, "{guide}: {list:?}");
            // The documents come in the round's order.
            let text = list.join(" ");
            let mut last = 0;
            for name in names {
                let found = text[last..]
                    .find(name)
                    .unwrap_or_else(|| panic!("{guide}: `{name}` out of order in {text}"));
                last += found;
            }
            steps.push(list);
        }
        assert!(steps.windows(2).all(|w| w[0] == w[1]), "{steps:#?}");
    }
}

/// Issue 19: who keeps what and for how long is one sentence, from the
/// config, printed the same in every document a person reads.
#[test]
fn the_storage_sentence_from_the_config_stands_in_every_document() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sentence = "HR sletter udviklingsplanerne efter tre år.";
    let config = tmp.path().join("mus.yaml");
    std::fs::write(
        &config,
        format!("workplace: X\nyear: 2027\nstorage: \"{sentence}\"\n"),
    )
    .expect("config");
    let out = tmp.path().join("out");
    generate(Some(&config), &out);
    for document in ["samtaleskema.docx", "udviklingsplan.docx"]
        .iter()
        .chain(GUIDES.iter())
    {
        let text = all_text(&body(&out.join(document)));
        assert!(text.contains(sentence), "{document}: {text}");
    }
    let default = tmp.path().join("default");
    generate(None, &default);
    let text = all_text(&body(&default.join("udviklingsplan.docx")));
    assert!(
        text.contains("til næste års MUS-runde er afsluttet"),
        "{text}"
    );
}

/// Issue 20: the follow-up form and the SU report read as plainly as the
/// guides: no section of either above LIX 40.
#[test]
fn the_follow_up_form_and_the_report_read_at_lix_40_in_every_section() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut csv = String::from(
        "file,employee,manager,unit,date,goal,activities,when,follow_up,kind,status\n",
    );
    for p in 0..10 {
        csv.push_str(&format!(
            "m{p}.docx,Medarbejder {p},Chef,Enhed {},2027-02-{:02},Mål {p},Kursus,Foråret,Juni,samtale,\n",
            p % 2,
            p + 1
        ));
        csv.push_str(&format!(
            "o{p}.docx,Medarbejder {p},Chef,Enhed {},2027-09-{:02},Mål {p},,,,opfoelgning,reached\n",
            p % 2,
            p + 1
        ));
    }
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, csv).expect("csv");
    let config = example("eksempelstyrelsen.yaml");
    let followups = tmp.path().join("opf");
    mus()
        .arg("followup")
        .arg(&collected)
        .arg(&config)
        .arg("-o")
        .arg(&followups)
        .succeeds();
    let report = tmp.path().join("rapport.docx");
    mus()
        .arg("report")
        .arg(&collected)
        .arg(&config)
        .arg("-o")
        .arg(&report)
        .succeeds();
    let mut documents = files_below(&followups);
    documents.truncate(1);
    documents.push(report);
    let mut too_hard = Vec::new();
    for file in documents {
        for (heading, paragraphs) in sections(&body(&file)) {
            let value = lix(&paragraphs);
            if value > MAX_LIX_SECTION {
                too_hard.push(format!("{}: `{heading}` at LIX {value:.0}", file.display()));
            }
        }
    }
    assert!(too_hard.is_empty(), "{}", too_hard.join("\n"));
}

/// Issue 20: the HR guide follows the seed's round, in its order: SU's
/// guidelines, the topics, the service check, the kick-off, preparation,
/// the interviews, the plan handed in, follow-up, SU's evaluation.
#[test]
fn the_hr_guide_follows_the_seeds_round_in_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    generate(None, &out);
    let headings = paragraphs_with_style(&body(&out.join("vejledning-hr.docx")), "Heading2");
    let steps = [
        "SU's retningslinjer",
        "Valg af emner",
        "Servicetjek",
        "Opstartsmøde om værdien af MUS",
        "Forberedelse",
        "Samtalerne",
        "Udviklingsplanen afleveres",
        "Opfølgning",
        "SU's evaluering",
    ];
    let mut last = 0;
    for step in steps {
        let at = headings[last..]
            .iter()
            .position(|h| h.contains(step))
            .unwrap_or_else(|| panic!("`{step}` after step {last}: {headings:?}"));
        last += at + 1;
    }
    let text = all_text(&body(&out.join("vejledning-hr.docx")));
    assert!(text.contains("Kompetencesekretariatet") && text.contains("mus check"));
    assert!(text.contains("kompetencestrategien"), "{text}");
}
