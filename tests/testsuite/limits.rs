//! Any input is handled in bounded time and memory: files over a documented
//! size, YAML that multiplies itself through aliases, and deep nesting are
//! refused with a message naming the file; `extends` never shows the text
//! of the file it points at.

use std::path::Path;

use crate::support::{example, mus, stderr};

#[cfg(unix)]
#[test]
fn an_alias_bomb_is_refused_fast_under_a_memory_limit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bomb = tmp.path().join("bomb.yaml");
    // A 1 MB string and 3,000 aliases of it: 3 GB once expanded.
    let mut text = format!(
        "workplace: &big \"{}\"\nyear: 2027\nextra_questions:\n  trivsel: [",
        "x".repeat(1_000_000)
    );
    text.push_str(&vec!["*big"; 3000].join(", "));
    text.push_str("]\n");
    std::fs::write(&bomb, &text).expect("bomb");
    assert!(text.len() < 1_100_000);
    let output = std::process::Command::new("sh")
        .arg("-c")
        // 1.5 GB of address space: plenty for mus, far from the 3 GB the bomb asks for.
        .arg("ulimit -v 1500000 && exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("mus"))
        .arg("generate")
        .arg(&bomb)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("bomb.yaml:"),
        "names the file: {}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("aliases"), "{}", stderr(&output));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_config_over_the_size_limit_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let big = tmp.path().join("stor.yaml");
    let padding = "# fyld\n".repeat(400_000);
    std::fs::write(&big, format!("workplace: X\nyear: 2027\n{padding}")).expect("big");
    let output = mus().arg("check").arg(&big).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("stor.yaml") && out.contains("2 MB"), "{out}");
}

#[test]
fn a_roster_over_the_size_limit_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let roster = tmp.path().join("roster.csv");
    let file = std::fs::File::create(&roster).expect("roster");
    // Sparse: 65 MB long without using the disk.
    file.set_len(65 << 20).expect("length");
    let output = mus()
        .arg("generate")
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg(&roster)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("roster.csv") && stderr(&output).contains("64 MB"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn nesting_beyond_the_limit_is_refused_with_its_place() {
    let tmp = tempfile::tempdir().expect("tmp");
    let deep = tmp.path().join("dyb.yaml");
    std::fs::write(
        &deep,
        format!(
            "workplace: X\nyear: 2027\norder: {}{}\n",
            "[".repeat(5000),
            "]".repeat(5000)
        ),
    )
    .expect("deep");
    let output = mus()
        .arg("generate")
        .arg(&deep)
        .arg("-o")
        .arg(tmp.path().join("o"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("dyb.yaml:3:"),
        "{}",
        stderr(&output)
    );
}

fn unit_extending(dir: &Path, parent: &str) -> std::process::Output {
    let unit = dir.join("enhed.yaml");
    std::fs::write(&unit, format!("extends: {parent}\nunit: Kontor for IT\n")).expect("unit");
    mus().arg("check").arg(&unit).output().expect("runs")
}

#[test]
fn extends_never_shows_the_text_of_the_file_it_points_at() {
    let tmp = tempfile::tempdir().expect("tmp");
    let secret = "hunter2-HEMMELIG";
    std::fs::write(tmp.path().join(".env"), format!("DB_PASSWORD={secret}\n")).expect("env");
    std::fs::write(
        tmp.path().join("shadow"),
        format!("root:{secret}:19000:0:99999:7:::\n"),
    )
    .expect("shadow");
    std::fs::write(
        tmp.path().join("hemmelig.yaml"),
        format!("password: {secret}\n"),
    )
    .expect("yaml");
    std::fs::write(tmp.path().join("tekst.yaml"), format!("\"{secret}\"\n")).expect("scalar");
    for parent in [".env", "shadow", "hemmelig.yaml", "tekst.yaml"] {
        let output = unit_extending(tmp.path(), parent);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(&output)
        );
        assert_eq!(output.status.code(), Some(1), "{parent}: {all}");
        assert!(
            // `root:` as the shadow file has it, not the `root` of a path such
            // as Wine's `C:\users\root\Temp`.
            !all.contains(secret) && !all.contains("password") && !all.contains("root:"),
            "{parent} leaks: {all}"
        );
        assert!(all.contains(parent), "{parent} is named: {all}");
    }
}
