//! Every file `mus` opens by name or finds in a folder is a regular file, or
//! it is refused with an error naming it, before it is opened: a FIFO would
//! make the open wait forever, and a device such as `/dev/zero` never ends.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{MANIFEST, example, mus, stderr};

/// Long enough for a slow machine, far shorter than forever.
const PATIENCE: Duration = Duration::from_secs(60);

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs `command`, which must fail at once with exit 1 and an error naming
/// `file` and `what` (`FIFO`, `link`, …).
fn assert_refused(mut command: assert_cmd::Command, file: &Path, what: &str) {
    let output = command.timeout(PATIENCE).output().expect("runs");
    // `check` reports on stdout, the other commands on stderr.
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    );
    assert_eq!(output.status.code(), Some(1), "{text}");
    let name = file.file_name().expect("a name").to_string_lossy();
    assert!(text.contains(&*name), "names {name}: {text}");
    assert!(text.contains(what), "says {what}: {text}");
}

fn generate(dir: &Path) -> assert_cmd::Command {
    let mut command = mus();
    command
        .current_dir(dir)
        .arg("generate")
        .arg("-o")
        .arg(dir.join("out"));
    command
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_house_file_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().expect("tmp");
    let fifo = tmp.path().join("husstil.docx");
    mkfifo(&fifo);
    let mut command = generate(tmp.path());
    command.arg("--reference-doc").arg(&fifo);
    assert_refused(command, &fifo, "FIFO");
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_config_or_the_config_it_extends_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().expect("tmp");
    let fifo = tmp.path().join("mus.yaml");
    mkfifo(&fifo);
    let mut command = generate(tmp.path());
    command.arg(&fifo);
    assert_refused(command, &fifo, "FIFO");

    let parent = tmp.path().join("faelles.yaml");
    mkfifo(&parent);
    let child = tmp.path().join("enhed.yaml");
    std::fs::write(&child, "extends: faelles.yaml\n").expect("config");
    let mut command = generate(tmp.path());
    command.arg(&child);
    assert_refused(command, &parent, "FIFO");
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_roster_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().expect("tmp");
    let fifo = tmp.path().join("medarbejdere.csv");
    mkfifo(&fifo);
    let mut command = generate(tmp.path());
    command
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg(&fifo);
    assert_refused(command, &fifo, "FIFO");
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_concept_s_topics_is_refused_without_waiting() {
    let tmp = tempfile::tempdir().expect("tmp");
    let concept = tmp.path().join("koncept");
    std::fs::create_dir(&concept).expect("folder");
    let fifo = concept.join("topics.yaml");
    mkfifo(&fifo);
    let mut command = generate(tmp.path());
    command.arg("--concept").arg(&concept);
    assert_refused(command, &fifo, "FIFO");
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_config_in_a_checked_folder_is_named_not_waited_for() {
    let tmp = tempfile::tempdir().expect("tmp");
    let configs = tmp.path().join("konfig");
    std::fs::create_dir(&configs).expect("folder");
    std::fs::copy(example("eksempelstyrelsen.yaml"), configs.join("a.yaml")).expect("copy");
    let fifo = configs.join("b.yaml");
    mkfifo(&fifo);
    let mut command = mus();
    command.arg("check").arg(&configs);
    assert_refused(command, &fifo, "FIFO");
    // Given by name, too.
    let mut command = mus();
    command.arg("check").arg(&fifo);
    assert_refused(command, &fifo, "FIFO");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_folder_in_the_templates_folder_is_refused_not_passed_over() {
    let tmp = tempfile::tempdir().expect("tmp");
    let templates = tmp.path().join("skabeloner");
    std::fs::create_dir(&templates).expect("folder");
    let fifo = templates.join("samtaleskema.md.j2");
    mkfifo(&fifo);
    let mut command = generate(tmp.path());
    command.arg("--templates").arg(&templates);
    assert_refused(command, &fifo, "FIFO");

    std::fs::remove_file(&fifo).expect("remove");
    std::fs::create_dir(&fifo).expect("a folder in its place");
    let mut command = generate(tmp.path());
    command.arg("--templates").arg(&templates);
    assert_refused(command, &fifo, "folder");
}

/// An output folder holding `name` made by `make`, after a first run.
fn output_with(tmp: &Path, name: &str, make: impl Fn(&Path)) -> PathBuf {
    generate(tmp).assert().success();
    let path = tmp.join("out").join(name);
    std::fs::remove_file(&path).ok();
    make(&path);
    path
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_manifest_or_the_lock_is_refused_without_waiting() {
    for name in [MANIFEST, ".mus-lock"] {
        let tmp = tempfile::tempdir().expect("tmp");
        let fifo = output_with(tmp.path(), name, mkfifo);
        assert_refused(generate(tmp.path()), &fifo, "FIFO");
    }
}

#[cfg(unix)]
#[test]
fn a_manifest_linked_to_dev_zero_fails_at_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let link = output_with(tmp.path(), MANIFEST, |path| {
        std::os::unix::fs::symlink("/dev/zero", path).expect("link");
    });
    let started = std::time::Instant::now();
    assert_refused(generate(tmp.path()), &link, "link");
    assert!(started.elapsed() < Duration::from_secs(20), "fails fast");
}

#[cfg(unix)]
#[test]
fn a_device_as_an_input_is_refused_without_reading_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut command = generate(tmp.path());
    command
        .arg(example("eksempelstyrelsen.yaml"))
        .arg("--roster")
        .arg("/dev/zero");
    assert_refused(command, Path::new("/dev/zero"), "device");
}
