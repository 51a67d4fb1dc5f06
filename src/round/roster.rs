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
        RosterSource::load(path)?.collect()
    }

    /// Parses roster bytes; `file` names it in messages.
    pub fn parse(file: Arc<str>, bytes: &[u8]) -> Result<Roster> {
        RosterSource::parse(file, bytes)?.collect()
    }
}

/// A roster file read and its header checked, its rows not yet: they are
/// read as they are needed, so a run over 100,000 rows holds the text once
/// and a row at a time, not 100,000 rows (see [`RosterSource::rows`]).
#[derive(Debug, Clone)]
pub struct RosterSource {
    pub file: Arc<str>,
    /// The decoded text, with `\n` line ends.
    text: String,
    delimiter: u8,
    columns: Vec<Option<Column>>,
    /// The header row, for messages.
    headers: Vec<String>,
    /// Non-fatal notes: an encoding guessed, unknown columns ignored.
    pub warnings: Vec<String>,
    /// Last year's forms, and for each row the one it takes (`--previous`).
    previous: Option<(Vec<crate::round::collect::Form>, Vec<Option<u32>>)>,
}

impl RosterSource {
    /// Reads a roster file and checks its header.
    pub fn load(path: &Path) -> Result<RosterSource> {
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
        RosterSource::parse(file, &bytes)
    }

    /// Decodes roster bytes and checks the header; `file` names it in messages.
    pub fn parse(file: Arc<str>, bytes: &[u8]) -> Result<RosterSource> {
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
        let at = |line: usize, column: usize| Origin::new(&file, Some(Location { line, column }));
        let headers: Vec<String> = csv_reader(&text, delimiter)
            .headers()
            .map_err(|err| {
                Diagnostic::at(
                    &at(1, 1),
                    crate::msg!("roster.header-unreadable", error = err),
                )
            })?
            .iter()
            .map(str::to_string)
            .collect();
        let columns: Vec<Option<Column>> = headers.iter().map(|h| column(h)).collect();
        let unknown: Vec<&str> = headers
            .iter()
            .zip(&columns)
            .filter(|(h, c)| c.is_none() && !h.is_empty())
            .map(|(h, _)| h.as_str())
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
        Ok(RosterSource {
            file,
            text,
            delimiter,
            columns,
            headers,
            warnings,
            previous: None,
        })
    }

    /// Matches each row with last year's form (see [`choose_previous`]);
    /// returns the warnings. Rows with errors are passed over: they stop the
    /// run anyway. This holds every name once, so it costs memory a row.
    pub fn match_previous(
        &mut self,
        previous: Vec<crate::round::collect::Form>,
        default_unit: &str,
    ) -> Vec<String> {
        let rows: Vec<RosterRow> = self.rows().filter_map(|r| r.ok()).collect();
        let (chosen, warnings) = choose_previous(|| rows.iter(), &previous, default_unit);
        self.previous = Some((previous, chosen));
        warnings
    }

    /// Whether the `index`-th row (as for [`RosterSource::previous_goals`])
    /// has last year's goals.
    pub fn has_previous_goals(&self, index: usize) -> bool {
        match &self.previous {
            Some((forms, chosen)) => chosen
                .get(index)
                .copied()
                .flatten()
                .is_some_and(|i| forms[i as usize].goals.iter().any(|g| !g.goal.is_empty())),
            None => false,
        }
    }

    /// Last year's goals for the `index`-th row (counting rows without
    /// errors, in order), when `--previous` matched it.
    pub fn previous_goals(&self, index: usize) -> Vec<String> {
        match &self.previous {
            Some((forms, chosen)) => chosen
                .get(index)
                .copied()
                .flatten()
                .map(|i| goals_of(&forms[i as usize]))
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// The rows in file order, each read and checked as it comes: a row, or
    /// every error in it. Blank rows are passed over.
    pub fn rows(
        &self,
    ) -> impl Iterator<Item = std::result::Result<RosterRow, Vec<Diagnostic>>> + '_ {
        let mut reader = csv_reader(&self.text, self.delimiter);
        // The header was read when the source was made.
        let _ = reader.headers();
        reader
            .into_records()
            .filter_map(move |record| self.row(record))
    }

    /// Every row, or every error of every row; a roster without rows is an error.
    pub fn collect(self) -> Result<Roster> {
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for row in self.rows() {
            match row {
                Ok(row) => rows.push(row),
                Err(row_errors) => errors.extend(row_errors),
            }
        }
        if rows.is_empty() && errors.is_empty() {
            errors.push(self.no_rows());
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(Roster {
            file: self.file,
            rows,
            warnings: self.warnings,
        })
    }

    /// The error for a roster with a header and no rows.
    pub fn no_rows(&self) -> Diagnostic {
        Diagnostic::at(
            &Origin::new(&self.file, Some(Location { line: 1, column: 1 })),
            crate::msg!("roster.no-rows"),
        )
        .with_hint(crate::msg!("roster.no-rows.hint"))
        .with_code("roster-empty")
    }

    /// One record as a row, `None` for a blank one.
    fn row(
        &self,
        record: std::result::Result<csv::StringRecord, csv::Error>,
    ) -> Option<std::result::Result<RosterRow, Vec<Diagnostic>>> {
        let file = &self.file;
        let at = |line: usize, column: usize| Origin::new(file, Some(Location { line, column }));
        let columns = &self.columns;
        let mut errors = Vec::new();
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line() as usize);
                errors.push(
                    Diagnostic::at(&at(line, 1), format!("row cannot be read: {err}"))
                        .with_code("roster-row"),
                );
                return Some(Err(errors));
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            return None;
        }
        let has_topics = columns.contains(&Some(Column::OptionalTopics));
        let mut row = RosterRow {
            line,
            name: String::new(),
            manager: String::new(),
            unit: String::new(),
            date: None,
            optional_topics: has_topics.then(Vec::new),
            previous_goals: Vec::new(),
        };
        for (i, (value, column)) in record.iter().zip(columns).enumerate() {
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
        if record.len() > self.headers.len() {
            errors.push(
                Diagnostic::at(
                    &at(line, self.headers.len() + 1),
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
        if errors.is_empty() {
            Some(Ok(row))
        } else {
            Some(Err(errors))
        }
    }
}

/// A CSV reader over roster text, as every pass reads it.
fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
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

/// The goals of last year's form that a row takes.
fn goals_of(form: &crate::round::collect::Form) -> Vec<String> {
    form.goals
        .iter()
        .map(|g| g.goal.clone())
        .filter(|g| !g.is_empty())
        .collect()
}

/// Last year's goals for each row, matched by employee name (and by unit
/// where a name occurs more than once): for each row (in order; `rows` is
/// walked twice), the index of last year's form it takes, if any; and the
/// warnings: namesakes that cannot be
/// told apart, and forms with goals that no row took.
fn choose_previous<'r, I: Iterator<Item = &'r RosterRow>>(
    rows: impl Fn() -> I,
    previous: &[crate::round::collect::Form],
    default_unit: &str,
) -> (Vec<Option<u32>>, Vec<String>) {
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
    for row in rows() {
        *rows_by_name.entry(key(&row.name)).or_default() += 1;
        *rows_by_name_unit
            .entry((key(&row.name), unit_of(row)))
            .or_default() += 1;
    }
    let mut used = vec![false; previous.len()];
    let mut warnings = Vec::new();
    let mut chosen_for_rows = Vec::new();
    for row in rows() {
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
        let chosen = chosen.filter(|&i| !used[i]);
        if let Some(i) = chosen {
            used[i] = true;
        }
        chosen_for_rows.push(chosen.map(|i| i as u32));
    }
    warnings.sort();
    warnings.dedup();
    let unmatched = previous
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
        });
    (chosen_for_rows, unmatched.chain(warnings).collect())
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
    let mut slugs = UniqueSlugs::default();
    names.into_iter().map(|name| slugs.next(name)).collect()
}

/// Hands out slugs unique in the order asked: `anna`, `anna-2`, `anna-3`.
/// It keeps a 128-bit hash of each slug handed out rather than the slug,
/// and a counter only for the bases that came more than once, so a roster
/// of 100,000 people costs a few megabytes, and the same names always get
/// the same slugs.
#[derive(Debug, Default)]
pub struct UniqueSlugs {
    taken: std::collections::HashSet<u128>,
    /// The last number tried for each base used more than once: a thousand
    /// namesakes cost a thousand steps, not half a million.
    last_tried: HashMap<String, usize>,
}

impl UniqueSlugs {
    /// The slug for the next name.
    pub fn next(&mut self, name: &str) -> String {
        let base = slug(name);
        let mut n = self.last_tried.get(&base).copied().unwrap_or(1);
        let mut candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while !self.taken.insert(slug_key(&candidate)) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        if n > 1 {
            self.last_tried.insert(base, n);
        }
        candidate
    }
}

/// A slug's 128-bit key: two different slugs share one with a chance of
/// 2^-128, so the set of keys stands in for the set of slugs.
fn slug_key(slug: &str) -> u128 {
    let hash = blake3::hash(slug.as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&hash.as_bytes()[..16]);
    u128::from_le_bytes(key)
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
    fn unique_slugs_keep_no_counter_for_a_name_met_once() {
        let mut slugs = UniqueSlugs::default();
        let names: Vec<String> = ["Bo", "Anna", "Anna", "Carl"]
            .iter()
            .map(|n| slugs.next(n))
            .collect();
        assert_eq!(names, ["bo", "anna", "anna-2", "carl"]);
        assert_eq!(slugs.last_tried.len(), 1, "only `anna` came twice");
    }

    #[test]
    fn a_source_gives_the_rows_a_roster_holds_and_every_error_of_a_row() {
        let bytes = "navn;dato\nAnna;2027-02-01\n\n;2027-13-01\nBo;\n".as_bytes();
        let source = RosterSource::parse(Arc::from("r.csv"), bytes).expect("header");
        let rows: Vec<_> = source.rows().collect();
        assert_eq!(rows.len(), 3, "the blank line is passed over");
        assert_eq!(rows[0].as_ref().map(|r| r.name.as_str()), Ok("Anna"));
        let errors = rows[1].as_ref().expect_err("no name, bad date");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(rows[2].as_ref().map(|r| r.line), Ok(5));
        // The same rows, held, from Roster.
        let err = Roster::parse(Arc::from("r.csv"), bytes).expect_err("a bad row");
        assert_eq!(err.diagnostics().len(), 2);
    }

    #[test]
    fn last_year_s_goals_go_to_the_one_person_they_belong_to() {
        use crate::round::collect::{Form, Goal};
        let form = |name: &str, unit: &str, goal: &str| Form {
            kind: crate::form::FormKind::Samtale,
            file: format!("{name}.docx"),
            employee: name.into(),
            manager: String::new(),
            unit: unit.into(),
            date: String::new(),
            goals: vec![Goal {
                goal: goal.into(),
                ..Goal::default()
            }],
        };
        let bytes = "navn;enhed\nAnna;IT\nBo;IT\nBo;HR\nCarl;IT\n".as_bytes();
        let mut source = RosterSource::parse(Arc::from("r.csv"), bytes).expect("header");
        let warnings = source.match_previous(
            vec![
                form("anna", "IT", "Python"),
                form("Bo", "HR", "Ledelse"),
                form("Dorte", "IT", "Excel"),
            ],
            "",
        );
        assert_eq!(source.previous_goals(0), ["Python"]);
        // Two Bo's: only the one in the same unit gets the goals.
        assert!(source.previous_goals(1).is_empty());
        assert_eq!(source.previous_goals(2), ["Ledelse"]);
        assert!(source.previous_goals(3).is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("Dorte"));
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
