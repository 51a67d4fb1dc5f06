//! People's files are sacred: a re-run never replaces a filled-in form or a
//! file `mus` did not write, an output never replaces an input, a failing run
//! leaves the folder as it was, and two runs never mix in one folder.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::support::{MANIFEST, Succeeds, example, files_below, mus, stderr};

const ROSTER: &str = "navn,enhed\nAnna Holm,Kontor for IT\nBo Lund,Kontor for IT\n";

fn write_roster(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("medarbejdere.csv");
    std::fs::write(&path, text).expect("roster");
    path
}

fn roster_run(roster: &Path, out: &Path) -> std::process::Output {
    mus()
        .arg("generate")
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg(roster)
        .arg("-o")
        .arg(out)
        .output()
        .expect("runs")
}

/// `mus generate examples/eksempelstyrelsen.yaml -o OUT`, to add to and run.
fn generate_example(out: &Path) -> assert_cmd::Command {
    let mut cmd = mus();
    cmd.arg("generate")
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(out);
    cmd
}

/// Every file below `dir` with its bytes, the manifest included.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files: BTreeMap<PathBuf, Vec<u8>> = files_below(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    if let Ok(bytes) = std::fs::read(dir.join(MANIFEST)) {
        files.insert(dir.join(MANIFEST), bytes);
    }
    files
}

/// Changes a form as Word would when someone types in it: the package gets
/// another part, so its bytes differ from what `mus` wrote.
fn fill_in(form: &Path) {
    let bytes = std::fs::read(form).expect("form");
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let entry = source.by_index_raw(i).expect("entry");
        out.raw_copy_file(entry).expect("copy");
    }
    out.start_file(
        "customXml/noter.txt",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("part");
    out.write_all("Vi talte om kurset i projektledelse.".as_bytes())
        .expect("write");
    let filled = out.finish().expect("finish").into_inner();
    std::fs::write(form, filled).expect("filled form");
}

#[test]
fn a_rerun_with_one_more_person_keeps_filled_in_forms_and_adds_the_new_form() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("skemaer");
    let roster = write_roster(tmp.path(), ROSTER);
    assert!(roster_run(&roster, &out).status.success());
    let anna = out.join("samtaleskema-anna-holm.docx");
    fill_in(&anna);
    let filled = std::fs::read(&anna).expect("anna");

    write_roster(tmp.path(), &format!("{ROSTER}Carl Dahl,Kontor for IT\n"));
    let output = roster_run(&roster, &out);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(&anna).expect("anna"),
        filled,
        "the filled-in form is kept"
    );
    assert!(
        out.join("samtaleskema-carl-dahl.docx").is_file(),
        "the new person's form"
    );
    assert!(out.join("samtaleskema-bo-lund.docx").is_file());
    let err = stderr(&output);
    assert!(
        err.contains("samtaleskema-anna-holm.docx") && err.contains("kept"),
        "the kept form is named: {err}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains("samtaleskema-anna-holm"),
        "a kept form is not listed as written: {stdout}"
    );

    // --force replaces it with a blank form again.
    let forced = mus()
        .arg("generate")
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg(&roster)
        .arg("-o")
        .arg(&out)
        .arg("--force")
        .succeeds();
    assert!(forced.status.success());
    assert_ne!(std::fs::read(&anna).expect("anna"), filled);
}

#[test]
fn a_changed_guide_stops_the_run_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("mus");
    mus().arg("generate").arg("-o").arg(&out).succeeds();
    let guide = out.join("vejledning-hr.docx");
    fill_in(&guide);
    let before = snapshot(&out);

    let output = generate_example(&out).output().expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("vejledning-hr.docx") && err.contains("changed since mus wrote it"),
        "{err}"
    );
    assert!(err.contains("--force"), "says what to do: {err}");
    assert_eq!(
        snapshot(&out),
        before,
        "nothing written, nothing left behind"
    );

    // A file mus never wrote, in a folder without a manifest, is refused too.
    let other = tmp.path().join("andet");
    std::fs::create_dir(&other).expect("other");
    std::fs::write(other.join("samtaleskema.docx"), b"not from mus").expect("stranger");
    let output = mus()
        .arg("generate")
        .arg("-o")
        .arg(&other)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("mus did not write it"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read(other.join("samtaleskema.docx")).expect("kept"),
        b"not from mus"
    );

    generate_example(&out).arg("--force").succeeds();
    assert_ne!(std::fs::read(&guide).expect("guide"), before[&guide]);
}

#[test]
fn an_unchanged_document_is_regenerated_without_force() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("mus");
    mus().arg("generate").arg("-o").arg(&out).succeeds();
    let before = std::fs::read(out.join("samtaleskema.docx")).expect("form");
    generate_example(&out).succeeds();
    assert_ne!(
        std::fs::read(out.join("samtaleskema.docx")).expect("form"),
        before
    );
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).expect("manifest");
    assert!(manifest.contains("\"samtaleskema.docx\""), "{manifest}");
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("mus");
    mus().arg("generate").arg("-o").arg(&out).succeeds();
    let form = out.join("samtaleskema.docx");
    std::fs::set_permissions(&form, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    generate_example(&out).succeeds();
    let mode = std::fs::metadata(&form).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn a_full_disk_during_a_roster_run_leaves_the_folder_as_it_was() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("skemaer");
    let roster = write_roster(tmp.path(), ROSTER);
    assert!(roster_run(&roster, &out).status.success());
    let before = snapshot(&out);

    write_roster(
        tmp.path(),
        "navn,enhed,tilvalg\nAnna Holm,Kontor for IT,innovation\nBo Lund,Kontor for IT,mobilitet\nCarl Dahl,Kontor for IT,\n",
    );
    let output = mus()
        .arg("generate")
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg(&roster)
        .arg("-o")
        .arg(&out)
        .env("MUS_TEST_DISK_FULL_AFTER", "4")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no space left"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        snapshot(&out),
        before,
        "every file as it was, no temporary file left"
    );
    let names: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(names, [MANIFEST], "no staging folder or lock left");

    // A run into a new folder that fails leaves no folder.
    let fresh = tmp.path().join("ny");
    let output = mus()
        .arg("generate")
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg(&roster)
        .arg("-o")
        .arg(&fresh)
        .env("MUS_TEST_DISK_FULL_AFTER", "1")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    assert!(!fresh.exists());
}

#[test]
fn a_second_run_on_the_same_folder_is_refused_while_the_first_holds_the_lock() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("mus");
    std::fs::create_dir(&out).expect("out");
    // This test plays the first run: it holds the lock the way mus does.
    let lock = std::fs::File::create(out.join(".mus-lock")).expect("lock file");
    lock.lock().expect("locked");
    let output = mus()
        .arg("generate")
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("another mus run is writing to this folder"),
        "{}",
        stderr(&output)
    );
    assert!(
        files_below(&out).iter().all(|p| p.ends_with(".mus-lock")),
        "nothing written"
    );
    drop(lock);
    mus().arg("generate").arg("-o").arg(&out).succeeds();
}

#[test]
fn an_output_that_is_an_input_is_refused_also_through_a_link() {
    let tmp = tempfile::tempdir().expect("tmp");
    let forms = tmp.path().join("skemaer");
    let roster = write_roster(tmp.path(), ROSTER);
    assert!(roster_run(&roster, &forms).status.success());
    let anna = forms.join("udviklingsplan-anna-holm.docx");
    crate::collect::write_held(&anna, "1. marts 2027");
    let before = std::fs::read(&anna).expect("anna");

    // collect -o one of the forms it reads
    let output = mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&anna)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("input"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&anna).expect("anna"), before);

    let goals = tmp.path().join("maal.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&goals)
        .succeeds();
    let goals_before = std::fs::read(&goals).expect("goals");
    let config = tmp.path().join("mus.yaml");
    std::fs::copy(example("eksempelstyrelsen.yaml"), &config).expect("config");

    // report -o the collected goals, the config, and a link to the goals
    #[cfg(unix)]
    std::os::unix::fs::symlink(&goals, tmp.path().join("rapport.docx")).expect("link");
    for target in [
        goals.clone(),
        config.clone(),
        tmp.path().join("rapport.docx"),
    ] {
        if !target.exists() {
            continue;
        }
        let output = mus()
            .arg("report")
            .arg(&goals)
            .arg(&config)
            .arg("-o")
            .arg(&target)
            .arg("--force")
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}: {}",
            target.display(),
            stderr(&output)
        );
    }
    assert_eq!(std::fs::read(&goals).expect("goals"), goals_before);
}

#[test]
fn a_closed_stderr_keeps_the_exit_code() {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = tmp.path().join("mus.yaml");
    std::fs::write(
        &bad,
        "workplace: X\nyear: 2027\noptional_topics: [inovation]\n",
    )
    .expect("bad");
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("mus"))
        .arg("check")
        .arg(&bad)
        .stderr(writer)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(1), "no panic (101) on a closed stderr");
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("mus"))
        .arg("generate")
        .arg(&bad)
        .stderr(writer)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn source_date_epoch_that_is_not_a_number_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let output = mus()
        .arg("generate")
        .arg("-o")
        .arg(tmp.path().join("out"))
        .env("SOURCE_DATE_EPOCH", "i går")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("SOURCE_DATE_EPOCH"),
        "{}",
        stderr(&output)
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn jobs_are_capped() {
    for args in [
        &["generate", "--jobs", "65", "--roster", "x.csv"][..],
        &["collect", "--jobs", "65", "skemaer", "-o", "x.csv"],
    ] {
        let output = mus().args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("1..=64"), "{}", stderr(&output));
    }
    // 64 is allowed: the run gets as far as the missing roster.
    let output = mus()
        .args(["generate", "--jobs", "64", "--roster", "x.csv"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

fn roster_with_template(tmp: &Path, edit: &str) -> std::process::Output {
    let templates = tmp.join("skabeloner");
    std::fs::create_dir_all(&templates).expect("templates");
    let form =
        std::fs::read_to_string(crate::support::root().join("templates/da/samtaleskema.md.j2"))
            .expect("built-in form");
    std::fs::write(
        templates.join("samtaleskema.md.j2"),
        format!("{form}\n{edit}\n"),
    )
    .expect("edited");
    let roster = write_roster(tmp, ROSTER);
    mus()
        .arg("generate")
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg(&roster)
        .arg("--templates")
        .arg(&templates)
        .arg("-o")
        .arg(tmp.join("out"))
        .output()
        .expect("runs")
}

#[test]
fn a_condition_or_filter_on_the_person_is_refused_in_roster_mode() {
    for edit in [
        "{% if person.manager %}Leder: {{ person.manager }}{% endif %}",
        "Til {{ person.employee | upper }}",
        "{% if person.unit == 'Kontor for IT' %}Særligt for IT.{% endif %}",
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        let output = roster_with_template(tmp.path(), edit);
        assert_eq!(output.status.code(), Some(1), "{edit}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("`person.*` can only be printed as it is"),
            "{edit}: {}",
            stderr(&output)
        );
        assert!(!tmp.path().join("out").exists(), "{edit}: nothing written");
    }
    // Printing it as it is works.
    let tmp = tempfile::tempdir().expect("tmp");
    let output = roster_with_template(tmp.path(), "Samtale med {{ person.employee }}.");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = crate::support::all_text(&crate::support::body(
        &tmp.path().join("out/samtaleskema-anna-holm.docx"),
    ));
    assert!(text.contains("Samtale med Anna Holm."), "{text}");
}

#[test]
fn a_question_with_a_private_use_character_is_accepted_in_roster_mode() {
    let tmp = tempfile::tempdir().expect("tmp");
    let config = tmp.path().join("mus.yaml");
    std::fs::write(
        &config,
        "workplace: Eksempelstyrelsen\nyear: 2027\nextra_questions:\n  trivsel:\n    - \"Hvordan virker logoet \u{F8FF} på dig?\"\n",
    )
    .expect("config");
    let roster = write_roster(tmp.path(), ROSTER);
    let out = tmp.path().join("out");
    mus()
        .arg("generate")
        .arg(&config)
        .arg("--roster")
        .arg(&roster)
        .arg("-o")
        .arg(&out)
        .succeeds();
    let text = crate::support::all_text(&crate::support::body(
        &out.join("samtaleskema-bo-lund.docx"),
    ));
    assert!(
        text.contains("Hvordan virker logoet \u{F8FF} på dig?"),
        "{text}"
    );
    assert!(text.contains("Bo Lund"), "{text}");
}

#[cfg(unix)]
#[test]
fn followup_refuses_to_write_over_its_collected_goals() {
    let tmp = tempfile::tempdir().expect("tmp");
    let goals = tmp.path().join("maal.csv");
    std::fs::write(
        &goals,
        "file,employee,manager,unit,date,goal,activities,when,follow_up\nanna.docx,Anna Holm,Bo,IT,2027-03-01,Lære Python,Kursus,Foråret,September\n",
    )
    .expect("goals");
    let before = std::fs::read(&goals).expect("goals");
    let out = tmp.path().join("opf");
    std::fs::create_dir(&out).expect("out");
    // The follow-up form's name in the output folder is a link to the input.
    std::os::unix::fs::symlink(&goals, out.join("opfoelgning-anna-holm.docx")).expect("link");
    let output = mus()
        .arg("followup")
        .arg(&goals)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&out)
        .arg("--force")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("input"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&goals).expect("goals"), before);
}

#[test]
fn a_write_failure_in_report_and_collect_exits_3_and_names_the_path() {
    let tmp = tempfile::tempdir().expect("tmp");
    let forms = tmp.path().join("skemaer");
    let roster = write_roster(tmp.path(), ROSTER);
    assert!(roster_run(&roster, &forms).status.success());
    crate::collect::write_held(
        &forms.join("udviklingsplan-anna-holm.docx"),
        "1. marts 2027",
    );
    let goals = tmp.path().join("maal.csv");
    mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&goals)
        .succeeds();
    // A file where the output's folder should be: nothing can be written there.
    let blocker = tmp.path().join("ikke-en-mappe");
    std::fs::write(&blocker, b"x").expect("blocker");
    let target = blocker.join("ud.csv");
    let output = mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ikke-en-mappe"),
        "{}",
        stderr(&output)
    );
    let target = blocker.join("rapport.docx");
    let output = mus()
        .arg("report")
        .arg(&goals)
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("-o")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ikke-en-mappe"),
        "{}",
        stderr(&output)
    );
}

/// Issue 24: a run killed while it moves its files into place leaves a
/// mixed folder and a stale manifest; the next run puts back what the dead
/// run had moved, so the manifest is true again, and then completes: no
/// blank form is taken for a filled-in one, no guide stops the run, and
/// the filled-in plan is kept byte for byte.
#[test]
fn a_run_killed_during_its_moves_is_put_back_and_the_next_run_completes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let roster = tmp.path().join("roster.csv");
    let mut text = String::from("navn;enhed\n");
    for i in 0..20 {
        text.push_str(&format!("Medarbejder {i};IT\n"));
    }
    std::fs::write(&roster, text).expect("roster");
    let config = |workplace: &str| {
        let path = tmp.path().join(format!("{workplace}.yaml"));
        std::fs::write(&path, format!("workplace: {workplace}\nyear: 2027\n")).expect("config");
        path
    };
    let out = tmp.path().join("skemaer");
    let run = |config: &Path| {
        let mut cmd = mus();
        cmd.args(["generate", "--roster"])
            .arg(&roster)
            .arg("-o")
            .arg(&out)
            .arg(config);
        cmd
    };
    run(&config("Styrelsen")).succeeds();
    let anna = out.join("udviklingsplan-medarbejder-3.docx");
    crate::collect::write_held(&anna, "1. marts 2027");
    let filled = std::fs::read(&anna).expect("filled");

    // The workplace is renamed: every form and guide is to be replaced.
    let renamed = config("Direktoratet");
    let killed = run(&renamed)
        .env("MUS_TEST_KILL_AFTER_MOVES", "12")
        .output()
        .expect("runs");
    assert!(!killed.status.success(), "the run was killed");
    let mixed = crate::support::files_below(&out)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .filter(|p| crate::support::part(p, "word/header1.xml").contains("Direktoratet"))
        .count();
    assert!(mixed > 0, "the kill left some new files in place");

    let output = run(&renamed).output().expect("runs");
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert_eq!(
        err.matches("kept as it is").count(),
        1,
        "only the filled-in plan: {err}"
    );
    assert_eq!(
        std::fs::read(&anna).expect("anna"),
        filled,
        "the filled-in plan is kept"
    );
    for file in crate::support::files_below(&out) {
        if file.extension().is_some_and(|e| e == "docx") && file != anna {
            assert!(
                crate::support::part(&file, "word/header1.xml").contains("Direktoratet"),
                "{}: brought up to date, not kept as filled in",
                file.display()
            );
        }
    }
    assert!(
        !std::fs::read_dir(&out).expect("dir").any(|e| e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .starts_with(".mus-staging")),
        "no staging folder left"
    );
}

/// Issue 24: a person's forms are named by the person, not by the row: two
/// Anna Bergs in two units keep their own files when the roster is re-sorted,
/// and the filled-in plan stays with its Anna.
#[test]
fn re_sorting_the_roster_never_gives_one_namesakes_form_to_the_other() {
    let tmp = tempfile::tempdir().expect("tmp");
    let roster = tmp.path().join("roster.csv");
    let out = tmp.path().join("skemaer");
    let run = |rows: &str| {
        std::fs::write(&roster, format!("navn;enhed;leder\n{rows}")).expect("roster");
        mus()
            .args(["generate", "--roster"])
            .arg(&roster)
            .arg("-o")
            .arg(&out)
            .output()
            .expect("runs")
    };
    assert!(run("Anna Berg;IT;Bo\nAnna Berg;HR;Eva\n").status.success());
    let it = out.join("udviklingsplan-anna-berg-it.docx");
    let hr = out.join("udviklingsplan-anna-berg-hr.docx");
    crate::collect::write_held(&it, "1. marts 2027");
    let filled = std::fs::read(&it).expect("it");
    let output = run("Anna Berg;HR;Eva\nAnna Berg;IT;Bo\n");
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert_eq!(std::fs::read(&it).expect("it"), filled, "{err}");
    assert_eq!(err.matches("kept as it is").count(), 1, "{err}");
    let info = crate::support::all_text(&crate::support::body(&hr));
    assert!(
        info.contains("HR") && info.contains("Eva") && !info.contains("Bo"),
        "{info}"
    );
}

/// Issue 24: `collect -o` never replaces a form it reads, also one that an
/// identical copy stands in for (the copy is counted once, the form is read).
#[test]
fn collect_never_writes_over_a_form_that_has_an_identical_copy() {
    let tmp = tempfile::tempdir().expect("tmp");
    let forms = tmp.path().join("skemaer");
    let roster = write_roster(tmp.path(), ROSTER);
    assert!(roster_run(&roster, &forms).status.success());
    let anna = forms.join("udviklingsplan-anna-holm.docx");
    crate::collect::write_held(&anna, "1. marts 2027");
    let copy = forms.join("udviklingsplan-anna-holm - Kopi.docx");
    std::fs::copy(&anna, &copy).expect("copy");
    let before = std::fs::read(&copy).expect("copy");
    for target in [&anna, &copy] {
        let output = mus()
            .arg("collect")
            .arg(&forms)
            .arg("-o")
            .arg(target)
            .arg("--force")
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(std::fs::read(target).expect("kept"), before);
    }
}

/// Issue 24: a standard output that cannot be written is an I/O failure
/// (exit 3, named), not "invalid input" (exit 1, which says nothing was written).
#[test]
#[cfg(target_os = "linux")]
fn a_full_standard_output_exits_3_and_says_so() {
    let tmp = tempfile::tempdir().expect("tmp");
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("mus"));
    let output = cmd
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("MUS_LANG")
        .args(["generate", "-o"])
        .arg(tmp.path().join("ud"))
        .stdout(full)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("<standard output>"),
        "{}",
        stderr(&output)
    );
    assert!(
        tmp.path().join("ud/udviklingsplan.docx").is_file(),
        "the files are in place"
    );
}

/// Issue 24: only a staging folder `mus` made is taken for a dead run's
/// leftover; a user's folder or file that happens to have such a name is
/// left alone, and no run fails over it.
#[test]
fn a_users_own_mus_staging_folder_or_file_is_left_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("ud");
    std::fs::create_dir_all(out.join(".mus-staging-mine")).expect("folder");
    std::fs::write(out.join(".mus-staging-mine/noter.txt"), "mine").expect("file");
    std::fs::write(out.join(".mus-staging-fil"), "mine too").expect("file");
    for _ in 0..2 {
        mus().args(["generate", "-o"]).arg(&out).succeeds();
    }
    assert_eq!(
        std::fs::read_to_string(out.join(".mus-staging-mine/noter.txt")).expect("kept"),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(out.join(".mus-staging-fil")).expect("kept"),
        "mine too"
    );
}

/// Issue 24: `-o` naming a link that points nowhere is refused with what it
/// is and what to do, not "File exists", and nothing is written through it.
#[test]
#[cfg(unix)]
fn an_output_that_is_a_dangling_link_is_refused_with_a_clear_reason() {
    let tmp = tempfile::tempdir().expect("tmp");
    let forms = tmp.path().join("skemaer");
    let roster = write_roster(tmp.path(), ROSTER);
    assert!(roster_run(&roster, &forms).status.success());
    crate::collect::write_held(
        &forms.join("udviklingsplan-anna-holm.docx"),
        "1. marts 2027",
    );
    let link = tmp.path().join("maal.csv");
    let nowhere = tmp.path().join("andet-sted/maal.csv");
    std::os::unix::fs::symlink(&nowhere, &link).expect("link");
    let output = mus()
        .arg("collect")
        .arg(&forms)
        .arg("-o")
        .arg(&link)
        .output()
        .expect("runs");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(!err.contains("File exists"), "{err}");
    assert!(err.contains("maal.csv") && err.contains("link"), "{err}");
    assert!(!nowhere.exists());
}

/// Every file below `dir`, the manifest included, with what tells a file
/// rewritten from one left alone: its inode (Unix) and its mtime. On
/// Windows only the mtime: std gives the file index only on nightly
/// (`windows_by_handle`).
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime)> {
    let mut files = files_below(dir);
    files.push(dir.join(MANIFEST));
    files
        .into_iter()
        .map(|path| {
            let meta = std::fs::metadata(&path).expect("meta");
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let inode = 0;
            (path, (inode, meta.modified().expect("mtime")))
        })
        .collect()
}

#[test]
fn a_re_run_leaves_every_unchanged_file_as_it_was_and_rewrites_only_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&std::ffi::OsStr]| {
        mus()
            .arg("generate")
            .arg(example("eksempelstyrelsen.yaml"))
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1798761600")
            .assert()
            .success();
    };
    // Plain: the guides and the forms for the whole workplace.
    let plain = dir.path().join("plain");
    run(&["-o".as_ref(), plain.as_os_str()]);
    let before = identities(&plain);
    // A rewritten file would get a new mtime even where the inode came back.
    std::thread::sleep(std::time::Duration::from_millis(20));
    run(&["-o".as_ref(), plain.as_os_str()]);
    assert_eq!(identities(&plain), before, "a plain re-run rewrote a file");

    // With a roster: the personal forms too.
    let out = dir.path().join("roster");
    let roster = write_roster(dir.path(), ROSTER);
    let with_roster = [
        "--roster".as_ref(),
        roster.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ];
    run(&with_roster);
    let before = identities(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    run(&with_roster);
    assert_eq!(identities(&out), before, "a roster re-run rewrote a file");

    // Bo moves to another unit: his two documents and the manifest change, nothing else.
    write_roster(
        dir.path(),
        "navn,enhed\nAnna Holm,Kontor for IT\nBo Lund,Kontor for HR\n",
    );
    let contents = snapshot(&out);
    run(&with_roster);
    let after = identities(&out);
    let changed: Vec<String> = before
        .iter()
        .filter(|(path, identity)| after.get(*path) != Some(identity))
        .map(|(path, _)| {
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        changed,
        [
            MANIFEST,
            "samtaleskema-bo-lund.docx",
            "udviklingsplan-bo-lund.docx"
        ],
        "only Bo's documents and the manifest are rewritten"
    );
    let now = snapshot(&out);
    for path in before.keys() {
        let name = path.file_name().expect("name").to_string_lossy();
        assert_eq!(
            now[path] != contents[path],
            changed.iter().any(|c| *c == name),
            "{name}: rewritten exactly when its bytes changed"
        );
    }
}
