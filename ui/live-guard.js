// The Live guard: the first token of a session for a Live profile is confirmed in the page
// (and the backend refuses until `confirm_live`).

import { quoted } from "./client-id.js";
import { closeDialog, openDialog } from "./dialogs.js";
import { $ } from "./dom.js";
import { showFailure } from "./failure.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";

/** Whether a token for the chosen profile needs the person's yes first; if so, asks, and
 *  runs `proceed` once the backend has the yes. */
export function askLive(proceed) {
  const profile = state.profiles.selected;
  if (!profile || profile.environment !== "live" || profile.live_confirmed) return false;
  state.live.proceed = proceed;
  $("live-confirm-text").textContent = quoted(profile.live_confirm);
  openDialog("live-confirm", $("get-token"), "live-confirm-no");
  setStatus("Confirm that you want a LIVE token.");
  return true;
}

async function confirmLive() {
  try {
    state.profiles.selected = await invoke("confirm_live", { name: state.profiles.selected.name });
    closeDialog("live-confirm");
    state.live.proceed();
  } catch (failure) {
    closeDialog("live-confirm");
    showFailure("profile-error", failure);
  }
}

$("live-confirm-yes").addEventListener("click", confirmLive);
$("live-confirm-no").addEventListener("click", () => {
  closeDialog("live-confirm");
  setStatus("No live token was requested.");
});
