// Token Desk's window: the page's one script. Each module in ui/ wires its own part of the
// page when it is imported; this one starts them and says what waits for what.

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
import "./try-it-bank.js";
import "./try-it-code.js";
import * as network from "./network.js";
import * as profiles from "./profiles.js";
import "./profile-editor.js";
import "./profile-transfer.js";
import * as presenter from "./presenter.js";

async function start() {
  const timers = invoke("timers").then((durations) => {
    state.timers.showLingerMs = durations.show_linger_ms;
    state.timers.revealSeconds = durations.reveal_seconds;
    state.timers.countdownSecondMs = durations.countdown_second_ms;
    state.timers.copiedNoteMs = durations.copied_note_ms;
    state.timers.statusCheckMs = durations.status_check_ms;
  });
  // All asked at once, so the window is ready as soon as the slowest answer is in; a profile
  // chosen again at start waits for the form's scopes (profiles.start is given `formReady`).
  const formReady = form.start();
  const profilesShown = profiles.start(formReady);
  await Promise.all([timers, formReady, profilesShown, presenter.start(), network.refresh()]);
}

start().catch(showTokenFailure);
