//! The JSON Schema of the config (`mus schema`), so an editor with the YAML
//! language server completes and checks configs. Topic ids come from the
//! built-in catalogue, so the schema and the catalogue never disagree.

use schemars::{Schema, SchemaGenerator, json_schema};

use crate::pipeline::catalogue::{Catalogue, TopicKind};
use crate::pipeline::config::RawConfig;

/// The schema as pretty JSON, as `mus schema` prints it and
/// `schema/mus.schema.json` holds it.
pub fn config_schema_json() -> String {
    let schema = schemars::schema_for!(RawConfig);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

fn ids(filter: impl Fn(&crate::pipeline::catalogue::Topic) -> bool) -> Vec<String> {
    Catalogue::built_in()
        .map(|c| {
            c.topics
                .iter()
                .filter(|t| filter(t))
                .map(|t| t.id.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Pattern of a topic id, for ids the catalogue does not know (own topics).
const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";

pub fn optional_topic_ids(_: &mut SchemaGenerator) -> Schema {
    let ids = ids(|t| t.kind == TopicKind::Optional);
    json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": { "type": "string", "enum": ids } })
}

pub fn excludable_topic_ids(_: &mut SchemaGenerator) -> Schema {
    let ids = ids(|t| t.kind == TopicKind::Basic && !t.goals_table);
    json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": { "type": "string", "enum": ids } })
}

/// A known id, or the id of an own topic.
fn any_topic_id() -> serde_json::Value {
    let known = ids(|_| true);
    serde_json::json!({ "anyOf": [
        { "type": "string", "enum": known },
        { "type": "string", "pattern": ID_PATTERN }
    ]})
}

pub fn topic_id_list(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": any_topic_id() })
}

pub fn extra_questions(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["object", "null"],
        "propertyNames": any_topic_id(),
        "additionalProperties": { "type": "array", "items": { "type": "string" } }
    })
}

pub fn warning_codes(_: &mut SchemaGenerator) -> Schema {
    let codes = crate::pipeline::check::WARNING_CODES;
    json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": { "type": "string", "enum": codes } })
}
