//! A project: what every command loads before it makes anything — the
//! catalogue, the workplace's config, the templates, the plan they give, and
//! the date stamped into the documents. Like mdBook's `MDBook::load`, one call
//! loads and checks it all, so a command is a few lines.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use crate::error::{Diagnostic, Error, Result};
use crate::language::Language;
use crate::pipeline::catalogue::Catalogue;
use crate::pipeline::config::Config;
use crate::pipeline::plan::Plan;
use crate::pipeline::render::house_style::HouseStyle;
use crate::pipeline::render::{DocumentDate, Templates};
use crate::round::units::UnitConfig;

/// Where a project's parts come from, as a command line names them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The workplace config (YAML); `None` for the built-in default concept
    /// of the current year.
    pub config: Option<PathBuf>,
    /// A folder whose `topics.yaml` replaces the built-in catalogue.
    pub concept: Option<PathBuf>,
    /// A folder of edited templates; one missing there is the built-in one.
    pub templates: Option<PathBuf>,
    /// `SOURCE_DATE_EPOCH` as reproducible builds define it, if set: the
    /// documents' date (and the default config's year) then never come from
    /// the clock.
    pub source_date_epoch: Option<String>,
    /// A house file (`--reference-doc`), in place of the config's `reference_doc`.
    pub reference_doc: Option<PathBuf>,
}

/// Everything loaded and checked: ready to render.
pub struct Project {
    pub catalogue: Catalogue,
    pub config: Config,
    /// The templates, and the house style if the workplace has one.
    pub templates: Templates,
    pub plan: Plan,
    /// `SOURCE_DATE_EPOCH` when set, else 1 January of the plan's year.
    pub date: DocumentDate,
}

impl Project {
    /// Loads the catalogue, the config, the templates with the house file,
    /// and the plan. The first part that fails stops the load, in that order.
    pub fn load(sources: &Sources) -> Result<Project> {
        let source_date = source_date(sources.source_date_epoch.as_deref())?;
        let config = match &sources.config {
            Some(path) => Config::load(path)?,
            None => {
                // The clock sets only the year of the default concept.
                let now = source_date.map(|d| d.0).unwrap_or_else(chrono::Utc::now);
                Config::default_for_year(now.year())
            }
        };
        // The catalogue and templates come in the config's language.
        let catalogue = load_catalogue_for(sources.concept.as_deref(), config.language)?;
        let templates = match &sources.templates {
            Some(dir) => Templates::with_overrides_for(dir, config.language)?,
            None => Templates::built_in_for(config.language)?,
        };
        let house = HouseStyle::for_config(sources.reference_doc.as_deref(), &config)?;
        let templates = templates.with_house_style(house);
        let plan = Plan::new(&catalogue, &config)?;
        let date = source_date.unwrap_or_else(|| DocumentDate::for_year(plan.year));
        Ok(Project {
            catalogue,
            config,
            templates,
            plan,
            date,
        })
    }

    /// The files this project was read from (the config, every file it
    /// extends, the house file): an output must never replace one of them.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let house = self.templates.house_style().map(|h| PathBuf::from(&h.file));
        self.config
            .chain
            .iter()
            .map(|f| PathBuf::from(&**f))
            .chain(house)
            .collect()
    }

    /// This project as one of a round's configs.
    pub fn unit_config(&self) -> UnitConfig<'_> {
        UnitConfig {
            catalogue: &self.catalogue,
            config: &self.config,
            templates: &self.templates,
        }
    }
}

/// The projects of a round: one for each config `paths` names (files, or
/// folders searched for `*.yaml`/`*.yml` as `mus check` searches them), in
/// that order, or the default concept's when `paths` is empty.
pub fn load_round(sources: &Sources, paths: &[PathBuf]) -> Result<Vec<Project>> {
    if paths.is_empty() {
        return Ok(vec![Project::load(sources)?]);
    }
    // A file is read as given, so a wrong path gets the config's own message.
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let (found, problems) = crate::pipeline::check::config_files(std::slice::from_ref(path));
        if !problems.is_empty() {
            return Err(problems.into());
        }
        files.extend(found);
    }
    if files.len() > crate::limits::ROUND_CONFIGS {
        return Err(Diagnostic::new(
            paths[0].display().to_string(),
            None,
            crate::msg!(
                "units.too-many",
                count = files.len(),
                limit = crate::limits::ROUND_CONFIGS
            ),
        )
        .with_hint(crate::msg!("units.too-many.hint"))
        .with_code("units")
        .into());
    }
    files
        .into_iter()
        .map(|file| {
            Project::load(&Sources {
                config: Some(file),
                ..sources.clone()
            })
        })
        .collect()
}

/// The catalogue of `concept/topics.yaml`, or the built-in Danish one.
pub fn load_catalogue(concept: Option<&Path>) -> Result<Catalogue> {
    load_catalogue_for(concept, Language::Da)
}

/// The catalogue of `concept/topics.yaml`, or the built-in one in `language`.
pub fn load_catalogue_for(concept: Option<&Path>, language: Language) -> Result<Catalogue> {
    match concept {
        Some(dir) => Catalogue::from_dir(dir),
        None => Catalogue::built_in_for(language),
    }
}

/// `SOURCE_DATE_EPOCH`, if set. A value that is not a number of seconds is
/// an error, not silently today.
pub fn source_date(value: Option<&str>) -> Result<Option<DocumentDate>> {
    let Some(text) = value.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    DocumentDate::from_epoch(text).map(Some).ok_or_else(|| {
        Error::usage(
            Diagnostic::new(
                "SOURCE_DATE_EPOCH",
                None,
                crate::msg!("project.bad-source-date", value = text),
            )
            .with_hint(crate::msg!("project.bad-source-date.hint"))
            .with_code("bad-source-date"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_concept_takes_its_year_and_date_from_source_date_epoch() {
        // 2027-02-01T00:00:00Z
        let sources = Sources {
            source_date_epoch: Some("1801440000".into()),
            ..Sources::default()
        };
        let project = Project::load(&sources).expect("loads");
        assert_eq!(project.plan.year, 2027);
        assert_eq!(project.date.0.to_rfc3339(), "2027-02-01T00:00:00+00:00");
    }

    #[test]
    fn a_source_date_that_is_no_number_is_a_usage_error() {
        let sources = Sources {
            source_date_epoch: Some("i morgen".into()),
            ..Sources::default()
        };
        let Err(err) = Project::load(&sources) else {
            panic!("a bad SOURCE_DATE_EPOCH is refused");
        };
        assert_eq!(err.exit_code(), 2);
        assert!(err.diagnostics()[0].message.contains("`i morgen`"));
    }

    #[test]
    fn an_empty_source_date_counts_as_unset() {
        assert_eq!(source_date(Some("  ")).expect("ok"), None);
    }
}
