//! `mus schema`: the committed schema is current, and it accepts the
//! examples and rejects what `generate` rejects by shape.

use crate::support::*;

fn schema() -> serde_json::Value {
    let output = mus().arg("schema").output().expect("runs");
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("json")
}

fn yaml_as_json(text: &str) -> serde_json::Value {
    let value: serde_yaml::Value = serde_yaml::from_str(text).expect("yaml");
    serde_json::to_value(value).expect("json")
}

#[test]
fn committed_schema_equals_the_output() {
    let output = mus().arg("schema").output().expect("runs");
    let committed = std::fs::read_to_string(root().join("schema/mus.schema.json"))
        .expect("schema/mus.schema.json");
    assert!(
        committed == String::from_utf8_lossy(&output.stdout),
        "schema/mus.schema.json is stale: run `cargo run -- schema > schema/mus.schema.json`"
    );
}

#[test]
fn schema_validates_every_example() {
    let validator = jsonschema::validator_for(&schema()).expect("valid schema");
    for entry in std::fs::read_dir(root().join("examples")).expect("examples") {
        let path = entry.expect("entry").path();
        let config = yaml_as_json(&std::fs::read_to_string(&path).expect("read"));
        let errors: Vec<String> = validator
            .iter_errors(&config)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}

#[test]
fn schema_rejects_unknown_key_and_misspelled_topic() {
    let validator = jsonschema::validator_for(&schema()).expect("valid schema");
    assert!(validator.is_valid(&yaml_as_json(
        "workplace: X\nyear: 2027\noptional_topics: [innovation]\n"
    )));
    assert!(!validator.is_valid(&yaml_as_json(
        "workplace: X\nyear: 2027\noptional_topic: [innovation]\n"
    )));
    assert!(!validator.is_valid(&yaml_as_json(
        "workplace: X\nyear: 2027\noptional_topics: [inovation]\n"
    )));
    assert!(!validator.is_valid(&yaml_as_json(
        "workplace: X\nyear: 2027\nexclude_topics: [udviklingsmaal]\n"
    )));
}

#[test]
fn every_field_has_a_danish_description() {
    let schema = schema();
    let properties = schema["properties"].as_object().expect("properties");
    assert!(properties.len() >= 11);
    for (key, field) in properties {
        let description = field["description"]
            .as_str()
            .unwrap_or_else(|| panic!("`{key}` has no description"));
        assert!(
            description.chars().any(|c| "æøåÆØÅ".contains(c))
                || description.contains(" og ")
                || description.contains(" i "),
            "`{key}`: {description}"
        );
    }
}
