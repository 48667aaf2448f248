// The Client ID field and the client id it stands for. Read and write the client id through
// this module, never through the field: the field holds it, except in presenter mode, where
// the client id is kept here (state.presenter.clientId) and the field shows only a shortened
// form, also while it is typed in: typing goes to the client id kept here, never into the
// field, so the page's markup never holds the whole id.

import { $ } from "./dom.js";
import { EVENTS, emit } from "./events.js";
import { state } from "./state.js";

const field = $("client-id");
const presenter = state.presenter;

/** The client id of the form. */
export const readClientId = () => (presenter.on ? presenter.clientId : field.value);

/** The page fills in a client id (a profile, the demo, what was typed before a profile). */
export function writeClientId(id) {
  if (presenter.on) presenter.clientId = id;
  else field.value = id;
  emit(EVENTS.clientId, { typed: false });
}

/** Presenter mode goes on (the client id moves here) or off (it goes back into the field). */
export function holdClientId(on) {
  if (on && !presenter.on) {
    presenter.clientId = field.value;
    presenter.shownId = field.value;
  } else if (!on && presenter.on) {
    field.value = presenter.clientId;
  }
}

/** The backend shortened `forId` to `short`: the field shows it. */
export function showShortClientId(short, forId) {
  presenter.shortFor = forId.trim();
  presenter.shownId = short;
  field.value = short;
}

/** `text` with the client id shortened like the field, while presenter mode is on (for texts
 *  that quote it: the Live confirmation, a profile's certificate subject). */
export function quoted(text) {
  const full = presenter.clientId.trim();
  if (!presenter.on || full.length < 12 || presenter.shortFor !== full || !text.includes(full)) return text;
  return text.split(full).join(presenter.shownId);
}

/** In presenter mode the client id became `id` by typing: kept here and announced. */
function typed(id) {
  presenter.clientId = id;
  presenter.editedSinceFocus = true;
  emit(EVENTS.clientId, { typed: true });
}

/**
 * In presenter mode, an edit of the Client ID field, taken before it reaches the field. The
 * field shows the short form, so where the caret stands means nothing: text is added at the
 * end, a deletion removes the last character, and an edit of the whole selected field
 * replaces the whole client id.
 */
function takeEdit(event) {
  if (!presenter.on || field.readOnly) return;
  event.preventDefault();
  const type = event.inputType || "";
  const whole = field.value !== "" && field.selectionStart === 0 && field.selectionEnd === field.value.length;
  let id = whole ? "" : presenter.clientId;
  if (type.startsWith("insert")) {
    const text = event.data ?? (event.dataTransfer ? event.dataTransfer.getData("text/plain") : "");
    id += (text || "").replace(/[\r\n]+/g, "");
  } else if (type.startsWith("delete")) {
    if (!whole && type !== "deleteContentForward") id = id.slice(0, -1);
  } else {
    return; // undo, redo, formatting: nothing to do on a shortened field
  }
  typed(id);
}

/**
 * An edit that reached the field: announced as it is. In presenter mode (an engine without
 * `beforeinput`, autofill, a test driver's clear) it is measured against what the field
 * showed, applied to the client id kept here, and the field shows the short form again at once.
 */
function edited() {
  if (!presenter.on) {
    emit(EVENTS.clientId, { typed: true });
    return;
  }
  if (field.value === presenter.shownId) return;
  const now = field.value;
  const was = presenter.shownId;
  let id = presenter.clientId;
  if (now === "") id = "";
  else if (now.startsWith(was)) id += now.slice(was.length);
  else if (was.startsWith(now)) id = id.slice(0, Math.max(0, id.length - (was.length - now.length)));
  else id = now;
  field.value = was;
  typed(id);
}

field.addEventListener("beforeinput", takeEdit);
field.addEventListener("input", edited);
field.addEventListener("change", () => emit(EVENTS.clientIdDone));
field.addEventListener("focus", () => {
  presenter.editedSinceFocus = false;
});
// In presenter mode the field's own value does not change while typing, so it fires no
// "change": leaving the field after an edit ends the edit instead.
field.addEventListener("blur", () => {
  if (presenter.on && presenter.editedSinceFocus) emit(EVENTS.clientIdDone);
  presenter.editedSinceFocus = false;
});
