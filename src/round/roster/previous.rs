//! Last year's goals (`--previous`): each roster row matched with the
//! form of the same person in the same unit, and that form's goals.

use std::collections::HashMap;

use super::row::RosterRow;

/// Last year's forms (`--previous`), and for each row (counting rows
/// without errors, in order) the one it takes; empty without `--previous`.
#[derive(Debug, Clone, Default)]
pub struct LastYear {
    forms: Vec<crate::round::collect::Form>,
    chosen: Vec<Option<u32>>,
}

impl LastYear {
    /// Matches each of `rows` with one of last year's `forms` (see
    /// [`choose_previous`]); the warnings come with it.
    pub(super) fn matched(
        rows: &[RosterRow],
        forms: Vec<crate::round::collect::Form>,
        default_unit: &str,
    ) -> (LastYear, Vec<String>) {
        let (chosen, warnings) = choose_previous(|| rows.iter(), &forms, default_unit);
        (LastYear { forms, chosen }, warnings)
    }

    /// The form the `index`-th row takes, if any.
    fn form(&self, index: usize) -> Option<&crate::round::collect::Form> {
        self.chosen
            .get(index)
            .copied()
            .flatten()
            .map(|i| &self.forms[i as usize])
    }

    /// Whether the `index`-th row has last year's goals.
    pub fn has_goals(&self, index: usize) -> bool {
        self.form(index)
            .is_some_and(|form| form.goals.iter().any(|g| !g.goal.is_empty()))
    }

    /// Last year's goals for the `index`-th row.
    pub fn goals(&self, index: usize) -> Vec<String> {
        self.form(index).map(goals_of).unwrap_or_default()
    }

    /// Last year's goals for the `index`-th row as the rows of the form's
    /// table: the goal, its status from last year's follow-up in
    /// `language`'s words, and what helped (see [`crate::form::CELL_SEPARATOR`]).
    pub fn goal_rows(&self, index: usize, language: crate::language::Language) -> Vec<String> {
        let Some(form) = self.form(index) else {
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
