// "New here? Try the simulator": the backend starts its built-in stand-in for Stitch and
// fills in a demo client; the page shows it in the form.

import { writeClientId } from "./client-id.js";
import { $, available, setAvailable } from "./dom.js";
import { EVENTS, emit } from "./events.js";
import {
  audience,
  chooseAuth,
  clearOtherScope,
  credentialEntered,
  getButton,
  renderCertificate,
  showSecretSet,
  tickOnly,
  tokenUrl,
  updateSimulatorBadge,
} from "./form.js";
import { invoke } from "./invoke.js";
import { clearProfile } from "./profiles.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { forgetResult, showTokenFailure } from "./token.js";

async function startDemo(client) {
  // The simulator's demo never uses a saved (possibly Live) profile.
  if (state.profiles.selected) clearProfile();
  const buttons = [$("demo-secret"), $("demo-certificate")];
  if (!buttons.every(available)) return;
  buttons.forEach((b) => setAvailable(b, false));
  setStatus("Starting the simulator…", true);
  try {
    const demo = await invoke("start_demo", { client });
    writeClientId(demo.client_id);
    chooseAuth(demo.auth);
    if (demo.auth === "secret") {
      showSecretSet(true);
      credentialEntered();
    }
    if (demo.certificate) renderCertificate(demo.certificate);
    tokenUrl.value = demo.token_url;
    audience.value = demo.audience;
    state.form.audienceTouched = false;
    tickOnly(demo.scopes);
    clearOtherScope();
    updateSimulatorBadge();
    $("demo").classList.add("running");
    $("demo-title").textContent = "The simulator is running";
    $("demo-intro").hidden = true;
    $("demo-url").textContent = new URL(demo.token_url).host;
    $("demo-running").hidden = false;
    forgetResult(); // another client: the previous one's answer goes
    emit(EVENTS.demo, demo);
    const which = demo.auth === "certificate" ? "certificate" : "secret";
    setStatus(`The demo ${which} client is filled in (Simulator — not Stitch). Choose Get token.`);
    getButton.focus();
  } catch (failure) {
    showTokenFailure(failure);
  } finally {
    buttons.forEach((b) => setAvailable(b, true));
  }
}

$("demo-secret").addEventListener("click", () => startDemo("secret"));
$("demo-certificate").addEventListener("click", () => startDemo("certificate"));
