//! `mus topics`: the catalogue, so a config author knows the ids.

use crate::cli::TopicsArgs;

pub fn run(args: &TopicsArgs) -> anyhow::Result<()> {
    let catalogue = super::catalogue(&args.source)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&catalogue.topics)?);
        return Ok(());
    }
    let width = catalogue
        .topics
        .iter()
        .map(|t| t.id.len())
        .max()
        .unwrap_or(0);
    for topic in &catalogue.topics {
        println!(
            "{:width$}  {:8}  {}",
            topic.id,
            topic.kind.danish(),
            topic.title
        );
    }
    Ok(())
}
