//! `mus check`: errors and the service check's warnings, at the right place.

use std::path::{Path, PathBuf};

use crate::support::*;

fn fixtures() -> PathBuf {
    root().join("tests/testsuite/fixtures/check")
}

/// The 1-based line of `file` that contains `needle`.
pub fn line_of(file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(file)
        .expect("fixture")
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in {}", file.display()))
        + 1
}

/// (file name, line, code) of each warning the poor configs must give.
fn expected_warnings() -> Vec<(&'static str, usize, &'static str)> {
    let poor = fixtures().join("poor");
    let at = |file: &'static str, needle: &str| (file, line_of(&poor.join(file), needle));
    let mut out = Vec::new();
    let mut add =
        |(file, line): (&'static str, usize), code: &'static str| out.push((file, line, code));
    add(at("excluded.yaml", "- trivsel"), "basic-topic-excluded");
    add(at("no-follow-up.yaml", "schedule:"), "no-follow-up");
    add(at("dates.yaml", "interviews_to:"), "dates-out-of-order");
    add(at("dates.yaml", "su_evaluation:"), "date-outside-year");
    add(at("dates.yaml", "follow_up_by:"), "early-follow-up");
    add(("long.yaml", 1), "long-interview");
    add(at("questions.yaml", "id: kort"), "few-questions");
    add(at("questions.yaml", "id: langt"), "many-questions");
    add(at("questions.yaml", "Har du det godt"), "closed-question");
    // The second "Hvad lykkedes i år?" is the duplicate.
    let second = line_of(&poor.join("questions.yaml"), "Hvordan arbejder du bedst") + 1;
    add(("questions.yaml", second), "duplicate-question");
    add(at("questions.yaml", "goal_rows:"), "few-goal-rows");
    out
}

#[test]
fn shipped_examples_pass_strict() {
    let output = mus()
        .args(["check", "--strict"])
        .arg(root().join("examples"))
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("checked 4 files: 0 errors, 0 warnings")
    );
}

#[test]
fn poor_configs_give_each_warning_at_its_line_in_text() {
    let output = mus()
        .arg("check")
        .arg(fixtures().join("poor"))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings alone pass without --strict: {stdout}"
    );
    for (file, line, code) in expected_warnings() {
        let wanted = format!("{file}:{line}:");
        assert!(
            stdout.lines().any(|l| l.starts_with("warning: ")
                && l.contains(&wanted)
                && l.ends_with(&format!("[{code}]"))),
            "no `{code}` at {wanted} in:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("  why: "),
        "each warning says why (in English here, see messages.rs)"
    );
}

#[test]
fn poor_configs_give_each_warning_at_its_line_in_json() {
    let output = mus()
        .args(["check", "--format", "json"])
        .arg(fixtures().join("poor"))
        .output()
        .expect("runs");
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("json array");
    for (file, line, code) in expected_warnings() {
        assert!(
            findings
                .iter()
                .any(|f| f["file"].as_str().is_some_and(|p| p.ends_with(file))
                    && f["line"] == line
                    && f["column"].as_u64().is_some()
                    && f["severity"] == "warning"
                    && f["code"] == code
                    && f["message"].as_str().is_some_and(|m| !m.is_empty())),
            "no `{code}` at {file}:{line} in {findings:#?}"
        );
    }
    let long = findings
        .iter()
        .find(|f| f["code"] == "long-interview")
        .expect("long");
    assert!(
        long["message"]
            .as_str()
            .unwrap_or_default()
            .contains("minutes"),
        "states the estimate"
    );
}

#[test]
fn strict_fails_on_warnings() {
    let output = mus()
        .args(["check", "--strict"])
        .arg(fixtures().join("poor/excluded.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn errors_fail_and_every_error_of_every_file_is_reported() {
    let output = mus()
        .arg("check")
        .arg(fixtures().join("broken.yaml"))
        .arg(fixtures().join("poor/excluded.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let broken = fixtures().join("broken.yaml");
    assert!(
        stdout.contains(&format!("broken.yaml:{}:", line_of(&broken, "inovation"))),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "broken.yaml:{}:",
            line_of(&broken, "exclude_topics")
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("[basic-topic-excluded]"),
        "the other file is checked too: {stdout}"
    );
}

#[test]
fn a_folder_without_configs_fails() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let output = mus().arg("check").arg(tmp.path()).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("no config files"));
}

#[test]
fn json_output_keeps_the_summary_on_stderr() {
    let output = mus()
        .args(["check", "--format", "json"])
        .arg(fixtures().join("poor"))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("only json on stdout");
    assert!(!findings.is_empty());
    let files = files_below(&fixtures().join("poor")).len();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("checked {files} files")),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn missing_path_is_an_error_and_no_path_is_usage() {
    let output = mus()
        .args(["check", "findes-ikke.yaml"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let output = mus().arg("check").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

fn check_text(dir: &Path, text: &str) -> (Option<i32>, String) {
    let path = dir.join("mus.yaml");
    std::fs::write(&path, text).expect("write");
    let output = mus()
        .args(["check", "--strict"])
        .arg(&path)
        .output()
        .expect("runs");
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

const ALL_OPTIONAL: &str = "workplace: X\nyear: 2027\noptional_topics: [mobilitet, talent-og-karriere, balance-arbejde-familie, innovation]\nschedule:\n  follow_up_by: 2027-09-30\n";

#[test]
fn long_interview_counts_only_questions_with_a_note_box_against_interview_minutes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Core questions only: 3 + 4 × 2 + 4 × 2 = 19 boxes × 3 + 30 + 10 = 97 minutes.
    let (code, out) = check_text(tmp.path(), ALL_OPTIONAL);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("the interview is estimated at 97 minutes"),
        "{out}"
    );
    assert!(out.contains("19 questions with a note box"), "{out}");
    assert!(out.contains("+ 10 for the opening and close"), "{out}");
    let (code, out) = check_text(
        tmp.path(),
        &format!("{ALL_OPTIONAL}interview_minutes: 120\n"),
    );
    assert_eq!(code, Some(0), "two hours are enough: {out}");
    // Every question boxed: the catalogue's 67 questions.
    let (code, out) = check_text(
        tmp.path(),
        &format!("{ALL_OPTIONAL}interview_minutes: 120\nquestions: all\n"),
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("67 questions with a note box"), "{out}");
}

#[test]
fn allow_warnings_accepts_a_considered_warning_and_refuses_an_unknown_code() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = "workplace: X\nyear: 2027\nexclude_topics: [samarbejde]\nschedule:\n  follow_up_by: 2027-09-30\n";
    let (code, out) = check_text(tmp.path(), base);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("[basic-topic-excluded]"), "{out}");
    let (code, out) = check_text(
        tmp.path(),
        &format!("{base}allow_warnings: [basic-topic-excluded]\n"),
    );
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = check_text(
        tmp.path(),
        &format!("{base}allow_warnings: [basic-topic-exluded]\n"),
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("mus.yaml:6:18: unknown warning `basic-topic-exluded`")
            && out.contains("did you mean `basic-topic-excluded`?"),
        "{out}"
    );
}

#[test]
fn interview_minutes_out_of_range_is_an_error_at_its_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (code, out) = check_text(
        tmp.path(),
        "workplace: X\nyear: 2027\ninterview_minutes: 5\n",
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("mus.yaml:3:20: `interview_minutes` must be between 30 and 240, not 5"),
        "{out}"
    );
}
