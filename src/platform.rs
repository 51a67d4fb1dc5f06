//! What differs between Windows and Unix, in one place: how a path is
//! written in machine-readable output, how a file held open by another
//! program is told, and how files are moved and removed where Windows
//! works otherwise than Unix.

use std::io;
use std::path::Path;

/// `path` as machine-readable output writes it (`--json` path fields, the
/// collected CSV's `file` column): parts joined by `/` on every system, so a
/// script or a spreadsheet reads the same text whichever system made it.
/// Windows accepts `/` wherever it accepts `\`. On Unix a `\` is a letter of
/// a file name and is kept.
pub fn machine_path(path: &Path) -> String {
    let text = path.display().to_string();
    if cfg!(windows) {
        with_slashes(&text)
    } else {
        text
    }
}

/// `text` with every `\` as `/`: the Windows half of [`machine_path`].
fn with_slashes(text: &str) -> String {
    text.replace('\\', "/")
}

/// A zip package another crate wrote (rust_xlsxwriter's workbooks) written
/// again as made on Unix. The zip crate records the system it runs on in
/// every entry ("version made by": DOS on Windows), so the same workbook
/// would be other bytes on Windows; our own packages set the system where
/// they are written. Entries keep their order, names, times and
/// compression; permissions are rust_xlsxwriter's own (0600).
pub fn zip_made_on_unix(bytes: Vec<u8>) -> io::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut archive = zip::ZipArchive::new(io::Cursor::new(bytes)).map_err(io::Error::other)?;
    let mut out = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(io::Error::other)?;
        let options = SimpleFileOptions::default()
            .compression_method(entry.compression())
            .last_modified_time(entry.last_modified().unwrap_or_default())
            .unix_permissions(0o600)
            .system(zip::System::Unix);
        let name = entry.name().map_err(io::Error::other)?.into_owned();
        out.start_file(name, options).map_err(io::Error::other)?;
        io::copy(&mut entry, &mut out)?;
    }
    Ok(out.finish().map_err(io::Error::other)?.into_inner())
}

/// Whether `err` says another program holds the file open: on Windows
/// `ERROR_SHARING_VIOLATION` (32) or `ERROR_LOCK_VIOLATION` (33), as Word
/// gives for a document it has open. Unix lets a file be replaced however
/// it is open, so there it is never the case.
pub fn is_sharing_violation(err: &io::Error) -> bool {
    cfg!(windows) && matches!(err.raw_os_error(), Some(32 | 33))
}

/// Clears the read-only flag of `dir` and everything below it (not
/// following links), so it can be removed where removing is refused for
/// such a file: Windows on FAT, exFAT and some network shares, which have
/// no POSIX delete to ignore the flag. On Unix, where a file's own mode does
/// not keep it from being removed, this walks nothing.
pub fn make_removable(dir: &Path) {
    if cfg!(windows) {
        clear_read_only_below(dir);
    }
}

/// The work of [`make_removable`], on every system (so it is tested on Unix too).
fn clear_read_only_below(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_symlink() {
            continue;
        }
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        let mut permissions = metadata.permissions();
        if !permissions.readonly() {
            continue;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            permissions.set_mode(permissions.mode() | 0o200);
        }
        #[cfg(not(unix))]
        permissions.set_readonly(false);
        let _ = std::fs::set_permissions(entry.path(), permissions);
    }
}

/// Keeps glibc's malloc giving every large block (over 128 KB) a mapping of
/// its own, as it does at the start: by default it raises that threshold to
/// the size of each large block freed, and from then on the growing lists of
/// a roster run (planned forms, staged files) are copied inside the heap as
/// they grow and leave holes there. Measured at 100,000 rows: 38 MB with this,
/// 46–54 MB without (`bench/README.md`). Elsewhere it does nothing.
pub fn keep_large_blocks_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes a setting of the allocator; it is called
    // at the start of `main`, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Renames `from` to `to` unless something is at `to`: then an error of
/// kind `AlreadyExists`. `MoveFileExW` without `MOVEFILE_REPLACE_EXISTING`
/// (`std::fs::rename` passes it, and so replaces). The file system decides,
/// in one call, so no file that appears meanwhile is replaced. A hard link
/// and a removal would do the same, but FAT and exFAT have no hard links.
#[cfg(windows)]
pub fn rename_without_replacing(from: &Path, to: &Path) -> io::Result<()> {
    use windows_sys::Win32::Storage::FileSystem::MoveFileExW;
    let (from, to) = (wide(from)?, wide(to)?);
    // SAFETY: both are NUL-terminated UTF-16 strings that outlive the call.
    match unsafe { MoveFileExW(from.as_ptr(), to.as_ptr(), 0) } {
        0 => Err(io::Error::last_os_error()),
        _ => Ok(()),
    }
}

/// `path` as a NUL-terminated wide string for a Windows call: absolute, and
/// as a `\\?\` path when long, so the 260-character limit (`MAX_PATH`) of
/// the plain form does not apply, as `std::fs` does it.
#[cfg(windows)]
fn wide(path: &Path) -> io::Result<Vec<u16>> {
    use std::os::windows::ffi::OsStrExt;
    let absolute = std::path::absolute(path)?;
    let text = absolute.as_os_str();
    // 248: a folder's limit (MAX_PATH less a short name), on the safe side.
    let mut wide: Vec<u16> = match text.to_str() {
        Some(t) if t.len() >= 248 && t.starts_with(r"\\?\") => text.encode_wide().collect(),
        Some(t) if t.len() >= 248 && t.starts_with(r"\\") => r"\\?\UNC\"
            .encode_utf16()
            .chain(t[2..].encode_utf16())
            .collect(),
        Some(t) if t.len() >= 248 => r"\\?\".encode_utf16().chain(t.encode_utf16()).collect(),
        _ => text.encode_wide().collect(),
    };
    wide.push(0);
    Ok(wide)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_path_is_written_with_slashes() {
        assert_eq!(
            with_slashes(r"ud\samtaleskemaer\samtaleskema-anna.docx"),
            "ud/samtaleskemaer/samtaleskema-anna.docx"
        );
        assert_eq!(with_slashes(r"C:\mus\ud"), "C:/mus/ud");
    }

    #[test]
    fn a_path_with_slashes_is_written_as_it_is_on_every_system() {
        let path = Path::new("ud").join("samtaleskema-anna.docx");
        assert_eq!(machine_path(&path), "ud/samtaleskema-anna.docx");
    }

    #[cfg(unix)]
    #[test]
    fn a_backslash_in_a_unix_file_name_is_kept() {
        assert_eq!(machine_path(Path::new(r"ud/a\b.docx")), r"ud/a\b.docx");
    }

    #[cfg(windows)]
    #[test]
    fn a_windows_path_made_by_join_is_written_with_slashes() {
        let path = Path::new(r"C:\mus").join("ud").join("a.docx");
        assert_eq!(machine_path(&path), "C:/mus/ud/a.docx");
    }

    #[test]
    fn only_a_windows_sharing_or_lock_violation_is_a_file_held_open() {
        assert!(!is_sharing_violation(&io::Error::other("in use")));
        assert!(!is_sharing_violation(
            &io::ErrorKind::PermissionDenied.into()
        ));
        // Unix error 32 is EPIPE, 33 EDOM: nothing to do with another program.
        for code in [32, 33] {
            let err = io::Error::from_raw_os_error(code);
            assert_eq!(is_sharing_violation(&err), cfg!(windows), "{code}");
        }
    }

    #[test]
    fn read_only_files_and_folders_below_a_folder_are_made_writable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).expect("sub");
        let file = sub.join("a.docx");
        std::fs::write(&file, b"a").expect("a");
        for path in [&file, &sub] {
            let mut permissions = std::fs::metadata(path).expect("meta").permissions();
            permissions.set_readonly(true);
            std::fs::set_permissions(path, permissions).expect("read-only");
        }
        clear_read_only_below(dir.path());
        for path in [&file, &sub] {
            let permissions = std::fs::metadata(path).expect("meta").permissions();
            assert!(!permissions.readonly(), "{}", path.display());
        }
        std::fs::remove_dir_all(&sub).expect("removable");
    }

    #[cfg(windows)]
    #[test]
    fn a_rename_without_replacing_moves_a_file_and_refuses_one_in_the_way() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        std::fs::write(&from, b"ours").expect("from");
        rename_without_replacing(&from, &to).expect("moved");
        assert_eq!(std::fs::read(&to).expect("to"), b"ours");
        std::fs::write(&from, b"ours again").expect("from");
        let err = rename_without_replacing(&from, &to).expect_err("in the way");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&to).expect("to"), b"ours", "not replaced");
        // A path longer than MAX_PATH is moved too.
        let deep = dir.path().join("d".repeat(120)).join("e".repeat(120));
        std::fs::create_dir_all(&deep).expect("deep");
        let long = deep.join("f".repeat(40));
        rename_without_replacing(&from, &long).expect("a long path");
        assert!(long.is_file());
    }

    /// A zip of one part, made as on `system`.
    fn zip_made_on(system: zip::System) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .system(system);
        zip.start_file("xl/workbook.xml", options).expect("start");
        zip.write_all(b"<workbook>Sj\xc3\xa6lland</workbook>")
            .expect("write");
        zip.finish().expect("finish").into_inner()
    }

    #[test]
    fn a_workbook_made_on_windows_is_the_same_bytes_as_one_made_on_unix() {
        let dos = zip_made_on(zip::System::Dos);
        let unix = zip_made_on(zip::System::Unix);
        assert_ne!(dos, unix, "the zip crate records the system");
        let from_dos = zip_made_on_unix(dos).expect("rewritten");
        assert_eq!(from_dos, zip_made_on_unix(unix).expect("rewritten"));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(from_dos)).expect("zip");
        let mut entry = archive.by_index(0).expect("entry");
        assert_eq!(entry.system(), zip::System::Unix);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).expect("read");
        assert_eq!(text, "<workbook>Sjælland</workbook>");
    }
}
