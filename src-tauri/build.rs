//! Compiles `tauri.conf.json`, `capabilities/` and the icons into the app, and declares the
//! app's own commands so that a window may call only those its capability allows.

fn main() {
    let commands = tauri_build::AppManifest::new().commands(&[
        "defaults",
        "scope_hints",
        "start_demo",
        "set_secret",
        "set_certificate",
        "choose_certificate",
        "get_token",
        "cancel_token",
        "reveal_token",
        "copy",
        "list_profiles",
        "select_profile",
        "save_profile",
        "rename_profile",
        "duplicate_profile",
        "delete_profile",
        "replace_secret",
        "confirm_live",
        "export_profiles",
        "plan_import",
        "import_profiles",
        "test_token",
        "fix_missing_scopes",
        "inspector",
        "snippets",
        "copy_snippet",
        "copy_exchange",
        "forget_token",
        "presenter_mode",
        "set_presenter_mode",
        "shortened",
        "find_refused_scope",
        "test_handed_token",
        "last_profile",
        "remember_profile",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(commands)).expect("failed to run tauri-build");
}
