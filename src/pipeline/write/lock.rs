//! The lock that keeps two runs out of one folder.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::manifest::own_file_is_regular;
use crate::error::{Diagnostic, Error, Result};

/// The lock file of a run writing into a folder.
pub const LOCK: &str = ".mus-lock";

/// The lock of one run on an output folder, released when dropped (or when
/// the process ends, however it ends).
pub(super) struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    pub(super) fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK);
        for _ in 0..3 {
            own_file_is_regular(&path)?;
            let mut options = fs::OpenOptions::new();
            options.create(true).truncate(false).write(true);
            // A FIFO put there after the check fails the open at once, not waits for a reader.
            #[cfg(target_os = "linux")]
            std::os::unix::fs::OpenOptionsExt::custom_flags(
                &mut options,
                (rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW).bits() as i32,
            );
            let file = options.open(&path).map_err(|err| Error::io(&path, err))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Diagnostic::new(
                        dir.display().to_string(),
                        None,
                        crate::msg!("write.locked"),
                    )
                    .with_hint(crate::msg!("write.locked.hint", lock = path.display()))
                    .with_code("output-locked")
                    .into());
                }
                Err(fs::TryLockError::Error(err)) => return Err(Error::io(&path, err)),
            }
            // A run that just finished may have removed the file we locked: lock the one that is there.
            let current = same_file::Handle::from_path(&path).ok();
            let ours =
                same_file::Handle::from_file(file.try_clone().map_err(|e| Error::io(&path, e))?)
                    .ok();
            if current.is_some() && current == ours {
                return Ok(Lock { path, _file: file });
            }
        }
        Err(Error::io(
            &path,
            std::io::Error::other("the lock file keeps being replaced by other runs"),
        ))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}
