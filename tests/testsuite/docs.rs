//! The README and the manual in `docs/`: the README stays short, every link
//! in them goes somewhere, every command has its page, and the exit codes and
//! limits the code has are the ones the manual states.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::{Succeeds, mus, root};

/// The README says what `mus` is and how the round goes; the rest is in `docs/`.
const README_MAX_BYTES: usize = 15 * 1024;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Every page of `docs/`.
fn docs_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.expect("an entry of docs/").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    pages
}

/// The README, the manual and the benchmark's README, which links into it.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![
        root().join("README.md"),
        root().join("bench").join("README.md"),
    ];
    files.extend(docs_pages());
    files
}

/// The lines of a Markdown text, those inside fenced code blocks blanked,
/// so an example is not taken for a link or a heading.
fn outside_fences(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = ["````", "```", "~~~"]
            .into_iter()
            .find(|marker| trimmed.starts_with(marker));
        match (fence, marker) {
            (None, Some(marker)) => fence = Some(marker),
            (Some(open), Some(marker)) if open == marker && trimmed.trim() == marker => {
                fence = None
            }
            (None, None) => {
                lines.push(line);
                continue;
            }
            _ => {}
        }
        lines.push("");
    }
    lines
}

/// The text outside fenced code blocks, without its code spans.
fn prose(text: &str) -> String {
    outside_fences(text)
        .into_iter()
        .map(|line| without_code_spans(line) + "\n")
        .collect()
}

/// A line with its code spans (`` `…` ``, ``` ``…`` ```) removed.
fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let after = &rest[start + ticks..];
        match after.find(&"`".repeat(ticks)) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The targets of the inline links `[text](target)` of a Markdown text.
fn link_targets(text: &str) -> Vec<String> {
    let prose = prose(text);
    let mut targets = Vec::new();
    let mut rest = prose.as_str();
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let end = after.find(')').expect("a link closes");
        targets.push(after[..end].to_string());
        rest = &after[end..];
    }
    targets
}

/// The anchors GitHub gives a page's headings: the heading's text without
/// its markup, lowercased, punctuation other than `-` and `_` dropped,
/// spaces made `-`; a repeated one gets `-1`, `-2` ….
fn heading_anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut anchors = BTreeSet::new();
    for line in outside_fences(text) {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let slug: String = line[hashes..]
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let count = seen.entry(slug.clone()).or_insert(0);
        anchors.insert(if *count == 0 {
            slug.clone()
        } else {
            format!("{slug}-{count}")
        });
        *count += 1;
    }
    anchors
}

#[test]
fn the_readme_is_at_most_15_kb() {
    let size = read(&root().join("README.md")).len();
    assert!(
        size <= README_MAX_BYTES,
        "README.md is {size} bytes; the manual belongs in docs/"
    );
}

#[test]
fn the_readme_keeps_the_two_commands_that_work_on_a_fresh_machine() {
    let readme = read(&root().join("README.md"));
    for command in [
        "cargo run --release -- generate",
        "cargo test --locked -- --include-ignored",
    ] {
        assert!(readme.contains(command), "README.md lacks `{command}`");
    }
    let ci = read(&root().join(".ci").join("run"));
    assert!(
        ci.contains("cargo test --locked -- --include-ignored"),
        ".ci/run runs the README's test command"
    );
}

/// Issue 21: HR learns from the README which files to use (workbooks in
/// Excel, the CSV for scripts) and how a round of units with one roster runs.
#[test]
fn the_readme_tells_when_to_use_excel_or_csv_and_how_units_share_one_roster() {
    let readme = read(&root().join("README.md"));
    for says in [
        "**Excel or CSV.**",
        "`collect -o maal-2027.xlsx`",
        "The CSV\n(UTF-8, comma-separated) is for scripts",
        "give every config, or their\nfolder, to `generate`, `followup` and `report`",
        "`--by-manager`",
    ] {
        assert!(readme.contains(says), "README.md does not say {says:?}");
    }
}

#[test]
fn every_relative_link_in_the_readme_and_the_manual_resolves() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = read(&file);
        for target in link_targets(&text) {
            if ["http://", "https://", "mailto:"]
                .iter()
                .any(|scheme| target.starts_with(scheme))
            {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let linked = if path.is_empty() {
                file.clone()
            } else {
                file.parent().expect("a folder").join(path)
            };
            if !linked.exists() {
                broken.push(format!("{}: `{target}`: no such file", file.display()));
                continue;
            }
            if let Some(anchor) = anchor {
                let anchors = heading_anchors(&read(&linked));
                if !anchors.contains(anchor) {
                    broken.push(format!(
                        "{}: `{target}`: no heading `#{anchor}` in {} (it has {anchors:?})",
                        file.display(),
                        linked.display()
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_check_knows_github_anchors_and_skips_code() {
    let anchors = heading_anchors(
        "# `mus generate`\n## Messages: `--lang da|en`\n```\n# not a heading\n```\n## Limits\n## Limits\n",
    );
    let expected: BTreeSet<String> = ["mus-generate", "messages---lang-daen", "limits", "limits-1"]
        .map(String::from)
        .into();
    assert_eq!(anchors, expected);
    assert_eq!(
        link_targets("[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n[d\ne](w.md#f)"),
        ["x.md", "w.md#f"]
    );
}

/// The subcommands `mus --help` lists, but `help`.
fn subcommands() -> Vec<String> {
    let output = mus().arg("--help").succeeds();
    let help = String::from_utf8(output.stdout).expect("UTF-8 help");
    let commands: Vec<String> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect();
    assert!(commands.len() >= 10, "{help}");
    commands
}

#[test]
fn every_command_has_a_page_in_the_manual_and_the_contents_link_it() {
    let contents = read(&root().join("docs").join("README.md"));
    let contents_links = link_targets(&contents);
    for command in subcommands() {
        let title = format!("`mus {command}`");
        let page = docs_pages().into_iter().find(|page| {
            read(page)
                .lines()
                .next()
                .is_some_and(|first| first.starts_with("# ") && first.contains(&title))
        });
        let Some(page) = page else {
            panic!("no page in docs/ is titled with {title}");
        };
        let name = page.file_name().expect("a name").to_string_lossy();
        assert!(
            contents_links.iter().any(|link| *link == name),
            "docs/README.md does not link {name}, the page of {title}"
        );
    }
}

/// The exit codes the program defines: 0, the arms of `Error::exit_code`,
/// and every `ExitCode::from(N)` and `Exit(N)` with a literal code.
fn exit_codes_in_the_code() -> BTreeSet<u8> {
    let mut codes = BTreeSet::from([0]);
    let error = read(&root().join("src").join("error.rs"));
    let start = error.find("fn exit_code").expect("Error::exit_code");
    let body = &error[start..start + error[start..].find("\n    }\n").expect("its end")];
    for arm in body.split("=> ").skip(1) {
        let digits: String = arm.chars().take_while(char::is_ascii_digit).collect();
        codes.insert(digits.parse().expect("a literal exit code"));
    }
    let mut sources = vec![root().join("src").join("main.rs")];
    sources.extend(
        std::fs::read_dir(root().join("src").join("cmd"))
            .expect("src/cmd")
            .map(|entry| entry.expect("an entry").path()),
    );
    for source in sources {
        let text = read(&source);
        for call in ["ExitCode::from(", "Exit("] {
            for after in text.split(call).skip(1) {
                let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                if !digits.is_empty() && after[digits.len()..].starts_with(')') {
                    codes.insert(digits.parse().expect("an exit code"));
                }
            }
        }
    }
    codes
}

/// The lines of one `## heading` section of a page.
fn section(page: &str, heading: &str) -> String {
    let text = read(&root().join("docs").join(page));
    let start = text
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("docs/{page} has no section `## {heading}`"));
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |end| end + 3);
    rest[..end].to_string()
}

#[test]
fn every_exit_code_the_program_defines_is_documented_and_no_other() {
    let documented: BTreeSet<u8> = section("safety.md", "Exit codes")
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|line| line.split(" |").next())
        .filter_map(|code| code.parse().ok())
        .collect();
    let defined = exit_codes_in_the_code();
    assert!(defined.len() >= 4, "{defined:?}");
    assert_eq!(
        documented, defined,
        "docs/safety.md's exit codes and the code's"
    );
}

/// `2,000`, `500,000`: counts as the manual writes them.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `2 million`, `50 million`.
fn millions(n: u64) -> String {
    assert!(
        n.is_multiple_of(1_000_000),
        "{n} is a whole number of millions"
    );
    format!("{} million", n / 1_000_000)
}

#[test]
fn the_safety_page_states_every_limit_of_src_limits_rs() {
    use mus::limits::*;
    let bytes = human;
    // Each constant: the row of the Limits table it belongs to, and what the row says of it.
    let stated: Vec<(&str, &str, String)> = vec![
        ("CONFIG_BYTES", "a config file", bytes(CONFIG_BYTES)),
        (
            "YAML_EXPANDED",
            "a config after YAML aliases",
            bytes(YAML_EXPANDED),
        ),
        (
            "YAML_DEPTH",
            "lists and maps nested",
            format!("{YAML_DEPTH} levels"),
        ),
        (
            "ROUND_CONFIGS",
            "the configs of one round",
            format!("{ROUND_CONFIGS} configs"),
        ),
        ("ROSTER_BYTES", "a roster CSV", bytes(ROSTER_BYTES)),
        ("ROSTER_BYTES", "a roster workbook", bytes(ROSTER_BYTES)),
        (
            "ROSTER_CELL_BYTES",
            "a roster cell",
            bytes(ROSTER_CELL_BYTES),
        ),
        ("FORM_BYTES", "a file `collect` reads", bytes(FORM_BYTES)),
        (
            "FORM_DOCUMENT_BYTES",
            "a form's package",
            format!("{} unpacked", bytes(FORM_DOCUMENT_BYTES)),
        ),
        (
            "FORM_ENTRIES",
            "a form's package",
            format!("{} parts", thousands(FORM_ENTRIES as u64)),
        ),
        (
            "FORM_XML_NODES",
            "a form's package",
            format!("{} XML nodes", millions(FORM_XML_NODES.into())),
        ),
        (
            "FORM_BOOKMARKS",
            "a form's package",
            format!("{FORM_BOOKMARKS} goals tables"),
        ),
        (
            "WORKBOOK_ENTRIES",
            "a workbook's package",
            format!("{} parts", thousands(WORKBOOK_ENTRIES as u64)),
        ),
        (
            "WORKBOOK_PART_BYTES",
            "a workbook's package",
            format!("each part {} unpacked", bytes(WORKBOOK_PART_BYTES)),
        ),
        (
            "WORKBOOK_UNPACKED_BYTES",
            "a workbook's package",
            format!("all together {}", bytes(WORKBOOK_UNPACKED_BYTES)),
        ),
        (
            "WORKBOOK_ROWS",
            "a workbook's sheet",
            format!("{} rows", thousands(WORKBOOK_ROWS as u64)),
        ),
        (
            "WORKBOOK_COLUMNS",
            "a workbook's sheet",
            format!("{WORKBOOK_COLUMNS} columns"),
        ),
        (
            "WORKBOOK_CELLS",
            "a workbook's sheet",
            format!("{} cells", millions(WORKBOOK_CELLS as u64)),
        ),
        (
            "TEMPLATE_BYTES",
            "a `--templates` file",
            bytes(TEMPLATE_BYTES),
        ),
        (
            "TEMPLATE_FUEL",
            "a template's run",
            format!("fuel {}", millions(TEMPLATE_FUEL)),
        ),
        (
            "TEMPLATE_RECURSION",
            "a template's run",
            format!("{TEMPLATE_RECURSION} levels of recursion"),
        ),
        ("HOUSE_BYTES", "a house file", bytes(HOUSE_BYTES)),
        (
            "HOUSE_ENTRIES",
            "a house file",
            format!("{} parts", thousands(HOUSE_ENTRIES as u64)),
        ),
        (
            "HOUSE_PART_BYTES",
            "a house file",
            format!("{} unpacked", bytes(HOUSE_PART_BYTES)),
        ),
        (
            "HOUSE_XML_NODES",
            "a house file",
            format!("{} XML nodes", millions(HOUSE_XML_NODES.into())),
        ),
        (
            "HOUSE_PICTURES",
            "a house file",
            format!("{HOUSE_PICTURES} pictures"),
        ),
        (
            "HOUSE_PICTURE_BYTES",
            "a house file",
            format!("{} together", bytes(HOUSE_PICTURE_BYTES)),
        ),
    ];

    // A limit added to src/limits.rs needs its line here, and so in the manual.
    let source = read(&root().join("src").join("limits.rs"));
    let in_code: BTreeSet<&str> = source
        .lines()
        .filter_map(|line| line.strip_prefix("pub const "))
        .filter_map(|rest| rest.split(':').next())
        .collect();
    let in_test: BTreeSet<&str> = stated.iter().map(|(name, _, _)| *name).collect();
    assert_eq!(
        in_code, in_test,
        "every limit in src/limits.rs is checked against docs/safety.md"
    );

    let table = section("safety.md", "Limits");
    for (name, row, says) in &stated {
        let line = table
            .lines()
            .find(|line| line.starts_with(&format!("| {row}")))
            .unwrap_or_else(|| panic!("docs/safety.md's Limits table has no row `{row}`"));
        assert!(
            line.contains(says.as_str()),
            "docs/safety.md: the row `{row}` does not say `{says}` ({name}):\n{line}"
        );
    }
}

#[test]
fn the_readme_and_the_manual_are_wrapped_at_100_columns() {
    let mut long = Vec::new();
    for file in markdown_files()
        .into_iter()
        .filter(|file| !file.starts_with(root().join("bench")))
    {
        let text = read(&file);
        for (number, line) in outside_fences(&text).into_iter().enumerate() {
            // A table row cannot be wrapped.
            if line.chars().count() > 100 && !line.starts_with('|') {
                long.push(format!("{}:{}", file.display(), number + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "lines over 100 columns outside tables and code:\n{}",
        long.join("\n")
    );
}
