//! `mus report`: the anonymous SU report from collected goals.

use std::path::{Path, PathBuf};

use mus::collect::read_csv;

use crate::cli::{ReportArgs, ReportFormat};

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let project = super::project(&args.source, Some(&args.config), args.templates.as_deref())?;
    let plan = &project.plan;
    let report =
        mus::report::compute_with_deadline(&read_csv(&args.collected)?, plan.schedule.follow_up_by);
    let mut inputs = project.inputs();
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
    let bytes = mus::render_report(plan, &report, &project.templates, project.date)?;
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
