//! Messages in the user's language: `--lang`, `MUS_LANG`, the locale; one
//! catalogue per language with the same keys and placeholders.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::*;

fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/messages/{lang}/messages.yaml"));
    serde_yaml::from_str(&std::fs::read_to_string(&path).expect("catalogue"))
        .expect("a map of strings")
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// Every key the source looks up: `msg!("key" …)`, `text_in(language, "key", …)`
/// and `plural("key", …)` (which reads `key.one` and `key.other`).
fn keys_in_source() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for entry in walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("src")) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(entry.path()).expect("source");
        for (marker, plural) in [
            ("msg!(\"", false),
            ("msg!(\n", false),
            ("text_in(language, \"", false),
            ("plural(\"", true),
        ] {
            for (at, _) in source.match_indices(marker) {
                let rest = source[at + marker.len()..]
                    .trim_start()
                    .trim_start_matches('"');
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                if key.contains(' ') || key.is_empty() || key.contains('{') {
                    continue;
                }
                if plural {
                    keys.insert(format!("{key}.one"));
                    keys.insert(format!("{key}.other"));
                } else {
                    keys.insert(key.to_string());
                }
            }
        }
    }
    keys
}

#[test]
fn both_catalogues_have_the_same_keys_and_placeholders_and_every_key_used() {
    let (da, en) = (catalogue("da"), catalogue("en"));
    let da_keys: BTreeSet<&String> = da.keys().collect();
    let en_keys: BTreeSet<&String> = en.keys().collect();
    assert_eq!(
        da_keys.symmetric_difference(&en_keys).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "keys in one catalogue only"
    );
    for (key, text) in &en {
        assert_eq!(
            placeholders(text),
            placeholders(&da[key]),
            "placeholders of `{key}`"
        );
        assert_ne!(text, &da[key], "`{key}` is not translated");
    }
    let used = keys_in_source();
    assert!(used.len() > 20, "the scan finds the lookups: {used:?}");
    let missing: Vec<_> = used.iter().filter(|k| !en.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys used in src/ but in no catalogue: {missing:?}"
    );
    let unused: Vec<_> = en.keys().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "keys no code looks up: {unused:?}");
}

/// A config that `generate` accepts but the service check warns about.
const POOR: &str = "workplace: Styrelsen\nyear: 2027\ngoal_rows: 1\n";

fn check(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> (String, String) {
    let config = dir.join("mus.yaml");
    std::fs::write(&config, POOR).expect("config");
    let mut cmd = mus();
    cmd.arg("check").arg(&config).args(args);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "warnings only");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_danish_locale_gives_danish_findings_and_c_gives_english() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (danish, summary) = check(tmp.path(), &[("LANG", "da_DK.UTF-8")], &[]);
    assert!(danish.contains("advarsel: "), "{danish}");
    assert!(
        danish.contains("der er ingen `schedule.follow_up_by`"),
        "{danish}"
    );
    assert!(
        danish.contains("  hvorfor: Det er ved opfølgningen"),
        "{danish}"
    );
    assert!(
        danish.contains("[no-follow-up]") && danish.contains("[few-goal-rows]"),
        "codes stay: {danish}"
    );
    assert!(
        summary.contains("tjekkede 1 fil: 0 fejl, 2 advarsler"),
        "{summary}"
    );

    let (english, summary) = check(tmp.path(), &[("LANG", "C")], &[]);
    assert!(english.contains("warning: "), "{english}");
    assert!(english.contains("no `schedule.follow_up_by`"), "{english}");
    assert!(
        english.contains("  why: Follow-up is where MUS most often fails"),
        "{english}"
    );
    assert!(
        summary.contains("checked 1 file: 0 errors, 2 warnings"),
        "{summary}"
    );
}

#[test]
fn the_flag_beats_mus_lang_which_beats_the_locale() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (text, _) = check(
        tmp.path(),
        &[("LANG", "da_DK.UTF-8"), ("MUS_LANG", "en")],
        &[],
    );
    assert!(
        text.contains("warning: "),
        "MUS_LANG=en over a Danish locale: {text}"
    );
    let (text, _) = check(tmp.path(), &[("MUS_LANG", "en")], &["--lang", "da"]);
    assert!(
        text.contains("advarsel: "),
        "--lang da over MUS_LANG=en: {text}"
    );
    let (text, _) = check(tmp.path(), &[("LC_ALL", "C"), ("LANG", "da_DK.UTF-8")], &[]);
    assert!(
        text.contains("warning: "),
        "LC_ALL comes before LANG: {text}"
    );
}

#[test]
fn codes_and_json_keys_do_not_change_with_the_language() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let json = |lang: &str| -> Vec<serde_json::Value> {
        let (out, _) = check(tmp.path(), &[], &["--format", "json", "--lang", lang]);
        serde_json::from_str(&out).expect("json")
    };
    let (da, en) = (json("da"), json("en"));
    assert_eq!(da.len(), 2);
    let shape = |findings: &[serde_json::Value]| -> Vec<(Vec<String>, String, String)> {
        findings
            .iter()
            .map(|f| {
                let object = f.as_object().expect("object");
                (
                    object.keys().cloned().collect(),
                    f["code"].to_string(),
                    f["severity"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(shape(&da), shape(&en));
    assert_ne!(da[0]["message"], en[0]["message"], "the text is translated");
}

#[test]
fn help_is_in_danish_with_lang_da() {
    let output = mus()
        .args(["--lang", "da", "--help"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Tjek konfigurationer før en runde"), "{text}");
    let output = mus()
        .args(["check", "--help"])
        .env("LANG", "da_DK.UTF-8")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Tjek konfigurationer før en runde"), "{text}");
    let output = mus().args(["--help"]).output().expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Check configs before a round"), "{text}");
}

#[test]
fn clap_s_own_words_are_danish_too_and_mus_help_command_is_the_same_help() {
    let help = |args: &[&str]| {
        let output = mus().args(args).env("LANG", "da_DK.UTF-8").succeeds();
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    for args in [&["--help"][..], &["init", "--help"], &["check", "-h"]] {
        let text = help(args);
        for danish in ["Brug: mus", "[TILVALG]", "Tilvalg:", "Vis hjælp"] {
            assert!(text.contains(danish), "{danish} in {args:?}: {text}");
        }
        for english in [
            "Usage:",
            "Options:",
            "Print help",
            "possible values",
            "[default",
            "[OPTIONS]",
            "<COMMAND>",
        ] {
            assert!(!text.contains(english), "{english} in {args:?}: {text}");
        }
    }
    assert!(help(&["--help"]).contains("Kommandoer:"));
    assert!(help(&["--help"]).contains("Brug: mus [TILVALG] <KOMMANDO>"));
    assert!(help(&["init", "--help"]).contains("[standard: mus.yaml]"));
    assert!(help(&["init", "--help"]).contains("[mulige værdier: da, en]"));
    assert_eq!(help(&["help", "init"]), help(&["init", "--help"]));
    assert_eq!(
        help(&["--lang", "da", "help", "init"]),
        help(&["init", "--help"])
    );
    assert_eq!(help(&["help"]), help(&["--help"]));
    // English stays as clap writes it.
    let output = mus().args(["help", "init"]).succeeds();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Usage: mus init") && text.contains("[default: mus.yaml]"),
        "{text}"
    );
}

#[test]
fn catalogue_errors_and_init_refusals_are_danish_under_a_danish_locale() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("topics.yaml"),
        "topics:\n  - id: Trivsel\n    kind: basic\n    title: Trivsel\n    intro: ''\n    questions: [Hvad?]\n",
    )
    .expect("catalogue");
    let output = mus()
        .args(["topics", "--concept"])
        .arg(tmp.path())
        .env("LANG", "da_DK.UTF-8")
        .fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("emne-id'et `Trivsel` må kun have små bogstaver"),
        "{err}"
    );
    let config = tmp.path().join("mus.yaml");
    std::fs::write(&config, "workplace: X\n").expect("config");
    let output = mus()
        .arg("init")
        .arg(&config)
        .env("LANG", "da_DK.UTF-8")
        .fails_with(1);
    assert!(
        stderr(&output).contains("findes allerede"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn errors_in_a_config_are_danish_under_a_danish_locale() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    std::fs::write(
        &config,
        "workplace: Styrelsen\nyear: 2027\noptional_topics: [inovation]\n",
    )
    .expect("config");
    let output = mus()
        .arg("check")
        .arg(&config)
        .env("LANG", "da_DK.UTF-8")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("fejl: ") && text.contains("ukendt emne `inovation` i `optional_topics`"),
        "{text}"
    );
    assert!(text.contains("  råd: mente du `innovation`?"), "{text}");
    assert!(text.contains("[unknown-topic]"), "{text}");
}

/// What `mus check` prints for a config of `bytes`, under a Danish locale.
fn danish_check_of(bytes: &[u8]) -> String {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    std::fs::write(&config, bytes).expect("config");
    let output = mus()
        .arg("check")
        .arg(&config)
        .env("LANG", "da_DK.UTF-8")
        .fails_with(1);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_tab_in_the_yaml_is_named_at_its_place_with_a_danish_hint() {
    let text = danish_check_of(b"workplace: X\nyear: 2027\n\tgoal_rows: 3\n");
    assert!(text.contains("mus.yaml:3:1: et tabulatortegn"), "{text}");
    assert!(
        text.contains("  råd: erstat tabulatortegnet med mellemrum"),
        "{text}"
    );
    let text = danish_check_of(b"workplace: X\nyear: 2027\noptional_topics:\n\t- motivation\n");
    assert!(text.contains("mus.yaml:4:1: et tabulatortegn"), "{text}");
    assert!(!text.contains("tabs disallowed"), "{text}");
}

#[test]
fn a_colon_in_a_value_gets_the_value_in_quotes_as_a_danish_hint() {
    let text = danish_check_of(b"workplace: Styrelsen: IT\nyear: 2027\n");
    assert!(
        text.contains("mus.yaml:1:21: et `:` med mellemrum efter inde i en værdi"),
        "{text}"
    );
    assert!(
        text.contains("råd: sæt værdien i anførselstegn: `workplace: \"Styrelsen: IT\"`"),
        "{text}"
    );
    assert!(!text.contains("mapping values"), "{text}");
    let text = danish_check_of(
        "workplace: X\nyear: 2027\ncustom_topics:\n  - id: maal\n    title: Mål: at lære\n    questions: [Hvad?]\n"
            .as_bytes(),
    );
    assert!(
        text.contains("mus.yaml:5:15:") && text.contains("`title: \"Mål: at lære\"`"),
        "{text}"
    );
}

#[test]
fn a_line_indented_out_of_step_gets_a_danish_hint() {
    for config in [
        "workplace: X\n  year: 2027\n",
        "workplace: X\nyear: 2027\nschedule:\n  interviews_from: 2027-01-01\n interviews_to: 2027-02-01\n",
        "workplace: X\nyear: 2027\ncustom_topics:\n  - id: a\n    title: A\n   questions: [q]\n",
    ] {
        let text = danish_check_of(config.as_bytes());
        assert!(
            text.contains("indrykningen passer ikke til linjerne ovenfor"),
            "{config}: {text}"
        );
        assert!(
            text.contains("råd: nøgler på samme niveau begynder i samme kolonne"),
            "{config}: {text}"
        );
    }
    assert!(
        danish_check_of(b"workplace: X\n  year: 2027\n").contains("mus.yaml:2:"),
        "the line is named"
    );
}

#[test]
fn a_dash_without_a_space_gets_the_item_written_right_as_a_danish_hint() {
    for (config, place, item) in [
        (
            "workplace: X\nyear: 2027\noptional_topics:\n  -motivation\n",
            "mus.yaml:4:3:",
            "`- motivation`",
        ),
        (
            "workplace: X\nyear: 2027\noptional_topics:\n  - motivation\n  -trivsel\n",
            "mus.yaml:5:3:",
            "`- trivsel`",
        ),
        (
            "workplace: X\nyear: 2027\ncustom_topics:\n  -id: a\n    title: A\n",
            "mus.yaml:4:3:",
            "`- id: a`",
        ),
    ] {
        let text = danish_check_of(config.as_bytes());
        assert!(
            text.contains(place) && text.contains("skal have et mellemrum efter `-`"),
            "{config}: {text}"
        );
        assert!(
            text.contains(&format!("råd: skriv {item}")),
            "{config}: {text}"
        );
    }
}

#[test]
fn serde_s_words_for_a_wrong_value_are_danish_too() {
    let text = danish_check_of(b"workplace: X\nyear: 2027\ngoal_rows: mange\n");
    assert!(
        text.contains("goal_rows: her står teksten \"mange\", men der skal stå et helt tal"),
        "{text}"
    );
    let text = danish_check_of(b"workplace: X\nyear: 2027\nworkplac: Y\n");
    assert!(text.contains("ukendt nøgle `workplac`"), "{text}");
    let text = danish_check_of(b"workplace: X\nyear: 2027\nlanguage: fr\n");
    assert!(
        text.contains("ukendt værdi `fr`; den kan være `da`, `en`"),
        "{text}"
    );
    for english in ["invalid type", "unknown field", "expected"] {
        assert!(!text.contains(english), "{english}: {text}");
    }
}

#[test]
fn a_config_saved_in_windows_1252_is_refused_at_the_character_with_how_to_save_it_in_notepad() {
    // "Økonomi" as Notepad saves it in Windows-1252: Ø is the byte 0xD8.
    let text = danish_check_of(b"workplace: X\nunit: \xD8konomi\nyear: 2027\n");
    assert!(
        text.contains(
            "mus.yaml:2:7: filen er ikke UTF-8-tekst: tegnet her læses som `Ø` i Windows-1252"
        ),
        "{text}"
    );
    assert!(
        text.contains("råd: gem filen som UTF-8") && text.contains("Notesblok"),
        "{text}"
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    std::fs::write(&config, b"workplace: \xD8konomi\nyear: 2027\n").expect("config");
    let output = mus().arg("generate").arg(&config).fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("mus.yaml:1:12: the file is not UTF-8 text")
            && err.contains("in Notepad, choose File → Save As, set Encoding to UTF-8"),
        "{err}"
    );
    // Notepad's "Unicode" (UTF-16) is no Windows-1252: plain words, the same advice.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("workplace: X\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&config, utf16).expect("config");
    let err = stderr(&mus().arg("generate").arg(&config).fails_with(1));
    assert!(
        err.contains("mus.yaml:1:1: the file is not UTF-8 text") && err.contains("Notepad"),
        "{err}"
    );
}

#[test]
fn every_command_s_help_is_the_catalogue_s_text_in_danish_and_in_english() {
    for lang in ["da", "en"] {
        let texts = catalogue(lang);
        for command in [
            "generate",
            "topics",
            "check",
            "init",
            "schema",
            "preview",
            "collect",
            "followup",
            "report",
            "completions",
            "man",
        ] {
            let output = mus().args(["--lang", lang, command, "--help"]).succeeds();
            let help = String::from_utf8_lossy(&output.stdout);
            let about = &texts[&format!("help.{command}")];
            assert!(help.starts_with(about.as_str()), "{lang} {command}: {help}");
        }
        let output = mus().args(["--lang", lang, "report", "--help"]).succeeds();
        let help = String::from_utf8_lossy(&output.stdout);
        for key in ["help.report.roster", "help.arg.force", "help.lang"] {
            assert!(help.contains(texts[key].as_str()), "{lang} {key}: {help}");
        }
    }
}

#[test]
fn the_man_page_and_completions_are_the_same_help_in_the_same_language() {
    let da = catalogue("da");
    let output = mus().args(["--lang", "da", "man"]).succeeds();
    let page = String::from_utf8_lossy(&output.stdout).replace("\\-", "-");
    assert!(page.contains(&da["help.check"]), "{page}");
    let output = mus().args(["--lang", "da", "man", "generate"]).succeeds();
    let page = String::from_utf8_lossy(&output.stdout).replace("\\-", "-");
    assert!(page.contains(".TH mus-generate 1"), "{page}");
    assert!(page.contains(&da["help.generate.json"]), "{page}");
    let output = mus()
        .args(["completions", "fish"])
        .env("LANG", "da_DK.UTF-8")
        .succeeds();
    let script = String::from_utf8_lossy(&output.stdout);
    assert!(script.contains(&da["help.collect"]), "{script}");
    assert!(
        !script.contains("Danish, the default"),
        "a language value has no English help of its own: {script}"
    );
}

#[test]
fn every_page_the_man_page_refers_to_is_one_mus_man_prints() {
    let page = |args: &[&str]| {
        let output = mus().arg("man").args(args).succeeds();
        String::from_utf8_lossy(&output.stdout).replace("\\-", "-")
    };
    let main = page(&[]);
    let referred: BTreeSet<String> = main
        .split("mus-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name.to_string()))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    assert!(
        referred.contains("generate") && referred.contains("report"),
        "{referred:?}"
    );
    for name in &referred {
        let sub = page(&[name]);
        assert!(sub.contains(&format!(".TH mus-{name} 1")), "{name}: {sub}");
    }
    let output = mus().args(["man", "nosuch"]).fails_with(2);
    assert!(stderr(&output).contains("`nosuch`"), "{}", stderr(&output));
}

/// Words of English that no Danish message has: a Danish run that prints
/// one of them, outside a value in backticks or a file name, prints an
/// English literal.
const ENGLISH_WORDS: &[&str] = &[
    "the",
    "is",
    "not",
    "cannot",
    "no",
    "such",
    "and",
    "with",
    "which",
    "does",
    "found",
    "expected",
    "invalid",
    "error",
    "warning",
    "hint",
    "why",
    "caused",
    "file",
    "files",
    "folder",
    "directory",
    "read",
    "write",
    "unknown",
    "missing",
    "than",
    "this",
    "there",
    "of",
    "or",
    "from",
    "has",
    "are",
    "must",
    "should",
    "only",
    "while",
    "when",
    "into",
    "was",
    "its",
    "that",
    "could",
    "would",
    "will",
    "been",
    "permission",
    "denied",
    "exists",
    "written",
    "kept",
    "line",
    "row",
    "value",
];

/// The English words in `output`, leaving out what stands in backticks
/// (keys, values, commands), a finding's code (`[no-configs]`) and file names.
fn english_words_in(output: &str) -> Vec<String> {
    let outside_backticks: String = output.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    let outside_backticks: String = outside_backticks
        .split_whitespace()
        .filter(|word| !(word.starts_with('[') && word.ends_with(']')))
        .collect::<Vec<_>>()
        .join(" ");
    outside_backticks
        .split_whitespace()
        .filter(|word| !word.contains(['/', '\\', '.', '_', '=']) || word.ends_with(['.', ':']))
        .flat_map(|word| word.split(|c: char| !c.is_alphabetic()))
        .map(str::to_lowercase)
        .filter(|word| ENGLISH_WORDS.contains(&word.as_str()))
        .collect()
}

#[test]
fn the_english_word_finder_finds_english_and_leaves_danish_and_values_alone() {
    assert_eq!(
        english_words_in("fejl: mus.yaml:3:1: cannot read the file"),
        ["cannot", "read", "the", "file"]
    );
    assert!(
        english_words_in(
            "fejl: r.csv:3:4: række 3: `the file` er ikke en dato\n  råd: skriv `- motivation`"
        )
        .is_empty()
    );
}

#[test]
fn a_danish_run_of_each_command_s_common_errors_and_warnings_has_no_english_literal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("write");
    std::fs::copy(example("eksempelstyrelsen.yaml"), dir.join("c.yaml")).expect("config");
    std::fs::create_dir(dir.join("tom")).expect("folder");
    write("poor.yaml", POOR.as_bytes());
    write("tab.yaml", b"workplace: X\nyear: 2027\n\tgoal_rows: 3\n");
    write("colon.yaml", b"workplace: Styrelsen: IT\nyear: 2027\n");
    write(
        "dash.yaml",
        b"workplace: X\nyear: 2027\noptional_topics:\n  -motivation\n",
    );
    write("indent.yaml", b"workplace: X\n  year: 2027\n");
    write(
        "type.yaml",
        b"workplace: X\nyear: 2027\ngoal_rows: mange\nlanguage: fr\n",
    );
    write("key.yaml", b"workplace: X\nyear: 2027\nworkplac: Y\n");
    write("cp1252.yaml", b"workplace: \xD8konomi\nyear: 2027\n");
    write(
        "topics.yaml",
        b"workplace: X\nyear: 2027\ncustom_topics:\n  - id: a\n    title: A\n    questions: [Hvad?]\n  - id: a\n    title: B\n    questions: [Hvordan?]\nextra_questions:\n  innovation: [Hvad nu?]\n",
    );
    write("optaget.txt", b"her ligger noget");
    write(
        "medarbejdere.csv",
        b"navn;leder;enhed;dato\nAnna;Bo;IT;2027-03-01\nCarl;Bo;IT;xx\n",
    );
    write(
        "windows.csv",
        b"navn;leder;enhed;dato\n\xD8jvind;Bo;IT;2027-03-01\n",
    );
    write("skema.docx", b"ikke en zip");
    // Over the limits: a roster cell of 5 KB, a config of 3 MB.
    let long_name = format!("navn;leder;enhed\n{};Bo;IT\n", "A".repeat(5 << 10));
    write("lang.csv", long_name.as_bytes());
    write("stor.yaml", &vec![b'#'; 3 << 20]);
    std::fs::create_dir(dir.join("katalog")).expect("folder");
    write(
        "katalog/topics.yaml",
        b"topics:\n  - id: Trivsel\n    kind: basic\n    title: Trivsel\n    intro: ''\n    questions: [Hvad?]\n",
    );
    let runs: &[&[&str]] = &[
        &["check", "findes-ikke.yaml"],
        &["check", "tom"],
        &["check", "poor.yaml"],
        &[
            "check",
            "tab.yaml",
            "colon.yaml",
            "dash.yaml",
            "indent.yaml",
        ],
        &[
            "check",
            "type.yaml",
            "key.yaml",
            "cp1252.yaml",
            "topics.yaml",
        ],
        &["generate", "findes-ikke.yaml"],
        &["generate", "c.yaml", "--templates", "findes-ikke"],
        &["generate", "c.yaml", "-o", "optaget.txt"],
        &["generate", "c.yaml", "--roster", "findes-ikke.csv"],
        &["generate", "c.yaml", "--roster", "medarbejdere.csv"],
        &["generate", "c.yaml", "--roster", "windows.csv", "-o", "ud"],
        &["generate", "c.yaml", "--roster", "lang.csv"],
        &["check", "stor.yaml"],
        &["preview", "findes-ikke.yaml"],
        &["collect", "findes-ikke"],
        &["collect", "skema.docx"],
        &["collect", "ud", "-o", "maal.csv"],
        &["followup", "findes-ikke.csv", "c.yaml"],
        &["report", "findes-ikke.csv", "c.yaml"],
        &["init", "c.yaml"],
        &["topics", "--concept", "katalog"],
        &["man", "findes-ikke"],
        // Usage errors, which clap would say in English.
        &["check", "--foo", "c.yaml"],
        &["chek", "c.yaml"],
        &["init", "--language", "fr"],
        &["check"],
        &["generate", "-j", "0"],
        &["check", "c.yaml", "--format"],
        &["preview", "c.yaml", "mere"],
        &["check", "--format", "text", "--format", "json", "c.yaml"],
        &["generate", "--json=ja"],
        &["generate", "--previous", "maal.csv"],
    ];
    let mut failures = Vec::new();
    for args in runs {
        let output = mus()
            .args(*args)
            .current_dir(dir)
            .env("LANG", "da_DK.UTF-8")
            .output()
            .expect("runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let text: String = text
            .lines()
            .filter(|line| !line.starts_with("file,employee"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!text.trim().is_empty(), "{args:?} says something");
        let english = english_words_in(&text);
        if !english.is_empty() {
            failures.push(format!("{args:?}: {english:?} in\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let output = mus()
        .args(["generate", "c.yaml", "-o", "ud2"])
        .current_dir(dir)
        .env("LANG", "da_DK.UTF-8")
        .env("SOURCE_DATE_EPOCH", "i går")
        .output()
        .expect("runs");
    let english = english_words_in(&String::from_utf8_lossy(&output.stderr));
    assert!(english.is_empty(), "SOURCE_DATE_EPOCH: {english:?}");
}

#[test]
fn a_usage_error_is_said_in_the_user_s_language_with_exit_2() {
    let output = mus()
        .args(["chek", "mus.yaml"])
        .env("LANG", "da_DK.UTF-8")
        .fails_with(2);
    let err = stderr(&output);
    assert!(
        err.starts_with("fejl: `chek` er ikke en kommando i mus\n  råd: mente du `check`?"),
        "{err}"
    );
    assert!(err.contains("Brug: mus"), "{err}");
    let output = mus().args(["init", "--language", "fr"]).fails_with(2);
    let err = stderr(&output);
    assert!(
        err.starts_with(
            "error: `fr` is not a value `--language <LANGUAGE>` takes; it takes `da`, `en`"
        ),
        "{err}"
    );
}
