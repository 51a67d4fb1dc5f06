//! Follow-up forms (`mus followup`): one per collected form with goals, the
//! goals pre-filled. The form is built once and filled per person, in
//! parallel, each written to the staging folder as it is made.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::form;
use crate::pipeline::generate::{Destination, WrittenFile};
use crate::pipeline::plan::Plan;
use crate::pipeline::render::forms::FormTemplate;
use crate::pipeline::render::{self, DocumentDate, DocumentKind};
use crate::pipeline::write;
use crate::round::units::Units;
use crate::round::{collect, roster};

/// Writes a follow-up form (opfølgningsskema) for every collected form that
/// has goals: the goals pre-filled, with room for status, what helped, what
/// got in the way and the next step. Each follows the config of its unit
/// (see [`Units`]), so it shows that unit's deadline. All are written, or
/// none; a follow-up form that was filled in since `mus` wrote it is kept.
/// With `by_manager` each manager's forms go in a folder of their own.
pub fn generate_followups(
    units: &Units,
    forms: &[collect::Form],
    date: DocumentDate,
    dest: &Destination,
    by_manager: bool,
) -> Result<Vec<WrittenFile>> {
    let with_goals: Vec<&collect::Form> = forms.iter().filter(|f| !f.goals.is_empty()).collect();
    let mut errors = Vec::new();
    let configs: Vec<usize> = with_goals
        .iter()
        .filter_map(|f| {
            let config = units.index_for(&f.unit);
            if config.is_none() {
                errors.push(units.no_config_for_form(&f.file, &f.unit));
            }
            config
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors.into());
    }
    // Named as the person's interview form is: namesakes by unit, not by order.
    let mut slugs = roster::PersonSlugs::new(
        with_goals
            .iter()
            .map(|f| (f.employee.as_str(), f.unit.as_str())),
    );
    let names: Vec<String> = with_goals
        .iter()
        .zip(&configs)
        .map(|(f, config)| {
            let folder = match by_manager {
                true => {
                    let language = units.configs()[*config].config.language;
                    format!("{}/", roster::manager_folder(&f.manager, language))
                }
                false => String::new(),
            };
            format!(
                "{folder}opfoelgning-{}.docx",
                slugs.next(&f.employee, &f.unit, &f.manager)
            )
        })
        .collect();
    let out = write::Output::open(&dest.dir, dest.force)?;
    let decisions = out.claim(
        names.iter().map(|n| (n.as_str(), write::InTheWay::Keep)),
        &dest.inputs,
    )?;
    // One form built for each config, filled per person; a
    // template that does more with `person` than print it is rendered for
    // each person instead.
    let kind = DocumentKind::Opfoelgning;
    let plans = units
        .configs()
        .iter()
        .map(|unit| {
            let plan = Plan::new(unit.catalogue, unit.config)?;
            let built = FormTemplate::fillable(&plan, kind, unit.templates, date, true)?;
            Ok((plan, built))
        })
        .collect::<Result<Vec<_>>>()?;
    let written = with_goals
        .par_iter()
        .zip(names.par_iter())
        .zip(decisions.par_iter())
        .zip(configs.par_iter())
        .enumerate()
        .map(|(i, (((form, name), decision), config))| {
            let kept = *decision == write::Decision::Keep;
            if !kept {
                let (plan, built) = &plans[*config];
                let templates = units.configs()[*config].templates;
                let info = form::InfoValues {
                    employee: form.employee.clone(),
                    manager: form.manager.clone(),
                    unit: form.unit.clone(),
                    date: String::new(),
                    id: form.id.clone(),
                };
                // Each goal keeps its number from the development plan, so
                // `collect` matches it even when its text is adjusted; under
                // it, what was agreed at the interview.
                let words = plan.language.labels();
                let goals: Vec<String> = form
                    .goals
                    .iter()
                    .enumerate()
                    .map(|(i, g)| {
                        let agreed: Vec<String> = [
                            (words.goals_columns[1], &g.activities),
                            (words.goals_columns[2], &g.when),
                            (words.goals_extra_columns[0], &g.responsible),
                            (words.goals_extra_columns[1], &g.how_reached),
                        ]
                        .iter()
                        .filter(|(_, value)| !value.trim().is_empty())
                        .map(|(label, value)| format!("{label}: {}", crate::text::one_line(value)))
                        .collect();
                        match agreed.is_empty() {
                            true => format!("{}. {}", g.number(i), g.goal),
                            false => format!(
                                "{}. {}{}{} {}",
                                g.number(i),
                                g.goal,
                                form::LINE_BREAK,
                                words.agreed,
                                agreed.join("; ")
                            ),
                        }
                    })
                    .collect();
                let bytes = match built {
                    Some(built) => built
                        .fill(&info, &goals)
                        .map_err(|err| Error::build(name.as_str(), err))?,
                    None => {
                        let person = render::Details {
                            info,
                            goals,
                            chart: None,
                            report: None,
                        };
                        render::render(plan, kind, templates, &person, date)?.bytes
                    }
                };
                out.stage(name, &bytes)?;
            }
            Ok(WrittenFile {
                document: kind,
                path: out.path(name),
                person: Some((i + 1, form.employee.clone())),
                kept,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.commit()?;
    Ok(written)
}
