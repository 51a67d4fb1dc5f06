//! The same `mus` on Windows and Linux: the name it calls itself, the paths
//! scripts read, and the bytes of a whole roster round. CI runs this module
//! in both lanes (natively, and as `mus.exe` under Wine) and compares the
//! digests the round test leaves in `MUS_ROUND_DIGESTS`.

use std::path::Path;

use crate::collect::{write_goals, write_held};
use crate::support::*;

#[test]
fn help_and_errors_say_mus_whatever_the_binary_is_called() {
    // A copy under another name stands for `mus.exe`: clap would otherwise
    // take its name from how the program was started.
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir
        .path()
        .join(format!("renamed-tool{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(assert_cmd::cargo::cargo_bin("mus"), &copy).expect("copy");
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::new(&copy);
        for var in ["MUS_LANG", "LC_ALL", "LC_MESSAGES"] {
            cmd.env_remove(var);
        }
        let output = cmd.env("LANG", "C").args(args).output().expect("runs");
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    let help = run(&["--help"]);
    assert!(help.contains("Usage: mus [OPTIONS]"), "{help}");
    let init = run(&["init", "--help"]);
    assert!(init.contains("Usage: mus init"), "{init}");
    let error = run(&["no-such-command"]);
    assert!(error.contains("Usage: mus "), "{error}");
    for text in [help, init, error] {
        assert!(!text.contains("renamed-tool"), "{text}");
    }
}

/// Every file below `dir`, by its path relative to `dir` with `/`, and the
/// BLAKE3 hash of its bytes; one line each, in name order.
fn digests(dir: &Path) -> String {
    let mut lines: Vec<String> = files_below(dir)
        .iter()
        .map(|file| {
            let relative = file.strip_prefix(dir).expect("below");
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let bytes = std::fs::read(file).expect("read");
            format!("{}  {}", blake3::hash(&bytes).to_hex(), parts.join("/"))
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn a_roster_round_gives_the_same_bytes_on_every_system() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::copy(example("eksempelstyrelsen.yaml"), root.join("mus.yaml")).expect("config");
    std::fs::write(
        root.join("roster.csv"),
        "navn;leder;enhed;dato\nSøren Ærø;Bodil Åen;Økonomi;2027-02-01\n\
         Anna Hansen;Bodil Åen;Økonomi;2027-02-15\nBo Vestergaard;Bodil Åen;Økonomi;2027-02-16\n\
         Jens Kjær;Bodil Åen;Økonomi;2027-02-17\nMaja Lind;Bodil Åen;Økonomi;2027-02-18\n",
    )
    .expect("roster");
    // Relative paths only, so both systems print the same ones.
    let run = |args: &[&str]| {
        let mut cmd = mus();
        cmd.current_dir(root)
            .env("SOURCE_DATE_EPOCH", "1800000000")
            .args(args);
        cmd.succeeds().stdout
    };
    let out = root.join("out");
    std::fs::create_dir(&out).expect("out");
    let generated = run(&[
        "generate",
        "--json",
        "--roster",
        "roster.csv",
        "-o",
        "ud/runde",
        "mus.yaml",
    ]);
    std::fs::write(out.join("generate.json"), &generated).expect("json");
    let json: serde_json::Value = serde_json::from_slice(&generated).expect("json");
    for file in json["files"].as_array().expect("files") {
        let path = file["path"].as_str().expect("path");
        assert!(path.starts_with("ud/runde/"), "{path}");
        assert!(!path.contains('\\'), "{path}");
    }

    // The five interviews were held and their goals agreed: a block of
    // five, so the report has figures and a chart (with its workbook).
    let forms = root.join("ud").join("runde");
    for file in files_below(&forms) {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if name.starts_with("udviklingsplan-") {
            write_held(&file, "3. marts 2027");
            write_goals(&file, &["Blive bedre til Excel", "Lede et lille projekt"]);
        }
    }
    let collected = run(&["collect", "ud/runde", "--format", "json"]);
    std::fs::write(out.join("collect.json"), &collected).expect("json");
    run(&["collect", "ud/runde", "-o", "out/indsamlet.csv"]);
    run(&["collect", "ud/runde", "-o", "out/indsamlet.xlsx"]);
    let csv = std::fs::read_to_string(out.join("indsamlet.csv")).expect("csv");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{csv}");
    for row in rows {
        assert!(row.starts_with("ud/runde/udviklingsplan-"), "{row}");
    }
    run(&[
        "report",
        "out/indsamlet.csv",
        "mus.yaml",
        "-o",
        "out/rapport.docx",
    ]);
    // The forms as filled in are the test's, not mus's: only mus's own files count.
    let mut listing = digests(&out);
    for file in files_below(&forms) {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if !name.starts_with("udviklingsplan-") {
            let bytes = std::fs::read(&file).expect("read");
            listing.push_str(&format!(
                "{}  ud/runde/{name}\n",
                blake3::hash(&bytes).to_hex()
            ));
        }
    }
    assert!(listing.contains("rapport.docx"), "{listing}");
    assert!(listing.contains("indsamlet.xlsx"), "{listing}");
    let report = part(&out.join("rapport.docx"), "word/document.xml");
    assert!(report.contains("<c:chart"), "the report has its chart");
    if let Some(to) = std::env::var_os("MUS_ROUND_DIGESTS") {
        std::fs::write(to, listing).expect("digests");
    }
}

#[cfg(windows)]
#[test]
fn with_no_locale_variable_set_help_is_in_the_windows_display_language() {
    let mut cmd = assert_cmd::Command::cargo_bin("mus").expect("binary");
    for var in ["MUS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    let output = cmd.arg("--help").succeeds();
    let text = String::from_utf8_lossy(&output.stdout);
    let heading = match mus::messages::system_language() {
        Some(mus::Language::Da) => "Kommandoer:",
        _ => "Commands:",
    };
    assert!(text.contains(heading), "{text}");
}
