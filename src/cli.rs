//! The command line: clap types, and their help in the chosen language; `cmd/` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns a workplace's MUS concept (YAML) into editable Word documents.
#[derive(Debug, Parser)]
#[command(name = "mus", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The language of messages and help: da or en (default: MUS_LANG, then the system's language).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LanguageArg>,
}

/// The command line with its help texts from the message catalogue, in
/// the language chosen for messages.
pub fn command() -> clap::Command {
    use mus::msg;
    let subcommands = [
        ("generate", msg!("help.generate")),
        ("topics", msg!("help.topics")),
        ("check", msg!("help.check")),
        ("init", msg!("help.init")),
        ("schema", msg!("help.schema")),
        ("preview", msg!("help.preview")),
        ("collect", msg!("help.collect")),
        ("followup", msg!("help.followup")),
        ("report", msg!("help.report")),
        ("completions", msg!("help.completions")),
        ("man", msg!("help.man")),
    ];
    let arguments = [
        ("generate", "config", msg!("help.arg.config-or-default")),
        ("generate", "output", msg!("help.generate.output")),
        ("generate", "json", msg!("help.generate.json")),
        ("generate", "templates", msg!("help.generate.templates")),
        ("generate", "roster", msg!("help.generate.roster")),
        ("generate", "previous", msg!("help.generate.previous")),
        ("generate", "sheet", msg!("help.arg.sheet")),
        ("generate", "jobs", msg!("help.generate.jobs")),
        ("generate", "force", msg!("help.arg.force")),
        ("generate", "concept", msg!("help.arg.concept")),
        ("generate", "reference_doc", msg!("help.arg.reference-doc")),
        ("topics", "json", msg!("help.topics.json")),
        ("topics", "language", msg!("help.topics.language")),
        ("topics", "concept", msg!("help.arg.concept")),
        ("check", "paths", msg!("help.check.paths")),
        ("check", "format", msg!("help.check.format")),
        ("check", "strict", msg!("help.check.strict")),
        ("check", "concept", msg!("help.arg.concept")),
        ("init", "path", msg!("help.init.path")),
        ("init", "language", msg!("help.init.language")),
        ("init", "force", msg!("help.init.force")),
        ("init", "reference_doc", msg!("help.init.reference-doc")),
        ("preview", "config", msg!("help.arg.config-or-default")),
        ("preview", "templates", msg!("help.preview.templates")),
        ("preview", "concept", msg!("help.arg.concept")),
        ("collect", "paths", msg!("help.collect.paths")),
        ("collect", "format", msg!("help.collect.format")),
        ("collect", "output", msg!("help.collect.output")),
        ("collect", "force", msg!("help.arg.force")),
        ("collect", "jobs", msg!("help.collect.jobs")),
        ("followup", "collected", msg!("help.arg.collected")),
        ("followup", "config", msg!("help.arg.config")),
        ("followup", "output", msg!("help.followup.output")),
        ("followup", "json", msg!("help.followup.json")),
        ("followup", "force", msg!("help.arg.force")),
        ("followup", "templates", msg!("help.followup.templates")),
        ("followup", "concept", msg!("help.arg.concept")),
        ("followup", "reference_doc", msg!("help.arg.reference-doc")),
        ("report", "collected", msg!("help.arg.collected")),
        ("report", "config", msg!("help.arg.config")),
        ("report", "output", msg!("help.report.output")),
        ("report", "format", msg!("help.report.format")),
        ("report", "force", msg!("help.arg.force")),
        ("report", "templates", msg!("help.report.templates")),
        ("report", "roster", msg!("help.report.roster")),
        ("report", "previous", msg!("help.report.previous")),
        ("report", "sheet", msg!("help.arg.sheet")),
        ("report", "concept", msg!("help.arg.concept")),
        ("report", "reference_doc", msg!("help.arg.reference-doc")),
        ("completions", "shell", msg!("help.completions.shell")),
    ];
    // clap would take the name from how the binary was started: `mus.exe`
    // on Windows, or whatever a copy is called. Help and errors say `mus`.
    let mut command = <Cli as clap::CommandFactory>::command()
        .bin_name("mus")
        .about(msg!("help.about"))
        .mut_arg("lang", |arg| arg.help(msg!("help.lang")));
    for (name, about) in subcommands {
        command = command.mut_subcommand(name, |sub| sub.about(about));
    }
    for (name, argument, help) in arguments {
        command = command.mut_subcommand(name, |sub| sub.mut_arg(argument, |arg| arg.help(help)));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, localise_help);
    }
    localise_help(command)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(msg!("help.flag.version"))
                .help_heading(msg!("help.heading.options")),
        )
        // `mus help COMMAND` is read as `mus COMMAND --help` (see [`help_as_flag`]).
        .disable_help_subcommand(true)
        .subcommand(
            clap::Command::new("help")
                .about(msg!("help.help"))
                .arg(clap::Arg::new("command").help(msg!("help.help.command"))),
        )
}

/// clap's own words in a command's help — the headings, the usage line and
/// the help flag — in the chosen language, like the rest of the help.
fn localise_help(command: clap::Command) -> clap::Command {
    use mus::msg;
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        msg!("help.heading.usage")
    );
    let (arguments, options) = (msg!("help.heading.arguments"), msg!("help.heading.options"));
    command
        .help_template(template)
        .subcommand_help_heading(msg!("help.heading.commands"))
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                arguments.clone()
            } else {
                options.clone()
            };
            // The default and the possible values of an option that takes a
            // value, in the same words (a flag's `true`/`false` are not shown).
            if !arg.get_action().takes_values() {
                return arg.help_heading(heading);
            }
            let mut help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let mut arg = arg.help_heading(heading);
            if !defaults.is_empty() {
                help.push_str(&format!(
                    " [{}]",
                    msg!("help.default", value = defaults.join(", "))
                ));
                arg = arg.hide_default_value(true);
            }
            if !values.is_empty() {
                help.push_str(&format!(
                    " [{}]",
                    msg!("help.possible-values", values = values.join(", "))
                ));
                arg = arg.hide_possible_values(true);
            }
            arg.help(help)
        })
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(msg!("help.flag.help"))
                .help_heading(options.clone()),
        )
}

/// `mus help` and `mus help COMMAND` as `mus --help` and `mus COMMAND --help`,
/// so the help they print is the translated one.
pub fn help_as_flag(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    // The first word that is neither a flag nor `--lang`'s value.
    let mut i = 1;
    while let Some(word) = args.get(i).map(|a| a.to_string_lossy()) {
        if word == "--lang" {
            i += 2;
        } else if word.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    if args.get(i).is_some_and(|a| a == "help") {
        args.remove(i);
        // `mus help help` is the help itself.
        if args.get(i).is_some_and(|a| a == "help") {
            args.remove(i);
        }
        args.push("--help".into());
    }
    args
}

/// The language asked for with `--lang` (before clap reads the arguments,
/// so that `--help` is already in it), else `MUS_LANG`, else the locale,
/// else (on Windows) the display language.
pub fn message_language(args: &[std::ffi::OsString]) -> mus::messages::Lang {
    let mut flag = None;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if word == "--lang" {
            flag = words.next().map(|w| w.into_owned());
        } else if let Some(value) = word.strip_prefix("--lang=") {
            flag = Some(value.to_string());
        }
    }
    let var = |name: &str| std::env::var(name).ok();
    mus::messages::from_environment(
        flag.as_deref(),
        var("MUS_LANG").as_deref(),
        [
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        ],
        mus::messages::system_language(),
    )
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the interview form, the development plan, the three guides and the optional topics as .docx files.
    Generate(GenerateArgs),
    /// List the topics of the catalogue.
    Topics(TopicsArgs),
    /// Check configs before a round: errors, and warnings from the service check.
    Check(CheckArgs),
    /// Write a starter config, commented in Danish.
    Init(InitArgs),
    /// Print the JSON Schema of the config, for editors.
    Schema,
    /// Print the interview form as Markdown, for reviewing a config change.
    Preview(PreviewArgs),
    /// Read the agreed goals from filled-in interview forms.
    Collect(CollectArgs),
    /// Write a follow-up form per employee from collected goals.
    Followup(FollowupArgs),
    /// Write the anonymous SU report (.docx) from collected goals.
    Report(ReportArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

/// How `mus check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One finding a block, for people.
    Text,
    /// A JSON array, one object per finding, for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Config files, or folders to search for *.yaml and *.yml.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Filled-in forms (.docx), or folders to search for them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format: one record per goal [default: xlsx when FILE ends in .xlsx, else csv].
    #[arg(long, value_enum)]
    pub format: Option<CollectFormat>,
    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace files in the way that mus did not write, or that were changed
    /// since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,
    /// Threads for reading forms, 1-64 [default: all cores, at most 64].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,
}

/// How `mus collect` writes the goals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CollectFormat {
    /// CSV with a header row, one record per goal.
    Csv,
    /// An Excel workbook: the same columns, dates as dates, a frozen header with a filter.
    Xlsx,
    /// JSON: the forms with their goals, and the files that failed.
    Json,
}

#[derive(Debug, Args)]
pub struct FollowupArgs {
    /// The goals from `mus collect` (CSV).
    pub collected: PathBuf,
    /// The workplace config (YAML).
    pub config: PathBuf,
    /// The output folder [default: opfoelgning-<year>].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print what was written as JSON.
    #[arg(long)]
    pub json: bool,
    /// Replace files in the way that mus did not write, or that were changed
    /// since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,
    /// Use an edited follow-up template from DIR.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Take the styles, page and header logo from this Word file (the house style).
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The goals from `mus collect` (CSV).
    pub collected: PathBuf,
    /// The workplace config (YAML).
    pub config: PathBuf,
    /// Where to write the report [default: mus-rapport-<year>.docx; with --format json, stdout].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// `docx` for the SU meeting, `json` for a script.
    #[arg(long, value_enum, default_value_t = ReportFormat::Docx)]
    pub format: ReportFormat,
    /// Replace files in the way that mus did not write, or that were changed
    /// since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,
    /// Use an edited report template from DIR.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Take the styles, page and header logo from this Word file (the house style).
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    /// The round's roster (CSV or workbook, as for `generate --roster`): adds employees
    /// invited and interviews held, and pools units with fewer than 5 people.
    #[arg(long, value_name = "CSV|XLSX")]
    pub roster: Option<PathBuf>,
    /// The sheet of the roster workbook to read [default: the first].
    #[arg(long, value_name = "NAME", requires = "roster")]
    pub sheet: Option<String>,
    /// Last year's goals from `mus collect` (CSV): last year's figures
    /// beside this year's, for groups with 5 interviews in both years.
    #[arg(long, value_name = "CSV")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// What `mus report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A Word document with figures, a table and a bar chart.
    Docx,
    /// The same figures as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the config.
    #[arg(default_value = "mus.yaml")]
    pub path: PathBuf,
    /// The language of the documents the config makes, and of its comments.
    #[arg(long, value_enum, default_value = "da")]
    pub language: LanguageArg,
    /// Also write a starter house file (.docx) to restyle in Word.
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// The two languages: of the built-in concept (`mus init`, `mus topics`)
/// and of messages (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LanguageArg {
    Da,
    En,
}

impl From<LanguageArg> for mus::Language {
    fn from(language: LanguageArg) -> mus::Language {
        match language {
            LanguageArg::Da => mus::Language::Da,
            LanguageArg::En => mus::Language::En,
        }
    }
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The workplace config (YAML); without it, the built-in default concept.
    pub config: Option<PathBuf>,
    /// Use an edited form template from DIR.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Where the catalogue and the templates come from.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Read the topic catalogue from DIR/topics.yaml instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    pub concept: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The workplace config (YAML); without it, the built-in default concept.
    pub config: Option<PathBuf>,
    /// The output folder [default: mus-<year>].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print what was written as JSON instead of a list of paths.
    #[arg(long)]
    pub json: bool,
    /// Use edited templates from DIR; a template missing there is the built-in one.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Take the styles, page and header logo from this Word file (the house style).
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    /// Write a personal form for every row of this CSV or Excel workbook (navn, leder, enhed, dato, tilvalg).
    #[arg(long, value_name = "CSV|XLSX")]
    pub roster: Option<PathBuf>,
    /// The sheet of the roster workbook to read [default: the first].
    #[arg(long, value_name = "NAME", requires = "roster")]
    pub sheet: Option<String>,
    /// Last year's goals from `mus collect` (CSV): each person's form opens
    /// topic 1 with them. Needs --roster.
    #[arg(long, value_name = "CSV", requires = "roster")]
    pub previous: Option<PathBuf>,
    /// Threads for making roster forms, 1-64 [default: all cores, at most 64].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,
    /// Replace files in the way that mus did not write, or that were changed
    /// since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    /// Print the catalogue as JSON.
    #[arg(long)]
    pub json: bool,
    /// Which built-in catalogue: Danish or English (same ids).
    #[arg(long, value_enum, default_value = "da")]
    pub language: LanguageArg,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        super::Cli::command().debug_assert();
        // Every argument the catalogue's help names exists (clap panics otherwise).
        super::command().debug_assert();
    }
}
