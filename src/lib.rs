//! `mus` turns a workplace's MUS concept, described in YAML, into editable
//! Word documents: the interview form and the guides for employee, manager
//! and HR. Two halves: the forward [`pipeline`] (catalogue → config → plan →
//! render → write) and the yearly [`round`] after the interviews (roster,
//! collect, follow-up, report). The [`form`] contract joins them: what
//! `render` writes into a form is what `collect` reads back.

pub mod dates;
pub mod error;
pub mod form;
pub mod limits;
pub mod messages;
pub mod pipeline;
pub mod platform;
pub mod project;
pub mod round;
pub mod text;

// The stages by their short names, for scripts, tests and `cmd/`.
pub use pipeline::{catalogue, check, config, plan, render, schema, write};
pub use round::{collect, report, roster};

pub use catalogue::{Catalogue, Topic, TopicKind};
pub use config::{Config, Language};
pub use error::{Diagnostic, Error, Location, Origin, Result, Severity};
pub use pipeline::generate::{Destination, WrittenFile, generate};
pub use plan::Plan;
pub use project::{Project, Sources};
pub use render::{DocumentDate, DocumentKind, Templates};
pub use round::followup::generate_followups;
pub use round::personal_forms::generate_roster;
pub use round::report::render::render_report;
