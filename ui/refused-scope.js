// A refused scope, named one by one. When the server names the scope, the message says it and
// "Untick it and try again" is offered; when it does not and several were asked for, "Find
// which one" has the backend ask for each scope on its own (one request per scope, on that
// click only). This module only renders.

import { $, available, setAvailable } from "./dom.js";
import { EVENTS, on } from "./events.js";
import { asFailure } from "./failure.js";
import { requestedScopes, tokenForm } from "./form.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { getToken } from "./token.js";

const refused = state.refusedScope;

function showRefused(failure) {
  refused.failure = failure && failure.kind === "scope_not_allowed" ? failure : null;
  refused.names = refused.failure ? [...(failure.refused_scopes || [])] : [];
  const several = requestedScopes().length > 1;
  const find = refused.failure !== null && refused.names.length === 0 && several;
  $("refused-actions").hidden = refused.failure === null || (!find && refused.names.length === 0);
  $("find-refused").hidden = !find;
  $("find-refused-hint").hidden = !find;
  $("refused-result").textContent = "";
  $("refused-result").hidden = true;
  showUntick();
}

function showUntick() {
  const tickable = refused.names.filter((n) => $(`scope-${n}`));
  const button = $("untick-refused");
  button.hidden = tickable.length === 0;
  button.textContent = tickable.length > 1 ? "Untick them and try again" : "Untick it and try again";
}

async function findRefused() {
  if (refused.busy || !available($("find-refused"))) return;
  refused.busy = true;
  setAvailable($("find-refused"), false);
  const form = tokenForm(false);
  setStatus(`Asking for each of the ${form.scopes.length} scopes on its own…`, true);
  try {
    const found = await invoke("find_refused_scope", { form });
    refused.names = found.refused;
    const result = $("refused-result");
    result.textContent = found.summary;
    result.hidden = false;
    $("find-refused").hidden = true;
    $("find-refused-hint").hidden = true;
    showUntick();
    setStatus(found.summary);
    (!$("untick-refused").hidden ? $("untick-refused") : result).focus();
  } catch (failure) {
    setStatus(asFailure(failure).message);
  } finally {
    refused.busy = false;
    setAvailable($("find-refused"), true);
  }
}

function untickAndRetry() {
  for (const name of refused.names) {
    const box = $(`scope-${name}`);
    if (box) box.checked = false;
  }
  setStatus(`${refused.names.join(", ")} unticked. Getting a token without ${refused.names.length > 1 ? "them" : "it"}…`);
  getToken(false);
}

on(EVENTS.noToken, showRefused);
on(EVENTS.token, () => showRefused(null));
$("find-refused").addEventListener("click", findRefused);
$("untick-refused").addEventListener("click", untickAndRetry);
