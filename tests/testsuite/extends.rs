//! `extends`: unit configs built on a workplace config.

use crate::check::line_of;
use crate::support::*;

fn topics(config: &std::path::Path) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let output = mus()
        .args(["generate", "--json", "-o"])
        .arg(tmp.path())
        .arg(config)
        .succeeds();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    json["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t.as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_workplace_and_two_units_give_their_topic_orders() {
    assert_eq!(
        topics(&example("eksempelstyrelsen.yaml")),
        [
            "siden-sidst",
            "opgaveloesning",
            "trivsel",
            "samarbejde",
            "talent-og-karriere",
            "innovation",
            "udviklingsmaal"
        ]
    );
    assert_eq!(
        topics(&example("kontor-for-oekonomi.yaml")),
        [
            "siden-sidst",
            "trivsel",
            "opgaveloesning",
            "digital-omstilling",
            "balance-arbejde-familie",
            "udviklingsmaal"
        ]
    );
    assert_eq!(
        topics(&example("kontor-for-it.yaml")),
        [
            "siden-sidst",
            "opgaveloesning",
            "trivsel",
            "samarbejde",
            "innovation",
            "mobilitet",
            "udviklingsmaal"
        ]
    );
}

#[test]
fn a_unit_inherits_what_it_does_not_set_and_merges_dates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let output = mus()
        .args(["generate", "-o"])
        .arg(&out)
        .arg(example("kontor-for-it.yaml"))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let form = out.join("samtaleskema.docx");
    assert_eq!(
        part_text(&form, "word/header1.xml"),
        "Eksempelstyrelsen · Kontor for IT · MUS 2027"
    );
    let hr = all_text(&body(&out.join("vejledning-hr.docx")));
    assert!(
        hr.contains("15. oktober 2027"),
        "the unit's own follow-up date"
    );
    assert!(
        hr.contains("15. november 2027"),
        "the SU date inherited from the workplace"
    );
    let innovation = body(&form);
    assert!(
        all_text(&innovation).contains("Hvilke ideer fra driften af systemerne"),
        "extra question merged in"
    );
}

#[test]
fn a_cycle_exits_1_naming_the_chain() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("a.yaml"),
        "extends: b.yaml\nworkplace: A\nyear: 2027\n",
    )
    .expect("a");
    std::fs::write(tmp.path().join("b.yaml"), "extends: a.yaml\n").expect("b");
    let output = mus()
        .args(["generate", "-o"])
        .arg(tmp.path().join("out"))
        .arg(tmp.path().join("a.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cycle"), "{stderr}");
    let chain = stderr.lines().next().unwrap_or_default();
    let a = chain.find("a.yaml → ").expect("a first");
    let b = chain[a..].find("b.yaml → ").expect("then b");
    assert!(chain[a + b..].contains("a.yaml"), "and back to a: {chain}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_missing_parent_exits_1_naming_the_chain() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("enhed.yaml"),
        "unit: X\nextends: ../faelles/mus.yaml\n",
    )
    .expect("write");
    let output = mus()
        .args(["generate", "-o"])
        .arg(tmp.path().join("out"))
        .arg(tmp.path().join("enhed.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("enhed.yaml:2:")
            && stderr.contains("enhed.yaml → ")
            && stderr.contains("faelles/mus.yaml"),
        "{stderr}"
    );
}

#[test]
fn an_error_in_the_parent_is_reported_at_the_parents_line() {
    let dir = root().join("tests/testsuite/fixtures/extends");
    let output = mus()
        .args(["generate", "-o"])
        .arg(std::env::temp_dir().join("mus-never-written"))
        .arg(dir.join("enhed.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = line_of(&dir.join("faelles.yaml"), "inovation");
    assert!(
        stderr.contains(&format!("faelles.yaml:{line}:"))
            && stderr.contains("did you mean `innovation`?"),
        "{stderr}"
    );
}

#[test]
fn a_unit_can_drop_what_its_parent_chose() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("faelles.yaml"),
        "workplace: F\nyear: 2027\noptional_topics: [innovation]\nextra_questions:\n  innovation: [Hvilke ideer har du?]\norder: [innovation]\ncustom_topics:\n  - id: eget\n    title: Eget\n    questions: [Hvad virker?]\n",
    )
    .expect("parent");
    let child = tmp.path().join("enhed.yaml");
    std::fs::write(
        &child,
        "extends: faelles.yaml\noptional_topics: []\nexclude_topics: [eget]\n",
    )
    .expect("child");
    assert_eq!(
        topics(&child),
        [
            "siden-sidst",
            "opgaveloesning",
            "trivsel",
            "samarbejde",
            "udviklingsmaal"
        ]
    );
    // What the unit itself names must still be chosen.
    std::fs::write(
        &child,
        "extends: faelles.yaml\noptional_topics: []\norder: [mobilitet]\n",
    )
    .expect("child");
    let output = mus()
        .args(["generate", "-o"])
        .arg(tmp.path().join("out"))
        .arg(&child)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("enhed.yaml:3:"));
}
