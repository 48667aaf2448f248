//! The clipboard, written by the backend only (the webview has no clipboard permission), and
//! cleared a while after a copy if it still holds what was copied.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::guard::lock;

/// How long a copied token stays on the clipboard unless [`CLEAR_AFTER_MS_ENV`] or
/// [`CLEAR_AFTER_ENV`] says otherwise.
pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(60);

/// The environment variable that changes [`DEFAULT_CLEAR_AFTER`], in milliseconds (at least 1):
/// tests run the clearing in a moment instead of waiting whole seconds.
pub const CLEAR_AFTER_MS_ENV: &str = "TOKEN_DESK_CLIPBOARD_CLEAR_MS";

/// The older variable that changes [`DEFAULT_CLEAR_AFTER`] in whole seconds (at least 1); it
/// still works, and [`CLEAR_AFTER_MS_ENV`] wins when both are set.
pub const CLEAR_AFTER_ENV: &str = "TOKEN_DESK_CLIPBOARD_CLEAR_SECONDS";

/// The delay from the values of [`CLEAR_AFTER_MS_ENV`] and [`CLEAR_AFTER_ENV`]: the first that
/// is a positive whole number, else the default.
pub fn clear_after_from(ms: Option<&str>, seconds: Option<&str>) -> Duration {
    let positive = |v: Option<&str>| v.and_then(|v| v.trim().parse::<u64>().ok()).filter(|n| *n > 0);
    positive(ms)
        .map(Duration::from_millis)
        .or_else(|| positive(seconds).map(Duration::from_secs))
        .unwrap_or(DEFAULT_CLEAR_AFTER)
}

/// The delay this process was started with ([`clear_after_from`] of its environment).
pub fn clear_after_from_env() -> Duration {
    let var = |name| std::env::var(name).ok();
    clear_after_from(var(CLEAR_AFTER_MS_ENV).as_deref(), var(CLEAR_AFTER_ENV).as_deref())
}

/// The whole seconds "The clipboard will be cleared in N s" says for `delay`: rounded up, so
/// the note never promises a clearing sooner than it comes (and never says 0 s).
pub fn seconds_shown(delay: Duration) -> u64 {
    delay.as_millis().div_ceil(1000).max(1) as u64
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
        self.copy_with_timer(text).map(drop)
    }

    /// [`Copier::copy`], returning the clearing's timer: it ends once the delay is over and the
    /// clipboard was cleared (or left alone), so a test waits for exactly that, not for a clock.
    pub fn copy_with_timer(&self, text: String) -> Result<tauri::async_runtime::JoinHandle<()>, String> {
        self.clipboard.write(&text)?;
        let this_copy = self.copies.fetch_add(1, Ordering::AcqRel) + 1;
        let (clipboard, copies, delay) = (self.clipboard.clone(), self.copies.clone(), self.clear_after);
        Ok(tauri::async_runtime::spawn(async move {
            tokio::time::sleep(delay).await;
            // Reading the clipboard may wait on another program: keep it off the async workers.
            let _ = tokio::task::spawn_blocking(move || {
                let still_ours = copies.load(Ordering::Acquire) == this_copy;
                if still_ours && clipboard.read().as_deref() == Some(text.as_str()) {
                    let _ = clipboard.clear();
                }
            })
            .await;
        }))
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
    fn the_clear_delay_defaults_to_a_minute_and_reads_milliseconds_or_whole_seconds() {
        assert_eq!(clear_after_from(None, None), Duration::from_secs(60));
        assert_eq!(clear_after_from(Some("1500"), None), Duration::from_millis(1500));
        assert_eq!(clear_after_from(Some("1500"), Some("5")), Duration::from_millis(1500));
        assert_eq!(clear_after_from(None, Some("2")), Duration::from_secs(2));
        assert_eq!(clear_after_from(Some("0"), Some(" 5 ")), Duration::from_secs(5));
        assert_eq!(clear_after_from(Some("soon"), Some("0")), Duration::from_secs(60));
        assert_eq!(clear_after_from(None, Some("soon")), Duration::from_secs(60));
    }

    #[test]
    fn the_note_rounds_the_delay_up_to_whole_seconds() {
        assert_eq!(seconds_shown(Duration::from_secs(60)), 60);
        assert_eq!(seconds_shown(Duration::from_millis(2000)), 2);
        assert_eq!(seconds_shown(Duration::from_millis(1500)), 2);
        assert_eq!(seconds_shown(Duration::from_millis(30)), 1);
    }

    /// A copier over a clipboard in memory that clears after `ms` milliseconds.
    fn copier(ms: u64) -> (Arc<MemoryClipboard>, Copier) {
        let clipboard = Arc::new(MemoryClipboard::default());
        (clipboard.clone(), Copier::new(clipboard, Duration::from_millis(ms)))
    }

    #[test]
    fn a_copy_is_cleared_once_its_delay_is_over() {
        let (clipboard, copier) = copier(20);
        let timer = copier.copy_with_timer("token".into()).unwrap();
        assert_eq!(clipboard.text().as_deref(), Some("token"));
        tauri::async_runtime::block_on(timer).unwrap();
        assert_eq!(clipboard.text(), None);
    }

    // Moved here from tests/app_commands.rs, where they slept on the real clock with 0.7 s of
    // slack: waiting for each copy's own timer needs none.
    #[test]
    fn the_clipboard_is_left_alone_if_something_else_was_copied_since() {
        let (clipboard, copier) = copier(20);
        let timer = copier.copy_with_timer("token".into()).unwrap();
        clipboard.put("a note the user copied");
        tauri::async_runtime::block_on(timer).unwrap();
        assert_eq!(clipboard.text().as_deref(), Some("a note the user copied"));
    }

    /// A clipboard in memory whose reads wait until the test opens the gate (10 s at most), so
    /// a timer that reads it cannot clear it before the test has looked.
    #[derive(Default)]
    struct Gated {
        inner: MemoryClipboard,
        open: Mutex<bool>,
        opened: std::sync::Condvar,
    }

    impl Gated {
        fn open(&self) {
            *lock(&self.open) = true;
            self.opened.notify_all();
        }
    }

    impl TextClipboard for Gated {
        fn write(&self, text: &str) -> Result<(), String> {
            self.inner.write(text)
        }

        fn read(&self) -> Option<String> {
            let open = lock(&self.open);
            let _open = self.opened.wait_timeout_while(open, Duration::from_secs(10), |open| !*open);
            self.inner.read()
        }

        fn clear(&self) -> Result<(), String> {
            self.inner.clear()
        }
    }

    #[test]
    fn a_newer_copy_is_not_cleared_by_the_timer_of_an_older_one() {
        let clipboard = Arc::new(Gated::default());
        let copier = Copier::new(clipboard.clone(), Duration::from_millis(20));
        let older = copier.copy_with_timer("token".into()).unwrap();
        let newer = copier.copy_with_timer("token".into()).unwrap();
        // The older copy's timer must leave the newer copy (same text) alone without reading
        // it; the newer one's waits at the gate meanwhile.
        tauri::async_runtime::block_on(older).unwrap();
        assert!(clipboard.inner.text().is_some(), "cleared by the older copy's timer");
        clipboard.open();
        tauri::async_runtime::block_on(newer).unwrap();
        assert_eq!(clipboard.inner.text(), None);
    }
}
