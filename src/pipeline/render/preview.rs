//! Document blocks → plain Markdown, for `mus preview`: the form as a
//! reviewer reads it in a pull request diff, with the goals table as a
//! Markdown table and a marker where the note boxes are.

use super::markdown::{Block, Inline, ListKind};
use crate::form::InfoValues;

/// The Markdown of `blocks`; `goal_rows` empty rows in the goals table and
/// `info` in the info block, as in the Word form; labels in `language`.
pub fn to_markdown(
    blocks: &[Block],
    goal_rows: u32,
    info: &InfoValues,
    language: crate::language::Language,
) -> String {
    to_markdown_with_goals(blocks, goal_rows, info, &[], language)
}

/// As [`to_markdown`], with `goals` in a follow-up or last-year table.
pub fn to_markdown_with_goals(
    blocks: &[Block],
    goal_rows: u32,
    info: &InfoValues,
    goals: &[String],
    language: crate::language::Language,
) -> String {
    let words = language.labels();
    let mut out: Vec<String> = Vec::new();
    let mut numbers: Vec<(usize, usize)> = Vec::new();
    for block in blocks {
        let item = match block {
            Block::Title(content) => format!("# {}", inline(content)),
            Block::Heading { level, content } => format!(
                "{} {}",
                "#".repeat(usize::from(*level) + 1),
                inline(content)
            ),
            Block::Paragraph(content) => inline(content),
            Block::ListItem {
                kind,
                depth,
                content,
            } => {
                let indent = "  ".repeat(*depth);
                let marker = match kind {
                    ListKind::Bullet => "-".to_string(),
                    ListKind::Numbered { list } => {
                        let n = match numbers.iter_mut().find(|(l, _)| l == list) {
                            Some((_, n)) => {
                                *n += 1;
                                *n
                            }
                            None => {
                                numbers.push((*list, 1));
                                1
                            }
                        };
                        format!("{n}.")
                    }
                };
                // Items of one list stay together, without a blank line between.
                if let Some(last) = out.last_mut()
                    && (last.trim_start().starts_with("- ")
                        || last
                            .trim_start()
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_digit()))
                    && !last.starts_with('#')
                {
                    last.push_str(&format!("\n{indent}{marker} {}", inline(content)));
                    continue;
                }
                format!("{indent}{marker} {}", inline(content))
            }
            Block::NoteBox => format!("> *({})*", words.notes),
            Block::GoalsTable => {
                let columns: Vec<&str> = words
                    .goals_columns
                    .iter()
                    .chain(&words.goals_extra_columns)
                    .copied()
                    .collect();
                table(&columns, goal_rows as usize)
            }
            Block::FollowUpTable => prefilled(&words.followup_columns, goals),
            Block::PreviousGoals => prefilled(&words.previous_columns, goals),
            Block::InfoBlock => {
                let mut rows = vec!["| | |".to_string(), "|---|---|".to_string()];
                rows.extend(
                    words
                        .info_labels
                        .iter()
                        .zip(info.rows())
                        .enumerate()
                        .filter(|(i, (_, v))| *i != crate::form::info_row::ID || !v.is_empty())
                        .map(|(_, (l, v))| format!("| {l} | {v} |")),
                );
                rows.join("\n")
            }
            Block::SignatureBlock => format!(
                "{}: {} ______ {} ______\n\n{}: {} ______ {} ______",
                words.employee,
                words.date,
                words.signature,
                words.manager,
                words.date,
                words.signature
            ),
            Block::PageBreak => "---".to_string(),
            Block::Chart => format!("*({})*", words.chart),
            Block::Table(rows) => {
                let mut lines: Vec<String> = rows
                    .iter()
                    .map(|row| {
                        format!(
                            "| {} |",
                            row.iter()
                                .map(|c| inline(c))
                                .collect::<Vec<_>>()
                                .join(" | ")
                        )
                    })
                    .collect();
                let columns = rows.first().map_or(1, Vec::len);
                lines.insert(1.min(lines.len()), format!("|{}", "---|".repeat(columns)));
                lines.join("\n")
            }
            Block::Header(_) | Block::Footer(_) => continue,
        };
        out.push(item);
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

fn table(columns: &[&str], rows: usize) -> String {
    let mut lines = vec![
        format!("| {} |", columns.join(" | ")),
        format!("|{}", "---|".repeat(columns.len())),
    ];
    lines.extend(std::iter::repeat_n(
        format!("|{}", "  |".repeat(columns.len())),
        rows,
    ));
    lines.join("\n")
}

fn prefilled(columns: &[&str], goals: &[String]) -> String {
    let mut lines = vec![
        format!("| {} |", columns.join(" | ")),
        format!("|{}", "---|".repeat(columns.len())),
    ];
    lines.extend(
        goals
            .iter()
            .map(|g| format!("| {g} |{}", "  |".repeat(columns.len() - 1))),
    );
    lines.join("\n")
}

fn inline(content: &[Inline]) -> String {
    content
        .iter()
        .map(|i| match i {
            Inline::Text {
                text,
                bold: true,
                italic: false,
            } => format!("**{text}**"),
            Inline::Text {
                text,
                bold: false,
                italic: true,
            } => format!("*{text}*"),
            Inline::Text {
                text,
                bold: true,
                italic: true,
            } => format!("***{text}***"),
            Inline::Text { text, .. } => text.clone(),
            Inline::LineBreak => "  \n".to_string(),
        })
        .collect()
}
