//! Checking a house file's parts: the namespace, the styles `mus` needs, the page, the theme.

use super::*;

/// A part's root must be Word's transitional namespace with the usual `w`
/// prefix, so `mus`'s own XML can be put beside the house file's.
pub(super) fn check_root(doc: &roxmltree::Document, part: &str) -> Result<(), HouseError> {
    let root = doc.root_element();
    match root.tag_name().namespace() {
        Some(W_STRICT) => Err(HouseError::Strict),
        Some(W) if root.lookup_namespace_uri(Some("w")) == Some(W) => Ok(()),
        _ => Err(HouseError::Prefix(part.to_string())),
    }
}

/// Finds the style `mus` needs among the house file's by built-in name:
/// the house id of each, and the names of those the file lacks.
pub(super) fn style_ids(
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
pub(super) fn has_borders(doc: &roxmltree::Document, id: &str) -> bool {
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
pub(super) struct Section {
    pub(super) page: PageSetup,
    pub(super) header: Option<String>,
}

/// The page and default header of the document's last section (the body's `sectPr`).
pub(super) fn last_section(document: &str, part: &str) -> Result<Section, HouseError> {
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
pub(super) const PAGE_SIDE_MIN: i64 = 144;

/// A page the documents fit on, or why not: the text needs room across
/// and down. Sums are taken in 64 bits, so no value can wrap them.
pub(super) fn check_page(page: &PageSetup) -> Result<(), HouseError> {
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

/// The styles without the `basedOn` that closes a loop (Normal based on
/// Heading 1 based on Normal: LibreOffice hangs on such a file), and the
/// ids of the styles that lost it. Styles are followed in the file's
/// order, so the same file always loses the same link.
pub(super) fn without_style_cycles(
    styles: &str,
    part: &str,
) -> Result<(String, Vec<String>), HouseError> {
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
pub(super) fn refers_to_parts(xml: &str) -> bool {
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
pub(super) fn checked_theme(theme: String, part: &str) -> Result<String, HouseError> {
    let doc = parse(&theme, part)?;
    if !doc.root_element().has_tag_name((A, "theme")) {
        return Err(HouseError::NotTheme(part.to_string()));
    }
    Ok(theme)
}
