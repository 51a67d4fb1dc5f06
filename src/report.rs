//! The SU report (`mus report`): how the interviews went, from collected
//! goals — held, with written goals, goals per interview, goals with a
//! follow-up — in total and by unit. Anonymous: no names or goal texts, and
//! units with fewer than [`MIN_GROUP`] interviews are merged into "Øvrige".

use serde::Serialize;

use crate::collect::Form;

/// The fewest interviews a group may have and still be shown on its own.
pub const MIN_GROUP: usize = 5;
/// The group small units are merged into.
pub const OTHERS: &str = "Øvrige";
/// The name shown for forms with no unit filled in.
pub const NO_UNIT: &str = "Uden enhed";

/// Counts for a group of interviews.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub interviews: usize,
    /// Interviews with at least one written goal.
    pub with_goals: usize,
    pub goals: usize,
    /// Goals with something written under Opfølgning.
    pub goals_with_follow_up: usize,
}

impl Figures {
    fn add(&mut self, form: &Form) {
        self.interviews += 1;
        self.with_goals += usize::from(!form.goals.is_empty());
        self.goals += form.goals.len();
        self.goals_with_follow_up += form
            .goals
            .iter()
            .filter(|g| !g.follow_up.trim().is_empty())
            .count();
    }

    fn merge(&mut self, other: &Figures) {
        self.interviews += other.interviews;
        self.with_goals += other.with_goals;
        self.goals += other.goals;
        self.goals_with_follow_up += other.goals_with_follow_up;
    }

    /// Share of interviews with at least one written goal (0–1).
    pub fn with_goals_share(&self) -> f64 {
        ratio(self.with_goals, self.interviews)
    }

    pub fn goals_per_interview(&self) -> f64 {
        ratio(self.goals, self.interviews)
    }

    /// Share of goals with a follow-up written down (0–1).
    pub fn follow_up_share(&self) -> f64 {
        ratio(self.goals_with_follow_up, self.goals)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One row of the report: a unit, or "Øvrige".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub name: String,
    pub figures: Figures,
    /// False only when all interviews together are too few to show without
    /// singling anyone out.
    pub shown: bool,
}

/// The whole report's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub total: Figures,
    /// Units with enough interviews, by name, then "Øvrige" if any were merged.
    pub groups: Vec<Group>,
    /// How many small units went into "Øvrige".
    pub merged_units: usize,
}

/// Counts the collected forms, in total and by unit.
pub fn compute(forms: &[Form]) -> Report {
    let mut total = Figures::default();
    let mut units: Vec<(String, Figures)> = Vec::new();
    for form in forms {
        total.add(form);
        let name = if form.unit.trim().is_empty() {
            NO_UNIT.to_string()
        } else {
            form.unit.trim().to_string()
        };
        match units.iter_mut().find(|(n, _)| *n == name) {
            Some((_, figures)) => figures.add(form),
            None => {
                let mut figures = Figures::default();
                figures.add(form);
                units.push((name, figures));
            }
        }
    }
    units.sort_by(|a, b| a.0.cmp(&b.0));
    let mut groups = Vec::new();
    let mut others = Figures::default();
    let mut merged_units = 0;
    for (name, figures) in units {
        if figures.interviews >= MIN_GROUP {
            groups.push(Group {
                name,
                figures,
                shown: true,
            });
        } else {
            others.merge(&figures);
            merged_units += 1;
        }
    }
    // An "Øvrige" under the limit could be worked out as the total less the
    // units shown, so the smallest units join it until it is large enough.
    while (1..MIN_GROUP).contains(&others.interviews) && !groups.is_empty() {
        let smallest = (0..groups.len())
            .min_by_key(|&i| (groups[i].figures.interviews, groups[i].name.clone()))
            .unwrap_or(0);
        let group = groups.remove(smallest);
        others.merge(&group.figures);
        merged_units += 1;
    }
    if merged_units > 0 {
        groups.push(Group {
            name: OTHERS.to_string(),
            figures: others,
            shown: others.interviews >= MIN_GROUP,
        });
    }
    Report {
        total,
        groups,
        merged_units,
    }
}

impl Figures {
    /// The figures as the report template shows them, in Danish notation.
    pub fn context(&self) -> serde_json::Value {
        serde_json::json!({
            "interviews": self.interviews,
            "with_goals": self.with_goals,
            "with_goals_share": percent(self.with_goals_share()),
            "goals": self.goals,
            "goals_per_interview": decimal(self.goals_per_interview()),
            "goals_with_follow_up": self.goals_with_follow_up,
            "follow_up_share": percent(self.follow_up_share()),
        })
    }
}

impl Report {
    /// The template variable `report`: `total`, `groups` (each with `name`
    /// and `shown`), `merged_units` and `min_group`.
    pub fn context(&self) -> serde_json::Value {
        let groups: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|g| {
                let mut value = g.figures.context();
                value["name"] = g.name.clone().into();
                value["shown"] = g.shown.into();
                value
            })
            .collect();
        serde_json::json!({
            "total": self.total.context(),
            "groups": groups,
            "merged_units": self.merged_units,
            "min_group": MIN_GROUP,
        })
    }

    /// The figures for scripts (`--format json`): counts and shares as numbers.
    pub fn json(&self) -> serde_json::Value {
        let numbers = |f: &Figures| {
            serde_json::json!({
                "interviews": f.interviews,
                "with_goals": f.with_goals,
                "with_goals_share": f.with_goals_share(),
                "goals": f.goals,
                "goals_per_interview": f.goals_per_interview(),
                "goals_with_follow_up": f.goals_with_follow_up,
                "follow_up_share": f.follow_up_share(),
            })
        };
        let groups: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|g| match g.shown {
                true => serde_json::json!({"unit": g.name, "figures": numbers(&g.figures)}),
                false => serde_json::json!({"unit": g.name, "figures": null, "note": format!("fewer than {MIN_GROUP} interviews")}),
            })
            .collect();
        serde_json::json!({"total": numbers(&self.total), "units": groups, "merged_units": self.merged_units})
    }

    /// Shares with written goals of the groups shown, for the chart.
    pub fn chart_values(&self) -> Vec<f64> {
        self.groups
            .iter()
            .filter(|g| g.shown)
            .map(|g| g.figures.with_goals_share())
            .collect()
    }
}

/// A share as Danish text: `75 %`.
pub fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// A number with a Danish decimal comma: `1,5`.
pub fn decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::Goal;

    fn form(unit: &str, goals: usize, followed: usize) -> Form {
        Form {
            file: String::new(),
            employee: "Navn".into(),
            manager: String::new(),
            unit: unit.into(),
            date: String::new(),
            goals: (0..goals)
                .map(|i| Goal {
                    goal: format!("mål {i}"),
                    follow_up: if i < followed {
                        "juni".into()
                    } else {
                        String::new()
                    },
                    ..Goal::default()
                })
                .collect(),
        }
    }

    #[test]
    fn small_units_are_merged_until_the_rest_is_large_enough() {
        let mut forms: Vec<Form> = (0..6).map(|i| form("A", i % 3, 1)).collect();
        forms.extend((0..7).map(|_| form("C", 1, 1)));
        forms.extend((0..2).map(|_| form("B", 1, 0)));
        forms.extend((0..2).map(|_| form("D", 0, 0)));
        let report = compute(&forms);
        assert_eq!(report.total.interviews, 17);
        let names: Vec<&str> = report.groups.iter().map(|g| g.name.as_str()).collect();
        // B and D (4 together) are too few, so the smallest unit, A, joins them.
        assert_eq!(names, ["C", OTHERS]);
        assert_eq!(
            report.groups[1].figures,
            Figures {
                interviews: 10,
                with_goals: 6,
                goals: 8,
                goals_with_follow_up: 4
            }
        );
        assert!(report.groups.iter().all(|g| g.shown));
        assert_eq!(report.merged_units, 3);
        assert_eq!(percent(report.groups[1].figures.with_goals_share()), "60 %");
        assert_eq!(decimal(1.5), "1,5");
    }

    #[test]
    fn fewer_interviews_in_all_than_the_limit_are_not_shown_by_unit() {
        let forms: Vec<Form> = (0..3).map(|_| form("A", 1, 0)).collect();
        let report = compute(&forms);
        assert_eq!(report.groups.len(), 1);
        assert!(!report.groups[0].shown);
    }
}
