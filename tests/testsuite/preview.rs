//! `mus preview`: the form as Markdown, in the same order as `generate`.

use crate::support::*;

#[test]
fn preview_matches_the_generated_form_topic_for_topic() {
    let config = example("kontor-for-oekonomi.yaml");
    let output = mus().arg("preview").arg(&config).succeeds();
    let markdown = String::from_utf8(output.stdout).expect("utf-8");
    insta::assert_snapshot!("preview_kontor_for_oekonomi", markdown);

    let tmp = tempfile::tempdir().expect("tempdir");
    let generated = mus()
        .args(["generate", "--json", "-o"])
        .arg(tmp.path())
        .arg(&config)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&generated.stdout).expect("json");
    let catalogue = mus::Catalogue::built_in().expect("catalogue");
    let headings: Vec<&str> = markdown
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|h| h.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let ids: Vec<&str> = json["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(headings.len(), ids.len());
    for (i, (heading, id)) in headings.iter().zip(&ids).enumerate() {
        let title = catalogue
            .get(id)
            .map(|t| t.title.as_str())
            .unwrap_or("Digital omstilling");
        assert_eq!(*heading, format!("{}. {title}", i + 1));
    }
    // The Word form has the same questions in the same order.
    let form = body(&tmp.path().join("samtaleskema.docx"));
    let form_questions: Vec<String> = form
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match (e, form.get(i + 1)) {
            (Element::Paragraph { text, .. }, Some(Element::Table(t)))
                if t.rows == vec![vec![String::new()]] =>
            {
                Some(text.clone())
            }
            _ => None,
        })
        .collect();
    let preview_questions: Vec<String> = markdown
        .split("\n\n")
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[1] == "> *(noter)*")
        .map(|w| w[0].trim_matches('*').to_string())
        .collect();
    assert_eq!(preview_questions, form_questions);
    assert!(markdown.contains("### Skriv målene i udviklingsplanen"));
}

#[test]
fn completions_and_man_page_are_generated() {
    let output = mus().args(["completions", "bash"]).output().expect("runs");
    let script = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && script.contains("generate") && script.contains("preview"));
    let output = mus().arg("man").output().expect("runs");
    let page = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && page.contains(".TH mus") && page.contains("check"));
}
