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

/// How many rows are filled at a time: enough to keep every core busy, few
/// enough that a roster of any length is held a slice at a time.
const ROWS_AT_A_TIME: usize = 1024;

/// What a roster run wrote: the personal forms (listed from the roster
/// again as they are asked for, not held) and the guides.
#[derive(Debug)]
pub struct RosterWritten<'a> {
    roster: &'a roster::RosterSource,
    dir: std::path::PathBuf,
    /// For each form in roster order: kept as it was (filled in since).
    kept: Vec<bool>,
    guides: Vec<WrittenFile>,
}

impl RosterWritten<'_> {
    /// Every file, the personal forms in roster order, then the guides.
    pub fn files(&self) -> impl Iterator<Item = WrittenFile> + '_ {
        let mut slugs = roster::UniqueSlugs::default();
        let forms = self
            .roster
            .rows()
            .filter_map(|row| row.ok())
            .zip(&self.kept)
            .map(move |(row, kept)| WrittenFile {
                document: DocumentKind::Samtaleskema,
                path: self.dir.join(form_name(&mut slugs, &row.name)),
                person: Some((row.line, row.name)),
                kept: *kept,
            });
        forms.chain(self.guides.iter().cloned())
    }
}

/// The file name of the next person's form.
fn form_name(slugs: &mut roster::UniqueSlugs, name: &str) -> String {
    format!("samtaleskema-{}.docx", slugs.next(name))
}

/// Writes a personal form for every row of `roster`, in parallel, and the
/// three guides once, all or nothing. Every row is planned (and so checked)
/// before the first file is made; a personal form that was filled in since
/// `mus` wrote it is kept. `progress` is called once per form made.
///
/// The roster is read twice, never held whole: once to check and plan every
/// row and to decide each file, then a slice at a time to make the forms.
/// What is kept a row is a plan number, a decision and the staged file's
/// name and hash.
pub fn generate_roster<'a>(
    catalogue: &Catalogue,
    config: &Config,
    roster: &'a roster::RosterSource,
    templates: &Templates,
    date: DocumentDate,
    dest: &Destination,
    progress: &(dyn Fn() + Sync),
) -> Result<RosterWritten<'a>> {
    use rayon::prelude::*;

    // Plan every row first: one plan (and one built form) per distinct topic choice.
    let mut plans: Vec<Plan> = Vec::new();
    let mut row_plan: Vec<u32> = Vec::new();
    let mut errors = Vec::new();
    let mut with_previous = false;
    for (index, row) in roster.rows().enumerate() {
        let row = match row {
            Ok(row) => row,
            Err(row_errors) => {
                errors.extend(row_errors);
                continue;
            }
        };
        with_previous |= roster.has_previous_goals(index);
        match Plan::new(catalogue, &row.config(config, catalogue)) {
            // Few distinct topic choices exist (at most a few dozen), so a scan is enough.
            Ok(plan) => match plans.iter().position(|p| *p == plan) {
                Some(i) => row_plan.push(i as u32),
                None => {
                    row_plan.push(plans.len() as u32);
                    plans.push(plan);
                }
            },
            Err(err) => errors.extend(err.diagnostics().iter().cloned()),
        }
    }
    if row_plan.is_empty() && errors.is_empty() {
        errors.push(roster.no_rows());
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
    let forms_with_previous = match with_previous {
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
    // The names are made again, in the same order, for each pass over the
    // roster; each pass's set of names is dropped when the pass ends.
    let decisions = {
        let mut slugs = roster::UniqueSlugs::default();
        let form_claims = roster
            .rows()
            .filter_map(|row| row.ok())
            .map(|row| (form_name(&mut slugs, &row.name), write::InTheWay::Keep));
        let guide_claims = guide_kinds
            .iter()
            .map(|kind| (kind.file_name(), write::InTheWay::Refuse));
        out.claim(form_claims.chain(guide_claims), &dest.inputs)?
    };

    for guide in &guides {
        out.stage(&guide.file_name, &guide.bytes)?;
    }

    // Fill the forms a slice of the roster at a time, each slice in parallel.
    let make = |slice: &[(roster::RosterRow, String, usize)]| -> Result<()> {
        slice.par_iter().try_for_each(|(row, name, index)| {
            if decisions[*index] == write::Decision::Write {
                let goals = roster.previous_goals(*index);
                let plan = row_plan[*index] as usize;
                let form = match &forms_with_previous[plan] {
                    Some(with) if !goals.is_empty() => with,
                    _ => &forms[plan],
                };
                let bytes = form
                    .fill(&row.info(config), &goals)
                    .map_err(|err| Error::build(name.as_str(), err))?;
                out.stage(name, &bytes)?;
            }
            progress();
            Ok(())
        })
    };
    let mut slice = Vec::with_capacity(ROWS_AT_A_TIME);
    let mut slugs = roster::UniqueSlugs::default();
    for (index, row) in roster.rows().filter_map(|row| row.ok()).enumerate() {
        let name = form_name(&mut slugs, &row.name);
        slice.push((row, name, index));
        if slice.len() == ROWS_AT_A_TIME {
            make(&slice)?;
            slice.clear();
        }
    }
    make(&slice)?;
    out.commit()?;

    let kept = decisions[..row_plan.len()]
        .iter()
        .map(|d| *d == write::Decision::Keep)
        .collect();
    Ok(RosterWritten {
        roster,
        dir: dest.dir.clone(),
        kept,
        guides: guide_kinds
            .iter()
            .map(|kind| WrittenFile {
                document: *kind,
                path: dest.dir.join(kind.file_name()),
                person: None,
                kept: false,
            })
            .collect(),
    })
}
