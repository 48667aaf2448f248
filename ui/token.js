// Getting a token and showing it: the request, its answer or failure, the expiry countdown,
// Reveal and the copy buttons. Every decision about tokens and the clipboard is made in Rust.

import { $, available, el, breakable, revealResult, setAvailable, showCopied } from "./dom.js";
import { EVENTS, emit, on } from "./events.js";
import { asFailure, showFailure } from "./failure.js";
import {
  authChoice,
  forgetShownCredential,
  form,
  getButton,
  hideSecret,
  secretInput,
  showSecretRejected,
  storeSecret,
  tokenForm,
  tokenUrl,
} from "./form.js";
import { invoke } from "./invoke.js";
import { askLive } from "./live-guard.js";
import { sendPendingNetwork } from "./network.js";
import { selectedProfileName, state } from "./state.js";
import { setStatus } from "./status.js";

const cancelButton = $("cancel");
const getNewButton = $("get-new-token");
const copyButtons = ["copy-token", "copy-header", "copy-curl"].map($);
const token = state.token;

function setBusy(busy, force) {
  token.busy = busy;
  setAvailable(getButton, !busy);
  setAvailable(getNewButton, !busy);
  getButton.textContent = busy ? "Getting token…" : "Get token";
  cancelButton.hidden = !busy;
  $("shortcut").hidden = busy;
  $("shortcut-cancel").hidden = !busy;
  $("progress").hidden = !busy;
  $("token-view").classList.toggle("stale", busy);
  form.setAttribute("aria-busy", String(busy));
  if (busy) {
    let host = "the token server";
    try {
      host = new URL(tokenUrl.value.trim()).host || host;
    } catch {
      // The backend explains a bad URL.
    }
    setStatus(force ? `Asking ${host} for a new token…` : `Getting a token from ${host}…`, true);
  }
}

/**
 * Gets a token for the form (`force`: a new one, not the cached one) and shows it or the
 * failure. A Live profile's first token of a session is confirmed first (ui/live-guard.js),
 * and network settings still being typed in Advanced count for it. Resolves to whether a token
 * is shown.
 */
export async function getToken(force) {
  if (token.busy) return false;
  if (askLive(() => getToken(force))) return false;
  setBusy(true, force);
  try {
    await sendPendingNetwork();
    if (authChoice() === "secret" && secretInput.value !== "") await storeSecret();
    showToken(await invoke("get_token", { form: tokenForm(force) }));
    return true;
  } catch (failure) {
    showTokenFailure(failure);
    return false;
  } finally {
    setBusy(false);
  }
}

async function cancel() {
  if (!token.busy) return;
  setStatus("Cancelling…", true);
  await invoke("cancel_token");
}

/** The client or profile changed: the previous client's token, error and test go. Returns
 *  whether there was one. */
export function forgetResult() {
  if (token.busy) return false;
  const had = token.view !== null || !$("error").hidden;
  clearInterval(token.ticker);
  hideRevealed();
  token.view = null;
  $("token-view").hidden = true;
  $("error").hidden = true;
  $("empty").hidden = false;
  invoke("forget_token").catch(() => {});
  emit(EVENTS.noToken, null);
  if (had) {
    token.resultCleared = true;
    setStatus("The previous client's token and messages were cleared.");
  }
  return had;
}

/** An edit of the client is finished, or another profile is being chosen: Show ends and the
 *  previous client's answer goes. */
export function clientChanged() {
  hideSecret();
  forgetResult();
}

/** The client or token URL changed: the secret or certificate entered was for the old one,
 *  so the backend drops it and the user enters it again for the new one. */
async function destinationChanged() {
  if (!state.form.credentialHeld) return;
  // The same edit usually clears the previous client's answer too (see forgetResult): say both.
  const cleared = forgetResult() || token.resultCleared;
  forgetShownCredential();
  await invoke("forget_credential");
  setStatus(
    cleared
      ? "The client or token URL changed: the previous client's token and messages were cleared, and the secret entered for it was dropped. Enter the secret again."
      : "The client or token URL changed, so the secret entered for the old one was dropped. Enter it again.",
    false,
    "secret-dropped",
  );
}

// ---------------------------------------------------------------------------------------
// The token

function formatRemaining(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

function formatTime(rfc3339) {
  const d = new Date(rfc3339);
  const time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return d.toDateString() === new Date().toDateString()
    ? `${time} today`
    : `${d.toLocaleDateString([], { day: "numeric", month: "short" })}, ${time}`;
}

function urgencyOf(left, thresholds) {
  if (left <= 0) return "expired";
  if (left <= thresholds.critical_seconds) return "critical";
  if (left <= thresholds.soon_seconds) return "soon";
  return "normal";
}

const URGENCY_NEWS = {
  soon: "The token expires in less than 5 minutes.",
  critical: "The token expires in less than a minute.",
  expired: "The token has expired. Choose Get new token for a fresh one.",
};

/** Ticks the countdown from the time left the backend reported, on the page's monotonic clock. */
function startCountdown(view) {
  clearInterval(token.ticker);
  const started = performance.now();
  const countdown = $("countdown");
  const lifetime = $("lifetime");
  let last = urgencyOf(view.remaining_seconds, view.thresholds);
  const tick = () => {
    const left = Math.max(0, view.remaining_seconds - Math.floor((performance.now() - started) / 1000));
    const urgency = urgencyOf(left, view.thresholds);
    countdown.textContent = urgency === "expired" ? "Expired" : formatRemaining(left);
    countdown.className = `countdown ${urgency}`;
    lifetime.value = view.expires_in > 0 ? Math.min(1, left / view.expires_in) : 0;
    lifetime.className = `lifetime ${urgency}`;
    if (urgency !== last) {
      last = urgency;
      if (URGENCY_NEWS[urgency]) setStatus(URGENCY_NEWS[urgency]);
    }
    if (urgency === "expired") {
      clearInterval(token.ticker);
      showExpired(true);
    }
  };
  showExpired(false);
  tick();
  token.ticker = setInterval(tick, 1000);
}

function showExpired(expired) {
  $("expired").hidden = !expired;
  $("token-view").classList.toggle("expired", expired);
  getNewButton.className = expired ? "primary" : "secondary";
  copyButtons.forEach((b) => setAvailable(b, !expired));
  if (expired) $("copy-note").hidden = true;
}

function fillScopeList(list, scopes, missing) {
  list.replaceChildren(
    ...scopes.map((name) => {
      const item = el("li", missing.includes(name) ? "missing" : "");
      item.append(el("span", "scope-tag-name"));
      item.firstChild.append(...breakable(name));
      if (missing.includes(name)) item.append(el("span", "flag", "Not granted"));
      return item;
    }),
  );
  if (scopes.length === 0) list.append(el("li", "none", "None"));
}

export function showToken(view) {
  hideRevealed();
  token.view = view;
  token.resultCleared = false;
  $("error").hidden = true;
  $("empty").hidden = true;
  $("access-token").textContent = view.masked;
  $("access-token").classList.remove("revealed");
  $("reveal").textContent = "Reveal";
  $("copy-note").hidden = true;
  $("issued-at").textContent = formatTime(view.issued_at);
  $("expires-at").textContent = formatTime(view.expires_at);
  $("from-cache").textContent = `${view.from_cache ? "Yes" : "No"} — ${view.source}`;
  fillScopeList($("requested-scopes"), view.requested, view.not_granted);
  fillScopeList($("granted-scopes"), view.granted, []);

  const notices = [...view.notices];
  if (view.not_granted.length > 0) {
    const names = view.not_granted.join(", ");
    notices.push(`Not granted: ${names}. The token works, but not for what ${view.not_granted.length === 1 ? "that scope allows" : "those scopes allow"}.`);
  }
  if (view.refresh_failure) {
    notices.push(`Getting a new token failed, so the earlier one is shown. ${view.refresh_failure.message}`);
  }
  $("notices").replaceChildren(...notices.map((n) => el("li", "", n)));
  $("notices").hidden = notices.length === 0;
  $("token-view").hidden = false;
  startCountdown(view);
  revealResult($("token-view").querySelector(".token-box"));

  const source = view.from_cache ? "Token reused (kept from earlier) — no request was sent." : "New token received.";
  setStatus(view.not_granted.length > 0 ? `${source} Not every requested scope was granted.` : source);
  emit(EVENTS.token, view);
}

/** Reveal never lingers: the token hides again after the backend's timers say (20 s),
 *  counting down on screen. */
export function hideRevealed() {
  clearInterval(token.revealTimer);
  $("reveal-note").hidden = true;
  if (!token.revealed) return;
  const output = $("access-token");
  output.textContent = token.view ? token.view.masked : "";
  output.classList.remove("revealed");
  $("reveal").textContent = "Reveal";
  token.revealed = false;
}

async function toggleReveal() {
  if (!token.view || !available($("reveal"))) return;
  const output = $("access-token");
  if (token.revealed) {
    hideRevealed();
    return;
  }
  try {
    output.textContent = await invoke("reveal_token");
    output.classList.add("revealed");
    $("reveal").textContent = "Hide";
    token.revealed = true;
    const note = $("reveal-note");
    let left = state.timers.revealSeconds;
    const tick = () => {
      if (left <= 0) return hideRevealed();
      note.textContent = `Hides again in ${left} s`;
      left -= 1;
    };
    note.hidden = false;
    tick();
    clearInterval(token.revealTimer);
    token.revealTimer = setInterval(tick, state.timers.countdownSecondMs);
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

const COPIED = { token: "the token", header: "the Authorization header", curl: "a cURL command" };

async function copy(what, button) {
  if (!available(button)) return;
  try {
    const done = await invoke("copy", { what });
    showCopied($("copy-note"), `Copied. The clipboard will be cleared in ${done.clear_after_seconds} s.`);
    setStatus(`Copied ${COPIED[what]}. The clipboard will be cleared in ${done.clear_after_seconds} s.`);
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

/** No token: the failure is shown where the token would be. */
export function showTokenFailure(failure) {
  clearInterval(token.ticker);
  hideRevealed();
  token.view = null;
  $("token-view").hidden = true;
  $("empty").hidden = true;
  $("error").classList.toggle("calm", asFailure(failure).kind === "cancelled");
  // A lone "kind: …" line adds nothing for a person: no toggle then.
  const f = showFailure("error", failure, 2);
  if (f.credential_rejected && !selectedProfileName()) showSecretRejected();
  revealResult($("error-message"));
  setStatus(f.kind === "cancelled" ? "Request cancelled." : "No token this time. The reason is below.");
  emit(EVENTS.noToken, f);
}

// ---------------------------------------------------------------------------------------
// Wiring

form.addEventListener("submit", (event) => {
  event.preventDefault();
  getToken(false);
});
getButton.addEventListener("click", (event) => {
  if (!available(getButton)) event.preventDefault();
});
getNewButton.addEventListener("click", () => {
  if (available(getNewButton)) getToken(true);
});
cancelButton.addEventListener("click", cancel);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    if (!token.busy) form.requestSubmit();
  } else if (event.key === "Escape" && token.busy) {
    cancel();
  }
});
on(EVENTS.clientId, ({ typed }) => {
  if (typed) destinationChanged();
});
on(EVENTS.clientIdDone, clientChanged);
tokenUrl.addEventListener("input", destinationChanged);
$("reveal").addEventListener("click", toggleReveal);
$("copy-token").addEventListener("click", (e) => copy("token", e.currentTarget));
$("copy-header").addEventListener("click", (e) => copy("header", e.currentTarget));
$("copy-curl").addEventListener("click", (e) => copy("curl", e.currentTarget));
