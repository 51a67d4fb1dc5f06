//! Content controls (`w:sdt`): the fields a person fills in — a plain
//! text control, a date picker, a drop-down — each named for a screen
//! reader (`w:alias`, the accessible name Word's checker asks for) and
//! tagged for `collect` (`w:tag`, [`crate::form::control_tag`]).
//!
//! docx-rs writes a `w:sdt` with only a `w:alias` in its properties, so a
//! control travels through docx-rs as a run-level `w:sdt` whose alias is a
//! mark ([`CONTROL_MARK`]) holding the whole [`Control`]; [`write_controls`]
//! then writes its real properties, in the schema order of ECMA-376
//! (`CT_SdtPr`: rPr, alias, tag, id, lock, placeholder, temporary,
//! showingPlcHdr, …, then the kind: date, dropDownList, text …), and
//! numbers the controls of the document 1, 2, … (`w:id` is unique per
//! document). The content docx-rs writes — the value, or the grey
//! placeholder text — is kept as it is.

use docx_rs::{Run, StructuredDataTag};
use serde::{Deserialize, Serialize};

use crate::text::xml_escape;

/// The start of the alias of a control that [`write_controls`] completes.
pub const CONTROL_MARK: &str = "mus-control:";

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// What kind of field a control is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlKind {
    /// Plain text on one line (`w:text`).
    Text,
    /// A date picker (`w:date`); `format` is Word's date format
    /// (`d. MMMM yyyy`), `full_date` the date shown, as `YYYY-MM-DD`.
    Date {
        format: String,
        full_date: Option<String>,
    },
    /// A drop-down (`w:dropDownList`) of `items`, each shown and stored as
    /// the same words, so the content is the answer whoever writes it.
    DropDown { items: Vec<String> },
}

/// One content control's properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    pub kind: ControlKind,
    /// The visible label or question: the control's accessible name.
    pub label: String,
    /// [`crate::form::control_tag`].
    pub tag: String,
    /// The language of the date picker's month names (`da-DK`).
    pub language: String,
    /// Whether the content is the placeholder text, not a value
    /// (`w:showingPlcHdr`).
    pub showing_placeholder: bool,
}

impl Control {
    /// `run` (the value, or the placeholder text) inside this control, as
    /// docx-rs writes it; [`write_controls`] completes the properties.
    pub fn around(&self, run: Run) -> StructuredDataTag {
        let spec = serde_json::to_string(self).unwrap_or_default();
        // docx-rs copies an attribute into the tag as it is.
        StructuredDataTag::new()
            .alias(format!("{CONTROL_MARK}{}", xml_escape(&spec)))
            .add_run(run)
    }

    /// The control's `w:sdtPr`, with `id`, children in schema order.
    pub fn properties(&self, id: u32) -> String {
        let mut xml = format!(
            r#"<w:sdtPr><w:alias w:val="{}" /><w:tag w:val="{}" /><w:id w:val="{id}" />"#,
            xml_escape(&self.label),
            xml_escape(&self.tag)
        );
        if self.showing_placeholder {
            xml.push_str("<w:showingPlcHdr />");
        }
        match &self.kind {
            ControlKind::Text => xml.push_str("<w:text />"),
            ControlKind::Date { format, full_date } => {
                match full_date {
                    Some(date) => xml.push_str(&format!(
                        r#"<w:date w:fullDate="{}T00:00:00Z">"#,
                        xml_escape(date)
                    )),
                    None => xml.push_str("<w:date>"),
                }
                xml.push_str(&format!(
                    r#"<w:dateFormat w:val="{}" /><w:lid w:val="{}" /><w:storeMappedDataAs w:val="dateTime" /><w:calendar w:val="gregorian" /></w:date>"#,
                    xml_escape(format),
                    xml_escape(&self.language)
                ));
            }
            ControlKind::DropDown { items } => {
                xml.push_str("<w:dropDownList>");
                for item in items {
                    let item = xml_escape(item);
                    xml.push_str(&format!(
                        r#"<w:listItem w:displayText="{item}" w:value="{item}" />"#
                    ));
                }
                xml.push_str("</w:dropDownList>");
            }
        }
        xml.push_str("</w:sdtPr>");
        xml
    }
}

/// `document` (the text of `word/document.xml`) with every marked control's
/// properties written out ([`Control::properties`]) and the controls
/// numbered 1, 2, … in document order. A document without a mark comes back
/// as it was.
pub fn write_controls(document: String) -> std::io::Result<String> {
    if !document.contains(CONTROL_MARK) {
        return Ok(document);
    }
    let doc = roxmltree::Document::parse(&document).map_err(std::io::Error::other)?;
    let mut out = String::with_capacity(document.len() + 512);
    let mut at = 0;
    let mut id = 0;
    for properties in doc.descendants().filter(|n| {
        n.has_tag_name((W, "sdtPr")) && n.parent().is_some_and(|p| p.has_tag_name((W, "sdt")))
    }) {
        let Some(control) = properties
            .children()
            .find(|n| n.has_tag_name((W, "alias")))
            .and_then(|alias| alias.attribute((W, "val")))
            .and_then(|val| val.strip_prefix(CONTROL_MARK))
            .and_then(|spec| serde_json::from_str::<Control>(spec).ok())
        else {
            continue;
        };
        id += 1;
        let range = properties.range();
        out.push_str(&document[at..range.start]);
        out.push_str(&control.properties(id));
        at = range.end;
    }
    out.push_str(&document[at..]);
    Ok(out)
}

/// The largest control id (`<w:id w:val="n" />` of a `w:sdtPr`) in `xml`, as
/// [`write_controls`] wrote it: the personal forms number the controls of a
/// repeated row on from here.
pub fn max_control_id(xml: &str) -> u32 {
    control_ids(xml).map(|(_, id)| id).max().unwrap_or(0)
}

const ID_START: &str = "\" /><w:id w:val=\"";

/// Each control id in `xml`, with the byte range of its digits.
fn control_ids(xml: &str) -> impl Iterator<Item = (std::ops::Range<usize>, u32)> + '_ {
    xml.match_indices(ID_START).filter_map(|(at, _)| {
        let start = at + ID_START.len();
        let end = start + xml[start..].find('"')?;
        Some((start..end, xml[start..end].parse().ok()?))
    })
}

/// `xml` (a table row copied for another goal) with each control id
/// replaced by a fresh one from `next_id`, so ids stay unique in the document.
pub fn renumber_controls(xml: &str, next_id: &mut u32) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut at = 0;
    for (range, _) in control_ids(xml) {
        out.push_str(&xml[at..range.start]);
        out.push_str(&next_id.to_string());
        *next_id += 1;
        at = range.end;
    }
    out.push_str(&xml[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(showing_placeholder: bool) -> Control {
        Control {
            kind: ControlKind::DropDown {
                items: ["Nået", "Delvist", "Ikke nået", "Opgivet"]
                    .map(String::from)
                    .to_vec(),
            },
            label: "Status".into(),
            tag: "mus_status".into(),
            language: "da-DK".into(),
            showing_placeholder,
        }
    }

    fn held(full_date: Option<&str>) -> Control {
        Control {
            kind: ControlKind::Date {
                format: "d. MMMM yyyy".into(),
                full_date: full_date.map(String::from),
            },
            label: "Samtalen er holdt den".into(),
            tag: "mus_holdt_den".into(),
            language: "da-DK".into(),
            showing_placeholder: full_date.is_none(),
        }
    }

    /// The text of `word/document.xml` that docx-rs writes for `controls`,
    /// one paragraph each, with the text `content`.
    fn written_by_docx_rs(controls: &[Control], content: &str) -> String {
        let mut docx = docx_rs::Docx::new();
        for control in controls {
            docx = docx.add_paragraph(
                docx_rs::Paragraph::new()
                    .add_structured_data_tag(control.around(Run::new().add_text(content))),
            );
        }
        let parts = super::super::tests::raw_parts(docx);
        parts["word/document.xml"].clone()
    }

    #[test]
    fn a_drop_down_has_its_name_tag_id_placeholder_flag_and_four_answers() {
        assert_eq!(
            status(true).properties(3),
            concat!(
                r#"<w:sdtPr><w:alias w:val="Status" /><w:tag w:val="mus_status" /><w:id w:val="3" /><w:showingPlcHdr />"#,
                r#"<w:dropDownList><w:listItem w:displayText="Nået" w:value="Nået" /><w:listItem w:displayText="Delvist" w:value="Delvist" />"#,
                r#"<w:listItem w:displayText="Ikke nået" w:value="Ikke nået" /><w:listItem w:displayText="Opgivet" w:value="Opgivet" /></w:dropDownList></w:sdtPr>"#
            )
        );
    }

    #[test]
    fn a_date_picker_writes_danish_months_and_the_date_it_shows() {
        let picker = held(Some("2027-02-01")).properties(1);
        assert!(
            picker.contains(concat!(
                r#"<w:date w:fullDate="2027-02-01T00:00:00Z"><w:dateFormat w:val="d. MMMM yyyy" />"#,
                r#"<w:lid w:val="da-DK" /><w:storeMappedDataAs w:val="dateTime" /><w:calendar w:val="gregorian" /></w:date>"#
            )),
            "{picker}"
        );
        assert!(!picker.contains("showingPlcHdr"), "{picker}");
        let empty = held(None).properties(2);
        assert!(empty.contains("<w:showingPlcHdr /><w:date>"), "{empty}");
    }

    #[test]
    fn the_properties_are_in_schema_order() {
        for control in [status(true), held(Some("2027-02-01")), held(None)] {
            let xml = control.properties(1);
            assert_eq!(super::super::normalize(&xml, &[], &[]).expect("xml"), xml);
        }
    }

    #[test]
    fn labels_with_quotes_and_ampersands_are_escaped() {
        let control = Control {
            label: r#"Leder & "chef""#.into(),
            ..status(false)
        };
        let xml = control.properties(1);
        let wrapped = format!(r#"<r xmlns:w="{W}">{xml}</r>"#);
        let doc = roxmltree::Document::parse(&wrapped).expect("well-formed");
        let alias = doc
            .descendants()
            .find(|n| n.has_tag_name((W, "alias")))
            .and_then(|n| n.attribute((W, "val")));
        assert_eq!(alias, Some(r#"Leder & "chef""#));
    }

    #[test]
    fn docx_rs_still_writes_an_alias_only_control_and_the_mark_becomes_its_properties() {
        let label = r#"Hvad "gik" godt & skidt?"#;
        let control = Control {
            label: label.into(),
            ..held(None)
        };
        let raw = written_by_docx_rs(&[control.clone(), status(true)], "Vælg en dato");
        // docx-rs writes an empty rPr and the alias, nothing else.
        assert!(
            raw.contains(r#"<w:sdt><w:sdtPr><w:rPr /><w:alias w:val="mus-control:"#),
            "{raw}"
        );
        let fixed = write_controls(raw).expect("xml");
        assert!(!fixed.contains(CONTROL_MARK), "{fixed}");
        assert!(fixed.contains(&control.properties(1)), "{fixed}");
        assert!(fixed.contains(&status(true).properties(2)), "{fixed}");
        // The content is docx-rs's, as it was.
        assert!(
            fixed.contains("<w:sdtContent><w:r><w:rPr /><w:t xml:space=\"preserve\">Vælg en dato</w:t></w:r></w:sdtContent>"),
            "{fixed}"
        );
    }

    #[test]
    fn a_document_without_controls_is_left_as_it_was() {
        let xml = r#"<w:document xmlns:w="x"><w:body /></w:document>"#.to_string();
        assert_eq!(write_controls(xml.clone()).expect("xml"), xml);
    }

    #[test]
    fn a_copied_row_gets_fresh_control_ids() {
        let row = format!(
            "<w:tr>{}{}</w:tr>",
            status(true).properties(4),
            held(None).properties(5)
        );
        assert_eq!(max_control_id(&row), 5);
        let mut next = 9;
        let copy = renumber_controls(&row, &mut next);
        assert_eq!(next, 11);
        assert!(copy.contains(r#"<w:id w:val="9" />"#) && copy.contains(r#"<w:id w:val="10" />"#));
        assert!(!copy.contains(r#"<w:id w:val="4" />"#), "{copy}");
    }
}
