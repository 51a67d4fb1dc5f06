//! A personal form for every row of a roster (`generate --roster`), and the
//! guides once: each distinct topic choice is built once and filled per person.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::form::InfoValues;
use crate::pipeline::catalogue::Catalogue;
use crate::pipeline::config::Config;
use crate::pipeline::generate::{Destination, WrittenFile};
use crate::pipeline::plan::Plan;
use crate::pipeline::render::{self, DocumentDate, DocumentKind, Templates};
use crate::pipeline::write;
use crate::round::roster;

/// One person's form as the pass over the roster planned it, held until
/// the forms are made and listed.
#[derive(Debug)]
struct PlannedForm {
    /// The row's line in the roster.
    line: usize,
    /// Its place among the roster's good rows, as `--previous` counts them.
    index: usize,
    /// Its plan among the run's distinct topic choices.
    plan: u32,
    file_name: String,
    employee: String,
    manager: String,
    unit: String,
    date: String,
    /// The interview's identity, the same in both documents ([`crate::form::form_id`]).
    id: String,
}

impl PlannedForm {
    fn info(&self) -> InfoValues {
        InfoValues {
            employee: self.employee.clone(),
            manager: self.manager.clone(),
            unit: self.unit.clone(),
            date: self.date.clone(),
            id: self.id.clone(),
        }
    }

    /// The development plan's file name: the form's, with its own prefix.
    fn plan_file_name(&self) -> String {
        plan_name(&self.file_name)
    }
}

/// The development plan that goes with the interview form `form_name`.
fn plan_name(form_name: &str) -> String {
    let slug = form_name.strip_prefix("samtaleskema-").unwrap_or(form_name);
    format!("udviklingsplan-{slug}")
}

/// What a roster run wrote: the personal forms and the guides.
#[derive(Debug)]
pub struct RosterWritten {
    forms: Vec<PlannedForm>,
    dir: PathBuf,
    /// For each form in roster order: kept as it was (filled in since).
    decisions: Vec<write::Decision>,
    /// The guides and the optional topics, written once for everyone.
    shared: Vec<WrittenFile>,
}

impl RosterWritten {
    /// Every file, the personal forms in roster order, then the guides.
    pub fn files(&self) -> Result<impl Iterator<Item = Result<WrittenFile>> + '_> {
        let forms =
            self.forms
                .iter()
                .zip(self.decisions.chunks(2))
                .flat_map(|(form, decisions)| {
                    let kept = |i: usize| decisions.get(i) == Some(&write::Decision::Keep);
                    [
                        WrittenFile {
                            document: DocumentKind::Samtaleskema,
                            path: self.dir.join(&form.file_name),
                            person: Some((form.line, form.employee.clone())),
                            kept: kept(0),
                        },
                        WrittenFile {
                            document: DocumentKind::Udviklingsplan,
                            path: self.dir.join(form.plan_file_name()),
                            person: Some((form.line, form.employee.clone())),
                            kept: kept(1),
                        },
                    ]
                });
        Ok(forms.chain(self.shared.iter().cloned()).map(Ok))
    }
}

/// The file name of the next person's form.
fn form_name(slugs: &mut roster::PersonSlugs, info: &InfoValues) -> String {
    format!(
        "samtaleskema-{}.docx",
        slugs.next(&info.employee, &info.unit, &info.manager)
    )
}

/// The pass over a roster: checks and plans each row, keeping what its
/// form needs; the forms are named once every person is known.
struct RowPlanner<'a> {
    catalogue: &'a Catalogue,
    config: &'a Config,
    roster: &'a roster::RosterSource,
    /// One plan (and later one built form) per distinct topic choice.
    plans: Vec<Plan>,
    /// The good rows so far, not yet named.
    forms: Vec<PlannedForm>,
    with_previous: bool,
    errors: Vec<crate::error::Diagnostic>,
}

impl RowPlanner<'_> {
    /// Plans one row, when it is good.
    fn plan(&mut self, row: std::result::Result<roster::RosterRow, Vec<crate::error::Diagnostic>>) {
        let row = match row {
            Ok(row) => row,
            Err(row_errors) => {
                self.errors.extend(row_errors);
                return;
            }
        };
        let index = self.forms.len();
        self.with_previous |= self.roster.has_previous_goals(index);
        let plan = match Plan::new(self.catalogue, &row.config(self.config, self.catalogue)) {
            // Few distinct topic choices exist (at most a few dozen), so a scan is enough.
            Ok(plan) => match self.plans.iter().position(|p| *p == plan) {
                Some(i) => i,
                None => {
                    self.plans.push(plan);
                    self.plans.len() - 1
                }
            },
            Err(err) => {
                self.errors.extend(err.diagnostics().iter().cloned());
                return;
            }
        };
        let info = row.info(self.config);
        self.forms.push(PlannedForm {
            line: row.line,
            index,
            plan: plan as u32,
            file_name: String::new(),
            employee: info.employee,
            manager: info.manager,
            unit: info.unit,
            date: info.date,
            id: String::new(),
        });
    }

    /// Names every planned form and gives it its id, in roster order.
    fn name_forms(&mut self) {
        // Namesakes are told apart by unit, not by their order, so every
        // person is counted first.
        let mut slugs = roster::PersonSlugs::new(
            self.forms
                .iter()
                .map(|form| (form.employee.as_str(), form.unit.as_str())),
        );
        // How many rows so far had each person's key, so namesakes with the
        // same unit and manager still get ids of their own.
        let mut seen = std::collections::HashMap::new();
        for form in &mut self.forms {
            let info = form.info();
            form.file_name = form_name(&mut slugs, &info);
            let key = [&info.unit, &info.employee, &info.manager]
                .map(|s| crate::text::one_line(s).to_lowercase())
                .join("\u{1f}");
            let nth = seen.entry(key).or_insert(0);
            *nth += 1;
            form.id = crate::form::form_id(
                self.config.year.value,
                &self.config.workplace,
                &info.unit,
                &info.employee,
                &info.manager,
                *nth,
            );
        }
    }
}

/// Writes a personal form for every row of `roster`, in parallel, and the
/// guides once, all or nothing. Every row is planned (and so checked)
/// before the first form is made; a personal form that was filled in since
/// `mus` wrote it is kept. `progress` is called once per form made.
///
/// The roster's rows are read once: each row is checked and planned, and
/// what its form needs is kept; the forms are then named, claimed and made.
pub fn generate_roster(
    catalogue: &Catalogue,
    config: &Config,
    roster: &roster::RosterSource,
    templates: &Templates,
    date: DocumentDate,
    dest: &Destination,
    progress: &(dyn Fn() + Sync),
) -> Result<RosterWritten> {
    use rayon::prelude::*;

    let out = write::Output::open(&dest.dir, dest.force)?;
    let shared_kinds = &DocumentKind::GENERATED[2..];

    let mut planner = RowPlanner {
        catalogue,
        config,
        roster,
        plans: Vec::new(),
        forms: Vec::new(),
        with_previous: false,
        errors: Vec::new(),
    };
    for row in roster.rows() {
        planner.plan(row);
    }
    if planner.forms.is_empty() && planner.errors.is_empty() {
        planner.errors.push(roster.no_rows());
    }
    if !planner.errors.is_empty() {
        return Err(roster::sum_up(planner.errors).into());
    }
    planner.name_forms();
    let RowPlanner {
        plans,
        forms: planned,
        with_previous,
        ..
    } = planner;

    let form_claims = planned.iter().flat_map(|form| {
        [
            (form.file_name.clone(), write::InTheWay::Keep),
            (form.plan_file_name(), write::InTheWay::Keep),
        ]
    });
    let shared_claims = shared_kinds
        .iter()
        .map(|kind| (kind.file_name().to_string(), write::InTheWay::Refuse));
    let decisions = out.claim(form_claims.chain(shared_claims), &dest.inputs)?;
    let base = Plan::new(catalogue, config)?;

    // Each plan's form without, and (when anyone needs it) with, last year's goals.
    let forms = plans
        .iter()
        .map(|plan| render::forms::FormTemplate::new(plan, templates, date, false))
        .collect::<Result<Vec<_>>>()?;
    // The development plan does not depend on the topics: one for everyone.
    let development_plan =
        render::forms::FormTemplate::of_kind(&base, DocumentKind::Udviklingsplan, templates, date)?;
    let forms_with_previous = match with_previous {
        true => plans
            .iter()
            .map(|plan| render::forms::FormTemplate::new(plan, templates, date, true).map(Some))
            .collect::<Result<Vec<_>>>()?,
        false => plans.iter().map(|_| None).collect(),
    };
    for kind in shared_kinds {
        let guide = render::render(
            &base,
            *kind,
            templates,
            &render::Details::for_plan(&base),
            date,
        )?;
        out.stage(&guide.file_name, &guide.bytes)?;
    }

    planned.par_iter().try_for_each(|planned| {
        if decisions[2 * planned.index + 1] == write::Decision::Write {
            let bytes = development_plan
                .fill(&planned.info(), &[])
                .map_err(|err| Error::build(planned.plan_file_name(), err))?;
            out.stage(&planned.plan_file_name(), &bytes)?;
        }
        if decisions[2 * planned.index] == write::Decision::Write {
            let goals = roster.previous_goal_rows(planned.index, config.language);
            let plan = planned.plan as usize;
            let form = match &forms_with_previous[plan] {
                Some(with) if !goals.is_empty() => with,
                _ => &forms[plan],
            };
            let bytes = form
                .fill(&planned.info(), &goals)
                .map_err(|err| Error::build(planned.file_name.as_str(), err))?;
            out.stage(&planned.file_name, &bytes)?;
        }
        progress();
        Result::Ok(())
    })?;
    out.commit()?;

    let mut decisions = decisions;
    decisions.truncate(2 * planned.len());
    Ok(RosterWritten {
        forms: planned,
        dir: dest.dir.clone(),
        decisions,
        shared: shared_kinds
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
