//! `mus check`: the service check of one or more configs.

use mus::check::{Report, check_paths};
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
    say!(
        "checked {files} file{}: {} error{}, {} warning{}",
        if files == 1 { "" } else { "s" },
        report.errors(),
        if report.errors() == 1 { "" } else { "s" },
        report.warnings(),
        if report.warnings() == 1 { "" } else { "s" },
    );
    if report.errors() > 0 || (args.strict && report.warnings() > 0) {
        return Err(Exit(1).into());
    }
    Ok(())
}

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
        out.push_str(&format!(
            "{}: {}: {} [{}]\n",
            severity(d),
            d.place(),
            d.message,
            d.code
        ));
        if let Some(why) = &d.why {
            out.push_str(&format!("  hvorfor: {why}\n"));
        }
        if let Some(hint) = &d.hint {
            out.push_str(&format!("  hint: {hint}\n"));
        }
    }
    out
}

fn to_json(d: &Diagnostic) -> serde_json::Value {
    json!({
        "file": d.file,
        "line": d.location.map(|l| l.line),
        "column": d.location.map(|l| l.column),
        "severity": severity(d),
        "code": d.code,
        "message": d.message,
        "why": d.why,
        "hint": d.hint,
    })
}
