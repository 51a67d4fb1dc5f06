//! `mus generate`: config → plan → the five documents in the output folder,
//! or with `--roster` a personal form per row and the guides once.

use std::io::IsTerminal;
use std::path::PathBuf;

use mus::{Plan, WrittenFile};
use serde_json::json;

use crate::cli::GenerateArgs;

pub fn run(args: &GenerateArgs) -> anyhow::Result<()> {
    let project = super::project(
        &args.source,
        args.config.as_deref(),
        args.templates.as_deref(),
        args.reference_doc.as_deref(),
    )?;
    let plan = &project.plan;
    let out_dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("mus-{}", plan.year)));

    let mut dest = mus::Destination {
        dir: out_dir,
        force: args.force,
        inputs: project.inputs(),
    };
    dest.inputs.extend(args.roster.iter().cloned());
    dest.inputs.extend(args.previous.iter().cloned());
    let written = match &args.roster {
        None => mus::generate(plan, &project.templates, project.date, &dest)?,
        Some(path) => {
            let (roster, warnings) = project.load_roster(path, args.previous.as_deref())?;
            for warning in &warnings {
                say!("{}: {warning}", mus::msg!("label.warning"));
            }
            let bar = progress_bar(roster.rows.len());
            let pool = super::thread_pool(args.jobs)?;
            let written = pool.install(|| {
                mus::generate_roster(
                    &project.catalogue,
                    &project.config,
                    &roster,
                    &project.templates,
                    project.date,
                    &dest,
                    &|| bar.inc(1),
                )
            })?;
            bar.finish_and_clear();
            written
        }
    };
    note_kept(&written);
    super::emit(&written_list(&written, plan, args.json))
}

/// Names every file left as it was, so nothing is skipped silently.
pub fn note_kept(written: &[WrittenFile]) {
    for file in written.iter().filter(|f| f.kept) {
        say!(
            "{}: {}: {}",
            mus::msg!("label.note"),
            file.path.display(),
            mus::msg!("generate.kept")
        );
    }
}

/// A progress bar on stderr when a person watches it; nothing in a pipeline.
fn progress_bar(len: usize) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} samtaleskemaer ({eta})")
    {
        bar.set_style(style);
    }
    bar
}

/// The files written: one path a line, or the `--json` object.
pub fn written_list(written: &[WrittenFile], plan: &Plan, as_json: bool) -> String {
    if as_json {
        let files: Vec<_> = written
            .iter()
            .map(|f| {
                let mut entry =
                    json!({"document": f.document.name(), "path": f.path.display().to_string()});
                if let Some((row, name)) = &f.person {
                    entry["row"] = json!(row);
                    entry["name"] = json!(name);
                }
                if f.kept {
                    entry["kept"] = json!(true);
                }
                entry
            })
            .collect();
        format!("{}\n", json!({"files": files, "topics": plan.topic_ids()}))
    } else {
        written
            .iter()
            .filter(|f| !f.kept)
            .map(|f| format!("{}\n", f.path.display()))
            .collect()
    }
}
