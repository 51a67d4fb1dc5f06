//! Markdown (what a template renders) → document blocks. Plain Markdown gives
//! headings, paragraphs, emphasis and lists; fenced blocks with a block name
//! (```` ```note-box ````) ask for the parts a form needs.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    LineBreak,
}

/// The text of inline content without its emphasis.
pub fn plain_text(content: &[Inline]) -> String {
    content
        .iter()
        .map(|inline| match inline {
            Inline::Text { text, .. } => text.as_str(),
            Inline::LineBreak => " ",
        })
        .collect()
}

/// Which kind of list an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Bullet,
    /// Numbered; `list` tells lists apart so each one starts again at 1.
    Numbered {
        list: usize,
    },
}

/// A table's rows of cells; the first row is the header.
pub type TableRows = Vec<Vec<Vec<Inline>>>;

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `# …`: the document's title.
    Title(Vec<Inline>),
    /// `## …` is level 1, `### …` level 2, `####` and deeper level 3.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    ListItem {
        kind: ListKind,
        depth: usize,
        content: Vec<Inline>,
    },
    /// ```` ```note-box ````: an empty bordered box to write notes in.
    NoteBox,
    /// ```` ```goals-table ````: the development goals table.
    GoalsTable,
    /// ```` ```info-block ````: Medarbejder, Leder, Enhed, Dato.
    InfoBlock,
    /// ```` ```followup-table ````: the goals agreed at the interview, with
    /// columns for status, what helped, what got in the way, next step.
    FollowUpTable,
    /// ```` ```previous-goals ````: last year's goals, with status and what helped.
    PreviousGoals,
    /// ```` ```signature-block ````: date and signature lines for both.
    SignatureBlock,
    /// ```` ```page-break ````.
    PageBreak,
    /// ```` ```chart ````: the report's bar chart.
    Chart,
    /// A Markdown table; the first row is the header.
    Table(TableRows),
    /// ```` ```header ````: the page header's text.
    Header(String),
    /// ```` ```footer ````: the page footer's text; `{side}` and `{sider}`
    /// become the page number and the page count.
    Footer(String),
}

/// The block names a template may use, for messages and docs/templates.md.
pub const BLOCK_NAMES: &[&str] = &[
    "note-box",
    "goals-table",
    "info-block",
    "followup-table",
    "previous-goals",
    "signature-block",
    "page-break",
    "chart",
    "header",
    "footer",
];

/// A fenced block with a name we do not know, and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownBlock {
    pub name: String,
    pub line: usize,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    bold: usize,
    italic: usize,
    /// Open lists, innermost last.
    lists: Vec<ListKind>,
    next_list: usize,
    /// Inside an item we collect its first paragraph as the item's text.
    in_item: bool,
    fence: Option<(String, String, usize)>,
    /// The rows of a table being read, and the cells of its current row.
    table: Option<(TableRows, Vec<Vec<Inline>>)>,
}

impl Builder {
    fn flush(&mut self, make: impl FnOnce(Vec<Inline>) -> Block) {
        let content = std::mem::take(&mut self.inlines);
        if !content.is_empty() {
            self.blocks.push(make(content));
        }
    }

    fn flush_item(&mut self) {
        if let Some(kind) = self.lists.last().copied() {
            let depth = self.lists.len() - 1;
            self.flush(|content| Block::ListItem {
                kind,
                depth,
                content,
            });
        }
    }

    fn text(&mut self, text: &str) {
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        if let Some(Inline::Text {
            text: last,
            bold: b,
            italic: i,
        }) = self.inlines.last_mut()
            && *b == bold
            && *i == italic
        {
            last.push_str(text);
            return;
        }
        self.inlines.push(Inline::Text {
            text: text.to_string(),
            bold,
            italic,
        });
    }
}

/// Parses rendered Markdown into blocks.
pub fn parse(markdown: &str) -> Result<Vec<Block>, UnknownBlock> {
    let mut b = Builder::default();
    let (mut lines_before, mut counted_to) = (0, 0);
    for (event, range) in Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => b.table = Some((Vec::new(), Vec::new())),
            Event::End(TagEnd::TableCell) => {
                let content = std::mem::take(&mut b.inlines);
                if let Some((_, row)) = &mut b.table {
                    row.push(content);
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some((rows, row)) = &mut b.table {
                    rows.push(std::mem::take(row));
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((rows, _)) = b.table.take() {
                    b.blocks.push(Block::Table(rows));
                }
            }
            Event::Start(Tag::Strong) => b.bold += 1,
            Event::End(TagEnd::Strong) => b.bold -= 1,
            Event::Start(Tag::Emphasis) => b.italic += 1,
            Event::End(TagEnd::Emphasis) => b.italic -= 1,
            Event::Start(Tag::List(start)) => {
                if b.in_item {
                    b.flush_item();
                }
                let kind = match start {
                    Some(_) => {
                        b.next_list += 1;
                        ListKind::Numbered { list: b.next_list }
                    }
                    None => ListKind::Bullet,
                };
                b.lists.push(kind);
            }
            Event::End(TagEnd::List(_)) => {
                b.lists.pop();
            }
            Event::Start(Tag::Item) => b.in_item = true,
            Event::End(TagEnd::Item) => {
                b.flush_item();
                b.in_item = false;
            }
            Event::End(TagEnd::Paragraph) => {
                if b.in_item {
                    b.flush_item();
                } else {
                    b.flush(Block::Paragraph);
                }
            }
            Event::End(TagEnd::Heading(level)) => b.flush(|content| match level {
                HeadingLevel::H1 => Block::Title(content),
                HeadingLevel::H2 => Block::Heading { level: 1, content },
                HeadingLevel::H3 => Block::Heading { level: 2, content },
                _ => Block::Heading { level: 3, content },
            }),
            Event::Start(Tag::CodeBlock(kind)) => {
                let name = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                // Count lines from the previous fence on, not from the start:
                // a form has a fence per note box, and counting from the start
                // each time made rendering quadratic in the number of questions.
                lines_before += markdown[counted_to..range.start].matches('\n').count();
                counted_to = range.start;
                let line = lines_before + 1;
                b.fence = Some((name, String::new(), line));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((name, body, line)) = b.fence.take() {
                    let block = match name.as_str() {
                        "note-box" => Block::NoteBox,
                        "goals-table" => Block::GoalsTable,
                        "info-block" => Block::InfoBlock,
                        "followup-table" => Block::FollowUpTable,
                        "previous-goals" => Block::PreviousGoals,
                        "signature-block" => Block::SignatureBlock,
                        "page-break" => Block::PageBreak,
                        "chart" => Block::Chart,
                        "header" => Block::Header(inline_text(&body)),
                        "footer" => Block::Footer(inline_text(&body)),
                        "" => Block::Paragraph(vec![Inline::Text {
                            text: body.trim_end().to_string(),
                            bold: false,
                            italic: false,
                        }]),
                        _ => return Err(UnknownBlock { name, line }),
                    };
                    b.blocks.push(block);
                }
            }
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                match &mut b.fence {
                    Some((_, body, _)) => body.push_str(&text),
                    None => b.text(&text),
                }
            }
            Event::SoftBreak => b.text(" "),
            Event::HardBreak => b.inlines.push(Inline::LineBreak),
            _ => {}
        }
    }
    Ok(b.blocks)
}

/// The plain text of a short piece of Markdown: resolves the escapes that
/// template values carry, for the header and footer text.
fn inline_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown.trim()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text {
            text: t.into(),
            bold: false,
            italic: false,
        }
    }

    #[test]
    fn headings_paragraphs_and_emphasis() {
        let blocks = parse("# T\n\n## 1. Trivsel\n\nEn **fed** tekst\n").expect("parses");
        assert_eq!(blocks[0], Block::Title(vec![text("T")]));
        assert_eq!(
            blocks[1],
            Block::Heading {
                level: 1,
                content: vec![text("1. Trivsel")]
            }
        );
        assert_eq!(
            blocks[2],
            Block::Paragraph(vec![
                text("En "),
                Inline::Text {
                    text: "fed".into(),
                    bold: true,
                    italic: false
                },
                text(" tekst")
            ])
        );
    }

    #[test]
    fn each_numbered_list_is_its_own_list() {
        let blocks = parse("1. a\n2. b\n\nx\n\n1. c\n").expect("parses");
        let lists: Vec<_> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::ListItem {
                    kind: ListKind::Numbered { list },
                    ..
                } => Some(*list),
                _ => None,
            })
            .collect();
        assert_eq!(lists, vec![1, 1, 2]);
    }

    #[test]
    fn named_fences_become_form_blocks_and_unknown_names_fail() {
        let blocks = parse("```note-box\n```\n\n```footer\nA \\& B {side}\n```\n").expect("parses");
        assert_eq!(
            blocks,
            vec![Block::NoteBox, Block::Footer("A & B {side}".into())]
        );
        let err = parse("x\n\n```nope\n```\n").expect_err("fails");
        assert_eq!(
            err,
            UnknownBlock {
                name: "nope".into(),
                line: 3
            }
        );
    }

    #[test]
    fn tables_become_table_blocks() {
        let blocks = parse("| A | B \\| C |\n|---|---|\n| 1 | **2** |\n").expect("parses");
        let Block::Table(rows) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1], vec![text("B | C")]);
        assert_eq!(
            rows[1][1],
            vec![Inline::Text {
                text: "2".into(),
                bold: true,
                italic: false
            }]
        );
    }

    #[test]
    fn escaped_html_and_entities_stay_literal() {
        let blocks = parse(r"\<b\> \&amp; \&").expect("parses");
        assert_eq!(blocks, vec![Block::Paragraph(vec![text("<b> &amp; &")])]);
    }
}
