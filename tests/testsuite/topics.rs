//! `mus topics`: the catalogue listing.

use crate::support::*;

#[test]
fn lists_the_nine_topics_with_kind() {
    let output = mus().arg("topics").output().expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 9, "{text}");
    assert!(lines[0].starts_with("siden-sidst") && lines[0].contains("basis"));
    assert!(lines[8].starts_with("innovation") && lines[8].contains("tilvalg"));
}

#[test]
fn concept_folder_replaces_the_catalogue() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let builtin =
        std::fs::read_to_string(root().join("concept/da/topics.yaml")).expect("catalogue");
    let edited = builtin.replace("title: Trivsel", "title: Trivsel og arbejdsmiljø");
    assert_ne!(edited, builtin, "the edit applies");
    std::fs::write(tmp.path().join("topics.yaml"), edited).expect("write");
    let output = mus()
        .arg("topics")
        .arg("--concept")
        .arg(tmp.path())
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Trivsel og arbejdsmiljø"));
}

#[test]
fn the_english_catalogue_lists_the_same_ids_in_english() {
    let listing = |language: &str| {
        let output = mus()
            .args(["topics", "--json", "--language", language])
            .output()
            .expect("runs");
        assert!(output.status.success());
        serde_json::from_slice::<Vec<serde_json::Value>>(&output.stdout).expect("json")
    };
    let (danish, english) = (listing("da"), listing("en"));
    let ids = |topics: &[serde_json::Value]| -> Vec<String> {
        topics.iter().map(|t| t["id"].to_string()).collect()
    };
    assert_eq!(ids(&danish), ids(&english));
    assert_ne!(danish[1]["title"], english[1]["title"]);
    let output = mus()
        .args(["topics", "--language", "en"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let first = text.lines().next().expect("a line");
    assert!(
        first.starts_with("siden-sidst")
            && first.contains("basic")
            && first.contains("Looking back"),
        "{text}"
    );
}
