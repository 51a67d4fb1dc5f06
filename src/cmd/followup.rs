//! `mus followup`: a follow-up form per employee from collected goals.

use std::path::PathBuf;

use mus::collect::read_csv;

use crate::cli::FollowupArgs;

pub fn run(args: &FollowupArgs) -> anyhow::Result<()> {
    let projects = super::projects(
        &args.source,
        &args.config,
        args.templates.as_deref(),
        args.reference_doc.as_deref(),
    )?;
    let (units, project) = super::units(&projects)?;
    let plan = &project.plan;
    let forms = read_csv(&args.collected)?;
    let out_dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("opfoelgning-{}", plan.year)));
    let mut dest = mus::Destination {
        dir: out_dir,
        force: args.force,
        inputs: super::inputs(&projects),
    };
    dest.inputs.push(args.collected.clone());
    let written = mus::generate_followups(&units, &forms, project.date, &dest, args.by_manager)?;
    let skipped = forms.iter().filter(|f| f.goals.is_empty()).count();
    if skipped > 0 {
        say!(
            "{}: {}",
            mus::msg!("label.note"),
            mus::msg!(
                "followup.skipped",
                count = skipped,
                forms = mus::messages::plural("word.form", skipped)
            )
        );
    }
    super::generate::report_written(written.into_iter().map(Ok), plan, args.json)
}
