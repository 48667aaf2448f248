//! The system's file chooser, awaited: the only way a file's path reaches a command. The page
//! never names a file (a page that could would export over `~/.bashrc` or read any file), so
//! every command that needs one asks the user here, in a dialog the page cannot fill in.
//!
//! Tests cannot click a native dialog, so the chooser can be answered without one: from Rust
//! through [`Chooser::answer_next`] (the mock-runtime tests), or, in debug builds only, from
//! the file named by [`ANSWER_FILE_ENV`] (the WebDriver tests, which start the real binary).
//! Neither is reachable from the page.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{Runtime, Window};
use tauri_plugin_dialog::DialogExt;

use crate::guard::lock;

/// Debug builds only: a file holding the path the next chooser answers with (one line;
/// missing or empty means the user cancelled). Read afresh each time a chooser opens, so a
/// WebDriver test can change the answer between clicks.
pub const ANSWER_FILE_ENV: &str = "TOKEN_DESK_TEST_CHOOSER_ANSWER";

/// The longest answer file read (a path or two).
const MAX_ANSWER_BYTES: u64 = 16 * 1024;

/// Whether the user picks an existing file, names a file to write, or picks a folder.
pub enum Purpose {
    Open,
    /// Save, suggesting this file name.
    Save(&'static str),
    /// A folder to write into (`extension` is then ignored).
    Folder,
}

/// What one chooser asks: its title, and the kind of file it offers.
pub struct Ask<'a> {
    pub title: &'a str,
    /// Described as, e.g. "Profiles (.json)".
    pub kind: &'a str,
    /// Without the dot: "json" (ignored for a folder).
    pub extension: &'a str,
    pub purpose: Purpose,
}

impl<'a> Ask<'a> {
    /// A chooser that opens one existing file of `kind`.
    pub fn open(title: &'a str, kind: &'a str, extension: &'a str) -> Self {
        Self { title, kind, extension, purpose: Purpose::Open }
    }

    /// A chooser for the certificate file (.pem, key and certificate) Stitch issued.
    pub fn certificate(title: &'a str) -> Self {
        Self::open(title, "Certificate (.pem)", "pem")
    }
}

/// The chooser of one app: the system dialog, unless a test queued the answers.
#[derive(Default)]
pub struct Chooser {
    /// Answers queued from Rust: `None` stands for a cancelled chooser.
    answers: Mutex<VecDeque<Option<PathBuf>>>,
    /// The debug builds' answer file, taken from the environment once.
    answer_file: Option<PathBuf>,
    /// The file chosen last, so presenter mode can show it by its name only wherever a
    /// message names it.
    last: Mutex<Option<PathBuf>>,
}

impl Chooser {
    /// The system dialog, or (debug builds) the answer file named in the environment.
    pub fn from_env() -> Self {
        let answer_file =
            if cfg!(debug_assertions) { std::env::var_os(ANSWER_FILE_ENV).map(PathBuf::from) } else { None };
        Self { answers: Mutex::new(VecDeque::new()), answer_file, last: Mutex::new(None) }
    }

    /// Makes the next chooser answer `path` (`None`: the user cancels) without showing a
    /// dialog. For tests; no command calls it.
    pub fn answer_next(&self, path: Option<PathBuf>) {
        lock(&self.answers).push_back(path);
    }

    /// The file chosen last, if any.
    pub fn last_chosen(&self) -> Option<PathBuf> {
        lock(&self.last).clone()
    }

    /// Asks the user for a file over `window`, starting in the home folder; `None` when the
    /// user cancels.
    pub async fn choose<R: Runtime>(&self, window: &Window<R>, ask: Ask<'_>) -> Option<PathBuf> {
        let chosen = self.ask(window, ask).await;
        if chosen.is_some() {
            lock(&self.last).clone_from(&chosen);
        }
        chosen
    }

    async fn ask<R: Runtime>(&self, window: &Window<R>, ask: Ask<'_>) -> Option<PathBuf> {
        let queued = lock(&self.answers).pop_front();
        if let Some(answer) = queued {
            return answer;
        }
        if let Some(file) = &self.answer_file {
            return answer_from(file);
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        let mut dialog = window.dialog().file().set_parent(window).set_title(ask.title);
        if !matches!(ask.purpose, Purpose::Folder) {
            dialog = dialog.add_filter(ask.kind, &[ask.extension]);
        }
        if let Some(home) = std::env::var_os("HOME") {
            dialog = dialog.set_directory(home);
        }
        let done = move |picked| {
            let _ = tx.send(picked);
        };
        match ask.purpose {
            Purpose::Open => dialog.pick_file(done),
            Purpose::Save(name) => dialog.set_file_name(name).save_file(done),
            Purpose::Folder => dialog.pick_folder(done),
        }
        rx.await.ok().flatten().and_then(|p: tauri_plugin_dialog::FilePath| p.into_path().ok())
    }
}

/// The first line of the answer file, if any.
fn answer_from(file: &std::path::Path) -> Option<PathBuf> {
    let bytes = token_desk_core::files::read_limited(file, MAX_ANSWER_BYTES).ok()?.ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.lines().next().map(str::trim).filter(|l| !l.is_empty()).map(PathBuf::from)
}
