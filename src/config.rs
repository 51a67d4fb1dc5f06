//! A workplace's YAML config: what serde reads ([`RawConfig`]) is checked
//! into a [`Config`] that keeps where each topic id stood in the file, so the
//! plan stage can point at the exact line of a misspelled id.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::is_topic_id;
use crate::error::{Diagnostic, Location, Result};
use crate::yaml::{self, SourceMap};

/// Empty rows in the goals table when the config does not say.
pub const DEFAULT_GOAL_ROWS: u32 = 4;
/// Workplace name of the built-in default config.
pub const DEFAULT_WORKPLACE: &str = "Arbejdspladsen";

/// The config file exactly as written; see the README's config reference.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Name of the workplace, shown in every header.
    pub workplace: String,
    /// Department, unit or employee group this config is for.
    #[serde(default)]
    pub unit: Option<String>,
    /// The year of the MUS round.
    pub year: i32,
    /// Chosen optional topics, in this order.
    #[serde(default)]
    pub optional_topics: Vec<String>,
    /// Basic topics 1–4 left out this year.
    #[serde(default)]
    pub exclude_topics: Vec<String>,
    /// The workplace's own topics.
    #[serde(default)]
    pub custom_topics: Vec<CustomTopic>,
    /// Questions added after a topic's own, by topic id.
    #[serde(default)]
    pub extra_questions: BTreeMap<String, Vec<String>>,
    /// A custom order of topic ids; the goals topic always ends the interview.
    #[serde(default)]
    pub order: Option<Vec<String>>,
    /// Empty rows in the goals table.
    #[serde(default = "default_goal_rows")]
    pub goal_rows: u32,
    /// Dates of the round, shown in the guides.
    #[serde(default)]
    pub schedule: Schedule,
}

fn default_goal_rows() -> u32 {
    DEFAULT_GOAL_ROWS
}

/// A topic of the workplace's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomTopic {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub questions: Vec<String>,
}

/// Dates of this year's round; each is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub interviews_from: Option<NaiveDate>,
    pub interviews_to: Option<NaiveDate>,
    pub follow_up_by: Option<NaiveDate>,
    pub su_evaluation: Option<NaiveDate>,
}

/// A value together with where it stood in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub location: Option<Location>,
}

/// A checked config: every field present, ids well-formed, locations kept.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file as named in messages.
    pub file: String,
    pub workplace: String,
    pub unit: Option<String>,
    pub year: i32,
    pub optional_topics: Vec<Spanned<String>>,
    pub exclude_topics: Vec<Spanned<String>>,
    pub custom_topics: Vec<Spanned<CustomTopic>>,
    pub extra_questions: Vec<(Spanned<String>, Vec<String>)>,
    pub order: Option<Vec<Spanned<String>>>,
    pub goal_rows: u32,
    pub schedule: Schedule,
}

impl Config {
    /// The built-in default: the five basic topics for "Arbejdspladsen".
    pub fn default_for_year(year: i32) -> Config {
        Config {
            file: "<built-in default config>".into(),
            workplace: DEFAULT_WORKPLACE.into(),
            unit: None,
            year,
            optional_topics: Vec::new(),
            exclude_topics: Vec::new(),
            custom_topics: Vec::new(),
            extra_questions: Vec::new(),
            order: None,
            goal_rows: DEFAULT_GOAL_ROWS,
            schedule: Schedule::default(),
        }
    }

    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|err| {
            let hint = if err.kind() == std::io::ErrorKind::NotFound {
                "check the path, or run `mus generate` without a file for the built-in default"
            } else {
                "make sure the file is readable UTF-8 text"
            };
            Diagnostic::new(&file, None, format!("cannot read the config: {err}")).with_hint(hint)
        })?;
        Config::parse(&file, &text)
    }

    /// Parses and checks config text; `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Config> {
        let (raw, map) = yaml::parse::<RawConfig>(file, text)?;
        check(file, raw, &map)
    }
}

fn spanned_list(map: &SourceMap, key: &str, values: Vec<String>) -> Vec<Spanned<String>> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| Spanned {
            value,
            location: map.value(&format!("{key}[{i}]")),
        })
        .collect()
}

fn check(file: &str, raw: RawConfig, map: &SourceMap) -> Result<Config> {
    let fail = |path: &str, message: String| Diagnostic::new(file, map.value(path), message);

    if raw.workplace.trim().is_empty() {
        return Err(fail("workplace", "`workplace` is empty".into())
            .with_hint("write the workplace's name; it is shown in every document's header")
            .into());
    }
    if !(2000..=2100).contains(&raw.year) {
        return Err(fail(
            "year",
            format!("`year` {} is not a plausible year", raw.year),
        )
        .with_hint("write the year of the MUS round, e.g. `year: 2027`")
        .into());
    }
    if !(1..=50).contains(&raw.goal_rows) {
        return Err(fail(
            "goal_rows",
            format!(
                "`goal_rows` must be between 1 and 50, not {}",
                raw.goal_rows
            ),
        )
        .into());
    }
    for (i, topic) in raw.custom_topics.iter().enumerate() {
        let at = |field: &str| format!("custom_topics[{i}].{field}");
        if !is_topic_id(&topic.id) {
            return Err(fail(
                &at("id"),
                format!(
                    "custom topic id `{}` must be lowercase letters, digits and `-`",
                    topic.id
                ),
            )
            .with_hint(
                "use a short id such as `digital-omstilling`; the title holds the text people read",
            )
            .into());
        }
        if raw.custom_topics[..i].iter().any(|t| t.id == topic.id) {
            return Err(fail(
                &at("id"),
                format!("custom topic id `{}` is used twice", topic.id),
            )
            .into());
        }
        if topic.title.trim().is_empty() {
            return Err(fail(
                &at("title"),
                format!("custom topic `{}` has an empty title", topic.id),
            )
            .into());
        }
        if topic.questions.is_empty() {
            return Err(fail(
                &at("questions"),
                format!("custom topic `{}` has no questions", topic.id),
            )
            .with_hint("give it at least one open question")
            .into());
        }
    }
    for (list, key) in [
        (&raw.optional_topics, "optional_topics"),
        (&raw.exclude_topics, "exclude_topics"),
    ] {
        for (i, id) in list.iter().enumerate() {
            if list[..i].contains(id) {
                return Err(fail(
                    &format!("{key}[{i}]"),
                    format!("`{id}` is listed twice in `{key}`"),
                )
                .into());
            }
        }
    }
    if let Some(order) = &raw.order {
        for (i, id) in order.iter().enumerate() {
            if order[..i].contains(id) {
                return Err(fail(
                    &format!("order[{i}]"),
                    format!("`{id}` is listed twice in `order`"),
                )
                .into());
            }
        }
    }

    let custom_topics = raw
        .custom_topics
        .into_iter()
        .enumerate()
        .map(|(i, value)| Spanned {
            value,
            location: map.value(&format!("custom_topics[{i}]")),
        })
        .collect();
    let extra_questions = raw
        .extra_questions
        .into_iter()
        .map(|(id, questions)| {
            let location = map.key(&format!("extra_questions.{id}"));
            (
                Spanned {
                    value: id,
                    location,
                },
                questions,
            )
        })
        .collect();
    Ok(Config {
        file: file.to_string(),
        workplace: raw.workplace,
        unit: raw.unit.filter(|u| !u.trim().is_empty()),
        year: raw.year,
        optional_topics: spanned_list(map, "optional_topics", raw.optional_topics),
        exclude_topics: spanned_list(map, "exclude_topics", raw.exclude_topics),
        custom_topics,
        extra_questions,
        order: raw.order.map(|o| spanned_list(map, "order", o)),
        goal_rows: raw.goal_rows,
        schedule: raw.schedule,
    })
}
