//! The clipboard, written by the backend only (the webview has no clipboard permission), and
//! cleared a while after a copy if it still holds what was copied.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::guard::lock;

/// How long a copied token stays on the clipboard unless `TOKEN_DESK_CLIPBOARD_CLEAR_SECONDS`
/// says otherwise.
pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(60);

/// The environment variable that changes [`DEFAULT_CLEAR_AFTER`] (whole seconds, at least 1).
pub const CLEAR_AFTER_ENV: &str = "TOKEN_DESK_CLIPBOARD_CLEAR_SECONDS";

/// The delay from the value of [`CLEAR_AFTER_ENV`]; the default when unset or not a positive
/// whole number.
pub fn clear_after_from(value: Option<&str>) -> Duration {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_CLEAR_AFTER)
}

/// The environment variable that sets, in milliseconds, how long a "Copied" note stays next
/// to its button (tests shorten it; no test waits out the default on the real clock).
pub const COPIED_NOTE_ENV: &str = "TOKEN_DESK_COPIED_NOTE_MS";

/// How long a "Copied" note stays by default: long enough to read, short enough that it is
/// not taken for news about a later copy.
pub const DEFAULT_COPIED_NOTE: Duration = Duration::from_secs(4);

/// The note's duration from the value of [`COPIED_NOTE_ENV`]; the default when unset or not a
/// positive whole number.
pub fn copied_note_from(value: Option<&str>) -> Duration {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_COPIED_NOTE)
}

/// Plain-text clipboard access.
pub trait TextClipboard: Send + Sync {
    fn write(&self, text: &str) -> Result<(), String>;
    fn read(&self) -> Option<String>;
    fn clear(&self) -> Result<(), String>;
}

/// The system clipboard through Tauri's clipboard plugin. Copies are marked as secret, so
/// clipboard managers that honour the hint keep them out of their history.
pub struct SystemClipboard<R: Runtime>(pub AppHandle<R>);

impl<R: Runtime> TextClipboard for SystemClipboard<R> {
    fn write(&self, text: &str) -> Result<(), String> {
        self.0.clipboard().write_secret(text).map_err(|e| e.to_string())
    }

    fn read(&self) -> Option<String> {
        self.0.clipboard().read_text().ok()
    }

    fn clear(&self) -> Result<(), String> {
        self.0.clipboard().clear().map_err(|e| e.to_string())
    }
}

/// A clipboard in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryClipboard(Mutex<Option<String>>);

impl MemoryClipboard {
    /// What it holds now.
    pub fn text(&self) -> Option<String> {
        lock(&self.0).clone()
    }

    /// Another program copying something.
    pub fn put(&self, text: &str) {
        *lock(&self.0) = Some(text.to_owned());
    }
}

impl TextClipboard for MemoryClipboard {
    fn write(&self, text: &str) -> Result<(), String> {
        self.put(text);
        Ok(())
    }

    fn read(&self) -> Option<String> {
        self.text()
    }

    fn clear(&self) -> Result<(), String> {
        *lock(&self.0) = None;
        Ok(())
    }
}

/// Copies text and clears it again after a delay, unless something else was copied since
/// (by this app or another program).
pub struct Copier {
    clipboard: Arc<dyn TextClipboard>,
    clear_after: Duration,
    /// Counts copies, so a timer only clears its own copy.
    copies: Arc<AtomicU64>,
}

impl Copier {
    pub fn new(clipboard: Arc<dyn TextClipboard>, clear_after: Duration) -> Self {
        Self { clipboard, clear_after, copies: Arc::new(AtomicU64::new(0)) }
    }

    pub fn clear_after(&self) -> Duration {
        self.clear_after
    }

    /// Writes `text` and schedules the clearing on the async runtime.
    pub fn copy(&self, text: String) -> Result<(), String> {
        self.clipboard.write(&text)?;
        let this_copy = self.copies.fetch_add(1, Ordering::AcqRel) + 1;
        let (clipboard, copies, delay) = (self.clipboard.clone(), self.copies.clone(), self.clear_after);
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(delay).await;
            // Reading the clipboard may wait on another program: keep it off the async workers.
            let _ = tokio::task::spawn_blocking(move || {
                let still_ours = copies.load(Ordering::Acquire) == this_copy;
                if still_ours && clipboard.read().as_deref() == Some(text.as_str()) {
                    let _ = clipboard.clear();
                }
            })
            .await;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_note_lasts_four_seconds_unless_told_in_milliseconds() {
        assert_eq!(copied_note_from(None), Duration::from_secs(4));
        assert_eq!(copied_note_from(Some("800")), Duration::from_millis(800));
        assert_eq!(copied_note_from(Some("0")), Duration::from_secs(4));
        assert_eq!(copied_note_from(Some("soon")), Duration::from_secs(4));
    }

    #[test]
    fn the_clear_delay_defaults_to_a_minute_and_reads_whole_seconds() {
        assert_eq!(clear_after_from(None), Duration::from_secs(60));
        assert_eq!(clear_after_from(Some("2")), Duration::from_secs(2));
        assert_eq!(clear_after_from(Some(" 5 ")), Duration::from_secs(5));
        assert_eq!(clear_after_from(Some("0")), Duration::from_secs(60));
        assert_eq!(clear_after_from(Some("soon")), Duration::from_secs(60));
    }
}
