//! `mus preview`: the interview form as Markdown on stdout, made from the
//! same plan and template as `generate`.

use mus::Plan;
use mus::render::{self, DocumentKind, preview};

use crate::cli::PreviewArgs;

pub fn run(args: &PreviewArgs) -> anyhow::Result<()> {
    let config = super::load_config(args.config.as_deref())?;
    let catalogue = super::catalogue_for(&args.source, config.language)?;
    let templates = super::templates(args.templates.as_deref(), config.language)?;
    let plan = Plan::new(&catalogue, &config)?;
    let person = render::Person::for_plan(&plan);
    let blocks = render::blocks(&plan, DocumentKind::Samtaleskema, &templates, &person)?;
    super::emit(&preview::to_markdown(
        &blocks,
        plan.goal_rows,
        &person.info,
        plan.language,
    ))
}
