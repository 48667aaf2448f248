// Try it on the API: one call of the section and its failure. Every call goes through call()
// here (busy button, the failure in the section's box, the inspector refreshed); a scope the API
// says is missing gets the one-click fix. Apart, so the section's parts share it without
// importing each other. The backend checks, sends and words every answer; this module renders.

import { refreshInspector } from "./check.js";
import { $, available, revealResult, setAvailable } from "./dom.js";
import { EVENTS, emit } from "./events.js";
import { hideFailure, showFailure, toggleDetails } from "./failure.js";
import { addMissingScopes, apiUrl } from "./form.js";
import { invoke } from "./invoke.js";
import { selectedProfileName, state } from "./state.js";
import { setStatus } from "./status.js";
import { showToken } from "./token.js";

const tryIt = state.tryIt;
export const section = $("try-it");
const fixButton = $("try-it-fix");

/** The page's part of every call: the API URL typed under Advanced and the profile chosen. */
export const where = () => ({ api_url: apiUrl.value.trim() || null, profile: selectedProfileName() });

// ---------------------------------------------------------------------------------------
// One call

/** Runs one call of the section: the button shows it is busy, a failure is drawn in the
 *  section's box (with the scope fix when the API named missing scopes), the inspector follows. */
export async function call(button, busyText, action) {
  if (tryIt.busy || !available(button)) return null;
  tryIt.busy = true;
  const label = button.textContent;
  button.textContent = busyText;
  section.setAttribute("aria-busy", "true");
  hideFailure("try-it-error");
  fixButton.hidden = true;
  try {
    const answer = await action();
    emit(EVENTS.tried, answer);
    return answer;
  } catch (failure) {
    showTryFailure(failure);
    return null;
  } finally {
    tryIt.busy = false;
    button.textContent = label;
    section.setAttribute("aria-busy", "false");
    refreshInspector();
  }
}

export function showTryFailure(failure) {
  const f = showFailure("try-it-error", failure);
  tryIt.missing = f.kind === "scope_not_allowed" ? f.refused_scopes || [] : [];
  if (tryIt.missing.length > 0) {
    fixButton.textContent = `Add ${tryIt.missing.join(" and ")} and get a new token`;
    fixButton.hidden = false;
  }
  setStatus(f.message);
  revealResult($("try-it-error-message"));
}

/** The one-click fix: the backend adds the missing scopes and gets a new token; then the
 *  person repeats the call. */
async function fixScopes() {
  if (tryIt.busy || tryIt.missing.length === 0) return;
  const adding = [...tryIt.missing];
  tryIt.busy = true;
  setAvailable(fixButton, false);
  try {
    const fixed = await addMissingScopes(adding);
    tryIt.keepOnNewToken = true;
    showToken(fixed.token);
    hideFailure("try-it-error");
    fixButton.hidden = true;
    setStatus(`New token with ${adding.join(" and ")} received. Try the call again.`);
  } catch (failure) {
    showTryFailure(failure);
  } finally {
    tryIt.busy = false;
    setAvailable(fixButton, true);
  }
}

// ---------------------------------------------------------------------------------------
// Wiring

$("try-it-error-details-toggle").addEventListener("click", () => toggleDetails("try-it-error"));
fixButton.addEventListener("click", fixScopes);
