// The status line under "Token": one sentence on what just happened, read out by screen readers.

import { $ } from "./dom.js";
import { state } from "./state.js";

const status = $("status");

/** Says `text`; `busy` shows that the page is waiting for an answer. `about` names what the
 *  line describes while it stays true (see `state.status.about`). */
export function setStatus(text, busy = false, about = null) {
  state.status.about = about;
  status.textContent = text;
  status.classList.toggle("busy", busy);
}
