//! Putting a house style into a document's package: styles, theme, header, pictures.

use super::*;

impl HouseStyle {
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
    pub(super) fn styles_with(&self, ours: &str) -> std::io::Result<String> {
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
    pub(super) fn rename_styles(&self, doc: &roxmltree::Document, edits: &mut Edits) {
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
    pub(super) fn content_types_with(&self, ours: String) -> String {
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
    pub(super) fn with(&self, ours: &str) -> std::io::Result<String> {
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
    pub(super) fn relationships_part(&self) -> String {
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
pub(super) fn without_paragraph_ids(xml: &str) -> String {
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
