// Small helpers for drawing the page. Data goes into the page with textContent, never innerHTML.

import { state } from "./state.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A scope name as nodes that may wrap only after each "_" (a <wbr> there), never mid-word. */
export function breakable(text) {
  const nodes = [];
  text.split("_").forEach((part, i, parts) => {
    nodes.push(document.createTextNode(i < parts.length - 1 ? `${part}_` : part));
    if (i < parts.length - 1) nodes.push(document.createElement("wbr"));
  });
  return nodes;
}

/** Buttons stay focusable while unavailable, so keyboard focus never falls off the page. */
export function setAvailable(button, available) {
  if (available) button.removeAttribute("aria-disabled");
  else button.setAttribute("aria-disabled", "true");
}
export const available = (button) => button.getAttribute("aria-disabled") !== "true";

/** Shows a "Copied" note (`note`, next to its button) for as long as the backend's timers say. */
export function showCopied(note, text) {
  note.textContent = text;
  note.hidden = false;
  clearTimeout(state.copiedTimers.get(note.id));
  state.copiedTimers.set(
    note.id,
    setTimeout(() => {
      note.hidden = true;
    }, state.timers.copiedNoteMs),
  );
}

/** Runs `action` when Enter is pressed in the field `id`, instead of submitting a form. */
export function onEnter(id, action) {
  $(id).addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      action();
    }
  });
}

/** Puts an answer (`target`: the token or the error) in plain sight and gives it focus, so
 * it is seen and read out even when the page was scrolled elsewhere or zoomed. */
export function revealResult(target) {
  target.tabIndex = -1;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center" });
}

/** A control that takes focus is always in plain sight: inside the window and clear of the
 * sticky action bar. WebKit alone leaves a control peeking out below the bar, and at high page
 * zoom scrolls by device pixels, leaving the control below the window. */
function keepInPlainSight(event) {
  const target = event.target;
  if (!(target instanceof Element) || target === document.body || target.closest("dialog")) return;
  const margin = 12;
  const r = target.getBoundingClientRect();
  let bottom = window.innerHeight - margin;
  const bar = document.querySelector(".actions");
  if (bar && !bar.contains(target) && getComputedStyle(bar).position === "sticky") {
    const b = bar.getBoundingClientRect();
    const barFollows = target.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (barFollows && r.right > b.left && r.left < b.right) bottom = Math.min(bottom, b.top - margin);
  }
  // The Live banner sticks to the top: a control is in plain sight only below it.
  let top = margin;
  const banner = $("live-banner");
  if (!banner.hidden && !banner.contains(target)) top = Math.max(top, banner.getBoundingClientRect().bottom + margin);
  if (r.bottom > bottom) window.scrollBy(0, Math.min(r.bottom - bottom, r.top - top));
  else if (r.top < top) window.scrollBy(0, r.top - top);
}

document.addEventListener("focusin", keepInPlainSight);
