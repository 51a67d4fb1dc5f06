//! `mus followup`: a follow-up form per employee from collected goals.

use std::path::PathBuf;

use mus::collect::read_csv;
use mus::{DocumentDate, Plan};

use crate::cli::FollowupArgs;

pub fn run(args: &FollowupArgs) -> anyhow::Result<()> {
    let config = super::load_config(Some(&args.config))?;
    let catalogue = super::catalogue_for(&args.source, config.language)?;
    let templates = super::templates(args.templates.as_deref(), config.language)?;
    let plan = Plan::new(&catalogue, &config)?;
    let forms = read_csv(&args.collected)?;
    let date = super::source_date()?.unwrap_or_else(|| DocumentDate::for_year(plan.year));
    let out_dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("opfoelgning-{}", plan.year)));
    let mut dest = mus::Destination {
        dir: out_dir,
        force: args.force,
        inputs: config.chain.iter().map(|f| PathBuf::from(&**f)).collect(),
    };
    dest.inputs.push(args.collected.clone());
    let written = mus::generate_followups(&plan, &forms, &templates, date, &dest)?;
    super::generate::note_kept(&written);
    let skipped = forms.iter().filter(|f| f.goals.is_empty()).count();
    if skipped > 0 {
        say!(
            "note: {skipped} form{} without goals: no follow-up form",
            if skipped == 1 { "" } else { "s" }
        );
    }
    super::emit(&super::generate::written_list(&written, &plan, args.json))
}
