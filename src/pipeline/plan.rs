//! The selection and ordering rule: catalogue + config → the topics of this
//! year's interview, in order. Basic topics 1–4 (less exclusions), then the
//! chosen optional topics, then the workplace's own, and always last the goals
//! topic, so the interview ends with written, agreed development goals.

use serde::Serialize;

use crate::error::{Diagnostic, Origin, Result, closest};
use crate::pipeline::catalogue::{Catalogue, Topic, TopicKind};
use crate::pipeline::config::{Config, QuestionSet, ScheduleDates, Spanned};

/// One topic as it appears in this year's interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedTopic {
    /// 1-based position in the interview, as in the heading "3. Trivsel".
    pub number: usize,
    pub id: String,
    pub kind: TopicKind,
    pub title: String,
    pub intro: String,
    /// The questions with a note box: the topic's core questions (all its
    /// questions with `questions: all`), then the config's extra questions.
    pub questions: Vec<String>,
    /// Where each question was written, for the service check's findings.
    #[serde(skip)]
    pub question_origins: Vec<Origin>,
    /// The topic's other questions, listed without boxes for inspiration.
    pub more_questions: Vec<String>,
    pub goals_table: bool,
}

/// A basic topic left out this year, which the guides name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOutTopic {
    pub id: String,
    pub title: String,
}

/// Everything the documents need, decided: the topics in order and the
/// workplace's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub workplace: String,
    pub unit: Option<String>,
    pub year: i32,
    pub goal_rows: u32,
    /// The interview's length in minutes, as the guides state it.
    pub interview_minutes: u32,
    /// The language of the documents.
    pub language: crate::language::Language,
    pub schedule: ScheduleDates,
    /// Who keeps what and for how long (`storage`), or the built-in sentence.
    pub storage: String,
    pub topics: Vec<PlannedTopic>,
    /// Basic topics excluded this year, in catalogue order.
    pub left_out: Vec<LeftOutTopic>,
    /// The catalogue's optional topics not in this interview, in catalogue
    /// order: the optional-topics document (tilvalgsemner.docx).
    pub other_optional: Vec<PlannedTopic>,
}

/// Checks ids against the catalogue, collecting every error rather than the first.
struct Resolver<'a> {
    catalogue: &'a Catalogue,
    config: &'a Config,
    errors: Vec<Diagnostic>,
}

impl Resolver<'_> {
    fn is_custom(&self, id: &str) -> bool {
        self.config.custom_topics.iter().any(|c| c.id.value == id)
    }

    /// True for a value a parent config set: it may name topics this unit left out.
    fn inherited(&self, id: &Spanned<String>) -> bool {
        id.origin.file != self.config.file
    }

    fn known(&self, id: &str) -> bool {
        self.catalogue.get(id).is_some()
            || self.config.custom_topics.iter().any(|c| c.id.value == id)
    }

    fn unknown(&mut self, id: &Spanned<String>, key: &str) {
        let all = self.catalogue.topics.iter().map(|t| t.id.as_str()).chain(
            self.config
                .custom_topics
                .iter()
                .map(|c| c.id.value.as_str()),
        );
        let d = Diagnostic::at(
            &id.origin,
            crate::msg!("plan.unknown-topic", id = id.value, key = key),
        )
        .with_code("unknown-topic");
        self.errors.push(match closest(all, &id.value) {
            Some(s) => d.with_hint(crate::msg!("hint.did-you-mean", name = s)),
            None => d.with_hint(crate::msg!("plan.unknown-topic.hint")),
        });
    }

    fn fail(&mut self, id: &Spanned<String>, code: &'static str, message: String, hint: String) {
        self.errors.push(
            Diagnostic::at(&id.origin, message)
                .with_hint(hint)
                .with_code(code),
        );
    }

    fn check_lists(&mut self) {
        let config = self.config;
        for id in &config.exclude_topics {
            match self.catalogue.get(&id.value) {
                // A unit may leave out an own topic it inherits.
                None if self.is_custom(&id.value) => {}
                None => self.unknown(id, "exclude_topics"),
                Some(t) if t.goals_table => self.fail(
                    id,
                    "goals-topic-excluded",
                    crate::msg!(
                        "plan.goals-topic-excluded",
                        id = id.value,
                        reason = crate::msg!("plan.goals-reason")
                    ),
                    crate::msg!("plan.goals-topic-excluded.hint", id = id.value),
                ),
                Some(t) if t.kind != TopicKind::Basic => self.fail(
                    id,
                    "not-basic",
                    crate::msg!("plan.not-basic", id = id.value),
                    crate::msg!("plan.not-basic.hint"),
                ),
                Some(_) => {}
            }
        }
        for id in &config.optional_topics {
            match self.catalogue.get(&id.value) {
                None if self.is_custom(&id.value) => self.fail(
                    id,
                    "not-optional",
                    crate::msg!("plan.own-not-optional", id = id.value),
                    crate::msg!("plan.own-not-optional.hint"),
                ),
                None => self.unknown(id, "optional_topics"),
                Some(t) if t.kind != TopicKind::Optional => self.fail(
                    id,
                    "not-optional",
                    crate::msg!("plan.basic-not-optional", id = id.value),
                    crate::msg!("plan.basic-not-optional.hint"),
                ),
                Some(_) => {}
            }
        }
        for custom in &config.custom_topics {
            if self.catalogue.get(&custom.id.value).is_some() {
                self.fail(
                    &custom.id,
                    "custom-id-clash",
                    crate::msg!("plan.custom-id-clash", id = custom.id.value),
                    crate::msg!("plan.custom-id-clash.hint"),
                );
            }
        }
    }

    /// The chosen topics in the default order, without the goals topic.
    fn default_order(&self) -> Vec<Topic> {
        let config = self.config;
        let mut chosen: Vec<Topic> = self
            .catalogue
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
                .filter_map(|id| self.catalogue.get(&id.value))
                .filter(|t| t.kind == TopicKind::Optional)
                .cloned(),
        );
        chosen.extend(
            config
                .custom_topics
                .iter()
                .filter(|c| self.catalogue.get(&c.id.value).is_none())
                .filter(|c| !config.exclude_topics.iter().any(|e| e.value == c.id.value))
                .map(|c| Topic {
                    id: c.id.value.clone(),
                    kind: TopicKind::Custom,
                    title: c.title.clone(),
                    intro: c.intro.clone(),
                    questions: c.questions.iter().map(|q| q.value.clone()).collect(),
                    more_questions: Vec::new(),
                    goals_table: false,
                }),
        );
        chosen
    }

    /// Applies `order`: named topics first, the rest in default order.
    fn apply_order(&mut self, mut chosen: Vec<Topic>) -> Vec<Topic> {
        let Some(order) = &self.config.order else {
            return chosen;
        };
        let goals = self.catalogue.goals_topic().id.clone();
        let mut ordered = Vec::with_capacity(chosen.len());
        for (i, id) in order.iter().enumerate() {
            if id.value == goals {
                if i + 1 != order.len() {
                    self.fail(
                        id,
                        "goals-topic-not-last",
                        crate::msg!(
                            "plan.goals-topic-not-last",
                            id = id.value,
                            reason = crate::msg!("plan.goals-reason")
                        ),
                        crate::msg!("plan.goals-topic-not-last.hint", id = id.value),
                    );
                }
                continue;
            }
            match chosen.iter().position(|t| t.id == id.value) {
                Some(pos) => ordered.push(chosen.remove(pos)),
                None if self.known(&id.value) && self.inherited(id) => {}
                None if self.known(&id.value) => self.fail(
                    id,
                    "not-chosen",
                    crate::msg!("plan.not-chosen", id = id.value),
                    crate::msg!("plan.not-chosen.hint"),
                ),
                None => self.unknown(id, "order"),
            }
        }
        ordered.append(&mut chosen);
        ordered
    }

    fn check_extra_questions(&mut self, chosen: &[Topic]) {
        for (id, _) in &self.config.extra_questions {
            if chosen.iter().any(|t| t.id == id.value)
                || (self.known(&id.value) && self.inherited(id))
            {
                continue;
            }
            if self.known(&id.value) {
                self.fail(
                    id,
                    "not-chosen",
                    crate::msg!("plan.extra-not-chosen", id = id.value),
                    crate::msg!("plan.extra-not-chosen.hint"),
                );
            } else {
                self.unknown(id, "extra_questions");
            }
        }
    }
}

impl Plan {
    /// Applies the ordering rule; every wrong id is reported at its line.
    pub fn new(catalogue: &Catalogue, config: &Config) -> Result<Plan> {
        let mut resolver = Resolver {
            catalogue,
            config,
            errors: Vec::new(),
        };
        resolver.check_lists();
        let chosen = resolver.default_order();
        let mut chosen = resolver.apply_order(chosen);
        chosen.push(catalogue.goals_topic().clone());
        resolver.check_extra_questions(&chosen);
        if !resolver.errors.is_empty() {
            return Err(resolver.errors.into());
        }

        let topics = chosen
            .into_iter()
            .enumerate()
            .map(|(i, topic)| {
                let mut questions = topic.questions;
                let mut more_questions = topic.more_questions;
                if config.questions == QuestionSet::All {
                    questions.append(&mut more_questions);
                }
                let mut origins: Vec<Origin> =
                    match config.custom_topics.iter().find(|c| c.id.value == topic.id) {
                        Some(custom) => custom.questions.iter().map(|q| q.origin.clone()).collect(),
                        None => vec![Origin::new(&catalogue.file, None); questions.len()],
                    };
                for (id, extra) in &config.extra_questions {
                    if id.value == topic.id {
                        questions.extend(extra.iter().map(|q| q.value.clone()));
                        origins.extend(extra.iter().map(|q| q.origin.clone()));
                    }
                }
                PlannedTopic {
                    question_origins: origins,
                    number: i + 1,
                    id: topic.id,
                    kind: topic.kind,
                    title: topic.title,
                    intro: topic.intro,
                    questions,
                    more_questions,
                    goals_table: topic.goals_table,
                }
            })
            .collect::<Vec<PlannedTopic>>();
        let left_out = catalogue
            .topics
            .iter()
            .filter(|t| t.kind == TopicKind::Basic)
            .filter(|t| config.exclude_topics.iter().any(|e| e.value == t.id))
            .map(|t| LeftOutTopic {
                id: t.id.clone(),
                title: t.title.clone(),
            })
            .collect();
        let other_optional = catalogue
            .topics
            .iter()
            .filter(|t| t.kind == TopicKind::Optional)
            .filter(|t| !topics.iter().any(|p| p.id == t.id))
            .map(|t| {
                let mut questions = t.questions.clone();
                let mut more_questions = t.more_questions.clone();
                if config.questions == QuestionSet::All {
                    questions.append(&mut more_questions);
                }
                PlannedTopic {
                    number: 0,
                    id: t.id.clone(),
                    kind: t.kind,
                    title: t.title.clone(),
                    intro: t.intro.clone(),
                    question_origins: vec![Origin::new(&catalogue.file, None); questions.len()],
                    questions,
                    more_questions,
                    goals_table: false,
                }
            })
            .collect();

        Ok(Plan {
            workplace: config.workplace.clone(),
            unit: config.unit.clone(),
            year: config.year.value,
            goal_rows: config.goal_rows.value,
            interview_minutes: config.interview_minutes.value,
            language: config.language,
            schedule: config.schedule.dates(),
            storage: config
                .storage
                .clone()
                .unwrap_or_else(|| config.language.labels().default_storage.to_string()),
            topics,
            left_out,
            other_optional,
        })
    }

    /// The topic ids in interview order, as `--json` reports them.
    pub fn topic_ids(&self) -> Vec<&str> {
        self.topics.iter().map(|t| t.id.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(yaml: &str) -> Result<Plan> {
        let catalogue = Catalogue::built_in()?;
        let config = Config::parse("mus.yaml", &format!("workplace: W\nyear: 2027\n{yaml}"))?;
        Plan::new(&catalogue, &config)
    }

    #[test]
    fn basic_topics_then_optional_then_own_and_the_goals_topic_last() {
        let plan = plan(
            "optional_topics: [innovation, mobilitet]\n\
             custom_topics:\n  - id: eget\n    title: Eget emne\n    questions: [Hvad?]\n",
        )
        .expect("plans");
        assert_eq!(
            plan.topic_ids(),
            [
                "siden-sidst",
                "opgaveloesning",
                "trivsel",
                "samarbejde",
                "innovation",
                "mobilitet",
                "eget",
                "udviklingsmaal"
            ]
        );
        let numbers: Vec<usize> = plan.topics.iter().map(|t| t.number).collect();
        assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
        assert!(plan.topics.last().is_some_and(|t| t.goals_table));
    }

    #[test]
    fn an_excluded_basic_topic_is_left_out_and_named() {
        let plan = plan("exclude_topics: [samarbejde]\n").expect("plans");
        assert!(!plan.topic_ids().contains(&"samarbejde"));
        let left_out: Vec<&str> = plan.left_out.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(left_out, ["samarbejde"]);
    }

    #[test]
    fn optional_topics_not_chosen_go_to_the_optional_topics_document() {
        let plan = plan("optional_topics: [mobilitet]\n").expect("plans");
        let others: Vec<&str> = plan.other_optional.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            others,
            [
                "talent-og-karriere",
                "balance-arbejde-familie",
                "innovation"
            ]
        );
    }

    #[test]
    fn extra_questions_come_after_the_topics_own() {
        let plan = plan("extra_questions:\n  trivsel: [Et ekstra spørgsmål?]\n").expect("plans");
        let trivsel = plan
            .topics
            .iter()
            .find(|t| t.id == "trivsel")
            .expect("trivsel");
        assert_eq!(
            trivsel.questions.last().map(String::as_str),
            Some("Et ekstra spørgsmål?")
        );
        assert!(trivsel.questions.len() > 1);
    }

    #[test]
    fn an_order_puts_the_chosen_topics_in_that_order() {
        let plan = plan(
            "optional_topics: [innovation]\n\
             order: [trivsel, innovation, siden-sidst, opgaveloesning, samarbejde]\n",
        )
        .expect("plans");
        assert_eq!(
            plan.topic_ids(),
            [
                "trivsel",
                "innovation",
                "siden-sidst",
                "opgaveloesning",
                "samarbejde",
                "udviklingsmaal"
            ]
        );
    }

    #[test]
    fn the_goals_topic_cannot_be_excluded_and_the_error_says_where_and_why() {
        let err = plan("exclude_topics: [udviklingsmaal]\n").expect_err("refused");
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.location.map(|l| l.line), Some(3));
        assert!(
            diagnostic.to_string().contains("written development goals"),
            "{diagnostic}"
        );
    }

    #[test]
    fn an_unknown_topic_suggests_the_closest_id() {
        let err = plan("optional_topics: [inovation]\n").expect_err("unknown");
        let diagnostic = err.diagnostics()[0].to_string();
        assert!(diagnostic.contains("`inovation`"), "{diagnostic}");
        assert!(
            diagnostic.contains("did you mean `innovation`?"),
            "{diagnostic}"
        );
    }
}
