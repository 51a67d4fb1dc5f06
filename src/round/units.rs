//! A round's configs: the workplace's, and one for each unit that has its
//! own (`unit:`, usually `extends:` the workplace's). A person's form, their
//! follow-up form and their report figures follow the config of their unit:
//! a roster row goes to the config whose `unit` is its `enhed`, any other to
//! the one config without a `unit` of its own (the workplace's). A round
//! with one config sends everyone to it, as before units had configs.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::error::{Diagnostic, Location, Origin, Result};
use crate::pipeline::catalogue::Catalogue;
use crate::pipeline::config::Config;
use crate::pipeline::render::Templates;
use crate::round::roster::{RosterSource, RoundDates};

/// One config of the round, with the catalogue and templates loaded for it.
#[derive(Clone, Copy)]
pub struct UnitConfig<'a> {
    pub catalogue: &'a Catalogue,
    pub config: &'a Config,
    pub templates: &'a Templates,
}

/// The round's configs and which unit goes to which.
pub struct Units<'a> {
    configs: Vec<UnitConfig<'a>>,
    /// A unit's key ([`unit_key`]) → its config.
    by_unit: BTreeMap<String, usize>,
    /// The config without a unit of its own, if one was given.
    workplace: Option<usize>,
}

/// A unit as configs and rows are matched by: one line, in lower case, so
/// `Kontor for IT` in a config is `kontor for it ` in a roster.
pub fn unit_key(unit: &str) -> String {
    crate::text::one_line(unit).trim().to_lowercase()
}

impl<'a> Units<'a> {
    /// One config for everyone.
    pub fn one(config: UnitConfig<'a>) -> Units<'a> {
        Units {
            configs: vec![config],
            by_unit: BTreeMap::new(),
            workplace: Some(0),
        }
    }

    /// The configs of a round with units. They must be of one year, and no
    /// unit (and no workplace) may have two; `Err` names every clash. One
    /// config alone is [`Units::one`].
    pub fn new(configs: Vec<UnitConfig<'a>>) -> Result<Units<'a>> {
        if configs.len() == 1 {
            return Ok(Units::one(configs[0]));
        }
        let mut errors = Vec::new();
        let mut by_unit = BTreeMap::new();
        let mut workplace = None;
        let file = |c: &UnitConfig| c.config.chain.first().map_or("", |f| &**f).to_string();
        for (i, unit) in configs.iter().enumerate() {
            if unit.config.year.value != configs[0].config.year.value {
                errors.push(
                    Diagnostic::new(
                        file(unit),
                        None,
                        crate::msg!(
                            "units.other-year",
                            year = unit.config.year.value,
                            first = file(&configs[0]),
                            first_year = configs[0].config.year.value
                        ),
                    )
                    .with_hint(crate::msg!("units.other-year.hint"))
                    .with_code("units"),
                );
            }
            let earlier = match unit.config.unit.as_deref().map(unit_key) {
                Some(key) if !key.is_empty() => by_unit.insert(key, i),
                _ => workplace.replace(i),
            };
            if let Some(earlier) = earlier {
                let message = match &unit.config.unit {
                    Some(name) if !name.trim().is_empty() => {
                        crate::msg!(
                            "units.two-for-unit",
                            unit = name,
                            other = file(&configs[earlier])
                        )
                    }
                    _ => crate::msg!("units.two-workplaces", other = file(&configs[earlier])),
                };
                errors.push(
                    Diagnostic::new(file(unit), None, message)
                        .with_hint(crate::msg!("units.two.hint"))
                        .with_code("units"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(Units {
            configs,
            by_unit,
            workplace,
        })
    }

    /// The config that speaks for the round (its year, its folder name):
    /// the workplace's, else the first.
    pub fn main(&self) -> usize {
        self.workplace.unwrap_or(0)
    }

    /// Every config, in the order given.
    pub fn configs(&self) -> &[UnitConfig<'a>] {
        &self.configs
    }

    /// The config a person of `unit` follows (its index in [`Units::configs`]):
    /// their unit's, else the workplace's; `None` when neither is given.
    pub fn index_for(&self, unit: &str) -> Option<usize> {
        self.by_unit
            .get(&unit_key(unit))
            .copied()
            .or(self.workplace)
    }

    /// The error for row `line` of `file`, whose unit `unit` has no config
    /// ([`Units::index_for`] gave none): it names the units that have one.
    pub fn no_config_for_row(&self, file: &Arc<str>, line: usize, unit: &str) -> Diagnostic {
        Diagnostic::at(
            &Origin::new(file, Some(Location { line, column: 1 })),
            crate::msg!(
                "units.no-config",
                line = line,
                unit = unit,
                units = self.unit_list()
            ),
        )
        .with_hint(crate::msg!("units.no-config.hint"))
        .with_code("units")
    }

    /// As [`Units::no_config_for_row`], for a collected form (`followup`).
    pub fn no_config_for_form(&self, form_file: &str, unit: &str) -> Diagnostic {
        Diagnostic::new(
            form_file.to_string(),
            None,
            crate::msg!(
                "units.no-config-form",
                unit = unit,
                units = self.unit_list()
            ),
        )
        .with_hint(crate::msg!("units.no-config.hint"))
        .with_code("units")
    }

    /// The units with a config of their own, for messages: `` `IT`, `HR` ``.
    fn unit_list(&self) -> String {
        let units: Vec<String> = self
            .configs
            .iter()
            .filter_map(|c| c.config.unit.as_deref())
            .map(|u| format!("`{u}`"))
            .collect();
        units.join(", ")
    }

    /// The part added to the shared documents' file names of config `index`
    /// (`-kontor-for-it`), so each unit's guides stand beside the
    /// workplace's; empty for the workplace's, and in a round of one config.
    pub fn file_suffix(&self, index: usize) -> String {
        if self.configs.len() == 1 {
            return String::new();
        }
        match self.configs[index].config.unit.as_deref() {
            Some(unit) if !unit.trim().is_empty() => {
                format!("-{}", crate::round::roster::slug(unit))
            }
            _ => String::new(),
        }
    }

    /// The follow-up deadline of each unit with a config of its own, and
    /// the workplace's for everyone else (`report`).
    pub fn deadlines(&self) -> Deadlines {
        let deadline = |c: &UnitConfig| c.config.schedule.follow_up_by.as_ref().map(|s| s.value);
        Deadlines {
            default: self.workplace.and_then(|i| deadline(&self.configs[i])),
            by_unit: self
                .by_unit
                .iter()
                .map(|(key, i)| (key.clone(), deadline(&self.configs[*i])))
                .collect(),
        }
    }

    /// The interview period of the config `unit` follows, which a roster's
    /// dates are checked against.
    pub fn round_dates(&self, unit: &str) -> Option<RoundDates> {
        self.index_for(unit)
            .map(|i| RoundDates::of(self.configs[i].config))
    }
}

/// `schedule.follow_up_by` by unit: a unit's own config's, else the workplace's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deadlines {
    pub default: Option<NaiveDate>,
    /// A unit's key ([`unit_key`]) → its config's deadline.
    pub by_unit: BTreeMap<String, Option<NaiveDate>>,
}

/// No deadline for anyone.
pub static NO_DEADLINES: Deadlines = Deadlines {
    default: None,
    by_unit: BTreeMap::new(),
};

impl Deadlines {
    /// The one deadline of a round with one config.
    pub fn one(deadline: Option<NaiveDate>) -> Deadlines {
        Deadlines {
            default: deadline,
            by_unit: BTreeMap::new(),
        }
    }

    /// The deadline for people of `unit`.
    pub fn for_unit(&self, unit: &str) -> Option<NaiveDate> {
        match self.by_unit.get(&unit_key(unit)) {
            Some(deadline) => *deadline,
            None => self.default,
        }
    }

    /// The last deadline of all: only after it are the follow-up figures
    /// due for everyone.
    pub fn last(&self) -> Option<NaiveDate> {
        self.by_unit
            .values()
            .flatten()
            .copied()
            .chain(self.default)
            .max()
    }

    /// Whether any unit has a deadline.
    pub fn any(&self) -> bool {
        self.last().is_some()
    }
}

impl Units<'_> {
    /// The unit of a row that names none: the workplace config's (none,
    /// usually), or in a round of one config its `unit`.
    pub fn default_unit(&self) -> &str {
        self.workplace
            .and_then(|i| self.configs[i].config.unit.as_deref())
            .unwrap_or_default()
    }

    /// Opens a roster (a CSV, or the sheet `sheet` of a workbook) to be
    /// read row by row (`generate --roster`) and, with `previous` (last
    /// year's collected goals), matches each row with its goals. The
    /// warnings are non-fatal notes, each naming its file: among them every
    /// row whose date is outside the round of its unit's config.
    pub fn open_roster(
        &self,
        path: &Path,
        sheet: Option<&str>,
        previous: Option<&Path>,
    ) -> Result<(RosterSource, Vec<String>)> {
        let mut roster = RosterSource::load_sheet(path, sheet)?;
        let mut warnings = std::mem::take(&mut roster.warnings);
        warnings.extend(crate::round::roster::date_warnings(
            &roster.file,
            roster.rows().filter_map(|row| row.ok()),
            |row| self.round_dates(&row.unit),
        ));
        if let Some(previous) = previous {
            let forms = crate::round::collect::read_csv(previous)?;
            warnings.extend(
                roster
                    .match_previous(forms, self.default_unit())
                    .into_iter()
                    .map(|w| format!("{}: {w}", previous.display())),
            );
        }
        Ok((roster, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    fn config(name: &str, unit: Option<&str>, year: i32, follow_up_by: &str) -> Config {
        let unit = unit.map(|u| format!("unit: {u}\n")).unwrap_or_default();
        let text = format!(
            "workplace: Styrelsen\n{unit}year: {year}\nschedule:\n  follow_up_by: {follow_up_by}\n"
        );
        Config::parse(name, &text).expect("config")
    }

    fn units<'a>(
        configs: &'a [Config],
        catalogue: &'a Catalogue,
        templates: &'a Templates,
    ) -> Result<Units<'a>> {
        Units::new(
            configs
                .iter()
                .map(|config| UnitConfig {
                    catalogue,
                    config,
                    templates,
                })
                .collect(),
        )
    }

    #[test]
    fn a_row_goes_to_its_units_config_and_any_other_to_the_workplaces() {
        let catalogue = Catalogue::built_in_for(Language::Da).expect("catalogue");
        let templates = Templates::built_in_for(Language::Da).expect("templates");
        let configs = [
            config("it.yaml", Some("Kontor for IT"), 2027, "2027-10-15"),
            config("styrelsen.yaml", None, 2027, "2027-09-30"),
        ];
        let units = units(&configs, &catalogue, &templates).expect("units");
        assert_eq!(units.index_for("Kontor for IT"), Some(0));
        assert_eq!(
            units.index_for("  kontor   for it "),
            Some(0),
            "as a person writes it"
        );
        assert_eq!(units.index_for("HR"), Some(1));
        assert_eq!(units.index_for(""), Some(1));
        assert_eq!(units.main(), 1);
        assert_eq!(units.file_suffix(0), "-kontor-for-it");
        assert_eq!(units.file_suffix(1), "");
        let deadlines = units.deadlines();
        assert_eq!(
            deadlines
                .for_unit("Kontor for IT")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2027-10-15")
        );
        assert_eq!(
            deadlines.for_unit("HR").map(|d| d.to_string()).as_deref(),
            Some("2027-09-30")
        );
    }

    #[test]
    fn without_a_workplace_config_a_unit_with_none_of_its_own_is_an_error_naming_the_units() {
        let catalogue = Catalogue::built_in_for(Language::Da).expect("catalogue");
        let templates = Templates::built_in_for(Language::Da).expect("templates");
        let configs = [
            config("it.yaml", Some("IT"), 2027, "2027-10-15"),
            config("hr.yaml", Some("HR"), 2027, "2027-10-15"),
        ];
        let units = units(&configs, &catalogue, &templates).expect("units");
        assert_eq!(units.index_for("Økonomi"), None);
        let error = units.no_config_for_row(&Arc::from("roster.csv"), 7, "Økonomi");
        assert_eq!(error.location.map(|l| l.line), Some(7));
        assert!(error.message.contains("`Økonomi`"), "{}", error.message);
        assert!(error.message.contains("`IT`, `HR`"), "{}", error.message);
        assert_eq!(
            units.file_suffix(1),
            "-hr",
            "in a round of units every unit's guides are named"
        );
    }

    #[test]
    fn two_configs_for_one_unit_two_workplaces_or_two_years_are_refused() {
        let catalogue = Catalogue::built_in_for(Language::Da).expect("catalogue");
        let templates = Templates::built_in_for(Language::Da).expect("templates");
        for (configs, expected) in [
            (
                [
                    config("a.yaml", Some("IT"), 2027, "2027-10-15"),
                    config("b.yaml", Some("it"), 2027, "2027-10-15"),
                ],
                "`it`",
            ),
            (
                [
                    config("a.yaml", None, 2027, "2027-10-15"),
                    config("b.yaml", None, 2027, "2027-10-15"),
                ],
                "a.yaml",
            ),
            (
                [
                    config("a.yaml", None, 2027, "2027-10-15"),
                    config("b.yaml", Some("IT"), 2028, "2028-10-15"),
                ],
                "2028",
            ),
        ] {
            let Err(err) = units(&configs, &catalogue, &templates) else {
                panic!("refused: {expected}");
            };
            assert_eq!(err.exit_code(), 1);
            assert_eq!(err.diagnostics()[0].file, "b.yaml");
            assert!(err.to_string().contains(expected), "{err}");
        }
    }

    #[test]
    fn one_config_takes_everyone_whatever_their_unit() {
        let catalogue = Catalogue::built_in_for(Language::Da).expect("catalogue");
        let templates = Templates::built_in_for(Language::Da).expect("templates");
        let configs = [config("it.yaml", Some("IT"), 2027, "2027-10-15")];
        let units = units(&configs, &catalogue, &templates).expect("units");
        assert_eq!(units.index_for("HR"), Some(0));
        assert_eq!(units.file_suffix(0), "", "its guides keep their names");
        assert_eq!(units.default_unit(), "IT");
    }
}
