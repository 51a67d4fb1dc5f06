//! `mus collect`: the agreed goals from filled-in forms, as CSV or JSON.

use mus::collect::{Collection, Failure, Form, Link, Note};
use mus::collect::{collect_paths, newest_date, to_csv, to_records, to_xlsx};
use mus::form::GoalRecord;
use mus::messages::plural;
use mus::msg;
use serde::Serialize;

use super::Exit;
use crate::cli::{CollectArgs, CollectFormat};

/// What `--format json` prints: the forms read (without their goals), the
/// goals as the same records as the CSV's rows, and every file met on the
/// way. Serialised as declared, so a record's keys come in column order.
#[derive(Serialize)]
struct JsonOutput<'a> {
    forms: &'a [Form],
    goals: Vec<GoalRecord>,
    failed: &'a [Failure],
    links: &'a [Link],
    notes: &'a [Note],
    others: &'a [String],
    not_filled_in: &'a [String],
    notes_forms: &'a [String],
}

impl<'a> JsonOutput<'a> {
    fn of(collection: &'a Collection) -> Self {
        JsonOutput {
            forms: &collection.forms,
            goals: to_records(&collection.forms).collect(),
            failed: &collection.failures,
            links: &collection.links,
            notes: &collection.notes,
            others: &collection.others,
            not_filled_in: &collection.not_filled_in,
            notes_forms: &collection.notes_forms,
        }
    }
}

pub fn run(args: &CollectArgs) -> anyhow::Result<()> {
    let format = args
        .format
        .unwrap_or(match super::names_a_workbook(args.output.as_deref()) {
            true => CollectFormat::Xlsx,
            false => CollectFormat::Csv,
        });
    // A workbook is no text for a terminal or a pipe: it goes to a file.
    if format == CollectFormat::Xlsx && args.output.is_none() {
        return Err(mus::Error::usage(
            mus::Diagnostic::new("--format xlsx", None, msg!("collect.xlsx-needs-file"))
                .with_hint(msg!("collect.xlsx-needs-file.hint")),
        )
        .into());
    }
    // Before the forms are read, so a bad SOURCE_DATE_EPOCH stops the run at once.
    let source_date = match format {
        CollectFormat::Xlsx => super::source_date()?,
        _ => None,
    };
    let collection = super::thread_pool(args.jobs)?.install(|| collect_paths(&args.paths));
    let output: Vec<u8> = match format {
        CollectFormat::Csv => to_csv(&collection.forms)?.into_bytes(),
        CollectFormat::Xlsx => {
            // Dated by SOURCE_DATE_EPOCH, else by the newest form, so the
            // same forms give the same bytes.
            let created = match source_date {
                Some(date) => date.0,
                None => newest_date(&collection.forms)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map_or(mus::DocumentDate::for_year(2000).0, |d| d.and_utc()),
            };
            to_xlsx(&collection.forms, created)?
        }
        CollectFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&JsonOutput::of(&collection))?
        )
        .into_bytes(),
    };
    match &args.output {
        // Nothing read: an earlier file stays as it was.
        Some(_) if collection.forms.is_empty() => {}
        Some(path) => {
            let inputs: Vec<std::path::PathBuf> = args
                .paths
                .iter()
                .cloned()
                .chain(collection.forms.iter().map(|f| f.file.clone().into()))
                .chain(collection.failures.iter().map(|f| f.file.clone().into()))
                // A copy counted once, a form nobody filled in, an interview
                // form: read too, so none of them may be the output either.
                .chain(collection.notes.iter().map(|n| n.file.clone().into()))
                .chain(collection.not_filled_in.iter().map(Into::into))
                .chain(collection.notes_forms.iter().map(Into::into))
                .chain(collection.others.iter().map(Into::into))
                .collect();
            super::write_output(path, &output, args.force, &inputs)?
        }
        None => super::emit(&String::from_utf8_lossy(&output))?,
    }
    for failure in &collection.failures {
        say!(
            "{}: {}: {}",
            msg!("label.error"),
            failure.file,
            failure.reason
        );
    }
    let (interviews, followups): (Vec<_>, Vec<_>) = collection
        .forms
        .iter()
        .partition(|f| f.kind == mus::form::FormKind::Samtale);
    let goals: usize = interviews.iter().map(|f| f.goals.len()).sum();
    let followed: usize = followups.iter().map(|f| f.goals.len()).sum();
    let without: Vec<&str> = interviews
        .iter()
        .filter(|f| f.goals.is_empty())
        .map(|f| f.file.as_str())
        .collect();
    say!(
        "{}",
        msg!(
            "collect.summary",
            goals = format!("{} {}", goals, plural("word.goal", goals)),
            interviews = format!(
                "{} {}",
                interviews.len(),
                plural("word.interview-form", interviews.len())
            ),
            followed = format!("{} {}", followed, plural("word.follow-up-row", followed)),
            followups = format!(
                "{} {}",
                followups.len(),
                plural("word.follow-up-form", followups.len())
            ),
            without = without.len(),
            failed = format!(
                "{} {}",
                collection.failures.len(),
                plural("word.file", collection.failures.len())
            ),
        )
    );
    let note = msg!("label.note");
    for file in without {
        say!("{note}: {file}: {}", msg!("collect.no-goals"));
    }
    for file in &collection.others {
        say!("{note}: {file}: {}", msg!("collect.not-a-form"));
    }
    for file in &collection.notes_forms {
        say!("{note}: {file}: {}", msg!("collect.notes-form"));
    }
    if !collection.not_filled_in.is_empty() {
        say!(
            "{note}: {}\n  {}: {}",
            msg!(
                "collect.not-filled-in",
                count = collection.not_filled_in.len(),
                files = collection.not_filled_in.join(", ")
            ),
            msg!("label.why"),
            msg!("collect.not-filled-in.why")
        );
    }
    for link in &collection.links {
        match &link.reason {
            None => say!(
                "{note}: {}: {}",
                link.path,
                msg!("collect.link-followed", target = link.target)
            ),
            Some(reason) => say!(
                "{note}: {}: {}",
                link.path,
                msg!(
                    "collect.link-not-followed",
                    target = link.target,
                    reason = reason
                )
            ),
        }
    }
    for item in &collection.notes {
        say!("{note}: {}: {}", item.file, item.note);
    }
    if !collection.failures.is_empty() {
        return Err(Exit(1).into());
    }
    Ok(())
}
