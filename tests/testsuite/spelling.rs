//! The Danish texts we ship (catalogue, templates, messages) pass the Danish
//! dictionary, except the ids and block names in `tests/spelling-allowed.txt`.
//! `tests/spellcheck-da` does the work; it needs hunspell with da_DK.

use std::process::Command;

use crate::support::*;

#[test]
#[ignore = "needs hunspell with the Danish dictionary"]
fn shipped_texts_have_no_words_the_danish_dictionary_does_not_know() {
    let output = Command::new("bash")
        .args([
            "tests/spellcheck-da",
            "--allow",
            "tests/spelling-allowed.txt",
            "concept",
            "templates",
            "src/messages",
        ])
        .current_dir(root())
        .output()
        .expect("spellcheck runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let unknown = String::from_utf8_lossy(&output.stdout);
    assert!(unknown.trim().is_empty(), "unknown words:\n{unknown}");
}

/// The checker finds what it is for, so an empty list above means something.
#[test]
#[ignore = "needs hunspell with the Danish dictionary"]
fn the_spelling_checker_finds_a_misspelt_word_and_leaves_english_folders_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(tmp.path().join("en")).expect("en");
    std::fs::write(
        tmp.path().join("emne.yaml"),
        "title: Trivsel og arbejdsglæde\nintro: \"{{ person.name }} skriver samtalle\"\n",
    )
    .expect("yaml");
    std::fs::write(tmp.path().join("en/topic.yaml"), "title: Wellbeing\n").expect("en");
    let output = Command::new("bash")
        .arg(root().join("tests/spellcheck-da"))
        .arg(tmp.path())
        .output()
        .expect("spellcheck runs");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "samtalle\n");
}
