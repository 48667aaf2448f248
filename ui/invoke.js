// The backend's commands, each named once, and the one way the page calls them. A test
// (tests/page_commands.rs) compares this list with the backend's handler list, and every
// `invoke("…")` in ui/ with this list, so a renamed or removed command fails a test, not a click.

/** Every command the page may call, as `src-tauri/lib.rs` registers them. `src-tauri/build.rs`
 * reads this list too (for the window's permissions): keep one quoted name per line. */
export const COMMANDS = Object.freeze([
  "defaults",
  "scope_hints",
  "start_demo",
  "set_secret",
  "forget_credential",
  "choose_certificate",
  "get_token",
  "cancel_token",
  "reveal_token",
  "copy",
  "form_view",
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
  "check_token",
  "fix_missing_scopes",
  "inspector",
  "snippets",
  "copy_snippet",
  "copy_exchange",
  "network",
  "choose_ca_file",
  "clear_ca_file",
  "set_network",
  "choose_no_profile",
  "save_collection",
  "forget_token",
  "presenter_mode",
  "set_presenter_mode",
  "shortened",
  "find_refused_scope",
  "test_handed_token",
  "last_profile",
  "remember_profile",
  "timers",
  "try_it_offer",
  "create_payment_request",
  "payment_request_status",
  "simulate_payment",
  "refund_payment",
  "refund_status",
  "verify_bank_account",
  "check_create_payment_request",
  "copy_payment_link",
  "open_payment_link",
  "try_it_code",
  "copy_try_it_code",
]);

/**
 * Calls the backend's `command` with `args`, as `invoke` of @tauri-apps/api/core does. The
 * page uses nothing else of that API, so `withGlobalTauri` is off and its script is not put
 * into the page (no start-up or memory saving showed: docs/benchmarks.md, "Window memory").
 * A name not in COMMANDS is a bug in the page: it is refused before it reaches the backend.
 */
export function invoke(command, args) {
  if (!COMMANDS.includes(command)) return Promise.reject(new Error(`the page has no command "${command}"`));
  return window.__TAURI_INTERNALS__.invoke(command, args);
}
