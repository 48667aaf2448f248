//! Opening the window: the `token-desk-app` binary installed beside this one.

use crate::exit::Failed;
use std::process::ExitCode;

/// Replaces this process with the window, so it behaves exactly as if started directly;
/// `presenter` passes `--presenter` on.
pub fn open(presenter: bool) -> ExitCode {
    let args: &[&str] = if presenter { &["--presenter"] } else { &[] };
    let app = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join("token-desk-app")));
    let Some(app) = app.filter(|p| p.is_file()) else {
        return crate::exit::end(Err(Failed::Itself(
            "the window (token-desk-app) is not installed next to this command.\n\
             Build both with `cargo build --workspace --bins`, or use a command: token-desk --help"
                .to_owned(),
        )));
    };
    let error = {
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            std::process::Command::new(&app).args(args).exec()
        }
        #[cfg(not(unix))]
        {
            match std::process::Command::new(&app).args(args).status() {
                Ok(s) => return ExitCode::from(s.code().unwrap_or(1) as u8),
                Err(e) => e,
            }
        }
    };
    crate::exit::end(Err(Failed::Itself(format!("could not start the window ({error})."))))
}
