// Token Desk's window: the page's one script. Each module in ui/ wires its own part of the
// page when it is imported; this one starts them, in this order: the timers' durations and
// the form's defaults come first, because every other part draws into the form.

import { state } from "./state.js";
import { invoke } from "./invoke.js";
import * as form from "./form.js";
import { showTokenFailure } from "./token.js";
import "./check.js";
import "./refused-scope.js";
import "./collection.js";
import "./handed.js";
import "./demo.js";
import "./try-it.js";
import * as network from "./network.js";
import * as profiles from "./profiles.js";
import * as presenter from "./presenter.js";

async function start() {
  const timers = await invoke("timers");
  state.timers.showLingerMs = timers.show_linger_ms;
  state.timers.revealSeconds = timers.reveal_seconds;
  state.timers.copiedNoteMs = timers.copied_note_ms;
  state.timers.statusCheckMs = timers.status_check_ms;
  await form.start();
  await presenter.start(); // a profile chosen again at start is then shown shortened if need be
  await Promise.all([network.refresh(), profiles.start()]);
}

start().catch(showTokenFailure);
