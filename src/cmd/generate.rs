//! `mus generate`: config → plan → the six documents in the output folder,
//! or with `--roster` a personal form and plan per row, and the guides and
//! the optional topics once.

use std::io::IsTerminal;
use std::path::PathBuf;

use mus::{Plan, WrittenFile};
use serde_json::json;

use crate::cli::GenerateArgs;

pub fn run(args: &GenerateArgs) -> anyhow::Result<()> {
    let projects = super::projects(
        &args.source,
        &args.config,
        args.templates.as_deref(),
        args.reference_doc.as_deref(),
    )?;
    let (units, project) = super::units(&projects)?;
    let plan = &project.plan;
    let out_dir = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("mus-{}", plan.year)));

    let mut dest = mus::Destination {
        dir: out_dir,
        force: args.force,
        inputs: super::inputs(&projects),
    };
    dest.inputs.extend(args.roster.iter().cloned());
    dest.inputs.extend(args.previous.iter().cloned());
    match &args.roster {
        None if projects.len() > 1 => {
            let files: Vec<String> = args
                .config
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            Err(mus::Error::usage(
                mus::Diagnostic::new(
                    files.join(", "),
                    None,
                    mus::msg!("units.needs-roster", count = projects.len()),
                )
                .with_hint(mus::msg!("units.needs-roster.hint"))
                .with_code("units"),
            )
            .into())
        }
        None => {
            let written = mus::generate(plan, &project.templates, project.date, &dest)?;
            report_written(written.into_iter().map(Ok), plan, args.json)
        }
        Some(path) => {
            let (roster, warnings) =
                units.open_roster(path, args.sheet.as_deref(), args.previous.as_deref())?;
            for warning in &warnings {
                say!("{}: {warning}", mus::msg!("label.warning"));
            }
            let bar = progress_bar(|| roster.rows().count());
            let pool = super::thread_pool(args.jobs)?;
            let written = pool.install(|| {
                mus::generate_roster(
                    &units,
                    roster,
                    project.date,
                    &dest,
                    args.by_manager,
                    &|| bar.inc(1),
                )
            })?;
            bar.finish_and_clear();
            report_written(written.files()?, plan, args.json)
        }
    }
}

/// Prints what a run wrote: one path a line as it goes, or the `--json`
/// object, also written entry by entry (a roster run's list is never held
/// whole); and names every file left as it was on stderr, so nothing is
/// skipped silently.
pub fn report_written(
    written: impl Iterator<Item = mus::Result<WrittenFile>>,
    plan: &Plan,
    as_json: bool,
) -> anyhow::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut result = if as_json {
        write!(out, "{{\"files\":[")
    } else {
        Ok(())
    };
    for (i, file) in written.enumerate() {
        let file = file?;
        if file.kept {
            say!(
                "{}: {}: {}",
                mus::msg!("label.note"),
                file.path.display(),
                mus::msg!("generate.kept")
            );
        }
        if result.is_err() {
            continue;
        }
        if as_json {
            let mut entry = json!({"document": file.document.name(), "path": mus::platform::machine_path(&file.path)});
            if let Some((row, name)) = &file.person {
                entry["row"] = json!(row);
                entry["name"] = json!(name);
            }
            if file.kept {
                entry["kept"] = json!(true);
            }
            let comma = if i == 0 { "" } else { "," };
            result = write!(out, "{comma}{entry}");
        } else if !file.kept {
            result = writeln!(out, "{}", file.path.display());
        }
    }
    if as_json && result.is_ok() {
        result = writeln!(out, "],\"topics\":{}}}", json!(plan.topic_ids()));
    }
    super::stdout_result(result.and_then(|()| out.flush()))
}

/// A progress bar on stderr when a person watches it; nothing in a pipeline.
/// `len` counts the rows, only when the bar is shown.
fn progress_bar(len: impl FnOnce() -> usize) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len() as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {} ({{eta}})",
        mus::msg!("generate.progress")
    )) {
        bar.set_style(style);
    }
    bar
}
