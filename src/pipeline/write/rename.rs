//! Moving a staged file into place without replacing what came in the way.

use std::fs;
use std::io;
use std::path::Path;
#[cfg(windows)]
use std::path::PathBuf;

/// Renames staged files into the output folder without replacing anything,
/// where the system can: on Linux `renameat2` with `RENAME_NOREPLACE`,
/// relative to the two folders opened once; on Windows `MoveFileExW`
/// without `MOVEFILE_REPLACE_EXISTING`.
pub(super) struct Renamer {
    /// The staging folder and the output folder; `None` where renaming
    /// without replacing is not to be had.
    #[cfg(target_os = "linux")]
    dirs: Option<(rustix::fd::OwnedFd, rustix::fd::OwnedFd)>,
    #[cfg(windows)]
    dirs: Option<(PathBuf, PathBuf)>,
}

impl Renamer {
    /// `without_replacing`: try `RENAME_NOREPLACE` at all.
    pub(super) fn new(staging: &Path, dir: &Path, without_replacing: bool) -> Renamer {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            use std::os::unix::ffi::OsStrExt;
            let open = |path: &Path| {
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(path.as_os_str().as_bytes(), flags, Mode::empty()).ok()
            };
            Renamer {
                dirs: match without_replacing {
                    true => open(staging).zip(open(dir)),
                    false => None,
                },
            }
        }
        #[cfg(windows)]
        {
            Renamer {
                dirs: without_replacing.then(|| (staging.to_path_buf(), dir.to_path_buf())),
            }
        }
        #[cfg(not(any(target_os = "linux", windows)))]
        {
            let _ = (staging, dir, without_replacing);
            Renamer {}
        }
    }

    /// Moves `name` from the staging folder into the output folder unless
    /// something is there: `Ok(true)` when moved, an error of kind
    /// `AlreadyExists` when something is in the way, `Ok(false)` when the
    /// system cannot tell (neither Linux nor Windows, or a filesystem without
    /// `RENAME_NOREPLACE`, such as an SMB share): then the caller looks.
    pub(super) fn rename_new(&mut self, name: &str) -> io::Result<bool> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::RenameFlags;
            use rustix::io::Errno;
            let Some((staging, dir)) = &self.dirs else {
                return Ok(false);
            };
            match rustix::fs::renameat_with(staging, name, dir, name, RenameFlags::NOREPLACE) {
                Ok(()) => Ok(true),
                Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {
                    // Not here: look before each rename from now on.
                    self.dirs = None;
                    Ok(false)
                }
                Err(err) => Err(io::Error::from_raw_os_error(err.raw_os_error())),
            }
        }
        #[cfg(windows)]
        {
            let Some((staging, dir)) = &self.dirs else {
                return Ok(false);
            };
            let target = super::names::path_in(dir, name);
            match crate::platform::rename_without_replacing(
                &super::names::path_in(staging, name),
                &target,
            ) {
                Ok(()) => Ok(true),
                // A folder in the way gives "access denied": the caller looks.
                Err(err)
                    if err.kind() != io::ErrorKind::AlreadyExists
                        && fs::symlink_metadata(&target).is_ok() =>
                {
                    Ok(false)
                }
                Err(err) => Err(err),
            }
        }
        #[cfg(not(any(target_os = "linux", windows)))]
        {
            let _ = name;
            Ok(false)
        }
    }
}

/// Renames `target` to `backup` and `from` to `target`, giving the new file
/// the `permissions` of the one it replaces; on failure `target` is put back.
pub(super) fn replace(
    from: &Path,
    target: &Path,
    backup: &Path,
    permissions: fs::Permissions,
) -> io::Result<()> {
    fs::set_permissions(from, permissions)?;
    fs::rename(target, backup)?;
    rename_into_place(from, target).inspect_err(|_| {
        let _ = fs::rename(backup, target);
    })
}

/// Renames `from` to `target`, where nothing was a moment ago. On Windows
/// it refuses to replace a file that came there meanwhile (`std::fs::rename`
/// would replace it); elsewhere it is `std::fs::rename`.
pub(super) fn rename_into_place(from: &Path, target: &Path) -> io::Result<()> {
    #[cfg(windows)]
    return crate::platform::rename_without_replacing(from, target);
    #[cfg(not(windows))]
    fs::rename(from, target)
}
