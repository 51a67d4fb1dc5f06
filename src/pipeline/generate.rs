//! The pipeline's end: every document of a plan rendered, then written into
//! the output folder all or nothing; and what a run wrote, for `--json`.

use std::path::PathBuf;

use crate::error::Result;
use crate::pipeline::plan::Plan;
use crate::pipeline::render::{self, DocumentDate, DocumentKind, Templates};
use crate::pipeline::write;

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

/// Renders every document `generate` writes ([`DocumentKind::GENERATED`]:
/// the form, the development plan, the three guides and the optional
/// topics) of `plan` and writes them into `dest`.
/// Everything is rendered before the first byte is written.
pub fn generate(
    plan: &Plan,
    templates: &Templates,
    date: DocumentDate,
    dest: &Destination,
) -> Result<Vec<WrittenFile>> {
    let documents = render::render_all(plan, templates, date)?;
    let out = write::Output::open(&dest.dir, dest.force)?;
    let names = documents.iter().map(|d| d.file_name.as_str());
    out.claim(names.map(|n| (n, write::InTheWay::Refuse)), &dest.inputs)?;
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
