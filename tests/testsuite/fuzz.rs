//! Property tests: the config parser (with the plan and the service check
//! behind it) and the house-style reader never panic, whatever they are
//! given. A bounded number of cases runs in every `cargo test`.

use proptest::prelude::*;

use crate::support::example;

/// Pieces that steer random text toward YAML that reaches deep into the parser.
const FRAGMENTS: &[&str] = &[
    "workplace: X\n",
    "year: 2027\n",
    "year: -1\n",
    "unit: ",
    "optional_topics: [innovation, mobilitet]\n",
    "exclude_topics: [udviklingsmaal]\n",
    "order: [",
    "]\n",
    "custom_topics:\n  - id: a\n    title: T\n    questions: [",
    "extra_questions:\n  trivsel:\n    - ",
    "schedule:\n  follow_up_by: 2027-02-30\n",
    "goal_rows: 99999999999\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "? ",
    "- ",
    "\"\\u0001\"",
    "'",
    "\t",
    "{",
    "}",
    ":",
    "\u{F8FF}",
    "æøå",
    "\u{FEFF}",
    "!!binary ",
    "%YAML 1.2\n---\n",
];

fn mutate(base: &str, edits: &[(usize, usize, u8)]) -> String {
    let mut bytes = base.as_bytes().to_vec();
    for &(at, fragment, op) in edits {
        let at = if bytes.is_empty() {
            0
        } else {
            at % bytes.len()
        };
        match op % 3 {
            0 => {
                let piece = FRAGMENTS[fragment % FRAGMENTS.len()].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            1 => {
                let end = (at + fragment % 16).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                if let Some(b) = bytes.get_mut(at) {
                    *b = b.wrapping_add(fragment as u8);
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn parse_and_plan(text: &str) {
    let catalogue = mus::Catalogue::built_in().expect("built-in catalogue");
    if let Ok(config) = mus::Config::parse("fuzz.yaml", text) {
        let _ = mus::Plan::new(&catalogue, &config);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_config_parser_never_panics_on_mutated_examples(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..12),
    ) {
        let name = ["eksempelstyrelsen.yaml", "kontor-for-it.yaml", "kontor-for-oekonomi.yaml"][which];
        let base = std::fs::read_to_string(example(name)).expect("example");
        parse_and_plan(&mutate(&base, &edits));
    }

    #[test]
    fn the_config_parser_never_panics_on_fragments(
        pieces in proptest::collection::vec(0usize..FRAGMENTS.len(), 0..40),
    ) {
        let text: String = pieces.iter().map(|&i| FRAGMENTS[i]).collect();
        parse_and_plan(&text);
    }

    #[test]
    fn the_config_parser_never_panics_on_any_text(text in "\\PC{0,400}") {
        parse_and_plan(&text);
    }
}

/// Pieces that steer a house file's parts toward what the house-style reader refuses or mends.
const HOUSE_FRAGMENTS: &[&str] = &[
    r#"<w:ins w:id="1" w:author="Eva">"#,
    "</w:ins>",
    r#"<w:del w:id="2" w:author="Eva"><w:r><w:delText>hemmelig</w:delText></w:r></w:del>"#,
    r#"<w:r><w:rPr><w:vanish/></w:rPr><w:t>skjult</w:t></w:r>"#,
    r#"<w:commentReference w:id="0"/>"#,
    r#"<w:customXml w:element="x">"#,
    "</w:customXml>",
    r#"<w:basedOn w:val="Normal"/>"#,
    r#"<w:basedOn w:val="Overskrift1"/>"#,
    r#" r:id="rId1""#,
    r#" r:embed="rId9""#,
    r#"w:top="-2147483648""#,
    r#"w:w="99999999999""#,
    r#" encoding="UTF-16""#,
    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    r#"TargetMode="External""#,
    r#"Target="../docProps/core.xml""#,
    "<",
    ">",
    "\"",
    "&amp;",
    "\u{FEFF}",
];

/// `text` with `edits` made: a fragment put in, a few bytes taken out, or a byte changed.
fn mutate_house_part(text: &[u8], edits: &[(usize, usize, u8)]) -> Vec<u8> {
    let mut bytes = text.to_vec();
    for &(at, fragment, op) in edits {
        let at = if bytes.is_empty() {
            0
        } else {
            at % bytes.len()
        };
        match op % 3 {
            0 => {
                let piece = HOUSE_FRAGMENTS[fragment % HOUSE_FRAGMENTS.len()].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            1 => {
                let end = (at + fragment % 16).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                if let Some(b) = bytes.get_mut(at) {
                    *b = b.wrapping_add(fragment as u8);
                }
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The house-style reader never panics on a mutated house file, and what
    /// it takes holds no revision, hidden text or link outside the file.
    #[test]
    fn the_house_style_reader_never_panics_and_takes_nothing_hidden(
        which in 0usize..8,
        edits in proptest::collection::vec((any::<usize>(), any::<usize>(), any::<u8>()), 1..8),
    ) {
        use std::io::Write;
        let mut parts = crate::house_style::house_parts(&crate::house_style::House::default());
        let which = which % parts.len();
        parts[which].1 = mutate_house_part(&parts[which].1, &edits);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in &parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).expect("part");
            zip.write_all(bytes).expect("write part");
        }
        let bytes = zip.finish().expect("zip").into_inner();
        if let Ok(house) = mus::render::house_style::HouseStyle::from_bytes("husstil.docx", &bytes) {
            let theme = house
                .apply("word/theme/theme1.xml", b"<a:theme xmlns:a=\"urn:x\"/>".to_vec())
                .expect("theme");
            let theme = String::from_utf8(theme).expect("utf-8");
            prop_assert!(roxmltree::Document::parse(&theme).is_ok(), "{}", theme);
            let ours = b"<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p/></w:hdr>".to_vec();
            if let Ok(header) = house.apply("word/header1.xml", ours) {
                let header = String::from_utf8(header).expect("utf-8");
                for hidden in ["w:author", "delText", "vanish", "commentReference", "customXml"] {
                    prop_assert!(!header.contains(hidden), "{} in {}", hidden, header);
                }
            }
            let rels = house
                .apply("word/_rels/header1.xml.rels", Vec::new())
                .expect("rels");
            let rels = String::from_utf8(rels).expect("utf-8");
            prop_assert!(!rels.contains("External"), "{}", rels);
        }
    }
}
