//! The report's own tests: blocks of five, pools, deadlines, last year.

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
        held: String::new(),
        id: String::new(),
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
    forms
        .iter()
        .for_each(|f| figures.add(f, &NO_DEADLINES, true));
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
fn each_unit_is_held_to_its_own_configs_deadline() {
    // Five in IT and five in HR, every goal followed up on 10 October.
    let followed = |unit: &str, day: u32| {
        let mut form = form(unit, day, 1, 0);
        form.goals[0].status = Some(Status::Reached);
        form.goals[0].followed_up_on = "2027-10-10".into();
        form
    };
    let forms: Vec<Form> = (1..=5)
        .map(|d| followed("IT", d))
        .chain((1..=5).map(|d| followed("HR", d)))
        .collect();
    let date = |m, d| NaiveDate::from_ymd_opt(2027, m, d);
    // The workplace's deadline is 30 September; IT's own config gives 15 October.
    let deadlines = Deadlines {
        default: date(9, 30),
        by_unit: [("it".to_string(), date(10, 15))].into(),
    };
    let report = compute_round(
        &forms,
        &Round {
            deadlines: &deadlines,
            ..Round::default()
        },
    );
    let in_time = |name: &str| {
        let group = report
            .groups
            .iter()
            .find(|g| g.name == name)
            .expect("group");
        group.figures.expect("a block").goals_followed_up_in_time
    };
    assert_eq!(in_time("IT"), Some(5), "in time by IT's own deadline");
    assert_eq!(in_time("HR"), Some(0), "late by the workplace's");
    assert_eq!(
        report.total.expect("total").goals_followed_up_in_time,
        Some(5)
    );
    // The follow-up figures are due when the last deadline has come.
    assert_eq!(deadlines.last(), date(10, 15));
    assert_eq!(report.follow_up_due, Some(false), "made up to 10 October");
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
    assert_eq!(report.groups[0].figures, Some(figures(&a[..5])));
    // A's two newest and B's three are a block of their own: in the
    // total, in the row of other interviews, in no unit.
    let rest: Vec<Form> = a[5..].iter().chain(&forms[7..]).cloned().collect();
    assert_eq!(report.rest, Some(figures(&rest)));
    let mut total = figures(&a[..5]);
    total.merge(&figures(&rest));
    assert_eq!(report.total, Some(total));
    assert_eq!(report.small_units, 1);
    assert_eq!(percent(figures(&a[..5]).with_goals_share()), "80 %");
    assert_eq!(decimal(1.5), "1,5");
}

#[test]
fn three_units_of_four_are_never_shown_alone_but_give_a_total_of_ten() {
    let forms: Vec<Form> = ["A", "B", "C"]
        .iter()
        .flat_map(|unit| (1..=4).map(|d| form(unit, d, 1, 0)))
        .collect();
    let report = compute(&forms);
    assert!(report.groups.is_empty(), "{report:#?}");
    assert_eq!(report.total.map(|t| t.interviews), Some(10));
    assert_eq!(report.rest, report.total);
    assert_eq!((report.held, report.in_figures()), (12, 10));
    assert_eq!(report.small_units, 3);
}

#[test]
fn fewer_than_five_in_the_whole_workplace_show_nothing_not_even_the_total() {
    let forms: Vec<Form> = (1..=2)
        .map(|d| form("A", d, 1, 0))
        .chain((1..=2).map(|d| form("B", d, 1, 0)))
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
                        let (mut gained, b) = (
                            a.figures.expect("a group without a roster has figures"),
                            b.figures.expect("a group without a roster has figures"),
                        );
                        gained.interviews -= b.interviews;
                        gained.with_goals -= b.with_goals;
                        gained.goals -= b.goals;
                        gained.goals_with_follow_up -= b.goals_with_follow_up;
                        gained
                    }
                    (None, Some(a)) => a.figures.unwrap_or_default(),
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
                }
                // The total only ever grows, by whole blocks.
                let count = |r: &Report| r.total.map_or(0, |t| t.interviews);
                assert!(count(&after) >= count(&before));
                assert_eq!(count(&after) % MIN_GROUP, 0);
                shown_after.push((after.groups, after.total));
            }
            if (base_size % MIN_GROUP) + added < MIN_GROUP {
                assert!(shown_after.windows(2).all(|w| w[0].0 == w[1].0));
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

/// A roster of `units`: (unit, people).
fn roster(units: &[(&str, usize)]) -> Vec<RosterRow> {
    units
        .iter()
        .flat_map(|&(unit, people)| {
            (0..people).map(move |i| RosterRow {
                line: i + 2,
                name: format!("Navn {unit} {i}"),
                manager: String::new(),
                unit: unit.into(),
                date: None,
                optional_topics: None,
                previous_goals: Vec::new(),
            })
        })
        .collect()
}

#[test]
fn with_a_roster_small_units_are_pooled_and_coverage_is_counted() {
    let people = roster(&[("A", 7), ("B", 4), ("C", 3)]);
    let forms: Vec<Form> = (1..=4)
        .map(|d| form("A", d, 1, 1))
        .chain((1..=3).map(|d| form("B", d, 2, 0)))
        .chain((4..=5).map(|d| form("C", d, 0, 0)))
        .chain([form("Z", 9, 1, 0)])
        .collect();
    let round = Round {
        roster: Some(&people),
        ..Round::default()
    };
    let report = compute_round(&forms, &round);
    assert_eq!(report.groups.len(), 2, "{report:#?}");
    let (a, pool) = (&report.groups[0], &report.groups[1]);
    assert_eq!((a.name.as_str(), a.pool), ("A", false));
    assert_eq!(a.figures, None, "4 forms: no full block");
    assert_eq!(
        a.coverage,
        Some(Coverage {
            invited: 7,
            held: 4
        })
    );
    assert!(pool.pool);
    assert_eq!(
        pool.coverage,
        Some(Coverage {
            invited: 7,
            held: 6
        })
    );
    // B's three, C's two: one block of the five oldest; Z waits.
    let pooled: Vec<Form> = forms[4..9].to_vec();
    assert_eq!(pool.figures, Some(figures(&pooled)));
    // A's four and Z make a block in the total, in no group.
    let rest: Vec<Form> = forms[..4].iter().chain(&forms[9..]).cloned().collect();
    assert_eq!(report.rest, Some(figures(&rest)));
    let mut total = figures(&pooled);
    total.merge(&figures(&rest));
    assert_eq!(report.total, Some(total));
    assert_eq!(
        report.coverage,
        Some(Coverage {
            invited: 14,
            held: 10
        })
    );
    assert_eq!(report.pooled_units, 2);
    assert_eq!(report.not_in_roster, ["Z"]);
    assert_eq!(report.small_units, 0);
    let json = report.json_in(Language::En);
    assert_eq!(json["units"][1]["unit"], "Other units");
    assert_eq!(json["units"][0]["figures"], serde_json::Value::Null);
    assert_eq!(json["coverage"]["held"], 10);
    assert!(!json.to_string().contains("\"B\""), "{json}");
}

/// The attack on the pool: one more form in a pooled unit, held after
/// the first report, changes no figure about what was said until the
/// pool has a new whole block, however the new person answered.
#[test]
fn a_new_form_in_a_pooled_unit_leaves_the_figures_as_they_were() {
    let people = roster(&[("A", 5), ("B", 4), ("C", 3)]);
    let round = Round {
        roster: Some(&people),
        ..Round::default()
    };
    let base: Vec<Form> = (1..=5)
        .map(|d| form("A", d, 1, 1))
        .chain((1..=3).map(|d| form("B", d, 2, 1)))
        .chain((1..=3).map(|d| form("C", d, d as usize % 2, 0)))
        .collect();
    let before = compute_round(&base, &round);
    let shown = |r: &Report| {
        (
            r.total,
            r.groups.iter().map(|g| g.figures).collect::<Vec<_>>(),
        )
    };
    assert!(before.groups[1].figures.is_some(), "the pool has a block");
    for unit in ["B", "C"] {
        for goals in 0..4 {
            let mut forms = base.clone();
            forms.push(form(unit, 50, goals, goals / 2));
            let after = compute_round(&forms, &round);
            assert_eq!(shown(&after), shown(&before), "{unit} {goals}");
        }
    }
}

#[test]
fn last_year_is_shown_only_for_groups_with_a_block_in_both_years() {
    let this_year: Vec<Form> = (1..=5)
        .map(|d| form("A", d, 1, 1))
        .chain((1..=5).map(|d| form("B", d, 2, 0)))
        .collect();
    let last_year: Vec<Form> = (1..=6)
        .map(|d| form("A", d, 0, 0))
        .chain((1..=4).map(|d| form("B", d, 3, 3)))
        .collect();
    let report = compute_round(
        &this_year,
        &Round {
            previous: Some(&last_year),
            ..Round::default()
        },
    );
    assert_eq!(report.groups[0].previous, Some(figures(&last_year[..5])));
    assert_eq!(report.groups[1].previous, None, "B had 4 last year");
    // Last year's total: A's block, and A's sixth with B's four.
    let mut last_total = figures(&last_year[..5]);
    last_total.merge(&figures(&last_year[5..]));
    assert_eq!(report.previous, Some(Some(last_total)));
}

#[test]
fn the_status_split_adds_up_to_the_goals_followed_up() {
    let mut forms: Vec<Form> = (1..=5).map(|d| form("A", d, 3, 0)).collect();
    let answers = [
        Status::Reached,
        Status::Partly,
        Status::NotReached,
        Status::Dropped,
        Status::Unknown,
    ];
    for (i, form) in forms.iter_mut().enumerate() {
        form.goals[0].status = Some(answers[i]);
        form.goals[1].status = Some(Status::Reached);
    }
    let total = compute(&forms).total.expect("a block");
    assert_eq!(total.status, [6, 1, 1, 1, 1]);
    assert_eq!(total.status.iter().sum::<usize>(), total.goals_followed_up);
    let json = total.json();
    assert_eq!(json["status"]["reached"], 6);
    assert_eq!(json["not_followed_up"], 5);
}

#[test]
fn one_follow_up_form_between_two_reports_changes_no_figure() {
    let mut forms: Vec<Form> = (1..=10).map(|d| form("A", d, 2, 0)).collect();
    let follow = |forms: &mut Vec<Form>, i: usize, day: u32| {
        for goal in &mut forms[i].goals {
            goal.status = Some(Status::Reached);
            goal.followed_up_on = format!("2027-09-{day:02}");
        }
    };
    for i in 0..4 {
        follow(&mut forms, i, 1 + i as u32);
    }
    let four = compute(&forms).total.expect("blocks");
    assert_eq!(
        four.goals_followed_up, 0,
        "four follow-up forms wait for a fifth"
    );
    follow(&mut forms, 4, 5);
    let five = compute(&forms).total.expect("blocks");
    assert_eq!(
        five.goals_followed_up, 10,
        "a block of five follow-up forms"
    );
    follow(&mut forms, 5, 6);
    let six = compute(&forms).total.expect("blocks");
    assert_eq!(six, five, "the sixth waits: nothing tells whose it is");
}
