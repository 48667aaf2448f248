//! Token Desk's window: the Tauri glue between the web page in `ui/` and the engine in
//! `token-desk-core`. Business logic lives in the engine; the commands here only adapt.

mod commands;
pub mod state;

use tauri::{Builder, Runtime};

use crate::state::AppState;

/// Adds the app's state and commands to a builder, so tests can use Tauri's mock runtime.
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder.manage(state).invoke_handler(tauri::generate_handler![
        commands::scopes,
        commands::start_demo,
        commands::set_secret,
        commands::get_token,
    ])
}

/// Runs the window until it is closed.
pub fn run() {
    build_app(Builder::default(), AppState::default())
        .run(tauri::generate_context!())
        .expect("Token Desk could not start its window");
}
