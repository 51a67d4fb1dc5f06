//! A workplace's house style: its own Word file (pandoc's "reference doc")
//! gives every document its styles, theme, page and header logo, so no one
//! restyles the generated files by hand.
//!
//! The file is read once (`read.rs`: which file, its package and header),
//! checked and bounded (`validate.rs`, [`crate::limits`]); the package step
//! then puts its parts in place of `mus`'s own (`apply.rs`):
//!
//! - `styles.xml` whole, with the styles `mus` uses found by their built-in
//!   names (a Danish Word calls Heading 1 `Overskrift1`) and given the ids
//!   the documents refer to; a style the file lacks is `mus`'s own;
//! - the theme, whose fonts and colours the styles may name;
//! - the page size and margins of its last section;
//! - the default header's content (the logo, and any text), with `mus`'s
//!   header line after it. The footer stays `mus`'s, with the page numbers
//!   and the confidentiality line.
//!
//! The document language is always the plan's, whatever the file says, so
//! spell-check works.

mod apply;
mod read;
#[cfg(test)]
mod tests;
mod validate;

use std::collections::BTreeMap;
use std::ops::Range;

use super::docx::PageSetup;
use crate::limits::{
    HOUSE_BYTES, HOUSE_ENTRIES, HOUSE_PART_BYTES, HOUSE_PICTURE_BYTES, HOUSE_PICTURES,
    HOUSE_XML_NODES, human,
};

const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const TYPES: &str = "http://schemas.openxmlformats.org/package/2006/content-types";

/// The styles the documents refer to: type, id, and Word's built-in name
/// (which does not change with Word's language, unlike the id).
pub const MUS_STYLES: [(&str, &str, &str); 10] = [
    ("paragraph", "Normal", "Normal"),
    ("paragraph", "Title", "Title"),
    ("paragraph", "Heading1", "heading 1"),
    ("paragraph", "Heading2", "heading 2"),
    ("paragraph", "Heading3", "heading 3"),
    ("paragraph", "ListBullet", "List Bullet"),
    ("paragraph", "ListNumber", "List Number"),
    ("paragraph", "Header", "header"),
    ("paragraph", "Footer", "footer"),
    ("table", "TableGrid", "Table Grid"),
];

/// Elements whose `w:val` names a style.
const STYLE_REFERENCES: [&str; 7] = [
    "basedOn",
    "next",
    "link",
    "pStyle",
    "rStyle",
    "tblStyle",
    "numStyleLink",
];

/// Where the pictures of the house header go in a document's package.
const MEDIA_PREFIX: &str = "word/media/house";

/// The first drawing id of the house header's pictures, as the header is
/// copied; the package numbers every drawing anew, so ids are unique across
/// it ([`super::docx_rs_fixes::DrawingIds`]).
const FIRST_DRAWING_ID: usize = 9001;

/// A house file, read and checked: what the package step puts in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseStyle {
    /// The file, as named in messages.
    pub file: String,
    /// The page size and margins of the file's last section.
    pub page: PageSetup,
    /// The built-in names of the styles `mus` needs that the file lacks;
    /// `mus`'s own are used for those.
    pub missing: Vec<&'static str>,
    /// What was taken out of the file or mended, for a note: tracked
    /// changes, hidden text and the like ([`super::house_scrub`]), and a
    /// style based on a style based on itself.
    pub notes: Vec<String>,
    styles: String,
    /// The file's style ids → the ids the documents use.
    ids: BTreeMap<String, String>,
    theme: Option<String>,
    header: Option<HouseHeader>,
}

/// The default header of the house file, ready to take `mus`'s own line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HouseHeader {
    /// Everything before the header's end tag, styles renamed, drawing ids
    /// renumbered, empty paragraphs left out.
    opening: String,
    /// The end tag.
    closing: String,
    relationships: Vec<Relationship>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Relationship {
    id: String,
    kind: String,
    target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A link outside the package, kept as it is.
    External(String),
    /// A picture, carried into the document's package.
    Picture {
        part: String,
        content_type: String,
        bytes: Vec<u8>,
    },
}

/// Why a house file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HouseError {
    Unreadable(String),
    TooLarge,
    NotDocx(String),
    TooManyParts(usize),
    MissingPart(&'static str),
    PartTooLarge(String),
    NotUtf8(String),
    Xml {
        part: String,
        error: String,
    },
    Strict,
    Prefix(String),
    TooManyPictures,
    PicturesTooLarge,
    HeaderPart(String),
    MissingRelationship(String),
    PageValue {
        attribute: String,
        value: String,
    },
    PageTooNarrow {
        centimetres: String,
    },
    PageTooShort {
        centimetres: String,
    },
    PageTooLarge,
    PageRange {
        attribute: String,
        value: String,
        range: (i64, i64),
    },
    External {
        kind: String,
        target: String,
    },
    NotAPicture(String),
    Encoding {
        part: String,
        encoding: String,
    },
    NotTheme(String),
}

impl HouseError {
    /// The message, in the user's language.
    pub fn message(&self) -> String {
        match self {
            HouseError::Unreadable(error) => crate::msg!("house.unreadable", error = error),
            HouseError::TooLarge => crate::msg!("house.too-large", limit = human(HOUSE_BYTES)),
            HouseError::NotDocx(error) => crate::msg!("house.not-docx", error = error),
            HouseError::TooManyParts(count) => {
                crate::msg!("house.too-many-parts", count = count, limit = HOUSE_ENTRIES)
            }
            HouseError::MissingPart(part) => crate::msg!("house.missing-part", part = part),
            HouseError::PartTooLarge(part) => {
                crate::msg!(
                    "house.part-too-large",
                    part = part,
                    limit = human(HOUSE_PART_BYTES)
                )
            }
            HouseError::NotUtf8(part) => crate::msg!("house.not-utf8", part = part),
            HouseError::Xml { part, error } => crate::msg!("house.xml", part = part, error = error),
            HouseError::Strict => crate::msg!("house.strict"),
            HouseError::Prefix(part) => crate::msg!("house.prefix", part = part),
            HouseError::TooManyPictures => {
                crate::msg!("house.too-many-pictures", limit = HOUSE_PICTURES)
            }
            HouseError::PicturesTooLarge => {
                crate::msg!(
                    "house.pictures-too-large",
                    limit = human(HOUSE_PICTURE_BYTES)
                )
            }
            HouseError::HeaderPart(kind) => crate::msg!("house.header-part", kind = kind),
            HouseError::MissingRelationship(id) => {
                crate::msg!("house.missing-relationship", id = id)
            }
            HouseError::PageValue { attribute, value } => {
                crate::msg!("house.page-value", attribute = attribute, value = value)
            }
            HouseError::PageTooNarrow { centimetres } => crate::msg!(
                "house.page-too-narrow",
                width = centimetres,
                minimum = PageSetup::MIN_TEXT_WIDTH / 567
            ),
            HouseError::PageTooShort { centimetres } => crate::msg!(
                "house.page-too-short",
                height = centimetres,
                minimum = PageSetup::MIN_TEXT_WIDTH / 567
            ),
            HouseError::PageTooLarge => {
                crate::msg!("house.page-too-large", maximum = PageSetup::MAX_SIDE / 567)
            }
            HouseError::PageRange {
                attribute,
                value,
                range: (min, max),
            } => crate::msg!(
                "house.page-range",
                attribute = attribute,
                value = value,
                min = min,
                max = max
            ),
            HouseError::External { kind, target } => {
                crate::msg!("house.external", kind = kind, target = target)
            }
            HouseError::NotAPicture(part) => crate::msg!("house.not-a-picture", part = part),
            HouseError::Encoding { part, encoding } => {
                crate::msg!("house.encoding", part = part, encoding = encoding)
            }
            HouseError::NotTheme(part) => crate::msg!("house.not-theme", part = part),
        }
    }

    /// What to do about it, in the user's language.
    pub fn hint(&self) -> String {
        match self {
            HouseError::Unreadable(_) => crate::msg!("house.unreadable.hint"),
            HouseError::TooManyPictures | HouseError::PicturesTooLarge => {
                crate::msg!("house.pictures.hint")
            }
            HouseError::HeaderPart(_) | HouseError::NotAPicture(_) => {
                crate::msg!("house.header-part.hint")
            }
            HouseError::External { .. } => crate::msg!("house.external.hint"),
            HouseError::PageTooNarrow { .. }
            | HouseError::PageTooShort { .. }
            | HouseError::PageTooLarge
            | HouseError::PageRange { .. }
            | HouseError::PageValue { .. } => crate::msg!("house.page.hint"),
            HouseError::Strict => crate::msg!("house.strict.hint"),
            _ => crate::msg!("house.save-as.hint"),
        }
    }
}

impl std::fmt::Display for HouseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for HouseError {}

// The XML helpers that reading, checking and applying share.

/// Parses a part: no DTD, a bound on the nodes.
fn parse<'t>(text: &'t str, part: &str) -> Result<roxmltree::Document<'t>, HouseError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: HOUSE_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|err| HouseError::Xml {
        part: part.to_string(),
        error: err.to_string(),
    })
}

fn is_w(node: &roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.has_tag_name((W, name))
}

/// Whether a header paragraph shows anything: text, a picture, a field.
/// Empty ones are left out, so the logo and `mus`'s line sit together.
fn shows_something(node: &roxmltree::Node) -> bool {
    node.descendants().any(|d| {
        d.is_element()
            && matches!(
                d.tag_name().name(),
                "t" | "drawing" | "pict" | "object" | "fldSimple" | "instrText" | "sym"
            )
    })
}

fn end_tag_start(text: &str, range: Range<usize>) -> usize {
    if is_empty_element(text, range.clone()) {
        return range.end;
    }
    text[range.clone()]
        .rfind("</")
        .map(|i| range.start + i)
        .unwrap_or(range.end)
}

/// `<w:x/>` rather than `<w:x>…</w:x>`: only the second has an end tag.
fn is_empty_element(text: &str, range: Range<usize>) -> bool {
    !text[range].contains("</")
}

/// Replacements of byte ranges in a part, applied in one pass.
#[derive(Default)]
struct Edits {
    changes: Vec<(Range<usize>, String)>,
}

impl Edits {
    fn replace(&mut self, range: Range<usize>, with: String) {
        self.changes.push((range, with));
    }

    /// The text with every change made; a change inside one already made
    /// is dropped, and an insertion goes before a replacement at its place.
    fn apply(mut self, text: &str) -> String {
        self.changes.sort_by_key(|(range, _)| {
            (range.start, !range.is_empty(), std::cmp::Reverse(range.end))
        });
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (range, with) in self.changes {
            if range.start < at || range.end > text.len() {
                continue;
            }
            out.push_str(&text[at..range.start]);
            out.push_str(&with);
            at = range.end;
        }
        out.push_str(&text[at.min(text.len())..]);
        out
    }
}
