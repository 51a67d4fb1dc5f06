//! `mus topics`: the catalogue, so a config author knows the ids.

use crate::cli::TopicsArgs;

pub fn run(args: &TopicsArgs) -> anyhow::Result<()> {
    let language = args.language;
    let catalogue = mus::project::load_catalogue_for(args.source.concept.as_deref(), language)?;
    if args.json {
        return super::emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&catalogue.topics)?
        ));
    }
    let width = catalogue
        .topics
        .iter()
        .map(|t| t.id.len())
        .max()
        .unwrap_or(0);
    let listing: String = catalogue
        .topics
        .iter()
        .map(|topic| {
            format!(
                "{:width$}  {:8}  {}\n",
                topic.id,
                topic.kind.word(language),
                topic.title
            )
        })
        .collect();
    super::emit(&listing)
}
