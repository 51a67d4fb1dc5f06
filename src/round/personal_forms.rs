//! A personal form for every row of a roster (`generate --roster`), and the
//! guides once: each distinct topic choice is built once and filled per person.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::form::InfoValues;
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

/// One person's form as the first pass planned it. The plans are kept in a
/// spool file on disk until the forms are made and listed, so a roster of
/// 100,000 people costs no memory a row.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
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

/// The planned forms of a run, in roster order, in an unnamed file in the
/// output folder that the system deletes when the run ends.
#[derive(Debug)]
struct Spool {
    file: std::fs::File,
    /// Named in messages (the output folder).
    dir: PathBuf,
}

impl Spool {
    fn new(dir: &Path) -> Result<Spool> {
        let file = tempfile::tempfile_in(dir).map_err(|err| Error::io(dir, err))?;
        Ok(Spool {
            file,
            dir: dir.to_path_buf(),
        })
    }

    fn writer(&self) -> csv::Writer<std::io::BufWriter<&std::fs::File>> {
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(std::io::BufWriter::new(&self.file))
    }

    /// Every planned form from the start, in roster order.
    fn read(&self) -> Result<impl Iterator<Item = Result<PlannedForm>> + '_> {
        use std::io::Seek;
        let mut file = &self.file;
        file.seek(std::io::SeekFrom::Start(0))
            .map_err(|err| Error::io(&self.dir, err))?;
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(std::io::BufReader::new(file));
        Ok(reader
            .into_deserialize()
            .map(|form| form.map_err(|err| Error::io(&self.dir, std::io::Error::other(err)))))
    }
}

/// What a roster run wrote: the personal forms (read back from the run's
/// spool as they are asked for, not held) and the guides.
#[derive(Debug)]
pub struct RosterWritten {
    spool: Spool,
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
            self.spool
                .read()?
                .zip(self.decisions.chunks(2))
                .flat_map(|(form, decisions)| {
                    let kept = |i: usize| decisions.get(i) == Some(&write::Decision::Keep);
                    let files = form.map(|form| {
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
                                person: Some((form.line, form.employee)),
                                kept: kept(1),
                            },
                        ]
                    });
                    match files {
                        Ok(files) => files.into_iter().map(Ok).collect::<Vec<_>>(),
                        Err(err) => vec![Err(err)],
                    }
                });
        Ok(forms.chain(self.shared.iter().cloned().map(Ok)))
    }
}

/// The file name of the next person's form.
fn form_name(slugs: &mut roster::PersonSlugs, info: &InfoValues) -> String {
    format!(
        "samtaleskema-{}.docx",
        slugs.next(&info.employee, &info.unit, &info.manager)
    )
}

/// The first pass over a roster: checks and plans each row, names its form
/// and writes the plan to the spool.
struct RowPlanner<'a> {
    catalogue: &'a Catalogue,
    config: &'a Config,
    roster: &'a roster::RosterSource,
    /// One plan (and later one built form) per distinct topic choice.
    plans: Vec<Plan>,
    slugs: roster::PersonSlugs,
    writer: csv::Writer<std::io::BufWriter<&'a std::fs::File>>,
    spool_dir: &'a Path,
    /// Good rows so far.
    rows: usize,
    with_previous: bool,
    /// How many rows so far had each person's key, so namesakes with the
    /// same unit and manager still get ids of their own.
    seen: std::collections::HashMap<String, usize>,
    errors: Vec<crate::error::Diagnostic>,
    io_error: Option<Error>,
}

impl RowPlanner<'_> {
    /// Plans one row; the name of its form when the row is good.
    fn plan(
        &mut self,
        row: std::result::Result<roster::RosterRow, Vec<crate::error::Diagnostic>>,
    ) -> Option<String> {
        let row = match row {
            Ok(row) => row,
            Err(row_errors) => {
                self.errors.extend(row_errors);
                return None;
            }
        };
        let index = self.rows;
        self.rows += 1;
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
                return None;
            }
        };
        let info = row.info(self.config);
        let file_name = form_name(&mut self.slugs, &info);
        let key = [&info.unit, &info.employee, &info.manager]
            .map(|s| crate::text::one_line(s).to_lowercase())
            .join("\u{1f}");
        let nth = self.seen.entry(key).or_insert(0);
        *nth += 1;
        let id = crate::form::form_id(
            self.config.year.value,
            &self.config.workplace,
            &info.unit,
            &info.employee,
            &info.manager,
            *nth,
        );
        let planned = PlannedForm {
            line: row.line,
            index,
            plan: plan as u32,
            file_name: file_name.clone(),
            employee: info.employee,
            manager: info.manager,
            unit: info.unit,
            date: info.date,
            id,
        };
        if self.io_error.is_none()
            && let Err(err) = self.writer.serialize(&planned)
        {
            self.io_error = Some(Error::io(self.spool_dir, std::io::Error::other(err)));
        }
        Some(file_name)
    }
}

/// Writes a personal form for every row of `roster`, in parallel, and the
/// three guides once, all or nothing. Every row is planned (and so checked)
/// before the first form is made; a personal form that was filled in since
/// `mus` wrote it is kept. `progress` is called once per form made.
///
/// The roster is read once: each row is checked, planned and its file
/// decided, and the plan goes to a spool file; the forms are then made from
/// the spool a slice at a time. What is kept in memory a row is the
/// decision (a byte), and while the rows are read, a key of each file name.
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
    let spool = Spool::new(out.dir())?;
    // The guides and the optional topics: written once for everyone.
    let shared_kinds = &DocumentKind::GENERATED[2..];

    // Read the roster once: plan each row and decide its file.
    let (plans, rows, with_previous, decisions) = {
        let mut planner = RowPlanner {
            catalogue,
            config,
            roster,
            plans: Vec::new(),
            slugs: {
                // Namesakes are told apart by unit, not by their order, so
                // the roster's people are counted first.
                let people: Vec<(String, String)> = roster
                    .rows()
                    .filter_map(|row| row.ok())
                    .map(|row| {
                        let info = row.info(config);
                        (info.employee, info.unit)
                    })
                    .collect();
                roster::PersonSlugs::new(people.iter().map(|(n, u)| (n.as_str(), u.as_str())))
            },
            writer: spool.writer(),
            spool_dir: out.dir(),
            rows: 0,
            with_previous: false,
            seen: std::collections::HashMap::new(),
            errors: Vec::new(),
            io_error: None,
        };
        let form_claims = roster
            .rows()
            .filter_map(|row| planner.plan(row))
            .flat_map(|name| {
                let plan = plan_name(&name);
                [(name, write::InTheWay::Keep), (plan, write::InTheWay::Keep)]
            });
        let shared_claims = shared_kinds
            .iter()
            .map(|kind| (kind.file_name().to_string(), write::InTheWay::Refuse));
        let claims = out.claim(form_claims.chain(shared_claims), &dest.inputs);
        if planner.rows == 0 && planner.errors.is_empty() {
            planner.errors.push(roster.no_rows());
        }
        if !planner.errors.is_empty() {
            return Err(roster::sum_up(planner.errors).into());
        }
        let decisions = claims?;
        if let Some(err) = planner.io_error {
            return Err(err);
        }
        planner
            .writer
            .flush()
            .map_err(|err| Error::io(out.dir(), err))?;
        (
            planner.plans,
            planner.rows,
            planner.with_previous,
            decisions,
        )
    };
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

    // Fill the forms a slice of the spool at a time, each slice in parallel.
    let make = |slice: &[PlannedForm]| -> Result<()> {
        slice.par_iter().try_for_each(|planned| {
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
            Ok(())
        })
    };
    let mut slice = Vec::with_capacity(ROWS_AT_A_TIME);
    for planned in spool.read()? {
        slice.push(planned?);
        if slice.len() == ROWS_AT_A_TIME {
            make(&slice)?;
            slice.clear();
        }
    }
    make(&slice)?;
    out.commit()?;

    let mut decisions = decisions;
    decisions.truncate(2 * rows);
    Ok(RosterWritten {
        spool,
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
