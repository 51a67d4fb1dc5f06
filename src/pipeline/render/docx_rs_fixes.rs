//! Every correction to what docx-rs writes, in one place. docx-rs is the
//! tool we chose and it stays; where its output is not what Word, the OOXML
//! schema (ECMA-376) or our readers expect, it is put right here, and the
//! tests at the end check, one per correction, that docx-rs still writes
//! what the correction expects: the day docx-rs changes, a test says which
//! correction to revisit.
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
//!   and no height get one), a theme part and its relationship, title,
//!   creator and language in `core.xml`, the application in `app.xml`, no
//!   East-Asian layout flags in `settings.xml`, and no unused list 1 in
//!   `numbering.xml`.
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

use quick_xml::Reader;
use quick_xml::events::Event;

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
pub const THEME: &str = include_str!("theme1.xml");

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

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
        "word/document.xml" => text.replace("<w:trPr><w:cantSplit /></w:trPr>", "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"),
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
            .replace("<dc:creator>unknown</dc:creator>", &format!("<dc:title>{}</dc:title><dc:creator>mus</dc:creator>", xml_text(title)))
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

/// Schema order of the children of each element we sort, by local name.
const ORDERS: &[(&str, &[&str])] = &[
    (
        "pPr",
        &[
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ],
    ),
    (
        "rPr",
        &[
            "ins",
            "del",
            "moveFrom",
            "moveTo",
            "rStyle",
            "rFonts",
            "b",
            "bCs",
            "i",
            "iCs",
            "caps",
            "smallCaps",
            "strike",
            "dstrike",
            "outline",
            "shadow",
            "emboss",
            "imprint",
            "noProof",
            "snapToGrid",
            "vanish",
            "webHidden",
            "color",
            "spacing",
            "w",
            "kern",
            "position",
            "sz",
            "szCs",
            "highlight",
            "u",
            "effect",
            "bdr",
            "shd",
            "fitText",
            "vertAlign",
            "rtl",
            "cs",
            "em",
            "lang",
            "eastAsianLayout",
            "specVanish",
            "oMath",
            "rPrChange",
        ],
    ),
    (
        "tblPr",
        &[
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
            "tblCaption",
            "tblDescription",
        ],
    ),
    (
        "tcPr",
        &[
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
        ],
    ),
    (
        "sectPr",
        &[
            "headerReference",
            "footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
        ],
    ),
    (
        "style",
        &[
            "name",
            "aliases",
            "basedOn",
            "next",
            "link",
            "autoRedefine",
            "hidden",
            "uiPriority",
            "semiHidden",
            "unhideWhenUsed",
            "qFormat",
            "locked",
            "personal",
            "personalCompose",
            "personalReply",
            "rsid",
            "pPr",
            "rPr",
            "tblPr",
            "trPr",
            "tcPr",
            "tblStylePr",
        ],
    ),
    ("docDefaults", &["rPrDefault", "pPrDefault"]),
    ("numPr", &["ilvl", "numId", "numberingChange", "ins"]),
    (
        "lvl",
        &[
            "start",
            "numFmt",
            "lvlRestart",
            "pStyle",
            "isLgl",
            "suff",
            "lvlText",
            "lvlPicBulletId",
            "legacy",
            "lvlJc",
            "pPr",
            "rPr",
        ],
    ),
    (
        "abstractNum",
        &[
            "nsid",
            "multiLevelType",
            "tmpl",
            "name",
            "styleLink",
            "numStyleLink",
            "lvl",
        ],
    ),
    ("num", &["abstractNumId", "lvlOverride"]),
    ("lvlOverride", &["startOverride", "lvl"]),
    (
        "settings",
        &[
            "writeProtection",
            "view",
            "zoom",
            "removePersonalInformation",
            "removeDateAndTime",
            "doNotDisplayPageBoundaries",
            "displayBackgroundShape",
            "printPostScriptOverText",
            "printFractionalCharacterWidth",
            "printFormsData",
            "embedTrueTypeFonts",
            "embedSystemFonts",
            "saveSubsetFonts",
            "saveFormsData",
            "mirrorMargins",
            "alignBordersAndEdges",
            "bordersDoNotSurroundHeader",
            "bordersDoNotSurroundFooter",
            "gutterAtTop",
            "hideSpellingErrors",
            "hideGrammaticalErrors",
            "activeWritingStyle",
            "proofState",
            "formsDesign",
            "attachedTemplate",
            "linkStyles",
            "stylePaneFormatFilter",
            "stylePaneSortMethod",
            "documentType",
            "mailMerge",
            "revisionView",
            "trackRevisions",
            "doNotTrackMoves",
            "doNotTrackFormatting",
            "documentProtection",
            "autoFormatOverride",
            "styleLockTheme",
            "styleLockQFSet",
            "defaultTabStop",
            "autoHyphenation",
            "consecutiveHyphenLimit",
            "hyphenationZone",
            "doNotHyphenateCaps",
            "showEnvelope",
            "summaryLength",
            "clickAndTypeStyle",
            "defaultTableStyle",
            "evenAndOddHeaders",
            "bookFoldRevPrinting",
            "bookFoldPrinting",
            "bookFoldPrintingSheets",
            "drawingGridHorizontalSpacing",
            "drawingGridVerticalSpacing",
            "displayHorizontalDrawingGridEvery",
            "displayVerticalDrawingGridEvery",
            "doNotUseMarginsForDrawingGridOrigin",
            "drawingGridHorizontalOrigin",
            "drawingGridVerticalOrigin",
            "doNotShadeFormData",
            "noPunctuationKerning",
            "characterSpacingControl",
            "printTwoOnOne",
            "strictFirstAndLastChars",
            "noLineBreaksAfter",
            "noLineBreaksBefore",
            "savePreviewPicture",
            "doNotValidateAgainstSchema",
            "saveInvalidXml",
            "ignoreMixedContent",
            "alwaysShowPlaceholderText",
            "doNotDemarcateInvalidXml",
            "saveXmlDataOnly",
            "useXSLTWhenSaving",
            "saveThroughXslt",
            "showXMLTags",
            "alwaysMergeEmptyNamespace",
            "updateFields",
            "hdrShapeDefaults",
            "footnotePr",
            "endnotePr",
            "compat",
            "docVars",
            "rsids",
            "mathPr",
            "attachedSchema",
            "themeFontLang",
            "clrSchemeMapping",
            "doNotIncludeSubdocsInStats",
            "doNotAutoCompressPictures",
            "forceUpgrade",
            "captions",
            "readModeInkLockDown",
            "smartTagType",
            "schemaLibrary",
            "shapeDefaults",
            "doNotEmbedSmartTags",
            "decimalSymbol",
            "listSeparator",
        ],
    ),
];

enum Node {
    Element {
        name: String,
        /// The start tag exactly as written (`<w:p …>` or `<w:br />`).
        open: String,
        empty: bool,
        children: Vec<Node>,
    },
    Raw(String),
}

impl Node {
    fn local_name(&self) -> &str {
        match self {
            Node::Element { name, .. } => name.rsplit(':').next().unwrap_or(name),
            Node::Raw(_) => "",
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Node::Raw(text) => out.push_str(text),
            Node::Element {
                name,
                open,
                empty,
                children,
            } => {
                if *empty && children.is_empty() {
                    out.push_str(open);
                } else {
                    out.push_str(open.trim_end_matches("/>").trim_end_matches('>'));
                    out.push('>');
                    for child in children {
                        child.write(out);
                    }
                    out.push_str(&format!("</{name}>"));
                }
            }
        }
    }
}

/// Reorders `xml` into schema order and applies two fixes: `w:gridCol`
/// loses the `w:type` attribute the schema does not have, and a table with
/// a named style loses its own borders so the style decides them.
/// `extra_children` adds `(parent, element)` where the parent lacks it;
/// empty elements whose tag contains one of `drop` are left out (for
/// relationships and content types of parts we remove).
pub fn normalize(
    xml: &str,
    extra_children: &[(&str, &str)],
    drop: &[&str],
) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::Element {
        name: String::new(),
        open: String::new(),
        empty: false,
        children: Vec::new(),
    }];
    let mut start = 0;
    loop {
        let event = reader.read_event()?;
        let end = reader.buffer_position() as usize;
        let raw = &xml[start..end];
        start = end;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                stack.push(Node::Element {
                    name,
                    open: raw.to_string(),
                    empty: false,
                    children: Vec::new(),
                });
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if drop.iter().any(|needle| raw.contains(needle)) {
                    continue;
                }
                let open = if name == "w:gridCol" {
                    without_attribute(raw, "w:type")
                } else {
                    raw.to_string()
                };
                push(
                    &mut stack,
                    Node::Element {
                        name,
                        open,
                        empty: true,
                        children: Vec::new(),
                    },
                );
            }
            Event::End(_) => {
                if stack.len() > 1 {
                    let mut node = stack.pop().unwrap_or(Node::Raw(String::new()));
                    finish(&mut node, extra_children);
                    push(&mut stack, node);
                }
            }
            _ => push(&mut stack, Node::Raw(raw.to_string())),
        }
    }
    let mut out = String::with_capacity(xml.len() + 64);
    for node in stack {
        match node {
            Node::Element { name, children, .. } if name.is_empty() => {
                children.iter().for_each(|c| c.write(&mut out))
            }
            other => other.write(&mut out),
        }
    }
    Ok(out)
}

fn push(stack: &mut [Node], node: Node) {
    if let Some(Node::Element { children, .. }) = stack.last_mut() {
        children.push(node);
    }
}

/// Sorts a finished element's children, and adds or drops what the fixes ask.
fn finish(node: &mut Node, extra_children: &[(&str, &str)]) {
    let local = node.local_name().to_string();
    let Node::Element { name, children, .. } = node else {
        return;
    };
    for (parent, child) in extra_children {
        if name == parent {
            let child_name = child
                .trim_start_matches('<')
                .split([' ', '/', '>'])
                .next()
                .unwrap_or_default()
                .to_string();
            if !children
                .iter()
                .any(|c| matches!(c, Node::Element { name, .. } if *name == child_name))
            {
                children.push(Node::Element {
                    name: child_name,
                    open: child.to_string(),
                    empty: true,
                    children: Vec::new(),
                });
            }
        }
    }
    // Paragraph properties outside a paragraph (in styles and list levels)
    // are CT_PPrGeneral, which has no run properties.
    if matches!(local.as_str(), "style" | "lvl" | "pPrDefault") {
        for child in children.iter_mut().filter(|c| c.local_name() == "pPr") {
            if let Node::Element {
                children: grand, ..
            } = child
            {
                grand.retain(|g| g.local_name() != "rPr");
            }
        }
    }
    if local == "tblPr" && children.iter().any(|c| c.local_name() == "tblStyle") {
        children.retain(|c| c.local_name() != "tblBorders");
    }
    if let Some((_, order)) = ORDERS.iter().find(|(n, _)| *n == local) {
        let rank = |c: &Node| {
            order
                .iter()
                .position(|o| *o == c.local_name())
                .unwrap_or(order.len())
        };
        children.sort_by_key(rank);
    }
}

/// A start tag without one attribute: `<w:gridCol w:w="2" w:type="dxa" />` → `<w:gridCol w:w="2" />`.
fn without_attribute(tag: &str, attribute: &str) -> String {
    let marker = format!(" {attribute}=\"");
    match tag.find(&marker) {
        Some(at) => {
            let value_end = tag[at + marker.len()..]
                .find('"')
                .map_or(tag.len(), |i| at + marker.len() + i + 1);
            format!("{}{}", &tag[..at], &tag[value_end..])
        }
        None => tag.to_string(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn paragraph_properties_come_in_schema_order() {
        let xml = r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="T" /><w:keepNext /></w:pPr><w:r><w:t xml:space="preserve">a &amp; b</w:t></w:r></w:p>"#;
        assert_eq!(
            normalize(xml, &[], &[]).expect("xml"),
            r#"<w:p><w:pPr><w:pStyle w:val="T" /><w:keepNext /><w:rPr /></w:pPr><w:r><w:t xml:space="preserve">a &amp; b</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn grid_columns_lose_type_and_styled_tables_lose_own_borders() {
        let xml = r#"<w:tbl><w:tblPr><w:tblW w:w="0" /><w:tblBorders><w:top /></w:tblBorders><w:tblStyle w:val="G" /></w:tblPr><w:tblGrid><w:gridCol w:w="100" w:type="dxa" /></w:tblGrid></w:tbl>"#;
        assert_eq!(
            normalize(xml, &[], &[]).expect("xml"),
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="G" /><w:tblW w:w="0" /></w:tblPr><w:tblGrid><w:gridCol w:w="100" /></w:tblGrid></w:tbl>"#
        );
    }

    #[test]
    fn dropped_relationships_are_left_out() {
        let xml = r#"<Relationships><Relationship Id="a" Target="styles.xml" /><Relationship Id="b" Target="comments.xml" /></Relationships>"#;
        assert_eq!(
            normalize(xml, &[], &["Target=\"comments.xml\""]).expect("xml"),
            r#"<Relationships><Relationship Id="a" Target="styles.xml" /></Relationships>"#
        );
    }

    #[test]
    fn extra_children_are_added_in_order() {
        let xml = r#"<w:settings><w:defaultTabStop /><w:zoom /><w:compat /></w:settings>"#;
        assert_eq!(
            normalize(
                xml,
                &[("w:settings", r#"<w:themeFontLang w:val="da-DK" />"#)],
                &[]
            )
            .expect("xml"),
            r#"<w:settings><w:zoom /><w:defaultTabStop /><w:compat /><w:themeFontLang w:val="da-DK" /></w:settings>"#
        );
    }

    // One test per correction: docx-rs still writes what the correction
    // expects. When one fails, docx-rs has changed its output: see whether
    // the correction is still needed, and match its new bytes.

    use std::collections::BTreeMap;
    use std::io::Read;

    use docx_rs::{
        AbstractNumbering, Docx, Numbering, Paragraph, Run, RunFonts, Style, StyleType, Table,
        TableCell, TableRow,
    };

    /// The parts of `docx` as docx-rs packs it, before any correction.
    fn raw_parts(docx: Docx) -> BTreeMap<String, String> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        docx.build().pack(&mut bytes).expect("docx-rs packs");
        let mut archive = zip::ZipArchive::new(bytes).expect("zip");
        let mut parts = BTreeMap::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("part");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            parts.insert(entry.name().expect("name").to_string(), text);
        }
        parts
    }

    fn plain() -> BTreeMap<String, String> {
        raw_parts(Docx::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text("x"))))
    }

    fn corrected(name: &str, text: &str) -> String {
        let bytes = correct_part(
            name,
            text.as_bytes().to_vec(),
            "T",
            LANGUAGE,
            &PictureIds::default(),
        );
        String::from_utf8(bytes.expect("corrects")).expect("utf-8")
    }

    /// A document with one picture (a white pixel), as docx-rs builds it.
    pub(crate) fn with_picture() -> Docx {
        let pic = docx_rs::Pic::new_with_dimensions(with_picture_png(), 10, 10);
        Docx::new().add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)))
    }

    /// A white pixel, as a PNG.
    fn with_picture_png() -> Vec<u8> {
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, 1, 1);
            encoder.set_color(png::ColorType::Rgb);
            let mut writer = encoder.write_header().expect("png header");
            writer.write_image_data(&[255, 255, 255]).expect("png data");
        }
        png
    }

    #[test]
    fn docx_rs_still_numbers_pictures_with_a_process_wide_counter() {
        let picture_parts = |parts: BTreeMap<String, String>| -> Vec<String> {
            parts
                .into_keys()
                .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
                .collect()
        };
        let first = picture_parts(raw_parts(with_picture()));
        let second = picture_parts(raw_parts(with_picture()));
        assert_eq!(first.len(), 1, "{first:?}");
        assert_ne!(first, second, "the same document, another picture id");
        assert!(first[0].starts_with(PictureIds::PREFIX), "{first:?}");
    }

    #[test]
    fn picture_ids_are_renamed_whole_and_in_one_step() {
        let names = ["word/media/rIdImage12.png", "word/media/rIdImage2.png"].map(String::from);
        let ids = PictureIds::new(&names);
        assert_eq!(
            ids.rename_part("word/media/rIdImage12.png"),
            "word/media/rIdImage2.png"
        );
        assert_eq!(
            ids.rename_part("word/media/rIdImage2.png"),
            "word/media/rIdImage1.png"
        );
        assert_eq!(
            ids.rename_in(
                r#"Id="rIdImage2" Target="media/rIdImage12.png" r:embed="rIdImage12""#.into()
            ),
            r#"Id="rIdImage1" Target="media/rIdImage2.png" r:embed="rIdImage2""#
        );
    }

    /// The `wp:docPr` ids of a part, in document order.
    fn drawing_ids(xml: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).expect("well-formed");
        doc.descendants()
            .filter(|n| n.tag_name().namespace() == Some(WP) && n.tag_name().name() == "docPr")
            .filter_map(|n| n.attribute("id").map(str::to_string))
            .collect()
    }

    #[test]
    fn docx_rs_still_gives_every_picture_drawing_id_1() {
        let two = with_picture().add_paragraph(Paragraph::new().add_run(Run::new().add_image(
            docx_rs::Pic::new_with_dimensions(with_picture_png(), 10, 10),
        )));
        let document = &raw_parts(two)["word/document.xml"];
        assert_eq!(drawing_ids(document), ["1", "1"], "{document}");
    }

    #[test]
    fn drawing_ids_are_unique_across_the_document_and_its_headers() {
        let part = |ids: &[&str]| -> Vec<u8> {
            let drawings: String = ids
                .iter()
                .map(|id| format!(r#"<w:r><w:drawing><wp:inline><wp:docPr id="{id}" name="x"/></wp:inline></w:drawing></w:r>"#))
                .collect();
            format!(r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wp="{WP}"><w:p>{drawings}</w:p></w:hdr>"#).into_bytes()
        };
        let mut ids = DrawingIds::default();
        let mut seen = Vec::new();
        for (name, old) in [
            ("word/document.xml", &["1", "1", "9001"][..]),
            ("word/footer1.xml", &[][..]),
            ("word/header1.xml", &["9001"][..]),
            ("word/header2.xml", &["9001"][..]),
        ] {
            let renumbered = ids.renumber(name, part(old)).expect("renumbers");
            let text = String::from_utf8(renumbered).expect("utf-8");
            seen.extend(drawing_ids(&text));
        }
        assert_eq!(seen, ["1", "2", "3", "4", "5"]);
        let other = part(&["7"]);
        assert_eq!(
            ids.renumber("word/styles.xml", other.clone())
                .expect("as it was"),
            other
        );
    }

    #[test]
    fn docx_rs_still_writes_paragraph_properties_out_of_schema_order() {
        let parts = raw_parts(
            Docx::new().add_paragraph(
                Paragraph::new()
                    .style("Heading1")
                    .keep_next(true)
                    .add_run(Run::new().add_text("x").bold()),
            ),
        );
        let xml = &parts["word/document.xml"];
        let ordered = normalize(xml, &[], &[]).expect("xml");
        assert_ne!(
            &ordered, xml,
            "docx-rs now writes schema order: normalize may go"
        );
    }

    #[test]
    fn docx_rs_still_writes_a_header_row_as_cant_split_without_tbl_header() {
        let table = Table::new(vec![TableRow::new(vec![TableCell::new()]).cant_split()]);
        let xml = &raw_parts(Docx::new().add_table(table))["word/document.xml"];
        assert!(xml.contains("<w:trPr><w:cantSplit /></w:trPr>"), "{xml}");
        assert!(!xml.contains("tblHeader"));
        assert!(corrected("word/document.xml", xml).contains("<w:cantSplit /><w:tblHeader />"));
    }

    #[test]
    fn docx_rs_still_writes_default_run_properties_without_a_language() {
        let parts = raw_parts(
            Docx::new()
                .default_fonts(RunFonts::new().ascii("Arial"))
                .add_style(Style::new("Normal", StyleType::Paragraph).name("Normal")),
        );
        let xml = &parts["word/styles.xml"];
        assert!(xml.contains("</w:rPr></w:rPrDefault>"), "{xml}");
        assert!(
            xml.contains(r#"<w:style w:type="paragraph" w:styleId="Normal">"#),
            "{xml}"
        );
        let fixed = corrected("word/styles.xml", xml);
        assert!(fixed.contains(r#"<w:lang w:val="da-DK""#));
        assert!(fixed.contains(r#"w:default="1" w:styleId="Normal""#));
    }

    #[test]
    fn docx_rs_still_writes_an_unknown_creator_and_no_title() {
        let xml = &plain()["docProps/core.xml"];
        assert!(xml.contains("<dc:creator>unknown</dc:creator>"), "{xml}");
        assert!(
            xml.contains("<cp:lastModifiedBy>unknown</cp:lastModifiedBy>"),
            "{xml}"
        );
        let fixed = corrected("docProps/core.xml", xml);
        assert!(fixed.contains("<dc:title>T</dc:title><dc:creator>mus</dc:creator>"));
        assert!(fixed.contains("<dc:language>da-DK</dc:language>"));
    }

    #[test]
    fn docx_rs_still_writes_app_properties_without_an_application() {
        let xml = &plain()["docProps/app.xml"];
        assert!(!xml.contains("<Application>"), "{xml}");
        assert!(corrected("docProps/app.xml", xml).contains("<Application>mus</Application>"));
    }

    #[test]
    fn docx_rs_still_writes_east_asian_layout_flags_into_settings() {
        let xml = &plain()["word/settings.xml"];
        for flag in EAST_ASIAN_COMPAT {
            assert!(xml.contains(flag), "{flag} in {xml}");
        }
        let fixed = corrected("word/settings.xml", xml);
        assert!(EAST_ASIAN_COMPAT.iter().all(|flag| !fixed.contains(flag)));
        assert!(fixed.contains(r#"<w:themeFontLang w:val="da-DK" />"#));
    }

    #[test]
    fn docx_rs_still_writes_its_own_list_with_id_1() {
        let parts = raw_parts(
            Docx::new()
                .add_abstract_numbering(AbstractNumbering::new(FIRST_NUMBERING_ID))
                .add_numbering(Numbering::new(FIRST_NUMBERING_ID, FIRST_NUMBERING_ID)),
        );
        let xml = &parts["word/numbering.xml"];
        assert!(
            xml.contains(r#"<w:abstractNum w:abstractNumId="1">"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<w:num w:numId="1">"#), "{xml}");
        let fixed = corrected("word/numbering.xml", xml);
        assert!(!fixed.contains(r#"w:abstractNumId="1">"#) && !fixed.contains(r#"w:numId="1">"#));
        assert!(fixed.contains(&format!(r#"<w:num w:numId="{FIRST_NUMBERING_ID}">"#)));
    }

    #[test]
    fn docx_rs_still_writes_unused_parts_and_no_theme() {
        let parts = plain();
        for part in UNUSED_PARTS {
            assert!(parts.contains_key(part), "{part}: {:?}", parts.keys());
        }
        assert!(!parts.contains_key(THEME_PART));
        let rels = corrected(
            "word/_rels/document.xml.rels",
            &parts["word/_rels/document.xml.rels"],
        );
        assert!(rels.contains("theme/theme1.xml") && !rels.contains("comments.xml"));
        let types = corrected("[Content_Types].xml", &parts["[Content_Types].xml"]);
        assert!(types.contains("/word/theme/theme1.xml") && !types.contains("/word/footnotes.xml"));
    }

    #[test]
    fn docx_rs_still_writes_grid_columns_with_a_type_the_schema_lacks() {
        let table = Table::new(vec![TableRow::new(vec![TableCell::new()])]).set_grid(vec![100]);
        let xml = &raw_parts(Docx::new().add_table(table))["word/document.xml"];
        let grid_col = xml.find("<w:gridCol ").map(|at| &xml[at..at + 40]);
        assert!(grid_col.is_some_and(|g| g.contains("w:type=")), "{xml}");
        assert!(
            !normalize(xml, &[], &[])
                .expect("xml")
                .contains("w:type=\"dxa\" />")
        );
    }
}
