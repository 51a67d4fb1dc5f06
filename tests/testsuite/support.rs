//! Helpers: run the real binary, and read a generated `.docx` back into a
//! simple list of paragraphs and tables to assert on.

use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root, where `examples/` lives. Absolute on every system:
/// built on Linux for Windows and run under Wine, `CARGO_MANIFEST_DIR` is
/// `/work/…`, which Windows reads as relative to the current drive (`Z:`,
/// Wine's view of `/`) and which a config in another folder would read on
/// its own drive (`C:`).
pub fn root() -> PathBuf {
    std::path::absolute(env!("CARGO_MANIFEST_DIR")).expect("the repository root")
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// Writes `config`: the example `example_name` with `house` as its house file.
pub fn example_with_house(config: &Path, example_name: &str, house: &Path) {
    std::fs::write(
        config,
        format!(
            "extends: {}\nreference_doc: {}\n",
            example(example_name).display(),
            house.display()
        ),
    )
    .expect("config");
}

/// The `mus` binary, with SOURCE_DATE_EPOCH unset so runs depend on their input only.
pub fn mus() -> Command {
    let mut cmd = Command::cargo_bin("mus").expect("binary builds");
    cmd.env_remove("SOURCE_DATE_EPOCH");
    // Messages in English whatever the machine's locale; tests of the
    // language choice set these themselves.
    for var in ["MUS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    // Windows sets none of them and `mus` follows its display language
    // then; `C` keeps these tests English on a Danish Windows too.
    #[cfg(windows)]
    cmd.env("LANG", "C");
    cmd
}

/// One part of a document body, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    Paragraph { style: String, text: String },
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub style: String,
    pub rows: Vec<Vec<String>>,
    /// Rows marked to repeat as header on every page.
    pub header_rows: usize,
    pub bookmarks: Vec<String>,
}

/// The text of one zip entry of a `.docx`.
pub fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("docx exists");
    let mut zip = zip::ZipArchive::new(file).expect("docx is a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in {}", path.display()))
        .read_to_string(&mut text)
        .expect("utf-8 part");
    text
}

/// The names of the parts of a `.docx`.
pub fn part_names(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).expect("docx exists");
    let zip = zip::ZipArchive::new(file).expect("docx is a zip");
    zip.file_names()
        .map(|name| name.expect("a part name").into_owned())
        .collect()
}

/// The text of the `w:t` elements of one part, such as `word/header1.xml`.
pub fn part_text(path: &Path, name: &str) -> String {
    let xml = part(path, name);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed part");
    text_of(doc.root())
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The text of `node`; a line break (`w:br`) as a newline.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter_map(|n| match () {
            _ if n.has_tag_name((W, "t")) => n.text(),
            _ if n.has_tag_name((W, "br")) => Some("\n"),
            _ => None,
        })
        .collect()
}

/// The text of `node` as a reader of what was written sees it: without
/// the placeholder text of a content control that shows one.
fn written_text(node: roxmltree::Node) -> String {
    let placeholders: Vec<std::ops::Range<usize>> = node
        .descendants()
        .filter(|n| {
            n.has_tag_name((W, "sdt"))
                && n.descendants()
                    .any(|d| d.has_tag_name((W, "showingPlcHdr")))
        })
        .map(|n| n.range())
        .collect();
    node.descendants()
        .filter(|n| !placeholders.iter().any(|r| r.contains(&n.range().start)))
        .filter_map(|n| match () {
            _ if n.has_tag_name((W, "t")) => n.text(),
            _ if n.has_tag_name((W, "br")) => Some("\n"),
            _ => None,
        })
        .collect()
}

fn style_of(node: roxmltree::Node, props: &str, tag: &str) -> String {
    node.children()
        .find(|n| n.has_tag_name((W, props)))
        .and_then(|p| p.children().find(|n| n.has_tag_name((W, tag))))
        .and_then(|s| s.attribute((W, "val")))
        .unwrap_or("")
        .to_string()
}

/// The body of `word/document.xml`: top-level paragraphs and tables.
pub fn body(path: &Path) -> Vec<Element> {
    let xml = part(path, "word/document.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed document.xml");
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .expect("w:body");
    body.children()
        .filter_map(|n| {
            if n.has_tag_name((W, "p")) {
                Some(Element::Paragraph {
                    style: style_of(n, "pPr", "pStyle"),
                    text: text_of(n),
                })
            } else if n.has_tag_name((W, "tbl")) {
                let rows: Vec<roxmltree::Node> =
                    n.children().filter(|r| r.has_tag_name((W, "tr"))).collect();
                Some(Element::Table(Table {
                    style: style_of(n, "tblPr", "tblStyle"),
                    header_rows: rows
                        .iter()
                        .filter(|r| r.descendants().any(|d| d.has_tag_name((W, "tblHeader"))))
                        .count(),
                    rows: rows
                        .iter()
                        .map(|r| {
                            r.children()
                                .filter(|c| c.has_tag_name((W, "tc")))
                                .map(written_text)
                                .collect()
                        })
                        .collect(),
                    bookmarks: n
                        .descendants()
                        .filter(|d| d.has_tag_name((W, "bookmarkStart")))
                        .filter_map(|d| d.attribute((W, "name")))
                        .map(str::to_string)
                        .collect(),
                }))
            } else {
                None
            }
        })
        .collect()
}

/// Texts of the paragraphs with style `style`.
pub fn paragraphs_with_style(body: &[Element], style: &str) -> Vec<String> {
    body.iter()
        .filter_map(|e| match e {
            Element::Paragraph { style: s, text } if s == style => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The table holding bookmark `name`.
pub fn table_with_bookmark<'a>(body: &'a [Element], name: &str) -> &'a Table {
    body.iter()
        .find_map(|e| match e {
            Element::Table(t) if t.bookmarks.iter().any(|b| b == name) => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table with bookmark {name}"))
}

/// All text of a document body, paragraphs and cells, one line each.
pub fn all_text(body: &[Element]) -> String {
    let mut out = Vec::new();
    for e in body {
        match e {
            Element::Paragraph { text, .. } => out.push(text.clone()),
            Element::Table(t) => out.extend(t.rows.iter().flatten().cloned()),
        }
    }
    out.join("\n")
}

/// Every file below `dir`, relative, sorted.
/// The manifest `mus` keeps in every output folder (not listed by [`files_below`]).
pub const MANIFEST: &str = ".mus-manifest.json";

/// Every file below `dir` but the manifest: documents, and any leftover temporary file.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_below(&path));
            } else if entry.file_name() != MANIFEST {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Running the binary when it must succeed.
pub trait Succeeds {
    /// Runs the command, fails the test with its stderr unless it exits 0,
    /// and returns its output.
    fn succeeds(&mut self) -> std::process::Output;
    /// Runs the command, fails the test unless it exits with `code`, and
    /// returns its output.
    fn fails_with(&mut self, code: i32) -> std::process::Output;
}

impl Succeeds for Command {
    fn succeeds(&mut self) -> std::process::Output {
        let output = self.output().expect("mus runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn fails_with(&mut self, code: i32) -> std::process::Output {
        let output = self.output().expect("mus runs");
        assert_eq!(
            output.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

/// What a run printed on stderr, as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

/// A CSV as `mus collect` writes it, read by column name: a test says
/// `cell(0, "goal")`, not `record[5]`, so a column added in between
/// breaks none of them.
pub struct CsvTable {
    pub header: Vec<String>,
    pub rows: Vec<csv::StringRecord>,
}

impl CsvTable {
    pub fn parse(bytes: &[u8]) -> Self {
        let mut reader = csv::Reader::from_reader(bytes);
        let header = reader
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|record| record.expect("a row"))
            .collect();
        CsvTable { header, rows }
    }

    pub fn read(path: &Path) -> Self {
        Self::parse(&std::fs::read(path).expect("the CSV"))
    }

    /// The cells of one column, top to bottom.
    pub fn column(&self, name: &str) -> Vec<&str> {
        let at = self.position(name);
        self.rows.iter().map(|row| &row[at]).collect()
    }

    pub fn cell(&self, row: usize, name: &str) -> &str {
        &self.rows[row][self.position(name)]
    }

    /// The numbers of the rows whose cell in column `name` is `value`, top to bottom.
    pub fn rows_where(&self, name: &str, value: &str) -> Vec<usize> {
        let at = self.position(name);
        (0..self.rows.len())
            .filter(|&row| &self.rows[row][at] == value)
            .collect()
    }

    /// Each row as (column, cell) pairs, in the header's order.
    pub fn named_rows(&self) -> Vec<Vec<(String, String)>> {
        self.rows
            .iter()
            .map(|row| {
                self.header
                    .iter()
                    .cloned()
                    .zip(row.iter().map(str::to_string))
                    .collect()
            })
            .collect()
    }

    fn position(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|column| column == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }
}
