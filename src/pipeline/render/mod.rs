//! Plan → documents: each template renders Markdown (minijinja), which is
//! parsed into blocks (pulldown-cmark) and built into a `.docx` (docx-rs).

pub mod chart;
pub mod document;
pub mod docx;
pub mod docx_rs_fixes;
pub mod forms;
pub mod house_scrub;
pub mod house_style;
pub mod markdown;
pub mod package;
pub mod preview;
pub mod template;

use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::error::{Diagnostic, Error, Result};
pub use crate::form::InfoValues;
use crate::pipeline::plan::Plan;
pub use document::{DocumentDate, DocumentKind, RenderedDocument};
pub use template::Templates;

/// What one document says beyond the plan: a person's info block and goals
/// (last year's in a form, this year's in a follow-up form), or the SU
/// report's figures and chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Details {
    pub info: InfoValues,
    pub goals: Vec<String>,
    /// The report's chart, for a `chart` block.
    pub chart: Option<chart::BarChart>,
    /// The report's figures, as the template variable `report`.
    pub report: Option<serde_json::Value>,
}

impl Details {
    /// A document for the whole workplace or unit: only the unit is known.
    pub fn for_plan(plan: &Plan) -> Details {
        Details {
            info: InfoValues::for_unit(plan.unit.as_deref()),
            ..Details::default()
        }
    }
}

/// The template context; docs/templates.md lists these names for template authors.
#[derive(Serialize)]
struct ScheduleContext {
    interviews_from: Option<String>,
    interviews_to: Option<String>,
    follow_up_by: Option<String>,
    su_evaluation: Option<String>,
}

/// The blocks of one document of the plan: its template rendered and parsed.
/// `generate` builds Word from them, `preview` Markdown: one code path.
pub fn blocks(
    plan: &Plan,
    kind: DocumentKind,
    templates: &Templates,
    details: &Details,
) -> Result<Vec<markdown::Block>> {
    let name = kind.template();
    let markdown = markdown(plan, kind, templates, details)?;
    parse_blocks(templates, &name, &markdown)
}

/// The Markdown a document's template renders with `details`, before it is parsed.
pub fn markdown(
    plan: &Plan,
    kind: DocumentKind,
    templates: &Templates,
    details: &Details,
) -> Result<String> {
    let s = &plan.schedule;
    let schedule = ScheduleContext {
        interviews_from: s.interviews_from.map(|d| plan.language.date(d)),
        interviews_to: s.interviews_to.map(|d| plan.language.date(d)),
        follow_up_by: s.follow_up_by.map(|d| plan.language.date(d)),
        su_evaluation: s.su_evaluation.map(|d| plan.language.date(d)),
    };
    templates.render(
        &kind.template(),
        context! {
            workplace => &plan.workplace,
            unit => &plan.unit,
            year => plan.year,
            topics => Value::from(Serde(&plan.topics)),
            goal_rows => plan.goal_rows,
            interview_minutes => plan.interview_minutes,
            left_out => Value::from(Serde(&plan.left_out)),
            other_optional => Value::from(Serde(&plan.other_optional)),
            schedule => Value::from(Serde(&schedule)),
            storage => &plan.storage,
            person => Value::from(Serde(&details.info)),
            goals => Value::from(Serde(&details.goals)),
            report => Value::from(Serde(&details.report)),
        },
    )
}

/// Parses a template's Markdown into blocks, checking the blocks a form may hold once.
fn parse_blocks(templates: &Templates, name: &str, markdown: &str) -> Result<Vec<markdown::Block>> {
    let blocks = markdown::parse(markdown).map_err(|unknown| {
        Diagnostic::new(
            templates.origin(name),
            None,
            crate::msg!(
                "template.unknown-block",
                name = unknown.name,
                line = unknown.line
            ),
        )
        .with_hint(crate::msg!(
            "template.unknown-block.hint",
            blocks = markdown::BLOCK_NAMES.join(", ")
        ))
    })?;
    // The bookmarks that mark these blocks must be unique in a form.
    for (block, label) in [
        (markdown::Block::GoalsTable, "goals-table"),
        (markdown::Block::InfoBlock, "info-block"),
    ] {
        if blocks.iter().filter(|b| **b == block).count() > 1 {
            return Err(Diagnostic::new(
                templates.origin(name),
                None,
                crate::msg!("template.block-twice", label = label),
            )
            .with_hint(crate::msg!("template.block-twice.hint"))
            .into());
        }
    }
    Ok(blocks)
}

/// Renders one document of the plan as a `.docx`.
pub fn render(
    plan: &Plan,
    kind: DocumentKind,
    templates: &Templates,
    details: &Details,
    date: DocumentDate,
) -> Result<RenderedDocument> {
    let blocks = blocks(plan, kind, templates, details)?;
    let house = templates.house_style();
    let house_page = house.map(|h| h.page).unwrap_or_default();
    let data = docx::FormData {
        goal_rows: plan.goal_rows,
        info: details.info.clone(),
        timestamp: date.timestamp(),
        document: kind.name(),
        goals: details.goals.clone(),
        chart: details.chart.clone(),
        language: plan.language,
        page: match kind.across() {
            true => house_page.across(),
            false => house_page,
        },
        house_header: house.is_some_and(|h| h.has_header()),
    };
    let document = docx::build(&blocks, &data);
    // Only a document with a `chart` block has the chart's place.
    let data_chart = data
        .chart
        .filter(|_| blocks.iter().any(|b| matches!(b, markdown::Block::Chart)));
    let title = blocks
        .iter()
        .find_map(|b| match b {
            markdown::Block::Title(content) => Some(markdown::plain_text(content)),
            _ => None,
        })
        .unwrap_or_else(|| kind.name().to_string());
    let bytes = package::pack(
        document,
        date,
        &title,
        plan.language,
        data_chart.as_ref(),
        house,
    )
    .map_err(|err| Error::build(kind.file_name(), err))?;
    Ok(RenderedDocument {
        kind,
        file_name: kind.file_name(),
        bytes,
    })
}

/// The starter house file `mus init --reference-doc` writes: a page that
/// shows each of `mus`'s own styles and says how to change them in Word,
/// and an empty header for the logo.
pub fn house_style_starter(
    language: crate::language::Language,
    date: DocumentDate,
) -> Result<Vec<u8>> {
    let (name, text) = match language {
        crate::language::Language::Da => (
            "husstil.docx",
            include_str!("../../../templates/da/husstil.md"),
        ),
        crate::language::Language::En => (
            "house-style.docx",
            include_str!("../../../templates/en/house-style.md"),
        ),
    };
    let blocks = markdown::parse(text)
        .map_err(|unknown| Error::build(name, format!("unknown block `{}`", unknown.name)))?;
    let data = docx::FormData {
        goal_rows: 0,
        info: Default::default(),
        timestamp: date.timestamp(),
        document: "husstil",
        goals: Vec::new(),
        chart: None,
        language,
        page: docx::PageSetup::default(),
        house_header: true,
    };
    let title = language.labels().house_style_title;
    package::pack(
        docx::build(&blocks, &data),
        date,
        title,
        language,
        None,
        None,
    )
    .map_err(|err| Error::build(name, err))
}

/// Renders every document `generate` writes; nothing is written here.
pub fn render_all(
    plan: &Plan,
    templates: &Templates,
    date: DocumentDate,
) -> Result<Vec<RenderedDocument>> {
    let details = Details::for_plan(plan);
    DocumentKind::GENERATED
        .iter()
        .map(|kind| render(plan, *kind, templates, &details, date))
        .collect()
}
