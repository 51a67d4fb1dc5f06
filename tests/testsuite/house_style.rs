//! The house style: a workplace's own Word file (`--reference-doc`,
//! `reference_doc:`) gives every document its styles, page and header logo.
//! The house file here is built part by part as a Danish Word writes one:
//! style ids in Danish (`Overskrift1`), found by their built-in names.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::interop::{soffice_convert, which};
use crate::support::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

mod hostile;

/// What a test house file holds.
pub(crate) struct House {
    /// `pgSz` and `pgMar` of the last section.
    page: &'static str,
    /// Whether Table Grid draws lines.
    grid_lines: bool,
    with_header: bool,
}

impl Default for House {
    fn default() -> Self {
        House {
            // US Letter with 2.54 cm margins all round.
            page: r#"<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>"#,
            grid_lines: true,
            with_header: true,
        }
    }
}

/// A small red PNG: the logo.
pub(crate) fn logo() -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, 60, 20);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("png header");
        let pixels: Vec<u8> = [200u8, 30, 30].repeat(60 * 20);
        writer.write_image_data(&pixels).expect("png data");
    }
    bytes
}

/// The styles of the house file: a Danish Word's ids, Georgia and red for
/// Heading 1, English document language (which `mus` must not keep), a list
/// style numbered by the house file's own list, and no List Number.
fn styles(grid_lines: bool) -> String {
    let borders = if grid_lines {
        ["top", "left", "bottom", "right", "insideH", "insideV"]
            .map(|side| {
                format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="C01E1E"/>"#)
            })
            .concat()
    } else {
        String::new()
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Garamond" w:hAnsi="Garamond"/><w:sz w:val="24"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="TitelTegn"/><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:sz w:val="56"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="Overskrift1Tegn"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/><w:color w:val="C01E1E"/><w:sz w:val="36"/></w:rPr></w:style>
<w:style w:type="character" w:customStyle="1" w:styleId="Overskrift1Tegn"><w:name w:val="Overskrift 1 Tegn"/><w:link w:val="Overskrift1"/><w:rPr><w:color w:val="C01E1E"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Overskrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Overskrift1"/><w:next w:val="Normal"/><w:rPr><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Overskrift3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Opstilling-punkttegn"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Sidehoved"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="16"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Sidefod"><w:name w:val="footer"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="table" w:styleId="Tabel-Gitter"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Heading1"><w:name w:val="Husets egen overskrift"/><w:basedOn w:val="Overskrift1"/></w:style>
</w:styles>"#
    )
}

/// Writes a house file to `path`.
fn write_house(path: &Path, house: &House) {
    write_zip(path, &house_parts(house));
}

/// The parts of a house file, by name.
pub(crate) fn house_parts(house: &House) -> Vec<(&'static str, Vec<u8>)> {
    let header_rel = if house.with_header {
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#
    } else {
        ""
    };
    let header_ref = if house.with_header {
        r#"<w:headerReference w:type="default" r:id="rId2"/>"#
    } else {
        ""
    };
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_vec()),
        ("word/_rels/document.xml.rels", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>{header_rel}</Relationships>"#).into_bytes()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:p><w:pPr><w:pStyle w:val="Overskrift1"/></w:pPr><w:r><w:t>Husstil</w:t></w:r></w:p><w:sectPr>{header_ref}{}</w:sectPr></w:body></w:document>"#, house.page).into_bytes()),
        ("word/styles.xml", styles(house.grid_lines).into_bytes()),
    ];
    if house.with_header {
        parts.push(("word/header1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:p><w:pPr><w:pStyle w:val="Sidehoved"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="1440000" cy="480000"/><wp:docPr id="1" name="Logo"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1440000" cy="480000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Sidehoved"/></w:pPr></w:p></w:hdr>"#).into_bytes()));
        parts.push(("word/_rels/header1.xml.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#.to_vec()));
        parts.push(("word/media/image1.png", logo()));
    }
    parts
}

fn write_zip(path: &Path, parts: &[(&str, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("house file"));
    for (name, bytes) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("part");
        zip.write_all(bytes).expect("write part");
    }
    zip.finish().expect("zip");
}

/// The style element with `id` in a styles part, as text.
fn style<'a>(styles: &'a str, id: &str) -> Option<&'a str> {
    let start = styles.find(&format!(r#"w:styleId="{id}""#))?;
    let end = styles[start..].find("</w:style>")? + start;
    Some(&styles[start..end])
}

/// Asserts what every document made with the test house file shows.
fn assert_house_style(docx: &Path) {
    let name = docx.display();
    let styles = part(docx, "word/styles.xml");
    let heading = style(&styles, "Heading1").unwrap_or_else(|| panic!("Heading1 in {name}"));
    assert!(
        heading.contains(r#"<w:name w:val="heading 1"/>"#),
        "{name}: {heading}"
    );
    assert!(
        heading.contains("Georgia") && heading.contains("C01E1E"),
        "{name}: {heading}"
    );
    assert!(
        style(&styles, "Overskrift1").is_none(),
        "{name}: Danish id renamed"
    );
    let heading2 = style(&styles, "Heading2").expect("Heading2");
    assert!(
        heading2.contains(r#"<w:basedOn w:val="Heading1"/>"#),
        "{heading2}"
    );
    assert!(style(&styles, "Title").expect("Title").contains("Georgia"));
    assert!(
        style(&styles, "TableGrid")
            .expect("TableGrid")
            .contains("C01E1E")
    );
    // The house's own style that had our id moves aside, still based on Heading 1.
    let own = style(&styles, "HouseHeading1").expect("renamed house style");
    assert!(own.contains(r#"<w:basedOn w:val="Heading1"/>"#), "{own}");
    // List Bullet numbers with mus's list, not the house file's 7.
    let bullet = style(&styles, "ListBullet").expect("ListBullet");
    assert!(!bullet.contains(r#"w:val="7""#), "{bullet}");
    assert!(bullet.contains("<w:numId"), "{bullet}");
    // List Number is missing in the house file: mus's own.
    assert!(
        style(&styles, "ListNumber").is_some(),
        "{name}: fallback style"
    );
    // The document language is the plan's; the house font stays.
    let defaults = &styles[..styles.find("</w:docDefaults>").expect("defaults")];
    assert!(defaults.contains(r#"<w:lang w:val="da-DK""#), "{defaults}");
    assert!(
        !defaults.contains("en-US") && defaults.contains("Garamond"),
        "{defaults}"
    );

    let document = part(docx, "word/document.xml");
    let across = ["udviklingsplan", "opfoelgning"];
    let letter = match across.iter().any(|k| name.to_string().contains(k)) {
        true => r#"<w:pgSz w:w="15840" w:h="12240" w:orient="landscape""#,
        false => r#"<w:pgSz w:w="12240" w:h="15840""#,
    };
    assert!(document.contains(letter), "{name}: Letter");
    assert!(document.contains(r#"w:left="1440""#), "{name}: margins");

    let header = part(docx, "word/header1.xml");
    assert!(header.contains(r#"r:embed="rId1""#), "{name}: the logo");
    assert!(header.contains("<wp:docPr id="), "{name}: {header}");
    let ids = drawing_ids(docx);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "{name}: a drawing id twice: {ids:?}"
    );
    assert!(header.contains("MUS 2027"), "{name}: mus's header line");
    assert_eq!(
        header.matches("<w:p>").count() + header.matches("<w:p ").count(),
        2,
        "{header}"
    );
    let rels = part(docx, "word/_rels/header1.xml.rels");
    assert!(
        rels.contains(r#"Id="rId1""#) && rels.contains(r#"Target="media/house1.png""#),
        "{rels}"
    );
    let types = part(docx, "[Content_Types].xml");
    assert!(
        types.contains(r#"<Override PartName="/word/media/house1.png" ContentType="image/png" />"#),
        "{types}"
    );
    assert_eq!(
        part_bytes(docx, "word/media/house1.png"),
        logo(),
        "{name}: the logo's bytes"
    );
}

fn part_bytes(path: &Path, name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("docx")).expect("zip");
    let mut bytes = Vec::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in {}", path.display()))
        .read_to_end(&mut bytes)
        .expect("part");
    bytes
}

/// `mus generate` of the default concept with `house` into `out`.
fn generate_with(house: &Path, out: impl AsRef<Path>) -> assert_cmd::Command {
    let mut command = mus();
    command
        .arg("generate")
        .arg("--reference-doc")
        .arg(house)
        .arg("-o")
        .arg(out.as_ref());
    command
}

/// A config in `dir` that extends the example and names `house`.
fn config_with_house(dir: &Path, house: &str) -> PathBuf {
    let config = dir.join("mus.yaml");
    std::fs::write(
        &config,
        format!(
            "extends: {}\nreference_doc: {house}\n",
            example("eksempelstyrelsen.yaml").display()
        ),
    )
    .expect("config");
    config
}

const COLLECTED: &str = "file,employee,manager,unit,date,goal,activities,when,follow_up\na.docx,Anna Berg,Kim,IT,2027-02-01,Lære Python,Kursus,Foråret,Juni\n";

/// A follow-up form (into `out/opf`) and the report (`out/rapport.docx`)
/// for `config`, from goals collected into `work`.
fn followup_and_report(work: &Path, config: &Path, out: &Path) {
    let collected = work.join("collected.csv");
    std::fs::write(&collected, COLLECTED).expect("collected");
    for (command, target) in [("followup", "opf"), ("report", "rapport.docx")] {
        mus()
            .arg(command)
            .arg(&collected)
            .arg(config)
            .arg("-o")
            .arg(out.join(target))
            .succeeds();
    }
}

#[test]
fn every_document_takes_the_house_styles_page_and_logo() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_house(&tmp.path().join("husstil.docx"), &House::default());
    let config = config_with_house(tmp.path(), "husstil.docx");
    let out = tmp.path().join("out");
    let output = mus()
        .arg("generate")
        .arg(&config)
        .arg("-o")
        .arg(&out)
        .succeeds();
    // The style the house file lacks is named, not skipped silently.
    let err = stderr(&output);
    assert!(
        err.contains("note:") && err.contains("List Number"),
        "{err}"
    );

    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "navn;leder;enhed;dato\nAnna Berg;Kim;IT;2027-02-01\n",
    )
    .expect("roster");
    let forms = tmp.path().join("forms");
    mus()
        .args(["generate", "--roster"])
        .arg(&roster)
        .arg(&config)
        .arg("-o")
        .arg(&forms)
        .succeeds();
    followup_and_report(tmp.path(), &config, tmp.path());

    let documents: Vec<PathBuf> = files_below(tmp.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx") && !p.ends_with("husstil.docx"))
        .collect();
    assert_eq!(documents.len(), 6 + 6 + 1 + 1, "{documents:?}");
    for docx in &documents {
        assert_house_style(docx);
    }
    // The form's headings still use Heading 1, now the house's.
    let form = body(&out.join("samtaleskema.docx"));
    assert!(paragraphs_with_style(&form, "Heading1").len() >= 5);

    // A personal form made in the house style is read back as before.
    crate::collect::write_held(
        &forms.join("udviklingsplan-anna-berg.docx"),
        "1. marts 2027",
    );
    let output = mus()
        .arg("collect")
        .arg(&forms)
        .arg("--format")
        .arg("json")
        .succeeds();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Anna Berg"), "{text}");
}

#[test]
fn the_same_house_file_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let house = tmp.path().join("husstil.docx");
    write_house(&house, &House::default());
    for run in ["a", "b"] {
        generate_with(&house, tmp.path().join(run)).succeeds();
    }
    for name in ["samtaleskema.docx", "vejledning-hr.docx"] {
        let a = std::fs::read(tmp.path().join("a").join(name)).expect("a");
        let b = std::fs::read(tmp.path().join("b").join(name)).expect("b");
        assert!(a == b, "{name} differs between two runs");
    }
}

#[test]
fn a_document_without_a_header_of_its_own_gets_the_logo() {
    // A template without a header block: the house header still comes.
    let tmp = tempfile::tempdir().expect("tempdir");
    let house = tmp.path().join("husstil.docx");
    write_house(&house, &House::default());
    let templates = tmp.path().join("templates");
    std::fs::create_dir(&templates).expect("dir");
    std::fs::write(
        templates.join("vejledning-hr.md.j2"),
        "# Vejledning\n\nKort tekst.\n",
    )
    .expect("template");
    let out = tmp.path().join("out");
    mus()
        .arg("generate")
        .arg("--reference-doc")
        .arg(&house)
        .arg("--templates")
        .arg(&templates)
        .arg("-o")
        .arg(&out)
        .succeeds();
    let guide = out.join("vejledning-hr.docx");
    let header = part(&guide, "word/header1.xml");
    assert!(header.contains(r#"r:embed="rId1""#), "{header}");
    assert!(part(&guide, "word/document.xml").contains("<w:headerReference"));
    let rels = part(&guide, "word/_rels/header1.xml.rels");
    assert!(rels.contains(r#"Target="media/house1.png""#), "{rels}");
}

#[test]
fn the_flag_takes_the_place_of_the_config_and_a_unit_can_turn_the_house_style_off() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // The parent names its house file relative to its own folder.
    let shared = tmp.path().join("fælles");
    std::fs::create_dir(&shared).expect("dir");
    write_house(&shared.join("husstil.docx"), &House::default());
    let parent = config_with_house(&shared, "husstil.docx");
    let unit = tmp.path().join("enhed.yaml");
    std::fs::write(&unit, format!("extends: {}\nunit: IT\n", parent.display())).expect("unit");
    let plain = tmp.path().join("uden.yaml");
    std::fs::write(
        &plain,
        format!("extends: {}\nreference_doc: \"\"\n", parent.display()),
    )
    .expect("unit");

    mus()
        .arg("generate")
        .arg(&unit)
        .arg("-o")
        .arg(tmp.path().join("unit"))
        .succeeds();
    assert!(
        part_names(&tmp.path().join("unit/samtaleskema.docx"))
            .contains(&"word/media/house1.png".to_string())
    );
    mus()
        .arg("generate")
        .arg(&plain)
        .arg("-o")
        .arg(tmp.path().join("plain"))
        .succeeds();
    let plain_form = tmp.path().join("plain/samtaleskema.docx");
    assert!(!part_names(&plain_form).iter().any(|n| n.contains("house")));
    assert!(
        part(&plain_form, "word/styles.xml").contains("Arial"),
        "mus's own styles"
    );

    // --reference-doc wins over the config's file: here, a house file without a header.
    let other = tmp.path().join("anden.docx");
    write_house(
        &other,
        &House {
            with_header: false,
            ..House::default()
        },
    );
    mus()
        .arg("generate")
        .arg(&unit)
        .arg("--reference-doc")
        .arg(&other)
        .arg("-o")
        .arg(tmp.path().join("flag"))
        .succeeds();
    let form = tmp.path().join("flag/samtaleskema.docx");
    assert!(!part_names(&form).iter().any(|n| n.contains("house")));
    assert!(part(&form, "word/styles.xml").contains("Georgia"));
}

#[test]
fn a_house_file_that_cannot_be_used_is_an_error_that_names_it_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let text = tmp.path().join("husstil.docx");
    std::fs::write(&text, "Dette er ikke et Word-dokument").expect("file");
    let out = tmp.path().join("out");
    let output = generate_with(&text, &out).fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("husstil.docx") && err.contains("not a Word document"),
        "{err}"
    );
    assert!(
        err.contains("Word Document (*.docx)"),
        "says what to do: {err}"
    );
    assert!(!out.exists(), "nothing written");

    // Named in a config: the hint says where.
    let config = config_with_house(tmp.path(), "husstil.docx");
    let output = mus().arg("check").arg(&config).fails_with(1);
    let err = stderr(&output) + &String::from_utf8_lossy(&output.stdout);
    assert!(err.contains("mus.yaml:2:"), "{err}");
    let output = mus()
        .args(["check", "--format", "json"])
        .arg(&config)
        .fails_with(1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("bad-reference-doc"));

    // Not named .docx: refused before it is read.
    let config = config_with_house(tmp.path(), "noter.txt");
    let output = mus()
        .arg("generate")
        .arg(&config)
        .arg("-o")
        .arg(&out)
        .fails_with(1);
    assert!(
        stderr(&output).contains("must be a Word document (.docx)"),
        "{}",
        stderr(&output)
    );

    // Missing.
    let output = mus()
        .arg("generate")
        .arg("--reference-doc")
        .arg(tmp.path().join("findes-ikke.docx"))
        .arg("-o")
        .arg(&out)
        .fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("findes-ikke.docx") && err.contains("cannot read"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_page_too_narrow_for_the_tables_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let house = tmp.path().join("smal.docx");
    write_house(
        &house,
        &House {
            page: r#"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="4000" w:bottom="1440" w:left="4000"/>"#,
            ..House::default()
        },
    );
    let output = generate_with(&house, tmp.path().join("out")).fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("smal.docx") && err.contains("6.9 cm") && err.contains("at least 8 cm"),
        "{err}"
    );
}

#[test]
fn a_house_part_that_unpacks_past_the_limit_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let house = tmp.path().join("bombe.docx");
    let mut styles = styles(true).into_bytes();
    // Spaces compress to almost nothing; unpacked they pass the 32 MB limit.
    styles.extend(std::iter::repeat_n(b' ', 33 << 20));
    write_zip(
        &house,
        &[
            ("_rels/.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_vec()),
            ("word/_rels/document.xml.rels", br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_vec()),
            ("word/styles.xml", styles),
        ],
    );
    assert!(std::fs::metadata(&house).expect("size").len() < 1 << 20);
    let output = generate_with(&house, tmp.path().join("out")).fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("word/styles.xml") && err.contains("32 MB"),
        "{err}"
    );
}

#[test]
fn a_table_grid_without_lines_gives_way_to_mus_s_own() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let house = tmp.path().join("husstil.docx");
    write_house(
        &house,
        &House {
            grid_lines: false,
            ..House::default()
        },
    );
    let out = tmp.path().join("out");
    let output = generate_with(&house, &out).succeeds();
    assert!(
        stderr(&output).contains("Table Grid"),
        "{}",
        stderr(&output)
    );
    let styles = part(&out.join("samtaleskema.docx"), "word/styles.xml");
    let grid = style(&styles, "TableGrid").expect("TableGrid");
    assert!(
        grid.contains(r#"w:val="single""#) && !grid.contains("C01E1E"),
        "{grid}"
    );
    // The house's other styles stay.
    assert!(
        style(&styles, "Heading1")
            .expect("Heading1")
            .contains("Georgia")
    );
}

#[test]
fn an_output_never_replaces_the_house_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    // A house file named like a generated document, in the output folder.
    let house = out.join("samtaleskema.docx");
    write_house(&house, &House::default());
    let before = std::fs::read(&house).expect("house");
    generate_with(&house, &out).arg("--force").fails_with(2);
    assert_eq!(std::fs::read(&house).expect("house"), before);
}

#[test]
fn check_warns_about_a_style_the_house_file_lacks_and_the_warning_can_be_accepted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_house(&tmp.path().join("husstil.docx"), &House::default());
    let config = config_with_house(tmp.path(), "husstil.docx");
    let output = mus()
        .args(["check", "--strict", "--format", "json"])
        .arg(&config)
        .fails_with(1);
    let json = String::from_utf8_lossy(&output.stdout);
    assert!(
        json.contains("house-style-incomplete") && json.contains("List Number"),
        "{json}"
    );
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str("allow_warnings: [house-style-incomplete]\n");
    std::fs::write(&config, text).expect("config");
    mus().args(["check", "--strict"]).arg(&config).succeeds();
}

#[test]
fn init_writes_a_starter_house_file_that_generate_takes_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    let house = tmp.path().join("husstil.docx");
    mus()
        .arg("init")
        .arg(&config)
        .arg("--reference-doc")
        .arg(&house)
        .succeeds();
    assert!(
        std::fs::read_to_string(&config)
            .expect("config")
            .contains("\nreference_doc: husstil.docx\n")
    );
    // It shows every style mus uses, by name, and has a header for the logo.
    let styles = part(&house, "word/styles.xml");
    for name in [
        "Normal",
        "Title",
        "heading 1",
        "heading 2",
        "heading 3",
        "List Bullet",
        "List Number",
        "header",
        "footer",
        "Table Grid",
    ] {
        assert!(
            styles.contains(&format!(r#"<w:name w:val="{name}" />"#)),
            "{name}"
        );
    }
    assert!(part_names(&house).contains(&"word/header1.xml".to_string()));
    let starter = all_text(&body(&house));
    assert!(starter.contains("reference_doc: husstil.docx"), "{starter}");

    mus().args(["check", "--strict"]).arg(&config).succeeds();
    let output = mus()
        .arg("generate")
        .arg(&config)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .succeeds();
    assert!(
        !stderr(&output).contains("note:"),
        "no style missing: {}",
        stderr(&output)
    );
    // Its empty header adds no blank line above mus's own.
    let header = part(
        &tmp.path().join("out/samtaleskema.docx"),
        "word/header1.xml",
    );
    assert_eq!(
        header.matches("<w:p").count()
            - header.matches("<w:pPr").count()
            - header.matches("<w:pStyle").count(),
        1,
        "{header}"
    );

    // It is refused when in the way, and nothing else is written then.
    let again = tmp.path().join("igen.yaml");
    mus()
        .arg("init")
        .arg(&again)
        .arg("--reference-doc")
        .arg(&house)
        .fails_with(1);
    assert!(!again.exists());
}

/// python-docx makes the house file as a user's Word would save it: its
/// own template, Heading 1 restyled, a logo in the header.
const PYTHON_HOUSE: &str = r#"
import sys, docx
from docx.shared import Pt, RGBColor, Cm
d = docx.Document()
h = d.styles["Heading 1"]
h.font.name = "Georgia"
h.font.color.rgb = RGBColor(0xC0, 0x1E, 0x1E)
h.font.size = Pt(20)
s = d.sections[0]
s.left_margin = Cm(2.5)
s.right_margin = Cm(2.5)
s.header.paragraphs[0].add_run().add_picture(sys.argv[2], width=Cm(4))
d.save(sys.argv[1])
"#;

/// Reads back, with python-docx, the font and colour of Heading 1 and
/// whether the header shows a picture.
const PYTHON_READ: &str = r#"
import sys, docx
for path in sys.argv[1:]:
    d = docx.Document(path)
    h = d.styles["Heading 1"]
    header = d.sections[0].header._element.xml
    print(path.rsplit("/", 1)[-1], h.font.name, h.font.color.rgb, "blip" in header)
"#;

#[test]
#[ignore = "needs python-docx, LibreOffice and openxml-audit"]
fn a_house_file_from_python_docx_styles_every_document_that_opens_cleanly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let logo_path = tmp.path().join("logo.png");
    std::fs::write(&logo_path, logo()).expect("logo");
    let house = tmp.path().join("husstil.docx");
    let made = Process::new("python3")
        .args(["-c", PYTHON_HOUSE])
        .arg(&house)
        .arg(&logo_path)
        .output()
        .expect("python3 runs");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let docs = tmp.path().join("docs");
    let config = config_with_house(tmp.path(), "husstil.docx");
    mus()
        .arg("generate")
        .arg(&config)
        .arg("-o")
        .arg(docs.join("da"))
        .succeeds();
    mus()
        .arg("generate")
        .arg(example("international-unit.yaml"))
        .arg("--reference-doc")
        .arg(&house)
        .arg("-o")
        .arg(docs.join("en"))
        .succeeds();
    followup_and_report(tmp.path(), &config, &docs);
    // The hand-built house file of the other tests too, with its dangling link.
    let built = tmp.path().join("bygget.docx");
    write_house(&built, &House::default());
    let audited = tmp.path().join("audited");
    generate_with(&built, audited.join("bygget")).succeeds();
    // The python-docx house file saved again by LibreOffice (via ODT), as a
    // workplace without Word would make it: LibreOffice drops Table Grid's
    // lines, so mus's own is used, and says so.
    let soffice = which("soffice");
    let soffice = soffice.as_deref().unwrap_or("soffice");
    let odt = tmp.path().join("odt");
    soffice_convert(soffice, tmp.path(), "odt", &odt, &house);
    let lo = tmp.path().join("lo");
    soffice_convert(
        soffice,
        tmp.path(),
        "docx:MS Word 2007 XML",
        &lo,
        &odt.join("husstil.odt"),
    );
    let output = generate_with(&lo.join("husstil.docx"), audited.join("lo")).succeeds();
    assert!(
        stderr(&output).contains("Table Grid"),
        "{}",
        stderr(&output)
    );
    let lo_form = audited.join("lo/samtaleskema.docx");
    assert!(
        part(&lo_form, "word/header1.xml").contains("r:embed"),
        "the logo"
    );
    assert!(
        part_names(&lo_form)
            .iter()
            .any(|n| n.starts_with("word/media/house"))
    );
    let documents = files_below(&docs);
    assert_eq!(documents.len(), 14, "{documents:?}");

    let read = Process::new("python3")
        .args(["-c", PYTHON_READ])
        .args(&documents)
        .output()
        .expect("python3 runs");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let lines = String::from_utf8_lossy(&read.stdout).to_string();
    assert_eq!(lines.lines().count(), 14, "{lines}");
    for line in lines.lines() {
        assert!(
            line.ends_with(" Georgia C01E1E True"),
            "Heading 1 and the logo: {line}"
        );
    }

    for (folder, count) in [(&docs, 14), (&audited, 12)] {
        let audit = Process::new("openxml-audit")
            .args(["-m", "0", "-o", "json", "-f", "office2016", "-r"])
            .arg(folder)
            .output()
            .expect("openxml-audit runs");
        let reports: serde_json::Value = serde_json::from_slice(&audit.stdout)
            .unwrap_or_else(|_| panic!("json: {}", String::from_utf8_lossy(&audit.stdout)));
        let reports = reports.as_array().expect("reports");
        assert_eq!(reports.len(), count);
        for report in reports {
            assert_eq!(report["error_count"], 0, "{report:#}");
        }
    }

    for (i, docx) in documents.iter().enumerate() {
        let target = tmp.path().join("pdf").join(i.to_string());
        soffice_convert(soffice, tmp.path(), "pdf", &target, docx);
        let pdf = target.join(docx.with_extension("pdf").file_name().expect("name"));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|_| panic!("no PDF for {}", docx.display()));
        assert!(bytes.starts_with(b"%PDF"), "{}", docx.display());
        // The logo is drawn: the PDF holds an image.
        assert!(
            String::from_utf8_lossy(&bytes).contains("/Subtype/Image")
                || String::from_utf8_lossy(&bytes).contains("/Subtype /Image"),
            "{}: the logo",
            docx.display()
        );
    }
}

/// The `wp:docPr` ids of every story part (document, headers, footers) of `docx`.
fn drawing_ids(docx: &Path) -> Vec<String> {
    let wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
    part_names(docx)
        .into_iter()
        .filter(|n| {
            n == "word/document.xml"
                || (n.starts_with("word/header") || n.starts_with("word/footer"))
                    && n.ends_with(".xml")
        })
        .flat_map(|name| {
            let xml = part(docx, &name);
            let doc = roxmltree::Document::parse(&xml).expect("well-formed part");
            doc.descendants()
                .filter(|n| n.has_tag_name((wp, "docPr")))
                .filter_map(|n| n.attribute("id").map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// With a logo in the house header, the header pictures and the report's
/// chart each have a drawing id of their own in the package (a shared one
/// makes Word offer to repair the file).
#[test]
fn a_house_logo_and_the_reports_chart_have_drawing_ids_of_their_own() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_house(&tmp.path().join("husstil.docx"), &House::default());
    let config = config_with_house(tmp.path(), "husstil.docx");
    let collected = tmp.path().join("collected.csv");
    std::fs::write(&collected, crate::report::collected()).expect("collected");
    let report = tmp.path().join("rapport.docx");
    mus()
        .arg("report")
        .arg(&collected)
        .arg(&config)
        .arg("-o")
        .arg(&report)
        .succeeds();
    assert!(part_names(&report).contains(&"word/charts/chart1.xml".to_string()));
    let ids = drawing_ids(&report);
    // The chart and at least one logo.
    assert!(ids.len() >= 2, "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "a drawing id used twice: {ids:?}");
}

/// Writes the default test house file (US Letter, a logo in the header) to
/// `path`, for other modules' tests.
pub(crate) fn write_default_house(path: &Path) {
    write_house(path, &House::default());
}
