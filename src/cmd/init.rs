//! `mus init`: a starter config, commented in Danish (or English with
//! `--language en`), and the schema beside
//! it so an editor completes and checks the file.

use std::path::Path;

use chrono::Datelike;
use minijinja::value::{Serde, Value};
use mus::TopicKind;

use crate::cli::InitArgs;

/// The starter config's template, with every optional topic listed.
const STARTER: &str = include_str!("../../templates/da/start.yaml");
/// The same in English, with `language: en`.
const STARTER_EN: &str = include_str!("../../templates/en/start.yaml");
/// The schema file the starter's first line points to.
pub const SCHEMA_FILE: &str = "mus.schema.json";

pub fn run(args: &InitArgs) -> anyhow::Result<()> {
    if args.path.exists() && !args.force {
        anyhow::bail!(
            "{} already exists; add --force to overwrite it",
            args.path.display()
        );
    }
    let language = mus::Language::from(args.language);
    let catalogue = mus::Catalogue::built_in_for(language)?;
    let starter = match language {
        mus::Language::Da => STARTER,
        mus::Language::En => STARTER_EN,
    };
    let year = super::source_date()?
        .map(|d| d.0)
        .unwrap_or_else(chrono::Utc::now)
        .year();
    let file_name = args
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "mus.yaml".into());
    let topics = |keep: fn(&mus::Topic) -> bool| {
        let chosen: Vec<&mus::Topic> = catalogue.topics.iter().filter(|t| keep(t)).collect();
        Value::from(Serde(chosen))
    };
    let mut env = minijinja::Environment::new();
    env.set_syntax(mus::render::template::syntax()?);
    let text = env.render_str(
        starter,
        minijinja::context! {
            year => year,
            file => &file_name,
            optional_topics => topics(|t| t.kind == TopicKind::Optional),
            excludable_topics => topics(|t| t.kind == TopicKind::Basic && !t.goals_table),
        },
    )?;
    let dir = args
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let schema = mus::schema::config_schema_json();
    std::fs::create_dir_all(dir)?;
    let mut written = vec![mus::write::write_file(dir, &file_name, text.as_bytes())?];
    if !dir.join(SCHEMA_FILE).exists() || args.force {
        written.push(mus::write::write_file(dir, SCHEMA_FILE, schema.as_bytes())?);
    }
    super::emit(
        &written
            .iter()
            .map(|p| format!("{}\n", p.display()))
            .collect::<String>(),
    )
}
