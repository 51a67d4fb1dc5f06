//! The JSON Schema of the config (`mus schema`), so an editor with the YAML
//! language server completes and checks configs. Topic ids come from the
//! built-in catalogue, so the schema and the catalogue never disagree.

use crate::pipeline::config::RawConfig;

/// The schema as pretty JSON, as `mus schema` prints it and
/// `schema/mus.schema.json` holds it.
pub fn config_schema_json() -> String {
    let schema = schemars::schema_for!(RawConfig);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
