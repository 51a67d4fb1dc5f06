//! What a house file's header and styles may not carry into every document:
//! tracked changes (with their authors and deleted text), hidden text,
//! comment marks, custom XML and smart tags, the tags and data bindings of
//! content controls, editing permissions (which name users), and XML
//! comments and processing instructions (which Word never shows).
//!
//! The part is taken as Word shows it with the changes accepted: inserted
//! text stays, deleted text goes, and the wrappers of custom XML go while
//! their content stays. What was removed is told, so the house style's
//! owner hears of it in a note.

use std::ops::Range;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Elements removed with their content: deletions, the records of
/// formatting changes, and the marks of moves and of revised custom XML.
const REVISIONS_DROPPED: &[&str] = &[
    "del",
    "moveFrom",
    "delText",
    "delInstrText",
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblPrExChange",
    "trPrChange",
    "tcPrChange",
    "tblGridChange",
    "numberingChange",
    "cellIns",
    "cellDel",
    "cellMerge",
    "moveFromRangeStart",
    "moveFromRangeEnd",
    "moveToRangeStart",
    "moveToRangeEnd",
    "customXmlInsRangeStart",
    "customXmlInsRangeEnd",
    "customXmlDelRangeStart",
    "customXmlDelRangeEnd",
    "customXmlMoveFromRangeStart",
    "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart",
    "customXmlMoveToRangeEnd",
];

/// Revision wrappers whose content is kept: insertions and the new place of a move.
const REVISIONS_UNWRAPPED: &[&str] = &["ins", "moveTo"];

/// The marks of comments, which refer to a comments part that is not carried over.
const COMMENT_MARKS: &[&str] = &[
    "commentRangeStart",
    "commentRangeEnd",
    "commentReference",
    "annotationRef",
];

/// Wrappers of custom XML and smart tags: their content stays.
const CUSTOM_WRAPPERS: &[&str] = &["customXml", "smartTag"];

/// The properties of those wrappers, which go with them.
const CUSTOM_PROPERTIES: &[&str] = &["customXmlPr", "smartTagPr"];

/// What of a content control's properties goes: its tag, title and data binding.
const CONTROL_TAGS: &[&str] = &["alias", "tag", "dataBinding"];

/// Editing permissions, which name users or groups.
const PERMISSIONS: &[&str] = &["permStart", "permEnd"];

/// What a part held that was removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub revisions: bool,
    pub hidden_text: bool,
    pub comments: bool,
    pub custom_xml: bool,
    pub control_tags: bool,
    pub permissions: bool,
    pub xml_comments: bool,
}

impl Removed {
    /// Whether anything was removed.
    pub fn any(&self) -> bool {
        *self != Removed::default()
    }

    /// What either removed.
    pub fn or(self, other: Removed) -> Removed {
        Removed {
            revisions: self.revisions || other.revisions,
            hidden_text: self.hidden_text || other.hidden_text,
            comments: self.comments || other.comments,
            custom_xml: self.custom_xml || other.custom_xml,
            control_tags: self.control_tags || other.control_tags,
            permissions: self.permissions || other.permissions,
            xml_comments: self.xml_comments || other.xml_comments,
        }
    }
}

/// `text` (the source of `doc`) without what [`Removed`] lists, and what was found.
pub fn scrub(doc: &roxmltree::Document, text: &str) -> (String, Removed) {
    let mut removed = Removed::default();
    let mut cuts: Vec<Range<usize>> = Vec::new();
    for node in doc.descendants() {
        if node.is_comment() || node.is_pi() {
            removed.xml_comments = true;
            cuts.push(node.range());
            continue;
        }
        if !node.is_element() || node.tag_name().namespace() != Some(W) {
            continue;
        }
        let name = node.tag_name().name();
        if REVISIONS_DROPPED.contains(&name) {
            removed.revisions = true;
            cuts.push(node.range());
        } else if REVISIONS_UNWRAPPED.contains(&name) {
            removed.revisions = true;
            cuts.extend(tags(&node, text));
        } else if COMMENT_MARKS.contains(&name) {
            removed.comments = true;
            cuts.push(node.range());
        } else if CUSTOM_WRAPPERS.contains(&name) {
            removed.custom_xml = true;
            cuts.extend(tags(&node, text));
        } else if CUSTOM_PROPERTIES.contains(&name) {
            removed.custom_xml = true;
            cuts.push(node.range());
        } else if CONTROL_TAGS.contains(&name) && parent_is(&node, "sdtPr") {
            removed.control_tags = true;
            cuts.push(node.range());
        } else if PERMISSIONS.contains(&name) {
            removed.permissions = true;
            cuts.push(node.range());
        } else if name == "r" && is_hidden(&node) {
            removed.hidden_text = true;
            cuts.push(node.range());
        } else if name == "vanish" && on(&node) && marks_a_paragraph(&node) {
            // A hidden paragraph mark (a hidden run goes whole, above).
            removed.hidden_text = true;
            cuts.push(node.range());
        }
    }
    (cut(text, cuts), removed)
}

/// Whether `node`'s parent is `w:name`.
fn parent_is(node: &roxmltree::Node, name: &str) -> bool {
    node.parent().is_some_and(|p| p.has_tag_name((W, name)))
}

/// Whether a property is of a paragraph's mark (`w:p/w:pPr/w:rPr/…`), not
/// of a style, where hidden is a style's look and not a hidden text.
fn marks_a_paragraph(node: &roxmltree::Node) -> bool {
    let mut up = node.ancestors().skip(1);
    [up.next(), up.next(), up.next()]
        .iter()
        .zip(["rPr", "pPr", "p"])
        .all(|(n, name)| n.is_some_and(|n| n.has_tag_name((W, name))))
}

/// Whether an on/off property is on (`w:val` absent, `true`, `1` or `on`).
fn on(node: &roxmltree::Node) -> bool {
    !matches!(node.attribute((W, "val")), Some("false" | "0" | "off"))
}

/// Whether a run is hidden text: its own properties say `vanish`.
fn is_hidden(run: &roxmltree::Node) -> bool {
    run.children()
        .filter(|c| c.has_tag_name((W, "rPr")))
        .flat_map(|p| p.children())
        .any(|c| c.has_tag_name((W, "vanish")) && on(&c))
}

/// The start and end tags of an element, whose content is kept.
fn tags(node: &roxmltree::Node, text: &str) -> Vec<Range<usize>> {
    let range = node.range();
    let Some(first) = node.first_child() else {
        // An empty element is all tag.
        return vec![range];
    };
    let Some(last) = node.last_child() else {
        return vec![range];
    };
    let start = range.start..first.range().start;
    let end = last.range().end..range.end;
    if text.get(end.clone()).is_some_and(|t| t.starts_with("</")) {
        vec![start, end]
    } else {
        vec![range]
    }
}

/// The text without the ranges; a range inside one already cut is skipped.
fn cut(text: &str, mut cuts: Vec<Range<usize>>) -> String {
    cuts.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in cuts {
        if range.start < at || range.end > text.len() {
            continue;
        }
        out.push_str(&text[at..range.start]);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(body: &str) -> (String, Removed) {
        let text = format!(r#"<w:hdr xmlns:w="{W}">{body}</w:hdr>"#);
        let doc = roxmltree::Document::parse(&text).expect("xml");
        let (out, removed) = scrub(&doc, &text);
        roxmltree::Document::parse(&out).expect("still well-formed");
        (
            out.trim_start_matches(&format!(r#"<w:hdr xmlns:w="{W}">"#))
                .trim_end_matches("</w:hdr>")
                .to_string(),
            removed,
        )
    }

    #[test]
    fn tracked_changes_are_accepted_as_shown() {
        let (out, removed) = scrubbed(
            r#"<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="Eva"/></w:rPr><w:pPrChange w:id="2" w:author="Eva"><w:pPr/></w:pPrChange></w:pPr><w:ins w:id="3" w:author="Eva"><w:r><w:t>ny</w:t></w:r></w:ins><w:del w:id="4" w:author="Eva"><w:r><w:delText>Fortroligt</w:delText></w:r></w:del><w:r><w:rPr><w:b/><w:rPrChange w:id="5" w:author="Eva"><w:rPr/></w:rPrChange></w:rPr><w:t>tekst</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            out,
            r#"<w:p><w:pPr><w:rPr></w:rPr></w:pPr><w:r><w:t>ny</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>tekst</w:t></w:r></w:p>"#
        );
        assert!(removed.revisions && !removed.hidden_text);
    }

    #[test]
    fn hidden_text_comments_custom_xml_tags_and_permissions_go() {
        let (out, removed) = scrubbed(
            r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:rPr><w:vanish/></w:rPr><w:t>skjult</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>synlig</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:customXml w:element="x"><w:customXmlPr><w:attr w:name="a" w:val="b"/></w:customXmlPr><w:r><w:t>indhold</w:t></w:r></w:customXml><w:permStart w:id="1" w:ed="eva@example.dk"/><w:permEnd w:id="1"/><!-- Eva: tjek med HR --></w:p><?mso-note Eva?><w:sdt><w:sdtPr><w:alias w:val="Eva Hansen"/><w:tag w:val="x"/><w:id w:val="7"/></w:sdtPr><w:sdtContent><w:p/></w:sdtContent></w:sdt>"#,
        );
        assert_eq!(
            out,
            r#"<w:p><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>synlig</w:t></w:r><w:r></w:r><w:r><w:t>indhold</w:t></w:r></w:p><w:sdt><w:sdtPr><w:id w:val="7"/></w:sdtPr><w:sdtContent><w:p/></w:sdtContent></w:sdt>"#
        );
        assert_eq!(
            removed,
            Removed {
                revisions: false,
                hidden_text: true,
                comments: true,
                custom_xml: true,
                control_tags: true,
                permissions: true,
                xml_comments: true,
            }
        );
    }

    #[test]
    fn a_clean_part_is_left_as_it_is() {
        let body = r#"<w:p><w:r><w:t>Logo</w:t></w:r></w:p>"#;
        let (out, removed) = scrubbed(body);
        assert_eq!(out, body);
        assert!(!removed.any());
    }
}
