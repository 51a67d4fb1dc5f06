//! `mus` turns a workplace's MUS concept, described in YAML, into editable
//! Word documents: the interview form and the guides for employee, manager
//! and HR. The pipeline runs one way, a module per stage:
//! [`catalogue`] → [`config`] → [`plan`] → [`render`] → [`write`].

pub mod catalogue;
pub mod check;
pub mod config;
pub mod error;
pub mod plan;
pub mod render;
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
        })
        .collect())
}
