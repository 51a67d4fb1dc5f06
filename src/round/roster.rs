//! A roster: the CSV an HR system exports, one row per interview. Real files
//! come in UTF-8 with or without BOM, or Excel's Windows-1252, separated by
//! `,` or (Danish Excel) `;`. Every row is checked before anything is
//! written, and every bad row is reported with its line.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::error::{Diagnostic, Location, Origin, Result};
use crate::form::InfoValues;
use crate::pipeline::catalogue::{Catalogue, TopicKind};
use crate::pipeline::config::{Config, Spanned};
use crate::round::csv_file::{decode, guess_delimiter};

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

/// A read roster and what the reader noticed on the way.
#[derive(Debug, Clone)]
pub struct Roster {
    pub file: Arc<str>,
    pub rows: Vec<RosterRow>,
    /// Non-fatal notes: an encoding guessed, unknown columns ignored.
    pub warnings: Vec<String>,
}

/// The columns we read, with their Danish and English names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Manager,
    Unit,
    Date,
    OptionalTopics,
}

fn column(header: &str) -> Option<Column> {
    match header.trim().to_lowercase().as_str() {
        "navn" | "name" => Some(Column::Name),
        "leder" | "manager" => Some(Column::Manager),
        "enhed" | "unit" => Some(Column::Unit),
        "dato" | "date" => Some(Column::Date),
        "tilvalg" | "optional_topics" => Some(Column::OptionalTopics),
        _ => None,
    }
}

impl Roster {
    /// Reads a roster file; `Err` carries every bad row.
    pub fn load(path: &Path) -> Result<Roster> {
        let file: Arc<str> = Arc::from(path.display().to_string());
        let bytes =
            crate::limits::read_bounded(path, crate::limits::ROSTER_BYTES).map_err(|err| {
                Diagnostic::new(
                    file.to_string(),
                    None,
                    crate::msg!("roster.unreadable", error = err),
                )
                .with_hint(crate::msg!("roster.unreadable.hint"))
                .with_code("unreadable")
            })?;
        Roster::parse(file, &bytes)
    }

    /// Parses roster bytes; `file` names it in messages.
    pub fn parse(file: Arc<str>, bytes: &[u8]) -> Result<Roster> {
        let mut warnings = Vec::new();
        // Excel ends lines with CRLF; LF alone keeps the csv crate's line numbers right.
        let text = decode(bytes, &file, &mut warnings)
            .map_err(|line| {
                Diagnostic::new(
                    file.to_string(),
                    Some(Location { line, column: 1 }),
                    crate::msg!("roster.mixed-encoding"),
                )
                .with_hint(crate::msg!("roster.mixed-encoding.hint"))
                .with_code("roster-encoding")
            })?
            .replace("\r\n", "\n");
        let delimiter = guess_delimiter(&text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let at = |line: usize, column: usize| Origin::new(&file, Some(Location { line, column }));

        let headers = reader
            .headers()
            .map_err(|err| {
                Diagnostic::at(
                    &at(1, 1),
                    crate::msg!("roster.header-unreadable", error = err),
                )
            })?
            .clone();
        let columns: Vec<Option<Column>> = headers.iter().map(column).collect();
        let unknown: Vec<&str> = headers
            .iter()
            .zip(&columns)
            .filter(|(h, c)| c.is_none() && !h.is_empty())
            .map(|(h, _)| h)
            .collect();
        if !unknown.is_empty() {
            let names = unknown
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ");
            warnings.push(crate::msg!(
                "roster.unknown-columns",
                file = file,
                columns = names,
                count = unknown.len()
            ));
        }
        if !columns.contains(&Some(Column::Name)) {
            return Err(
                Diagnostic::at(&at(1, 1), crate::msg!("roster.no-name-column"))
                    .with_hint(crate::msg!("roster.no-name-column.hint"))
                    .with_code("roster-no-name")
                    .into(),
            );
        }
        for (i, c) in columns.iter().enumerate() {
            if c.is_some() && columns[..i].contains(c) {
                return Err(Diagnostic::at(
                    &at(1, i + 1),
                    crate::msg!("roster.column-twice", column = &headers[i]),
                )
                .with_hint(crate::msg!("roster.column-twice.hint"))
                .with_code("roster-columns")
                .into());
            }
        }
        let has_topics = columns.contains(&Some(Column::OptionalTopics));

        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(err) => {
                    let line = err.position().map_or(0, |p| p.line() as usize);
                    errors.push(
                        Diagnostic::at(&at(line, 1), format!("row cannot be read: {err}"))
                            .with_code("roster-row"),
                    );
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line() as usize);
            if record.iter().all(str::is_empty) {
                continue;
            }
            let mut row = RosterRow {
                line,
                name: String::new(),
                manager: String::new(),
                unit: String::new(),
                date: None,
                optional_topics: has_topics.then(Vec::new),
                previous_goals: Vec::new(),
            };
            for (i, (value, column)) in record.iter().zip(&columns).enumerate() {
                let origin = at(line, i + 1);
                if let Some(ch) = value.chars().find(|c| crate::text::is_xml_invalid(*c)) {
                    errors.push(
                        Diagnostic::at(
                            &origin,
                            crate::msg!(
                                "roster.control-character",
                                line = line,
                                code = format!("U+{:04X}", ch as u32)
                            ),
                        )
                        .with_code("roster-row"),
                    );
                    continue;
                }
                match column {
                    Some(Column::Name) => row.name = value.to_string(),
                    Some(Column::Manager) => row.manager = value.to_string(),
                    Some(Column::Unit) => row.unit = value.to_string(),
                    Some(Column::Date) if !value.is_empty() => {
                        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                            Ok(date) => row.date = Some(date),
                            Err(_) => errors.push(
                                Diagnostic::at(
                                    &origin,
                                    crate::msg!("roster.bad-date", line = line, value = value),
                                )
                                .with_hint(crate::msg!("roster.bad-date.hint"))
                                .with_code("roster-row"),
                            ),
                        }
                    }
                    Some(Column::OptionalTopics) => {
                        row.optional_topics = Some(
                            value
                                .split([';', ','])
                                .map(str::trim)
                                .filter(|id| !id.is_empty())
                                .map(|id| Spanned {
                                    value: id.to_string(),
                                    origin: origin.clone(),
                                })
                                .collect(),
                        );
                    }
                    _ => {}
                }
            }
            if record.len() > headers.len() {
                errors.push(
                    Diagnostic::at(
                        &at(line, headers.len() + 1),
                        crate::msg!("roster.too-many-fields", line = line),
                    )
                    .with_hint(crate::msg!("roster.too-many-fields.hint"))
                    .with_code("roster-row"),
                );
            }
            if row.name.is_empty() {
                errors.push(
                    Diagnostic::at(&at(line, 1), crate::msg!("roster.no-name", line = line))
                        .with_hint(crate::msg!("roster.no-name.hint"))
                        .with_code("roster-row"),
                );
            } else if row.name.contains(['\n', '\r']) {
                errors.push(
                    Diagnostic::at(
                        &at(line, 1),
                        crate::msg!("roster.multiline-name", line = line),
                    )
                    .with_hint(crate::msg!("roster.multiline-name.hint"))
                    .with_code("roster-row"),
                );
            }
            for (i, id) in row.optional_topics.iter().flatten().enumerate() {
                if row
                    .optional_topics
                    .iter()
                    .flatten()
                    .take(i)
                    .any(|other| other.value == id.value)
                {
                    errors.push(
                        Diagnostic::at(
                            &id.origin,
                            crate::msg!("roster.topic-twice", line = line, id = id.value),
                        )
                        .with_code("duplicate-id"),
                    );
                }
            }
            rows.push(row);
        }
        if rows.is_empty() && errors.is_empty() {
            errors.push(
                Diagnostic::at(&at(1, 1), crate::msg!("roster.no-rows"))
                    .with_hint(crate::msg!("roster.no-rows.hint"))
                    .with_code("roster-empty"),
            );
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(Roster {
            file,
            rows,
            warnings,
        })
    }
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
            unit: if self.unit.is_empty() {
                config.unit.clone().unwrap_or_default()
            } else {
                self.unit.clone()
            },
            date: self
                .date
                .map(|d| config.language.date(d))
                .unwrap_or_default(),
        }
    }
}

/// Last year's goals for each row, matched by employee name (and by unit
/// where a name occurs more than once), and a warning for each of last
/// year's forms with goals that no row matched.
pub fn match_previous(
    rows: &mut [RosterRow],
    previous: &[crate::round::collect::Form],
    default_unit: &str,
) -> Vec<String> {
    let key = |text: &str| text.trim().to_lowercase();
    let unit_of = |row: &RosterRow| {
        if row.unit.trim().is_empty() {
            key(default_unit)
        } else {
            key(&row.unit)
        }
    };
    // Indexes by name and by name and unit, so matching is linear in the
    // rows and forms, however many namesakes there are.
    let mut forms_by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let mut forms_by_name_unit: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, form) in previous.iter().enumerate() {
        let name = key(&form.employee);
        forms_by_name_unit
            .entry((name.clone(), key(&form.unit)))
            .or_default()
            .push(i);
        forms_by_name.entry(name).or_default().push(i);
    }
    let mut rows_by_name: HashMap<String, usize> = HashMap::new();
    let mut rows_by_name_unit: HashMap<(String, String), usize> = HashMap::new();
    for row in rows.iter() {
        *rows_by_name.entry(key(&row.name)).or_default() += 1;
        *rows_by_name_unit
            .entry((key(&row.name), unit_of(row)))
            .or_default() += 1;
    }
    let mut used = vec![false; previous.len()];
    let mut warnings = Vec::new();
    for row in rows.iter_mut() {
        let name = key(&row.name);
        let forms = forms_by_name.get(&name).map_or(&[][..], Vec::as_slice);
        let namesakes = rows_by_name.get(&name).copied().unwrap_or(0);
        // A person's goals are private: a name that occurs more than once, on
        // either side, must match on the unit too, and each form is used once.
        let chosen = if forms.len() == 1 && namesakes == 1 {
            Some(forms[0])
        } else {
            let name_unit = (name, unit_of(row));
            let same_unit = forms_by_name_unit
                .get(&name_unit)
                .map_or(&[][..], Vec::as_slice);
            let rows_in_unit = rows_by_name_unit.get(&name_unit).copied().unwrap_or(0);
            match (same_unit, rows_in_unit) {
                ([one], 1) => Some(*one),
                ([], _) => None,
                _ => {
                    warnings.push(crate::msg!("roster.namesakes", name = row.name));
                    None
                }
            }
        };
        if let Some(i) = chosen.filter(|&i| !used[i]) {
            used[i] = true;
            row.previous_goals = previous[i]
                .goals
                .iter()
                .map(|g| g.goal.clone())
                .filter(|g| !g.is_empty())
                .collect();
        }
    }
    warnings.sort();
    warnings.dedup();
    previous
        .iter()
        .zip(&used)
        .filter(|(form, used)| !**used && !form.goals.is_empty())
        .map(|(form, _)| {
            let unit = if form.unit.is_empty() {
                String::new()
            } else {
                format!(" ({})", form.unit)
            };
            format!(
                "last year's goals for `{}`{unit} match no one in the roster",
                form.employee
            )
        })
        .chain(warnings)
        .collect()
}

/// A file-name part for a person: ASCII, lowercase, `-` for spaces, never
/// empty and never a path. Danish letters become ae, oe, aa.
pub fn slug(name: &str) -> String {
    let danish: String = name
        .chars()
        .map(|c| match c {
            'æ' => "ae".to_string(),
            'Æ' => "Ae".to_string(),
            'ø' => "oe".to_string(),
            'Ø' => "Oe".to_string(),
            'å' => "aa".to_string(),
            'Å' => "Aa".to_string(),
            other => other.to_string(),
        })
        .collect();
    let ascii = deunicode::deunicode(&danish).to_lowercase();
    let mut slug = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    // Long enough to tell people apart, short enough for any file system.
    let mut slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "uden-navn".to_string()
    } else {
        slug
    }
}

/// Slugs for all names, made unique in roster order with `-2`, `-3` ….
pub fn unique_slugs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    // The last number tried for each base: a thousand namesakes cost a
    // thousand steps, not half a million.
    let mut last_tried: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for name in names {
        let base = slug(name);
        let n = last_tried.entry(base.clone()).or_insert(1);
        let mut candidate = if *n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while !taken.insert(candidate.clone()) {
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_harmless() {
        assert_eq!(slug("Søren Ærø Åberg"), "soeren-aeroe-aaberg");
        assert_eq!(
            slug("José  Müller-Lüdenscheidt"),
            "jose-muller-ludenscheidt"
        );
        assert_eq!(slug("../../etc/passwd"), "etcpasswd");
        assert_eq!(slug("///"), "uden-navn");
        assert_eq!(slug(&"a".repeat(300)).len(), 60);
    }

    #[test]
    fn duplicates_get_numbers_in_roster_order() {
        assert_eq!(
            unique_slugs(["Anna", "Anna", "anna", "Anna 2"]),
            ["anna", "anna-2", "anna-3", "anna-2-2"]
        );
    }

    #[test]
    fn semicolons_bom_and_quotes() {
        let bytes = "\u{FEFF}navn;leder;dato;tilvalg\n\"Hansen; Anna\";Bo;2027-02-01;innovation, mobilitet\n".as_bytes();
        let roster = Roster::parse(Arc::from("r.csv"), bytes).expect("parses");
        assert_eq!(roster.rows[0].name, "Hansen; Anna");
        let topics: Vec<_> = roster.rows[0]
            .optional_topics
            .iter()
            .flatten()
            .map(|t| t.value.as_str())
            .collect();
        assert_eq!(topics, ["innovation", "mobilitet"]);
    }

    #[test]
    fn windows_1252_is_decoded_with_a_warning() {
        let bytes = b"navn,enhed\nS\xf8ren \xc6bel\xf8,\xd8konomi\n";
        let roster = Roster::parse(Arc::from("r.csv"), bytes).expect("parses");
        assert_eq!(roster.rows[0].name, "Søren Æbelø");
        assert_eq!(roster.rows[0].unit, "Økonomi");
        assert!(roster.warnings[0].contains("Windows-1252"));
    }
}
