//! End-to-end tests of the `mus` binary: a module per command, sharing the
//! helpers in `support`, with fixtures under `fixtures/`.

// Tests may panic on what they set up themselves (Cargo.toml denies this in the program).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accessibility;
mod architecture;
mod check;
mod collect;
mod collect_json;
mod concept_texts;
mod dates;
mod docs;
mod english;
mod extends;
mod followup;
mod form_fields;
mod fuzz;
mod generate;
mod house_style;
mod init;
mod interop;
mod layout;
mod limits;
mod messages;
mod portability;
mod preview;
mod regular_files;
mod report;
mod report_chart;
mod roster;
mod safety;
mod schema;
mod spelling;
mod support;
mod texts;
mod topics;
mod units;
mod workbook;
