// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before anything could read a secret: a crash must not write one to a core file.
    if let Err(e) = token_desk_core::hardening::no_core_dumps() {
        eprintln!("token-desk-app: warning: {e}");
    }
    token_desk_app::run();
}
