//! A round of units with their own configs (`generate CONFIG… --roster`,
//! `followup`, `report`), and a folder per manager (`--by-manager`).

use std::path::{Path, PathBuf};

use crate::support::*;

/// Five people: two in units with their own config, one in a unit without
/// (the workplace's config), one with no unit, one whose row has a date
/// before Økonomi's interviews begin (1 March) but inside the workplace's.
const ROSTER: &str = "navn;leder;enhed;dato
Anna Berg;Kim Lund;Kontor for IT;2027-03-01
Bo Holm;Bodil Åen;Kontor for Økonomi;2027-02-15
Carl Dahl;Bodil Åen;HR;2027-02-15
Dina Eng;;;2027-03-02
Eva Fisk;Kim Lund;Kontor for IT;2027-03-03
";

fn roster(dir: &Path) -> PathBuf {
    let path = dir.join("medarbejdere.csv");
    std::fs::write(&path, ROSTER).expect("roster");
    path
}

/// The numbered topic headings of a form ("1. Siden sidst" …), titles only.
fn topic_titles(form: &Path) -> Vec<String> {
    paragraphs_with_style(&body(form), "Heading1")
        .into_iter()
        .filter_map(|h| {
            let (number, title) = h.split_once(". ")?;
            number.parse::<u32>().ok().map(|_| title.to_string())
        })
        .collect()
}

fn title(id: &str) -> String {
    let catalogue = mus::Catalogue::built_in().expect("catalogue");
    catalogue.get(id).expect("known id").title.clone()
}

/// The file names directly in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn a_folder_of_unit_configs_and_one_roster_give_each_person_their_units_topics() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let output = mus()
        .args(["generate", "--json", "-o"])
        .arg(&out)
        .arg("--roster")
        .arg(roster(tmp.path()))
        .arg(root().join("examples"))
        .succeeds();
    let form = |slug: &str| out.join(format!("samtaleskema-{slug}.docx"));
    let it = topic_titles(&form("anna-berg"));
    assert!(it.contains(&title("mobilitet")), "IT's own topic: {it:?}");
    assert!(!it.contains(&title("talent-og-karriere")), "{it:?}");
    assert_eq!(topic_titles(&form("eva-fisk")), it, "both in IT");
    let oekonomi = topic_titles(&form("bo-holm"));
    // Økonomi's own topic, from its config.
    assert!(
        oekonomi.contains(&"Digital omstilling".to_string()),
        "{oekonomi:?}"
    );
    // HR has no config of its own, and Dina no unit: the workplace's config.
    let workplace = topic_titles(&form("carl-dahl"));
    assert!(
        workplace.contains(&title("talent-og-karriere")),
        "{workplace:?}"
    );
    assert!(!workplace.contains(&title("mobilitet")), "{workplace:?}");
    assert_eq!(topic_titles(&form("dina-eng")), workplace);

    // The guides of every config used: the workplace's under their own
    // names, each unit's with the unit added. International Unit has no one
    // in the roster, so none of its own.
    let names = names_in(&out);
    for guide in [
        "vejledning-medarbejder.docx",
        "vejledning-medarbejder-kontor-for-it.docx",
        "vejledning-medarbejder-kontor-for-oekonomi.docx",
        "tilvalgsemner-kontor-for-it.docx",
        "vejledning-hr-kontor-for-oekonomi.docx",
    ] {
        assert!(names.contains(&guide.to_string()), "{guide} in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("international")),
        "{names:?}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let files = json["files"].as_array().expect("files");
    assert_eq!(
        files.len(),
        5 * 2 + 3 * 4,
        "two per person, four per config used"
    );

    // Bo's date is before Økonomi's interviews begin: a warning naming the
    // row. Carl's, the same date, is within the workplace's.
    let warnings = stderr(&output);
    assert!(warnings.contains("medarbejdere.csv:3:"), "{warnings}");
    assert!(!warnings.contains("medarbejdere.csv:4:"), "{warnings}");
}

#[test]
fn a_unit_without_a_config_and_no_workplace_config_is_an_error_listing_the_units() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let output = mus()
        .args(["generate", "-o"])
        .arg(&out)
        .arg("--roster")
        .arg(roster(tmp.path()))
        .arg(example("kontor-for-it.yaml"))
        .arg(example("kontor-for-oekonomi.yaml"))
        .fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains("medarbejdere.csv:4:1"),
        "Carl's row, HR: {err}"
    );
    assert!(
        err.contains("medarbejdere.csv:5:1"),
        "Dina's row, no unit: {err}"
    );
    assert!(
        err.contains("`Kontor for IT`, `Kontor for Økonomi`"),
        "the units that have a config: {err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn several_configs_without_a_roster_ask_which_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let output = mus()
        .args(["generate", "-o"])
        .arg(tmp.path().join("out"))
        .arg(root().join("examples"))
        .fails_with(2);
    assert!(stderr(&output).contains("--roster"), "{}", stderr(&output));
    assert!(!tmp.path().join("out").exists());
}

const COLLECTED: &str = "file,employee,manager,unit,date,goal
a.docx,Anna Berg,Kim Lund,Kontor for IT,2027-03-01,Lære Rust
c.docx,Carl Dahl,Bodil Åen,HR,2027-02-15,Lede et projekt
";

#[test]
fn a_follow_up_form_shows_the_deadline_of_the_persons_unit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, COLLECTED).expect("csv");
    let out = tmp.path().join("opf");
    mus()
        .args(["followup", "-o"])
        .arg(&out)
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg(example("kontor-for-it.yaml"))
        .succeeds();
    let text = |slug: &str| all_text(&body(&out.join(format!("opfoelgning-{slug}.docx"))));
    assert!(
        text("anna-berg").contains("15. oktober 2027"),
        "IT's own deadline"
    );
    assert!(
        text("carl-dahl").contains("30. september 2027"),
        "the workplace's"
    );
    assert!(!text("carl-dahl").contains("15. oktober 2027"));
}

#[test]
fn with_by_manager_each_managers_forms_are_in_a_folder_of_their_own_and_collected_from_there() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let run = || {
        mus()
            .args(["generate", "--by-manager", "-o"])
            .arg(&out)
            .arg("--roster")
            .arg(roster(tmp.path()))
            .arg(example("eksempelstyrelsen.yaml"))
            .succeeds()
    };
    let output = run();
    assert_eq!(
        names_in(&out),
        [
            "bodil-aaen",
            "kim-lund",
            "tilvalgsemner.docx",
            "uden-leder",
            "vejledning-hr.docx",
            "vejledning-leder.docx",
            "vejledning-medarbejder.docx",
        ],
        "the guides once at the top"
    );
    assert_eq!(
        names_in(&out.join("kim-lund")),
        [
            "samtaleskema-anna-berg.docx",
            "samtaleskema-eva-fisk.docx",
            "udviklingsplan-anna-berg.docx",
            "udviklingsplan-eva-fisk.docx",
        ]
    );
    assert_eq!(
        names_in(&out.join("uden-leder")),
        ["samtaleskema-dina-eng.docx", "udviklingsplan-dina-eng.docx"],
        "Dina's row names no manager"
    );
    let listed = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        listed
            .lines()
            .any(|l| Path::new(l) == out.join("kim-lund").join("samtaleskema-anna-berg.docx")),
        "{listed}"
    );

    // An unchanged re-run leaves every form as it was.
    let form = out.join("bodil-aaen").join("samtaleskema-bo-holm.docx");
    let before = std::fs::metadata(&form)
        .expect("form")
        .modified()
        .expect("mtime");
    run();
    assert_eq!(
        std::fs::metadata(&form)
            .expect("form")
            .modified()
            .expect("mtime"),
        before
    );

    // collect finds the forms below (the development plans, not yet filled
    // in), and followup puts each manager's in their folder.
    let collected = tmp.path().join("maal.csv");
    let output = mus().arg("collect").arg(&out).succeeds();
    let notes = stderr(&output);
    assert!(
        notes.contains("(5)"),
        "five development plans found: {notes}"
    );
    let plan = out.join("kim-lund").join("udviklingsplan-anna-berg.docx");
    // Notes write paths as machine-readable output does (`/` on Windows too).
    assert!(
        notes.contains(&mus::platform::machine_path(&plan)),
        "{notes}"
    );
    std::fs::write(&collected, COLLECTED).expect("csv with goals");
    let followups = tmp.path().join("opf");
    mus()
        .args(["followup", "--by-manager", "-o"])
        .arg(&followups)
        .arg(&collected)
        .arg(example("eksempelstyrelsen.yaml"))
        .succeeds();
    assert_eq!(names_in(&followups), ["bodil-aaen", "kim-lund"]);
    assert_eq!(
        names_in(&followups.join("kim-lund")),
        ["opfoelgning-anna-berg.docx"]
    );
}

#[test]
fn the_report_holds_each_unit_to_its_own_deadline() {
    // Five in IT followed up on 10 October: late by the workplace's
    // deadline (30 September), in time by IT's own (15 October).
    let mut csv = String::from(
        "file,employee,manager,unit,date,goal,activities,when,follow_up,kind,status\n",
    );
    for p in 1..=5 {
        csv.push_str(&format!(
            "m{p}.docx,P{p},Kim Lund,Kontor for IT,2027-03-0{p},Mål {p},,,,samtale,\n"
        ));
        csv.push_str(&format!(
            "o{p}.docx,P{p},Kim Lund,Kontor for IT,2027-10-10,Mål {p},,,,opfoelgning,reached\n"
        ));
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let collected = tmp.path().join("maal.csv");
    std::fs::write(&collected, csv).expect("csv");
    let in_time = |configs: &[PathBuf]| {
        let output = mus()
            .args(["report", "--format", "json"])
            .arg(&collected)
            .args(configs)
            .succeeds();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        json["total"]["goals_followed_up_in_time"].clone()
    };
    let workplace = example("eksempelstyrelsen.yaml");
    assert_eq!(
        in_time(std::slice::from_ref(&workplace)),
        serde_json::json!(0)
    );
    assert_eq!(
        in_time(&[workplace, example("kontor-for-it.yaml")]),
        serde_json::json!(5)
    );
}

#[test]
fn a_folder_of_more_configs_than_a_round_takes_is_refused_before_any_is_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = tmp.path().join("konfigurationer");
    std::fs::create_dir(&folder).expect("folder");
    for i in 0..=mus::limits::ROUND_CONFIGS {
        // Not one of them is a config: none is read.
        std::fs::write(folder.join(format!("enhed-{i:03}.yaml")), ":\t[").expect("file");
    }
    let output = mus()
        .args(["report", "maal.csv"])
        .arg(&folder)
        .current_dir(tmp.path())
        .fails_with(1);
    let err = stderr(&output);
    assert!(
        err.contains(&format!("at most {}", mus::limits::ROUND_CONFIGS)),
        "{err}"
    );
}
