//! Every correction to what docx-rs writes, in one place. docx-rs is the
//! tool we chose and it stays; where its output is not what Word, the OOXML
//! schema (ECMA-376) or our readers expect, it is put right here, and the
//! tests (`tests.rs` beside this file) check, one per correction, that
//! docx-rs still writes what the correction expects: the day docx-rs
//! changes, a test says which correction to revisit.
//!
//! - Schema order ([`normalize`]): docx-rs writes some children in its own
//!   order (`w:rPr` first in `w:pPr`, `w:tblStyle` last in `w:tblPr` …);
//!   LibreOffice does not mind, but Word may offer to "recover" such a file.
//!   The parts are re-read with quick-xml, the children of the elements
//!   below are sorted (stably) into schema order, and everything else is
//!   copied byte for byte.
//! - String patches ([`correct_part`]), which match docx-rs's exact bytes:
//!   the language and the default paragraph style in `styles.xml`, repeating
//!   header rows (docx-rs has no `w:tblHeader`: rows built with `cantSplit`
//!   and no height get one), table captions (docx-rs has no `w:tblCaption`:
//!   a style named by [`CAPTION_MARK`] becomes one), a theme part and its
//!   relationship, title, creator and language in `core.xml`, the
//!   application in `app.xml`, no East-Asian layout flags in
//!   `settings.xml`, and no unused list 1 in `numbering.xml`.
//! - Parts left out ([`UNUSED_PARTS`]): comments and footnotes nothing uses.
//! - Numbering ids: docx-rs always writes a list definition with id 1, so
//!   ours start at 2 ([`FIRST_NUMBERING_ID`]).
//! - Picture ids ([`PictureIds`]): docx-rs numbers pictures with a
//!   process-wide counter, so the same document made twice in one process
//!   would differ; each picture gets the number of its place instead.
//! - Drawing ids ([`DrawingIds`]): docx-rs gives every picture's `wp:docPr`
//!   the id 1, and the chart and the house header's pictures come with ids
//!   of their own, so two drawings of a package could share one (the header
//!   logo and the report's chart both had 9001); Word may then offer to
//!   repair the file. Every drawing of the document, its headers and its
//!   footers is numbered 1, 2, … in part order instead.
//! - Content controls ([`controls`]): docx-rs writes a `w:sdt` with an alias
//!   only; the fields to fill in get their name, tag, id, placeholder flag
//!   and kind (date picker, drop-down, plain text) there.

pub mod controls;
mod schema_order;
#[cfg(test)]
pub(super) mod tests;

pub use schema_order::normalize;

/// The language Word spell-checks the documents in, unless a caller of
/// [`correct_part`] gives another.
pub const LANGUAGE: &str = "da-DK";

/// docx-rs always writes a numbered list definition (and instance) with id
/// 1 of its own, so the ids of ours start here; [`correct_part`] removes
/// docx-rs's unused one.
pub const FIRST_NUMBERING_ID: usize = 2;

/// A small theme of our own (Arial, the documents' colours): Word expects
/// a theme part, and docx-rs writes none.
pub const THEME_PART: &str = "word/theme/theme1.xml";
pub const THEME: &str = include_str!("../theme1.xml");

/// Parts docx-rs always writes that nothing links to (or, for comments,
/// that we never fill): left out of the package.
pub const UNUSED_PARTS: [&str; 3] = [
    "word/comments.xml",
    "word/commentsExtended.xml",
    "word/footnotes.xml",
];

/// East-Asian layout flags docx-rs always writes into `w:compat`; they
/// change how Word lays out Danish text, so they are left out.
const EAST_ASIAN_COMPAT: [&str; 6] = [
    "<w:spaceForUL />",
    "<w:balanceSingleByteDoubleByteWidth />",
    "<w:doNotLeaveBackslashAlone />",
    "<w:ulTrailSpace />",
    "<w:doNotExpandShiftReturn />",
    "<w:useFELayout />",
];

/// The name `docProps/app.xml` gives the application that wrote the file.
pub const APPLICATION: &str = "mus";

/// `text` without the first element that starts with `start` (through its
/// closing tag `end`): for the list definition docx-rs always writes and
/// nothing refers to.
fn without_element(text: String, start: &str, end: &str) -> String {
    match text.find(start) {
        Some(at) => match text[at..].find(end) {
            Some(len) => format!("{}{}", &text[..at], &text[at + len + end.len()..]),
            None => text,
        },
        None => text,
    }
}

/// docx-rs names a picture `rIdImage{n}` (its relationship id, and its part
/// `word/media/rIdImage{n}.png`) with `n` from a counter shared by the whole
/// process. These are the renames that number the pictures of one package
/// 1, 2, … in the order of their counter instead.
#[derive(Debug, Default)]
pub struct PictureIds(Vec<(String, String)>);

impl PictureIds {
    const PREFIX: &str = "word/media/rIdImage";

    /// The renames for a package with the parts `names`.
    pub fn new(names: &[String]) -> PictureIds {
        let mut numbers: Vec<usize> = names
            .iter()
            .filter_map(|n| {
                n.strip_prefix(Self::PREFIX)?
                    .strip_suffix(".png")?
                    .parse()
                    .ok()
            })
            .collect();
        numbers.sort_unstable();
        PictureIds(
            numbers
                .into_iter()
                .enumerate()
                .map(|(i, n)| (format!("rIdImage{n}"), format!("rIdImage{}", i + 1)))
                .collect(),
        )
    }

    /// A part's name after the renames.
    pub fn rename_part(&self, name: &str) -> String {
        match name
            .strip_prefix("word/media/")
            .and_then(|n| n.strip_suffix(".png"))
        {
            Some(id) => match self.0.iter().find(|(old, _)| old == id) {
                Some((_, new)) => format!("word/media/{new}.png"),
                None => name.to_string(),
            },
            None => name.to_string(),
        }
    }

    /// `text` with every picture id renamed. Ids are matched whole (with the
    /// quote or `.png` after them), through a placeholder, so `rIdImage1`
    /// never touches `rIdImage12` and one rename never feeds another.
    pub fn rename_in(&self, mut text: String) -> String {
        for (i, (old, _)) in self.0.iter().enumerate() {
            for end in ["\"", ".png"] {
                text = text.replace(&format!("{old}{end}"), &format!("\u{0}{i}\u{0}{end}"));
            }
        }
        for (i, (_, new)) in self.0.iter().enumerate() {
            text = text.replace(&format!("\u{0}{i}\u{0}"), new);
        }
        text
    }
}

/// The wordprocessingDrawing namespace of `wp:docPr`.
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";

/// Numbers the drawings (`wp:docPr/@id`) of one package 1, 2, … across the
/// parts that hold them, in the order the parts are given: the id must be
/// unique in the whole package, headers and footers included.
#[derive(Debug)]
pub struct DrawingIds {
    next: u32,
}

impl Default for DrawingIds {
    fn default() -> Self {
        DrawingIds { next: 1 }
    }
}

impl DrawingIds {
    /// The part `name` with the ids of its drawings renumbered, if it is
    /// the document, a header or a footer; other parts come back as they were.
    pub fn renumber(&mut self, name: &str, content: Vec<u8>) -> std::io::Result<Vec<u8>> {
        let story = name == "word/document.xml"
            || ((name.starts_with("word/header") || name.starts_with("word/footer"))
                && name.ends_with(".xml"));
        if !story || !content.windows(5).any(|w| w == b"docPr") {
            return Ok(content);
        }
        let text = String::from_utf8(content).map_err(std::io::Error::other)?;
        let doc = roxmltree::Document::parse(&text).map_err(std::io::Error::other)?;
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for node in doc
            .descendants()
            .filter(|n| n.tag_name().namespace() == Some(WP) && n.tag_name().name() == "docPr")
        {
            if let Some(id) = node
                .attributes()
                .find(|a| a.namespace().is_none() && a.name() == "id")
            {
                let range = id.range_value();
                out.push_str(&text[at..range.start]);
                out.push_str(&self.next.to_string());
                at = range.end;
                self.next += 1;
            }
        }
        out.push_str(&text[at..]);
        Ok(out.into_bytes())
    }
}

/// docx-rs has no `w:tblCaption` (a table's alternative text), so a layout
/// table that needs one is given a style named by this mark and the caption;
/// [`table_captions`] turns that style into the caption. A layout table has
/// no style of its own, so nothing is lost.
pub const CAPTION_MARK: &str = "mus-caption:";

/// The style name that carries `caption` (see [`CAPTION_MARK`]): docx-rs
/// copies an attribute into the tag as it is, so it is escaped here.
pub fn caption_style(caption: &str) -> String {
    format!("{CAPTION_MARK}{}", crate::text::xml_escape(caption))
}

/// Every `w:tblStyle` named [`CAPTION_MARK`]`…` becomes a `w:tblCaption` with
/// the rest of the name (escaped by [`caption_style`]);
/// [`normalize`] then puts it in schema order.
fn table_captions(text: String) -> String {
    let start = format!(r#"<w:tblStyle w:val="{CAPTION_MARK}"#);
    if !text.contains(&start) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(&start) {
        out.push_str(&rest[..at]);
        let after = &rest[at + start.len()..];
        let Some(end) = after.find('"') else {
            break;
        };
        out.push_str(r#"<w:tblCaption w:val=""#);
        out.push_str(&after[..end]);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// One part of docx-rs's package as we write it: the string patches above
/// and [`normalize`] (schema order), for the part named `name`; `title` is
/// the document's title, `language` its language tag (`da-DK`).
pub fn correct_part(
    name: &str,
    content: Vec<u8>,
    title: &str,
    language: &str,
    pictures: &PictureIds,
) -> std::io::Result<Vec<u8>> {
    let Ok(text) = String::from_utf8(content.clone()) else {
        return Ok(content);
    };
    let text = match name {
        "word/document.xml" | "word/_rels/document.xml.rels" => pictures.rename_in(text),
        _ => text,
    };
    let text = match name {
        // Language last in the default run properties, as the schema orders it.
        "word/styles.xml" => text
            .replacen(
                "</w:rPr></w:rPrDefault>",
                &format!(r#"<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="ar-SA" /></w:rPr></w:rPrDefault>"#),
                1,
            )
            // Readers such as python-docx find the paragraph default by this flag.
            .replacen(
                r#"<w:style w:type="paragraph" w:styleId="Normal">"#,
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#,
                1,
            ),
        // Header rows are the only rows built with cantSplit and no height.
        "word/document.xml" => controls::write_controls(table_captions(text.replace("<w:trPr><w:cantSplit /></w:trPr>", "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>")))?,
        "word/_rels/document.xml.rels" => text.replacen(
            "</Relationships>",
            r#"<Relationship Id="rIdTheme1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml" /></Relationships>"#,
            1,
        ),
        "[Content_Types].xml" => text.replacen(
            "</Types>",
            r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" /></Types>"#,
            1,
        ),
        "docProps/core.xml" => text
            .replace("<dc:creator>unknown</dc:creator>", &format!("<dc:title>{}</dc:title><dc:creator>mus</dc:creator>", crate::text::xml_escape(title)))
            .replace("<cp:lastModifiedBy>unknown</cp:lastModifiedBy>", &format!("<cp:lastModifiedBy>mus</cp:lastModifiedBy><dc:language>{language}</dc:language>")),
        "docProps/app.xml" => text.replacen(
            r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes" />"#,
            &format!(r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>{APPLICATION}</Application></Properties>"#),
            1,
        ),
        "word/settings.xml" => EAST_ASIAN_COMPAT
            .iter()
            .fold(text, |text, flag| text.replace(flag, "")),
        // docx-rs always writes list definition 1 and its instance; no
        // paragraph or style refers to them.
        "word/numbering.xml" => without_element(
            without_element(text, r#"<w:abstractNum w:abstractNumId="1">"#, "</w:abstractNum>"),
            r#"<w:num w:numId="1">"#,
            "</w:num>",
        ),
        _ => text,
    };
    let unused: Vec<String> = UNUSED_PARTS
        .iter()
        .flat_map(|p| {
            [
                format!("PartName=\"/{p}\""),
                format!("Target=\"{}\"", p.trim_start_matches("word/")),
            ]
        })
        .collect();
    let unused: Vec<&str> = unused.iter().map(String::as_str).collect();
    let settings_language = format!(r#"<w:themeFontLang w:val="{language}" />"#);
    let normalized = match name {
        "[Content_Types].xml" | "word/_rels/document.xml.rels" => normalize(&text, &[], &unused),
        "word/settings.xml" => normalize(&text, &[("w:settings", &settings_language)], &[]),
        THEME_PART => Ok(text),
        n if n.starts_with("word/") && n.ends_with(".xml") => normalize(&text, &[], &[]),
        _ => Ok(text),
    };
    normalized
        .map(String::into_bytes)
        .map_err(std::io::Error::other)
}
