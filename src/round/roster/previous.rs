//! Last year's goals (`--previous`): each roster row matched with the
//! form of the same person in the same unit, and that form's goals.

use std::collections::HashMap;

use super::{RosterRow, RosterSource};

impl RosterSource {
    /// Matches each row with last year's form (see [`choose_previous`]);
    /// returns the warnings. Rows with errors are passed over: they stop the
    /// run anyway. This holds every name once, so it costs memory a row.
    pub fn match_previous(
        &mut self,
        previous: Vec<crate::round::collect::Form>,
        default_unit: &str,
    ) -> Vec<String> {
        let rows: Vec<RosterRow> = self.rows().filter_map(|r| r.ok()).collect();
        let (chosen, warnings) = choose_previous(|| rows.iter(), &previous, default_unit);
        self.previous = Some((previous, chosen));
        warnings
    }

    /// Whether the `index`-th row (as for [`RosterSource::previous_goals`])
    /// has last year's goals.
    pub fn has_previous_goals(&self, index: usize) -> bool {
        match &self.previous {
            Some((forms, chosen)) => chosen
                .get(index)
                .copied()
                .flatten()
                .is_some_and(|i| forms[i as usize].goals.iter().any(|g| !g.goal.is_empty())),
            None => false,
        }
    }

    /// Last year's goals for the `index`-th row (counting rows without
    /// errors, in order), when `--previous` matched it.
    pub fn previous_goals(&self, index: usize) -> Vec<String> {
        match &self.previous {
            Some((forms, chosen)) => chosen
                .get(index)
                .copied()
                .flatten()
                .map(|i| goals_of(&forms[i as usize]))
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// Last year's goals for the `index`-th row as the rows of the form's
    /// table: the goal, its status from last year's follow-up in
    /// `language`'s words, and what helped (see [`crate::form::CELL_SEPARATOR`]).
    pub fn previous_goal_rows(
        &self,
        index: usize,
        language: crate::form::labels::Language,
    ) -> Vec<String> {
        let Some((forms, chosen)) = &self.previous else {
            return Vec::new();
        };
        let Some(form) = chosen
            .get(index)
            .copied()
            .flatten()
            .map(|i| &forms[i as usize])
        else {
            return Vec::new();
        };
        let words = language.labels();
        form.goals
            .iter()
            .filter(|g| !g.goal.is_empty())
            .map(|g| {
                [
                    g.goal.as_str(),
                    crate::form::Status::word(g.status, words),
                    g.helped.as_str(),
                ]
                .join(&crate::form::CELL_SEPARATOR.to_string())
            })
            .collect()
    }
}

/// The goals of last year's form that a row takes.
fn goals_of(form: &crate::round::collect::Form) -> Vec<String> {
    form.goals
        .iter()
        .map(|g| g.goal.clone())
        .filter(|g| !g.is_empty())
        .collect()
}

/// Last year's goals for each row, matched by employee name (and by unit
/// where a name occurs more than once): for each row (in order; `rows` is
/// walked twice), the index of last year's form it takes, if any; and the
/// warnings: namesakes that cannot be
/// told apart, and forms with goals that no row took.
pub(super) fn choose_previous<'r, I: Iterator<Item = &'r RosterRow>>(
    rows: impl Fn() -> I,
    previous: &[crate::round::collect::Form],
    default_unit: &str,
) -> (Vec<Option<u32>>, Vec<String>) {
    let key = |text: &str| text.trim().to_lowercase();
    let unit_of = |row: &RosterRow| key(crate::form::unit_or(&row.unit, Some(default_unit)));
    // Indexes by name and by name and unit, so matching is linear in the
    // rows and forms, however many namesakes there are.
    let mut forms_by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let mut forms_by_name_unit: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, form) in previous.iter().enumerate() {
        let name = key(&form.employee);
        forms_by_name_unit
            .entry((name.clone(), key(&form.unit)))
            .or_default()
            .push(i);
        forms_by_name.entry(name).or_default().push(i);
    }
    let mut rows_by_name: HashMap<String, usize> = HashMap::new();
    let mut rows_by_name_unit: HashMap<(String, String), usize> = HashMap::new();
    for row in rows() {
        *rows_by_name.entry(key(&row.name)).or_default() += 1;
        *rows_by_name_unit
            .entry((key(&row.name), unit_of(row)))
            .or_default() += 1;
    }
    let mut used = vec![false; previous.len()];
    let mut warnings = Vec::new();
    let mut chosen_for_rows = Vec::new();
    for row in rows() {
        let name = key(&row.name);
        let forms = forms_by_name.get(&name).map_or(&[][..], Vec::as_slice);
        let namesakes = rows_by_name.get(&name).copied().unwrap_or(0);
        // A person's goals are private: a name that occurs more than once, on
        // either side, must match on the unit too, and each form is used once.
        let chosen = if forms.len() == 1 && namesakes == 1 {
            Some(forms[0])
        } else {
            let name_unit = (name, unit_of(row));
            let same_unit = forms_by_name_unit
                .get(&name_unit)
                .map_or(&[][..], Vec::as_slice);
            let rows_in_unit = rows_by_name_unit.get(&name_unit).copied().unwrap_or(0);
            match (same_unit, rows_in_unit) {
                ([one], 1) => Some(*one),
                ([], _) => None,
                _ => {
                    warnings.push(crate::msg!("roster.namesakes", name = row.name));
                    None
                }
            }
        };
        let chosen = chosen.filter(|&i| !used[i]);
        if let Some(i) = chosen {
            used[i] = true;
        }
        chosen_for_rows.push(chosen.map(|i| i as u32));
    }
    warnings.sort();
    warnings.dedup();
    let unmatched = previous
        .iter()
        .zip(&used)
        .filter(|(form, used)| !**used && !form.goals.is_empty())
        .map(|(form, _)| {
            let unit = if form.unit.is_empty() {
                String::new()
            } else {
                format!(" ({})", form.unit)
            };
            crate::msg!(
                "roster.previous-unmatched",
                name = form.employee,
                unit = unit
            )
        });
    (chosen_for_rows, unmatched.chain(warnings).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn last_year_s_goals_go_to_the_one_person_they_belong_to() {
        use crate::round::collect::{Form, Goal};
        let form = |name: &str, unit: &str, goal: &str| Form {
            kind: crate::form::FormKind::Samtale,
            file: format!("{name}.docx"),
            employee: name.into(),
            manager: String::new(),
            unit: unit.into(),
            date: String::new(),
            held: String::new(),
            id: String::new(),
            goals: vec![Goal {
                goal: goal.into(),
                ..Goal::default()
            }],
        };
        let bytes = "navn;enhed\nAnna;IT\nBo;IT\nBo;HR\nCarl;IT\n".as_bytes();
        let mut source = RosterSource::parse(Arc::from("r.csv"), bytes).expect("header");
        let warnings = source.match_previous(
            vec![
                form("anna", "IT", "Python"),
                form("Bo", "HR", "Ledelse"),
                form("Dorte", "IT", "Excel"),
            ],
            "",
        );
        assert_eq!(source.previous_goals(0), ["Python"]);
        // Two Bo's: only the one in the same unit gets the goals.
        assert!(source.previous_goals(1).is_empty());
        assert_eq!(source.previous_goals(2), ["Ledelse"]);
        assert!(source.previous_goals(3).is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("Dorte"));
    }
}
