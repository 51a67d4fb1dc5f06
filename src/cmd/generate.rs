//! `mus generate`: config → plan → the four documents in the output folder.

use std::path::PathBuf;

use mus::{DocumentDate, Plan, Templates};
use serde_json::json;

use crate::cli::GenerateArgs;

pub fn run(args: &GenerateArgs) -> anyhow::Result<()> {
    let catalogue = super::catalogue(&args.source)?;
    let source_date = super::source_date();
    let config = super::load_config(args.config.as_deref())?;
    let templates = match &args.templates {
        Some(dir) => Templates::with_overrides(dir)?,
        None => Templates::built_in()?,
    };
    let plan = Plan::new(&catalogue, &config)?;
    let date = source_date.unwrap_or_else(|| DocumentDate::for_year(plan.year));
    let out_dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("mus-{}", plan.year)));

    let written = mus::generate(&plan, &templates, date, &out_dir)?;

    if args.json {
        let files: Vec<_> = written
            .iter()
            .map(|f| json!({"document": f.document.name(), "path": f.path.display().to_string()}))
            .collect();
        println!("{}", json!({"files": files, "topics": plan.topic_ids()}));
    } else {
        for file in &written {
            println!("{}", file.path.display());
        }
    }
    Ok(())
}
