//! How long the page's timers that people see run: Show's linger once focus has left the
//! secret, Reveal's countdown, and a "Copied" note. The page asks once (`timers`) instead of
//! keeping its own numbers, so the durations have one home and a test can shorten them
//! through the environment and wait for the change instead of sleeping out 20 s.

use std::time::Duration;

use serde::Serialize;

use crate::clipboard::{copied_note_from, COPIED_NOTE_ENV};
use crate::try_it::payment_request::{status_check_from, STATUS_CHECK_ENV};

/// The environment variable that sets, in milliseconds, how long Show lingers once focus has
/// left the secret field.
pub const SHOW_LINGER_ENV: &str = "TOKEN_DESK_SHOW_LINGER_MS";

/// Show never lingers for long: a secret readable on screen is a secret someone behind you
/// can read.
pub const DEFAULT_SHOW_LINGER: Duration = Duration::from_secs(20);

/// The environment variable that sets, in whole seconds (the countdown shows whole seconds),
/// how long Reveal shows the token.
pub const REVEAL_ENV: &str = "TOKEN_DESK_REVEAL_SECONDS";

/// How long Reveal shows the token before it hides again, counting down on screen.
pub const DEFAULT_REVEAL: Duration = Duration::from_secs(20);

/// The environment variable that sets, in milliseconds, how long one second of a countdown
/// people see lasts (Reveal's "Hides again in N s"): the countdown's clock, which tests run
/// fast so that none waits out whole seconds.
pub const COUNTDOWN_SECOND_ENV: &str = "TOKEN_DESK_COUNTDOWN_SECOND_MS";

/// The durations the page's timers use.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Timers {
    pub show_linger_ms: u64,
    pub reveal_seconds: u64,
    /// How long one second of Reveal's countdown lasts: 1000 ms but in tests.
    pub countdown_second_ms: u64,
    pub copied_note_ms: u64,
    /// How often Try it reads a pending payment request's state again.
    pub status_check_ms: u64,
}

impl Timers {
    /// The durations from `var` (an environment lookup): each knob a positive whole number,
    /// otherwise its default.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Self {
        let number = |name: &str| var(name).and_then(|v| v.trim().parse::<u64>().ok()).filter(|n| *n > 0);
        Self {
            show_linger_ms: number(SHOW_LINGER_ENV).unwrap_or(DEFAULT_SHOW_LINGER.as_millis() as u64),
            reveal_seconds: number(REVEAL_ENV).unwrap_or(DEFAULT_REVEAL.as_secs()),
            countdown_second_ms: number(COUNTDOWN_SECOND_ENV).unwrap_or(1_000),
            copied_note_ms: copied_note_from(var(COPIED_NOTE_ENV).as_deref()).as_millis() as u64,
            status_check_ms: status_check_from(var(STATUS_CHECK_ENV).as_deref()).as_millis() as u64,
        }
    }
}

/// The durations of Show's linger, Reveal's countdown and a "Copied" note.
#[tauri::command]
pub fn timers() -> Timers {
    Timers::from_env(|name| std::env::var(name).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Timers {
        Timers::from_env(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn show_and_reveal_last_20_seconds_and_a_copied_note_4_unless_told_otherwise() {
        assert_eq!(
            with(&[]),
            Timers {
                show_linger_ms: 20_000,
                reveal_seconds: 20,
                countdown_second_ms: 1_000,
                copied_note_ms: 4_000,
                status_check_ms: 5_000
            }
        );
    }

    #[test]
    fn each_knob_sets_its_own_timer() {
        let set =
            [(SHOW_LINGER_ENV, "1500"), (REVEAL_ENV, "3"), (COUNTDOWN_SECOND_ENV, "250"), (COPIED_NOTE_ENV, "800")];
        assert_eq!(
            with(&set),
            Timers {
                show_linger_ms: 1_500,
                reveal_seconds: 3,
                countdown_second_ms: 250,
                copied_note_ms: 800,
                status_check_ms: 5_000
            }
        );
    }

    #[test]
    fn a_zero_or_a_word_leaves_the_default() {
        let set = [(SHOW_LINGER_ENV, "0"), (REVEAL_ENV, "soon"), (COPIED_NOTE_ENV, "-1")];
        assert_eq!(with(&set), with(&[]));
    }
}
