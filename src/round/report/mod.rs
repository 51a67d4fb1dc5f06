//! The SU report (`mus report`): how the interviews went, from collected
//! goals — held, with written goals, goals per interview, goals with a
//! follow-up planned, goals followed up (a status from a collected follow-up
//! form) — in total and by unit; with the round's roster also how many were
//! invited and how many interviews were held, and with last year's goals
//! last year's figures beside this year's.
//!
//! Anonymous, also when several reports are compared: every figure about
//! what was said is a sum over whole *blocks* of [`MIN_GROUP`] interviews. A
//! group's forms are put in the order the interviews were held, cut into
//! blocks of five, and only full blocks count; the newest (up to four) wait
//! until there are five new. A form added later with a later date therefore
//! only ever starts a new block and never changes one already shown, so the
//! difference between two reports is again whole blocks of at least five
//! people. A group is a unit; with a roster, units with fewer than five
//! people *in the roster* are pooled into one group, whose membership is
//! fixed for the round by the roster and so cannot change as forms come in.
//! Without a roster, units with fewer than five forms are left out rather
//! than pooled: a pool made from the forms would lose members when one of
//! its units reached five, and the change could single a person out. The
//! total is the sum of the groups shown, so it cannot be used to work out
//! anything the groups do not show.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::form::Status;
use crate::language::Language;
use crate::round::collect::Form;
use crate::round::roster::RosterRow;
use crate::round::units::{Deadlines, NO_DEADLINES};

pub mod render;
mod workbook;

/// The fewest interviews behind any figure, and the size of a block.
pub const MIN_GROUP: usize = 5;
/// The name shown for forms with no unit filled in.
pub const NO_UNIT: &str = "Uden enhed";

/// The name of the pool of units with fewer than [`MIN_GROUP`] people in the
/// roster, in the document's language.
pub fn pool_name(language: Language) -> &'static str {
    language.labels().report.other_units
}

/// The name of the row of interviews in no group's blocks.
pub fn rest_name(language: Language) -> &'static str {
    language.labels().report.other_interviews
}

/// A share as text in the notation of `language`: `75 %` or `75%`.
fn share_text(share: f64, language: Language) -> String {
    match language {
        Language::Da => percent(share),
        Language::En => format!("{:.0}%", share * 100.0),
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
    /// The goals followed up, by status: reached, partly, not reached,
    /// dropped, and unknown (something written that is none of the four).
    /// They add up to `goals_followed_up`.
    pub status: [usize; 5],
}

/// The statuses in the order of [`Figures::status`].
const STATUS_ORDER: [Status; 5] = [
    Status::Reached,
    Status::Partly,
    Status::NotReached,
    Status::Dropped,
    Status::Unknown,
];

impl Figures {
    /// Adds an interview; its follow-up (the goals' statuses) only when
    /// `follow_up`: when its follow-up form is in a full block of its own.
    /// A goal of a unit without a deadline (where others have one) is in time.
    fn add(&mut self, form: &Form, deadlines: &Deadlines, follow_up: bool) {
        if deadlines.any() {
            let deadline = deadlines.for_unit(&form.unit);
            let in_time = form
                .goals
                .iter()
                .filter(|g| follow_up && g.status.is_some())
                .filter(|g| {
                    let on = NaiveDate::parse_from_str(g.followed_up_on.trim(), "%Y-%m-%d");
                    match deadline {
                        Some(deadline) => on.is_ok_and(|on| on <= deadline),
                        None => true,
                    }
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
        if !follow_up {
            return;
        }
        self.goals_followed_up += form.goals.iter().filter(|g| g.status.is_some()).count();
        for goal in &form.goals {
            if let Some(at) = goal
                .status
                .and_then(|s| STATUS_ORDER.iter().position(|o| *o == s))
            {
                self.status[at] += 1;
            }
        }
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
        for (mine, theirs) in self.status.iter_mut().zip(other.status) {
            *mine += theirs;
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

/// One row of the report: a unit, or the pool of small units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The unit as written in the forms (or the roster); empty for the pool.
    pub name: String,
    /// The pool of units with fewer than [`MIN_GROUP`] in the roster.
    pub pool: bool,
    /// Over the group's full blocks only; `None` without a full block.
    pub figures: Option<Figures>,
    /// With a roster: invited and held.
    pub coverage: Option<Coverage>,
    /// Last year's figures, when the group has a full block in both years.
    pub previous: Option<Figures>,
}

impl Group {
    /// The name shown: the unit's, or the pool's in `language`.
    pub fn name_in(&self, language: Language) -> &str {
        if self.pool {
            pool_name(language)
        } else {
            &self.name
        }
    }
}

/// The whole report's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The sum of the groups; `None` when no group has a full block, and the
    /// report then shows no figures from the forms at all.
    pub total: Option<Figures>,
    /// With a roster: the sum of the groups' coverage.
    pub coverage: Option<Coverage>,
    /// Groups shown, units by name and then the pool.
    pub groups: Vec<Group>,
    /// Without a roster: units with fewer than [`MIN_GROUP`] dated forms, in
    /// no figure.
    pub small_units: usize,
    /// With a roster: units with fewer than [`MIN_GROUP`] people in it,
    /// counted in the pool.
    pub pooled_units: usize,
    /// With a roster: units named in forms but not in the roster, counted in
    /// the pool. For the person running the report (stderr), never printed.
    pub not_in_roster: Vec<String>,
    /// Forms whose interview date cannot be read: in no figure, since they
    /// cannot be placed in the order of blocks. For the person running the
    /// report, never printed in it (the count could be one person's).
    pub undated: usize,
    /// With `--previous`: last year's total (`Some(None)` when last year had
    /// no full block).
    pub previous: Option<Option<Figures>>,
    /// The interviews held (forms collected), exactly.
    pub held: usize,
    /// The interviews in no group's blocks, in whole blocks of their own:
    /// the small units and the newest of each unit, counted in the total
    /// so that it covers the whole workplace. At least five, or `None`.
    pub rest: Option<Figures>,
    /// The newest date in the forms (held or followed up): what the figures
    /// are made up to.
    pub made_up_to: Option<NaiveDate>,
    /// With `schedule.follow_up_by`: whether the deadline has come by
    /// [`Report::made_up_to`]; before it, follow-up figures are not shown.
    pub follow_up_due: Option<bool>,
}

/// The interview date a form's place in its group's blocks is decided by:
/// when it was held, else the agreed date.
fn interview_date(form: &Form) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(form.interview_date().trim(), "%Y-%m-%d").ok()
}

/// Which forms make up a group: with a roster, a unit with at least
/// [`MIN_GROUP`] people in it, or the pool of the smaller ones.
fn group_key(unit: &str) -> String {
    crate::text::one_line(unit).to_lowercase()
}

/// A form's unit as shown: as written, or [`NO_UNIT`] when empty.
fn unit_name(unit: &str) -> String {
    match unit.trim() {
        "" => NO_UNIT.to_string(),
        unit => unit.to_string(),
    }
}

/// Employees invited and interviews held in a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Rows of the roster.
    pub invited: usize,
    /// Interview forms collected (all of them, also those waiting for a
    /// block or with no readable date).
    pub held: usize,
}

impl Coverage {
    /// Share of those invited whose form is collected (0–1; above 1 when
    /// forms name a unit the roster does not have); `None` when no one in
    /// the group was invited (a pool of units the roster does not have).
    pub fn held_share(&self) -> Option<f64> {
        (self.invited > 0).then(|| ratio(self.held, self.invited))
    }

    fn merge(&mut self, other: &Coverage) {
        self.invited += other.invited;
        self.held += other.held;
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "invited": self.invited,
            "held": self.held,
            "held_share": self.held_share(),
        })
    }

    fn context_in(&self, language: Language) -> serde_json::Value {
        serde_json::json!({
            "invited": self.invited,
            "held": self.held,
            "held_share": self.held_share().map(|s| share_text(s, language)),
        })
    }
}

/// What a report is computed from besides the forms.
#[derive(Debug, Clone, Copy)]
pub struct Round<'a> {
    /// `schedule.follow_up_by`, by unit.
    pub deadlines: &'a Deadlines,
    /// The round's roster: who was invited, and which units are pooled.
    pub roster: Option<&'a [RosterRow]>,
    /// Last year's collected forms (`--previous`).
    pub previous: Option<&'a [Form]>,
}

impl Default for Round<'_> {
    fn default() -> Self {
        Round {
            deadlines: &NO_DEADLINES,
            roster: None,
            previous: None,
        }
    }
}

/// The groups of a round: by unit, and with a roster the pool of units with
/// fewer than [`MIN_GROUP`] people in it.
struct Grouping {
    /// Group key → (name shown, invited); only with a roster.
    units: BTreeMap<String, (String, usize)>,
    roster: bool,
    /// Every unit of the roster, by group key.
    in_roster: std::collections::BTreeSet<String>,
    invited_to_pool: usize,
    pooled_units: usize,
}

impl Grouping {
    fn new(roster: Option<&[RosterRow]>) -> Grouping {
        let mut all: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for row in roster.unwrap_or_default() {
            all.entry(group_key(&unit_name(&row.unit)))
                .or_insert_with(|| (unit_name(&row.unit), 0))
                .1 += 1;
        }
        let in_roster = all.keys().cloned().collect();
        let (units, pooled): (BTreeMap<_, _>, BTreeMap<_, _>) =
            all.into_iter().partition(|(_, (_, n))| *n >= MIN_GROUP);
        Grouping {
            units,
            roster: roster.is_some(),
            in_roster,
            invited_to_pool: pooled.values().map(|(_, n)| n).sum(),
            pooled_units: pooled.len(),
        }
    }

    /// The group a form of `unit` is counted in: `None` for the pool.
    fn group_of(&self, unit: &str) -> Option<String> {
        let name = unit_name(unit);
        if !self.roster {
            // One rule in every mode: `IT` and `it` are one unit.
            return Some(group_key(&name));
        }
        let key = group_key(&name);
        self.units.contains_key(&key).then_some(key)
    }
}

/// The figures of one group's forms: its whole blocks, oldest first; and
/// the forms that wait for a block.
fn block_figures<'f>(
    mut dated: Vec<(NaiveDate, &'f Form)>,
    deadlines: &Deadlines,
) -> (Option<Figures>, Vec<(NaiveDate, &'f Form)>) {
    // Oldest first; forms of one day by file, then by name, so the order
    // does not depend on how the CSV happens to be sorted.
    dated.sort_by(|a, b| (a.0, &a.1.file, &a.1.employee).cmp(&(b.0, &b.1.file, &b.1.employee)));
    let full = dated.len() / MIN_GROUP * MIN_GROUP;
    let waiting = dated.split_off(full);
    if full == 0 {
        return (None, waiting);
    }
    // Follow-up forms come in blocks of their own: of the interviews shown,
    // those followed up are put in the order of their follow-up and only
    // whole blocks of five count, so one follow-up form handed in between
    // two reports changes neither (it waits for four more).
    let followed_up_on = |form: &Form| {
        form.goals
            .iter()
            .filter(|g| g.status.is_some())
            .map(|g| {
                NaiveDate::parse_from_str(g.followed_up_on.trim(), "%Y-%m-%d")
                    .unwrap_or(NaiveDate::MAX)
            })
            .max()
    };
    let mut followed: Vec<(NaiveDate, &str, &str, usize)> = dated
        .iter()
        .enumerate()
        .filter_map(|(i, (_, form))| {
            followed_up_on(form).map(|on| (on, form.file.as_str(), form.employee.as_str(), i))
        })
        .collect();
    followed.sort();
    followed.truncate(followed.len() / MIN_GROUP * MIN_GROUP);
    let released: std::collections::BTreeSet<usize> = followed.iter().map(|f| f.3).collect();
    let mut figures = Figures::default();
    for (i, (_, form)) in dated.iter().enumerate() {
        figures.add(form, deadlines, released.contains(&i));
    }
    (Some(figures), waiting)
}

/// Counts the collected forms in whole blocks, by unit and in total.
pub fn compute(forms: &[Form]) -> Report {
    compute_with_deadline(forms, None)
}

/// As [`compute`], and with `deadline` (`schedule.follow_up_by`) the goals
/// followed up by then, from the date of their follow-up form.
pub fn compute_with_deadline(forms: &[Form], deadline: Option<NaiveDate>) -> Report {
    compute_round(
        forms,
        &Round {
            deadlines: &Deadlines::one(deadline),
            ..Round::default()
        },
    )
}

/// The report of a round: figures in whole blocks by group, with a roster
/// the coverage and the pool of small units, with last year's forms the
/// figures to compare with.
pub fn compute_round(forms: &[Form], round: &Round) -> Report {
    let grouping = Grouping::new(round.roster);
    let mut report = groups_of(forms, &grouping, round.deadlines);
    if let Some(previous) = round.previous {
        // Last year's deadline is not known: no in-time figure for it.
        let last = groups_of(previous, &grouping, &NO_DEADLINES);
        for group in &mut report.groups {
            group.previous = last
                .groups
                .iter()
                .find(|g| g.pool == group.pool && g.name == group.name)
                .and_then(|g| g.figures)
                .filter(|_| group.figures.is_some());
        }
        report.previous = Some(last.total);
    }
    report
}

/// [`compute_round`] without last year.
fn groups_of(forms: &[Form], grouping: &Grouping, deadlines: &Deadlines) -> Report {
    // Group key (`None`: the pool) → (name, dated forms, forms collected).
    type Members<'f> = (String, Vec<(NaiveDate, &'f Form)>, usize);
    let mut groups: BTreeMap<Option<String>, Members> = BTreeMap::new();
    for (key, (name, _)) in &grouping.units {
        groups.insert(Some(key.clone()), (name.clone(), Vec::new(), 0));
    }
    if grouping.invited_to_pool > 0 {
        groups.insert(None, (String::new(), Vec::new(), 0));
    }
    let mut undated = 0;
    let mut not_in_roster = std::collections::BTreeSet::new();
    for form in forms {
        let key = grouping.group_of(&form.unit);
        if grouping.roster && key.is_none() {
            let name = unit_name(&form.unit);
            if !grouping.in_roster.contains(&group_key(&name)) {
                not_in_roster.insert(name);
            }
        }
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            (
                key.map_or_else(String::new, |_| unit_name(&form.unit)),
                Vec::new(),
                0,
            )
        });
        entry.2 += 1;
        match interview_date(form) {
            Some(date) => entry.1.push((date, form)),
            None => undated += 1,
        }
    }
    let mut report = Report {
        total: None,
        coverage: None,
        groups: Vec::new(),
        small_units: 0,
        pooled_units: grouping.pooled_units,
        not_in_roster: not_in_roster.into_iter().collect(),
        undated,
        previous: None,
        held: forms.len(),
        rest: None,
        made_up_to: forms
            .iter()
            .filter_map(interview_date)
            .chain(forms.iter().flat_map(|f| {
                f.goals.iter().filter_map(|g| {
                    NaiveDate::parse_from_str(g.followed_up_on.trim(), "%Y-%m-%d").ok()
                })
            }))
            .max(),
        follow_up_due: None,
    };
    let mut total = Figures::default();
    let mut coverage = Coverage::default();
    // Every form in no group's full blocks: counted in the total in whole
    // blocks of its own, so the total is the whole workplace's and the
    // total less the groups shown is again whole blocks of five.
    let mut rest: Vec<(NaiveDate, &Form)> = Vec::new();
    for (key, (name, dated, held)) in groups {
        let pool = key.is_none();
        let invited = match &key {
            Some(key) => grouping.units.get(key).map_or(0, |(_, n)| *n),
            None => grouping.invited_to_pool,
        };
        let (figures, waiting) = block_figures(dated, deadlines);
        rest.extend(waiting);
        if let Some(figures) = &figures {
            total.merge(figures);
        }
        // Coverage is exact for the whole workplace, small groups included.
        let group_coverage = grouping.roster.then_some(Coverage { invited, held });
        if let Some(c) = &group_coverage {
            coverage.merge(c);
        }
        // Without a roster only units with a full block are shown; with one,
        // every unit of the roster's five or more, and the pool when it
        // holds five or more people or a full block.
        let shown = figures.is_some() || (grouping.roster && invited >= MIN_GROUP);
        if !shown {
            report.small_units += usize::from(!grouping.roster);
            continue;
        }
        report.groups.push(Group {
            name,
            pool,
            figures,
            coverage: group_coverage,
            previous: None,
        });
    }
    // The pool last, after the units in order of name.
    report.groups.sort_by_key(|g| g.pool);
    let (rest_figures, _) = block_figures(rest, deadlines);
    if let Some(rest) = &rest_figures {
        total.merge(rest);
    }
    report.rest = rest_figures;
    // Due once every unit's deadline has come.
    report.follow_up_due = deadlines
        .last()
        .map(|d| report.made_up_to.is_some_and(|at| at >= d));
    report.total = (total.interviews > 0).then_some(total);
    report.coverage = grouping.roster.then_some(coverage);
    report
}

#[cfg(test)]
mod tests;
