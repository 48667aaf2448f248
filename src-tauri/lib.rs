//! Token Desk's window: the Tauri glue between the web page in `ui/` and the engine in
//! `token-desk-core`. Business logic lives in the engine; the commands here only adapt.

mod check;
pub mod chooser;
pub mod clipboard;
mod collection;
mod commands;
mod credentials;
mod guard;
mod handed;
mod inspector;
mod last_profile;
mod last_token;
mod network;
pub mod presenter;
pub mod profile_state;
mod profile_view;
pub mod profiles;
mod refused_scope;
mod rendering;
mod runs;
mod snippets;
pub mod state;
mod timers;
pub mod try_it;
mod view;

use std::sync::Arc;

use tauri::{Builder, Manager, Runtime};

use crate::clipboard::SystemClipboard;
use crate::presenter::Presenter;
use crate::state::AppState;
use crate::try_it::link::TryIt;

/// Adds the app's plugins, state and commands to a builder, so tests can use Tauri's mock
/// runtime. The system clipboard is attached unless `state` already has one.
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    build_app_presenting(builder, state, Presenter::default())
}

/// [`build_app`], with presenter mode as `presenter` says (on with `--presenter`).
pub fn build_app_presenting<R: Runtime>(builder: Builder<R>, state: AppState, presenter: Presenter) -> Builder<R> {
    builder
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .manage(presenter)
        .manage(TryIt::default())
        .setup(|app| {
            app.state::<AppState>().attach_clipboard(Arc::new(SystemClipboard(app.handle().clone())));
            rendering::without_compositing(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::defaults,
            commands::scope_hints,
            commands::start_demo,
            commands::set_secret,
            commands::forget_credential,
            commands::choose_certificate,
            commands::get_token,
            commands::cancel_token,
            commands::reveal_token,
            commands::copy,
            commands::form_view,
            profiles::list_profiles,
            profiles::select_profile,
            profiles::save_profile,
            profiles::rename_profile,
            profiles::duplicate_profile,
            profiles::delete_profile,
            profiles::replace_secret,
            profiles::confirm_live,
            profiles::export_profiles,
            profiles::plan_import,
            profiles::import_profiles,
            check::check_token,
            check::fix_missing_scopes,
            inspector::inspector,
            snippets::snippets,
            snippets::copy_snippet,
            inspector::copy_exchange,
            network::network,
            network::choose_ca_file,
            network::clear_ca_file,
            network::set_network,
            network::choose_no_profile,
            collection::save_collection,
            commands::forget_token,
            presenter::presenter_mode,
            presenter::set_presenter_mode,
            presenter::shortened,
            refused_scope::find_refused_scope,
            handed::test_handed_token,
            last_profile::last_profile,
            last_profile::remember_profile,
            timers::timers,
            try_it::offer::try_it_offer,
            try_it::payment_request::create_payment_request,
            try_it::payment_request::payment_request_status,
            try_it::payment_request::simulate_payment,
            try_it::refund::refund_payment,
            try_it::refund::refund_status,
            try_it::bank_account::verify_bank_account,
            try_it::payment_request::check_create_payment_request,
            try_it::link::copy_payment_link,
            try_it::link::open_payment_link,
            try_it::code::try_it_code,
            try_it::code::copy_try_it_code,
        ])
}

/// Runs the window until it is closed.
pub fn run() {
    rendering::without_gl();
    // `scripts/measure-window.py` times start-up to this mark, as it does for an empty window.
    let mark = std::env::var_os("TOKEN_DESK_STARTUP_MARK").is_some();
    let pruned = std::sync::Once::new();
    let builder = Builder::default().on_page_load(move |webview, page| {
        if page.event() != tauri::webview::PageLoadEvent::Finished {
            return;
        }
        // The keyring waits until the page is up: nothing before the first paint that can wait.
        pruned.call_once(|| webview.state::<AppState>().profiles.prune_in_background());
        if mark {
            println!("ready");
        }
    });
    build_app_presenting(builder, AppState::default(), Presenter::from_args(std::env::args()))
        .run(tauri::generate_context!())
        .expect("Token Desk could not start its window");
}
