//! `mus init`: a starter config that passes the strict check and generates.

use crate::support::*;

#[test]
fn starter_config_passes_strict_check_and_generates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    mus().current_dir(tmp.path()).arg("init").succeeds();
    let config = tmp.path().join("mus.yaml");
    let text = std::fs::read_to_string(&config).expect("written");
    assert!(text.starts_with("# yaml-language-server: $schema=mus.schema.json\n"));
    assert!(
        tmp.path().join("mus.schema.json").is_file(),
        "the schema the first line points to"
    );
    for id in [
        "mobilitet",
        "talent-og-karriere",
        "balance-arbejde-familie",
        "innovation",
    ] {
        assert!(
            text.contains(&format!("#   - {id}")),
            "optional topic {id} listed, commented out"
        );
    }
    let check = mus()
        .args(["check", "--strict"])
        .arg(&config)
        .output()
        .expect("runs");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(String::from_utf8_lossy(&check.stderr).contains("0 errors, 0 warnings"));
    mus()
        .args(["generate", "-o"])
        .arg(tmp.path().join("out"))
        .arg(&config)
        .succeeds();
}

#[test]
fn refuses_to_overwrite_unless_forced() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = tmp.path().join("mus.yaml");
    std::fs::write(&config, "min egen\n").expect("write");
    let output = mus().arg("init").arg(&config).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&config).expect("read"),
        "min egen\n"
    );
    let output = mus()
        .args(["init", "--force"])
        .arg(&config)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        std::fs::read_to_string(&config)
            .expect("read")
            .contains("workplace:")
    );
}
