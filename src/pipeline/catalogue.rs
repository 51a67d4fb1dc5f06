//! The topic catalogue (`concept/da/topics.yaml`): the five basic and four
//! optional topics of the flexible MUS concept. It is compiled in so `mus`
//! works from any folder; `--concept DIR` reads an edited copy instead.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result};
use crate::pipeline::yaml;

/// The catalogue file name inside a concept folder.
pub const CATALOGUE_FILE: &str = "topics.yaml";
const BUILT_IN: &str = include_str!("../../concept/da/topics.yaml");
const BUILT_IN_NAME: &str = "<built-in concept/da/topics.yaml>";
/// The English catalogue: the same ids and the same core questions.
const BUILT_IN_EN: &str = include_str!("../../concept/en/topics.yaml");
const BUILT_IN_EN_NAME: &str = "<built-in concept/en/topics.yaml>";

/// Whether a topic belongs to the basic concept, is an optional extra, or
/// is one of the workplace's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    Basic,
    Optional,
    Custom,
}

impl TopicKind {
    /// The word for the kind in `language` (the catalogue's), as shown by `mus topics`.
    pub fn word(self, language: crate::language::Language) -> String {
        match self {
            TopicKind::Basic => crate::messages::text_in(language, "topics.kind.basic", &[]),
            TopicKind::Optional => crate::messages::text_in(language, "topics.kind.optional", &[]),
            TopicKind::Custom => crate::messages::text_in(language, "topics.kind.custom", &[]),
        }
    }
}

/// One topic of the interview: a heading, an intro and open questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Stable id used in configs, e.g. `trivsel`.
    pub id: String,
    pub kind: TopicKind,
    pub title: String,
    pub intro: String,
    /// The core questions: each gets a note box in the form. A topic has
    /// 2–3, so the interview fits its time.
    pub questions: Vec<String>,
    /// Further questions, listed in the form for inspiration without a box
    /// (each gets a box with `questions: all`).
    #[serde(default)]
    pub more_questions: Vec<String>,
    /// True for the topic that ends the interview with the goals table.
    #[serde(default)]
    pub goals_table: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    topics: Vec<Topic>,
}

/// All topics in catalogue order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Where the catalogue was read from, for findings about its topics.
    pub file: Arc<str>,
    pub topics: Vec<Topic>,
}

impl Catalogue {
    /// The catalogue compiled into the binary.
    pub fn built_in() -> Result<Catalogue> {
        Catalogue::parse(BUILT_IN_NAME, BUILT_IN)
    }

    /// The catalogue compiled into the binary, in `language`.
    pub fn built_in_for(language: crate::language::Language) -> Result<Catalogue> {
        match language {
            crate::language::Language::Da => Catalogue::built_in(),
            crate::language::Language::En => Catalogue::parse(BUILT_IN_EN_NAME, BUILT_IN_EN),
        }
    }

    /// The language of a built-in catalogue; none for one read with `--concept`.
    pub fn built_in_language(&self) -> Option<crate::language::Language> {
        match &*self.file {
            BUILT_IN_NAME => Some(crate::language::Language::Da),
            BUILT_IN_EN_NAME => Some(crate::language::Language::En),
            _ => None,
        }
    }

    /// Reads `DIR/topics.yaml` from an edited concept folder.
    pub fn from_dir(dir: &Path) -> Result<Catalogue> {
        let path = dir.join(CATALOGUE_FILE);
        let text = crate::limits::read_bounded_text(&path, crate::limits::CONFIG_BYTES).map_err(
            |err| {
                Diagnostic::new(
                    path.display().to_string(),
                    None,
                    crate::msg!(
                        "catalogue.unreadable",
                        error = crate::messages::io_error(&err)
                    ),
                )
                .with_hint(crate::msg!(
                    "catalogue.unreadable.hint",
                    file = CATALOGUE_FILE
                ))
            },
        )?;
        Catalogue::parse(&path.display().to_string(), &text)
    }

    /// Parses and checks a catalogue text; `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Catalogue> {
        let (raw, map) = yaml::parse::<CatalogueFile>(file, text)?;
        let topics = raw
            .topics
            .into_iter()
            .map(|t| Topic {
                title: crate::text::one_line(&t.title),
                questions: t
                    .questions
                    .iter()
                    .map(|q| crate::text::one_line(q))
                    .collect(),
                more_questions: t
                    .more_questions
                    .iter()
                    .map(|q| crate::text::one_line(q))
                    .collect(),
                ..t
            })
            .collect();
        let catalogue = Catalogue {
            file: Arc::from(file),
            topics,
        };
        catalogue.check(file, &map)?;
        Ok(catalogue)
    }

    fn check(&self, file: &str, map: &yaml::SourceMap) -> Result<()> {
        let fail = |i: usize, field: &str, message: String| -> Error {
            Diagnostic::new(file, map.value(&format!("topics[{i}].{field}")), message).into()
        };
        for (i, topic) in self.topics.iter().enumerate() {
            if !is_topic_id(&topic.id) {
                return Err(fail(
                    i,
                    "id",
                    crate::msg!("catalogue.bad-id", id = topic.id),
                ));
            }
            if self.topics[..i].iter().any(|t| t.id == topic.id) {
                return Err(fail(
                    i,
                    "id",
                    crate::msg!("catalogue.duplicate-id", id = topic.id),
                ));
            }
            if topic.kind == TopicKind::Custom {
                return Err(fail(i, "kind", crate::msg!("catalogue.custom-kind")));
            }
            for (key, list) in [
                ("questions", &topic.questions),
                ("more_questions", &topic.more_questions),
            ] {
                if let Some(j) = list.iter().position(String::is_empty) {
                    return Err(fail(
                        i,
                        &format!("{key}[{j}]"),
                        crate::msg!("catalogue.empty-question", id = topic.id),
                    ));
                }
            }
            if topic.questions.is_empty() {
                return Err(fail(
                    i,
                    "id",
                    crate::msg!("catalogue.no-core-questions", id = topic.id),
                ));
            }
            if topic.title.trim().is_empty() {
                return Err(fail(
                    i,
                    "title",
                    crate::msg!("catalogue.empty-title", id = topic.id),
                ));
            }
            if topic.goals_table && topic.kind != TopicKind::Basic {
                return Err(fail(
                    i,
                    "goals_table",
                    crate::msg!("catalogue.goals-not-basic"),
                ));
            }
        }
        let goals = self.topics.iter().filter(|t| t.goals_table).count();
        if goals != 1 {
            return Err(Diagnostic::new(
                file,
                None,
                crate::msg!("catalogue.goals-count", count = goals),
            )
            .with_hint(crate::msg!("catalogue.goals-count.hint"))
            .into());
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// The topic that ends the interview with the goals table.
    pub fn goals_topic(&self) -> &Topic {
        // `check` guarantees exactly one.
        self.topics
            .iter()
            .find(|t| t.goals_table)
            .unwrap_or(&self.topics[self.topics.len() - 1])
    }
}

/// Topic ids are used in file names and YAML keys: keep them plain.
pub fn is_topic_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}
