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
    let forms = plans
        .iter()
        .map(|plan| render::forms::FormTemplate::new(plan, templates, date))
        .collect::<Result<Vec<_>>>()?;
    let guides = DocumentKind::ALL[1..]
        .iter()
        .map(|kind| {
            render::render(
                &base,
                *kind,
                templates,
                &render::InfoValues::for_plan(&base),
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
            let bytes = forms[*plan]
                .fill(&row.info(config))
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
