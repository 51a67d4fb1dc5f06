//! The service check (`mus check`): everything `generate` rejects, plus
//! warnings about what usually makes a MUS round fail — no follow-up, a
//! schedule that does not hold, an interview too long to finish, closed
//! questions. Each finding says why, in the language of the messages.

use std::collections::BTreeSet;

use chrono::Datelike;

use crate::error::{Diagnostic, Origin};
use crate::pipeline::catalogue::{Catalogue, TopicKind};
use crate::pipeline::config::{Config, Spanned};
use crate::pipeline::plan::Plan;
use crate::pipeline::render::house_style::HouseStyle;

/// Minutes the estimate gives each question with a note box.
pub const MINUTES_PER_QUESTION: usize = 3;
/// The share of the interview the guides keep for the development goals.
pub const GOALS_SHARE: usize = 3;
/// Minutes for the opening and the close the leader guide prescribes.
pub const OPENING_AND_CLOSE_MINUTES: usize = 10;
/// Least days between the last interview and the follow-up date.
pub const MIN_FOLLOW_UP_DAYS: i64 = 90;

/// Words that open a question answered with yes or no.
const CLOSED_OPENINGS: &[&str] = &[
    "er", "har", "kan", "vil", "synes", "skal", "bør", "burde", "føler", "oplever", "tror",
    "mener", "ønsker", "må", "gør", "ville", "kunne", "skulle", "får", "bliver", "ser", "ved",
    "tænker",
];

/// The same in English, for the questions of a config with `language: en`.
const CLOSED_OPENINGS_EN: &[&str] = &[
    "is", "are", "am", "was", "were", "do", "does", "did", "have", "has", "had", "can", "could",
    "will", "would", "shall", "should", "may", "might", "must",
];

pub use crate::pipeline::config::WARNING_CODES;

/// Warnings for a config that `generate` accepts, with its house style if
/// it has one, less those the config's `allow_warnings` accepts.
pub fn warnings(
    catalogue: &Catalogue,
    config: &Config,
    plan: &Plan,
    house: Option<&HouseStyle>,
) -> Vec<Diagnostic> {
    let mut out = all_warnings(catalogue, config, plan, house);
    out.retain(|d| !config.allow_warnings.iter().any(|a| a.value == d.code));
    out
}

fn all_warnings(
    catalogue: &Catalogue,
    config: &Config,
    plan: &Plan,
    house: Option<&HouseStyle>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    excluded_topics(catalogue, config, &mut out);
    schedule(config, &mut out);
    questions(catalogue, config, plan, &mut out);
    if let (Some(house), Some(set)) = (house, &config.reference_doc)
        && !house.missing.is_empty()
    {
        out.push(Diagnostic::warning(
            &set.origin,
            "house-style-incomplete",
            crate::msg!(
                "check.house-style-incomplete",
                file = house.file,
                styles = house.missing.join(", ")
            ),
            crate::msg!("check.house-style-incomplete.why"),
        ));
    }
    if let (Some(house), Some(set)) = (house, &config.reference_doc) {
        for note in &house.notes {
            out.push(Diagnostic::warning(
                &set.origin,
                "house-style-cleaned",
                note.clone(),
                crate::msg!("check.house-style-cleaned.why"),
            ));
        }
    }
    if config.goal_rows.value < 2 {
        out.push(Diagnostic::warning(
            &config.goal_rows.origin,
            "few-goal-rows",
            crate::msg!("check.few-goal-rows", rows = config.goal_rows.value),
            crate::msg!("check.few-goal-rows.why"),
        ));
    }
    out
}

fn excluded_topics(catalogue: &Catalogue, config: &Config, out: &mut Vec<Diagnostic>) {
    let basic = |id: &str| {
        catalogue
            .get(id)
            .is_some_and(|t| t.kind == TopicKind::Basic)
    };
    for id in config.exclude_topics.iter().filter(|id| basic(&id.value)) {
        out.push(Diagnostic::warning(
            &id.origin,
            "basic-topic-excluded",
            crate::msg!("check.basic-topic-excluded", id = id.value),
            crate::msg!("check.basic-topic-excluded.why"),
        ));
    }
}

fn schedule(config: &Config, out: &mut Vec<Diagnostic>) {
    let s = &config.schedule;
    let year = config.year.value;
    if s.follow_up_by.is_none() {
        out.push(Diagnostic::warning(
            &config.schedule_origin,
            "no-follow-up",
            crate::msg!("check.no-follow-up"),
            crate::msg!("check.no-follow-up.why"),
        ));
    }
    let dates = [
        ("interviews_from", &s.interviews_from),
        ("interviews_to", &s.interviews_to),
        ("follow_up_by", &s.follow_up_by),
        ("su_evaluation", &s.su_evaluation),
    ];
    for (key, date) in dates {
        if let Some(date) = date
            && date.value.year() != year
        {
            out.push(Diagnostic::warning(
                &date.origin,
                "date-outside-year",
                crate::msg!(
                    "check.date-outside-year",
                    key = key,
                    date = date.value,
                    year = year
                ),
                crate::msg!("check.date-outside-year.why"),
            ));
        }
    }
    let set: Vec<(&str, &Spanned<chrono::NaiveDate>)> = dates
        .iter()
        .filter_map(|(k, d)| d.as_ref().map(|d| (*k, d)))
        .collect();
    for pair in set.windows(2) {
        let ((earlier_key, earlier), (later_key, later)) = (pair[0], pair[1]);
        if later.value < earlier.value {
            out.push(Diagnostic::warning(
                &later.origin,
                "dates-out-of-order",
                crate::msg!(
                    "check.dates-out-of-order",
                    later_key = later_key,
                    later = later.value,
                    earlier_key = earlier_key,
                    earlier = earlier.value,
                ),
                crate::msg!("check.dates-out-of-order.why"),
            ));
        }
    }
    if let (Some(to), Some(follow)) = (&s.interviews_to, &s.follow_up_by) {
        let days = (follow.value - to.value).num_days();
        if (0..MIN_FOLLOW_UP_DAYS).contains(&days) {
            out.push(Diagnostic::warning(
                &follow.origin,
                "early-follow-up",
                crate::msg!("check.early-follow-up", days = days),
                crate::msg!("check.early-follow-up.why"),
            ));
        }
    }
}

fn questions(catalogue: &Catalogue, config: &Config, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let catalogue_origin = Origin::new(&catalogue.file, None);
    let sourced: Vec<(&str, &Origin, &str)> = plan
        .topics
        .iter()
        .flat_map(|t| {
            t.questions
                .iter()
                .zip(&t.question_origins)
                .map(|(q, o)| (q.as_str(), o, t.id.as_str()))
        })
        .collect();
    // Only the questions with a note box count: the others are inspiration.
    let boxed = sourced.len();
    let length = config.interview_minutes.value as usize;
    let for_goals = length / GOALS_SHARE;
    let minutes = boxed * MINUTES_PER_QUESTION + for_goals + OPENING_AND_CLOSE_MINUTES;
    if minutes > length {
        out.push(Diagnostic::warning(
            &Origin::new(
                &config.file,
                Some(crate::error::Location { line: 1, column: 1 }),
            ),
            "long-interview",
            crate::msg!(
                "check.long-interview",
                minutes = minutes,
                boxed = boxed,
                per_question = MINUTES_PER_QUESTION,
                for_goals = for_goals,
                opening = OPENING_AND_CLOSE_MINUTES,
                length = length,
            ),
            crate::msg!("check.long-interview.why"),
        ));
    }
    let sourced: Vec<(&str, &Origin, &str)> = sourced
        .into_iter()
        .chain(plan.topics.iter().flat_map(|t| {
            t.more_questions
                .iter()
                .map(|q| (q.as_str(), &catalogue_origin, t.id.as_str()))
        }))
        .collect();
    for topic in &plan.topics {
        let count = topic.questions.len() + topic.more_questions.len();
        if !(2..=10).contains(&count) {
            let origin = topic_origin(catalogue, config, &topic.id);
            let (code, message, why) = if count < 2 {
                (
                    "few-questions",
                    crate::msg!("check.few-questions", id = topic.id, count = count),
                    crate::msg!("check.few-questions.why"),
                )
            } else {
                (
                    "many-questions",
                    crate::msg!("check.many-questions", id = topic.id, count = count),
                    crate::msg!("check.many-questions.why"),
                )
            };
            out.push(Diagnostic::warning(&origin, code, message, why));
        }
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (question, origin, topic) in &sourced {
        let normalized = question
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if !seen.insert(normalized) {
            out.push(Diagnostic::warning(
                origin,
                "duplicate-question",
                crate::msg!(
                    "check.duplicate-question",
                    question = question,
                    topic = topic
                ),
                crate::msg!("check.duplicate-question.why"),
            ));
        }
        if is_closed(question) {
            out.push(Diagnostic::warning(
                origin,
                "closed-question",
                crate::msg!("check.closed-question", question = question),
                crate::msg!("check.closed-question.why"),
            ));
        }
    }
}

/// True when a question opens with a word that invites a yes or no.
pub fn is_closed(question: &str) -> bool {
    question
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .map(str::to_lowercase)
        .is_some_and(|first| {
            CLOSED_OPENINGS.contains(&first.as_str())
                || CLOSED_OPENINGS_EN.contains(&first.as_str())
        })
}

/// Where a topic's questions are set: the own topic, the extra questions, or the catalogue.
fn topic_origin(catalogue: &Catalogue, config: &Config, id: &str) -> Origin {
    if let Some(custom) = config.custom_topics.iter().find(|c| c.id.value == id) {
        return custom.id.origin.clone();
    }
    if let Some((key, _)) = config.extra_questions.iter().find(|(k, _)| k.value == id) {
        return key.origin.clone();
    }
    Origin::new(&catalogue.file, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_no_openings_are_closed_and_open_ones_are_not() {
        assert!(is_closed("Har du haft et godt år?"));
        assert!(is_closed("Synes du, at …?"));
        assert!(!is_closed("Hvad har gjort dit år godt?"));
        assert!(!is_closed("Hvordan kan du bruge det?"));
        assert!(!is_closed("Fortæl om en god dag."));
        assert!(is_closed("Do you enjoy your work?"));
        assert!(is_closed("Would you like more tasks?"));
        assert!(!is_closed("What makes a good day at work?"));
    }

    #[test]
    fn the_built_in_catalogue_has_only_open_questions() {
        let catalogue = Catalogue::built_in().expect("valid");
        for topic in &catalogue.topics {
            for q in topic.questions.iter().chain(&topic.more_questions) {
                assert!(!is_closed(q), "{}: {q}", topic.id);
            }
            assert!((2..=3).contains(&topic.questions.len()), "{}", topic.id);
            let all = topic.questions.len() + topic.more_questions.len();
            assert!((4..=8).contains(&all), "{}", topic.id);
        }
    }
}

/// What `mus check` found in a set of files.
#[derive(Debug, Default)]
pub struct Report {
    /// The config files checked, in order.
    pub files: Vec<std::path::PathBuf>,
    /// Errors and warnings, sorted by file and place, each once.
    pub findings: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == crate::error::Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Checks every config in `paths`: files as given, folders for every
/// `*.yaml`/`*.yml` below them. Files a config extends are read with it.
pub fn check_paths(catalogue: &Catalogue, paths: &[std::path::PathBuf]) -> Report {
    let (files, findings) = config_files(paths);
    let mut report = Report { files, findings };
    for file in &report.files {
        report.findings.extend(check_file(catalogue, file));
    }
    report.findings.sort_by(|a, b| {
        (&a.file, a.location, a.code, &a.message).cmp(&(&b.file, b.location, b.code, &b.message))
    });
    report.findings.dedup();
    report
}

/// The config files `paths` name: files as given, folders for every
/// `*.yaml`/`*.yml` below them, in name order; and what could not be read
/// (a path that is not there, a device named like a config, none found).
pub fn config_files(paths: &[std::path::PathBuf]) -> (Vec<std::path::PathBuf>, Vec<Diagnostic>) {
    let mut report = Report::default();
    for path in paths {
        if path.is_dir() {
            let entries = walkdir::WalkDir::new(path).sort_by_file_name().into_iter();
            for entry in entries {
                match entry {
                    Ok(e) if e.file_type().is_file() && is_yaml(e.path()) => {
                        report.files.push(e.into_path())
                    }
                    // A link is followed; a FIFO, device or socket named
                    // like a config is named as refused, never opened.
                    Ok(e) if !e.file_type().is_dir() && is_yaml(e.path()) => {
                        match std::fs::metadata(e.path()) {
                            Ok(meta) if meta.is_file() => report.files.push(e.into_path()),
                            Ok(meta) => report.findings.push(not_regular(e.path(), &meta)),
                            Err(err) => report.findings.push(
                                Diagnostic::new(
                                    e.path().display().to_string(),
                                    None,
                                    crate::msg!(
                                        "config.unreadable",
                                        error = crate::messages::io_error(&err)
                                    ),
                                )
                                .with_code("unreadable"),
                            ),
                        }
                    }
                    Ok(_) => {}
                    Err(err) => report.findings.push(
                        Diagnostic::new(
                            path.display().to_string(),
                            None,
                            crate::msg!(
                                "collect.folder-unreadable",
                                error = err
                                    .io_error()
                                    .map_or_else(|| err.to_string(), crate::messages::io_error)
                            ),
                        )
                        .with_code("unreadable"),
                    ),
                }
            }
        } else if path.is_file() {
            report.files.push(path.clone());
        } else if let Ok(meta) = std::fs::metadata(path) {
            report.findings.push(not_regular(path, &meta));
        } else {
            report.findings.push(
                Diagnostic::new(
                    path.display().to_string(),
                    None,
                    crate::msg!("check.no-such-path"),
                )
                .with_hint(crate::msg!("check.no-such-path.hint"))
                .with_code("unreadable"),
            );
        }
    }
    if report.files.is_empty() && report.findings.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        report.findings.push(
            Diagnostic::new(names.join(", "), None, crate::msg!("check.no-configs"))
                .with_hint(crate::msg!("check.no-configs.hint"))
                .with_code("no-configs"),
        );
    }
    (report.files, report.findings)
}

/// The finding for a config path that is not a regular file.
fn not_regular(path: &std::path::Path, meta: &std::fs::Metadata) -> Diagnostic {
    Diagnostic::new(
        path.display().to_string(),
        None,
        crate::msg!(
            "config.unreadable",
            error = crate::limits::not_regular_reason(meta)
        ),
    )
    .with_hint(crate::msg!("config.unreadable.hint"))
    .with_code("unreadable")
}

/// Errors, or when there are none the warnings, for one config file. A
/// config in another language than the built-in catalogue given is checked
/// against the built-in catalogue of its language, so its questions are
/// compared with the questions its form will hold.
pub fn check_file(catalogue: &Catalogue, path: &std::path::Path) -> Vec<Diagnostic> {
    let config = match Config::load(path) {
        Ok(config) => config,
        Err(err) => return findings_of(err, path),
    };
    let own_language;
    let catalogue = match catalogue.built_in_language() {
        Some(language) if language != config.language => {
            match Catalogue::built_in_for(config.language) {
                Ok(built_in) => {
                    own_language = built_in;
                    &own_language
                }
                Err(err) => return findings_of(err, path),
            }
        }
        _ => catalogue,
    };
    let plan = match Plan::new(catalogue, &config) {
        Ok(plan) => plan,
        Err(err) => return findings_of(err, path),
    };
    // The house file is read as `generate` reads it.
    let house = match HouseStyle::for_config(None, &config) {
        Ok(house) => house,
        Err(err) => return findings_of(err, path),
    };
    warnings(catalogue, &config, &plan, house.as_ref())
}

fn findings_of(err: crate::error::Error, path: &std::path::Path) -> Vec<Diagnostic> {
    match err {
        crate::error::Error::Invalid(list) => list.0,
        crate::error::Error::Usage(d) => vec![*d],
        crate::error::Error::Io { source, .. } => vec![Diagnostic::new(
            path.display().to_string(),
            None,
            source.to_string(),
        )],
        err @ crate::error::Error::Build { .. } => {
            vec![Diagnostic::new(
                path.display().to_string(),
                None,
                err.to_string(),
            )]
        }
    }
}

fn is_yaml(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}
