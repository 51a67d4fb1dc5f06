//! `mus init`: a starter config, commented in Danish (or English with
//! `--language en`), and the schema beside
//! it so an editor completes and checks the file.

use std::path::Path;

use chrono::Datelike;
use minijinja::value::{Serde, Value};
use mus::TopicKind;

use crate::cli::InitArgs;

/// `path` as the config in `dir` names it: relative to `dir` when it lies
/// below it, else as given (made absolute when relative, so it still holds).
fn relative_to(path: &Path, dir: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = cwd.join(path);
    let text = match absolute.strip_prefix(cwd.join(dir)) {
        Ok(below) => below.to_path_buf(),
        Err(_) => absolute,
    };
    text.to_string_lossy().replace('\\', "/")
}

/// The starter config's template, with every optional topic listed.
const STARTER: &str = include_str!("../../templates/da/start.yaml");
/// The same in English, with `language: en`.
const STARTER_EN: &str = include_str!("../../templates/en/start.yaml");
/// The schema file the starter's first line points to.
pub const SCHEMA_FILE: &str = "mus.schema.json";

pub fn run(args: &InitArgs) -> anyhow::Result<()> {
    // Nothing is written when one of the files is in the way.
    for path in std::iter::once(&args.path).chain(&args.reference_doc) {
        if path.exists() && !args.force {
            anyhow::bail!("{}", mus::msg!("init.exists", path = path.display()));
        }
    }
    if let Some(house) = &args.reference_doc {
        let named_docx = house
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
        if !named_docx {
            anyhow::bail!("{}: {}", house.display(), mus::msg!("house.not-docx-name"));
        }
    }
    let language = args.language;
    let catalogue = mus::Catalogue::built_in_for(language)?;
    let starter = match language {
        mus::Language::Da => STARTER,
        mus::Language::En => STARTER_EN,
    };
    let date = super::source_date()?;
    let year = date.map(|d| d.0).unwrap_or_else(chrono::Utc::now).year();
    let file_name = args
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "mus.yaml".into());
    let topics = |keep: fn(&mus::Topic) -> bool| {
        let chosen: Vec<&mus::Topic> = catalogue.topics.iter().filter(|t| keep(t)).collect();
        Value::from(Serde(chosen))
    };
    let dir = args
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let reference_doc = args
        .reference_doc
        .as_deref()
        .map(|house| relative_to(house, dir));
    let mut env = minijinja::Environment::new();
    env.set_syntax(mus::render::template::syntax()?);
    let text = env.render_str(
        starter,
        minijinja::context! {
            year => year,
            file => &file_name,
            optional_topics => topics(|t| t.kind == TopicKind::Optional),
            excludable_topics => topics(|t| t.kind == TopicKind::Basic && !t.goals_table),
            reference_doc => reference_doc,
        },
    )?;
    let schema = mus::schema::config_schema_json();
    std::fs::create_dir_all(dir)?;
    let mut written = vec![mus::write::write_file(dir, &file_name, text.as_bytes())?];
    if !dir.join(SCHEMA_FILE).exists() || args.force {
        written.push(mus::write::write_file(dir, SCHEMA_FILE, schema.as_bytes())?);
    }
    if let Some(house) = &args.reference_doc {
        let date = date.unwrap_or_else(|| mus::DocumentDate::for_year(year));
        let bytes = mus::render::house_style_starter(language, date)?;
        let house_dir = house
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = house
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        std::fs::create_dir_all(house_dir)?;
        written.push(mus::write::write_file(house_dir, &name, &bytes)?);
    }
    super::emit(
        &written
            .iter()
            .map(|p| format!("{}\n", p.display()))
            .collect::<String>(),
    )
}
