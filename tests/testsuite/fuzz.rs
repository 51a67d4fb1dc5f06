//! Property tests: the config parser (with the plan and the service check
//! behind it) never panics, whatever text it is given. A bounded number of
//! cases runs in every `cargo test`.

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
