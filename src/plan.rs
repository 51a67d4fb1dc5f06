//! The selection and ordering rule: catalogue + config → the topics of this
//! year's interview, in order. Basic topics 1–4 (less exclusions), then the
//! chosen optional topics, then the workplace's own, and always last the goals
//! topic, so the interview ends with written, agreed development goals.

use serde::Serialize;

use crate::catalogue::{Catalogue, Topic, TopicKind};
use crate::config::{Config, Schedule, Spanned};
use crate::error::{Diagnostic, Result};

/// Why the goals topic cannot be left out or moved; shown in errors.
const GOALS_REASON: &str = "the agreement on competence development asks for written development goals, agreed at the interview; the concept ends with them";

/// One topic as it appears in this year's interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedTopic {
    /// 1-based position in the interview, as in the heading "3. Trivsel".
    pub number: usize,
    pub id: String,
    pub kind: TopicKind,
    pub title: String,
    pub intro: String,
    /// The topic's own questions followed by the config's extra questions.
    pub questions: Vec<String>,
    pub goals_table: bool,
}

/// Everything the documents need, decided: the topics in order and the
/// workplace's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub workplace: String,
    pub unit: Option<String>,
    pub year: i32,
    pub goal_rows: u32,
    pub schedule: Schedule,
    pub topics: Vec<PlannedTopic>,
}

impl Plan {
    /// Applies the ordering rule; every wrong id is reported at its line.
    pub fn new(catalogue: &Catalogue, config: &Config) -> Result<Plan> {
        let goals = catalogue.goals_topic();
        let fail = |id: &Spanned<String>, message: String| {
            Diagnostic::new(&config.file, id.location, message)
        };
        let all_ids = || {
            catalogue
                .topics
                .iter()
                .map(|t| t.id.as_str())
                .chain(config.custom_topics.iter().map(|c| c.value.id.as_str()))
        };
        let unknown = |id: &Spanned<String>, key: &str| {
            let d = fail(id, format!("unknown topic `{}` in `{key}`", id.value));
            match crate::error::closest(all_ids(), &id.value) {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint("`mus topics` lists the catalogue's topic ids"),
            }
        };

        for id in &config.exclude_topics {
            match catalogue.get(&id.value) {
                None => return Err(unknown(id, "exclude_topics").into()),
                Some(t) if t.goals_table => {
                    return Err(fail(
                        id,
                        format!("`{}` cannot be excluded: {GOALS_REASON}", id.value),
                    )
                    .with_hint(format!("remove `{}` from `exclude_topics`", id.value))
                    .into());
                }
                Some(t) if t.kind != TopicKind::Basic => {
                    return Err(fail(
                        id,
                        format!(
                            "`{}` is an optional topic; only basic topics can be excluded",
                            id.value
                        ),
                    )
                    .with_hint("optional topics are included only when listed in `optional_topics`")
                    .into());
                }
                Some(_) => {}
            }
        }
        for id in &config.optional_topics {
            match catalogue.get(&id.value) {
                None => return Err(unknown(id, "optional_topics").into()),
                Some(t) if t.kind != TopicKind::Optional => {
                    return Err(fail(
                        id,
                        format!("`{}` is a basic topic, not an optional one", id.value),
                    )
                    .with_hint("basic topics are always included; remove it from `optional_topics`")
                    .into());
                }
                Some(_) => {}
            }
        }
        for custom in &config.custom_topics {
            if catalogue.get(&custom.value.id).is_some() {
                return Err(Diagnostic::new(
                    &config.file,
                    custom.location,
                    format!("custom topic id `{}` is already a catalogue topic", custom.value.id),
                )
                .with_hint("give your own topic another id, or use `extra_questions` to add questions to the catalogue topic")
                .into());
            }
        }

        // The default order, without the goals topic.
        let mut chosen: Vec<Topic> = catalogue
            .topics
            .iter()
            .filter(|t| t.kind == TopicKind::Basic && !t.goals_table)
            .filter(|t| !config.exclude_topics.iter().any(|e| e.value == t.id))
            .cloned()
            .collect();
        chosen.extend(
            config
                .optional_topics
                .iter()
                .filter_map(|id| catalogue.get(&id.value))
                .cloned(),
        );
        chosen.extend(config.custom_topics.iter().map(|c| Topic {
            id: c.value.id.clone(),
            kind: TopicKind::Custom,
            title: c.value.title.clone(),
            intro: c.value.intro.clone(),
            questions: c.value.questions.clone(),
            goals_table: false,
        }));

        if let Some(order) = &config.order {
            let mut ordered = Vec::with_capacity(chosen.len());
            for (i, id) in order.iter().enumerate() {
                if id.value == goals.id {
                    if i + 1 != order.len() {
                        return Err(fail(
                            id,
                            format!("`{}` must be the last topic: {GOALS_REASON}", id.value),
                        )
                        .with_hint(format!(
                            "move `{}` to the end of `order`, or leave it out: it is always last",
                            id.value
                        ))
                        .into());
                    }
                    continue;
                }
                match chosen.iter().position(|t| t.id == id.value) {
                    Some(pos) => ordered.push(chosen.remove(pos)),
                    None if all_ids().any(|known| known == id.value) => {
                        return Err(fail(id, format!("`{}` is in `order` but is not chosen this year", id.value))
                            .with_hint("add it to `optional_topics`, or remove it from `exclude_topics` or `order`")
                            .into());
                    }
                    None => return Err(unknown(id, "order").into()),
                }
            }
            // Chosen topics not named in `order` keep their default order.
            ordered.append(&mut chosen);
            chosen = ordered;
        }
        chosen.push(goals.clone());

        for (id, _) in &config.extra_questions {
            if !chosen.iter().any(|t| t.id == id.value) {
                let d = if all_ids().any(|known| known == id.value) {
                    fail(
                        id,
                        format!(
                            "`extra_questions` adds to `{}`, which is not chosen this year",
                            id.value
                        ),
                    )
                    .with_hint("choose the topic, or remove its extra questions")
                } else {
                    unknown(id, "extra_questions")
                };
                return Err(d.into());
            }
        }

        let topics = chosen
            .into_iter()
            .enumerate()
            .map(|(i, topic)| {
                let mut questions = topic.questions;
                for (id, extra) in &config.extra_questions {
                    if id.value == topic.id {
                        questions.extend(extra.iter().cloned());
                    }
                }
                PlannedTopic {
                    number: i + 1,
                    id: topic.id,
                    kind: topic.kind,
                    title: topic.title,
                    intro: topic.intro,
                    questions,
                    goals_table: topic.goals_table,
                }
            })
            .collect();

        Ok(Plan {
            workplace: config.workplace.clone(),
            unit: config.unit.clone(),
            year: config.year,
            goal_rows: config.goal_rows,
            schedule: config.schedule.clone(),
            topics,
        })
    }

    /// The topic ids in interview order, as `--json` reports them.
    pub fn topic_ids(&self) -> Vec<&str> {
        self.topics.iter().map(|t| t.id.as_str()).collect()
    }
}
