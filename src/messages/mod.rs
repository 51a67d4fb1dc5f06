//! Messages a person reads, in Danish or English: one catalogue per language
//! (`da/messages.yaml`, `en/messages.yaml` beside this file), looked up by key with [`msg!`].
//! HR and SU members read `mus check` in Danish; scripts read codes, JSON
//! keys and exit codes, which never change with the language.
//!
//! The language is chosen once per process, at start ([`choose`]); the
//! binary takes it from `--lang`, `MUS_LANG`, the locale or, on Windows, the
//! display language ([`from_environment`], [`system_language`]).
//! Until then, and for a library caller that never chooses, it is English.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::language::Language;

static CHOSEN: OnceLock<Language> = OnceLock::new();

/// Sets the language for the rest of the process; the first choice holds.
pub fn choose(lang: Language) {
    let _ = CHOSEN.set(lang);
}

/// The language messages are written in now.
pub fn current() -> Language {
    CHOSEN.get().copied().unwrap_or(Language::En)
}

/// The language the user asked for: `flag` (`--lang`), else `mus_lang`
/// (`MUS_LANG`), else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: the first
/// that is set decides, and only Danish counts), else `system` (the display
/// language of Windows, which sets none of those; see [`system_language`]),
/// else English.
pub fn from_environment(
    flag: Option<&str>,
    mus_lang: Option<&str>,
    locale: [Option<&str>; 3],
    system: Option<Language>,
) -> Language {
    if let Some(lang) = flag.and_then(Language::parse) {
        return lang;
    }
    if let Some(lang) = mus_lang.and_then(Language::parse) {
        return lang;
    }
    match locale.into_iter().flatten().find(|l| !l.is_empty()) {
        Some(locale) if Language::parse(locale) == Some(Language::Da) => Language::Da,
        Some(_) => Language::En,
        None => system.unwrap_or(Language::En),
    }
}

/// The language of a Windows language identifier (`LANGID`, as
/// `GetUserDefaultUILanguage` gives it): its low ten bits are the primary
/// language, `LANG_DANISH` (0x06) or `LANG_ENGLISH` (0x09); any other is
/// none of ours.
pub fn from_language_id(id: u16) -> Option<Language> {
    match id & 0x3ff {
        0x06 => Some(Language::Da),
        0x09 => Some(Language::En),
        _ => None,
    }
}

/// The user's display language on Windows (Settings, Time & language),
/// `None` on other systems, where the locale variables say it.
pub fn system_language() -> Option<Language> {
    #[cfg(windows)]
    {
        // SAFETY: takes nothing and reads the user's setting.
        let id = unsafe { windows_sys::Win32::Globalization::GetUserDefaultUILanguage() };
        from_language_id(id)
    }
    #[cfg(not(windows))]
    None
}

const DANISH: &str = include_str!("da/messages.yaml");
const ENGLISH: &str = include_str!("en/messages.yaml");

/// The catalogue of `lang`, read once. A catalogue that does not parse is
/// empty (a test makes sure both parse), so a message falls back to its key.
pub fn catalogue(lang: Language) -> &'static HashMap<String, String> {
    static DA: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, source) = match lang {
        Language::Da => (&DA, DANISH),
        Language::En => (&EN, ENGLISH),
    };
    cell.get_or_init(|| serde_yaml::from_str(source).unwrap_or_default())
}

/// The message `key` in `lang`, with each `{name}` replaced by its value.
/// An unknown key gives the key itself: never a panic over a message.
pub fn text_in(lang: Language, key: &str, args: &[(&str, String)]) -> String {
    let Some(template) = catalogue(lang).get(key) else {
        return key.to_string();
    };
    let mut out = template.clone();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The message `key` in the chosen language; see [`msg!`].
pub fn text(key: &str, args: &[(&str, String)]) -> String {
    text_in(current(), key, args)
}

/// The word `key.one` or `key.other` for `count` (`1 fil`, `2 filer`).
pub fn plural(key: &str, count: usize) -> String {
    let form = if count == 1 { "one" } else { "other" };
    text(&format!("{key}.{form}"), &[])
}

/// What the system says about a failed read or write, in the chosen
/// language: the system's own words are English on Linux and macOS, so the
/// common cases are the catalogue's (`io.*`); any other keeps the system's
/// words. An error `mus` made itself (a limit, not UTF-8) is already in the
/// catalogue's words and stays as it is.
pub fn io_error(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if err.raw_os_error().is_none() {
        return err.to_string();
    }
    match err.kind() {
        ErrorKind::NotFound => crate::msg!("io.not-found"),
        ErrorKind::PermissionDenied => crate::msg!("io.permission-denied"),
        ErrorKind::AlreadyExists => crate::msg!("io.already-exists"),
        ErrorKind::IsADirectory => crate::msg!("io.is-a-folder"),
        ErrorKind::NotADirectory => crate::msg!("io.not-a-folder"),
        ErrorKind::StorageFull => crate::msg!("io.storage-full"),
        ErrorKind::ReadOnlyFilesystem => crate::msg!("io.read-only"),
        ErrorKind::DirectoryNotEmpty => crate::msg!("io.folder-not-empty"),
        _ => err.to_string(),
    }
}

/// `msg!("check.no-follow-up")`, `msg!("check.few-goal-rows", rows = 1)`: the
/// message in the chosen language, its placeholders filled in.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::text($key, &[$((stringify!($name), ($value).to_string())),*])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_mus_lang_then_the_first_locale_variable_set() {
        let none = [None, None, None];
        assert_eq!(from_environment(None, None, none, None), Language::En);
        assert_eq!(
            from_environment(None, None, [None, None, Some("da_DK.UTF-8")], None),
            Language::Da
        );
        assert_eq!(
            from_environment(None, None, [Some("C"), None, Some("da_DK.UTF-8")], None),
            Language::En,
            "LC_ALL comes before LANG"
        );
        assert_eq!(
            from_environment(None, Some("da"), [Some("C"), None, None], None),
            Language::Da
        );
        assert_eq!(
            from_environment(Some("en"), Some("da"), [None, None, Some("da_DK")], None),
            Language::En
        );
        assert_eq!(
            from_environment(Some("fr"), None, [None, None, Some("da_DK")], None),
            Language::Da
        );
    }

    #[test]
    fn with_no_locale_variable_set_the_system_s_display_language_decides() {
        let none = [None, None, None];
        assert_eq!(
            from_environment(None, None, none, Some(Language::Da)),
            Language::Da
        );
        assert_eq!(
            from_environment(None, None, none, Some(Language::En)),
            Language::En
        );
        assert_eq!(
            from_environment(None, None, [None, None, Some("")], None),
            Language::En
        );
        assert_eq!(
            from_environment(None, None, [None, None, Some("C")], Some(Language::Da)),
            Language::En,
            "a locale variable set comes first"
        );
        assert_eq!(
            from_environment(None, Some("en"), none, Some(Language::Da)),
            Language::En
        );
        assert_eq!(
            from_environment(Some("en"), None, none, Some(Language::Da)),
            Language::En
        );
        // da-DK, en-US, en-GB, and German (de-DE) and Faroese (fo-FO), none of ours.
        assert_eq!(from_language_id(0x0406), Some(Language::Da));
        assert_eq!(from_language_id(0x0409), Some(Language::En));
        assert_eq!(from_language_id(0x0809), Some(Language::En));
        assert_eq!(from_language_id(0x0407), None);
        assert_eq!(from_language_id(0x0438), None);
    }

    #[cfg(not(windows))]
    #[test]
    fn only_windows_has_a_display_language_to_ask() {
        assert_eq!(system_language(), None);
    }

    #[cfg(windows)]
    #[test]
    fn windows_says_its_display_language_and_it_decides_with_no_locale_set() {
        // SAFETY: as in `system_language`.
        let id = unsafe { windows_sys::Win32::Globalization::GetUserDefaultUILanguage() };
        assert_ne!(id, 0, "Windows always has a display language");
        assert_eq!(system_language(), from_language_id(id));
        let expected = system_language().unwrap_or(Language::En);
        assert_eq!(
            from_environment(None, None, [None, None, None], system_language()),
            expected
        );
    }

    #[test]
    fn placeholders_are_filled_and_an_unknown_key_is_itself() {
        let text = text_in(
            Language::Da,
            "check.basic-topic-excluded",
            &[("id", "trivsel".into())],
        );
        assert_eq!(text, "basisemnet `trivsel` er udeladt");
        assert_eq!(text_in(Language::En, "no.such.key", &[]), "no.such.key");
    }
}
