// Failures, drawn one way everywhere. The backend sends a failure as {kind, message, details}:
// a plain sentence and, behind "Details", the technical lines.

import { $, el } from "./dom.js";

/** A failure from the backend is {kind, message, details}; anything else is a bug here. */
export function asFailure(value) {
  if (value && typeof value === "object" && typeof value.message === "string") return value;
  return {
    kind: "internal",
    message: "Something went wrong inside Token Desk. Try again; if it keeps happening, restart the app.",
    details: [String(value)],
  };
}

/**
 * Draws `failure` in the box with the id `id` and shows it: the message goes into
 * `${id}-message` (or the box itself when it has none), the technical lines into the closed
 * list `${id}-details` when there is one, whose toggle `${id}-details-toggle` shows only for at
 * least `least` lines (a lone "kind: …" line adds nothing for a person). Returns the failure as read.
 */
export function showFailure(id, failure, least = 1) {
  const f = asFailure(failure);
  const box = $(id);
  ($(`${id}-message`) || box).textContent = f.message;
  const details = $(`${id}-details`);
  if (details) {
    const lines = f.details || [];
    details.replaceChildren(...lines.map((line) => el("li", "", line)));
    details.hidden = true;
    const toggle = $(`${id}-details-toggle`);
    toggle.setAttribute("aria-expanded", "false");
    toggle.hidden = lines.length < least;
  }
  box.hidden = false;
  return f;
}

/** Hides the failure box `id` (a box that is only its message is emptied too). */
export function hideFailure(id) {
  const box = $(id);
  box.hidden = true;
  if (!$(`${id}-message`)) box.textContent = "";
}

/** Opens or closes the Details list of the failure box `id`. */
export function toggleDetails(id) {
  const toggle = $(`${id}-details-toggle`);
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  $(`${id}-details`).hidden = !open;
}

for (const id of ["error", "test-error"]) $(`${id}-details-toggle`).addEventListener("click", () => toggleDetails(id));
