//! Presenter mode: the window on a shared screen. While it is on, the backend never hands the
//! page the whole token (Reveal is refused), and what it shows of client ids and certificate
//! thumbprints (inspector, code snippets, the form's own display, error messages) is shortened
//! by the engine's `shorten` rules, and a certificate's or company CA's path is shown by its
//! file name only. The flag lives here, apart from `AppState`, so the mode is one switch.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use tauri::State;
use token_desk_core::inspect::Exchange;
use token_desk_core::{shorten, Failure};

use crate::state::AppState;
use crate::view::ErrorView;

/// The command-line flag that starts the window in presenter mode.
pub const FLAG: &str = "--presenter";

/// Whether presenter mode is on, for every command.
#[derive(Debug, Default)]
pub struct Presenter {
    on: AtomicBool,
}

impl Presenter {
    pub fn new(on: bool) -> Self {
        Self { on: AtomicBool::new(on) }
    }

    /// On when the arguments (after the program name) hold `--presenter`.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Self {
        Self::new(args.into_iter().skip(1).any(|a| a == FLAG))
    }

    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::Acquire)
    }

    pub fn set(&self, on: bool) {
        self.on.store(on, Ordering::Release);
    }

    /// Refuses to hand out the whole token while on.
    pub fn refuse_reveal(&self) -> Result<(), Failure> {
        match self.is_on() {
            true => Err(Failure::bad_input("Presenter mode is on, so the token stays hidden. Copy still works.")),
            false => Ok(()),
        }
    }

    /// An inspector record, shortened while on.
    pub fn exchange(&self, e: Exchange) -> Exchange {
        if self.is_on() {
            shorten::exchange(&e, &[])
        } else {
            e
        }
    }

    /// A text naming `client_id` (a code snippet), shortened while on.
    pub fn text(&self, text: String, client_id: &str) -> String {
        if self.is_on() {
            shorten::in_text(&text, &[client_id], &[])
        } else {
            text
        }
    }

    /// A file's path as the page shows it: while on, its file name only.
    pub fn path(&self, path: &Path) -> String {
        let shown = path.display().to_string();
        if self.is_on() {
            shorten::file_name(&shown)
        } else {
            shown
        }
    }

    /// A command's answer as the page shows it: while on, its failure's message and details
    /// name every client id the backend knows (and `ids`, the command's own) shortened, every
    /// thumbprint shortened and every known CA or certificate file by its name only. Done here,
    /// where the full values are known, so the page never holds them.
    pub fn answer<T>(&self, state: &AppState, answer: Result<T, ErrorView>, ids: &[&str]) -> Result<T, ErrorView> {
        match answer {
            Err(e) if self.is_on() => Err(self.error(state, e, ids)),
            other => other,
        }
    }

    /// A failure as [`Presenter::answer`] shows it (unchanged while off).
    pub fn error(&self, state: &AppState, e: ErrorView, ids: &[&str]) -> ErrorView {
        if !self.is_on() {
            return e;
        }
        let known = state.identifiers();
        let ids: Vec<&str> = ids.iter().copied().chain(known.client_ids.iter().map(String::as_str)).collect();
        let paths: Vec<&str> = known.paths.iter().map(String::as_str).collect();
        let short = |text: &str| shorten::message(text, &ids, &paths);
        ErrorView { message: short(&e.message), details: e.details.iter().map(|d| short(d)).collect(), ..e }
    }
}

/// The mode, as the page shows it.
#[derive(Debug, Serialize)]
pub struct PresenterView {
    pub on: bool,
}

/// Whether presenter mode is on (it is from the start with `token-desk-app --presenter`).
#[tauri::command]
pub fn presenter_mode(presenter: State<'_, Presenter>) -> PresenterView {
    PresenterView { on: presenter.is_on() }
}

/// Turns presenter mode on or off. The page asks the person once before turning it off.
#[tauri::command]
pub fn set_presenter_mode(presenter: State<'_, Presenter>, on: bool) -> PresenterView {
    presenter.set(on);
    PresenterView { on }
}

/// A client id, a thumbprint, a certificate subject and a file as presenter mode displays them.
#[derive(Debug, Serialize)]
pub struct ShortView {
    pub client_id: String,
    pub thumbprint: String,
    pub subject: String,
    /// The file name of the path given, if one was.
    pub file_name: Option<String>,
}

/// The shortened forms of what the form shows (its client id, also while it is typed, the
/// certificate's thumbprint and subject, which often names the client id, and the
/// certificate's path), for the page to display instead while presenter mode is on.
#[tauri::command]
pub fn shortened(
    client_id: String,
    thumbprint: Option<String>,
    subject: Option<String>,
    path: Option<String>,
) -> ShortView {
    let thumbprint = thumbprint.unwrap_or_default();
    ShortView {
        client_id: shorten::client_id(&client_id),
        subject: shorten::in_text(&subject.unwrap_or_default(), &[&client_id], &[&thumbprint]),
        thumbprint: shorten::thumbprint(&thumbprint),
        file_name: path.as_deref().map(shorten::file_name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_after_the_program_name_turns_presenter_mode_on() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(Presenter::from_args(args(&["token-desk-app", "--presenter"])).is_on());
        assert!(!Presenter::from_args(args(&["token-desk-app"])).is_on());
        assert!(!Presenter::from_args(args(&["--presenter"])).is_on());
    }

    #[test]
    fn reveal_is_refused_only_while_on() {
        let p = Presenter::new(false);
        assert!(p.refuse_reveal().is_ok());
        p.set(true);
        assert!(p.refuse_reveal().is_err());
    }
}
