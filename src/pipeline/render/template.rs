//! The document templates (`templates/da/*.md.j2`, `templates/en/*.md.j2`): minijinja renders each
//! into Markdown. They are compiled in; `--templates DIR` overrides them file
//! by file, so a workplace can edit one guide and keep the rest.

use std::path::Path;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{Environment, UndefinedBehavior};

use super::house_style::HouseStyle;
use crate::error::{Diagnostic, Result};
use crate::language::Language;

/// The built-in templates, by file name.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "samtaleskema.md.j2",
        include_str!("../../../templates/da/samtaleskema.md.j2"),
    ),
    (
        "udviklingsplan.md.j2",
        include_str!("../../../templates/da/udviklingsplan.md.j2"),
    ),
    (
        "vejledning-medarbejder.md.j2",
        include_str!("../../../templates/da/vejledning-medarbejder.md.j2"),
    ),
    (
        "vejledning-leder.md.j2",
        include_str!("../../../templates/da/vejledning-leder.md.j2"),
    ),
    (
        "opfoelgning.md.j2",
        include_str!("../../../templates/da/opfoelgning.md.j2"),
    ),
    (
        "rapport.md.j2",
        include_str!("../../../templates/da/rapport.md.j2"),
    ),
    (
        "vejledning-hr.md.j2",
        include_str!("../../../templates/da/vejledning-hr.md.j2"),
    ),
    (
        "tilvalgsemner.md.j2",
        include_str!("../../../templates/da/tilvalgsemner.md.j2"),
    ),
];

/// The built-in English templates, by file name: the same names and blocks.
const BUILT_IN_EN: &[(&str, &str)] = &[
    (
        "samtaleskema.md.j2",
        include_str!("../../../templates/en/samtaleskema.md.j2"),
    ),
    (
        "udviklingsplan.md.j2",
        include_str!("../../../templates/en/udviklingsplan.md.j2"),
    ),
    (
        "vejledning-medarbejder.md.j2",
        include_str!("../../../templates/en/vejledning-medarbejder.md.j2"),
    ),
    (
        "vejledning-leder.md.j2",
        include_str!("../../../templates/en/vejledning-leder.md.j2"),
    ),
    (
        "opfoelgning.md.j2",
        include_str!("../../../templates/en/opfoelgning.md.j2"),
    ),
    (
        "rapport.md.j2",
        include_str!("../../../templates/en/rapport.md.j2"),
    ),
    (
        "vejledning-hr.md.j2",
        include_str!("../../../templates/en/vejledning-hr.md.j2"),
    ),
    (
        "tilvalgsemner.md.j2",
        include_str!("../../../templates/en/tilvalgsemner.md.j2"),
    ),
];

/// The built-in templates of `language` and the folder they come from.
fn built_in_set(language: Language) -> (&'static str, &'static [(&'static str, &'static str)]) {
    match language {
        Language::Da => ("templates/da", BUILT_IN),
        Language::En => ("templates/en", BUILT_IN_EN),
    }
}

/// A set of templates ready to render, and the house style the documents
/// take their styles, page and header from (as mdBook's `Theme` holds the
/// templates and the stylesheets).
pub struct Templates {
    env: Environment<'static>,
    /// Where each template came from, for messages.
    origins: Vec<(String, String)>,
    house: Option<HouseStyle>,
}

impl Templates {
    /// The Danish templates compiled into the binary.
    pub fn built_in() -> Result<Templates> {
        Templates::built_in_for(Language::Da)
    }

    /// The templates compiled into the binary, in `language`.
    pub fn built_in_for(language: Language) -> Result<Templates> {
        let (folder, built_in) = built_in_set(language);
        Templates::build(
            built_in
                .iter()
                .map(|(name, src)| {
                    (
                        name.to_string(),
                        format!("<built-in {folder}/{name}>"),
                        src.to_string(),
                    )
                })
                .collect(),
        )
    }

    /// The built-in Danish templates, each replaced by `DIR/<name>` where that file exists.
    pub fn with_overrides(dir: &Path) -> Result<Templates> {
        Templates::with_overrides_for(dir, Language::Da)
    }

    /// The built-in templates in `language`, each replaced by `DIR/<name>`
    /// where that file exists.
    pub fn with_overrides_for(dir: &Path, language: Language) -> Result<Templates> {
        let (folder, built_in_templates) = built_in_set(language);
        if !dir.is_dir() {
            return Err(Diagnostic::new(
                dir.display().to_string(),
                None,
                crate::msg!("template.no-folder"),
            )
            .with_hint(crate::msg!("template.no-folder.hint"))
            .into());
        }
        let mut sources = Vec::new();
        for (name, built_in) in built_in_templates {
            let path = dir.join(name);
            // Whatever stands under the name is read, or refused (a folder,
            // a FIFO): never silently passed over for the built-in one.
            if std::fs::symlink_metadata(&path).is_ok() {
                let text = crate::limits::read_bounded_text(&path, crate::limits::TEMPLATE_BYTES)
                    .map_err(|err| {
                    Diagnostic::new(
                        path.display().to_string(),
                        None,
                        crate::msg!(
                            "template.unreadable",
                            error = crate::messages::io_error(&err)
                        ),
                    )
                })?;
                let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_string();
                sources.push((name.to_string(), path.display().to_string(), text));
            } else {
                sources.push((
                    name.to_string(),
                    format!("<built-in {folder}/{name}>"),
                    built_in.to_string(),
                ));
            }
        }
        Templates::build(sources)
    }

    fn build(sources: Vec<(String, String, String)>) -> Result<Templates> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        // An edited template runs in bounded time and stack: a loop that never
        // ends runs out of fuel, and runaway recursion stops at a limit.
        env.set_fuel(Some(crate::limits::TEMPLATE_FUEL));
        env.set_recursion_limit(crate::limits::TEMPLATE_RECURSION);
        env.set_syntax(syntax().map_err(|err| template_error("<template syntax>", &err))?);
        env.set_formatter(|out, _state, value| {
            if value.is_none() || value.is_undefined() {
                return Ok(());
            }
            if value.is_safe() {
                return out
                    .write_str(value.as_str().unwrap_or_default())
                    .map_err(minijinja::Error::from);
            }
            out.write_str(&escape_markdown(&value.to_string()))
                .map_err(minijinja::Error::from)
        });
        let mut origins = Vec::new();
        for (name, origin, text) in sources {
            env.add_template_owned(name.clone(), text)
                .map_err(|err| template_error(&origin, &err))?;
            origins.push((name, origin));
        }
        Ok(Templates {
            env,
            origins,
            house: None,
        })
    }

    /// These templates with `house` as the documents' house style.
    pub fn with_house_style(self, house: Option<HouseStyle>) -> Templates {
        Templates { house, ..self }
    }

    /// The house style the documents take, if the workplace has one.
    pub fn house_style(&self) -> Option<&HouseStyle> {
        self.house.as_ref()
    }

    /// Renders template `name` with `context` into Markdown.
    pub fn render(&self, name: &str, context: Value) -> Result<String> {
        let origin = self.origin(name);
        let template = self
            .env
            .get_template(name)
            .map_err(|err| template_error(&origin, &err))?;
        template
            .render(context)
            .map_err(|err| template_error(&origin, &err).into())
    }

    /// The text of template `name`, as loaded.
    pub fn source(&self, name: &str) -> Option<String> {
        self.env
            .get_template(name)
            .ok()
            .map(|t| t.source().to_string())
    }

    /// Where template `name` came from (a path or `<built-in …>`).
    pub fn origin(&self, name: &str) -> String {
        self.origins
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| name.to_string())
    }
}

/// Block tags on lines of their own leave no blank lines behind, as in
/// Jinja with `trim_blocks` and `lstrip_blocks`; every template uses this.
pub fn syntax() -> std::result::Result<SyntaxConfig, minijinja::Error> {
    SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
}

fn template_error(origin: &str, err: &minijinja::Error) -> Diagnostic {
    let location = err
        .line()
        .map(|line| crate::error::Location { line, column: 1 });
    let message = match err.detail() {
        Some(detail) => crate::msg!("template.error-detail", kind = err.kind(), detail = detail),
        None => crate::msg!("template.error", kind = err.kind()),
    };
    Diagnostic::new(origin, location, message).with_hint(crate::msg!("template.error.hint"))
}

/// Escapes every ASCII punctuation character, so a workplace's text such as
/// `R&D <intern>` or `*vigtigt*` comes out in Word exactly as written. Line
/// breaks become spaces and blank lines paragraph breaks, so indented YAML
/// text never turns into Markdown structure.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, paragraph) in text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push_str("\n\n");
        }
        for ch in crate::text::one_line(paragraph).chars() {
            if ch.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_punctuation() {
        assert_eq!(
            escape_markdown("R&D <b> *x* 1. a"),
            r"R\&D \<b\> \*x\* 1\. a"
        );
    }

    #[test]
    fn values_are_escaped_but_template_markdown_is_not() {
        let t =
            Templates::build(vec![("t".into(), "t".into(), "**{{ v }}**".into())]).expect("builds");
        let out = t
            .render("t", minijinja::context! { v => "_x_" })
            .expect("renders");
        assert_eq!(out, r"**\_x\_**");
    }

    #[test]
    fn unknown_variable_is_an_error_naming_the_template() {
        let t = Templates::build(vec![(
            "t".into(),
            "my.md.j2".into(),
            "line\n{{ nope.x }}".into(),
        )])
        .expect("builds");
        let err = t.render("t", minijinja::context! {}).expect_err("fails");
        assert!(err.to_string().starts_with("my.md.j2:2:"), "{err}");
    }
}
