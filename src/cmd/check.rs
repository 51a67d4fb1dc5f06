//! `mus check`: the service check of one or more configs.

use mus::check::{Report, check_paths};
use mus::messages::plural;
use mus::msg;
use mus::{Diagnostic, Severity};
use serde_json::json;

use super::Exit;
use crate::cli::{CheckArgs, Format};

pub fn run(args: &CheckArgs) -> anyhow::Result<()> {
    let catalogue = super::catalogue(&args.source)?;
    let report = check_paths(&catalogue, &args.paths);
    let output = match args.format {
        Format::Text => text(&report),
        Format::Json => {
            let findings: Vec<_> = report.findings.iter().map(to_json).collect();
            format!("{}\n", serde_json::to_string_pretty(&findings)?)
        }
    };
    super::emit(&output)?;
    let files = report.files.len();
    let (errors, warnings) = (report.errors(), report.warnings());
    say!(
        "{}",
        mus::msg!(
            "check.summary",
            files = files,
            files_word = plural("word.file", files),
            errors = errors,
            errors_word = plural("word.error", errors),
            warnings = warnings,
            warnings_word = plural("word.warning", warnings),
        )
    );
    if report.errors() > 0 || (args.strict && report.warnings() > 0) {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// The severity as scripts read it (`--format json`): never translated.
fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One block per finding: the finding, why it matters, what to do.
fn text(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.findings {
        let label = match d.severity {
            Severity::Error => msg!("label.error"),
            Severity::Warning => msg!("label.warning"),
        };
        out.push_str(&format!(
            "{label}: {}: {} [{}]\n",
            d.place(),
            d.message,
            d.code
        ));
        if let Some(why) = &d.why {
            out.push_str(&format!("  {}: {why}\n", msg!("label.why")));
        }
        if let Some(hint) = &d.hint {
            out.push_str(&format!("  {}: {hint}\n", msg!("label.hint")));
        }
    }
    out
}

fn to_json(d: &Diagnostic) -> serde_json::Value {
    json!({
        "file": mus::platform::machine_path(std::path::Path::new(&d.file)),
        "line": d.location.map(|l| l.line),
        "column": d.location.map(|l| l.column),
        "severity": severity(d),
        "code": d.code,
        "message": d.message,
        "why": d.why,
        "hint": d.hint,
    })
}
