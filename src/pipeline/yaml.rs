//! Reading YAML with locations: serde_yaml does the typing, and a second pass
//! with yaml-rust2's event parser records where every value stands, so later
//! stages can point at `mus.yaml:7:5` when a value is wrong in meaning.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{Diagnostic, Location};

/// Where each value of a YAML document stands, keyed by a path such as
/// `custom_topics[0].questions[2]` or `schedule.follow_up_by`.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    values: HashMap<String, Location>,
    keys: HashMap<String, Location>,
}

impl SourceMap {
    /// Where the value at `path` starts, if the document has it.
    pub fn value(&self, path: &str) -> Option<Location> {
        // A value reached through a YAML alias has no place of its own:
        // fall back to the nearest enclosing value that has one.
        let mut path = path;
        loop {
            if let Some(loc) = self.values.get(path) {
                return Some(*loc);
            }
            path = &path[..path.rfind(['.', '['])?];
        }
    }

    /// Where the key of the entry at `path` starts (the value's location as a fallback).
    pub fn key(&self, path: &str) -> Option<Location> {
        self.keys.get(path).copied().or_else(|| self.value(path))
    }
}

/// Parses `text` (from `file`, as named in messages) into `T`, rejecting
/// text Word cannot hold, and returns the value with its source map.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> crate::error::Result<(T, SourceMap)> {
    // Windows editors often save UTF-8 with a byte order mark.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // The event pass comes first: it sees aliases without expanding them,
    // so a file that would blow up when expanded is refused before serde
    // expands anything.
    let mut recorder = Recorder::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut recorder, false)
        .map_err(|err| syntax_diagnostic(file, text, *err.marker(), err.info()))?;
    if let Some(loc) = recorder.too_big {
        return Err(Diagnostic::new(
            file,
            Some(loc),
            crate::msg!(
                "yaml.too-large",
                limit = crate::limits::human(crate::limits::YAML_EXPANDED)
            ),
        )
        .with_hint(crate::msg!("yaml.too-large.hint"))
        .with_code("yaml-too-large")
        .into());
    }
    if let Some(loc) = recorder.too_deep {
        return Err(Diagnostic::new(
            file,
            Some(loc),
            crate::msg!("yaml.too-deep", levels = crate::limits::YAML_DEPTH),
        )
        .with_hint(crate::msg!("yaml.too-deep.hint"))
        .with_code("yaml-too-deep")
        .into());
    }
    let value: T = serde_yaml::from_str(text).map_err(|err| serde_diagnostic(file, text, &err))?;
    if let Some((loc, ch)) = recorder.bad_char {
        return Err(Diagnostic::new(
            file,
            Some(loc),
            crate::msg!(
                "yaml.control-character",
                code = format!("U+{:04X}", ch as u32)
            ),
        )
        .with_hint(crate::msg!("yaml.control-character.hint"))
        .into());
    }
    Ok((value, recorder.map))
}

/// A YAML syntax error as the scanner gives it, in the user's language and
/// with what to do for the mistakes people make most in a hand-written
/// config: a tab, a `: ` inside a value, a line indented wrongly, a `-`
/// with no space after it.
fn syntax_diagnostic(file: &str, text: &str, marker: Marker, info: &str) -> Diagnostic {
    let at = location(marker);
    if let Some(dash) = dash_without_space(text, at.line) {
        return Diagnostic::new(file, Some(dash.at), crate::msg!("yaml.dash-without-space"))
            .with_hint(crate::msg!(
                "yaml.dash-without-space.hint",
                item = dash.item
            ))
            .with_code("yaml-syntax");
    }
    let line = text
        .lines()
        .nth(at.line.saturating_sub(1))
        .unwrap_or_default();
    if info.contains("tab") || (info.contains("whitespace") && line.contains('\t')) {
        return Diagnostic::new(file, Some(first_tab(text, at)), crate::msg!("yaml.tab"))
            .with_hint(crate::msg!("yaml.tab.hint"))
            .with_code("yaml-syntax");
    }
    if info.starts_with("mapping values are not allowed") {
        let before: String = line.chars().take(at.column.saturating_sub(1)).collect();
        if let Some((key, _)) = before.split_once(": ") {
            let key = key.trim().trim_start_matches("- ");
            let value = line[line.find(": ").map_or(0, |i| i + 2)..].trim();
            return Diagnostic::new(file, Some(at), crate::msg!("yaml.colon-in-value"))
                .with_hint(crate::msg!(
                    "yaml.colon-in-value.hint",
                    example = format!("{key}: \"{}\"", value.replace('"', "'"))
                ))
                .with_code("yaml-syntax");
        }
        return indentation(file, at);
    }
    if info.contains("did not find expected") || info.contains("simple key expect") {
        return indentation(file, at);
    }
    Diagnostic::new(file, Some(at), crate::msg!("yaml.syntax", detail = info))
        .with_code("yaml-syntax")
}

/// The finding for a line indented out of step with the lines above it.
fn indentation(file: &str, at: Location) -> Diagnostic {
    Diagnostic::new(file, Some(at), crate::msg!("yaml.indentation"))
        .with_hint(crate::msg!("yaml.indentation.hint"))
        .with_code("yaml-syntax")
}

/// The first tab at or after `at`'s line (the scanner may stop at the end
/// of the value before it), or `at` itself.
fn first_tab(text: &str, at: Location) -> Location {
    text.lines()
        .enumerate()
        .skip(at.line.saturating_sub(1))
        .find_map(|(i, line)| {
            let column = line.chars().position(|c| c == '\t')?;
            Some(Location {
                line: i + 1,
                column: column + 1,
            })
        })
        .unwrap_or(at)
}

/// A list item written `-trivsel`, with no space after the dash.
struct DashWithoutSpace {
    at: Location,
    item: String,
}

/// The first line up to `last_line` that starts with a `-` and no space
/// after it (`---`, a document marker, and `-5`, a number, are left alone).
fn dash_without_space(text: &str, last_line: usize) -> Option<DashWithoutSpace> {
    text.lines()
        .take(last_line)
        .enumerate()
        .find_map(|(i, line)| {
            let trimmed = line.trim_start();
            let rest = trimmed.strip_prefix('-')?;
            let next = rest.chars().next()?;
            if next.is_whitespace() || next == '-' || next.is_ascii_digit() {
                return None;
            }
            Some(DashWithoutSpace {
                at: Location {
                    line: i + 1,
                    column: line.len() - trimmed.len() + 1,
                },
                item: rest.trim_end().to_string(),
            })
        })
}

/// serde_yaml puts the location into its message; we move it to the front,
/// and say what it says in the user's language.
fn serde_diagnostic(file: &str, text: &str, err: &serde_yaml::Error) -> Diagnostic {
    let full = err.to_string();
    let location = err.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    });
    let message = match full.find(" at line ") {
        Some(at) if location.is_some() => full[..at].to_string(),
        _ => full,
    };
    // serde's message starts with the path of the value (`schedule: `).
    let (path, core) = match message.split_once(": ") {
        Some((path, core)) if !path.contains(' ') => (format!("{path}: "), core.to_string()),
        _ => (String::new(), message.clone()),
    };
    if let Some(dash) = location.and_then(|at| dash_without_space(text, at.line))
        && core.starts_with("invalid type")
    {
        return Diagnostic::new(
            file,
            Some(dash.at),
            format!("{path}{}", crate::msg!("yaml.dash-without-space")),
        )
        .with_hint(crate::msg!(
            "yaml.dash-without-space.hint",
            item = dash.item
        ));
    }
    let hint = if core.starts_with("unknown field") {
        Some(match unknown_key_suggestion(&core) {
            Some(key) => crate::msg!("hint.did-you-mean", name = key),
            None => crate::msg!("yaml.unknown-field.hint"),
        })
    } else if core.starts_with("missing field") {
        Some(crate::msg!("yaml.missing-field.hint"))
    } else if is_date_error(&core) {
        Some(crate::msg!("yaml.date.hint"))
    } else if core.starts_with("invalid type") {
        Some(crate::msg!("yaml.invalid-type.hint"))
    } else {
        None
    };
    let diagnostic = Diagnostic::new(file, location, format!("{path}{}", serde_message(&core)));
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// chrono's words for a date it cannot read.
fn is_date_error(message: &str) -> bool {
    [
        "input is out of range",
        "premature end of input",
        "trailing input",
        "input contains invalid characters",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// serde's message without its path, in the user's language: the messages
/// a config gets are recognised by their shape, any other is kept as it is.
fn serde_message(core: &str) -> String {
    let quoted: Vec<&str> = core.split('`').skip(1).step_by(2).collect();
    if core.starts_with("unknown field") {
        return crate::msg!("yaml.unknown-field", field = quoted.first().unwrap_or(&""));
    }
    if core.starts_with("missing field") {
        return crate::msg!("yaml.missing-field", field = quoted.first().unwrap_or(&""));
    }
    if core.starts_with("unknown variant") {
        let values: Vec<String> = quoted.iter().skip(1).map(|v| format!("`{v}`")).collect();
        return crate::msg!(
            "yaml.unknown-value",
            value = quoted.first().unwrap_or(&""),
            values = values.join(", ")
        );
    }
    if is_date_error(core) {
        return crate::msg!("yaml.not-a-date");
    }
    for (prefix, key) in [
        ("invalid type: ", "yaml.invalid-type"),
        ("invalid value: ", "yaml.invalid-value"),
    ] {
        if let Some((found, expected)) = core
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once(", expected "))
        {
            let (found, expected) = (found_words(found), expected_words(expected));
            return match key {
                "yaml.invalid-type" => {
                    crate::msg!("yaml.invalid-type", found = found, expected = expected)
                }
                _ => crate::msg!("yaml.invalid-value", found = found, expected = expected),
            };
        }
    }
    core.to_string()
}

/// serde's name for the value a file holds (`string "x"`, `integer `5``),
/// in the user's words.
fn found_words(found: &str) -> String {
    let (kind, value) = found.split_once(' ').unwrap_or((found, ""));
    let value = value.trim_matches('`');
    match kind {
        "string" => crate::msg!("yaml.found.text", value = value.trim_matches('"')),
        "integer" | "floating" => {
            let value = value.trim_start_matches("point ").trim_matches('`');
            crate::msg!("yaml.found.number", value = value)
        }
        "boolean" => crate::msg!("yaml.found.boolean", value = value),
        "sequence" => crate::msg!("yaml.found.list"),
        "map" => crate::msg!("yaml.found.map"),
        "unit" | "null" => crate::msg!("yaml.found.nothing"),
        _ => found.to_string(),
    }
}

/// serde's name for what the value should be (a Rust type, `a sequence`),
/// as what the file should hold, in the user's words.
fn expected_words(expected: &str) -> String {
    match expected {
        "struct RawConfig" => crate::msg!("yaml.expected.config"),
        "struct CatalogueFile" => crate::msg!("yaml.expected.catalogue"),
        "struct RawCustomTopic" => crate::msg!("yaml.expected.custom-topic"),
        "struct ScheduleDates" => crate::msg!("yaml.expected.schedule"),
        "u8" | "u16" | "u32" | "u64" | "i32" | "i64" | "usize" => {
            crate::msg!("yaml.expected.whole-number")
        }
        "a sequence" => crate::msg!("yaml.expected.list"),
        "a string" => crate::msg!("yaml.expected.text"),
        "a boolean" => crate::msg!("yaml.expected.boolean"),
        _ if expected.starts_with("a map") || expected.starts_with("struct ") => {
            crate::msg!("yaml.expected.map")
        }
        _ => expected.to_string(),
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the closest of a, b.
fn unknown_key_suggestion(message: &str) -> Option<String> {
    let mut names = message.split('`').skip(1).step_by(2);
    let wrong = names.next()?;
    crate::error::closest(names, wrong).map(str::to_string)
}

fn location(marker: Marker) -> Location {
    Location {
        line: marker.line(),
        column: marker.col() + 1,
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    map: SourceMap,
    bad_char: Option<(Location, char)>,
    /// The size the document would have with every alias expanded: text
    /// bytes plus one per value.
    expanded: u64,
    /// The expanded size of each anchored value, by anchor id.
    anchors: HashMap<usize, u64>,
    /// For each open list or map: its anchor id and `expanded` at its start.
    open: Vec<(usize, u64)>,
    /// Where the expanded size first passed the limit.
    too_big: Option<Location>,
    /// Where nesting first passed the limit.
    too_deep: Option<Location>,
}

impl Recorder {
    /// Counts a value of `size` toward the expanded size.
    fn grow(&mut self, size: u64, loc: Location) {
        self.expanded = self.expanded.saturating_add(size);
        if self.expanded > crate::limits::YAML_EXPANDED && self.too_big.is_none() {
            self.too_big = Some(loc);
        }
    }
}

impl Recorder {
    /// The path a value arriving now gets, or `None` when it is a mapping key.
    fn next_value_path(&mut self, scalar: Option<&str>, loc: Location) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let p = format!("{path}[{index}]");
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    // A key: remember it for the value that follows.
                    let k = scalar.unwrap_or_default().to_string();
                    self.map.keys.insert(join(path, &k), loc);
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let loc = location(mark);
        match ev {
            Event::Scalar(ref value, _, anchor, _) => {
                let size = value.len() as u64 + 1;
                self.grow(size, loc);
                if anchor != 0 {
                    self.anchors.insert(anchor, size);
                }
                if self.bad_char.is_none()
                    && let Some(ch) = value.chars().find(|c| crate::text::is_xml_invalid(*c))
                {
                    self.bad_char = Some((loc, ch));
                }
                if let Some(path) = self.next_value_path(Some(value), loc) {
                    self.map.values.insert(path, loc);
                }
            }
            Event::Alias(anchor) => {
                let size = self.anchors.get(&anchor).copied().unwrap_or(1);
                self.grow(size, loc);
                if let Some(path) = self.next_value_path(None, loc) {
                    self.map.values.insert(path, loc);
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                self.grow(1, loc);
                self.open.push((anchor, self.expanded));
                if self.open.len() > crate::limits::YAML_DEPTH && self.too_deep.is_none() {
                    self.too_deep = Some(loc);
                }
                // A collection used as a mapping key has no useful path.
                let path = self.next_value_path(None, loc).unwrap_or_default();
                self.map.values.insert(path.clone(), loc);
                self.stack.push(if is_map {
                    Frame::Map { path, key: None }
                } else {
                    Frame::Seq { path, index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                if let Some((anchor, start)) = self.open.pop()
                    && anchor != 0
                {
                    self.anchors.insert(anchor, self.expanded - start + 1);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        a: String,
        list: Vec<String>,
        nested: HashMap<String, Vec<String>>,
    }

    #[test]
    fn records_paths_of_nested_values() {
        let text = "a: x\nlist:\n  - one\n  - two\nnested:\n  k: [p, q]\n";
        let (_, map) = parse::<Doc>("t.yaml", text).expect("valid");
        assert_eq!(map.value("a"), Some(Location { line: 1, column: 4 }));
        assert_eq!(map.value("list[1]"), Some(Location { line: 4, column: 5 }));
        assert_eq!(
            map.value("nested.k[1]"),
            Some(Location {
                line: 6,
                column: 10
            })
        );
        assert_eq!(map.key("nested"), Some(Location { line: 5, column: 1 }));
    }

    #[test]
    fn rejects_escaped_control_character_with_its_location() {
        let text = "a: x\nlist: [\"ok\", \"bad\\x01\"]\nnested: {}\n";
        let err = parse::<Doc>("t.yaml", text)
            .expect_err("must fail")
            .diagnostics()[0]
            .clone();
        assert_eq!(
            err.location,
            Some(Location {
                line: 2,
                column: 14
            })
        );
        assert!(err.message.contains("U+0001"), "{}", err.message);
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let (_, map) =
            parse::<Doc>("t.yaml", "\u{FEFF}a: x\nlist: []\nnested: {}\n").expect("valid");
        assert_eq!(map.value("a"), Some(Location { line: 1, column: 4 }));
    }

    #[test]
    fn values_behind_an_alias_are_located_at_the_alias() {
        let text = "a: x\nlist: &l [p, q]\nnested:\n  k: *l\n";
        let (_, map) = parse::<Doc>("t.yaml", text).expect("valid");
        assert_eq!(
            map.value("nested.k[1]"),
            Some(Location { line: 4, column: 6 })
        );
    }

    #[test]
    fn type_error_has_location_and_no_duplicate_suffix() {
        let err = parse::<Doc>("t.yaml", "a: x\nlist: 5\nnested: {}\n")
            .expect_err("must fail")
            .diagnostics()[0]
            .clone();
        assert_eq!(err.location.map(|l| l.line), Some(2));
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn aliases_that_multiply_the_text_are_refused_before_expansion() {
        // "billion laughs": each level doubles the one before.
        let mut text = String::from(
            "a: &l0 [\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]\n",
        );
        for level in 1..40 {
            text.push_str(&format!(
                "l{level}: &l{level} [*l{prev}, *l{prev}]\n",
                prev = level - 1
            ));
        }
        text.push_str("list: []\nnested: {}\n");
        let err = parse::<serde_yaml::Value>("t.yaml", &text).expect_err("a bomb");
        assert_eq!(err.diagnostics()[0].code, "yaml-too-large");
        assert!(err.diagnostics()[0].location.is_some());
    }

    #[test]
    fn a_shared_list_behind_an_alias_is_fine() {
        let text = "a: x\nlist: &l [p, q]\nnested:\n  k: *l\n  m: *l\n";
        parse::<Doc>("t.yaml", text).expect("a few aliases are fine");
    }

    #[test]
    fn a_dash_without_a_space_is_found_but_a_document_marker_and_a_negative_number_are_not() {
        let found = dash_without_space("a:\n  -b\n", 2).expect("found");
        assert_eq!(found.at, Location { line: 2, column: 3 });
        assert_eq!(found.item, "b");
        assert!(dash_without_space("---\na: -5\nb:\n  - c\n  --d\n", 5).is_none());
        assert!(
            dash_without_space("a:\n  - b\n  -c\n", 2).is_none(),
            "only lines up to the error count"
        );
    }

    #[test]
    fn a_tab_is_named_where_it_stands_not_where_the_scanner_stopped() {
        let err = parse::<serde_yaml::Value>("t.yaml", "a: x\nb: y\n\tc: z\n").expect_err("a tab");
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.location, Some(Location { line: 3, column: 1 }));
        assert_eq!(diagnostic.code, "yaml-syntax");
        assert!(diagnostic.hint.is_some());
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let depth = crate::limits::YAML_DEPTH + 1;
        let text = format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let err = parse::<serde_yaml::Value>("t.yaml", &text).expect_err("too deep");
        assert_eq!(err.diagnostics()[0].code, "yaml-too-deep");
    }
}
