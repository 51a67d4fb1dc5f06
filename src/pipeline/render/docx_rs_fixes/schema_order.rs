//! Schema order: the children of the elements docx-rs writes in its own
//! order, sorted into the order of the OOXML schema (see the module above).

use quick_xml::Reader;
use quick_xml::events::Event;

/// Schema order of the children of each element we sort, by local name.
pub(super) const ORDERS: &[(&str, &[&str])] = &[
    // A content control's properties (CT_SdtPr), the kind last.
    (
        "sdtPr",
        &[
            "rPr",
            "alias",
            "tag",
            "id",
            "lock",
            "placeholder",
            "temporary",
            "showingPlcHdr",
            "dataBinding",
            "label",
            "tabIndex",
        ],
    ),
    // A date picker's (CT_SdtDate).
    (
        "date",
        &["dateFormat", "lid", "storeMappedDataAs", "calendar"],
    ),
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

pub(super) enum Node {
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
    pub(super) fn local_name(&self) -> &str {
        match self {
            Node::Element { name, .. } => name.rsplit(':').next().unwrap_or(name),
            Node::Raw(_) => "",
        }
    }

    pub(super) fn write(&self, out: &mut String) {
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

pub(super) fn push(stack: &mut [Node], node: Node) {
    if let Some(Node::Element { children, .. }) = stack.last_mut() {
        children.push(node);
    }
}

/// Sorts a finished element's children, and adds or drops what the fixes ask.
pub(super) fn finish(node: &mut Node, extra_children: &[(&str, &str)]) {
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
pub(super) fn without_attribute(tag: &str, attribute: &str) -> String {
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
