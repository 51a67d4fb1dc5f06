//! Document blocks → a Word document (docx-rs). Every paragraph and table
//! uses a named style, so a workplace restyles the documents in Word by
//! changing Title, Heading 1/2, List Bullet/Number or Table Grid.

use crate::form::{
    DOCUMENT_PROPERTY, FOLLOWUP_BOOKMARK, GOALS_BOOKMARK, INFO_BOOKMARK, InfoValues,
    PREVIOUS_BOOKMARK,
};
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, Footer, Header, IndentLevel,
    Level, LevelJc, LevelOverride, LevelText, LineSpacing, LineSpacingType, NumPages, NumberFormat,
    Numbering, NumberingId, PageMargin, PageNum, Paragraph, Run, RunFonts, Shading,
    SpecialIndentType, Start, StructuredDataTag, Style, StyleType, Table, TableBorders, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableRow, WidthType,
};

use super::docx_rs_fixes::FIRST_NUMBERING_ID;
use super::docx_rs_fixes::controls::{Control, ControlKind};
use super::markdown::{Block, Inline, ListKind};
use crate::form::{Field, control_tag};
use crate::form::{info_row, labels};
use crate::language::Language;

/// The font: Word has it, and LibreOffice renders it with the metric-compatible Liberation Sans.
pub const FONT: &str = "Arial";
/// A4 in twentieths of a point.
const PAGE_WIDTH: i32 = 11906;
const PAGE_HEIGHT: i32 = 16838;
/// Danish Word's "Normal" margins: 3 cm top and bottom, 2 cm left and right.
const MARGIN_TOP_BOTTOM: i32 = 1701;
const MARGIN_SIDES: i32 = 1134;
/// The text width the tables' columns are drawn for (A4 with our margins);
/// on another page they are scaled to its text width.
const TEXT_WIDTH: usize = (PAGE_WIDTH - 2 * MARGIN_SIDES) as usize;

/// The page of a document, in twentieths of a point: A4 with Danish Word's
/// margins, or a house file's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSetup {
    pub width: i32,
    pub height: i32,
    pub top: i32,
    pub bottom: i32,
    pub left: i32,
    pub right: i32,
    /// From the page edge to the header and to the footer.
    pub header: i32,
    pub footer: i32,
}

impl Default for PageSetup {
    fn default() -> Self {
        PageSetup {
            width: PAGE_WIDTH,
            height: PAGE_HEIGHT,
            top: MARGIN_TOP_BOTTOM,
            bottom: MARGIN_TOP_BOTTOM,
            left: MARGIN_SIDES,
            right: MARGIN_SIDES,
            header: 709,
            footer: 709,
        }
    }
}

impl PageSetup {
    /// The same page turned across (landscape), for the development plan,
    /// whose six columns need the width; the margins stay as they are.
    pub fn across(self) -> PageSetup {
        if self.width > self.height {
            return self;
        }
        PageSetup {
            width: self.height,
            height: self.width,
            ..self
        }
    }

    /// The narrowest text width the goals table's six columns fit in: 8 cm.
    pub const MIN_TEXT_WIDTH: i32 = 4536;
    /// The largest page side Word allows: 22 inches (55.9 cm).
    pub const MAX_SIDE: i32 = 31680;

    /// The width between the margins.
    pub fn text_width(&self) -> usize {
        (self.width - self.left - self.right).max(0) as usize
    }

    /// Column widths drawn for A4 (summing to [`TEXT_WIDTH`]) scaled to
    /// this page; the last column takes what is left, so they fill the width.
    fn columns(&self, widths: &[usize]) -> Vec<usize> {
        let text = self.text_width();
        let mut scaled: Vec<usize> = widths.iter().map(|w| w * text / TEXT_WIDTH).collect();
        if let Some(last) = scaled.last_mut() {
            let others: usize = widths
                .iter()
                .take(widths.len() - 1)
                .map(|w| w * text / TEXT_WIDTH)
                .sum();
            *last = text.saturating_sub(others);
        }
        scaled
    }
}
/// About four lines of 11 pt text: the height of a note box.
const NOTE_BOX_HEIGHT: f32 = 1200.0;
/// Height of an empty row in the goals table: room for two lines.
const GOAL_ROW_HEIGHT: f32 = 850.0;
/// The date and signature labels under the lines, in half-points (9 pt).
const SIGNATURE_LABEL_SIZE: usize = 18;
/// Word's default tab stop in a Danish installation, in twips.
const DEFAULT_TAB_STOP: usize = 1304;
/// Header labels of the goal tables, in half-points (9 pt).
const HEADER_LABEL_SIZE: usize = 18;

/// Our list ids start after docx-rs's own (see [`FIRST_NUMBERING_ID`]):
/// one shared bullet list, and per numbered list an instance
/// `NUMBERED_ABSTRACT + n` of the numbered definition.
const BULLET_NUMBERING: usize = FIRST_NUMBERING_ID;
const NUMBERED_ABSTRACT: usize = FIRST_NUMBERING_ID + 1;

/// What the form blocks need beyond the Markdown.
#[derive(Debug, Clone)]
pub struct FormData {
    pub goal_rows: u32,
    pub info: InfoValues,
    /// The document's date, as `YYYY-MM-DDTHH:MM:SSZ`, for its properties.
    pub timestamp: String,
    /// Which document this is (`samtaleskema`, `vejledning-hr` …), stored as
    /// the custom property [`DOCUMENT_PROPERTY`] so `collect` can tell a form
    /// from a guide even after the file is renamed.
    pub document: &'static str,
    /// Goals printed in the follow-up table or last year's goals table.
    pub goals: Vec<String>,
    /// The report's bar chart, for a `chart` block.
    pub chart: Option<super::chart::BarChart>,
    /// The language of the block labels.
    pub language: crate::language::Language,
    /// The page: A4, or the house file's.
    pub page: PageSetup,
    /// Whether the house style brings a header (a logo): every document
    /// then has a header, even one whose template asks for none.
    pub house_header: bool,
}

/// Builds the Word document for `blocks`.
pub fn build(blocks: &[Block], data: &FormData) -> Docx {
    let page = &data.page;
    let mut docx =
        base_document(&data.timestamp, page).custom_property(DOCUMENT_PROPERTY, data.document);
    let mut has_header = false;
    let words = data.language.labels();
    let mut numbered_lists: Vec<usize> = Vec::new();
    let opens_a_section = section_openings(blocks);
    for (i, block) in blocks.iter().enumerate() {
        // A question stays on the page of the box or table it introduces,
        // and a section's intro with its heading and first question.
        let keep_next = opens_a_section[i]
            || matches!(
                blocks.get(i + 1),
                Some(Block::NoteBox | Block::GoalsTable | Block::InfoBlock | Block::SignatureBlock)
            );
        // Text right after a table gets its space from its own spacing, not
        // from an empty paragraph (a screen reader says "blank" for each).
        let follows_table = i > 0 && is_table(&blocks[i - 1]);
        // Only two tables in a row (which Word would join) or a table at the
        // end keep a small paragraph after it.
        let spaced = |docx: Docx| match blocks.get(i + 1) {
            None => docx.add_paragraph(spacer()),
            Some(next) if is_table(next) => docx.add_paragraph(spacer()),
            Some(_) => docx,
        };
        docx = match block {
            Block::Title(content) => {
                docx.add_paragraph(runs(Paragraph::new().style("Title"), content))
            }
            Block::Heading { level, content } => {
                let style = format!("Heading{level}");
                docx.add_paragraph(runs(
                    Paragraph::new().style(&style).keep_next(true),
                    content,
                ))
            }
            Block::Paragraph(content) => {
                let mut p = Paragraph::new().keep_lines(true);
                if follows_table {
                    p = p.line_spacing(LineSpacing::new().before(SPACE_AFTER_TABLE));
                }
                if keep_next {
                    p = p.keep_next(true);
                }
                docx.add_paragraph(runs(p, content))
            }
            Block::ListItem {
                kind,
                depth,
                content,
            } => {
                let level = (*depth).min(2);
                let (style, numbering) = match kind {
                    ListKind::Bullet => ("ListBullet", BULLET_NUMBERING),
                    ListKind::Numbered { list } => {
                        // Each numbered list gets its own instance that restarts at 1.
                        let id = NUMBERED_ABSTRACT + list;
                        if !numbered_lists.contains(&id) {
                            numbered_lists.push(id);
                            docx = docx.add_numbering(
                                Numbering::new(id, NUMBERED_ABSTRACT)
                                    .add_override(LevelOverride::new(0).start(1)),
                            );
                        }
                        ("ListNumber", id)
                    }
                };
                let mut p = Paragraph::new()
                    .style(style)
                    .numbering(NumberingId::new(numbering), IndentLevel::new(level));
                // A list stays together, so no item is left alone on a page.
                if matches!(blocks.get(i + 1), Some(Block::ListItem { .. })) {
                    p = p.keep_next(true);
                }
                // The last item of a list keeps the usual space to what follows.
                let last = !matches!(blocks.get(i + 1), Some(Block::ListItem { .. }));
                match (follows_table, last) {
                    (true, true) => {
                        p = p.line_spacing(LineSpacing::new().before(SPACE_AFTER_TABLE).after(120))
                    }
                    (true, false) => {
                        p = p.line_spacing(LineSpacing::new().before(SPACE_AFTER_TABLE))
                    }
                    (false, true) => p = p.line_spacing(LineSpacing::new().after(120)),
                    (false, false) => {}
                }
                docx.add_paragraph(runs(p, content))
            }
            Block::NoteBox => {
                // A box is named by the question it answers.
                let caption = match i.checked_sub(1).map(|before| &blocks[before]) {
                    Some(Block::Paragraph(question)) => super::markdown::plain_text(question),
                    _ => words.notes_caption.to_string(),
                };
                spaced(docx.add_table(captioned(note_box(page), &caption)))
            }
            Block::GoalsTable => spaced(docx.add_table(goals_table(data.goal_rows, words, page))),
            // The chart's place: the package puts the chart in (see chart.rs).
            Block::Chart => match &data.chart {
                Some(_) => docx.add_paragraph(
                    Paragraph::new()
                        .keep_next(true)
                        .add_run(Run::new().add_text(super::chart::PLACEHOLDER)),
                ),
                None => docx,
            },
            Block::Table(rows) => spaced(docx.add_table(markdown_table(rows, page))),
            Block::FollowUpTable => spaced(docx.add_table(prefilled_table(
                &words.followup_columns,
                &page.columns(&[2400, 1300, 1900, 1900, TEXT_WIDTH - 7500]),
                &data.goals,
                FOLLOWUP_BOOKMARK,
                3,
                Some((1, status_control(data.language))),
            ))),
            Block::PreviousGoals => spaced(docx.add_table(prefilled_table(
                &words.previous_columns,
                &page.columns(&[4200, 1800, TEXT_WIDTH - 6000]),
                &data.goals,
                PREVIOUS_BOOKMARK,
                4,
                None,
            ))),
            Block::InfoBlock => spaced(docx.add_table(captioned(
                info_block(&data.info, data.language, page),
                words.info_caption,
            ))),
            Block::SignatureBlock => spaced(docx.add_table(captioned(
                signature_block(words, page),
                words.signature_caption,
            ))),
            Block::PageBreak => {
                docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
            Block::Header(text) => {
                has_header = true;
                docx.header(
                    Header::new()
                        .add_paragraph(header_paragraph().add_run(Run::new().add_text(text))),
                )
            }
            Block::Footer(text) => docx.footer(Footer::new().add_paragraph(footer_paragraph(text))),
        };
    }
    if data.house_header && !has_header {
        // The package step puts the house header's content in; a header
        // part holds at least one paragraph.
        docx = docx.header(Header::new().add_paragraph(header_paragraph()));
    }
    docx
}

/// Space under the header's last line, in twentieths of a point (12 pt).
const SPACE_UNDER_HEADER: u32 = 240;

/// The header's own paragraph, its last (a house header's logo goes above
/// it). Its space after keeps a gap between the header and the text even
/// when a house logo makes the header taller than the top margin, where
/// Word and LibreOffice start the text right under it.
fn header_paragraph() -> Paragraph {
    Paragraph::new()
        .style("Header")
        .line_spacing(LineSpacing::new().after(SPACE_UNDER_HEADER))
}

/// Page set-up, styles and list definitions shared by every document.
fn base_document(timestamp: &str, page: &PageSetup) -> Docx {
    let fonts = || {
        RunFonts::new()
            .ascii(FONT)
            .hi_ansi(FONT)
            .cs(FONT)
            .east_asia(FONT)
    };
    // A heading a user adds in Word stays with its text, as ours do.
    let heading = |id: &str, name: &str, size: usize, level: usize, before: u32| {
        let mut style = Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .bold()
            .size(size)
            .color("1F3864")
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(before).after(80));
        style.paragraph_property = style.paragraph_property.keep_next(true).keep_lines(true);
        style
    };
    // A list item a user adds in Word with the style gets its bullet or number.
    let list_style = |id: &str, name: &str, numbering: usize| {
        let mut style = Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .q_format(true)
            .line_spacing(LineSpacing::new().after(60));
        style.paragraph_property = style
            .paragraph_property
            .numbering(NumberingId::new(numbering), IndentLevel::new(0));
        style
    };
    let bullet_levels = [("\u{2022}", 360), ("\u{2013}", 720), ("\u{25E6}", 1080)];
    let mut bullets = AbstractNumbering::new(BULLET_NUMBERING);
    let mut numbers = AbstractNumbering::new(NUMBERED_ABSTRACT);
    for (level, (symbol, indent)) in bullet_levels.iter().enumerate() {
        let hang = Some(SpecialIndentType::Hanging(360));
        bullets = bullets.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new(*symbol),
                LevelJc::new("left"),
            )
            .indent(Some(indent + 360), hang, None, None),
        );
        let format = ["decimal", "lowerLetter", "lowerRoman"][level];
        numbers = numbers.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(format),
                LevelText::new(format!("%{}.", level + 1)),
                LevelJc::new("left"),
            )
            .indent(Some(indent + 360), hang, None, None),
        );
    }

    let docx = Docx::new()
        // The Danish default tab stop: 2.3 cm.
        .default_tab_stop(DEFAULT_TAB_STOP)
        .page_size(page.width as u32, page.height as u32);
    // A page wider than high is turned, so Word prints it across (after the
    // size, which would reset it).
    let docx = match page.width > page.height {
        true => docx.page_orient(docx_rs::PageOrientationType::Landscape),
        false => docx,
    };
    docx.page_margin(
        PageMargin::new()
            .top(page.top)
            .bottom(page.bottom)
            .left(page.left)
            .right(page.right)
            .header(page.header)
            .footer(page.footer),
    )
    .default_fonts(fonts())
    .default_size(22)
    .default_line_spacing(
        LineSpacing::new()
            .after(120)
            .line(264)
            .line_rule(LineSpacingType::Auto),
    )
    .created_at(timestamp)
    .updated_at(timestamp)
    .add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(44)
            .color("1F3864")
            .line_spacing(LineSpacing::new().after(240)),
    )
    .add_style(heading("Heading1", "heading 1", 30, 0, 360))
    .add_style(heading("Heading2", "heading 2", 25, 1, 240))
    .add_style(heading("Heading3", "heading 3", 22, 2, 200))
    .add_style(list_style("ListBullet", "List Bullet", BULLET_NUMBERING))
    .add_style(list_style("ListNumber", "List Number", NUMBERED_ABSTRACT))
    .add_style(
        Style::new("Header", StyleType::Paragraph)
            .name("header")
            .based_on("Normal")
            .size(18)
            .color("595959"),
    )
    .add_style(
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .size(18)
            .color("595959"),
    )
    .add_style(
        Style::new("TableGrid", StyleType::Table)
            .name("Table Grid")
            .set_borders(lines()),
    )
    .add_abstract_numbering(bullets)
    .add_abstract_numbering(numbers)
    .add_numbering(Numbering::new(BULLET_NUMBERING, BULLET_NUMBERING))
    // The List Number style's own instance; each list in a template
    // gets another one (`NUMBERED_ABSTRACT + n`, n from 1) that restarts.
    .add_numbering(Numbering::new(NUMBERED_ABSTRACT, NUMBERED_ABSTRACT))
}

fn runs(mut p: Paragraph, content: &[Inline]) -> Paragraph {
    for inline in content {
        p = p.add_run(match inline {
            Inline::Text { text, bold, italic } => {
                let mut run = Run::new().add_text(text);
                if *bold {
                    run = run.bold();
                }
                if *italic {
                    run = run.italic();
                }
                run
            }
            Inline::LineBreak => Run::new().add_break(BreakType::TextWrapping),
        });
    }
    p
}

/// A small empty paragraph after a table, so two tables never merge in Word.
/// The space above text that follows a table: 8 pt.
const SPACE_AFTER_TABLE: u32 = 160;

/// For each block, whether it is a paragraph between a heading and the
/// first box or table under it (the section's intro and first question):
/// those keep with the next, so a page never breaks between a topic's
/// heading, what it is about and its first question. Paragraphs under a
/// heading that leads to no table (a guide's text) flow freely.
fn section_openings(blocks: &[Block]) -> Vec<bool> {
    let mut keeps = vec![false; blocks.len()];
    for (heading, _) in blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b, Block::Heading { .. }))
    {
        let run = blocks[heading + 1..]
            .iter()
            .take_while(|b| matches!(b, Block::Paragraph(_)))
            .count();
        let table_follows = blocks.get(heading + 1 + run).is_some_and(is_table);
        if table_follows {
            keeps[heading + 1..heading + 1 + run].fill(true);
        }
    }
    keeps
}

/// Whether a block is a table in the document (Word joins two in a row).
fn is_table(block: &Block) -> bool {
    matches!(
        block,
        Block::NoteBox
            | Block::GoalsTable
            | Block::Table(_)
            | Block::FollowUpTable
            | Block::PreviousGoals
            | Block::InfoBlock
            | Block::SignatureBlock
    )
}

fn spacer() -> Paragraph {
    Paragraph::new()
        .line_spacing(LineSpacing::new().after(0))
        .size(8)
}

fn cell(width: usize) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa)
}

/// Table lines of 0.75 pt: Word's Table Grid draws 0.5 pt, and thinner is
/// faint on paper.
fn lines() -> TableBorders {
    use docx_rs::{TableBorder, TableBorderPosition as At};
    [
        At::Top,
        At::Left,
        At::Bottom,
        At::Right,
        At::InsideH,
        At::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |borders, at| {
        borders.set(TableBorder::new(at).size(6))
    })
}

/// A table that lays out a page rather than holding data (a note box, the
/// info block): no table style, so Word's Accessibility Checker reads it as
/// a layout table, and its lines set on the table itself.
fn layout_table(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    let width = grid.iter().sum();
    Table::new(rows)
        .set_borders(lines())
        .set_grid(grid)
        .width(width, WidthType::Dxa)
}

fn grid_table(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    let width = grid.iter().sum();
    Table::new(rows)
        .style("TableGrid")
        .set_grid(grid)
        .width(width, WidthType::Dxa)
}

/// `table` with `caption` as its alternative text, which a screen reader
/// says as the name of the field: docx-rs writes no `w:tblCaption`, so the
/// caption travels as a marked style name the package step turns into one
/// (see [`super::docx_rs_fixes::caption_style`]).
fn captioned(table: Table, caption: &str) -> Table {
    table.style(super::docx_rs_fixes::caption_style(caption))
}

/// One empty bordered cell, about four lines high, that does not split across pages.
fn note_box(page: &PageSetup) -> Table {
    let width = page.text_width();
    let row = TableRow::new(vec![cell(width).add_paragraph(Paragraph::new())])
        .row_height(NOTE_BOX_HEIGHT)
        .height_rule(docx_rs::HeightRule::AtLeast)
        .cant_split();
    layout_table(vec![row], vec![width])
}

/// The goals table: a header row repeated on every page, then `rows` empty rows.
/// The first header cell holds the bookmark [`GOALS_BOOKMARK`].
fn goals_table(rows: u32, words: &labels::Labels, page: &PageSetup) -> Table {
    let widths = page.columns(&[1700, 2200, 1100, 1350, 1250, TEXT_WIDTH - 7600]);
    let columns: Vec<&str> = words
        .goals_columns
        .iter()
        .chain(&words.goals_extra_columns)
        .copied()
        .collect();
    prefilled_table(
        &columns,
        &widths,
        &vec![String::new(); rows as usize],
        GOALS_BOOKMARK,
        1,
        None,
    )
}

/// A bold label; the first label of a marked block also holds its bookmark,
/// so `mus collect` finds the block again in a filled-in form.
fn label(text: &str, bookmark: Option<(usize, &str)>) -> Paragraph {
    let run = Run::new().add_text(text).bold();
    match bookmark {
        Some((id, name)) => Paragraph::new()
            .add_bookmark_start(id, name)
            .add_run(run)
            .add_bookmark_end(id),
        None => Paragraph::new().add_run(run),
    }
}

/// A [`label`] at 9 pt, for the header of a table with many columns, so
/// the column names fit without breaking inside a word.
fn small_label(text: &str, bookmark: Option<(usize, &str)>) -> Paragraph {
    let run = Run::new().add_text(text).bold().size(HEADER_LABEL_SIZE);
    let p = Paragraph::new().size(HEADER_LABEL_SIZE);
    match bookmark {
        Some((id, name)) => p
            .add_bookmark_start(id, name)
            .add_run(run)
            .add_bookmark_end(id),
        None => p.add_run(run),
    }
}

/// A Markdown table: a shaded header row that repeats on every page.
fn markdown_table(rows: &[Vec<Vec<Inline>>], page: &PageSetup) -> Table {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let width = page.text_width() / columns;
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let cells = (0..columns)
                .map(|c| {
                    let content = row.get(c).map(Vec::as_slice).unwrap_or_default();
                    let cell = cell(width).add_paragraph(runs(Paragraph::new(), content));
                    if i == 0 {
                        cell.shading(Shading::new().fill("D9E2F3"))
                    } else {
                        cell
                    }
                })
                .collect();
            let row = TableRow::new(cells);
            if i == 0 { row.cant_split() } else { row }
        })
        .collect();
    grid_table(table_rows, vec![width; columns])
}

/// A table whose first column holds `goals`, one a row, under a shaded
/// header row that repeats on every page; the other columns are left to fill
/// in. A `choice` (column, control) puts that control in that column of
/// every goal row: the follow-up table's status is a drop-down of the four
/// answers.
fn prefilled_table(
    columns: &[&str],
    widths: &[usize],
    goals: &[String],
    bookmark: &str,
    bookmark_id: usize,
    choice: Option<(usize, Control)>,
) -> Table {
    let header: Vec<TableCell> = columns
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (text, width))| {
            let mark = (i == 0).then_some((bookmark_id, bookmark));
            // The header row keeps with the first rows.
            cell(*width)
                .shading(Shading::new().fill("D9E2F3"))
                .add_paragraph(small_label(text, mark).keep_next(true))
        })
        .collect();
    // Only header rows have `cantSplit` without a height: the package step
    // marks exactly those as repeating header rows (docx-rs has no tblHeader).
    let mut rows = vec![TableRow::new(header).cant_split()];
    for (row, goal) in goals.iter().enumerate() {
        // A page break leaves at least two rows on either side: the first
        // row keeps with the second, the last but one with the last.
        let keep = row == 0 || (goals.len() >= 3 && row == goals.len() - 2);
        let given: Vec<&str> = goal.split(crate::form::CELL_SEPARATOR).collect();
        let cells = widths
            .iter()
            .enumerate()
            .map(|(i, width)| {
                let p = Paragraph::new().keep_next(keep);
                let p = match &choice {
                    _ if i < given.len() => {
                        let mut lines = given[i].split(crate::form::LINE_BREAK);
                        let mut run = Run::new().add_text(lines.next().unwrap_or_default());
                        for line in lines {
                            run = run.add_break(BreakType::TextWrapping).add_text(line);
                        }
                        p.add_run(run)
                    }
                    Some((column, control)) if *column == i => {
                        p.add_structured_data_tag(control.around(placeholder_run(control)))
                    }
                    _ => p.add_run(Run::new().add_text("")),
                };
                cell(*width).add_paragraph(p)
            })
            .collect();
        // A goal is read as a whole: its row never splits across pages.
        rows.push(
            TableRow::new(cells)
                .row_height(GOAL_ROW_HEIGHT)
                .height_rule(docx_rs::HeightRule::AtLeast)
                .cant_split(),
        );
    }
    grid_table(rows, widths.to_vec())
}

/// Medarbejder, Leder, Enhed, Dato: label left, value (or room to write) right.
/// The first label holds the bookmark [`INFO_BOOKMARK`].
fn info_block(info: &InfoValues, language: Language, page: &PageSetup) -> Table {
    let words = language.labels();
    let text_width = page.text_width();
    let values = info.rows();
    let label_width = 2600;
    let rows = words
        .info_labels
        .iter()
        .zip(values)
        .enumerate()
        // A form for the whole workplace has no id, and no row for one.
        .filter(|(i, (_, value))| *i != info_row::ID || !value.is_empty())
        .map(|(i, (name, value))| {
            let p = label(name, (i == 0).then_some((2, INFO_BOOKMARK)));
            let value = match Field::of_info_row(i) {
                Some(field) => Paragraph::new()
                    .add_structured_data_tag(info_control(field, name, value, language)),
                None => Paragraph::new().add_run(Run::new().add_text(value.to_string())),
            };
            TableRow::new(vec![
                cell(label_width)
                    .shading(Shading::new().fill("D9E2F3"))
                    .add_paragraph(p),
                cell(text_width - label_width).add_paragraph(value),
            ])
            .row_height(450.0)
            .height_rule(docx_rs::HeightRule::AtLeast)
        })
        .collect();
    layout_table(rows, vec![label_width, text_width - label_width])
}

/// The content control of an info block row labelled `label`: a date
/// picker for the dates, plain text for the rest, showing its placeholder
/// text when there is no value to print.
fn info_control(field: Field, label: &str, value: &str, language: Language) -> StructuredDataTag {
    let words = language.labels();
    let kind = match field.is_date() {
        true => ControlKind::Date {
            format: words.date_format.to_string(),
            // Only a date that reads as one: a bulk form's values are
            // written in later, into the text alone.
            full_date: Some(labels::normalize_date(value))
                .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok()),
        },
        false => ControlKind::Text,
    };
    let control = Control {
        kind,
        label: label.to_string(),
        tag: control_tag(field).to_string(),
        language: language.tag().to_string(),
        showing_placeholder: value.is_empty(),
    };
    let run = match value.is_empty() {
        true => placeholder_run(&control),
        false => Run::new().add_text(value),
    };
    control.around(run)
}

/// The follow-up status: a drop-down of the four answers, showing its
/// placeholder until one is chosen.
fn status_control(language: Language) -> Control {
    let words = language.labels();
    Control {
        kind: ControlKind::DropDown {
            items: words.status_answers.map(String::from).to_vec(),
        },
        label: words.followup_columns[1].to_string(),
        tag: control_tag(Field::Status).to_string(),
        language: language.tag().to_string(),
        showing_placeholder: true,
    }
}

/// The placeholder text of an empty `control`, grey (7:1 against white,
/// where Word's own placeholder grey is below the 4.5:1 WCAG asks of text).
fn placeholder_run(control: &Control) -> Run {
    let words = Language::parse(&control.language)
        .unwrap_or_default()
        .labels();
    let text = match control.kind {
        ControlKind::Text => words.placeholder_text,
        ControlKind::Date { .. } => words.placeholder_date,
        ControlKind::DropDown { .. } => words.placeholder_choice,
    };
    Run::new().add_text(text).color("595959")
}

/// Two columns, employee and manager, each with a line for the date and one
/// for the signature. The block never splits across pages: every row is
/// `cantSplit` and every paragraph but the last row's keeps with the next.
fn signature_block(words: &labels::Labels, page: &PageSetup) -> Table {
    let half = page.text_width() / 2;
    let gap = 400;
    let line_cell = || {
        cell(half - gap)
            .set_borders(
                TableCellBorders::with_empty().set(
                    TableCellBorder::new(TableCellBorderPosition::Bottom)
                        .border_type(BorderType::Single)
                        .size(6),
                ),
            )
            .add_paragraph(Paragraph::new().keep_next(true))
    };
    let gap_cell = |keep: bool| {
        cell(gap)
            .set_borders(TableCellBorders::with_empty())
            .add_paragraph(Paragraph::new().keep_next(keep))
    };
    let label_row = |left: &str, right: &str, bold: bool, keep: bool| {
        let p = |t: &str| {
            if bold {
                label(t, None).keep_next(keep)
            } else {
                // The size goes on the run: on the paragraph it sizes only the mark.
                Paragraph::new()
                    .size(SIGNATURE_LABEL_SIZE)
                    .keep_next(keep)
                    .add_run(Run::new().add_text(t).size(SIGNATURE_LABEL_SIZE))
            }
        };
        // A height of its own, so the package step does not take the row
        // for a repeating header row (those alone are cantSplit without one).
        TableRow::new(vec![
            cell(half - gap)
                .set_borders(TableCellBorders::with_empty())
                .add_paragraph(p(left)),
            gap_cell(keep),
            cell(half - gap)
                .set_borders(TableCellBorders::with_empty())
                .add_paragraph(p(right)),
        ])
        .row_height(300.0)
        .height_rule(docx_rs::HeightRule::AtLeast)
        .cant_split()
    };
    let line_row = || {
        TableRow::new(vec![line_cell(), gap_cell(true), line_cell()])
            .row_height(700.0)
            .height_rule(docx_rs::HeightRule::AtLeast)
            .cant_split()
    };
    let rows = vec![
        label_row(words.employee, words.manager, true, true),
        line_row(),
        label_row(words.date, words.date, false, true),
        line_row(),
        label_row(words.signature, words.signature, false, false),
    ];
    Table::without_borders(rows)
        .set_grid(vec![half - gap, gap, half - gap])
        .width(2 * half - gap, WidthType::Dxa)
}

/// The footer text with `{side}` and `{sider}` as page number and page count fields.
fn footer_paragraph(text: &str) -> Paragraph {
    let mut p = Paragraph::new()
        .style("Footer")
        .align(AlignmentType::Center);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let (before, after) = rest.split_at(start);
        if !before.is_empty() {
            p = p.add_run(Run::new().add_text(before));
        }
        if let Some(tail) = after.strip_prefix(labels::PAGE_FIELD) {
            p = p.add_page_num(PageNum::new());
            rest = tail;
        } else if let Some(tail) = after.strip_prefix(labels::PAGES_FIELD) {
            p = p.add_num_pages(NumPages::new());
            rest = tail;
        } else {
            p = p.add_run(Run::new().add_text("{"));
            rest = &after[1..];
        }
    }
    if !rest.is_empty() {
        p = p.add_run(Run::new().add_text(rest));
    }
    p
}
