//! `mus` turns a workplace's MUS concept, described in YAML, into editable
//! Word documents: the interview form and the guides for employee, manager
//! and HR. The pipeline runs one way, a module per stage:
//! [`catalogue`] → [`config`] → [`plan`] → [`render`] → [`write`].

pub mod catalogue;
pub mod check;
pub mod collect;
pub mod config;
pub mod error;
pub mod plan;
pub mod render;
pub mod report;
pub mod roster;
pub mod schema;
pub mod write;
mod yaml;

use std::path::{Path, PathBuf};

pub use catalogue::{Catalogue, Topic, TopicKind};
pub use config::Config;
pub use error::{Diagnostic, Error, Location, Origin, Result, Severity};
pub use plan::Plan;
pub use render::{DocumentDate, DocumentKind, Templates};

/// A document `generate` wrote, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub document: DocumentKind,
    pub path: PathBuf,
    /// For a personal form: the roster line and the person's name.
    pub person: Option<(usize, String)>,
}

/// Renders all four documents of `plan` and writes them into `out_dir`.
/// Everything is rendered before the first byte is written.
pub fn generate(
    plan: &Plan,
    templates: &Templates,
    date: DocumentDate,
    out_dir: &Path,
) -> Result<Vec<WrittenFile>> {
    let documents = render::render_all(plan, templates, date)?;
    let files: Vec<write::OutputFile<'_>> = documents
        .iter()
        .map(|d| write::OutputFile {
            file_name: &d.file_name,
            bytes: &d.bytes,
        })
        .collect();
    let paths = write::write_all(out_dir, &files)?;
    Ok(documents
        .iter()
        .zip(paths)
        .map(|(d, path)| WrittenFile {
            document: d.kind,
            path,
            person: None,
        })
        .collect())
}

/// Writes a personal form for every row of `roster`, in parallel, and the
/// three guides once. Every row is planned (and so checked) before the first
/// file is written; `progress` is called once per form written.
pub fn generate_roster(
    catalogue: &Catalogue,
    config: &Config,
    roster: &roster::Roster,
    templates: &Templates,
    date: DocumentDate,
    out_dir: &Path,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<WrittenFile>> {
    use rayon::prelude::*;

    // Plan every row first: one plan (and one built form) per distinct topic choice.
    let mut plans: Vec<Plan> = Vec::new();
    let mut row_plan: Vec<usize> = Vec::with_capacity(roster.rows.len());
    let mut errors = Vec::new();
    for row in &roster.rows {
        match Plan::new(catalogue, &row.config(config, catalogue)) {
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
    let guides = DocumentKind::ALL[1..]
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

    std::fs::create_dir_all(out_dir).map_err(|err| Error::io(out_dir, err))?;
    let slugs = roster::unique_slugs(roster.rows.iter().map(|r| r.name.as_str()));
    let mut written = roster
        .rows
        .par_iter()
        .zip(row_plan.par_iter())
        .zip(slugs.par_iter())
        .map(|((row, plan), slug)| {
            let name = format!("samtaleskema-{slug}.docx");
            let goals = &row.previous_goals;
            let form = match &forms_with_previous[*plan] {
                Some(with) if !goals.is_empty() => with,
                _ => &forms[*plan],
            };
            let bytes = form
                .fill(&row.info(config), goals)
                .map_err(|err| Error::io(out_dir.join(&name), err))?;
            let path = write::write_file(out_dir, &name, &bytes)?;
            progress();
            Ok(WrittenFile {
                document: DocumentKind::Samtaleskema,
                path,
                person: Some((row.line, row.name.clone())),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    for guide in guides {
        let path = write::write_file(out_dir, &guide.file_name, &guide.bytes)?;
        written.push(WrittenFile {
            document: guide.kind,
            path,
            person: None,
        });
    }
    Ok(written)
}

/// Writes a follow-up form (opfølgningsskema) for every collected form that
/// has goals: the goals pre-filled, with room for status, what helped, what
/// got in the way and the next step. All are written, or none.
pub fn generate_followups(
    plan: &Plan,
    forms: &[collect::Form],
    templates: &Templates,
    date: DocumentDate,
    out_dir: &Path,
) -> Result<Vec<WrittenFile>> {
    let with_goals: Vec<&collect::Form> = forms.iter().filter(|f| !f.goals.is_empty()).collect();
    let slugs = roster::unique_slugs(with_goals.iter().map(|f| f.employee.as_str()));
    let mut documents = Vec::with_capacity(with_goals.len());
    for (form, slug) in with_goals.iter().zip(&slugs) {
        let person = render::Person {
            info: render::InfoValues {
                employee: form.employee.clone(),
                manager: form.manager.clone(),
                unit: form.unit.clone(),
                date: String::new(),
            },
            goals: form.goals.iter().map(|g| g.goal.clone()).collect(),
            chart: None,
            report: None,
        };
        let document = render::render(plan, DocumentKind::Opfoelgning, templates, &person, date)?;
        documents.push((
            format!("opfoelgning-{slug}.docx"),
            document.bytes,
            form.employee.clone(),
        ));
    }
    let files: Vec<write::OutputFile<'_>> = documents
        .iter()
        .map(|(name, bytes, _)| write::OutputFile {
            file_name: name,
            bytes,
        })
        .collect();
    let paths = write::write_all(out_dir, &files)?;
    Ok(paths
        .into_iter()
        .zip(&documents)
        .enumerate()
        .map(|(i, (path, (_, _, employee)))| WrittenFile {
            document: DocumentKind::Opfoelgning,
            path,
            person: Some((i + 1, employee.clone())),
        })
        .collect())
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
        .map_err(|err| Error::io("chart.png", std::io::Error::other(err)))?;
    let person = render::Person {
        info: render::InfoValues::for_plan(plan),
        goals: Vec::new(),
        chart: Some(chart),
        report: Some(report.context()),
    };
    Ok(render::render(plan, DocumentKind::Rapport, templates, &person, date)?.bytes)
}
