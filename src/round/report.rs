//! The SU report (`mus report`): how the interviews went, from collected
//! goals — held, with written goals, goals per interview, goals with a
//! follow-up planned, goals followed up (a status from a collected follow-up
//! form) — in total and by unit.
//!
//! Anonymous, also when several reports are compared: every figure is a sum
//! over whole *blocks* of [`MIN_GROUP`] interviews. A unit's forms are put in
//! the order the interviews were held, cut into blocks of five, and only full
//! blocks count; the newest (up to four) wait until there are five new. A form
//! added later with a later date therefore only ever starts a new block and
//! never changes one already shown, so the difference between two reports is
//! again whole blocks of at least five people. Units with fewer than five
//! forms are left out rather than pooled: a pool would lose members when one
//! of its units reached five, and the change could single a person out. The
//! total is the sum of the units shown, so it cannot be used to work out
//! anything the units do not show.

use chrono::NaiveDate;
use serde::Serialize;

use crate::pipeline::config::Language;
use crate::round::collect::Form;

/// The fewest interviews behind any figure, and the size of a block.
pub const MIN_GROUP: usize = 5;
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
    /// Goals followed up: a collected follow-up form gives them a status
    /// (any answer, also one `collect` could not map).
    pub goals_followed_up: usize,
    /// Of those, the goals whose follow-up form is dated on or before
    /// `schedule.follow_up_by`; `None` when the config sets no deadline.
    pub goals_followed_up_in_time: Option<usize>,
}

impl Figures {
    fn add(&mut self, form: &Form, deadline: Option<NaiveDate>) {
        if let Some(deadline) = deadline {
            let in_time = form
                .goals
                .iter()
                .filter(|g| g.status.is_some())
                .filter(|g| {
                    NaiveDate::parse_from_str(g.followed_up_on.trim(), "%Y-%m-%d")
                        .is_ok_and(|on| on <= deadline)
                })
                .count();
            *self.goals_followed_up_in_time.get_or_insert(0) += in_time;
        }
        self.interviews += 1;
        self.with_goals += usize::from(!form.goals.is_empty());
        self.goals += form.goals.len();
        self.goals_with_follow_up += form
            .goals
            .iter()
            .filter(|g| !g.follow_up.trim().is_empty())
            .count();
        self.goals_followed_up += form.goals.iter().filter(|g| g.status.is_some()).count();
    }

    fn merge(&mut self, other: &Figures) {
        self.interviews += other.interviews;
        self.with_goals += other.with_goals;
        self.goals += other.goals;
        self.goals_with_follow_up += other.goals_with_follow_up;
        self.goals_followed_up += other.goals_followed_up;
        if let Some(in_time) = other.goals_followed_up_in_time {
            *self.goals_followed_up_in_time.get_or_insert(0) += in_time;
        }
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

    /// Share of goals followed up, with a status in a follow-up form (0–1).
    pub fn followed_up_share(&self) -> f64 {
        ratio(self.goals_followed_up, self.goals)
    }

    /// Share of goals followed up by the deadline (0–1), when there is one.
    pub fn followed_up_in_time_share(&self) -> Option<f64> {
        self.goals_followed_up_in_time
            .map(|in_time| ratio(in_time, self.goals))
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One row of the report: a unit with at least one full block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub name: String,
    /// Over the unit's full blocks only.
    pub figures: Figures,
}

/// The whole report's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The sum of the groups; `None` when no unit has a full block, and the
    /// report then shows no figures at all.
    pub total: Option<Figures>,
    /// Units with at least one full block, by name.
    pub groups: Vec<Group>,
    /// Units with fewer than [`MIN_GROUP`] dated forms: in no figure.
    pub small_units: usize,
    /// Forms whose interview date cannot be read: in no figure, since they
    /// cannot be placed in the order of blocks. For the person running the
    /// report, never printed in it (the count could be one person's).
    pub undated: usize,
}

/// The interview date a form's place in its unit's blocks is decided by.
fn interview_date(form: &Form) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok()
}

/// Counts the collected forms in whole blocks, by unit and in total.
pub fn compute(forms: &[Form]) -> Report {
    compute_with_deadline(forms, None)
}

/// As [`compute`], and with `deadline` (`schedule.follow_up_by`) the goals
/// followed up by then, from the date of their follow-up form.
pub fn compute_with_deadline(forms: &[Form], deadline: Option<NaiveDate>) -> Report {
    let mut units: std::collections::BTreeMap<String, Vec<(NaiveDate, &Form)>> =
        std::collections::BTreeMap::new();
    let mut undated = 0;
    for form in forms {
        let Some(date) = interview_date(form) else {
            undated += 1;
            continue;
        };
        let name = match form.unit.trim() {
            "" => NO_UNIT.to_string(),
            unit => unit.to_string(),
        };
        units.entry(name).or_default().push((date, form));
    }
    let mut groups = Vec::new();
    let mut total = Figures::default();
    let mut small_units = 0;
    for (name, mut dated) in units {
        // Oldest first; forms of one day by file, then by name, so the order
        // does not depend on how the CSV happens to be sorted.
        dated.sort_by(|a, b| (a.0, &a.1.file, &a.1.employee).cmp(&(b.0, &b.1.file, &b.1.employee)));
        let full = dated.len() / MIN_GROUP * MIN_GROUP;
        if full == 0 {
            small_units += 1;
            continue;
        }
        let mut figures = Figures::default();
        for (_, form) in &dated[..full] {
            figures.add(form, deadline);
        }
        total.merge(&figures);
        groups.push(Group { name, figures });
    }
    Report {
        total: (total.interviews > 0).then_some(total),
        groups,
        small_units,
        undated,
    }
}

impl Figures {
    /// The figures as the report template shows them, in Danish notation.
    pub fn context(&self) -> serde_json::Value {
        self.context_in(Language::Da)
    }

    /// The figures as the report template shows them, in the notation of
    /// `language`: `75 %` and `1,5` in Danish, `75%` and `1.5` in English.
    pub fn context_in(&self, language: Language) -> serde_json::Value {
        let share = |value: f64| match language {
            Language::Da => percent(value),
            Language::En => format!("{:.0}%", value * 100.0),
        };
        let number = |value: f64| match language {
            Language::Da => decimal(value),
            Language::En => format!("{value:.1}"),
        };
        serde_json::json!({
            "interviews": self.interviews,
            "with_goals": self.with_goals,
            "with_goals_share": share(self.with_goals_share()),
            "goals": self.goals,
            "goals_per_interview": number(self.goals_per_interview()),
            "goals_with_follow_up": self.goals_with_follow_up,
            "follow_up_share": share(self.follow_up_share()),
            "goals_followed_up": self.goals_followed_up,
            "followed_up_share": share(self.followed_up_share()),
            "goals_followed_up_in_time": self.goals_followed_up_in_time,
            "followed_up_in_time_share": self.followed_up_in_time_share().map(share),
        })
    }

    /// The figures for scripts: counts and shares as numbers.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "interviews": self.interviews,
            "with_goals": self.with_goals,
            "with_goals_share": self.with_goals_share(),
            "goals": self.goals,
            "goals_per_interview": self.goals_per_interview(),
            "goals_with_follow_up": self.goals_with_follow_up,
            "follow_up_share": self.follow_up_share(),
            "goals_followed_up": self.goals_followed_up,
            "followed_up_share": self.followed_up_share(),
            "goals_followed_up_in_time": self.goals_followed_up_in_time,
            "followed_up_in_time_share": self.followed_up_in_time_share(),
        })
    }
}

impl Report {
    /// The template variable `report`: `total` (none when there are too few
    /// interviews to show any figure), `groups` (each with `name` and the
    /// figures), `small_units` and `min_group`.
    pub fn context(&self) -> serde_json::Value {
        self.context_in(Language::Da)
    }

    /// As [`Report::context`], with the figures in the notation of `language`.
    pub fn context_in(&self, language: Language) -> serde_json::Value {
        let groups: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|g| {
                let mut value = g.figures.context_in(language);
                value["name"] = g.name.clone().into();
                value
            })
            .collect();
        serde_json::json!({
            "total": self.total.as_ref().map(|t| t.context_in(language)),
            "groups": groups,
            "small_units": self.small_units,
            "min_group": MIN_GROUP,
        })
    }

    /// The figures for scripts (`--format json`). With too few interviews it
    /// says so and holds no figure, not even how many units there were.
    pub fn json(&self) -> serde_json::Value {
        let Some(total) = &self.total else {
            return serde_json::json!({
                "min_group": MIN_GROUP,
                "total": null,
                "units": [],
                "note": format!("too few interviews to show figures: no unit has {MIN_GROUP} with a readable date"),
            });
        };
        let units: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|g| serde_json::json!({"unit": g.name, "figures": g.figures.json()}))
            .collect();
        serde_json::json!({
            "min_group": MIN_GROUP,
            "total": total.json(),
            "units": units,
            "small_units": self.small_units,
        })
    }

    /// Shares with written goals of the groups shown, for the chart.
    pub fn chart_values(&self) -> Vec<f64> {
        self.groups
            .iter()
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

/// Renders the SU report from [`compute`]'s figures: a table by unit
/// and a bar chart, anonymous (no names, no goal texts, whole blocks of five).
pub fn render_report(
    plan: &crate::pipeline::plan::Plan,
    report: &Report,
    templates: &crate::pipeline::render::Templates,
    date: crate::pipeline::render::DocumentDate,
) -> crate::error::Result<Vec<u8>> {
    let chart = crate::pipeline::render::chart::bar_chart(&report.chart_values())
        .map_err(|err| crate::error::Error::build("chart.png", err))?;
    let person = crate::pipeline::render::Person {
        info: crate::form::InfoValues::for_unit(plan.unit.as_deref()),
        goals: Vec::new(),
        chart: Some(chart),
        report: Some(report.context_in(plan.language)),
    };
    Ok(crate::pipeline::render::render(
        plan,
        crate::pipeline::render::DocumentKind::Rapport,
        templates,
        &person,
        date,
    )?
    .bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::round::collect::Goal;

    /// A form of `unit` held on day `day` of 2027 with `goals` goals, the
    /// first `followed` of them with a follow-up time.
    fn form(unit: &str, day: u32, goals: usize, followed: usize) -> Form {
        let date = NaiveDate::from_yo_opt(2027, day).map(|d| d.to_string());
        Form {
            kind: crate::form::FormKind::Samtale,
            file: format!("{unit}-{day}.docx"),
            employee: format!("Navn {unit} {day}"),
            manager: String::new(),
            unit: unit.into(),
            date: date.unwrap_or_default(),
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

    fn figures(forms: &[Form]) -> Figures {
        let mut figures = Figures::default();
        forms.iter().for_each(|f| figures.add(f, None));
        figures
    }

    #[test]
    fn without_a_deadline_there_is_no_in_time_figure() {
        let forms: Vec<Form> = (1..=5).map(|d| form("A", d, 1, 1)).collect();
        let total = compute(&forms).total.expect("a block");
        assert_eq!(total.goals_followed_up_in_time, None);
        assert_eq!(
            total.json()["followed_up_in_time_share"],
            serde_json::Value::Null
        );
        let deadline = NaiveDate::from_ymd_opt(2027, 9, 30);
        let total = compute_with_deadline(&forms, deadline)
            .total
            .expect("a block");
        assert_eq!(
            total.goals_followed_up_in_time,
            Some(0),
            "nothing followed up yet"
        );
    }

    #[test]
    fn only_the_oldest_whole_blocks_of_a_unit_count() {
        // A has 7: the two newest wait for three more. B has 3: left out.
        let a: Vec<Form> = (1..=7).map(|d| form("A", d, d as usize % 3, 1)).collect();
        let mut forms: Vec<Form> = a.iter().rev().cloned().collect();
        forms.extend((1..=3).map(|d| form("B", d, 2, 2)));
        let report = compute(&forms);
        assert_eq!(report.groups.len(), 1);
        assert_eq!(report.groups[0].name, "A");
        assert_eq!(report.groups[0].figures, figures(&a[..5]));
        assert_eq!(report.total, Some(figures(&a[..5])));
        assert_eq!(report.small_units, 1);
        assert_eq!(percent(report.groups[0].figures.with_goals_share()), "80 %");
        assert_eq!(decimal(1.5), "1,5");
    }

    #[test]
    fn fewer_than_a_block_in_every_unit_shows_nothing_not_even_the_total() {
        let forms: Vec<Form> = (1..=4)
            .map(|d| form("A", d, 1, 0))
            .chain((1..=4).map(|d| form("B", d, 1, 0)))
            .collect();
        let report = compute(&forms);
        assert_eq!(report.total, None);
        assert!(report.groups.is_empty());
        let json = report.json().to_string();
        for figure in ["interviews", "goals", "share", "small_units"] {
            assert!(
                !json.contains(&format!("{figure}\":")),
                "{figure} in {json}"
            );
        }
        assert_eq!(report.context()["total"], serde_json::Value::Null);
    }

    #[test]
    fn forms_without_a_readable_date_are_in_no_figure() {
        let mut forms: Vec<Form> = (1..=5).map(|d| form("A", d, 1, 1)).collect();
        let mut undated = form("A", 6, 3, 0);
        undated.date = "i foråret".into();
        forms.push(undated);
        let report = compute(&forms);
        assert_eq!(report.undated, 1);
        assert_eq!(report.total, Some(figures(&forms[..5])));
    }

    /// Tiny deterministic generator, so the property test needs no crate.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n) as usize
        }
    }

    /// The differencing attack in general: a report, then a later one with a
    /// few more interviews held after it. What the later one shows beyond the
    /// first is whole new blocks of five, never a figure that moves with
    /// fewer than five people; while a unit has not gained a whole block, the
    /// newcomers' answers change nothing at all.
    #[test]
    fn a_later_report_differs_from_an_earlier_one_by_whole_blocks_only() {
        let mut rng = Lcg(7);
        for base_size in 0..=12usize {
            for added in 1..5usize {
                let base: Vec<Form> = (0..base_size)
                    .map(|d| {
                        let goals = rng.below(4);
                        form("A", d as u32 + 1, goals, rng.below(goals as u64 + 1))
                    })
                    .chain((1..=5).map(|d| form("B", d, 1, 0)))
                    .collect();
                let before = compute(&base);
                let mut shown_after = Vec::new();
                for variant in 0..6 {
                    let mut forms = base.clone();
                    // Held after every interview in the first report.
                    forms.extend(
                        (0..added).map(|i| form("A", 100 + i as u32, variant % 4, variant / 2 % 2)),
                    );
                    forms.extend((0..added).map(|i| form("C", 100 + i as u32, variant, 0)));
                    let after = compute(&forms);
                    let a_before = before.groups.iter().find(|g| g.name == "A");
                    let a_after = after.groups.iter().find(|g| g.name == "A");
                    let old_full = base_size / MIN_GROUP * MIN_GROUP;
                    let new_full = (base_size + added) / MIN_GROUP * MIN_GROUP;
                    let gained = match (a_before, a_after) {
                        (Some(b), Some(a)) => {
                            let mut gained = a.figures;
                            gained.interviews -= b.figures.interviews;
                            gained.with_goals -= b.figures.with_goals;
                            gained.goals -= b.figures.goals;
                            gained.goals_with_follow_up -= b.figures.goals_with_follow_up;
                            gained
                        }
                        (None, Some(a)) => a.figures,
                        (_, None) => Figures::default(),
                    };
                    // What was shown is still there, plus whole new blocks.
                    let mut a_forms: Vec<Form> =
                        forms.iter().filter(|f| f.unit == "A").cloned().collect();
                    a_forms.sort_by(|x, y| x.date.cmp(&y.date));
                    assert_eq!(gained, figures(&a_forms[old_full..new_full]));
                    assert_eq!(gained.interviews % MIN_GROUP, 0);
                    // C, a new unit of fewer than five, is nowhere.
                    assert!(after.groups.iter().all(|g| g.name != "C"));
                    if new_full == old_full {
                        assert_eq!(after.groups, before.groups);
                        assert_eq!(after.total, before.total);
                    }
                    shown_after.push((after.groups, after.total));
                }
                if (base_size % MIN_GROUP) + added < MIN_GROUP {
                    assert!(shown_after.windows(2).all(|w| w[0] == w[1]));
                }
            }
        }
    }

    #[test]
    fn the_order_of_the_collected_file_does_not_matter() {
        let forms: Vec<Form> = (1..=13)
            .map(|d| Form {
                file: format!("{d}.docx"),
                ..form(["A", "B"][d as usize % 2], d % 4 + 1, d as usize % 3, 1)
            })
            .collect();
        let mut reversed = forms.clone();
        reversed.reverse();
        assert_eq!(compute(&forms), compute(&reversed));
    }
}
