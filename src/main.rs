//! The `mus` binary: parse arguments, run the command, print the error chain
//! and map it to the documented exit code (0 done, 1 invalid input, 2 usage,
//! 3 I/O failure).

mod cli;
#[macro_use]
mod cmd;

use std::process::ExitCode;

fn main() -> ExitCode {
    mus::platform::keep_large_blocks_mapped();
    let cli = cli::parse(std::env::args_os().collect());
    let result = match &cli.command {
        cli::Command::Generate(args) => cmd::generate::run(args),
        cli::Command::Topics(args) => cmd::topics::run(args),
        cli::Command::Check(args) => cmd::check::run(args),
        cli::Command::Init(args) => cmd::init::run(args),
        cli::Command::Schema => cmd::emit(&mus::schema::config_schema_json()),
        cli::Command::Preview(args) => cmd::preview::run(args),
        cli::Command::Collect(args) => cmd::collect::run(args),
        cli::Command::Followup(args) => cmd::followup::run(args),
        cli::Command::Report(args) => cmd::report::run(args),
        cli::Command::Completions(args) => cmd::completions(args.shell),
        cli::Command::Man(args) => cmd::man(args.command.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let Some(cmd::Exit(code)) = err.downcast_ref::<cmd::Exit>() {
                return ExitCode::from(*code);
            }
            if let Some(mus::Error::Invalid(list)) = err.downcast_ref::<mus::Error>() {
                for diagnostic in &list.0 {
                    say!("{}: {diagnostic}", mus::msg!("label.error"));
                }
                return ExitCode::from(1);
            }
            // Each error in the chain says only its own part; its cause comes next.
            say!("{}: {err}", mus::msg!("label.error"));
            for cause in err.chain().skip(1) {
                let cause = match cause.downcast_ref::<std::io::Error>() {
                    Some(io) => mus::messages::io_error(io),
                    None => cause.to_string(),
                };
                say!("  {}: {cause}", mus::msg!("label.caused-by"));
            }
            let code = err
                .downcast_ref::<mus::Error>()
                .map_or(1, mus::Error::exit_code);
            ExitCode::from(code)
        }
    }
}
