//! `mus report`: the anonymous SU report from collected goals.

use std::path::{Path, PathBuf};

use mus::collect::read_csv;
use mus::{DocumentDate, Plan};

use crate::cli::{ReportArgs, ReportFormat};

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let config = super::load_config(Some(&args.config))?;
    let catalogue = super::catalogue_for(&args.source, config.language)?;
    let plan = Plan::new(&catalogue, &config)?;
    let report = mus::report::compute(&read_csv(&args.collected)?);
    let mut inputs: Vec<PathBuf> = config.chain.iter().map(|f| PathBuf::from(&**f)).collect();
    inputs.push(args.collected.clone());
    if report.undated > 0 {
        say!(
            "note: {} form(s) in `{}` have no interview date that can be read, so they are in no figure \
             (a form's place in the blocks of {} follows its date); hint: fill in the date in those forms \
             and run `mus collect` again",
            report.undated,
            args.collected.display(),
            mus::report::MIN_GROUP
        );
    }
    if args.format == ReportFormat::Json {
        let json = format!("{}\n", serde_json::to_string_pretty(&report.json())?);
        return match &args.output {
            Some(path) => write(path, json.as_bytes(), args.force, &inputs),
            None => super::emit(&json),
        };
    }
    let templates = super::templates(args.templates.as_deref(), config.language)?;
    let date = super::source_date()?.unwrap_or_else(|| DocumentDate::for_year(plan.year));
    let bytes = mus::render_report(&plan, &report, &templates, date)?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("mus-rapport-{}.docx", plan.year)));
    write(&path, &bytes, args.force, &inputs)?;
    super::emit(&format!("{}\n", path.display()))
}

/// Writes `bytes` to `path`, all or nothing, never over an input or a file
/// `mus` did not write (unless `force`).
pub fn write(path: &Path, bytes: &[u8], force: bool, inputs: &[PathBuf]) -> anyhow::Result<()> {
    mus::write::write_one(path, bytes, force, inputs)?;
    Ok(())
}
