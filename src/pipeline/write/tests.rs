//! The write stage's own tests: the transaction, the manifest, the rename.

use super::*;

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

fn write(dir: &Path, files: &[(&str, &[u8])], force: bool) -> Result<()> {
    let out = Output::open(dir, force)?;
    out.claim(files.iter().map(|(n, _)| (*n, InTheWay::Refuse)), &[])?;
    for (name, bytes) in files {
        out.stage(name, bytes)?;
    }
    out.commit()
}

fn manifest(dir: &Path) -> String {
    fs::read_to_string(dir.join(MANIFEST)).expect("manifest")
}

#[test]
fn the_manifest_is_merged_in_name_order_as_it_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[("b.docx", b"b"), ("d.docx", b"d"), ("a.docx", b"a")],
        false,
    )
    .expect("first run");
    // A file that is gone is forgotten; one not written again is kept.
    fs::remove_file(dir.path().join("d.docx")).expect("rm");
    write(dir.path(), &[("c.docx", b"c"), ("a.docx", b"a2")], false).expect("second run");
    let hash = |bytes: &[u8]| blake3::hash(bytes).to_hex().to_string();
    let expected = serde_json::json!({
        "about": MANIFEST_ABOUT,
        "files": {"a.docx": hash(b"a2"), "b.docx": hash(b"b"), "c.docx": hash(b"c")},
    });
    // The same text serde_json writes, so earlier manifests read the same.
    let pretty = serde_json::to_string_pretty(&expected).expect("json") + "\n";
    assert_eq!(manifest(dir.path()), pretty);
    let read = Manifest::read(dir.path()).expect("manifest");
    assert_eq!(read.files.len(), 3);
    assert_eq!(read.files["b.docx"].hash.hex(), hash(b"b"));
}

#[test]
fn an_empty_manifest_is_valid_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), &[], false).expect("run");
    let read: Manifest = serde_json::from_str(&manifest(dir.path())).expect("json");
    assert!(read.files.is_empty());
    assert!(manifest(dir.path()).contains("\"files\": {}"));
}

/// An output on `dir`; `look_first` takes the way of systems without
/// `RENAME_NOREPLACE`.
fn open_small(dir: &Path, force: bool, look_first: bool) -> Output {
    let mut out = Output::open(dir, force).expect("open");
    out.look_first = look_first;
    out
}

/// Every file in `dir` (not below it) and its text; a folder as `None`.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<String>> {
    names(dir)
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let text = path
                .is_file()
                .then(|| String::from_utf8(fs::read(&path).expect("read")).expect("text"));
            (name, text)
        })
        .collect()
}

#[test]
fn files_staged_from_many_threads_in_any_order_give_the_manifest_of_a_sequential_run() {
    let hash = |bytes: &[u8]| blake3::hash(bytes).to_hex().to_string();
    let count = 101;
    let names: Vec<String> = (0..count)
        .map(|i| format!("samtaleskema-{i:03}.docx"))
        .collect();
    let bytes = |name: &str| format!("form of {name}").into_bytes();

    let sequential = tempfile::tempdir().expect("tempdir");
    let out = Output::open(sequential.path(), false).expect("open");
    for name in &names {
        out.stage(name, &bytes(name)).expect("stage");
    }
    out.commit().expect("commit");

    let shuffled = tempfile::tempdir().expect("tempdir");
    let out = open_small(shuffled.path(), false, false);
    let decisions = out
        .claim(names.iter().map(|n| (n.as_str(), InTheWay::Refuse)), &[])
        .expect("claim");
    assert!(decisions.iter().all(|d| *d == Decision::Write));
    let order: Vec<&String> = (0..count).map(|i| &names[(i * 37 + 11) % count]).collect();
    std::thread::scope(|scope| {
        for part in order.chunks(13) {
            let out = &out;
            scope.spawn(move || {
                for name in part {
                    out.stage(name, &bytes(name)).expect("stage");
                }
            });
        }
    });
    out.commit().expect("commit");

    assert_eq!(manifest(shuffled.path()), manifest(sequential.path()));
    let written: serde_json::Value =
        serde_json::from_str(&manifest(shuffled.path())).expect("json");
    let files = written["files"].as_object().expect("files");
    let listed: Vec<&String> = files.keys().collect();
    assert_eq!(listed, names.iter().collect::<Vec<_>>());
    for name in &names {
        assert_eq!(files[name], hash(&bytes(name)));
        assert_eq!(
            fs::read(shuffled.path().join(name)).expect("file"),
            bytes(name)
        );
    }
}

#[test]
fn a_file_that_comes_into_the_way_during_the_run_is_not_replaced() {
    for look_first in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[("a.docx", b"a")], false).expect("first run");
        let before = snapshot(dir.path());
        let names: Vec<String> = (0..20).map(|i| format!("m{i:02}.docx")).collect();
        let out = open_small(dir.path(), false, look_first);
        out.claim(names.iter().map(|n| (n.as_str(), InTheWay::Keep)), &[])
            .expect("claim: all absent");
        for name in &names {
            out.stage(name, b"ours").expect("stage");
        }
        // Someone saves a file under a name claim found free.
        fs::write(dir.path().join("m13.docx"), b"theirs").expect("theirs");
        let err = out.commit().expect_err("m13 is in the way");
        assert_eq!(err.exit_code(), 1);
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.code, "output-in-the-way");
        assert!(diagnostic.file.ends_with("m13.docx"), "{diagnostic}");
        assert_eq!(diagnostic.message, State::Unknown.describe());
        let mut expected = before.clone();
        expected.insert("m13.docx".into(), Some("theirs".into()));
        // Intact, with no other file of the run and no manifest entry.
        assert_eq!(snapshot(dir.path()), expected, "look_first: {look_first}");

        // With --force it is replaced, as claim would have let it be.
        let out = open_small(dir.path(), true, look_first);
        out.claim([("m13.docx", InTheWay::Keep)], &[])
            .expect("claim");
        fs::write(dir.path().join("m13.docx"), b"theirs again").expect("theirs");
        out.stage("m13.docx", b"ours").expect("stage");
        out.commit().expect("--force replaces it");
        assert_eq!(fs::read(dir.path().join("m13.docx")).expect("m13"), b"ours");
    }
}

#[test]
fn a_file_changed_between_claim_and_commit_is_not_replaced() {
    for look_first in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let names: Vec<String> = (0..10).map(|i| format!("f{i}.docx")).collect();
        let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"v1"[..])).collect();
        write(dir.path(), &files, false).expect("first run");
        let mut expected = snapshot(dir.path());
        expected.insert("f6.docx".into(), Some("filled in".into()));
        let out = open_small(dir.path(), false, look_first);
        let decisions = out
            .claim(names.iter().map(|n| (n.as_str(), InTheWay::Keep)), &[])
            .expect("claim");
        assert!(
            decisions.iter().all(|d| *d == Decision::Write),
            "all as written"
        );
        for name in &names {
            out.stage(name, b"v2").expect("stage");
        }
        fs::write(dir.path().join("f6.docx"), b"filled in").expect("edit");
        let err = out.commit().expect_err("f6 was changed");
        assert_eq!(err.exit_code(), 1);
        assert_eq!(err.diagnostics()[0].message, State::Changed.describe());
        assert_eq!(snapshot(dir.path()), expected, "look_first: {look_first}");

        // The unchanged files mus wrote are replaced.
        fs::remove_file(dir.path().join("f6.docx")).expect("rm");
        let out = open_small(dir.path(), false, look_first);
        out.claim(names.iter().map(|n| (n.as_str(), InTheWay::Refuse)), &[])
            .expect("claim");
        for name in &names {
            out.stage(name, b"v3").expect("stage");
        }
        out.commit().expect("re-run");
        for name in &names {
            assert_eq!(fs::read(dir.path().join(name)).expect("file"), b"v3");
        }
        let read = Manifest::read(dir.path()).expect("manifest");
        assert_eq!(read.files.len(), names.len());
        assert!(
            read.files
                .values()
                .all(|h| h.hash.0 == *blake3::hash(b"v3").as_bytes())
        );
    }
}

#[test]
fn a_failed_rename_in_the_middle_of_a_commit_puts_the_folder_back() {
    for look_first in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let old: Vec<String> = (0..40).map(|i| format!("f{i:02}.docx")).collect();
        let first: Vec<(&str, &[u8])> = old.iter().map(|n| (n.as_str(), &b"v1"[..])).collect();
        write(dir.path(), &first, false).expect("first run");
        let before = snapshot(dir.path());
        // New files sort before the old ones, so both kinds are moved
        // before the rename that fails.
        let new: Vec<String> = (0..10).map(|i| format!("e{i:02}.docx")).collect();
        let out = open_small(dir.path(), false, look_first);
        let all = old.iter().chain(&new);
        out.claim(all.clone().map(|n| (n.as_str(), InTheWay::Refuse)), &[])
            .expect("claim");
        for name in all.rev() {
            out.stage(name, b"v2").expect("stage");
        }
        // The staged f25 is gone: its rename fails as on a failing disk.
        fs::remove_file(out.staging_dir().join("f25.docx")).expect("rm");
        let err = out.commit().expect_err("f25 cannot be moved");
        assert_eq!(err.exit_code(), 3);
        assert!(err.to_string().contains("f25.docx"), "{err}");
        assert_eq!(snapshot(dir.path()), before, "look_first: {look_first}");
    }
}

#[test]
fn a_folder_in_the_way_at_commit_stops_it_and_puts_earlier_files_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), &[("a.docx", b"old a")], false).expect("first run");
    // A folder where the second file should go: never replaced, not
    // even with --force.
    fs::create_dir(dir.path().join("b.docx")).expect("b");
    fs::write(dir.path().join("b.docx/keep"), b"x").expect("keep");
    let out = Output::open(dir.path(), true).expect("open");
    out.stage("a.docx", b"new a").expect("a");
    out.stage("b.docx", b"new b").expect("b");
    let err = out.commit().expect_err("b cannot be written");
    assert_eq!(err.exit_code(), 1);
    assert_eq!(err.diagnostics()[0].message, State::NotAFile.describe());
    assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"old a");
    assert!(dir.path().join("b.docx/keep").is_file());
    assert_eq!(names(dir.path()), [MANIFEST, "a.docx", "b.docx"]);
}

#[test]
fn a_name_not_in_the_folder_when_it_was_opened_is_known_to_be_absent() {
    let mut set = FolderNames::default();
    for name in [
        "Samtaleskema-Anna.docx",
        "samtaleskema-\u{212a}im.docx",
        "samtaleskema-ro\u{17f}a.docx",
        "samtaleskema-\u{e5}se.docx",
    ] {
        set.insert(std::ffi::OsStr::new(name));
    }
    assert!(set.may_hold("Samtaleskema-Anna.docx"));
    // A folder that ignores case or normalisation holds these too.
    assert!(set.may_hold("samtaleskema-anna.docx"));
    assert!(
        set.may_hold("samtaleskema-kim.docx"),
        "the Kelvin sign is k"
    );
    assert!(set.may_hold("samtaleskema-rosa.docx"), "a long s is s");
    assert!(
        set.may_hold("samtaleskema-a\u{30a}se.docx"),
        "not ASCII: looked up"
    );
    assert!(set.may_hold("Samtaleskema-\u{c5}se.docx"));
    assert!(!set.may_hold("samtaleskema-bo.docx"));
    assert!(
        !set.may_hold("samtaleskema-se.docx"),
        "names are kept whole, not as keys that two names can share"
    );
    assert!(
        set.may_hold("sub/samtaleskema-bo.docx"),
        "a path is looked up"
    );
    set.unknown = true;
    assert!(set.may_hold("samtaleskema-bo.docx"));

    // A file in the folder is still found by claim.
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("x.docx"), b"theirs").expect("x");
    let out = Output::open(dir.path(), false).expect("open");
    assert!(out.present.may_hold("x.docx"));
    assert!(!out.present.may_hold("y.docx"));
    let kept = out
        .claim(
            [("x.docx", InTheWay::Keep), ("y.docx", InTheWay::Keep)],
            &[],
        )
        .expect("claim");
    assert_eq!(kept, [Decision::Keep, Decision::Write]);
}

#[test]
fn an_unchanged_file_is_replaced_and_a_changed_one_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), &[("a.docx", b"v1"), ("b.docx", b"v1")], false).expect("first");
    write(dir.path(), &[("a.docx", b"v2")], false).expect("unchanged a is ours");
    assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"v2");
    fs::write(dir.path().join("b.docx"), b"filled in").expect("edit");
    let err = write(dir.path(), &[("a.docx", b"v3"), ("b.docx", b"v3")], false)
        .expect_err("b was changed");
    assert_eq!(err.exit_code(), 1);
    assert_eq!(err.diagnostics()[0].code, "output-in-the-way");
    // Nothing written, not even the file that could have been.
    assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"v2");
    assert_eq!(
        fs::read(dir.path().join("b.docx")).expect("b"),
        b"filled in"
    );
    write(dir.path(), &[("b.docx", b"v3")], true).expect("--force");
    assert_eq!(fs::read(dir.path().join("b.docx")).expect("b"), b"v3");
}

#[test]
fn a_file_mus_did_not_write_is_refused_or_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("x.docx"), b"theirs").expect("x");
    let out = Output::open(dir.path(), false).expect("open");
    let refused = out.claim([("x.docx", InTheWay::Refuse)], &[]);
    assert!(refused.is_err());
    let kept = out.claim([("x.docx", InTheWay::Keep)], &[]).expect("kept");
    assert_eq!(kept, [Decision::Keep]);
}

#[test]
fn a_folder_in_the_way_is_refused_even_with_force_and_the_hint_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("x.docx")).expect("x");
    let out = Output::open(dir.path(), true).expect("open");
    let Err(err) = out.claim([("x.docx", InTheWay::Keep)], &[]) else {
        panic!("a folder in the way must be refused, also with --force");
    };
    let diagnostic = &err.diagnostics()[0];
    assert_eq!(diagnostic.code, "output-in-the-way");
    assert_eq!(
        diagnostic.hint.as_deref(),
        Some(crate::msg!("write.not-a-file.hint").as_ref())
    );
}

#[test]
fn a_second_run_on_a_locked_folder_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = Output::open(dir.path(), false).expect("first");
    let Err(err) = Output::open(dir.path(), false) else {
        panic!("second run must be refused");
    };
    assert_eq!(err.diagnostics()[0].code, "output-locked");
    drop(first);
    Output::open(dir.path(), false).expect("free again");
    assert_eq!(
        names(dir.path()),
        Vec::<String>::new(),
        "no lock or staging left"
    );
}

#[cfg(unix)]
#[test]
fn files_are_readable_by_others_and_a_replaced_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), &[("x.docx", b"x")], false).expect("written");
    let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let path = dir.path().join("x.docx");
    assert_eq!(mode(&path), 0o644);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
    write(dir.path(), &[("x.docx", b"y")], false).expect("replaced");
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_read_only_file_replaced_and_a_read_only_leftover_leave_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), &[("x.docx", b"v1")], false).expect("first run");
    let path = dir.path().join("x.docx");
    let mut permissions = fs::metadata(&path).expect("meta").permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions).expect("read-only");
    // Its backup is read-only too, and goes with the staging folder.
    write(dir.path(), &[("x.docx", b"v2")], false).expect("replaced");
    assert_eq!(fs::read(&path).expect("x"), b"v2");
    assert_eq!(names(dir.path()), [MANIFEST, "x.docx"]);

    // What a killed run left, with a read-only file in it, is removed.
    let leftover = dir.path().join(format!("{STAGING_PREFIX}dead"));
    fs::create_dir_all(leftover.join(".replaced")).expect("leftover");
    fs::write(leftover.join(STAGING_MARK), b"").expect("mus's mark");
    let saved = leftover.join(".replaced").join("x.docx");
    fs::write(&saved, b"v0").expect("saved");
    let mut permissions = fs::metadata(&saved).expect("meta").permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&saved, permissions).expect("read-only");
    let out = Output::open(dir.path(), false).expect("open");
    assert_eq!(out.removed_leftovers, [leftover]);
    drop(out);
    assert_eq!(names(dir.path()), [MANIFEST, "x.docx"]);
}

#[cfg(windows)]
#[test]
fn a_file_held_open_by_another_program_stops_the_run_naming_it_and_nothing_is_written() {
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_SHARE_READ: u32 = 1;
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), &[("a.docx", b"v1"), ("b.docx", b"v1")], false).expect("first run");
    let before = snapshot(dir.path());
    // Word opens a document letting others read it, not write, move or delete it.
    let held = fs::OpenOptions::new()
        .read(true)
        .share_mode(FILE_SHARE_READ)
        .open(dir.path().join("b.docx"))
        .expect("held open");
    let err = write(dir.path(), &[("a.docx", b"v2"), ("b.docx", b"v2")], false)
        .expect_err("b.docx is held open");
    assert_eq!(err.exit_code(), 1, "{err}");
    let diagnostic = &err.diagnostics()[0];
    assert_eq!(diagnostic.code, "output-held-open");
    assert!(diagnostic.file.ends_with("b.docx"), "{diagnostic}");
    assert_eq!(
        diagnostic.hint.as_deref(),
        Some(crate::msg!("write.held-open.hint").as_ref())
    );
    drop(held);
    // a.docx, moved before b.docx failed, is put back.
    assert_eq!(snapshot(dir.path()), before);
    write(dir.path(), &[("a.docx", b"v2"), ("b.docx", b"v2")], false).expect("closed, it runs");
}

#[cfg(windows)]
#[test]
fn on_windows_a_file_that_appears_at_the_last_moment_is_not_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let staging = dir.path().join("staging");
    fs::create_dir(&staging).expect("staging");
    fs::write(staging.join("a.docx"), b"ours").expect("ours");
    fs::write(dir.path().join("a.docx"), b"theirs").expect("theirs");
    let mut renamer = Renamer::new(&staging, dir.path(), true);
    let err = renamer.rename_new("a.docx").expect_err("in the way");
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    let err = rename_into_place(&staging.join("a.docx"), &dir.path().join("a.docx"))
        .expect_err("in the way");
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    assert_eq!(fs::read(dir.path().join("a.docx")).expect("a"), b"theirs");
    fs::remove_file(dir.path().join("a.docx")).expect("rm");
    assert!(
        renamer.rename_new("a.docx").expect("moved"),
        "moved in one call"
    );
}

#[test]
fn files_in_a_folder_below_are_written_recorded_and_judged_as_the_folders_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: [(&str, &[u8]); 3] = [
        ("anna-berg/a.docx", b"a"),
        ("bo-holm/b.docx", b"b"),
        ("g.docx", b"g"),
    ];
    for look_first in [false, true] {
        let out = open_small(dir.path(), false, look_first);
        out.claim(files.iter().map(|(n, _)| (*n, InTheWay::Refuse)), &[])
            .expect("claim");
        for (name, bytes) in files {
            out.stage(name, bytes).expect("stage");
        }
        out.commit().expect("commit");
        assert_eq!(
            names(dir.path()),
            [MANIFEST, "anna-berg", "bo-holm", "g.docx"]
        );
        assert_eq!(
            fs::read(dir.path().join("anna-berg/a.docx")).expect("a"),
            b"a"
        );
        let read = Manifest::read(dir.path()).expect("manifest");
        assert_eq!(
            read.files.keys().map(|k| &**k).collect::<Vec<_>>(),
            ["anna-berg/a.docx", "bo-holm/b.docx", "g.docx"]
        );
    }
    // A file in a folder changed since is refused as one at the top would be.
    fs::write(dir.path().join("bo-holm/b.docx"), b"filled in").expect("fill");
    let err = write(dir.path(), &files, false).expect_err("a changed file is refused");
    assert_eq!(err.exit_code(), 1);
    assert!(err.to_string().contains("b.docx"), "{err}");
}

#[test]
fn a_failed_commit_removes_the_folders_it_made_and_keeps_those_that_were_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), &[("anna-berg/a.docx", b"v1")], false).expect("first run");
    let out = Output::open(dir.path(), false).expect("open");
    let files = ["anna-berg/a.docx", "carl-dahl/c.docx", "dina-eng/d.docx"];
    out.claim(files.iter().map(|n| (*n, InTheWay::Refuse)), &[])
        .expect("claim");
    for name in files {
        out.stage(name, b"v2").expect("stage");
    }
    // The last file cannot be moved: the run fails after making two folders.
    fs::remove_file(out.staging_dir().join("dina-eng/d.docx")).expect("rm");
    out.commit().expect_err("d cannot be moved");
    assert_eq!(names(dir.path()), [MANIFEST, "anna-berg"]);
    assert_eq!(
        fs::read(dir.path().join("anna-berg/a.docx")).expect("a"),
        b"v1"
    );
}

#[test]
fn a_file_where_a_folder_goes_stops_the_run_and_is_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("anna-berg"), b"someone's notes").expect("file");
    let err = write(
        dir.path(),
        &[("anna-berg/a.docx", b"a"), ("g.docx", b"g")],
        true,
    )
    .expect_err("no folder can be made");
    assert_eq!(err.exit_code(), 1);
    assert_eq!(err.diagnostics()[0].message, State::NotAFile.describe());
    assert_eq!(
        fs::read(dir.path().join("anna-berg")).expect("kept"),
        b"someone's notes"
    );
    assert_eq!(names(dir.path()), ["anna-berg"]);
}
