// Saved profiles: choose, add, rename, duplicate, delete, export and import them. The backend
// keeps every secret in the OS keyring and decides everything; this module only renders.

import { showApiTarget } from "./check.js";
import { quoted, readClientId, writeClientId } from "./client-id.js";
import { closeDialog, openDialog } from "./dialogs.js";
import { $, available, el, onEnter, setAvailable } from "./dom.js";
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
  getButton,
  otherScope,
  requestedScopes,
  scopeBoxes,
  secretInput,
  showAuthPanel,
  storeSecret,
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

const profileError = (failure) => showFailure("profile-error", failure);

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

async function refreshProfiles(select) {
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
// New profile

function openNewProfile() {
  hideFailure("profile-error");
  if (profiles.selected) {
    clearProfile();
    setStatus("The form is free to edit. Enter the client's secret again, then name the new profile.");
  }
  $("new-profile-panel").hidden = false;
  $("environment-live").checked = false;
  $("save-secret-in-keyring").checked = true;
  $("profile-name").focus();
}

function closeNewProfile() {
  $("new-profile-panel").hidden = true;
  $("new-profile").focus();
}

async function saveProfile() {
  hideFailure("profile-error");
  const auth = authChoice();
  try {
    if (auth === "secret" && secretInput.value !== "") await storeSecret();
    const done = await invoke("save_profile", {
      form: {
        name: $("profile-name").value,
        live: $("environment-live").checked,
        client_id: readClientId(),
        auth,
        scopes: requestedScopes(),
        token_url: tokenUrl.value.trim() || null,
        audience: audience.value.trim() || null,
        save_secret: $("save-secret-in-keyring").checked,
        secret_issued_on: $("secret-issued-on").value || null,
      },
    });
    $("new-profile-panel").hidden = true;
    $("profile-name").value = "";
    $("secret-issued-on").value = "";
    await refreshProfiles(done.profile.name);
    setStatus(done.keyring_notice ? `${done.message} ${done.keyring_notice}` : done.message);
    getButton.focus();
  } catch (failure) {
    profileError(failure);
  }
}

// ---------------------------------------------------------------------------------------
// Rename, duplicate, delete, replace secret

function openNameDialog(mode, opener) {
  if (!profiles.selected || !available(opener)) return;
  profiles.nameMode = mode;
  const rename = mode === "rename";
  $("name-dialog-title").textContent = rename ? `Rename "${profiles.selected.name}"` : `Duplicate "${profiles.selected.name}"`;
  $("name-dialog-ok").textContent = rename ? "Rename" : "Duplicate";
  $("profile-new-name").value = rename ? profiles.selected.name : `${profiles.selected.name} (copy)`.slice(0, 64);
  hideFailure("name-dialog-error");
  openDialog("name-dialog", opener, "profile-new-name");
  $("profile-new-name").select();
}

async function submitNameDialog() {
  const name = profiles.selected.name;
  const newName = $("profile-new-name").value;
  try {
    const command = profiles.nameMode === "rename" ? "rename_profile" : "duplicate_profile";
    const done = await invoke(command, { name, newName });
    closeDialog("name-dialog");
    await refreshProfiles(done.profile.name);
    setStatus(done.message);
  } catch (failure) {
    showFailure("name-dialog-error", failure);
  }
}

function openDelete(opener) {
  if (!profiles.selected || !available(opener)) return;
  $("confirm-delete-title").textContent = `Delete "${profiles.selected.name}"?`;
  $("confirm-delete-text").textContent =
    "The profile, its secret in the keyring and the tokens kept for it are deleted. This cannot be undone.";
  openDialog("confirm-delete-dialog", opener, "cancel-delete");
}

async function confirmDelete() {
  const name = profiles.selected.name;
  closeDialog("confirm-delete-dialog");
  try {
    const done = await invoke("delete_profile", { name });
    await refreshProfiles("");
    setStatus(done.message);
    profileSelect.focus();
  } catch (failure) {
    profileError(failure);
  }
}

function openReplace(opener) {
  if (!profiles.selected) return;
  const cert = profiles.selected.auth === "certificate";
  $("replace-dialog-title").textContent = `Replace the ${cert ? "certificate" : "secret"} of "${profiles.selected.name}"`;
  $("replace-secret-field").hidden = cert;
  $("replace-certificate-field").hidden = !cert;
  $("replace-secret-input").value = "";
  $("replace-dialog-ok").textContent = cert ? "Choose and save certificate…" : "Save secret";
  hideFailure("replace-dialog-error");
  openDialog("replace-dialog", opener, cert ? "replace-dialog-ok" : "replace-secret-input");
}

async function submitReplace() {
  const name = profiles.selected.name;
  const cert = profiles.selected.auth === "certificate";
  try {
    // For a certificate the backend opens the file chooser; null when it was cancelled.
    const done = await invoke("replace_secret", { name, secret: cert ? null : $("replace-secret-input").value });
    if (!done) return;
    $("replace-secret-input").value = "";
    closeDialog("replace-dialog");
    await refreshProfiles(name);
    setStatus(done.keyring_notice ? `${done.message} ${done.keyring_notice}` : done.message);
  } catch (failure) {
    showFailure("replace-dialog-error", failure);
  }
}

// ---------------------------------------------------------------------------------------
// Export and import

async function exportProfiles(opener) {
  if (!available(opener)) return;
  hideFailure("profile-error");
  try {
    const done = await invoke("export_profiles", {});
    if (done) {
      const n = done.count === 1 ? "1 profile" : `${done.count} profiles`;
      setStatus(`Exported ${n} to ${done.path}. The file holds no secrets.`);
    }
  } catch (failure) {
    profileError(failure);
  }
}

function planSection(title, lines) {
  if (lines.length === 0) return [];
  const list = el("ul", "plan-list");
  list.append(...lines.map((line) => el("li", "", line)));
  return [el("h3", "", title), list];
}

/** One profile of the file as the backend reviewed it: client, Test or LIVE (from the client
 *  id), and each server it would talk to, flagged in words when it is not Stitch's own. */
function reviewCard(review) {
  const card = el("li", `import-review${review.needs_trust ? " flagged" : ""}`);
  const head = el("p", "review-head");
  head.append(el("strong", "", review.name), " ");
  head.append(el("span", `pill ${review.environment === "live" ? "bad" : "ok"}`, review.environment === "live" ? "LIVE" : "Test"));
  card.append(head, el("p", "review-client", `Client ID: ${review.client_id}`));
  if (review.environment_note) card.append(el("p", "review-note", review.environment_note));
  const hosts = el("ul", "review-hosts");
  for (const host of review.hosts) {
    const row = el("li", host.flag ? "host flagged" : "host");
    row.append(el("span", "host-role", `${host.role}: `), el("span", "host-name mono", host.host), " ");
    if (host.flag) {
      row.append(el("span", "pill warn", "Not Stitch"), el("span", "host-flag", host.flag));
    } else {
      row.append(el("span", "host-verdict", "✓ Stitch's own"));
    }
    hosts.append(row);
  }
  card.append(hosts);
  return card;
}

/** The hosts to trust, each once, as the confirmation names them. */
function flaggedHosts(plan) {
  const hosts = plan.reviews.flatMap((r) => r.hosts.filter((h) => h.flag).map((h) => h.host));
  return [...new Set(hosts)];
}

function updateImportButton() {
  const plan = profiles.plan;
  if (!plan) return;
  const trusted = $("import-trust").checked;
  const count = plan.reviews.filter((r) => trusted || !r.needs_trust).length;
  const button = $("import-confirm");
  button.hidden = plan.reviews.length === 0;
  setAvailable(button, count > 0);
  button.textContent = count === 1 ? "Import 1 profile" : `Import ${count} profiles`;
  const left = plan.reviews.length - count;
  $("import-left-out").textContent =
    left === 0 ? "" : `${left === 1 ? "1 profile" : `${left} profiles`} will be left out unless you trust the servers above.`;
}

async function importProfiles(opener) {
  hideFailure("profile-error");
  try {
    const plan = await invoke("plan_import", {});
    if (!plan) return;
    profiles.plan = plan;
    const parts = [
      el("p", "hint", `From ${plan.path}. Secrets are never in an export file: add each profile's secret with Replace secret.`),
    ];
    if (plan.reviews.length > 0) {
      const list = el("ul", "import-reviews");
      list.append(...plan.reviews.map(reviewCard));
      parts.push(el("h3", "", "New profiles in the file"), list);
    }
    parts.push(
      ...planSection("Already here, unchanged", plan.unchanged),
      ...planSection(
        "Not imported — a different profile with this name exists here",
        plan.conflicts.map((c) => `${c.name} (differs in: ${c.differences.join(", ")})`),
      ),
    );
    if (plan.reviews.length === 0) parts.push(el("p", "", "There is nothing new to import."));
    $("import-plan").replaceChildren(...parts);

    const hosts = flaggedHosts(plan);
    $("import-trust-box").hidden = hosts.length === 0;
    $("import-trust").checked = false;
    $("import-trust-hosts").textContent =
      hosts.length <= 1 ? hosts.join("") : `${hosts.slice(0, -1).join(", ")} and ${hosts[hosts.length - 1]}`;
    updateImportButton();
    const first = plan.reviews.length === 0 ? "import-cancel" : hosts.length > 0 ? "import-trust" : "import-confirm";
    openDialog("import-dialog", opener, first);
  } catch (failure) {
    profileError(failure);
  }
}

async function confirmImport() {
  if (!available($("import-confirm"))) return;
  const trustHosts = $("import-trust").checked;
  closeDialog("import-dialog");
  try {
    const done = await invoke("import_profiles", { trustHosts });
    await refreshProfiles();
    const parts = [done.added.length === 0 ? "Nothing was imported." : `Imported: ${done.added.join(", ")}.`];
    for (const left of done.not_trusted) parts.push(`"${left.name}" — ${left.reason}`);
    const note = $("import-note");
    note.replaceChildren(...parts.map((p) => el("p", "", p)));
    note.hidden = done.not_trusted.length === 0;
    setStatus(parts.join(" "));
  } catch (failure) {
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
$("new-profile").addEventListener("click", openNewProfile);
$("cancel-new-profile").addEventListener("click", closeNewProfile);
$("save-profile").addEventListener("click", saveProfile);
$("environment-live").addEventListener("change", () => hideFailure("profile-error")); // a fixed mistake's notice goes
onEnter("profile-name", saveProfile);
$("rename-profile").addEventListener("click", (e) => openNameDialog("rename", e.currentTarget));
$("duplicate-profile").addEventListener("click", (e) => openNameDialog("duplicate", e.currentTarget));
$("name-dialog-ok").addEventListener("click", submitNameDialog);
$("name-dialog-cancel").addEventListener("click", () => closeDialog("name-dialog"));
onEnter("profile-new-name", submitNameDialog);
$("delete-profile").addEventListener("click", (e) => openDelete(e.currentTarget));
$("confirm-delete").addEventListener("click", confirmDelete);
$("cancel-delete").addEventListener("click", () => closeDialog("confirm-delete-dialog"));
$("replace-secret").addEventListener("click", (e) => openReplace(e.currentTarget));
$("replace-dialog-ok").addEventListener("click", submitReplace);
$("replace-dialog-cancel").addEventListener("click", () => closeDialog("replace-dialog"));
onEnter("replace-secret-input", submitReplace);
$("export-profiles").addEventListener("click", (e) => exportProfiles(e.currentTarget));
$("import-profiles").addEventListener("click", (e) => importProfiles(e.currentTarget));
$("import-confirm").addEventListener("click", confirmImport);
$("import-trust").addEventListener("change", updateImportButton);
$("import-cancel").addEventListener("click", () => closeDialog("import-dialog"));

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
