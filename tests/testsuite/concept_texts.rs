//! The concept's own texts hold in the room: every box asks one thing, the
//! Balance topic asks about how the work is arranged and never about private
//! life, each topic section reads at LIX 40 or below, the leader guide says
//! what not to ask or write down, and every shipped example fits its hour.

use std::path::{Path, PathBuf};

use mus::{Catalogue, Language};

use crate::support::*;
use crate::texts::{lix, sections};

/// Words that open a Danish question clause.
const WH_DA: &[&str] = &[
    "hvad", "hvordan", "hvorfor", "hvilke", "hvilken", "hvilket", "hvornår", "hvor", "hvem",
];
/// Words that open an English question clause.
const WH_EN: &[&str] = &[
    "what", "how", "why", "which", "when", "where", "who", "whom", "whose",
];

/// How many clauses of `question` open with one of `wh`: a clause starts the
/// sentence or follows a comma, a dash or a joining "og"/"eller"
/// ("and"/"or"). One box, one question: more than one is a double question.
fn question_clauses(question: &str, wh: &[&str]) -> usize {
    let mut clauses = 0;
    let mut at_start = true;
    for token in question
        .split_inclusive(|c: char| c.is_whitespace() || matches!(c, ',' | '?' | '.' | '!' | '–'))
    {
        let word: String = token
            .trim_matches(|c: char| !c.is_alphabetic())
            .to_lowercase();
        if word.is_empty() {
            // A lone dash or punctuation between words starts a clause.
            at_start |= token.contains([',', '?', '.', '!', '–']);
            continue;
        }
        if at_start && wh.contains(&word.as_str()) {
            clauses += 1;
        }
        at_start = matches!(word.as_str(), "og" | "eller" | "and" | "or")
            || token.contains([',', '?', '.', '!', '–']);
    }
    clauses
}

#[test]
fn the_double_question_rule_counts_question_clauses() {
    for (question, n) in [
        ("Hvad gjorde de gode resultater mulige?", 1),
        (
            "Hvad er du særligt god til, og hvornår kommer dine styrker bedst til udtryk?",
            2,
        ),
        ("Hvornår og hvordan følger vi op på dine mål?", 2),
        (
            "Hvad kan du selv gøre, og hvad kan jeg som leder gøre, for at du oplever en god balance?",
            2,
        ),
        ("Hvordan kan vi bruge det, der virker, andre steder?", 1),
        ("Hvem kan du lære af og få sparring fra undervejs?", 1),
        (
            "Hvad betyder karriere for dig – faglig fordybelse, mere ansvar eller noget andet?",
            1,
        ),
    ] {
        assert_eq!(question_clauses(question, WH_DA), n, "{question}");
    }
    assert_eq!(
        question_clauses(
            "What are you particularly good at, and when do your strengths show best?",
            WH_EN
        ),
        2
    );
    assert_eq!(
        question_clauses("When and how will we follow up on your goals?", WH_EN),
        2
    );
    assert_eq!(
        question_clauses("How can we use what works in other places?", WH_EN),
        1
    );
}

fn catalogues() -> [(Catalogue, &'static [&'static str]); 2] {
    [
        (
            Catalogue::built_in_for(Language::Da).expect("Danish catalogue"),
            WH_DA,
        ),
        (
            Catalogue::built_in_for(Language::En).expect("English catalogue"),
            WH_EN,
        ),
    ]
}

#[test]
fn every_question_of_the_concept_asks_one_thing() {
    let mut double = Vec::new();
    for (catalogue, wh) in catalogues() {
        for topic in &catalogue.topics {
            for question in topic.questions.iter().chain(&topic.more_questions) {
                if question_clauses(question, wh) > 1 {
                    double.push(format!("{}: {question}", topic.id));
                }
            }
        }
    }
    assert!(
        double.is_empty(),
        "double questions:\n{}",
        double.join("\n")
    );
}

/// Every shipped example config.
fn examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    assert!(out.len() >= 4, "{out:?}");
    out
}

fn generate(config: &Path, out: &Path) {
    mus()
        .args(["generate", "-o"])
        .arg(out)
        .arg(config)
        .succeeds();
}

/// The questions of a form that have a note box: each paragraph followed by
/// a table of one empty cell.
fn boxed_questions(form: &Path) -> Vec<String> {
    let body = body(form);
    body.windows(2)
        .filter_map(|pair| match pair {
            [Element::Paragraph { text, .. }, Element::Table(t)]
                if t.rows == vec![vec![String::new()]] =>
            {
                Some(text.clone())
            }
            _ => None,
        })
        .collect()
}

/// The workplace's own questions (own topics, extra questions) are held to
/// the same rule as the concept's, in the form where they get a box.
#[test]
fn every_boxed_question_in_every_example_asks_one_thing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut double = Vec::new();
    for config in examples() {
        let out = tmp.path().join(config.file_stem().expect("name"));
        generate(&config, &out);
        let text = std::fs::read_to_string(&config).expect("config");
        let wh = if text.contains("language: en") {
            WH_EN
        } else {
            WH_DA
        };
        for question in boxed_questions(&out.join("samtaleskema.docx")) {
            if question_clauses(&question, wh) > 1 {
                double.push(format!("{}: {question}", config.display()));
            }
        }
    }
    assert!(
        double.is_empty(),
        "double questions:\n{}",
        double.join("\n")
    );
}

/// Most boxes a 90-minute interview holds: 16 × 3 minutes, 30 for the goals
/// and 10 for the opening and the close make 88.
const MAX_BOXES: usize = 16;

#[test]
fn every_example_fits_its_hour_and_passes_strict() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for config in examples() {
        let out = tmp.path().join(config.file_stem().expect("name"));
        generate(&config, &out);
        let boxes = boxed_questions(&out.join("samtaleskema.docx"));
        assert!(
            boxes.len() <= MAX_BOXES,
            "{}: {} boxed questions:\n{}",
            config.display(),
            boxes.len(),
            boxes.join("\n")
        );
        let output = mus()
            .args(["check", "--strict"])
            .arg(&config)
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            config.display(),
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn a_seventeenth_box_makes_the_interview_too_long() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("unit.yaml");
    // Eksempelstyrelsen's 15 boxes and two more.
    std::fs::write(
        &config,
        format!(
            "extends: {}\nextra_questions:\n  trivsel:\n    - Hvilke pauser giver dig ny energi?\n    - Hvordan holder du fri fra mails efter arbejdstid?\n",
            example("eksempelstyrelsen.yaml").display()
        ),
    )
    .expect("config");
    let output = mus()
        .args(["check", "--strict", "--format", "json"])
        .arg(&config)
        .output()
        .expect("runs");
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let long = findings
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "long-interview")
        .unwrap_or_else(|| panic!("no long-interview in {findings:#}"));
    let message = long["message"].as_str().unwrap_or_default();
    // 17 × 3 + 30 + 10.
    assert!(message.contains("91"), "{message}");
    assert!(message.contains("17"), "{message}");
}

/// Stems (Danish) and words (English) that point at life outside work, health
/// or family: none belongs in a Balance question.
const PRIVATE_DA: &[&str] = &[
    "privat",
    "fritid",
    "familie",
    "børn",
    "barn",
    "barsel",
    "gravid",
    "helbred",
    "sygdom",
    "syg",
    "sygemeld",
    "liv",
    "livet",
    "hjemmeliv",
    "partner",
    "ægtefælle",
];
const PRIVATE_EN: &[&str] = &[
    "private",
    "personal",
    "family",
    "families",
    "child",
    "children",
    "parental",
    "maternity",
    "paternity",
    "pregnancy",
    "pregnant",
    "health",
    "illness",
    "ill",
    "sick",
    "sickness",
    "life",
    "lives",
    "partner",
    "spouse",
];

fn mentions_private_life(question: &str, stems: &[&str], danish: bool) -> Option<String> {
    let lower = question.to_lowercase();
    if lower.contains("uden for arbejde") || lower.contains("outside work") {
        return Some("outside work".to_string());
    }
    lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .find(|word| {
            stems.iter().any(|stem| {
                // Danish compounds: "privatliv", "familieplaner", "sygdommen".
                if danish && stem.len() > 3 {
                    word.starts_with(stem) || word.ends_with(stem)
                } else {
                    word == stem
                }
            })
        })
        .map(str::to_string)
}

#[test]
fn no_balance_question_asks_about_life_outside_work_health_or_family() {
    let mut private = Vec::new();
    for (catalogue, wh) in catalogues() {
        let danish = wh == WH_DA;
        let stems = if danish { PRIVATE_DA } else { PRIVATE_EN };
        let balance = catalogue
            .get("balance-arbejde-familie")
            .expect("the Balance topic");
        assert!(balance.questions.len() >= 2);
        for question in balance.questions.iter().chain(&balance.more_questions) {
            if let Some(word) = mentions_private_life(question, stems, danish) {
                private.push(format!("`{word}` in: {question}"));
            }
        }
    }
    assert!(private.is_empty(), "{}", private.join("\n"));
    assert!(
        mentions_private_life(
            "Hvad vil du fortælle om dit liv uden for arbejdet?",
            PRIVATE_DA,
            true
        )
        .is_some()
    );
    assert!(
        mentions_private_life(
            "Hvordan hænger dit privatliv sammen med arbejdet?",
            PRIVATE_DA,
            true
        )
        .is_some()
    );
    assert!(mentions_private_life("What about your family plans?", PRIVATE_EN, false).is_some());
}

#[test]
fn the_balance_topic_is_named_as_the_seed_names_it() {
    let danish = Catalogue::built_in_for(Language::Da).expect("catalogue");
    assert_eq!(
        danish.get("balance-arbejde-familie").expect("topic").title,
        "Balance mellem arbejds- og familieliv"
    );
    let english = Catalogue::built_in_for(Language::En).expect("catalogue");
    assert_eq!(
        english.get("balance-arbejde-familie").expect("topic").title,
        "Work–life balance"
    );
}

/// Highest LIX of one topic section in the form: the heading with the intro
/// and the boxed questions, and the list of questions for inspiration.
const MAX_LIX_TOPIC_SECTION: f64 = 40.0;

#[test]
fn every_topic_section_of_the_form_reads_at_lix_40_or_below() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    std::fs::write(
        &config,
        "workplace: X\nyear: 2027\noptional_topics: [mobilitet, talent-og-karriere, balance-arbejde-familie, innovation]\n",
    )
    .expect("config");
    let out = tmp.path().join("out");
    generate(&config, &out);
    let catalogue = Catalogue::built_in_for(Language::Da).expect("catalogue");
    let body = body(&out.join("samtaleskema.docx"));
    let all = sections(&body);
    let mut too_hard = Vec::new();
    let mut measured = 0;
    for (i, (heading, paragraphs)) in all.iter().enumerate() {
        let topic = catalogue
            .topics
            .iter()
            .find(|t| heading.ends_with(t.title.as_str()));
        let name = match topic {
            Some(t) => t.id.clone(),
            None if heading == "Flere spørgsmål til inspiration" => {
                // The list belongs to the topic section before it.
                let owner = all[..i]
                    .iter()
                    .rev()
                    .find_map(|(h, _)| {
                        catalogue
                            .topics
                            .iter()
                            .find(|t| h.ends_with(t.title.as_str()))
                    })
                    .map_or("?", |t| t.id.as_str());
                format!("{owner}: {heading}")
            }
            None => continue,
        };
        measured += 1;
        let value = lix(paragraphs);
        if value > MAX_LIX_TOPIC_SECTION {
            too_hard.push(format!("`{name}` at LIX {value:.1}"));
        }
    }
    assert!(measured >= 18, "every topic and list measured: {measured}");
    assert!(too_hard.is_empty(), "{}", too_hard.join("\n"));
}

/// The leader guide says what not to ask or write down, and what to do when
/// the employee raises it.
#[test]
fn the_leader_guide_says_not_to_ask_about_or_write_down_sensitive_matters() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (config, heading, words) in [
        (
            "eksempelstyrelsen.yaml",
            "Spørg ikke til helbred og privatliv",
            &[
                "helbred",
                "graviditet",
                "familieplaner",
                "følsomme",
                "skriv dem ikke ned",
                "lyt",
                "Skriv kun den aftale ned",
            ][..],
        ),
        (
            "international-unit.yaml",
            "Do not ask about health or private life",
            &[
                "health",
                "pregnancy",
                "family plans",
                "sensitive",
                "do not write them down",
                "listen",
                "Write down only the arrangement",
            ][..],
        ),
    ] {
        let out = tmp.path().join(config);
        generate(&example(config), &out);
        let body = body(&out.join("vejledning-leder.docx"));
        let at = body
            .iter()
            .position(|e| matches!(e, Element::Paragraph { style, text } if style.starts_with("Heading") && text == heading))
            .unwrap_or_else(|| panic!("{config}: no section `{heading}`"));
        let Some(Element::Paragraph { text, .. }) = body.get(at + 1) else {
            panic!("{config}: no paragraph under `{heading}`");
        };
        for word in words {
            assert!(text.contains(word), "{config}: `{word}` not in: {text}");
        }
        let sentences = text.matches(['.', '!', '?']).count();
        assert!(
            (2..=3).contains(&sentences),
            "{config}: two or three sentences: {text}"
        );
    }
}
