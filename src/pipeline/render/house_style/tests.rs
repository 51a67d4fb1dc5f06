use super::apply::*;
use super::read::*;
use super::validate::*;
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
    let wp = r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing""#;
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
        text.contains(&format!("<w:sz w:val=\"24\"/>{LANG}</w:rPr>")) && !text.contains("en-US"),
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
    assert!(
        text.contains(
            r#"<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number" />"#
        ),
        "{text}"
    );
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
