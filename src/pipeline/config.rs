//! A workplace's YAML config. Each file is read as a [`RawConfig`] (what
//! serde sees, every field optional); a file may `extends` another, and the
//! chain is merged and checked into a [`Config`] whose values remember the
//! file and line they came from, so later stages point at the right place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;

use crate::language::Language;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Location, Origin, Result};
use crate::pipeline::catalogue::is_topic_id;
use crate::pipeline::yaml::{self, SourceMap};
use crate::text::one_line;

/// Empty rows in the goals table when the config does not say.
pub const DEFAULT_GOAL_ROWS: u32 = 4;
/// Length of the interview when the config does not say, in minutes.
pub const DEFAULT_INTERVIEW_MINUTES: u32 = 90;
/// Workplace name of the built-in default config.
pub const DEFAULT_WORKPLACE: &str = "Arbejdspladsen";

/// One config file exactly as written. Every field is optional in a file,
/// because a unit's file may inherit it through `extends`; after merging,
/// `workplace` and `year` are required.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "MUS-konfiguration",
    description = "Arbejdspladsens MUS-koncept for et år, som mus laver om til Word-dokumenter. Nøglerne er på engelsk, indholdet på dansk."
)]
pub struct RawConfig {
    /// A config this file builds on, relative to this file.
    #[schemars(
        description = "Sti til den fælles konfiguration, som denne fil bygger videre på, relativt til denne fil. Filen arver alt og overskriver det, den selv angiver."
    )]
    pub extends: Option<String>,
    /// Name of the workplace, shown in every header.
    #[schemars(
        description = "Arbejdspladsens navn; står i sidehovedet på alle dokumenter. Skal angives her eller i den fil, der arves fra."
    )]
    pub workplace: Option<String>,
    /// Department, unit or employee group this config is for.
    #[schemars(
        description = "Afdeling, enhed eller medarbejdergruppe, som konfigurationen gælder for."
    )]
    pub unit: Option<String>,
    /// The year of the MUS round.
    #[schemars(
        description = "Året for MUS-runden, fx 2027.",
        range(min = 2000, max = 2100)
    )]
    pub year: Option<i32>,
    /// Chosen optional topics, in this order.
    #[schemars(
        description = "Valgte tilvalgsemner i den rækkefølge, de skal tages. De kommer efter basisemne 1-4 og før udviklingsmål.",
        schema_with = "crate::pipeline::config::json_schema::optional_topic_ids"
    )]
    #[serde(default)]
    pub optional_topics: Option<Vec<String>>,
    /// Basic topics 1–4 left out this year.
    #[schemars(
        description = "Basisemner (1-4), der springes over i år. Udviklingsmål kan ikke udelades.",
        schema_with = "crate::pipeline::config::json_schema::excludable_topic_ids"
    )]
    #[serde(default)]
    pub exclude_topics: Option<Vec<String>>,
    /// The workplace's own topics.
    #[schemars(
        description = "Arbejdspladsens egne emner. De kommer efter tilvalgsemnerne og før udviklingsmål."
    )]
    pub custom_topics: Option<Vec<RawCustomTopic>>,
    /// Questions added after a topic's own, by topic id.
    #[schemars(
        description = "Ekstra spørgsmål til et valgt emne, efter emnets egne spørgsmål. Nøglen er emnets id.",
        schema_with = "crate::pipeline::config::json_schema::extra_questions"
    )]
    #[serde(default)]
    pub extra_questions: Option<BTreeMap<String, Vec<String>>>,
    /// A custom order of topic ids; the goals topic always ends the interview.
    #[schemars(
        description = "Egen rækkefølge af de valgte emner (id'er). Emner, der ikke står her, følger i den normale rækkefølge. Udviklingsmål er altid sidst.",
        schema_with = "crate::pipeline::config::json_schema::topic_id_list"
    )]
    #[serde(default)]
    pub order: Option<Vec<String>>,
    /// Empty rows in the goals table.
    #[schemars(
        description = "Antal tomme rækker i skemaet til udviklingsmål (standard 4).",
        range(min = 1, max = 50)
    )]
    pub goal_rows: Option<u32>,
    /// Dates of the round, shown in the guides.
    #[schemars(description = "Datoer for årets MUS-runde; de vises i vejledningerne.")]
    pub schedule: Option<ScheduleDates>,
    /// How long an interview is; the guides say it and `check` measures the form against it.
    #[schemars(
        description = "Samtalens længde i minutter (standard 90). Står i vejledningerne, og mus check måler samtaleskemaet mod den.",
        range(min = 30, max = 240)
    )]
    pub interview_minutes: Option<u32>,
    /// Which catalogue questions get a note box.
    #[schemars(
        description = "core (standard): kun katalogets kernespørgsmål får et felt til noter, de andre står under Flere spørgsmål til inspiration. all: alle spørgsmål får et felt. Ekstra spørgsmål og egne emner får altid et felt."
    )]
    pub questions: Option<QuestionSet>,
    /// The language of the documents; a unit may set its own.
    #[schemars(
        description = "Dokumenternes sprog: da (standard) eller en (britisk engelsk til medarbejdere, der ikke læser dansk). Emner, vejledninger, skemaets overskrifter og datoer følger sproget; MUS og SU beholder deres danske navne. En enhed kan vælge sit eget sprog, selv om den bygger videre på en dansk fil."
    )]
    pub language: Option<Language>,
    /// The workplace's own Word file, whose styles, page and header logo the documents take.
    #[schemars(
        description = "Arbejdspladsens egen Word-fil (.docx) med husstil: typografier (skrifttyper, farver, afstande), sidestørrelse, margener og logoet i sidehovedet overføres til alle dokumenter. Stien er i forhold til denne fil. En tom streng slår en arvet husstil fra. mus init --reference-doc husstil.docx laver en fil at begynde med."
    )]
    pub reference_doc: Option<String>,
    /// Who keeps each document and for how long: one sentence, printed the
    /// same in the form, the development plan and every guide.
    #[schemars(
        description = "Én sætning om, hvem der gemmer hvad og hvor længe (udviklingsplanen, opfølgningsskemaet, samtaleskemaet med noterne). Den står ens i skemaerne og alle vejledninger. Uden den bruges mus' standardsætning.",
        length(max = 600)
    )]
    pub storage: Option<String>,
    /// Warnings of `mus check` the workplace has considered and accepts.
    #[schemars(
        description = "Advarsler fra mus check, som SU har drøftet og accepterer, fx basic-topic-excluded, når et basisemne med vilje er udeladt i år.",
        schema_with = "crate::pipeline::config::json_schema::warning_codes"
    )]
    #[serde(default)]
    pub allow_warnings: Option<Vec<String>>,
}

/// Which catalogue questions the form gives a note box.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionSet {
    /// The 2–3 core questions of each topic; the others are listed for inspiration.
    #[default]
    Core,
    /// Every question.
    All,
}

/// A topic of the workplace's own, as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "Et emne, arbejdspladsen selv har formuleret.")]
pub struct RawCustomTopic {
    #[schemars(
        description = "Kort, fast id med små bogstaver, tal og bindestreg, fx digital-omstilling. Må ikke være et af katalogets id'er.",
        regex(pattern = r"^[a-z0-9][a-z0-9-]*$")
    )]
    pub id: String,
    #[schemars(description = "Emnets overskrift i samtaleskemaet.")]
    pub title: String,
    #[serde(default)]
    #[schemars(description = "Kort indledning til emnet.")]
    pub intro: String,
    #[schemars(
        description = "Åbne spørgsmål til samtalen (mindst ét).",
        length(min = 1)
    )]
    pub questions: Vec<String>,
}

/// The round's dates, plain: as a config writes them (each optional),
/// and as the plan gives them to the documents. [`Schedule`] keeps where
/// each was set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDates {
    #[schemars(description = "Første dag for samtalerne (ÅÅÅÅ-MM-DD).")]
    pub interviews_from: Option<NaiveDate>,
    #[schemars(description = "Sidste dag for samtalerne (ÅÅÅÅ-MM-DD).")]
    pub interviews_to: Option<NaiveDate>,
    #[schemars(description = "Seneste dato for opfølgning på udviklingsmålene (ÅÅÅÅ-MM-DD).")]
    pub follow_up_by: Option<NaiveDate>,
    #[schemars(
        description = "Dato for samarbejdsudvalgets evaluering af MUS-runden (ÅÅÅÅ-MM-DD)."
    )]
    pub su_evaluation: Option<NaiveDate>,
}

/// A value together with the file and place it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub origin: Origin,
}

/// A topic of the workplace's own, checked.
#[derive(Debug, Clone)]
pub struct CustomTopic {
    pub id: Spanned<String>,
    pub title: String,
    pub intro: String,
    pub questions: Vec<Spanned<String>>,
}

/// The round's dates, each with where it was set.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub interviews_from: Option<Spanned<NaiveDate>>,
    pub interviews_to: Option<Spanned<NaiveDate>>,
    pub follow_up_by: Option<Spanned<NaiveDate>>,
    pub su_evaluation: Option<Spanned<NaiveDate>>,
}

impl Schedule {
    /// The plain dates, for the documents.
    pub fn dates(&self) -> ScheduleDates {
        ScheduleDates {
            interviews_from: self.interviews_from.as_ref().map(|s| s.value),
            interviews_to: self.interviews_to.as_ref().map(|s| s.value),
            follow_up_by: self.follow_up_by.as_ref().map(|s| s.value),
            su_evaluation: self.su_evaluation.as_ref().map(|s| s.value),
        }
    }
}

/// A checked config: the `extends` chain merged, every field present, ids
/// well-formed, and the origin of each value kept.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this config was loaded from, as named in messages.
    pub file: Arc<str>,
    /// The files of the `extends` chain, this file first.
    pub chain: Vec<Arc<str>>,
    pub workplace: String,
    pub unit: Option<String>,
    pub year: Spanned<i32>,
    pub optional_topics: Vec<Spanned<String>>,
    pub exclude_topics: Vec<Spanned<String>>,
    pub custom_topics: Vec<CustomTopic>,
    pub extra_questions: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
    pub order: Option<Vec<Spanned<String>>>,
    pub goal_rows: Spanned<u32>,
    pub interview_minutes: Spanned<u32>,
    pub questions: QuestionSet,
    /// The language of the documents.
    pub language: Language,
    /// The house file, relative to the current folder, and where it was
    /// set. Render reads it, beside the templates
    /// ([`crate::pipeline::render::house_style::HouseStyle::for_config`]).
    pub reference_doc: Option<Spanned<PathBuf>>,
    /// Codes of the warnings `check` leaves out.
    pub allow_warnings: Vec<Spanned<String>>,
    /// Who keeps what and for how long; `None`: the built-in sentence.
    pub storage: Option<String>,
    pub schedule: Schedule,
    /// Where the `schedule` key stands, or the file's start: for findings about the schedule as a whole.
    pub schedule_origin: Origin,
}

impl Config {
    /// The built-in default: the five basic topics for "Arbejdspladsen".
    pub fn default_for_year(year: i32) -> Config {
        let file: Arc<str> = Arc::from("<built-in default config>");
        let origin = Origin::new(&file, None);
        Config {
            chain: vec![Arc::clone(&file)],
            file,
            workplace: DEFAULT_WORKPLACE.into(),
            unit: None,
            year: Spanned {
                value: year,
                origin: origin.clone(),
            },
            optional_topics: Vec::new(),
            exclude_topics: Vec::new(),
            custom_topics: Vec::new(),
            extra_questions: Vec::new(),
            order: None,
            goal_rows: Spanned {
                value: DEFAULT_GOAL_ROWS,
                origin: origin.clone(),
            },
            interview_minutes: Spanned {
                value: DEFAULT_INTERVIEW_MINUTES,
                origin: origin.clone(),
            },
            questions: QuestionSet::default(),
            language: Language::default(),
            reference_doc: None,
            storage: None,
            allow_warnings: Vec::new(),
            schedule: Schedule::default(),
            schedule_origin: origin,
        }
    }

    /// Reads a config file and the files it extends, merges and checks them.
    pub fn load(path: &Path) -> Result<Config> {
        let layers = load_chain(path)?;
        merge(layers)
    }

    /// Parses and checks config text that extends nothing; `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Config> {
        let layer = parse_layer(Arc::from(file), text)?;
        if let Some(extends) = &layer.raw.extends {
            return Err(Diagnostic::at(
                &layer.origin("extends"),
                crate::msg!("config.extends-needs-file", extends = extends),
            )
            .with_hint(crate::msg!("config.extends-needs-file.hint"))
            .into());
        }
        merge(vec![layer])
    }
}

/// One file of an `extends` chain.
struct Layer {
    file: Arc<str>,
    raw: RawConfig,
    map: SourceMap,
}

impl Layer {
    fn origin(&self, path: &str) -> Origin {
        Origin::new(&self.file, self.map.value(path))
    }

    fn key_origin(&self, path: &str) -> Origin {
        Origin::new(&self.file, self.map.key(path))
    }

    fn spanned_list(&self, key: &str, values: &[String]) -> Vec<Spanned<String>> {
        values
            .iter()
            .enumerate()
            .map(|(i, value)| Spanned {
                value: one_line(value),
                origin: self.origin(&format!("{key}[{i}]")),
            })
            .collect()
    }
}

fn parse_layer(file: Arc<str>, text: &str) -> Result<Layer> {
    let (raw, map) = yaml::parse::<RawConfig>(&file, text)?;
    Ok(Layer { file, raw, map })
}

fn read_layer(path: &Path) -> std::result::Result<Layer, Error> {
    let file: Arc<str> = Arc::from(path.display().to_string());
    let bytes = crate::limits::read_bounded(path, crate::limits::CONFIG_BYTES).map_err(|err| {
        let hint = if err.kind() == std::io::ErrorKind::NotFound {
            crate::msg!("config.unreadable.not-found")
        } else if err.kind() == std::io::ErrorKind::FileTooLarge {
            crate::msg!("config.unreadable.too-large")
        } else {
            crate::msg!("config.unreadable.hint")
        };
        Diagnostic::new(
            file.to_string(),
            None,
            crate::msg!("config.unreadable", error = crate::messages::io_error(&err)),
        )
        .with_hint(hint)
        .with_code("unreadable")
    })?;
    let text = String::from_utf8(bytes).map_err(|err| not_utf8(&file, err.as_bytes()))?;
    parse_layer(file, &text)
}

/// The error for a config that is not UTF-8, at the first character that
/// is not. The encoding is told as the roster's is ([`crate::text::decode`]):
/// a file saved by Notepad (or Excel) in Windows-1252 gets that character
/// as Windows-1252 reads it; any other, the plain words. Either way the hint
/// says how to save the file again.
fn not_utf8(file: &str, bytes: &[u8]) -> Diagnostic {
    let valid_up_to = std::str::from_utf8(bytes).map_or_else(|err| err.valid_up_to(), |_| 0);
    let before = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    let byte = bytes.get(valid_up_to..=valid_up_to).unwrap_or_default();
    let message = match crate::text::decode(bytes) {
        Ok((_, crate::text::Encoding::Windows1252)) => {
            let (character, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(byte);
            crate::msg!("config.not-utf8", character = character)
        }
        _ => crate::msg!("file.not-utf8"),
    };
    Diagnostic::new(file, Some(Location { line, column }), message)
        .with_hint(crate::msg!("config.not-utf8.hint"))
        .with_code("unreadable")
}

/// Reads `path` and every file it extends, leaf first.
fn load_chain(path: &Path) -> Result<Vec<Layer>> {
    let first = read_layer(path)?;
    let mut next = first
        .raw
        .extends
        .clone()
        .map(|e| (e, first.origin("extends")));
    let mut layers = vec![first];
    let mut seen: Vec<PathBuf> = vec![canonical(path)];
    let mut current = path.to_path_buf();
    while let Some((extends, origin)) = next {
        let parent = current.parent().unwrap_or(Path::new(".")).join(&extends);
        let chain = layers
            .iter()
            .map(|l| l.file.to_string())
            .chain(std::iter::once(parent.display().to_string()))
            .collect::<Vec<_>>()
            .join(" → ");
        if seen.contains(&canonical(&parent)) {
            return Err(Diagnostic::at(
                &origin,
                crate::msg!("config.extends-cycle", chain = chain),
            )
            .with_hint(crate::msg!("config.extends-cycle.hint"))
            .with_code("extends-cycle")
            .into());
        }
        // Only a config may be read through `extends`: never `/etc/shadow` or a `.env`.
        if !parent
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        {
            return Err(Diagnostic::at(
                &origin,
                crate::msg!("config.extends-not-yaml", chain = chain),
            )
            .with_hint(crate::msg!("config.extends-not-yaml.hint"))
            .with_code("extends-not-yaml")
            .into());
        }
        // Anything but a missing file is for `read_layer` to tell (a FIFO is refused there).
        if std::fs::symlink_metadata(&parent).is_err() {
            return Err(Diagnostic::at(
                &origin,
                crate::msg!("config.extends-missing", chain = chain),
            )
            .with_hint(crate::msg!("config.extends-missing.hint"))
            .with_code("extends-missing")
            .into());
        }
        seen.push(canonical(&parent));
        let layer = read_layer(&parent).map_err(redact_parent_errors)?;
        next = layer
            .raw
            .extends
            .clone()
            .map(|e| (e, layer.origin("extends")));
        layers.push(layer);
        current = parent;
    }
    Ok(layers)
}

/// Errors in a file reached through `extends` name the place but quote none
/// of its text: the file may not be meant to be read by whoever runs `mus`.
fn redact_parent_errors(err: Error) -> Error {
    match err {
        Error::Invalid(list) => Error::Invalid(crate::error::Diagnostics(
            list.0
                .into_iter()
                .map(|mut d| {
                    d.message = redact_quoted(&d.message);
                    d.hint = Some(crate::msg!("config.extends-redacted", file = d.file));
                    d
                })
                .collect(),
        )),
        other => other,
    }
}

/// `invalid type: string "s3cret"` → `invalid type: string "…"`; likewise in backticks.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    for ch in message.chars() {
        match open {
            Some(quote) if ch == quote => {
                out.push('…');
                out.push(ch);
                open = None;
            }
            Some(_) => {}
            None => {
                out.push(ch);
                if ch == '"' || ch == '`' {
                    open = Some(ch);
                }
            }
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Merges a chain (leaf first): the child's scalars and lists replace the
/// parent's; custom topics, extra questions and dates merge by key.
fn merge(layers: Vec<Layer>) -> Result<Config> {
    let leaf = Arc::clone(&layers[0].file);
    let leaf_origin = Origin::new(&leaf, Some(Location { line: 1, column: 1 }));
    let mut workplace: Option<Spanned<String>> = None;
    let mut unit = None;
    let mut year: Option<Spanned<i32>> = None;
    let mut optional_topics = Vec::new();
    let mut exclude_topics = Vec::new();
    let mut custom_topics: Vec<CustomTopic> = Vec::new();
    let mut extra_questions: Vec<(Spanned<String>, Vec<Spanned<String>>)> = Vec::new();
    let mut order = None;
    let mut goal_rows = Spanned {
        value: DEFAULT_GOAL_ROWS,
        origin: leaf_origin.clone(),
    };
    let mut interview_minutes = Spanned {
        value: DEFAULT_INTERVIEW_MINUTES,
        origin: leaf_origin.clone(),
    };
    let mut questions = QuestionSet::default();
    let mut language = Language::default();
    let mut reference_doc = None;
    let mut allow_warnings = Vec::new();
    let mut storage = None;
    let mut schedule = Schedule::default();
    let mut schedule_origin = leaf_origin.clone();
    let mut errors = Vec::new();

    // Parents first, so each child overrides what it sets.
    for layer in layers.iter().rev() {
        let raw = &layer.raw;
        if let Some(v) = &raw.workplace {
            workplace = Some(Spanned {
                value: one_line(v),
                origin: layer.origin("workplace"),
            });
        }
        if let Some(v) = &raw.unit {
            unit = Some(one_line(v)).filter(|u| !u.is_empty());
        }
        if let Some(v) = raw.year {
            year = Some(Spanned {
                value: v,
                origin: layer.origin("year"),
            });
        }
        if let Some(v) = &raw.optional_topics {
            optional_topics = layer.spanned_list("optional_topics", v);
        }
        if let Some(v) = &raw.exclude_topics {
            exclude_topics = layer.spanned_list("exclude_topics", v);
        }
        if let Some(v) = &raw.order {
            order = Some(layer.spanned_list("order", v));
        }
        if let Some(v) = raw.goal_rows {
            goal_rows = Spanned {
                value: v,
                origin: layer.origin("goal_rows"),
            };
        }
        if let Some(v) = raw.interview_minutes {
            interview_minutes = Spanned {
                value: v,
                origin: layer.origin("interview_minutes"),
            };
        }
        if let Some(v) = raw.questions {
            questions = v;
        }
        if let Some(v) = &raw.storage {
            storage = Some(one_line(v)).filter(|s| !s.is_empty());
        }
        if let Some(v) = raw.language {
            language = v;
        }
        if let Some(v) = &raw.reference_doc {
            // Relative to the file that names it; an empty value turns an inherited one off.
            reference_doc = (!v.trim().is_empty()).then(|| Spanned {
                value: Path::new(&*layer.file)
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(v.trim()),
                origin: layer.origin("reference_doc"),
            });
        }
        if let Some(v) = &raw.allow_warnings {
            allow_warnings = layer.spanned_list("allow_warnings", v);
        }
        for (i, topic) in raw.custom_topics.iter().flatten().enumerate() {
            let at = |field: &str| format!("custom_topics[{i}].{field}");
            let checked = CustomTopic {
                id: Spanned {
                    value: topic.id.clone(),
                    origin: layer.origin(&at("id")),
                },
                title: one_line(&topic.title),
                intro: topic.intro.clone(),
                questions: layer.spanned_list(&at("questions"), &topic.questions),
            };
            check_custom_topic(&checked, layer, i, &mut errors);
            let same_file_twice = raw
                .custom_topics
                .iter()
                .flatten()
                .take(i)
                .any(|t| t.id == topic.id);
            if same_file_twice {
                errors.push(
                    Diagnostic::at(
                        &checked.id.origin,
                        crate::msg!("config.custom-topic-twice", id = topic.id),
                    )
                    .with_code("duplicate-id"),
                );
            }
            match custom_topics.iter_mut().find(|t| t.id.value == topic.id) {
                Some(existing) => *existing = checked,
                None => custom_topics.push(checked),
            }
        }
        for (id, questions) in raw.extra_questions.iter().flatten() {
            let key = format!("extra_questions.{id}");
            let questions = layer.spanned_list(&key, questions);
            empty_questions(&questions, &mut errors);
            let entry = (
                Spanned {
                    value: id.clone(),
                    origin: layer.key_origin(&key),
                },
                questions,
            );
            match extra_questions
                .iter_mut()
                .find(|(existing, _)| existing.value == *id)
            {
                Some(existing) => *existing = entry,
                None => extra_questions.push(entry),
            }
        }
        if let Some(s) = &raw.schedule {
            schedule_origin = layer.key_origin("schedule");
            let date = |value: Option<NaiveDate>, key: &str| {
                value.map(|value| Spanned {
                    value,
                    origin: layer.origin(&format!("schedule.{key}")),
                })
            };
            schedule.interviews_from =
                date(s.interviews_from, "interviews_from").or(schedule.interviews_from);
            schedule.interviews_to =
                date(s.interviews_to, "interviews_to").or(schedule.interviews_to);
            schedule.follow_up_by = date(s.follow_up_by, "follow_up_by").or(schedule.follow_up_by);
            schedule.su_evaluation =
                date(s.su_evaluation, "su_evaluation").or(schedule.su_evaluation);
        }
    }

    let missing = |key: &str, example: &str| {
        Diagnostic::at(
            &Origin::new(&leaf, None),
            crate::msg!("config.missing", key = key),
        )
        .with_hint(crate::msg!("config.missing.hint", example = example))
        .with_code("missing-field")
    };
    match &workplace {
        None => errors.push(missing("workplace", "workplace: Eksempelstyrelsen")),
        Some(w) if w.value.trim().is_empty() => errors.push(
            Diagnostic::at(&w.origin, crate::msg!("config.empty-workplace"))
                .with_hint(crate::msg!("config.empty-workplace.hint")),
        ),
        Some(_) => {}
    }
    match &year {
        None => errors.push(missing("year", "year: 2027")),
        Some(y) if !(2000..=2100).contains(&y.value) => errors.push(
            Diagnostic::at(
                &y.origin,
                crate::msg!("config.implausible-year", year = y.value),
            )
            .with_hint(crate::msg!("config.implausible-year.hint")),
        ),
        Some(_) => {}
    }
    if !(1..=50).contains(&goal_rows.value) {
        errors.push(Diagnostic::at(
            &goal_rows.origin,
            crate::msg!("config.goal-rows-range", rows = goal_rows.value),
        ));
    }
    if !(30..=240).contains(&interview_minutes.value) {
        errors.push(
            Diagnostic::at(
                &interview_minutes.origin,
                crate::msg!("config.minutes-range", minutes = interview_minutes.value),
            )
            .with_hint(crate::msg!("config.minutes-range.hint")),
        );
    }
    for code in &allow_warnings {
        if !WARNING_CODES.contains(&code.value.as_str()) {
            let d = Diagnostic::at(
                &code.origin,
                crate::msg!("config.unknown-warning", code = code.value),
            )
            .with_code("unknown-warning");
            errors.push(
                match crate::error::closest(WARNING_CODES.iter().copied(), &code.value) {
                    Some(s) => d.with_hint(crate::msg!("hint.did-you-mean", name = s)),
                    None => d.with_hint(crate::msg!(
                        "config.unknown-warning.hint",
                        codes = WARNING_CODES.join(", ")
                    )),
                },
            );
        }
    }
    for (list, key) in [
        (&optional_topics, "optional_topics"),
        (&exclude_topics, "exclude_topics"),
    ] {
        duplicates(list, key, &mut errors);
    }
    if let Some(order) = &order {
        duplicates(order, "order", &mut errors);
    }

    match (workplace, year) {
        (Some(workplace), Some(year)) if errors.is_empty() => Ok(Config {
            file: Arc::clone(&leaf),
            chain: layers.iter().map(|l| Arc::clone(&l.file)).collect(),
            workplace: workplace.value,
            unit,
            year,
            optional_topics,
            exclude_topics,
            custom_topics,
            extra_questions,
            order,
            goal_rows,
            interview_minutes,
            questions,
            language,
            reference_doc,
            allow_warnings,
            storage,
            schedule,
            schedule_origin,
        }),
        _ => Err(errors.into()),
    }
}

fn check_custom_topic(topic: &CustomTopic, layer: &Layer, i: usize, errors: &mut Vec<Diagnostic>) {
    let id = &topic.id.value;
    if !is_topic_id(id) {
        errors.push(
            Diagnostic::at(
                &topic.id.origin,
                crate::msg!("config.custom-topic-id", id = id),
            )
            .with_hint(crate::msg!("config.custom-topic-id.hint")),
        );
    }
    if topic.title.trim().is_empty() {
        errors.push(Diagnostic::at(
            &layer.origin(&format!("custom_topics[{i}].title")),
            crate::msg!("config.custom-topic-title", id = id),
        ));
    }
    if topic.questions.is_empty() {
        errors.push(
            Diagnostic::at(
                &layer.origin(&format!("custom_topics[{i}].questions")),
                crate::msg!("config.custom-topic-questions", id = id),
            )
            .with_hint(crate::msg!("config.custom-topic-questions.hint")),
        );
    }
    empty_questions(&topic.questions, errors);
}

/// A question with no text would leave a note box under nothing.
fn empty_questions(questions: &[Spanned<String>], errors: &mut Vec<Diagnostic>) {
    for question in questions.iter().filter(|q| q.value.is_empty()) {
        errors.push(
            Diagnostic::at(&question.origin, crate::msg!("config.empty-question"))
                .with_hint(crate::msg!("config.empty-question.hint"))
                .with_code("empty-question"),
        );
    }
}

fn duplicates(list: &[Spanned<String>], key: &str, errors: &mut Vec<Diagnostic>) {
    for (i, id) in list.iter().enumerate() {
        if list[..i].iter().any(|other| other.value == id.value) {
            errors.push(
                Diagnostic::at(
                    &id.origin,
                    crate::msg!("config.listed-twice", id = id.value, key = key),
                )
                .with_code("duplicate-id"),
            );
        }
    }
}

/// True when `date` falls in `year`.
pub fn in_year(date: NaiveDate, year: i32) -> bool {
    date.year() == year
}

/// The code of every warning, for `allow_warnings`; `mus check` gives them.
pub const WARNING_CODES: &[&str] = &[
    "basic-topic-excluded",
    "no-follow-up",
    "dates-out-of-order",
    "date-outside-year",
    "early-follow-up",
    "long-interview",
    "few-questions",
    "many-questions",
    "duplicate-question",
    "closed-question",
    "few-goal-rows",
    "house-style-incomplete",
    "house-style-cleaned",
];

/// The JSON Schema of the fields whose values come from the catalogue or
/// from [`WARNING_CODES`], for `#[schemars(schema_with = …)]` above: topic
/// ids from the built-in catalogue, so the schema and the catalogue never disagree.
mod json_schema {
    use schemars::{Schema, SchemaGenerator, json_schema};

    use crate::pipeline::catalogue::{Catalogue, TopicKind};

    fn ids(filter: impl Fn(&crate::pipeline::catalogue::Topic) -> bool) -> Vec<String> {
        Catalogue::built_in()
            .map(|c| {
                c.topics
                    .iter()
                    .filter(|t| filter(t))
                    .map(|t| t.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Pattern of a topic id, for ids the catalogue does not know (own topics).
    const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";

    pub fn optional_topic_ids(_: &mut SchemaGenerator) -> Schema {
        let ids = ids(|t| t.kind == TopicKind::Optional);
        json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": { "type": "string", "enum": ids } })
    }

    pub fn excludable_topic_ids(_: &mut SchemaGenerator) -> Schema {
        let ids = ids(|t| t.kind == TopicKind::Basic && !t.goals_table);
        json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": { "type": "string", "enum": ids } })
    }

    /// A known id, or the id of an own topic.
    fn any_topic_id() -> serde_json::Value {
        let known = ids(|_| true);
        serde_json::json!({ "anyOf": [
            { "type": "string", "enum": known },
            { "type": "string", "pattern": ID_PATTERN }
        ]})
    }

    pub fn topic_id_list(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": any_topic_id() })
    }

    pub fn extra_questions(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["object", "null"],
            "propertyNames": any_topic_id(),
            "additionalProperties": { "type": "array", "items": { "type": "string" } }
        })
    }

    pub fn warning_codes(_: &mut SchemaGenerator) -> Schema {
        let codes = super::WARNING_CODES;
        json_schema!({ "type": ["array", "null"], "uniqueItems": true, "items": { "type": "string", "enum": codes } })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain from YAML texts, leaf first, as `load_chain` would read it.
    fn chain(texts: &[&str]) -> Result<Config> {
        let layers = texts
            .iter()
            .enumerate()
            .map(|(i, text)| parse_layer(Arc::from(format!("{i}.yaml")), text))
            .collect::<Result<Vec<_>>>()?;
        merge(layers)
    }

    fn values(list: &[Spanned<String>]) -> Vec<&str> {
        list.iter().map(|s| s.value.as_str()).collect()
    }

    const PARENT: &str = "workplace: Styrelsen\nyear: 2027\ngoal_rows: 6\n\
        optional_topics: [mobilitet, innovation]\n\
        extra_questions:\n  trivsel: [Fra styrelsen?]\n  samarbejde: [Om samarbejde?]\n\
        schedule:\n  interviews_from: 2027-02-01\n  follow_up_by: 2027-09-30\n";

    #[test]
    fn a_child_inherits_what_it_does_not_set() {
        let config = chain(&["unit: Kontoret\n", PARENT]).expect("merges");
        assert_eq!(config.workplace, "Styrelsen");
        assert_eq!(config.unit.as_deref(), Some("Kontoret"));
        assert_eq!(config.year.value, 2027);
        assert_eq!(config.goal_rows.value, 6);
        assert_eq!(values(&config.optional_topics), ["mobilitet", "innovation"]);
        assert_eq!(
            &*config.goal_rows.origin.file, "1.yaml",
            "the value's own file"
        );
    }

    #[test]
    fn a_childs_scalars_and_lists_replace_the_parents() {
        let child = "year: 2028\ngoal_rows: 2\noptional_topics: [talent-og-karriere]\n";
        let config = chain(&[child, PARENT]).expect("merges");
        assert_eq!(config.year.value, 2028);
        assert_eq!(config.goal_rows.value, 2);
        assert_eq!(values(&config.optional_topics), ["talent-og-karriere"]);
        assert_eq!(&*config.year.origin.file, "0.yaml");
    }

    #[test]
    fn extra_questions_merge_by_topic_and_dates_date_by_date() {
        let child = "extra_questions:\n  trivsel: [Fra kontoret?]\n\
            schedule:\n  follow_up_by: 2027-10-15\n";
        let config = chain(&[child, PARENT]).expect("merges");
        let extra: BTreeMap<&str, Vec<&str>> = config
            .extra_questions
            .iter()
            .map(|(id, qs)| (id.value.as_str(), values(qs)))
            .collect();
        assert_eq!(
            extra["trivsel"],
            ["Fra kontoret?"],
            "the child wins for its topic"
        );
        assert_eq!(
            extra["samarbejde"],
            ["Om samarbejde?"],
            "the parent's other topic stays"
        );
        let date = |d: &Option<Spanned<NaiveDate>>| d.as_ref().map(|d| d.value.to_string());
        assert_eq!(
            date(&config.schedule.interviews_from).as_deref(),
            Some("2027-02-01")
        );
        assert_eq!(
            date(&config.schedule.follow_up_by).as_deref(),
            Some("2027-10-15")
        );
    }

    #[test]
    fn a_chain_of_three_takes_each_value_from_the_nearest_file() {
        let config =
            chain(&["goal_rows: 3\n", "unit: Afdelingen\ngoal_rows: 5\n", PARENT]).expect("merges");
        assert_eq!(config.goal_rows.value, 3);
        assert_eq!(config.unit.as_deref(), Some("Afdelingen"));
        assert_eq!(config.workplace, "Styrelsen");
    }

    #[test]
    fn a_workplace_missing_from_the_whole_chain_is_an_error_at_the_leaf() {
        let err = chain(&["unit: Kontoret\n", "year: 2027\n"]).expect_err("no workplace");
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.file, "0.yaml");
        assert!(diagnostic.message.contains("workplace"), "{diagnostic}");
    }
}
