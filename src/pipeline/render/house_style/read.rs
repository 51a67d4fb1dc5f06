//! Reading a house file: its package, parts and header, bounded and scrubbed.

use std::io::{Cursor, Read};
use std::path::Path;

use zip::ZipArchive;

use super::validate::*;
use super::*;
use crate::limits::{HOUSE_BYTES, HOUSE_ENTRIES};
use crate::pipeline::config::Config;
use crate::pipeline::render::house_scrub::{Removed, scrub};

impl HouseStyle {
    /// The house style `--reference-doc` names, else the config's
    /// `reference_doc`, else none. A file that cannot be used is an error that
    /// names it (and the config line that set it).
    pub fn for_config(
        flag: Option<&Path>,
        config: &Config,
    ) -> crate::error::Result<Option<HouseStyle>> {
        let (path, set_in) = match (flag, &config.reference_doc) {
            (Some(path), _) => (path.to_path_buf(), None),
            (None, Some(spanned)) => (spanned.value.clone(), Some(&spanned.origin)),
            (None, None) => return Ok(None),
        };
        let file = path.display().to_string();
        let diagnostic = |message: String, hint: String| {
            let hint = match set_in {
                Some(origin) => {
                    let place = crate::error::Diagnostic::at(origin, "").place();
                    crate::msg!("house.set-in", hint = hint, place = place)
                }
                None => hint,
            };
            crate::error::Diagnostic::new(file.clone(), None, message)
                .with_hint(hint)
                .with_code("bad-reference-doc")
        };
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if !matches!(extension.as_deref(), Some("docx" | "dotx")) {
            return Err(diagnostic(
                crate::msg!("house.not-docx-name"),
                crate::msg!("house.save-as.hint"),
            )
            .into());
        }
        HouseStyle::load(&path, &file)
            .map(Some)
            .map_err(|err| diagnostic(err.message(), err.hint()).into())
    }

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
}
/// The house file's package: its parts read with bounds.
pub(super) struct Package<'a> {
    pub(super) archive: ZipArchive<Cursor<&'a [u8]>>,
}

/// A relationship as a `.rels` part writes it, its target resolved to a part name.
pub(super) struct RawRelationship {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) target: String,
    /// The target as written, for a link outside the package.
    pub(super) external: Option<String>,
}

impl<'a> Package<'a> {
    pub(super) fn open(bytes: &'a [u8]) -> Result<Package<'a>, HouseError> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|err| HouseError::NotDocx(err.to_string()))?;
        if archive.len() > HOUSE_ENTRIES {
            return Err(HouseError::TooManyParts(archive.len()));
        }
        Ok(Package { archive })
    }

    /// A part's bytes, or `None` when the package has no such part.
    pub(super) fn bytes(&mut self, part: &str, limit: u64) -> Result<Option<Vec<u8>>, HouseError> {
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
    pub(super) fn text(&mut self, part: &str) -> Result<Option<String>, HouseError> {
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
    pub(super) fn relationships(
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
    pub(super) fn content_type(&mut self, part: &str) -> Result<Option<String>, HouseError> {
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
pub(super) fn declared_encoding(text: &str) -> Option<&str> {
    let declaration = text.strip_prefix("<?xml")?;
    let declaration = &declaration[..declaration.find("?>")?];
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}

/// A relationship target resolved against the folder of its source part.
pub(super) fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if let Some(absolute) = target.strip_prefix('/') {
        return normalise(absolute.split('/').collect());
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    parts.extend(target.split('/'));
    normalise(parts)
}

pub(super) fn normalise(parts: Vec<&str>) -> String {
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

/// Reads the house header: its content, and the pictures and links it refers to.
pub(super) fn read_header(
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
pub(super) fn is_web_or_mail(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// Whether a picture's part may be one: not a package part of another kind
/// (`docProps/core.xml`, `word/vbaProject.bin`, `customXml/…`, an XML or
/// relationships part, an embedded object or control).
pub(super) fn is_media_part(part: &str) -> bool {
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
pub(super) fn scrubbed(text: &str, part: &str) -> Result<(String, Removed), HouseError> {
    let doc = parse(text, part)?;
    Ok(scrub(&doc, text))
}

/// The note for what was taken out of the house file.
pub(super) fn removed_note(file: &str, removed: Removed) -> String {
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

/// Where an element's end tag starts (for inserting before it); for an
/// empty element, its end.
/// Word's mark of a decorative drawing, inside `wp:docPr`.
pub(super) const DECORATIVE: &str = concat!(
    r#"<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">"#,
    r#"<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">"#,
    r#"<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>"#,
    r#"</a:ext></a:extLst>"#
);

/// The edit that marks the header picture `doc_pr` (a `wp:docPr`) decorative
/// when the house file gives it no alternative text: a logo repeated on
/// every page, which a screen reader then passes over rather than reading
/// a file name. `None` when it has alternative text or extensions of its own.
pub(super) fn marked_decorative(
    text: &str,
    doc_pr: &roxmltree::Node,
) -> Option<(Range<usize>, String)> {
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
