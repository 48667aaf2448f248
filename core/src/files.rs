//! What every file Token Desk touches needs: reading only a regular file and only up to a cap
//! (a path may name `/dev/zero` or a FIFO), writing so a crash loses nothing, and taking turns
//! with other Token Desk processes (the window and any number of commands).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, flushed to
/// disk, then renamed over `path` (a rename within one file system is atomic on POSIX and
/// NTFS). A crash at any moment leaves either the old file or the new one, never half of
/// either, and no temporary file survives a failed write. The file is readable by its owner
/// only (0600 on Unix).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut file = private_options().write(true).create_new(true).open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    // Make the rename itself durable: flush the folder's entry list (POSIX; a no-op elsewhere).
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("there is no such file")]
    NotFound,
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    /// `size` is what the file claimed, or `limit + 1` when it grew while being read.
    #[error("it is {size} bytes, more than the {limit} allowed")]
    TooLarge { limit: u64, size: u64 },
    #[error("it could not be read ({0})")]
    Io(String),
}

impl FileError {
    fn from_io(e: &std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => FileError::NotFound,
            kind => FileError::Io(kind.to_string()),
        }
    }
}

/// Reads at most `limit` bytes of the regular file at `path`: the one way Token Desk reads a
/// file it is pointed at (a certificate, an import, the settings). The file is opened without
/// blocking (so a FIFO with no writer cannot hang the reader), the open handle is checked to
/// be a regular file (so `/dev/zero`, a FIFO, a socket or a folder is refused, and a file
/// swapped after a check cannot slip in), and at most `limit + 1` bytes are read, whatever
/// size the file claims.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    use std::io::Read;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc_nonblock());
    let file = options.open(path).map_err(|e| FileError::from_io(&e))?;
    let meta = file.metadata().map_err(|e| FileError::from_io(&e))?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(kind_of(&meta)));
    }
    if meta.len() > limit {
        return Err(FileError::TooLarge { limit, size: meta.len() });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| FileError::from_io(&e))?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { limit, size: bytes.len() as u64 });
    }
    Ok(bytes)
}

/// `O_NONBLOCK`: on a regular file it changes nothing; on a FIFO it makes `open` return at
/// once instead of waiting for a writer.
#[cfg(unix)]
fn libc_nonblock() -> i32 {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    return 0o4000;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    return 0x0004;
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "something else"
}

/// Reads a file of at most `limit` bytes through [`read_capped`]; a larger file gives its
/// limit as `Err(size)`. Kept for callers that only tell "too large" from "unreadable".
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    match read_capped(path, limit) {
        Ok(bytes) => Ok(Ok(bytes)),
        Err(FileError::TooLarge { size, .. }) => Ok(Err(size)),
        Err(FileError::NotFound) => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        Err(e) => Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string())),
    }
}

/// An exclusive advisory lock on a file, held until dropped (and released by the operating
/// system if the process dies, so a crash never leaves a stale lock behind).
#[derive(Debug)]
pub struct HeldLock {
    _file: File,
    path: PathBuf,
}

impl HeldLock {
    /// Waits until no other process holds the lock on `path` and takes it. The lock file is
    /// created if needed and never holds data.
    pub fn exclusive(path: &Path) -> std::io::Result<Self> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        let file = private_options().read(true).write(true).create(true).truncate(false).open(path)?;
        file.lock()?;
        Ok(Self { _file: file, path: path.to_owned() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Creates `dir` (and its parents) readable by the owner only, where the platform allows.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(read_capped(&path, 64).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("settings.json")]);
    }

    #[test]
    fn a_failed_atomic_write_keeps_the_old_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        write_atomically(&path, b"old").unwrap();
        // Renaming a file over a non-empty folder fails after the temporary file was written.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("x"), b"x").unwrap();
        assert!(write_atomically(&blocked, b"new").is_err());
        assert_eq!(read_capped(&path, 64).unwrap(), b"old");
        let temps = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(temps, 0);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 100]).unwrap();
        assert_eq!(read_limited(&path, 99).unwrap(), Err(100));
        assert_eq!(read_capped(&path, 99), Err(FileError::TooLarge { limit: 99, size: 100 }));
        assert_eq!(read_limited(&path, 100).unwrap().unwrap().len(), 100);
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert_eq!(read_capped(&fifo, 1024), Err(FileError::NotRegular("a pipe (FIFO)")));
        assert_eq!(read_capped(Path::new("/dev/zero"), 1024), Err(FileError::NotRegular("a device")));
        assert_eq!(read_capped(dir.path(), 1024), Err(FileError::NotRegular("a folder")));
        assert_eq!(read_capped(&dir.path().join("none"), 1024), Err(FileError::NotFound));
    }

    #[test]
    fn a_second_lock_on_the_same_file_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks/key.lock");
        let first = HeldLock::exclusive(&path).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        let waiter = std::thread::spawn(move || {
            let _second = HeldLock::exclusive(&p).unwrap();
            tx.send(()).unwrap();
        });
        assert!(rx.recv_timeout(std::time::Duration::from_millis(150)).is_err(), "the second lock waited");
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(5)).expect("the second lock was taken after the first");
        waiter.join().unwrap();
    }
}
