// Saved profiles: the list, choosing one (or "No profile"), and the form and Live banner that
// follow the choice. Adding, renaming, duplicating, deleting and replacing a secret are in
// ui/profile-editor.js, export and import in ui/profile-transfer.js; both use this module's
// exports. The backend keeps every secret in the OS keyring and decides everything; this
// module only renders.

import { showApiTarget } from "./check.js";
import { quoted, readClientId, writeClientId } from "./client-id.js";
import { $, el, setAvailable } from "./dom.js";
import { EVENTS, emit, on } from "./events.js";
import { hideFailure, showFailure } from "./failure.js";
import {
  apiUrl,
  audience,
  authChoice,
  checkedScopes,
  chooseAuth,
  form,
  forgetShownCredential,
  otherScope,
  scopeBoxes,
  showAuthPanel,
  tickOnly,
  tokenUrl,
  updateSimulatorBadge,
} from "./form.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { clientChanged } from "./token.js";

const profileSelect = $("profile-select");
const liveBanner = $("live-banner");
const profiles = state.profiles;
profiles.clientIdHint = $("client-id-hint").textContent;

export const profileError = (failure) => showFailure("profile-error", failure);

/** The typed client, as "No profile" shows it: everything but the secret. */
function typedClient() {
  return {
    clientId: readClientId(),
    auth: authChoice(),
    tokenUrl: tokenUrl.value,
    audience: audience.value,
    audienceTouched: state.form.audienceTouched,
    apiUrl: apiUrl.value,
    scopes: checkedScopes(),
    other: otherScope.value,
  };
}

/** Puts the client typed before a profile was chosen back into the form. */
function restoreTyped(typed) {
  writeClientId(typed.clientId);
  chooseAuth(typed.auth);
  tokenUrl.value = typed.tokenUrl;
  audience.value = typed.audience;
  state.form.audienceTouched = typed.audienceTouched;
  apiUrl.value = typed.apiUrl;
  showApiTarget();
  tickOnly(typed.scopes);
  otherScope.value = typed.other;
  updateSimulatorBadge();
}

const SECRET_STATE = {
  saved: "Saved in the keyring",
  this_session_only: "Kept for this session only (no keyring)",
  missing: "Not saved — choose Replace secret to save one",
  unknown: "The keyring could not be asked",
};

function environmentLabel(view) {
  return view.environment === "live" ? "LIVE" : "Test";
}

/** Lists the profiles again and chooses `select` (as showProfiles does). */
export async function refreshProfiles(select) {
  showProfiles(await invoke("list_profiles"), select);
}

/** Shows the profiles `listed` and chooses `select` (by name; undefined: the one chosen now). */
function showProfiles(listed, select) {
  profiles.list = listed.profiles;
  const keep = select !== undefined ? select : profiles.selected && profiles.selected.name;
  const none = el("option", "", "No profile — type a client below");
  none.value = "";
  profileSelect.replaceChildren(
    none,
    ...listed.profiles.map((p) => {
      const option = el("option", "", `${p.name} (${environmentLabel(p)})`);
      option.value = p.name;
      return option;
    }),
  );
  const notice = $("keyring-notice");
  notice.textContent = listed.keyring_notice || "";
  notice.hidden = !listed.keyring_notice;
  const reminders = listed.profiles.flatMap((p) => p.reminders);
  $("profile-reminders").replaceChildren(...reminders.map((r) => el("li", "", r)));
  $("profile-reminders").hidden = reminders.length === 0;
  const found = keep ? listed.profiles.find((p) => p.name === keep) : null;
  if (found) applyProfile(found);
  else clearProfile();
  updateProfileButtons();
  updateSimulatorBadge(); // the simulator card depends on whether any profile is saved
}

function updateProfileButtons() {
  const chosen = profiles.selected !== null;
  for (const id of ["rename-profile", "duplicate-profile", "delete-profile"]) setAvailable($(id), chosen);
  setAvailable($("export-profiles"), profiles.list.length > 0);
}

/** Fills the form from a profile; its client and URLs are then fixed, its secret in the keyring. */
function applyProfile(view) {
  if (profiles.selected === null) profiles.typed = typedClient();
  profiles.selected = view;
  invoke("remember_profile", { name: view.name }).catch(() => {}); // chosen again on the next start
  profileSelect.value = view.name;
  // The backend dropped any secret entered before (it was for another client or host), so
  // the page forgets it first: the client id filled in below is not the user's edit.
  forgetShownCredential();
  writeClientId(view.client_id); // in presenter mode the field shows it shortened
  chooseAuth(view.auth);
  tickOnly(view.scopes);
  const known = new Set(scopeBoxes().map((b) => b.value));
  otherScope.value = view.scopes.filter((s) => !known.has(s)).join(" ");
  tokenUrl.value = view.token_url;
  audience.value = view.audience;
  state.form.audienceTouched = view.audience !== view.token_url;
  apiUrl.value = view.api_url; // the profile's API, shown where it is used (Advanced)
  showApiTarget();
  updateSimulatorBadge();
  setProfileLock(true);
  $("client-id-hint").textContent = `From profile "${view.name}". To type another client, choose "No profile".`;
  $("profile-secret-label").textContent = view.auth === "certificate" ? "Certificate" : "Client secret";
  let secret = SECRET_STATE[view.secret] || view.secret;
  if (view.certificate) secret += ` — ${view.certificate.subject}, expires ${view.certificate.expires_on}`;
  $("profile-secret-state").textContent = quoted(secret);
  $("profile-secret-state").className = `secret-state ${view.secret}`;
  showLive(view.environment === "live" ? view : null);
  updateProfileButtons();
}

/** No profile is chosen any more (the simulator's demo, for one, never uses a saved one). */
export function clearProfile() {
  const had = profiles.selected !== null;
  profiles.selected = null;
  invoke("remember_profile", { name: null }).catch(() => {});
  profileSelect.value = "";
  setProfileLock(false);
  $("client-id-hint").textContent = profiles.clientIdHint;
  showLive(null);
  if (had) {
    showAuthPanel();
    leaveProfileNetwork();
  }
  updateProfileButtons();
}

/** "No profile": the backend drops the profile's network settings (company CA, proxy,
 *  timeout), so the client typed next uses none of them; Advanced then shows what is in effect. */
async function leaveProfileNetwork() {
  try {
    await invoke("choose_no_profile");
  } catch (failure) {
    profileError(failure);
  }
  emit(EVENTS.profileSelected);
}

/** While a profile is chosen its client, URLs and kind of secret come from the profile. */
function setProfileLock(locked) {
  for (const field of [$("client-id"), tokenUrl, audience]) field.readOnly = locked;
  for (const radio of document.querySelectorAll('input[name="auth"]')) radio.disabled = locked;
  form.classList.toggle("profile-active", locked);
  $("profile-secret").hidden = !locked;
}

function showLive(view) {
  document.body.classList.toggle("live", view !== null);
  document.documentElement.classList.toggle("live", view !== null); // room above focused controls
  if (view === null) {
    liveBanner.hidden = true;
    liveBanner.textContent = "";
    return;
  }
  liveBanner.textContent = view.live_banner;
  liveBanner.hidden = false;
}

async function chooseProfile() {
  clientChanged();
  hideFailure("profile-error");
  const name = profileSelect.value;
  if (name === "") {
    clearProfile();
    if (profiles.typed) {
      restoreTyped(profiles.typed);
      setStatus("No profile chosen. The client you typed before is back; enter its secret again.");
    } else {
      setStatus("No profile chosen. Type a client's details below.");
    }
    return;
  }
  try {
    applyProfile(await invoke("select_profile", { name }));
    emit(EVENTS.profileSelected);
    setStatus(
      profiles.selected.environment === "live"
        ? `Profile "${name}" is filled in. It is a LIVE client: tokens act on real money.`
        : `Profile "${name}" is filled in. Its secret comes from the keyring. Choose Get token.`,
    );
  } catch (failure) {
    // The backend chose no profile then (none of the previous one's settings stay): so does the page.
    clearProfile();
    emit(EVENTS.profileSelected);
    profileError(failure);
  }
}

// ---------------------------------------------------------------------------------------
// Wiring and start

// A profile's saved secret that the token server did not accept is no longer shown as saved
// and fine: the line says what to do.
on(EVENTS.noToken, (f) => {
  if (!f || !f.credential_rejected || !profiles.selected) return;
  const cert = profiles.selected.auth === "certificate";
  $("profile-secret-state").textContent = `Not accepted — choose Replace ${cert ? "certificate" : "secret"}`;
  $("profile-secret-state").className = "secret-state rejected";
});

profileSelect.addEventListener("change", chooseProfile);

/** The profile used last is chosen again on start, its network settings with it, once the
 *  form is ready (`formReady`: its scopes are drawn). */
export async function start(formReady) {
  try {
    const [last, listed] = await Promise.all([invoke("last_profile"), invoke("list_profiles")]);
    await formReady;
    showProfiles(listed, last || undefined);
    if (profiles.selected === null) return;
    await invoke("select_profile", { name: profiles.selected.name });
    emit(EVENTS.profileSelected);
  } catch (failure) {
    profileError(failure);
  }
}
