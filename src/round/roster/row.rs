//! One roster row: a person's interview, and the config and info block it gives.

use chrono::NaiveDate;

use crate::form::InfoValues;
use crate::pipeline::catalogue::{Catalogue, TopicKind};
use crate::pipeline::config::{Config, Spanned};

/// One person's interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The line in the file where the row starts (the header is line 1).
    pub line: usize,
    pub name: String,
    pub manager: String,
    pub unit: String,
    pub date: Option<NaiveDate>,
    /// When the roster has a `tilvalg` column: this person's optional topics,
    /// replacing the config's (the ordering rule still holds).
    pub optional_topics: Option<Vec<Spanned<String>>>,
    /// Last year's agreed goals, when `--previous` matched this person.
    pub previous_goals: Vec<String>,
}

impl RosterRow {
    /// The config for this person: their optional topics, when the roster
    /// names them, replace the config's; `order` and `extra_questions` then
    /// skip the optional topics this person did not choose.
    pub fn config(&self, config: &Config, catalogue: &Catalogue) -> Config {
        let Some(topics) = &self.optional_topics else {
            return config.clone();
        };
        let unchosen = |id: &str| {
            catalogue
                .get(id)
                .is_some_and(|t| t.kind == TopicKind::Optional)
                && !topics.iter().any(|t| t.value == id)
        };
        let mut config = config.clone();
        config.optional_topics = topics.clone();
        if let Some(order) = &mut config.order {
            order.retain(|id| !unchosen(&id.value));
        }
        config
            .extra_questions
            .retain(|(id, _)| !unchosen(&id.value));
        config
    }

    /// What this person's form shows in its info block.
    pub fn info(&self, config: &Config) -> InfoValues {
        InfoValues {
            employee: self.name.clone(),
            manager: self.manager.clone(),
            unit: crate::form::unit_or(&self.unit, config.unit.as_deref()).to_string(),
            date: self
                .date
                .map(|d| config.language.date(d))
                .unwrap_or_default(),
            id: String::new(),
        }
    }
}
