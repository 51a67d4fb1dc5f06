//! Follow-up forms (`mus followup`): one per collected form with goals, the
//! goals pre-filled.

use crate::error::Result;
use crate::form;
use crate::pipeline::generate::{Destination, WrittenFile};
use crate::pipeline::plan::Plan;
use crate::pipeline::render::{self, DocumentDate, DocumentKind, Templates};
use crate::pipeline::write;
use crate::round::{collect, roster};

/// Writes a follow-up form (opfølgningsskema) for every collected form that
/// has goals: the goals pre-filled, with room for status, what helped, what
/// got in the way and the next step. All are written, or none; a follow-up
/// form that was filled in since `mus` wrote it is kept.
pub fn generate_followups(
    plan: &Plan,
    forms: &[collect::Form],
    templates: &Templates,
    date: DocumentDate,
    dest: &Destination,
) -> Result<Vec<WrittenFile>> {
    let with_goals: Vec<&collect::Form> = forms.iter().filter(|f| !f.goals.is_empty()).collect();
    let slugs = roster::unique_slugs(with_goals.iter().map(|f| f.employee.as_str()));
    let names: Vec<String> = slugs
        .iter()
        .map(|slug| format!("opfoelgning-{slug}.docx"))
        .collect();
    let out = write::Output::open(&dest.dir, dest.force)?;
    out.refuse_inputs(&names, &dest.inputs)?;
    let claims: Vec<_> = names
        .iter()
        .map(|n| (n.clone(), write::InTheWay::Keep))
        .collect();
    let decisions = out.claim(&claims)?;
    let mut written = Vec::with_capacity(with_goals.len());
    for (i, ((form, name), decision)) in with_goals.iter().zip(&names).zip(&decisions).enumerate() {
        let kept = *decision == write::Decision::Keep;
        if !kept {
            let person = render::Person {
                info: form::InfoValues {
                    employee: form.employee.clone(),
                    manager: form.manager.clone(),
                    unit: form.unit.clone(),
                    date: String::new(),
                },
                goals: form.goals.iter().map(|g| g.goal.clone()).collect(),
                chart: None,
                report: None,
            };
            let document =
                render::render(plan, DocumentKind::Opfoelgning, templates, &person, date)?;
            out.stage(name, &document.bytes)?;
        }
        written.push(WrittenFile {
            document: DocumentKind::Opfoelgning,
            path: out.path(name),
            person: Some((i + 1, form.employee.clone())),
            kept,
        });
    }
    out.commit()?;
    Ok(written)
}
