//! What differs between Windows and Unix, in one place: how a path is
//! written in machine-readable output.

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
}
