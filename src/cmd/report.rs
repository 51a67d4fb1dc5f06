//! `mus report`: the anonymous SU report from collected goals.

use std::path::PathBuf;

use mus::collect::read_csv;
use mus::report::{MIN_GROUP, Round};

use crate::cli::{ReportArgs, ReportFormat};

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let format = args
        .format
        .unwrap_or(match super::names_a_workbook(args.output.as_deref()) {
            true => ReportFormat::Xlsx,
            false => ReportFormat::Docx,
        });
    let projects = super::projects(
        &args.source,
        &args.config,
        args.templates.as_deref(),
        args.reference_doc.as_deref(),
    )?;
    let (units, project) = super::units(&projects)?;
    let plan = &project.plan;
    let forms = read_csv(&args.collected)?;
    let roster = match &args.roster {
        Some(path) => {
            let mut roster = mus::roster::Roster::load_sheet(path, args.sheet.as_deref())?;
            for warning in &roster.warnings {
                say!("{}: {warning}", mus::msg!("label.warning"));
            }
            // A row without a unit is in the workplace's unit, as on its form.
            for row in &mut roster.rows {
                row.unit = mus::form::unit_or(&row.unit, Some(units.default_unit())).to_string();
            }
            Some(roster.rows)
        }
        None => None,
    };
    let previous = args.previous.as_deref().map(read_csv).transpose()?;
    let deadlines = units.deadlines();
    let report = mus::report::compute_round(
        &forms,
        &Round {
            deadlines: &deadlines,
            roster: roster.as_deref(),
            previous: previous.as_deref(),
        },
    );
    let mut inputs = super::inputs(&projects);
    inputs.push(args.collected.clone());
    inputs.extend(args.roster.iter().cloned());
    inputs.extend(args.previous.iter().cloned());
    notes(args, &report);
    if format == ReportFormat::Json {
        let json = format!(
            "{}\n",
            serde_json::to_string_pretty(&report.json_in(plan.language))?
        );
        return match &args.output {
            Some(path) => super::write_output(path, json.as_bytes(), args.force, &inputs),
            None => super::emit(&json),
        };
    }
    let extension = match format {
        ReportFormat::Xlsx => "xlsx",
        _ => "docx",
    };
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("mus-rapport-{}.{extension}", plan.year)));
    let bytes = match format {
        // Dated by the report's date, so the same input gives the same bytes.
        ReportFormat::Xlsx => report
            .to_xlsx(plan.language, project.date.0)
            .map_err(|err| mus::Error::io(&path, err))?,
        _ => mus::render_report(plan, &report, &project.templates, project.date)?,
    };
    super::write_output(&path, &bytes, args.force, &inputs)?;
    super::emit(&format!("{}\n", path.display()))
}

/// What the person running the report should know and the report does not
/// say: forms in no figure, units counted in the pool.
fn notes(args: &ReportArgs, report: &mus::report::Report) {
    if report.undated > 0 {
        say!(
            "{}: {}",
            mus::msg!("label.note"),
            mus::msg!(
                "report.undated",
                count = report.undated,
                file = args.collected.display(),
                min = MIN_GROUP
            )
        );
    }
    if report.small_units > 0 {
        say!(
            "{}: {}",
            mus::msg!("label.note"),
            mus::msg!(
                "report.small-units",
                count = report.small_units,
                min = MIN_GROUP
            )
        );
    }
    if !report.not_in_roster.is_empty() {
        let units: Vec<String> = report
            .not_in_roster
            .iter()
            .map(|u| format!("`{u}`"))
            .collect();
        say!(
            "{}: {}",
            mus::msg!("label.note"),
            mus::msg!("report.not-in-roster", units = units.join(", "))
        );
    }
}
