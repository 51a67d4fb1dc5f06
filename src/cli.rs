//! The command line: clap types, and their help in the chosen language; `cmd/` does the work.
//!
//! The help has one source per language, the message catalogue
//! (`help.*` in `src/messages/`): [`command`] puts it into clap's `about`
//! and `help` at run time, and `--help`, `mus help`, `mus man` and
//! `mus completions` all come from that one [`clap::Command`]. So the clap
//! types carry `//` comments, not `///`, which clap would take for a second,
//! English help (a test keeps it so).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use mus::Language;

// The command line; its help is in the catalogue (`help.about`).
#[derive(Debug, Parser)]
#[command(name = "mus", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    // The language of messages and help (`help.lang`).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Language>,
}

/// Reads the command line: chooses the language of messages from `--lang`
/// (or the environment), then lets clap parse the arguments with the help
/// in that language. `--help`, `--version`, `mus help [COMMAND]` and a usage
/// error print and exit here.
pub fn parse(args: Vec<OsString>) -> Cli {
    mus::messages::choose(message_language(&args));
    let matches = command()
        .try_get_matches_from(&args)
        .unwrap_or_else(|err| usage_error(err));
    if let Some(("help", help)) = matches.subcommand() {
        // `mus help COMMAND` is `mus COMMAND --help`, the same help.
        let asked = help.get_one::<String>("command").filter(|c| *c != "help");
        let words = ["mus"].into_iter().chain(asked.map(String::as_str));
        match command().try_get_matches_from(words.chain(["--help"])) {
            Err(err) => usage_error(err),
            Ok(_) => std::process::exit(0),
        }
    }
    Cli::from_arg_matches(&matches).unwrap_or_else(|err| usage_error(err))
}

/// Ends the run on a usage error (exit 2), said in the chosen language:
/// clap's own words are English, so the common errors are the catalogue's
/// (`usage.*`), with clap's usage line; help, the version and any other
/// error are printed as clap prints them.
fn usage_error(err: clap::Error) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use mus::msg;
    let list = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(text)) => vec![text.clone()],
        Some(ContextValue::Strings(list)) => list.clone(),
        Some(ContextValue::StyledStr(text)) => vec![text.to_string()],
        _ => Vec::new(),
    };
    let context = |kind: ContextKind| list(kind).join(", ");
    let (argument, value) = (
        context(ContextKind::InvalidArg),
        context(ContextKind::InvalidValue),
    );
    let message = match err.kind() {
        ErrorKind::UnknownArgument if argument.starts_with('-') => {
            msg!("usage.unknown-argument", argument = argument)
        }
        ErrorKind::UnknownArgument => msg!("usage.extra-argument", argument = argument),
        ErrorKind::ArgumentConflict if argument == context(ContextKind::PriorArg) => {
            msg!("usage.given-twice", argument = argument)
        }
        ErrorKind::ArgumentConflict => msg!(
            "usage.conflict",
            argument = argument,
            other = context(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues => {
            msg!("usage.too-many-values", value = value, argument = argument)
        }
        ErrorKind::InvalidSubcommand => msg!(
            "usage.unknown-command",
            command = context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue if value.is_empty() => {
            msg!("usage.missing-value", argument = argument)
        }
        ErrorKind::InvalidValue => msg!(
            "usage.invalid-value",
            value = value,
            argument = argument,
            values = list(ContextKind::ValidValue)
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ErrorKind::ValueValidation => {
            // clap's reason for a number out of range: `65 is not in 1..=64`.
            let reason = std::error::Error::source(&err).map(|e| e.to_string());
            match reason.as_deref().and_then(|r| r.split_once(" is not in ")) {
                Some((_, range)) => msg!(
                    "usage.out-of-range",
                    value = value,
                    argument = argument,
                    range = range
                ),
                None => msg!("usage.value-not-valid", value = value, argument = argument),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            msg!("usage.missing-argument", arguments = argument)
        }
        _ => err.exit(),
    };
    let mut text = format!("{}: {message}\n", msg!("label.error"));
    let wrong = context(ContextKind::InvalidSubcommand);
    let suggested = list(ContextKind::SuggestedSubcommand);
    if let Some(name) = mus::error::closest(suggested.iter().map(String::as_str), &wrong) {
        let hint = msg!("hint.did-you-mean", name = name);
        text.push_str(&format!("  {}: {hint}\n", msg!("label.hint")));
    }
    let usage = context(ContextKind::Usage);
    if let Some(usage) = usage.trim().strip_prefix("Usage:") {
        text.push_str(&format!(
            "\n{} {}\n",
            msg!("help.heading.usage"),
            usage.trim()
        ));
    }
    text.push_str(&format!("\n{}\n", msg!("usage.more")));
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    std::process::exit(2)
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
        ("generate", "config", msg!("help.arg.configs-or-default")),
        ("generate", "by_manager", msg!("help.generate.by-manager")),
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
        ("followup", "config", msg!("help.arg.configs")),
        ("followup", "by_manager", msg!("help.followup.by-manager")),
        ("followup", "output", msg!("help.followup.output")),
        ("followup", "json", msg!("help.followup.json")),
        ("followup", "force", msg!("help.arg.force")),
        ("followup", "templates", msg!("help.followup.templates")),
        ("followup", "concept", msg!("help.arg.concept")),
        ("followup", "reference_doc", msg!("help.arg.reference-doc")),
        ("report", "collected", msg!("help.arg.collected")),
        ("report", "config", msg!("help.arg.configs")),
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
        ("man", "command", msg!("help.man.command")),
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
    let command = localise_help(command)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(msg!("help.flag.version"))
                .help_heading(msg!("help.heading.options")),
        )
        // clap's own `help` subcommand has an English about; this one is
        // answered in [`parse`] with the command's own `--help`.
        .disable_help_subcommand(true)
        .subcommand(
            clap::Command::new("help")
                .about(msg!("help.help"))
                .arg(clap::Arg::new("command").help(msg!("help.help.command"))),
        );
    localise_usage(command)
}

/// The usage lines with clap's `[OPTIONS]` and `<COMMAND>` in the chosen
/// language; clap writes them, so each command gets its line written out.
fn localise_usage(mut command: clap::Command) -> clap::Command {
    use mus::msg;
    let words = [
        ("[OPTIONS]", msg!("help.usage.options")),
        ("<COMMAND>", msg!("help.usage.command")),
    ];
    let localised = |command: &mut clap::Command| {
        let usage = command.render_usage().to_string();
        let usage = usage.trim_start_matches("Usage:").trim();
        words
            .iter()
            .fold(usage.to_string(), |line, (from, to)| line.replace(from, to))
    };
    // Gives each command its full name (`mus check`) for its usage line.
    command.build();
    let usage = localised(&mut command);
    for sub in command.get_subcommands_mut() {
        let usage = localised(sub);
        *sub = std::mem::take(sub).override_usage(usage);
    }
    command.override_usage(usage)
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

/// The language asked for with `--lang` (read before clap reads the
/// arguments, so that `--help` is already in it: the one look at the words
/// before clap's), else `MUS_LANG`, else the locale, else (on Windows) the
/// display language.
fn message_language(args: &[OsString]) -> Language {
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
    // Write the interview form, the development plan, the three guides and the optional topics as .docx files.
    Generate(GenerateArgs),
    // List the topics of the catalogue.
    Topics(TopicsArgs),
    // Check configs before a round: errors, and warnings from the service check.
    Check(CheckArgs),
    // Write a starter config, commented in Danish.
    Init(InitArgs),
    // Print the JSON Schema of the config, for editors.
    Schema,
    // Print the interview form as Markdown, for reviewing a config change.
    Preview(PreviewArgs),
    // Read the agreed goals from filled-in interview forms.
    Collect(CollectArgs),
    // Write a follow-up form per employee from collected goals.
    Followup(FollowupArgs),
    // Write the anonymous SU report (.docx) from collected goals.
    Report(ReportArgs),
    // Print a shell completion script.
    Completions(CompletionsArgs),
    // Print the man page (roff).
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    // A command's own page: `mus man generate` is mus-generate(1).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// How `mus check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    // One finding a block, for people.
    Text,
    // A JSON array, one object per finding, for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    // Config files, or folders to search for *.yaml and *.yml.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    // Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    // Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    // Filled-in forms (.docx), or folders to search for them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    // Output format: one record per goal [default: xlsx when FILE ends in .xlsx, else csv].
    #[arg(long, value_enum)]
    pub format: Option<CollectFormat>,
    // Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    // Replace files in the way that mus did not write, or that were changed
    // since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,
    // Threads for reading forms, 1-64 [default: all cores, at most 64].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,
}

/// How `mus collect` writes the goals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CollectFormat {
    // CSV with a header row, one record per goal.
    Csv,
    // An Excel workbook: the same columns, dates as dates, a frozen header with a filter.
    Xlsx,
    // JSON: the forms with their goals, and the files that failed.
    Json,
}

#[derive(Debug, Args)]
pub struct FollowupArgs {
    // The goals from `mus collect` (CSV).
    pub collected: PathBuf,
    // The workplace config (YAML) and the units' own, or folders of them.
    #[arg(required = true, value_name = "CONFIG")]
    pub config: Vec<PathBuf>,
    // Each manager's follow-up forms in a folder of their own.
    #[arg(long)]
    pub by_manager: bool,
    // The output folder [default: opfoelgning-<year>].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    // Print what was written as JSON.
    #[arg(long)]
    pub json: bool,
    // Replace files in the way that mus did not write, or that were changed
    // since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,
    // Use an edited follow-up template from DIR.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    // Take the styles, page and header logo from this Word file (the house style).
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    // The goals from `mus collect` (CSV).
    pub collected: PathBuf,
    // The workplace config (YAML) and the units' own, or folders of them.
    #[arg(required = true, value_name = "CONFIG")]
    pub config: Vec<PathBuf>,
    // Where to write the report [default: mus-rapport-<year>.docx; with --format json, stdout].
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    // `docx` for the SU meeting, `xlsx` for the figures in Excel, `json` for a script
    // [default: xlsx when FILE ends in .xlsx, else docx].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    // Replace files in the way that mus did not write, or that were changed
    // since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,
    // Use an edited report template from DIR.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    // Take the styles, page and header logo from this Word file (the house style).
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    // The round's roster (CSV or workbook, as for `generate --roster`): adds employees
    // invited and interviews held, and pools units with fewer than 5 people.
    #[arg(long, value_name = "CSV|XLSX")]
    pub roster: Option<PathBuf>,
    // The sheet of the roster workbook to read [default: the first].
    #[arg(long, value_name = "NAME", requires = "roster")]
    pub sheet: Option<String>,
    // Last year's goals from `mus collect` (CSV): last year's figures
    // beside this year's, for groups with 5 interviews in both years.
    #[arg(long, value_name = "CSV")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// What `mus report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    // A Word document with figures, a table and a bar chart.
    Docx,
    // The same figures as JSON.
    Json,
    // The same figures as an Excel workbook.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    // Where to write the config.
    #[arg(default_value = "mus.yaml")]
    pub path: PathBuf,
    // The language of the documents the config makes, and of its comments.
    #[arg(long, value_enum, default_value = "da")]
    pub language: Language,
    // Also write a starter house file (.docx) to restyle in Word.
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    // Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    // The workplace config (YAML); without it, the built-in default concept.
    pub config: Option<PathBuf>,
    // Use an edited form template from DIR.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    // The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

// Where the catalogue and the templates come from.
#[derive(Debug, Args)]
pub struct SourceArgs {
    // Read the topic catalogue from DIR/topics.yaml instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    pub concept: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    // The workplace config (YAML) and the units' own, or folders of them;
    // without any, the built-in default concept.
    #[arg(value_name = "CONFIG")]
    pub config: Vec<PathBuf>,
    // Each manager's forms in a folder of their own.
    #[arg(long, requires = "roster")]
    pub by_manager: bool,
    // The output folder [default: mus-<year>].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    // Print what was written as JSON instead of a list of paths.
    #[arg(long)]
    pub json: bool,
    // Use edited templates from DIR; a template missing there is the built-in one.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    // Take the styles, page and header logo from this Word file (the house style).
    #[arg(long, value_name = "DOCX")]
    pub reference_doc: Option<PathBuf>,
    // Write a personal form for every row of this CSV or Excel workbook (navn, leder, enhed, dato, tilvalg).
    #[arg(long, value_name = "CSV|XLSX")]
    pub roster: Option<PathBuf>,
    // The sheet of the roster workbook to read [default: the first].
    #[arg(long, value_name = "NAME", requires = "roster")]
    pub sheet: Option<String>,
    // Last year's goals from `mus collect` (CSV): each person's form opens
    // topic 1 with them. Needs --roster.
    #[arg(long, value_name = "CSV", requires = "roster")]
    pub previous: Option<PathBuf>,
    // Threads for making roster forms, 1-64 [default: all cores, at most 64].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,
    // Replace files in the way that mus did not write, or that were changed
    // since (filled-in forms too). Without it such files are refused or kept.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    // Print the catalogue as JSON.
    #[arg(long)]
    pub json: bool,
    // Which built-in catalogue: Danish or English (same ids).
    #[arg(long, value_enum, default_value = "da")]
    pub language: Language,
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

    /// Each command and its arguments, `(command, argument)`, the command
    /// `""` for `mus` itself and the argument `""` for the command.
    fn help_texts(command: &clap::Command) -> Vec<(String, String, Option<String>)> {
        let mut found = Vec::new();
        let commands = std::iter::once(("", command))
            .chain(command.get_subcommands().map(|sub| (sub.get_name(), sub)));
        for (name, sub) in commands {
            let about = sub.get_about().map(|a| a.to_string());
            found.push((name.to_string(), String::new(), about));
            for arg in sub.get_arguments() {
                let help = arg.get_help().map(|h| h.to_string());
                found.push((name.to_string(), arg.get_id().to_string(), help));
            }
        }
        found
    }

    #[test]
    fn the_clap_types_carry_no_help_of_their_own() {
        // A `///` on a clap field or command would be a second, English help.
        let own: Vec<_> = help_texts(&super::Cli::command())
            .into_iter()
            .filter(|(_, _, help)| help.is_some())
            .collect();
        assert!(own.is_empty(), "help outside the catalogue: {own:?}");
    }

    #[test]
    fn every_command_and_argument_has_its_help_from_the_catalogue() {
        // The catalogues have the same keys (tests/testsuite/messages.rs),
        // so the English one found for each is found in Danish too.
        let missing: Vec<_> = help_texts(&super::command())
            .into_iter()
            .filter(|(_, _, help)| help.as_deref().is_none_or(|h| h.starts_with("help.")))
            .collect();
        assert!(
            missing.is_empty(),
            "no help from the catalogue: {missing:?}"
        );
    }
}
