//! The forward pipeline, one module per stage, data flowing one way:
//! [`catalogue`] (the topics) → [`config`] (a workplace's choices) →
//! [`plan`] (the topics in order) → [`render`] (documents) → [`write`]
//! (files, all or nothing); [`generate`] runs them
//! end to end. [`check`] and [`schema`] look at a config
//! without making documents; [`yaml`] reads YAML with line and column.
//!
//! No stage names a later one: the house file, read with the templates, goes
//! to [`render`] beside them, not through the config and the plan. The layer
//! table in `tests/testsuite/architecture.rs` keeps it so.

pub mod catalogue;
pub mod check;
pub mod config;
pub mod generate;
pub mod plan;
pub mod render;
pub mod schema;
pub mod write;
pub(crate) mod yaml;
