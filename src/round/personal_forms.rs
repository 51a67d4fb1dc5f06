//! A personal form for every row of a roster (`generate --roster`), and the
//! guides once: each distinct topic choice is built once and filled per person.

use crate::error::{Error, Result};
use crate::pipeline::catalogue::Catalogue;
use crate::pipeline::config::Config;
use crate::pipeline::generate::{Destination, WrittenFile};
use crate::pipeline::plan::Plan;
use crate::pipeline::render::{self, DocumentDate, DocumentKind, Templates};
use crate::pipeline::write;
use crate::round::roster;

/// Writes a personal form for every row of `roster`, in parallel, and the
/// three guides once, all or nothing. Every row is planned (and so checked)
/// before the first file is made; a personal form that was filled in since
/// `mus` wrote it is kept. `progress` is called once per form made.
pub fn generate_roster(
    catalogue: &Catalogue,
    config: &Config,
    roster: &roster::Roster,
    templates: &Templates,
    date: DocumentDate,
    dest: &Destination,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<WrittenFile>> {
    use rayon::prelude::*;

    // Plan every row first: one plan (and one built form) per distinct topic choice.
    let mut plans: Vec<Plan> = Vec::new();
    let mut row_plan: Vec<usize> = Vec::with_capacity(roster.rows.len());
    let mut errors = Vec::new();
    for row in &roster.rows {
        match Plan::new(catalogue, &row.config(config, catalogue)) {
            // Few distinct topic choices exist (at most a few dozen), so a scan is enough.
            Ok(plan) => match plans.iter().position(|p| *p == plan) {
                Some(i) => row_plan.push(i),
                None => {
                    row_plan.push(plans.len());
                    plans.push(plan);
                }
            },
            Err(err) => errors.extend(err.diagnostics().iter().cloned()),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let base = Plan::new(catalogue, config)?;

    // Each plan's form without, and (when anyone needs it) with, last year's goals.
    let forms = plans
        .iter()
        .map(|plan| render::forms::FormTemplate::new(plan, templates, date, false))
        .collect::<Result<Vec<_>>>()?;
    let forms_with_previous = match roster.rows.iter().any(|row| !row.previous_goals.is_empty()) {
        true => plans
            .iter()
            .map(|plan| render::forms::FormTemplate::new(plan, templates, date, true).map(Some))
            .collect::<Result<Vec<_>>>()?,
        false => plans.iter().map(|_| None).collect(),
    };
    let guide_kinds = &DocumentKind::ALL[1..];
    let guides = guide_kinds
        .iter()
        .map(|kind| {
            render::render(
                &base,
                *kind,
                templates,
                &render::Person::for_plan(&base),
                date,
            )
        })
        .collect::<Result<Vec<_>>>()?;

    let out = write::Output::open(&dest.dir, dest.force)?;
    let slugs = roster::unique_slugs(roster.rows.iter().map(|r| r.name.as_str()));
    let form_names: Vec<String> = slugs
        .iter()
        .map(|slug| format!("samtaleskema-{slug}.docx"))
        .collect();
    let mut claims: Vec<(String, write::InTheWay)> = form_names
        .iter()
        .map(|n| (n.clone(), write::InTheWay::Keep))
        .collect();
    claims.extend(
        guide_kinds
            .iter()
            .map(|k| (k.file_name(), write::InTheWay::Refuse)),
    );
    let names: Vec<String> = claims.iter().map(|(n, _)| n.clone()).collect();
    out.refuse_inputs(&names, &dest.inputs)?;
    let decisions = out.claim(&claims)?;

    for guide in &guides {
        out.stage(&guide.file_name, &guide.bytes)?;
    }

    let mut written = roster
        .rows
        .par_iter()
        .zip(row_plan.par_iter())
        .zip(form_names.par_iter())
        .zip(decisions.par_iter())
        .map(|(((row, plan), name), decision)| {
            let kept = *decision == write::Decision::Keep;
            if !kept {
                let goals = &row.previous_goals;
                let form = match &forms_with_previous[*plan] {
                    Some(with) if !goals.is_empty() => with,
                    _ => &forms[*plan],
                };
                let bytes = form
                    .fill(&row.info(config), goals)
                    .map_err(|err| Error::build(name.as_str(), err))?;
                out.stage(name, &bytes)?;
            }
            progress();
            Ok(WrittenFile {
                document: DocumentKind::Samtaleskema,
                path: out.path(name),
                person: Some((row.line, row.name.clone())),
                kept,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    written.extend(guide_kinds.iter().map(|kind| WrittenFile {
        document: *kind,
        path: out.path(&kind.file_name()),
        person: None,
        kept: false,
    }));
    out.commit()?;
    Ok(written)
}
