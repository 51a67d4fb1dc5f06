//! `mus preview`: the interview form as Markdown on stdout, made from the
//! same plan and template as `generate`.

use mus::render::{self, DocumentKind, preview};

use crate::cli::PreviewArgs;

pub fn run(args: &PreviewArgs) -> anyhow::Result<()> {
    let project = super::project(
        &args.source,
        args.config.as_deref(),
        args.templates.as_deref(),
        None,
    )?;
    let plan = &project.plan;
    let details = render::Details::for_plan(plan);
    let blocks = render::blocks(
        plan,
        DocumentKind::Samtaleskema,
        &project.templates,
        &details,
    )?;
    super::emit(&preview::to_markdown(
        &blocks,
        plan.goal_rows,
        &details.info,
        plan.language,
    ))
}
