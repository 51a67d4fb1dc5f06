//! A personal form for every row of a roster (`generate --roster`), and the
//! guides once: each distinct topic choice is built once and filled per person.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::form::InfoValues;
use crate::pipeline::generate::{Destination, WrittenFile};
use crate::pipeline::plan::Plan;
use crate::pipeline::render::{self, DocumentDate, DocumentKind};
use crate::pipeline::write;
use crate::round::roster;
use crate::round::units::Units;
use crate::text::PackedStrings;

/// One person's form as the pass over the roster planned it, held until
/// the forms are made and listed. Its name is in [`PlannedForms::employees`],
/// its manager, unit and date (which many share) once each in
/// [`PlannedForms::shared`]; its file names and id are made when asked for,
/// so a row costs about 80 bytes (issue 25: 100,000 rows within 40 MB).
#[derive(Debug)]
struct PlannedForm {
    /// The row's line in the roster.
    line: u32,
    /// Its plan among the run's distinct topic choices.
    plan: u32,
    /// How many rows so far (this one too) had this person's unit, name
    /// and manager, so namesakes still get ids of their own.
    nth: u32,
    /// The manager, the unit and the date as the form shows it.
    manager: Shared,
    unit: Shared,
    date: Shared,
    /// The config of the person's unit, in [`Units::configs`].
    config: u16,
}

/// A value many forms share, held once.
type Shared = string_interner::DefaultSymbol;

/// The planned forms in roster order. A form's place in the list is its
/// place among the roster's good rows, as `--previous` counts them.
#[derive(Debug, Default)]
struct PlannedForms {
    forms: Vec<PlannedForm>,
    /// Every form's employee, one after another.
    employees: PackedStrings,
    /// The managers, units and dates, each once.
    shared: string_interner::DefaultStringInterner,
    /// Every form's file name slug (made by [`RowPlanner::name_forms`]).
    slugs: PackedStrings,
    /// Each manager's forms in a folder of their own (`--by-manager`).
    by_manager: bool,
}

impl PlannedForms {
    fn push(&mut self, line: usize, plan: u32, config: u16, info: &InfoValues) {
        self.employees.push(&info.employee);
        self.forms.push(PlannedForm {
            // A roster has far fewer lines (see `limits`).
            line: u32::try_from(line).unwrap_or(u32::MAX),
            plan,
            nth: 0,
            manager: self.shared.get_or_intern(&info.manager),
            unit: self.shared.get_or_intern(&info.unit),
            date: self.shared.get_or_intern(&info.date),
            config,
        });
    }

    fn len(&self) -> usize {
        self.forms.len()
    }

    fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The `index`-th form's employee, manager, unit and date.
    fn values(&self, index: usize) -> [&str; 4] {
        let form = &self.forms[index];
        let shared = |symbol| self.shared.resolve(symbol).unwrap_or_default();
        [
            self.employee(index),
            shared(form.manager),
            shared(form.unit),
            shared(form.date),
        ]
    }

    fn employee(&self, index: usize) -> &str {
        self.employees.get(index)
    }

    /// What the `index`-th form's info block shows, its id made from its values.
    fn info(&self, index: usize, units: &Units) -> InfoValues {
        let config = units.configs()[self.forms[index].config as usize].config;
        let [employee, manager, unit, date] = self.values(index);
        InfoValues {
            employee: employee.to_string(),
            manager: manager.to_string(),
            unit: unit.to_string(),
            date: date.to_string(),
            id: crate::form::form_id(
                config.year.value,
                &config.workplace,
                unit,
                employee,
                manager,
                self.forms[index].nth as usize,
            ),
        }
    }

    /// The interview form's file name, in the output folder (with
    /// `--by-manager` in the manager's).
    fn form_file_name(&self, index: usize, units: &Units) -> String {
        format!(
            "{}samtaleskema-{}.docx",
            self.folder(index, units),
            self.slug(index)
        )
    }

    /// The development plan's file name: the form's, with its own prefix.
    fn plan_file_name(&self, index: usize, units: &Units) -> String {
        format!(
            "{}udviklingsplan-{}.docx",
            self.folder(index, units),
            self.slug(index)
        )
    }

    /// `leder/` with `--by-manager`, else nothing.
    fn folder(&self, index: usize, units: &Units) -> String {
        if !self.by_manager {
            return String::new();
        }
        let language = units.configs()[self.forms[index].config as usize]
            .config
            .language;
        format!(
            "{}/",
            roster::manager_folder(self.values(index)[1], language)
        )
    }

    fn slug(&self, index: usize) -> &str {
        self.slugs.get(index)
    }

    /// Names every planned form and counts its namesakes (for its id), in roster order.
    fn name_forms(&mut self) {
        let forms = self;
        // Namesakes are told apart by unit, not by their order, so every
        // person is counted first.
        let mut slugs = roster::PersonSlugs::new((0..forms.len()).map(|index| {
            let [employee, _, unit, _] = forms.values(index);
            (employee, unit)
        }));
        let mut all_slugs = PackedStrings::default();
        for index in 0..forms.len() {
            let [employee, manager, unit, _] = forms.values(index);
            all_slugs.push(&slugs.next(employee, unit, manager));
        }
        forms.slugs = all_slugs;
        let counts = roster::namesake_numbers(forms.len(), |index| {
            let [employee, manager, unit, _] = forms.values(index);
            [unit, employee, manager]
        });
        for (form, nth) in forms.forms.iter_mut().zip(counts) {
            form.nth = nth;
        }
    }
}

/// What a roster run wrote: the personal forms and the guides.
pub struct RosterWritten<'a> {
    forms: PlannedForms,
    units: &'a Units<'a>,
    dir: PathBuf,
    /// For each form in roster order: kept as it was (filled in since).
    decisions: Vec<write::Decision>,
    /// The guides and the optional topics, written once for everyone.
    shared: Vec<WrittenFile>,
}

impl RosterWritten<'_> {
    /// Every file, the personal forms in roster order, then the guides.
    pub fn files(&self) -> Result<impl Iterator<Item = Result<WrittenFile>> + '_> {
        let forms = (0..self.forms.len())
            .zip(self.decisions.chunks(2))
            .flat_map(|(index, decisions)| {
                let kept = |i: usize| decisions.get(i) == Some(&write::Decision::Keep);
                let line = self.forms.forms[index].line as usize;
                let employee = self.forms.employee(index);
                let path = |name: String| write::path_in(&self.dir, &name);
                [
                    WrittenFile {
                        document: DocumentKind::Samtaleskema,
                        path: path(self.forms.form_file_name(index, self.units)),
                        person: Some((line, employee.to_string())),
                        kept: kept(0),
                    },
                    WrittenFile {
                        document: DocumentKind::Udviklingsplan,
                        path: path(self.forms.plan_file_name(index, self.units)),
                        person: Some((line, employee.to_string())),
                        kept: kept(1),
                    },
                ]
            });
        Ok(forms.chain(self.shared.iter().cloned()).map(Ok))
    }
}

/// The pass over a roster: checks and plans each row, keeping what its
/// form needs; the forms are named once every person is known.
struct RowPlanner<'a> {
    units: &'a Units<'a>,
    roster: &'a roster::RosterSource,
    /// One plan (and later one built form) per config and distinct topic
    /// choice, with its config's index.
    plans: Vec<(usize, Plan)>,
    /// The configs that have someone, by index.
    used: Vec<bool>,
    /// The good rows so far, not yet named.
    forms: PlannedForms,
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
        self.with_previous |= self.roster.last_year().has_goals(index);
        let Some(config) = self.units.index_for(&row.unit) else {
            let error = self
                .units
                .no_config_for_row(&self.roster.file, row.line, &row.unit);
            self.errors.push(error);
            return;
        };
        self.used[config] = true;
        let unit = self.units.configs()[config];
        let plan = match Plan::new(unit.catalogue, &row.config(unit.config, unit.catalogue)) {
            // Few distinct topic choices exist (at most a few dozen), so a scan is enough.
            Ok(plan) => match self
                .plans
                .iter()
                .position(|(c, p)| *c == config && *p == plan)
            {
                Some(i) => i,
                None => {
                    self.plans.push((config, plan));
                    self.plans.len() - 1
                }
            },
            Err(err) => {
                self.errors.extend(err.diagnostics().iter().cloned());
                return;
            }
        };
        // A round has a handful of configs (see `limits`).
        let config_index = u16::try_from(config).unwrap_or(u16::MAX);
        self.forms
            .push(row.line, plan as u32, config_index, &row.info(unit.config));
    }
}

/// Writes a personal form for every row of `roster`, in parallel, and the
/// guides once per config used, all or nothing. Each row follows the config
/// of its unit (see [`Units`]). Every row is planned (and so checked) before
/// the first form is made; a personal form that was filled in since `mus`
/// wrote it is kept. With `by_manager` each manager's forms go in a folder
/// of their own. `progress` is called once per form made.
///
/// The roster is read in one pass: each row is checked and planned, and
/// what its form needs is kept; the roster's text is then let go, and the
/// forms are named, claimed and made.
pub fn generate_roster<'a>(
    units: &'a Units<'a>,
    roster: roster::RosterSource,
    date: DocumentDate,
    dest: &Destination,
    by_manager: bool,
    progress: &(dyn Fn() + Sync),
) -> Result<RosterWritten<'a>> {
    use rayon::prelude::*;

    let out = write::Output::open(&dest.dir, dest.force)?;
    let shared_kinds = &DocumentKind::GENERATED[2..];

    let mut planner = RowPlanner {
        units,
        roster: &roster,
        plans: Vec::new(),
        used: vec![false; units.configs().len()],
        forms: PlannedForms {
            by_manager,
            ..PlannedForms::default()
        },
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
    let RowPlanner {
        plans,
        used,
        forms: mut planned,
        with_previous,
        ..
    } = planner;
    // Every row is planned: the roster's text goes before the forms are
    // named and made (a few MB at 100,000 rows, within the 40 MB of issue 25).
    let last_year = roster.into_last_year();
    planned.name_forms();
    // The shared documents of every config used: the workplace's under
    // their own names, a unit's with the unit added (`-kontor-for-it`).
    let shared: Vec<(usize, DocumentKind, String)> = (0..units.configs().len())
        .filter(|i| used[*i])
        .flat_map(|i| {
            shared_kinds.iter().map(move |kind| {
                let name = format!("{}{}.docx", kind.name(), units.file_suffix(i));
                (i, *kind, name)
            })
        })
        .collect();

    let form_claims = (0..planned.len()).flat_map(|index| {
        [
            (planned.form_file_name(index, units), write::InTheWay::Keep),
            (planned.plan_file_name(index, units), write::InTheWay::Keep),
        ]
    });
    let shared_claims = shared
        .iter()
        .map(|(_, _, name)| (name.clone(), write::InTheWay::Refuse));
    let decisions = out.claim(form_claims.chain(shared_claims), &dest.inputs)?;
    // Each config's plan as it stands, for its guides and development plan.
    let bases = units
        .configs()
        .iter()
        .zip(&used)
        .map(|(unit, used)| match used {
            true => Plan::new(unit.catalogue, unit.config).map(Some),
            false => Ok(None),
        })
        .collect::<Result<Vec<_>>>()?;
    let templates = |config: usize| units.configs()[config].templates;

    // Each plan's form without, and (when anyone needs it) with, last year's goals.
    let forms = plans
        .iter()
        .map(|(c, plan)| render::forms::FormTemplate::new(plan, templates(*c), date, false))
        .collect::<Result<Vec<_>>>()?;
    // The development plan does not depend on the topics: one per config.
    let development_plans = bases
        .iter()
        .enumerate()
        .map(|(c, base)| match base {
            Some(base) => render::forms::FormTemplate::of_kind(
                base,
                DocumentKind::Udviklingsplan,
                templates(c),
                date,
            )
            .map(Some),
            None => Ok(None),
        })
        .collect::<Result<Vec<_>>>()?;
    let forms_with_previous = match with_previous {
        true => plans
            .iter()
            .map(|(c, plan)| {
                render::forms::FormTemplate::new(plan, templates(*c), date, true).map(Some)
            })
            .collect::<Result<Vec<_>>>()?,
        false => plans.iter().map(|_| None).collect(),
    };
    for (config, kind, name) in &shared {
        let Some(base) = &bases[*config] else {
            continue;
        };
        let guide = render::render(
            base,
            *kind,
            templates(*config),
            &render::Details::for_plan(base),
            date,
        )?;
        out.stage(name, &guide.bytes)?;
    }

    (0..planned.len()).into_par_iter().try_for_each(|index| {
        let to_write = |i: usize| decisions[2 * index + i] == write::Decision::Write;
        if !to_write(0) && !to_write(1) {
            progress();
            return Result::Ok(());
        }
        let info = planned.info(index, units);
        let config = planned.forms[index].config as usize;
        if to_write(1)
            && let Some(development_plan) = &development_plans[config]
        {
            let name = planned.plan_file_name(index, units);
            let bytes = development_plan
                .fill(&info, &[])
                .map_err(|err| Error::build(name.as_str(), err))?;
            out.stage(&name, &bytes)?;
        }
        if to_write(0) {
            let name = planned.form_file_name(index, units);
            let language = units.configs()[config].config.language;
            let goals = last_year.goal_rows(index, language);
            let plan = planned.forms[index].plan as usize;
            let form = match &forms_with_previous[plan] {
                Some(with) if !goals.is_empty() => with,
                _ => &forms[plan],
            };
            let bytes = form
                .fill(&info, &goals)
                .map_err(|err| Error::build(name.as_str(), err))?;
            out.stage(&name, &bytes)?;
        }
        progress();
        Result::Ok(())
    })?;
    out.commit()?;

    let mut decisions = decisions;
    decisions.truncate(2 * planned.len());
    Ok(RosterWritten {
        forms: planned,
        units,
        dir: dest.dir.clone(),
        decisions,
        shared: shared
            .into_iter()
            .map(|(_, kind, name)| WrittenFile {
                document: kind,
                path: dest.dir.join(name),
                person: None,
                kept: false,
            })
            .collect(),
    })
}
