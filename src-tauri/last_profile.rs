//! The profile chosen last, chosen again when the window starts (the engine's `last_profile`).

use token_desk_core::last_profile::LastProfile;

/// The name of the profile used last, if one is remembered.
#[tauri::command]
pub fn last_profile() -> Option<String> {
    LastProfile::default_location()?.read()
}

/// Remembers the profile just chosen (`None`: "No profile"). Losing it costs only a click, so a
/// failure to write it is not reported.
#[tauri::command]
pub fn remember_profile(name: Option<String>) {
    if let Some(last) = LastProfile::default_location() {
        let _ = last.write(name.as_deref());
    }
}
