//! The yearly round after the documents are made: [`roster`] and
//! [`personal_forms`] (a form per person), [`collect`] (the filled-in forms
//! back into a CSV of goals), [`followup`] (follow-up forms from that CSV),
//! and [`report`] (anonymous figures for SU).
//! CSV files in and out go through [`csv_file`], Excel workbooks through
//! [`workbook`].

pub mod collect;
pub mod csv_file;
pub mod followup;
pub mod personal_forms;
pub mod report;
pub mod roster;
pub mod units;
pub mod workbook;
