// The page's dialogs: opened modal, and focus goes back to the button that opened one.

import { $ } from "./dom.js";
import { state } from "./state.js";

export function openDialog(id, opener, focusId) {
  state.dialogs.opener = opener || document.activeElement;
  $(id).showModal();
  if (focusId) $(focusId).focus();
}

export function closeDialog(id) {
  const dialog = $(id);
  if (dialog.open) dialog.close();
}

for (const dialog of document.querySelectorAll("dialog.dialog")) {
  dialog.addEventListener("close", () => {
    const opener = state.dialogs.opener;
    if (opener && document.contains(opener)) opener.focus();
  });
}
