//! A workplace's house style: its own Word file (pandoc's "reference doc")
//! gives every document its styles, theme, page and header logo, so no one
//! restyles the generated files by hand.
//!
//! The file is read once, checked and bounded ([`crate::limits`]); the
//! package step then puts its parts in place of `mus`'s own:
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

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::ops::Range;
use std::path::Path;

use zip::ZipArchive;

use super::docx::PageSetup;
use super::house_scrub::{Removed, scrub};
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

impl HouseStyle {
    /// Reads the house file at `path`, named `file` in messages.
    pub fn load(path: &Path, file: &str) -> Result<HouseStyle, HouseError> {
        let bytes = crate::limits::read_bounded(path, HOUSE_BYTES).map_err(|err| {
            if err.kind() == std::io::ErrorKind::FileTooLarge {
                HouseError::TooLarge
            } else {
                HouseError::Unreadable(crate::messages::io_error(&err))
            }
        })?;
        HouseStyle::from_bytes(file, &bytes)
    }

    /// Reads a house file's bytes.
    pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<HouseStyle, HouseError> {
        let mut package = Package::open(bytes)?;
        let main = package
            .relationships("_rels/.rels", "")?
            .into_iter()
            .find(|r| r.kind.ends_with("/officeDocument") && r.external.is_none())
            .map(|r| r.target)
            .unwrap_or_else(|| "word/document.xml".into());
        let folder = main.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
        let main_rels = format!(
            "{folder}/_rels/{}.rels",
            main.rsplit('/').next().unwrap_or("")
        );
        let relationships = package.relationships(&main_rels, folder)?;
        let target_of = |suffix: &str| {
            relationships
                .iter()
                .find(|r| r.kind.ends_with(suffix) && r.external.is_none())
                .map(|r| r.target.clone())
        };

        let styles_part = target_of("/styles").ok_or(HouseError::MissingPart("styles.xml"))?;
        let styles = package
            .text(&styles_part)?
            .ok_or(HouseError::MissingPart("styles.xml"))?;
        let (styles, mut removed) = scrubbed(&styles, &styles_part)?;
        let (styles, cycles) = without_style_cycles(&styles, &styles_part)?;
        let (ids, missing) = style_ids(&styles, &styles_part)?;

        let theme = match target_of("/theme") {
            Some(part) => match package.text(&part)? {
                Some(theme) => Some(checked_theme(theme, &part)?),
                None => None,
            },
            None => None,
        };
        // A theme that points to parts of its own (a picture fill) would
        // point to nothing in the documents: mus's theme is used instead.
        let theme_refers = theme.as_deref().is_some_and(refers_to_parts);
        let theme = theme.filter(|_| !theme_refers);

        let document = package
            .text(&main)?
            .ok_or(HouseError::MissingPart("document.xml"))?;
        let section = last_section(&document, &main)?;
        let header = match section.header {
            Some(id) => {
                let relationship = relationships
                    .iter()
                    .find(|r| r.id == id && r.external.is_none())
                    .ok_or_else(|| HouseError::MissingRelationship(id.clone()))?;
                let (header, found) = read_header(&mut package, &relationship.target, &ids)?;
                removed = removed.or(found);
                Some(header)
            }
            None => None,
        };
        let mut notes = Vec::new();
        if removed.any() {
            notes.push(removed_note(file, removed));
        }
        if theme_refers {
            notes.push(crate::msg!("house.theme-with-parts", file = file));
        }
        if !cycles.is_empty() {
            notes.push(crate::msg!(
                "house.style-cycle",
                file = file,
                styles = cycles.join(", ")
            ));
        }
        Ok(HouseStyle {
            file: file.to_string(),
            page: section.page,
            missing,
            notes,
            styles,
            ids,
            theme,
            header,
        })
    }

    /// Whether the documents get the house header (and so a header of
    /// their own, even those whose template has none).
    pub fn has_header(&self) -> bool {
        self.header.is_some()
    }

    /// The part `name` of a document's package with the house style put in:
    /// `content` is what `mus` made of it.
    pub fn apply(&self, name: &str, content: Vec<u8>) -> std::io::Result<Vec<u8>> {
        let is_header = name.starts_with("word/header") && name.ends_with(".xml");
        let is_header_rels = name.starts_with("word/_rels/header") && name.ends_with(".xml.rels");
        let wanted = name == "word/styles.xml"
            || name == "word/theme/theme1.xml"
            || name == "[Content_Types].xml"
            || is_header
            || is_header_rels;
        if !wanted {
            return Ok(content);
        }
        let ours = String::from_utf8(content).map_err(std::io::Error::other)?;
        let merged = match name {
            "word/styles.xml" => self.styles_with(&ours)?,
            "word/theme/theme1.xml" => self.theme.clone().unwrap_or(ours),
            "[Content_Types].xml" => self.content_types_with(ours),
            _ => match &self.header {
                Some(header) if is_header => header.with(&ours)?,
                Some(header) => header.relationships_part(),
                None => ours,
            },
        };
        Ok(merged.into_bytes())
    }

    /// The pictures of the house header: parts to add to every package.
    pub fn pictures(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.header
            .iter()
            .flat_map(|h| &h.relationships)
            .filter_map(|r| match &r.target {
                Target::Picture { part, bytes, .. } => Some((part.as_str(), bytes.as_slice())),
                Target::External(_) => None,
            })
    }

    /// The house styles with `mus`'s ids, the document language of `ours`
    /// (`mus`'s own styles part), `mus`'s list numbering in the list styles,
    /// and `mus`'s own style for each one the house file lacks.
    fn styles_with(&self, ours: &str) -> std::io::Result<String> {
        let ours_doc = parse(ours, "styles.xml").map_err(std::io::Error::other)?;
        let our_style = |id: &str| {
            ours_doc
                .root_element()
                .children()
                .find(|n| is_w(n, "style") && n.attribute((W, "styleId")) == Some(id))
        };
        let our_lang = ours_doc
            .descendants()
            .find(|n| is_w(n, "lang") && n.ancestors().any(|a| is_w(&a, "rPrDefault")))
            .map(|n| &ours[n.range()])
            .unwrap_or_default();
        let our_defaults = ours_doc
            .root_element()
            .children()
            .find(|n| is_w(n, "docDefaults"))
            .map(|n| &ours[n.range()])
            .unwrap_or_default();

        let theirs = parse(&self.styles, "styles.xml").map_err(std::io::Error::other)?;
        let text = &self.styles;
        let mut edits = Edits::default();
        let root = theirs.root_element();
        self.rename_styles(&theirs, &mut edits);

        // A reference to a style the file does not define (Word leaves such
        // links behind) goes, so the merged styles hold no dangling name.
        let defined: Vec<&str> = root
            .children()
            .filter(|n| is_w(n, "style"))
            .filter_map(|n| n.attribute((W, "styleId")))
            .collect();
        // … or to one of `mus`'s own, added below for a style the file lacks.
        let exists = |id: &str| {
            defined.contains(&id)
                || MUS_STYLES
                    .iter()
                    .any(|(_, our, name)| *our == id && self.missing.contains(name))
        };
        for reference in theirs.descendants().filter(|n| {
            ["basedOn", "next", "link"].iter().any(|name| is_w(n, name))
                && n.parent().is_some_and(|p| is_w(&p, "style"))
        }) {
            if !reference.attribute((W, "val")).is_some_and(exists) {
                edits.replace(reference.range(), String::new());
            }
        }

        // Each list style numbers with `mus`'s lists; no style keeps the
        // house file's numbering, which is not carried over.
        for numbering in theirs.descendants().filter(|n| is_w(n, "numPr")) {
            let Some(style) = numbering.ancestors().find(|a| is_w(a, "style")) else {
                continue;
            };
            let id = style.attribute((W, "styleId")).unwrap_or_default();
            let ours = match self.ids.get(id).map(String::as_str) {
                Some(our_id @ ("ListBullet" | "ListNumber")) => our_style(our_id)
                    .and_then(|s| s.descendants().find(|n| is_w(n, "numPr")))
                    .map(|n| ours[n.range()].to_string()),
                _ => None,
            };
            edits.replace(numbering.range(), ours.unwrap_or_default());
        }

        // The document language: the plan's, in the run defaults.
        match root.children().find(|n| is_w(n, "docDefaults")) {
            None => {
                let at = root
                    .first_element_child()
                    .map(|n| n.range().start)
                    .unwrap_or_else(|| end_tag_start(text, root.range()));
                edits.replace(at..at, our_defaults.to_string());
            }
            Some(defaults) => match defaults.children().find(|n| is_w(n, "rPrDefault")) {
                None => {
                    let block = format!("<w:rPrDefault><w:rPr>{our_lang}</w:rPr></w:rPrDefault>");
                    if is_empty_element(text, defaults.range()) {
                        edits.replace(
                            defaults.range(),
                            format!("<w:docDefaults>{block}</w:docDefaults>"),
                        );
                    } else {
                        // The run defaults come first.
                        let at = defaults
                            .first_element_child()
                            .map(|n| n.range().start)
                            .unwrap_or_else(|| end_tag_start(text, defaults.range()));
                        edits.replace(at..at, block);
                    }
                }
                Some(default) => match default.children().find(|n| is_w(n, "rPr")) {
                    None => edits.replace(
                        default.range(),
                        format!("<w:rPrDefault><w:rPr>{our_lang}</w:rPr></w:rPrDefault>"),
                    ),
                    Some(properties) => {
                        if let Some(lang) = properties.children().find(|n| is_w(n, "lang")) {
                            edits.replace(lang.range(), our_lang.to_string());
                        } else if is_empty_element(text, properties.range()) {
                            edits.replace(properties.range(), format!("<w:rPr>{our_lang}</w:rPr>"));
                        } else {
                            // The schema puts `lang` before these three.
                            let at = properties
                                .children()
                                .find(|n| {
                                    ["eastAsianLayout", "specVanish", "oMath"]
                                        .iter()
                                        .any(|name| is_w(n, name))
                                })
                                .map(|n| n.range().start)
                                .unwrap_or_else(|| end_tag_start(text, properties.range()));
                            edits.replace(at..at, our_lang.to_string());
                        }
                    }
                },
            },
        }

        // `mus`'s own style for each one the house file lacks.
        let added: String = MUS_STYLES
            .iter()
            .filter(|(_, _, name)| self.missing.contains(name))
            .filter_map(|(_, id, _)| our_style(id).map(|n| &ours[n.range()]))
            .collect();
        let at = end_tag_start(text, root.range());
        edits.replace(at..at, added);
        Ok(edits.apply(text))
    }

    /// Gives each style `mus` uses its id, in definitions and references;
    /// a house style that already has one of those ids for another style
    /// is renamed out of the way.
    fn rename_styles(&self, doc: &roxmltree::Document, edits: &mut Edits) {
        for node in doc.descendants().filter(|n| n.is_element()) {
            let name = node.tag_name().name();
            let attribute = if is_w(&node, "style") {
                "styleId"
            } else if node.tag_name().namespace() == Some(W) && STYLE_REFERENCES.contains(&name) {
                "val"
            } else {
                continue;
            };
            if let Some(attr) = node
                .attributes()
                .find(|a| a.namespace() == Some(W) && a.name() == attribute)
                && let Some(new) = self.ids.get(attr.value())
                && new != attr.value()
            {
                edits.replace(attr.range_value(), new.clone());
            }
        }
    }

    /// `[Content_Types].xml` with the content type of each house picture.
    fn content_types_with(&self, ours: String) -> String {
        let overrides: String = self
            .header
            .iter()
            .flat_map(|h| &h.relationships)
            .filter_map(|r| match &r.target {
                Target::Picture {
                    part, content_type, ..
                } => Some(format!(
                    r#"<Override PartName="/{part}" ContentType="{}" />"#,
                    crate::text::xml_escape(content_type)
                )),
                Target::External(_) => None,
            })
            .collect();
        ours.replacen("</Types>", &format!("{overrides}</Types>"), 1)
    }
}

impl HouseHeader {
    /// The house header with `mus`'s header paragraphs (`ours`, a header part) after its content.
    fn with(&self, ours: &str) -> std::io::Result<String> {
        let doc = parse(ours, "header").map_err(std::io::Error::other)?;
        let mut paragraphs: String = doc
            .root_element()
            .children()
            .filter(|n| n.is_element() && shows_something(n))
            .map(|n| without_paragraph_ids(&ours[n.range()]))
            .collect();
        if paragraphs.is_empty() && !self.opening.contains(":p>") && !self.opening.contains(":p ") {
            // A header ends with a paragraph.
            paragraphs.push_str("<w:p />");
        }
        Ok(format!("{}{paragraphs}{}", self.opening, self.closing))
    }

    /// The relationships part of the header: the house header's pictures and links.
    fn relationships_part(&self) -> String {
        let mut xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">"#
        );
        for r in &self.relationships {
            let (target, mode) = match &r.target {
                Target::External(url) => {
                    (crate::text::xml_escape(url), r#" TargetMode="External""#)
                }
                Target::Picture { part, .. } => (part.trim_start_matches("word/").to_string(), ""),
            };
            xml.push_str(&format!(
                r#"<Relationship Id="{}" Type="{}" Target="{target}"{mode} />"#,
                crate::text::xml_escape(&r.id),
                crate::text::xml_escape(&r.kind)
            ));
        }
        xml.push_str("</Relationships>");
        xml
    }
}

/// `w14:paraId` is left out of `mus`'s paragraphs in a house header, whose
/// root may not declare that namespace; Word adds ids where it wants them.
fn without_paragraph_ids(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find(" w14:paraId=\"") {
        out.push_str(&rest[..start]);
        let after = &rest[start + " w14:paraId=\"".len()..];
        rest = after.find('"').map(|end| &after[end + 1..]).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The house file's package: its parts read with bounds.
struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
}

/// A relationship as a `.rels` part writes it, its target resolved to a part name.
struct RawRelationship {
    id: String,
    kind: String,
    target: String,
    /// The target as written, for a link outside the package.
    external: Option<String>,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Package<'a>, HouseError> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|err| HouseError::NotDocx(err.to_string()))?;
        if archive.len() > HOUSE_ENTRIES {
            return Err(HouseError::TooManyParts(archive.len()));
        }
        Ok(Package { archive })
    }

    /// A part's bytes, or `None` when the package has no such part.
    fn bytes(&mut self, part: &str, limit: u64) -> Result<Option<Vec<u8>>, HouseError> {
        let Ok(entry) = self.archive.by_name(part) else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| HouseError::NotDocx(err.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(HouseError::PartTooLarge(part.to_string()));
        }
        Ok(Some(bytes))
    }

    /// A part as UTF-8 text, without a byte-order mark.
    fn text(&mut self, part: &str) -> Result<Option<String>, HouseError> {
        match self.bytes(part, HOUSE_PART_BYTES)? {
            None => Ok(None),
            Some(bytes) => {
                let text =
                    String::from_utf8(bytes).map_err(|_| HouseError::NotUtf8(part.to_string()))?;
                let text = text.trim_start_matches('\u{feff}').to_string();
                if let Some(encoding) = declared_encoding(&text)
                    && !matches!(encoding.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
                {
                    return Err(HouseError::Encoding {
                        part: part.to_string(),
                        encoding: encoding.to_string(),
                    });
                }
                Ok(Some(text))
            }
        }
    }

    /// The relationships of `rels`, targets resolved against `folder`.
    fn relationships(
        &mut self,
        rels: &str,
        folder: &str,
    ) -> Result<Vec<RawRelationship>, HouseError> {
        let Some(text) = self.text(rels)? else {
            return Ok(Vec::new());
        };
        let doc = parse(&text, rels)?;
        Ok(doc
            .descendants()
            .filter(|n| n.has_tag_name((RELS, "Relationship")))
            .map(|n| {
                let target = n.attribute("Target").unwrap_or_default();
                let external = n.attribute("TargetMode") == Some("External");
                RawRelationship {
                    id: n.attribute("Id").unwrap_or_default().to_string(),
                    kind: n.attribute("Type").unwrap_or_default().to_string(),
                    target: resolve(folder, target),
                    external: external.then(|| target.to_string()),
                }
            })
            .collect())
    }

    /// The content type of `part`: its override, else its extension's default.
    fn content_type(&mut self, part: &str) -> Result<Option<String>, HouseError> {
        let Some(text) = self.text("[Content_Types].xml")? else {
            return Ok(None);
        };
        let doc = parse(&text, "[Content_Types].xml")?;
        let name = format!("/{part}");
        let extension = part.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        let over = doc
            .descendants()
            .find(|n| {
                n.has_tag_name((TYPES, "Override"))
                    && n.attribute("PartName")
                        .is_some_and(|p| p.eq_ignore_ascii_case(&name))
            })
            .and_then(|n| n.attribute("ContentType"));
        let default = || {
            doc.descendants()
                .find(|n| {
                    n.has_tag_name((TYPES, "Default"))
                        && n.attribute("Extension")
                            .is_some_and(|e| e.eq_ignore_ascii_case(&extension))
                })
                .and_then(|n| n.attribute("ContentType"))
        };
        Ok(over.or_else(default).map(str::to_string))
    }
}

/// The encoding an XML declaration names (`<?xml … encoding="UTF-16"?>`), if any.
fn declared_encoding(text: &str) -> Option<&str> {
    let declaration = text.strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}

/// A relationship target resolved against the folder of its source part.
fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if let Some(absolute) = target.strip_prefix('/') {
        return normalise(absolute.split('/').collect());
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    parts.extend(target.split('/'));
    normalise(parts)
}

fn normalise(parts: Vec<&str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

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

/// A part's root must be Word's transitional namespace with the usual `w`
/// prefix, so `mus`'s own XML can be put beside the house file's.
fn check_root(doc: &roxmltree::Document, part: &str) -> Result<(), HouseError> {
    let root = doc.root_element();
    match root.tag_name().namespace() {
        Some(W_STRICT) => Err(HouseError::Strict),
        Some(W) if root.lookup_namespace_uri(Some("w")) == Some(W) => Ok(()),
        _ => Err(HouseError::Prefix(part.to_string())),
    }
}

/// Finds the style `mus` needs among the house file's by built-in name:
/// the house id of each, and the names of those the file lacks.
fn style_ids(
    styles: &str,
    part: &str,
) -> Result<(BTreeMap<String, String>, Vec<&'static str>), HouseError> {
    let doc = parse(styles, part)?;
    check_root(&doc, part)?;
    let defined: Vec<(&str, &str, String)> = doc
        .root_element()
        .children()
        .filter(|n| is_w(n, "style"))
        .map(|n| {
            let name = n
                .children()
                .find(|c| is_w(c, "name"))
                .and_then(|c| c.attribute((W, "val")))
                .unwrap_or_default()
                .to_lowercase();
            (
                n.attribute((W, "type")).unwrap_or("paragraph"),
                n.attribute((W, "styleId")).unwrap_or_default(),
                name,
            )
        })
        .collect();
    let mut ids = BTreeMap::new();
    let mut missing = Vec::new();
    for (kind, our_id, name) in MUS_STYLES {
        let found = defined
            .iter()
            .find(|(k, _, n)| *k == kind && *n == name.to_lowercase());
        match found {
            // The note boxes and the goals table are drawn with Table Grid:
            // without lines they cannot be seen, so `mus`'s own is used.
            Some((_, their_id, _)) if our_id == "TableGrid" && !has_borders(&doc, their_id) => {
                missing.push(name)
            }
            Some((_, their_id, _)) => {
                ids.insert(their_id.to_string(), our_id.to_string());
            }
            None => missing.push(name),
        }
    }
    // A house style that has one of our ids but is another style moves aside.
    for (_, their_id, _) in &defined {
        let taken = MUS_STYLES.iter().any(|(_, our, _)| our == their_id);
        if taken && !ids.contains_key(*their_id) {
            ids.insert(their_id.to_string(), format!("House{their_id}"));
        }
    }
    Ok((ids, missing))
}

/// Whether the table style `id` draws any line: its own borders, not
/// `none` or `nil` everywhere.
fn has_borders(doc: &roxmltree::Document, id: &str) -> bool {
    let style = doc
        .root_element()
        .children()
        .find(|n| is_w(n, "style") && n.attribute((W, "styleId")) == Some(id));
    style
        .into_iter()
        .flat_map(|s| s.descendants())
        .filter(|n| is_w(n, "tblBorders"))
        .flat_map(|b| b.children().filter(|n| n.is_element()))
        .any(|border| !matches!(border.attribute((W, "val")), Some("none" | "nil") | None))
}

/// What the last section of the house document says.
struct Section {
    page: PageSetup,
    header: Option<String>,
}

/// The page and default header of the document's last section (the body's `sectPr`).
fn last_section(document: &str, part: &str) -> Result<Section, HouseError> {
    let doc = parse(document, part)?;
    let section = doc
        .root_element()
        .children()
        .find(|n| is_w(n, "body"))
        .and_then(|body| body.children().rfind(|n| is_w(n, "sectPr")));
    let mut page = PageSetup::default();
    let mut header = None;
    if let Some(section) = section {
        // Each value within Word's own range (twips), so no sum can overflow.
        let number = |node: roxmltree::Node,
                      attribute: &str,
                      (min, max): (i64, i64)|
         -> Result<Option<i32>, HouseError> {
            let Some(value) = node.attribute((W, attribute)) else {
                return Ok(None);
            };
            let name = || format!("{}/@w:{attribute}", node.tag_name().name());
            let parsed = value
                .trim()
                .parse::<i64>()
                .map_err(|_| HouseError::PageValue {
                    attribute: name(),
                    value: value.to_string(),
                })?;
            if !(min..=max).contains(&parsed) {
                return Err(HouseError::PageRange {
                    attribute: name(),
                    value: value.to_string(),
                    range: (min, max),
                });
            }
            Ok(i32::try_from(parsed).ok())
        };
        let side = (PAGE_SIDE_MIN, i64::from(PageSetup::MAX_SIDE));
        let margin = (0, i64::from(PageSetup::MAX_SIDE));
        // Word writes a negative top or bottom to mean "do not move the text".
        let signed = (
            -i64::from(PageSetup::MAX_SIDE),
            i64::from(PageSetup::MAX_SIDE),
        );
        if let Some(size) = section.children().find(|n| is_w(n, "pgSz")) {
            page.width = number(size, "w", side)?.unwrap_or(page.width);
            page.height = number(size, "h", side)?.unwrap_or(page.height);
        }
        if let Some(margins) = section.children().find(|n| is_w(n, "pgMar")) {
            page.top = number(margins, "top", signed)?
                .map(i32::abs)
                .unwrap_or(page.top);
            page.bottom = number(margins, "bottom", signed)?
                .map(i32::abs)
                .unwrap_or(page.bottom);
            page.left = number(margins, "left", margin)?.unwrap_or(page.left);
            page.right = number(margins, "right", margin)?.unwrap_or(page.right);
            page.header = number(margins, "header", margin)?.unwrap_or(page.header);
            page.footer = number(margins, "footer", margin)?.unwrap_or(page.footer);
            number(margins, "gutter", margin)?;
        }
        let reference = |kind: &str| {
            section
                .children()
                .filter(|n| is_w(n, "headerReference"))
                .find(|n| n.attribute((W, "type")).unwrap_or("default") == kind)
                .and_then(|n| n.attribute((R, "id")))
                .map(str::to_string)
        };
        header = reference("default").or_else(|| reference("first"));
    }
    check_page(&page)?;
    Ok(Section { page, header })
}

/// The smallest page side Word allows: 0.1 inch (144 twips).
const PAGE_SIDE_MIN: i64 = 144;

/// A page the documents fit on, or why not: the text needs room across
/// and down. Sums are taken in 64 bits, so no value can wrap them.
fn check_page(page: &PageSetup) -> Result<(), HouseError> {
    if page.width > PageSetup::MAX_SIDE || page.height > PageSetup::MAX_SIDE {
        return Err(HouseError::PageTooLarge);
    }
    let room = |side: i32, a: i32, b: i32| i64::from(side) - i64::from(a) - i64::from(b);
    let centimetres = |twips: i64| format!("{:.1}", twips.max(0) as f64 / 567.0);
    let minimum = i64::from(PageSetup::MIN_TEXT_WIDTH);
    let across = room(page.width, page.left, page.right);
    if across < minimum {
        return Err(HouseError::PageTooNarrow {
            centimetres: centimetres(across),
        });
    }
    let down = room(page.height, page.top, page.bottom);
    if down < minimum {
        return Err(HouseError::PageTooShort {
            centimetres: centimetres(down),
        });
    }
    Ok(())
}

/// Reads the house header: its content, and the pictures and links it refers to.
fn read_header(
    package: &mut Package,
    part: &str,
    ids: &BTreeMap<String, String>,
) -> Result<(HouseHeader, Removed), HouseError> {
    let text = package
        .text(part)?
        .ok_or(HouseError::MissingPart("header"))?;
    let (text, removed) = scrubbed(&text, part)?;
    let doc = parse(&text, part)?;
    check_root(&doc, part)?;
    let (folder, file) = part.rsplit_once('/').unwrap_or(("", part));
    let rels = package.relationships(&format!("{folder}/_rels/{file}.rels"), folder)?;

    // Every relationship the header refers to comes along; pictures are copied.
    let mut used: Vec<&str> = doc
        .descendants()
        .flat_map(|n| n.attributes())
        .filter(|a| a.namespace() == Some(R))
        .map(|a| a.value())
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut relationships = Vec::new();
    let mut picture_bytes = 0u64;
    for id in used {
        let raw = rels
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| HouseError::MissingRelationship(id.to_string()))?;
        let target = if let Some(url) = &raw.external {
            // Only a link the reader follows by clicking: a linked picture,
            // object or frame would be fetched by every document it opens.
            if !raw.kind.ends_with("/hyperlink") || !is_web_or_mail(url) {
                return Err(HouseError::External {
                    kind: raw.kind.rsplit('/').next().unwrap_or_default().to_string(),
                    target: url.clone(),
                });
            }
            Target::External(url.clone())
        } else if raw.kind.ends_with("/image") {
            let count = relationships
                .iter()
                .filter(|r: &&Relationship| matches!(r.target, Target::Picture { .. }))
                .count();
            if count >= HOUSE_PICTURES {
                return Err(HouseError::TooManyPictures);
            }
            let bytes = package
                .bytes(&raw.target, HOUSE_PICTURE_BYTES)?
                .ok_or_else(|| HouseError::MissingRelationship(id.to_string()))?;
            picture_bytes += bytes.len() as u64;
            if picture_bytes > HOUSE_PICTURE_BYTES {
                return Err(HouseError::PicturesTooLarge);
            }
            let extension = raw
                .target
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .filter(|e| e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()))
                .unwrap_or_else(|| "bin".into());
            let content_type = package
                .content_type(&raw.target)?
                .unwrap_or_else(|| format!("image/{extension}"));
            // A "picture" that is the file's properties or its macros stays out.
            if !content_type.starts_with("image/") || !is_media_part(&raw.target) {
                return Err(HouseError::NotAPicture(raw.target.clone()));
            }
            Target::Picture {
                part: format!("{MEDIA_PREFIX}{}.{extension}", count + 1),
                content_type,
                bytes,
            }
        } else {
            let kind = raw.kind.rsplit('/').next().unwrap_or_default();
            return Err(HouseError::HeaderPart(kind.to_string()));
        };
        relationships.push(Relationship {
            id: id.to_string(),
            kind: raw.kind.clone(),
            target,
        });
    }

    let mut edits = Edits::default();
    let mut drawings = 0;
    let root = doc.root_element();
    for node in root.children().filter(|n| is_w(n, "p")) {
        if !shows_something(&node) {
            edits.replace(node.range(), String::new());
        }
    }
    // Numbering is not carried over; the house file's list ids mean nothing here.
    for node in doc.descendants().filter(|n| is_w(n, "numPr")) {
        edits.replace(node.range(), String::new());
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        if node.tag_name().name() == "docPr" {
            if let Some(attr) = node.attributes().find(|a| a.name() == "id") {
                let next = FIRST_DRAWING_ID + drawings;
                drawings += 1;
                edits.replace(attr.range_value(), next.to_string());
            }
            if let Some((at, with)) = marked_decorative(&text, &node) {
                edits.replace(at, with);
            }
        } else if node.tag_name().namespace() == Some(W)
            && STYLE_REFERENCES.contains(&node.tag_name().name())
            && let Some(attr) = node
                .attributes()
                .find(|a| a.namespace() == Some(W) && a.name() == "val")
            && let Some(new) = ids.get(attr.value())
        {
            edits.replace(attr.range_value(), new.clone());
        }
    }
    let end = end_tag_start(&text, root.range());
    let edited = edits.apply(&text[..end]);
    Ok((
        HouseHeader {
            opening: edited,
            closing: text[end..root.range().end].to_string(),
            relationships,
        },
        removed,
    ))
}

/// A link a header may carry: to the web or to an e-mail address, not to
/// a file share (`file://`, `\\host`), which Windows would sign in to.
fn is_web_or_mail(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// Whether a picture's part may be one: not a package part of another kind
/// (`docProps/core.xml`, `word/vbaProject.bin`, `customXml/…`, an XML or
/// relationships part, an embedded object or control).
fn is_media_part(part: &str) -> bool {
    let lower = part.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or_default();
    let folders = [
        "docprops/",
        "customxml/",
        "word/embeddings/",
        "word/activex/",
    ];
    !folders.iter().any(|folder| lower.starts_with(folder))
        && !lower.contains("_rels/")
        && !name.starts_with("vbaproject")
        && !name.starts_with("vbadata")
        && !name.ends_with(".xml")
        && !name.ends_with(".rels")
        && !name.is_empty()
}

/// A part without what may not ride into every document, and what that was.
fn scrubbed(text: &str, part: &str) -> Result<(String, Removed), HouseError> {
    let doc = parse(text, part)?;
    Ok(scrub(&doc, text))
}

/// The note for what was taken out of the house file.
fn removed_note(file: &str, removed: Removed) -> String {
    let mut what = Vec::new();
    if removed.revisions {
        what.push(crate::msg!("house.removed.revisions"));
    }
    if removed.hidden_text {
        what.push(crate::msg!("house.removed.hidden-text"));
    }
    if removed.comments {
        what.push(crate::msg!("house.removed.comments"));
    }
    if removed.custom_xml {
        what.push(crate::msg!("house.removed.custom-xml"));
    }
    if removed.control_tags {
        what.push(crate::msg!("house.removed.control-tags"));
    }
    if removed.permissions {
        what.push(crate::msg!("house.removed.permissions"));
    }
    if removed.xml_comments {
        what.push(crate::msg!("house.removed.xml-comments"));
    }
    crate::msg!("house.removed", file = file, what = what.join(", "))
}

/// The styles without the `basedOn` that closes a loop (Normal based on
/// Heading 1 based on Normal: LibreOffice hangs on such a file), and the
/// ids of the styles that lost it. Styles are followed in the file's
/// order, so the same file always loses the same link.
fn without_style_cycles(styles: &str, part: &str) -> Result<(String, Vec<String>), HouseError> {
    let doc = parse(styles, part)?;
    let mut based_on: BTreeMap<&str, roxmltree::Node> = BTreeMap::new();
    let mut order = Vec::new();
    for style in doc.root_element().children().filter(|n| is_w(n, "style")) {
        let id = style.attribute((W, "styleId")).unwrap_or_default();
        order.push(id);
        if let Some(base) = style.children().find(|c| is_w(c, "basedOn")) {
            based_on.entry(id).or_insert(base);
        }
    }
    let mut cut: BTreeMap<&str, roxmltree::Node> = BTreeMap::new();
    let mut done: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for start in order {
        let mut path: Vec<&str> = Vec::new();
        let mut at = start;
        while !done.contains(at) {
            path.push(at);
            let Some(base) = based_on.get(at).filter(|_| !cut.contains_key(at)) else {
                break;
            };
            let next = base.attribute((W, "val")).unwrap_or_default();
            if path.contains(&next) {
                cut.insert(at, *base);
                break;
            }
            at = next;
        }
        done.extend(path);
    }
    let mut edits = Edits::default();
    for base in cut.values() {
        edits.replace(base.range(), String::new());
    }
    let ids = cut.keys().map(|id| id.to_string()).collect();
    Ok((edits.apply(styles), ids))
}

/// Whether a part's XML refers to other parts (an attribute in the
/// relationships namespace, as a picture fill's `r:embed`).
fn refers_to_parts(xml: &str) -> bool {
    roxmltree::Document::parse_with_options(
        xml,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .map_or(true, |doc| {
        doc.descendants()
            .flat_map(|n| n.attributes())
            .any(|a| a.namespace() == Some(R))
    })
}

/// The theme part, if it is one: well-formed, no DTD, `a:theme` at its root.
fn checked_theme(theme: String, part: &str) -> Result<String, HouseError> {
    let doc = parse(&theme, part)?;
    if !doc.root_element().has_tag_name((A, "theme")) {
        return Err(HouseError::NotTheme(part.to_string()));
    }
    Ok(theme)
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

/// Where an element's end tag starts (for inserting before it); for an
/// empty element, its end.
/// Word's mark of a decorative drawing, inside `wp:docPr`.
const DECORATIVE: &str = concat!(
    r#"<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">"#,
    r#"<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">"#,
    r#"<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>"#,
    r#"</a:ext></a:extLst>"#
);

/// The edit that marks the header picture `doc_pr` (a `wp:docPr`) decorative
/// when the house file gives it no alternative text: a logo repeated on
/// every page, which a screen reader then passes over rather than reading
/// a file name. `None` when it has alternative text or extensions of its own.
fn marked_decorative(text: &str, doc_pr: &roxmltree::Node) -> Option<(Range<usize>, String)> {
    let described = doc_pr
        .attribute("descr")
        .is_some_and(|d| !d.trim().is_empty());
    let extended = doc_pr.children().any(|n| n.tag_name().name() == "extLst");
    if described || extended {
        return None;
    }
    let range = doc_pr.range();
    if is_empty_element(text, range.clone()) {
        let name: String = text[range.start + 1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
            .collect();
        let close = text[range.clone()].rfind("/>")? + range.start;
        Some((close..range.end, format!(">{DECORATIVE}</{name}>")))
    } else {
        let at = end_tag_start(text, range);
        Some((at..at, DECORATIVE.to_string()))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_picture_without_alt_text_is_marked_decorative() {
        let marked = |xml: &str| -> String {
            let doc = roxmltree::Document::parse(xml).expect("xml");
            let mut edits = Edits::default();
            for pr in doc.descendants().filter(|n| n.tag_name().name() == "docPr") {
                if let Some((at, with)) = marked_decorative(xml, &pr) {
                    edits.replace(at, with);
                }
            }
            edits.apply(xml)
        };
        let wp =
            r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing""#;
        let bare = format!(r#"<x {wp}><wp:docPr id="1" name="Logo"/></x>"#);
        let done = marked(&bare);
        assert_eq!(
            done,
            format!(r#"<x {wp}><wp:docPr id="1" name="Logo">{DECORATIVE}</wp:docPr></x>"#)
        );
        roxmltree::Document::parse(&done).expect("still well-formed");
        let with_link = format!(
            r#"<x {wp}><wp:docPr id="1" name="Logo"><a:hlinkClick xmlns:a="a"/></wp:docPr></x>"#
        );
        assert!(marked(&with_link).ends_with(&format!("{DECORATIVE}</wp:docPr></x>")));
        let described = format!(r#"<x {wp}><wp:docPr id="1" name="Logo" descr="Logo"/></x>"#);
        assert_eq!(marked(&described), described);
    }

    const OURS: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" /><w:lang w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA" /></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number" /><w:pPr><w:numPr><w:numId w:val="3" /></w:numPr></w:pPr></w:style></w:styles>"#;
    const LANG: &str = r#"<w:lang w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA" />"#;

    fn house(styles: &str) -> HouseStyle {
        let (ids, missing) = style_ids(styles, "styles.xml").expect("styles");
        HouseStyle {
            file: "husstil.docx".into(),
            page: PageSetup::default(),
            missing,
            notes: Vec::new(),
            styles: styles.into(),
            ids,
            theme: None,
            header: None,
        }
    }

    fn merged(body: &str) -> String {
        let styles = format!("<w:styles xmlns:w=\"{W}\">{body}</w:styles>");
        house(&styles).styles_with(OURS).expect("merges")
    }

    #[test]
    fn the_document_language_is_ours_wherever_the_house_file_puts_its_defaults() {
        // No defaults at all: ours come first.
        let text = merged(
            r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>"#,
        );
        assert!(
            text.contains(&format!(
                "><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" />{LANG}"
            )),
            "{text}"
        );
        // Defaults without run defaults: they are added first.
        let text = merged("<w:docDefaults><w:pPrDefault/></w:docDefaults>");
        assert!(
            text.contains(&format!(
                "<w:docDefaults><w:rPrDefault><w:rPr>{LANG}</w:rPr></w:rPrDefault><w:pPrDefault/>"
            )),
            "{text}"
        );
        // Run defaults with another language: replaced.
        let text = merged(
            r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault></w:docDefaults>"#,
        );
        assert!(
            text.contains(&format!("<w:sz w:val=\"24\"/>{LANG}</w:rPr>"))
                && !text.contains("en-US"),
            "{text}"
        );
        // Without a language: it goes before what the schema puts after it.
        let text = merged(
            r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/><w:eastAsianLayout/></w:rPr></w:rPrDefault></w:docDefaults>"#,
        );
        assert!(
            text.contains(&format!("<w:sz w:val=\"24\"/>{LANG}<w:eastAsianLayout/>")),
            "{text}"
        );
        // An empty rPr, and an empty rPrDefault.
        let text = merged("<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault></w:docDefaults>");
        assert!(
            text.contains(&format!(
                "<w:rPrDefault><w:rPr>{LANG}</w:rPr></w:rPrDefault>"
            )),
            "{text}"
        );
        let text = merged("<w:docDefaults><w:rPrDefault/></w:docDefaults>");
        assert!(
            text.contains(&format!(
                "<w:docDefaults><w:rPrDefault><w:rPr>{LANG}</w:rPr></w:rPrDefault></w:docDefaults>"
            )),
            "{text}"
        );
    }

    #[test]
    fn a_missing_style_is_ours_and_named() {
        let text = merged(
            r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>"#,
        );
        assert!(text.contains(r#"<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number" />"#), "{text}");
        let missing = house(&format!("<w:styles xmlns:w=\"{W}\"/>")).missing;
        assert_eq!(missing.len(), MUS_STYLES.len());
    }

    #[test]
    fn styles_are_found_by_name_whatever_their_id_and_type() {
        let styles = format!(
            r#"<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="Heading 1"/></w:style><w:style w:type="character" w:styleId="Tabelgitter"><w:name w:val="Table Grid"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Forside"/></w:style></w:styles>"#
        );
        let house = house(&styles);
        assert_eq!(
            house.ids.get("Overskrift1").map(String::as_str),
            Some("Heading1")
        );
        // A character style is not the table style, even by name.
        assert!(house.missing.contains(&"Table Grid"));
        // A style that has one of our ids for something else moves aside.
        assert_eq!(
            house.ids.get("Title").map(String::as_str),
            Some("HouseTitle")
        );
        assert!(house.missing.contains(&"Title"));
    }

    #[test]
    fn a_table_grid_without_lines_is_left_for_ours() {
        let grid = |borders: &str| {
            format!(
                r#"<w:styles xmlns:w="{W}"><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr>{borders}</w:tblPr></w:style></w:styles>"#
            )
        };
        let lines = grid(r#"<w:tblBorders><w:top w:val="single" w:sz="4"/></w:tblBorders>"#);
        assert!(!house(&lines).missing.contains(&"Table Grid"));
        for without in [
            grid(""),
            grid(r#"<w:tblBorders><w:top w:val="none"/><w:insideH w:val="nil"/></w:tblBorders>"#),
        ] {
            let house = house(&without);
            assert!(house.missing.contains(&"Table Grid"), "{without}");
            // The house's own moves aside, so ours takes the id.
            assert_eq!(
                house.ids.get("TableGrid").map(String::as_str),
                Some("HouseTableGrid")
            );
        }
    }

    #[test]
    fn a_strict_or_oddly_prefixed_file_is_refused() {
        let strict = format!(r#"<w:styles xmlns:w="{W_STRICT}"/>"#);
        assert_eq!(style_ids(&strict, "s").map(|_| ()), Err(HouseError::Strict));
        let odd = format!(r#"<x:styles xmlns:x="{W}"/>"#);
        assert_eq!(
            style_ids(&odd, "s").map(|_| ()),
            Err(HouseError::Prefix("s".into()))
        );
    }

    #[test]
    fn targets_resolve_against_their_part_folder() {
        assert_eq!(resolve("word", "media/logo.png"), "word/media/logo.png");
        assert_eq!(resolve("word", "../media/logo.png"), "media/logo.png");
        assert_eq!(
            resolve("word", "/word/media/logo.png"),
            "word/media/logo.png"
        );
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
    }

    #[test]
    fn edits_insert_before_a_replacement_and_drop_one_inside_another() {
        let mut edits = Edits::default();
        edits.replace(2..6, "X".into());
        edits.replace(2..2, "<".into());
        edits.replace(3..4, "never".into());
        assert_eq!(edits.apply("ab1234cd"), "ab<Xcd");
    }

    #[test]
    fn our_paragraph_ids_are_left_out_of_a_house_header() {
        assert_eq!(
            without_paragraph_ids(r#"<w:p w14:paraId="00000001"><w:r/></w:p><w:p w14:paraId="2">"#),
            "<w:p><w:r/></w:p><w:p>"
        );
    }

    #[test]
    fn a_style_cycle_loses_the_link_that_closes_it_and_a_self_reference_goes() {
        let styles = format!(
            r#"<w:styles xmlns:w="{W}"><w:style w:styleId="A"><w:basedOn w:val="B"/></w:style><w:style w:styleId="B"><w:basedOn w:val="C"/></w:style><w:style w:styleId="C"><w:basedOn w:val="A"/></w:style><w:style w:styleId="D"><w:basedOn w:val="D"/></w:style><w:style w:styleId="E"><w:basedOn w:val="A"/></w:style></w:styles>"#
        );
        let (text, cut) = without_style_cycles(&styles, "s").expect("styles");
        assert_eq!(cut, ["C", "D"]);
        assert!(
            text.contains(r#"<w:style w:styleId="C"></w:style>"#),
            "{text}"
        );
        assert!(
            text.contains(r#"<w:style w:styleId="E"><w:basedOn w:val="A"/>"#),
            "{text}"
        );
    }

    #[test]
    fn the_declared_encoding_is_read_from_the_xml_declaration_only() {
        assert_eq!(
            declared_encoding(r#"<?xml version="1.0" encoding='UTF-16'?><a/>"#),
            Some("UTF-16")
        );
        assert_eq!(
            declared_encoding(r#"<?xml version="1.0"?><a encoding="x"/>"#),
            None
        );
        assert_eq!(declared_encoding("<a/>"), None);
    }

    #[test]
    fn a_picture_part_is_no_package_part_of_another_kind() {
        for part in [
            "word/media/image1.png",
            "media/logo.jpeg",
            "word/billeder/logo.emf",
        ] {
            assert!(is_media_part(part), "{part}");
        }
        for part in [
            "docProps/core.xml",
            "word/vbaProject.bin",
            "word/vbaData.xml",
            "customXml/item1.xml",
            "word/embeddings/oleObject1.bin",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "",
        ] {
            assert!(!is_media_part(part), "{part}");
        }
    }

    #[test]
    fn only_web_and_mail_links_may_leave_the_file() {
        assert!(is_web_or_mail("https://intra.example/mus"));
        assert!(is_web_or_mail(" MAILTO:hr@example.dk"));
        for url in [
            "file://///host/share/a.docx",
            r"\\host\share",
            "javascript:x",
            "ms-word:ofe|u|http://x",
        ] {
            assert!(!is_web_or_mail(url), "{url}");
        }
    }
}
