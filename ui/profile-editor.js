// Saved profiles, one at a time: the new-profile panel, and the dialogs to rename, duplicate and
// delete a profile and to replace its secret or certificate. Apart from ui/profiles.js (the list
// and choosing), whose exports it uses to show the list again. The backend keeps every secret in
// the OS keyring and decides everything; this module only renders.

import { readClientId } from "./client-id.js";
import { closeDialog, openDialog } from "./dialogs.js";
import { $, available, onEnter } from "./dom.js";
import { hideFailure, showFailure } from "./failure.js";
import { audience, authChoice, getButton, requestedScopes, secretInput, storeSecret, tokenUrl } from "./form.js";
import { invoke } from "./invoke.js";
import { clearProfile, profileError, refreshProfiles } from "./profiles.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";

const profiles = state.profiles;

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
    $("profile-select").focus();
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
// Wiring

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
