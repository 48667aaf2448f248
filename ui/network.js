// Advanced: company network. The company CA file is chosen by the backend's file chooser
// (this page never names a path); the proxy address goes to the backend when it changes and
// comes back without any user name; the proxy password has a field of its own, goes to the
// backend once and never comes back (the page only says that one is set); the timeout is one
// deadline per request. The settings belong to the profile chosen: the backend swaps them when
// the profile changes, and this module shows what it says.

import { $ } from "./dom.js";
import { EVENTS, on } from "./events.js";
import { hideFailure, showFailure } from "./failure.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";

const [caFile, chooseCa, clearCa, proxy, password, timeout] = [
  "ca-file",
  "choose-ca-file",
  "clear-ca-file",
  "proxy",
  "proxy-password",
  "timeout",
].map($);
const sent = state.network;
const NO_CA = "None chosen: this computer's certificates and Token Desk's built-in roots are trusted.";
const SIGNED_IN = {
  user: "Your user name is in use with this proxy (not shown). If it asks for a password, type it below.",
  password: "Your user name and password are in use with this proxy for this session (not shown).",
};

/**
 * Shows `view`. A field is rewritten only when the person has not changed it since (or it
 * holds exactly what was just sent: a proxy address then loses its user name on screen), so
 * an answer arriving mid-typing never overwrites what is being typed. `force` (a profile was
 * chosen, or the page loaded) rewrites both.
 */
function render(view, args = {}, force = false) {
  hideFailure("network-error");
  if (view.ca_file) {
    caFile.textContent = `${view.ca_file} (${view.ca_subjects.join("; ")}), besides this computer's certificates.`;
  } else {
    caFile.textContent = NO_CA;
  }
  clearCa.hidden = !view.ca_file;
  const shownProxy = view.proxy || "";
  if (force || proxy.value.trim() === sent.sentProxy || proxy.value === args.proxy) {
    proxy.value = shownProxy;
  }
  sent.sentProxy = shownProxy;
  const signedIn = view.proxy_password_set ? SIGNED_IN.password : view.proxy_has_credentials ? SIGNED_IN.user : "";
  $("proxy-credentials").textContent = signedIn;
  $("proxy-credentials").hidden = signedIn === "";
  // The password the backend now holds leaves the page; only whether one is set stays.
  if (force || args.proxy_password !== undefined) password.value = "";
  password.placeholder = view.proxy_password_set ? "✓ Password set — type a new one to replace it" : "";
  const shownTimeout = String(view.timeout_secs);
  const typed = timeout.value.trim();
  if (force || typed === sent.sentTimeout || typed === String(args.timeout_secs)) {
    timeout.value = shownTimeout;
  }
  sent.sentTimeout = shownTimeout;
}

/** Whether a field holds something the backend does not have yet. */
const pending = () =>
  proxy.value.trim() !== sent.sentProxy || password.value !== "" || timeout.value.trim() !== sent.sentTimeout;

const fail = (failure) => showFailure("network-error", failure);

/** Shows the settings in effect (a profile was chosen, presenter mode changed, or at start). */
export async function refresh() {
  try {
    render(await invoke("network"), {}, true);
  } catch (failure) {
    fail(failure);
  }
}

async function send() {
  // A timeout being retyped (empty for a moment) is sent once it holds a number.
  if (timeout.value.trim() === "") return;
  const args = { timeout_secs: Number.parseInt(timeout.value, 10) || 0 };
  // Only a changed address is sent, so a password given once is not lost by a timeout change.
  if (proxy.value.trim() !== sent.sentProxy) args.proxy = proxy.value;
  if (password.value !== "") args.proxy_password = password.value;
  try {
    render(await invoke("set_network", args), args);
  } catch (failure) {
    // A refused address with sign-in details leaves the field (they may hold a password, which
    // the message says to type in its own field): the address in effect is shown instead.
    if (args.proxy !== undefined && args.proxy.includes("@")) proxy.value = sent.sentProxy;
    fail(failure);
  }
}

/** What is typed counts for the next token even while its field still has focus: ui/token.js
 *  calls this before it asks for a token, so the backend has the settings first. */
export async function sendPendingNetwork() {
  if (pending()) await send();
}

chooseCa.addEventListener("click", async () => {
  try {
    const view = await invoke("choose_ca_file");
    if (view) render(view);
  } catch (failure) {
    fail(failure);
  }
});
clearCa.addEventListener("click", async () => {
  try {
    render(await invoke("clear_ca_file"));
    chooseCa.focus();
  } catch (failure) {
    fail(failure);
  }
});
proxy.addEventListener("change", send);
password.addEventListener("change", send);
timeout.addEventListener("change", send);
// A profile chosen (or "No profile") brings its own network settings; presenter mode shows the
// CA file by its name only.
on(EVENTS.profileSelected, refresh);
on(EVENTS.presenter, refresh);
