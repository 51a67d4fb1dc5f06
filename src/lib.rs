//! `mus` turns a workplace's MUS concept, described in YAML, into editable
//! Word documents: the interview form and the guides for employee, manager
//! and HR. Two halves: the forward [`pipeline`] (catalogue → config → plan →
//! render → write) and the yearly [`round`] after the interviews (roster,
//! collect, follow-up, report). The [`form`] contract joins them: what
//! `render` writes into a form is what `collect` reads back.

pub mod error;
pub mod form;
pub mod limits;
pub mod pipeline;
pub mod project;
pub mod round;
pub mod text;

// The stages by their short names, for scripts, tests and `cmd/`.
pub use pipeline::{catalogue, check, config, plan, render, schema, write};
pub use round::{collect, report, roster};

use std::path::PathBuf;

pub use catalogue::{Catalogue, Topic, TopicKind};
pub use config::Config;
pub use error::{Diagnostic, Error, Location, Origin, Result, Severity};
pub use plan::Plan;
pub use project::{Project, Sources};
pub use render::{DocumentDate, DocumentKind, Templates};

/// A document `generate` wrote (or kept), and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub document: DocumentKind,
    pub path: PathBuf,
    /// For a personal form: the roster line and the person's name.
    pub person: Option<(usize, String)>,
    /// The file in its place was changed since `mus` wrote it (a filled-in
    /// form) or was not written by `mus`, so it was left as it is.
    pub kept: bool,
}

/// Where a run writes, and how it may treat what is already there.
#[derive(Debug, Clone, Default)]
pub struct Destination {
    /// The output folder.
    pub dir: PathBuf,
    /// Replace files `mus` did not write, or that were changed since (`--force`).
    pub force: bool,
    /// The run's input files: an output that would replace one is refused.
    pub inputs: Vec<PathBuf>,
}

/// Renders all four documents of `plan` and writes them into `dest`.
/// Everything is rendered before the first byte is written.
pub fn generate(
    plan: &Plan,
    templates: &Templates,
    date: DocumentDate,
    dest: &Destination,
) -> Result<Vec<WrittenFile>> {
    let documents = render::render_all(plan, templates, date)?;
    let out = write::Output::open(&dest.dir, dest.force)?;
    let names: Vec<String> = documents.iter().map(|d| d.file_name.clone()).collect();
    out.refuse_inputs(&names, &dest.inputs)?;
    let claims: Vec<_> = names
        .iter()
        .map(|n| (n.clone(), write::InTheWay::Refuse))
        .collect();
    out.claim(&claims)?;
    for document in &documents {
        out.stage(&document.file_name, &document.bytes)?;
    }
    let written = documents
        .iter()
        .map(|d| WrittenFile {
            document: d.kind,
            path: out.path(&d.file_name),
            person: None,
            kept: false,
        })
        .collect();
    out.commit()?;
    Ok(written)
}

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

/// Writes a follow-up form (opfølgningsskema) for every collected form that
/// has goals: the goals pre-filled, with room for status, what helped, what
/// got in the way and the next step. All are written, or none; a follow-up
/// form that was filled in since `mus` wrote it is kept.
pub fn generate_followups(
    plan: &Plan,
    forms: &[collect::Form],
    templates: &Templates,
    date: DocumentDate,
    dest: &Destination,
) -> Result<Vec<WrittenFile>> {
    let with_goals: Vec<&collect::Form> = forms.iter().filter(|f| !f.goals.is_empty()).collect();
    let slugs = roster::unique_slugs(with_goals.iter().map(|f| f.employee.as_str()));
    let names: Vec<String> = slugs
        .iter()
        .map(|slug| format!("opfoelgning-{slug}.docx"))
        .collect();
    let out = write::Output::open(&dest.dir, dest.force)?;
    out.refuse_inputs(&names, &dest.inputs)?;
    let claims: Vec<_> = names
        .iter()
        .map(|n| (n.clone(), write::InTheWay::Keep))
        .collect();
    let decisions = out.claim(&claims)?;
    let mut written = Vec::with_capacity(with_goals.len());
    for (i, ((form, name), decision)) in with_goals.iter().zip(&names).zip(&decisions).enumerate() {
        let kept = *decision == write::Decision::Keep;
        if !kept {
            let person = render::Person {
                info: form::InfoValues {
                    employee: form.employee.clone(),
                    manager: form.manager.clone(),
                    unit: form.unit.clone(),
                    date: String::new(),
                },
                goals: form.goals.iter().map(|g| g.goal.clone()).collect(),
                chart: None,
                report: None,
            };
            let document =
                render::render(plan, DocumentKind::Opfoelgning, templates, &person, date)?;
            out.stage(name, &document.bytes)?;
        }
        written.push(WrittenFile {
            document: DocumentKind::Opfoelgning,
            path: out.path(name),
            person: Some((i + 1, form.employee.clone())),
            kept,
        });
    }
    out.commit()?;
    Ok(written)
}

/// Renders the SU report from [`report::compute`]'s figures: a table by unit
/// and a bar chart, anonymous (no names, no goal texts, whole blocks of five).
pub fn render_report(
    plan: &Plan,
    report: &report::Report,
    templates: &Templates,
    date: DocumentDate,
) -> Result<Vec<u8>> {
    let chart = render::chart::bar_chart(&report.chart_values())
        .map_err(|err| Error::build("chart.png", err))?;
    let person = render::Person {
        info: form::InfoValues::for_unit(plan.unit.as_deref()),
        goals: Vec::new(),
        chart: Some(chart),
        report: Some(report.context()),
    };
    Ok(render::render(plan, DocumentKind::Rapport, templates, &person, date)?.bytes)
}
