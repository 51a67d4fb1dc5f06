//! `mus collect`: the agreed goals from filled-in forms, as CSV or JSON.

use mus::collect::{collect_paths, to_csv};
use mus::messages::plural;
use mus::msg;
use serde_json::json;

use super::Exit;
use crate::cli::{CollectArgs, CollectFormat};

pub fn run(args: &CollectArgs) -> anyhow::Result<()> {
    let collection = super::thread_pool(args.jobs)?.install(|| collect_paths(&args.paths));
    let output = match args.format {
        CollectFormat::Csv => to_csv(&collection.forms)?,
        CollectFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "forms": collection.forms,
                "failed": collection.failures,
                "links": collection.links,
                "notes": collection.notes,
                "others": collection.others,
                "not_filled_in": collection.not_filled_in,
                "notes_forms": collection.notes_forms,
            }))?
        ),
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
            super::report::write(path, output.as_bytes(), args.force, &inputs)?
        }
        None => super::emit(&output)?,
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
