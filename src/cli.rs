//! The command line: clap types only; `cmd/` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turns a workplace's MUS concept (YAML) into editable Word documents.
#[derive(Debug, Parser)]
#[command(name = "mus", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the interview form and the three guides as .docx files.
    Generate(GenerateArgs),
    /// List the topics of the catalogue.
    Topics(TopicsArgs),
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
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    /// Print the catalogue as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        super::Cli::command().debug_assert();
    }
}
