//! The report's bar chart as a native Word chart (DrawingML, ECMA-376 part 1
//! §21.2): `word/charts/chart1.xml`, with the unit names and the values
//! cached in it. Word and LibreOffice draw it themselves, in the document's
//! fonts, with the unit names under the bars, the values on them and an
//! axis from 0 to 100 %; a reader can restyle it in Word. docx-rs writes no
//! charts: the `chart` block leaves [`PLACEHOLDER`] where the chart goes, and
//! [`super::package::pack`] puts in the drawing and the chart's part.
//!
//! The same names and values are in a small workbook embedded in the
//! package (`word/embeddings/Microsoft_Excel_Worksheet.xlsx`, written with
//! rust_xlsxwriter), which the series' formulas (`Sheet1!$B$2:$B$3`) point
//! into: Word's "Edit data" opens it. Its creation time is the document
//! date, so the same input still gives the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use super::document::DocumentDate;
use crate::language::Language;
use crate::text::xml_escape;

/// The text the `chart` block writes in its run; the package replaces it
/// with the drawing. Private-use characters no template can sensibly hold.
pub const PLACEHOLDER: &str = "\u{F8FF}mus-chart\u{F8FF}";
/// The chart's part.
pub const CHART_PART: &str = "word/charts/chart1.xml";
/// The chart's relationship from the document.
const RELATIONSHIP_ID: &str = "rIdMusChart1";
const CHART_TYPE: &str = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const CHART_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";
/// The chart's own relationships: the embedded workbook.
pub const CHART_RELATIONSHIPS_PART: &str = "word/charts/_rels/chart1.xml.rels";
/// The workbook with the chart's data, as Word names an embedded one.
pub const WORKBOOK_PART: &str = "word/embeddings/Microsoft_Excel_Worksheet.xlsx";
/// The workbook's relationship from the chart.
const WORKBOOK_RELATIONSHIP_ID: &str = "rId1";
const PACKAGE_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package";
const WORKBOOK_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The workbook's sheet, as the series' formulas name it.
const SHEET: &str = "Sheet1";
/// The drawing's id as written here; the package numbers every drawing
/// anew, so ids are unique across it ([`super::docx_rs_fixes::DrawingIds`]).
const DRAWING_ID: u32 = 9001;
/// Full text width (A4 less 2 × 2 cm margins) and a third of it high, in EMU.
const SIZE: (u64, u64) = (6_120_000, 3_060_000);
/// The series' colours: the documents' blue, and a dark orange. Each is at
/// least 3:1 against the white page, as WCAG 2.1 (1.4.11) asks of the parts
/// of a graphic a reader needs; the two differ in lightness and hue, so a
/// reader who cannot tell blue from orange still tells them apart, and the
/// value on each bar says the rest.
const COLOURS: [&str; 2] = ["2F5597", "C55A11"];
/// Where the bars go, as shares of the chart's width and height: room
/// above for the title and the value on a full bar, which would otherwise
/// run into each other, and below for the unit names and the legend.
const PLOT_LAYOUT: &str = concat!(
    r#"<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>"#,
    r#"<c:x val="0.09"/><c:y val="0.2"/><c:w val="0.89"/><c:h val="0.58"/></c:manualLayout></c:layout>"#
);
/// The value axis' gridlines: 3:1 against white as well, and thin.
const GRIDLINES: &str = "949494";

/// Grouped columns: a group of bars per category, a bar per series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The names under the groups of bars (the units), left to right.
    pub categories: Vec<String>,
    /// Each series' name (in the legend) and its shares (0–1) per category.
    pub series: Vec<(String, Vec<f64>)>,
    /// The chart's title, above the bars (`c:title`).
    pub title: String,
    /// What the chart shows, for people who cannot see it (`wp:docPr/@descr`).
    pub description: String,
    /// The language of the chart's text and number format.
    pub language: Language,
}

impl BarChart {
    /// The chart part, `word/charts/chart1.xml`.
    pub fn part(&self) -> String {
        // Danish writes a space before the per cent sign.
        let percent = match self.language {
            Language::Da => "0 %",
            Language::En => "0%",
        };
        let count = self.categories.len();
        let categories: String = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, name)| format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, xml_escape(name)))
            .collect();
        let column = |i: usize| char::from(b'B' + (i as u8).min(24));
        let series: String = self
            .series
            .iter()
            .enumerate()
            .map(|(i, (name, values))| {
                let points: String = values
                    .iter()
                    .enumerate()
                    .map(|(j, v)| format!(r#"<c:pt idx="{j}"><c:v>{}</c:v></c:pt>"#, v.clamp(0.0, 1.0)))
                    .collect();
                format!(
                    concat!(
                        r#"<c:ser><c:idx val="{i}"/><c:order val="{i}"/>"#,
                        r#"<c:tx><c:strRef><c:f>{sheet}!${col}$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>"#,
                        r#"<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr>"#,
                        r#"<c:invertIfNegative val="0"/>"#,
                        r#"<c:dLbls><c:numFmt formatCode="{percent}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"#,
                        r#"<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>"#,
                        r#"<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>"#,
                        r#"<c:cat><c:strRef><c:f>{sheet}!$A$2:$A${last}</c:f><c:strCache><c:ptCount val="{count}"/>{categories}</c:strCache></c:strRef></c:cat>"#,
                        r#"<c:val><c:numRef><c:f>{sheet}!${col}$2:${col}${last}</c:f><c:numCache><c:formatCode>{percent}</c:formatCode><c:ptCount val="{count}"/>{points}</c:numCache></c:numRef></c:val>"#,
                        r#"</c:ser>"#
                    ),
                    i = i,
                    sheet = SHEET,
                    col = column(i),
                    name = xml_escape(name),
                    colour = COLOURS[i % COLOURS.len()],
                    last = count + 1,
                    count = count,
                    categories = categories,
                    points = points,
                    percent = percent,
                )
            })
            .collect();
        format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                "\n",
                r#"<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" "#,
                r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
                r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
                r#"<c:lang val="{lang}"/><c:roundedCorners val="0"/>"#,
                r#"<c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr>"#,
                r#"<a:r><a:rPr lang="{lang}" sz="1200" b="1"/><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>"#,
                r#"<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea>{plot_layout}"#,
                r#"<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>"#,
                "{series}",
                r#"<c:gapWidth val="80"/><c:axId val="500100"/><c:axId val="500200"/></c:barChart>"#,
                r#"<c:catAx><c:axId val="500100"/><c:scaling><c:orientation val="minMax"/></c:scaling>"#,
                r#"<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>"#,
                r#"<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>"#,
                r#"<c:crossAx val="500200"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>"#,
                r#"<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>"#,
                r#"<c:valAx><c:axId val="500200"/><c:scaling><c:orientation val="minMax"/><c:max val="1"/><c:min val="0"/></c:scaling>"#,
                r#"<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="{gridlines}"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>"#,
                r#"<c:numFmt formatCode="{percent}" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>"#,
                r#"<c:tickLblPos val="nextTo"/><c:crossAx val="500100"/><c:crosses val="autoZero"/>"#,
                r#"<c:crossBetween val="between"/><c:majorUnit val="0.25"/></c:valAx></c:plotArea>"#,
                r#"<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>"#,
                r#"<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>"#,
                r#"<c:externalData r:id="{workbook}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>"#
            ),
            lang = self.language.tag(),
            title = xml_escape(&self.title),
            gridlines = GRIDLINES,
            plot_layout = PLOT_LAYOUT,
            workbook = WORKBOOK_RELATIONSHIP_ID,
            series = series,
            percent = percent,
        )
    }

    /// The parts the chart adds to a package, with their content: the chart,
    /// its relationships and its workbook, stamped with `date`.
    pub fn parts(&self, date: DocumentDate) -> std::io::Result<[(&'static str, Vec<u8>); 3]> {
        let relationships = format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                "\n",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="{WORKBOOK_RELATIONSHIP_ID}" Type="{PACKAGE_RELATIONSHIP}" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/>"#,
                r#"</Relationships>"#
            ),
            WORKBOOK_RELATIONSHIP_ID = WORKBOOK_RELATIONSHIP_ID,
            PACKAGE_RELATIONSHIP = PACKAGE_RELATIONSHIP,
        );
        Ok([
            (CHART_PART, self.part().into_bytes()),
            (CHART_RELATIONSHIPS_PART, relationships.into_bytes()),
            (WORKBOOK_PART, self.workbook(date)?),
        ])
    }

    /// The workbook behind the chart: the categories down column A from
    /// row 2, each series' name in row 1 and its shares below it, as the
    /// series' formulas say. Created at `date`, so it is the same bytes for
    /// the same input.
    pub fn workbook(&self, date: DocumentDate) -> std::io::Result<Vec<u8>> {
        let error = std::io::Error::other;
        let created = ExcelDateTime::from_timestamp(date.0.timestamp()).map_err(error)?;
        let mut workbook = Workbook::new();
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let percent = Format::new().set_num_format(match self.language {
            Language::Da => "0 %",
            Language::En => "0%",
        });
        let sheet = workbook.add_worksheet();
        sheet.set_name(SHEET).map_err(error)?;
        let widest = self
            .categories
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0);
        sheet
            .set_column_width(0, (widest.clamp(10, 60) + 2) as f64)
            .map_err(error)?;
        for (row, name) in (1u32..).zip(&self.categories) {
            sheet.write_string(row, 0, name).map_err(error)?;
        }
        for (column, (name, values)) in (1u16..).zip(&self.series) {
            sheet
                .set_column_width(column, (name.chars().count().clamp(10, 60) + 2) as f64)
                .map_err(error)?;
            sheet.write_string(0, column, name).map_err(error)?;
            for (row, value) in (1u32..).zip(values) {
                sheet
                    .write_number_with_format(row, column, value.clamp(0.0, 1.0), &percent)
                    .map_err(error)?;
            }
        }
        crate::platform::zip_made_on_unix(workbook.save_to_buffer().map_err(error)?)
    }

    /// The run content that shows the chart, in place of [`PLACEHOLDER`]'s `w:t`.
    fn drawing(&self) -> String {
        let (cx, cy) = SIZE;
        format!(
            concat!(
                r#"<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
                r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>"#,
                r#"<wp:docPr id="{id}" name="Diagram {id}" descr="{descr}"/><wp:cNvGraphicFramePr/>"#,
                r#"<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">"#,
                r#"<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">"#,
                r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="{rel}"/>"#,
                r#"</a:graphicData></a:graphic></wp:inline></w:drawing>"#
            ),
            cx = cx,
            cy = cy,
            id = DRAWING_ID,
            descr = xml_escape(&self.description),
            rel = RELATIONSHIP_ID,
        )
    }

    /// Puts the chart into a package's part as [`super::package::pack`]
    /// writes it: the drawing in the document, the relationship, the
    /// content type. Other parts come back as they were.
    pub fn link_into(&self, name: &str, content: Vec<u8>) -> std::io::Result<Vec<u8>> {
        let edit = |text: String| -> std::io::Result<String> {
            match name {
                "word/document.xml" => {
                    let start = text
                        .find(PLACEHOLDER)
                        .and_then(|at| text[..at].rfind("<w:t"))
                        .ok_or_else(|| std::io::Error::other("the chart's place is missing"))?;
                    let end = text[start..]
                        .find("</w:t>")
                        .map(|at| start + at + "</w:t>".len())
                        .ok_or_else(|| std::io::Error::other("the chart's place is cut"))?;
                    Ok(format!("{}{}{}", &text[..start], self.drawing(), &text[end..]))
                }
                "word/_rels/document.xml.rels" => Ok(text.replacen(
                    "</Relationships>",
                    &format!(
                        r#"<Relationship Id="{RELATIONSHIP_ID}" Type="{CHART_RELATIONSHIP}" Target="charts/chart1.xml"/></Relationships>"#
                    ),
                    1,
                )),
                "[Content_Types].xml" => Ok(text.replacen(
                    "</Types>",
                    &format!(
                        r#"<Default Extension="xlsx" ContentType="{WORKBOOK_TYPE}"/><Override PartName="/{CHART_PART}" ContentType="{CHART_TYPE}"/></Types>"#
                    ),
                    1,
                )),
                _ => Ok(text),
            }
        };
        if !matches!(
            name,
            "word/document.xml" | "word/_rels/document.xml.rels" | "[Content_Types].xml"
        ) {
            return Ok(content);
        }
        let text = String::from_utf8(content).map_err(std::io::Error::other)?;
        Ok(edit(text)?.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> BarChart {
        BarChart {
            categories: vec!["Økonomi & Løn".into(), "IT".into()],
            series: vec![
                ("Med mål".into(), vec![0.6, 1.0]),
                ("Fulgt op".into(), vec![0.25, 0.0]),
            ],
            title: "Mål & opfølgning".into(),
            description: "Søjlediagram <test>".into(),
            language: Language::Da,
        }
    }

    #[test]
    fn the_chart_part_is_well_formed_and_holds_names_and_values() {
        let xml = chart().part();
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let values: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("v"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            values,
            [
                "Med mål",
                "Økonomi & Løn",
                "IT",
                "0.6",
                "1",
                "Fulgt op",
                "Økonomi & Løn",
                "IT",
                "0.25",
                "0"
            ]
        );
    }

    #[test]
    fn the_chart_part_has_its_title_shown() {
        let xml = chart().part();
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .expect("a title");
        let text: String = title
            .descendants()
            .filter(|n| n.has_tag_name("t"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(text, "Mål & opfølgning");
        assert!(xml.contains(r#"<c:autoTitleDeleted val="0"/>"#), "{xml}");
    }

    #[test]
    fn the_drawing_replaces_the_placeholder_run_text() {
        let document = format!(
            r#"<w:body><w:p><w:r><w:rPr/><w:t xml:space="preserve">{PLACEHOLDER}</w:t></w:r></w:p></w:body>"#
        );
        let linked = chart()
            .link_into("word/document.xml", document.into_bytes())
            .expect("links");
        let text = String::from_utf8(linked).expect("utf-8");
        assert!(
            !text.contains(PLACEHOLDER) && !text.contains("<w:t"),
            "{text}"
        );
        assert!(
            text.contains(r#"descr="Søjlediagram &lt;test&gt;""#),
            "{text}"
        );
        assert!(text.contains("<w:rPr/><w:drawing>"), "{text}");
        let missing = chart().link_into("word/document.xml", b"<w:body/>".to_vec());
        assert!(
            missing.is_err(),
            "a document without the chart's place is an error"
        );
    }
}
