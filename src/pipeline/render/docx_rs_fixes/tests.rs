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
pub(super) fn raw_parts(docx: Docx) -> BTreeMap<String, String> {
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

#[test]
fn docx_rs_still_writes_a_table_style_as_given_and_a_marked_one_becomes_the_caption() {
    let caption = r#"Hvad gør "os" gode & hvorfor?"#;
    let table =
        Table::new(vec![TableRow::new(vec![TableCell::new()])]).style(caption_style(caption));
    let xml = &raw_parts(Docx::new().add_table(table))["word/document.xml"];
    assert!(
        xml.contains(&format!(r#"<w:tblStyle w:val="{CAPTION_MARK}"#)),
        "{xml}"
    );
    assert!(!xml.contains("tblCaption"), "{xml}");
    let fixed = corrected("word/document.xml", xml);
    assert!(!fixed.contains(CAPTION_MARK), "{fixed}");
    assert!(!fixed.contains("tblStyle"), "{fixed}");
    let doc = roxmltree::Document::parse(&fixed).expect("well-formed");
    let named = doc
        .descendants()
        .find(|n| n.tag_name().name() == "tblCaption")
        .and_then(|n| n.attributes().next().map(|a| a.value().to_string()));
    assert_eq!(named.as_deref(), Some(caption), "{fixed}");
    // In schema order: the caption comes last in the table's properties.
    let tbl_pr = doc
        .descendants()
        .find(|n| n.tag_name().name() == "tblPr")
        .expect("tblPr");
    let last = tbl_pr.children().rfind(|n| n.is_element());
    assert_eq!(last.map(|n| n.tag_name().name()), Some("tblCaption"));
}
