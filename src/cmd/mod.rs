//! One file per subcommand: each turns parsed arguments into library calls.

pub mod generate;
pub mod topics;

use mus::{Catalogue, DocumentDate};

use crate::cli::SourceArgs;

/// The catalogue the arguments ask for.
fn catalogue(source: &SourceArgs) -> mus::Result<Catalogue> {
    match &source.concept {
        Some(dir) => Catalogue::from_dir(dir),
        None => Catalogue::built_in(),
    }
}

/// `SOURCE_DATE_EPOCH` as reproducible builds define it, if set and valid.
fn source_date() -> Option<DocumentDate> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| DocumentDate::from_epoch(&v))
}
