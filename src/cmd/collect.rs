//! `mus collect`: the agreed goals from filled-in forms, as CSV or JSON.

use mus::collect::{collect_paths, to_csv};
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
                .collect();
            super::report::write(path, output.as_bytes(), args.force, &inputs)?
        }
        None => super::emit(&output)?,
    }
    for failure in &collection.failures {
        say!("error: {}: {}", failure.file, failure.reason);
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
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
        "collected {} from {}; {} from {}; {} without goals; {} failed",
        plural(goals, "goal"),
        plural(interviews.len(), "interview form"),
        plural(followed, "follow-up row"),
        plural(followups.len(), "follow-up form"),
        without.len(),
        plural(collection.failures.len(), "file"),
    );
    for file in without {
        say!("note: {file}: no development goals written");
    }
    for file in &collection.others {
        say!("note: {file}: not a form (one of the guides); skipped");
    }
    for link in &collection.links {
        match &link.reason {
            None => say!("note: {}: a link to `{}`; followed", link.path, link.target),
            Some(reason) => say!(
                "note: {}: a link to `{}`; not followed: {reason}",
                link.path,
                link.target
            ),
        }
    }
    for note in &collection.notes {
        say!("note: {}: {}", note.file, note.note);
    }
    if !collection.failures.is_empty() {
        return Err(Exit(1).into());
    }
    Ok(())
}
