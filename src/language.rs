//! The two languages `mus` speaks, one type for all of them: the language a
//! config writes its documents in (`language:`), the built-in concept
//! (`mus init --language`, `mus topics --language`) and the messages and
//! help a person reads (`--lang`, `MUS_LANG`).
//!
//! A leaf module: it uses nothing else of the crate, so every stage may use
//! it. What a language means for a form (its fixed words, its dates) is in
//! [`crate::form::labels`]; its messages are in [`crate::messages`].

use serde::{Deserialize, Serialize};

/// The language of the documents (the catalogue, the templates, the labels
/// of the blocks, the dates and the language Word spell-checks in), or of
/// the messages and help.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Danish, the default.
    #[default]
    Da,
    /// English (British), for employees who do not read Danish.
    En,
}

impl Language {
    /// The code used in configs, flags and folder names: `da`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
        }
    }

    /// The language tag Word spell-checks in (`w:lang`, `dc:language`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::Da => "da-DK",
            Language::En => "en-GB",
        }
    }

    /// `da` or `en` (any case, also `da_DK.UTF-8`, `en-GB`), as a locale
    /// variable or `MUS_LANG` says it; `None` otherwise.
    pub fn parse(text: &str) -> Option<Language> {
        let code = text.trim().get(..2)?.to_ascii_lowercase();
        match code.as_str() {
            "da" => Some(Language::Da),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// `--lang`, `--language`: the values are the codes, with no help of their
/// own (clap's derive would take the English doc comments above, which the
/// config's schema shows); the flags' help, from the catalogue, names them.
impl clap::ValueEnum for Language {
    fn value_variants<'a>() -> &'a [Self] {
        &[Language::Da, Language::En]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locale_names_its_language_by_its_first_two_letters() {
        assert_eq!(Language::parse("da_DK.UTF-8"), Some(Language::Da));
        assert_eq!(Language::parse("EN-gb"), Some(Language::En));
        assert_eq!(Language::parse("C"), None);
        assert_eq!(Language::parse("fr"), None);
    }
}
